"""Household income, consumption and retail sales."""

from __future__ import annotations

from . import ops


def disposable_income_per_capita(gdp_per_capita, c: dict, p: dict):
    """di = di_2020 (GDP per capita / its 2020 value)^elasticity [yuan, current prices]."""
    return c["di0"] * ops.power(gdp_per_capita / c["gdppc0"], p["consumption.income_elasticity"])


def resident_retail(di, pop, c: dict, shock):
    """Residents' retail spending = propensity x di x POP [亿元/yr]; yuan x 万人 = 1e-4 亿元;
    times the factor of a consumption shock (None: no shock)."""
    return ops.times(c["propensity"] * di * pop * 1e-4, shock)
