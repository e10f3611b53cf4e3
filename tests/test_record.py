"""The start record: a run starts from the state of a year (2020 by default), a run's state in
a later year makes a record, and a run restarted from that record continues the same path."""

import numpy as np
import pytest
from support import model_inputs

import hubinsim
from hubinsim import model
from hubinsim.analysis import checks
from hubinsim.catalog import LEVERS, lever_default
from hubinsim.data import load_base, load_parameters, load_pool
from hubinsim.model import record

BASE = {k: v.value for k, v in load_base().items()}
PARAMS = {k: np.array([v.value]) for k, v in load_parameters().items()}
POOL = load_pool()
DEFAULTS = {
    lv.name: lever_default(lv, {k: float(v[0]) for k, v in PARAMS.items()}, BASE) for lv in LEVERS
}
R_BAU = float(PARAMS["investment.bau_realisation"][0])


def _inputs(grid, levers=None):
    return model_inputs(grid, {k: float(v[0]) for k, v in PARAMS.items()}, levers, BASE)


def _value(v) -> float:
    """A record's value (a float for a single run, an array for an ensemble)."""
    return float(np.asarray(v).reshape(-1)[0])


def _run(start, rec, end=2035, levers=None, params=PARAMS):
    grid = model.TimeGrid(end, 0.25, start=start)
    x, xl = _inputs(grid, levers)
    return model.run(params, rec, POOL, x, grid, "euler", xl)


@pytest.fixture(scope="module")
def bau_and_record():
    grid = model.TimeGrid(2035, 0.25)
    x, xl = _inputs(grid)
    full = model.run(PARAMS, BASE, POOL, x, grid, "euler", xl)
    rec = model.record_at(2023, PARAMS, BASE, POOL, x, grid, "euler", xl)
    return full, rec


def test_a_run_restarted_from_its_own_record_continues_the_same_path(bau_and_record):
    """Every level and flow of 2024-2035 is the same to 1e-9. Growth rates differ only in
    2024 (the restarted run's 2023 is the mid-year point of the record, not an annual mean)
    and the debt only by the constant between the mid-2023 stock the record holds and the
    end-2023 debt of the annual series: its changes are the same."""
    full, rec = bau_and_record
    again = _run(2023, rec)
    growth = {n for n in again if n.endswith("growth_pct")}
    for name, v in again.items():
        before = full[name][3:]
        if name in growth:
            np.testing.assert_allclose(v[2:], before[2:], rtol=1e-9, err_msg=name)
        elif name == "government_debt":
            np.testing.assert_allclose(np.diff(v, axis=0)[1:], np.diff(before, axis=0)[1:])
        elif name != "new_urban_jobs_cumulative":  # cumulated from the start
            np.testing.assert_allclose(v[1:], before[1:], rtol=1e-9, err_msg=name)


def test_the_start_year_reproduces_its_record(bau_and_record):
    _, rec = bau_and_record
    again = _run(2023, rec)
    for name in ("gdp", "va_tertiary", "fai", "fiscal_revenue", "retail_sales", "population"):
        assert again[name][0, 0] == pytest.approx(_value(rec[name]), rel=1e-9), name
    assert again["unemployment_rate_pct"][0, 0] == pytest.approx(
        _value(rec["unemployment_rate_pct"]), rel=1e-9
    )


def test_a_record_of_the_start_year_gives_back_its_figures():
    grid = model.TimeGrid(2022, 0.25)
    x, xl = _inputs(grid)
    rec = model.record_at(2020, PARAMS, BASE, POOL, x, grid, "euler", xl)
    for name in record.FIGURES:
        assert _value(rec[name]) == pytest.approx(BASE[name], rel=1e-9), name


def test_every_field_of_a_record_is_documented(bau_and_record):
    _, rec = bau_and_record
    documented = (
        set(record.FIGURES) | set(record.OPTIONAL_FIGURES) | set(record.STOCKS)
        | set(record.REFERENCES)
    )  # fmt: skip
    assert set(rec) <= documented
    assert set(record.FIGURES) <= set(rec)


