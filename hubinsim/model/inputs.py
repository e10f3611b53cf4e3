"""Time grid and exogenous inputs (lever schedules, project-pool spending, shocks).

Time convention: model time ``t = Y`` is the middle of calendar year ``Y``; calendar year Y is
the interval ``[Y - 1/2, Y + 1/2)``. Schedule points given for year Y hold at ``t = Y`` and are
interpolated linearly between points (flat outside them); a step schedule takes its value
from the start of the calendar year (``t = Y - 1/2``). Shocks and project-pool spending apply
over whole calendar years.

Every input is evaluated once, before integration, on the half-step grid ``t0 + k dt/2``
(RK4 needs the mid-points), as an array of shape ``(n_half, members)`` or ``(n_half, 1)``.

Steps, shocks and pool spending jump at year boundaries ``t = Y + 1/2``, which are grid
points. There the inputs take the value of the year that starts; the value of the year that
ends (the left limit, ``left=True``) is used for that year's annual mean and for the last RK4
stage of a step ending at the boundary, so that nothing leaks into the neighbouring year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

BASE_YEAR = 2020


@dataclass(frozen=True)
class Schedule:
    """A lever value that changes over time.

    Parameters
    ----------
    points : tuple of (year, value)
        Years in increasing order; values in the lever's unit.
    step : bool
        False: linear between points, flat outside. True: each value holds from the start
        of its calendar year until the next point.
    """

    points: tuple[tuple[int, float], ...]
    step: bool = False

    def evaluate(self, t: np.ndarray, left: bool = False) -> np.ndarray:
        """Values at times ``t``; ``left`` takes left limits at year boundaries (steps)."""
        years = np.array([p[0] for p in self.points], dtype=float)
        values = np.array([p[1] for p in self.points], dtype=float)
        if self.step:
            idx = np.searchsorted(years, calendar_year_index(t, left), side="right") - 1
            return np.where(idx < 0, values[0], values[np.clip(idx, 0, None)])
        return np.interp(t, years, values)

    def scaled(self, factor: float) -> Schedule:
        return Schedule(tuple((y, v * factor) for y, v in self.points), self.step)

    def as_toml(self):
        table = {str(y): v for y, v in self.points}
        return {"step": table} if self.step else table


@dataclass(frozen=True)
class TimeGrid:
    """The integration grid from the 2020 base to the middle of the year after ``end``-1/2.

    The run goes to ``end + 1/2`` so that the last calendar year is complete.
    """

    end: int
    dt: float

    @property
    def n_steps(self) -> int:
        return int(round((self.end + 0.5 - BASE_YEAR) / self.dt))

    @property
    def times(self) -> np.ndarray:
        """Grid points ``t_n`` (n = 0..n_steps)."""
        return BASE_YEAR + self.dt * np.arange(self.n_steps + 1)

    @property
    def half_times(self) -> np.ndarray:
        """Half-step points ``t0 + k dt/2`` (k = 0..2 n_steps)."""
        return BASE_YEAR + 0.5 * self.dt * np.arange(2 * self.n_steps + 1)

    @property
    def years(self) -> np.ndarray:
        return np.arange(BASE_YEAR, self.end + 1)

    def year_weights(self) -> list[list[tuple[int, float]]]:
        """For each grid point, the (year index, weight) pairs of the annual means.

        Year 2020 is the base point itself; later years are trapezoidal means of the rate over
        the calendar year, so flows are mean annual rates and levels annual averages.
        """
        per_step = int(round(1.0 / self.dt))
        half = per_step // 2
        out: list[list[tuple[int, float]]] = [[] for _ in range(self.n_steps + 1)]
        out[0].append((0, 1.0))
        for yi, year in enumerate(self.years[1:], start=1):
            centre = (year - BASE_YEAR) * per_step
            for n in range(centre - half, centre + half + 1):
                w = self.dt * (0.5 if n in (centre - half, centre + half) else 1.0)
                out[n].append((yi, w))
        return out

    def year_ends(self) -> dict[int, int]:
        """Grid index ``n`` -> index of the year whose calendar year ends at ``t_n``."""
        per_step = int(round(1.0 / self.dt))
        return {yi * per_step + per_step // 2: yi for yi in range(1, len(self.years))}


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


def year_weights_series(t: np.ndarray, weights: dict[int, float], left: bool = False) -> np.ndarray:
    """A rate that equals ``weights[Y]`` during calendar year Y and 0 outside those years."""
    y = calendar_year_index(t, left)
    out = np.zeros_like(t, dtype=float)
    for year, w in weights.items():
        out[y == year] = w
    return out


@dataclass(frozen=True)
class ScaledSeries:
    """An input that is one time profile times an amount per member: row ``k`` is
    ``amount * timing[k]``.

    Project-pool spending above business as usual is such an input (the amount depends on
    each member's realisation, the timing on the scenario's profile); holding the two
    factors instead of their (n_half, members) product saves memory and time in large
    ensembles, and gives the same numbers.
    """

    timing: np.ndarray  # (n_half,)
    amount: np.ndarray  # (members,) or (1,)
    #: Rows made so far, by timing value: the timing takes a handful of values (zero outside
    #: the spending years), so a row is multiplied out once, not at every evaluation.
    _rows: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.timing)

    def __getitem__(self, k: int) -> np.ndarray:
        w = float(self.timing[k])
        key = (w, math.copysign(1.0, w))  # 0.0 and -0.0 give rows of different signs
        row = self._rows.get(key)
        if row is None:
            row = self.amount * self.timing[k]
            if w == w:  # NaN is never found again
                self._rows[key] = row
        return row

    def column(self) -> list[float]:
        """The values of a single member as Python floats."""
        amount = float(self.amount[0])
        return [amount * w for w in self.timing.tolist()]


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
        columns = [
            v.column() if isinstance(v, ScaledSeries) else np.asarray(v)[:, 0].tolist()
            for v in x.values()
        ]
        table = list(zip(*columns, strict=True))  # one tuple of values per point
        return {k: dict(zip(names, table[k], strict=True)) for k in points}
    return _ArrayRows(x)


class _ArrayRows:
    """``rows[k]``: the inputs at half-grid point ``k``: Python floats for the inputs that are
    the same for every member (so that the model can skip a zero or a factor of one, see
    :func:`hubinsim.model.ops.plus`), rows of the input arrays for the others."""

    def __init__(self, x: dict):
        self.x = x
        self.columns = {}
        for name, v in x.items():
            if isinstance(v, ScaledSeries):
                if np.size(v.amount) == 1:
                    self.columns[name] = v.column()
            elif np.shape(v)[1:] == (1,):
                self.columns[name] = np.asarray(v)[:, 0].tolist()

    def __getitem__(self, k: int) -> dict:
        columns = self.columns
        return {name: columns[name][k] if name in columns else v[k] for name, v in self.x.items()}


def same_inputs(a: dict, b: dict) -> bool:
    """Whether two rows of :func:`input_rows` hold the same values."""
    if all(v.__class__ is float for v in a.values()):
        return a == b
    return all(np.array_equal(a[name], b[name]) for name in a)
