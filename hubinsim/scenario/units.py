"""Values written in the other unit: a percentage where a fraction is meant, or the reverse.

Each lever and parameter declares the kind of its unit (``kind`` in the catalogue and in
``data/parameters.csv``, derived from the unit string). A value of a ``percent`` quantity
might be a fraction written by mistake (``rd_intensity_pct = 0.025`` for 2.5 %), and a
value of a ``fraction`` or ``rate`` quantity a percentage (``plan_realisation = 85`` for
0.85). :func:`unit_slip` reads the value both ways:

- plausible only in the other reading: refused, the conversion spelled out
  ("0.025 looks like a fraction; rd_intensity_pct is in %: did you mean 2.5?");
- plausible in both readings: accepted with a :class:`~hubinsim.errors.UnitWarning`;
- otherwise: nothing to say here (the range check reports a value plausible in neither).

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


def _g(x: float) -> str:
    return f"{round(x, 12):g}"


def unit_slip(name: str, value: float, item, rng: str = "") -> tuple[bool, str] | None:
    """Whether ``value`` given for ``item`` (a lever or parameter: ``kind``, ``unit``,
    ``low``, ``high``) reads as written in the other unit.

    Returns ``(refused, message)``: ``refused`` is True when the value is plausible only in
    the other reading, False when it is plausible in both (a warning); None when the value
    reads one way only, or the unit is neither a percentage nor a fraction. ``rng`` names the
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
    if plausible(value, item.low, item.high):
        return False, f"{both}, write {o}"
    if item.low <= value <= item.high:
        return True, f"{v} {looks}: did you mean {o}?"
    return True, f"{v} is outside {rng} and {looks}: did you mean {o}?"
