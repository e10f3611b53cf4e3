"""The plan evaluation: actual figures read and checked, the re-projection from them (restart
and add-factors), the verdict rules at their boundaries, the evaluation folder, the command.

(Kept apart from test_analysis so that the evaluation's tests read as one story; they use
the public names only.)"""

from __future__ import annotations

import csv
import html.parser
import math
import re
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support import SHORT, invoke, leftovers
from support import write as write_text

import hubinsim
from hubinsim.actuals import COLUMNS
from hubinsim.analysis.verdicts import RULES, Case, rule_of, settled_by_actuals, verdict
from hubinsim.io.evaluation_folder import TITLE_ROWS, for_reading
from hubinsim.run.restart import reproject

ILLUSTRATIVE = Path(__file__).resolve().parents[1] / "examples" / "actuals_illustrative.csv"


def actuals_file(path, rows, bom=True):
    """An actuals CSV of ``rows`` (lists in the order of COLUMNS)."""
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def synthetic():
    """Actual figures made by the model with other parameters (slower services TFP, slower
    non-resident shoppers): levels of 2021-2023 and the above-scale growth."""
    scn = hubinsim.make_scenario(name="short", end=2026, levers={"vouchers": 1.0})
    truth = hubinsim.simulate(
        scn,
        parameters={"tfp.growth_tertiary": 0.004, "consumption.external_growth": 0.03},
    ).annual
    rows = []
    for y in (2021, 2022, 2023):
        for ind in (
            "gdp",
            "va_tertiary",
            "fai",
            "fiscal_revenue",
            "retail_sales",
            "population",
            "unemployment_rate_pct",
            "industrial_va_above_scale",
        ):
            rows.append(
                {
                    "indicator": ind,
                    "year": y,
                    "value": truth.loc[y, ind],
                    "basis": "level",
                    "vintage": "final",
                    "source": "synthetic",
                }
            )
    return scn, truth, hubinsim.Actuals.from_rows(rows, "synthetic.csv")  # fmt: skip


# --- reading -----------------------------------------------------------------------------


def test_the_illustrative_file_reads_and_says_it_is_illustrative():
    act = hubinsim.read_actuals(ILLUSTRATIVE)
    frame = act.frame()
    assert set(frame["source"].str.startswith("illustrative")) == {True}
    assert act.latest_full_year() == 2023
    figures = act.figures()
    est = figures[("gdp", 2024, "real_growth_pct")]  # the longest period to date wins
    assert est.status == "estimate" and est.note == "estimate from Q1-Q3"
    assert figures[("gdp", 2022, "level")].row.vintage == "final"
    rows = act.frame().set_index(["indicator", "year", "basis", "vintage"])["value"]
    preliminary = rows[("gdp", 2022, "level", "preliminary")]
    assert preliminary != rows[("gdp", 2022, "level", "final")]
    assert act.select("preliminary").figures()[("gdp", 2022, "level")].value == preliminary


def test_a_byte_order_mark_and_left_out_columns_are_fine(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("\ufeffindicator,year,value,basis\ngdp,2021,320,level\n", encoding="utf-8")
    row = hubinsim.read_actuals(path).rows[0]
    assert (row.period, row.vintage, row.value, row.line) == ("year", "preliminary", 320.0, 2)


def test_a_level_and_a_growth_rate_that_disagree_are_warned_about(tmp_path):
    path = actuals_file(
        tmp_path / "a.csv",
        [["retail_sales", 2021, "year", "100.0", "level", "", ""],
         ["retail_sales", 2022, "year", "105.0", "level", "", ""],
         ["retail_sales", 2022, "year", "5.0", "nominal_growth_pct", "", ""]],
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hubinsim.read_actuals(path)  # 5.0 % is 105 / 100: no warning
    path = actuals_file(
        tmp_path / "b.csv",
        [["retail_sales", 2021, "year", "100.0", "level", "", ""],
         ["retail_sales", 2022, "year", "105.0", "level", "", ""],
         ["retail_sales", 2022, "year", "5.3", "nominal_growth_pct", "", ""]],
    )  # fmt: skip
    with pytest.warns(UserWarning, match="give 5.00 %"):
        hubinsim.read_actuals(path)


BAD = {
    "unknown indicator": (["gpd", 2021, "year", "1", "level", "", ""], ":2:1:", "'gdp'"),
    "unknown basis": (["gdp", 2021, "year", "1", "real", "", ""], ":2:5:", "real_growth_pct"),
    "unknown period": (["gdp", 2021, "Q4", "1", "level", "", ""], ":2:3:", "Q1-Q3"),
    "non-numeric value": (["gdp", 2021, "year", "n/a", "level", "", ""], ":2:4:", "a number"),
    "year outside the run": (["gdp", 2019, "year", "280", "level", "", ""], ":2:2:", "2020..2026"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_actuals_file_exits_2_naming_file_line_and_column(case, short, tmp_path):
    row, where, hint = BAD[case]
    path = actuals_file(tmp_path / "bad.csv", [row])
    out = tmp_path / "out"
    res = invoke("evaluate", short, "--actuals", path, "--out", out, "--no-charts")
    assert res.exit_code == 2, res.output
    assert f"bad.csv{where}" in res.output and hint in res.output
    assert "Traceback" not in res.output and leftovers(out) == []


def test_a_figure_given_twice_in_the_same_vintage_exits_2(short, tmp_path):
    row = ["gdp", 2021, "year", "1", "level", "final", ""]
    path = actuals_file(tmp_path / "dup.csv", [row, row])
    res = invoke("evaluate", short, "--actuals", path, "--out", tmp_path / "o", "--no-charts")
    assert res.exit_code == 2 and "dup.csv:3:6:" in res.output and "first on line 2" in res.output


def test_an_actuals_file_is_read_as_a_file_and_only_then(short, tmp_path):
    """A folder, a named pipe (never opened: reading it would block) and a GBK file exit 2
    with the file named; the sha256 recorded is that of the bytes read."""
    import os

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("indicator,year,value,basis\ngdp,2021,320,level,公报\n".encode("gbk"))
    for path, said in ((tmp_path, "a folder"), (pipe, "a named pipe"), (gbk, "gbk.csv:2:")):
        res = invoke("evaluate", short, "--actuals", path, "--out", tmp_path / "o")
        assert res.exit_code == 2 and said in res.output, res.output
        assert "Traceback" not in res.output
    act = hubinsim.read_actuals(ILLUSTRATIVE)
    import hashlib

    assert act.sha256 == hashlib.sha256(ILLUSTRATIVE.read_bytes()).hexdigest()
    assert act.select("final").sha256 == act.sha256


def test_every_problem_of_a_file_is_reported_together(tmp_path):
    path = actuals_file(tmp_path / "bad.csv", [v[0] for v in BAD.values()])
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.read_actuals(path)
    assert len(info.value.problems) == 4  # the year is checked against a run


# --- re-projection -----------------------------------------------------------------------


def test_a_restart_reproduces_the_actual_figures_in_its_year(synthetic):
    scn, truth, act = synthetic
    ev = hubinsim.evaluate(scn, act)
    assert ev.start_year == 2023
    for ind in ("gdp", "va_tertiary", "fai", "fiscal_revenue", "retail_sales", "population",
                "unemployment_rate_pct", "industrial_va_above_scale"):  # fmt: skip
        assert ev.reprojection.loc[2023, ind] == pytest.approx(truth.loc[2023, ind], rel=1e-12)
        assert (
            ev.flags.loc[2022, ind] == "actual" and ev.path.loc[2022, ind] == truth.loc[2022, ind]
        )
    assert ev.flags.loc[2022, "rd_intensity_pct"] == "model"
    record = ev.anchor_table.set_index("figure")
    assert record.loc["gdp", "status"] == "actual"
    assert record.loc["working_age_share", "status"] == "model"  # carried, and listed


def test_a_restart_from_the_scenarios_own_figures_continues_its_run(tmp_path):
    """Actual figures equal to the run's own record: the re-projection is the run."""
    scn = hubinsim.make_scenario(name="own", end=2026, levers={"vouchers": 1.0})
    run = hubinsim.simulate(scn).annual
    rec = hubinsim.start_record(2023, scn)
    rows = [{"indicator": k, "year": 2023, "value": rec[k], "basis": "level"}
            for k in ("gdp", "va_tertiary", "fai", "retail_sales")]  # fmt: skip
    ev = hubinsim.evaluate(scn, hubinsim.Actuals.from_rows(rows))
    np.testing.assert_allclose(ev.path.loc[2024:, "gdp"], run.loc[2024:, "gdp"], rtol=1e-9)


def test_add_factors_pass_through_the_latest_actual_and_fade_linearly(synthetic):
    scn, truth, act = synthetic
    ev = hubinsim.evaluate(scn, act, anchor="fade=2")
    orig = ev.original.annual
    factors = ev.anchor_table.set_index("indicator")
    ratio = truth.loc[2023, "gdp"] / orig.loc[2023, "gdp"]
    assert factors.loc["gdp", "add_factor"] == pytest.approx(ratio)
    assert factors.loc["gdp", "zero_from"] == 2025
    assert ev.path.loc[2023, "gdp"] == pytest.approx(truth.loc[2023, "gdp"])
    half = orig.loc[2024, "gdp"] * (1 + (ratio - 1) / 2)
    assert ev.path.loc[2024, "gdp"] == pytest.approx(half)
    assert ev.path.loc[2025, "gdp"] == orig.loc[2025, "gdp"]
    points = truth.loc[2023, "unemployment_rate_pct"] - orig.loc[2023, "unemployment_rate_pct"]
    assert factors.loc["unemployment_rate_pct", "kind"] == "points"
    assert ev.path.loc[2024, "unemployment_rate_pct"] == pytest.approx(
        orig.loc[2024, "unemployment_rate_pct"] + points / 2
    )


def test_growth_rates_build_a_missing_level_with_the_models_deflator(tmp_path):
    scn = hubinsim.make_scenario(name="g", end=2026)
    orig = hubinsim.simulate(scn).annual
    rows = [{"indicator": "gdp", "year": 2021, "value": "5", "basis": "real_growth_pct"}]
    ev = hubinsim.evaluate(scn, hubinsim.Actuals.from_rows(rows), anchor="fade=1")
    deflator = (orig.loc[2021, "gdp"] / orig.loc[2021, "gdp_real"]) / (
        orig.loc[2020, "gdp"] / orig.loc[2020, "gdp_real"]
    )
    assert ev.path.loc[2021, "gdp"] == pytest.approx(orig.loc[2020, "gdp"] * 1.05 * deflator)
    assert ev.flags.loc[2021, "gdp"] == "estimate"


@pytest.fixture(scope="module")
def with_draws(synthetic):
    scn, _truth, act = synthetic
    return hubinsim.evaluate(scn, act, draws=9, seed=3)


def test_draws_give_probabilities_and_a_band(with_draws):
    ev = with_draws
    # in percent, as every other percentage column; none where a lever decides the figure
    # and no actual figure is given (R&D intensity here: test_no_probability_...)
    withheld = ev.table["marks"].str.contains("no probability")
    assert withheld.sum() < len(ev.table)
    probs = ev.table.loc[~withheld, "probability_pct"]
    assert probs.notna().all() and ((probs >= 0) & (probs <= 100)).all()
    assert (probs * 9 / 100).round(9).map(float.is_integer).all()  # a share of 9 members
    band = ev.band["gdp"]
    assert (band.loc[2024:, "p5"] <= band.loc[2024:, "p95"]).all()
    assert band.loc[2023, "p5"] == pytest.approx(band.loc[2023, "p95"])  # the actual figure


def test_with_draws_the_projected_figure_is_the_median_and_the_verdict_agrees(with_draws, tmp_path):
    ev = with_draws
    for ind in ("gdp", "retail_sales", "share_tertiary_pct"):
        np.testing.assert_allclose(ev.path.loc[2024:, ind], ev.band[ind].loc[2024:, "p50"])
    for _, row in ev.table[~ev.table["comparison"].str.contains("every")].iterrows():
        median = ev.band[row["indicator"]].loc[row["target_year"], "p50"]
        if row["unit"] in ("firms", "persons"):  # a count is judged whole
            median = round(median)
        assert row["projected"] == pytest.approx(median)
        median_meets = (
            row["projected"] >= row["target"]
            if row["comparison"] == ">="
            else row["projected"] <= row["target"]
        )
        assert median_meets == (row["probability_pct"] >= 50)  # 9 members: the 5th decides
        if (
            row["reason"] == "the re-projection meets the target"
            or "probability of" in row["reason"]
        ):
            assert (row["verdict"] != "on track") or median_meets
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False)
    sheet = pd.read_excel(
        written.path / "evaluation.xlsx", sheet_name=0, nrows=0, header=TITLE_ROWS
    )
    assert any("median of 9 draws" in c for c in sheet.columns)
    assert "median of 9 draws" in (written.path / "evaluation.md").read_text(encoding="utf-8")


def test_with_draws_a_count_from_a_base_before_the_start_is_each_members_own(synthetic):
    """A count of a later plan counts from its base year: with draws each member's count
    since then is its own count less its own count of the base year (the years before the
    restart are each member's), not less the path's figure of the base year, so the
    probability and the median rest on the same members' counts."""
    from hubinsim.data import Target

    scn, _truth, act = synthetic
    cum = "new_urban_jobs_cumulative"
    res = hubinsim.simulate(scn, actuals=act, draws=9, seed=3)
    years = list(res.years)
    counts = np.round(res.values[cum][years.index(2025)]) - np.round(
        res.values[cum][years.index(2022)]
    )
    for target in np.sort(counts)[[2, 4, 6]]:
        tg = Target(cum, float(target), 2025, ">=", None, "persons", "made", "", plan="made",
                    base_year=2022)  # fmt: skip
        row = hubinsim.evaluate(scn, act, targets=[tg], draws=9, seed=3).table.iloc[0]
        assert row["projected"] == pytest.approx(np.median(counts))
        assert row["probability_pct"] == pytest.approx(np.mean(counts >= target) * 100)


def test_growth_needed_is_measured_from_the_latest_actual_year(synthetic):
    scn, truth, act = synthetic
    row = hubinsim.evaluate(scn, act).table.set_index("indicator").loc["retail_sales"]
    assert row["latest_year"] == 2023
    assert row["growth_needed"] == pytest.approx(
        ((150 / truth.loc[2023, "retail_sales"]) ** 0.5 - 1) * 100
    )
    assert row["time_progress_pct"] == pytest.approx(60.0)
    assert row["target_progress_pct"] == pytest.approx(
        (truth.loc[2023, "retail_sales"] - 96.5) / (150 - 96.5) * 100
    )


def test_a_period_to_date_estimate_is_the_latest_figure_and_marked(short):
    """Retail sales of 2024 known from their Q1-Q3 growth only: the estimate is the latest
    figure, marked; a target with no actual keeps the time progress of the latest full year."""
    table = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE).table
    rows = table.set_index("indicator")
    retail = rows.loc["retail_sales"]
    assert retail["latest_year"] == 2024 and retail["latest_status"] == "estimate"
    given = hubinsim.read_actuals(ILLUSTRATIVE).figures()
    level_2023 = given[("retail_sales", 2023, "level")].value
    growth_2024 = given[("retail_sales", 2024, "nominal_growth_pct")].value
    assert retail["latest_actual"] == pytest.approx(level_2023 * (1 + growth_2024 / 100))
    assert retail["time_progress_pct"] == pytest.approx(80.0)
    assert rows.loc["rd_intensity_pct", "time_progress_pct"] == pytest.approx(60.0)


def test_a_sectors_share_and_gdp_give_its_level(tmp_path):
    """Bulletins give the structure (三次产业结构) and GDP: the tertiary value added of that
    year is their product, and it is what the 200 亿元 target is judged by."""
    scn = hubinsim.make_scenario(name="g", end=2026)
    rows = [
        {"indicator": "gdp", "year": 2022, "value": "330", "basis": "level"},
        {"indicator": "gdp", "year": 2023, "value": "352", "basis": "level"},
        {"indicator": "va_tertiary", "year": 2022, "value": "193.1", "basis": "level"},
        {"indicator": "va_tertiary", "year": 2023, "value": "58.5", "basis": "share_pct"},
    ]
    ev = hubinsim.evaluate(scn, hubinsim.Actuals.from_rows(rows))
    row = ev.table.set_index("indicator").loc["va_tertiary"]
    assert row["latest_year"] == 2023
    assert row["latest_actual"] == pytest.approx(0.585 * 352)
    assert row["verdict"] == "achieved"
    used = ev.actuals_used.set_index(["indicator", "year"])
    assert used.loc[("va_tertiary", 2023), "basis"] == "level (derived)"
    assert used.loc[("va_tertiary", 2023), "note"] == "share_tertiary_pct x gdp"


def test_the_charts_show_every_figure_also_after_the_restart(short):
    """The 2024 retail sales estimated from their Q1-Q3 growth come after the restart in
    2023: a hollow point on the chart all the same."""
    from hubinsim.plots.evaluation import evaluation_chart

    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    assert ev.start_year == 2023
    figs = ev.figures.set_index(["indicator", "year"])
    assert figs.loc[("retail_sales", 2024), "status"] == "estimate"
    fig = evaluation_chart(ev, "retail_sales")
    points = {
        coll.get_label(): {int(x) for x, _y in coll.get_offsets()}
        for coll in fig.axes[0].collections
    }
    assert points["actual"] == {2021, 2022, 2023}
    assert points["estimate"] == {2024}


def test_another_plans_targets_come_from_a_file(synthetic, tmp_path):
    scn, _truth, act = synthetic
    path = tmp_path / "plan15.csv"
    path.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,plan,kind\n"
        "gdp,420,2026,>=,,亿元,15th FYP draft,15th,binding\n",
        encoding="utf-8",
    )
    table = hubinsim.evaluate(scn, act, targets=path).table
    assert list(table["indicator"]) == ["gdp"] and table.loc[0, "plan"] == "15th"
    assert table.loc[0, "kind"] == "binding"


def test_targets_beyond_the_run_are_named_not_dropped_silently(short, tmp_path):
    act = hubinsim.read_actuals(ILLUSTRATIVE)
    scn = hubinsim.load_scenario(short)  # to 2026: park_gross_output@2035 is beyond it
    table = hubinsim.evaluate(scn, act).table  # the 2035 vision's: no warning
    assert 2035 not in set(table["target_year"])
    given = hubinsim.data.load_targets()
    with pytest.warns(UserWarning, match=r"park_gross_output@2035 are left out"):
        hubinsim.evaluate(scn, act, targets=given)
    path = tmp_path / "plan15.csv"
    path.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,plan\n"
        "gdp,500,2030,>=,,亿元,15th FYP,15th\n",
        encoding="utf-8",
    )
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--targets", path,
                 "--out", tmp_path / "o", "--no-charts")  # fmt: skip
    assert res.exit_code == 2 and "gdp@2030" in res.output and "[time]" in res.output
    assert leftovers(tmp_path / "o") == []


