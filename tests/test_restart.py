"""A run re-projected from actual figures: ``simulate(scenario, actuals=..., anchor=...)``,
``compare(..., actuals=...)`` and ``hubinsim run/compare --actuals``.

The actual figures are made by the model itself with other parameters, so that no test
depends on the model's own numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest
from support import invoke

import hubinsim

SHOWN = ("gdp", "va_tertiary", "fiscal_revenue", "retail_sales", "unemployment_rate_pct")


@pytest.fixture(scope="module")
def made():
    """A scenario to 2027 and actual levels of 2021-2023 made with other parameters."""
    scn = hubinsim.make_scenario(name="r", end=2027, levers={"vouchers": 1.0})
    truth = hubinsim.simulate(
        scn, parameters={"tfp.growth_tertiary": 0.004, "consumption.external_growth": 0.03}
    ).annual
    rows = [
        {"indicator": ind, "year": y, "value": truth.loc[y, ind], "basis": "level",
         "vintage": "final", "source": "made by the model"}
        for y in (2021, 2022, 2023) for ind in SHOWN
    ]  # fmt: skip
    return scn, truth, hubinsim.Actuals.from_rows(rows, "made.csv")


def test_the_years_to_the_latest_actual_show_the_actuals_and_the_rest_is_the_restart(made):
    scn, truth, act = made
    plain = hubinsim.simulate(scn).annual
    res = hubinsim.simulate(scn, actuals=act)
    rep = res.reprojection
    assert rep.start_year == 2023 and rep.anchor == "restart"
    for ind in SHOWN:
        for y in (2021, 2022, 2023):
            assert res.annual.loc[y, ind] == pytest.approx(truth.loc[y, ind], rel=1e-9)
            assert rep.flags.loc[y, ind] == "actual"
    # after the restart year the path is the model's, not the actuals' nor the plain run's
    assert rep.flags.loc[2024, "gdp"] == "model"
    assert res.annual.loc[2025, "gdp"] != pytest.approx(plain.loc[2025, "gdp"], rel=1e-6)
    # an indicator the file does not give is the original run's before the restart
    assert res.annual.loc[2021, "population"] == pytest.approx(plain.loc[2021, "population"])
    assert res.metadata["actuals"]["start_year"] == 2023


def test_the_evaluation_shows_the_same_path_as_simulate(made):
    scn, _truth, act = made
    res = hubinsim.simulate(scn, actuals=act)
    ev = hubinsim.evaluate(scn, act)
    for ind in SHOWN:
        np.testing.assert_allclose(ev.path[ind].to_numpy(), res.annual[ind].to_numpy())


def test_add_factors_pass_through_the_latest_actual_and_fade(made):
    scn, truth, act = made
    plain = hubinsim.simulate(scn).annual
    res = hubinsim.simulate(scn, actuals=act, anchor="fade=2")
    assert res.reprojection.start_year is None
    assert res.annual.loc[2023, "gdp"] == pytest.approx(truth.loc[2023, "gdp"])
    assert res.annual.loc[2025, "gdp"] == pytest.approx(plain.loc[2025, "gdp"])  # faded out
    half = (truth.loc[2023, "gdp"] / plain.loc[2023, "gdp"] - 1) / 2
    assert res.annual.loc[2024, "gdp"] == pytest.approx(plain.loc[2024, "gdp"] * (1 + half))


def test_every_member_of_an_ensemble_restarts_from_the_actuals(made):
    scn, truth, act = made
    res = hubinsim.simulate(scn, actuals=act, draws=8, seed=3)
    v = res.values["gdp"]
    years = list(res.years)
    for y in (2021, 2022, 2023):  # an actual figure is the same in every member
        np.testing.assert_allclose(v[years.index(y)], truth.loc[y, "gdp"])
    assert np.ptp(v[years.index(2026)]) > 0  # the draws spread after it
    assert "probability" in res.targets.columns


def test_the_scorecard_measures_the_growth_needed_from_the_latest_actual_year(made):
    scn, truth, act = made
    card = hubinsim.simulate(scn, actuals=act).targets.set_index(["indicator", "year"])
    row = card.loc[("retail_sales", 2025)]
    assert row["needed_from"] == 2023
    from_2023 = ((row["target"] / truth.loc[2023, "retail_sales"]) ** 0.5 - 1) * 100
    assert row["needed"] == pytest.approx(from_2023)
    assert "needed_from" not in hubinsim.simulate(scn).targets.columns


def test_anchor_and_vintage_without_actuals_are_refused(made):
    scn, _truth, act = made
    with pytest.raises(hubinsim.ScenarioError, match="add actuals"):
        hubinsim.simulate(scn, anchor="fade=2")
    with pytest.raises(hubinsim.ScenarioError, match="restart or fade=N"):
        hubinsim.simulate(scn, actuals=act, anchor="fade")
    with pytest.raises(hubinsim.ScenarioError, match="start record"):
        hubinsim.simulate(scn, actuals=act, parameters={"tfp.growth_tertiary": 0.01})


def test_compare_re_projects_every_scenario_from_the_same_actuals(made):
    scn, truth, act = made
    alt = hubinsim.make_scenario(name="alt", end=2027, levers={"vouchers": 3.0})
    cmp = hubinsim.compare(scn, alt, actuals=act)
    for run in cmp.runs:
        assert run.annual.loc[2023, "gdp"] == pytest.approx(truth.loc[2023, "gdp"])
    assert set(cmp.scorecard.filter(like="needed_from").stack()) == {2023}


def test_run_and_compare_take_actuals_on_the_command_line(made, tmp_path, short, short_alt):
    _scn, _truth, act = made
    path = tmp_path / "actuals.csv"
    act.frame()[["indicator", "year", "period", "value", "basis", "vintage", "source"]].to_csv(
        path, index=False
    )
    out = tmp_path / "out"
    r = invoke("run", short, "--actuals", path, "--no-charts", "--out", out)
    assert r.exit_code == 0, r.output
    assert "restarted in 2023" in r.output and "growth needed from 2023" in r.output
    record = json.loads((out / "short" / "run.json").read_text(encoding="utf-8"))
    assert record["actuals"]["start_year"] == 2023 and len(record["actuals"]["sha256"]) == 64
    r = invoke("compare", short, short_alt, "--actuals", path, "--no-charts",
               "--anchor", "fade=2", "--out", out)  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "add-factors fading over 2 years" in r.output
    r = invoke("run", short, "--anchor", "fade=2", "--out", out)
    assert r.exit_code == 2 and "add --actuals" in r.output
