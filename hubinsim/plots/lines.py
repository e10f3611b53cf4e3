"""Line charts of indicators over the years: one run, several runs, or their differences.

matplotlib is imported inside the functions (the model and the command line start without
it), and figures are made with :class:`matplotlib.figure.Figure` directly, rendered by Agg,
so nothing here touches pyplot's global state or needs a display.

Every chart has a title with the unit and price basis, years on the x axis, the 2020 base
marked, the 14th Five-Year Plan period (2021-2025) shaded and the plan targets of
``data/targets.csv`` marked. An ensemble is drawn as a fan: its median and the bands of the
25-75th and 5-95th percentiles. :func:`line_chart` draws one chart of :data:`~.specs.CHARTS`
in three views: the levels of one run, the levels of several runs (the first is the
reference), and each alternative minus the reference.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from ..catalog import INDICATOR_BY_NAME
from ..results import judged_target, percentile_rows
from .specs import (
    NEUTRAL_COLOUR,
    PLAN_COLOUR,
    PLAN_PERIOD,
    REFERENCE_COLOUR,
    SECTOR_COLOURS,
    STYLES,
    TARGET_COLOUR,
    Chart,
    Panel,
    new_figure,
    scenario_colours,
)
from .text import Labels


@dataclass(frozen=True)
class _View:
    """What a line chart shows: the runs (the first is the reference), their names, and
    whether it shows their levels or each alternative minus the reference (``diff``; with
    ``comparisons``, member by member)."""

    runs: tuple
    names: tuple[str, ...]
    lang: Labels
    diff: bool = False
    comparisons: tuple | None = None
    #: The names of every scenario of the comparison (default: ``names``), for the colours.
    everyone: tuple[str, ...] = ()

    @property
    def ref(self):
        return self.runs[0]

    @property
    def single(self) -> bool:
        return len(self.runs) == 1

    @cached_property
    def colours(self) -> dict[str, str]:
        return scenario_colours(self.everyone or self.names)

    def rows(self) -> list[_View]:
        """The views of the rows of the chart: itself, or, for the differences of an ensemble
        from two alternatives or more, one view per alternative (small multiples: their fans
        would cover each other in one axes)."""
        if not (self.diff and self.comparisons is not None and len(self.runs) > 2):
            return [self]
        return [
            _View(
                (self.ref, run),
                (self.names[0], name),
                self.lang,
                True,
                (comparison,),
                self.names,
            )
            for run, name, comparison in zip(
                self.runs[1:], self.names[1:], self.comparisons, strict=True
            )
        ]

    @cached_property
    def years(self) -> list[int]:
        return sorted({int(y) for r in self.runs for y in r.years})


def line_chart(
    chart: Chart,
    runs: Sequence,
    names: Sequence[str],
    lang: Labels,
    diff: bool = False,
    comparisons: Sequence | None = None,
):
    """One chart of ``runs`` (Results; the first is the reference) as a Figure.

    ``diff``: each alternative minus the reference; with ``comparisons`` (one
    :class:`~hubinsim.run.ensemble.EnsembleComparison` per alternative) as a fan of the
    difference member by member.
    """
    from matplotlib import rc_context

    view = _View(
        tuple(runs), tuple(names), lang, diff, None if comparisons is None else tuple(comparisons)
    )
    rows = view.rows()
    n = len(chart.panels)
    fig, axes, rc = new_figure(n, lang, rows=len(rows))
    with rc_context(rc):
        for r, row in enumerate(rows):
            for c, panel in enumerate(chart.panels):
                ax = axes[r * n + c]
                fanned = _draw_panel(ax, row, panel, n, multiple=len(rows) > 1)
                if len(rows) == 1:
                    _legend(fig, ax, row, panel, n, fanned)
            if len(rows) > 1:
                _row_legend(axes[r * n : (r + 1) * n], row, chart.panels)
        if len(rows) > 1:
            fig.set_size_inches(5.0 * n + 3.0, 3.3 * len(rows) + 0.4)
        _caption(fig, view)
    return fig


def _row_legend(axes, view: _View, panels) -> None:
    """One legend to the right of a row of small multiples, for every panel of the row."""
    seen: dict[str, object] = {}
    for ax, panel in zip(axes, panels, strict=True):
        for handle, text in zip(*_handles(ax, view, panel), strict=True):
            seen.setdefault(text, handle)
    axes[-1].legend(
        list(seen.values()), list(seen), fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1)
    )


def _draw_panel(ax, view: _View, panel: Panel, n_panels: int, multiple: bool = False) -> bool:
    """Every series of the panel, the base and target marks, axes and title (naming the
    alternative when the chart is one of ``multiple`` rows); returns whether a fan (with its
    legend entries) was drawn."""
    lang, years = view.lang, view.years
    bases = []
    fanned = False
    for k, ind in enumerate(panel.indicators):
        for j, res in enumerate(view.runs):
            if view.diff and res is view.ref:
                continue
            base, fan = _draw_series(ax, view, panel, k, ind, j, label_fan=not fanned)
            fanned = fanned or fan
            if base is not None:
                bases.append(base)
    # base markers after the lines, so that the legend lists the scenarios first; the
    # reference's last, on top of the others (the runs share their 2020 base)
    for i, (value, colour) in reversed(list(enumerate(bases))):
        _mark_base(ax, years[0], value, colour, lang, label=i == 0)
    if view.diff:
        ax.axhline(0, color=REFERENCE_COLOUR, lw=1.2, label=lang.text(view.names[0]))
    else:
        for ind in panel.indicators:
            _mark_targets(ax, view.ref.targets_spec, ind, years, lang, label=True)
    _decorate_years(ax, years, lang)
    title = _title(panel, lang, view.names[0] if view.diff else None)
    if multiple:
        title = lang.text(f"{view.names[1]}: {title}")
    width = 80 if n_panels == 1 else 52
    if lang.code == "zh":
        width //= 2
    ax.set_title(textwrap.fill(title, width), loc="left")
    ax.set_ylabel(_ylabel(panel, lang, view.diff))
    if not view.diff and _starts_at_zero(panel):
        ax.set_ylim(bottom=0)
    return fanned


def _series_values(view: _View, j: int, ind: str):
    """The line of run ``j`` (a Series by year) and its members (years, members) when it is
    drawn as a fan, else None."""
    res = view.runs[j]
    y = res.annual[ind]
    members = _members(res, ind)
    if view.diff:
        if view.comparisons is not None:
            return y.copy(), view.comparisons[j - 1].difference(ind)
        return y - view.ref.annual[ind].reindex(y.index), None
    return y, members


def _draw_series(ax, view: _View, panel: Panel, k: int, ind: str, j: int, label_fan: bool):
    """Run ``j``'s line of ``ind`` (the ``k``-th indicator of the panel), over its fan when
    it has members. Returns (the base-year point to mark or None, whether a fan was drawn)."""
    lang, name = view.lang, view.names[j]
    y, members = _series_values(view, j, ind)
    several_indicators = len(panel.indicators) > 1
    sector = next((s for s in SECTOR_COLOURS if f"_{s}_" in f"_{ind}_"), None)
    if view.single and sector and several_indicators:
        colour = SECTOR_COLOURS[sector]
    else:
        colour = view.colours[name]
    if members is not None and _banded(view, j):
        # both quartile bands for one scenario and for a difference (one a row, see
        # _View.rows); the 5-95 band alone when two scenarios share a chart of levels, and
        # the reference's alone when three or more do (see _banded)
        inner = view.single or view.diff
        neutral = several_indicators or (len(view.runs) == 2 and not view.diff)
        median = _fan(
            ax,
            list(view.runs[j].years),
            members,
            colour,
            _band_label(view) if label_fan else None,
            lang,
            inner=inner,
            legend_colour=NEUTRAL_COLOUR if neutral else None,
        )
        y = y.copy()
        y[:] = median
    if not view.single and several_indicators:
        label = None  # colour = scenario, line style = indicator: see _legend
    else:
        label = _series_label(ind, panel, lang, None if view.single else name) or (
            lang.t("median") if members is not None else None
        )
        if j > 0 and not view.diff:
            label = _with_differences(label, view, j, ind, y)
    ax.plot(y.index, y.values, color=colour, lw=2.0, ls=STYLES[k % len(STYLES)], label=label)
    base = None if view.diff or _is_growth(ind) else (y.iloc[0], colour)
    return base, members is not None


def _with_differences(label: str | None, view: _View, j: int, ind: str, y) -> str | None:
    """An alternative's legend entry in a chart of levels, with its difference from the
    reference in % in the plan's last year and in the chart's last year (a level chart's axis
    need not start at zero, so the gap between two lines says little of its size); single
    runs (run ``j`` and the reference) and levels only."""
    if label is None or view.ref.n_members > 1 or view.runs[j].n_members > 1:
        return label
    if INDICATOR_BY_NAME[ind].unit == "%" or _is_growth(ind):
        return label
    ref = view.ref.annual[ind].reindex(y.index)
    years = y.index[y.notna() & ref.notna() & (ref > 0)]
    if not len(years):
        return label
    shown = sorted({years[-1]} | ({PLAN_PERIOD[1]} & set(years)))
    pcts = view.lang.t("list_sep").join(
        view.lang.t("year_pct").format(year=year, pct=f"{100.0 * (y[year] / ref[year] - 1):+.1f} %")
        for year in shown
    )
    diff = view.lang.t("against").format(pcts=pcts, ref=view.names[0])
    return view.lang.text(f"{label} ({diff})" if view.lang.code == "en" else f"{label}({diff})")


def _banded(view: _View, j: int) -> bool:
    """Whether run ``j`` is drawn with its percentile bands: always in a run's chart, for two
    scenarios and for differences; with three scenarios or more the bands of the levels
    would cover each other, so the alternatives are drawn as lines (their medians) over the
    reference's band, and their spread is in the charts of the differences."""
    return view.single or view.diff or len(view.runs) <= 2 or j == 0


