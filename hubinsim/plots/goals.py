"""Charts of goal seeking and attribution: the response of a target to a lever, the
change each lever needs, and the waterfall of a difference split by setting.

:func:`response_chart` draws the indicator a target is about against the lever's value (the
scan of :func:`hubinsim.solve`), with the target, the status quo and the solution;
:func:`changes_chart` the change several levers need, in % of their ranges;
:func:`waterfall_chart` a difference between two scenarios built up from the reference by
each setting's Shapley contribution (:func:`hubinsim.attribute`).
"""

from __future__ import annotations

import textwrap

import numpy as np

from .specs import (
    ALTERNATIVE_COLOURS,
    REFERENCE_COLOUR,
    TARGET_COLOUR,
    new_figure,
    scenario_colours,
)
from .text import Labels

_UP, _DOWN = "#009e73", "#d55e00"
#: A waterfall's steps: greys, so that no step takes the colour of a scenario (its ends).
_RISE, _FALL, _STEP_EDGE = "#8a8a8a", "#dddddd", "#6a6a6a"


def _title(lang: Labels, indicator: str, year: int) -> str:
    name = lang.name(indicator)
    name = name[:1].upper() + name[1:] if lang.code == "en" else name
    return lang.text(f"{name} {'in ' if lang.code == 'en' else ''}{year}")


def response_chart(solution, lang: Labels):
    """The target's indicator against one lever's value over its range (the scan), the
    target as a line, the status quo and the solution (or the closest value) as points."""
    from matplotlib import rc_context

    goal = solution.goal
    var = solution.variables[0]
    scan = solution.scan
    fig, axes, rc = new_figure(1, lang)
    ax = axes[0]
    with rc_context(rc):
        ax.plot(
            scan[var.name],
            scan[goal.indicator],
            "-o",
            color=REFERENCE_COLOUR,
            ms=3.5,
            lw=1.4,
            label="scanned values",
        )
        ax.axhline(goal.value, color=TARGET_COLOUR, ls="--", lw=1.2, label=f"target {goal}")
        ax.plot(
            [var.x0], [solution.status_quo_value], "s", color="#555555", ms=7, label="status quo"
        )
        label = "solution" if solution.status != "unreachable" else "closest (target missed)"
        colour = ALTERNATIVE_COLOURS[1] if solution.met else ALTERNATIVE_COLOURS[0]
        ax.plot([solution.x[0]], [solution.achieved], "D", color=colour, ms=8, label=label)
        what = "shift of its schedule" if var.shift else "value"
        ax.set_xlabel(lang.text(f"{var.name}, {what} [{var.unit}]"))
        ax.set_ylabel(lang.text(lang.unit_basis(goal.indicator)))
        prob = ""
        if solution.probability is not None:
            prob = f" (percentile met with probability {solution.probability:.0%})"
        ax.set_title(textwrap.fill(_title(lang, goal.indicator, goal.year) + prob, 70), loc="left")
        ax.legend(fontsize=8)
    return fig


def changes_chart(solution, lang: Labels):
    """Horizontal bars: the change each lever needs from its status quo, in % of its range."""
    from matplotlib import rc_context

    table = solution.table
    fig, axes, rc = new_figure(1, lang)
    ax = axes[0]
    with rc_context(rc):
        fig.set_size_inches(8.0, 0.5 * len(table) + 1.8)
        vals = table["change_of_range_pct"].to_numpy(dtype=float)
        ypos = np.arange(len(table))
        colours = [_UP if v >= 0 else _DOWN for v in vals]
        ax.barh(ypos, vals, color=colours, height=0.6)
        for y, (_, row) in zip(ypos, table.iterrows(), strict=True):
            ax.text(
                row["change_of_range_pct"],
                y,
                f"  {row['change']:+.4g} {row['unit']}  ",
                va="center",
                ha="left" if row["change"] >= 0 else "right",
                fontsize=8,
            )
        ax.set_yticks(ypos, [lang.text(n) for n in table.index], fontsize=9)
        ax.invert_yaxis()
        ax.axvline(0, color="#444444", lw=0.8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("change from the status quo, % of the lever's range")
        status = "" if solution.met else " (target missed: closest values)"
        ax.set_title(
            lang.text(textwrap.fill(f"Levers for {solution.goal}{status}", 70)), loc="left"
        )
    return fig


def waterfall_chart(attribution, alternative: str, indicator: str, year: int, lang: Labels):
    """The difference of ``indicator`` in ``year`` between the reference and ``alternative``
    built up from the reference's value by each setting's contribution (Shapley values).
    The ends are the scenarios, in their colours of every chart; the steps are grey, dark
    for a rise and light for a fall."""
    from matplotlib import rc_context
    from matplotlib.patches import Patch

    rows = attribution.contributions(alternative, indicator, year)
    ref, alt = attribution.levels(alternative, indicator, year)
    labels = [
        lang.text(attribution.reference_name),
        *[lang.text(s) for s in rows.index],
        lang.text(alternative),
    ]
    fig, axes, rc = new_figure(1, lang)
    ax = axes[0]
    with rc_context(rc):
        fig.set_size_inches(max(7.0, 1.0 + 0.9 * len(labels)), 4.6)
        x = np.arange(len(labels))
        level = ref
        ax.bar(x[0], ref, color=REFERENCE_COLOUR, width=0.6)
        for k, value in enumerate(rows.to_numpy(dtype=float), start=1):
            bottom = level if value >= 0 else level + value
            ax.bar(
                x[k],
                abs(value),
                bottom=bottom,
                color=_RISE if value >= 0 else _FALL,
                edgecolor=_STEP_EDGE,
                lw=0.6,
                width=0.6,
            )
            ax.text(
                x[k], level + max(value, 0), f"{value:+.3g}", ha="center", va="bottom", fontsize=8
            )
            ax.plot([x[k - 1] - 0.3, x[k] + 0.3], [level, level], color="#888888", lw=0.6)
            level += value
        colours = scenario_colours([attribution.reference_name, *attribution.names])
        ax.bar(x[-1], alt, color=colours[alternative], width=0.6)
        ax.plot([x[-2] - 0.3, x[-1] + 0.3], [level, level], color="#888888", lw=0.6)
        span = [ref, alt, *np.cumsum([ref, *rows.to_numpy(dtype=float)])]
        lo, hi = min(span), max(span)
        pad = 0.15 * (hi - lo) if hi > lo else 0.05 * abs(hi) + 1e-9
        if lo > 0 and lo - pad > 0:
            ax.set_ylim(lo - 2 * pad, hi + pad)
        ax.set_xticks(x, labels, fontsize=8, rotation=25, ha="right", rotation_mode="anchor")
        ax.grid(axis="x", visible=False)
        ax.set_ylabel(lang.text(lang.unit_basis(indicator)))
        steps = [Patch(facecolor=c, edgecolor=_STEP_EDGE, lw=0.6) for c in (_RISE, _FALL)]
        legend = ax.legend(steps, ["raises", "lowers"], fontsize=8, loc="best", frameon=True)
        legend.get_frame().set(facecolor="white", edgecolor="none", alpha=0.85)
        ax.set_title(
            lang.text(
                textwrap.fill(
                    f"{_title(lang, indicator, year)}: {alternative} against "
                    f"{attribution.reference_name}, by setting (Shapley values)",
                    80,
                )
            ),
            loc="left",
        )
    return fig
