"""The folder of behavioural parameters estimated from data (``hubinsim estimate``).

Layout of ``<out>/estimate-<scenario>/``::

    estimates.csv             one row per parameter estimated: estimate, standard error, t,
                              p, 95 % interval, observations, districts, standard errors used,
                              the scenario's value, the plausible range, the regression
    regressions.txt           the statsmodels regression table of each, and the regressions
                              skipped with the reason
    <scenario>-estimated.toml a scenario file that extends the scenario and sets the
                              estimates within their plausible ranges (its header names the
                              data and their sha256)
    run.json                  version, command, input hashes, the data file and its hash
"""

from __future__ import annotations

from pathlib import Path

from ..defaults import DEFAULT_OUT, DPI
from .folders import Written, atomic_folder, check_writer, estimate_folder, safe_name, write_csv
from .record import input_hashes, run_json, write_json
from .solve_folder import extends_path


def write_estimates(
    estimates,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    command: str | None = None,
    started: float | None = None,
) -> Written:
    """Write the folder of an :class:`~hubinsim.analysis.elasticities.Elasticities` from
    :func:`hubinsim.estimate_elasticities` (see the module)."""
    from ..analysis.elasticities import Elasticities

    check_writer(estimates, Elasticities, out, force, False, "en", command, started, 1, DPI)
    est = estimates
    md = est.metadata
    scn = md.get("scenario_object")
    target = estimate_folder(out, md.get("scenario", "baseline"))
    with atomic_folder(target, force) as tmp:
        write_csv(est.table, tmp / "estimates.csv", float_format="%.10g")
        parts = [f"{name}\n\n{text}\n" for name, text in est.summaries.items()]
        parts += [f"{name}: not estimated: {why}\n" for name, why in est.skipped.items()]
        (tmp / "regressions.txt").write_text("\n".join(parts) or "(none)\n", encoding="utf-8")
        toml_name = f"{safe_name(md.get('scenario', 'baseline'))}-estimated.toml"
        source = scn.source if scn is not None else None
        extends = extends_path(source, target) if source else None
        (tmp / toml_name).write_text(est.fragment(extends), encoding="utf-8")
        files = ["estimates.csv", "regressions.txt", toml_name]
        fields = {
            "scenario": md.get("scenario"),
            "scenario_file": str(Path(source).resolve()) if source else None,
            "input_hashes": input_hashes(source, scn),
            "panel_file": str(Path(md["source"]).resolve()) if md.get("source") else None,
            "panel_sha256": md.get("sha256"),
            "districts": md.get("districts"),
            "years": [md.get("first_year"), md.get("last_year")],
            "estimated": list(est.table.index),
            "skipped": est.skipped,
        }
        write_json(
            tmp / "run.json", run_json(command=command, fields=fields, started=started, files=files)
        )
    return Written(target, (*files, "run.json"))
