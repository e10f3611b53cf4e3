"""The run layer: single runs through simulate(), ensembles (reproducibility, chunks,
workers, executors, Dask), comparisons on common draws, and levers drawn per member."""

from __future__ import annotations

import builtins
import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from support import SHORT, extending_baseline, same_values, scenario, write

import hubinsim
from hubinsim import ScenarioError
from hubinsim.catalog import HEADLINE, POOL_CATEGORIES
from hubinsim.run import parallel
from hubinsim.run.ensemble import compare_ensembles, kept_indicators, run_ensemble, run_members
from hubinsim.run.parallel import dask_executor
from hubinsim.scenario.reader import load_scenario
from hubinsim.scenario.resolved import resolved_toml
from hubinsim.scenario.uncertainty import parse_uncertainty, scenario_uncertainty

# ------------------------------------------------------------------------------------- single runs


def test_keyword_levers_change_the_run_and_keep_the_scenario_name():
    scn = hubinsim.make_scenario(name="mine", levers={"vouchers": 1.0}, end=2025)
    base = hubinsim.simulate(scn)
    more = hubinsim.simulate(scn, levers={"vouchers": 2.0})
    assert more.metadata["scenario"] == "mine"
    assert more.annual.loc[2023, "retail_sales"] > base.annual.loc[2023, "retail_sales"]
    assert base.annual.index[-1] == 2025


def test_metadata_records_units_price_basis_and_parameters():
    res = hubinsim.simulate(end=2022)
    meta = res.metadata
    assert meta["units"]["gdp"] == "亿元" and meta["units"]["population"] == "万人"
    assert "2020 prices" in meta["price_basis"]
    default = hubinsim.data.load_parameters()["capital.depreciation"].value
    assert meta["parameters"]["capital.depreciation"] == pytest.approx(default)
    assert meta["levers"]["realisation_industry"] == pytest.approx(
        meta["parameters"]["investment.bau_realisation"]
    )


