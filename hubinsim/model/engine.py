"""The integrator: Euler (default) or classical Runge-Kutta 4 over an ensemble of members.

Every stock is an array of shape ``(members,)``; one call integrates all members at once.
Reported quantities are accumulated into annual means on the fly (trapezoidal weights, see
:meth:`hubinsim.model.inputs.TimeGrid.year_weights`), so memory does not grow with the number
of steps.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import lru_cache
from itertools import repeat
from operator import add as _add
from operator import mul as _mul

import numpy as np

from ..errors import Failure, SimulationError
from .inputs import TimeGrid

METHODS = ("euler", "rk4")

RatesFn = Callable[..., tuple[dict, dict | None]]


def integrate(
    rates: RatesFn,
    state: dict[str, np.ndarray],
    grid: TimeGrid,
    method: str = "euler",
    nonnegative: tuple[str, ...] = (),
    jumps: set[int] | None = None,
    scalar: bool = False,
    record_only: Callable[[tuple[str, ...]], Collection[str]] | None = None,
    capture: Collection[int] = (),
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[int, dict]]:
    """Integrate ``d state / dt = rates(...)`` over ``grid`` and return annual means.

    Parameters
    ----------
    rates : callable
        ``rates(k, t, state, want_aux, left=False, want_rates=True) -> (derivatives, aux)``
        where ``k`` indexes the half-step grid (``t = t0 + k dt/2``); ``left=True`` evaluates
        the inputs as left limits at a year boundary (the values of the year that ends
        there); ``want_rates=False`` asks for the reported quantities alone (derivatives
        None).
    state : dict of arrays (members,), or of Python floats with ``scalar``
        Initial stocks.
    grid : TimeGrid
    method : {"euler", "rk4"}
    nonnegative : names of stocks checked to stay >= 0.
    jumps : set of int, optional
        Grid indices of the year ends where an input jumps, so that the year ending there
        needs an evaluation with the left limits; at the other year ends the evaluation at
        ``t_n`` serves both years. None: every year end.
    scalar : bool
        The stocks are Python floats (a single member): annual means are accumulated in
        lists and returned as arrays of shape (years, 1).
    record_only : callable, optional
        Given the names of the reported quantities, those whose annual means are wanted
        (None: all). The others are not accumulated and come back as NaN: an ensemble that
        keeps a few indicators accumulates only the quantities they are formed from. Only
        the quantities accumulated are checked to be finite.
    capture : collection of int
        Grid indices at which a copy of the stocks is kept (to make a start record there).

    Returns
    -------
    annual : dict of arrays (years, members)
        Annual means of every reported quantity (NaN for those ``record_only`` leaves out).
    final : dict of arrays (members,)
        Stocks at the end of the run.
    states : dict
        Grid index -> the stocks there, for the indices in ``capture``.
    """
    if method not in METHODS:
        raise ValueError(f"unknown integration method {method!r}; use one of {METHODS}")
    dt = grid.dt
    times, factors, ends = _points(grid)
    jumps = set(ends) if jumps is None else jumps
    n_years = len(grid.years)
    annual: dict = {}
    # Ensembles: the sums of all quantities in one array (quantities, years, members).
    sums = []
    names: list[str] = []
    rows: list[tuple[str, np.ndarray]] = []  # each name with its row of the point's buffer
    year_rows: list[list[tuple[str, np.ndarray]]] = []  # by year: each name with its sums

    def record(n: int, t: float, y: dict, aux: dict) -> None:
        # A year that ends at t_n takes the left limit of the inputs (its own year's values).
        aux_left = rates(2 * n, t, y, True, left=True, want_rates=False)[1] if n in jumps else aux
        if scalar:
            # One list of sums a year, in the order of the reported quantities (the rate
            # function builds them in the same order at every point).
            if not annual:
                names.extend(aux)
                annual.update((yi, [0.0] * len(names)) for yi in range(n_years))
            for yi, f in factors[n]:
                src = aux_left if ends.get(n) == yi else aux
                if f == 1.0:
                    annual[yi] = list(map(_add, annual[yi], src.values()))
                else:  # s + f * v, each at C speed (a comprehension took 1.7 times as long)
                    half = map(_mul, repeat(f), src.values())
                    annual[yi] = list(map(_add, annual[yi], half))
            return
        if not sums:
            wanted = aux if record_only is None else record_only(tuple(aux))
            names.extend(k for k in aux if k in wanted)
            shape = np.shape(next(iter(aux.values())))
            sums.append(np.zeros((len(names), n_years) + shape))
            sums.append(np.empty((len(names),) + shape))  # a point's weighted quantities
            rows.extend(zip(names, sums[1], strict=True))
            annual.update(zip(names, sums[0], strict=True))
            # each year's sums, with the names of their quantities
            year_rows.extend(list(zip(names, sums[0][:, yi], strict=True)) for yi in range(n_years))
        total, point = sums
        for yi, f in factors[n]:
            src = aux_left if ends.get(n) == yi else aux
            if f == 1.0:  # each quantity straight into its sum
                for k, year in year_rows[yi]:
                    np.add(year, src[k], out=year)
                continue
            # Each quantity times its factor into its row of the point's buffer, then the
            # buffer into the sums in one operation.
            for k, row in rows:
                np.multiply(src[k], f, out=row)
            total[:, yi] += point

    check = _check_floats if scalar else _check
    # In an ensemble, a stock that starts as a Python float (the same for every member: the
    # prices, say) stays one as long as its rate is the same for every member, so that its
    # flow, its update and what the model forms from it alone cost no operation over the
    # members; it becomes an array when its rate does.
    y = dict(state) if scalar else {k: _stock(v) for k, v in state.items()}
    members = () if scalar else next((v.shape for v in y.values() if v.__class__ is not float), ())
    states: dict[int, dict] = {}
    for n in range(grid.n_steps):
        t = times[n]
        if n in capture:
            states[n] = y.copy() if scalar else _arrays(y, members)
        k1, aux = rates(2 * n, t, y, True)
        record(n, t, y, aux)
        if method == "euler":
            if scalar:  # (y is the engine's own dict, stepped in place: no new dict a step)
                for k in y:
                    y[k] += dt * k1[k]
            else:
                # y + dt k1 in place of k1: every rate is a new array of the rate function
                # (none is a stock, an input or another rate), so it can become the stock.
                # (On floats the same two operations, rounded alike.)
                for k in y:
                    step = k1[k]
                    if step.__class__ is float:
                        k1[k] = step * dt + y[k]
                        continue
                    step *= dt
                    step += y[k]
                y = {k: k1[k] for k in y}
        else:
            h = 0.5 * dt
            k2, _ = rates(2 * n + 1, t + h, {k: y[k] + h * k1[k] for k in y}, False)
            k3, _ = rates(2 * n + 1, t + h, {k: y[k] + h * k2[k] for k in y}, False)
            # The step lies in one calendar year: its last stage takes that year's inputs.
            k4, _ = rates(2 * n + 2, t + dt, {k: y[k] + dt * k3[k] for k in y}, False, left=True)
            y = {k: y[k] + dt / 6.0 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]) for k in y}
        check(y, nonnegative, times[n + 1])
    if grid.n_steps in capture:
        states[grid.n_steps] = dict(y) if scalar else _arrays(y, members)
    _, aux = rates(2 * grid.n_steps, times[-1], y, True, want_rates=False)
    record(grid.n_steps, times[-1], y, aux)
    if scalar:
        # (years, names): scaled and checked in one operation each, then one column a name
        table = np.array([annual[yi] for yi in range(n_years)], dtype=float)
        table[1:] *= dt  # the sums of the years after the base one, times the step
        finite = np.isfinite(table)
        if not finite.all():
            i = int(np.argmax(~finite.all(axis=0)))  # the first quantity not finite
            _not_finite(names[i], table[:, i : i + 1], grid.years)
        # (each name a row of one array, as the ensembles' sums are)
        annual = dict(zip(names, np.ascontiguousarray(table.T)[:, :, None], strict=True))
    else:
        for v in annual.values():
            v[1:] *= dt  # the sums of the years after the base one, times the step
        for name, v in annual.items():  # only those recorded
            if not np.all(np.isfinite(v)):
                _not_finite(name, v, grid.years)
    if names and len(names) < len(aux):
        nan = np.broadcast_to(np.nan, (n_years, 1))  # broadcasts over the members
        annual = {k: annual.get(k, nan) for k in aux}
    return annual, (y if scalar else _arrays(y, members)), states


@lru_cache(maxsize=16)
def _points(grid: TimeGrid) -> tuple[tuple[float, ...], tuple, dict[int, int]]:
    """The times of the grid's points, the factors of each point's values in the annual
    sums, and the year ends (:meth:`TimeGrid.year_ends`), found once per grid.

    The annual means are sums of weight x value over a year's points. Every weight of a
    year after the base one is the step dt times 1 (inside the year) or 1/2 (at its two
    ends): the points add their values times that factor, and each sum is multiplied by
    dt once at the end, so a point inside a year adds its values without a product.
    (With a step that is a power of two, as the default 0.25, the numbers are the same
    bit for bit as with the weights themselves.) The base year is the base point alone.
    """
    dt = grid.dt
    factors = tuple(
        tuple((yi, w if yi == 0 else w / dt) for yi, w in point) for point in grid.year_weights()
    )
    return tuple(grid.times.tolist()), factors, grid.year_ends()


def _not_finite(name: str, v: np.ndarray, years) -> None:
    bad = np.argwhere(~np.isfinite(v))[0]
    member = int(bad[1]) if v.ndim > 1 else None
    raise SimulationError(
        failure=Failure(name, "not_finite", year=int(years[bad[0]]), member=member)
    )


def _stock(v):
    """A stock of an ensemble: a Python float if it is one, else a new array of floats."""
    if v.__class__ is float:
        return v
    return np.array(v, dtype=float)


def _arrays(y: dict, members: tuple) -> dict:
    """Copies of the stocks of an ensemble as arrays over the members."""
    return {k: (np.full(members, v) if v.__class__ is float else v.copy()) for k, v in y.items()}


def _check(y: dict, nonnegative: tuple[str, ...], t: float) -> None:
    for name in nonnegative:
        v = y[name]
        if v.__class__ is float:
            if not v >= 0.0:
                _negative(name, v, t, 0)
        elif not v.min() >= 0.0:  # also true when v holds a NaN
            idx = int(np.argmax(~(v >= 0.0)))
            _negative(name, float(v[idx]), t, idx)


def _check_floats(y: dict, nonnegative: tuple[str, ...], t: float) -> None:
    for name in nonnegative:
        if not y[name] >= 0.0:
            _negative(name, y[name], t, None)  # (a single member: no member to name)


def _negative(name: str, value: float, t: float, member: int | None):
    member = None if member is None else int(member)
    raise SimulationError(
        failure=Failure(name, "negative", time=float(t), member=member, value=value)
    )
