"""The command line, through click's CliRunner: every command's success and error paths, exit
codes (2 for bad input, with the file, line and key and no traceback; 1 for a bug), nothing
half-written. Charts are drawn only where a test looks at them (``--no-charts`` elsewhere)."""

from __future__ import annotations

import builtins
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from support import (
    SHORT,
    draws_frame,
    extending_baseline,
    invoke,
    leftovers,
    members_frame,
    write,
)

import hubinsim
from hubinsim import cli
from hubinsim.catalog import HEADLINE, INDICATORS, LEVERS, PROFILES
from hubinsim.cli import progress as progress_bars
from hubinsim.defaults import DEFAULT_CHUNK_SIZE, MAX_DRAWS
from hubinsim.io import members as member_files
from hubinsim.run import parallel
from hubinsim.run.ensemble import run_ensemble

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"

# ----------------------------------------------------------------------------------- help, version


@pytest.mark.parametrize("command", [[], ["run"], ["compare"], ["solve"], ["levers"], ["validate"]])
def test_every_help_shows_an_example(command):
    res = invoke(*command, "--help")
    assert res.exit_code == 0
    assert "Examples:" in res.output
    assert "hubinsim " in res.output.split("Examples:")[1]


def test_version():
    res = invoke("--version")
    assert res.exit_code == 0
    assert "0." in res.output


@pytest.mark.parametrize("command", [[], ["run"], ["compare"], ["sensitivity"], ["solve"]])
def test_help_loads_neither_numpy_pandas_nor_matplotlib(command):
    code = (
        "import sys\n"
        "from hubinsim.cli import main\n"
        "try:\n"
        f"    main({[*command, '--help']!r}, prog_name='hubinsim')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('numpy', 'pandas', 'scipy', 'matplotlib')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_python_dash_m():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "hubinsim", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0
    assert "hubinsim" in out.stdout


def test_help_shows_the_defaults_the_library_applies():
    assert f"default {DEFAULT_CHUNK_SIZE:,}" in invoke("run", "--help").output
    res = invoke("run", SCENARIOS / "baseline.toml", "--draws", MAX_DRAWS + 1)
    assert res.exit_code == 2 and f"{MAX_DRAWS}" in res.stderr


# ------------------------------------------------------------------ run, compare, levers, validate


def test_run_writes_every_file(short, tmp_path):
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out)
    assert res.exit_code == 0, res.output
    folder = out / "short"
    for name in ("annual.csv", "targets.csv", "scenario.resolved.toml", "run.json"):
        assert (folder / name).is_file(), name
    charts = sorted(p.name for p in (folder / "charts").glob("*.png"))
    assert {"gdp.png", "sector_shares.png", "retail_sales.png", "targets.png"} <= set(charts)
    assert leftovers(out) == ["short"]  # no temporary folder left beside it
    annual = list(
        csv.DictReader(io.StringIO((folder / "annual.csv").read_text(encoding="utf-8-sig")))
    )
    assert [r["year"] for r in annual] == ["2020", "2021", "2022", "2023", "2024", "2025", "2026"]
    assert set(HEADLINE) <= set(annual[0])
    # the summary: headline figures and the scorecard as a table
    assert "Plan-target scorecard" in res.output
    assert "share_tertiary_pct" in res.output and "2025" in res.output
    assert "growth needed" in res.output


def test_run_json(short, tmp_path):
    base = write(tmp_path / "parent.toml", (SCENARIOS / "baseline.toml").read_text())
    child = write(
        tmp_path / "child.toml",
        SHORT.format(name="child", vouchers=2.0).replace(
            'description = "a short test run"',
            'description = "a short test run"\nextends = "parent.toml"',
        ),
    )
    out = tmp_path / "runs"
    res = invoke("run", child, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    info = json.loads((out / "child" / "run.json").read_text())
    assert info["hubinsim_version"]
    assert info["command"].startswith("hubinsim run ") and "--no-charts" in info["command"]
    assert info["dt"] == 0.25 and info["method"] == "euler" and info["end"] == 2026
    assert info["timestamp"] and info["wall_time_s"] > 0
    hashed = {Path(p).name: h for p, h in info["input_hashes"]["scenario"].items()}
    assert set(hashed) == {"child.toml", "parent.toml"}
    assert all(len(h) == 64 for h in hashed.values())
    assert base.name in hashed
    data = {Path(p).name for p in info["input_hashes"]["data"]}
    assert {"base_2020.csv", "parameters.csv", "project_pool.csv", "targets.csv"} <= data


def test_run_without_charts_writes_no_charts(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0
    assert not (tmp_path / "short" / "charts").exists()


def test_existing_folder_is_kept_without_force(short, tmp_path):
    assert invoke("run", short, "--out", tmp_path, "--no-charts").exit_code == 0
    marker = tmp_path / "short" / "mine.txt"
    marker.write_text("keep me")
    res = invoke("run", short, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 2
    assert "--force" in res.stderr and "already exists" in res.stderr
    assert "Traceback" not in res.output
    assert marker.read_text() == "keep me"


def test_force_overwrites(short, tmp_path):
    assert invoke("run", short, "--out", tmp_path, "--no-charts").exit_code == 0
    marker = tmp_path / "short" / "mine.txt"
    marker.write_text("old")
    res = invoke("run", short, "--out", tmp_path, "--no-charts", "--force")
    assert res.exit_code == 0
    assert not marker.exists()
    assert (tmp_path / "short" / "annual.csv").is_file()
    assert leftovers(tmp_path) == ["short", "short.toml"]


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, "not found"),
        ("[scenario\nname = 'x'\n", "bad.toml"),
        (
            SHORT.format(name="bad", vouchers=1.0) + "\n[industry]\nfirms_atracted = 3\n",
            "firms_atracted",
        ),
        (SHORT.format(name="bad", vouchers=99.0), "vouchers"),
    ],
    ids=["missing-file", "broken-toml", "unknown-lever", "out-of-range"],
)
def test_bad_input_exits_2_without_traceback_or_folder(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    if text is not None:
        write(path, text)
    out = tmp_path / "runs"
    res = invoke("run", path, "--out", out)
    assert res.exit_code == 2
    assert "bad.toml" in res.stderr
    assert expected in res.stderr
    assert "Traceback" not in res.output
    assert res.stderr.startswith("Error: ")
    assert leftovers(out) == []


def test_failed_run_leaves_nothing(short, tmp_path, monkeypatch):
    from hubinsim.io import run_folder

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run_folder, "write_tables", broken)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--no-charts")
    assert res.exit_code == 1
    assert "bug" in res.stderr and "--debug" in res.stderr
    assert "Traceback" not in res.output
    assert leftovers(out) == []


def test_debug_shows_the_traceback_of_a_bug(short, tmp_path, monkeypatch):
    from hubinsim.io import run_folder

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run_folder, "write_tables", broken)
    res = CliRunner().invoke(
        cli.main, ["--debug", "run", str(short), "--out", str(tmp_path), "--no-charts"]
    )
    assert res.exit_code == 1
    assert isinstance(res.exception, RuntimeError)