def test_a_start_year_from_figures_alone_is_reproduced_and_holds_its_policies():
    """A record for 2023 with only the published figures (the kind a mid-term evaluation
    has): capital, knowledge, the trough and expectations come from their default rules;
    the 2023 figures are reproduced. The start year is a year of the scenario: a lever set
    from 2024 acts from 2024, and vouchers in force in 2023 are part of the 2023 figures
    (taken out of the non-resident shoppers), so that retail falls when they end."""
    grid = model.TimeGrid(2035, 0.25)
    x, xl = _inputs(grid)
    full = model.run(PARAMS, BASE, POOL, x, grid, "euler", xl)
    years = list(range(2020, 2036))
    i = years.index(2023)
    figures = {name: float(BASE[name]) for name in record.FIGURES}
    for name in ("gdp", "va_tertiary", "fai", "fiscal_revenue", "retail_sales", "population"):
        figures[name] = float(full[name][i, 0])
    run = _run(2023, figures)
    for name in ("gdp", "va_tertiary", "fai", "fiscal_revenue", "retail_sales", "population"):
        assert run[name][0, 0] == pytest.approx(figures[name], rel=1e-9), name
    assert all(np.isfinite(v[:, 0]).all() for k, v in run.items() if "growth" not in k)
    assert run["output_gap_pct"][0, 0] < 0  # the trough of 2020, partly closed by 2023
    later = _run(2023, figures, levers={"vouchers": model.Schedule(((2023, 0.0), (2024, 3.0)))})
    assert later["retail_sales"][0, 0] == run["retail_sales"][0, 0]
    assert later["retail_sales"][1, 0] > run["retail_sales"][1, 0] + 2.0
    held = _run(2023, figures, levers={"vouchers": 3.0})
    assert held["retail_sales"][0, 0] == pytest.approx(run["retail_sales"][0, 0], rel=1e-12)
    assert held["retail_sales"][1, 0] == pytest.approx(run["retail_sales"][1, 0], rel=0.01)
    ended = _run(
        2023, figures, levers={"vouchers": model.Schedule(((2023, 3.0), (2024, 0.0)), True)}
    )
    assert ended["retail_sales"][1, 0] < run["retail_sales"][1, 0] - 2.0


@pytest.mark.parametrize("rate", [3.0, 2.0])
def test_a_record_below_the_natural_rate_is_reproduced_with_the_posts_behind_it(rate):
    """Registered unemployment below u* (3.4 %) is employment short of the posts offered:
    the calibration inverts the matching (docs/model.md §6) and the start year gives back
    the record's rate. 2.0 % lies further below u* than labour.tight_market_gap (0.8 point)
    lets unemployment fall: it is data, and the run's gap is widened to the record's own
    fall over 0.95, so that no later year falls below u* less that gap."""
    p = {k: float(v[0]) for k, v in PARAMS.items()}
    figures = {name: float(BASE[name]) for name in record.FIGURES}
    figures["unemployment_rate_pct"] = rate
    run = _run(2023, figures)
    u = run["unemployment_rate_pct"][:, 0]
    assert u[0] == pytest.approx(rate, rel=1e-9)
    nat = p["labour.natural_unemployment"] * 100.0
    gap = max(p["labour.tight_market_gap"] * 100.0, (nat - rate) / 0.95)
    assert np.isfinite(u).all() and u.min() > nat - gap - 1e-9
    assert (u[1:] > rate).all()  # the labour supply answers the demand


def test_the_default_trough_closes_from_2020():
    """A later record without the trough takes the 2020 figure of the base record, closed
    since 2020."""
    p = {k: float(v[0]) for k, v in PARAMS.items()}
    assert record.BASE_OUTPUT_GAP == BASE["output_gap"]
    assert record.initial_output_gap(p, 2020) == BASE["output_gap"]
    expected = BASE["output_gap"] * np.exp(-3 / p["growth.trough_closing_time"])
    assert record.initial_output_gap(p, 2023) == pytest.approx(expected, rel=1e-12)


