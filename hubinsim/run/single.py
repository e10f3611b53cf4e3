"""One vectorised run of the model: a scenario's inputs resolved, integrated, reported.

:func:`run_scenario` is what :func:`hubinsim.simulate` runs for a single scenario and what an
ensemble runs for each chunk of members (parameters given as arrays of shape (members,)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .. import model
from .._version import __version__
from ..catalog import INDICATOR_BY_NAME, LEVER_BY_NAME, POOL_CATEGORIES
from ..data import data_dir as _data_dir
from ..data import load_base, load_pool
from ..errors import ScenarioError
from ..scenario.resolve import resolve_levers, resolve_parameters
from ..scenario.settings import Scenario, pool_realisation


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