def test_bad_data_folder_exits_2(short, tmp_path):
    res = invoke("--data", tmp_path / "nowhere", "run", short, "--out", tmp_path / "runs")
    assert res.exit_code == 2
    assert "nowhere" in res.stderr
    assert "Traceback" not in res.output


def test_lang_zh(short, tmp_path):
    from hubinsim.plots import text

    res = invoke("run", short, "--out", tmp_path, "--lang", "zh")
    assert res.exit_code == 0
    if text.cjk_font() is None:
        assert "Warning:" in res.stderr and "CJK" in res.stderr
    assert (tmp_path / "short" / "charts" / "gdp.png").is_file()


def test_resolved_toml_reproduces_annual_csv(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    res = invoke("run", SCENARIOS / "stimulus.toml", "--out", first, "--no-charts")
    assert res.exit_code == 0, res.output
    resolved = first / "stimulus" / "scenario.resolved.toml"
    res = invoke("run", resolved, "--out", second, "--no-charts")
    assert res.exit_code == 0, res.output
    a = (first / "stimulus" / "annual.csv").read_bytes()
    b = (second / "stimulus" / "annual.csv").read_bytes()
    assert a == b


def test_compare_writes_charts_and_tables(short, short_alt, tmp_path):
    # (with an attribution, whose waterfalls are drawn with the other charts)
    out = tmp_path / "runs"
    res = invoke("compare", short, short_alt, "--out", out, "--attribute")
    assert res.exit_code == 0, res.output
    folder = out / "compare-short-vs-alt"
    for name in (
        "annual.csv",
        "scorecard.csv",
        "differences_abs.csv",
        "differences_pct.csv",
        "run.json",
        "scenarios/short.resolved.toml",
        "scenarios/alt.resolved.toml",
    ):
        assert (folder / name).is_file(), name
    charts = {p.name for p in (folder / "charts").glob("*.png")}
    for name in (
        "gdp",
        "gdp_growth",
        "sector_shares",
        "fiscal_revenue",
        "employment",
        "population",
        "retail_sales",
        "industry",
    ):
        assert f"{name}.png" in charts and f"{name}_diff.png" in charts
    assert (folder / "charts" / "attribution_alt_gdp_real_2025.png").stat().st_size > 0
    diff = list(
        csv.DictReader(
            io.StringIO((folder / "differences_abs.csv").read_text(encoding="utf-8-sig"))
        )
    )
    assert {r["scenario"] for r in diff} == {"alt"}
    assert float(diff[0]["retail_sales"]) == 0.0  # 2020: same base
    assert float(diff[-1]["retail_sales"]) > 0  # more vouchers, more retail sales
    card = list(
        csv.DictReader(io.StringIO((folder / "scorecard.csv").read_text(encoding="utf-8-sig")))
    )
    worst = "projected (every-year target: worst year)"
    assert f"{worst}:short" in card[0] and f"{worst}:alt" in card[0]
    # what settles each verdict, as a run's scorecard says it
    decided = {t.indicator: t.decided_by for t in hubinsim.data.load_targets()}
    assert all(r["decided_by"] == decided[r["indicator"]] for r in card)
    assert "Headline indicators in 2025" in res.output
    assert "Plan-target scorecards" in res.output
    head = res.output.split("Plan-target scorecards")[1].splitlines()[1]
    assert head.rstrip().endswith("decided by"), head
    assert leftovers(out) == ["compare-short-vs-alt"]


def test_compare_with_an_invalid_file_runs_nothing(short, tmp_path):
    bad = write(tmp_path / "bad.toml", SHORT.format(name="bad", vouchers=-5.0))
    out = tmp_path / "runs"
    res = invoke("compare", short, bad, "--out", out, "--no-charts")
    assert res.exit_code == 2
    assert "bad.toml" in res.stderr and "Traceback" not in res.output
    assert leftovers(out) == []


def test_compare_needs_an_alternative(short):
    res = CliRunner().invoke(cli.main, ["compare", str(short)])
    assert res.exit_code == 2


def test_levers_table():
    res = invoke("levers")
    assert res.exit_code == 0
    for lv in LEVERS:
        assert lv.name in res.output
    assert "capital.depreciation" in res.output
    assert "va_tertiary" in res.output  # a shock target
    assert "消费券" in res.output


@pytest.mark.parametrize("command", ["levers", "indicators"])
def test_csv_is_the_table_of_the_api(command):
    res = invoke(command, "--format", "csv")
    assert res.exit_code == 0
    rows = getattr(hubinsim, command)(as_frame=False)
    assert list(csv.DictReader(io.StringIO(res.output))) == rows


def test_levers_markdown():
    res = invoke("levers", "--format", "markdown")
    assert res.exit_code == 0
    assert "| section | name | unit | default | range |" in res.output
    assert res.output.count("### ") == 3


def test_levers_lists_the_profile():
    res = invoke("levers")
    line = next(x for x in res.output.splitlines() if x.split()[1:2] == ["profile"])
    assert line.split()[0] == "investment"
    for name in PROFILES:
        assert repr(name) in line


def test_indicators_table_finds_the_tertiary_share():
    res = invoke("indicators")
    assert res.exit_code == 0
    rows = {line.split()[0]: line for line in res.output.splitlines()[3:] if line}
    assert set(rows) == {i.name for i in INDICATORS}
    assert "tertiary share of GDP" in rows["share_tertiary_pct"]
    assert "第三产业占GDP比重" in rows["share_tertiary_pct"]
    assert "≥ 60 % in 2025" in rows["share_tertiary_pct"]
    assert "2020 prices" in rows["gdp_real"] and "current prices" in rows["gdp"]


@pytest.mark.parametrize(
    "words, names",
    [
        (["tertiary", "share"], ["share_tertiary_pct"]),
        (["tertiary_share"], ["share_tertiary_pct"]),  # a guessed name: its parts
        (["第三产业占GDP比重"], ["share_tertiary_pct"]),
        (["Retail", "SALES"], ["retail_sales"]),
    ],
)
def test_indicators_finds_names_by_words_of_their_meaning(words, names):
    res = invoke("indicators", *words)
    assert res.exit_code == 0
    assert [line.split()[0] for line in res.output.splitlines()[3:] if line] == names


def test_a_search_that_finds_nothing_says_so():
    res = invoke("indicators", "weather")
    assert res.exit_code == 0 and res.stdout == ""
    assert "No indicator's name or meaning holds: weather" in res.stderr


@pytest.mark.parametrize(
    "command, word, name",
    [("indicators", "teritary", "va_tertiary"), ("levers", "realization", "plan_realisation")],
)
def test_a_search_that_finds_nothing_suggests_the_closest_names(command, word, name):
    res = invoke(command, word)
    assert res.exit_code == 0 and res.stdout == ""
    assert f"holds: {word} (did you mean '{name}'" in res.stderr


def test_levers_finds_names_by_words():
    res = invoke("levers", "消费券")
    levers_part = res.stdout.split("\n\n")[0].splitlines()
    assert [line.split()[1] for line in levers_part[3:]] == ["vouchers"]
    assert "Shock targets:" not in res.stdout  # no shock target holds the word
    assert hubinsim.levers(as_frame=False, search="depreciation")[0]["name"] == (
        "capital.depreciation"
    )


def test_indicators_markdown():
    res = invoke("indicators", "--format", "markdown")
    assert res.exit_code == 0
    assert "| name | unit | prices | meaning | 含义 | plan target |" in res.output
    assert res.output.count("\n| ") == len(INDICATORS) + 1


def test_validate_ok():
    res = invoke("validate", SCENARIOS / "baseline.toml", SCENARIOS / "stimulus.toml")
    assert res.exit_code == 0, res.output
    assert res.output.count("ok ") == 2


def test_validate_counts_the_profile_among_the_levers_set(tmp_path):
    text = "[scenario]\nname = 'late'\n\n[investment]\nprofile = 'late'\npool_delay = 2\n"
    res = invoke("validate", write(tmp_path / "late.toml", text), SCENARIOS / "stimulus.toml")
    assert res.exit_code == 0, res.output
    assert "(scenario 'late', 2 lever(s) set" in res.output
    # stimulus sets seven levers and profile = "even", business as usual's timing
    assert "(scenario 'stimulus', 7 lever(s) set" in res.output


def test_validate_lists_problems_per_file(short, tmp_path):
    bad = write(
        tmp_path / "bad.toml",
        SHORT.format(name="bad", vouchers=99.0) + "\n[industry]\nfirms_atracted = 3\n",
    )
    res = invoke("validate", short, bad, tmp_path / "missing.toml")
    assert res.exit_code == 2
    assert "ok       " + str(short) in res.output
    assert "INVALID  " + str(bad) in res.output
    assert "vouchers" in res.output and "firms_atracted" in res.output
    assert "missing.toml" in res.output
    assert "Traceback" not in res.output


def test_compare_runs_of_different_length(short, tmp_path):
    res = invoke("compare", SCENARIOS / "baseline.toml", short, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "Headline indicators in 2025" in res.output
    assert "Headline indicators in 2035" not in res.output


# --------------------------------------------- ensembles, comparisons on common draws, sensitivity


DECLARED = """
[uncertainty]
draws = {draws}
seed = 5

[uncertainty.parameters]
"capital.depreciation" = {{ dist = "triangular", low = 0.05, mode = 0.08, high = 0.11 }}
"tfp.growth_tertiary" = {{ dist = "uniform" }}
"""


DRAWS = "40"


@pytest.mark.parametrize("command", ["run", "compare", "sensitivity"])
def test_help_shows_an_ensemble_example(command):
    res = invoke(command, "--help")
    assert res.exit_code == 0
    examples = res.output.split("Examples:")[1]
    assert "hubinsim " in examples
    assert ("--draws" in examples) or command == "sensitivity"


def test_run_draws_writes_percentiles_members_fans_and_probabilities(short, tmp_path):
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--draws", DRAWS, "--seed", 1)
    assert res.exit_code == 0, res.output
    folder = out / "short"
    annual = pd.read_csv(folder / "annual.csv", index_col="year")
    assert list(annual.index) == list(range(2020, 2027))
    for name in HEADLINE:
        for stat in ("", "_mean", "_p5", "_p25", "_p50", "_p75", "_p95"):
            assert f"{name}{stat}" in annual.columns, f"{name}{stat}"
    assert (annual["gdp"] == annual["gdp_p50"]).all()  # the bare name is the median
    later = annual.loc[2021:]
    assert (later["gdp_p5"] < later["gdp_p25"]).all() and (
        later["gdp_p75"] < later["gdp_p95"]
    ).all()
    members = pd.read_csv(folder / "members.csv.gz")
    assert len(members) == int(DRAWS) * 7
    assert set(members["member"]) == set(range(int(DRAWS)))
    assert set(HEADLINE) <= set(members.columns)
    g2026 = members[members["year"] == 2026]["gdp"]
    assert g2026.median() == pytest.approx(annual.loc[2026, "gdp"])
    draws = pd.read_csv(folder / "draws.csv.gz", index_col="member")
    assert len(draws) == int(DRAWS) and "capital.depreciation" in draws.columns
    charts = {p.name for p in (folder / "charts").glob("*.png")}
    assert {"gdp.png", "sector_shares.png", "targets.png", "target_probability.png"} <= charts
    targets = pd.read_csv(folder / "targets.csv")
    assert targets["probability"].between(0, 1).all()
    assert "P(met)" in res.output and " %" in res.output
    assert "40 draws" in res.output and "seed 1" in res.output
    info = json.loads((folder / "run.json").read_text())
    assert (info["draws"], info["seed"], info["sampling"]) == (40, 1, "lhs")
    assert info["ensemble"]["default_uncertainty"] is True
    assert "members.csv.gz" in info["files"]
    assert leftovers(out) == ["short"]


def test_same_seed_same_files(short, tmp_path):
    for folder in ("a", "b"):
        res = invoke(
            "run", short, "--out", tmp_path / folder, "--draws", DRAWS, "--seed", 7, "--no-charts"
        )
        assert res.exit_code == 0, res.output
    for name in ("annual.csv", "targets.csv", "members.csv.gz", "draws.csv.gz"):
        a = (tmp_path / "a" / "short" / name).read_bytes()
        assert a == (tmp_path / "b" / "short" / name).read_bytes(), name


def test_sampling_and_chunks(short, tmp_path):
    base = ["run", short, "--draws", DRAWS, "--seed", 3, "--no-charts", "--sampling", "sobol"]
    assert invoke(*base, "--out", tmp_path / "one").exit_code == 0
    assert invoke(*base, "--out", tmp_path / "many", "--chunk-size", 7).exit_code == 0
    one = (tmp_path / "one" / "short" / "annual.csv").read_bytes()
    assert one == (tmp_path / "many" / "short" / "annual.csv").read_bytes()
    info = json.loads((tmp_path / "many" / "short" / "run.json").read_text())
    assert info["sampling"] == "sobol" and info["ensemble"]["chunks"] == 6


def test_progress_bar_path_gives_the_same_members(short, tmp_path, monkeypatch):
    args = ["run", short, "--draws", DRAWS, "--seed", 4, "--no-charts", "--chunk-size", 9]
    assert invoke(*args, "--out", tmp_path / "plain").exit_code == 0
    monkeypatch.setattr(progress_bars, "show_progress", lambda: True)
    res = invoke(*args, "--out", tmp_path / "bar")
    assert res.exit_code == 0, res.output
    assert "Running draws" in res.output
    res = invoke(*args, "--out", tmp_path / "pool", "--workers", 2)
    assert res.exit_code == 0, res.output
    plain = (tmp_path / "plain" / "short" / "members.csv.gz").read_bytes()
    assert plain == (tmp_path / "bar" / "short" / "members.csv.gz").read_bytes()
    assert plain == (tmp_path / "pool" / "short" / "members.csv.gz").read_bytes()


def test_workers_1_or_auto_on_a_single_run_is_not_an_error(short, tmp_path):
    for w in ("1", "auto"):
        res = invoke("run", short, "--no-charts", "--out", tmp_path / w, "--workers", w)
        assert res.exit_code == 0, res.output


def test_auto_and_one_worker_give_the_same_members(short, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)  # a pool of two, also on one CPU
    args = ["run", short, "--draws", DRAWS, "--seed", 8, "--no-charts", "--chunk-size", 10]
    assert invoke(*args, "--out", tmp_path / "auto").exit_code == 0
    assert invoke(*args, "--out", tmp_path / "one", "--workers", "1").exit_code == 0
    auto = (tmp_path / "auto" / "short" / "members.csv.gz").read_bytes()
    assert auto == (tmp_path / "one" / "short" / "members.csv.gz").read_bytes()


def test_no_progress_output_without_a_terminal(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path, "--draws", 30, "--chunk-size", 10, "--no-charts")
    assert res.exit_code == 0
    assert "Running draws" not in res.output


def test_declared_uncertainty_runs_an_ensemble_by_default(tmp_path):
    path = write(
        tmp_path / "declared.toml",
        SHORT.format(name="declared", vouchers=1.0) + DECLARED.format(draws=12),
    )
    res = invoke("run", path, "--out", tmp_path / "a", "--no-charts")
    assert res.exit_code == 0, res.output
    info = json.loads((tmp_path / "a" / "declared" / "run.json").read_text())
    assert (info["draws"], info["seed"]) == (12, 5)
    assert info["ensemble"]["default_uncertainty"] is False
    assert set(info["ensemble"]["uncertainty"]["parameters"]) == {
        "capital.depreciation",
        "tfp.growth_tertiary",
    }
    assert "the scenario's uncertainty: 2 parameter(s)" in res.output
    res = invoke("run", path, "--out", tmp_path / "b", "--no-charts", "--draws", 8)
    assert res.exit_code == 0, res.output
    members = pd.read_csv(tmp_path / "b" / "declared" / "members.csv.gz")
    assert members["member"].nunique() == 8


def test_resolved_file_of_a_declared_ensemble_reproduces_it(tmp_path):
    path = write(
        tmp_path / "declared.toml",
        SHORT.format(name="declared", vouchers=1.0) + DECLARED.format(draws=10),
    )
    assert invoke("run", path, "--out", tmp_path / "a", "--no-charts").exit_code == 0
    resolved = tmp_path / "a" / "declared" / "scenario.resolved.toml"
    res = invoke("run", resolved, "--out", tmp_path / "b", "--no-charts")
    assert res.exit_code == 0, res.output
    a = (tmp_path / "a" / "declared" / "annual.csv").read_bytes()
    assert a == (tmp_path / "b" / "declared" / "annual.csv").read_bytes()


def test_compare_with_itself_is_exactly_zero(short, tmp_path):
    out = tmp_path / "runs"
    res = invoke(
        "compare", short, short, "--out", out, "--draws", DRAWS, "--seed", 3, "--no-charts"
    )
    assert res.exit_code == 0, res.output
    folder = out / "compare-short-vs-short_2"
    diff = pd.read_csv(folder / "differences_abs.csv")
    values = diff.drop(columns=["scenario", "year"]).drop(
        columns=[c for c in diff.columns if c.endswith("_prob_higher")]
    )
    assert (values.fillna(0.0) == 0.0).all().all()
    assert (diff["gdp_prob_higher"] == 0.0).all()
    text = (folder / "statements.txt").read_text(encoding="utf-8")
    assert "unchanged in every draw" in text and "raises" not in text
    assert "unchanged in every draw" in res.output


def test_compare_draws_writes_fans_and_probability_statements(short, short_alt, tmp_path):
    out = tmp_path / "runs"
    res = invoke("compare", short, short_alt, "--out", out, "--draws", DRAWS, "--seed", 3)
    assert res.exit_code == 0, res.output
    folder = out / "compare-short-vs-alt"
    charts = {p.name for p in (folder / "charts").glob("*.png")}
    assert {"retail_sales.png", "retail_sales_diff.png", "target_probability.png"} <= charts
    diff = pd.read_csv(folder / "differences_abs.csv", index_col=["scenario", "year"])
    row = diff.loc[("alt", 2025)]
    assert 0 < row["retail_sales_p5"] <= row["retail_sales"] <= row["retail_sales_p95"]
    assert row["retail_sales_prob_higher"] == 1.0
    pct = pd.read_csv(folder / "differences_pct.csv")
    assert "retail_sales_p95" in pct.columns and "share_tertiary_pct" not in pct.columns
    text = (folder / "statements.txt").read_text(encoding="utf-8")
    assert "alt raises retail sales of consumer goods (current prices) in 2025" in text
    assert "with 90 % probability (5th-95th percentile)" in text
    assert "of draws" in res.output and "P(Δ > 0)" in res.output
    levels = pd.read_csv(folder / "annual.csv")
    assert set(levels["scenario"]) == {"short", "alt"} and "gdp_p95" in levels.columns
    card = pd.read_csv(folder / "scorecard.csv")
    assert {"probability:short", "probability:alt"} <= set(card.columns)
    info = json.loads((folder / "run.json").read_text())
    assert info["ensemble"]["seed"] == 3 and info["ensemble"]["common_random_numbers"]


def test_compare_draws_needs_the_same_years(short, tmp_path):
    longer = write(
        tmp_path / "longer.toml", SHORT.format(name="longer", vouchers=1.0).replace("2026", "2027")
    )
    out = tmp_path / "runs"
    res = invoke("compare", short, longer, "--out", out, "--draws", 5)
    assert res.exit_code == 2
    assert "same years" in res.stderr and "Traceback" not in res.output
    assert leftovers(out) == []


@pytest.mark.parametrize(
    "method, n, columns",
    [
        ("morris", 4, ["mu_star", "mu_star_conf", "sigma"]),
        ("sobol", 8, ["S1", "S1_conf", "ST", "ST_conf"]),
    ],
)
def test_sensitivity_writes_a_ranked_table_and_charts(short, tmp_path, method, n, columns):
    out = tmp_path / "runs"
    res = invoke(
        "sensitivity",
        short,
        "--method",
        method,
        "-N",
        n,
        "--seed",
        1,
        "--output",
        "gdp_real@2025",
        "--output",
        "population@2026",
        "--out",
        out,
    )
    assert res.exit_code == 0, res.output
    folder = out / f"sensitivity-short-{method}"
    table = pd.read_csv(folder / "indices.csv")
    assert set(columns) <= set(table.columns)
    assert set(table["output"]) == {"gdp_real@2025", "population@2026"}
    key = "ST" if method == "sobol" else "mu_star"
    for _, part in table.groupby("output"):
        assert list(part["rank"]) == list(range(1, len(part) + 1))
        ranked = part[key].dropna().to_list()
        assert ranked == sorted(ranked, reverse=True)
    charts = {p.name for p in (folder / "charts").glob("*.png")}
    assert charts == {"gdp_real_2025.png", "population_2026.png"}
    info = json.loads((folder / "run.json").read_text())
    assert info["method"] == method and info["seed"] == 1 and info["runs"] > 0
    assert (folder / "scenario.resolved.toml").is_file()
    assert "most influential first" in res.output and "rank" in res.output
    assert leftovers(out) == [f"sensitivity-short-{method}"]


@pytest.mark.parametrize(
    "output, fragment",
    [
        ("gpd_real@2025", "did you mean 'gdp_real'"),
        ("tertiary_share@2025", "did you mean 'share_tertiary_pct'"),
        ("gdp_real@2030", "outside the run 2020..2026"),
        ("gdp_real", "indicator@year"),
    ],
)
def test_sensitivity_bad_output_exits_2(short, tmp_path, output, fragment):
    out = tmp_path / "runs"
    res = invoke("sensitivity", short, "--method", "morris", "--output", output, "--out", out)
    assert res.exit_code == 2
    assert fragment in res.stderr
    assert "Traceback" not in res.output
    assert leftovers(out) == []


def test_sensitivity_existing_folder_needs_force(short, tmp_path):
    args = ["sensitivity", short, "--method", "morris", "-N", 2, "--out", tmp_path, "--no-charts"]
    assert invoke(*args).exit_code == 0
    res = invoke(*args)
    assert res.exit_code == 2 and "--force" in res.stderr
    assert invoke(*args, "--force").exit_code == 0


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--draws", "0"], "--draws"),
        (["--draws", "-3"], "--draws"),
        (["--draws", "many"], "--draws"),
        (["--draws", "5", "--sampling", "halton"], "--sampling"),
        (["--draws", "5", "--seed", "-1"], "--seed"),
        (["--draws", "5", "--workers", "0"], "--workers"),
        (["--draws", "5", "--workers", "many"], "'auto'"),
        (["--workers", "2"], "add --draws N"),
        (["--draws", "5", "--executor", "http://host:8786"], "dask://HOST:PORT"),
        (["--draws", "5", "--executor", "dask://host"], "dask://HOST:PORT"),
        (["--draws", "5", "--executor", "dask://host:99999"], "dask://HOST:PORT"),
        (["--seed", "3"], "add --draws N"),
        (["--sampling", "mc"], "add --draws N"),
    ],
)
@pytest.mark.parametrize("command", ["run", "compare"])
def test_bad_ensemble_input_exits_2_and_writes_nothing(
    short, short_alt, tmp_path, command, extra, fragment
):
    out = tmp_path / "runs"
    files = [short] if command == "run" else [short, short_alt]
    res = invoke(command, *files, "--out", out, *extra)
    assert res.exit_code == 2
    assert fragment in res.stderr
    assert "Traceback" not in res.output
    assert leftovers(out) == []


