"""Charts of a plan evaluation: one per evaluated indicator.

Each shows the actual figures as points (hollow where estimated), the plan path (the
straight path from the 2020 base to the target), the original projection, and the
re-projection (with its 5-95th percentile band under draws; both lines then the members'
median).
"""

from __future__ import annotations

import math

from ..catalog import INDICATOR_BY_NAME
from .specs import new_figure
from .text import language, wrap

_TEXT = {
    "en": {
        "actual": "actual",
        "estimate": "estimate",
        "plan": "plan path (base to target)",
        "original": "original projection",
        "reprojection": "re-projection",
        "band": "re-projection 5-95th percentile",
        "target": "target",
        "title": "{name}: actual, plan path and projections",
        "caption": "Scenario {scenario}; {anchor}; actual figures to {as_of}.",
        "illustrative": " ILLUSTRATIVE figures, not published ones.",
        "jump": "jumps from the latest actual: see the checks",
    },
    "zh": {
        "actual": "实际值",
        "estimate": "估计值",
        "plan": "规划路径(基期至目标)",
        "original": "原预测",
        "reprojection": "重新预测",
        "band": "重新预测5-95百分位",
        "target": "目标",
        "title": "{name}:实际值、规划路径与预测",
        "caption": "情景 {scenario};{anchor};实际数据截至{as_of}年。",
        "illustrative": "示例数据,并非公布数据。",
        "jump": "自最新实际值跳变:见核对",
    },
}


def evaluated_indicators(ev) -> list[str]:
    """The indicators of the evaluation table, once each, in its order."""
    return list(dict.fromkeys(ev.table["indicator"]))


def evaluation_chart(ev, indicator: str, lang: str = "en"):
    """The chart of ``indicator`` in the evaluation ``ev`` (a matplotlib Figure)."""
    from matplotlib import rc_context

    labels = language(lang)
    fig, axes, rc = new_figure(1, labels)
    with rc_context(rc):
        _draw(fig, axes[0], ev, indicator, labels)
    return fig


def _draw(fig, ax, ev, indicator: str, labels) -> None:
    words = _TEXT[labels.code]
    years = ev.path.index.to_numpy()
    orig = ev.original.annual[indicator] if indicator in ev.original.annual else None
    drawn = ev.original_band
    if drawn is not None and (indicator, "p50") in drawn.columns:
        # with draws the original projection is the members' median, as the re-projection
        orig = drawn[indicator]["p50"]
    first = ev.start_year if ev.start_year is not None else int(years[0])
    re = ev.path[indicator]
    if indicator.endswith("_cumulative"):
        # a count of a plan (the 14th FYP's new jobs) is cumulated over the plan's years:
        # the chart ends with the plan's last target year, not with the run
        last = max((t.year for t in ev.targets if t.indicator == indicator), default=None)
        if last is not None and last < int(years[-1]):
            re = re.loc[:last]
            orig = orig.loc[:last] if orig is not None else None
    if orig is not None:
        ax.plot(
            orig.index, orig.to_numpy(), color="#7f7f7f", ls="--", lw=1.5, label=words["original"]
        )
    later = re.index >= first
    if ev.band is not None and (indicator, "p5") in ev.band.columns:
        b = ev.band[indicator].loc[: re.index[-1]]
        ax.fill_between(
            b.index, b["p5"], b["p95"], color="#1f77b4", alpha=0.18, lw=0, label=words["band"]
        )
    ax.plot(
        re.index[later], re.to_numpy()[later], color="#1f77b4", lw=2.2, label=words["reprojection"]
    )
    figs = ev.figures[ev.figures["indicator"] == indicator]
    for status, marker in (("actual", "o"), ("estimate", "o")):
        sel = figs[figs["status"] == status]
        if len(sel):
            face = "#d62728" if status == "actual" else "white"
            ax.scatter(
                sel["year"].to_numpy(),
                sel["value"].to_numpy(),
                s=38,
                marker=marker,
                facecolor=face,
                edgecolor="#d62728",
                zorder=5,
                label=words[status],
            )
    for ind, year in ev.jumps:  # the check of the re-projection, where it is read
        if ind == indicator and year in re.index:
            y = float(re.loc[year])
            ax.scatter([year], [y], s=160, facecolor="none", edgecolor="#ff7f0e", lw=1.8, zorder=7)
            ax.annotate(labels.text(words["jump"]), (year, y), xytext=(8, -4),
                        textcoords="offset points", fontsize=8, color="#b35900")  # fmt: skip
    rows = ev.table[ev.table["indicator"] == indicator]
    every_year = {(t.indicator, t.year) for t in ev.targets if t.each_year_from is not None}
    for _, row in rows.iterrows():
        base, B = row["base"], int(row["base_year"])
        T, target = int(row["target_year"]), float(row["target"])
        if indicator.endswith("_cumulative") and B in ev.path.index:  # counted from B
            base = float(ev.path.loc[B, indicator])
            target += base
        every = (indicator, T) in every_year
        if every:
            ax.axhline(target, color="#2ca02c", lw=1.2, ls=":", label=words["target"])
        elif not (isinstance(base, float) and math.isnan(base)):
            ax.plot([B, T], [base, target], color="#2ca02c", lw=1.4, label=words["plan"])
        ax.scatter([T], [target], marker="*", s=120, color="#2ca02c", zorder=6)
    name = labels.name(indicator)
    # a long name (the park's gross output) wraps inside the figure: columns of an 11 pt
    # font across the figure's width, a Chinese character counting two
    columns = int(fig.get_figwidth() * 72 / (11 * 0.62))
    ax.set_title(wrap(labels.text(words["title"].format(name=name)), columns), fontsize=11)
    ax.set_ylabel(labels.text(labels.unit_basis(indicator)))
    ax.set_xlabel(labels.t("year"))
    handles, names = ax.get_legend_handles_labels()
    seen = {}
    for h, n in zip(handles, names, strict=True):
        seen.setdefault(n, h)
    ax.legend(seen.values(), seen.keys(), fontsize=8, loc="best")
    caption = words["caption"].format(
        scenario=ev.display_name(labels.code), anchor=ev.anchor_text(labels.code), as_of=ev.as_of
    )
    # a chart pasted into slides keeps the flag of illustrative figures
    flag = words["illustrative"] if ev.illustrative else ""
    fig.text(0.01, 0.005, labels.text(caption), fontsize=7, color="#555555")
    if flag:
        fig.text(0.99, 0.005, labels.text(flag), fontsize=7, color="#aa0000", ha="right")
    if INDICATOR_BY_NAME[indicator].unit == "%":
        ax.yaxis.set_major_formatter("{x:g}")
    else:  # 100,000 persons, not 100000
        ax.yaxis.set_major_formatter("{x:,g}")


def evaluation_charts(ev, lang: str = "en") -> dict:
    """``{indicator: Figure}`` for every indicator of the evaluation table."""
    return {ind: evaluation_chart(ev, ind, lang) for ind in evaluated_indicators(ev)}
