"""Ensembles: reproducibility, chunking, executors, percentiles, common random numbers."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import hubinsim
from hubinsim import ScenarioError
from hubinsim.catalog import HEADLINE
from hubinsim.ensemble import (
    _simulate_function,
    compare_ensembles,
    dask_executor,
    kept_indicators,
    run_ensemble,
)
from hubinsim.uncertainty import parse_uncertainty

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
    # Not `from hubinsim.simulate import simulate`: importing that submodule by name would
    # bind the package's lazy attribute hubinsim.simulate to the module for every test.
    simulate = _simulate_function()
    one = simulate(parameters={k: float(v[m]) for k, v in res.metadata["samples"].items()})
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
    import builtins

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
    from hubinsim.scenario_file import load_scenario, resolved_toml

    res = run_ensemble(draws=6, seed=8, uncertainty=SMALL)
    assert res.metadata["seed"] == 8
    path = tmp_path / "resolved.toml"
    path.write_text(resolved_toml(res.metadata["scenario_object"]), encoding="utf-8")
    same(res, run_ensemble(load_scenario(path)))