def _band_label(view: _View) -> str:
    """The legend entry of the 5-95 band: whose band it is when several runs share a chart."""
    band = view.lang.t("band90")
    if view.single or view.diff:
        return band
    if len(view.runs) > 2:
        return view.lang.text(f"{band}, {view.names[0]}")
    return f"{band}, {view.lang.t('each')}"


def _handles(ax, view: _View, panel: Panel) -> tuple[list, list[str]]:
    """The legend entries of a panel: those of its artists, after one entry per scenario
    (colour) and per indicator (line style) when both vary."""
    handles, labels = ax.get_legend_handles_labels()
    if not view.single and len(panel.indicators) > 1:
        # colour = scenario, line style = indicator: one legend entry each
        from matplotlib.lines import Line2D

        shown = [n for n in view.names if not (view.diff and n == view.names[0])]
        extra = [Line2D([], [], color=view.colours[n], lw=2.0) for n in shown]
        extra_labels = [view.lang.text(n) for n in shown]
        for k, ind in enumerate(panel.indicators):
            extra.append(Line2D([], [], color="#444444", lw=1.6, ls=STYLES[k % len(STYLES)]))
            extra_labels.append(view.lang.text(view.lang.name(ind)))
        handles, labels = extra + handles, extra_labels + labels
    return handles, labels


