"""The analysis layer: sensitivity estimators on analytic functions, then on the model."""

import builtins
import importlib.util
import re
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from support import ROOT, extending_baseline

import hubinsim
from hubinsim import ScenarioError
from hubinsim.actuals import COLUMNS
from hubinsim.analysis.calibration import synthetic_actuals
from hubinsim.analysis.indices import (
    ishigami,
    ishigami_indices,
    morris,
    saltelli_sample,
    sobol,
    sobol_analyze,
)
from hubinsim.analysis.sensitivity import parse_outputs, sensitivity
from hubinsim.data import load_parameters, load_targets
from hubinsim.model.inputs import Schedule
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


# ------------------------------------------------------------------------------ goal seeking

BASELINE = ROOT / "scenarios" / "baseline.toml"
STIMULUS = ROOT / "scenarios" / "stimulus.toml"


def _value(scn, indicator, year, **levers):
    res = hubinsim.simulate(scn, levers=levers or None)
    return float(res.annual.loc[year, indicator])


def test_solve_meets_a_target_with_a_monotone_lever_and_not_one_percent_closer():
    scn = hubinsim.load_scenario(BASELINE)
    sol = hubinsim.solve(scn, "gdp_real@2025>=400", "plan_realisation")
    assert sol.status == "met" and sol.monotone
    x, x0 = float(sol.x[0]), sol.variables[0].x0
    reached = _value(sol.scenario, "gdp_real", 2025)
    assert reached >= 400 and reached - 400 <= 1e-6 * 400
    closer = x0 + 0.99 * (x - x0)
    assert _value(scn, "gdp_real", 2025, plan_realisation=closer) < 400


@pytest.mark.filterwarnings("ignore:the solution lowers real GDP")  # emigration does
def test_solve_a_less_or_equal_target_with_a_falling_response():
    scn = hubinsim.load_scenario(BASELINE)
    sol = hubinsim.solve(scn, "population@2030<=32.5", "siphon_rate")
    assert sol.status == "met" and sol.monotone
    x, x0 = float(sol.x[0]), sol.variables[0].x0
    assert x > x0  # a faster-growing neighbour draws residents away
    reached = _value(sol.scenario, "population", 2030)
    assert reached <= 32.5 and 32.5 - reached <= 1e-6 * 32.5
    assert _value(scn, "population", 2030, siphon_rate=x0 + 0.99 * (x - x0)) > 32.5


def test_an_unreachable_target_says_so_with_the_closest_value():
    sol = hubinsim.solve(BASELINE, "gdp_real@2025>=600", "plan_realisation")
    assert sol.status == "unreachable" and not sol.met
    assert sol.x[0] == 1.0  # the whole pool is the closest the lever gets
    assert "cannot be met within the levers' ranges" in sol.message
    assert "plan_realisation = 1 " in sol.message
    assert sol.scenario.name == "baseline-closest"
    assert "do NOT meet the target" in sol.toml()


def test_a_target_already_met_needs_no_change():
    sol = hubinsim.solve(BASELINE, "va_tertiary@2025>=200", "tourism_growth")
    assert sol.status == "already met" and sol.x[0] == sol.variables[0].x0
    assert "no change is needed" in sol.message


@pytest.mark.filterwarnings("ignore:vouchers. an extra outlay")  # the cost is not at issue
def test_a_response_that_turns_is_reported():
    # vouchers raise demand but their cost to the budget holds public investment back:
    # real GDP in 2035 first rises, then falls with the size of the programme
    sol = hubinsim.solve(BASELINE, "gdp_real@2035>=592.5", "vouchers")
    assert sol.monotone is False
    assert any("not monotone" in n for n in sol.notes)
    assert sol.status == "met" and sol.x[0] < 2.5  # the crossing nearest the status quo


