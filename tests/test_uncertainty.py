"""Uncertainty declarations: validation, distributions, sampling, correlations."""

import numpy as np
import pytest
from scipy import stats

from hubinsim import ScenarioError, make_scenario
from hubinsim.data import load_parameters
from hubinsim.uncertainty import (
    DISTRIBUTIONS,
    SAMPLING,
    default_uncertainty,
    parse_uncertainty,
    scenario_uncertainty,
    uncertainty_problems,
)

SPEC = {
    "draws": 500,
    "seed": 1,
    "sampling": "lhs",
    "parameters": {
        "capital.depreciation": {"dist": "triangular", "low": 0.05, "mode": 0.08, "high": 0.11},
        "tfp.growth_industry": {"dist": "normal", "mean": 0.02, "sd": 0.004},
        "fiscal.buoyancy": {"dist": "lognormal", "median": 1.0, "sigma": 0.08},
        "labour.okun": {"dist": "truncnormal", "mean": 0.3, "sd": 0.2},
        "production.gamma_public": {"dist": "uniform", "low": 0.02, "high": 0.15},
    },
    "correlations": [["capital.depreciation", "tfp.growth_industry", 0.5]],
}


def test_every_distribution_is_exercised():
    kinds = {d["dist"] for d in SPEC["parameters"].values()}
    assert kinds == set(DISTRIBUTIONS)


@pytest.mark.parametrize("sampling", SAMPLING)
def test_draws_stay_inside_bounds_and_plausible_range(sampling):
    unc = parse_uncertainty(SPEC)
    params = load_parameters()
    draws = unc.sample(sampling=sampling)
    for p in unc.parameters:
        x = draws[p.name]
        assert x.shape == (500,)
        assert params[p.name].low <= p.low <= x.min()
        assert x.max() <= p.high <= params[p.name].high


def test_seeded_sample_is_reproducible_and_seed_matters():
    unc = parse_uncertainty(SPEC)
    a, b = unc.sample(), unc.sample()
    c = unc.sample(seed=2)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["labour.okun"], c["labour.okun"])


def test_marginals_follow_their_distribution():
    unc = parse_uncertainty({**SPEC, "correlations": [], "draws": 4000})
    x = unc.sample()
    tri = stats.triang(c=0.5, loc=0.05, scale=0.06)
    assert stats.kstest(x["capital.depreciation"], tri.cdf).pvalue > 0.01
    uni = stats.uniform(0.02, 0.13)
    assert stats.kstest(x["production.gamma_public"], uni.cdf).pvalue > 0.01
    assert np.median(x["fiscal.buoyancy"]) == pytest.approx(1.0, abs=0.01)


def test_latin_hypercube_stratifies_each_parameter():
    unc = parse_uncertainty({"parameters": {"labour.okun": {"dist": "uniform"}}})
    x = unc.sample(draws=50, seed=4)["labour.okun"]
    strata = np.floor((x - 0.1) / 0.4 * 50).astype(int)
    assert sorted(strata) == list(range(50))


def test_gaussian_copula_gives_the_rank_correlation():
    unc = parse_uncertainty({**SPEC, "draws": 20000})
    x = unc.sample()
    rho = stats.spearmanr(x["capital.depreciation"], x["tfp.growth_industry"])[0]
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.25), abs=0.03)
    other = stats.spearmanr(x["capital.depreciation"], x["labour.okun"])[0]
    assert abs(other) < 0.03


def test_default_is_every_parameter_uniform_over_its_range():
    unc = default_uncertainty(seed=3)
    params = load_parameters()
    assert unc.is_default
    assert unc.names == list(params)
    for p in unc.parameters:
        assert (p.dist, p.low, p.high) == ("uniform", params[p.name].low, params[p.name].high)


def test_default_leaves_out_parameters_the_scenario_fixes():
    scn = make_scenario(name="fixed", parameters={"capital.depreciation": 0.07})
    unc = scenario_uncertainty(scn)
    assert "capital.depreciation" not in unc.names
    assert len(unc.names) == len(load_parameters()) - 1


