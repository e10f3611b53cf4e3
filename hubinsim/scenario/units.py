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


def unit_slip(name: str, value: float, item, rng: str = "") -> tuple[bool, str] | None:
    """Whether ``value`` given for ``item`` (a lever or parameter: ``kind``, ``unit``,
    ``low``, ``high``) reads as written in the other unit.

    Returns ``(refused, message)``: ``refused`` is True when the value lies far outside the
    range (:func:`far_outside`) and the other reading is plausible, False when the value
    lies inside the range and the other reading is plausible too (a warning); None
    otherwise, or when the unit is neither a percentage nor a fraction. A value inside the
    range is never refused, and the value suggested always lies inside it. ``rng`` names the
    range in a message (default: ``"the range [low, high] unit"``).
    """
    if item.kind in PERCENT_KINDS:
        other = value * 100
    elif item.kind in FRACTION_KINDS:
        other = value / 100
    else:
        return None
    if value == 0 or other == 0 or not plausible(other, item.low, item.high):
        return None
    v, o = _g(value), _g(other)
    rng = rng or f"the range [{item.low:g}, {item.high:g}] {item.unit}"
    if item.kind in PERCENT_KINDS:
        looks = f"looks like a fraction; {name} is in %"
        both = f"{v} is read as {v} % ({name} is in %); if you meant the fraction {v} (= {o} %)"
    else:
        per = " a year" if item.kind == "rate" else ""
        looks = f"looks like a percentage; {name} is written as a fraction ({o} = {v} %{per})"
        both = (
            f"{v} is read as a fraction ({_g(value * 100)} %{per}) for {name}; if you meant {v} %"
        )
    if item.low <= value <= item.high:
        return False, f"{both}, write {o}"
    if far_outside(value, item.low, item.high):
        return True, f"{v} is outside {rng} and {looks}: did you mean {o}?"
    return None
