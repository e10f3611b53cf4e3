"""``hubinsim estimate``: behavioural parameters (Okun, tax buoyancy, services elasticity)
from a panel of districts and years."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .group import CONTEXT, command_line, main
from .options import apply, out_options
from .tables import estimates_table


@main.command(
    "estimate",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim estimate scenarios/baseline.toml --panel henan_districts.csv
      -> runs/estimate-baseline/baseline-estimated.toml (extends the scenario)
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--panel",
    required=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="CSV, one row per district and year: district, year and the variables of "
    "docs/calibration.md (gdp_real_growth_pct, unemployment_rate_pct, fiscal_revenue, ...).",
)
@apply(out_options("the estimate folder"))
@click.pass_context
def estimate_command(ctx, scenario, panel, out, force):
    """Estimate Okun's coefficient, tax buoyancy and the income elasticity of services
    consumption by OLS (statsmodels) from a panel of districts and years.

    Each regression is in year-on-year changes; standard errors are Newey-West (one
    district), cluster-robust by district (10 or more) or Newey-West within districts.
    Writes OUT/estimate-<scenario>/: estimates.csv, regressions.txt (the regression
    tables), <scenario>-estimated.toml (a scenario file that extends SCENARIO and sets the
    estimates that lie in their plausible ranges) and run.json. docs/calibration.md gives
    each regression and the data it needs.
    """
    import hubinsim
    from hubinsim.io.folders import check_target, estimate_folder

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir)
    check_target(estimate_folder(out, scn.name), force)
    frame = hubinsim.read_panel(panel)
    est = hubinsim.estimate_elasticities(frame, scn, data_dir=data_dir)
    written = hubinsim.write_estimates(
        est, out, force=force, command=command_line(ctx), started=started
    )
    md = est.metadata
    click.echo(
        f"Panel {panel}: {md['districts']} district(s), {md['first_year']}-{md['last_year']}, "
        f"{md['rows']} rows; scenario {scn.name!r}"
    )
    click.echo("")
    click.echo(estimates_table(est.table) if len(est.table) else "(nothing estimated)")
    for name, why in est.skipped.items():
        click.echo(f"Not estimated: {name}: {why}")
    click.echo("")
    click.echo(f"Wrote {written.path}/: {', '.join(written.files)}")