def test_executor_without_distributed_names_the_extra(short, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--draws", 5, "--executor", "dask://127.0.0.1:8786")
    assert res.exit_code == 2
    assert 'pip install "hubinsim[distributed]"' in res.stderr
    assert "Traceback" not in res.output
    assert leftovers(out) == []


def test_executor_runs_on_a_dask_cluster(short, tmp_path):
    distributed = pytest.importorskip("distributed")
    args = ["run", short, "--draws", 20, "--seed", 6, "--no-charts", "--chunk-size", 8]
    assert invoke(*args, "--out", tmp_path / "local").exit_code == 0
    # threads of this process, reached over TCP as a remote scheduler would be
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=":0",  # any free port: 8787 may be taken by another cluster
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        res = invoke(*args, "--out", tmp_path / "dask", "--executor", address)
    assert res.exit_code == 0, res.output
    local = (tmp_path / "local" / "short" / "members.csv.gz").read_bytes()
    assert local == (tmp_path / "dask" / "short" / "members.csv.gz").read_bytes()


def test_members_and_draws_files_hold_the_ensemble(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path, "--draws", 12, "--seed", 9, "--no-charts")
    assert res.exit_code == 0, res.output
    ref = run_ensemble(hubinsim.load_scenario(short), draws=12, seed=9)
    members = pd.read_csv(tmp_path / "short" / "members.csv.gz")
    for name in ("gdp", "gdp_real_growth_pct", "unemployment_rate_pct"):
        table = members.pivot(index="year", columns="member", values=name).to_numpy()
        np.testing.assert_allclose(table, ref.values[name], rtol=1e-9)  # written to 10 digits
    draws = pd.read_csv(tmp_path / "short" / "draws.csv.gz", index_col="member")
    for name, values in ref.metadata["samples"].items():
        np.testing.assert_array_equal(draws[name].to_numpy(), values)  # bit for bit


def test_the_command_line_names_the_drawn_levers(tmp_path):
    res = invoke("run", extending_baseline(tmp_path), "--out", tmp_path / "runs", "--no-charts")
    assert res.exit_code == 0, res.output
    assert "lever(s) drawn: plan_realisation, siphon_rate" in res.output
    draws = hubinsim.read_draws(tmp_path / "runs" / "drawn")
    assert {"plan_realisation", "siphon_rate"} <= set(draws.columns)
    assert draws["plan_realisation"].between(0.4, 0.9).all()


# ------------------------------------------------------------------------- members and draws files


CSV_FILES = ("members.csv.gz", "draws.csv.gz")


NPZ_FILES = ("members.npz", "draws.npz")


def test_cli_run_above_the_limit_writes_and_lists_npz(short, tmp_path, monkeypatch):
    monkeypatch.setattr(member_files, "MEMBERS_CSV_LIMIT", 10)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--draws", 12, "--seed", 4, "--no-charts")
    assert res.exit_code == 0, res.output
    folder = out / "short"
    info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert {"members.npz", "draws.npz"} <= set(info["files"])
    assert not set(CSV_FILES) & set(info["files"])
    assert sorted(p.name for p in out.iterdir()) == ["short"]  # no temporary folder left
    assert not any((folder / f).exists() for f in CSV_FILES)
    assert "annual.csv, members.npz, draws.npz, targets.csv" in res.output
    ref = run_ensemble(hubinsim.load_scenario(short), draws=12, seed=4)
    pd.testing.assert_frame_equal(
        hubinsim.read_members(folder), members_frame(ref), check_exact=True
    )
    pd.testing.assert_frame_equal(hubinsim.read_draws(folder), draws_frame(ref), check_exact=True)


def test_cli_run_up_to_the_limit_still_lists_csv(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path, "--draws", 12, "--seed", 4, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "annual.csv, members.csv.gz, draws.csv.gz, targets.csv" in res.output
    assert not any((tmp_path / "short" / f).exists() for f in NPZ_FILES)


def test_cli_run_help_names_the_npz_files():
    res = invoke("run", "--help")
    assert res.exit_code == 0
    assert "members.npz" in res.output and "draws.npz" in res.output


# --------------------------------------------------------------------------------------- bad input


HEAD = '[scenario]\nname = "bad"\n\n[time]\nend = 2026\n'


CASES = {
    # id: (file text, expected fragments of the message)
    "unknown-section": (HEAD + "[investmnet]\nplan_realisation = 0.7\n", [":6:", "investmnet"]),
    "misspelt-lever": (
        HEAD + "[consumption]\nvouchres = 1.0\n",
        [":7:", "did you mean", "'vouchers'"],
    ),
    "wrong-section": (HEAD + "[population]\nvouchers = 1.0\n", [":7:", "[consumption]"]),
    "wrong-type": (HEAD + '[consumption]\nvouchers = "lots"\n', [":7:", "vouchers", "number"]),
    "out-of-range": (HEAD + "[fiscal]\ntax_relief = 0.9\n", [":7:", "tax_relief", "0.3"]),
    "percent-for-fraction": (
        HEAD + "[investment]\nplan_realisation = 85\n",
        [":7:", "85 is outside the valid range [0, 1] fraction", "did you mean 0.85?"],
    ),
    "schedule-outside-run": (
        HEAD + "[consumption]\nvouchers = { 2021 = 1.0, 2031 = 2.0 }\n",
        [":7:", "vouchers", "2031"],
    ),
    "schedule-out-of-order": (
        HEAD + "[consumption]\nvouchers = { 2024 = 1.0, 2022 = 2.0 }\n",
        [":7:", "vouchers", "order"],
    ),
    "unknown-parameter": (
        HEAD + '[parameters]\n"capital.depreciaton" = 0.07\n',
        [":7:", "capital.depreciation"],
    ),
    "bad-shock": (
        HEAD + '[[shock]]\ntarget = "va_tertary"\nyears = [2022, 2021]\nfactor = 0.9\n',
        [":7:", "va_tertiary", "order"],
    ),
    "missing-extends": (
        '[scenario]\nname = "bad"\nextends = "nowhere.toml"\n',
        [":3:", "nowhere.toml"],
    ),
}


def check_failed(res, out: Path, fragments):
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("Error: ")
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in res.stderr, (fragment, res.stderr)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_file(case, tmp_path):
    text, fragments = CASES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "runs"
    res = invoke("run", path, "--out", out, "--no-charts")
    check_failed(res, out, ["bad.toml", *fragments])
    assert invoke("validate", path).exit_code == 2


def test_extends_cycle_names_the_chain(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[scenario]\nextends = "a.toml"\n', encoding="utf-8")
    out = tmp_path / "runs"
    res = invoke("run", tmp_path / "a.toml", "--out", out)
    check_failed(res, out, ["a.toml", "b.toml", "cycle"])


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        HEAD + "[consumption]\nvouchres = 1.0\n[fiscal]\ntax_relief = 0.9\n", encoding="utf-8"
    )
    res = invoke("validate", path)
    assert res.exit_code == 2
    assert ":7:" in res.output and ":9:" in res.output


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_value_plausible_in_both_units_is_a_warning(data_copy, tmp_path):
    # in a data folder whose range of the trade margin spans a factor of 900
    _edit(
        data_copy / "parameters.csv", "trade_margin,0.15,0.05,0.30", "trade_margin,0.15,0.001,0.9"
    )
    path = tmp_path / "m.toml"
    path.write_text('[parameters]\n"consumption.trade_margin" = 0.5\n', encoding="utf-8")
    res = invoke("--data", data_copy, "validate", path)
    assert res.exit_code == 0, res.output
    assert f"Warning: {path}:2: [parameters]" in res.stderr
    assert "if you meant 0.5 %, write 0.005" in res.stderr


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        (
            "parameters.csv",
            "capital.depreciation,0.096,",
            "capital.depreciation,eight,",
            ["parameters.csv", "line", "'value'", "eight"],
        ),
        ("base_2020.csv", "name,value,unit", "name,amount,unit", ["base_2020.csv", "value"]),
        ("project_pool.csv", "transport,", "transprt,", ["project_pool.csv", "transport"]),
        (
            "targets.csv",
            "share_tertiary_pct,60,",
            "share_tertiary,60,",
            ["targets.csv", "share_tertiary"],
        ),
    ],
    ids=["non-numeric", "missing-column", "unknown-category", "unknown-indicator"],
)
def test_malformed_data_file(data_copy, tmp_path, file, old, new, fragments):
    _edit(data_copy / file, old, new)
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, fragments)