def _legend(fig, ax, view: _View, panel: Panel, n_panels: int, fanned: bool) -> None:
    """The legend of a panel: beside a single panel when it is long or has bands, below the
    panels when bands fill them, else where it hides least, on a white ground."""
    handles, labels = _handles(ax, view, panel)
    if (len(handles) > 5 or fanned) and n_panels == 1:
        fig.set_size_inches(9.0, 4.3)
        ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    elif fanned and handles:
        # bands fill most of the axes: the legend goes below them
        fig.set_size_inches(11.0, 5.2)
        ax.legend(
            handles, labels, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3
        )
    elif handles:
        # over the lines: on a white ground, so that no line crosses its words
        legend = ax.legend(handles, labels, fontsize=8, loc="best", frameon=True)
        legend.get_frame().set(facecolor="white", edgecolor="none", alpha=0.85)


def _caption(fig, view: _View) -> None:
    """A grey line above the chart: the scenario and settings of a run, or the draws that
    every scenario of an ensemble comparison shares."""
    if view.single:
        text = _scenario_caption(view.ref)
    elif _ensemble_caption(view.ref):
        ens = view.ref.metadata["ensemble"]
        if view.diff:
            what = "difference member by member"
        elif len(view.runs) > 2:
            what = f"medians; the 5-95th percentiles of {view.names[0]}"
        else:
            what = "medians and 5-95th percentiles"
        text = (
            f"{ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}), the same "
            f"for every scenario; {what}"
        )
    else:
        return
    fig.suptitle(view.lang.text(text), fontsize=9, color="#555555", x=0.01, ha="left")


def _decorate_years(ax, years, lang: Labels) -> None:
    """Years on the x axis, the plan period shaded and the base year marked."""
    ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
    span = years[-1] - years[0]
    step = 1 if span <= 8 else (2 if span <= 20 else 5)
    ax.set_xticks(list(range(int(years[0]), int(years[-1]) + 1, step)))
    ax.set_xlabel(lang.t("year"))
    if years[-1] >= PLAN_PERIOD[0]:
        ax.axvspan(
            PLAN_PERIOD[0] - 0.5,
            min(PLAN_PERIOD[1], years[-1]) + 0.5,
            color=PLAN_COLOUR,
            lw=0,
            zorder=0,
            label=lang.t("plan"),
        )
    ax.axvline(years[0], color="#555555", lw=0.8, ls=":")


def _mark_base(ax, year, value, colour, lang: Labels, label=True):
    ax.plot(
        [year],
        [value],
        marker="o",
        ms=6,
        mfc="white",
        mec=colour,
        mew=1.5,
        zorder=5,
        ls="none",
        label=lang.t("base") if label else None,
    )


