"""The stock-and-flow core of hubinsim: numpy only, no I/O, no plotting, no pandas.

:func:`run` takes resolved inputs (parameters, base figures, pool, lever schedules and shocks)
and returns annual indicator arrays of shape ``(years, members)``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..catalog import LEVERS, POOL_CATEGORIES
from . import core
from .engine import METHODS, integrate
from .inputs import (
    BASE_YEAR,
    ScaledSeries,
    Schedule,
    TimeGrid,
    calendar_year_index,
    input_rows,
    same_inputs,
    window,
    year_weights_series,
)

__all__ = ["run", "build_inputs", "Schedule", "TimeGrid", "METHODS", "BASE_YEAR"]

SCHEDULE_LEVERS = tuple(lv for lv in LEVERS if lv.schedule)


def _series(value, t: np.ndarray, scale: float, left: bool = False) -> np.ndarray:
    if isinstance(value, Schedule):
        return value.evaluate(t, left)[:, None] * scale
    arr = np.asarray(value, dtype=float) * scale
    if arr.ndim == 0:
        return np.full((len(t), 1), float(arr))
    return np.broadcast_to(arr[None, :], (len(t), arr.shape[0]))


def _same_number(a, b) -> bool:
    if isinstance(a, Schedule) or isinstance(b, Schedule) or np.ndim(a) or np.ndim(b):
        return False
    a, b = float(a), float(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def _lever_series(value, default, t: np.ndarray, scale: float, left: bool = False) -> np.ndarray:
    """The lever over time; calendar 2020 (t < 2020.5) is history and keeps the default."""
    series = _series(value, t, scale, left)
    if _same_number(value, default):  # the lever is left at its default
        return series
    before = _series(default, t, scale, left)
    history = (calendar_year_index(t, left) <= BASE_YEAR)[:, None]
    if series.shape[1] != before.shape[1]:
        series, before = np.broadcast_arrays(series, before)
    return np.where(history, before, series)


def build_inputs(
    grid: TimeGrid,
    levers: Mapping[str, object],
    defaults: Mapping[str, object],
    realisation: Mapping[str, object],
    profile: Mapping[int, float],
    shocks: tuple,
    pool: Mapping[str, float],
    bau_realisation,
    left: bool = False,
) -> dict[str, np.ndarray]:
    """Every exogenous input on the half-step grid, shape (n_half, 1) or (n_half, members);
    the project-pool spending ``pool_<category>`` as a :class:`ScaledSeries` (a timing over
    the half grid times an amount per member).

    Parameters
    ----------
    levers : schedule levers by name, in the user's unit (constants, member arrays or
        :class:`Schedule`); all of them must be present.
    defaults : business-as-usual value of each lever, used in calendar 2020 (the base year
        is history: levers act from 2021).
    realisation : share of each pool category spent in 2021-2025.
    profile : weights of the calendar years 2021-2025 (sum 1) for the spending above BAU.
    shocks : objects with ``target``, ``first``, ``last``, ``factor``.
    pool : total investment of each pool category [亿元].
    bau_realisation : business-as-usual realisation (parameter).
    left : take left limits at year boundaries (the value of the year that ends there), see
        :mod:`hubinsim.model.inputs`.
    """
    t = grid.half_times
    x: dict[str, np.ndarray] = {}
    for lv in SCHEDULE_LEVERS:
        x[lv.name] = _lever_series(levers[lv.name], defaults[lv.name], t, lv.scale, left)
    # Only the spending above (or below) the business-as-usual realisation is added; the
    # profile times it over 2021-2025 (MODEL.md: the baseline stays the baseline).
    w = year_weights_series(t, dict(profile), left)
    r_bau = np.atleast_1d(np.asarray(bau_realisation, dtype=float))
    for cat in POOL_CATEGORIES:
        r = np.atleast_1d(np.asarray(realisation[cat], dtype=float))
        x["pool_" + cat] = ScaledSeries(timing=w, amount=pool[cat] * (r - r_bau))
    for shock in shocks:
        key = "shock_" + shock.target
        on = window(t, shock.first, shock.last, left)[:, None]
        factor = 1.0 + on * (np.asarray(shock.factor, dtype=float) - 1.0)
        x[key] = x.get(key, 1.0) * factor
    return x


def run(
    params: Mapping[str, np.ndarray],
    base: Mapping[str, float],
    pool: Mapping[str, float],
    inputs: Mapping[str, np.ndarray],
    grid: TimeGrid,
    method: str = "euler",
    inputs_left: Mapping[str, np.ndarray] | None = None,
    keep: list[str] | None = None,
) -> dict[str, np.ndarray]:
    """Integrate the model and return annual indicators, each of shape (years, members).

    ``keep`` names the indicators wanted (None: all); an ensemble then accumulates only the
    reported quantities they are formed from (:func:`core.quantities_for`).

    ``inputs_left`` are the inputs built with ``left=True`` (values of the year that ends at
    each year boundary); without them, inputs that jump at a boundary leak into the year
    before it.

    A single member is integrated with Python floats rather than one-element arrays (the
    same equations and the same numbers, about five times faster, see
    :mod:`hubinsim.model.ops`). Where Python raises on arithmetic that numpy turns into inf
    or NaN, the member runs again with arrays, so that the outcome (warnings, a
    :class:`~hubinsim.errors.SimulationError`) is numpy's.
    """
    members = max((np.size(v) for v in params.values()), default=1)
    if members == 1:
        try:
            out = _run(params, base, pool, inputs, grid, method, inputs_left, scalar=True)
        except ArithmeticError:  # x / 0.0 raises on floats; numpy gives inf or NaN
            out = None
        if out is not None:
            return out if keep is None else {k: out[k] for k in keep}
    return _run(params, base, pool, inputs, grid, method, inputs_left, scalar=False, keep=keep)


def _run(params, base, pool, inputs, grid, method, inputs_left, scalar: bool, keep=None):
    if scalar:
        p = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in params.items()}
        base = {k: float(v) for k, v in base.items()}
        pool = {k: float(v) for k, v in pool.items()}
    else:
        p = dict(params)
    # Inputs are looked up at the points the integrator evaluates: the grid points (and the
    # mid-points for RK4); left limits at the year ends (and at every step end for RK4).
    n_half = 2 * grid.n_steps + 1
    ends = [2 * n for n in grid.year_ends()]
    rk4 = method == "rk4"
    rows = input_rows(inputs, range(0, n_half, 1 if rk4 else 2), scalar)
    if inputs_left is None:
        rows_left = rows
    else:
        rows_left = input_rows(inputs_left, range(0, n_half, 2) if rk4 else ends, scalar)
    c, state = core.calibrate(dict(base), dict(pool), p)
    core.anchor_growth(c, state, rows[0], p)
    # Year ends where some input jumps need their own evaluation with the left limits (the
    # values of the year that ends there); elsewhere the two coincide.
    jumps = {k // 2 for k in ends if not same_inputs(rows[k], rows_left[k])}

    def rates(k, t, s, want_aux, left=False, want_rates=True):
        return core.rates(t, s, rows_left[k] if left else rows[k], c, p, want_aux, want_rates)

    nonneg = tuple(name for name, must in core.STOCKS.items() if must)
    record_only = None
    if keep is not None:
        wanted = tuple(sorted(set(keep)))

        def record_only(names):
            return core.quantities_for(wanted, names)

    annual, _ = integrate(
        rates, state, grid, method, nonneg, jumps=jumps, scalar=scalar, record_only=record_only
    )
    out = core.annual_indicators(annual, c, p)
    return out if keep is None else {k: out[k] for k in keep}