def test_a_record_with_other_figures_keeps_the_runs_capital_output_ratios(bau_and_record):
    """Actual figures 10 % below the run's (every sector alike) give 10 % less capital of
    every kind; the run's own figures leave every stock as it is, to the last bit."""
    _, rec = bau_and_record
    same = record.with_figures(rec, {k: rec[k] for k in record.FIGURES})
    assert all(np.array_equal(same[k], rec[k]) for k in rec)
    lower = {"gdp": 0.9 * _value(rec["gdp"]), "va_tertiary": 0.9 * _value(rec["va_tertiary"])}
    new = record.with_figures(rec, lower)
    assert new["gdp"] == lower["gdp"] and new["va_tertiary"] == lower["va_tertiary"]
    for name in record.OUTPUT_STOCKS:
        assert _value(new[name]) == pytest.approx(0.9 * _value(rec[name]), rel=1e-12), name
    # a sector whose value added alone is revised carries its own capital only
    more_services = record.with_figures(rec, {"va_tertiary": 1.1 * _value(rec["va_tertiary"])})
    assert _value(more_services["capital_tertiary"]) == pytest.approx(
        1.1 * _value(rec["capital_tertiary"]), rel=1e-12
    )
    assert _value(more_services["capital_industry"]) < _value(rec["capital_industry"])
    assert more_services["capital_primary"] == rec["capital_primary"]
    assert more_services["knowledge_stock"] == rec["knowledge_stock"]


def test_a_what_if_of_the_district_share_from_a_record_still_moves_the_share():
    """A record carries the district share's fit to its start budget (1 where the drawn share
    fitted), not the share itself: a run from it with another fiscal.district_share pays that
    share of public investment, so its debt follows."""
    rec = hubinsim.start_record(2023)
    debt = [
        hubinsim.simulate(start=rec, parameters={"fiscal.district_share": d}).annual.loc[
            2035, "government_debt"
        ]
        for d in (0.3, 0.7)
    ]
    assert debt[1] > debt[0] + 10.0


def test_a_record_with_a_public_backlog_starts_at_its_own_investment():
    """The backlog of public projects waiting for money is district money read as investment
    at the district's share: a record with one keeps the drawn share, so its start year's FAI
    is the record's whatever the budget's room (the share fitted to the budget would read the
    backlog as up to twenty times the investment)."""
    for backlog in (10.0, 20.0, 40.0):
        res = hubinsim.simulate(start=checks.start_2020(public_backlog=backlog)).annual
        assert res.loc[2020, "fai"] == pytest.approx(BASE["fai"], rel=1e-9)


@pytest.mark.parametrize(
    ("gap", "year"), [(None, 2031), (None, 2033), (0.005, 2028), (0.005, 2030)]
)
def test_a_run_near_the_floor_of_unemployment_restarted_from_its_own_record_continues(gap, year):
    """With an outflow of residents and no price response of services, unemployment falls
    to within a few hundredths of a point of its floor, u* less labour.tight_market_gap
    (docs/model.md §6). The record of such a run carries its posts and its gap, so that
    the restart neither inverts the matching near its floor nor widens the gap as it does
    for figures from data: every level of the years after is the run's to 1e-9."""
    params = {**PARAMS, "services.price_response": np.array([0.0])}
    if gap is not None:
        params["labour.tight_market_gap"] = np.array([gap])
    levers = {"net_migration_policy": -0.02}
    grid = model.TimeGrid(2038, 0.25)
    x, xl = _inputs(grid, levers)
    full = model.run(params, BASE, POOL, x, grid, "euler", xl)
    p = {k: float(v[0]) for k, v in params.items()}
    floor = (p["labour.natural_unemployment"] - p["labour.tight_market_gap"]) * 100.0
    u = full["unemployment_rate_pct"][:, 0]
    assert u.min() - floor < 0.1 * p["labour.tight_market_gap"] * 100.0  # near the floor
    rec = model.record_at(year, params, BASE, POOL, x, grid, "euler", xl)
    again = _run(year, rec, end=2038, levers=levers, params=params)
    i = year - 2020
    for name in ("unemployment_rate_pct", "employment", "population", "gdp", "fiscal_revenue"):
        np.testing.assert_allclose(again[name][1:], full[name][i + 1 :], rtol=1e-9, err_msg=name)


