"""The command line for ensembles, comparisons on common draws and sensitivity analyses."""

from __future__ import annotations

import builtins
import json

import pandas as pd
import pytest
from cli_support import SHORT, invoke, leftovers, write

from hubinsim import cli
from hubinsim.catalog import HEADLINE
from hubinsim.ensemble import DEFAULT_CHUNK_SIZE

DECLARED = """
[uncertainty]
draws = {draws}
seed = 5

[uncertainty.parameters]
"capital.depreciation" = {{ dist = "triangular", low = 0.05, mode = 0.08, high = 0.11 }}
"tfp.growth_tertiary" = {{ dist = "uniform" }}
"""

DRAWS = "40"


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", ["run", "compare", "sensitivity"])
def test_help_shows_an_ensemble_example(command):
    res = invoke(command, "--help")
    assert res.exit_code == 0
    examples = res.output.split("Examples:")[1]
    assert "hubinsim " in examples
    assert ("--draws" in examples) or command == "sensitivity"


def test_help_states_the_chunk_size_of_the_library():
    assert cli.CHUNK_SIZE_DEFAULT == DEFAULT_CHUNK_SIZE


# --------------------------------------------------------------------------- run --draws


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


def test_fan_charts_have_bands(short):
    import hubinsim
    from hubinsim import plots
    from hubinsim.ensemble import run_ensemble

    res = run_ensemble(hubinsim.load_scenario(short), draws=20, seed=2)
    fig = plots.run_charts(res)["gdp"]
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert {"median", "5-95th percentile", "25-75th percentile", "2020 base"} <= set(labels)
    assert "20 draws" in fig._suptitle.get_text()


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
    monkeypatch.setattr(cli, "_show_progress", lambda: True)
    res = invoke(*args, "--out", tmp_path / "bar")
    assert res.exit_code == 0, res.output
    assert "Running draws" in res.output
    res = invoke(*args, "--out", tmp_path / "pool", "--workers", 2)
    assert res.exit_code == 0, res.output
    plain = (tmp_path / "plain" / "short" / "members.csv.gz").read_bytes()
    assert plain == (tmp_path / "bar" / "short" / "members.csv.gz").read_bytes()
    assert plain == (tmp_path / "pool" / "short" / "members.csv.gz").read_bytes()


def test_auto_workers_are_one_per_usable_cpu_and_never_more_than_the_chunks(monkeypatch):
    monkeypatch.setattr(cli, "_usable_cpus", lambda: 4)
    assert cli._resolve_workers("auto", 10) == 4
    assert cli._resolve_workers("auto", 3) == 3
    assert cli._resolve_workers("auto", 1) == 1
    assert cli._resolve_workers(7, 3) == 7  # a number given is taken as it is


def test_auto_workers_stay_within_a_container_cpu_quota(monkeypatch, tmp_path):
    quota = tmp_path / "cpu.max"
    monkeypatch.setattr(cli, "CGROUP_CPU_MAX", quota)
    monkeypatch.setattr(cli.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    quota.write_text("150000 100000\n")
    assert cli._usable_cpus() == 2
    quota.write_text("max 100000\n")
    assert cli._usable_cpus() == 16
    quota.unlink()
    assert cli._usable_cpus() == 16


def test_workers_1_or_auto_on_a_single_run_is_not_an_error(short, tmp_path):
    for w in ("1", "auto"):
        res = invoke("run", short, "--no-charts", "--out", tmp_path / w, "--workers", w)
        assert res.exit_code == 0, res.output


def test_auto_and_one_worker_give_the_same_members(short, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "_usable_cpus", lambda: 2)  # a pool of two, also on one CPU
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


# --------------------------------------------------------------------------- compare --draws


def test_compare_with_itself_is_exactly_zero(short, tmp_path):
    out = tmp_path / "runs"
    res = invoke("compare", short, short, "--out", out, "--draws", DRAWS, "--seed", 3)
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


# --------------------------------------------------------------------------- sensitivity


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


def test_sensitivity_chart_titles_name_the_output_and_unit(short):
    import hubinsim
    from hubinsim import plots
    from hubinsim.sensitivity import sensitivity

    result = sensitivity(hubinsim.load_scenario(short), "gdp_real@2025", "morris", n=3, seed=1)
    fig = plots.sensitivity_chart(result, "gdp_real@2025", top=5)
    title = fig.axes[0].get_title(loc="left")
    assert "2025" in title and "2020 prices" in title
    assert len(fig.axes[0].get_yticklabels()) == 5


@pytest.mark.parametrize(
    "output, fragment",
    [
        ("gpd_real@2025", "did you mean 'gdp_real'"),
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


# --------------------------------------------------------------------------- bad input


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
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        res = invoke(*args, "--out", tmp_path / "dask", "--executor", address)
    assert res.exit_code == 0, res.output
    local = (tmp_path / "local" / "short" / "members.csv.gz").read_bytes()
    assert local == (tmp_path / "dask" / "short" / "members.csv.gz").read_bytes()


def test_members_and_draws_files_hold_the_ensemble(short, tmp_path):
    import numpy as np

    import hubinsim
    from hubinsim.ensemble import run_ensemble

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
