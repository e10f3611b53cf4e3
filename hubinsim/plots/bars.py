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
from ..results import unique_names
from .specs import (
    MET_ZONE_COLOUR,
    SENSITIVITY_COLOURS,
    TARGET_COLOUR,
    new_figure,
    scenario_colours,
)
from .text import Labels


def _target_bars(runs, lang: Labels, value, text, extra_height: float, line: float):
    """Horizontal bars per plan target (rows of the reference's scorecard) and scenario.

    ``value(row)`` gives a scorecard row's bar length and whether to hatch it (NaN: no bar);
    ``text(row, length, hatched)`` the label beside the bar, which goes after the bar, or
    after the reference line at ``line`` when it would cross it. Returns the figure, its
    axes, the matplotlib settings to draw the rest with, the scenario names and their colours.
    """
    names = unique_names([str(r.metadata.get("scenario", "scenario")) for r in runs])
    colours = scenario_colours(names)
    ref = runs[0].targets
    labels = _target_labels(ref, lang)
    fig, axes, rc = new_figure(1, lang)
    from matplotlib import rc_context

    ax = axes[0]
    with rc_context(rc):
        fig.set_size_inches(9.0, 0.55 * len(labels) * max(1, len(runs)) ** 0.5 + extra_height)
        n = len(runs)
        height = 0.8 / n
        ypos = np.arange(len(labels))
        placed = []
        for j, (res, name) in enumerate(zip(runs, names, strict=True)):
            rows = {(r["indicator"], r["year"]): r for _, r in res.targets.iterrows()}
            pairs = []
            for _, row in ref.iterrows():
                r = rows.get((row["indicator"], row["year"]))
                pairs.append((None, np.nan, False) if r is None else (r, *value(r)))
            bars = ax.barh(
                ypos + (j - (n - 1) / 2) * height,
                [v for _, v, _ in pairs],
                height=height * 0.9,
                color=colours[name],
                label=lang.text(name),
            )
            for b, (r, v, hatched) in zip(bars, pairs, strict=True):
                if np.isfinite(v):
                    if hatched:
                        b.set_hatch("///")
                        b.set_edgecolor("white")
                    placed.append((v, b.get_y() + b.get_height() / 2, text(r, v, hatched)))
        right = max([line * 1.4] + [1.35 * v for v, _, _ in placed])
        ax.set_xlim(0, right)
        for v, y, label in placed:
            # a label that would cross the line starts after it (a character takes about
            # 1.3 % of the axis at this size and width)
            x = v + right * 0.01
            if v < line and x + (len(label) + 2) * right * 0.013 > line:
                x = line + right * 0.01
            ax.text(x, y, label, va="center", fontsize=7)
        ax.set_yticks(ypos, labels, fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
    return fig, ax, rc, names, colours


def _bar_legend(fig, names, colours, lang: Labels) -> None:
    """The legend below a bar chart of several scenarios: their colours."""
    from matplotlib.patches import Patch

    if len(names) > 1:
        handles = [Patch(color=colours[nm]) for nm in names]
        labels = [lang.text(nm) for nm in names]
        fig.legend(handles, labels, fontsize=8, loc="outside lower center", ncol=len(names))


def scorecard_chart(runs, lang: Labels):
    """Horizontal bars per target and scenario: the projected value as % of the target (a
    floor, ≥) or of the ceiling (≤), over the zone where each target is met (right of 100 for
    a floor, left of it for a ceiling). A floor's label gives the % of the target, a
    ceiling's the value against the ceiling, each with its verdict; counts are whole."""
    from matplotlib import rc_context

    def value(r):
        if not r["target"]:
            return np.nan, False
        return 100.0 * r["projected"] / r["target"], not bool(r["met"])

    def text(r, v, miss):
        verdict = lang.t("not_met") if miss else lang.t("met")
        if r["comparison"].startswith("<="):
            unit = r["unit"] if r["unit"] == "%" else lang.unit(r["unit"])
            return lang.text(
                f"{format_number(r['projected'], r['unit'])} {unit} {lang.t('vs_ceiling')} "
                f"{r['target']:,g} {unit}: {verdict}"
            )
        return f"{lang.t('of_target').format(pct=f'{v:.0f}')}: {verdict}"

    fig, ax, rc, names, colours = _target_bars(runs, lang, value, text, 1.5, 100.0)
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
        ax.set_title(lang.text(lang.t("scorecard")), loc="left")
        _bar_legend(fig, names, colours, lang)
    return fig


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
        lambda r, v, _: f"{v:.0f} %",
        1.6,
        50.0,
    )
    n = len(runs)
    with rc_context(rc):
        ax.axvline(50, color="#777777", lw=0.8, ls=":")
        ax.set_xlim(0, 115)
        ax.set_xticks(range(0, 101, 20))
        ax.set_xlabel(lang.t("prob_axis"))
        ax.set_title(lang.text(lang.t("probability")), loc="left")
        _bar_legend(fig, names, colours, lang)
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
