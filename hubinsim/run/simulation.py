"""The Python entry point: :func:`simulate` (a single run, or an ensemble with ``draws``)."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .. import model
from ..data import load_data, load_targets
from ..errors import ScenarioError
from ..results import Results
from ..scenario.reader import load_scenario
from ..scenario.settings import Scenario, check_scenario, got, make_scenario
from .parallel import run_settings_problems
from .restart import with_actuals
from .single import run_scenario


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
    ensemble: bool | None = None,
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor=None,
    progress=None,
    data_dir=None,
    start: Mapping | None = None,
    actuals=None,
    anchor: str | None = None,
    vintage: str | None = None,
) -> Results:
    """Run the Hubin model and return :class:`~hubinsim.results.Results`.

    ``simulate()`` runs business as usual from the 2020 base to 2035 (dt 0.25, Euler);
    ``simulate(load_scenario(path), draws=1000, seed=1)`` runs a scenario file as an ensemble.

    Parameters
    ----------
    scenario : Scenario or path, optional
        From :func:`hubinsim.load_scenario` or :func:`hubinsim.make_scenario`, or the path of
        a scenario file. Keyword settings below are applied on top of it.
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
        :func:`hubinsim.run.ensemble.run_ensemble`. Without ``draws`` the run is single,
        even when the scenario declares an uncertainty, unless ``ensemble`` is true.
    ensemble : bool, optional
        True: run an ensemble with the draws, seed and sampling the scenario's
        ``[uncertainty]`` section declares (the arguments above override them), as ``hubinsim
        run`` does for such a scenario. Default: an ensemble when ``draws`` is given.
    chunk_size, workers, executor, progress : optional
        How an ensemble's members run (see :func:`hubinsim.run.ensemble.run_members`); a
        single run ignores them.
    data_dir : path, optional
        Folder of the data files (default: the project's data/).
    start : dict, optional
        A start record: run from the state of its ``year`` instead of the 2020 base, with
        levers and shocks acting from its start point (the record's figures hold the
        scenario's policies of that year; the calibration takes them out).
        :func:`hubinsim.start_record` makes one from a run (the run restarted from it
        continues the same path, for any scenario); a record of actual
        figures needs those of ``hubinsim.model.record.FIGURES`` (docs/model.md, "The start
        record"). Single runs only.
    actuals : Actuals or path, optional
        Actual figures (:func:`hubinsim.read_actuals`): the run is re-projected from them
        (:mod:`hubinsim.run.restart`). The years up to the latest full year of actual
        figures show the actual figures (the model's where the file gives none), the later
        years the re-projection; ``Results.reprojection`` holds the details (flags of every
        cell, the restart record or the add-factors), and the scorecard measures the growth
        still needed from the latest actual year. With ``draws`` every member restarts.
    anchor : None, "restart" or "fade=N"
        With ``actuals``: restart the model in the latest full actual year (None, the
        default), or keep the 2020 start and shift each series through its latest actual,
        the shift fading over N years.
    vintage : str, optional
        With ``actuals``: use this vintage of each figure (default the latest).

    Every setting is checked as a scenario file's is (:func:`hubinsim.scenario.settings.
    scenario_problems`), whoever made the scenario, with the limits of the command line.

    Raises
    ------
    ScenarioError
        If a setting is unknown, of the wrong type or out of range.
    DataError
        If a data file is missing or malformed.
    SimulationError
        If the model cannot run with these inputs (naming the scenario and the data folder).
    """
    started = time.perf_counter()
    data = load_data(data_dir)  # read once: every part of the run uses these data
    problems = run_settings_problems(
        members=members,
        draws=draws,
        seed=seed,
        sampling=sampling,
        ensemble=ensemble,
        chunk_size=chunk_size,
        workers=workers,
        executor=executor,
        progress=progress,
    )
    if problems:
        raise ScenarioError(problems)
    base_scn = as_scenario(scenario, data)
    changed = {"end": end, "dt": dt, "method": method, "profile": profile, "levers": levers}
    if any(v is not None for v in changed.values()) or (
        not isinstance(shocks, list | tuple) or shocks
    ):
        if not isinstance(shocks, list | tuple):
            raise ScenarioError(f"shocks: must be a list of shocks, {got(shocks)}")
        if levers is not None and not isinstance(levers, Mapping):
            raise ScenarioError(f"levers: must be a table of lever name = value, {got(levers)}")
        merged_levers = dict(base_scn.levers)
        merged_levers.update(levers or {})
        scn = make_scenario(
            name=base_scn.name if scenario is not None else "custom",
            description=base_scn.description,
            title=base_scn.title if scenario is not None else "",
            title_zh=base_scn.title_zh if scenario is not None else "",
            levers={
                k: (v.as_toml() if isinstance(v, model.Schedule) else v)
                for k, v in merged_levers.items()
            },
            profile=profile
            if profile is not None
            else (
                base_scn.profile if isinstance(base_scn.profile, str) else dict(base_scn.profile)
            ),
            shocks=[*base_scn.shocks, *shocks],
            parameters=base_scn.parameters,
            end=base_scn.time.end if end is None else end,
            dt=base_scn.time.dt if dt is None else dt,
            method=base_scn.time.method if method is None else method,
            data_dir=data,
        )
        if scenario is not None:  # keep where it came from and its extra sections
            scn = replace(
                scn,
                source=base_scn.source,
                extends=base_scn.extends,
                sections=base_scn.sections,
                files=base_scn.files,
            )
    else:
        scn = base_scn
    if scn is not base_scn or not isinstance(scenario, Scenario):
        check_scenario(scn, data)  # (a Scenario given as it is was checked by as_scenario)
    if ensemble is None:
        ensemble = draws is not None
    if ensemble and start is not None:
        raise ScenarioError("start: a start record is for single runs, not ensembles")
    if actuals is None and (anchor is not None or vintage is not None):
        raise ScenarioError("anchor and vintage apply to actual figures: add actuals=...")
    if actuals is not None and (start is not None or parameters is not None or members != 1):
        raise ScenarioError(
            "actuals: a re-projection from actual figures starts from them; give no start "
            "record, parameters or members (draws=N for an ensemble)"
        )
    if ensemble:
        if parameters is not None or members != 1:
            raise ScenarioError(
                "draws: an ensemble draws its own parameters; give either draws or "
                "parameters/members, not both"
            )
        # scipy (for the draws) is imported for ensembles only: a single run starts faster
        from .ensemble import run_ensemble

        res = run_ensemble(
            scn,
            draws,
            seed,
            sampling=sampling,
            chunk_size=chunk_size,
            workers=workers,
            executor=executor,
            progress=progress,
            data_dir=data,
        )
        if actuals is None:
            return res
        return with_actuals(scn, actuals, anchor, vintage=vintage, ensemble=res, data_dir=data)
    if draws is not None:
        raise ScenarioError("draws: ensemble=False runs a single scenario; leave draws out")
    if seed is not None or sampling is not None:
        raise ScenarioError("seed and sampling need draws: simulate(..., draws=N, seed=S)")
    if actuals is not None:
        res = with_actuals(scn, actuals, anchor, vintage=vintage, data_dir=data)
        res.metadata["wall_time_s"] = time.perf_counter() - started
        return res
    values, metadata = run_scenario(scn, parameters, members, data, start=start)
    metadata["wall_time_s"] = time.perf_counter() - started
    years = np.arange(metadata["base_year"], scn.time.end + 1)
    return Results(years, values, metadata, load_targets(data))


def as_scenario(scenario, data_dir=None) -> Scenario:
    """The scenario a run is asked for: a :class:`Scenario`, the path of a scenario file
    (read with :func:`~hubinsim.scenario.reader.load_scenario`), or None for business as
    usual; anything else raises :class:`ScenarioError`."""
    if scenario is None:
        return Scenario()
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario, data_dir)
    return check_scenario(scenario, data_dir)