def test_keyword_settings_keep_the_scenario_file_and_its_sections(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nname = "s"\n[consumption]\nvouchers = 1.0\n', encoding="utf-8")
    scn = hubinsim.load_scenario(path)
    res = hubinsim.simulate(scn, end=2022)
    kept = res.metadata["scenario_object"]
    assert kept.source == scn.source and kept.sections == scn.sections
    assert kept.levers["vouchers"] == 1.0 and kept.time.end == 2022


def test_draws_run_an_ensemble_like_run_ensemble():
    scn = hubinsim.make_scenario(name="e", end=2025)
    res = hubinsim.simulate(scn, draws=20, seed=3)
    ref = run_ensemble(scn, 20, 3)
    assert res.n_members == 20
    for name in ("gdp", "population"):
        assert (res.values[name] == ref.values[name]).all()
    assert "probability" in res.targets


def test_draws_with_parameter_arrays_or_seed_alone_are_refused():
    with pytest.raises(hubinsim.ScenarioError, match="not both"):
        hubinsim.simulate(draws=5, members=5)
    with pytest.raises(hubinsim.ScenarioError, match="need draws"):
        hubinsim.simulate(seed=1)


def test_ensemble_true_runs_the_draws_the_scenario_declares(tmp_path):
    path = write(
        tmp_path / "declared.toml",
        SHORT.format(name="declared", vouchers=1.0)
        + "\n[uncertainty]\ndraws = 6\nseed = 2\n[uncertainty.parameters]\n"
        + '"capital.depreciation" = { dist = "uniform" }\n',
    )
    scn = hubinsim.load_scenario(path)
    assert scn.declares_uncertainty
    assert hubinsim.simulate(scn).n_members == 1  # a single run unless asked
    res = hubinsim.simulate(scn, ensemble=True)
    assert res.n_members == 6 and res.metadata["ensemble"]["seed"] == 2
    assert hubinsim.simulate(scn, ensemble=True, draws=4).n_members == 4
    with pytest.raises(ScenarioError, match="ensemble=False"):
        hubinsim.simulate(scn, ensemble=False, draws=4)


# --------------------------------------------------------------------------------------- ensembles


DRAWS = 60


SMALL = {
    "parameters": {
        "capital.depreciation": {"dist": "triangular", "low": 0.06, "mode": 0.08, "high": 0.1},
        "tfp.growth_industry": {"dist": "normal", "mean": 0.02, "sd": 0.004},
        "consumption.voucher_multiplier": {"dist": "uniform"},
    },
    "correlations": [["capital.depreciation", "tfp.growth_industry", -0.4]],
}


def same(a, b):
    assert a.values.keys() == b.values.keys()
    for name in a.values:
        np.testing.assert_array_equal(a.values[name], b.values[name], err_msg=name)


@pytest.fixture(scope="module")
def ens():
    return run_ensemble(draws=DRAWS, seed=11)


def test_shape_and_metadata(ens):
    assert ens.n_members == DRAWS
    assert ens.values["gdp"].shape == (16, DRAWS)
    meta = ens.metadata["ensemble"]
    assert (meta["draws"], meta["seed"], meta["sampling"]) == (DRAWS, 11, "lhs")
    assert meta["default_uncertainty"]
    assert ens.metadata["parameters"]["capital.depreciation"]["dist"] == "uniform"
    np.testing.assert_array_equal(
        ens.metadata["samples"]["capital.depreciation"],
        parse_uncertainty(meta["uncertainty"]).sample()["capital.depreciation"],
    )


def test_members_differ_and_the_base_year_does_not(ens):
    gdp = ens.values["gdp"]
    np.testing.assert_allclose(gdp[0], gdp[0, 0], rtol=1e-9)
    assert np.ptp(gdp[-1]) > 1.0


def test_seeded_ensemble_is_reproducible_bit_for_bit(ens):
    same(ens, run_ensemble(draws=DRAWS, seed=11))


def test_another_seed_gives_other_members(ens):
    other = run_ensemble(draws=DRAWS, seed=12)
    assert not np.array_equal(other.values["gdp"], ens.values["gdp"])


def test_chunked_and_unchunked_agree_exactly(ens):
    same(ens, run_ensemble(draws=DRAWS, seed=11, chunk_size=7))


def test_executor_gives_the_same_members(ens):
    with ThreadPoolExecutor(max_workers=2) as pool:
        same(ens, run_ensemble(draws=DRAWS, seed=11, chunk_size=16, executor=pool))


def test_process_workers_give_the_same_members():
    unc = parse_uncertainty(SMALL)
    serial = run_ensemble(draws=20, seed=5, uncertainty=unc)
    same(serial, run_ensemble(draws=20, seed=5, uncertainty=unc, chunk_size=10, workers=2))


def test_member_equals_a_single_run_with_its_parameters():
    res = run_ensemble(draws=5, seed=2, uncertainty=SMALL)
    m = 3
    one = hubinsim.simulate(parameters={k: float(v[m]) for k, v in res.metadata["samples"].items()})
    for name in ("gdp", "population", "fiscal_revenue"):
        np.testing.assert_allclose(res.values[name][:, m], one.values[name][:, 0], rtol=1e-12)


def test_percentiles_match_numpy_on_the_stored_members(ens):
    pct = ens.percentiles((5, 50, 95))
    for name in ("gdp_real", "population", "share_tertiary_pct"):
        expected = np.percentile(ens.values[name], [5, 50, 95], axis=1)
        for q, row in zip((5, 50, 95), expected, strict=True):
            np.testing.assert_array_equal(pct[(name, f"p{q}")].to_numpy(), row)
    np.testing.assert_array_equal(
        ens.annual["gdp"].to_numpy(), np.median(ens.values["gdp"], axis=1)
    )
    # Growth has no value in the base year: NaN there, numpy's percentiles after it.
    growth = pct[("gdp_real_growth_pct", "p50")].to_numpy()
    assert np.isnan(growth[0])
    np.testing.assert_array_equal(
        growth[1:], np.percentile(ens.values["gdp_real_growth_pct"][1:], 50, axis=1)
    )


def test_scorecard_has_probabilities(ens):
    card = ens.targets
    assert "probability" in card
    assert card["probability"].between(0, 1).all()


def test_headline_only_keeps_the_scorecard_complete():
    keep = kept_indicators("headline", 10)
    assert set(HEADLINE) <= set(keep)
    res = run_ensemble(draws=8, seed=1, uncertainty=SMALL, keep="headline")
    full = run_ensemble(draws=8, seed=1, uncertainty=SMALL)
    assert set(res.values) == set(keep)
    for name in keep:
        np.testing.assert_array_equal(res.values[name], full.values[name])
    assert len(res.targets) == len(full.targets)
    assert kept_indicators(None, 10**6) == keep
    assert kept_indicators(None, 10) is None


def test_declared_uncertainty_of_a_scenario_is_used():
    scn = hubinsim.make_scenario(name="declared")
    object.__setattr__(scn, "sections", {"uncertainty": {"draws": 9, "seed": 4, **SMALL}})
    res = run_ensemble(scn)
    assert res.n_members == 9
    assert set(res.metadata["samples"]) == set(SMALL["parameters"])
    assert res.metadata["ensemble"]["seed"] == 4


def test_without_a_seed_one_is_drawn_and_recorded():
    res = run_ensemble(draws=3, uncertainty=SMALL)
    seed = res.metadata["ensemble"]["seed"]
    same(res, run_ensemble(draws=3, seed=seed, uncertainty=SMALL))


def test_common_random_numbers_identical_scenarios_differ_by_exactly_zero():
    stim = hubinsim.make_scenario(name="same")
    cmp = compare_ensembles(hubinsim.Scenario(), stim, draws=12, seed=3)
    for name in cmp.columns:
        d = cmp.difference(name)
        assert np.all((d == 0) | np.isnan(d)), name
    pct = cmp.percentiles()
    assert np.nanmax(np.abs(pct.to_numpy())) == 0.0


def test_common_random_numbers_isolate_the_lever_effect():
    stim = hubinsim.make_scenario(name="vouchers", levers={"vouchers": 3.0})
    cmp = compare_ensembles(None, stim, draws=12, seed=3)
    np.testing.assert_array_equal(
        cmp.ref.metadata["samples"]["capital.depreciation"],
        cmp.alt.metadata["samples"]["capital.depreciation"],
    )
    assert cmp.probability_higher("retail_sales", 2023) == 1.0
    rel = cmp.percentiles(relative=True)[("retail_sales", "p50")]
    assert rel.loc[2020] == 0.0 and rel.loc[2023] > 0.0


def test_a_parameter_either_scenario_fixes_stays_fixed():
    alt = hubinsim.make_scenario(name="fixed", parameters={"capital.depreciation": 0.07})
    cmp = compare_ensembles(None, alt, draws=4, seed=1)
    assert "capital.depreciation" not in cmp.alt.metadata["samples"]
    assert cmp.alt.metadata["parameters"]["capital.depreciation"] == 0.07


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"draws": 0}, "draws"),
        ({"draws": 3, "seed": -2}, "seed"),
        ({"draws": 3, "chunk_size": 0}, "chunk_size"),
        ({"draws": 3, "workers": 0}, "workers"),
        ({"draws": 3, "keep": ["gpd"]}, "did you mean 'gdp'"),
        (
            {"draws": 3, "uncertainty": {"parameters": {"nope": {"dist": "uniform"}}}},
            "unknown parameter",
        ),
    ],
)
def test_bad_arguments_raise_scenario_error(kwargs, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        run_ensemble(**kwargs)


def test_dask_executor_names_the_extra_when_distributed_is_missing(monkeypatch):

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(ImportError, match=r"hubinsim\[distributed\]"):
        dask_executor("tcp://127.0.0.1:8786")


def test_resolved_scenario_of_an_ensemble_reproduces_its_members(tmp_path):
    # SMALL leaves investment.bau_realisation fixed: the resolved file writes the default of
    # plan_realisation, which follows that parameter member by member, as one number.
    res = run_ensemble(draws=6, seed=8, uncertainty=SMALL)
    assert res.metadata["seed"] == 8
    path = tmp_path / "resolved.toml"
    path.write_text(resolved_toml(res.metadata["scenario_object"]), encoding="utf-8")
    same(res, run_ensemble(load_scenario(path)))


UNCERTAINTY = {
    "parameters": {
        "capital.depreciation": {"dist": "uniform"},
        "tfp.growth_tertiary": {"dist": "triangular", "low": 0.005, "mode": 0.015, "high": 0.02},
    }
}


@pytest.fixture(scope="module")
def executor():
    # Threads in this process: a real scheduler and worker without spawning processes.
    distributed = pytest.importorskip("distributed")
    # the scheduler's HTTP routes on any free port: 8787 may be taken by another cluster
    cluster = distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    )
    ex = dask_executor(distributed.Client(cluster))
    yield ex
    ex.client.close()
    cluster.close()