def _mark_targets(ax, targets, indicator, years, lang: Labels, label=True):
    """Marks of the plan targets of ``indicator``; returns whether any was drawn."""
    drawn = False
    for tg in targets:
        if tg.indicator != indicator or tg.year > years[-1]:
            continue
        sign = "≥" if tg.comparison == ">=" else "≤"
        target = judged_target(tg)  # a count's is whole
        # the unit is in the title; only % is repeated (it reads as part of the number)
        unit = " %" if INDICATOR_BY_NAME[indicator].unit == "%" else ""
        if tg.each_year_from is not None:
            text = (
                f"{lang.t('target')} {sign} {target:,g}{unit} {lang.t('every')} "
                f"{tg.each_year_from}-{tg.year}"
            )
            ax.hlines(
                target,
                tg.each_year_from - 0.4,
                tg.year + 0.4,
                colors=TARGET_COLOUR,
                linestyles="--",
                lw=1.4,
                zorder=4,
                label=text if label else None,
            )
        else:
            text = f"{tg.year} {lang.t('target')} {sign} {target:,g}{unit}"
            ax.plot(
                [tg.year],
                [target],
                marker="*",
                ms=13,
                color=TARGET_COLOUR,
                zorder=6,
                ls="none",
                label=text if label else None,
            )
            ax.axhline(target, color=TARGET_COLOUR, lw=0.8, ls=":", alpha=0.7, zorder=3)
        drawn = True
    return drawn


def _series_label(indicator, panel: Panel, lang: Labels, scenario=None):
    parts = []
    if scenario is not None:
        parts.append(scenario)
    if len(panel.indicators) > 1:
        parts.append(lang.name(indicator))
    return lang.text(", ".join(parts)) if parts else None


def _title(panel: Panel, lang: Labels, diff_ref: str | None = None) -> str:
    base = panel.title_zh if lang.code == "zh" else panel.title_en
    unit = lang.unit_basis(panel.indicators[0])
    if diff_ref is not None:
        ind = INDICATOR_BY_NAME[panel.indicators[0]]
        if ind.unit == "%":
            unit = lang.t("pp")
        return lang.text(f"{base} ({unit}): {lang.t('diff').format(ref=diff_ref)}")
    return lang.text(f"{base} ({unit})")


def _members(res, ind: str):
    """(years, members) values of an indicator when ``res`` is an ensemble, else None."""
    if res.n_members > 1 and ind in res.values:
        return res.values[ind]
    return None


def _fan(
    ax, years, values, colour, label: str | None, lang: Labels, inner=True, legend_colour=None
):
    """Bands of the 5-95th (and, with ``inner``, 25-75th) percentiles over members; returns
    the median.

    ``label`` names the 5-95 band in the legend (None: no entry). The entries are drawn in
    ``legend_colour`` (default ``colour``): a neutral grey when several series share the
    chart, so that the entries do not look like one of them; outlined, so that they do not
    look like the shading of the plan period either.
    """
    p5, p25, p50, p75, p95 = percentile_rows(values, (5, 25, 50, 75, 95))
    outer_alpha, inner_alpha = (0.14, 0.30) if inner else (0.12, 0.0)
    ax.fill_between(years, p5, p95, color=colour, alpha=outer_alpha, lw=0)
    if inner:
        ax.fill_between(years, p25, p75, color=colour, alpha=inner_alpha, lw=0)
    if label:
        style = {"facecolor": legend_colour or colour, "edgecolor": legend_colour or colour}
        ax.fill_between([], [], [], alpha=outer_alpha, lw=0.8, label=label, **style)
        if inner:
            ax.fill_between([], [], [], alpha=inner_alpha, lw=0.8, label=lang.t("band50"), **style)
    return p50


def _is_growth(ind: str) -> bool:
    return ind.endswith("growth_pct")


def _starts_at_zero(panel: Panel) -> bool:
    return all(
        INDICATOR_BY_NAME[i].unit == "%" and not _is_growth(i) and not i.startswith("unemployment")
        for i in panel.indicators
    )


def _ylabel(panel: Panel, lang: Labels, diff: bool) -> str:
    ind = INDICATOR_BY_NAME[panel.indicators[0]]
    if diff and ind.unit == "%":
        return lang.t("pp")
    return lang.unit(ind.unit)


def _scenario_caption(res) -> str:
    """The scenario and the version that drew it (the time step and the integrator are
    technical: run.json records them)."""
    md = res.metadata
    text = f"scenario: {md.get('scenario', '?')}  ·  hubinsim {md.get('hubinsim_version', '')}"
    return text + _ensemble_caption(res)


def _ensemble_caption(res) -> str:
    ens = res.metadata.get("ensemble")
    if not ens:
        return ""
    return f"  ·  {ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']})"
