"""Text tables for the terminal: aligned columns, numbers for people, labels and units.

Only formatting: the values come from the library (``Results.headline``, ``Results.targets``,
``Comparison.headline``, ...); nothing here computes on results.
"""

from __future__ import annotations

import unicodedata

from ..catalog import INDICATOR_BY_NAME, unit_label
from ..formats import format_number as fmt
from ..formats import format_share as pct

__all__ = ["fmt", "pct", "text_table", "label", "unit", "target_text", "scorecard_table"]


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def text_table(headers, rows, right=None) -> str:
    """An aligned text table; columns in ``right`` (indices) are right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    right = set(range(1, len(headers)) if right is None else right)

    def line(r):
        out = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if i in right else c + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def label(name: str, lang: str) -> str:
    """An indicator's name, with its Chinese name in brackets for ``lang="zh"``."""
    ind = INDICATOR_BY_NAME.get(name)
    return f"{name} ({ind.meaning_zh})" if (ind and lang == "zh") else name


def unit(name: str) -> str:
    """An indicator's unit and price basis, as the charts label it."""
    return unit_label(name)


def points(name: str) -> str:
    """' pp' after a difference of a rate or share (percentage points), else ''."""
    return " pp" if INDICATOR_BY_NAME[name].unit == "%" else ""


def target_text(row) -> str:
    """'≥ 60.00', or '≥ 9.00 each yr 2021-2025, worst shown' for targets judged in every
    year (the projected value is then the worst year's)."""
    sign = "≥" if row["comparison"].startswith(">=") else "≤"
    every = ""
    if "every" in row["comparison"]:
        every = f" each yr {row['comparison'].split()[-1]}-{row['year']}, worst shown"
    return f"{sign} {fmt(row['target'], row['unit'])}{every}"


def headline_table(results, lang: str = "en") -> str:
    """The headline indicators of a run in 2020, 2025, 2035 and its last year; for an
    ensemble the median and, in brackets, the 5th to 95th percentile."""
    table = results.headline()
    ensemble = table.columns.nlevels > 1
    years = list(dict.fromkeys(table.columns.get_level_values(0))) if ensemble else list(table)
    rows = []
    for name, row in table.iterrows():
        u = unit(name)
        if not ensemble:
            rows.append([label(name, lang), u, *(fmt(row[y], u) for y in years)])
            continue
        cells = []
        for y in years:
            m, a, b = row[(y, "median")], row[(y, "p5")], row[(y, "p95")]
            if m != m:
                cells.append("-")
            elif a != a:
                cells.append(fmt(m, u))
            else:
                cells.append(f"{fmt(m, u)} ({fmt(a, u)} to {fmt(b, u)})")
        rows.append([label(name, lang), u, *cells])
    return text_table(["indicator", "unit", *map(str, years)], rows, right=range(2, 2 + len(years)))


def scorecard_table(results, lang: str = "en") -> str:
    """The plan-target scorecard of a run (with P(met) for an ensemble)."""
    tg = results.targets
    if tg.empty:
        return "(no plan targets within the run's years)"
    ensemble = "probability" in tg.columns
    rows = []
    for _, r in tg.iterrows():
        needed = "-" if r["needed"] != r["needed"] else f"{r['needed']:.2f} {r['needed_unit']}"
        row = [
            label(r["indicator"], lang),
            str(r["year"]),
            fmt(r["base_2020"], r["unit"]),
            target_text(r),
            fmt(r["projected"], r["unit"]),
            fmt(r["gap"], r["unit"]),
            "yes" if r["met"] else "NO",
        ]
        if ensemble:
            row.append(pct(r["probability"]))
        rows.append(row + [r["unit"], needed])
    head = ["indicator", "year", "2020", "target", "projected", "gap", "met"]
    if ensemble:
        head[4] = "median"
        head.append("P(met)")
    return text_table(
        head + ["unit", "growth needed from 2020"],
        rows,
        right={1, 2, 4, 5, 7} if ensemble else {1, 2, 4, 5},
    )


def scorecards_side_by_side(card, names, lang: str, cell) -> str:
    """One row per target of ``card`` (``Comparison.scorecard``), one column per scenario:
    ``cell(values)`` with the scenario's ``projected``, ``met``, ``probability`` ... and
    ``unit``, or '-' where the scenario's run does not reach the target's year."""
    import pandas as pd  # loaded by then: the card is a DataFrame

    rows = []
    for _, t in card.iterrows():
        row = [label(t["indicator"], lang), str(t["year"]), target_text(t)]
        for n in names:
            values = {k.split(":", 1)[0]: t[k] for k in t.index if k.endswith(f":{n}")}
            values["unit"] = t["unit"]
            row.append("-" if pd.isna(values["met"]) else cell(values))
        rows.append(row)
    return text_table(["indicator", "year", "target", *names], rows, right=range(1, 3 + len(names)))


def comparison_table(table, names, lang: str, ensemble: bool) -> str:
    """A year's headline indicators of a comparison (``Comparison.headline``): the reference,
    then each alternative and its difference (with draws: the median difference, its 5th to
    95th percentile and the share of draws in which it is positive)."""
    rows = [
        [label(ind, lang), unit(ind), *_cells(ind, row, names, ensemble)]
        for ind, row in table.iterrows()
    ]
    head = ["indicator", "unit", f"{names[0]} (median)" if ensemble else names[0]]
    for n in names[1:]:
        head += [f"Δ {n} (median)", "Δ 5th to 95th pct", "P(Δ > 0)"] if ensemble else [n, f"Δ {n}"]
    return text_table(head, rows, right=range(2, len(head)))


def _cells(ind: str, row, names, ens: bool) -> list[str]:
    """One indicator's cells of a headline table (see ``Comparison.headline``)."""
    u, pp = unit(ind), points(ind)
    if not ens:
        cells = [fmt(row[(names[0], "value")], u)]
        for n in names[1:]:
            cells += [fmt(row[(n, "value")], u), f"{row[(n, 'difference')]:+,.2f}{pp}"]
        return cells
    cells = [fmt(row[(names[0], "median")], u)]
    for n in names[1:]:
        cells += [
            f"{row[(n, 'difference')]:+,.2f}{pp}",
            f"{row[(n, 'p5')]:+,.2f} to {row[(n, 'p95')]:+,.2f}",
            pct(row[(n, "prob_higher")]),
        ]
    return cells
