"""Charts of runs and comparisons, ready for a report.

matplotlib is imported inside the functions (the model and the command line start without
it), and figures are made with :class:`matplotlib.figure.Figure` directly, rendered by Agg,
so nothing here touches pyplot's global state or needs a display.

Every chart has a title with the unit and price basis, years on the x axis, the 2020 base
marked, the 14th Five-Year Plan period (2021-2025) shaded and the plan targets of
``data/targets.csv`` marked. A scenario has the same colour in every chart; the reference
(the only scenario of a run, the first of a comparison) is always :data:`REFERENCE_COLOUR`.

``lang="zh"`` labels the charts in Chinese (the ``meaning_zh`` of the catalogue) when a CJK
font is installed; otherwise it warns and uses English. English labels write 亿元 and 万人
as "100 mn yuan" and "10k persons" when no CJK font is installed, so that no glyph is missing.

Examples
--------
>>> import hubinsim
>>> from hubinsim import plots
>>> figs = plots.run_charts(hubinsim.simulate())            # {"gdp": Figure, ...}
>>> figs["sector_shares"].savefig("shares.png", dpi=150)
"""

from __future__ import annotations

import logging
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .catalog import INDICATOR_BY_NAME

log = logging.getLogger(__name__)

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
DPI = 150

#: Font families known to cover Chinese, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "STHeiti",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "Droid Sans Fallback",
    "Noto Serif CJK SC",
)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font that draws Chinese (checked on the glyphs of 湖滨亿元), or
    None."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    entries = {}
    for f in font_manager.fontManager.ttflist:
        entries.setdefault(f.name, f.fname)

    def covers(name: str) -> bool:
        try:
            font = FT2Font(entries[name])
            return all(font.get_char_index(ord(c)) for c in "湖滨亿元")
        except (OSError, RuntimeError, ValueError):
            return False

    for name in CJK_FONTS:
        if name in entries and covers(name):
            return name
    hint = r"CJK|Han Sans|Han Serif|WenQuanYi|Hei|Song|Kai|Ming|Gothic|YaHei|Fallback"
    for name in sorted(entries):  # any other family that covers Chinese
        if re.search(hint, name) and covers(name):
            return name
    return None