def test_a_schedule_lever_is_shifted_keeping_its_shape(tmp_path):
    scn = hubinsim.load_scenario(STIMULUS)
    sol = hubinsim.solve(scn, "gdp_real@2030>=501.5", "rd_intensity_pct")
    assert sol.status == "met" and sol.variables[0].shift
    before = scn.levers["rd_intensity_pct"].points
    after = sol.settings["rd_intensity_pct"].points
    steps = {round(b - a, 12) for (_, a), (_, b) in zip(before, after, strict=True)}
    assert steps == {round(float(sol.x[0]), 12)}
    written = hubinsim.write_solution(sol, tmp_path, charts=False)
    loaded = hubinsim.load_scenario(written.path / "stimulus-solved.toml")
    assert loaded.extends[0] == str(STIMULUS.resolve())
    assert loaded.levers["rd_intensity_pct"] == sol.settings["rd_intensity_pct"]
    assert _value(loaded, "gdp_real", 2030) == pytest.approx(sol.achieved, rel=1e-12)


@pytest.mark.parametrize(
    ("levers", "lever"),
    [
        (None, "vouchers"),  # a number: the status quo up to 2025, the solved value from 2026
        ({"vouchers": Schedule(((2021, 0.0), (2026, 0.5)), True)}, "vouchers"),  # a schedule
    ],
)
@pytest.mark.filterwarnings("ignore:vouchers. an extra outlay")  # the vouchers' cost
@pytest.mark.filterwarnings("ignore:the solution lowers real GDP")
def test_a_lever_solved_from_a_year_keeps_the_years_before_it(levers, lever):
    scn = hubinsim.load_scenario(BASELINE)
    if levers:
        scn = replace(scn, levers={**scn.levers, **levers})
    sol = hubinsim.solve(scn, "retail_sales@2030>=190", lever, from_year=2026)
    assert sol.status == "met"
    before = hubinsim.simulate(scn).annual
    after = hubinsim.simulate(sol.scenario).annual
    early = before.index < 2026
    pd.testing.assert_frame_equal(after[early], before[early])  # history is not re-decided
    assert not np.allclose(after.loc[2026:, "retail_sales"], before.loc[2026:, "retail_sales"])
    reached = float(after.loc[2030, "retail_sales"])
    assert 190 <= reached <= 190 * (1 + 1e-6)
    years = np.arange(2021, 2036)
    setting = sol.settings[lever].annual(years)
    old = scn.levers[lever].annual(years) if levers else np.zeros(len(years))
    np.testing.assert_array_equal(setting[years < 2026], old[years < 2026])
    assert "from 2026 on" in sol.message and "from 2026 on" in sol.table["form"].iloc[0]
    outlay = [w for w in sol.warnings if "extra outlay" in w]  # paid from 2026, said so
    assert outlay and all(w.endswith("over 2026-2035") for w in outlay)
    # solved over the whole period, the lever would re-decide 2021-2025 as well
    whole = hubinsim.solve(scn, "retail_sales@2030>=190", lever).settings[lever]
    whole = whole.annual(years) if isinstance(whole, Schedule) else np.full(len(years), whole)
    assert not np.array_equal(whole[years < 2026], old[years < 2026])


@pytest.mark.parametrize(
    ("from_year", "message"),
    [(2026, "cannot move the target's year 2025"), (2020, "must lie in 2021..2025"),
     ("2026", "a year such as 2026")],
)  # fmt: skip
def test_a_from_year_after_the_target_or_before_the_levers_is_refused(from_year, message):
    with pytest.raises(hubinsim.ScenarioError, match=message):
        hubinsim.solve(BASELINE, "retail_sales@2025>=150", "vouchers", from_year=from_year)