def test_dask_gives_the_same_members_as_one_process(executor):
    kw = {"draws": 48, "seed": 5, "uncertainty": UNCERTAINTY, "chunk_size": 16}
    local = run_ensemble(**kw)
    remote = run_ensemble(executor=executor, **kw)
    assert local.values.keys() == remote.values.keys()
    for name, v in local.values.items():
        np.testing.assert_array_equal(v, remote.values[name], err_msg=name)


# ------------------------------------------------------------------------------ parallel execution


@pytest.mark.parametrize(
    "keep",
    [["gdp_real"], ["new_urban_jobs_cumulative", "unemployment_rate_pct"], "headline"],
)
def test_kept_indicators_accumulate_only_what_they_need(keep, monkeypatch):
    from hubinsim.model import core

    scn = scenario("stimulus")
    samples = {"capital.depreciation": np.array([0.06, 0.08, 0.1])}
    names = kept_indicators(keep, 3)
    full = run_members(scn, samples, keep="all").values
    original, asked = core.quantities_for, []

    def quantities_for(indicators, aux):
        asked.append(aux)
        return original(indicators, aux)

    monkeypatch.setattr(core, "quantities_for", quantities_for)
    part = run_members(scn, samples, keep=keep).values
    same_values(part, {k: full[k] for k in names})
    assert len(original(tuple(names), asked[0])) < len(asked[0])
    assert original(("gdp_real",), asked[0]) == {
        f"va_{s}_real" for s in ("primary", "industry", "construction", "tertiary")
    }


