"""Levers in [uncertainty.levers]: validation, draws that replace the scenario's setting,
reproduction from the resolved file, and comparisons that would hide a difference."""

from pathlib import Path

import numpy as np
import pytest
from cli_support import invoke

import hubinsim
from hubinsim import ScenarioError
from hubinsim.catalog import LEVER_BY_NAME, POOL_CATEGORIES
from hubinsim.ensemble import compare_ensembles, run_ensemble, run_members
from hubinsim.scenario_file import load_scenario, resolved_toml
from hubinsim.uncertainty import parse_uncertainty, scenario_uncertainty

ROOT = Path(__file__).resolve().parents[1]
BASELINE = (ROOT / "scenarios" / "baseline.toml").as_posix()

LEVERS = {
    "plan_realisation": {"dist": "triangular", "low": 0.4, "mode": 0.7, "high": 0.9},
    "siphon_rate": {"dist": "uniform", "low": 0.03, "high": 0.08},
}

FILE = """[scenario]
name = "drawn"
extends = "{base}"

[uncertainty]
draws = 40
seed = 5
correlations = [["plan_realisation", "siphon_rate", -0.4]]

[uncertainty.levers]
plan_realisation = {{ dist = "triangular", low = 0.4, mode = 0.7, high = 0.9 }}
siphon_rate = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"""


def _file(tmp_path, text=FILE, name="drawn.toml"):
    path = tmp_path / name
    path.write_text(text.format(base=BASELINE), encoding="utf-8")
    return path


def test_levers_are_drawn_after_the_parameters_within_their_bounds():
    unc = parse_uncertainty({"draws": 300, "seed": 2, "levers": LEVERS})
    assert unc.is_default  # the parameters follow the default uncertainty
    assert unc.lever_names == ["plan_realisation", "siphon_rate"]
    assert unc.names[-2:] == unc.lever_names
    assert all(p.kind == "parameter" for p in unc.parameters[:-2])
    draws = unc.sample()
    assert 0.4 <= draws["plan_realisation"].min() and draws["plan_realisation"].max() <= 0.9
    assert 0.03 <= draws["siphon_rate"].min() and draws["siphon_rate"].max() <= 0.08
    # Latin hypercube: one draw in each of the 300 strata of the uniform lever
    strata = np.floor((draws["siphon_rate"] - 0.03) / 0.05 * 300).astype(int)
    assert sorted(strata) == list(range(300))
    assert unc.as_dict()["levers"]["siphon_rate"] == {"dist": "uniform", "low": 0.03, "high": 0.08}


@pytest.mark.parametrize(
    "levers, fragment",
    [
        ({"plan_realization": {"dist": "uniform"}}, "did you mean 'plan_realisation'"),
        (
            {"capital.depreciation": {"dist": "uniform"}},
            "declare it under [uncertainty.parameters]",
        ),
        ({"plan_realisation": {"dist": "uniform", "low": -0.1}}, "outside the plausible range"),
        ({"vouchers": {"dist": "normal", "mean": 5.0}}, "normal needs sd"),
        ({"siphon_rate": 0.05}, "must be a table"),
    ],
)
def test_bad_lever_declarations_are_named(levers, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty({"levers": levers})
    assert fragment in str(info.value)
    assert "[uncertainty] levers." in str(info.value)


def test_a_lever_declared_as_a_parameter_is_sent_to_the_levers_table():
    with pytest.raises(ScenarioError, match=r"declare it under \[uncertainty.levers\]"):
        parse_uncertainty({"parameters": {"vouchers": {"dist": "uniform"}}})


def test_a_drawn_member_equals_a_single_run_with_that_setting():
    scn = hubinsim.load_scenario(ROOT / "scenarios" / "baseline.toml")
    samples = {
        "plan_realisation": np.array([0.45, 0.6, 0.85]),
        "siphon_rate": np.array([0.07, 0.04, 0.05]),
    }
    res = run_members(scn, samples)
    for m in range(3):
        one = hubinsim.simulate(scn, levers={k: float(v[m]) for k, v in samples.items()}).values
        for name in ("gdp_real", "population", "fai_industry", "retail_sales"):
            np.testing.assert_array_equal(res.values[name][:, m], one[name][:, 0], err_msg=name)
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
    scn = load_scenario(_file(tmp_path))
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


def test_scenario_file_lever_errors_name_the_line(tmp_path):
    bad = FILE.replace("plan_realisation = {{ dist", "plan_realisatoin = {{ dist")
    with pytest.raises(ScenarioError) as info:
        load_scenario(_file(tmp_path, bad))
    assert "drawn.toml:11: [uncertainty] levers.plan_realisatoin: unknown lever" in str(info.value)


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


def test_the_command_line_names_the_drawn_levers(tmp_path):
    res = invoke("run", _file(tmp_path), "--out", tmp_path / "runs", "--no-charts")
    assert res.exit_code == 0, res.output
    assert "lever(s) drawn: plan_realisation, siphon_rate" in res.output
    draws = hubinsim.read_draws(tmp_path / "runs" / "drawn")
    assert {"plan_realisation", "siphon_rate"} <= set(draws.columns)
    assert draws["plan_realisation"].between(0.4, 0.9).all()


def test_every_lever_can_be_declared_uncertain():
    spec = {name: {"dist": "uniform"} for name in LEVER_BY_NAME}
    unc = parse_uncertainty({"draws": 8, "seed": 3, "levers": spec})
    samples = unc.sample()
    for name, lever in LEVER_BY_NAME.items():
        assert lever.low <= samples[name].min() and samples[name].max() <= lever.high, name


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

    scn = load_scenario(_file(tmp_path, DEFAULT_WITH_CORRELATIONS.replace("{fixed}", "")))
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
    scn = load_scenario(_file(tmp_path, DEFAULT_WITH_CORRELATIONS.replace("{fixed}", fixed)))
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
