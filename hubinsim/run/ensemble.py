"""Ensembles: many parameter draws of one scenario, run in chunks, serially or in parallel.

::

    import hubinsim
    from hubinsim.run.ensemble import run_ensemble, compare_ensembles

    scn = hubinsim.load_scenario("scenarios/stimulus.toml")
    res = run_ensemble(scn, draws=1000, seed=1)      # Results with 1000 members
    res.percentiles()                                  # p5 ... p95 by year
    res.targets                                        # scorecard with a probability column

    cmp = compare_ensembles(hubinsim.load_scenario("scenarios/baseline.toml"), scn,
                            draws=1000, seed=1)       # the same draws for both scenarios
    cmp.percentiles(relative=True)                     # stimulus - baseline, % of baseline

The parameter draws come from the scenario's declared uncertainty (see
:mod:`hubinsim.scenario.uncertainty`), else the default one (every structural parameter the scenario
does not fix, uniform over its plausible range). They are all made up front from the seed,
then cut into chunks of ``chunk_size`` members; each chunk is one vectorised run
(:func:`hubinsim.run.single.run_scenario`). Because members never interact, the result does
not depend on the chunk size, the number of workers or the executor: a seeded ensemble is
reproducible bit for bit.

Memory. Every indicator of every member takes 8 bytes a year: with the 65 indicators over
2020-2035 that is 8.3 KB a member (83 MB for 10,000). Up to :data:`FULL_MEMBERS_LIMIT` members
all indicators are kept; above it only the headline indicators and those the plan targets
name (20, 2.6 KB a member: 256 MB for 100,000), unless ``keep`` says otherwise. The
percentiles of :meth:`Results.percentiles` and the scorecard probabilities are then computed
from every kept member, so they are exact (percentiles of a union of chunks are not the mean
of the chunks' percentiles, so nothing is summarised chunk by chunk). A chunk in flight also
needs 15-30 KB a member (75-150 MB at the default 5,000) in the process that runs it. The
figures measured are in docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalog import HEADLINE, INDICATOR_BY_NAME, INDICATORS, LEVER_BY_NAME, suggest
from ..data import load_data, load_targets
from ..defaults import DEFAULT_CHUNK_SIZE, MAX_DRAWS
from ..errors import ScenarioError
from ..model import BASE_YEAR
from ..results import PERCENTILES, Results, percentile_rows
from ..scenario.resolve import resolve_levers, resolve_parameters
from ..scenario.settings import Scenario, check_scenario
from ..scenario.uncertainty import (
    Uncertainty,
    fresh_seed,
    parse_uncertainty,
    scenario_uncertainty,
)
from .parallel import (
    can_share_memory,
    opened_executor,
    progress_part,
    resolve_workers,
    run_into_shared,
    run_settings_problems,
    set_shared,
    shared_arrays,
    worker_pool,
)
from .resources import announced, chunks_of, plan
from .single import run_scenario

log = logging.getLogger(__name__)

#: Up to this many members every indicator is kept; above it, the headline ones.
FULL_MEMBERS_LIMIT = 20_000


def kept_indicators(keep, members: int, data_dir=None) -> list[str] | None:
    """Indicators whose members an ensemble keeps; None means all of them.

    ``keep`` is "all", "headline" (the headline indicators and those the plan targets name,
    so that the scorecard is complete), a list of indicator names, or None: "all" up to
    :data:`FULL_MEMBERS_LIMIT` members, "headline" above.
    """
    if keep is None:
        keep = "all" if members <= FULL_MEMBERS_LIMIT else "headline"
    if keep == "all":
        return None
    if keep == "headline":
        targeted = {t.indicator for t in load_targets(data_dir)}
        return [i.name for i in INDICATORS if i.name in HEADLINE or i.name in targeted]
    if isinstance(keep, str) or not isinstance(keep, Iterable):
        raise ScenarioError(
            f"keep: must be 'all', 'headline' or a list of indicator names, got {keep!r}"
        )
    names = list(keep)
    bad = [n for n in names if n not in INDICATOR_BY_NAME]
    if bad:
        raise ScenarioError(
            [f"keep: unknown indicator {n!r}{suggest(str(n), INDICATOR_BY_NAME)}" for n in bad]
        )
    return names


def _run_chunk(
    scenario: Scenario,
    params: dict[str, np.ndarray],
    keep: list[str] | None,
    data_dir,
    first: int = 0,
) -> tuple[dict[str, np.ndarray], dict]:
    """One vectorised run over a chunk of members, the first numbered ``first`` (module level
    so that it pickles)."""
    members = len(next(iter(params.values()))) if params else 1
    levers = {k: v for k, v in params.items() if k in LEVER_BY_NAME}
    params = {k: v for k, v in params.items() if k not in LEVER_BY_NAME}
    return run_scenario(
        scenario,
        params,
        members,
        data_dir,
        record_parameters=False,
        keep=keep,
        levers=levers,
        first=first,
        chunk=True,
    )


def run_members(
    scenario: Scenario | None,
    samples: Mapping[str, np.ndarray],
    *,
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor: Executor | str | None = None,
    keep=None,
    progress=None,
    data_dir=None,
) -> Results:
    """Run one member per row of ``samples`` (name -> array of shape (members,)).

    The engine under :func:`run_ensemble` and the sensitivity analyses: chunks of
    ``chunk_size`` members go to ``executor`` (any :class:`concurrent.futures.Executor`, or
    the address ``dask://HOST:PORT`` of a Dask scheduler), else to a
    :class:`~concurrent.futures.ProcessPoolExecutor` of ``workers`` processes when there are
    several (``"auto"``: one per usable CPU, see :func:`hubinsim.run.parallel.resolve_workers`),
    else run one after the other. Results come back in member order, so they are the same
    whichever way they ran. Forked worker processes keeping a list of indicators (every
    ensemble above :data:`FULL_MEMBERS_LIMIT` members) write their members into memory shared
    with this process instead of sending them back. ``progress(done, total)``, if given, is
    called in this thread after each chunk comes back.
    """
    started = time.perf_counter()
    data = load_data(data_dir)  # read once, for every chunk
    scn = check_scenario(scenario or Scenario(), data)
    problems = run_settings_problems(
        chunk_size=chunk_size, workers=workers, executor=executor, progress=progress
    )
    chunk_size = DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size
    if not isinstance(samples, Mapping):
        raise ScenarioError(
            f"samples: must be a table of name = array of values, got {samples!r:.60}"
        )
    try:
        samples = {k: np.asarray(v, dtype=float) for k, v in samples.items()}
    except (TypeError, ValueError, OverflowError):
        samples = {}
        problems.append("samples: every parameter needs an array of numbers")
    sizes = {v.shape for v in samples.values()}
    if len(sizes) > 1 or any(len(s) != 1 for s in sizes):
        problems.append("samples: every parameter needs a 1-d array of the same length")
    elif sizes and next(iter(sizes))[0] > MAX_DRAWS:
        problems.append(f"samples: at most {MAX_DRAWS:,} members")
    if problems:
        raise ScenarioError(problems)
    members = next(iter(samples.values())).shape[0] if samples else 1
    keep_names = kept_indicators(keep, members, data)
    years = scn.time.end - BASE_YEAR + 1
    processes, chunk_size = _plan(
        scn, members, len(samples), chunk_size, workers, executor, keep_names
    )
    bounds = [(a, min(a + chunk_size, members)) for a in range(0, members, chunk_size)]
    chunks = [{k: v[a:b] for k, v in samples.items()} for a, b in bounds]
    workers = min(processes, len(chunks))
    values: dict[str, np.ndarray] = {}
    meta: dict = {}

    def collect(k: int, part) -> None:
        # Each chunk is copied into place and dropped, so the members are held once
        # (concatenating the chunks at the end would need twice the memory).
        chunk_values, chunk_meta = part
        if k == 0:
            meta.update(chunk_meta)
            if len(bounds) == 1:
                values.update(chunk_values)
                return
            for name, v in chunk_values.items():
                values[name] = np.empty(v.shape[:-1] + (members,), dtype=v.dtype)
        a, b = bounds[k]
        for name, v in chunk_values.items():
            values[name][..., a:b] = v

    def done(k: int) -> None:
        if progress is not None:
            progress(k + 1, len(chunks))

    with opened_executor(executor) as pool_or_none:
        if pool_or_none is not None:
            futures = [
                pool_or_none.submit(_run_chunk, scn, c, keep_names, data, a)
                for c, (a, _) in zip(chunks, bounds, strict=True)
            ]
            for k, f in enumerate(futures):
                collect(k, f.result())
                futures[k] = None
                done(k)
        elif workers > 1 and len(chunks) > 1 and keep_names is not None and can_share_memory():
            # The workers write their members straight into arrays they share with this
            # process, instead of sending them back through a pipe to be copied into place.
            values.update(shared_arrays(keep_names, (years, members)))
            with worker_pool(min(workers, len(chunks)), set_shared, (values,)) as pool:
                futures = [
                    pool.submit(run_into_shared, _run_chunk, (scn, c, keep_names, data, a), a, b)
                    for c, (a, b) in zip(chunks, bounds, strict=True)
                ]
                for k, f in enumerate(futures):
                    chunk_meta = f.result()
                    if k == 0:
                        meta.update(chunk_meta)
                    done(k)
        elif workers > 1 and len(chunks) > 1:
            with worker_pool(min(workers, len(chunks))) as pool:
                futures = [
                    pool.submit(_run_chunk, scn, c, keep_names, data, a)
                    for c, (a, _) in zip(chunks, bounds, strict=True)
                ]
                for k, f in enumerate(futures):
                    collect(k, f.result())
                    futures[k] = None
                    done(k)
        else:
            for k, (c, (a, _)) in enumerate(zip(chunks, bounds, strict=True)):
                collect(k, _run_chunk(scn, c, keep_names, data, a))
                done(k)
    fixed = {}
    for name, prm in data.parameters.items():
        if name not in samples:
            fixed[name] = float(scn.parameters.get(name, prm.value))
    meta.update(
        members=members,
        parameters=fixed,
        samples=samples,
        chunk_size=chunk_size,
        chunks=len(chunks),
        kept_indicators="all" if keep_names is None else keep_names,
        wall_time_s=time.perf_counter() - started,
    )
    years = np.arange(meta["base_year"], meta["end"] + 1)
    return Results(years, values, meta, list(data.targets))


def _check_drawn_levers(
    unc: Uncertainty, ref: Scenario, alt: Scenario, data_dir=None, source: str | None = None
) -> None:
    """A lever the draws set in every scenario must not be one the scenarios set differently:
    the draws would replace both settings and hide the difference being compared."""
    if not unc.lever_names:
        return
    used = []
    for scn in (ref, alt):
        values, _ = resolve_levers(scn, resolve_parameters(scn, None, 1, data_dir), data_dir)
        used.append(values)
    problems = []
    for name in unc.lever_names:
        a, b = used[0][name], used[1][name]
        if a != b:
            problems.append(
                f"[uncertainty] levers.{name}: drawn for every scenario, but {ref.name!r} "
                f"sets it to {_setting(ref, name, a)} and {alt.name!r} to "
                f"{_setting(alt, name, b)}; the draws would replace both and hide the "
                "difference. Leave it out of [uncertainty.levers] to compare the two "
                "settings, or run each scenario's ensemble on its own"
            )
    if problems:
        raise ScenarioError(problems, source=source)


def _setting(scn: Scenario, name: str, value) -> str:
    text = value.as_toml() if hasattr(value, "as_toml") else value
    return f"{text!r}" + ("" if name in scn.levers else " (its default)")


def resolve_uncertainty(scenario, uncertainty, data_dir) -> Uncertainty:
    """``uncertainty`` (an Uncertainty, a dict, or None for the scenario's own) validated: a
    parameter the scenario fixes in ``[parameters]`` cannot be drawn."""
    if uncertainty is None:
        return scenario_uncertainty(scenario or Scenario(), data_dir)
    if not isinstance(uncertainty, Uncertainty):
        return parse_uncertainty(uncertainty, scenario=scenario, data_dir=data_dir)
    fixed = set(getattr(scenario, "parameters", None) or {})
    both = [p.name for p in uncertainty.parameters if p.kind == "parameter" and p.name in fixed]
    if both and not uncertainty.is_default:
        raise ScenarioError(
            [f"uncertainty: {n} is also fixed in [parameters]; keep one of the two" for n in both],
            source=getattr(scenario, "source", None),
        )
    return uncertainty


def _plan(
    scn: Scenario,
    members: int,
    drawn: int,
    chunk_size: int,
    workers,
    executor,
    keep_names,
    sampling: str | None = None,
) -> tuple[int, int]:
    """The processes and the chunk size of a run of ``members`` members with ``drawn``
    parameter values each (:func:`hubinsim.run.resources.plan`: refused when the members
    cannot fit in memory, announced when long)."""
    processes = 1
    if executor is None and workers != 1:
        processes = resolve_workers(workers, chunks_of(members, chunk_size))
    planned = plan(
        members,
        round((scn.time.end - BASE_YEAR) / scn.time.dt),
        scn.time.end - BASE_YEAR + 1,
        scn.time.method,
        processes,
        chunk_size,
        len(INDICATORS) if keep_names is None else len(keep_names),
        drawn,
        remote=executor is not None,
        sampling=sampling,
    )
    return processes, planned.chunk_size


def _settings(unc: Uncertainty, draws, seed, sampling) -> tuple[int, int, str]:
    """Draws, seed and sampling of an ensemble: those given, else the uncertainty's; checked.
    Without a seed a fresh one is drawn and recorded."""
    problems = run_settings_problems(draws=draws, seed=seed, sampling=sampling)
    if problems:
        raise ScenarioError(problems)
    draws = unc.draws if draws is None else draws
    seed = unc.seed if seed is None else seed
    return draws, fresh_seed() if seed is None else seed, sampling or unc.sampling


def run_ensemble(
    scenario: Scenario | None = None,
    draws: int | None = None,
    seed: int | None = None,
    *,
    uncertainty: Uncertainty | Mapping | None = None,
    sampling: str | None = None,
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor: Executor | str | None = None,
    keep=None,
    progress=None,
    data_dir=None,
) -> Results:
    """Run ``draws`` members of ``scenario`` over sampled parameter values.

    Parameters
    ----------
    scenario : Scenario, optional
        Business as usual when omitted.
    draws : int, optional
        Number of members (default: the uncertainty's ``draws``, 1000).
    seed : int, optional
        Seed of the draws (default: the uncertainty's; if neither gives one, a fresh seed is
        drawn and recorded in ``metadata["ensemble"]["seed"]``).
    uncertainty : Uncertainty or dict, optional
        Overrides the scenario's declared uncertainty (:mod:`hubinsim.scenario.uncertainty`).
    sampling : {"lhs", "sobol", "mc"}, optional
        Overrides the uncertainty's sampling.
    chunk_size : int, optional
        Members per vectorised run (default :data:`DEFAULT_CHUNK_SIZE`).
    workers : int or "auto"
        Processes for the chunks when no ``executor`` is given (1: in this process; "auto":
        one per usable CPU).
    executor : concurrent.futures.Executor or str, optional
        Runs the chunks (for instance :func:`hubinsim.run.parallel.dask_executor`; it is not
        shut down), or the address ``dask://HOST:PORT`` of a Dask scheduler to connect to.
    keep : "all", "headline", list of str or None
        Indicators whose members are kept (see :func:`kept_indicators`).
    progress : callable, optional
        ``progress(done, total)`` after each chunk (see :func:`run_members`).

    Returns
    -------
    Results
        ``values[name]`` of shape (years, draws); ``metadata["samples"]`` the parameter
        draws (name -> array (draws,)), ``metadata["ensemble"]`` the settings (draws, seed,
        sampling, uncertainty) needed to reproduce the run.
    """
    data = load_data(data_dir)  # read once, for the draws and every chunk
    scenario = check_scenario(scenario or Scenario(), data)
    unc = resolve_uncertainty(scenario, uncertainty, data)
    draws, seed, sampling = _settings(unc, draws, seed, sampling)
    if not unc.parameters:
        raise ScenarioError(
            "uncertainty: no parameter is uncertain (the scenario fixes them "
            "all), so every member would be the same"
        )
    problems = run_settings_problems(chunk_size=chunk_size, workers=workers, executor=executor)
    if problems:
        raise ScenarioError(problems)
    # planned before the draws are made: they take time and memory too
    _plan(
        scenario,
        draws,
        len(unc.parameters),
        DEFAULT_CHUNK_SIZE if chunk_size is None else chunk_size,
        workers,
        executor,
        kept_indicators(keep, draws, data),
        sampling,
    )
    with announced():
        samples = unc.sample(draws, seed, sampling)
        res = run_members(
            scenario,
            samples,
            chunk_size=chunk_size,
            workers=workers,
            executor=executor,
            keep=keep,
            progress=progress,
            data_dir=data,
        )
    _record(res, unc, draws, seed, sampling)
    return res


def _record(res: Results, unc: Uncertainty, draws: int, seed: int, sampling: str) -> None:
    spec = unc.as_dict()
    spec.update(draws=draws, seed=seed, sampling=sampling)
    res.metadata["ensemble"] = {
        "draws": draws,
        "seed": seed,
        "sampling": sampling,
        "default_uncertainty": unc.is_default,
        "uncertainty": spec,
    }
    res.metadata["seed"] = seed
    for p in unc.parameters:
        res.metadata["levers" if p.kind == "lever" else "parameters"][p.name] = p.as_dict()
    # The scenario recorded with the results carries the uncertainty actually used, so that
    # its resolved file (scenario.resolved.toml) reproduces the members exactly. It lists
    # the parameters even for the default uncertainty: the resolved file fixes every
    # parameter in [parameters], which would leave a default with nothing to draw.
    scn = res.metadata.get("scenario_object")
    if scn is not None and "sections" in {f.name for f in dataclasses.fields(scn)}:
        used = Uncertainty(unc.parameters, unc.correlations, draws, seed, sampling, False)
        sections = {**(scn.sections or {}), "uncertainty": used}
        res.metadata["scenario_object"] = dataclasses.replace(scn, sections=sections)


@dataclass
class EnsembleComparison:
    """Two ensembles run on the same parameter draws (common random numbers).

    Member ``m`` of ``alt`` and member ``m`` of ``ref`` share every parameter value, so
    their difference isolates the effect of the scenario's settings: it is exactly zero
    for identical scenarios, and its spread is far smaller than that of either ensemble.
    """

    ref: Results
    alt: Results

    @property
    def columns(self) -> list[str]:
        return [c for c in self.ref.columns if c in self.alt.values]

    def difference(self, indicator: str, relative: bool = False) -> np.ndarray:
        """``alt - ref`` by year and member (years, members); in % of ``ref`` if relative."""
        if indicator not in self.ref.values or indicator not in self.alt.values:
            raise KeyError(
                f"indicator {indicator!r} is not kept in both ensembles"
                f"{suggest(indicator, self.columns)}"
            )
        r, a = self.ref.values[indicator], self.alt.values[indicator]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (a - r) / np.abs(r) * 100.0 if relative else a - r

    def percentiles(self, q=PERCENTILES, relative: bool = False) -> pd.DataFrame:
        """Percentiles of the member-by-member difference: columns (indicator, 'p5' ...)."""
        parts = {}
        for name in self.columns:
            pct = percentile_rows(self.difference(name, relative), q)
            for qi, row in zip(q, pct, strict=True):
                parts[(name, f"p{qi}")] = row
        df = pd.DataFrame(parts, index=pd.Index(self.ref.years, name="year"))
        df.columns = pd.MultiIndex.from_tuples(df.columns, names=["indicator", "stat"])
        return df

    def probability_higher(self, indicator: str, year: int) -> float:
        """Share of members in which ``alt`` exceeds ``ref`` in ``year``."""
        yi = list(self.ref.years).index(year)
        return float(np.mean(self.difference(indicator)[yi] > 0.0))


def compare_ensembles(
    ref: Scenario | None,
    alt: Scenario,
    draws: int | None = None,
    seed: int | None = None,
    *,
    uncertainty: Uncertainty | Mapping | None = None,
    sampling: str | None = None,
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor: Executor | str | None = None,
    keep=None,
    progress=None,
    data_dir=None,
) -> EnsembleComparison:
    """Run ``ref`` and ``alt`` on the same parameter draws (common random numbers).

    The draws come from ``uncertainty``, else the reference scenario's declared
    uncertainty, else the default one; a parameter that either scenario fixes in
    ``[parameters]`` is left out of the default (each scenario keeps its value). Other
    arguments as in :func:`run_ensemble`.
    """
    data = load_data(data_dir)  # read once, for the draws and every chunk
    ref = check_scenario(ref or Scenario(), data)
    alt = check_scenario(alt, data)
    unc = resolve_uncertainty(ref, uncertainty, data)
    _check_drawn_levers(unc, ref, alt, data, ref.source if uncertainty is None else None)
    if unc.is_default and uncertainty is None:
        fixed = set(alt.parameters)
        unc = Uncertainty(
            tuple(p for p in unc.parameters if p.name not in fixed),
            tuple(c for c in unc.correlations if not {c[0], c[1]} & fixed),
            unc.draws,
            unc.seed,
            unc.sampling,
            # Explicit: written back as the list of parameters, since the default of either
            # scenario alone would differ.
            not fixed,
        )
    draws, seed, sampling = _settings(unc, draws, seed, sampling)
    samples = unc.sample(draws, seed, sampling)
    out = []
    with opened_executor(executor) as opened:
        for k, scn in enumerate((ref, alt)):
            res = run_members(
                scn,
                samples,
                chunk_size=chunk_size,
                workers=workers,
                executor=opened,
                keep=keep,
                progress=progress_part(progress, k, 2),
                data_dir=data,
            )
            _record(res, unc, draws, seed, sampling)
            out.append(res)
    return EnsembleComparison(*out)
