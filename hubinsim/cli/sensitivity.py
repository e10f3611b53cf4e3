"""``hubinsim sensitivity``: rank the parameters by their influence on model outputs."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..defaults import DEFAULT_OUTPUTS, DEFAULT_TOP, MAX_N, SENSITIVITY_METHODS
from .group import CONTEXT, command_line, main
from .options import Choice, IntRange, apply, chunk_options, out_options
from .progress import progress_bar
from .tables import indices_table


@main.command(
    "sensitivity",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim sensitivity scenarios/baseline.toml --method morris --output gdp_real@2025
  hubinsim sensitivity scenarios/stimulus.toml --method sobol -N 1024 --seed 1 \
      --output gdp_real@2025 --output fiscal_revenue@2035
  hubinsim sensitivity scenarios/baseline.toml --output gdp_real@2025,population@2035 --workers 4
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--method",
    type=Choice(SENSITIVITY_METHODS),
    default="sobol",
    show_default=True,
    help="Sobol variance shares (S1, ST) or Morris screening (mu*, sigma; far fewer runs).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="INDICATOR@YEAR",
    help="An output to analyse, e.g. gdp_real@2025 (repeat, or separate with commas; "
    f"default {DEFAULT_OUTPUTS[0]}).",
)
@click.option(
    "-N",
    "n",
    type=IntRange(min=2, max=MAX_N),
    default=None,
    metavar="n",
    help="Sobol: base sample, raised to a power of 2 (n (d + 2) runs for d parameters; "
    "default 1024). Morris: trajectories (n (d + 1) runs; default 100).",
)
@click.option(
    "--seed",
    type=IntRange(min=0),
    default=None,
    metavar="S",
    help="Seed of the design and the bootstrap (default: the scenario's, else a fresh one, "
    "recorded in run.json).",
)
@apply(out_options("the result folder"))
@click.option("--no-charts", is_flag=True, help="Skip the charts.")
@click.option(
    "--top",
    type=IntRange(min=1),
    default=DEFAULT_TOP,
    show_default=True,
    help="Parameters printed and charted per output (indices.csv has them all).",
)
@apply(chunk_options("runs"))
@click.pass_context
def sensitivity_command(
    ctx, scenario, method, outputs, n, seed, out, force, no_charts, top, **chunk_settings
):
    """Rank the parameters by their influence on model outputs (global sensitivity).

    Every uncertain parameter (the scenario's [uncertainty] section, else every structural
    parameter the scenario does not fix, uniform over its plausible range) is varied over
    its whole range. Sobol gives each parameter's share of the output's variance: S1 alone,
    ST with its interactions, each with a 95 % bootstrap confidence interval. Morris gives
    mu*, the mean absolute change of the output over the parameter's full range, and sigma,
    its spread (interactions or non-linearity).

    Writes OUT/sensitivity-<scenario>-<method>/: indices.csv (every output and parameter,
    ranked), charts/<indicator>_<year>.png (horizontal bars of the top parameters),
    scenario.resolved.toml and run.json, atomically like a run folder.
    """
    import hubinsim
    from hubinsim.io.folders import check_target, sensitivity_folder

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir)
    check_target(sensitivity_folder(out, scn.name, method), force)
    with progress_bar("Running the design") as progress:
        result = hubinsim.sensitivity(
            scn,
            list(outputs) or list(DEFAULT_OUTPUTS),
            method,
            n,
            seed,
            progress=progress,
            data_dir=data_dir,
            **chunk_settings,
        )
    written = hubinsim.write_sensitivity(
        result,
        out,
        force=force,
        charts=not no_charts,
        top=top,
        command=command_line(ctx),
        started=started,
        workers=chunk_settings["workers"],
    )
    md = result.metadata
    what = (
        "default uncertainty: every structural parameter uniform over its plausible range"
        if md.get("default_uncertainty")
        else "the scenario's [uncertainty]"
    )
    n_levers = len(result.lever_names)
    counted = f"{len(md['parameters']) - n_levers} parameters" + (
        f" and {n_levers} lever(s)" if n_levers else ""
    )
    click.echo(
        f"Scenario {scn.name!r} ({scenario}): {method}, n {md['n']}, {md['runs']:,} runs, "
        f"seed {md['seed']}; {counted} ({what})"
    )
    for o in result.outputs:
        click.echo("")
        click.echo(indices_table(result, o, top))
    charts_note = f", charts/ ({written.charts} PNG)" if written.charts else ""
    click.echo(
        f"\nWrote {written.path}/: indices.csv{charts_note}, scenario.resolved.toml, run.json"
    )