# --- verdicts ----------------------------------------------------------------------------

M = RULES.margin_pp


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (Case(achieved=True, target_progress=100, time_progress=60), "achieved"),
        (Case(target_progress=60 + M, time_progress=60), "ahead"),
        (Case(target_progress=60 + M - 0.01, time_progress=60), "on_track"),
        (Case(target_progress=60 - M, time_progress=60), "on_track"),
        (Case(target_progress=60 - M - 0.01, time_progress=60, projection_meets=True), "on_track"),
        (Case(target_progress=20, time_progress=60, probability=RULES.p_on_track), "on_track"),
        (Case(target_progress=20, time_progress=60, needed=6.0, projected_rate=5.0), "behind"),
        (Case(target_progress=20, time_progress=60, needed=6.01, projected_rate=5.0), "at_risk"),
        (
            Case(
                target_progress=20,
                time_progress=60,
                measure="points",
                needed=0.6,
                projected_rate=0.3,
            ),
            "behind",
        ),  # fmt: skip
        (
            Case(
                target_progress=20,
                time_progress=60,
                measure="points",
                needed=0.6,
                projected_rate=0.29,
            ),
            "at_risk",
        ),  # fmt: skip
        (  # R&D: 31 % of the way with 40 % of the time gone, the re-projection flat
            Case(
                target_progress=31,
                time_progress=40,
                measure="points",
                needed=0.3,
                projected_rate=0.0,
            ),
            "at_risk",
        ),  # fmt: skip
        (
            Case(
                target_progress=20,
                time_progress=60,
                measure="count",
                needed=7000,
                projected_rate=6300,
            ),
            "behind",
        ),  # fmt: skip
        (
            Case(
                target_progress=20,
                time_progress=60,
                measure="count",
                needed=7000,
                projected_rate=6299,
            ),
            "at_risk",
        ),  # fmt: skip
        (Case(target_progress=20, time_progress=60, probability=RULES.p_at_risk), "behind"),
        (
            Case(target_progress=20, time_progress=60, probability=RULES.p_at_risk - 0.01),
            "at_risk",
        ),  # fmt: skip
    ],
)
def test_each_verdict_rule_at_its_boundaries(case, expected):
    assert verdict(case)[0] == expected


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (Case(every_year=True, missed_year=2022, projection_meets=True), "at_risk"),
        (Case(every_year=True, projection_meets=True, worst_gap=-0.1), "on_track"),
        (Case(every_year=True, worst_gap=RULES.every_year_pp), "behind"),
        (Case(every_year=True, worst_gap=RULES.every_year_pp + 0.01), "at_risk"),
        (Case(every_year=True, worst_gap=0.1, probability=0.05), "at_risk"),
    ],
)
def test_every_year_targets_have_their_own_rules(case, expected):
    assert verdict(case)[0] == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "case",
    [
        Case(every_year=True, worst_gap=0.3, probability=0.05),
        Case(keep=True, worst_gap=0.2, headroom=0.1, probability=0.05),
        Case(every_year=True, probability=0.05),
    ],
)
def test_a_target_at_risk_by_its_probability_alone_says_so(case, lang):
    """An every-year target or a kept bound whose worst gap is within the limit (or unknown)
    is at risk only because few draws meet it: its reason gives the probability, not a gap
    "beyond the limit" that the figures contradict (0.30 points "(> 0.5)") or "nan"."""
    code, reason = verdict(case, lang=lang)
    assert code == "at_risk" and rule_of(case) == "low_probability"
    assert "5.0" in reason and "0.30" not in reason and "0.20" not in reason
    assert "nan" not in reason


@pytest.mark.parametrize(
    ("achieved", "probability", "settled"),
    [
        (5.6, math.nan, True),  # retail: 25.1 %/yr needed after 5.6 %/yr: out of reach
        (5.6, 0.0, True),  # the same with draws: at risk by the probability
        (24.5, math.nan, False),  # the actual pace would nearly do: the re-projection decides
        (math.nan, math.nan, False),  # no actual pace to read
    ],
)
def test_an_at_risk_verdict_is_settled_by_the_actuals_when_their_own_pace_misses_too(
    achieved, probability, settled
):
    case = Case(
        target_progress=43.7, time_progress=80.0, needed=25.1, projected_rate=4.3,
        projected=125.1, target=150.0, probability=probability, achieved_rate=achieved,
    )  # fmt: skip
    assert verdict(case)[0] == "at_risk"
    assert settled_by_actuals(case) is settled


# --- the folder and the command ----------------------------------------------------------


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag in ("script", "link") or (tag == "img" and not a["src"].startswith("data:")):
            self.links.append(tag)


def test_the_command_writes_csv_xlsx_markdown_and_a_self_contained_page(short, tmp_path):
    out = tmp_path / "out"
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", out, "--lang", "zh")
    assert res.exit_code == 0, res.output
    folder = out / "evaluate-short"
    table = pd.read_csv(folder / "evaluation.csv", encoding="utf-8-sig")
    assert "评估结论" in table.columns and "指标名称" in table.columns
    assert set(table["评估结论"]) <= {"提前实现", "快于预期", "符合预期", "滞后", "难以完成"}
    from openpyxl import load_workbook

    wb = load_workbook(folder / "evaluation.xlsx")
    assert wb.sheetnames[0] == "评估表" and wb["评估表"].freeze_panes == f"A{TITLE_ROWS + 2}"
    assert "所用实际数据" in wb.sheetnames and "运行记录" in wb.sheetnames
    sheet = pd.read_excel(folder / "evaluation.xlsx", sheet_name="评估表", header=TITLE_ROWS)
    assert ["实际数据", *sheet.columns] == list(table.columns) and len(sheet) == len(table)
    page = _Page()
    page.feed((folder / "evaluation.html").read_text(encoding="utf-8"))
    assert len(page.images) == len(list((folder / "charts").glob("*.png"))) > 0
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert page.links == []  # nothing fetched
    assert "2,02" not in (folder / "evaluation.html").read_text(encoding="utf-8")  # years
    assert ",2023.0," not in (folder / "evaluation.csv").read_text(encoding="utf-8-sig")
    assert "难以完成" in (folder / "evaluation.md").read_text(encoding="utf-8")
    assert "评估结论" in res.output or "结论" in res.output


def test_chinese_throughout_under_zh(short, tmp_path):
    """Under --lang zh the cells a reader reads are Chinese too: the rule that gave each
    verdict, the every-year requirement, the plan, the growth units, the figures' period,
    basis and vintage; the terminal prints the rules and marks an estimate."""
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path, "--lang",
                 "zh", "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "自2023年重新起步" in res.output and "评估结论规则" in res.output
    assert "(2024 估计)" in res.output  # retail sales from their Q1-Q3 growth
    book = tmp_path / "evaluate-short" / "evaluation.xlsx"
    table = pd.read_excel(book, sheet_name="评估表", header=TITLE_ROWS).set_index("指标代码")
    assert "评估结论(中文)" not in table.columns
    from openpyxl import load_workbook

    sheet = load_workbook(book)["评估表"]
    head = [c.value for c in sheet[TITLE_ROWS + 1]]
    code = head.index("指标代码")
    rows = sheet.iter_rows(min_row=TITLE_ROWS + 2)
    row = next(r for r in rows if r[code].value == "va_tertiary")
    cell = row[head.index("目标值")]
    assert cell.value == 200 and cell.number_format.endswith('"亿元"')  # the unit shown
    assert table.loc["unemployment_rate_pct", "目标要求"] == "≤ 2021年起每年"  # as the reasons
    retail = table.loc["retail_sales"]  # the reason gives its figures, as the table rounds them
    assert retail["依据"] == (
        f"需年均增长 {retail['所需年均增长']:.2f}%,重新预测 {retail['预测年均增长']:.2f}%,"
        "差距超过 1 个百分点"
    )
    assert table.loc["retail_sales", "增长单位"] == "%/年"
    assert table.loc["retail_sales", "规划"] == "十四五规划"
    assert table.loc["retail_sales", "最新值性质"] == "估计"
    used = pd.read_excel(book, sheet_name="所用实际数据")
    q3 = used[(used["指标代码"] == "retail_sales") & (used["年份"] == 2024)].iloc[0]
    assert (q3["期间"], q3["口径"], q3["版本"]) == ("前三季度", "现价增速(%)", "初步核算")
    assert q3["说明"] == "由前三季度累计增速估计"
    basis = used.groupby("指标代码")["口径"].first()  # a rate or share is no 总量(现价)
    assert basis["unemployment_rate_pct"] == "比率(%)"
    assert basis["population"] == "总量" and basis["gdp"] == "总量(现价)"
    text = "".join(str(v) for v in table.to_numpy().ravel())
    assert not [w for w in ("every", "progress", "/yr", "projection") if w in text]


def test_the_markdown_marks_estimates_and_lists_the_add_factors(short, tmp_path):
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path,
                 "--anchor", "fade=2", "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(2024 est.)" in res.output and "The verdict rules:" in res.output
    md = (tmp_path / "evaluate-short" / "evaluation.md").read_text(encoding="utf-8")
    assert "| latest status |" in md and "| estimate |" in md
    factors = md[md.index("## Add-factors") :]
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, anchor="fade=2")
    for ind in ev.anchor_table["indicator"]:
        assert f"| {ind} |" in factors


