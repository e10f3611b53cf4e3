"""Every lever moves its documented indicator in the documented direction (DESIGN: a lever
that changes nothing fails), and the directions MODEL.md requires hold."""

import numpy as np
import pytest

import hubinsim
from hubinsim.catalog import LEVERS, POOL_CATEGORIES, lever_default
from hubinsim.data import load_base, load_parameters

CAPITAL = ("capital_primary", "capital_industry", "capital_tertiary", "capital_public")


@pytest.fixture(scope="module")
def bau():
    return hubinsim.simulate().annual


@pytest.fixture(scope="module")
def params():
    return {k: p.value for k, p in load_parameters().items()}


def _default(lever, params):
    base = {k: b.value for k, b in load_base().items()}
    return lever_default(lever, params, base)


def _turned(lever, params, fraction):
    """A value ``fraction`` of the way from the default up to the upper bound: the catalogue
    declares each effect for turning the lever up from its default. A category's realisation
    defaults to the BAU realisation, so this sets it above BAU."""
    d = _default(lever, params)
    assert d < lever.high, f"{lever.name}: default at its upper bound, cannot turn it up"
    return d + fraction * (lever.high - d)


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_lever_moves_its_indicator_in_the_documented_direction(lever, params, bau):
    indicator, sign, year = lever.effect
    before = bau.loc[year, indicator]
    moved = []
    for fraction in (0.5, 1.0):
        res = hubinsim.simulate(levers={lever.name: _turned(lever, params, fraction)})
        moved.append(res.annual.loc[year, indicator])
    half, full = moved
    assert sign * (half - before) > 1e-6 * abs(before), (
        f"{lever.name} turned up moved {indicator} in {year} from {before} to {half}"
    )
    # Turning it further moves the indicator further the same way.
    assert sign * (full - half) > 0, f"{lever.name}: {indicator} {before} -> {half} -> {full}"


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_lever_at_its_default_is_business_as_usual(lever, params, bau):
    res = hubinsim.simulate(levers={lever.name: _default(lever, params)}).annual
    np.testing.assert_allclose(res.to_numpy(), bau.to_numpy(), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("category", POOL_CATEGORIES)
def test_category_realisation_overrides_plan_realisation(category, params):
    """Setting one category above the plan-wide realisation raises only that category's FAI
    in the plan years (the others follow plan_realisation)."""
    common = {"plan_realisation": 0.6}
    a = hubinsim.simulate(levers=common, parameters={"investment.accelerator": 0.0}, end=2025)
    b = hubinsim.simulate(
        levers={**common, f"realisation_{category}": 0.9},
        parameters={"investment.accelerator": 0.0},
        end=2025,
    )
    for c in POOL_CATEGORIES:
        diff = b.annual.loc[2021:2025, f"fai_{c}"] - a.annual.loc[2021:2025, f"fai_{c}"]
        if c == category:
            assert (diff > 0).all()
        else:
            np.testing.assert_allclose(diff, 0.0, atol=1e-9)


# --- directions MODEL.md requires ----------------------------------------------------------


def test_more_realised_investment_raises_gdp_and_capital(params):
    r_bau = params["investment.bau_realisation"]
    runs = [
        hubinsim.simulate(levers={"plan_realisation": r}, end=2030).annual
        for r in (r_bau, 0.7, 0.85, 1.0)
    ]
    for low, high in zip(runs, runs[1:], strict=False):
        # FAI only while the pool is spent: afterwards the accelerator may take some back.
        assert (high.loc[2021:2025, "fai"] > low.loc[2021:2025, "fai"]).all()
        for name in ("gdp_real", "gdp", *CAPITAL):
            assert (high.loc[2021:2030, name] > low.loc[2021:2030, name]).all(), name


def test_less_realised_investment_lowers_gdp_and_capital(params):
    bau = hubinsim.simulate(end=2030).annual
    low = hubinsim.simulate(levers={"plan_realisation": 0.3}, end=2030).annual
    for name in ("gdp_real", *CAPITAL):
        assert (low.loc[2021:2030, name] < bau.loc[2021:2030, name]).all(), name


def test_stronger_siphon_lowers_population():
    runs = [
        hubinsim.simulate(levers={"siphon_rate": s}).annual["population"]
        for s in (0.02, 0.05, 0.08, 0.12)
    ]
    for weak, strong in zip(runs, runs[1:], strict=False):
        assert weak[2020] == strong[2020]
        assert (strong.loc[2022:2035] < weak.loc[2022:2035]).all()


def test_vouchers_raise_retail_sales_in_the_year_they_are_issued(params):
    amount = 2.0
    bau = hubinsim.simulate(end=2025).annual["retail_sales"]
    res = hubinsim.simulate(
        levers={"vouchers": {"step": {2021: 0.0, 2022: amount, 2023: 0.0}}}, end=2025
    ).annual["retail_sales"]
    assert res[2021] == pytest.approx(bau[2021], rel=1e-12)
    # Spending induced by the vouchers is at least the multiplier times the vouchers.
    assert res[2022] - bau[2022] >= params["consumption.voucher_multiplier"] * amount * (1 - 1e-9)


def test_tax_relief_lowers_revenue_in_the_year_it_applies():
    """Revenue has no feedback on the economy, so relief of 10 % in 2023 removes exactly
    10 % of 2023 revenue and leaves 2022 and 2024 as they were."""
    bau = hubinsim.simulate(end=2025).annual["fiscal_revenue"]
    res = hubinsim.simulate(
        levers={"tax_relief": {"step": {2021: 0.0, 2023: 0.1, 2024: 0.0}}}, end=2025
    ).annual["fiscal_revenue"]
    assert res[2023] == pytest.approx(0.9 * bau[2023], rel=1e-12)
    for year in (2021, 2022, 2024, 2025):
        assert res[year] == pytest.approx(bau[year], rel=1e-12), year
