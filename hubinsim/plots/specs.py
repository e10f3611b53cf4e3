"""What the charts show and how they look: colours, the house style, the chart list.

A scenario has the same colour in every chart; the reference (the only scenario of a run,
the first of a comparison) is always :data:`REFERENCE_COLOUR`. :data:`CHARTS` lists the
charts of the headline indicators, each one or more panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .text import Labels

#: Colour of the reference scenario in every chart.
REFERENCE_COLOUR = "#1f3b73"
#: Colours of the alternatives, in order (colour-blind friendly, Okabe-Ito).
ALTERNATIVE_COLOURS = (
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#7f7f7f",
    "#f0e442",
    "#000000",
)
SECTOR_COLOURS = {"primary": "#6a9f3a", "secondary": "#8c6d46", "tertiary": "#1f77b4"}
TARGET_COLOUR = "#b2182b"
PLAN_PERIOD = (2021, 2025)
#: Shading of the plan period: a pale sand, unlike the grey or coloured percentile bands.
PLAN_COLOUR = "#f6f0de"
#: The zone of the scorecard chart where a target is met.
MET_ZONE_COLOUR = "#e6f2e6"
#: Legend entries of bands that several series share.
NEUTRAL_COLOUR = "#666666"
#: Colours of the sensitivity bars: total (or mu*) and first-order (or sigma) effects.
SENSITIVITY_COLOURS = (REFERENCE_COLOUR, "#8fb3de")


@dataclass(frozen=True)
class Panel:
    """One axes: indicators drawn in it (first solid, then dashed, dotted) and a title."""

    indicators: tuple[str, ...]
    title_en: str
    title_zh: str


@dataclass(frozen=True)
class Chart:
    name: str
    panels: tuple[Panel, ...]


CHARTS: tuple[Chart, ...] = (
    Chart("gdp", (Panel(("gdp",), "GDP", "地区生产总值"),)),
    Chart("gdp_real", (Panel(("gdp_real",), "Real GDP", "地区生产总值(不变价)"),)),
    Chart(
        "gdp_growth", (Panel(("gdp_real_growth_pct",), "Real GDP growth", "地区生产总值实际增速"),)
    ),
    Chart(
        "sector_shares",
        (
            Panel(
                ("share_tertiary_pct", "share_secondary_pct", "share_primary_pct"),
                "Sector shares of GDP",
                "三次产业占GDP比重",
            ),
        ),
    ),
    Chart(
        "fiscal_revenue",
        (Panel(("fiscal_revenue",), "General public budget revenue", "一般公共预算收入"),),
    ),
    Chart(
        "employment",
        (
            Panel(("employment",), "Employment", "就业人数"),
            Panel(("unemployment_rate_pct",), "Unemployment rate", "城镇登记失业率"),
        ),
    ),
    Chart("population", (Panel(("population",), "Resident population", "常住人口"),)),
    Chart(
        "retail_sales",
        (Panel(("retail_sales",), "Retail sales of consumer goods", "社会消费品零售总额"),),
    ),
    Chart(
        "industry",
        (
            Panel(
                ("industrial_va_above_scale",),
                "Above-scale industrial value added",
                "规模以上工业增加值",
            ),
            Panel(
                ("industrial_va_above_scale_growth_pct",),
                "Above-scale industrial value added, real growth",
                "规模以上工业增加值增速",
            ),
        ),
    ),
)
CHART_BY_NAME = {c.name: c for c in CHARTS}
STYLES = ("-", "--", ":")


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """Colour of each scenario: the first (reference) is always :data:`REFERENCE_COLOUR`."""
    out = {}
    for i, n in enumerate(names):
        out[n] = (
            REFERENCE_COLOUR if i == 0 else ALTERNATIVE_COLOURS[(i - 1) % len(ALTERNATIVE_COLOURS)]
        )
    return out


def new_figure(n_panels: int, lang: Labels, rows: int = 1):
    """A figure of ``n_panels`` axes side by side (in each of ``rows`` rows, which share the
    y axis of a column) in the house style; returns the figure, its axes (row by row) and
    the matplotlib settings to draw in them with (``rc_context``)."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    rc = {
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        # titles at the top of the axes, where matplotlib would put them anyway (no chart has
        # ticks or an offset text above its axes): a title placed automatically costs a pass
        # over the y axis's ticks each time the figure is laid out or drawn
        "axes.titley": 1.0,
    }
    if lang.font:
        # Latin text in the default font, Chinese glyphs from the CJK font (per-glyph fallback)
        rc["font.family"] = ["DejaVu Sans", lang.font]
    with rc_context(rc):
        width = 7.0 if n_panels == 1 else 11.0
        fig = Figure(figsize=(width, 4.3), layout="constrained")
        axes = fig.subplots(rows, n_panels, squeeze=False, sharey="col" if rows > 1 else False)
    return fig, list(axes.flat), rc
