"""The folder of a backtest (``hubinsim backtest``).

Layout of ``<out>/backtest-<scenario>-<origin>/``::

    scores.csv                    per series and method: n, MAPE, mean error, RMSE, Theil's U,
                                  or why the method gave no forecast
    forecasts.csv                 every forecast after the origin, with the actual figure
    history.csv                   the actual figures of every series, both sides of the origin
    summary.csv                   per model and benchmark: on how many of the series both
                                  forecast the model has the lower RMSE
    estimates.csv                 (with ``fit``) the parameters calibrated up to the origin
    <scenario>-calibrated.toml    (with ``fit``) the calibrated scenario, extending the original
    charts/backtest_<indicator>_<basis>.png   the actuals and each method's forecast
    run.json                      version, command, input hashes, the actual figures and their
                                  hash, origin, what was fitted
"""

from __future__ import annotations

from ..analysis.backtest import Backtest
from ..defaults import DEFAULT_OUT, DPI
from .calibration_folder import fitted_record
from .charts import save_figures
from .folders import Written, atomic_folder, backtest_folder, check_writer, safe_name, write_csv
from .record import run_json, write_json
from .solve_folder import extends_path


def write_backtest(
    backtest,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    command: str | None = None,
    started: float | None = None,
    dpi: int = DPI,
) -> Written:
    """Write the folder of a :class:`~hubinsim.analysis.backtest.Backtest` from
    :func:`hubinsim.backtest` (see the module)."""
    check_writer(backtest, Backtest, out, force, charts, "en", command, started, 1, dpi)
    bt = backtest
    md = bt.metadata
    cal = bt.calibration
    original = cal.original if cal is not None else bt.scenario
    target = backtest_folder(out, original.name, bt.origin)
    figures = {}
    if charts:
        from ..plots.backtest import backtest_charts

        figures = backtest_charts(bt)
    with atomic_folder(target, force) as tmp:
        write_csv(bt.table, tmp / "scores.csv", index=False, float_format="%.10g")
        write_csv(bt.forecasts, tmp / "forecasts.csv", index=False, float_format="%.10g")
        write_csv(bt.history, tmp / "history.csv", index=False, float_format="%.10g")
        write_csv(bt.summary(), tmp / "summary.csv", index=False)
        files = ["scores.csv", "forecasts.csv", "history.csv", "summary.csv"]
        source = original.source
        if cal is not None:
            write_csv(cal.estimates, tmp / "estimates.csv", float_format="%.10g")
            toml_name = f"{safe_name(cal.scenario.name)}.toml"
            extends = extends_path(source, target) if source else None
            (tmp / toml_name).write_text(cal.fragment(extends), encoding="utf-8")
            files += ["estimates.csv", toml_name]
        if figures:
            files += [f"charts/{p.name}" for p in save_figures(figures, tmp / "charts", dpi)]
        fields = {
            **fitted_record(original, md),
            "origin": bt.origin,
            "last_year": md.get("last_year"),
            "fitted": md.get("fit"),
            "estimates": cal.values if cal is not None else {},
            "notes": list(bt.notes),
            "summary": bt.summary_lines(),
            "warnings": list(bt.metadata.get("warnings", [])),
        }
        write_json(
            tmp / "run.json", run_json(command=command, fields=fields, started=started, files=files)
        )
    return Written(target, (*files, "run.json"))
