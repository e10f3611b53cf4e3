"""Elementwise functions for the model equations, on numpy arrays or on Python floats.

An ensemble evaluates the equations on arrays of shape ``(members,)``; a single run
evaluates the very same equations on Python floats, because numpy's overhead per call (about
0.3-2 µs on a one-element array) is 10 to 50 times the cost of the float operation itself,
and a run makes some 25,000 of them (docs/performance.md). The model code therefore calls
these functions instead of ``np.maximum``, ``np.clip``... ; each takes the float path when
its arguments are floats and numpy's otherwise.

The results are the same bit for bit: +, -, *, / on floats round as numpy does; powers,
exponentials and logarithms call numpy's own implementations (``math.exp``, ``math.log``
and Python's ``**`` use the C library's, which differ from numpy's in the last bit for a few
per cent of arguments; the growth anchor's finite difference amplifies such differences to
1e-10 in the results). The float
path keeps numpy's semantics for NaN (it propagates). Where Python is stricter than numpy
(``x / 0.0`` raises ZeroDivisionError), :func:`hubinsim.model.run` runs the member again with
arrays, so that the outcome is numpy's.
"""

from __future__ import annotations

import numpy as np

_power, _exp, _log = np.power, np.exp, np.log


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


#: Exponents for which numpy's power of a single number takes a shortcut (a square root, a
#: square, a reciprocal) that rounds differently from its loop over arrays.
_SHORTCUT_EXPONENTS = (0.5, 2.0, -1.0)


def power(a, b):
    """``a ** b``; for floats, numpy's ``power`` as it works on arrays."""
    if a.__class__ is float and b.__class__ is float:
        if b in _SHORTCUT_EXPONENTS:
            return _power(np.array((a,)), np.array((b,))).item()
        return float(_power(a, b))
    return a**b


def exp(a):
    """``np.exp``."""
    return float(_exp(a)) if a.__class__ is float else np.exp(a)


def log(a):
    """``np.log``."""
    return float(_log(a)) if a.__class__ is float else np.log(a)


def times(value, factor):
    """``value * factor``; a factor of None (no shock set) or of exactly 1.0 (a shock outside
    its years, no tax relief) leaves ``value`` as it is, without an operation over the
    members (``x * 1.0`` is ``x`` bit for bit)."""
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


def is_zero(value) -> bool:
    """Whether ``value`` is the float 0.0 (an input that is zero for every member)."""
    return value.__class__ is float and value == 0.0


def like(value, other):
    """``value`` with the shape of ``other`` (a float stays a float; for arrays a read-only
    broadcast view, which costs no operation over the members)."""
    if other.__class__ is float:
        return float(value)
    return np.broadcast_to(value, np.shape(other))