def test_the_api_gives_what_the_command_writes(short, tmp_path):
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0, res.output
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    written = pd.read_csv(tmp_path / "evaluate-short" / "evaluation.csv", encoding="utf-8-sig")
    assert list(written["verdict"]) == list(ev.table["verdict"])
    # the file rounded for reading (counts whole, the rest to two decimals)
    np.testing.assert_allclose(written["projected"], ev.table["projected"], atol=0.5)
    assert (written["projected"].round(2) == written["projected"]).all()


def test_an_anchor_other_than_restart_or_fade_exits_2(short, tmp_path):
    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--anchor", "fade",
                 "--out", tmp_path, "--no-charts")  # fmt: skip
    assert res.exit_code == 2 and "fade=N" in res.output


# --- the economics of the table ----------------------------------------------------------

JOBS = [["new_urban_jobs", y, "year", v, "level", "final", "bureau"]
        for y, v in ((2021, 7350), (2022, 6900), (2023, 7120))]  # fmt: skip


@pytest.mark.parametrize("anchor", ["restart", "fade=2"])
def test_annual_new_jobs_give_the_cumulative_figure_from_the_plans_first_year(
    anchor, short, tmp_path
):
    path = actuals_file(tmp_path / "jobs.csv", [*JOBS, ["gdp", 2023, "year", "349.4", "level",
                                                        "", ""]])  # fmt: skip
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), path, anchor=anchor)
    name = "new_urban_jobs_cumulative"
    assert ev.path.loc[2023, name] == pytest.approx(21370) and ev.flags.loc[2023, name] == "actual"
    assert ev.path.loc[2022, name] == pytest.approx(14250)
    row = ev.table.set_index("indicator").loc[name]
    assert (row["latest_actual"], row["latest_year"]) == (pytest.approx(21370), 2023)
    assert row["target_progress_pct"] == pytest.approx(21370 / 35000 * 100)
    assert row["growth_needed"] == pytest.approx((35000 - 21370) / 2)
    assert row["verdict"] == "on track"
    # the re-projection goes on from the actual count: the model's own jobs of 2024 added
    jobs = ev.path.loc[2024, "new_urban_jobs"]
    assert ev.path.loc[2024, name] == pytest.approx(21370 + jobs, rel=1e-9)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (Case(target_progress=60, time_progress=60, needed=6.01, projected_rate=5.0), "at_risk"),
        (Case(target_progress=60, time_progress=60, needed=6.0, projected_rate=5.0), "on_track"),
        (Case(target_progress=80, time_progress=60, needed=6.01, projected_rate=5.0), "at_risk"),
        (Case(target_progress=31, time_progress=40, probability=0.0), "at_risk"),
        (Case(target_progress=31, time_progress=40, probability=RULES.p_at_risk), "on_track"),
        (
            Case(
                target_progress=60,
                time_progress=60,
                projection_meets=True,
                needed=9,
                projected_rate=1,
            ),
            "on_track",
        ),  # fmt: skip
    ],
)
def test_a_reprojection_that_clearly_fails_comes_before_progress(case, expected):
    """R&D 1.6 % in 2022: 31 % of the way with 40 % of the time gone, and no draw reaches
    2.5 %: at risk, not on track because its progress keeps pace."""
    assert verdict(case)[0] == expected


def test_the_rules_are_printed_in_the_order_they_are_tried():
    from hubinsim.analysis.verdicts import LEVEL_RULES, VERDICTS

    for lang, which in (("en", 1), ("zh", 0)):
        texts = hubinsim.analysis.verdicts.rule_texts(lang=lang)
        names = [VERDICTS[code][which] for code, _rule in LEVEL_RULES]
        assert VERDICTS["completed"][0] in texts[0]  # the final rule is tried first
        assert [t.split(" ")[0].split(":")[0] for t in texts[1 : 1 + len(names)]] == [
            n.split(" ")[0] for n in names
        ]
    assert [code for code, _rule in LEVEL_RULES][:2] == ["achieved", "at_risk"]


def test_a_lever_set_figure_measured_before_the_restart_is_carried_with_a_warning(short, tmp_path):
    path = actuals_file(tmp_path / "rd.csv", [["gdp", 2023, "year", "349.4", "level", "", ""],
                                              ["rd_intensity_pct", 2022, "year", "1.6", "level",
                                               "", ""]])  # fmt: skip
    with pytest.warns(UserWarning, match=r"rd_intensity_pct: .* 1\.6 \(2022\), is carried to 2023"):
        ev = hubinsim.evaluate(hubinsim.load_scenario(short), path)
    record = ev.anchor_table.set_index("figure").loc["rd_intensity_pct"]
    assert record["value"] == pytest.approx(1.6) and "2022" in record["note"]
    assert ev.path.loc[2023, "rd_intensity_pct"] == pytest.approx(1.6)
    assert ev.path.loc[2022, "rd_intensity_pct"] == pytest.approx(1.6)


def test_under_zh_the_warnings_are_led_by_jinggao_and_the_carried_lever_is_said_in_chinese(
    short, tmp_path
):
    path = actuals_file(tmp_path / "rd.csv", [["gdp", 2023, "year", "349.4", "level", "", ""],
                                              ["rd_intensity_pct", 2022, "year", "1.6", "level",
                                               "", ""]])  # fmt: skip
    res = invoke("evaluate", short, "--actuals", path, "--out", tmp_path / "o", "--no-charts",
                 "--lang", "zh")  # fmt: skip
    assert res.exit_code == 0, res.output
    said = [s for s in res.output.splitlines() if s.startswith("警告: rd_intensity_pct")]
    assert said and "2023年没有实际数据" in said[0] and "1.6(2022年)" in said[0], res.output
    assert "Warning:" not in res.output
    res = invoke("evaluate", short, "--actuals", path, "--out", tmp_path / "e", "--no-charts")
    assert "Warning: rd_intensity_pct: no actual figure of 2023" in res.output


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (Case(keep=True, headroom=0.6, worst_gap=-0.7, projection_meets=True), "on_track"),
        (Case(keep=True, headroom=-0.1, worst_gap=-0.2, projection_meets=True), "behind"),
        (Case(keep=True, headroom=0.6, worst_gap=RULES.every_year_pp), "behind"),
        (Case(keep=True, headroom=0.6, worst_gap=RULES.every_year_pp + 0.01), "at_risk"),
        (Case(keep=True, headroom=0.6, worst_gap=0.1, probability=0.05), "at_risk"),
    ],
)
def test_a_bound_the_base_already_keeps_has_its_own_rules(case, expected):
    assert verdict(case)[0] == expected


def test_a_ceiling_without_every_year_is_judged_as_a_ceiling(short, tmp_path):
    """Unemployment <= 3.8 % in 2025 from 3.5 % in 2020, 3.2 % in 2023: kept within the
    bound, on track with its headroom; not achieved early, and no progress of -100 %."""
    targets = tmp_path / "ceiling.csv"
    targets.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,plan,kind\n"
        "unemployment_rate_pct,3.8,2025,<=,,%,test,14th,binding\n",
        encoding="utf-8",
    )
    rows = [["unemployment_rate_pct", y, "year", v, "level", "", ""]
            for y, v in ((2020, "3.5"), (2021, "3.1"), (2022, "3.5"), (2023, "3.2"))]  # fmt: skip
    path = actuals_file(
        tmp_path / "u.csv", [*rows, ["gdp", 2023, "year", "349.4", "level", "", ""]]
    )
    row = hubinsim.evaluate(hubinsim.load_scenario(short), path, targets=targets).table.iloc[0]
    assert row["verdict"] == "on track", row["reason"]
    assert "0.60 of headroom" in row["reason"]
    assert np.isnan(row["target_progress_pct"]) and np.isnan(row["growth_needed"])


@pytest.fixture(scope="module")
def to_2030():
    return hubinsim.make_scenario(name="to2030", end=2030)


def test_a_later_plans_targets_are_measured_from_its_base_year(to_2030, tmp_path, monkeypatch):
    """A 15th-plan file (base 2025, targets 2030): progress and time progress from 2025; a
    cumulated count from the years after 2025."""
    monkeypatch.setattr("hubinsim.run.restart.this_year", lambda: 2028)
    targets = tmp_path / "plan15.csv"
    targets.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,plan,kind,base_year,"
        "base_value\n"
        "retail_sales,180,2030,>=,,亿元,draft,15th,expected,,\n"
        "va_tertiary,300,2030,>=,,亿元,draft,15th,expected,2025,250\n"
        "new_urban_jobs_cumulative,40000,2030,>=,,persons,draft,15th,expected,,\n"
        "fiscal_revenue,20,2030,>=,,亿元,draft,15th,expected,,\n",
        encoding="utf-8",
    )
    rows = [["retail_sales", y, "year", v, "level", "", ""]
            for y, v in ((2025, "125"), (2026, "130"), (2027, "136"))]  # fmt: skip
    rows += [["fiscal_revenue", 2027, "year", "15", "level", "", ""]]
    rows += [["new_urban_jobs", y, "year", "7000", "level", "", ""] for y in range(2021, 2028)]
    path = actuals_file(tmp_path / "a.csv", rows)
    table = hubinsim.evaluate(to_2030, path, targets=targets).table.set_index("indicator")
    retail = table.loc["retail_sales"]
    assert (retail["base_year"], retail["base"]) == (2025, pytest.approx(125))
    assert retail["time_progress_pct"] == pytest.approx(40.0)
    assert retail["target_progress_pct"] == pytest.approx((136 - 125) / (180 - 125) * 100)
    assert table.loc["va_tertiary", "base"] == 250  # as the plan prints it
    assert "base: the model's figure" in table.loc["fiscal_revenue", "marks"]  # no 2025 actual
    assert "model" not in table.loc["retail_sales", "marks"]  # its 2025 figure is actual
    jobs = table.loc["new_urban_jobs_cumulative"]
    assert jobs["latest_actual"] == pytest.approx(14000)  # 2026 and 2027
    assert jobs["target_progress_pct"] == pytest.approx(35.0)


@pytest.mark.parametrize(
    ("cells", "problem"),
    [("2030,,", "base_year': must be a year in 2020..2029"),
     ("2019,,", "must be a year in 2020..2060"),
     ("2025,2025,", "each_year_from': must be after the base year 2025")],
)  # fmt: skip
def test_a_base_year_not_before_the_target_is_refused(cells, problem, tmp_path):
    base_year, first, _ = cells.split(",")
    path = tmp_path / "bad.csv"
    path.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,base_year\n"
        f"retail_sales,180,2030,>=,{first},亿元,draft,{base_year}\n",
        encoding="utf-8",
    )
    with pytest.raises(hubinsim.DataError, match=problem):
        hubinsim.data.read_targets(path)


def test_a_share_that_contradicts_the_levels_gives_way_to_them_as_the_warning_says(short, tmp_path):
    path = actuals_file(tmp_path / "s.csv", [["gdp", 2021, "year", "318.6", "level", "", ""],
                                             ["va_tertiary", 2021, "year", "182.3", "level", "",
                                              ""],
                                             ["va_tertiary", 2021, "year", "70.0", "share_pct",
                                              "", ""]])  # fmt: skip
    with pytest.warns(UserWarning, match="the levels are used"):
        act = hubinsim.read_actuals(path)
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), act)
    row = ev.table.set_index("indicator").loc["share_tertiary_pct"]
    assert row["latest_actual"] == pytest.approx(182.3 / 318.6 * 100)
    assert ev.path.loc[2021, "share_tertiary_pct"] == pytest.approx(182.3 / 318.6 * 100)
    assert row["verdict"] != "achieved"


def figures_file(path, *figures):
    """An actuals file of full-year figures (indicator, year, value[, basis[, period]])."""
    rows = [[f[0], f[1], f[4] if len(f) > 4 else "year", f[2], f[3] if len(f) > 3 else "level",
             "", ""] for f in figures]  # fmt: skip
    return actuals_file(path, rows)


def in_year(monkeypatch, year):
    """A scenario to 2030, evaluated as if this were ``year``."""
    monkeypatch.setattr("hubinsim.run.restart.this_year", lambda: year)
    return hubinsim.make_scenario(name="s", end=2030)


def test_figures_no_bulletin_can_have_published_yet_are_refused(monkeypatch, tmp_path):
    scn = in_year(monkeypatch, 2024)
    path = figures_file(tmp_path / "f.csv", ("gdp", 2023, "349.4"), ("gdp", 2024, "365"),
                        ("gdp", 2026, "400"),
                        ("gdp", 2024, "4.9", "real_growth_pct", "Q1-Q3"))  # fmt: skip
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.evaluate(scn, path)
    problems = info.value.problems
    assert len(problems) == 2  # the Q1-Q3 growth of 2024 is fine
    assert "f.csv:3:2:" in problems[0] and "not over (this is 2024)" in problems[0]
    assert "f.csv:4:2:" in problems[1] and "a year to come" in problems[1]


def test_a_level_that_contradicts_the_real_growth_is_warned_with_both_figures(short, tmp_path):
    path = figures_file(tmp_path / "g.csv", ("gdp", 2021, "318.6"), ("gdp", 2022, "1,234.5"),
                        ("gdp", 2022, "3.5", "real_growth_pct"))  # fmt: skip
    with (
        pytest.warns(UserWarning, match=r"g\.csv:3: gdp 2022: 1234\.5 after 318\.6 \(2021, "),
        pytest.warns(
            UserWarning,
            match=r"g\.csv:4: gdp 2022: real growth 3\.5 % but the levels "
            r"318\.6 \(2021, line 2\) and 1234\.5 \(2022, line 3\) give 2[0-9]{2}\.\d %",
        ),
    ):
        hubinsim.evaluate(hubinsim.load_scenario(short), path)
    ok = figures_file(tmp_path / "ok.csv", ("gdp", 2021, "318.6"), ("gdp", 2022, "332.5"),
                      ("gdp", 2022, "3.5", "real_growth_pct"))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hubinsim.evaluate(hubinsim.load_scenario(short), ok)


