"""Schedules mean what they say: a value given for year Y is the annual figure of year Y, for
every kind of schedule (a number, a linear table, a step table) and for shocks, at any time
step and with either integrator (issue 13)."""

import numpy as np
import pytest

import hubinsim
from hubinsim.data import load_base
from hubinsim.model.inputs import Schedule, TimeGrid

RD_2020 = load_base()["rd_intensity_pct"].value
GRIDS = [("euler", 0.25), ("euler", 0.1), ("rk4", 0.25)]


def _rd(value, method, dt, end=2027):
    res = hubinsim.simulate(levers={"rd_intensity_pct": value}, end=end, dt=dt, method=method)
    return res.annual["rd_intensity_pct"]


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_linear_table_gives_each_year_its_value(method, dt):
    """The plan's "2.5 % by 2025" written as {2021 = 1.4, 2025 = 2.5} reports 2.5 for 2025;
    the years between are linear in the year, the years after hold the last value."""
    rd = _rd({2021: 1.4, 2025: 2.5}, method, dt)
    expected = {2021: 1.4, 2022: 1.675, 2023: 1.95, 2024: 2.225, 2025: 2.5, 2026: 2.5, 2027: 2.5}
    for year, value in expected.items():
        assert rd[year] == pytest.approx(value, rel=1e-12), year
    assert rd[2020] == pytest.approx(RD_2020, rel=1e-12)  # the start year is history


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_step_table_holds_each_value_until_the_next(method, dt):
    rd = _rd({"step": {2022: 2.0, 2024: 3.0}}, method, dt)
    expected = {2021: 2.0, 2022: 2.0, 2023: 2.0, 2024: 3.0, 2027: 3.0}
    for year, value in expected.items():
        assert rd[year] == pytest.approx(value, rel=1e-12), year


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_number_holds_from_the_year_after_the_start(method, dt):
    rd = _rd(2.2, method, dt)
    assert rd[2020] == pytest.approx(RD_2020, rel=1e-12)
    np.testing.assert_allclose(rd.loc[2021:], 2.2, rtol=1e-12)


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_shock_scales_exactly_its_years(method, dt):
    """A shock's factor applies to the annual flow of each of its years, and to no other
    year (budget revenue: it feeds only the debt while borrowing is not held back)."""
    shock = {"target": "fiscal_revenue", "years": (2022, 2023), "factor": 0.9}
    base = hubinsim.simulate(end=2025, dt=dt, method=method).annual["fiscal_revenue"]
    hit = hubinsim.simulate(shocks=[shock], end=2025, dt=dt, method=method).annual["fiscal_revenue"]
    for year in range(2020, 2026):
        factor = 0.9 if year in (2022, 2023) else 1.0
        assert hit[year] == pytest.approx(factor * base[year], rel=1e-12), year


def test_schedule_values_are_constant_through_each_calendar_year():
    grid = TimeGrid(2026, 0.25)
    t = grid.half_times
    values = Schedule(((2021, 1.0), (2023, 3.0))).evaluate(t)
    years = np.floor(t + 0.5 + 1e-9).astype(int)
    for year in range(2021, 2027):
        inside = values[years == year]
        assert np.all(inside == inside[0]), year
    assert values[years == 2022][0] == 2.0
