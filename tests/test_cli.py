"""The command line, through click's CliRunner: success and error paths."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import SHORT, invoke, leftovers, write
from click.testing import CliRunner

from hubinsim import cli
from hubinsim.catalog import HEADLINE, LEVERS, SHOCK_TARGETS
from hubinsim.data import load_parameters

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


# --------------------------------------------------------------------------- help, version


@pytest.mark.parametrize("command", [[], ["run"], ["compare"], ["levers"], ["validate"]])
def test_every_help_shows_an_example(command):
    res = invoke(*command, "--help")
    assert res.exit_code == 0
    assert "Examples:" in res.output
    assert "hubinsim " in res.output.split("Examples:")[1]


def test_version():
    res = invoke("--version")
    assert res.exit_code == 0
    assert "0." in res.output


def test_help_does_not_import_matplotlib_or_run_the_model():
    code = (
        "import sys\n"
        "from hubinsim.cli import main\n"
        "try:\n"
        "    main(['--help'], prog_name='hubinsim')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MPL' if 'matplotlib' in sys.modules else 'NO-MPL')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip().endswith("NO-MPL")


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


# --------------------------------------------------------------------------- run


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
    annual = list(csv.DictReader(io.StringIO((folder / "annual.csv").read_text())))
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
    from hubinsim import output

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(output, "write_tables", broken)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--no-charts")
    assert res.exit_code == 1
    assert "bug" in res.stderr and "--debug" in res.stderr
    assert "Traceback" not in res.output
    assert leftovers(out) == []


def test_debug_shows_the_traceback_of_a_bug(short, tmp_path, monkeypatch):
    from hubinsim import output

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(output, "write_tables", broken)
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
    from hubinsim import plots

    res = invoke("run", short, "--out", tmp_path, "--lang", "zh")
    assert res.exit_code == 0
    if plots.cjk_font() is None:
        assert "Warning:" in res.stderr and "CJK" in res.stderr
    assert (tmp_path / "short" / "charts" / "gdp.png").is_file()


# --------------------------------------------------------------------------- resolved TOML


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


# --------------------------------------------------------------------------- compare


def test_compare_writes_charts_and_tables(short, short_alt, tmp_path):
    out = tmp_path / "runs"
    res = invoke("compare", short, short_alt, "--out", out)
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
    diff = list(csv.DictReader(io.StringIO((folder / "differences_abs.csv").read_text())))
    assert {r["scenario"] for r in diff} == {"alt"}
    assert float(diff[0]["retail_sales"]) == 0.0  # 2020: same base
    assert float(diff[-1]["retail_sales"]) > 0  # more vouchers, more retail sales
    card = list(csv.DictReader(io.StringIO((folder / "scorecard.csv").read_text())))
    assert "projected:short" in card[0] and "projected:alt" in card[0]
    assert "Headline indicators in 2025" in res.output
    assert "Plan-target scorecards" in res.output
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


# --------------------------------------------------------------------------- levers


def test_levers_table():
    res = invoke("levers")
    assert res.exit_code == 0
    for lv in LEVERS:
        assert lv.name in res.output
    assert "capital.depreciation" in res.output
    assert "va_tertiary" in res.output  # a shock target
    assert "消费券" in res.output


def test_levers_csv_lists_everything():
    res = invoke("levers", "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.output)))
    names = {(r["kind"], r["name"]) for r in rows}
    assert {("lever", lv.name) for lv in LEVERS} <= names
    assert {("parameter", p) for p in load_parameters()} <= names
    assert {("shock target", s.name) for s in SHOCK_TARGETS} <= names
    vouchers = next(r for r in rows if r["name"] == "vouchers")
    assert (vouchers["unit"], vouchers["default"], vouchers["low"], vouchers["high"]) == (
        "亿元/yr",
        "0",
        "0",
        "10",
    )
    assert vouchers["meaning_en"] and vouchers["meaning_zh"]


def test_levers_markdown():
    res = invoke("levers", "--format", "markdown")
    assert res.exit_code == 0
    assert "| section | name | unit | default | range |" in res.output
    assert res.output.count("### ") == 3


# --------------------------------------------------------------------------- validate


def test_validate_ok():
    res = invoke("validate", SCENARIOS / "baseline.toml", SCENARIOS / "stimulus.toml")
    assert res.exit_code == 0, res.output
    assert res.output.count("ok ") == 2


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
