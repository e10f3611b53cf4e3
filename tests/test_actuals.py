"""Actual-figures files: a figure in another unit refused with what it looks like, a restart
the figures cannot start named by its figures, the messages in Chinese, and the Chinese values
and headers the evaluation's own outputs print read back.

(The reading of the columns, the vintages and the periods are in test_evaluation.py.)"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from support import invoke, leftovers

import hubinsim
from hubinsim.actuals import (
    FASTEST_YEARLY_FACTOR,
    PUBLISHED,
    UNIT_FACTOR,
    ActualRow,
    Actuals,
    base_levels,
)

ROOT = Path(__file__).resolve().parents[1]
ILLUSTRATIVE = ROOT / "examples" / "actuals_illustrative.csv"
BASELINE = ROOT / "scenarios" / "baseline.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path, **kwargs) -> list[str]:
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.read_actuals(path, **kwargs)
    return info.value.problems


# --- units -------------------------------------------------------------------------------

#: Actual-figure files with a wrong unit, as a district office might write them: each wrong
#: figure, its line and column, and what the message must say it looks like.
REVIEWED = {
    "万元 for 亿元, a fraction for a percentage": (
        "indicator,year,period,value,basis,vintage,source\n"
        "gdp,2021,year,3173000,level,final,2021年统计公报\n"
        "gdp,2022,year,344.4,level,final,2022年统计公报\n"
        "gdp,2023,year,372.4,level,preliminary,2023年统计公报\n"
        "社会消费品零售总额,2023,year,114.3,level,preliminary,2023年统计公报\n"
        "unemployment_rate_pct,2023,year,0.033,level,preliminary,人社局\n",
        [(":2:4:", "gdp 2021", "looks like 万元: 317.3 亿元?"),
         (":6:4:", "unemployment_rate_pct 2023", "looks like a fraction (0.033 for 3.3 %): 3.3")],
    ),
    "persons for 万人, 万元 for 亿元": (
        "indicator,year,value,basis\n"
        "gdp,2022,344.4,level\n"
        "gdp,2023,372.4,level\n"
        "retail_sales,2022,1087000,level\n"
        "retail_sales,2023,114.3,level\n"
        "population,2023,326600,level\n",
        [(":4:3:", "retail_sales 2022", "looks like 万元: 108.7 亿元?"),
         (":6:3:", "population 2023", "looks like persons (人): 32.66 万人?")],
    ),
    "a share typed as a level": (
        "indicator,year,period,value,basis,vintage,source\n"
        "gdp,2022,year,344.4,level,final,公报\n"
        "va_tertiary,2022,year,59.4,level,final,公报:三次产业结构59.4%\n"
        "gdp,2023,year,372.4,level,preliminary,公报\n"
        "va_tertiary,2023,year,223.4,level,preliminary,公报\n",
        [(":3:4:", "va_tertiary 2022", "looks like the sector's share of GDP"),
         (":3:4:", "share_pct", "59.4 % of GDP 344.4 is 204.6 亿元")],
    ),
    "R&D intensity as a fraction": (
        "indicator,year,value,basis\nrd_intensity_pct,2024,0.0185,level\n",
        [(":2:3:", "rd_intensity_pct 2024", "looks like a fraction (0.033 for 3.3 %): 1.85 %?")],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REVIEWED))
def test_a_figure_in_another_unit_is_refused_with_what_it_looks_like(case, tmp_path):
    text, expected = REVIEWED[case]
    problems = problems_of(write(tmp_path / "mine.csv", text))
    lines = sorted({where for where, _i, _s in expected})
    assert len(problems) == len(lines), problems  # each wrong figure once, every one together
    for where, indicator, said in expected:
        found = [p for p in problems if f"mine.csv{where}" in p]
        assert found and indicator in found[0] and said in found[0], (said, problems)


def test_only_the_wrong_figure_is_named_not_the_right_one_beside_it(tmp_path):
    """Persons for 万人 beside a right retail figure (the review's case that blamed retail
    sales); fiscal expenditure, which data/ has no figure of, right in 2021 and in 万元 in
    the two years after: the two are named, against the calibrated 2020 record."""
    text, _ = REVIEWED["persons for 万人, 万元 for 亿元"]
    problems = problems_of(write(tmp_path / "p.csv", text))
    assert not any("p.csv:5:" in p or "114.3" in p for p in problems)
    spent = write(
        tmp_path / "f.csv",
        "indicator,year,value,basis\nfiscal_expenditure,2021,38.5,level\n"
        "fiscal_expenditure,2022,402000,level\nfiscal_expenditure,2023,415000,level\n",
    )
    problems = problems_of(spent)
    assert [p.split(" column")[0] for p in problems] == [f"{spent}:3:3:", f"{spent}:4:3:"]
    assert "looks like 万元: 40.2 亿元?" in problems[0] and "41.5 亿元?" in problems[1]
    assert not any("38.5" in p for p in problems)


def test_the_calibrated_2020_record_is_the_base_of_the_figures_data_has_none_of():
    """Employment and its sectors, expenditure, the park, GDP per capita, industry and
    construction: the 2020 figures the check uses are the model's own 2020 figures."""
    from hubinsim.data import load_data

    made = ["employment", "employment_primary", "employment_secondary", "employment_tertiary",
            "fiscal_expenditure", "park_gross_output", "gdp_per_capita", "va_industry",
            "va_construction"]  # fmt: skip
    assert not set(made) & set(load_data().base)
    base = base_levels()
    run = hubinsim.simulate(hubinsim.make_scenario(name="s", end=2021)).annual.loc[2020]
    for name in made:
        assert base[name] == pytest.approx(run[name], rel=1e-9), name