def test_an_ensembles_members_near_the_floor_restarted_from_their_records_continue():
    """The same for an ensemble's members, each with its own gap (the record's fields are
    arrays over the members): every member continues its own path."""
    params = {k: np.repeat(v, 3) for k, v in PARAMS.items()}
    params["services.price_response"] = np.array([0.0, 0.0, 0.3])
    params["labour.tight_market_gap"] = np.array([0.008, 0.005, 0.003])
    levers = {"net_migration_policy": -0.02}
    grid = model.TimeGrid(2038, 0.25)
    x, xl = _inputs(grid, levers)
    full = model.run(params, BASE, POOL, x, grid, "euler", xl)
    rec = model.record_at(2031, params, BASE, POOL, x, grid, "euler", xl)
    again = _run(2031, rec, end=2038, levers=levers, params=params)
    for name in ("unemployment_rate_pct", "employment", "population", "gdp", "fiscal_revenue"):
        np.testing.assert_allclose(again[name][1:], full[name][12:], rtol=1e-9, err_msg=name)


def test_a_restart_with_a_narrower_gap_than_the_run_that_made_its_record_takes_its_own():
    """A record carries only the widening of the gap that its first start year's figures
    needed, not the run's parameter: a restart that asks for a narrower
    labour.tight_market_gap (0.5 point against the run's 0.8) lets unemployment fall no
    further below u* than its own gap (widened, as for data, only as far as the record's own
    rate needs), not as far as the run's."""
    params = {**PARAMS, "services.price_response": np.array([0.0])}
    levers = {"net_migration_policy": -0.02}
    grid = model.TimeGrid(2038, 0.25)
    x, xl = _inputs(grid, levers)
    rec = model.record_at(2023, params, BASE, POOL, x, grid, "euler", xl)
    narrow = {**params, "labour.tight_market_gap": np.array([0.005])}
    again = _run(2023, rec, end=2038, levers=levers, params=narrow)
    u_nat = float(PARAMS["labour.natural_unemployment"][0]) * 100.0
    gap = max(0.5, (u_nat - _value(rec["unemployment_rate_pct"])) / 0.95)
    assert gap < 0.6
    u = again["unemployment_rate_pct"][:, 0]
    assert u.min() >= u_nat - gap - 1e-9
    wide = _run(2023, rec, end=2038, levers=levers, params=params)
    assert wide["unemployment_rate_pct"][:, 0].min() < u_nat - 0.5  # the run's own gap is wider


def test_a_record_below_the_natural_rate_starts_with_the_share_of_posts_it_fills():
    """Where the record's employment falls short of the posts behind it, its output is that
    of the posts filled: firms start knowing the share they fill (employment over the posts),
    so the first year loses no output to a shortage that was already there. Starting from
    a share of 1, output fell 0.34 % below a run whose unfilled posts cost nothing in 2021."""
    rec = checks.start_2020(unemployment_rate_pct=2.0)
    on = hubinsim.simulate(start=rec, end=2023).annual
    off = hubinsim.simulate(start=rec, end=2023, parameters={"labour.shortage_output": 0.0}).annual
    assert on.loc[2020, "vacancies"] > 1000
    assert on.loc[2020, "gdp_real"] == pytest.approx(off.loc[2020, "gdp_real"], rel=1e-12)
    assert (on["gdp_real"].loc[2021:] >= off["gdp_real"].loc[2021:]).all()


def test_a_runs_record_with_other_employment_starts_with_the_share_its_figures_give():
    """A record made from a run short of workers carries the share of posts it filled; where
    actual figures replace its employment (an evaluation's restart), the posts are found
    again from them, and so is the share: at an unemployment rate above u* every post is
    filled at the start, and output does not rise in the first year as a carried shortage
    would fade (it would, with the run's share kept: 2033 above a run whose unfilled posts
    cost nothing)."""
    levers = {"firms_attracted": 20.0}
    grid = model.TimeGrid(2035, 0.25)
    x, xl = _inputs(grid, levers)
    rec = model.record_at(2032, PARAMS, BASE, POOL, x, grid, "euler", xl)
    assert _value(rec["fill_rate"]) < 0.99
    rec = dict(rec, unemployment_rate_pct=3.6)
    on = _run(2032, rec, end=2035, levers=levers)
    off = _run(2032, rec, end=2035, levers=levers,
               params={**PARAMS, "labour.shortage_output": np.array([0.0])})  # fmt: skip
    assert on["gdp_real"][0, 0] == pytest.approx(off["gdp_real"][0, 0], rel=1e-12)
    assert on["gdp_real"][1, 0] <= off["gdp_real"][1, 0] * (1 + 1e-12)