def test_a_target_is_judged_by_the_figures_up_to_its_year(monkeypatch, tmp_path):
    """Figures to 2026 and a 2025 target: judged by 2025, and a warning where 2025 itself
    has no figure of the indicator."""
    scn = in_year(monkeypatch, 2027)
    path = figures_file(tmp_path / "t.csv", ("retail_sales", 2025, "140"),
                        ("retail_sales", 2026, "155"), ("va_tertiary", 2024, "230"),
                        ("gdp", 2026, "420"))  # fmt: skip
    with pytest.warns(UserWarning, match="va_tertiary 2025: the actual figures go to 2026"):
        table = hubinsim.evaluate(scn, path).table.set_index("indicator")
    retail = table.loc["retail_sales"]
    assert (retail["latest_year"], retail["latest_actual"]) == (2025, 140)
    assert retail["verdict"] != "achieved"


def test_a_period_to_date_estimate_far_from_the_reprojection_is_said_in_its_row(short, tmp_path):
    """Restarted from 2023, with 2024 known from Q1-Q3: the estimate is the latest figure;
    the row says when the re-projection of 2024 is more than the stated distance from it."""
    from hubinsim.analysis.evaluation import ESTIMATE_TOLERANCE

    scn = hubinsim.load_scenario(short)
    full = [["gdp", 2023, "year", "349.4", "level", "", ""]]
    name = "industrial_va_above_scale_growth_pct"
    plain = hubinsim.evaluate(scn, actuals_file(tmp_path / "a.csv", full))
    projected = plain.path.loc[2024, name]
    near = projected + ESTIMATE_TOLERANCE["points"] - 0.05
    far = projected + ESTIMATE_TOLERANCE["points"] + 0.05
    for value, said in ((near, False), (far, True)):
        rows = [*full, ["industrial_va_above_scale", 2024, "Q1-Q3", f"{value:.4f}",
                        "real_growth_pct", "", ""]]  # fmt: skip
        ev = hubinsim.evaluate(scn, actuals_file(tmp_path / "b.csv", rows))
        assert ev.start_year == 2023
        row = ev.table.set_index("indicator").loc[name]
        assert (row["latest_year"], row["latest_status"]) == (2024, "estimate")
        assert bool(row["estimate_check"]) == said, row["estimate_check"]
        if said:
            assert f"the 2024 estimate is {value:.2f}" in row["estimate_check"]


def test_rows_not_resting_on_the_plan_or_on_actual_figures_are_marked(short, tmp_path):
    """The firm count's target is derived by the project; the park has no actual figure;
    the tertiary share's base is the plan's 57.8, not the data's 57.76."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    rows = ev.table.set_index("indicator")
    assert "derived by the project" in rows.loc["enterprises_above_scale", "marks"]
    assert "model alone" in rows.loc["park_gross_output", "marks"]
    assert rows.loc["va_tertiary", "marks"] == ""
    assert rows.loc["share_tertiary_pct", "base"] == 57.8
    zh = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    written = hubinsim.write_evaluation(zh, tmp_path, charts=False, lang="zh")
    sheet = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="评估表", header=TITLE_ROWS)
    marks = dict(zip(sheet["指标代码"], sheet["标注"].fillna(""), strict=True))
    assert "本项目推算" in marks["enterprises_above_scale"]
    assert "仅依据模型" in marks["park_gross_output"]


def test_the_title_block_calls_the_scenario_by_its_title(tmp_path):
    """The evaluation's title names the scenario by its title (its ``title_zh``
    under zh, its ``title`` in English); the folder keeps the scenario's name."""
    text = SHORT.format(name="short", vouchers=1.0).replace(
        'name = "short"', 'name = "short"\ntitle = "Short run"\ntitle_zh = "短期情景"'
    )
    scn = hubinsim.load_scenario(write_text(tmp_path / "short.toml", text))
    for lang, title in (("zh", "规划实施评估:短期情景"), ("en", "Plan evaluation: Short run")):
        ev = hubinsim.evaluate(scn, ILLUSTRATIVE, lang=lang)
        written = hubinsim.write_evaluation(ev, tmp_path / lang, charts=False, lang=lang)
        assert written.path.name == "evaluate-short"
        md = (written.path / "evaluation.md").read_text(encoding="utf-8")
        assert md.splitlines()[0] == f"# {title}"
        from openpyxl import load_workbook

        assert load_workbook(written.path / "evaluation.xlsx").worksheets[0]["A1"].value == title
    res = invoke(
        "evaluate", tmp_path / "short.toml", "--actuals", ILLUSTRATIVE, "--out",
        tmp_path / "cli", "--lang", "zh", "--no-charts",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "情景 短期情景 对照" in res.output


PUSH = """[scenario]
name = "push"
description = "firms attracted and R&D raised: levers with no actual figure"

[time]
end = 2026

[industry]
firms_attracted = 4.0

[innovation]
rd_intensity_pct = 2.5
"""


def test_verdicts_without_actual_figures_that_the_levers_decide_rest_on_the_scenario(tmp_path):
    """Firms, R&D and jobs have no actual figure; the scenario's levers move them (the firms
    and R&D follow a lever, the jobs its programme): the marks say the verdict rests on the
    scenario's assumptions, in the table, the CSV, the xlsx and the terminal; business as
    usual's jobs rest on the model alone."""
    push = tmp_path / "push.toml"
    push.write_text(PUSH, encoding="utf-8")
    ev = hubinsim.evaluate(hubinsim.load_scenario(push), ILLUSTRATIVE)
    marks = ev.table.set_index("indicator")["marks"]
    for ind in ("enterprises_above_scale", "rd_intensity_pct", "new_urban_jobs_cumulative"):
        assert "rests on the scenario's assumptions" in marks[ind], ind
        assert "model alone" not in marks[ind]
    assert marks["va_tertiary"] == ""  # an actual figure: no mark
    usual = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    marks = usual.table.set_index("indicator")["marks"]
    assert "model alone" in marks["new_urban_jobs_cumulative"]
    assert "scenario's assumptions" in marks["rd_intensity_pct"]  # a lever's figure
    out = tmp_path / "runs"
    res = invoke("evaluate", push, "--actuals", ILLUSTRATIVE, "--out", out, "--no-charts",
                 "--lang", "zh")  # fmt: skip
    assert res.exit_code == 0, res.output
    lines = [s for s in res.output.splitlines() if s.startswith("  - 研发经费投入强度")]
    assert lines and "依据情景假设:未有实际数据" in lines[0], res.output
    assert "符合预期 *" in res.output or "难以完成 *" in res.output
    folder = out / "evaluate-push"
    for table in (
        pd.read_csv(folder / "evaluation.csv", encoding="utf-8-sig"),
        pd.read_excel(folder / "evaluation.xlsx", sheet_name="评估表", header=TITLE_ROWS),
    ):
        zh = dict(zip(table["指标代码"], table["标注"].fillna(""), strict=True))
        decided = dict(zip(table["指标代码"], table["决定因素"], strict=True))
        assert decided["rd_intensity_pct"] == "政策杠杆" and decided["va_tertiary"] == "实际数据"
        for ind in ("enterprises_above_scale", "rd_intensity_pct", "new_urban_jobs_cumulative"):
            assert "依据情景假设:未有实际数据" in zh[ind], ind
            assert "仅依据模型" not in zh[ind]


def test_a_jump_from_the_latest_actual_year_is_said_with_both_figures(tmp_path):
    """The push's attracted firms carried into the restart make above-scale growth jump from
    4.6 % actual in 2023 to about 17 % re-projected in 2024: the evaluation says so, naming
    the indicator and both figures, in the terminal and the Markdown; business as usual
    from the same figures does not jump."""
    push = tmp_path / "push.toml"
    push.write_text(PUSH.replace("rd_intensity_pct = 2.5", ""), encoding="utf-8")
    ev = hubinsim.evaluate(hubinsim.load_scenario(push), ILLUSTRATIVE)
    growth = ev.path.loc[2024, "industrial_va_above_scale_growth_pct"]
    assert growth - 4.6 > 3.0  # the case: a jump beyond the stated distance
    said = [c for c in ev.checks if c.startswith("industrial_va_above_scale_growth_pct:")]
    assert len(said) == 1 and "4.60 (2023)" in said[0] and f"{growth:.2f} in 2024" in said[0]
    usual = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    assert not [c for c in usual.checks if "above_scale" in c], usual.checks
    out = tmp_path / "runs"
    res = invoke("evaluate", push, "--actuals", ILLUSTRATIVE, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "Warning: the re-projection departs from the actual figures" in res.output
    assert said[0] in res.output
    assert said[0] in (out / "evaluate-push" / "evaluation.md").read_text(encoding="utf-8")
    # in Chinese every distance and its limit carry their unit, and a level its own
    zh = hubinsim.evaluate(hubinsim.load_scenario(push), ILLUSTRATIVE, lang="zh").checks
    assert zh and all(re.search(r"超过 [0-9.]+ ?(个百分点|%)", c) for c in zh), zh
    level = [c for c in zh if c.startswith("规模以上工业增加值:")]
    assert level and "亿元)" in level[0], zh


@pytest.mark.parametrize(("shift", "said"), [(-2.5, True), (2.5, True), (0.5, False)])
def test_a_period_to_date_figure_the_re_projection_contradicts_is_said(shift, said, tmp_path):
    """GDP of 2024 known from its Q1-Q3 growth (no target judges it): a re-projection more
    than 1 point from it is said, with both figures; within 1 point, nothing."""
    scn = hubinsim.make_scenario(name="usual", end=2026)
    plain = hubinsim.evaluate(scn, ILLUSTRATIVE)
    projected = plain.path.loc[2024, "gdp_real_growth_pct"]
    lines = ILLUSTRATIVE.read_text(encoding="utf-8").splitlines()
    kept = [s for s in lines if not s.startswith("gdp,2024")]
    value = projected + shift
    path = tmp_path / "a.csv"
    path.write_text("\n".join([*kept, f"gdp,2024,Q1-Q3,{value:.2f},real_growth_pct,,"]) + "\n",
                    encoding="utf-8")  # fmt: skip
    ev = hubinsim.evaluate(scn, path, lang="zh")
    found = [c for c in ev.checks if c.startswith("地区生产总值实际增速:")]
    assert bool(found) == said, ev.checks
    if said:
        assert f"2024年由期间累计数据估计为 {value:.2f}" in found[0]
        assert f"重新预测该年为 {projected:.2f}" in found[0]


def test_an_every_year_target_an_actual_year_missed_has_no_chance_left():
    """Above-scale growth >= 9 % every year: the illustrative 2021-2023 growth (6.4, 5.2,
    4.6 %) already missed it, so no draw can meet it in every year, whatever the draws give
    for 2024-2025: probability 0 % and the reason says it can no longer be met."""
    scn = hubinsim.make_scenario(name="push", end=2026, levers={"firms_attracted": 4.0})
    ev = hubinsim.evaluate(scn, ILLUSTRATIVE, draws=8, seed=1)
    row = ev.table.set_index("indicator").loc["industrial_va_above_scale_growth_pct"]
    assert row["verdict"] == "at risk"
    assert row["probability_pct"] == 0.0
    assert "missed in 2021" in row["reason"] and "can no longer be met" in row["reason"]
    left = ev.band.loc[[2024, 2025], ("industrial_va_above_scale_growth_pct", "p50")]
    assert (left >= 9.0).any()  # the case: the draws alone would meet it in the years left


def test_a_count_target_is_judged_and_shown_whole_as_the_scorecard_judges_it(tmp_path):
    """A count is whole: "at least 67.6 firms" is at least 68, and 67.55 projected are 68: the
    evaluation judges the count as the scorecard does (met), and its table, terminal and
    workbook show the same 68."""
    from hubinsim.analysis.evaluation import evaluation_table
    from hubinsim.cli.tables import evaluation_text
    from hubinsim.data import load_targets
    from hubinsim.results import scorecard

    firms = next(t for t in load_targets() if t.indicator == "enterprises_above_scale")
    assert firms.target == 67.6
    years = range(2020, 2026)
    path = pd.DataFrame({"enterprises_above_scale": np.linspace(46.0, 67.55, 6)}, index=years)
    table = evaluation_table([firms], path, None, {}, None, 2023, RULES, time_year=2023)
    row = table.iloc[0]
    assert (row["target"], row["projected"]) == (68.0, 68.0)
    assert row["verdict"] in ("on track", "ahead") and "meets the target" in row["reason"]
    card = scorecard(hubinsim.simulate(end=2025), [firms]).iloc[0]
    assert card["target"] == row["target"]
    text = evaluation_text(table)
    shown_table = text.split("\nMarks")[0]  # the marks explain the rounding
    assert ">= 68 " in shown_table and "67.6" not in shown_table and " 68.00 " not in text
    assert "the rule's 67.6 rounded up to whole firms" in text
    ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False)
    sheet = pd.read_excel(
        written.path / "evaluation.xlsx", sheet_name="evaluation", header=TITLE_ROWS
    )
    shown = sheet.set_index("indicator").loc["enterprises_above_scale", "target"]
    assert shown == ev.table.set_index("indicator").loc["enterprises_above_scale", "target"]


def test_a_reason_shows_progress_and_probability_as_the_columns_round_them():
    """The tertiary share at 99.5 % of the way: the reason says 99.5 %, as the progress column
    does, never 100 % (a target not met); a probability of 9.96 % is below 10 %, and so
    written."""
    case = Case(target_progress=99.52, time_progress=60.0, projection_meets=True,
                needed=0.0, projected_rate=0.1, projected=60.2, target=60.0)  # fmt: skip
    code, reason = verdict(case, RULES, "zh")
    assert code == "ahead"
    assert "目标进度 99.5%" in reason and "100" not in reason and "时间进度 60.0%" in reason
    code, reason = verdict(replace(case, target_progress=99.96), RULES, "en")
    assert "target progress 99.9 %" in reason and "100" not in reason
    low = Case(target_progress=40.0, time_progress=60.0, probability=0.0996, needed=5.0,
               projected_rate=4.9, projected=140.0, target=150.0)  # fmt: skip
    code, reason = verdict(low, RULES, "en")
    assert code == "at_risk" and "probability of meeting 9.9 % < 10 %" in reason
    # the columns of the files say the same (they showed 10.0 beside that reason)
    table = pd.DataFrame({"probability_pct": [9.96], "target_progress_pct": [99.96]})
    shown = for_reading(table).iloc[0]
    assert (shown["probability_pct"], shown["target_progress_pct"]) == (9.9, 99.9)


def test_the_sectors_of_the_years_before_the_restart_add_up_to_the_actual_gdp(tmp_path):
    """2021-2022 give GDP, primary and tertiary value added, not secondary: the evaluated
    path's secondary is what they leave of GDP (flagged estimate), not the original run's
    (7.48 + 130.63 + 186.2 = 324.3 against 317.3 before); figures that themselves do
    not add up are warned about and kept as given."""
    ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    path, flags = ev.path, ev.flags
    for year in (2021, 2022, 2023):
        sectors = path.loc[year, ["va_primary", "va_secondary", "va_tertiary"]].sum()
        assert sectors == pytest.approx(path.loc[year, "gdp"], rel=1e-9), year
        parts = path.loc[year, ["va_industry", "va_construction"]].sum()
        assert parts == pytest.approx(path.loc[year, "va_secondary"], rel=1e-9), year
        share = path.loc[year, "va_secondary"] / path.loc[year, "gdp"] * 100
        assert path.loc[year, "share_secondary_pct"] == pytest.approx(share, rel=1e-9)
    assert flags.loc[2021, "va_secondary"] == "estimate"
    assert flags.loc[2021, "va_tertiary"] == "actual"
    lines = ILLUSTRATIVE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "a.csv"
    path.write_text("\n".join([*lines, "va_secondary,2021,year,140.0,level,final,"]) + "\n",
                    encoding="utf-8")  # fmt: skip
    with (
        pytest.warns(UserWarning, match="actual figures of 2021 do not add up: .*make 333.68"),
        # and 2022's secondary sector, what GDP leaves, falls from the 140 given for 2021
        pytest.warns(UserWarning, match="va_secondary 2022 is what GDP leaves .* -5.7 % on"),
    ):
        ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), path)
    assert ev.path.loc[2021, "va_secondary"] == 140.0


