"""Values written in the other unit: a percentage where a fraction is meant, or the reverse.

Each lever and parameter declares the kind of its unit (``kind`` in the catalogue and in
``data/parameters.csv``, derived from the unit string). A value of a ``percent`` quantity
might be a fraction written by mistake (``rd_intensity_pct = 0.025`` for 2.5 %), and a
value of a ``fraction`` or ``rate`` quantity a percentage (``plan_realisation = 85`` for
0.85). :func:`unit_slip` reads the value both ways:

- outside the declared range [low, high], at least ten times beyond its nearer bound, and
  plausible in the other reading: refused, the conversion spelled out ("85 is outside the
  valid range [0, 1] fraction and looks like a percentage ...: did you mean 0.85?");
- inside the range, and plausible in the other reading too: accepted as written with a
  :class:`~hubinsim.errors.UnitWarning` that names the other reading ("0.025 is read as
  0.025 % ...; if you meant the fraction 0.025 (= 2.5 %), write 2.5");
- otherwise: nothing to say here (the range check reports a value outside the range).

So the guard never refuses a value inside the range, and never suggests one outside it nor
one for a value just beyond a bound (``0.05`` for a fraction in [0, 0.04] is a fraction
a little too large, not 0.05 % written for 0.0005).

A reading is plausible when it lies in the declared range [low, high] and, for a range that
reaches zero, is zero or larger in size than a hundredth of the range's largest bound:
readings differ by a factor of 100, and a value a hundred times smaller than anything the
range allows is what a slip of units produces. The scenario files and the Python API
(:func:`hubinsim.make_scenario`, :func:`hubinsim.simulate`, ``[uncertainty]``
declarations) all check values through this function.
"""

from __future__ import annotations

from ..catalog import FRACTION_KINDS, PERCENT_KINDS
from ..errors import Message, in_lang

#: The units of levers and parameters that have a Chinese word (others are said as written).
UNIT_ZH = {
    "fraction": "(小数)",
    "yr": "年",
    "1/yr": "每年",
    "firms/yr": "家/年",
    "亿元/yr": "亿元/年",
}


def unit_text(unit: str, lang: str = "en") -> str:
    """``unit`` in ``lang``: "fraction" is "(小数)" in Chinese."""
    return in_lang(lang, unit, UNIT_ZH.get(unit, unit))


#: The ranges a message names: a lever's valid range, a parameter's plausible range.
_RANGES = {
    "valid": ("the valid range", "有效范围"),
    "plausible": ("its plausible range", "合理范围"),
    "": ("the range", "范围"),
}


def span_text(low: float, high: float, unit: str, lang: str = "en") -> str:
    """ "[0, 1] fraction" in ``lang`` ("[0, 1](小数)")."""
    u = unit_text(unit, lang)
    return f"[{low:g}, {high:g}]" + (u if u.startswith("(") else f" {u}")


def range_text(low: float, high: float, unit: str, lang: str = "en", which="valid") -> str:
    """ "the valid range [0, 1] fraction" (``which`` "plausible": "its plausible range ...",
    for a parameter; "": "the range ...") in ``lang``."""
    en, zh = _RANGES[which]
    return f"{in_lang(lang, en, zh)} {span_text(low, high, unit, lang)}"


def shown_number(v: float) -> str:
    """A number as short as possible but never hiding why it is out of range."""
    short = f"{v:g}"
    return short if float(short) == v else repr(v)


def outside_text(lang, value, low, high, unit, which="valid", year=None, looks=None) -> str:
    """ "85 is outside the valid range [0, 1] fraction" ("value 85 for 2025 ..." for a year
    of a schedule), with ``looks`` (a :func:`unit_slip` reading) after it, in ``lang``."""
    v = shown_number(value)
    rng = range_text(low, high, unit, lang, which)
    if lang == "zh":
        label = v if year is None else f"{year}年的数值 {v}"
        return f"{label} 超出{rng}" + (f",{looks.text(lang)}" if looks else "")
    label = v if year is None else f"value {v} for {year}"
    return f"{label} is outside {rng}" + (f" and {looks.text(lang)}" if looks else "")


