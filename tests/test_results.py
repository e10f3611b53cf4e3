"""Results: the plan-target scorecard and the percentiles."""

import numpy as np
import pytest

import hubinsim
from hubinsim.data import Target


@pytest.fixture(scope="module")
def stim():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    return hubinsim.simulate(hubinsim.load_scenario(root / "scenarios" / "stimulus.toml"))


def row(card, indicator, year=2025):
    sel = card[(card.indicator == indicator) & (card.year == year)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_a_level_target_is_judged_in_its_year(stim):
    r = row(stim.targets, "retail_sales")
    value = stim.annual.loc[2025, "retail_sales"]
    assert r.projected == pytest.approx(value)
    assert r.gap == pytest.approx(value - 150.0)
    assert bool(r.met) == (value >= 150.0)
    assert r.needed == pytest.approx(((150.0 / 96.5) ** (1 / 5) - 1) * 100)
    assert r.needed_unit == "%/yr"


def test_a_target_for_every_year_is_judged_on_the_worst_year(stim):
    r = row(stim.targets, "unemployment_rate_pct")
    worst = stim.annual.loc[2021:2025, "unemployment_rate_pct"].max()
    assert r.projected == pytest.approx(worst)
    g = row(stim.targets, "industrial_va_above_scale_growth_pct")
    assert g.projected == pytest.approx(
        stim.annual.loc[2021:2025, "industrial_va_above_scale_growth_pct"].min()
    )


def test_a_share_target_needs_points_a_year(stim):
    r = row(stim.targets, "share_tertiary_pct")
    assert r.needed_unit == "pp/yr"
    assert r.needed == pytest.approx((60.0 - 167.1 / 289.3 * 100) / 5)


def test_a_cumulated_target_has_no_2020_base(stim):
    r = row(stim.targets, "new_urban_jobs_cumulative")
    assert np.isnan(r.base_2020) and np.isnan(r.needed)


def test_targets_beyond_the_run_are_left_out():
    res = hubinsim.simulate(end=2025)
    assert 2035 not in set(res.targets.year)


def test_probability_is_the_share_of_members_meeting_the_target():
    multipliers = {"consumption.voucher_multiplier": np.linspace(1, 6, 11)}
    res = hubinsim.simulate(end=2025, members=11, parameters=multipliers, levers={"vouchers": 10.0})
    res.targets_spec = [Target("retail_sales", 150.0, 2025, ">=", None, "亿元", "test", "")]
    card = res.targets
    retail = res.values["retail_sales"][-1]
    assert card.loc[0, "probability"] == pytest.approx(np.mean(retail >= 150.0))
    assert 0.0 < card.loc[0, "probability"] < 1.0