def test_a_solution_reports_its_side_effects_and_costs_against_the_status_quo():
    scn = hubinsim.load_scenario(BASELINE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sol = hubinsim.solve(scn, "retail_sales@2025>=150", "vouchers")
    assert sol.status == "met"
    before = hubinsim.simulate(scn).annual
    after = hubinsim.simulate(sol.scenario).annual
    fx = sol.effects.set_index(["indicator", "year"])
    assert set(fx.index.get_level_values("year")) == {2025, scn.time.end}
    for name in ("government_debt", "fiscal_balance", "gdp_real", "share_tertiary_pct"):
        for year in (2025, scn.time.end):
            row = fx.loc[(name, year)]
            assert row["status_quo"] == pytest.approx(before.loc[year, name], rel=1e-12)
            assert row["change"] == pytest.approx(
                after.loc[year, name] - before.loc[year, name], rel=1e-9, abs=1e-12
            )
    tertiary = fx.loc[("share_tertiary_pct", 2025)]  # a plan target of 2025: met or not
    assert tertiary["plan_target"] == ">=60"
    assert tertiary["met_solved"] == (after.loc[2025, "share_tertiary_pct"] >= 60)
    cost = sol.costs.set_index("item").loc["vouchers"]
    share = float(sol.x[0]) / before.loc[2021:, "fiscal_revenue"]  # vouchers from 2021
    assert cost["largest"] == pytest.approx(float(sol.x[0]))
    assert cost["share_of_revenue_pct"] == pytest.approx(100 * share.max())
    text = [str(w.message) for w in caught]
    assert any(t.startswith("vouchers: an extra outlay") for t in text) == (share.max() > 0.10)
    lowered = after.loc[2025, "gdp_real"] < before.loc[2025, "gdp_real"]
    assert any("lowers real GDP in 2025" in t for t in text) == lowered
    assert sol.warnings == [t for t in text if t in sol.warnings]


def test_a_lever_that_ends_on_its_bound_is_flagged():
    sol = hubinsim.solve(BASELINE, "gdp_real@2025>=600", "plan_realisation")
    assert sol.x[0] == 1.0
    assert sol.table.loc["plan_realisation", "at_bound"] == "upper"
    assert "at the upper bound of its range" in sol.message
    inside = hubinsim.solve(BASELINE, "gdp_real@2025>=400", "plan_realisation")
    assert inside.table.loc["plan_realisation", "at_bound"] == ""
    assert "bound" not in inside.message


def _actuals(tmp_path):
    """Actual figures of 2021-2023 made by the model with a higher services TFP than the
    scenario's, as a file read back."""
    obs = synthetic_actuals(parameters={"tfp.growth_tertiary": 0.02}, years=range(2021, 2024))
    path = tmp_path / "actuals.csv"
    obs.assign(period="year")[list(COLUMNS)].to_csv(path, index=False, float_format="%.12g")
    return hubinsim.read_actuals(path)


@pytest.mark.filterwarnings("ignore:vouchers. an extra outlay")  # the vouchers' cost
@pytest.mark.filterwarnings("ignore:the solution lowers real GDP")
def test_solve_on_actual_figures_meets_the_target_on_their_reprojection(tmp_path):
    acts = _actuals(tmp_path)
    scn = hubinsim.load_scenario(BASELINE)
    before = hubinsim.simulate(scn, actuals=acts).annual  # as hubinsim evaluate re-projects
    goal = f"retail_sales@2027>={before.loc[2027, 'retail_sales'] * 1.05:.6f}"
    sol = hubinsim.solve(scn, goal, "vouchers", actuals=acts)
    assert sol.status == "met" and sol.metadata["restart_year"] == 2023
    assert sol.status_quo_value == pytest.approx(before.loc[2027, "retail_sales"], rel=1e-12)
    after = hubinsim.simulate(sol.scenario, actuals=acts).annual
    target = sol.goal.value
    assert target <= after.loc[2027, "retail_sales"] <= target * (1 + 1e-6)
    pd.testing.assert_frame_equal(after.loc[:2023], before.loc[:2023])  # history stays
    assert "from 2024 on" in sol.message  # the levers change after the latest actual year
    bare = hubinsim.solve(scn, goal, "vouchers")  # the bare scenario: another starting point
    assert bare.status_quo_value != pytest.approx(sol.status_quo_value, rel=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": "retail_sales@2023>=150"}, "2023 is not after the latest full year"),
        ({"from_year": 2023}, "the levers can change from 2024 on"),
        ({"draws": 10}, "leave out draws"),
    ],
)
def test_solve_on_actual_figures_refuses_history(tmp_path, kwargs, message):
    kwargs = {"target": "retail_sales@2027>=190", **kwargs}
    with pytest.raises(hubinsim.ScenarioError, match=message):
        hubinsim.solve(BASELINE, levers="vouchers", actuals=_actuals(tmp_path), **kwargs)