def test_missing_data_file(data_copy, tmp_path):
    (data_copy / "project_pool.csv").unlink()
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, ["project_pool.csv", "not found"])


@pytest.mark.parametrize(
    "args",
    [
        ["run", ROOT / "scenarios" / "baseline.toml", "--draws", "100000000000"],
        ["sensitivity", ROOT / "scenarios" / "baseline.toml", "-N", "100000000"],
    ],
    ids=["draws", "sobol-n"],
)
def test_huge_ensembles_are_refused(args, tmp_path):
    res = invoke(*args, "--out", tmp_path / "runs")
    assert res.exit_code == 2
    assert "is not in the range" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "runs").exists()


def test_draws_in_a_scenario_file_are_bounded(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + "[uncertainty]\ndraws = 100000000000\n", encoding="utf-8")
    res = invoke("validate", path)
    assert res.exit_code == 2
    assert ":7:" in res.output and "draws" in res.output


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        (
            "parameters.csv",
            "capital.depreciation_public,",
            "capital.depreciation,",
            ["parameters.csv", "appears twice"],
        ),
        (
            "project_pool.csv",
            "industry,工业,50,128.47",
            "industry,工业,50,-5",
            ["project_pool.csv", "negative"],
        ),
        ("targets.csv", "retail_sales,150,2025", "retail_sales,150,2099", ["targets.csv", "year"]),
        ("targets.csv", "3.8,2025,<=,2021", "3.8,2025,<=,2019", ["targets.csv", "each_year_from"]),
    ],
    ids=["duplicate-parameter", "negative-pool", "target-year", "target-first-year"],
)
def test_inconsistent_data_file(data_copy, tmp_path, file, old, new, fragments):
    _edit(data_copy / file, old, new)
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, [*fragments, "line"])


