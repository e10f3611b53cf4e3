"""The words of the charts: English or Chinese labels, units, and the fonts that draw them.

``lang="zh"`` labels the charts in Chinese (the ``meaning_zh`` of the catalogue) when a CJK
font is installed; otherwise :func:`language` warns and uses English. English labels write
亿元 and 万人 as "100 mn yuan" and "10k persons" when no CJK font is installed, so that no
glyph is missing.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache

from ..catalog import INDICATOR_BY_NAME, PRICE_BASIS_ZH, UNIT_ZH, unit_label
from ..defaults import LANGUAGES
from ..errors import Message, in_lang

_CJK = "\u2e80-\u9fff\uff00-\uffef"  # the ranges of Chinese characters and punctuation
_UNIT_EN_NO_CJK = {"亿元": "100 mn yuan", "万人": "10k persons"}
_TEXT = {
    "en": {
        "base": "2020 base",
        "plan": "14th FYP 2021-25",
        "target": "target",
        "every": "every year",
        "diff": "difference from {ref}",
        "year": "year",
        "pp": "percentage points",
        "scorecard": "Plan targets: projected value against each target",
        "met": "met",
        "not_met": "not met",
        "of_target": "{pct} % of target",
        "vs_ceiling": "vs ceiling",
        "target_axis": "projected value as % of the target (≥) or of the ceiling (≤)",
        "shading": "shaded: where the target is met; hatched bars: not met",
        "medians_of": "medians of",
        "draws": "{n} draws ({sampling}, seed {seed})",
        "scenario": "scenario",
        "scenarios": "scenarios",
        "median": "median",
        "medians": "medians",
        "band50": "25-75th percentile",
        "band90": "5-95th percentile",
        "each": "each scenario",
        "probability": "Plan targets: probability of meeting each (share of draws)",
        "prob_axis": "probability of meeting the target (% of draws)",
        "against": "{pcts} against {ref}",
        "year_pct": "{year}: {pct}",
        "list_sep": ", ",
    },
    "zh": {
        "base": "2020年基期",
        "plan": "十四五时期",
        "target": "目标",
        "every": "每年",
        "diff": "与{ref}之差",
        "year": "年份",
        "pp": "百分点",
        "scorecard": "规划目标:预测值与目标值",
        "met": "达标",
        "not_met": "未达标",
        "of_target": "为目标的{pct}%",
        "vs_ceiling": "对比上限",
        "target_axis": "预测值占目标值(≥)或上限(≤)的百分比",
        "shading": "阴影:达标区间;斜线条:未达标",
        "medians_of": "中位数,",
        "draws": "{n}次抽样({sampling}, 种子 {seed})",
        "scenario": "情景",
        "scenarios": "情景",
        "median": "中位数",
        "medians": "中位数",
        "band50": "25-75百分位",
        "band90": "5-95百分位",
        "each": "各情景",
        "probability": "规划目标:达标概率(抽样占比)",
        "prob_axis": "达标概率(抽样%)",
        "against": "较{ref}:{pcts}",
        "year_pct": "{year}年 {pct}",
        "list_sep": ",",
    },
}


@dataclass(frozen=True)
class Labels:
    """The words of a chart in one language, drawn with ``font`` (a CJK font, or None)."""

    code: str
    font: str | None

    def t(self, key: str) -> str:
        return _TEXT[self.code][key]

    def unit(self, unit: str) -> str:
        if self.code == "zh":
            return UNIT_ZH.get(unit, unit)
        if self.font is None:
            return _UNIT_EN_NO_CJK.get(unit, unit)
        return unit

    def basis(self, basis: str) -> str:
        return PRICE_BASIS_ZH.get(basis, basis) if self.code == "zh" else basis

    def name(self, indicator: str) -> str:
        ind = INDICATOR_BY_NAME[indicator]
        return ind.meaning_zh if self.code == "zh" else ind.meaning_en

    def unit_basis(self, indicator: str) -> str:
        """ "亿元, current prices" / "%" / "万人" (:func:`hubinsim.catalog.unit_label`)."""
        return unit_label(indicator, lambda part: self.basis(self.unit(part)))

    def text(self, s: str) -> str:
        """Replace CJK units in free text when no CJK font can draw them."""
        if self.font is None:
            for k, v in _UNIT_EN_NO_CJK.items():
                s = s.replace(k, v)
            s = re.sub(f"[{_CJK}]+", "?", s)
        return s


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` columns, a Chinese character counting
    two; lines break at spaces, or between Chinese characters (which have no spaces between
    words). A word longer than a line stays whole."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        # the pieces: single Chinese characters with the brackets and punctuation that hold
        # on to them, and words with the space after them
        pieces = re.findall(
            rf"[(（]*[{_CJK}][)）:：,，、]*\s*|[(（]*[^\s(（{_CJK}]+\s*|[(（]+\s*|\s+", paragraph
        )
        line = ""
        for piece in pieces:
            if line and columns((line + piece).rstrip()) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
        lines.append(line.rstrip())
    return "\n".join(lines)


def columns(s: str) -> int:
    """The width of ``s`` in columns of text: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


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

    def find():
        for name in CJK_FONTS:
            if name in entries and covers(name):
                return name
        hint = r"CJK|Han Sans|Han Serif|WenQuanYi|Hei|Song|Kai|Ming|Gothic|YaHei|Fallback"
        for name in sorted(entries):  # any other family that covers Chinese
            if re.search(hint, name) and covers(name):
                return name
        return None

    found = find()
    if found is None:
        # matplotlib's font cache may predate a font installed since: add the system's font
        # files it does not know before saying none is installed.
        known = {f.fname for f in font_manager.fontManager.ttflist}
        for path in font_manager.findSystemFonts():
            if path not in known:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        for f in font_manager.fontManager.ttflist:
            entries.setdefault(f.name, f.fname)
        found = find()
    return found


def _no_font_text(lang: str) -> str:
    return in_lang(
        lang,
        "no Chinese (CJK) font is installed (looked for Noto Sans CJK, WenQuanYi, SimHei and "
        "others), so the charts are labelled in English; install e.g. fonts-noto-cjk to get "
        "Chinese labels",
        "未安装中文(CJK)字体(已查找 Noto Sans CJK、文泉驿、黑体等),图表因此以英文标注;"
        "安装 fonts-noto-cjk 等字体即可得到中文标注",
    )


def language(lang: str) -> Labels:
    """The labels of charts in ``lang`` ("en" or "zh"); warns and falls back to English when
    no installed font draws Chinese."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    font = cjk_font()
    if lang == "zh" and font is None:
        warnings.warn(Message(_no_font_text), UserWarning, stacklevel=3)
        return Labels("en", None)
    return Labels(lang, font)