def test_a_target_moved_only_by_the_scenarios_parameters_rests_on_its_assumptions():
    """A scenario that changes no lever but assumes a trend ([parameters]: faster industrial
    TFP growth) moves the park's output, which has no actual figure: that verdict rests on
    the scenario's assumptions, as a lever's would; before, a scenario without levers had
    every such verdict "on the model alone". Business as usual on its own parameters has no
    such mark."""
    trend = hubinsim.make_scenario(name="trend", end=2026, parameters={"tfp.growth_industry": 0.03})
    ev = hubinsim.evaluate(trend, ILLUSTRATIVE)
    marks = ev.table.set_index("indicator")["marks"]
    assert "scenario's assumptions" in marks["park_gross_output"]
    usual = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    assert (
        "scenario's assumptions"
        not in usual.table.set_index("indicator")["marks"]["park_gross_output"]
    )


def test_industry_and_construction_add_up_to_the_filled_secondary_when_one_is_actual(tmp_path):
    """A year with GDP, primary, tertiary and industry given but neither construction nor the
    secondary sector: construction takes what industry leaves of the secondary sector that
    GDP and the others leave (flagged estimate), and industry stays the actual figure.
    Before, both halves were scaled by the secondary sector's change, industry's actual
    figure being shown while the halves made 127.63 against a secondary of 123.62."""
    lines = ILLUSTRATIVE.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "a.csv"
    path.write_text("\n".join([*lines, "va_industry,2021,year,95.0,level,final,"]) + "\n",
                    encoding="utf-8")  # fmt: skip
    ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), path)
    row, flags = ev.path.loc[2021], ev.flags.loc[2021]
    assert row["va_industry"] == 95.0 and flags["va_industry"] == "actual"
    assert row["va_industry"] + row["va_construction"] == pytest.approx(
        row["va_secondary"], rel=1e-12
    )
    assert row["va_primary"] + row["va_secondary"] + row["va_tertiary"] == pytest.approx(
        row["gdp"], rel=1e-12
    )
    assert flags["va_construction"] == "estimate"


def test_the_title_block_names_the_actuals_file_and_says_when_it_is_illustrative(
    synthetic, tmp_path
):
    """The shipped example's figures are made by hubinsim: the title block of the Markdown
    and the page, and the terminal's second line, say so; a file of published figures is
    named without it."""
    out = tmp_path / "runs"
    usual = tmp_path / "usual.toml"
    usual.write_text('[scenario]\nname = "usual"\n\n[time]\nend = 2026\n', encoding="utf-8")
    res = invoke("evaluate", usual, "--actuals", ILLUSTRATIVE, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    second = res.output.splitlines()[1]
    assert "actuals_illustrative.csv" in second and "ILLUSTRATIVE" in second, res.output
    scn = hubinsim.make_scenario(name="usual", end=2026)
    ev = hubinsim.evaluate(scn, ILLUSTRATIVE, lang="zh")
    assert ev.illustrative and ev.record["actuals_illustrative"] is True
    folder = hubinsim.write_evaluation(ev, out, charts=False, lang="zh", force=True).path
    md = (folder / "evaluation.md").read_text(encoding="utf-8")
    head = md.split("## ")[0]
    assert "actuals_illustrative.csv" in head and "示例数据" in head and "不可用于正式评估" in head
    page = (folder / "evaluation.html").read_text(encoding="utf-8")
    assert "示例数据" in page.split("<h2>")[0]
    _scn, _truth, act = synthetic
    plain = hubinsim.evaluate(_scn, act)
    assert not plain.illustrative
    assert plain.source_text() == "Actual figures from synthetic.csv."
    nameless = replace(plain, record={**plain.record, "actuals": None})  # rows given in Python
    assert nameless.source_text() == "Actual figures given in Python."
    assert nameless.source_text("zh") == "实际数据在 Python 中给出。"


def test_a_file_with_some_illustrative_rows_is_flagged_illustrative(tmp_path):
    """The example copied and its 2023 rows replaced by published ones: the earlier years
    are still the example's made-up figures, so the evaluation says it is illustrative (it
    said so only where every row was)."""
    lines = ILLUSTRATIVE.read_text(encoding="utf-8").splitlines()
    mine = [
        line.replace("illustrative: made with hubinsim, not a published figure", "统计公报")
        if ",2023," in line
        else line
        for line in lines
    ]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(mine) + "\n", encoding="utf-8")
    acts = hubinsim.read_actuals(path)
    assert any("统计公报" in r.source for r in acts.rows)
    ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), acts)
    assert ev.illustrative and ev.record["actuals_illustrative"] is True


def test_a_rate_kept_every_year_needs_no_growth(tmp_path):
    """Unemployment <= 3.8 % every year needs no growth: no "growth needed 3.80 % each year"
    nor a "growth projected" of 3.27; above-scale growth >= 9 % every year needs 9 % a year."""
    ev = hubinsim.evaluate(hubinsim.make_scenario(name="usual", end=2026), ILLUSTRATIVE)
    rows = ev.table.set_index("indicator")
    jobless = rows.loc["unemployment_rate_pct"]
    assert math.isnan(jobless["growth_needed"]) and math.isnan(jobless["growth_projected"])
    assert jobless["growth_unit"] == ""
    assert rows.loc["industrial_va_above_scale_growth_pct", "growth_needed"] == 9.0
    from hubinsim.cli.tables import evaluation_text

    line = next(s for s in evaluation_text(ev.table).splitlines() if "unemployment" in s)
    assert "each year" not in line, line


def test_who_set_a_target_is_checked(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "indicator,target,year,comparison,each_year_from,unit,source,set_by\n"
        "retail_sales,180,2030,>=,,亿元,draft,us\n",
        encoding="utf-8",
    )
    with pytest.raises(hubinsim.DataError, match="set_by': must be one of plan, project"):
        hubinsim.data.read_targets(path)


def test_the_notes_of_counts_and_carried_figures_are_chinese_under_zh(short, tmp_path):
    path = figures_file(tmp_path / "n.csv", ("gdp", 2023, "349.4"),
                        ("rd_intensity_pct", 2022, "1.6"),
                        *[("new_urban_jobs", y, "7000") for y in (2021, 2022)])  # fmt: skip
    with pytest.warns(UserWarning, match="carried to 2023"):
        ev = hubinsim.evaluate(hubinsim.load_scenario(short), path, lang="zh")
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang="zh")
    sheets = pd.read_excel(written.path / "evaluation.xlsx", sheet_name=None)
    record = sheets["重新起步记录"].set_index("起步记录项")
    assert record.loc["rd_intensity_pct", "说明"].startswith("2022年最新实际值沿用至2023年")
    used = sheets["所用实际数据"]
    assert "新增城镇就业 2021-2022年逐年相加" in set(used["说明"])


def test_the_base_year_is_flagged_base_and_a_built_level_names_its_line(short, tmp_path):
    path = figures_file(tmp_path / "b.csv", ("gdp", 2021, "318.6"),
                        ("gdp", 2022, "3.5", "real_growth_pct"))  # fmt: skip
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), path)
    assert set(ev.flags.loc[2020]) == {"base"}
    assert ev.flags.loc[2021, "gdp"] == "actual" and ev.flags.loc[2021, "fai"] == "model"
    used = ev.actuals_used
    built = used[(used["indicator"] == "gdp") & (used["basis"] == "level (built)")]
    assert list(built["line"]) == [3]  # the real growth it was built from


# --- vintages and Chinese names ----------------------------------------------------------


def test_a_vintage_asked_keeps_a_figure_published_only_in_a_later_one(tmp_path, short):
    path = actuals_file(tmp_path / "v.csv", [
        ["gdp", 2021, "year", "318.6", "level", "final", "yearbook"],
        ["gdp", 2022, "year", "330.2", "level", "preliminary", "bulletin"],
        ["gdp", 2022, "year", "332.5", "level", "final", "yearbook"],
    ])  # fmt: skip
    act = hubinsim.read_actuals(path)
    chosen = act.select("preliminary")
    figures = chosen.figures()
    assert figures[("gdp", 2022, "level")].value == 330.2  # the vintage asked
    assert figures[("gdp", 2021, "level")].value == 318.6  # only final: kept, not dropped
    assert [(r.year, r.vintage) for r in chosen.later_vintage] == [(2021, "final")]
    with pytest.warns(UserWarning, match=r"gdp 2021 year \(final, line 2\)"):
        ev = hubinsim.evaluate(hubinsim.load_scenario(short), act, vintage="preliminary")
    assert ev.path.loc[2021, "gdp"] == pytest.approx(318.6)
    assert ev.flags.loc[2021, "gdp"] == "actual"


def test_the_chinese_names_the_table_prints_are_read_as_the_codes(tmp_path, short):
    ev_names = hubinsim.evaluate(
        hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh"
    ).table.set_index("indicator")["name"]
    rows = [[ev_names["va_tertiary"], 2021, "year", "182.3", "level", "", ""],
            ["国内生产总值", 2021, "year", "318.6", "level", "", ""],
            ["va_tertiary", 2022, "year", "190.1", "level", "", ""]]  # fmt: skip
    act = hubinsim.read_actuals(actuals_file(tmp_path / "zh.csv", rows))
    figures = act.figures()
    assert figures[("va_tertiary", 2021, "level")].value == 182.3
    assert figures[("gdp", 2021, "level")].value == 318.6
    assert act.frame()["written"].tolist()[:2] == ["第三产业增加值", "国内生产总值"]


def test_an_unknown_name_is_refused_with_the_names_in_both_languages(tmp_path):
    rows = [["第三产业增加", 2021, "year", "182.3", "level", "", ""],
            ["gpd", 2021, "year", "318.6", "level", "", ""]]  # fmt: skip
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.read_actuals(actuals_file(tmp_path / "bad.csv", rows))
    text = str(info.value)
    assert "bad.csv:2:1: column 'indicator': unknown indicator '第三产业增加'" in text
    first = next(line for line in text.splitlines() if "bad.csv:2:1" in line)
    assert "did you mean" in first and "第三产业增加值" in first
    assert "bad.csv:3:1" in text and "(the list: line 2)" in text
    assert "va_tertiary 第三产业增加值" in text and "gdp 地区生产总值" in text
    assert text.count("va_tertiary 第三产业增加值") == 1  # the list once, not on every line


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_table_of_the_folder_is_rounded_for_reading(short, tmp_path, lang):
    """Figures to two decimals at most (counts whole, a fraction of the restart record
    three), years whole, and no "[unit]" placeholder in a header."""
    import re

    from openpyxl import load_workbook

    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path, "--lang",
                 lang, "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    folder = tmp_path / "evaluate-short"
    table = pd.read_csv(folder / "evaluation.csv", encoding="utf-8-sig")
    for col in table.select_dtypes("number"):
        values = table[col].dropna()
        assert (values.round(2) == values).all(), col
    year = "target_year" if lang == "en" else "目标年份"
    assert table[year].dtype.kind == "i"
    book = load_workbook(folder / "evaluation.xlsx")
    for ws in book:
        head = [str(c.value) for c in ws[1]]
        assert not [h for h in head if "[unit]" in h or "[单位]" in h], ws.title
        places = 3 if ws.title in ("restart record", "重新起步记录") else 2
        for row in ws.iter_rows(min_row=2, values_only=True):
            for v in row:
                if isinstance(v, float):
                    assert round(v, places) == v, (ws.title, v)
    md = (folder / "evaluation.md").read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{4,}", md) and "2,02" not in md
    assert "[单位]" not in md and "[unit]" not in md
    units = {"en": ("firms", "persons"), "zh": ("家", "人")}[lang]
    assert all(f"| {u} |" in md for u in units)  # the unit column beside the figures


