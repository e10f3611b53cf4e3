"""Elementwise functions for the model equations, on numpy arrays or on Python floats.

An ensemble evaluates the equations on arrays of shape ``(members,)``; a single run
evaluates the very same equations on Python floats, because numpy's overhead per call (about
0.3-2 µs on a one-element array) is 10 to 50 times the cost of the float operation itself,
and a run makes tens of thousands of them (docs/performance.md). The model code therefore
calls these functions instead of ``np.maximum``, ``np.exp``... ; each takes the float path
when its arguments are floats and numpy's otherwise.

+, -, *, / and ``sqrt`` round the same on floats and arrays. Exponentials, logarithms and
powers of floats use the C library (:mod:`math`), which may differ from numpy's own vectorised
implementations in the last bit for a few per cent of arguments; the model takes no finite
difference, so such differences stay of the order of 1e-15 relative in the results (a single
run and a member of an ensemble agree to about 1e-13, tests/test_speed_paths.py). The float
path keeps numpy's semantics for NaN (it propagates). Where Python is stricter than numpy
(``x / 0.0`` raises ZeroDivisionError, ``log(0.0)`` a ValueError, an overflow an
OverflowError), :func:`hubinsim.model.run` runs the member again with arrays, so that the
outcome is numpy's.
"""

from __future__ import annotations

import math

import numpy as np

_exp, _log, _sqrt, _expm1 = math.exp, math.log, math.sqrt, math.expm1

#: What Python raises where numpy returns inf or NaN (see :func:`hubinsim.model.run`).
FLOAT_ERRORS = (ArithmeticError, ValueError)


def maximum(a, b):
    """``np.maximum`` (NaN propagates)."""
    if a.__class__ is float and b.__class__ is float:
        return a if (a >= b or a != a) else b
    return np.maximum(a, b)


def minimum(a, b):
    """``np.minimum`` (NaN propagates)."""
    if a.__class__ is float and b.__class__ is float:
        return a if (a <= b or a != a) else b
    return np.minimum(a, b)


def clip(a, low: float, high: float):
    """``np.clip`` with scalar bounds (NaN propagates)."""
    if a.__class__ is float:
        return low if a < low else (high if a > high else a)
    return np.clip(a, low, high)


def where(condition, a, b):
    """``np.where``."""
    if condition.__class__ is bool:
        return a if condition else b
    return np.where(condition, a, b)


def any_true(condition) -> bool:
    """Whether a condition (a bool, or an array of them) holds anywhere."""
    return condition if condition.__class__ is bool else bool(condition.any())


def power(a, b):
    """``a ** b``."""
    if a.__class__ is float and b.__class__ is float:
        return _exp(b * _log(a)) if a > 0.0 else a**b
    return np.power(a, b)


def exp(a):
    """``np.exp``."""
    return _exp(a) if a.__class__ is float else np.exp(a)


def expm1(a):
    """``np.expm1``."""
    return _expm1(a) if a.__class__ is float else np.expm1(a)


def log(a):
    """``np.log``."""
    return _log(a) if a.__class__ is float else np.log(a)


def sqrt(a):
    """``np.sqrt`` (correctly rounded on both paths)."""
    return _sqrt(a) if a.__class__ is float else np.sqrt(a)


def _fmax(a: float, b: float) -> float:
    return a if (a >= b or a != a) else b


def _fmin(a: float, b: float) -> float:
    return a if (a <= b or a != a) else b


#: (log, exp, maximum, minimum, expm1) for a single member of Python floats: the C
#: library's functions and comparisons that propagate NaN as numpy does ...
FLOAT_FNS = (_log, _exp, _fmax, _fmin, _expm1)
#: ... and numpy's for arrays of members (expm1 keeps the C library's for the rates that
#: are the same for every member, Python floats). The model binds one or the other once
#: per run.
ARRAY_FNS = (np.log, np.exp, np.maximum, np.minimum, expm1)


def smooth_pos(x, width):
    """max(x, 0) with the corner rounded over |x| < width (a quadratic joining the two lines
    with the same slope): exactly 0 for x <= -width and exactly x for x >= width, so that a
    limit that starts to bind does not put a kink into the rates (docs/model.md §4). A width
    of 0 (nothing asked, say) is the corner itself: the width is at least 1e-300, whose
    square underflows to 0 (no 0 / 0), and which leaves any width above 1e-284 as it is."""
    if x.__class__ is float and width.__class__ is float:
        # On floats by cases, the same bits as the clipped form below (NaN propagates):
        # above the corner the quadratic at its end plus the line; within it the quadratic
        # alone (the line's part, max(x - width, 0), is 0 there); below it 0.
        if width < 1e-300:
            width = 1e-300
        if x >= width:
            y = width + width
            return y * y / (4.0 * width) + (x - width)
        y = x + width
        return 0.0 if y <= 0.0 else y * y / (4.0 * width)
    width = maximum(width, 1e-300)
    y = minimum(maximum(x, -width), width)
    if y.__class__ is np.ndarray:  # (a new array: the same operations in place)
        y += width
        np.multiply(y, y, out=y)
        y /= 4.0 * width
        y += maximum(x - width, 0.0)
        return y
    return (y + width) * (y + width) / (4.0 * width) + maximum(x - width, 0.0)


def times(value, factor):
    """``value * factor``; a factor of None (no shock set) or of exactly 1.0 (a shock outside
    its years) leaves ``value`` as it is, without an operation over the members (``x * 1.0``
    is ``x`` bit for bit)."""
    if factor is None or (factor.__class__ is float and factor == 1.0):
        return value
    return value * factor


def plus(value, term):
    """``value + term``; a term of exactly 0.0 (a lever left at zero) leaves ``value`` as it
    is, without an operation over the members (``x + 0.0`` is ``x``, but for the sign of a
    zero)."""
    if term.__class__ is float and term == 0.0:
        return value
    return value + term


def minus(value, term):
    """``value - term``; a term of exactly 0.0 leaves ``value`` as it is, without an
    operation over the members (``x - 0.0`` is ``x``)."""
    if term.__class__ is float and term == 0.0:
        return value
    return value - term


def is_zero(value) -> bool:
    """Whether ``value`` is the float 0.0 (an input that is zero for every member)."""
    return value.__class__ is float and value == 0.0


def like(value, other):
    """``value`` with the shape of ``other`` (a float stays a float; for arrays a read-only
    broadcast view, which costs no operation over the members)."""
    if other.__class__ is float:
        if value.__class__ is float:
            return value
        return value if np.ndim(value) else float(value)  # (levers drawn per member)
    return np.broadcast_to(value, np.shape(other))


def x_minus_tanh(y):
    """``y - tanh(y)`` for ``y >= 0``, to full relative precision near 0, where the two
    cancel: the series y^3/3 - 2 y^5/15 + 17 y^7/315 below 0.02 (its next term is 4e-12 of
    the sum there), the difference itself above."""
    if y.__class__ is float:
        if y < 0.02:
            y2 = y * y
            return y * y2 * (1.0 / 3.0 - y2 * (2.0 / 15.0 - y2 * (17.0 / 315.0)))
        return y - math.tanh(y)
    y2 = y * y
    series = y * y2 * (1.0 / 3.0 - y2 * (2.0 / 15.0 - y2 * (17.0 / 315.0)))
    return np.where(y < 0.02, series, y - np.tanh(y))