def test_a_folder_in_place_of_a_data_file(data_copy, tmp_path):
    (data_copy / "targets.csv").unlink()
    (data_copy / "targets.csv").mkdir()
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, ["targets.csv", "is a folder, not a file"])


def test_a_name_too_long_for_a_folder_is_refused_by_validate(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "' + "湖" * 90 + '"\n', encoding="utf-8")
    res = invoke("validate", path)
    assert res.exit_code == 2 and ":2:" in res.output and "bytes" in res.output


def test_compare_of_long_names_writes_a_shortened_folder(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"s{i}.toml"
        path.write_text(
            f'[scenario]\nname = "{"湖" * 60}{i}"\n[time]\nend = 2022\n', encoding="utf-8"
        )
        paths.append(path)
    out = tmp_path / "runs"
    res = invoke("compare", *paths, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    (folder,) = list(out.iterdir())
    assert folder.name.startswith("compare-") and len(folder.name.encode()) <= 200


# ------------------------------------------------------------------------- solve, attribution


def test_solve_writes_a_scenario_that_extends_the_original_and_meets_the_target(tmp_path):
    res = invoke(
        "solve",
        SCENARIOS / "baseline.toml",
        "--target",
        "gdp_real@2025>=400",
        "--lever",
        "plan_realisation",
        "--out",
        tmp_path,
    )
    assert res.exit_code == 0, res.output
    assert "meets gdp_real@2025>=400" in res.output
    folder = tmp_path / "solve-baseline-gdp_real-2025-plan_realisation"
    assert sorted(p.name for p in folder.iterdir()) == [
        "baseline-solved.toml",
        "charts",
        "costs.csv",
        "effects.csv",
        "run.json",
        "scan.csv",
        "solution.csv",
    ]
    effects = pd.read_csv(folder / "effects.csv")
    assert {"government_debt", "fiscal_balance", "share_tertiary_pct"} <= set(effects["indicator"])
    assert "government_debt" in res.output and "% of revenue" in res.output
    assert (folder / "charts" / "response.png").stat().st_size > 0
    solved = hubinsim.load_scenario(folder / "baseline-solved.toml")
    assert solved.extends[0] == str((SCENARIOS / "baseline.toml").resolve())
    value = hubinsim.simulate(solved).annual.loc[2025, "gdp_real"]
    assert 400 <= value <= 400 * (1 + 1e-6)
    record = json.loads((folder / "run.json").read_text())
    assert record["status"] == "met" and record["target"] == "gdp_real@2025>=400"


def test_solve_from_a_year_writes_a_scenario_that_keeps_the_years_before(tmp_path):
    base = SCENARIOS / "baseline.toml"
    res = invoke(
        "solve", base, "--target", "retail_sales@2030>=190", "--lever", "vouchers",
        "--from", 2026, "--out", tmp_path, "--no-charts",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "from 2026 on" in res.output
    (costs,) = tmp_path.glob("solve-*/costs.csv")
    share = pd.read_csv(costs).set_index("item").loc["vouchers", "share_of_revenue_pct"]
    warned = res.output.find("Warning: vouchers: an extra outlay")
    assert (warned > -1) == (share > 10)
    assert warned < res.output.index("Wrote ")  # warnings come before what was written
    (path,) = tmp_path.glob("solve-*/baseline-solved.toml")
    solved = hubinsim.simulate(hubinsim.load_scenario(path)).annual
    before = hubinsim.simulate(hubinsim.load_scenario(base)).annual
    pd.testing.assert_frame_equal(solved.loc[:2025], before.loc[:2025])
    assert 190 <= solved.loc[2030, "retail_sales"] <= 190 * (1 + 1e-6)


def test_solving_one_target_with_other_levers_writes_another_folder(tmp_path):
    args = ["solve", SCENARIOS / "baseline.toml", "--target", "share_tertiary_pct@2025>=62"]
    for levers in (["tertiary_shift"], ["tourism_growth"], ["tertiary_shift", "tourism_growth"]):
        flags = [part for name in levers for part in ("--lever", name)]
        res = invoke(*args, *flags, "--out", tmp_path, "--no-charts")
        assert res.exit_code == 0, res.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "solve-baseline-share_tertiary_pct-2025-tertiary_shift",
        "solve-baseline-share_tertiary_pct-2025-tertiary_shift-tourism_growth",
        "solve-baseline-share_tertiary_pct-2025-tourism_growth",
    ]


@pytest.mark.filterwarnings("ignore:the solution lowers real GDP")
def test_solve_on_actual_figures_writes_its_own_folder_and_refuses_history(tmp_path):
    from hubinsim.actuals import COLUMNS
    from hubinsim.analysis.calibration import synthetic_actuals

    obs = synthetic_actuals(parameters={"tfp.growth_tertiary": 0.02}, years=range(2021, 2024))
    path = tmp_path / "actuals.csv"
    obs.assign(period="year")[list(COLUMNS)].to_csv(path, index=False, float_format="%.12g")
    base = SCENARIOS / "baseline.toml"
    args = ["solve", base, "--lever", "tourism_growth", "--actuals", path, "--no-charts"]
    res = invoke(*args, "--target", "va_tertiary@2027>=300", "--out", tmp_path / "runs")
    assert res.exit_code == 0, res.output
    assert "re-projection from the actual figures" in res.output
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name == "solve-baseline-va_tertiary-2027-tourism_growth-from-2024-actuals"
    record = json.loads((folder / "run.json").read_text())
    assert record["restart_year"] == 2023 and record["actuals_sha256"]
    res = invoke(*args, "--target", "va_tertiary@2022>=300", "--out", tmp_path / "other")
    assert res.exit_code == 2
    assert "is not after the latest full year of actual figures" in res.output
    assert leftovers(tmp_path / "other") == []


def test_solve_an_unreachable_target_exits_0_and_says_so(tmp_path):
    res = invoke(
        "solve",
        SCENARIOS / "baseline.toml",
        "--target",
        "gdp_real@2025>=600",
        "--lever",
        "plan_realisation",
        "--out",
        tmp_path,
        "--no-charts",
    )
    assert res.exit_code == 0, res.output
    assert "cannot be met within the levers' ranges" in res.output
    closest = tmp_path / "solve-baseline-gdp_real-2025-plan_realisation" / "baseline-closest.toml"
    assert closest.is_file()


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--target", "gdp_real@2025=>400", "--lever", "vouchers"], "INDICATOR@YEAR>=VALUE"),
        (["--target", "gdp_real@2025>=400", "--lever", "voucher"], "unknown lever"),
        (["--target", "gdp_real@2040>=400", "--lever", "vouchers"], "must lie in 2021..2035"),
        (["--target", "gdp_real@2025>=400", "--lever", "vouchers", "--seed", "1"], "need draws"),
        (
            ["--target", "gdp_real@2025>=400", "--lever", "vouchers", "--from", "2026"],
            "cannot move the target's year 2025",
        ),
    ],
)
def test_solve_bad_input_exits_2_and_writes_nothing(tmp_path, args, fragment):
    res = invoke("solve", SCENARIOS / "baseline.toml", *args, "--out", tmp_path / "out")
    assert res.exit_code == 2
    assert fragment in res.stderr and "Traceback" not in res.output
    assert leftovers(tmp_path / "out") == []


def test_compare_attribute_writes_the_split_and_prints_it(short, short_alt, tmp_path):
    res = invoke("compare", short, short_alt, "--attribute", "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "alt against short in 2025, split by setting" in res.output
    folder = tmp_path / "compare-short-vs-alt"
    frame = pd.read_csv(folder / "attribution.csv")
    assert set(frame["setting"]) == {"vouchers"}
    one = frame.dropna(subset=["difference"])
    np.testing.assert_allclose(one["contribution"], one["difference"], rtol=1e-12, atol=1e-12)
    record = json.loads((folder / "run.json").read_text())
    assert record["attribution"]["runs"] == 3
    assert "government_debt" in res.output  # the split of debt, and its line with the targets
    assert "Government debt and the plan targets of 2025" in res.output
    assert "share_tertiary_pct" in res.output and "plan target" in res.output


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--group", "x=vouchers"], "apply to --attribute"),
        (["--attribute", "--group", "x"], "write NAME=SETTING,SETTING"),
        (["--attribute", "--group", "x=tax_relief"], "is not a setting in which"),
    ],
)
def test_compare_attribute_bad_groups_exit_2(short, short_alt, tmp_path, args, fragment):
    res = invoke("compare", short, short_alt, *args, "--out", tmp_path / "out", "--no-charts")
    assert res.exit_code == 2
    assert fragment in res.stderr
    assert leftovers(tmp_path / "out") == []