def plausible(x: float, low: float, high: float) -> bool:
    """Whether ``x`` is a plausible value of a quantity declared over [low, high]."""
    if not low <= x <= high:
        return False
    if x == 0 or not low <= 0 <= high:
        return True
    return abs(x) > max(abs(low), abs(high)) / 100


#: How many times beyond the nearer bound of its range a value must lie to be read as
#: written in the other unit (a slip changes a value a hundredfold).
FAR = 10.0


def far_outside(x: float, low: float, high: float) -> bool:
    """Whether ``x`` lies at least :data:`FAR` times beyond the nearer bound of [low, high]
    (or beyond a bound of zero, or on the other side of zero)."""
    if low <= x <= high:
        return False
    bound = high if x > high else low
    if bound == 0 or (x > 0) != (bound > 0):
        return True
    ratio = abs(x / bound)
    return ratio >= FAR or ratio <= 1 / FAR


def _g(x: float) -> str:
    return f"{round(x, 12):g}"


def _looks_text(lang, name, value, other, kind) -> str:
    """How a value looks in the other unit, and what was maybe meant: "looks like a
    percentage; ...: did you mean 0.85?"."""
    v, o = _g(value), _g(other)
    if kind in PERCENT_KINDS:
        return in_lang(
            lang,
            f"looks like a fraction; {name} is in %: did you mean {o}?",
            f"像是小数;{name} 以 % 计:是否应写 {o}?",
        )
    per = in_lang(lang, " a year", "/年") if kind == "rate" else ""
    return in_lang(
        lang,
        f"looks like a percentage; {name} is written as a fraction ({o} = {v} %{per}): "
        f"did you mean {o}?",
        f"像是百分数;{name} 写作小数({o} = {v} %{per}):是否应写 {o}?",
    )


def _both_text(lang, name, value, other, kind) -> str:
    """A value read as written though it reads plausibly in the other unit too."""
    v, o = _g(value), _g(other)
    if kind in PERCENT_KINDS:
        return in_lang(
            lang,
            f"{v} is read as {v} % ({name} is in %); if you meant the fraction {v} (= {o} %), "
            f"write {o}",
            f"{v} 按 {v} % 读取({name} 以 % 计);如指小数 {v}(= {o} %),请写 {o}",
        )
    per = in_lang(lang, " a year", "/年") if kind == "rate" else ""
    p = _g(value * 100)
    return in_lang(
        lang,
        f"{v} is read as a fraction ({p} %{per}) for {name}; if you meant {v} %, write {o}",
        f"{name} 的 {v} 按小数读取({p} %{per});如指 {v} %,请写 {o}",
    )


def unit_slip(
    name: str, value: float, item, which: str = "", year=None
) -> tuple[bool, Message] | None:
    """Whether ``value`` given for ``item`` (a lever or parameter: ``kind``, ``unit``,
    ``low``, ``high``) reads as written in the other unit.

    Returns ``(refused, message)``: ``refused`` is True when the value lies far outside the
    range (:func:`far_outside`) and the other reading is plausible, False when the value
    lies inside the range and the other reading is plausible too (a warning); None
    otherwise, or when the unit is neither a percentage nor a fraction. A value inside the
    range is never refused, and the value suggested always lies inside it. The message is a
    :class:`~hubinsim.errors.Message` (English or Chinese); ``which`` names the range
    (:func:`range_text`), ``year`` the year of a schedule's value.
    """
    if item.kind in PERCENT_KINDS:
        other = value * 100
    elif item.kind in FRACTION_KINDS:
        other = value / 100
    else:
        return None
    if value == 0 or other == 0 or not plausible(other, item.low, item.high):
        return None
    facts = {"name": name, "value": value, "other": other, "kind": item.kind}
    if item.low <= value <= item.high:
        return False, Message(_both_text, **facts)
    if far_outside(value, item.low, item.high):
        looks = Message(_looks_text, **facts)
        span = {"low": item.low, "high": item.high, "unit": item.unit}
        said = Message(outside_text, value=value, **span, which=which, year=year, looks=looks)
        return True, said
    return None
