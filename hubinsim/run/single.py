"""One vectorised run of the model: a scenario's inputs resolved, integrated, reported.

:func:`run_scenario` is what :func:`hubinsim.simulate` runs for a single scenario and what an
ensemble runs for each chunk of members (parameters given as arrays of shape (members,)).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from .. import model
from .._version import __version__
from ..catalog import (
    INDICATOR_BY_NAME,
    LEVER_BY_NAME,
    POOL_CATEGORIES,
    SHARED_LEVER_PROBLEM,
    SHARED_LEVERS,
)
from ..data import load_data, reference_dir
from ..errors import DataError, ScenarioError, SimulationError, StartRecordError, drew_text
from ..model.calibrate import RET_SHIFT
from ..scenario.reader import load_scenario
from ..scenario.resolve import resolve_levers, resolve_parameters
from ..scenario.settings import Scenario, check_scenario, make_scenario, pool_realisation


def _drawn_levers(levers: Mapping | None, members: int, scn: Scenario) -> dict:
    """Levers drawn per member, checked: name -> float array (members,)."""
    out, problems = {}, []
    for name, v in (levers or {}).items():
        lever = LEVER_BY_NAME.get(name)
        try:
            arr = np.asarray(v, dtype=float)
        except (TypeError, ValueError):
            problems.append(f"lever {name}: expected {members} numbers, got {v!r:.60}")
            continue
        if lever is None:
            problems.append(f"levers: unknown lever {name!r}")
        elif name in SHARED_LEVERS:
            problems.append(f"lever {name}: {SHARED_LEVER_PROBLEM}")
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
    start: Mapping | None = None,
    first: int = 0,
    chunk: bool = False,
) -> tuple[dict[str, np.ndarray], dict]:
    """The annual indicators and the metadata of a run of ``scn`` (what :func:`simulate`
    returns as :class:`~hubinsim.results.Results`, without the wall time).

    Ensembles call it once per chunk with ``record_parameters=False``: they record their
    parameter draws themselves, so the per-member lists of ``metadata["parameters"]`` are
    not made, and pass the indicators they keep as ``keep`` (None: all), so that only the
    quantities those are formed from are accumulated. ``levers`` holds the levers an
    ensemble draws (name -> array of shape (members,), in the lever's unit): each member's
    value replaces the scenario's setting, constant from 2021 (2020 is the base year).
    ``start`` is a start record (:func:`start_record`) to run from instead of the 2020 base.
    ``first`` is the number of the chunk's first member in its ensemble (for messages);
    ``chunk`` says that the run is an ensemble's chunk, whose members are integrated as
    arrays even where there is one (:func:`hubinsim.model.run`'s ``arrays``).

    ``data_dir`` may be the :class:`~hubinsim.data.DataSet` a run read first. When the model
    cannot run with these inputs (a stock turns negative, a value is not finite), the
    :class:`SimulationError` names the scenario, the data folder and the inputs that differ
    from hubinsim's own (:func:`traced`).
    """
    data = load_data(data_dir)
    if start is not None:
        start = _with_unobserved(start, scn, parameters, data)
    params = resolve_parameters(scn, parameters, members, data)
    drawn = _drawn_levers(levers, members, scn)
    run_scn = replace(scn, levers={**scn.levers, **drawn}) if drawn else scn
    try:
        # numpy's warnings of overflow or division are not for the user: a quantity that is
        # not finite raises SimulationError, traced below to the inputs
        with np.errstate(all="ignore"):
            base, pool, grid, inputs, inputs_left, lever_values, used = _model_inputs(
                run_scn, params, data, start
            )
            values = model.run(
                used, base, pool, inputs, grid, scn.time.method, inputs_left, keep, arrays=chunk
            )
    except (SimulationError, ArithmeticError, ValueError) as exc:
        raise traced(exc, scn, data, params, drawn, first) from None
    metadata = {
        "hubinsim_version": __version__,
        "scenario": scn.name,
        "title": scn.title,
        "title_zh": scn.title_zh,
        "description": scn.description,
        "source": scn.source,
        "base_year": grid.start,
        "end": scn.time.end,
        "dt": scn.time.dt,
        "method": scn.time.method,
        "members": members,
        "data_dir": str(data.folder),
        "data": data,
        "price_basis": "nominal indicators at current prices; *_real at 2020 prices",
        "units": {n: INDICATOR_BY_NAME[n].unit for n in values if n in INDICATOR_BY_NAME},
    }
    if record_parameters:
        metadata["parameters"] = {k: _recorded(v) for k, v in params.items()}
    metadata |= {
        "levers": {
            k: (
                v  # (most levers are a float: no isinstance or np.ndim for them)
                if v.__class__ is float
                else v.as_toml()
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


def _recorded(v: np.ndarray):
    """A parameter as run.json records it: one number where every member has the same value,
    else the list of the members' values. (A single member needs no comparison over the
    members: for some 90 parameters it cost 0.3-0.8 ms, a tenth of a single run.)"""
    if v.size == 1:
        x = float(v.item(0))
        return x if x == x else v.tolist()  # (NaN is not the same as itself)
    return float(v[0]) if (v == v[0]).all() else v.tolist()


def _model_inputs(scn: Scenario, params: dict, folder, start: Mapping | None = None):
    """The start record, the pool, the time grid, the inputs (and their left limits at year
    ends) and the lever values of a run of ``scn`` with ``params``, from the 2020 base or
    from the start record ``start``."""
    data = load_data(folder)
    first, base = model.BASE_YEAR, {k: v.value for k, v in data.base.items()}
    if start is not None:
        first, base = _checked_record(start, scn)
    # (levers whose default is a figure of the record, R&D intensity, keep that figure)
    lever_values, lever_defaults = resolve_levers(scn, params, data, base)
    params, ret_shift = _trend_from_first_year(scn, params, data, start)
    if ret_shift:
        base = {**base, RET_SHIFT: ret_shift}
    pool = data.pool
    grid = model.TimeGrid(scn.time.end, scn.time.dt, start=first)
    inputs = model.build_inputs(
        grid,
        lever_values,
        lever_defaults,
        pool_realisation(scn, params),
        scn.profile_weights(),
        scn.shocks,
        pool,
        params["investment.bau_realisation"],
        ret_shift=ret_shift,
    )
    # (the same as build_inputs with left=True, from the inputs themselves)
    inputs_left = model.left_limits(inputs)
    return base, pool, grid, inputs, inputs_left, lever_values, params


#: Parameters a scenario sets for the projection only: the drift of the desired capital-output
#: ratios (the return firms accept) shapes the start year's investment, which is history.
TREND_FROM_FIRST_YEAR = "investment.return_decline"


def _trend_from_first_year(scn: Scenario, params: dict, data, start) -> tuple[dict, float]:
    """``params`` with the start year's value of :data:`TREND_FROM_FIRST_YEAR` where the
    scenario sets it (and the caller did not): the data's value, so that a scenario never
    rewrites the 2020 base; and the scenario's change of it, which acts from 2021 like a
    lever. A later start year is a year of the scenario: its value acts from the start."""
    name = TREND_FROM_FIRST_YEAR
    if start is not None or name not in scn.parameters:
        return params, 0.0
    value = float(scn.parameters[name])
    if not np.all(params[name] == value):  # the caller's own values (an ensemble's draws)
        return params, 0.0
    before = data.parameters[name].value
    return {**params, name: np.full_like(params[name], before)}, value - before


def start_record(
    year: int,
    scenario: Scenario | str | os.PathLike | None = None,
    *,
    parameters: Mapping | None = None,
    data_dir=None,
) -> dict[str, float]:
    """The start record of ``year`` from a single run of ``scenario`` (business as usual if
    None): the state of the district in the middle of that year, the figures statistics
    publish for it, and the references of the run (docs/model.md, "The start record").

    A run of the model from it (``hubinsim.model.run(params, record, pool, inputs,
    TimeGrid(end, dt, start=year), ...)``) with the same settings continues the run. A
    record holding the actual figures of a year instead (a mid-term evaluation) has the same
    fields; the figures :data:`hubinsim.model.record.FIGURES` are required, the rest follow
    the default rules documented there.
    """
    folder = load_data(data_dir)
    if isinstance(scenario, str | os.PathLike):  # the path of a scenario file, as simulate
        scn = load_scenario(scenario, folder)
    else:
        scn = make_scenario() if scenario is None else check_scenario(scenario, folder)
    if not (isinstance(year, int) and model.BASE_YEAR <= year <= scn.time.end):
        raise ScenarioError(
            [f"year: must be a whole year in {model.BASE_YEAR}..{scn.time.end}, got {year!r}"],
            source=scn.source or scn.name,
        )
    params = resolve_parameters(scn, parameters, 1, folder)
    base, pool, grid, inputs, inputs_left, _, used = _model_inputs(scn, params, folder)
    rec = model.record_at(year, used, base, pool, inputs, grid, scn.time.method, inputs_left)
    return {"year": year, **{k: float(np.asarray(v).reshape(-1)[0]) for k, v in rec.items()}}


def member_records(year: int, scenario: Scenario, samples: Mapping, *, data_dir=None) -> dict:
    """The start records of ``year`` of an ensemble's members: ``samples`` maps parameter
    (and drawn lever) names to arrays of shape (members,), as an ensemble's
    ``metadata["samples"]``; each field of the record is an array over the members (a
    record :func:`run_scenario` takes as ``start`` with the same samples)."""
    folder = load_data(data_dir)
    members = len(next(iter(samples.values())))
    levers = {k: v for k, v in samples.items() if k in LEVER_BY_NAME}
    params_in = {k: v for k, v in samples.items() if k not in LEVER_BY_NAME}
    params = resolve_parameters(scenario, params_in, members, folder)
    drawn = _drawn_levers(levers, members, scenario)
    run_scn = replace(scenario, levers={**scenario.levers, **drawn}) if drawn else scenario
    base, pool, grid, inputs, inputs_left, _, used = _model_inputs(run_scn, params, folder)
    rec = model.record_at(year, used, base, pool, inputs, grid, scenario.time.method, inputs_left)
    return {
        k: np.broadcast_to(np.asarray(v, dtype=float), (members,)).copy() for k, v in rec.items()
    }


def _with_unobserved(start: Mapping, scn: Scenario, parameters, folder) -> dict:
    """A start record completed with what statistics do not publish: the fields it lacks
    (capital, expectations, demand pressure, knowledge, relative prices and income, the
    references...) are the state the model itself reaches in that year in a run of the same
    scenario from the 2020 base (with the same parameters). Where the record's figures
    differ from that run, calibration sets the level constants to reproduce them; where
    they are the run's own, the restarted run continues its path (docs/model.md §13)."""
    year = start.get("year") if isinstance(start, Mapping) else None
    if not (isinstance(year, int) and model.BASE_YEAR < year < scn.time.end):
        return dict(start) if isinstance(start, Mapping) else start  # checked later
    if all(k in start for k in (*model.STOCKS, *model.REFERENCES)):
        return dict(start)
    own = start_record(year, scn, parameters=parameters, data_dir=folder)
    return {**own, **start}


def _checked_record(start: Mapping, scn: Scenario) -> tuple[int, dict]:
    """The start year and the fields of a start record, or a ScenarioError listing what is
    wrong with it."""
    problems = []
    year = start.get("year") if isinstance(start, Mapping) else None
    if not (isinstance(year, int) and model.BASE_YEAR <= year < scn.time.end):
        problems.append(
            f"start: a record with 'year', a whole year in {model.BASE_YEAR}..{scn.time.end - 1}"
            f", got {year!r}"
        )
    fields = {}
    for name, value in start.items() if isinstance(start, Mapping) else ():
        if name == "year":
            continue
        try:
            fields[name] = float(value) if np.ndim(value) == 0 else np.asarray(value, float)
        except (TypeError, ValueError):
            problems.append(f"start: {name} must be a number, got {value!r}")
    missing = [n for n in model.record.FIGURES if n not in fields]
    if missing:
        problems.append(f"start: the record lacks the figures {', '.join(missing)}")
    if problems:
        raise ScenarioError(problems, source=scn.source or scn.name)
    return year, fields


def traced(exc, scn: Scenario, data, params: Mapping, drawn: Mapping, first: int = 0):
    """A :class:`SimulationError` saying what the model could not do (``exc``) and with which
    inputs: the scenario (its file), the data folder and what in it differs from hubinsim's
    own data, the parameters the scenario sets, and for an ensemble's member its draws. The
    fields of the model's failure are kept, its member counted in the whole ensemble (from
    ``first``, the chunk's first member)."""
    what = str(exc) or type(exc).__name__
    if not isinstance(exc, SimulationError):
        what = f"{type(exc).__name__}: {what}"
    where = [f"scenario {scn.name!r} ({scn.source or 'made in Python'})"]
    where.append(f"data folder {data.folder}" + _data_differences(data))
    if scn.parameters:
        where.append(
            "parameters set by the scenario: "
            + ", ".join(f"{k} = {v:g}" for k, v in scn.parameters.items())
        )
    failure = getattr(exc, "failure", None)
    refused = exc if isinstance(exc, StartRecordError) else None
    m = failure.member if failure is not None else getattr(refused, "member", None)
    members = len(next(iter(params.values()))) if params else 1
    if m is None and first > 0 and members == 1:  # an ensemble's last chunk of one member,
        m = 0  # run alone (a single run names no member)
    if m is not None and (members > 1 or first > 0) and m < members:
        varied = {k: v[m] for k, v in {**params, **drawn}.items() if np.ndim(v) and np.ptp(v) > 0}
        drew = tuple((k, float(v)) for k, v in sorted(varied.items()))
        if failure is not None:
            failure = replace(failure, member=first + m, drew=drew)
            what = failure.text("en")
        else:  # a figure of the start record
            refused = StartRecordError(
                figures=refused.figures, year=refused.year, member=first + m,
                reasons=refused.reasons,
            )  # fmt: skip
            what = refused.text("en")
        if drew:
            where.append(drew_text(first + m, drew))
    message = f"the model cannot run with these inputs: {what}. Inputs: " + "; ".join(where)
    if refused is not None:  # a figure of the start record: named in it
        return StartRecordError(
            message, figures=refused.figures, year=refused.year, member=refused.member,
            reasons=refused.reasons,
        )  # fmt: skip
    return SimulationError(message, failure=failure)


def _data_differences(data) -> str:
    """What in ``data`` differs from hubinsim's own data (its base figures, pool and
    parameter values), for messages; "" when it is hubinsim's own."""
    try:
        ref = load_data(reference_dir())
    except DataError:
        return ""
    if ref.folder == data.folder or ref.hashes == data.hashes:
        return " (hubinsim's own data)"
    changed = [
        f"{name} = {fig.value:g} (hubinsim's: {ref.base[name].value:g})"
        for name, fig in data.base.items()
        if name in ref.base and fig.value != ref.base[name].value
    ]
    changed += [
        f"{name} = {prm.value:g} (hubinsim's: {ref.parameters[name].value:g})"
        for name, prm in data.parameters.items()
        if name in ref.parameters and prm.value != ref.parameters[name].value
    ]
    changed += [
        f"pool {c} = {v:g} (hubinsim's: {ref.pool[c]:g})"
        for c, v in data.pool.items()
        if v != ref.pool.get(c)
    ]
    if not changed:
        return ""
    shown = changed[:8] + ([f"{len(changed) - 8} more"] if len(changed) > 8 else [])
    return ", which differs from hubinsim's data in " + ", ".join(shown)