def test_estimate_writes_the_estimates_and_a_fragment(tmp_path):
    from hubinsim.analysis.elasticities import synthetic_panel

    synthetic_panel(districts=3, seed=4).to_csv(tmp_path / "panel.csv")
    res = invoke("estimate", SCENARIOS / "baseline.toml", "--panel", tmp_path / "panel.csv",
                 "--out", tmp_path / "out")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "labour.okun" in res.output and "HAC within districts" in res.output
    folder = tmp_path / "out" / "estimate-baseline"
    table = pd.read_csv(folder / "estimates.csv", index_col=0)
    assert set(table.index) == {
        "labour.okun", "fiscal.buoyancy", "consumption.services_income_elasticity",
    }  # fmt: skip
    scn = hubinsim.load_scenario(folder / "baseline-estimated.toml")
    assert set(scn.parameters) <= set(table.index)
    assert "labour.okun: OLS" in (folder / "regressions.txt").read_text()


def test_estimate_with_a_bad_panel_exits_2_and_writes_nothing(tmp_path):
    bad = write(tmp_path / "panel.csv", "district,year,gdp\nA,2020,x\n")
    res = invoke("estimate", SCENARIOS / "baseline.toml", "--panel", bad, "--out", tmp_path / "o")
    assert res.exit_code == 2
    assert "line 2, column 3 (gdp): 'x' is not a number" in res.stderr
    assert leftovers(tmp_path / "o") == []