def test_without_a_2020_figure_the_group_is_named_inconsistent_not_one_figure(tmp_path):
    """New urban jobs, one year typed in 万人 among three: all three lines are named and none
    is guessed wrong; in Chinese too."""
    jobs = write(
        tmp_path / "j.csv",
        "indicator,year,value,basis\nnew_urban_jobs,2021,7350,level\n"
        "new_urban_jobs,2022,0.69,level\nnew_urban_jobs,2023,7120,level\n",
    )
    (problem,) = problems_of(jobs)
    assert problem.startswith(f"{jobs}:2:3:")
    for said in ("7350 (2021, line 2)", "0.69 (2022, line 3)", "7120 (2023, line 4)"):
        assert said in problem
    assert "which is wrong is not known" in problem and "?" not in problem
    (problem,) = problems_of(jobs, lang="zh")
    assert "0.69(2022年,第3行)" in problem and "无法判断哪一个有误" in problem
    ok = write(
        tmp_path / "ok.csv",
        "indicator,year,value,basis\nnew_urban_jobs,2021,7350,level\n"
        "new_urban_jobs,2022,6900,level\n",
    )
    assert len(hubinsim.read_actuals(ok)) == 2


def test_part_year_and_cumulated_counts_without_a_2020_figure_are_read(tmp_path):
    """Two months of a year's hires are a sixth of them, and a count cumulated from 2021 is
    small in 2021: neither is taken for another unit (part-year figures are not compared,
    a cumulated count is compared as its average a year)."""
    jobs = write(
        tmp_path / "jobs.csv",
        "indicator,year,period,value,basis\n"
        "new_urban_jobs_cumulative,2021,M1-M2,900,level\n"
        "new_urban_jobs_cumulative,2021,year,6900,level\n"
        "new_urban_jobs_cumulative,2024,year,28380,level\n"
        "new_urban_jobs_cumulative,2025,Q1-Q3,33200,level\n"
        "new_urban_jobs,2021,M1-M2,210,level\n"
        "new_urban_jobs,2022,year,6900,level\n",
    )
    assert len(hubinsim.read_actuals(jobs)) == 6