def test_workers_give_the_members_of_one_process_on_every_start_method():
    """Forked workers write their members into memory shared with this process; under other
    start methods they send them back. Either way the members are those of one process."""
    scn = scenario("stimulus")
    unc = {"parameters": {"capital.depreciation": {"dist": "uniform"}}}
    kw = dict(draws=30, seed=2, uncertainty=unc, chunk_size=7, keep="headline")
    serial = run_ensemble(scn, **kw)
    assert parallel.can_share_memory() == (multiprocessing.get_start_method() == "fork")
    pooled = run_ensemble(scn, workers=2, **kw)
    same_values(pooled.values, serial.values)
    assert pooled.metadata["units"] == serial.metadata["units"]


def test_workers_are_never_more_than_the_usable_cpus_or_the_chunks(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 4)
    assert parallel.resolve_workers("auto", 10) == 4
    assert parallel.resolve_workers("auto", 3) == 3
    assert parallel.resolve_workers("auto", 1) == 1
    assert parallel.resolve_workers(3, 10) == 3  # a number within the CPUs is taken
    assert parallel.resolve_workers(4, 2) == 2
    with pytest.warns(UserWarning, match="1,000 asked, but this process may use 4 CPU"):
        assert parallel.resolve_workers(1000, 10) == 4


def test_usable_cpus_stay_within_a_container_cpu_quota(monkeypatch, tmp_path):
    quota = tmp_path / "cpu.max"
    monkeypatch.setattr(parallel, "CGROUP_CPU_MAX", quota)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    quota.write_text("150000 100000\n")
    assert parallel.usable_cpus() == 2
    quota.write_text("max 100000\n")
    assert parallel.usable_cpus() == 16
    quota.unlink()
    assert parallel.usable_cpus() == 16


def test_auto_workers_give_the_members_of_one_worker(monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)  # a pool of two, also on one CPU
    kw = dict(draws=24, seed=8, uncertainty=SMALL, chunk_size=10)
    same(run_ensemble(workers="auto", **kw), run_ensemble(workers=1, **kw))


@pytest.mark.parametrize(
    "text, address",
    [("dask://10.0.0.5:8786", "tcp://10.0.0.5:8786"), ("tcp://host-1:1", "tcp://host-1:1")],
)
def test_scheduler_addresses(text, address):
    assert parallel.scheduler_address(text) == address


@pytest.mark.parametrize("text", ["http://host:8786", "dask://host", "dask://host:99999"])
def test_bad_scheduler_addresses_say_what_to_write(text):
    with pytest.raises(ValueError, match="dask://HOST:PORT"):
        parallel.scheduler_address(text)


def test_progress_counts_every_chunk_in_order():
    seen = []
    run_ensemble(
        draws=20, seed=1, uncertainty=SMALL, chunk_size=6, progress=lambda *a: seen.append(a)
    )
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


# ------------------------------------------------------------------------- levers drawn per member


def test_a_drawn_member_equals_a_single_run_with_that_setting():
    scn = scenario("baseline")
    samples = {
        "plan_realisation": np.array([0.45, 0.6, 0.85]),
        "siphon_rate": np.array([0.07, 0.04, 0.05]),
    }
    res = run_members(scn, samples)
    for m in range(3):
        one = hubinsim.simulate(scn, levers={k: float(v[m]) for k, v in samples.items()}).values
        for name in ("gdp_real", "population", "fai_industry", "retail_sales"):
            # A single run computes with Python floats, an ensemble with arrays: the same
            # equations, equal to rounding (hubinsim.model.ops).
            np.testing.assert_allclose(
                res.values[name][:, m], one[name][:, 0], rtol=1e-12, err_msg=name
            )
    fai = res.values["fai"][list(res.years).index(2023)]
    assert fai[0] < fai[1] < fai[2]  # more of the pool realised, more investment


def test_drawn_values_outside_the_lever_range_are_refused():
    with pytest.raises(
        ScenarioError, match=r"lever siphon_rate: drawn values must lie in \[0, 0.12\]"
    ):
        run_members(None, {"siphon_rate": np.array([0.05, 0.2])})


def test_drawn_plan_realisation_needs_a_category_that_follows_it():
    levers = {f"realisation_{c}": 0.6 for c in POOL_CATEGORIES}
    scn = hubinsim.make_scenario(name="all_set", levers=levers)
    with pytest.raises(ScenarioError, match="sets the realisation of every pool category"):
        run_members(scn, {"plan_realisation": np.array([0.5, 0.7])})


