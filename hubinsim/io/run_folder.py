"""The run folder of one scenario: its tables, members, charts, resolved scenario, run.json.

Layout of ``<out>/<scenario-name>/``::

    annual.csv               one row per year, one column per indicator; for an ensemble,
                             per indicator: <name> (the median), <name>_mean and
                             <name>_p5, _p25, _p50, _p75, _p95 (Results.summary)
    members.csv.gz           (ensembles) one row per member and year: the headline and
                             plan-target indicators of every member
    draws.csv.gz             (ensembles) one row per member: the parameter (and lever) values drawn
    members.npz, draws.npz   (ensembles above MEMBERS_CSV_LIMIT members, instead of the two
                             CSV files) the same values in numpy's binary format, exact:
                             ``member``, ``year`` and one (members, years) array per
                             indicator; ``member`` and one (members,) array per parameter
    targets.csv              the plan-target scorecard (with ``probability`` for ensembles)
    charts/*.png             (unless charts are switched off)
    scenario.resolved.toml   every value the run used, after inheritance and defaults
    run.json                 version, command, input file hashes, dt, method, times and,
                             for an ensemble, draws, seed and sampling

The folder is written atomically (:func:`hubinsim.io.folders.atomic_folder`).
"""

from __future__ import annotations

from pathlib import Path

from ..defaults import DEFAULT_OUT, DPI
from ..plots import run_chart_jobs
from ..results import Results, scorecard_in
from ..scenario.resolved import resolved_toml
from .charts import drawing
from .folders import Written, atomic_folder, check_writer, run_folder, write_csv
from .members import write_members
from .record import ensemble_record, run_json, scenario_record, write_json


def write_tables(folder: Path, results, lang: str = "en") -> list[str]:
    """annual.csv and targets.csv (its headers and words in ``lang``; and the members of an
    ensemble); returns the names."""
    write_csv(results.summary(), folder / "annual.csv", float_format="%.10g")
    card = scorecard_in(results.targets, lang)
    write_csv(card, folder / "targets.csv", index=False, float_format="%.10g")
    written = ["annual.csv", "targets.csv"]
    if results.is_ensemble:
        written += write_members(folder, results)
    return written


def write_resolved(path: Path, results) -> None:
    """The resolved scenario of ``results`` (every value the run used) as TOML."""
    scenario = results.metadata["scenario_object"]
    data = results.metadata.get("data") or results.metadata.get("data_dir")
    path.write_text(resolved_toml(scenario, data), encoding="utf-8")


def write_run(
    results,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    lang: str = "en",
    command: str | None = None,
    started: float | None = None,
    workers=1,
    dpi: int = DPI,
) -> Written:
    """Write the run folder ``<out>/<scenario-name>/`` of ``results`` (see the module).

    Parameters
    ----------
    results : Results
        From :func:`hubinsim.simulate`.
    out : path
        The folder that receives the run folder (default ``runs``).
    force : bool
        Replace an existing run folder (else it is kept and :class:`OutputError` raised).
    charts, lang : optional
        Draw the charts (``lang`` "en" or "zh").
    command : str, optional
        The command line recorded in run.json.
    started : float, optional
        :func:`time.perf_counter` when the work began, for the wall time in run.json.
    workers : int or "auto"
        Processes drawing the charts (1: this one; "auto": one per usable CPU).

    Returns
    -------
    Written
        The folder and the files written in it.
    """
    check_writer(results, Results, out, force, charts, lang, command, started, workers, dpi)
    target = run_folder(out, results.metadata["scenario"])
    jobs = run_chart_jobs(results, lang) if charts else []
    with atomic_folder(target, force) as tmp:
        with drawing(jobs, tmp / "charts", dpi, workers) as chart_files:
            files = write_tables(tmp, results, lang)
            write_resolved(tmp / "scenario.resolved.toml", results)
            files.append("scenario.resolved.toml")
        files += [f"charts/{name}" for name in chart_files]
        source = results.metadata.get("source")
        fields = scenario_record(results, source, results.metadata.get("data_dir"))
        ens = ensemble_record(results)
        after = {"ensemble": ens} if ens is not None else None
        write_json(
            tmp / "run.json",
            run_json(command=command, fields=fields, started=started, files=files, after=after),
        )
        files.append("run.json")
    return Written(target, tuple(files))
