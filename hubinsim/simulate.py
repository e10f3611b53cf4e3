"""The Python entry point: :func:`simulate`."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from . import model
from ._version import __version__
from .catalog import INDICATOR_BY_NAME, LEVER_BY_NAME, LEVERS, POOL_CATEGORIES, lever_default
from .data import data_dir as _data_dir
from .data import load_base, load_parameters, load_pool, load_targets
from .errors import ScenarioError
from .scenario import Scenario, check_parameter, make_scenario, pool_realisation

if TYPE_CHECKING:
    from .results import Results


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
    values = {name: np.full(members, prm.value) for name, prm in params.items()}
    for name, v in scn.parameters.items():
        values[name] = np.full(members, float(v))
    problems = []
    for name, v in (overrides or {}).items():
        arr = np.asarray(v, dtype=float)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != members):
            problems.append(f"parameter {name}: expected a number or an array of {members} values")
            continue
        for item in _extremes(arr):
            problems += check_parameter(name, float(item), params)
        values[name] = np.broadcast_to(arr, (members,)).astype(float)
    if problems:
        raise ScenarioError(sorted(set(problems)), source=scn.source or scn.name)
    return values


def _drawn_levers(levers: Mapping | None, members: int, scn: Scenario) -> dict:
    """Levers drawn per member, checked: name -> float array (members,)."""
    out, problems = {}, []
    for name, v in (levers or {}).items():
        lever = LEVER_BY_NAME.get(name)
        arr = np.asarray(v, dtype=float)
        if lever is None:
            problems.append(f"levers: unknown lever {name!r}")
        elif arr.shape != (members,):
            problems.append(f"lever {name}: expected an array of {members} values")
        elif not (arr.min() >= lever.low and arr.max() <= lever.high):  # False for NaN
            problems.append(
                f"lever {name}: drawn values must lie in [{lever.low:g}, {lever.high:g}] "
                f"{lever.unit}"
            )
        else:
            out[name] = arr
    categories = [f"realisation_{c}" for c in POOL_CATEGORIES]
    if "plan_realisation" in out and all(c in scn.levers for c in categories):
        problems.append(
            "lever plan_realisation: drawn, but the scenario sets the realisation of every "
            "pool category, which overrides it; draw the categories' realisation instead"
        )
    if problems:
        raise ScenarioError(problems, source=scn.source or scn.name)
    return out


def resolve_levers(
    scn: Scenario, params: Mapping, data_dir=None, base: Mapping | None = None
) -> tuple[dict, dict]:
    """Every lever's value for this run (the scenario's, else the BAU default), and the
    BAU defaults themselves. ``base`` (the 2020 figures by name) is read when not given."""
    if base is None:
        base = {k: v.value for k, v in load_base(data_dir).items()}
    # Defaults that name a parameter take its median over the members (only those are
    # computed: a median sorts the members).
    scalar_params = {k: float(np.median(params[k])) for k in _LEVER_PARAMETERS}
    defaults = {lv.name: lever_default(lv, scalar_params, base) for lv in LEVERS}
    values = {
        lv.name: scn.levers.get(lv.name, lever_default(lv, scalar_params, base, scn.levers))
        for lv in LEVERS
    }
    return values, defaults


def simulate(
    scenario: Scenario | None = None,
    *,
    levers: Mapping | None = None,
    parameters: Mapping | None = None,
    profile=None,
    shocks=(),
    end: int | None = None,
    dt: float | None = None,
    method: str | None = None,
    members: int = 1,
    draws: int | None = None,
    seed: int | None = None,
    sampling: str | None = None,
    data_dir=None,
) -> Results:
    """Run the Hubin model and return :class:`~hubinsim.results.Results`.

    ``simulate()`` runs business as usual from the 2020 base to 2035 (dt 0.25, Euler);
    ``simulate(load_scenario(path), draws=1000, seed=1)`` runs a scenario file as an ensemble.

    Parameters
    ----------
    scenario : Scenario, optional
        From :func:`hubinsim.load_scenario` or :func:`hubinsim.make_scenario`. Keyword
        settings below are applied on top of it.
    levers : dict, optional
        Lever name -> number or year schedule (``{2021: 1.0, 2025: 2.0}``, or
        ``{"step": {...}}``), in the units of ``hubinsim levers``.
    parameters : dict, optional
        Structural parameter overrides: numbers, or arrays of shape (members,) to run an
        ensemble over parameter sets in one vectorised pass.
    profile : str or dict, optional
        Timing of project-pool spending over 2021-2025.
    shocks : sequence, optional
        Shocks as dicts ``{"target": ..., "years": (first, last), "factor": ...}``.
    end, dt, method : optional
        Horizon (year), time step [yr] and integrator ("euler" or "rk4").
    members : int
        Number of ensemble members (all alike unless ``parameters`` holds arrays).
    draws, seed, sampling : optional
        Run an ensemble of ``draws`` members over parameter draws (the scenario's
        ``[uncertainty]``, else every structural parameter over its plausible range) with
        :func:`hubinsim.ensemble.run_ensemble`. Without ``draws`` the run is single, even
        when the scenario declares an uncertainty.
    data_dir : path, optional
        Folder of the data files (default: the project's data/).

    Raises
    ------
    ScenarioError
        If a setting is unknown or out of range.
    DataError
        If a data file is missing or malformed.
    """
    started = time.perf_counter()
    if not isinstance(members, int) or isinstance(members, bool) or members < 1:
        raise ScenarioError(f"members: must be a whole number >= 1, got {members!r}")
    folder = _data_dir(data_dir)  # found once: every data file is read from it
    base_scn = scenario or Scenario()
    if levers or profile is not None or shocks or end or dt or method:
        merged_levers = dict(base_scn.levers)
        merged_levers.update(levers or {})
        scn = make_scenario(
            name=base_scn.name if scenario else "custom",
            description=base_scn.description,
            levers={
                k: (v.as_toml() if isinstance(v, model.Schedule) else v)
                for k, v in merged_levers.items()
            },
            profile=profile
            if profile is not None
            else (
                base_scn.profile if isinstance(base_scn.profile, str) else dict(base_scn.profile)
            ),
            shocks=tuple(base_scn.shocks) + tuple(shocks),
            parameters=base_scn.parameters,
            end=end or base_scn.time.end,
            dt=dt or base_scn.time.dt,
            method=method or base_scn.time.method,
            data_dir=folder,
        )
        if scenario is not None:  # keep where it came from and its extra sections
            scn = replace(
                scn, source=base_scn.source, extends=base_scn.extends, sections=base_scn.sections
            )
    else:
        scn = base_scn
    if draws is not None:
        if parameters or members != 1:
            raise ScenarioError(
                "draws: an ensemble draws its own parameters; give either draws or "
                "parameters/members, not both"
            )
        from .ensemble import run_ensemble

        return run_ensemble(scn, draws, seed, sampling=sampling, data_dir=folder)
    if seed is not None or sampling is not None:
        raise ScenarioError("seed and sampling need draws: simulate(..., draws=N, seed=S)")
    values, metadata = run_scenario(scn, parameters, members, folder)
    metadata["wall_time_s"] = time.perf_counter() - started
    from .results import Results  # pandas is loaded only when results are made

    years = np.arange(model.BASE_YEAR, scn.time.end + 1)
    return Results(years, values, metadata, load_targets(folder))


def run_scenario(
    scn: Scenario,
    parameters: Mapping | None = None,
    members: int = 1,
    data_dir=None,
    *,
    record_parameters: bool = True,
    keep: list[str] | None = None,
    levers: Mapping | None = None,
) -> tuple[dict[str, np.ndarray], dict]:
    """The annual indicators and the metadata of a run of ``scn`` (what :func:`simulate`
    returns as :class:`~hubinsim.results.Results`, without the wall time).

    Ensembles call it once per chunk with ``record_parameters=False``: they record their
    parameter draws themselves, so the per-member lists of ``metadata["parameters"]`` are
    not made, and pass the indicators they keep as ``keep`` (None: all), so that only the
    quantities those are formed from are accumulated. ``levers`` holds the levers an
    ensemble draws (name -> array of shape (members,), in the lever's unit): each member's
    value replaces the scenario's setting, constant from 2021 (2020 is the base year).
    """
    folder = _data_dir(data_dir)
    params = resolve_parameters(scn, parameters, members, folder)
    drawn = _drawn_levers(levers, members, scn)
    run_scn = replace(scn, levers={**scn.levers, **drawn}) if drawn else scn
    base = {k: v.value for k, v in load_base(folder).items()}
    lever_values, lever_defaults = resolve_levers(run_scn, params, folder, base)
    pool = load_pool(folder)
    grid = model.TimeGrid(scn.time.end, scn.time.dt)
    inputs, inputs_left = (
        model.build_inputs(
            grid,
            lever_values,
            lever_defaults,
            pool_realisation(run_scn, params),
            scn.profile_weights(),
            scn.shocks,
            pool,
            params["investment.bau_realisation"],
            left=left,
        )
        for left in (False, True)
    )
    values = model.run(params, base, pool, inputs, grid, scn.time.method, inputs_left, keep)
    metadata = {
        "hubinsim_version": __version__,
        "scenario": scn.name,
        "description": scn.description,
        "source": scn.source,
        "base_year": model.BASE_YEAR,
        "end": scn.time.end,
        "dt": scn.time.dt,
        "method": scn.time.method,
        "members": members,
        "data_dir": str(folder),
        "price_basis": "nominal indicators at current prices; *_real at 2020 prices",
        "units": {n: INDICATOR_BY_NAME[n].unit for n in values if n in INDICATOR_BY_NAME},
    }
    if record_parameters:
        metadata["parameters"] = {
            k: (float(v[0]) if (v == v[0]).all() else v.tolist()) for k, v in params.items()
        }
    metadata |= {
        "levers": {
            k: (
                v.as_toml()
                if isinstance(v, model.Schedule)
                else (
                    float(v)
                    if np.ndim(v) == 0
                    else "drawn per member"
                    if not record_parameters
                    else np.asarray(v).tolist()
                )
            )
            for k, v in lever_values.items()
        },
        "profile": scn.profile if isinstance(scn.profile, str) else dict(scn.profile),
        "shocks": [vars(s).copy() for s in scn.shocks],
        "scenario_object": scn,
    }
    return values, metadata