def test_scenario_file_declares_levers_and_its_resolved_file_reruns_the_members(tmp_path):
    scn = load_scenario(extending_baseline(tmp_path))
    unc = scenario_uncertainty(scn)
    assert unc.lever_names == ["plan_realisation", "siphon_rate"]
    assert unc.correlations == (("plan_realisation", "siphon_rate", -0.4),)
    first = run_ensemble(scn)
    assert set(unc.lever_names) <= set(first.metadata["samples"])
    assert first.metadata["levers"]["siphon_rate"]["dist"] == "uniform"
    text = resolved_toml(first.metadata["scenario_object"])
    assert "[uncertainty.levers]" in text
    again_path = tmp_path / "resolved.toml"
    again_path.write_text(text, encoding="utf-8")
    again = run_ensemble(load_scenario(again_path))
    for name, v in first.values.items():
        np.testing.assert_array_equal(again.values[name], v, err_msg=name)


def test_compare_accepts_a_lever_set_to_its_default_in_one_scenario_only():
    ref = hubinsim.make_scenario(name="ref")
    alt = hubinsim.make_scenario(name="alt", levers={"siphon_rate": 0.05})  # the default
    unc = {"draws": 4, "seed": 1, "levers": {"siphon_rate": {"dist": "uniform"}}}
    same = compare_ensembles(ref, alt, uncertainty=unc)
    assert np.all(same.difference("population") == 0.0)


def test_compare_refuses_a_drawn_lever_the_scenarios_set_differently():
    ref = hubinsim.make_scenario(name="ref")
    alt = hubinsim.make_scenario(name="alt", levers={"siphon_rate": 0.08})
    unc = {"draws": 4, "seed": 1, "levers": {"siphon_rate": {"dist": "uniform"}}}
    with pytest.raises(ScenarioError, match="levers.siphon_rate: drawn for every scenario"):
        compare_ensembles(ref, alt, uncertainty=unc)
    # A lever neither scenario sets is drawn for both: identical scenarios differ by zero.
    same = compare_ensembles(ref, hubinsim.make_scenario(name="ref2"), uncertainty=unc)
    assert np.all(same.difference("gdp_real") == 0.0)
    assert len(np.unique(same.ref.values["population"][-1])) == 4


DEFAULT_WITH_CORRELATIONS = """[scenario]
name = "corr"
extends = "{base}"
{fixed}
[uncertainty]
draws = 400
seed = 9
correlations = [["labour.okun", "capital.depreciation", 0.8]]
"""


def test_a_default_section_keeps_its_correlations_in_run_and_compare(tmp_path):
    from scipy.stats import spearmanr

    scn = load_scenario(
        extending_baseline(tmp_path, DEFAULT_WITH_CORRELATIONS.replace("{fixed}", ""))
    )
    alt = hubinsim.make_scenario(name="alt", levers={"vouchers": 2.0})
    run = run_ensemble(scn, keep=["gdp_real"])
    pair = compare_ensembles(scn, alt, keep=["gdp_real"])
    draws = run.metadata["samples"]
    assert spearmanr(draws["labour.okun"], draws["capital.depreciation"])[0] > 0.7
    for name, v in draws.items():
        np.testing.assert_array_equal(pair.ref.metadata["samples"][name], v, err_msg=name)
    np.testing.assert_array_equal(pair.ref.values["gdp_real"], run.values["gdp_real"])


def test_a_correlation_of_a_parameter_the_scenario_fixes_is_left_out(tmp_path):
    fixed = '[parameters]\n"labour.okun" = 0.3\n'
    scn = load_scenario(
        extending_baseline(tmp_path, DEFAULT_WITH_CORRELATIONS.replace("{fixed}", fixed))
    )
    unc = scenario_uncertainty(scn)
    assert "labour.okun" not in unc.names and unc.correlations == ()
    res = run_ensemble(scn, draws=5, keep=["gdp_real"])
    assert res.values["gdp_real"].shape == (16, 5)


def test_drawn_business_as_usual_realisation_reruns_from_the_resolved_file(tmp_path):
    scn = hubinsim.make_scenario(name="bau_drawn")
    unc = {"draws": 6, "seed": 4, "parameters": {"investment.bau_realisation": {"dist": "uniform"}}}
    first = run_ensemble(scn, uncertainty=unc)
    text = resolved_toml(first.metadata["scenario_object"])
    assert "\nplan_realisation =" not in text  # it follows the parameter drawn
    path = tmp_path / "resolved.toml"
    path.write_text(text, encoding="utf-8")
    again = run_ensemble(load_scenario(path))
    for name, v in first.values.items():
        np.testing.assert_array_equal(again.values[name], v, err_msg=name)


# ---------------------------------------------------------------------------------- comparisons


