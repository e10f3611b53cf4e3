"""The stock-and-flow core of hubinsim: numpy only, no I/O, no plotting, no pandas.

:func:`run` takes resolved inputs (parameters, a start record, the project pool, lever
schedules and shocks) and returns annual indicator arrays of shape ``(years, members)``;
:func:`build_inputs` turns lever settings into those inputs; :func:`record_at` turns a run's
state in a year into a start record (:mod:`hubinsim.model.record`) from which a later run
can restart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..catalog import LEVERS, POOL_CATEGORIES
from . import core, ops
from .calibrate import calibrate
from .engine import METHODS, integrate
from .inputs import (
    BASE_YEAR,
    PLAN_YEARS,
    LeftLimits,
    ScaledSeries,
    Schedule,
    TimeGrid,
    calendar_year_index,
    carry_over_years_at_pace,
    carry_year_amounts,
    first_value,
    input_rows,
    left_limits,
    pool_timings,
    same_inputs,
    window,
    year_weights_series,
)
from .record import FIGURES, OPTIONAL_FIGURES, REFERENCES, STOCKS, record_from_state

__all__ = [
    "run",
    "build_inputs",
    "left_limits",
    "record_at",
    "Schedule",
    "TimeGrid",
    "METHODS",
    "BASE_YEAR",
    "PLAN_YEARS",
    "FIGURES",
    "OPTIONAL_FIGURES",
    "STOCKS",
    "REFERENCES",
]

SCHEDULE_LEVERS = tuple(lv for lv in LEVERS if lv.schedule)


def _series(value, year: np.ndarray, scale: float) -> np.ndarray:
    """The lever's values at points of the half grid, given the calendar year of each
    (:func:`calendar_year_index`)."""
    if isinstance(value, Schedule):
        return value.annual(year)[:, None] * scale
    if value.__class__ is float:
        return np.full((len(year), 1), value * scale)
    arr = np.asarray(value, dtype=float) * scale
    if arr.ndim == 0:
        return np.full((len(year), 1), float(arr))
    return np.broadcast_to(arr[None, :], (len(year), arr.shape[0]))


def _same_number(a, b) -> bool:
    if a.__class__ is float and b.__class__ is float:
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    if isinstance(a, Schedule) or isinstance(b, Schedule) or np.ndim(a) or np.ndim(b):
        return False
    a, b = float(a), float(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def last_history_year(start: int) -> int:
    """The last calendar year whose inputs are business as usual: the base year 2020 (the
    data, before the plan); for a later start year the year before it: the start year is a
    year of the scenario, whose policies are in its figures (the calibration takes them out,
    :func:`hubinsim.model.calibrate.start_policies`) and act from the start point."""
    return start - 1 if start > BASE_YEAR else start


def _lever_series(value, default, year, scale, start) -> np.ndarray:
    """The lever over time, given the calendar year of each point
    (:func:`calendar_year_index`); years up to ``start`` (history) keep the default, and so
    do the years before the first point of a step table (``{step = {2023 = 2, 2024 = 0}}``
    is a one-year programme in 2023; a linear table is flat before its first point)."""
    series = _series(value, year, scale)
    if _same_number(value, default):  # the lever is left at its default
        return series
    before = _series(default, year, scale)
    first = value.points[0][0] if isinstance(value, Schedule) and value.step else start + 1
    history = (year < max(first, start + 1))[:, None]
    if series.shape[1] != before.shape[1]:
        series, before = np.broadcast_arrays(series, before)
    return np.where(history, before, series)


def _scalar(value, name: str) -> float:
    if value.__class__ is float:
        return value
    arr = np.unique(np.asarray(value, dtype=float))
    if arr.size != 1:
        raise ValueError(f"{name} must be the same for every member (it sets the pool's timing)")
    return float(arr[0])


def _realised(realisation, cat) -> np.ndarray:
    return np.atleast_1d(np.asarray(realisation[cat], dtype=float))


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
    ret_shift: float = 0.0,
) -> dict[str, np.ndarray]:
    """Every exogenous input on the half-step grid, shape (n_half, 1) or (n_half, members);
    the project pool's spending as :class:`ScaledSeries` (timings over the half grid times
    amounts per member).

    Parameters
    ----------
    levers : every lever by name, in the user's unit (constants, member arrays or
        :class:`Schedule`).
    defaults : business-as-usual value of each lever, used in the base year 2020 (the data;
        the plan's levers act from 2021). A later start year is a year of the scenario: its
        values act from the start point on, so that a run restarted from its own record
        continues the same path.
    realisation : share of each pool category spent in its five plan years.
    profile : weights of the plan years 2021-2025 (sum 1) for the spending itself.
    shocks : objects with ``target``, ``first``, ``last``, ``factor``; like the levers they act
        from 2021, or from the start point of a later start year.
    pool : total investment of each pool category [亿元].
    bau_realisation : business-as-usual realisation (parameter).
    left : take left limits at year boundaries (the value of the year that ends there), see
        :mod:`hubinsim.model.inputs`.
    ret_shift : a scenario's change of ``investment.return_decline`` [1/yr], acting from
        the first projection year like a lever: the start year is calibrated with the
        decline it would have without the scenario (the input ``ret_shift``, absent when 0).

    The pool's planned spending of category c in calendar year Y is
    ``Pool_c [r_c w_plan(Y) + sum_k a_ck 1(Y = 2026 + k)]`` (:func:`inputs.pool_timings`),
    the carry-over ``1 - r_c`` built at most a fifth of the pool a year
    (:func:`inputs.carry_year_amounts`);
    business-as-usual investment already holds the business-as-usual path (r_BAU, even, no
    delay), so the model adds ``dev_c``, the planned path less that one, and reports the
    whole planned path as ``pool_<c>``. Years before the start are history: no deviation.
    """
    t = grid.half_times
    history = last_history_year(grid.start)
    x: dict[str, np.ndarray] = {}
    year = calendar_year_index(t, left)
    for lv in SCHEDULE_LEVERS:
        x[lv.name] = _lever_series(levers[lv.name], defaults[lv.name], year, lv.scale, history)
    delay = _scalar(levers.get("pool_delay", 0.0), "pool_delay")
    carry = _scalar(levers.get("carry_over_years", 3.0), "carry_over_years")
    bau_carry = _scalar(defaults.get("carry_over_years", 3.0), "carry_over_years")
    realised = {cat: _realised(realisation, cat) for cat in POOL_CATEGORIES}
    # A carry-over built faster than CARRY_MAX_PACE of the pool a year takes longer: what it
    # spends in each year after the plan years less what the even pace over carry_over_years
    # would (exactly 0 where the pace is within the limit).
    # (the seven categories at once, as rows; a category's years beyond its own carry-over
    # add exactly 0.0)
    rest = 1.0 - np.array(np.broadcast_arrays(*realised.values()))
    at_pace = carry_year_amounts(rest, carry_over_years_at_pace(carry, rest))
    even = carry_year_amounts(rest, carry)
    even += [0.0 * rest] * (len(at_pace) - len(even))
    by_year = [a - e for a, e in zip(at_pace, even, strict=True)]
    slowed = {cat: [a[i, : r.size] for a in by_year] for i, (cat, r) in enumerate(realised.items())}
    n_slowed = len(by_year) if any(np.any(a != 0.0) for a in by_year) else 0
    tm = pool_timings(dict(profile), delay, carry, bau_carry, n_slowed)
    future = {k: {y: w for y, w in v.items() if y > history} for k, v in tm.items()}
    w = {k: year_weights_series(year, v) for k, v in future.items()}
    r_bau = np.atleast_1d(np.asarray(bau_realisation, dtype=float))
    d_carry = w["carry"] - w["bau_carry"]
    d_plan = w["plan"] - w["carry"]
    d_bau = w["bau_plan"] - w["bau_carry"]
    if future == tm:  # nothing planned before the start
        all_years = w
    else:
        all_years = {k: year_weights_series(year, v) for k, v in tm.items()}
    slow_keys = [f"carry_{k}" for k in range(n_slowed)]
    # By category, and summed over the categories the model reads together: "fixedpub", the
    # wholly public ones (social, ecology, transport), and "total" (see core.rates).
    groups = {cat: (cat,) for cat in POOL_CATEGORIES}
    groups.update(fixedpub=core.FIXED_PUBLIC, total=POOL_CATEGORIES)
    timings = {
        "dev_": (d_carry, d_plan, d_bau, *(w[k] for k in slow_keys)),
        "pool_": (
            all_years["carry"],
            all_years["plan"] - all_years["carry"],
            *(all_years[k] for k in slow_keys),
        ),
    }
    sums: dict[str, tuple] = {}  # by category or group (the same for dev_ and pool_)
    for prefix, names in core.POOL_INPUTS.items():
        for name in names:
            if name not in sums:
                cats = groups[name]
                amount = sum(pool[cat] for cat in cats)  # planned, and realised (per member)
                done = sum(pool[cat] * realised[cat] for cat in cats)
                slow = []
                for k in range(n_slowed):
                    part = (pool[c] * slowed[c][k] for c in cats if k < len(slowed[c]))
                    slow.append(np.atleast_1d(sum(part, 0.0)))
                sums[name] = amount, done, tuple(slow)
            amount, done, slow = sums[name]
            amounts = (np.array([amount]), done)
            if prefix == "dev_":
                amounts += (-amount * r_bau,)
            x[prefix + name] = ScaledSeries(timings[prefix], amounts + slow)
    extra = [x["extra_" + cat] for cat in POOL_CATEGORIES]
    x["extra_total"] = sum(extra[1:], extra[0])
    fixed = [x["extra_" + cat] for cat in core.FIXED_PUBLIC]
    x["extra_fixedpub"] = sum(fixed[1:], fixed[0])
    if np.any(np.asarray(ret_shift) != 0.0):
        on = window(t, history + 1, grid.end, left)[:, None]
        x["ret_shift"] = on * np.atleast_1d(np.asarray(ret_shift, dtype=float))[None, :]
    for shock in shocks:
        key = "shock_" + shock.target
        on = window(t, max(shock.first, history + 1), shock.last, left)[:, None]
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
    arrays: bool = False,
) -> dict[str, np.ndarray]:
    """Integrate the model and return annual indicators, each of shape (years, members).

    ``base`` is the start record for ``grid.start`` (:mod:`hubinsim.model.record`; the
    default is data/base_2020.csv). ``keep`` names the indicators wanted (None: all); an
    ensemble then accumulates only the reported quantities they are formed from
    (:func:`core.quantities_for`).

    ``inputs_left`` are the inputs built with ``left=True`` (values of the year that ends at
    each year boundary); without them, inputs that jump at a boundary leak into the year
    before it.

    A single member is integrated with Python floats rather than one-element arrays (the
    same equations, several times faster, see :mod:`hubinsim.model.ops`), unless ``arrays``:
    an ensemble's chunk of one member keeps numpy's functions, so that a member's figures do
    not depend on the chunk it runs in (the C library's and numpy's differ in the last
    bits). Where Python raises on arithmetic that numpy turns into inf or NaN, the member
    runs again with arrays, so that the outcome (warnings, a
    :class:`~hubinsim.errors.SimulationError`) is numpy's.
    """
    out, _ = _run_once(params, base, pool, inputs, grid, method, inputs_left, keep, (), arrays)
    return out


def record_at(
    year: int,
    params: Mapping[str, np.ndarray],
    base: Mapping[str, float],
    pool: Mapping[str, float],
    inputs: Mapping[str, np.ndarray],
    grid: TimeGrid,
    method: str = "euler",
    inputs_left: Mapping[str, np.ndarray] | None = None,
) -> dict:
    """The start record for ``year`` made from a run: its state at mid-``year``, the point
    values of the figures then, and the run's references (:func:`record.record_from_state`).

    A run from that record (``TimeGrid(end, dt, start=year)``) with the same settings after
    ``year`` continues the run (business as usual exactly, to rounding).
    """
    if not grid.start <= year <= grid.end:
        raise ValueError(f"year {year} is outside the run {grid.start}..{grid.end}")
    _, records = _run_once(params, base, pool, inputs, grid, method, inputs_left, None, (year,))
    return records[year]


def _run_once(params, base, pool, inputs, grid, method, inputs_left, keep, capture, arrays=False):
    # (an array's own size: np.size costs about 0.5 µs a call, 50 µs for a run's parameters)
    members = max(
        (v.size if v.__class__ is np.ndarray else np.size(v) for v in params.values()), default=1
    )
    if members == 1 and not arrays:
        try:
            return _run(
                params, base, pool, inputs, grid, method, inputs_left, scalar=True, keep=keep,
                capture=capture,
            )  # fmt: skip
        except ops.FLOAT_ERRORS:  # x / 0.0 raises on floats; numpy gives inf or NaN
            pass
    return _run(
        params, base, pool, inputs, grid, method, inputs_left, scalar=False, keep=keep,
        capture=capture,
    )  # fmt: skip


def _floats(v):
    if v.__class__ is float:
        return v
    if isinstance(v, tuple):
        return tuple(_floats(x) for x in v)
    if isinstance(v, dict):
        return {k: _floats(x) for k, x in v.items()}
    return float(v) if isinstance(v, float | np.floating | int) and not isinstance(v, bool) else v


def _run(params, base, pool, inputs, grid, method, inputs_left, *, scalar, keep, capture):
    if scalar:
        p = {k: first_value(v) for k, v in params.items()}
        base = {k: float(v) for k, v in base.items()}
        pool = {k: float(v) for k, v in pool.items()}
    else:
        p = dict(params)
    # Inputs are looked up at the points the integrator evaluates: the grid points (and the
    # mid-points for RK4); left limits at the year ends (and at every step end for RK4).
    n_half = 2 * grid.n_steps + 1
    ends = [2 * n for n in grid.year_ends()]
    rk4 = method == "rk4"
    mids = {2 * n: y for n, y in grid.mid_years().items() if y in capture}
    wanted = set(range(0, n_half, 1 if rk4 else 2)) | set(mids)
    left_points = range(0, n_half, 2) if rk4 else ends
    # Left limits made from the inputs by left_limits are their values at the point before
    # (at the first point, the value there): a single member takes those rows as they are.
    before = scalar and isinstance(inputs_left, LeftLimits) and inputs_left.source is inputs
    if before:
        wanted |= {max(k - 1, 0) for k in left_points}
    rows = input_rows(inputs, sorted(wanted), scalar)
    if inputs_left is None:
        rows_left = rows
    elif before:
        rows_left = {k: rows[max(k - 1, 0)] for k in left_points}
    else:
        rows_left = input_rows(inputs_left, left_points, scalar)
    # Euler steps some stocks exactly (calibrate, ``step``); RK4 takes the rates themselves
    step = grid.dt if method == "euler" else 0.0
    c, state = calibrate(dict(base), dict(pool), p, rows[0], grid.start, step=step)
    if scalar:  # Python floats throughout (numpy scalars would take the array paths)
        state = {k: float(v) for k, v in state.items()}
        c = {k: _floats(v) for k, v in c.items()}
    c["fns"] = ops.FLOAT_FNS if scalar else ops.ARRAY_FNS
    c["_rates"] = tuple(c[k] for k in core.CONSTANTS_RATES)
    # Year ends where some input jumps need their own evaluation with the left limits (the
    # values of the year that ends there); elsewhere the two coincide.
    jumps = {k // 2 for k in ends if not same_inputs(rows[k], rows_left[k])}

    if scalar:  # what the rates form from the inputs alone, once per row of inputs
        for row in {id(r): r for r in (*rows.values(), *rows_left.values())}.values():
            row["_terms"] = core.input_terms(row, c)

    def rates(k, t, s, want_aux, left=False, want_rates=True):
        return core.rates(t, s, rows_left[k] if left else rows[k], c, p, want_aux, want_rates)

    nonneg = tuple(name for name, must in core.STOCKS.items() if must)
    c["_want"] = None  # every reported quantity
    record_only, all_names = None, ()
    if keep is not None:
        # Only the quantities the kept indicators are formed from are formed and summed.
        _, aux0 = core.rates(float(grid.start), state, rows[0], c, p, True, False)
        all_names = tuple(aux0)
        want = core.quantities_for(tuple(sorted(set(keep))), all_names)
        c["_want"] = want

        def record_only(names):
            return want

    annual, _, states = integrate(
        rates,
        state,
        grid,
        method,
        nonneg,
        jumps=jumps,
        scalar=scalar,
        record_only=record_only,
        capture={k // 2 for k in mids},
    )
    if keep is not None:
        nan = np.broadcast_to(np.nan, (len(grid.years), 1))  # those not formed
        annual = {k: annual.get(k, nan) for k in all_names}
    c["_want"] = core.RECORD_WANT
    records = {}
    for n, s in states.items():
        t = float(grid.times[n])
        _, aux = core.rates(t, s, rows[2 * n], c, p, True, False)
        records[int(round(t))] = record_from_state(s, c, aux, t)
    c["_want"] = None
    out = core.annual_indicators(annual, c, p)
    if capture:
        # each record carries the gap between the debt the run reports for its year and its
        # mid-year debt, and the balance then (calibrate)
        years = list(grid.years)
        for year, rec in records.items():
            debt = out["government_debt"][years.index(year)]
            rec["ref_debt_gap"] = (float(debt[0]) if scalar else debt) - rec["government_debt"]
            rec["ref_run_balance"] = rec["fiscal_balance"]
        return None, records
    return (out if keep is None else {k: out[k] for k in keep}), records
