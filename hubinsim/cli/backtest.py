"""``hubinsim backtest``: the model fitted up to an origin and scored after it, side by side
with simple forecasts."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .group import CONTEXT, command_line, echo_warnings, main
from .options import Int, actuals_options, apply, fit_options, out_options
from .tables import backtest_table


@main.command(
    "backtest",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim backtest scenarios/baseline.toml --actuals examples/actuals_illustrative.csv \\
      --origin 2022 --fit tfp.growth_tertiary --fit labour.okun
      -> runs/backtest-baseline-2022/ (scores.csv, forecasts.csv, charts/)
  hubinsim backtest scenarios/baseline.toml --actuals my.csv --origin 2021
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@apply(actuals_options("; years before 2020 lengthen the benchmarks' history"))
@click.option(
    "--origin",
    required=True,
    type=Int(),
    metavar="YEAR",
    help="The last year the fit and the benchmarks see; the years after it are scored.",
)
@apply(
    fit_options(" on the years up to the origin (none: the scenario's own values)", required=False)
)
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
@apply(out_options("the backtest folder"))
@click.pass_context
def backtest_command(
    ctx, scenario, actuals, origin, fit, starts, seed, vintage, no_charts, out, force
):
    """Fit SCENARIO on the actual figures of FILE up to --origin, project the years after it,
    and score the projection (MAPE, mean error, RMSE, Theil's U against no change) side by
    side with no change, constant growth at the last rate and at the plan's rate, Holt's
    exponential smoothing and ARIMA (statsmodels; skipped with the reason where a series is
    too short). Methods that gave no forecast are listed one line per reason; a summary says
    on how many series the model beats each benchmark, and scores resting on fewer than 3
    years are warned of.

    Writes OUT/backtest-<name>-<origin>/: scores.csv, forecasts.csv, history.csv, a chart
    per series, the calibrated scenario (with --fit) and run.json. docs/calibration.md gives
    each method and score.
    """
    import hubinsim
    from hubinsim.io.folders import backtest_folder, check_target

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir)
    act = hubinsim.read_actuals(actuals)
    check_target(backtest_folder(out, scn.name, origin), force)
    bt = hubinsim.backtest(
        scn, act, origin, list(fit), starts=starts, seed=seed, vintage=vintage, data_dir=data_dir
    )
    written = hubinsim.write_backtest(
        bt, out, force=force, charts=not no_charts, command=command_line(ctx), started=started
    )
    click.echo(
        f"Scenario {scn.name!r} against {actuals}: fitted up to {origin}, scored "
        f"{origin + 1}-{bt.metadata['last_year']}"
    )
    for note in bt.notes:
        click.echo(f"Note: {note}")
    click.echo("")
    click.echo(backtest_table(bt.table[bt.table["n"] > 0]))
    for r in bt.skipped().itertuples():
        click.echo(f"No forecast from {r.methods} ({r.rows} rows, {r.n_series} series): {r.reason}")
    click.echo("")
    for line in bt.summary_lines():
        click.echo(f"{line}.")
    echo_warnings(ctx)
    click.echo("")
    click.echo(f"Wrote {written.path}/ ({len(written.files)} files)")