def test_a_target_whose_year_is_over_gets_a_final_verdict(monkeypatch, tmp_path):
    """Actual figures to 2025 (the final evaluation, 总结评估): a 2025 target is achieved or
    not, with its completion rate (for a ceiling, the target against the figure), no growth
    needed and no word of a re-projection or of later years; a target without an actual
    figure is judged by the model's, and says so."""
    scn = in_year(monkeypatch, 2026)
    path = figures_file(tmp_path / "a25.csv", ("retail_sales", 2024, "118"),
                        ("retail_sales", 2025, "126"), ("va_tertiary", 2025, "223.5"),
                        ("unemployment_rate_pct", 2025, "3.4"),
                        ("share_tertiary_pct", 2025, "58.36"),
                        ("gdp", 2025, "383"))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = hubinsim.evaluate(scn, path, lang="zh").table
    rows = table.set_index(["indicator", "target_year"])
    retail = rows.loc[("retail_sales", 2025)]
    assert retail["verdict"] == "未完成"
    assert retail["completion_pct"] == pytest.approx(126 / 150 * 100)
    assert retail["time_progress_pct"] == 100
    assert math.isnan(retail["growth_needed"]) and math.isnan(retail["growth_projected"])
    assert "完成率 84.0%" in retail["reason"] and "不计所需增长" in retail["reason"]
    assert rows.loc[("va_tertiary", 2025), "verdict"] == "已完成"
    share = rows.loc[("share_tertiary_pct", 2025)]
    assert (share["verdict"], round(share["completion_pct"], 1)) == ("未完成", 97.3)
    for _key, row in rows.iterrows():  # no row of 2025 speaks of later years or projections
        if _key[1] == 2025:
            assert row["verdict"] in ("已完成", "未完成", "待核实")
            assert "以后各年" not in row["reason"] and "重新预测" not in row["reason"]
    park = rows.loc[("park_gross_output", 2025)]  # no actual: the model's figure, for reference
    assert park["verdict"] == "待核实" and "模型值" in park["reason"]
    assert "仅供参考" in park["reason"]
    en = hubinsim.evaluate(scn, path).table.set_index(["indicator", "target_year"])
    assert en.loc[("retail_sales", 2025), "verdict"] == "not achieved"
    assert en.loc[("va_tertiary", 2025), "verdict"] == "achieved"


def test_a_target_whose_year_is_over_has_no_probability_with_draws(monkeypatch, tmp_path):
    """With draws, the rows of a year that is over show no probability of meeting the
    target (every member carries the same actual figure: 0 % or 100 % would mean nothing)."""
    scn = in_year(monkeypatch, 2026)
    path = figures_file(tmp_path / "a25.csv", ("retail_sales", 2025, "126"),
                        ("gdp", 2025, "383"))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = hubinsim.evaluate(scn, path, draws=4, seed=1).table
    over = table[table["target_year"] <= 2025]
    assert len(over) and over["probability_pct"].isna().all()


def test_a_ceilings_completion_rate_is_the_target_against_the_figure():
    from hubinsim.analysis.evaluation import _completion

    assert _completion(3.4, 3.8, "<=") == pytest.approx(3.8 / 3.4 * 100)
    assert _completion(126, 150, ">=") == pytest.approx(84.0)
    final = Case(final=True, completed=False, completion_pct=84.0, judged=126.0, year=2025)
    assert verdict(final, RULES)[0] == "not_completed"
    assert verdict(Case(final=True, completed=True, judged=1.0, year=2025), RULES)[0] == "completed"
    for completed in (True, False):  # no actual figure of the target year: not judged by the model
        code, reason = verdict(replace(final, completed=completed, from_model=True), RULES)
        assert code == "unverified" and "for reference" in reason


def test_a_reason_on_track_by_progress_says_when_the_reprojection_misses():
    """Jobs at 61 % of the way with 60 % of the time gone, the re-projection 33,831 against
    35,000 (short by less than the at-risk gap): on track, and the reason says the miss."""
    case = Case(target_progress=61, time_progress=60, measure="count", needed=6815,
                projected_rate=6500, projected=33831.0, target=35000.0)  # fmt: skip
    code, reason = verdict(case)
    assert code == "on_track" and "misses the target (33,831 against 35,000)" in reason
    assert "未达到目标(33,831,目标 35,000)" in verdict(case, lang="zh")[1]
    met = Case(target_progress=61, time_progress=60, projection_meets=True, projected=36000.0,
               target=35000.0)  # fmt: skip
    assert "misses" not in verdict(met)[1]


def test_a_level_of_a_period_to_date_is_listed_as_read_and_not_used(short, tmp_path):
    path = figures_file(tmp_path / "p.csv", ("gdp", 2023, "349.4"), ("retail_sales", 2023, "114"),
                        ("retail_sales", 2024, "84.6", "level", "Q1-Q3"))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = hubinsim.evaluate(hubinsim.load_scenario(short), path, lang="zh")
    used = ev.actuals_used
    q3 = used[(used["indicator"] == "retail_sales") & (used["period"] == "Q1-Q3")]
    assert len(q3) == 1 and q3.iloc[0]["status"] == "unused" and q3.iloc[0]["value"] == 84.6
    assert q3.iloc[0]["line"] == 4
    written = hubinsim.write_evaluation(ev, tmp_path, lang="zh")
    sheet = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="所用实际数据")
    row = sheet[(sheet["指标代码"] == "retail_sales") & (sheet["期间"] == "前三季度")].iloc[0]
    assert row["性质"] == "未使用" and "未使用" in row["说明"]


def test_illustrative_figures_are_flagged_on_the_main_sheet_the_csv_and_the_charts(short, tmp_path):
    """The evaluation sheet, the file most likely forwarded, opens with a title block (the
    scenario, the latest actual year, the actuals file, 示例数据); every row of the CSV and
    every chart's footer carry the flag; the file's English source is Chinese under zh."""
    from openpyxl import load_workbook

    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path, "--lang", "zh")
    assert res.exit_code == 0, res.output
    folder = tmp_path / "evaluate-short"
    book = load_workbook(folder / "evaluation.xlsx")
    top = [book["评估表"].cell(r, 1).value for r in range(1, TITLE_ROWS + 1)]
    assert top[0] == "规划实施评估:short" and "实际数据截至2024年" in top[1]
    assert "actuals_illustrative.csv" in top[2] and "示例数据" in top[2] and top[3] is None
    assert book["评估表"].cell(TITLE_ROWS + 1, 1).value == "指标名称"  # the header
    table = pd.read_csv(folder / "evaluation.csv", encoding="utf-8-sig")
    assert table.columns[0] == "实际数据" and table["实际数据"].str.startswith("示例数据").all()
    used = pd.read_excel(folder / "evaluation.xlsx", sheet_name="所用实际数据")
    assert set(used["来源"].dropna()) == {"示例数据:由本模型生成,并非公布数据"}
    from hubinsim.plots.evaluation import evaluation_chart

    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    fig = evaluation_chart(ev, "gdp", "zh")
    assert any("示例数据" in t.get_text() for t in fig.texts)
    published = tmp_path / "published.csv"
    published.write_text(ILLUSTRATIVE.read_text(encoding="utf-8").replace("illustrative", "x"))
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), published)
    assert not ev.illustrative
    assert not any("ILLUSTRATIVE" in t.get_text() for t in evaluation_chart(ev, "gdp").texts)
    written = hubinsim.write_evaluation(ev, tmp_path / "p", charts=False)
    table = pd.read_csv(written.path / "evaluation.csv", encoding="utf-8-sig")
    assert table.columns[0] == "indicator"


def test_the_jobs_chart_ends_with_the_plan_and_separates_thousands():
    """The 14th FYP's new jobs are cumulated over the plan's years: the chart of a run to 2035
    stops at 2025 (not at 96,000 jobs in 2035), and its axis reads 30,000, not 30000."""
    from hubinsim.plots.evaluation import evaluation_chart

    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    ev = hubinsim.evaluate(scenario, ILLUSTRATIVE)
    assert ev.path.index[-1] == 2035
    fig = evaluation_chart(ev, "new_urban_jobs_cumulative")
    ax = fig.axes[0]
    assert max(max(line.get_xdata()) for line in ax.get_lines()) == 2025
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("," in t for t in labels) and not any(re.fullmatch(r"\d{5,}", t) for t in labels)


def test_with_draws_the_chart_draws_the_original_projection_as_the_members_median(with_draws):
    """The re-projection of a chart with draws is the members' median (in the start year
    too, where the model gives the figure): the original projection beside it is theirs too,
    not the single run's, so the gap between the two lines is the actual figures' doing."""
    from hubinsim.plots.evaluation import evaluation_chart

    ev, cum = with_draws, "new_urban_jobs_cumulative"
    fig = evaluation_chart(ev, cum)
    dashed = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    x, y = dashed[0].get_xdata(), dashed[0].get_ydata()
    np.testing.assert_allclose(y, ev.original_band[cum].loc[list(x), "p50"])
    assert not np.allclose(y, ev.original.annual[cum].loc[list(x)])


def test_the_rules_give_the_margin_of_a_level_from_their_parameter():
    """ "for a level: 0.5 % of the bound": the figure, in both languages, is the rule's own."""
    from hubinsim.analysis.verdicts import Rules, rule_texts

    rules = Rules(every_year_pp=0.7)
    assert "(for a level: 0.7 % of the bound)" in rule_texts(rules, "en")[-1]
    assert "(总量类为目标值的 0.7%)" in rule_texts(rules, "zh")[-1]
    assert "百分之几" not in "".join(rule_texts(RULES, "zh"))


def test_the_reasons_of_at_risk_give_their_figures():
    """The pace needed, the pace projected and the allowed gap, in each measure's unit."""
    growth = Case(needed=25.1, projected_rate=4.9, projected=125.0, target=150.0)
    assert verdict(growth, RULES, "zh") == (
        "at_risk",
        "需年均增长 25.10%,重新预测 4.90%,差距超过 1 个百分点",
    )
    assert "25.10 %/yr against 4.90 %/yr" in verdict(growth, RULES)[1]
    points = replace(growth, measure="points", needed=0.5, projected_rate=0.1)
    assert "需年均提高 0.50 个百分点,重新预测 0.10 个百分点" in verdict(points, RULES, "zh")[1]
    count = replace(growth, measure="count", needed=7000.0, projected_rate=5000.0)
    assert "7,000 a year needed against 5,000" in verdict(count, RULES)[1]
    every = Case(every_year=True, worst_gap=4.2)
    assert verdict(every, RULES, "zh")[1] == "重新预测最差年份差距 4.20 个百分点(> 0.5)"


def test_cells_that_would_mislead_are_left_empty_or_explained(short, tmp_path):
    """An achieved target needs no growth (not -5.38 %/yr); an every-year target with no
    actual figure has no progress (not 0.0 %); the firm target's growth needed is the plan's
    8.00 %/yr to its rule's 67.6, and its mark says 68 rounds 67.6; a row whose
    re-projection jumps from the latest actual is marked, beside its verdict."""
    scn = hubinsim.load_scenario(short)
    table = hubinsim.evaluate(scn, ILLUSTRATIVE).table.set_index("indicator")
    assert table.loc["va_tertiary", "verdict"] == "achieved"
    assert math.isnan(table.loc["va_tertiary", "growth_needed"])
    firms = table.loc["enterprises_above_scale"]
    assert firms["target"] == 68
    assert firms["growth_needed"] == pytest.approx(((67.6 / 46) ** 0.2 - 1) * 100, abs=0.01)
    assert "rule's 67.6 rounded up" in firms["marks"]
    path = figures_file(tmp_path / "g.csv", ("gdp", 2021, "318.6"), ("gdp", 2022, "332.5"))
    every = hubinsim.evaluate(scn, path).table.set_index("indicator")
    assert math.isnan(every.loc["industrial_va_above_scale_growth_pct", "target_progress_pct"])
    push = tmp_path / "push.toml"
    push.write_text(PUSH.replace("rd_intensity_pct = 2.5", ""), encoding="utf-8")
    ev = hubinsim.evaluate(hubinsim.load_scenario(push), ILLUSTRATIVE, lang="zh")
    row = ev.table.set_index("indicator").loc["industrial_va_above_scale_growth_pct"]
    assert "重新预测由2023年最新实际值 4.60" in row["marks"] and "(见核对)" in row["marks"]
    assert row["marks"].count("最新实际值") == 1  # said once, not twice
    assert "见核对" not in ev.table.set_index("indicator").loc["retail_sales", "marks"]
    assert ("industrial_va_above_scale_growth_pct", 2024) in ev.jumps  # and on its chart
    from hubinsim.plots.evaluation import evaluation_chart

    fig = evaluation_chart(ev, "industrial_va_above_scale_growth_pct", "zh")
    assert any("跳变" in t.get_text() for t in fig.axes[0].texts)
    assert not any("跳变" in t.get_text() for t in evaluation_chart(ev, "gdp", "zh").axes[0].texts)


