"""Bar charts: the plan targets of one or several runs, and sensitivity indices.

:func:`scorecard_chart` draws each target's projected value as a share of the target or
ceiling, over the zone where the target is met,
:func:`probability_chart` the share of an ensemble's draws that meet it, and
:func:`sensitivity_bars` the indices of one output, most influential parameter on top.
"""

from __future__ import annotations

import textwrap

import numpy as np

from ..catalog import INDICATOR_BY_NAME
from ..defaults import DEFAULT_TOP
from ..formats import format_number
from ..results import display_names
from .specs import (
    MET_ZONE_COLOUR,
    SENSITIVITY_COLOURS,
    TARGET_COLOUR,
    new_figure,
    scenario_colours,
)
from .text import Labels, columns, wrap

#: Width of a target's label on the left of a bar chart (columns; a Chinese character: 2).
_LABEL_COLUMNS = 36


def _target_bars(runs, lang: Labels, value, text, span: tuple[float, float]):
    """Horizontal bars per plan target (rows of the reference's scorecard) and scenario.

    ``value(row)`` gives a scorecard row's bar length and whether to hatch it (NaN: no bar).
    The axis runs from 0 to ``span[0]``, or further to fit the longest bar, up to
    ``span[1]``; a bar beyond the axis is cut at its edge and marked with a chevron.
    ``text(row, length, hatched, outside)`` is the label of a bar (``outside``: the bar is
    beyond the axis, so the label should say the value); the labels stand in a column right of
    the axes, level with their bars, clear of the bars and of the lines drawn over them.
    Returns the figure, its axes, the matplotlib settings to draw the rest with, the
    scenario names and their colours.
    """
    names = display_names(runs, lang.code)
    colours = scenario_colours(names)
    ref = runs[0].targets
    labels = [wrap(label, _LABEL_COLUMNS) for label in _target_labels(ref, lang)]
    fig, axes, rc = new_figure(1, lang)
    from matplotlib import rc_context
    from matplotlib.patches import Patch

    ax = axes[0]
    n = len(runs)
    lines = max([label.count("\n") + 1 for label in labels] + [1])
    # a row holds its bars (a line of value label each) and its label, with a gap
    row = max(0.19 * n, 0.15 * lines) + 0.18
    with rc_context(rc):
        fig.set_size_inches(10.0, row * len(labels) + 1.6 + 0.2 * (n > 1))
        height = 0.8 / n
        ypos = np.arange(len(labels))
        bars = []
        for j, (res, name) in enumerate(zip(runs, names, strict=True)):
            rows = {(r["indicator"], r["year"]): r for _, r in res.targets.iterrows()}
            for k, (_, target) in enumerate(ref.iterrows()):
                r = rows.get((target["indicator"], target["year"]))
                v, hatched = (np.nan, False) if r is None else value(r)
                if np.isfinite(v):
                    y = ypos[k] + (j - (n - 1) / 2) * height
                    bars.append((r, v, hatched, y, colours[name]))
        right = max(span[0], min(span[1], 1.08 * max([v for _, v, *_ in bars] + [0])))
        ax.set_xlim(0, right)
        for r, v, hatched, y, colour in bars:
            shown = min(max(v, 0.0), right)
            (b,) = ax.barh(y, shown, height=height * 0.9, color=colour)
            if hatched:
                b.set_hatch("///")
                b.set_edgecolor("white")
            outside = not 0 <= v <= right
            if outside:  # a chevron where the bar leaves the axis
                at, mark, face = (right, ">", "white") if v > right else (0, "<", colour)
                ax.plot(at, y, marker=mark, color=face, ms=5, clip_on=False, zorder=3)
            # the label: right of the axes (x in axes fraction), level with the bar
            ax.text(
                1.01,
                y,
                text(r, v, hatched, outside),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=7,
            )
        ax.set_yticks(ypos, labels, fontsize=8)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        if n > 1:
            handles = [Patch(color=colours[nm]) for nm in names]
            legend = [lang.text(nm) for nm in names]
            # as many columns as the longest name lets stand in a row (about 120 characters
            # of this size across the figure, and the patch)
            ncol = min(n, max(1, 120 // (max(columns(nm) for nm in legend) + 6)))
            fig.legend(handles, legend, fontsize=8, loc="outside lower center", ncol=ncol)
    return fig, ax, rc, names, colours


def _titles(fig, ax, title: str, subtitle: str, lang: Labels) -> None:
    """The chart's title at the left of the figure, above the labels, and below it, over the
    axes, a subtitle (what the bars and shading mean, or what was run)."""
    fig.suptitle(lang.text(title), x=0.01, ha="left", fontsize=11)
    ax.set_title(wrap(lang.text(subtitle), 110), loc="left", fontsize=8, color="#555555")


def scorecard_chart(runs, lang: Labels):
    """Horizontal bars per target and scenario: the projected value as % of the target (a
    floor, ≥) or of the ceiling (≤), over the zone where each target is met (right of 100 for
    a floor, left of it for a ceiling). A floor's label gives the % of the target, a
    ceiling's the value against the ceiling, each with its verdict; counts are whole. The
    axis ends at 150 %, or at up to 200 % for a longer bar; a bar beyond it (or below 0: a
    growth rate that falls when the target is a rise) is cut at the edge and its label says
    the value."""
    from matplotlib import rc_context

    def value(r):
        if not r["target"]:
            return np.nan, False
        return 100.0 * r["projected"] / r["target"], not bool(r["met"])

    def text(r, v, miss, outside):
        verdict = lang.t("not_met") if miss else lang.t("met")
        unit = r["unit"] if r["unit"] == "%" else lang.unit(r["unit"])
        amount = f"{format_number(r['projected'], r['unit'])} {unit}"
        if r["comparison"].startswith("<="):
            return lang.text(f"{amount} {lang.t('vs_ceiling')} {r['target']:,g} {unit}: {verdict}")
        share = lang.t("of_target").format(pct=_percent(v))
        if outside:
            return lang.text(f"{amount} ({share}): {verdict}")
        return f"{share}: {verdict}"

    fig, ax, rc, names, colours = _target_bars(runs, lang, value, text, (150.0, 200.0))
    with rc_context(rc):
        right = ax.get_xlim()[1]
        floors = [not c.startswith("<=") for c in runs[0].targets["comparison"]]
        ypos = np.arange(len(floors))
        ax.barh(
            ypos,
            [right - 100 if f else 100 for f in floors],
            left=[100 if f else 0 for f in floors],
            height=0.96,
            color=MET_ZONE_COLOUR,
            zorder=0,
        )
        ax.axvline(100, color=TARGET_COLOUR, lw=1.4, ls="--")
        ax.set_xlabel(lang.t("target_axis"))
        subtitle = lang.t("shading")
        if draws := _draws(runs, lang):
            subtitle += f"  ·  {lang.t('medians_of')} {draws}"
        _titles(fig, ax, lang.t("scorecard"), subtitle, lang)
    return fig


def _percent(v: float) -> str:
    """``v`` % of a target in whole percent, or with the decimals that keep a value below
    100 from reading as 100 (99.8 % of a target is not met)."""
    for decimals in (0, 1, 2):
        text = f"{v:.{decimals}f}"
        if (float(text) >= 100) == (v >= 100):
            break
    return text


def _draws(runs, lang: Labels) -> str:
    """ "200 draws (lhs, seed 1)" for an ensemble, "" for a single run."""
    ens = runs[0].metadata.get("ensemble")
    return lang.t("draws").format(n=f"{ens['draws']:,}", **ens) if ens else ""


def _target_labels(targets, lang: Labels) -> list[str]:
    labels = []
    for _, row in targets.iterrows():
        sign = "≥" if row["comparison"].startswith(">=") else "≤"
        every = f" ({lang.t('every')})" if "every" in row["comparison"] else ""
        unit = lang.unit(row["unit"])
        unit = f" {unit}" if unit in ("%", "firms", "家") else f" ({unit})"
        labels.append(
            lang.text(
                f"{lang.name(row['indicator'])}: {sign} {row['target']:,g}"
                f"{unit}, {row['year']}{every}"
            )
        )
    return labels


def probability_chart(runs, lang: Labels):
    """Horizontal bars: the share of draws that meet each plan target, per scenario."""
    from matplotlib import rc_context

    fig, ax, rc, names, colours = _target_bars(
        runs,
        lang,
        lambda r: (100.0 * r["probability"], False),
        lambda r, v, *_: f"{v:.0f} %",
        (100.0, 100.0),
    )
    with rc_context(rc):
        ax.axvline(50, color="#777777", lw=0.8, ls=":")
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel(lang.t("prob_axis"))
        scenarios = f"{lang.t('scenarios' if len(runs) > 1 else 'scenario')}: {', '.join(names)}"
        _titles(fig, ax, lang.t("probability"), f"{scenarios}  ·  {_draws(runs, lang)}", lang)
    return fig


def _output_label(output: str, lang: Labels) -> tuple[str, str]:
    """("GDP at 2020 prices in 2025", "亿元, 2020 prices") for "gdp_real@2025"."""
    ind, _, year = output.partition("@")
    if ind not in INDICATOR_BY_NAME:
        return output, ""
    name = lang.name(ind)
    name = name[:1].upper() + name[1:] if lang.code == "en" else name
    return lang.text(f"{name} {'in ' if lang.code == 'en' else ''}{year}"), lang.text(
        lang.unit_basis(ind)
    )


def sensitivity_bars(result, output: str, lang: Labels, top: int = DEFAULT_TOP):
    """Horizontal bars of the sensitivity indices of one output, most influential on top.

    Sobol: total (ST) and first-order (S1) indices with their confidence intervals, as
    shares of the output's variance. Morris: mu* with its confidence interval, and sigma.
    At most ``top`` parameters are drawn (the table has them all).
    """
    lg = lang
    table = result.for_output(output)
    shown = table.head(top)
    fig, axes, rc = new_figure(1, lg)
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
