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
    "say",
    "wrote_text",
]

#: The words of the terminal's tables and lines in Chinese, by their English (``say``).
ZH = {
    "indicator": "指标",
    "unit": "单位",
    "year": "年份",
    "target": "目标",
    "projected": "预测值",
    "median": "中位数",
    "gap": "差距",
    "met": "达标",
    "P(met)": "达标概率",
    "decided by": "决定因素",
    "yes": "是",
    "NO": "否",
    "model": "模型",
    "lever": "政策杠杆",
    "definition": "指标定义",
    "assumption": "参数假设",
    "to": "至",
    "Δ 5th to 95th pct": "Δ 第5至95百分位",
    "P(Δ > 0)": "P(Δ > 0)",
    "Plan-target scorecard (14th FYP):": "规划目标评估(十四五):",
    "Plan-target scorecards (projected; met?):": "各情景规划目标(预测值;是否达标):",
    "Plan-target scorecards (median; probability of meeting the target):": (
        "各情景规划目标(中位数;达标概率):"
    ),
    "Median and, in brackets, 5th to 95th percentile over the draws:": (
        "各次抽样的中位数,括号内为第5至95百分位:"
    ),
    "(median: of the judged values over draws; P(met): share of draws meeting the target)": (
        "(中位数:各次抽样评估值的中位数;达标概率:达到目标的抽样占比)"
    ),
}


#: The ways of drawing in Chinese.
SAMPLING_ZH = {"lhs": "拉丁超立方抽样", "sobol": "索博尔序列抽样", "mc": "简单随机抽样"}


def wrote_text(path, files: str, lang: str = "en") -> str:
    """The last line of a command: the folder written and its files."""
    return f"已写入 {path}/:{files}" if lang == "zh" else f"Wrote {path}/: {files}"


def say(text: str, lang: str) -> str:
    """``text`` (an English phrase of :data:`ZH`) in ``lang``."""
    return ZH.get(text, text) if lang == "zh" else text


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
    """An indicator's name: its code, or its Chinese name for ``lang="zh"``."""
    ind = INDICATOR_BY_NAME.get(name)
    return ind.meaning_zh if (ind and lang == "zh") else name


def unit(name: str, lang: str = "en") -> str:
    """An indicator's unit and price basis, as the charts label it (in Chinese for
    ``lang="zh"``: "亿元,现价")."""
    return unit_label(name, "zh" if lang == "zh" else None)


def points(name: str, lang: str = "en") -> str:
    """' pp' (' 个百分点') after a difference of a rate or share, else ''."""
    if INDICATOR_BY_NAME[name].unit != "%":
        return ""
    return " 个百分点" if lang == "zh" else " pp"


def target_text(row, lang: str = "en") -> str:
    """'≥ 60.00', or '≥ 9.00 each yr 2021-2025, worst shown' for targets judged in every
    year (the projected value is then the worst year's)."""
    sign = "≥" if row["comparison"].startswith(">=") else "≤"
    every = ""
    if "every" in row["comparison"]:
        first = row["comparison"].split()[-1]
        every = (
            f"({first}-{row['year']}年每年,显示最差年份)"
            if lang == "zh"
            else f" each yr {first}-{row['year']}, worst shown"
        )
    return f"{sign} {fmt(row['target'], row['unit'])}{every}"


def nothing_holds(what: str, words, rows) -> str:
    """The message of a listing whose search found nothing, with the names of ``rows`` (all
    that it lists) most like the words: "No indicator's name or meaning holds: teritary (did
    you mean 'va_tertiary', ...?)"."""
    search = " ".join(words)
    close = suggest(search, [r["name"] for r in rows])
    return f"No {what} name or meaning holds: {printable(search, lines=False)}{close}"
