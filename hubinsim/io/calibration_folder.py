"""The folder of a calibration (``hubinsim calibrate``).

Layout of ``<out>/calibrate-<scenario>/``::

    estimates.csv              one row per parameter fitted: estimate, standard error, 95 %
                               interval, the scenario's value, the range, identified or not,
                               on a bound, the warning
    correlation.csv            the estimates' correlation matrix (empty for a parameter not
                               identified); covariance.csv, the covariance matrix
    fit.csv                    per indicator and basis: n, RMSE, MAPE, bias at the start and
                               at the estimate
    residuals.csv              every figure fitted: actual, model at the start and at the
                               estimate, measurement standard deviation, weighted residual
    starts.csv                 each start of the fit, where it ended, its cost
    <scenario>-calibrated.toml a scenario file that extends the scenario and sets the
                               estimates (its header names the actual figures, their sha256
                               and the weights)
    <scenario>-calibrated-ensemble.toml
                               (with ``uncertainty``) the file for ensembles: its
                               ``[uncertainty]`` section draws the parameters fitted from
                               their estimated distribution instead of fixing them
    run.json                   version, command, input hashes, the actual figures and their
                               hash, the fit's figures
"""

from __future__ import annotations

from pathlib import Path

from ..analysis.calibration import Calibration
from ..defaults import DEFAULT_OUT, DPI
from ..errors import ScenarioError
from .folders import Written, atomic_folder, calibration_folder, check_writer, safe_name, write_csv
from .record import input_hashes, run_json, write_json
from .solve_folder import extends_path


def fitted_record(original, metadata: dict) -> dict:
    """The fields of run.json that say what was fitted to what: the scenario, its file and
    the input hashes, the actual figures' file, sha256 and vintage."""
    source = original.source
    return {
        "scenario": original.name,
        "scenario_file": str(Path(source).resolve()) if source else None,
        "input_hashes": input_hashes(source, original, metadata.get("data_dir")),
        "actuals_file": metadata.get("actuals"),
        "actuals_sha256": metadata.get("actuals_sha256"),
        "vintage": metadata.get("vintage"),
    }


def write_calibration(
    calibration,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    uncertainty: bool = False,
    command: str | None = None,
    started: float | None = None,
) -> Written:
    """Write the folder of a :class:`~hubinsim.analysis.calibration.Calibration` from
    :func:`hubinsim.calibrate` (see the module); ``uncertainty=True`` also writes the file for
    ensembles, whose ``[uncertainty]`` section draws the parameters fitted."""
    check_writer(calibration, Calibration, out, force, True, "en", command, started, 1, DPI)
    if not isinstance(uncertainty, bool):
        raise ScenarioError([f"uncertainty: must be True or False, got {uncertainty!r:.60}"])
    cal = calibration
    md = cal.metadata
    original = cal.original
    target = calibration_folder(out, original.name)
    with atomic_folder(target, force) as tmp:
        tables = {
            "estimates.csv": cal.estimates,
            "correlation.csv": cal.correlation,
            "covariance.csv": cal.covariance,
        }
        for name, frame in tables.items():
            write_csv(frame, tmp / name, float_format="%.10g")
        for name, frame in (
            ("fit.csv", cal.fit),
            ("residuals.csv", cal.residuals),
            ("starts.csv", cal.starts),
        ):
            write_csv(frame, tmp / name, index=False, float_format="%.10g")
        source = original.source
        extends = extends_path(source, target) if source else None
        files = [*tables, "fit.csv", "residuals.csv", "starts.csv"]
        for ensemble in (False, True) if uncertainty else (False,):
            name = safe_name(cal.scenario.name) + ("-ensemble" if ensemble else "")
            text = cal.fragment(extends, uncertainty=ensemble)
            (tmp / f"{name}.toml").write_text(text, encoding="utf-8")
            files.append(f"{name}.toml")
        fields = {
            **fitted_record(original, md),
            "years": md.get("years"),
            "fitted": list(cal.estimates.index),
            "estimates": cal.values,
            "figures": md.get("n"),
            "weighted_sum_of_squares": md.get("cost"),
            "weighted_sum_of_squares_start": md.get("cost_start"),
            "s2": md.get("s2"),
            "starts": md.get("starts"),
            "seed": md.get("seed"),
            "runs": md.get("runs"),
            "warnings": list(cal.warnings),
            "notes": list(cal.notes),
            "calibration_time_s": md.get("wall_time_s"),
        }
        write_json(
            tmp / "run.json", run_json(command=command, fields=fields, started=started, files=files)
        )
    return Written(target, (*files, "run.json"))