def _language(lang: str) -> tuple[str, str | None]:
    """(effective language, CJK font or None); warns when Chinese cannot be drawn."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    font = cjk_font()
    if lang == "zh" and font is None:
        warnings.warn(
            "no Chinese (CJK) font is installed (looked for Noto Sans CJK, WenQuanYi, SimHei "
            "and others), so the charts are labelled in English; install e.g. fonts-noto-cjk "
            "to get Chinese labels",
            UserWarning,
            stacklevel=3,
        )
        return "en", None
    return lang, font


# --------------------------------------------------------------------------- labels

_UNIT_EN_NO_CJK = {"亿元": "100 mn yuan", "万人": "10k persons"}
_UNIT_ZH = {
    "亿元": "亿元",
    "万人": "万人",
    "persons": "人",
    "yuan": "元",
    "firms": "家",
    "%": "%",
    "index 2020=1": "指数, 2020=1",
}
_BASIS_ZH = {"current prices": "现价", "2020 prices": "2020年价"}
_TEXT = {
    "en": {
        "base": "2020 base",
        "plan": "14th FYP 2021-25",
        "target": "target",
        "every": "every year",
        "diff": "difference from",
        "year": "year",
        "pp": "percentage points",
        "scorecard": "Plan targets: projected value as % of target",
        "met": "met",
        "not_met": "not met",
        "of_target": "% of target",
        "median": "median",
        "band50": "25-75th percentile",
        "band90": "5-95th percentile",
        "probability": "Plan targets: probability of meeting each (share of draws)",
        "prob_axis": "probability of meeting the target (% of draws)",
    },
    "zh": {
        "base": "2020年基期",
        "plan": "十四五时期",
        "target": "目标",
        "every": "每年",
        "diff": "与基准情景之差:",
        "year": "年份",
        "pp": "百分点",
        "scorecard": "规划目标:预测值占目标值的百分比",
        "met": "达标",
        "not_met": "未达标",
        "of_target": "占目标%",
        "median": "中位数",
        "band50": "25-75百分位",
        "band90": "5-95百分位",
        "probability": "规划目标:达标概率(抽样占比)",
        "prob_axis": "达标概率(抽样%)",
    },
}


@dataclass(frozen=True)
class _Lang:
    code: str
    font: str | None

    def t(self, key: str) -> str:
        return _TEXT[self.code][key]

    def unit(self, unit: str) -> str:
        if self.code == "zh":
            return _UNIT_ZH.get(unit, unit)
        if self.font is None:
            return _UNIT_EN_NO_CJK.get(unit, unit)
        return unit

    def basis(self, basis: str) -> str:
        return _BASIS_ZH.get(basis, basis) if self.code == "zh" else basis

    def name(self, indicator: str) -> str:
        ind = INDICATOR_BY_NAME[indicator]
        return ind.meaning_zh if self.code == "zh" else ind.meaning_en

    def unit_basis(self, indicator: str) -> str:
        """ "亿元, current prices" / "%" / "万人"."""
        ind = INDICATOR_BY_NAME[indicator]
        parts = [self.unit(ind.unit)]
        if ind.price_basis not in ("-", "") and ind.unit != "%":
            parts.append(self.basis(ind.price_basis))
        elif ind.unit == "%" and ind.price_basis == "2020 prices":
            parts.append(self.basis(ind.price_basis))
        return ", ".join(parts)

    def text(self, s: str) -> str:
        """Replace CJK units in free text when no CJK font can draw them."""
        if self.font is None:
            for k, v in _UNIT_EN_NO_CJK.items():
                s = s.replace(k, v)
            if re.search(r"[\u2e80-\u9fff\uff00-\uffef]", s):
                s = re.sub(r"[\u2e80-\u9fff\uff00-\uffef]+", "?", s)
        return s


# --------------------------------------------------------------------------- chart specs


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
_STYLES = ("-", "--", ":")


def scenario_colours(names: Sequence[str]) -> dict[str, str]:
    """Colour of each scenario: the first (reference) is always :data:`REFERENCE_COLOUR`."""
    out = {}
    for i, n in enumerate(names):
        out[n] = (
            REFERENCE_COLOUR if i == 0 else ALTERNATIVE_COLOURS[(i - 1) % len(ALTERNATIVE_COLOURS)]
        )
    return out


# --------------------------------------------------------------------------- drawing


def _new_figure(n_panels: int, lang: _Lang):
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
    }
    if lang.font:
        # Latin text in the default font, Chinese glyphs from the CJK font (per-glyph fallback)
        rc["font.family"] = ["DejaVu Sans", lang.font]
    with rc_context(rc):
        width = 7.0 if n_panels == 1 else 11.0
        fig = Figure(figsize=(width, 4.3), layout="constrained")
        axes = fig.subplots(1, n_panels, squeeze=False)[0]
    return fig, list(axes), rc


def _decorate_years(ax, years, lang: _Lang, base_value=None, colour=None):
    ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
    span = years[-1] - years[0]
    step = 1 if span <= 8 else (2 if span <= 20 else 5)
    ax.set_xticks(list(range(int(years[0]), int(years[-1]) + 1, step)))
    ax.set_xlabel(lang.t("year"))
    if years[-1] >= PLAN_PERIOD[0]:
        ax.axvspan(
            PLAN_PERIOD[0] - 0.5,
            min(PLAN_PERIOD[1], years[-1]) + 0.5,
            color="#999999",
            alpha=0.12,
            lw=0,
            label=lang.t("plan"),
        )
    ax.axvline(years[0], color="#555555", lw=0.8, ls=":")


def _mark_base(ax, year, value, colour, lang: _Lang, label=True):
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


def _mark_targets(ax, targets, indicator, years, lang: _Lang, label=True):
    """Marks of the plan targets of ``indicator``; returns whether any was drawn."""
    drawn = False
    for tg in targets:
        if tg.indicator != indicator or tg.year > years[-1]:
            continue
        sign = "≥" if tg.comparison == ">=" else "≤"
        # the unit is in the title; only % is repeated (it reads as part of the number)
        unit = " %" if INDICATOR_BY_NAME[indicator].unit == "%" else ""
        if tg.each_year_from is not None:
            text = (
                f"{lang.t('target')} {sign} {tg.target:g}{unit} {lang.t('every')} "
                f"{tg.each_year_from}-{tg.year}"
            )
            ax.hlines(
                tg.target,
                tg.each_year_from - 0.4,
                tg.year + 0.4,
                colors=TARGET_COLOUR,
                linestyles="--",
                lw=1.4,
                zorder=4,
                label=text if label else None,
            )
        else:
            text = f"{tg.year} {lang.t('target')} {sign} {tg.target:g}{unit}"
            ax.plot(
                [tg.year],
                [tg.target],
                marker="*",
                ms=13,
                color=TARGET_COLOUR,
                zorder=6,
                ls="none",
                label=text if label else None,
            )
            ax.axhline(tg.target, color=TARGET_COLOUR, lw=0.8, ls=":", alpha=0.7, zorder=3)
        drawn = True
    return drawn


def _series_label(indicator, panel: Panel, lang: _Lang, scenario=None):
    parts = []
    if scenario is not None:
        parts.append(scenario)
    if len(panel.indicators) > 1:
        parts.append(lang.name(indicator))
    return lang.text(", ".join(parts)) if parts else None


def _title(panel: Panel, lang: _Lang, diff_ref: str | None = None) -> str:
    base = panel.title_zh if lang.code == "zh" else panel.title_en
    unit = lang.unit_basis(panel.indicators[0])
    if diff_ref is not None:
        ind = INDICATOR_BY_NAME[panel.indicators[0]]
        if ind.unit == "%":
            unit = lang.t("pp")
        return lang.text(f"{base} ({unit}): {lang.t('diff')} {diff_ref}")
    return lang.text(f"{base} ({unit})")


def _members(res, ind: str):
    """(years, members) values of an indicator when ``res`` is an ensemble, else None."""
    if res.n_members > 1 and ind in res.values:
        return res.values[ind]
    return None


def _fan(ax, years, values, colour, lang: _Lang, label=True, inner=True, legend_colour=None):
    """Bands of the 5-95th (and 25-75th) percentiles over members; returns the median.

    The legend entries of the bands are drawn in ``legend_colour`` (default ``colour``): a
    neutral grey when several series share the chart, so that the entries do not look like
    one of them.
    """
    from .results import percentile_rows

    p5, p25, p50, p75, p95 = percentile_rows(values, (5, 25, 50, 75, 95))
    outer_alpha, inner_alpha = (0.14, 0.30) if inner else (0.12, 0.0)
    ax.fill_between(years, p5, p95, color=colour, alpha=outer_alpha, lw=0)
    if inner:
        ax.fill_between(years, p25, p75, color=colour, alpha=inner_alpha, lw=0)
    if label:
        proxy = legend_colour or colour
        ax.fill_between([], [], [], color=proxy, alpha=outer_alpha, lw=0, label=lang.t("band90"))
        if inner:
            ax.fill_between(
                [], [], [], color=proxy, alpha=inner_alpha, lw=0, label=lang.t("band50")
            )
    return p50


def _draw(
    chart: Chart,
    runs: Sequence,
    names: Sequence[str],
    lang: _Lang,
    diff=False,
    comparisons: Sequence | None = None,
):
    fig, axes, rc = _new_figure(len(chart.panels), lang)
    from matplotlib import rc_context

    colours = scenario_colours(names)
    ref = runs[0]
    with rc_context(rc):
        for ax, panel in zip(axes, chart.panels, strict=True):
            years = sorted({int(y) for r in runs for y in r.years})
            single = len(runs) == 1
            bases = []
            fan_labelled = False
            for k, ind in enumerate(panel.indicators):
                for j, (res, name) in enumerate(zip(runs, names, strict=True)):
                    if diff and res is ref:
                        continue
                    y = res.annual[ind]
                    members = _members(res, ind)
                    if diff:
                        if comparisons is not None:
                            members = comparisons[j - 1].difference(ind)
                            y = y.copy()
                        else:
                            members = None
                            y = y - ref.annual[ind].reindex(y.index)
                    sector = next((s for s in SECTOR_COLOURS if f"_{s}_" in f"_{ind}_"), None)
                    colour = (
                        SECTOR_COLOURS[sector]
                        if single and sector and len(panel.indicators) > 1
                        else colours[name]
                    )
                    many = not single and len(panel.indicators) > 1
                    if members is not None:
                        # bands of both quartiles for one scenario and for differences; the
                        # 5-95 band alone when scenarios overlap in one chart of levels
                        inner = single or diff
                        several = len(panel.indicators) > 1 or len(runs) > 2 or not (single or diff)
                        median = _fan(
                            ax,
                            list(res.years),
                            members,
                            colour,
                            lang,
                            label=not fan_labelled,
                            inner=inner,
                            legend_colour="#777777" if several else None,
                        )
                        fan_labelled = True
                        y = y.copy()
                        y[:] = median
                    ax.plot(
                        y.index,
                        y.values,
                        color=colour,
                        lw=2.0,
                        ls=_STYLES[k % len(_STYLES)],
                        label=None
                        if many
                        else _series_label(ind, panel, lang, None if single else name)
                        or (lang.t("median") if members is not None else None),
                    )
                    if not diff and not _is_growth(ind):
                        bases.append((y.iloc[0], colour))
            # base markers after the lines, so that the legend lists the scenarios first
            for i, (value, colour) in enumerate(bases):
                _mark_base(ax, years[0], value, colour, lang, label=i == 0)
            if diff:
                ax.axhline(0, color=REFERENCE_COLOUR, lw=1.2, label=lang.text(names[0]))
            else:
                for ind in panel.indicators:
                    _mark_targets(ax, ref.targets_spec, ind, years, lang, label=True)
            _decorate_years(ax, years, lang)
            title = _title(panel, lang, names[0] if diff else None)
            width = 80 if len(chart.panels) == 1 else 52
            if lang.code == "zh":
                width //= 2
            ax.set_title(textwrap.fill(title, width), loc="left")
            ax.set_ylabel(_ylabel(panel, lang, diff))
            if not diff and _starts_at_zero(panel):
                ax.set_ylim(bottom=0)
            handles, labels = ax.get_legend_handles_labels()
            if not single and len(panel.indicators) > 1:
                # colour = scenario, line style = indicator: one legend entry each
                from matplotlib.lines import Line2D

                extra = [
                    Line2D([], [], color=colours[n], lw=2.0)
                    for n in names
                    if not (diff and n == names[0])
                ]
                extra_labels = [lang.text(n) for n in names if not (diff and n == names[0])]
                for k, ind in enumerate(panel.indicators):
                    extra.append(
                        Line2D([], [], color="#444444", lw=1.6, ls=_STYLES[k % len(_STYLES)])
                    )
                    extra_labels.append(lang.text(lang.name(ind)))
                handles, labels = extra + handles, extra_labels + labels
            if (len(handles) > 5 or fan_labelled) and len(chart.panels) == 1:
                fig.set_size_inches(9.0, 4.3)
                ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
            elif fan_labelled and handles:
                # bands fill most of the axes: the legend goes below them
                fig.set_size_inches(11.0, 5.2)
                ax.legend(
                    handles,
                    labels,
                    fontsize=8,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -0.16),
                    ncol=3,
                )
            elif handles:
                ax.legend(handles, labels, fontsize=8, loc="best")
        if len(runs) == 1:
            fig.suptitle(
                lang.text(_scenario_caption(ref)), fontsize=9, color="#555555", x=0.01, ha="left"
            )
        elif _ensemble_caption(ref):
            ens = ref.metadata["ensemble"]
            what = "difference member by member" if diff else "medians and 5-95th percentiles"
            fig.suptitle(
                lang.text(
                    f"{ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}), the same "
                    f"for every scenario; {what}"
                ),
                fontsize=9,
                color="#555555",
                x=0.01,
                ha="left",
            )
    return fig


def _is_growth(ind: str) -> bool:
    return ind.endswith("growth_pct")


def _starts_at_zero(panel: Panel) -> bool:
    return all(
        INDICATOR_BY_NAME[i].unit == "%" and not _is_growth(i) and not i.startswith("unemployment")
        for i in panel.indicators
    )


def _ylabel(panel: Panel, lang: _Lang, diff: bool) -> str:
    ind = INDICATOR_BY_NAME[panel.indicators[0]]
    if diff and ind.unit == "%":
        return lang.t("pp")
    return lang.unit(ind.unit)


def _scenario_caption(res) -> str:
    md = res.metadata
    text = (
        f"scenario: {md.get('scenario', '?')}  ·  hubinsim {md.get('hubinsim_version', '')}"
        f"  ·  dt {md.get('dt')}, {md.get('method')}"
    )
    return text + _ensemble_caption(res)


def _ensemble_caption(res) -> str:
    ens = res.metadata.get("ensemble")
    if not ens:
        return ""
    return f"  ·  {ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']})"


# --------------------------------------------------------------------------- public API


def chart(results, name: str, lang: str = "en", diff: bool = False):
    """One chart (see :data:`CHARTS`) of one Results or a list of them (the first is the
    reference). ``diff=True`` draws each alternative minus the reference."""
    runs = list(results) if isinstance(results, Sequence) else [results]
    names = _unique_names(runs)
    code, font = _language(lang)
    if name not in CHART_BY_NAME:
        raise KeyError(f"unknown chart {name!r}; charts: {', '.join(CHART_BY_NAME)}")
    return _draw(CHART_BY_NAME[name], runs, names, _Lang(code, font), diff=diff)


def run_charts(results, lang: str = "en") -> dict:
    """Every chart of one run: name -> Figure (plus ``targets``, the scorecard chart)."""
    code, font = _language(lang)
    lg = _Lang(code, font)
    figs = {
        c.name: _draw(c, [results], _unique_names([results]), lg)
        for c in CHARTS
        if all(i in results.annual for p in c.panels for i in p.indicators)
    }
    if len(results.targets):
        figs["targets"] = _scorecard_figure([results], lg)
        if "probability" in results.targets:
            figs["target_probability"] = _probability_figure([results], lg)
    return figs


def compare_charts(runs: Sequence, lang: str = "en", comparisons: Sequence | None = None) -> dict:
    """Level and difference charts of the headline indicators for several runs.

    The first run is the reference. Returns ``{"gdp": Figure, "gdp_diff": Figure, ...,
    "targets": Figure}``. For ensembles, ``comparisons`` holds one
    :class:`~hubinsim.ensemble.EnsembleComparison` per alternative (the same draws as the
    reference): the difference charts are then fan charts of the member-by-member
    difference, and ``target_probability`` shows each scenario's probability of meeting
    each target.
    """
    runs = list(runs)
    code, font = _language(lang)
    lg = _Lang(code, font)
    names = _unique_names(runs)
    if comparisons is not None and len(comparisons) != len(runs) - 1:
        raise ValueError("comparisons: one per alternative run")
    figs = {}
    for c in CHARTS:
        if not all(i in r.annual for r in runs for p in c.panels for i in p.indicators):
            continue
        figs[c.name] = _draw(c, runs, names, lg)
        if len(runs) > 1:
            figs[f"{c.name}_diff"] = _draw(c, runs, names, lg, diff=True, comparisons=comparisons)
    if any(len(r.targets) for r in runs):
        figs["targets"] = _scorecard_figure(runs, lg)
        if all("probability" in r.targets for r in runs):
            figs["target_probability"] = _probability_figure(runs, lg)
    return figs


def unique_names(names) -> list[str]:
    """Names made distinct for legends and columns: a repeat becomes 'name (2)'."""
    seen, out = {}, []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def _unique_names(runs) -> list[str]:
    return unique_names([str(r.metadata.get("scenario", "scenario")) for r in runs])


def _target_bars(runs, lang: _Lang, value, text, extra_height: float):
    """Horizontal bars per plan target (rows of the reference's scorecard) and scenario.

    ``value(row)`` gives a scorecard row's bar length and whether to hatch it (NaN: no bar);
    ``text(length, hatched)`` the label beside the bar. Returns the figure, its axes, the
    matplotlib settings to draw the rest with, the scenario names and their colours.
    """
    import numpy as np

    names = _unique_names(runs)
    colours = scenario_colours(names)
    ref = runs[0].targets
    labels = _target_labels(ref, lang)
    fig, axes, rc = _new_figure(1, lang)
    from matplotlib import rc_context

    ax = axes[0]
    with rc_context(rc):
        fig.set_size_inches(9.0, 0.55 * len(labels) * max(1, len(runs)) ** 0.5 + extra_height)
        n = len(runs)
        height = 0.8 / n
        ypos = np.arange(len(labels))
        for j, (res, name) in enumerate(zip(runs, names, strict=True)):
            rows = {(r["indicator"], r["year"]): r for _, r in res.targets.iterrows()}
            pairs = []
            for _, row in ref.iterrows():
                r = rows.get((row["indicator"], row["year"]))
                pairs.append((np.nan, False) if r is None else value(r))
            vals = [v for v, _ in pairs]
            bars = ax.barh(
                ypos + (j - (n - 1) / 2) * height,
                vals,
                height=height * 0.9,
                color=colours[name],
                label=lang.text(name),
            )
            for b, (v, hatched) in zip(bars, pairs, strict=True):
                if np.isfinite(v):
                    if hatched:
                        b.set_hatch("///")
                        b.set_edgecolor("white")
                    ax.text(
                        v + 1,
                        b.get_y() + b.get_height() / 2,
                        text(v, hatched),
                        va="center",
                        fontsize=7,
                    )
        ax.set_yticks(ypos, labels, fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        if n > 1:
            from matplotlib.patches import Patch

            ax.legend(
                [Patch(color=colours[nm]) for nm in names],
                [lang.text(nm) for nm in names],
                fontsize=8,
                loc="lower right",
            )
    return fig, ax, rc, names, colours


def _scorecard_figure(runs, lang: _Lang):
    """Horizontal bars: projected value as % of target, per target and scenario."""
    import numpy as np
    from matplotlib import rc_context

    def value(r):
        if not r["target"]:
            return np.nan, False
        return 100.0 * r["projected"] / r["target"], not bool(r["met"])

    def text(v, miss):
        return f"{v:.0f}% ({lang.t('not_met') if miss else lang.t('met')})"

    fig, ax, rc, _, _ = _target_bars(runs, lang, value, text, 1.5)
    with rc_context(rc):
        ax.axvline(100, color=TARGET_COLOUR, lw=1.4, ls="--")
        ax.set_xlabel(
            lang.t("of_target")
            + ("" if lang.code == "zh" else "  (hatched: not met; for ≤ targets below 100 is met)")
        )
        ax.set_xlim(0, max(130, np.nanmax([ax.get_xlim()[1]]) + 15))
        ax.set_title(lang.text(lang.t("scorecard")), loc="left")
    return fig


def _target_labels(targets, lang: _Lang) -> list[str]:
    labels = []
    for _, row in targets.iterrows():
        sign = "≥" if row["comparison"].startswith(">=") else "≤"
        every = f" ({lang.t('every')})" if "every" in row["comparison"] else ""
        unit = lang.unit(row["unit"])
        unit = f" {unit}" if unit in ("%", "firms", "家") else f" ({unit})"
        labels.append(
            lang.text(
                f"{lang.name(row['indicator'])}: {sign} {row['target']:g}"
                f"{unit}, {row['year']}{every}"
            )
        )
    return labels


def _probability_figure(runs, lang: _Lang):
    """Horizontal bars: the share of draws that meet each plan target, per scenario."""
    from matplotlib import rc_context

    fig, ax, rc, names, _ = _target_bars(
        runs, lang, lambda r: (100.0 * r["probability"], False), lambda v, _: f"{v:.0f}%", 1.6
    )
    n = len(runs)
    with rc_context(rc):
        ax.axvline(50, color="#777777", lw=0.8, ls=":")
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel(lang.t("prob_axis"))
        ax.set_title(lang.text(lang.t("probability")), loc="left")
        ens = runs[0].metadata.get("ensemble")
        if ens:
            fig.suptitle(
                lang.text(
                    f"scenario{'s' if n > 1 else ''}: {', '.join(names)}  ·  "
                    f"{ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']})"
                ),
                fontsize=9,
                color="#555555",
                x=0.01,
                ha="left",
            )
    return fig


#: Colours of the sensitivity bars: total (or mu*) and first-order (or sigma) effects.
SENSITIVITY_COLOURS = (REFERENCE_COLOUR, "#8fb3de")


def _output_label(output: str, lang: _Lang) -> tuple[str, str]:
    """("GDP at 2020 prices in 2025", "亿元, 2020 prices") for "gdp_real@2025"."""
    ind, _, year = output.partition("@")
    if ind not in INDICATOR_BY_NAME:
        return output, ""
    name = lang.name(ind)
    name = name[:1].upper() + name[1:] if lang.code == "en" else name
    return lang.text(f"{name} {'in ' if lang.code == 'en' else ''}{year}"), lang.text(
        lang.unit_basis(ind)
    )


def sensitivity_chart(result, output: str, lang: str = "en", top: int = 15):
    """Horizontal bars of the sensitivity indices of one output, most influential on top.

    Sobol: total (ST) and first-order (S1) indices with their confidence intervals, as
    shares of the output's variance. Morris: mu* with its confidence interval, and sigma.
    At most ``top`` parameters are drawn (the table has them all).
    """
    import numpy as np

    code, font = _language(lang)
    lg = _Lang(code, font)
    table = result.for_output(output)
    shown = table.head(top)
    fig, axes, rc = _new_figure(1, lg)
    from matplotlib import rc_context

    ax = axes[0]
    title, unit = _output_label(output, lg)
    md = result.metadata
    with rc_context(rc):
        fig.set_size_inches(9.0, 0.32 * len(shown) + 1.9)
        ypos = np.arange(len(shown))
        h = 0.4
        if result.method == "sobol":
            first = ("ST", "ST_conf", "total effect ST")
            second = ("S1", "S1_conf", "first-order effect S1")
            xlabel = "share of the output's variance (0-1); whiskers: 95 % confidence interval"
            head = f"Sobol indices of {title} ({unit})"
        else:
            first = ("mu_star", "mu_star_conf", "mu* (mean absolute elementary effect)")
            second = ("sigma", None, "sigma (spread: interactions, non-linearity)")
            xlabel = (
                f"change of the output [{unit}] over the parameter's full range; "
                "whiskers: 95 % interval of mu*"
            )
            head = f"Morris screening of {title} ({unit})"
        for k, (col, conf, label) in enumerate((first, second)):
            vals = shown[col].to_numpy(dtype=float)
            err = None
            if conf is not None:
                err = np.nan_to_num(shown[conf].to_numpy(dtype=float))
            ax.barh(
                ypos + (k - 0.5) * h,
                vals,
                height=h * 0.92,
                xerr=err,
                color=SENSITIVITY_COLOURS[k],
                error_kw={"ecolor": "#444444", "lw": 0.9, "capsize": 2},
                label=label,
            )
        ax.set_axisbelow(True)
        ax.set_yticks(ypos, [lg.text(str(p)) for p in shown.index], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="#444444", lw=0.8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(xlabel, fontsize=9)
        ax.set_title(textwrap.fill(lg.text(head), 80), loc="left")
        ax.legend(fontsize=8, loc="lower right")
        more = f", top {len(shown)} of {len(table)} parameters" if len(table) > len(shown) else ""
        fig.suptitle(
            lg.text(
                f"scenario: {md.get('scenario', '?')}  ·  {result.method}, n {md.get('n')} "
                f"({md.get('runs'):,} runs), seed {md.get('seed')}{more}"
            ),
            fontsize=9,
            color="#555555",
            x=0.01,
            ha="left",
        )
    return fig


def save_figures(figures: Mapping, folder, dpi: int = DPI) -> list[Path]:
    """Save each figure as ``<folder>/<name>.png``; returns the paths.

    Warnings about glyphs missing from the installed fonts are gathered into one warning.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, missing = [], False
    for name, fig in figures.items():
        path = folder / f"{name}.png"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(path, dpi=dpi, facecolor="white")
        for w in caught:
            if "missing from font" in str(w.message) or "Glyph" in str(w.message):
                missing = True
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        paths.append(path)
    if missing:
        warnings.warn(
            "some characters of the chart labels are not in the installed fonts "
            "and show as boxes; install a CJK font (e.g. fonts-noto-cjk)",
            UserWarning,
            stacklevel=2,
        )
    return paths