@pytest.mark.filterwarnings("ignore:the solution lowers real GDP")  # services for industry
def test_several_levers_take_the_smallest_change_in_range_units():
    scn = hubinsim.load_scenario(BASELINE)
    goal = "share_tertiary_pct@2025>=62"
    both = hubinsim.solve(scn, goal, ["tertiary_shift", "tourism_growth"])
    assert both.status == "met"
    reached = _value(both.scenario, "share_tertiary_pct", 2025)
    assert 62 <= reached <= 62 * (1 + 1e-6)
    # each lever alone is a feasible change too: the smallest change is no larger
    for name in ("tertiary_shift", "tourism_growth"):
        one = hubinsim.solve(scn, goal, name)
        if one.met:
            assert both.change_norm <= one.change_norm + 1e-6
    assert (both.table["change"] > 0).all()


def test_solve_with_draws_meets_the_target_with_the_probability_asked():
    sol = hubinsim.solve(
        BASELINE, "gdp_real@2025>=370", "plan_realisation", draws=40, seed=3, probability=0.8
    )
    assert sol.status == "met"
    assert sol.share_meeting >= 0.8 - 1 / 40
    # the same draws at a value 1 % closer to the status quo meet it less often
    x, x0 = float(sol.x[0]), sol.variables[0].x0
    closer = hubinsim.simulate(
        hubinsim.load_scenario(BASELINE),
        levers={"plan_realisation": x0 + 0.99 * (x - x0)},
        draws=40,
        seed=3,
    )
    assert np.quantile(closer.values["gdp_real"][5], 0.2) < 370