def test_table_without_parameters_means_the_default():
    unc = parse_uncertainty({"draws": 7, "seed": 9, "sampling": "sobol"})
    assert unc.is_default and (unc.draws, unc.seed, unc.sampling) == (7, 9, "sobol")


def test_as_dict_round_trips():
    unc = parse_uncertainty(SPEC)
    again = parse_uncertainty(unc.as_dict())
    assert again == unc
    for name, x in unc.sample().items():
        np.testing.assert_array_equal(x, again.sample()[name])


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ({"draw": 5}, "did you mean 'draws'"),
        ({"draws": 0}, "draws: must be a whole number >= 1"),
        ({"draws": True}, "draws"),
        ({"seed": -1}, "seed: must be a whole number >= 0"),
        ({"sampling": "lhss"}, "did you mean 'lhs'"),
        (
            {"parameters": {"capital.deprecation": {"dist": "uniform"}}},
            "did you mean 'capital.depreciation'",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "normall", "mean": 0.3, "sd": 0.1}}},
            "did you mean 'normal'",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.0}}},
            "outside the plausible range [0.1, 0.5]",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.4, "high": 0.2}}},
            "must be below high",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "triangular", "mod": 0.3}}},
            "did you mean 'mode'",
        ),
        ({"parameters": {"labour.okun": {"dist": "triangular", "mode": 0.6}}}, "mode"),
        ({"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3}}}, "normal needs sd"),
        ({"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": -1}}}, "must be > 0"),
        (
            {"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": "x"}}},
            "must be a number",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": 0.5}}},
            "of its probability inside the plausible range",
        ),
        (
            {
                "parameters": {
                    "labour.working_age_trend": {"dist": "lognormal", "median": 0.1, "sigma": 0.1}
                }
            },
            "lognormal draws are positive",
        ),
        ({"parameters": {"labour.okun": 0.3}}, "must be a table"),
        (
            {
                "parameters": {"labour.okun": {"dist": "uniform"}},
                "correlations": [["labour.okun", "fiscal.buoyancy", 0.3]],
            },
            "'fiscal.buoyancy' is not an uncertain parameter",
        ),
        (
            {
                "parameters": {
                    "labour.okun": {"dist": "uniform"},
                    "fiscal.buoyancy": {"dist": "uniform"},
                },
                "correlations": [["labour.okun", "fiscal.buoyancy", 1.0]],
            },
            "strictly between -1 and 1",
        ),
        ({"correlations": [["labour.okun", "labour.okun", 0.3]]}, "with itself"),
        ({"correlations": "labour.okun"}, "must be a list"),
        (
            {
                "correlations": [
                    ["labour.okun", "fiscal.buoyancy", 0.5],
                    ["fiscal.buoyancy", "labour.okun", 0.4],
                ]
            },
            "more than once",
        ),
        (
            {
                "correlations": [
                    ["labour.okun", "fiscal.buoyancy", 0.9],
                    ["labour.okun", "tfp.rd_return", 0.9],
                    ["fiscal.buoyancy", "tfp.rd_return", -0.9],
                ]
            },
            "not positive definite",
        ),
        ("draws = 5", "must be a table"),
    ],
)
def test_invalid_specs_raise_scenario_error(spec, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty(spec, source="bad.toml")
    assert fragment in str(info.value)
    assert str(info.value).startswith("bad.toml")


def test_all_problems_are_reported_together():
    spec = {
        "draw": 5,
        "sampling": "x",
        "parameters": {"nope": {"dist": "uniform"}, "labour.okun": {"dist": "gamma"}},
    }
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty(spec)
    assert len(info.value.problems) == 4


def test_problems_carry_key_paths_for_the_scenario_file_reader():
    unc, problems = uncertainty_problems(
        {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.0}}}
    )
    assert unc is None
    assert problems[0][0] == ("parameters", "labour.okun", "low")