def test_the_comparison_scorecard_csv_reads_as_a_table_for_people(short, short_alt, tmp_path):
    """Rounded (counts whole), the 2020 tertiary base as the plan prints it (57.8, as the
    evaluation), the growth needed once with its unit and blank for an every-year target,
    the firm count's measured to its rule's 67.6 (8.00 %/yr), the projected columns' header
    saying they show an every-year target's worst year, and a newline at the end."""
    import pandas as pd

    res = invoke("compare", short, short_alt, "--out", tmp_path, "--no-charts", "--lang", "zh")
    assert res.exit_code == 0, res.output
    path = tmp_path / "compare-short-vs-alt" / "scorecard.csv"
    assert path.read_bytes().endswith(b"\n")
    card = pd.read_csv(path, encoding="utf-8-sig").set_index(["指标代码", "目标年份"])
    assert "预测值(逐年目标为最差年份):short" in card.columns
    assert not [c for c in card.columns if c.startswith("所需年均增长:")]
    share = card.loc[("share_tertiary_pct", 2025)]
    assert share["2020年基数"] == 57.8 and share["增长单位"] == "个百分点/年"
    assert share["自2020年所需年均增长"] == pytest.approx((60 - 57.8) / 5, abs=0.005)
    firms = card.loc[("enterprises_above_scale", 2025)]
    assert firms["自2020年所需年均增长"] == pytest.approx(8.0, abs=0.005)
    assert pd.isna(card.loc[("unemployment_rate_pct", 2025), "自2020年所需年均增长"])
    for col in card.select_dtypes("number"):
        values = card[col].dropna()
        assert (values.round(2) == values).all(), col
    text = path.read_text(encoding="utf-8-sig")
    assert ",35000," in text and "35000.0" not in text


