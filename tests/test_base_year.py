"""At 2020 every output equals the base figure of data/base_2020.csv."""

import pytest

import hubinsim
from hubinsim.data import load_base


@pytest.fixture(scope="module")
def bau():
    return hubinsim.simulate()


@pytest.mark.parametrize(
    "indicator, base_name",
    [
        ("gdp", "gdp"),
        ("gdp_real", "gdp"),
        ("fai", "fai"),
        ("fiscal_revenue", "fiscal_revenue"),
        ("retail_sales", "retail_sales"),
        ("va_tertiary", "va_tertiary"),
        ("share_primary_pct", "share_primary_pct"),
        ("industrial_va_above_scale", "industrial_va_above_scale"),
        ("industrial_output_above_scale", "industrial_output_above_scale"),
        ("enterprises_above_scale", "enterprises_above_scale"),
        ("population", "population"),
        ("unemployment_rate_pct", "unemployment_rate_pct"),
        ("rd_intensity_pct", "rd_intensity_pct"),
        ("disposable_income_per_capita", "disposable_income_per_capita"),
    ],
)
def test_2020_equals_base(bau, indicator, base_name):
    base = load_base()[base_name].value
    assert bau.annual.loc[2020, indicator] == pytest.approx(base, rel=1e-9)
