"""The values a run of a scenario uses: its parameters and every lever, defaults filled in.

Both the model run (:func:`hubinsim.run.single.run_scenario`) and the resolved scenario file
(:func:`hubinsim.scenario.resolved.resolved_toml`) take them from here, so the file records
exactly what the run used.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..catalog import LEVERS, lever_default
from ..data import load_base, load_parameters
from ..errors import ScenarioError
from .settings import Scenario, check_parameter

#: Parameters that some lever's business-as-usual default names.
_LEVER_PARAMETERS = {"investment.bau_realisation"} | {
    lv.default
    for lv in LEVERS
    if isinstance(lv.default, str)
    and not lv.default.startswith("base:")
    and lv.default != "investment.plan_realisation"
}


def _extremes(arr: np.ndarray):
    """The smallest and the largest value (NaN last, as np.unique sorts), without sorting."""
    if not arr.size:
        return ()
    if np.isnan(arr).any():
        return np.unique(np.atleast_1d(arr))[[0, -1]]
    return arr.min(), arr.max()


def resolve_parameters(scn: Scenario, overrides: Mapping | None, members: int, data_dir=None):
    """Parameter values used by a run: data defaults, then the scenario's overrides, then
    ``overrides`` (numbers or arrays of shape (members,)). Returns name -> array (members,)."""
    params = load_parameters(data_dir)
    # (the data's values as the rows of one array: each its own (members,) array)
    table = np.empty((len(params), members))
    table[:] = np.array([prm.value for prm in params.values()], dtype=float)[:, None]
    values = dict(zip(params, table, strict=True))
    for name, v in scn.parameters.items():
        values[name] = np.full(members, float(v))
    problems = []
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ScenarioError(f"parameters: must be a table of name = number, got {overrides!r:.60}")
    for name, v in (overrides or {}).items():
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError, OverflowError):
            problems.append(
                f"parameter {name}: expected a number or an array of {members} numbers, "
                f"got {v!r:.60}"
            )
            continue
        if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != members):
            problems.append(f"parameter {name}: expected a number or an array of {members} values")
            continue
        for item in _extremes(arr):  # an array is drawn or computed: its range only
            problems += check_parameter(name, float(item), params, units=arr.ndim == 0)
        values[name] = np.broadcast_to(arr, (members,)).astype(float)
    if problems:
        raise ScenarioError(sorted(set(problems)), source=scn.source or scn.name)
    return values


def resolve_levers(
    scn: Scenario, params: Mapping, data_dir=None, base: Mapping | None = None
) -> tuple[dict, dict]:
    """Every lever's value for this run (the scenario's, else the BAU default), and the
    BAU defaults themselves. ``base`` (the 2020 figures by name) is read when not given."""
    if base is None:
        base = {k: v.value for k, v in load_base(data_dir).items()}
    # Defaults that name a parameter take its median over the members (only those are
    # computed: a median sorts the members).
    scalar_params = {k: _median(params[k]) for k in _LEVER_PARAMETERS}
    defaults = {lv.name: lever_default(lv, scalar_params, base) for lv in LEVERS}
    values = {
        lv.name: scn.levers.get(lv.name, lever_default(lv, scalar_params, base, scn.levers))
        for lv in LEVERS
    }
    return values, defaults


def _median(values) -> float:
    """The median of a parameter over the members as a float (a single member's value as it
    is: np.median of one value is that value)."""
    if values.__class__ is np.ndarray and values.size == 1:
        return float(values.item(0))
    return float(np.median(values))
