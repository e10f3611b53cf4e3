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
    """Each value holds until the next year given; before the first, the lever keeps its
    business-as-usual value (the start year's R&D intensity here)."""
    rd = _rd({"step": {2022: 2.0, 2024: 3.0}}, method, dt)
    expected = {2021: RD_2020, 2022: 2.0, 2023: 2.0, 2024: 3.0, 2027: 3.0}
    for year, value in expected.items():
        assert rd[year] == pytest.approx(value, rel=1e-12), year


def test_a_one_year_step_programme_costs_only_its_year():
    """{step = {2023 = 2, 2024 = 0}}: vouchers in 2023 alone (docs/model.md §1)."""
    base = hubinsim.simulate(end=2025).annual["fiscal_expenditure"]
    more = hubinsim.simulate(
        levers={"vouchers": {"step": {2023: 2.0, 2024: 0.0}}}, end=2025
    ).annual["fiscal_expenditure"]
    np.testing.assert_allclose(more.loc[2020:2022], base.loc[2020:2022], rtol=1e-12)
    assert more[2023] > base[2023] + 1.9


def test_the_profile_passed_as_a_lever_points_to_its_argument():
    with pytest.raises(hubinsim.ScenarioError, match="profile="):
        hubinsim.simulate(levers={"profile": "early"})


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


#: The district's debt limit off, so that money holds no public project back (the schedule
#: itself is the pool's planned path, `pool_planned`, whatever money and room allow).
NO_LIMIT = {"fiscal.debt_limit": 3.0}
POOL_TOTAL = sum(hubinsim.data.load_pool().values())


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_profile_table_is_the_timing_of_the_pool_spending_itself(method, dt):
    """A profile {year = weight} plans realisation x weight of the pool in each plan year,
    and the rest over the carry-over years after 2025 (evenly: half and half over two years),
    whatever the realisation (the room in investment holds part of 2021's 332 亿元 back:
    what is built is another indicator)."""
    profile = {2021: 0.4, 2022: 0.3, 2023: 0.2, 2024: 0.1, 2025: 0.0}
    res = hubinsim.simulate(
        levers={"plan_realisation": 0.8, "carry_over_years": 2.0}, profile=profile,
        parameters=NO_LIMIT, end=2028, dt=dt, method=method,
    ).annual["pool_planned"]  # fmt: skip
    for year, weight in profile.items():
        assert res[year] == pytest.approx(POOL_TOTAL * 0.8 * weight, rel=1e-9), year
    for year, share in ((2026, 0.5), (2027, 0.5)):
        assert res[year] == pytest.approx(POOL_TOTAL * 0.2 * share, rel=1e-9), year
    assert res[2028] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("method, dt", GRIDS)
def test_a_delay_moves_each_year_of_the_pool_later(method, dt):
    """pool_delay = 1.5: half of each year's planned spending a year later, half two years
    later."""
    kw = {"parameters": NO_LIMIT, "end": 2031, "dt": dt, "method": method}
    now = hubinsim.simulate(**kw).annual["pool_planned"]
    later = hubinsim.simulate(levers={"pool_delay": 1.5}, **kw).annual["pool_planned"]
    assert later[2021] == pytest.approx(0.0, abs=1e-9)
    for year in range(2023, 2032):
        expected = 0.5 * now.get(year - 1, 0.0) + 0.5 * now.get(year - 2, 0.0)
        assert later[year] == pytest.approx(expected, rel=1e-9), year


@pytest.mark.parametrize("method, dt", GRIDS)
def test_an_extra_project_schedule_spends_in_its_years_only(method, dt):
    """Extra projects given for 2022 add to that year's FAI and to no earlier year (a step
    table is flat before its first year, as every schedule is: hence 2021 = 0)."""
    kw = {"end": 2023, "dt": dt, "method": method}
    base = hubinsim.simulate(**kw).annual["fai_transport"]
    extra = hubinsim.simulate(
        levers={"extra_transport": {"step": {2021: 0.0, 2022: 10.0, 2023: 0.0}}}, **kw
    ).annual["fai_transport"]
    assert extra[2021] == pytest.approx(base[2021], rel=1e-12)
    assert extra[2022] - base[2022] == pytest.approx(10.0, rel=0.05)


