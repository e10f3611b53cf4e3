"""Text for the terminal: aligned columns, numbers for people, labels and units."""

from __future__ import annotations

import unicodedata

from ..catalog import INDICATOR_BY_NAME, suggest, unit_label
from ..errors import printable
from ..formats import format_number as fmt
from ..formats import format_share as pct

__all__ = [
    "fmt",
    "pct",
    "text_table",
    "csv_text",
    "part_text",
    "label",
    "unit",
    "points",
    "target_text",
    "nothing_holds",
]


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


def csv_text(rows: list[dict]) -> str:
    """Rows of text (dicts with the same keys) as CSV with a header line."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def part_text(fmt_: str, head: str, columns: list[str], rows: list[list]) -> str:
    """A titled table: an aligned text table under ``head`` (``fmt_="table"``), or a Markdown
    table under a ``###`` heading (``fmt_="markdown"``); ends with an empty line."""
    if fmt_ == "markdown":
        lines = [f"### {head}", "", "| " + " | ".join(columns) + " |"]
        lines.append("|" + "|".join("---" for _ in columns) + "|")
        lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n\n"
    return f"{head}\n{text_table(columns, rows, right=set())}\n\n"


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


def nothing_holds(what: str, words, rows) -> str:
    """The message of a listing whose search found nothing, with the names of ``rows`` (all
    that it lists) most like the words: "No indicator's name or meaning holds: teritary (did
    you mean 'va_tertiary', ...?)"."""
    search = " ".join(words)
    close = suggest(search, [r["name"] for r in rows])
    return f"No {what} name or meaning holds: {printable(search, lines=False)}{close}"
