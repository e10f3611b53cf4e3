"""Charts of a backtest: one per series (an indicator at a basis).

Each shows the actual figures (a line with points, both sides of the origin), the origin as
a vertical line, and the forecast of each method that gave one, drawn from the origin's
actual so that each starts where the methods knew the series; the caption gives each
method's MAPE (levels of amounts) or RMSE and Theil's U.
"""

from __future__ import annotations

from .specs import ALTERNATIVE_COLOURS, REFERENCE_COLOUR, new_figure
from .text import language

_STYLE = {
    "model": (ALTERNATIVE_COLOURS[0], "-", 2.2),
    "model_anchored": (ALTERNATIVE_COLOURS[0], "--", 1.6),
    "no_change": ("#7f7f7f", ":", 1.4),
    "last_growth": ("#8c564b", "-.", 1.4),
    "plan_growth": ("#2ca02c", "--", 1.4),
    "holt": ("#9467bd", "-", 1.2),
    "arima": ("#17becf", "-", 1.2),
}


def backtest_chart(bt, indicator: str, basis: str = "level", lang: str = "en"):
    """The chart of one series of the backtest ``bt`` (a matplotlib Figure)."""
    from matplotlib import rc_context

    from ..analysis.backtest import METHOD_LABELS, METHODS, indicator_unit

    labels = language(lang)
    fig, axes, rc = new_figure(1, labels)
    ax = axes[0]
    wide = bt.wide(indicator, basis)
    scores = bt.table[(bt.table["indicator"] == indicator) & (bt.table["basis"] == basis)]
    scores = scores.set_index("method")
    origin = bt.origin
    actual = wide["actual"].dropna()
    with rc_context(rc):
        ax.plot(actual.index, actual.to_numpy(), "-o", color=REFERENCE_COLOUR, lw=1.8, ms=4,
                label="actual", zorder=5)  # fmt: skip
        ax.axvline(origin, color="#555555", lw=1.0, ls=":")
        start = actual.get(origin)
        for method in METHODS:
            if method not in wide.columns:
                continue
            fc = wide[method].dropna()
            xs, ys = list(fc.index), list(fc.to_numpy())
            if start is not None and method != "model":
                xs, ys = [origin, *xs], [float(start), *ys]
            colour, style, width = _STYLE[method]
            row = scores.loc[method]
            score = (
                f"MAPE {row['mape']:.2f} %" if row["mape"] == row["mape"]
                else f"RMSE {row['rmse']:.3g}"
            )  # fmt: skip
            if row["theil_u"] == row["theil_u"]:
                score += f", U {row['theil_u']:.2f}"
            ax.plot(xs, ys, style, color=colour, lw=width, marker=".",
                    label=f"{METHOD_LABELS[method]} ({score})")  # fmt: skip
        what = "" if basis == "level" else f", {basis.replace('_pct', '').replace('_', ' ')} %"
        ax.set_title(labels.text(f"{indicator}{what}: backtest from {origin}"), fontsize=11)
        ax.set_ylabel(labels.text(indicator_unit(indicator, basis)))
        ax.set_xlabel(labels.t("year"))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=7, loc="best")
    return fig


def backtest_charts(bt, lang: str = "en") -> dict:
    """``{"backtest_<indicator>_<basis>": Figure}`` for every series of the backtest."""
    return {
        f"backtest_{ind}_{basis}": backtest_chart(bt, ind, basis, lang)
        for ind, basis in bt.series()
    }