def test_the_plans_rd_target_written_as_the_plan_writes_it_is_met(tmp_path):
    """Issue 13's test of a user: a file that sets R&D to 2.5 % for 2025 meets the 2.5 %
    target, in a single run and in every draw of an ensemble."""
    path = tmp_path / "rd.toml"
    path.write_text(
        '[scenario]\nname = "rd"\n\n[innovation]\nrd_intensity_pct = {2021 = 1.4, 2025 = 2.5}\n'
    )
    scenario = hubinsim.load_scenario(path)
    for res in (hubinsim.simulate(scenario), hubinsim.simulate(scenario, draws=8, seed=1)):
        row = res.targets.set_index("indicator").loc["rd_intensity_pct"]
        assert (row["year"], row["target"]) == (2025, 2.5)
        assert row["projected"] == pytest.approx(2.5, rel=1e-12)
        assert bool(row["met"])
        assert row.get("probability", 1.0) == 1.0


@pytest.mark.parametrize(
    "dt, start", [(0.25, 2020), (0.1, 2020), (0.5, 2020), (1.0, 2020), (0.25, 2023)]
)
def test_left_limits_from_the_inputs_equal_the_inputs_built_as_left_limits(dt, start):
    """The left limits a run takes at year ends, found from the inputs themselves (the value
    at the point before), are the inputs built with ``left=True``, bit for bit: step and
    linear tables, a lever drawn per member, a fractional delay, a shock, a slowed
    carry-over and a change of the return decline."""
    from hubinsim import model
    from hubinsim.catalog import LEVERS, POOL_CATEGORIES, lever_default
    from hubinsim.data import load_parameters, load_pool
    from hubinsim.scenario.settings import Shock

    params = {k: v.value for k, v in load_parameters().items()}
    base = {k: v.value for k, v in load_base().items()}
    defaults = {lv.name: lever_default(lv, params, base) for lv in LEVERS}
    levers = {
        **defaults,
        "rd_intensity_pct": Schedule(((2022, 2.0), (2024, 3.0)), step=True),
        "tourism_growth": Schedule(((2021, 1.0), (2026, 4.0))),
        "tax_relief": np.array([0.0, 1.0, 2.5]),
        "pool_delay": 1.5,
        "carry_over_years": 1.0,
    }
    real = {c: np.array([0.3, 0.55, 0.9]) for c in POOL_CATEGORIES}
    shocks = (Shock("fai", 2022, 2023, 0.8), Shock("consumption", start + 1, start + 2, 1.1))
    profile = {2021: 0.1, 2022: 0.3, 2023: 0.3, 2024: 0.2, 2025: 0.1}
    grid = TimeGrid(2030, dt, start=start)
    x, xl = (
        model.build_inputs(
            grid,
            levers,
            defaults,
            real,
            profile,
            shocks,
            load_pool(),
            params["investment.bau_realisation"],
            left=left,
            ret_shift=0.002,
        )
        for left in (False, True)
    )
    derived = model.left_limits(x)
    assert derived.keys() == xl.keys()
    points = range(2 * grid.n_steps + 1)
    jumps = 0
    for name, v in xl.items():
        want = np.array([v[k] for k in points], dtype=float).reshape(len(points), -1)
        got = np.array([derived[name][k] for k in points], dtype=float).reshape(len(points), -1)
        right = np.array([x[name][k] for k in points], dtype=float).reshape(len(points), -1)
        assert np.array_equal(got, want), name
        jumps += int((right != want).any())
    assert jumps >= 5  # (the inputs that change at some year end do differ from their limits)
