"""The charts of a run, a comparison and a sensitivity analysis, as Figures or as jobs.

Each ``*_chart_jobs`` function lists the charts to draw as :class:`ChartJob` objects: a name
and a function with its arguments, cheap to make and able to travel to a worker process
(:mod:`hubinsim.io.charts` draws a run folder's charts in parallel this way). The
``*_charts`` functions draw them here and return ``{name: Figure}``.

Examples
--------
>>> import hubinsim
>>> from hubinsim import plots
>>> figs = plots.run_charts(hubinsim.simulate())            # {"gdp": Figure, ...}
>>> figs["sector_shares"].savefig("shares.png", dpi=150)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..defaults import DEFAULT_TOP, LANGUAGES
from ..results import display_names
from .bars import probability_chart, scorecard_chart, sensitivity_bars
from .goals import changes_chart, response_chart, waterfall_chart
from .lines import line_chart
from .specs import CHART_BY_NAME, CHARTS
from .text import language


@dataclass(frozen=True)
class ChartJob:
    """One chart to draw: :meth:`figure` makes it; ``name`` names its file (``<name>.png``).

    ``draw(*args, lang=Labels, **options)`` makes the figure; the labels of ``lang`` are
    found where it is drawn (the fonts of the process). ``weight`` is the relative cost of
    drawing it (a chart of two panels costs about two of one), so that the costliest can
    start first.
    """

    name: str
    draw: Callable
    args: tuple
    lang: str = "en"
    options: dict = field(default_factory=dict)
    weight: float = 1.0

    def figure(self):
        return self.draw(*self.args, lang=language(self.lang), **self.options)


def _check(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    return lang


def scenario_names(runs, lang: str = "en") -> list[str]:
    """The names of runs for legends: their scenarios' titles in ``lang`` (else their names),
    made distinct."""
    return display_names(runs, lang)


def run_chart_jobs(results, lang: str = "en") -> list[ChartJob]:
    """The charts of one run: every chart of :data:`~.specs.CHARTS` whose indicators it has,
    ``targets`` (the scorecard) and, for an ensemble, ``target_probability``."""
    lang = _check(lang)
    names = scenario_names([results], lang)
    jobs = [
        ChartJob(c.name, line_chart, (c, [results], names), lang, weight=len(c.panels))
        for c in CHARTS
        if all(i in results.annual for p in c.panels for i in p.indicators)
    ]
    if len(results.targets):
        jobs.append(ChartJob("targets", scorecard_chart, ([results],), lang, weight=2))
        if "probability" in results.targets:
            jobs.append(ChartJob("target_probability", probability_chart, ([results],), lang))
    return jobs


def compare_chart_jobs(
    runs: Sequence, lang: str = "en", comparisons: Sequence | None = None, names=None
) -> list[ChartJob]:
    """Level and difference charts of the headline indicators for several runs.

    The first run is the reference. ``comparisons`` (for ensembles) holds one
    :class:`~hubinsim.run.ensemble.EnsembleComparison` per alternative (the same draws as
    the reference): the difference charts are then fan charts of the member-by-member
    difference, and ``target_probability`` shows each scenario's probability of meeting
    each target. ``names`` default to the scenarios' names, made distinct.
    """
    runs = list(runs)
    lang = _check(lang)
    names = list(names) if names is not None else scenario_names(runs, lang)
    if comparisons is not None and len(comparisons) != len(runs) - 1:
        raise ValueError("comparisons: one per alternative run")
    jobs = []
    for c in CHARTS:
        if not all(i in r.annual for r in runs for p in c.panels for i in p.indicators):
            continue
        args, weight = (c, runs, names), len(c.panels)
        jobs.append(ChartJob(c.name, line_chart, args, lang, weight=weight))
        if len(runs) > 1:
            diff = {"diff": True, "comparisons": comparisons}
            jobs.append(ChartJob(f"{c.name}_diff", line_chart, args, lang, diff, weight))
    if any(len(r.targets) for r in runs):
        jobs.append(ChartJob("targets", scorecard_chart, (runs,), lang, weight=2))
        if all("probability" in r.targets for r in runs):
            jobs.append(ChartJob("target_probability", probability_chart, (runs,), lang))
    return jobs


def sensitivity_chart_jobs(result, lang: str = "en", top: int = DEFAULT_TOP) -> list[ChartJob]:
    """A bar chart per output of a sensitivity analysis, named ``<indicator>_<year>``."""
    lang = _check(lang)
    return [
        ChartJob(o.replace("@", "_"), sensitivity_bars, (result, o), lang, {"top": top})
        for o in result.outputs
    ]


def solve_chart_jobs(solution, lang: str = "en") -> list[ChartJob]:
    """The chart of a goal seek: ``response`` (the indicator against one lever's value) or
    ``changes`` (the change each of several levers needs)."""
    lang = _check(lang)
    if solution.scan is not None:
        return [ChartJob("response", response_chart, (solution,), lang)]
    return [ChartJob("changes", changes_chart, (solution,), lang)]


def attribution_chart_jobs(
    attribution, years: Sequence[int], indicators: Sequence[str], lang: str = "en"
) -> list[ChartJob]:
    """A waterfall per alternative, indicator and year: ``attribution_<alt>_<indicator>_<year>``
    (the indicators the attribution holds)."""
    lang = _check(lang)
    jobs = []
    for alt in attribution.alternatives:
        for year in years:
            for ind in indicators:
                if ind in alt.reference and alt.settings:
                    name = f"attribution_{alt.name}_{ind}_{year}"
                    args = (attribution, alt.name, ind, year)
                    jobs.append(ChartJob(name, waterfall_chart, args, lang))
    return jobs


def _figures(jobs: list[ChartJob]) -> dict:
    if not jobs:
        return {}
    labels = language(jobs[0].lang)  # once: it warns when Chinese cannot be drawn
    return {job.name: job.draw(*job.args, lang=labels, **job.options) for job in jobs}


def run_charts(results, lang: str = "en") -> dict:
    """Every chart of one run: name -> Figure (see :func:`run_chart_jobs`)."""
    return _figures(run_chart_jobs(results, lang))


def compare_charts(
    runs: Sequence, lang: str = "en", comparisons: Sequence | None = None, names=None
) -> dict:
    """Level and difference charts of several runs: ``{"gdp": Figure, "gdp_diff": Figure,
    ..., "targets": Figure}`` (see :func:`compare_chart_jobs`)."""
    return _figures(compare_chart_jobs(runs, lang, comparisons, names))


def chart(results, name: str, lang: str = "en", diff: bool = False):
    """One chart (see :data:`~.specs.CHARTS`) of one Results or a list of them (the first is
    the reference). ``diff=True`` draws each alternative minus the reference."""
    runs = list(results) if isinstance(results, Sequence) else [results]
    labels = language(lang)
    if name not in CHART_BY_NAME:
        raise KeyError(f"unknown chart {name!r}; charts: {', '.join(CHART_BY_NAME)}")
    names = scenario_names(runs, labels.code)
    return line_chart(CHART_BY_NAME[name], runs, names, lang=labels, diff=diff)


def sensitivity_chart(result, output: str, lang: str = "en", top: int = DEFAULT_TOP):
    """Horizontal bars of the sensitivity indices of one output, most influential on top.

    Sobol: total (ST) and first-order (S1) indices with their confidence intervals, as
    shares of the output's variance. Morris: mu* with its confidence interval, and sigma.
    At most ``top`` parameters are drawn (the table has them all).
    """
    return sensitivity_bars(result, output, lang=language(lang), top=top)
