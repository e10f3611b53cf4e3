"""Time grid and exogenous inputs (lever schedules, project-pool spending, shocks).

Time convention: model time ``t = Y`` is the middle of calendar year ``Y``; calendar year Y is
the interval ``[Y - 1/2, Y + 1/2)``. A run starts at ``t = start`` (the year of its start
record, 2020 by default) and ends at ``end + 1/2``, so that the last calendar year is
complete.

**Schedules mean what they say.** Every exogenous input holds one value through each calendar
year, so the value a schedule gives for year Y is the annual figure of year Y. A schedule
``{2021 = 1.4, 2025 = 2.5}`` is 1.4 in 2021, 1.675 in 2022, 1.95 in 2023, 2.225 in 2024 and
2.5 in 2025 and after (linear between the years given, flat outside them); ``{step = {...}}``
holds each value until the next year given, and before its first year the lever keeps its
business-as-usual value (``{step = {2023 = 2, 2024 = 0}}`` is a programme of 2023 alone).
Shocks and project-pool spending also apply over whole calendar years. A lever that is
reported as it is (R&D intensity) therefore reports exactly the value written for each
year.

Every input is evaluated once, before integration, on the half-step grid ``t0 + k dt/2``
(RK4 needs the mid-points), as an array of shape ``(n_half, members)`` or ``(n_half, 1)``.
Inputs change only at year boundaries ``t = Y + 1/2``, which are grid points. There they take
the value of the year that starts; the value of the year that ends (the left limit,
``left=True``) is used for that year's annual mean and for the last RK4 stage of a step
ending at the boundary, so that nothing leaks into the neighbouring year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress

import numpy as np

#: The default start year: the 2020 base record (data/base_2020.csv).
BASE_YEAR = 2020

#: The calendar years of the 14th Five-Year Plan, over which a pool's realisation is counted.
PLAN_YEARS: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025)


@dataclass(frozen=True)
class Schedule:
    """A lever value that changes over time, one value a calendar year.

    Parameters
    ----------
    points : tuple of (year, value)
        Years in increasing order; values in the lever's unit.
    step : bool
        False: the value of a year between two points is interpolated linearly between them
        (flat outside the points). True: each value holds from its year until the next point.
    """

    points: tuple[tuple[int, float], ...]
    step: bool = False

    def annual(self, years: np.ndarray) -> np.ndarray:
        """The value of each calendar year in ``years``."""
        ys = np.array([p[0] for p in self.points], dtype=float)
        values = np.array([p[1] for p in self.points], dtype=float)
        years = np.asarray(years, dtype=float)
        if self.step:
            idx = np.searchsorted(ys, years, side="right") - 1
            return np.where(idx < 0, values[0], values[np.maximum(idx, 0)])
        return np.interp(years, ys, values)

    def evaluate(self, t: np.ndarray, left: bool = False) -> np.ndarray:
        """Values at times ``t`` (constant through each calendar year); ``left`` takes the
        value of the year that ends at a year boundary."""
        return self.annual(calendar_year_index(t, left))

    def scaled(self, factor: float) -> Schedule:
        return Schedule(tuple((y, v * factor) for y, v in self.points), self.step)

    def as_toml(self):
        table = {str(y): v for y, v in self.points}
        return {"step": table} if self.step else table


@dataclass(frozen=True)
class TimeGrid:
    """The integration grid from the start year (mid-year) to ``end + 1/2``."""

    end: int
    dt: float
    start: int = BASE_YEAR

    @property
    def n_steps(self) -> int:
        return int(round((self.end + 0.5 - self.start) / self.dt))

    @property
    def times(self) -> np.ndarray:
        """Grid points ``t_n`` (n = 0..n_steps)."""
        return self.start + self.dt * np.arange(self.n_steps + 1)

    @property
    def half_times(self) -> np.ndarray:
        """Half-step points ``t0 + k dt/2`` (k = 0..2 n_steps)."""
        return self.start + 0.5 * self.dt * np.arange(2 * self.n_steps + 1)

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start, self.end + 1)

    def year_weights(self) -> list[list[tuple[int, float]]]:
        """For each grid point, the (year index, weight) pairs of the annual means.

        The start year is the start point itself (the record); later years are trapezoidal
        means over the calendar year, so flows are mean annual rates and levels annual
        averages.
        """
        per_step = int(round(1.0 / self.dt))
        half = per_step // 2
        out: list[list[tuple[int, float]]] = [[] for _ in range(self.n_steps + 1)]
        out[0].append((0, 1.0))
        for yi, year in enumerate(self.years[1:], start=1):
            centre = (year - self.start) * per_step
            for n in range(centre - half, centre + half + 1):
                w = self.dt * (0.5 if n in (centre - half, centre + half) else 1.0)
                out[n].append((yi, w))
        return out

    def year_ends(self) -> dict[int, int]:
        """Grid index ``n`` -> index of the year whose calendar year ends at ``t_n``."""
        per_step = int(round(1.0 / self.dt))
        return {yi * per_step + per_step // 2: yi for yi in range(1, len(self.years))}

    def mid_years(self) -> dict[int, int]:
        """Grid index ``n`` -> the calendar year whose middle is ``t_n``."""
        per_step = int(round(1.0 / self.dt))
        return {yi * per_step: int(y) for yi, y in enumerate(self.years)}


def calendar_year_index(t: np.ndarray, left: bool = False) -> np.ndarray:
    """The calendar year each time point belongs to (``t = Y`` is mid-year).

    With ``left``, a year boundary ``t = Y + 1/2`` belongs to the year that ends there.
    """
    if left:
        return np.ceil(t + 0.5 - 1e-9).astype(int) - 1
    return np.floor(t + 0.5 + 1e-9).astype(int)


def window(t: np.ndarray, first: int, last: int, left: bool = False) -> np.ndarray:
    """1.0 where ``t`` lies in calendar years ``first..last``, else 0.0."""
    y = calendar_year_index(t, left)
    return ((y >= first) & (y <= last)).astype(float)


def year_weights_series(y: np.ndarray, weights: dict[int, float]) -> np.ndarray:
    """A rate that equals ``weights[Y]`` during calendar year Y and 0 outside those years, at
    points whose calendar years are ``y`` (:func:`calendar_year_index`)."""
    first = int(y.min())
    table = np.zeros(int(y.max()) - first + 1)  # by calendar year over the grid
    for year, w in weights.items():
        if 0 <= year - first < len(table):
            table[year - first] = w
    return table[y - first]


def shifted(weights: dict[int, float], delay: float) -> dict[int, float]:
    """Year weights moved ``delay`` years later (a fraction splits a year's weight between
    two years), so that their sum is kept: what is delayed is spent later, not lost."""
    whole = math.floor(delay)
    frac = delay - whole
    out: dict[int, float] = {}
    for year, w in weights.items():
        out[year + whole] = out.get(year + whole, 0.0) + w * (1.0 - frac)
        if frac > 0.0:
            out[year + whole + 1] = out.get(year + whole + 1, 0.0) + w * frac
    return out


def carry_over_weights(years: float, first: int = PLAN_YEARS[-1] + 1) -> dict[int, float]:
    """The carry-over's spending over ``years`` years from the start of calendar ``first``,
    at an even pace: the projects still open when the plan ends are built on at the pace of
    the years before (in business as usual, 0.45 of the pool over three years is 155 亿元 a
    year against 114 in 2021-2025, within normal investment). Weights of the calendar
    years, summing to 1 (a fraction of a year takes its part)."""
    n = float(years)
    out: dict[int, float] = {}
    a, y = 0.0, first
    while a < n - 1e-12:
        b = min(a + 1.0, n)
        out[y] = (b - a) / n
        a, y = b, y + 1
    return out


#: The carry-over is built no faster than the whole pool at its even pace in the plan years
#: (a fifth of it a year, 207 亿元): the district's builders, land and finance do not
#: build more of the pool in a year than the plan itself foresaw. A carry-over larger than
#: ``carry_over_years`` allows at that pace takes longer (docs/model.md §3).
CARRY_MAX_PACE = 1.0 / len(PLAN_YEARS)


def carry_over_years_at_pace(years: float, unrealised) -> np.ndarray:
    """The years over which a carry-over of the share ``unrealised`` (1 - r) of the pool is
    built: ``years``, or longer where that would build it faster than
    :data:`CARRY_MAX_PACE` a year (per member)."""
    return np.maximum(float(years), np.asarray(unrealised, dtype=float) / CARRY_MAX_PACE)


def carry_year_amounts(share, years) -> list[np.ndarray]:
    """What a carry-over of ``share`` (per member) spends in each of its calendar years, as
    shares of the pool: ``share / years`` a year over ``years`` years (per member; a
    fraction of a year takes its part), so at most :data:`CARRY_MAX_PACE` a year when
    ``years`` comes from :func:`carry_over_years_at_pace`."""
    n = np.asarray(years, dtype=float)
    share = np.asarray(share, dtype=float)
    last = math.ceil(float(np.max(n)) - 1e-12)
    return [share * np.clip(n - k, 0.0, 1.0) / n for k in range(last)]


def pool_timings(
    profile: dict[int, float],
    delay: float,
    carry_years: float,
    bau_carry_years: float,
    slowed_years: int = 0,
) -> dict[str, dict[int, float]]:
    """The year weights of the project pool's spending, as used by :func:`pool_series`.

    The pool's planned spending of a category c in year Y is
    ``Pool_c [r_c w_plan(Y) + (1 - r_c) w_carry(Y)]``: the share r_c realised in the plan
    years 2021-2025 with the profile's weights, the rest carried over to the following years
    (evenly over ``carry_years``); the whole programme is moved ``delay`` years later. Business
    as usual is the same with the business-as-usual realisation, the even profile, no delay.
    Over all years each path spends the whole pool. A carry-over that would be built faster
    than :data:`CARRY_MAX_PACE` is spread over more years by amounts per calendar year after
    the plan years: ``carry_k`` is the k-th of them (k below ``slowed_years``), moved by the
    delay too.
    """
    even = {y: 1.0 / len(PLAN_YEARS) for y in PLAN_YEARS}
    out = {
        "plan": shifted(profile, delay),
        "carry": shifted(carry_over_weights(carry_years), delay),
        "bau_plan": even,
        "bau_carry": carry_over_weights(bau_carry_years),
    }
    for k in range(slowed_years):
        out[f"carry_{k}"] = shifted({PLAN_YEARS[-1] + 1 + k: 1.0}, delay)
    return out


@dataclass(frozen=True)
class ScaledSeries:
    """An input that is a sum of time profiles times amounts per member: row ``k`` is
    ``sum_j amounts[j] * timings[j][k]``.

    Project-pool spending is such an input (the amounts depend on each member's realisation,
    the timings on the scenario's profile and delay); holding the factors instead of their
    (n_half, members) product saves memory and time in large ensembles, and gives the same
    numbers.
    """

    timings: tuple[np.ndarray, ...]  # each (n_half,)
    amounts: tuple[np.ndarray, ...]  # each (members,) or (1,)
    #: Rows made so far, by the timings' values at a point: the timings take a handful of
    #: values (zero outside the spending years), so a row is multiplied out once.
    _rows: dict = field(default_factory=dict, compare=False, repr=False)
    #: The timings' values by point, as tuples of Python floats (see :meth:`_weights`).
    _by_point: list = field(default_factory=list, compare=False, repr=False)
    #: Whether a row is zero for every member, by the timings' values (see :meth:`is_zero_at`).
    _zero: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.timings[0])

    def __getitem__(self, k: int) -> np.ndarray:
        ws = self._weights()[k]
        row = self._rows.get(ws)
        if row is None:
            row = self.amounts[0] * ws[0]
            for a, w in zip(self.amounts[1:], ws[1:], strict=True):
                row = row + a * w
            if all(w == w for w in ws):  # NaN is never found again
                self._rows[ws] = row
        return row

    def is_zero_at(self, k: int) -> bool:
        """Whether the row at point ``k`` is zero for every member (found once a row)."""
        ws = self._weights()[k]
        zero = self._zero.get(ws)
        if zero is None:
            zero = not self[k].any()
            if all(w == w for w in ws):  # (as the rows: NaN is never found again)
                self._zero[ws] = zero
        return zero

    def _weights(self) -> list[tuple[float, ...]]:
        """The timings' values at each point, as Python floats (made once)."""
        if not self._by_point:
            columns = (np.asarray(tm, dtype=float).tolist() for tm in self.timings)
            self._by_point.extend(zip(*columns, strict=True))
        return self._by_point

    @property
    def members(self) -> int:
        return max(np.size(a) for a in self.amounts)

    def column(self, points=None) -> list[float]:
        """The values of a single member as Python floats (at ``points``: all if None)."""
        out = 0.0
        for a, tm in zip(self.amounts, self.timings, strict=True):
            out = out + first_value(a) * (tm if points is None else tm[points])
        if np.ndim(out) == 0:
            out = np.zeros(len(self) if points is None else len(points))
        return out.tolist()


def first_value(v) -> float:
    """The first value of an array over the members (or of a number) as a float: a single
    member's value."""
    if v.__class__ is np.ndarray and v.size:
        return float(v.item(0))
    return float(np.asarray(v).reshape(-1)[0])


def left_limits(x: dict) -> LeftLimits:
    """The inputs ``x`` (of :func:`hubinsim.model.build_inputs`) as left limits at every point
    of the half grid: the values :func:`~hubinsim.model.build_inputs` gives with
    ``left=True``, bit for bit, without evaluating the levers, the pool and the shocks again.

    Every input holds one value through each calendar year and changes only at year
    boundaries, which are points of the grid, so its left limit at a point is its value at
    the point before; at the first point (mid-year) it is its value there. The values are
    made when first read: a single run takes its rows at year ends from the rows of the
    inputs (:func:`hubinsim.model.run`) and reads them only if it runs again on arrays.
    """
    return LeftLimits(x)


def _shifted_inputs(x: dict) -> dict:
    """The inputs ``x`` at the point before each point of the half grid (see left_limits)."""
    shifted: dict[int, np.ndarray] = {}  # by the id of an array (timings are shared)

    def shift(a):
        a = np.asarray(a)
        if len(a) < 2 or a.strides[0] == 0:  # (the same at every point)
            return a
        out = shifted.get(id(a))
        if out is None:
            out = shifted[id(a)] = np.concatenate((a[:1], a[:-1]))
        return out

    return {
        name: ScaledSeries(tuple(map(shift, v.timings)), v.amounts)
        if isinstance(v, ScaledSeries)
        else shift(v)
        for name, v in x.items()
    }


class LeftLimits(Mapping):
    """Inputs as left limits, made by :func:`left_limits` from the inputs ``source`` when
    first read (a single run takes its rows at a year end from the source's rows at the
    point before instead, :func:`hubinsim.model.run`)."""

    def __init__(self, source: dict):
        self.source = source
        self._made: dict | None = None

    def _limits(self) -> dict:
        if self._made is None:
            self._made = _shifted_inputs(self.source)
        return self._made

    def __getitem__(self, name: str):
        return self._limits()[name]

    def __iter__(self):
        return iter(self.source)

    def __len__(self) -> int:
        return len(self.source)


def input_rows(x: dict, points, scalar: bool = False):
    """The inputs at some points of the half grid: ``rows[k][name]`` is input ``name`` at
    ``t0 + k dt/2``.

    ``points`` are the indices ``k`` wanted. With ``scalar`` (a single member), the values
    are Python floats (see :mod:`hubinsim.model.ops`), all converted at once. Else they are
    rows of the arrays (shape (members,) or (1,)), made when looked up: made in advance,
    the pool inputs' rows would fill (points x members) memory.
    """
    points = list(points)
    names = list(x)
    if scalar:
        idx = np.array(points, dtype=int)
        scaled = _scaled_columns(x, idx)
        values = np.empty((len(names), len(points)))  # (inputs, points)
        plain = []  # the inputs given over the half grid
        for i, n in enumerate(names):
            if n in scaled:
                values[i] = scaled[n]
            else:
                plain.append(i)
        if plain:  # the other inputs' first columns side by side, taken at idx at once
            over_grid = np.concatenate([np.asarray(x[names[i]])[:, :1] for i in plain], axis=1)
            values[plain] = over_grid[idx].T
        # Points in a row with the same inputs bit for bit (the points of a calendar year)
        # share one row (the model only reads it): the rows are made, and their flags found
        # (they follow from the values), only where the inputs change.
        bits = np.ascontiguousarray(values.T).view(np.int64)  # (points, inputs)
        new = np.ones(len(points), dtype=bool)
        new[1:] = (bits[1:] != bits[:-1]).any(axis=1)
        changes = values[:, new]  # (inputs, points where they change)
        columns = changes.tolist()
        flags = _Flags(dict(zip(names, columns, strict=True)), names, changes)
        keys = names + list(_Flags.NAMES)
        # the flags' values after the inputs'
        made = [
            dict(zip(keys, (*vals, *fl), strict=True))
            for vals, fl in zip(zip(*columns, strict=True), flags.values, strict=True)
        ]
        return dict(zip(points, map(made.__getitem__, (np.cumsum(new) - 1).tolist()), strict=True))
    return _ArrayRows(x)


def _scaled_columns(x: dict, idx: np.ndarray) -> dict[str, np.ndarray]:
    """The values at ``idx`` of the :class:`ScaledSeries` in ``x`` (of a single member), as
    :meth:`ScaledSeries.column` gives them (the same sums in the same order), found together
    for the series that share their timings."""
    groups: dict[tuple, list[str]] = {}
    for name, v in x.items():
        if isinstance(v, ScaledSeries):
            groups.setdefault(tuple(map(id, v.timings)), []).append(name)
    out = {}
    for names in groups.values():
        amounts = np.array([[first_value(a) for a in x[n].amounts] for n in names])
        total = 0.0
        for j, tm in enumerate(x[names[0]].timings):
            total = total + amounts[:, j : j + 1] * tm[idx]
        out.update(zip(names, np.broadcast_to(total, (len(names), len(idx))), strict=True))
    return out


class _Flags:
    """What the model checks at every evaluation, found once per point: ``_z``, the names
    of the inputs that are exactly 0.0 there (levers left at zero); whether any pool
    deviation (``_dev``), extra project (``_extra``) or planned pool spending (``_pool``) is
    not zero; whether a shock is set (``_shock``).

    ``columns`` maps the names of the inputs that are the same for every member to their
    values by point (Python floats); the other inputs are never zero and always count.
    """

    def __init__(self, columns: dict, names: list, values: np.ndarray | None = None):
        cols = list(columns)
        shock, groups = _flag_groups(tuple(names), tuple(cols))
        if cols:
            if values is None:  # (names, points)
                values = np.array([columns[n] for n in cols], dtype=float)
            table = values == 0.0
        else:
            table = np.zeros((0, 0), dtype=bool)
        n_points = table.shape[1] if cols else 0
        group_flags = {}
        for g, rows in groups.items():
            if rows is None:  # an input of the group differs between members
                group_flags[g] = [True] * n_points
            elif rows:
                group_flags[g] = (~table[list(rows)].all(axis=0)).tolist()
            else:
                group_flags[g] = [False] * n_points
        zero_sets, known = [], {}
        by_point = np.ascontiguousarray(table.T)  # (points, names)
        for row in by_point:
            key = row.tobytes()
            z = known.get(key)
            if z is None:
                is0 = row.tolist()
                z = known[key] = frozenset(compress(cols, is0))
            zero_sets.append(z)
        #: The flags' values (in the order of NAMES) by point.
        self.values = list(zip(zero_sets, [shock] * n_points, *group_flags.values(), strict=True))
        self.members_only = {"_z": frozenset(), "_shock": shock, "_dev": True, "_extra": True,
                             "_pool": True, "_bau": True}  # fmt: skip

    #: The flags' names, in the order of their values.
    NAMES = ("_z", "_shock", "_dev", "_extra", "_pool", "_bau")

    def add(self, row: dict, k: int) -> dict:
        if self.values:
            row.update(zip(self.NAMES, self.values[k], strict=True))
        else:
            row.update(self.members_only)
        return row


@lru_cache(maxsize=64)
def _flag_groups(names: tuple, columns: tuple) -> tuple[bool, dict]:
    """What :class:`_Flags` finds from the names of the inputs alone: whether a shock is set,
    and for each group flag the rows of ``columns`` (the inputs the same for every member)
    that it looks at, None where an input of the group differs between members (arrays:
    never a float 0.0, so the flag is always set)."""
    members = [n for n in names if n not in columns]
    groups = {}
    for g, pre in {"_dev": "dev_", "_extra": "extra_", "_pool": "pool_", "_bau": "bau_"}.items():
        if any(n.startswith(pre) for n in members):
            groups[g] = None
        else:
            groups[g] = tuple(i for i, n in enumerate(columns) if n.startswith(pre))
    return any(n.startswith("shock_") for n in names), groups


class _ArrayRows:
    """``rows[k]``: the inputs at half-grid point ``k``: Python floats for the inputs that are
    the same for every member (so that the model can skip a zero or a factor of one, see
    :func:`hubinsim.model.ops.plus`), rows of the input arrays for the others.

    The pool's deviations from its usual path (``dev_*``) that differ between members (the
    usual realisation is drawn) are the float 0.0 at a point where they are zero for every
    member (before and after the pool's years, or where the plan keeps the usual pace), so
    that the model delivers nothing there without operations over the members.
    """

    def __init__(self, x: dict):
        self.x = x
        self.columns = {}
        for name, v in x.items():
            if isinstance(v, ScaledSeries):
                if v.members == 1:
                    self.columns[name] = v.column()
            elif np.shape(v)[1:] == (1,):
                self.columns[name] = np.asarray(v)[:, 0].tolist()
        self.flags = _Flags(self.columns, list(x))
        self.deviations = [
            n for n, v in x.items()
            if n.startswith("dev_") and n not in self.columns and isinstance(v, ScaledSeries)
        ]  # fmt: skip

    def __getitem__(self, k: int) -> dict:
        columns = self.columns
        row = {name: columns[name][k] if name in columns else v[k] for name, v in self.x.items()}
        for name in self.deviations:
            if self.x[name].is_zero_at(k):
                row[name] = 0.0
        return self.flags.add(row, k)


def same_inputs(a: dict, b: dict) -> bool:
    """Whether two rows of :func:`input_rows` hold the same values."""
    if a is b:  # (points with the same inputs share a row)
        return True
    for name, v in a.items():
        if name[0] == "_":  # the flags follow from the values
            continue
        w = b[name]
        if v.__class__ is float and w.__class__ is float:
            if not v == w:
                return False
        elif not np.array_equal(v, w):
            return False
    return True
