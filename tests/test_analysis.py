"""The analysis layer: sensitivity estimators on analytic functions, then on the model."""

import builtins
import importlib.util

import numpy as np
import pytest

import hubinsim
from hubinsim import ScenarioError
from hubinsim.analysis.indices import (
    ishigami,
    ishigami_indices,
    morris,
    saltelli_sample,
    sobol,
    sobol_analyze,
)
from hubinsim.analysis.sensitivity import parse_outputs, sensitivity
from hubinsim.data import load_parameters
from hubinsim.scenario.uncertainty import NOT_DRAWN_BY_DEFAULT

HAS_SALIB = importlib.util.find_spec("SALib") is not None
BACKENDS = [
    "numpy",
    pytest.param("salib", marks=pytest.mark.skipif(not HAS_SALIB, reason="SALib not installed")),
]
ISHIGAMI = {"names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}


def test_ishigami_analytic_indices():
    exact = ishigami_indices()
    np.testing.assert_allclose(exact["S1"], [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(exact["ST"], [0.5576, 0.4424, 0.2437], atol=1e-4)


@pytest.mark.parametrize("backend", BACKENDS)
def test_sobol_reproduces_ishigami_within_the_confidence_intervals(backend):
    res = sobol(ishigami, ISHIGAMI, 2048, seed=1, backend=backend, num_resamples=300)
    assert res.metadata["runs"] == 2048 * 5
    table = res.table.loc["y"]
    exact = ishigami_indices()
    for key in ("S1", "ST"):
        est, conf = table[key].to_numpy(), table[f"{key}_conf"].to_numpy()
        assert np.all(conf < 0.1), conf  # the intervals are informative
        assert np.all(np.abs(est - exact[key]) <= conf), (key, est, conf)


@pytest.mark.skipif(not HAS_SALIB, reason="SALib not installed")
def test_numpy_and_salib_estimators_agree_on_the_same_design():
    x = saltelli_sample(3, 512, seed=5, backend="numpy")
    y = ishigami(-np.pi + 2 * np.pi * x)
    ours = sobol_analyze(y, 3, seed=1, num_resamples=50, backend="numpy")
    theirs = sobol_analyze(y, 3, seed=1, num_resamples=50, backend="salib")
    for key in ("S1", "ST"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-10, atol=1e-12)
    for key in ("S1_conf", "ST_conf"):  # other bootstrap draws, same spread
        np.testing.assert_allclose(ours[key], theirs[key], rtol=0.5)


def test_sobol_is_reproducible_with_a_seed():
    a = sobol(ishigami, ISHIGAMI, 256, seed=4, backend="numpy", num_resamples=50)
    b = sobol(ishigami, ISHIGAMI, 256, seed=4, backend="numpy", num_resamples=50)
    assert a.table.equals(b.table)


def test_saltelli_design_swaps_one_column_at_a_time():
    d = 4
    x = saltelli_sample(d, 8, seed=1, backend="numpy").reshape(8, d + 2, d)
    a, b = x[:, 0], x[:, -1]
    for j in range(d):
        expected = a.copy()
        expected[:, j] = b[:, j]
        np.testing.assert_array_equal(x[:, j + 1], expected)


@pytest.mark.parametrize("backend", BACKENDS)
def test_morris_recovers_linear_effects(backend):
    problem = {"names": ["a", "b", "c"], "bounds": [[0, 1], [0, 2], [5, 6]]}
    res = morris(
        lambda x: x @ np.array([1.0, 2.0, 0.0]),
        problem,
        10,
        seed=3,
        backend=backend,
        num_resamples=50,
    )
    t = res.table.loc["y"]
    # Effects per full range of each parameter: 1 * 1, 2 * 2, 0.
    np.testing.assert_allclose(t["mu_star"], [1.0, 4.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(t["mu"], [1.0, 4.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(t["sigma"], 0.0, atol=1e-12)


def test_morris_ranks_ishigami_parameters():
    res = morris(ishigami, ISHIGAMI, 40, seed=2, backend="numpy", num_resamples=50)
    t = res.table.loc["y"]
    assert t["sigma"]["x3"] > 0  # x3 acts only through its interaction with x1
    assert t["mu_star"]["x1"] > t["mu_star"]["x3"]


def test_numpy_backend_is_used_when_salib_is_missing(monkeypatch):
    real_import = builtins.__import__

    def no_salib(name, *args, **kwargs):
        if name == "SALib" or name.startswith("SALib."):
            raise ImportError("No module named 'SALib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_salib)
    res = sobol(ishigami, ISHIGAMI, 64, seed=1, num_resamples=20, backend="auto")
    assert res.metadata["backend"] == "numpy"
    with pytest.raises(ImportError, match=r"hubinsim\[sensitivity\]"):
        sobol(ishigami, ISHIGAMI, 64, seed=1, backend="salib")


@pytest.fixture(scope="module")
def model_sobol():
    return sensitivity(
        outputs=["gdp_real@2025", "fiscal_revenue@2025"],
        n=16,
        seed=1,
        backend="numpy",
        num_resamples=50,
    )


def test_model_sobol_covers_every_uncertain_parameter(model_sobol):
    params = [n for n in load_parameters() if n not in NOT_DRAWN_BY_DEFAULT]
    assert model_sobol.metadata["parameters"] == params
    assert model_sobol.metadata["runs"] == 16 * (len(params) + 2)
    assert set(model_sobol.table.index.get_level_values(0)) == {
        "gdp_real@2025",
        "fiscal_revenue@2025",
    }
    assert np.isfinite(model_sobol.table.to_numpy()).all()


def test_parameters_that_cannot_move_an_output_have_zero_total_index(model_sobol):
    # Turnover feeds only the count of new jobs; the attracted firms' parameters matter only
    # when firms are attracted, which business as usual does not.
    gdp = model_sobol.for_output("gdp_real@2025")
    for name in ("industry.cohort_va_ratio", "industry.build_time", "labour.turnover"):
        assert gdp.loc[name, "ST"] == 0.0
    assert model_sobol.for_output("fiscal_revenue@2025").loc["fiscal.buoyancy", "ST"] > 0.0


def test_model_morris_with_a_declared_uncertainty():
    unc = {
        "parameters": {
            "population.base_migration": {"dist": "uniform"},
            "labour.turnover": {"dist": "uniform"},
        }
    }
    res = sensitivity(
        outputs="population@2030",
        method="morris",
        n=4,
        seed=2,
        uncertainty=unc,
        backend="numpy",
        num_resamples=20,
    )
    t = res.for_output("population@2030")
    assert list(t.index) == ["population.base_migration", "labour.turnover"]
    assert t.loc["labour.turnover", "mu_star"] == 0.0
    assert t.loc["population.base_migration", "mu"] > 0.0


def test_correlated_parameters_are_refused():
    unc = {
        "parameters": {"labour.okun": {"dist": "uniform"}, "fiscal.buoyancy": {"dist": "uniform"}},
        "correlations": [["labour.okun", "fiscal.buoyancy", 0.3]],
    }
    with pytest.raises(ScenarioError, match="independent"):
        sensitivity(uncertainty=unc, n=4)


@pytest.mark.parametrize(
    "outputs, fragment",
    [
        (["gpd_real@2025"], "did you mean 'gdp_real'"),
        (["gdp_real"], "indicator@year"),
        (["gdp_real@2040"], "outside the run"),
        (["gdp_real@next"], "not a year"),
        ([], "at least one"),
        (["gdp_real_growth_pct@2020"], "growth rates start in 2021"),
    ],
)
def test_bad_outputs_raise_scenario_error(outputs, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        parse_outputs(outputs, range(2020, 2036))


def test_bad_method_raises_scenario_error():
    with pytest.raises(ScenarioError, match="did you mean 'sobol'"):
        sensitivity(method="sobel")


def test_outputs_may_be_one_string_with_commas():
    pairs = parse_outputs("gdp_real@2025, population@2030", range(2020, 2036))
    assert pairs == [("gdp_real", 2025), ("population", 2030)]


@pytest.mark.parametrize("output", ["gdp@2020", "rd_intensity_pct@2025"])
def test_an_output_that_does_not_vary_is_refused(output):
    with pytest.raises(ScenarioError, match="does not vary over the draws"):
        sensitivity(outputs=[output], method="morris", n=4, seed=1)


def test_the_result_ranks_every_output_and_records_what_reproduces_it(short):
    seen = []
    scn = hubinsim.load_scenario(short)
    result = hubinsim.sensitivity(
        scn,
        ["gdp_real@2025,population@2026", "gdp_real@2025"],
        "morris",
        n=3,
        chunk_size=20,
        progress=lambda *a: seen.append(a),
    )
    assert result.outputs == ["gdp_real@2025", "population@2026"]  # each output once
    seed = result.metadata["seed"]
    assert isinstance(seed, int)  # a fresh seed, recorded
    assert result.metadata["source"] == str(short) and result.metadata["chunk_size"] == 20
    assert seen[-1][0] == seen[-1][1] > 1
    table = result.ranked_table()
    assert list(table.columns[:5]) == ["output", "indicator", "year", "rank", "parameter"]
    for _, part in table.groupby("output"):
        assert list(part["rank"]) == list(range(1, len(part) + 1))
        assert part["mu_star"].is_monotonic_decreasing
    again = hubinsim.sensitivity(scn, ["gdp_real@2025", "population@2026"], "morris", 3, seed)
    assert again.table.equals(result.table)


def test_levers_drawn_are_named_among_the_inputs():
    unc = {
        "parameters": {"labour.okun": {"dist": "uniform"}},
        "levers": {"siphon_rate": {"dist": "uniform"}},
    }
    result = sensitivity(outputs="population@2030", method="morris", n=3, seed=1, uncertainty=unc)
    assert result.metadata["parameters"] == ["labour.okun", "siphon_rate"]
    assert result.lever_names == ["siphon_rate"]