def test_a_final_evaluation_shows_the_completion_rate_and_no_later_checks(monkeypatch, tmp_path):
    """Actual figures to 2025: the terminal shows the completion rate (完成率) the files give,
    a 2024 actual carried to 2025 is called so (not a model value), and no check about a year
    after the last target year that is over is printed."""
    from hubinsim.analysis.evaluation import _relevant_checks
    from hubinsim.data import load_targets

    monkeypatch.setattr("hubinsim.run.restart.this_year", lambda: 2026)
    scn = tmp_path / "s.toml"
    scn.write_text(
        PUSH.replace("end = 2026", "end = 2027").replace("rd_intensity_pct = 2.5", ""),
        encoding="utf-8",
    )
    path = figures_file(tmp_path / "a25.csv", ("retail_sales", 2024, "118"),
                        ("retail_sales", 2025, "126"), ("gdp", 2025, "383"),
                        ("rd_intensity_pct", 2024, "1.85"))  # fmt: skip
    res = invoke("evaluate", scn, "--actuals", path, "--out", tmp_path, "--lang", "zh",
                 "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    head = next(s for s in res.output.splitlines() if s.startswith("指标"))
    assert "完成率" in head
    retail = next(s for s in res.output.splitlines() if s.startswith("社会消费品零售总额"))
    assert "84.0%" in retail  # 126 / 150
    with pytest.warns(UserWarning, match="carried to 2025"):
        ev = hubinsim.evaluate(hubinsim.load_scenario(scn), path, lang="zh")
    rd = ev.table.set_index("indicator").loc["rd_intensity_pct"]
    assert rd["verdict"] == "待核实" and "2024年实际值 1.85 沿用至2025年" in rd["reason"]
    assert "模型值" not in rd["reason"]
    targets = load_targets()
    items = [("new_urban_jobs", 2026, "jump", "x"), ("gdp", 2025, "estimate", "y"),
             ("park_gross_output", 2026, "jump", "z")]  # fmt: skip
    kept = _relevant_checks(items, targets, 2025)
    assert [c[0] for c in kept] == ["gdp", "park_gross_output"]  # the park has a 2035 target
    assert _relevant_checks(items, targets, 2024) == items  # mid-term: every check


def test_decided_by_says_the_actual_figures_where_they_settle_the_verdict(short, tmp_path):
    """决定因素 is 实际数据 where the verdict rests on actual figures (a target reached, a
    bound kept, progress measured on the latest actual, an every-year target missed, a
    target their own pace puts out of reach); it
    stays the targets file's where the model or a lever settles it; a one-line legend is in
    the rules sheet and the Markdown."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    table = ev.table.set_index("indicator")
    decided = table["decided_by"]
    assert decided["va_tertiary"] == "actual"  # 提前实现 on 223.4
    assert decided["unemployment_rate_pct"] == "actual"  # met in every actual year so far
    assert decided["industrial_va_above_scale_growth_pct"] == "actual"  # an actual year missed
    # at risk, and out of reach on the actual figures alone: the 2024 estimate 119.9 needs
    # 25.1 %/yr to reach 150 in 2025, after about 5.6 %/yr since 2020
    assert decided["retail_sales"] == "actual"
    assert decided["enterprises_above_scale"] == "lever"  # no actual figure
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang="zh")
    sheet = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="评估表", header=TITLE_ROWS)
    assert dict(zip(sheet["指标代码"], sheet["决定因素"], strict=True))["va_tertiary"] == "实际数据"
    rules = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="假设与规则")
    assert any(str(v).startswith("决定因素:实际数据 = ") for v in rules["说明"])
    md = (written.path / "evaluation.md").read_text(encoding="utf-8")
    assert "决定因素:实际数据 = 结论由实际数据决定" in md


def test_the_compare_terminal_explains_decided_by(short, short_alt, tmp_path):
    res = invoke("compare", short, short_alt, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "decided by: actual = the actual figures settle the verdict" in res.output
    # the jobs count's target is on the scorecard: what the count counts is said beside it
    assert (
        "re-hiring after a fall counts, as re-employed workers count in 城镇新增就业" in res.output
    )


def test_an_evaluation_without_draws_says_its_verdicts_rest_on_default_values():
    """A director reading a single run's verdicts learns that a verdict near its threshold
    can turn with the parameters, and how to get the probabilities; with draws, not."""
    scn = ILLUSTRATIVE.parents[1] / "scenarios" / "baseline.toml"
    one = hubinsim.evaluate(hubinsim.load_scenario(scn), ILLUSTRATIVE, lang="zh")
    assert any("单次运行" in a and "--draws" in a for a in one.assumptions)
    some = hubinsim.evaluate(hubinsim.load_scenario(scn), ILLUSTRATIVE, draws=4, seed=1)
    assert not any("A single run" in a for a in some.assumptions)


def test_the_evaluation_says_what_the_jobs_count_counts():
    """A fall and its recovery raise the gross new urban jobs (the shipped slowdown counts
    more than business as usual with fewer people at work): the evaluation's assumptions say
    so in both languages, as the compare terminal does beside its scorecard."""
    for lang, words in (
        ("en", "New urban jobs are the model's gross hires"),
        ("zh", "下滑后的重新雇用计入其中"),
    ):
        scenario = ILLUSTRATIVE.parents[1] / "scenarios" / "baseline.toml"
        ev = hubinsim.evaluate(hubinsim.load_scenario(scenario), ILLUSTRATIVE, lang=lang)
        assert any(words in a for a in ev.assumptions), lang


def test_the_plan_targets_left_out_are_named(short, tmp_path):
    """With the plan's own targets, the rules sheet, the Markdown and the page name the
    targets the model does not represent; with a targets file of the user's, nothing."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    assert (
        ev.not_evaluated.startswith("以下规划指标未纳入评估")
        and "失业人员再就业8000人" in ev.not_evaluated
    )
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang="zh")
    rules = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="假设与规则")
    assert ev.not_evaluated in set(rules["说明"])
    assert ev.not_evaluated in (written.path / "evaluation.md").read_text(encoding="utf-8")
    assert ev.not_evaluated in (written.path / "evaluation.html").read_text(encoding="utf-8")
    from hubinsim.data import load_targets

    mine = [t for t in load_targets() if t.year <= 2026]
    own = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, targets=mine)
    assert own.not_evaluated == ""


