"""The folder of a goal seek: the solved scenario, the solution, the scan, a chart, run.json.

Layout of ``<out>/solve-<scenario>-<indicator>-<year>-<levers>/`` (the levers' names joined
by ``-``, then ``-from-<year>`` with ``from_year``, ``-actuals`` when solved on the
re-projection from actual figures)::

    <scenario>-solved.toml   the solved scenario: a file that extends the original and sets
                             the solved levers (``<scenario>-closest.toml``, with a warning in
                             its header, when the target cannot be met)
    solution.csv             one row per lever: status quo, solved value, change, range, on
                             a bound or not
    effects.csv              what the solved scenario does against the status quo, in the
                             target's year and the last: real GDP, GDP, budget revenue, the
                             fiscal balance, government debt and every plan target's indicator
    costs.csv                the largest extra outlay of each lever in 亿元/yr and the largest
                             fall of the fiscal balance, with its share of budget revenue
    scan.csv                 (one lever) the target's indicator at each lever value scanned
    charts/response.png      (one lever) the indicator against the lever, target, solution
    charts/changes.png       (several levers) the change each needs, in % of its range
    run.json                 version, command, input hashes, target, method, result
"""

from __future__ import annotations

import os
from pathlib import Path

from ..analysis.goalseek import Solution
from ..defaults import DEFAULT_OUT, DPI
from ..plots import solve_chart_jobs
from ..scenario.resolved import resolved_toml
from .charts import drawing
from .folders import Written, atomic_folder, check_writer, safe_name, solve_folder, write_csv
from .record import input_hashes, run_json, write_json


def extends_path(source, folder: Path) -> str:
    """The path of ``source`` as a file in ``folder`` would write it in ``extends``:
    relative when both are on one drive, else absolute (POSIX separators)."""
    source = Path(source).resolve()
    try:
        rel = os.path.relpath(source, Path(folder).resolve())
    except ValueError:  # another drive (Windows)
        return source.as_posix()
    return Path(rel).as_posix()


def write_solution(
    solution,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    lang: str = "en",
    command: str | None = None,
    started: float | None = None,
    dpi: int = DPI,
) -> Written:
    """Write the folder of a :class:`~hubinsim.analysis.goalseek.Solution` from
    :func:`hubinsim.solve` (see the module); the arguments are those of
    :func:`hubinsim.io.run_folder.write_run`."""
    check_writer(solution, Solution, out, force, charts, lang, command, started, 1, dpi)
    sol = solution
    original = sol.original
    target = solve_folder(
        out,
        original.name,
        sol.goal.indicator,
        sol.goal.year,
        [v.name for v in sol.variables],
        sol.metadata.get("from_year"),
        sol.metadata.get("restart_year") is not None,
    )
    jobs = solve_chart_jobs(sol, lang) if charts else []
    data_dir = sol.metadata.get("data") or sol.metadata.get("data_dir")
    with atomic_folder(target, force) as tmp:
        with drawing(jobs, tmp / "charts", dpi, 1) as chart_files:
            toml_name = f"{safe_name(sol.scenario.name)}.toml"
            extends = extends_path(original.source, target) if original.source else None
            (tmp / toml_name).write_text(sol.toml(extends), encoding="utf-8")
            table = sol.table.reset_index()
            table.insert(0, "target", str(sol.goal))
            table.insert(1, "status", sol.status)
            write_csv(table, tmp / "solution.csv", index=False, float_format="%.12g")
            files = [toml_name, "solution.csv"]
            for name, frame in (("effects.csv", sol.effects), ("costs.csv", sol.costs)):
                if frame is not None:
                    write_csv(frame, tmp / name, index=False, float_format="%.12g")
                    files.append(name)
            if sol.scan is not None:
                write_csv(sol.scan, tmp / "scan.csv", index=False, float_format="%.12g")
                files.append("scan.csv")
            if original.source is None:
                (tmp / "original.resolved.toml").write_text(
                    resolved_toml(original, data_dir), encoding="utf-8"
                )
                files.append("original.resolved.toml")
        files += [f"charts/{name}" for name in chart_files]
        md = sol.metadata
        fields = {
            "scenario": original.name,
            "scenario_file": str(Path(original.source).resolve()) if original.source else None,
            "input_hashes": input_hashes(original.source, original, data_dir),
            "target": str(sol.goal),
            "levers": [v.name for v in sol.variables],
            "status": sol.status,
            "message": sol.message,
            "solved": {
                k: (v.as_toml() if hasattr(v, "as_toml") else v) for k, v in sol.settings.items()
            },
            "achieved": sol.achieved,
            "status_quo_value": sol.status_quo_value,
            "change_norm": sol.change_norm if len(sol.variables) > 1 else None,
            "probability": sol.probability,
            "share_meeting": sol.share_meeting,
            "monotone": sol.monotone,
            "notes": sol.notes,
            "warnings": list(sol.warnings),
            **{
                k: md.get(k)
                for k in ("method", "norm", "scan_points", "runs", "draws", "seed", "sampling")
            },
            "from_year": md.get("from_year"),
            "actuals_file": md.get("actuals"),
            "actuals_sha256": md.get("actuals_sha256"),
            "restart_year": md.get("restart_year"),
            "solve_time_s": md.get("wall_time_s"),
        }
        write_json(
            tmp / "run.json", run_json(command=command, fields=fields, started=started, files=files)
        )
    return Written(target, (*files, "run.json"))
