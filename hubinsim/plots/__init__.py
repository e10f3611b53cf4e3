"""Charts of runs, comparisons and sensitivity analyses, ready for a report.

``charts``  the charts of a run, a comparison, a sensitivity analysis (Figures, or jobs)
``lines``   line charts of indicators over the years (levels, differences, fans)
``bars``    the plan-target scorecard, target probabilities, sensitivity indices
``goals``   goal seeking (the response to a lever, the levers' changes), attribution waterfalls
``specs``   colours, the house style and the list of charts
``text``    labels in English or Chinese, units, fonts

Plots take results and return :class:`matplotlib.figure.Figure` objects; matplotlib is
imported when a chart is drawn. :mod:`hubinsim.io.charts` saves them as PNG files.
"""

from .charts import (
    ChartJob,
    attribution_chart_jobs,
    chart,
    compare_chart_jobs,
    compare_charts,
    run_chart_jobs,
    run_charts,
    sensitivity_chart,
    sensitivity_chart_jobs,
    solve_chart_jobs,
)
from .specs import CHARTS, REFERENCE_COLOUR, scenario_colours
from .text import cjk_font

__all__ = [
    "CHARTS",
    "REFERENCE_COLOUR",
    "ChartJob",
    "attribution_chart_jobs",
    "chart",
    "cjk_font",
    "compare_chart_jobs",
    "compare_charts",
    "run_chart_jobs",
    "run_charts",
    "scenario_colours",
    "sensitivity_chart",
    "sensitivity_chart_jobs",
    "solve_chart_jobs",
]
