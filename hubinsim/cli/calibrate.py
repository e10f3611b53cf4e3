"""``hubinsim calibrate``: structural parameters fitted to actual figures."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .group import CONTEXT, command_line, echo_warnings, main
from .options import actuals_options, apply, fit_options, out_options
from .tables import calibration_table, fit_table


@main.command(
    "calibrate",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim calibrate scenarios/baseline.toml --actuals examples/actuals_illustrative.csv \\
      --fit tfp.growth_tertiary --fit labour.okun --fit fiscal.buoyancy
      -> runs/calibrate-baseline/baseline-calibrated.toml (extends the scenario)
  hubinsim calibrate scenarios/baseline.toml --actuals my.csv --fit tfp.growth_industry \\
      --starts 8 --seed 3 --vintage revised --uncertainty
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@apply(actuals_options())
@apply(fit_options("", required=True))
@click.option(
    "--uncertainty",
    is_flag=True,
    help="Also write <name>-calibrated-ensemble.toml, for ensembles: its [uncertainty] section "
    "draws the fitted parameters from their estimated distribution (normal, correlated, cut "
    "to the ranges) instead of uniformly over their ranges.",
)
@apply(out_options("the calibration folder"))
@click.pass_context
def calibrate_command(ctx, scenario, actuals, fit, starts, seed, vintage, uncertainty, out, force):
    """Fit structural parameters of SCENARIO to the actual figures of FILE by bounded
    nonlinear least squares (levels in logs, rates in points, growth in points, each divided
    by its measurement standard deviation) and write OUT/calibrate-<name>/.

    Prints the estimates with standard errors from the Jacobian and the fit per indicator
    (RMSE, MAPE, bias, before -> after), and warns of each parameter the figures do not
    identify. The folder holds estimates.csv, correlation.csv, covariance.csv, fit.csv,
    residuals.csv, starts.csv, <name>-calibrated.toml (extends SCENARIO; the figures' sha256
    in its header), with --uncertainty <name>-calibrated-ensemble.toml, and run.json.
    docs/calibration.md gives the method.
    """
    import hubinsim
    from hubinsim.io.folders import calibration_folder, check_target

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir)
    act = hubinsim.read_actuals(actuals)
    check_target(calibration_folder(out, scn.name), force)
    cal = hubinsim.calibrate(
        scn, act, list(fit), starts=starts, seed=seed, vintage=vintage, data_dir=data_dir
    )
    written = hubinsim.write_calibration(
        cal, out, force=force, uncertainty=uncertainty, command=command_line(ctx), started=started
    )
    md = cal.metadata
    click.echo(
        f"Scenario {scn.name!r} fitted to {md['n']} actual figures of {md['years']} from "
        f"{actuals}: weighted sum of squares {md['cost_start']:.4g} -> {md['cost']:.4g} "
        f"({md['starts']} start(s), {md['runs']} runs)"
    )
    click.echo("")
    click.echo(calibration_table(cal.estimates))
    click.echo("")
    click.echo(fit_table(cal.fit))
    click.echo("(% of WSS: the series' share of the weighted sum of squares at the estimate)")
    click.echo(f"{md['s2_meaning']}.")
    for note in cal.notes:
        click.echo(f"Note: {note}")
    echo_warnings(ctx)
    click.echo("")
    click.echo(f"Wrote {written.path}/: {', '.join(written.files)}")
