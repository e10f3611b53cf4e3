"""The folder of a sensitivity analysis: the ranked indices, a chart per output, run.json.

Layout of ``<out>/sensitivity-<scenario>-<method>/``::

    indices.csv              every output and parameter, ranked (output, indicator, year,
                             rank, parameter, then S1, S1_conf, ST, ST_conf or mu, mu_star,
                             mu_star_conf, sigma)
    charts/<indicator>_<year>.png   horizontal bars of the most influential parameters
    scenario.resolved.toml   the scenario analysed
    run.json                 version, command, method, n, runs, seed, outputs, parameters
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.indices import SensitivityResult
from ..defaults import DEFAULT_OUT, DEFAULT_TOP, DPI
from ..errors import ScenarioError
from ..plots import sensitivity_chart_jobs
from ..scenario.resolved import resolved_toml
from .charts import drawing
from .folders import Written, atomic_folder, check_writer, sensitivity_folder, write_csv
from .record import input_hashes, run_json, write_json


def write_sensitivity(
    result,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    lang: str = "en",
    top: int = DEFAULT_TOP,
    command: str | None = None,
    started: float | None = None,
    workers=1,
    dpi: int = DPI,
) -> Written:
    """Write the folder of a :class:`~hubinsim.analysis.indices.SensitivityResult` from
    :func:`hubinsim.sensitivity` (see the module); ``top`` parameters are charted per output,
    the other arguments are those of :func:`hubinsim.io.run_folder.write_run`."""
    check_writer(
        result, SensitivityResult, out, force, charts, lang, command, started, workers, dpi
    )
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ScenarioError(f"top: must be a whole number >= 1, got {top!r:.60}")
    md = result.metadata
    target = sensitivity_folder(out, md["scenario"], result.method)
    jobs = sensitivity_chart_jobs(result, lang, top) if charts else []
    scenario, data_dir = md.get("scenario_object"), md.get("data") or md.get("data_dir")
    with atomic_folder(target, force) as tmp:
        with drawing(jobs, tmp / "charts", dpi, workers) as chart_files:
            write_csv(result.ranked_table(), tmp / "indices.csv", index=False, float_format="%.6g")
            (tmp / "scenario.resolved.toml").write_text(
                resolved_toml(scenario, data_dir), encoding="utf-8"
            )
        files = ["indices.csv", "scenario.resolved.toml", *(f"charts/{n}" for n in chart_files)]
        source = md.get("source")
        fields = {
            "scenario": md.get("scenario"),
            "scenario_file": str(Path(source).resolve()) if source else None,
            "input_hashes": input_hashes(source, scenario, data_dir),
            **{
                key: md.get(key)
                for key in (
                    "method",
                    "n",
                    "runs",
                    "seed",
                    "backend",
                    "conf_level",
                    "num_resamples",
                    "num_levels",
                    "outputs",
                    "parameters",
                    "default_uncertainty",
                    "uncertainty",
                    "chunk_size",
                )
            },
            "simulation_time_s": md.get("wall_time_s"),
        }
        write_json(
            tmp / "run.json", run_json(command=command, fields=fields, started=started, files=files)
        )
    return Written(target, (*files, "run.json"))