def test_the_workbook_and_markdown_read_cleanly(short, tmp_path):
    """Years without a thousands separator, one number of decimals per column, long text
    wrapped, the restart record with a unit column and its fractions in percent, no space
    inside Chinese, a run without draws said so and its time given, the figures used in
    the table's order, and the Markdown table with the requirement and the rule."""
    from openpyxl import load_workbook

    res = invoke("evaluate", short, "--actuals", ILLUSTRATIVE, "--out", tmp_path, "--lang", "zh",
                 "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    folder = tmp_path / "evaluate-short"
    book = load_workbook(folder / "evaluation.xlsx")
    run = {r[0].value: r[1] for r in book["运行记录"].iter_rows(min_row=2)}
    assert run["重新起步年份"].value == 2023 and "," not in run["重新起步年份"].number_format
    assert (
        run["抽样次数"].value == "单次运行(无抽样)" and run["随机种子"].value == "单次运行(无抽样)"
    )
    assert run["生成时间(世界协调时)"].value.startswith("20")
    sheet = book["评估表"]
    head = [c.value for c in sheet[TITLE_ROWS + 1]]
    rows = list(sheet.iter_rows(min_row=TITLE_ROWS + 2))
    for name in ("所需年均增长", "时间进度(%)"):  # by the unit: %/年 two decimals (25.10, 5.38)
        column = [r[head.index(name)] for r in rows if r[head.index("增长单位")].value == "%/年"]
        formats = {c.number_format for c in column if isinstance(c.value, float | int)}
        assert len(formats) == 1, (name, formats)
    reason = next(r[head.index("依据")] for r in sheet.iter_rows(min_row=TITLE_ROWS + 2))
    assert reason.alignment.wrap_text
    record = pd.read_excel(folder / "evaluation.xlsx", sheet_name="重新起步记录")
    record = record.set_index("起步记录项")
    assert record.loc["participation_rate", "单位"] == "%"
    assert 50 < record.loc["participation_rate", "数值"] < 90  # 70.9 %, not 0.709
    assert record.loc["population", "单位"] == "万人"
    assert not any(re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", str(n)) for n in record["说明"])
    used = pd.read_excel(folder / "evaluation.xlsx", sheet_name="所用实际数据")
    order = list(dict.fromkeys(used["指标代码"]))
    table = list(dict.fromkeys(pd.read_csv(folder / "evaluation.csv")["指标代码"]))
    evaluated = [i for i in order if i in table]
    assert (
        evaluated == [i for i in table if i in evaluated] and order[: len(evaluated)] == evaluated
    )
    md = (folder / "evaluation.md").read_text(encoding="utf-8")
    assert "| 目标要求 |" in md and "| 依据 |" in md and "≤ 2021年起每年" in md
    table_md = md.split("## ")[1]  # the evaluation table's section

    def cells(line):
        return [c.strip() for c in line.strip().strip("|").split("|")]

    header = cells(next(s for s in table_md.splitlines() if s.startswith("| 指标名称")))
    rows = [cells(s) for s in table_md.splitlines() if s.startswith("| ") and "指标名称" not in s]
    time = header.index("时间进度(%)")
    assert rows and all(re.fullmatch(r"\d+\.\d", r[time]) for r in rows)  # 60.0, not 60


def test_a_model_count_equal_to_the_latest_actual_is_not_called_carried(tmp_path):
    """The final example without its 2025 firms and with 52 in 2024: the restart record takes
    the firms from the original run (52.2, rounded to 52), so the reason names the model's
    figure; R&D, which the record carries from 2024, is still called carried."""
    final = ILLUSTRATIVE.parent / "actuals_final_illustrative.csv"
    lines = final.read_text(encoding="utf-8").splitlines()
    kept = [s for s in lines if not s.startswith("enterprises_above_scale,2025")]
    path = tmp_path / "f.csv"
    path.write_text("\n".join([*kept, "enterprises_above_scale,2024,year,52,level,final,x"]) + "\n",
                    encoding="utf-8")  # fmt: skip
    scenario = ILLUSTRATIVE.parents[1] / "scenarios" / "baseline.toml"
    with pytest.warns(UserWarning, match="carried to 2025"):
        ev = hubinsim.evaluate(scenario, path)
    assert ev.anchor_table.set_index("figure").loc["enterprises_above_scale", "status"] == "model"
    rows = ev.table.set_index(["indicator", "target_year"])
    firms = rows.loc[("enterprises_above_scale", 2025), "reason"]
    assert "the model's 52.00" in firms and "carried" not in firms
    assert "is carried to 2025" in rows.loc[("rd_intensity_pct", 2025), "reason"]


def test_the_docs_final_example_gives_the_figures_it_quotes():
    """docs/evaluation.md's final evaluation: 83.5 % and 89.7 % complete, R&D's 2024 actual
    carried, the park's 2025 target to be verified, no check about 2026."""
    final = ILLUSTRATIVE.parent / "actuals_final_illustrative.csv"
    scenario = ILLUSTRATIVE.parents[1] / "scenarios" / "baseline.toml"
    with pytest.warns(UserWarning, match="carried to 2025"):
        ev = hubinsim.evaluate(scenario, final)
    rows = ev.table.set_index(["indicator", "target_year"])
    assert round(rows.loc[("retail_sales", 2025), "completion_pct"], 1) == 83.5
    assert round(rows.loc[("enterprises_above_scale", 2025), "completion_pct"], 1) == 89.7
    rd = rows.loc[("rd_intensity_pct", 2025)]
    assert rd["verdict"] == "to be verified" and "actual, 1.85 (2024), is carried" in rd["reason"]
    assert rows.loc[("park_gross_output", 2025), "verdict"] == "to be verified"
    assert ev.illustrative and ev.checks == []
    docs = (ILLUSTRATIVE.parents[1] / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert "83.5 %" in docs and "89.7 %" in docs


# --- every warning and error of an evaluation under zh --------------------------------


def said_under(lang, scenario, path, tmp_path, *options):
    """What ``hubinsim evaluate`` prints in ``lang`` (its exit code and output)."""
    out = tmp_path / f"out-{lang}-{len(list(tmp_path.iterdir()))}"
    res = invoke("evaluate", scenario, "--actuals", path, "--out", out, "--no-charts",
                 "--lang", lang, *options)  # fmt: skip
    return res.exit_code, res.output


def warned(output: str, label: str) -> list[str]:
    return [s for s in output.splitlines() if s.startswith(f"{label}: ")]


@pytest.mark.parametrize(
    ("figures", "options", "zh_words", "en_words"),
    [
        (  # gdp 2022 only as the census has it, asked for the final vintage
            [("gdp", 2021, "318.6", "level", "final"), ("gdp", 2022, "332.5", "level", "census")],
            ("--vintage", "final"),
            [
                "数据版本 最终核实",
                "1 项数据没有最终核实或更早的版本",
                "gdp 2022年全年",
                "经济普查,第3行",
            ],
            ["vintage final: 1 figure(s) have no final", "gdp 2022 year (census, line 3)"],
        ),
        (  # a level in the wrong unit beside the real growth of its year
            [
                ("gdp", 2021, "318.6"),
                ("gdp", 2022, "1,234.5"),
                ("gdp", 2022, "3.5", "real_growth_pct"),
            ],
            (),
            [
                "gdp 2022年:可比价增速 3.5 %",
                "318.6(2021年,第2行)",
                "1234.5(2022年,第3行)",
                "平减指数",
                "相差超过 3 个百分点",
                "核对总量的年份和单位",
            ],
            [
                "gdp 2022: real growth 3.5 % but the levels 318.6 (2021, line 2)",
                "more than 3 points apart",
            ],
        ),
        (  # the three sectors given make more than GDP
            [
                ("gdp", 2021, "317.3"),
                ("va_primary", 2021, "7.48"),
                ("va_secondary", 2021, "140"),
                ("va_tertiary", 2021, "186.2"),
                ("gdp", 2022, "344.4"),
            ],
            (),
            ["2021年的实际数据加总不符", "va_secondary 140", "合计 333.68", "GDP 为 317.3"],
            ["the actual figures of 2021 do not add up", "make 333.68, GDP is 317.3"],
        ),
    ],
    ids=["later vintage", "real growth beside levels", "sectors not adding up"],
)
def test_under_zh_the_restart_warnings_are_chinese_with_their_figures(
    figures, options, zh_words, en_words, short, tmp_path
):
    rows = [[f[0], f[1], "year", f[2], f[3] if len(f) > 3 else "level",
             f[4] if len(f) > 4 else "final", ""] for f in figures]  # fmt: skip
    path = actuals_file(tmp_path / "a.csv", rows)
    code, output = said_under("zh", short, path, tmp_path, *options)
    assert code == 0, output
    assert "Warning" not in output, output
    said = [s for s in warned(output, "警告") if all(w in s for w in zh_words)]
    assert said, output
    code, output = said_under("en", short, path, tmp_path, *options)
    assert code == 0 and [s for s in warned(output, "Warning") if all(w in s for w in en_words)]


def test_under_zh_the_targets_warnings_are_chinese(short, tmp_path):
    """A plan of one's own: a target of 2022, judged by the run where the file gives no 2022
    figure, and one of 2035, beyond the run."""
    lines = (ILLUSTRATIVE.parents[1] / "data" / "targets.csv").read_text(encoding="utf-8")
    header, *rows = lines.splitlines()
    retail = next(r for r in rows if r.startswith("retail_sales,"))
    park = next(r for r in rows if r.startswith("park_gross_output,") and ",2035," in r)
    targets = write_text(tmp_path / "t.csv", "\n".join(
        [header, retail.replace(",2025,", ",2022,"), retail, park]))  # fmt: skip
    path = figures_file(tmp_path / "a.csv", ("gdp", 2023, "349.4"), ("retail_sales", 2021, "102.8"),
                        ("retail_sales", 2023, "114.3"))  # fmt: skip
    code, output = said_under("zh", short, path, tmp_path, "--targets", targets)
    assert code == 0, output
    texts = warned(output, "警告")
    assert any("retail_sales 2022年:实际数据截至2023年" in s and "原始运行2022年" in s
               for s in texts), output  # fmt: skip
    assert any("止于2026年" in s and "park_gross_output@2035" in s and "不在评估之内" in s
               for s in texts), output  # fmt: skip
    assert "Warning" not in output


@pytest.mark.parametrize(
    ("end", "figures", "options", "zh_words"),
    [
        (2026, [("gdp", 2024, "4.9", "real_growth_pct", "Q1-Q3")], (),
         ["没有可供重新起步的全年数据", "--anchor fade=N"]),
        (2026, [("gdp", 2023, "349.4")], ("--as-of", "2019"), ["应为 2020..2026 中的年份", "2019"]),
        (2026, [("gdp", 2023, "349.4")], ("--as-of", "2021"), ["没有2021年及以前年份的数据"]),
        (2023, [("gdp", 2023, "349.4")], (), ["没有规划目标落在运行年份 2020..2023 之内",
                                              "retail_sales@2025"]),
        (2026, [("gdp", 2023, "349.4")], ("--anchor", "fade=0"),
         ["'fade=0' 不是 restart 或 fade=N", "不小于 1 的整数年数"]),
    ],
    ids=["periods to date only", "as-of before the base", "nothing up to as-of", "no target",
         "anchor"],
)  # fmt: skip
def test_under_zh_an_evaluation_refused_says_why_in_chinese(
    end, figures, options, zh_words, tmp_path
):
    scenario = write_text(tmp_path / "s.toml", SHORT.format(name="s", vouchers=1.0).replace(
        "end = 2026", f"end = {end}"))  # fmt: skip
    path = figures_file(tmp_path / "a.csv", *figures)
    code, output = said_under("zh", scenario, path, tmp_path, *options)
    assert code == 2 and output.startswith("错误:"), output
    assert all(w in output for w in zh_words), output
    assert "Traceback" not in output and not list(tmp_path.glob("out-*/*"))


def test_a_restart_in_the_runs_last_year_is_refused_in_the_files_language(tmp_path):
    path = figures_file(tmp_path / "a.csv", ("gdp", 2024, "365"))
    scn = hubinsim.make_scenario(name="s", end=2024)
    for lang, words in (("zh", "最新全年数据的年份 2024年已是运行的最后一年"),
                        ("en", "the latest full year 2024 is the run's last")):  # fmt: skip
        with pytest.raises(hubinsim.ActualsError, match=words) as info:
            reproject(scn, hubinsim.read_actuals(path, lang=lang))
        assert info.value.lang == lang


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_probability_for_a_figure_the_scenario_decides_without_an_actual(tmp_path, lang):
    """With draws, a row whose figure the scenario's assumptions decide and that has no
    actual figure (R&D intensity set to 2.50 by the stimulus's lever: 100 % of the draws
    "meet" it) gives no probability: "—" in the terminal, the csv, the xlsx and the
    Markdown, the reason in its marks, and a verdict that reads the median, not the share of
    draws. A row with actual figures keeps its probability."""
    from hubinsim.cli.tables import evaluation_text

    stimulus = Path(__file__).resolve().parents[1] / "scenarios" / "stimulus.toml"
    ev = hubinsim.evaluate(stimulus, ILLUSTRATIVE, draws=8, seed=1, lang=lang)
    table = ev.table.set_index("indicator")
    rd, retail = table.loc["rd_intensity_pct"], table.loc["retail_sales"]
    assert math.isnan(rd["probability_pct"]) and math.isnan(rd["latest_actual"])
    assert ("不给达标概率" if lang == "zh" else "no probability of meeting") in rd["marks"]
    assert "%" not in rd["reason"]  # not "probability of meeting 100.0 % >= 50 %"
    assert retail["probability_pct"] == 0.0  # 119.9 in 2024 against 150 in 2025
    name = rd["name"] if lang == "zh" else "rd_intensity_pct"
    line = next(s for s in evaluation_text(ev.table, lang, 8).splitlines() if name in s)
    assert " — " in line and "100.0%" not in line
    written = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang=lang)
    header = "达标概率(%)" if lang == "zh" else "probability_pct"
    code = "指标代码" if lang == "zh" else "indicator"
    csv_table = pd.read_csv(written.path / "evaluation.csv", encoding="utf-8-sig")
    by_code = dict(zip(csv_table[code], csv_table[header], strict=True))
    assert by_code["rd_intensity_pct"] == "—" and float(by_code["retail_sales"]) == 0.0
    sheet = pd.read_excel(
        written.path / "evaluation.xlsx", sheet_name=0, header=TITLE_ROWS
    ).set_index(code)
    column = "达标概率(%)" if lang == "zh" else "probability of meeting (%)"
    assert sheet.loc["rd_intensity_pct", column] == "—"
    md = (written.path / "evaluation.md").read_text(encoding="utf-8")
    md_line = next(s for s in md.splitlines() if s.startswith(f"| {rd['name']} |"))
    assert "| — |" in md_line and "| 100 |" not in md_line


def test_the_annual_path_sheet_and_csv_give_each_year_actual_or_re_projected(short, tmp_path):
    """The workbook's 年度路径 and annual_path.csv: a row a year from 2020 to the run's end,
    the actual years marked 实际 with the file's figures, the rest 重新预测 with the
    re-projection's; headers by name and unit; the model's figures of an actual year named;
    the CSV the same table, UTF-8 with a BOM and the illustrative column."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    folder = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang="zh").path
    sheet = pd.read_excel(folder / "evaluation.xlsx", sheet_name="年度路径", header=TITLE_ROWS)
    end = ev.path.index[-1]
    assert list(sheet["年份"]) == list(range(2020, end + 1))
    status = dict(zip(sheet["年份"], sheet["实际/重新预测"], strict=True))
    assert [status[y] for y in (2020, 2021, 2023)] == ["实际"] * 3
    assert ev.start_year == 2023 and {status[y] for y in range(2024, end + 1)} == {"重新预测"}
    by_year = sheet.set_index("年份")
    figures = hubinsim.read_actuals(ILLUSTRATIVE).figures().items()
    given = {key[:2]: fig.value for key, fig in figures if key[2] == "level"}
    assert by_year.loc[2021, "地区生产总值(亿元)"] == given[("gdp", 2021)]
    assert by_year.loc[2022, "城镇登记失业率(%)"] == given[("unemployment_rate_pct", 2022)]
    assert by_year.loc[end, "地区生产总值(亿元)"] == round(ev.path.loc[end, "gdp"], 2)
    firms = by_year["规模以上工业企业数(家)"]
    assert (firms == firms.round()).all() and firms[end] == round(
        ev.path.loc[end, "enterprises_above_scale"]
    )
    assert "就业人数" in by_year.loc[2021, "实际年份中的模型值"]  # no actual employment given
    assert by_year["实际年份中的模型值"].loc[2024:].isna().all()
    raw = (folder / "annual_path.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    written = pd.read_csv(folder / "annual_path.csv", encoding="utf-8-sig")
    assert set(written["实际数据"]) == {"示例数据(并非公布数据),不可用于正式评估"}
    pd.testing.assert_frame_equal(written.drop(columns="实际数据"), sheet, check_dtype=False)


def test_with_draws_the_annual_path_says_its_re_projection_is_the_median(with_draws, tmp_path):
    folder = hubinsim.write_evaluation(with_draws, tmp_path, charts=False).path
    table = pd.read_csv(folder / "annual_path.csv", encoding="utf-8-sig")
    status = dict(zip(table["year"], table["actual or re-projected"], strict=True))
    assert status[2023] == "actual" and status[2024] == "re-projected (median of 9 draws)"
    gdp = table.set_index("year")["gross domestic product (亿元)"]
    assert gdp[2025] == round(with_draws.band["gdp"].loc[2025, "p50"], 2)
    said = table.set_index("year")["the model's figures in an actual year (median of 9 draws)"]
    assert "employment" in said[2023]


def test_with_draws_the_model_figures_of_the_actual_years_are_the_members_median(
    synthetic, with_draws
):
    """The model's figures of the actual years come from the same members as the median after
    the start: a cumulated count runs on from the median of the members' own counts (each
    member adds its years after the start to its own count of the years before), so it does
    not jump at the start year from the single run's count to the members' median. The
    figures the actuals give, or that are built from them, are those of a single run."""
    ev = with_draws
    start, cum = ev.start_year, "new_urban_jobs_cumulative"
    assert ev.flags.loc[start, cum] == "model"  # no actual figure gives the count
    assert ev.path.loc[start, cum] == pytest.approx(ev.band[cum].loc[start, "p50"])
    yearly = ev.band["new_urban_jobs"].loc[start + 1]
    step = ev.path.loc[start + 1, cum] - ev.path.loc[start, cum]
    assert yearly["p5"] <= step <= yearly["p95"]
    for year in range(2021, start):  # the members' original runs before the start
        for ind in ("employment", cum):
            assert ev.flags.loc[year, ind] == "model"
            assert ev.path.loc[year, ind] == pytest.approx(ev.original_band[ind].loc[year, "p50"])
    scn, _truth, act = synthetic
    single = hubinsim.evaluate(scn, act)
    given = ev.flags.loc[:start].isin(["actual", "estimate", "base"])
    assert given.to_numpy().sum() > 20
    pd.testing.assert_frame_equal(ev.path.loc[:start][given], single.path.loc[:start][given])


def test_the_restart_year_names_the_sector_left_of_actual_gdp_as_built_from_actuals(short):
    """GDP and two sectors given in the restart year: the restart makes the third what they
    leave of GDP, so the path names it (and its share) built from the actual figures, as in
    the years before, not the model's."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    path, start = ev.path_table().set_index("year"), ev.start_year
    for year in range(2021, start + 1):
        built = path.loc[year, "estimated_figures"].split(", ")
        assert {"va_secondary", "share_secondary_pct"} <= set(built)
        assert "va_secondary" not in path.loc[year, "model_figures"].split(", ")
    rest = path.loc[start, "gdp"] - path.loc[start, ["va_primary", "va_tertiary"]].sum()
    assert path.loc[start, "va_secondary"] == pytest.approx(rest)


def test_the_annual_path_shows_the_budget_balance_and_the_debt(short):
    """A director reads what the path does to the budget: the balance and the debt are in
    the annual path, the debt moving by exactly the balance each year after the start, and
    by it within the half years the start point leaves from the year before (the start
    year's balance, derived from the actual revenue, moves its debt)."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    path = ev.path_table().set_index("year")
    assert {"fiscal_balance", "government_debt"} <= set(path.columns)
    start = ev.start_year
    after = path.loc[start:]
    np.testing.assert_allclose(
        after["government_debt"].diff().iloc[1:], -after["fiscal_balance"].iloc[1:], rtol=1e-9
    )
    rise = path.loc[start, "government_debt"] - path.loc[start - 1, "government_debt"]
    assert rise == pytest.approx(-path.loc[start, "fiscal_balance"], abs=0.1)


def test_the_english_annual_path_names_its_columns_as_the_chinese_one(short, tmp_path):
    """A header is a name and a unit: the ratio's explanation (how it compares with 求人倍率)
    stays in the docs, not in the header nor in each year's list of the model's figures; the
    unemployment rate is the registered urban one, as 城镇登记失业率 says."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE)
    folder = hubinsim.write_evaluation(ev, tmp_path, charts=False).path
    text = (folder / "annual_path.csv").read_text(encoding="utf-8-sig")
    table = pd.read_csv(folder / "annual_path.csv", encoding="utf-8-sig")
    assert "vacancies per registered unemployed person (ratio)" in table.columns
    assert "registered urban unemployment rate (%)" in table.columns
    assert "求人倍率" not in text
    assert not [c for c in table.columns if "_" in c]  # headed in words, no code
    assert set(table["actual figures"]) == {
        "ILLUSTRATIVE (not published figures): not for an official evaluation"
    }
    listed = table.set_index("year").loc[2021, "the model's figures in an actual year"]
    assert "vacancies per registered unemployed person, " in listed


def test_the_markdown_and_the_page_give_the_annual_path_as_the_csv(short, tmp_path):
    """evaluation.md and evaluation.html, which a director reads without the workbook, hold
    the annual path too: a row a year, the figures of annual_path.csv with the decimals of
    their unit, counts thousands separated."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, lang="zh")
    folder = hubinsim.write_evaluation(ev, tmp_path, charts=False, lang="zh").path
    table = pd.read_csv(folder / "annual_path.csv", encoding="utf-8-sig").set_index("年份")
    md = (folder / "evaluation.md").read_text(encoding="utf-8")
    section = md.split("## 年度路径\n")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].strip("| "): line for line in section.splitlines()[3:] if line}
    assert sorted(int(y) for y in rows) == list(table.index)
    gdp, jobs = table["地区生产总值(亿元)"], table["累计新增城镇就业(人)"]
    for year in (2020, 2023, table.index[-1]):
        cells = rows[str(year)].split(" | ")
        assert f"{gdp[year]:.2f}" in cells and f"{jobs[year]:,.0f}" in cells
    page = (folder / "evaluation.html").read_text(encoding="utf-8")
    assert "<h2>年度路径</h2>" in page and f"<td>{jobs[2023]:,.0f}</td>" in page


def test_the_annual_path_names_estimates_in_a_re_projected_year(short):
    """Under add-factors the 2024 GDP comes from its first three quarters' growth: the year
    is re-projected, and its row names the figures built from the actual figures."""
    ev = hubinsim.evaluate(hubinsim.load_scenario(short), ILLUSTRATIVE, anchor="fade=3")
    path = ev.path_table().set_index("year")
    assert path.loc[2024, "status"] == "re-projected"
    assert "gdp" in path.loc[2024, "estimated_figures"].split(", ")
    assert path.loc[2024, "model_figures"] == ""  # named only in a year of actual figures
    assert "employment" in path.loc[2023, "model_figures"].split(", ")
    # a labour shortage is on the path, the model's figure in the actual years
    assert "vacancies_per_unemployed" in path.loc[2023, "model_figures"].split(", ")
    assert (path["vacancies_per_unemployed"] >= 0.0).all()