def test_a_level_at_the_districts_fastest_pace_is_never_taken_for_another_unit(tmp_path):
    """GDP growing as fast as the district's record (tripling in five years) until 2035 is
    read; the thresholds are the record's, stated in docs/evaluation.md."""
    assert FASTEST_YEARLY_FACTOR**15 < UNIT_FACTOR < 100  # 15 years at the pace; 万元, %
    base = base_levels()
    rows = "".join(
        f"gdp,{y},{base['gdp'] * FASTEST_YEARLY_FACTOR ** (y - 2020):.1f},level\n"
        for y in range(2021, 2036)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        act = hubinsim.read_actuals(
            write(tmp_path / "fast.csv", "indicator,year,value,basis\n" + rows)
        )
    assert len(act) == 15
    docs = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert "10^1.5" in docs and "tripl" in docs


def test_a_level_doubling_in_a_year_is_a_warning_naming_its_line(tmp_path):
    path = write(
        tmp_path / "w.csv",
        "indicator,year,value,basis\nretail_sales,2022,108.7,level\nretail_sales,2023,250,level\n",
    )
    with pytest.warns(
        UserWarning, match=r"w\.csv:3: retail_sales 2023: 250 after 108\.7 \(2022, line 2\)"
    ):
        hubinsim.read_actuals(path)


def test_the_illustrative_figures_raise_no_unit_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hubinsim.read_actuals(ILLUSTRATIVE)


def test_a_wrong_unit_exits_2_with_every_problem_and_writes_nothing(monkeypatch, tmp_path):
    """The units, an unknown name and a full-year figure of a year not over, all in one
    message (the review's 2026 row came only after four others were fixed)."""
    monkeypatch.setattr("hubinsim.run.restart.this_year", lambda: 2026)
    path = write(
        tmp_path / "all.csv",
        "indicator,year,value,basis\nretail_sales,2023,1143000,level\nretail_sale,2024,120,level\n"
        "gdp,2026,450,level\nunemployment_rate_pct,2023,0.033,level\n",
    )
    out = tmp_path / "out"
    res = invoke("evaluate", BASELINE, "--actuals", path, "--out", out, "--no-charts")
    assert res.exit_code == 2 and "Traceback" not in res.output
    for where in ("all.csv:2:3:", "all.csv:3:1:", "all.csv:4:2:", "all.csv:5:3:"):
        assert where in res.output, (where, res.output)
    assert "4 problems" in res.output and leftovers(out) == []


# --- a restart the figures cannot start ------------------------------------------------


def rows(*figures, lang="en") -> Actuals:
    """Actuals given as they are (the unit checks of read_actuals not applied): a figure that
    passes them can still leave the model no start."""
    made = [ActualRow(i, y, "year", v, "level", "final", "", "x.csv", n + 2)
            for n, (i, y, v) in enumerate(figures)]  # fmt: skip
    return Actuals(made, "x.csv", lang=lang)


def test_a_model_failure_from_the_figures_names_them_and_the_likely_cause():
    """A share typed as the tertiary value added of the restart year made the model fail
    ("stock XR became negative ... at t=2023.250"): the figures, the model's own words of
    where it failed, and the likely cause."""
    scn = hubinsim.make_scenario(name="s", end=2026)
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.evaluate(scn, rows(("gdp", 2023, 372.4), ("va_tertiary", 2023, 58.8)))
    text = str(info.value)
    assert "x.csv: the restart in 2023 used the actual figures gdp 372.4 (line 2)" in text
    assert "the model says: stock XR became negative or NaN" in text and "t=2023.250" in text
    assert "the likely cause: va_tertiary 2023 = 58.8 (line 3)" in text
    assert "first months" not in text and "parameters or the time step" not in text


def test_a_model_failure_without_a_figure_far_from_the_run_keeps_the_model_s_words(monkeypatch):
    """A member failing in a later year from figures close to the run: its year, member and
    draws are said, and no figure is called the likely cause."""
    from hubinsim.errors import Failure, SimulationError

    failure = Failure("employment", "not_finite", year=2025, member=7,
                      drew=(("labour.match_speed", 0.41),))  # fmt: skip

    def fails(*_args, **_kwargs):  # worded otherwise than the model words it: the fields count
        raise SimulationError(
            "the model stopped. Inputs: scenario 's' (made in Python); data folder data",
            failure=failure,
        )

    monkeypatch.setattr("hubinsim.run.restart._restart_members", fails)
    scn = hubinsim.make_scenario(name="s", end=2026)
    for lang, said, drew, cause in (
        ("en", "the model says: employment is not finite in year 2025 for member 7",
         "member 7 drew labour.match_speed = 0.41", "likely cause"),
        ("zh", "模型信息:employment 在2025年不是有限数值(第 7 号成员)",
         "第 7 号成员抽取的数值为 labour.match_speed = 0.41", "可能的原因"),
    ):  # fmt: skip
        with pytest.raises(hubinsim.ActualsError) as info:
            hubinsim.evaluate(scn, rows(("gdp", 2023, 349.4), lang=lang))
        text = str(info.value)
        assert said in text and drew in text, text
        assert cause not in text and "first months" not in text and "最初几个月" not in text
        assert "data folder" not in text and "stopped" not in text


def test_a_refused_start_blames_the_figure_far_from_the_run_not_the_right_one():
    """Population in persons made a right retail figure look too small: the population is
    named as the likely cause, first."""
    scn = hubinsim.make_scenario(name="s", end=2026)
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.evaluate(
            scn,
            rows(("gdp", 2023, 372.4), ("retail_sales", 2023, 114.3), ("population", 2023, 326600)),
        )
    text = str(info.value)
    assert text.startswith("x.csv: the likely cause is population 2023 = 326600 (line 4)")


# --- Chinese -----------------------------------------------------------------------------


def test_the_problems_of_a_file_are_in_chinese_under_zh(tmp_path):
    path = write(
        tmp_path / "zh.csv",
        "indicator,year,period,value,basis\nretail_sale,2023,year,114.3,level\n"
        "gdp,2023,Q4,372.4,level\ngdp,2022,year,3444000,level\n",
    )
    problems = problems_of(path, lang="zh")
    assert problems[0].startswith(f"{path}:2:1: 列 'indicator':未知指标 'retail_sale'")
    assert "是否应为 'retail_sales'" in problems[0]
    assert problems[1].startswith(f"{path}:3:3: 列 'period':未知期间 'Q4'")
    assert f"{path}:4:4: 列 'value':gdp 2022年 3444000" in problems[2]
    assert "像是以万元填写:344.4 亿元?" in problems[2]
    res = invoke("evaluate", BASELINE, "--actuals", path, "--lang", "zh", "--out", tmp_path / "o")
    assert res.exit_code == 2 and res.output.startswith("错误: 共 3 个问题:")


def test_the_unknown_name_lists_only_what_a_bulletin_publishes(tmp_path):
    path = write(tmp_path / "n.csv", "indicator,year,value,basis\nretail_sale,2023,114.3,level\n")
    (problem,) = problems_of(path)
    assert "did you mean 'retail_sales'" in problem
    assert "retail_sales 社会消费品零售总额" in problem and "rd_intensity_pct" in problem
    for model_only in ("capital_industry", "tfp_tertiary", "gdp_real ", "pool_planned"):
        assert model_only not in problem
    assert set(PUBLISHED) <= {i.name for i in hubinsim.catalog.INDICATORS}


def test_chinese_headers_and_values_are_read_as_the_codes(tmp_path):
    """The review's header (指标,年份,数值,口径), and the values the outputs print (全年, 总量,
    初步)."""
    zh = write(
        tmp_path / "zh.csv",
        "指标,年份,期间,数值,口径,版本,来源\n"
        "社会消费品零售总额,2023,全年,114.3,总量,初步,公报\n"
        "地区生产总值,2024,前三季度,4.1,可比价增速(%),初步核算,公报\n"
        "第三产业增加值,2023,全年,59.99,比重(%),最终核实,公报\n",
    )
    act = hubinsim.read_actuals(zh)
    got = [(r.indicator, r.year, r.period, r.basis, r.vintage, r.value) for r in act.rows]
    assert got == [
        ("retail_sales", 2023, "year", "level", "preliminary", 114.3),
        ("gdp", 2024, "Q1-Q3", "real_growth_pct", "preliminary", 4.1),
        ("share_tertiary_pct", 2023, "year", "level", "final", 59.99),
    ]


def test_the_sheet_of_figures_used_saved_as_csv_reads_back(tmp_path):
    """Staff edit 所用实际数据 of the workbook, save it as CSV and read it again: the same
    figures (to the sheet's two decimals); the figures the evaluation built are left aside."""
    ev = hubinsim.evaluate(BASELINE, ILLUSTRATIVE, lang="zh")
    written = hubinsim.write_evaluation(ev, tmp_path / "runs", charts=False, lang="zh")
    sheet = pd.read_excel(written.path / "evaluation.xlsx", sheet_name="所用实际数据", dtype=str)
    assert "总量(由增速推算)" in set(sheet["口径"])  # built figures are listed beside those read
    csv_path = tmp_path / "edited.csv"
    sheet.to_csv(csv_path, index=False, encoding="utf-8-sig")
    back = hubinsim.read_actuals(csv_path).figures()
    first = hubinsim.read_actuals(ILLUSTRATIVE).figures()
    assert back.keys() == first.keys()
    for key, fig in first.items():
        assert back[key].value == pytest.approx(fig.value, abs=0.005), key
        assert (back[key].status, back[key].row.vintage) == (fig.status, fig.row.vintage)


def test_the_lang_option_says_what_it_translates():
    res = invoke("evaluate", "--help")
    text = " ".join(res.output.split())
    assert "messages" in text and "tables" in text and "charts" in text


# --- the template and the help -----------------------------------------------------------

TEMPLATE = ROOT / "examples" / "actuals_template.csv"


def needed_figures(target) -> list[tuple[str, str]]:
    """The (indicator, basis) rows an actuals file gives for ``target``'s verdict to rest on
    actual figures: a share from its sector's value added (or its share) and GDP, a growth
    rate at its level indicator's growth basis, a cumulated count from its yearly figures."""
    ind = target.indicator
    if ind.startswith("share_") and ind.endswith("_pct"):
        return [(f"va_{ind[len('share_') : -len('_pct')]}", "share_pct"), ("gdp", "level")]
    if ind in hubinsim.actuals.GROWTH_INDICATORS:
        return [hubinsim.actuals.GROWTH_INDICATORS[ind]]
    if ind.endswith("_cumulative"):
        return [(ind.removesuffix("_cumulative"), "level")]
    return [(ind, "level")]


def test_the_template_lists_every_figure_the_plan_targets_need():
    template = pd.read_csv(TEMPLATE, encoding="utf-8", dtype=str)
    given = set(zip(template["indicator"], template["basis"], strict=True))
    for target in hubinsim.data.load_targets():
        for figure in needed_figures(target):
            assert figure in given, (target.indicator, figure)
    assert template["bulletin"].notna().all() and template["unit"].notna().all()
    assert template["plan_target"].notna().all()


def test_the_filled_in_template_is_an_actuals_file_and_its_units_are_checked(tmp_path):
    template = pd.read_csv(TEMPLATE, encoding="utf-8", dtype=str)
    base = base_levels()
    filler = {"share_pct": "58.8", "real_growth_pct": "5.0", "nominal_growth_pct": "5.0"}
    counts = {"new_urban_jobs": "7000", "park_gross_output": "60"}
    template["year"] = "2023"
    template["value"] = [
        filler.get(b) or counts.get(i) or f"{base[i]:g}"
        for i, b in zip(template["indicator"], template["basis"], strict=True)
    ]
    filled = tmp_path / "filled.csv"
    template.to_csv(filled, index=False, encoding="utf-8-sig")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a share beside levels of 2020: warned, not refused
        act = hubinsim.read_actuals(filled)
    assert len(act) == len(template)
    template.loc[0, "unit"] = "万元"
    template.to_csv(filled, index=False, encoding="utf-8-sig")
    (problem,) = problems_of(filled)
    assert "filled.csv:2:8: column 'unit':" in problem and "'万元'" in problem and "亿元" in problem


def test_the_help_shows_evaluate_and_a_whole_compare_example():
    main_help = invoke("--help").output
    assert "hubinsim evaluate scenarios/baseline.toml --actuals" in main_help
    compare_help = invoke("compare", "--help").output.splitlines()
    last = [line.strip() for line in compare_help if "--group people=" in line]
    assert last == ["--group people=net_migration_policy,tourism_growth"]  # its own line
    before = compare_help[compare_help.index(next(x for x in compare_help if "--group p" in x)) - 1]
    assert before.rstrip().endswith("--attribute \\")


def test_every_chinese_period_basis_and_vintage_the_tables_write_is_read_as_its_code():
    """Every value the evaluation folder writes in these columns under zh (its own table of
    words), the built and derived figures' bases apart, which a file read back leaves aside."""
    from hubinsim.actuals import DERIVED_BASES, VALUES_ZH
    from hubinsim.io.evaluation_folder import _VALUES_ZH, _basis_zh

    for column in ("period", "vintage"):
        for code, zh in _VALUES_ZH[column].items():
            assert VALUES_ZH[column][zh] == code, (column, zh)
    written = {
        _basis_zh(b, i): b
        for b in _VALUES_ZH["basis"]
        for i in ("gdp", "population", "unemployment_rate_pct", "share_tertiary_pct")
    }
    for zh, code in written.items():
        if code.startswith("level ("):
            assert zh in DERIVED_BASES, zh
        elif code == "level" and zh.startswith("比重"):  # a share's level: its share
            assert VALUES_ZH["basis"][zh] == "share_pct"
        else:
            assert VALUES_ZH["basis"][zh] == code, zh


def test_the_warnings_about_a_file_are_in_chinese_under_zh(tmp_path):
    path = write(
        tmp_path / "w.csv",
        "indicator,year,value,basis\nretail_sales,2022,108.7,level\nretail_sales,2023,250,level\n"
        "retail_sales,2023,5.0,nominal_growth_pct\n",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hubinsim.read_actuals(path, lang="zh")
    texts = [str(w.message) for w in caught]
    assert any("retail_sales 2023年:现价增速 5 %,而总量 108.7(2022年,第2行)" in t for t in texts)
    assert any(
        "w.csv:3: retail_sales 2023年 250 是2022年(第2行)108.7 的 2.30 倍" in t for t in texts
    )


def test_a_restart_the_figures_cannot_start_is_said_in_chinese_when_read_under_zh():
    scn = hubinsim.make_scenario(name="s", end=2026)
    with pytest.raises(hubinsim.ActualsError) as info:
        hubinsim.evaluate(scn, rows(("gdp", 2023, 372.4), ("va_tertiary", 2023, 58.8), lang="zh"))
    text = str(info.value)
    assert text.startswith("x.csv: 2023年重新起步使用了实际数据 gdp 372.4(第2行)")
    assert "可能的原因:va_tertiary 2023年 = 58.8(第3行)" in text
    assert info.value.lang == "zh" and "模型信息:存量 XR 在 t=2023.250 时变为负数或 NaN" in text
    assert "stock" not in text and "参数或时间步长" not in text
    assert "最初几个月" not in text


def test_a_problem_names_the_column_as_the_files_header_writes_it(tmp_path):
    path = write(tmp_path / "h.csv", "指标,年份,数值,口径\n地区生产总值,2023,3724000,总量\n")
    (problem,) = problems_of(path, lang="zh")
    assert problem.startswith(f"{path}:2:3: 列 '数值':gdp 2023年 3724000")
