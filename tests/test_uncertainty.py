"""Uncertainty declarations: validation, distributions, sampling, correlations."""

import numpy as np
import pytest
from scipy import stats

from hubinsim import ScenarioError, make_scenario
from hubinsim.data import load_parameters
from hubinsim.uncertainty import (
    DISTRIBUTIONS,
    NOT_DRAWN_BY_DEFAULT,
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
    assert unc.names == [n for n in params if n not in NOT_DRAWN_BY_DEFAULT]
    for p in unc.parameters:
        assert (p.dist, p.low, p.high) == ("uniform", params[p.name].low, params[p.name].high)


def test_default_leaves_out_parameters_the_scenario_fixes():
    scn = make_scenario(name="fixed", parameters={"capital.depreciation": 0.07})
    unc = scenario_uncertainty(scn)
    assert "capital.depreciation" not in unc.names
    assert len(unc.names) == len(load_parameters()) - 1 - len(NOT_DRAWN_BY_DEFAULT)


def test_default_keeps_the_business_as_usual_realisation():
    # It is the yardstick of plan_realisation: drawing it would make a fixed stimulus a cut.
    assert "investment.bau_realisation" not in default_uncertainty(seed=1).names
    declared = parse_uncertainty(
        {"parameters": {"investment.bau_realisation": {"dist": "uniform"}}}
    )
    assert declared.names == ["investment.bau_realisation"]


def test_a_parameter_fixed_and_drawn_is_an_error():
    scn = make_scenario(name="both", parameters={"capital.depreciation": 0.07})
    spec = {"parameters": {"capital.depreciation": {"dist": "uniform"}}}
    with pytest.raises(ScenarioError, match="also fixed in \\[parameters\\]"):
        parse_uncertainty(spec, scenario=scn)


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
        ({"draws": 0}, "draws: must be a whole number in 1..2,000,000"),
        ({"draws": 10**11}, "draws: must be a whole number in 1..2,000,000"),
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


SCENARIO_FILE = """
[scenario]
name = "uncertain"
extends = "{base}"

[uncertainty]
draws = 50
seed = 3
sampling = "sobol"
correlations = [["capital.depreciation", "tfp.growth_industry", 0.5]]

[uncertainty.parameters]
"capital.depreciation" = {{ dist = "triangular", low = 0.05, mode = 0.08, high = 0.11 }}
"tfp.growth_industry" = {{ dist = "normal", mean = 0.02, sd = 0.004 }}
"""


def _write(tmp_path, text):
    from pathlib import Path

    base = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
    path = tmp_path / "uncertain.toml"
    path.write_text(text.format(base=base.as_posix()), encoding="utf-8")
    return path


def test_scenario_file_section_is_read_and_written_back(tmp_path):
    from hubinsim.scenario_file import load_scenario, resolved_toml

    scn = load_scenario(_write(tmp_path, SCENARIO_FILE))
    unc = scn.sections["uncertainty"]
    assert (unc.draws, unc.seed, unc.sampling) == (50, 3, "sobol")
    assert scenario_uncertainty(scn) is unc
    again = tmp_path / "resolved.toml"
    again.write_text(resolved_toml(scn), encoding="utf-8")
    assert load_scenario(again).sections["uncertainty"] == unc


def test_scenario_file_section_errors_name_the_line(tmp_path):
    from hubinsim.scenario_file import load_scenario

    bad = (
        SCENARIO_FILE.replace("low = 0.05, mode", "low = 0.01, mode")
        .replace('"lhs"', '"x"')
        .replace("draws = 50", "draws = 0")
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, bad))
    text = str(info.value)
    assert "uncertain.toml:7: [uncertainty] draws" in text
    assert 'uncertain.toml:13: [uncertainty] parameters."capital.depreciation".low' in text


def test_default_section_stays_the_default_of_its_scenario(tmp_path):
    from hubinsim.scenario_file import load_scenario, resolved_toml

    text = (
        '[scenario]\nname = "d"\n\n[parameters]\n"capital.depreciation" = 0.07\n\n'
        "[uncertainty]\ndraws = 5\nseed = 1\n"
    )
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    scn = load_scenario(path)
    assert "capital.depreciation" not in scenario_uncertainty(scn).names
    assert "[uncertainty.parameters]" not in resolved_toml(scn)


def test_uniform_shortcut_equals_scipy_bit_for_bit():
    unc = parse_uncertainty({"parameters": {"labour.okun": {"dist": "uniform", "low": 0.15}}})
    p = unc.parameters[0]
    u = np.linspace(0.0, 1.0, 1001)
    expected = stats.uniform(loc=p.low, scale=p.high - p.low).ppf(u)
    np.testing.assert_array_equal(p.ppf(u), np.clip(expected, p.low, p.high))