def test_compare_gives_levels_differences_and_scorecards(short, short_alt):
    cmp = hubinsim.compare(short, short_alt)
    assert cmp.names == ["short", "alt"] and not cmp.is_ensemble and cmp.statements == []
    assert cmp.paths == [str(short), str(short_alt)]
    assert list(cmp.levels.index.get_level_values("scenario").unique()) == ["short", "alt"]
    diff = cmp.differences()
    alt, ref = cmp.runs[1].annual, cmp.runs[0].annual
    assert diff.loc[("alt", 2020), "retail_sales"] == 0.0
    assert (
        diff.loc[("alt", 2026), "retail_sales"]
        == alt.loc[2026, "retail_sales"] - ref.loc[2026, "retail_sales"]
    )
    pct = cmp.differences(relative=True)
    assert "share_tertiary_pct" not in pct.columns and pct.loc[("alt", 2026), "retail_sales"] > 0
    assert {"projected:short", "projected:alt", "met:alt"} <= set(cmp.scorecard.columns)
    assert cmp.key_years == [2025]
    table = cmp.headline(2025)
    assert list(table.index) == [i for i in HEADLINE]
    d = table.loc["retail_sales", ("alt", "difference")]
    assert d == alt.loc[2025, "retail_sales"] - ref.loc[2025, "retail_sales"] and d > 0


def test_compare_names_repeated_scenarios_without_changing_their_results(short):
    cmp = hubinsim.compare(short, short)
    assert cmp.names == ["short", "short (2)"]
    assert [r.metadata["scenario"] for r in cmp.runs] == ["short", "short"]
    assert set(cmp.differences().index.get_level_values("scenario")) == {"short (2)"}


def test_compare_with_draws_gives_the_difference_member_by_member(short, short_alt):
    seen = []
    cmp = hubinsim.compare(
        short, short_alt, draws=20, seed=3, chunk_size=5, progress=lambda *a: seen.append(a)
    )
    assert cmp.is_ensemble and cmp.ensemble["seed"] == 3 and cmp.ensemble["draws"] == 20
    assert seen[-1] == (8, 8) and [d for d, _ in seen] == list(range(1, 9))  # 2 runs x 4 chunks
    np.testing.assert_array_equal(
        cmp.runs[0].metadata["samples"]["capital.depreciation"],
        cmp.runs[1].metadata["samples"]["capital.depreciation"],
    )
    diff = cmp.differences()
    row = diff.loc[("alt", 2025)]
    assert 0 < row["retail_sales_p5"] <= row["retail_sales"] <= row["retail_sales_p95"]
    assert row["retail_sales_prob_higher"] == 1.0
    table = cmp.headline(2025)
    assert table.loc["retail_sales", ("alt", "prob_higher")] == cmp.ensembles[0].probability_higher(
        "retail_sales", 2025
    )
    assert cmp.key_years == [2025, 2026]
    texts = [s.text for s in cmp.statements if s.indicator == "retail_sales" and s.year == 2025]
    assert texts[0].startswith("alt raises retail sales of consumer goods (current prices) in 2025")
    assert "alt, 2025:" in cmp.statements_text()


def test_compare_of_a_scenario_with_itself_on_common_draws_is_exactly_zero(short):
    cmp = hubinsim.compare(short, short, draws=10, seed=1)
    values = cmp.differences().filter(regex="^(?!.*_prob_higher$)")
    assert (values.fillna(0.0) == 0.0).all().all()
    assert all("unchanged in every draw" in s.text for s in cmp.statements)


def test_compare_follows_the_first_declared_uncertainty(short, tmp_path):
    declared = write(
        tmp_path / "declared.toml",
        SHORT.format(name="declared", vouchers=2.0)
        + "\n[uncertainty]\ndraws = 7\nseed = 4\n[uncertainty.parameters]\n"
        + '"capital.depreciation" = { dist = "uniform" }\n',
    )
    cmp = hubinsim.compare(short, declared, ensemble=True)
    assert cmp.ensemble["draws"] == 7 and cmp.ensemble["seed"] == 4
    assert set(cmp.runs[0].metadata["samples"]) == {"capital.depreciation"}


def test_compare_with_draws_needs_the_same_years(short, tmp_path):
    longer = write(
        tmp_path / "longer.toml", SHORT.format(name="longer", vouchers=1.0).replace("2026", "2027")
    )
    with pytest.raises(ScenarioError, match="same years"):
        hubinsim.compare(short, longer, draws=5)


def test_compare_reads_every_file_before_running(short, tmp_path):
    bad = write(tmp_path / "bad.toml", SHORT.format(name="bad", vouchers=-5.0))
    with pytest.raises(hubinsim.HubinsimError) as info:
        hubinsim.compare(short, bad, tmp_path / "missing.toml")
    assert "bad.toml" in str(info.value) and "missing.toml" in str(info.value)