@pytest.mark.parametrize(
    "target, levers, fragment",
    [
        ("gdp_real>=400", "vouchers", "write it as INDICATOR@YEAR>=VALUE"),
        ("gdp_rael@2025>=400", "vouchers", "did you mean 'gdp_real'"),
        ("gdp_real@2019>=400", "vouchers", "must lie in 2021..2035"),
        ("gdp_real@2025>=abc", "vouchers", "not a finite number"),
        ("gdp_real@2025>=400", "vochers", "unknown lever"),
        ("gdp_real@2025>=400", [], "name at least one lever"),
    ],
)
def test_bad_targets_and_levers_raise_scenario_error(target, levers, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        hubinsim.solve(None, target, levers)


def test_solve_refuses_a_lever_the_draws_set(tmp_path):
    drawn = extending_baseline(tmp_path)
    with pytest.raises(ScenarioError, match="draws it"):
        hubinsim.solve(drawn, "gdp_real@2025>=400", "plan_realisation", draws=10)


# ------------------------------------------------------------------------------- attribution


def test_shapley_values_of_a_small_game():
    from hubinsim.analysis.attribution import shapley

    worth = np.array([0.0, 1.0, 2.0, 5.0])  # v({}), v({1}), v({2}), v({1, 2})
    np.testing.assert_allclose(shapley(worth, 2), [2.0, 3.0])


def _to_2026(path):
    from dataclasses import replace

    from hubinsim.scenario.settings import TimeSettings

    scn = hubinsim.load_scenario(path)
    return replace(scn, time=TimeSettings(2026, scn.time.dt, scn.time.method))


def test_contributions_add_up_to_the_difference_in_every_indicator_and_year():
    att = hubinsim.attribute(_to_2026(BASELINE), _to_2026(STIMULUS))
    frame = att.frame.dropna(subset=["difference"])  # growth rates have no 2020 value
    sums = frame.groupby(["indicator", "year"])["contribution"].sum()
    diffs = frame.groupby(["indicator", "year"])["difference"].first()
    np.testing.assert_allclose(sums, diffs, rtol=1e-9, atol=1e-9)
    settings = set(frame["setting"])
    assert {"pool", "vouchers", "net_migration_policy", "firms_attracted"} <= settings
    table = att.table("stimulus", 2025, ["gdp_real"])
    assert abs(table.loc["sum - total", "gdp_real"]) < 1e-9
    cmp = hubinsim.compare(_to_2026(BASELINE), _to_2026(STIMULUS))
    assert table.loc["total", "gdp_real"] == pytest.approx(
        cmp.differences().loc[("stimulus", 2025), "gdp_real"], abs=1e-9
    )


def test_the_focus_gives_debt_and_the_plan_targets_as_the_scorecard_judges_them():
    ref, alt = _to_2026(BASELINE), _to_2026(STIMULUS)
    att = hubinsim.attribute(ref, alt)
    focus = att.focus("stimulus", 2025).set_index("indicator")
    targets = [t for t in load_targets() if t.year == 2025]
    assert set(focus.index) == {"government_debt"} | {t.indicator for t in targets}
    for scn, column in ((ref, "met_reference"), (alt, "met_alternative")):
        card = hubinsim.simulate(scn).targets
        card = card[card["year"] == 2025].set_index("indicator")
        for t in targets:
            assert focus.loc[t.indicator, column] == bool(card.loc[t.indicator, "met"])
    debt = focus.loc["government_debt"]
    split = att.contributions("stimulus", "government_debt", 2025)
    assert debt["largest_setting"] == split.abs().idxmax()
    assert debt["largest_share_pct"] == pytest.approx(
        100 * split.max() / debt["difference"]
        if split.abs().idxmax() == split.idxmax()
        else 100 * split.min() / debt["difference"]
    )


def test_a_lower_deflator_of_a_stimulus_is_explained_when_nominal_gains_less_than_real():
    att = hubinsim.attribute(_to_2026(BASELINE), _to_2026(STIMULUS))
    for year in (2021, 2023, 2025):
        real = np.subtract(*att.levels("stimulus", "gdp_real", year)[::-1])
        nominal = np.subtract(*att.levels("stimulus", "gdp", year)[::-1])
        note = att.deflator_note("stimulus", year)
        assert (note is not None) == (real > 0 and nominal < real)
        if note:
            assert "deflator is lower" in note and f"{nominal:+.4g}" in note
    backwards = hubinsim.attribute(_to_2026(STIMULUS), _to_2026(BASELINE))
    assert backwards.deflator_note("baseline", 2025) is None  # real GDP lower: no such gain


def test_parameters_and_shocks_are_settings_and_groups_join_them(tmp_path):
    alt = hubinsim.make_scenario(
        name="alt",
        levers={"vouchers": 2.0, "siphon_rate": 0.06},
        parameters={"capital.depreciation": 0.08},
        shocks=[{"target": "fai", "years": (2022, 2023), "factor": 0.9, "name": "slump"}],
    )
    ref = hubinsim.make_scenario(name="ref")
    att = hubinsim.attribute(ref, alt)
    names = [s.name for s in att.alternatives[0].settings]
    assert names == ["siphon_rate", "vouchers", "capital.depreciation", "shock 'slump'"]
    grouped = hubinsim.attribute(ref, alt, groups={"policy": ["vouchers", "siphon_rate"]})
    assert [s.name for s in grouped.alternatives[0].settings][0] == "policy"
    t = grouped.table("alt", 2025, ["gdp"])
    assert abs(t.loc["sum - total", "gdp"]) < 1e-9


def test_more_settings_than_the_limit_are_grouped_by_section_with_a_warning():
    with pytest.warns(UserWarning, match="grouped by section"):
        att = hubinsim.attribute(_to_2026(BASELINE), _to_2026(STIMULUS), max_settings=5)
    names = [s.name for s in att.alternatives[0].settings]
    assert len(names) == 5 and "investment" in names and "consumption" in names
    t = att.table("stimulus", 2026, ["gdp_real"])
    assert abs(t.loc["sum - total", "gdp_real"]) < 1e-9


def test_attribution_refuses_different_time_settings_and_unknown_group_members():
    ref, alt = hubinsim.make_scenario(name="a"), hubinsim.make_scenario(name="b", end=2030)
    with pytest.raises(ScenarioError, match="different \\[time\\] settings"):
        hubinsim.attribute(ref, alt)
    with pytest.raises(ScenarioError, match="is not a setting in which the scenarios differ"):
        hubinsim.attribute(BASELINE, STIMULUS, groups={"x": ["tax_relief"]})


def test_identical_scenarios_have_nothing_to_attribute():
    att = hubinsim.attribute(BASELINE, BASELINE)
    assert att.alternatives[0].settings == []
    assert att.table("baseline (2)", 2025, ["gdp"]).loc["total", "gdp"] == 0


# ---------------------------------------------------------------- behavioural parameters (OLS)

TRUE = {"labour.okun": 0.3, "fiscal.buoyancy": 1.1, "consumption.services_income_elasticity": 1.4}


def _panel(**kw):
    from hubinsim.analysis.elasticities import synthetic_panel

    return synthetic_panel(TRUE["labour.okun"], TRUE["fiscal.buoyancy"],
                           TRUE["consumption.services_income_elasticity"], **kw)  # fmt: skip


@pytest.mark.parametrize("districts", [1, 12])
def test_regressions_recover_known_coefficients_without_noise(districts):
    est = hubinsim.estimate_elasticities(_panel(districts=districts, noise=0.0, seed=2))
    for name, value in TRUE.items():
        assert est.table.loc[name, "estimate"] == pytest.approx(value, abs=1e-9)
    assert est.skipped == {}


def test_regressions_recover_known_coefficients_within_their_errors():
    est = hubinsim.estimate_elasticities(_panel(districts=12, noise=1.0, seed=5))
    t = est.table
    for name, value in TRUE.items():
        assert abs(t.loc[name, "estimate"] - value) < 3 * t.loc[name, "se"], name
        assert t.loc[name, "ci_low"] < t.loc[name, "estimate"] < t.loc[name, "ci_high"]
    assert set(t["cov_type"]) == {"cluster-robust by district (12)"}
    assert (t["n"] == 12 * 15).all()
    assert (
        "OLS" in est.summaries["labour.okun"]
        and "gdp_real_growth_pct" in est.summaries["labour.okun"]
    )


def test_short_or_missing_series_are_skipped_with_the_reason():
    frame = _panel(districts=1, years=range(2016, 2021)).drop(columns=["fiscal_revenue"])
    est = hubinsim.estimate_elasticities(frame)
    assert "the data have no fiscal_revenue" in est.skipped["fiscal.buoyancy"]
    assert "4 year-on-year changes" in est.skipped["labour.okun"]
    assert est.table.empty


def test_buoyancy_falls_back_to_gdp_and_says_so():
    frame = _panel(districts=3, seed=1)
    frame["gdp"] = frame[["va_primary", "va_secondary", "va_tertiary"]].sum(axis=1)
    frame = frame.drop(columns=["va_primary", "va_secondary", "va_tertiary"])
    est = hubinsim.estimate_elasticities(frame)
    assert "nominal GDP" in est.table.loc["fiscal.buoyancy", "note"]


def test_the_fragment_sets_estimates_in_range_and_explains_the_others(tmp_path):
    from hubinsim.analysis.elasticities import synthetic_panel

    frame = synthetic_panel(0.6, 1.1, 1.4, districts=3, noise=0.0)  # okun above its range
    path = tmp_path / "panel.csv"
    frame.to_csv(path)
    est = hubinsim.estimate_elasticities(hubinsim.read_panel(path), BASELINE)
    text = est.fragment()
    assert "NOT SET: labour.okun = 0.6" in text and est.metadata["sha256"] in text
    (tmp_path / "estimated.toml").write_text(text, encoding="utf-8")
    scn = hubinsim.load_scenario(tmp_path / "estimated.toml")
    assert scn.parameters == {
        "fiscal.buoyancy": pytest.approx(1.1, abs=1e-9),
        "consumption.services_income_elasticity": pytest.approx(1.4, abs=1e-9),
    }
    assert scn.extends[0] == str(BASELINE.resolve())


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("district,year,gdp_growth\nA,2020,5\n", "line 1, column 3: unknown column 'gdp_growth'"),
        ("district,year,gdp\nA,20x0,5\n", "line 2, column 2 (year): '20x0' is not a year"),
        ("district,year,gdp\nA,2020,five\n", "line 2, column 3 (gdp): 'five' is not a number"),
        ("district,year,gdp\nA,2020,-5\n", "line 2, column 3 (gdp): -5 must be above 0"),
        ("district,year,gdp\nA,2020,5\nA,2020,6\n", "line 3: district 'A', year 2020 appears"),
        ("district,gdp\nA,5\n", "needs a 'year' column"),
        ("district,year,gdp\n", "no data rows"),
    ],
)
def test_bad_panel_files_name_the_line_and_column(tmp_path, text, fragment):
    path = tmp_path / "panel.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(hubinsim.DataError, match=re.escape(fragment)):
        hubinsim.read_panel(path)
