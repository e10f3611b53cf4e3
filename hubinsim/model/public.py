"""General public budget revenue."""

from __future__ import annotations

from . import ops


def tax_base(va_primary, va_secondary, va_tertiary, p: dict):
    """Sector-weighted nominal value added [亿元]: secondary carries more tax per yuan."""
    return (
        p["fiscal.weight_primary"] * va_primary
        + p["fiscal.weight_secondary"] * va_secondary
        + va_tertiary
    )


def budget_revenue(base, c: dict, p: dict, relief, shock):
    """Revenue = R_2020 (TB / TB_2020)^buoyancy (1 - tax relief) [亿元/yr], times the
    factor of a revenue shock (None: no shock)."""
    revenue = c["revenue0"] * ops.power(base / c["tax_base0"], p["fiscal.buoyancy"])
    return ops.times(ops.times(revenue, 1.0 - relief), shock)