def test_a_start_record_restarts_the_model_on_the_same_path():
    """hubinsim.start_record gives the state of a year of a run; simulate(start=record) runs
    from it (the interface a mid-term evaluation uses): the start year reproduces the
    record's figures, and a business-as-usual run continues exactly (every level and flow of
    the years after to 1e-9)."""
    full = hubinsim.simulate().annual
    rec = hubinsim.start_record(2023)
    assert rec["year"] == 2023
    assert rec["gdp"] != full.loc[2023, "gdp"]  # a point in mid-2023, not the annual mean
    again = hubinsim.simulate(start=rec)
    assert list(again.years) == list(range(2023, 2036))
    assert again.metadata["base_year"] == 2023
    for name in ("gdp", "gdp_real", "fai", "population", "fiscal_balance", "retail_sales"):
        np.testing.assert_allclose(again.annual.loc[2024:, name], full.loc[2024:, name], rtol=1e-9)


@pytest.mark.parametrize("name", ["stimulus", "slowdown"])
def test_a_scenarios_start_record_gives_back_its_figures(name):
    """From a record of a year in which policies were in force (pool deviations, a public
    backlog, vouchers, attracted firms' plants), the start year still reproduces every
    figure of the record exactly."""
    from hubinsim.model import record

    scn = scenario(name)
    rec = hubinsim.start_record(2023, scn)
    start_year = hubinsim.simulate(scn, start=rec).annual.loc[2023]
    for figure in record.FIGURES:
        if figure in start_year.index:
            assert start_year[figure] == pytest.approx(rec[figure], rel=1e-9), figure


@pytest.mark.parametrize(
    ("name", "year"), [("stimulus", 2021), ("stimulus", 2024), ("slowdown", 2022), ("siphon", 2023)]
)
def test_a_scenario_restarted_from_its_own_record_continues_its_run(name, year):
    """The start year is a year of the scenario: pool deviations, extra projects, vouchers,
    talent policy, attracted firms and shocks in force then are taken out of the record's
    figures by the calibration and act from the start point, and the debt limit that holds
    the stimulus's public projects back is carried. Every level and flow after the start
    year is the run's to 1e-9 (the output gap, near zero, to 1e-9 points); growth rates from
    the second year (the first compares with the record's mid-year point, as do the first
    year's new jobs). The debt too, from the start year: the record carries the debt the
    run reports for its year (ref_debt_gap), which the restart counts on from; counted
    from the record's mid-year debt instead, the two stayed apart by about half a year's
    balance (0.39 亿元 in the baseline restarted in 2023)."""
    scn = scenario(name)
    full = hubinsim.simulate(scn).annual
    again = hubinsim.simulate(scn, start=hubinsim.start_record(year, scn)).annual
    skip = {"new_urban_jobs_cumulative", "output_gap_pct"}
    np.testing.assert_allclose(
        again.loc[year:, "government_debt"], full.loc[year:, "government_debt"], rtol=1e-9
    )
    for column in again.columns.difference(sorted(skip)):
        first = (
            year + 2 if column.endswith("growth_pct") or column == "new_urban_jobs" else year + 1
        )
        np.testing.assert_allclose(
            again.loc[first:, column], full.loc[first:, column], rtol=1e-9, err_msg=column
        )
    np.testing.assert_allclose(
        again.loc[year + 1 :, "output_gap_pct"], full.loc[year + 1 :, "output_gap_pct"], atol=1e-9
    )


def test_a_start_record_carries_the_pool_waiting_for_room():
    """Where the room in investment holds the pool back (the whole pool, the early profile),
    the record carries the projects waiting (pool_waiting, 190 亿元 in mid-2023) and the
    restarted run builds them as the full run does: its realised and planned pool, FAI and
    real GDP of the years after to 1e-9."""
    scn = hubinsim.make_scenario(levers={"plan_realisation": 1.0}, profile="early")
    full = hubinsim.simulate(scn).annual
    rec = hubinsim.start_record(2023, scn)
    assert rec["pool_waiting"] > 100.0
    again = hubinsim.simulate(scn, start=rec).annual
    for name in ("pool_investment", "pool_planned", "fai", "gdp_real"):
        np.testing.assert_allclose(
            again.loc[2024:, name], full.loc[2024:, name], rtol=1e-9, atol=1e-9, err_msg=name
        )


def test_a_start_record_needs_its_year_and_figures():
    rec = hubinsim.start_record(2022)
    del rec["gdp"]
    with pytest.raises(ScenarioError, match="lacks the figures gdp"):
        hubinsim.simulate(start=rec)
    with pytest.raises(ScenarioError, match="'year'"):
        hubinsim.simulate(start={**rec, "gdp": 300.0, "year": 2040})
    with pytest.raises(ScenarioError, match="single runs"):
        hubinsim.simulate(start={**rec, "gdp": 300.0}, draws=4)