def test_the_comparison_has_an_annual_table_for_reading(short, short_alt, tmp_path):
    """annual_readable.csv: names and units in the headers (Chinese under zh), two decimals,
    counts whole; annual.csv keeps the codes and full precision for scripts."""
    import pandas as pd

    res = invoke("compare", short, short_alt, "--out", tmp_path, "--no-charts", "--lang", "zh")
    assert res.exit_code == 0, res.output
    folder = tmp_path / "compare-short-vs-alt"
    assert "annual_readable.csv" in res.output
    table = pd.read_csv(folder / "annual_readable.csv", encoding="utf-8-sig")
    assert list(table.columns[:3]) == ["情景", "年份", "地区生产总值(亿元,现价)"]
    assert "规模以上工业企业数(家)" in table.columns
    assert table["规模以上工业企业数(家)"].dtype.kind == "i"
    for col in table.select_dtypes("float"):
        values = table[col].dropna()
        assert (values.round(2) == values).all(), col
    codes = pd.read_csv(folder / "annual.csv", encoding="utf-8-sig")
    assert "gdp" in codes.columns and len(codes) == len(table)
    assert (codes["gdp"].round(2) == table["地区生产总值(亿元,现价)"]).all()


def test_the_comparison_scorecard_csv_takes_the_targets_of_the_data_folder(
    short, short_alt, data_copy, tmp_path
):
    """With ``--data DIR`` scorecard.csv's base and growth needed come from DIR's targets
    file, as the comparison's verdicts do, not from the project's."""
    import pandas as pd

    path = data_copy / "targets.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("share_tertiary_pct,60,"))
    new = row.replace("share_tertiary_pct,60,", "share_tertiary_pct,65,").replace(
        ",57.8,", ",55.0,"
    )
    path.write_text(text.replace(row, new), encoding="utf-8")
    res = invoke("--data", data_copy, "compare", short, short_alt, "--out", tmp_path, "--no-charts")
    assert res.exit_code == 0, res.output
    card = pd.read_csv(tmp_path / "compare-short-vs-alt" / "scorecard.csv", encoding="utf-8-sig")
    share = card.set_index(["indicator", "year"]).loc[("share_tertiary_pct", 2025)]
    assert share["target"] == 65.0 and share["base_2020"] == 55.0
    assert share.filter(like="growth needed").iloc[0] == pytest.approx((65 - 55.0) / 5, abs=0.005)