def test_a_models_failure_keeps_its_fields_traced_to_the_ensembles_member_and_its_draws():
    """The model says what failed as fields (SimulationError.failure); tracing it to the
    inputs of a chunk that starts at member 10 moves its member to the ensemble's and adds
    what that member drew, and the message is formed from the fields as the model words it."""
    import pickle
    from dataclasses import replace

    from hubinsim.data import load_data
    from hubinsim.errors import Failure, SimulationError
    from hubinsim.run.single import traced

    exc = SimulationError(failure=Failure("XR", "negative", time=2023.25, member=1, value=-0.5))
    assert str(exc).startswith("stock XR became negative or NaN (-0.5) at t=2023.250 for member 1")
    params = {"labour.match_speed": np.array([0.3, 0.41, 0.5]), "same": np.full(3, 1.0)}
    got = traced(exc, hubinsim.make_scenario(name="s", end=2026), load_data(), params, {}, 10)
    assert got.failure == replace(exc.failure, member=11, drew=(("labour.match_speed", 0.41),))
    text = str(got)
    assert "stock XR became negative or NaN (-0.5) at t=2023.250 for member 11;" in text
    assert text.endswith("member 11 drew labour.match_speed = 0.41")
    assert pickle.loads(pickle.dumps(got)).failure == got.failure  # from a worker process


def test_a_single_runs_failure_names_no_member_and_a_last_chunk_of_one_its_own():
    """A single run has no member to name; an ensemble's last chunk of one member runs alone
    on floats, and its failure names the member it is in the whole ensemble. Both said
    "member 0"."""
    from hubinsim.data import load_data
    from hubinsim.errors import SimulationError
    from hubinsim.model import engine
    from hubinsim.run.single import traced

    with pytest.raises(SimulationError) as info:
        engine._check_floats({"XR": -0.5}, ("XR",), 2023.25)
    assert info.value.failure.member is None
    assert "member" not in str(info.value)
    one = {"labour.match_speed": np.array([0.41])}
    scn = hubinsim.make_scenario(name="s", end=2026)
    assert traced(info.value, scn, load_data(), one, {}, 0).failure.member is None
    assert traced(info.value, scn, load_data(), one, {}, 39).failure.member == 39


def test_a_start_record_refused_keeps_its_fields_and_says_them_in_either_language():
    """A figure of a start record refused for member 1 of a chunk that starts at member 10:
    the member counted in the whole ensemble, the reason in both languages, also from a
    worker process."""
    import pickle

    from hubinsim.data import load_data
    from hubinsim.errors import StartRecordError
    from hubinsim.run.single import traced

    reasons = {"en": "fai 3 亿元 is too low", "zh": "fai 3 亿元 过低"}
    exc = StartRecordError(figures=("fai",), year=2023, member=1, reasons=reasons)
    assert (
        str(exc)
        == "the start record of 2023 cannot start the model for member 1: fai 3 亿元 is too low"
    )
    params = {"labour.match_speed": np.array([0.3, 0.41, 0.5])}
    got = traced(exc, hubinsim.make_scenario(name="s", end=2026), load_data(), params, {}, 10)
    assert isinstance(got, StartRecordError) and got.figures == ("fai",) and got.member == 11
    assert "cannot start the model for member 11: fai 3 亿元 is too low. Inputs: " in str(got)
    assert got.text("zh") == "2023年的起步记录无法使模型起步(第 11 号成员):fai 3 亿元 过低"
    back = pickle.loads(pickle.dumps(got))
    assert (back.year, back.member, back.reasons) == (2023, 11, got.reasons)


def test_an_ensembles_members_do_not_depend_on_its_chunks_even_a_chunk_of_one():
    """A chunk of one member (40 draws in chunks of 3 leave one at the end; chunks of 1) is
    integrated as an array, as the others are: every member's figures equal those of one
    chunk to the last bit (on floats the C library's functions gave the last member's 58
    indicators up to 3.7e-13 apart)."""
    whole = hubinsim.simulate(end=2030, draws=40, seed=3, chunk_size=40).values
    parts = hubinsim.simulate(end=2030, draws=40, seed=3, chunk_size=3).values
    ones = hubinsim.simulate(end=2030, draws=4, seed=3, chunk_size=1).values
    four = hubinsim.simulate(end=2030, draws=4, seed=3, chunk_size=4).values
    for k, v in whole.items():
        np.testing.assert_array_equal(parts[k], v, err_msg=k)
        np.testing.assert_array_equal(ones[k], four[k], err_msg=k)
