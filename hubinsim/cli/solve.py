"""``hubinsim solve``: the lever value (or the smallest change of several) that meets a target."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..defaults import MAX_DRAWS, SAMPLING, SOLVE_PROBABILITY
from .group import CONTEXT, command_line, echo_warnings, main
from .options import Choice, FloatRange, Int, IntRange, actuals_options, apply, folder_options
from .tables import costs_table, effects_table, solution_table


@main.command(
    "solve",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim solve scenarios/baseline.toml --target gdp_real@2025>=400 --lever plan_realisation
      -> runs/solve-baseline-gdp_real-2025-plan_realisation/baseline-solved.toml
  hubinsim solve scenarios/stimulus.toml --target share_tertiary_pct@2025>=61 \\
      --lever tertiary_shift --lever tourism_growth
  hubinsim solve scenarios/baseline.toml --target retail_sales@2030>=190 --lever vouchers \\
      --from 2026
  hubinsim solve scenarios/baseline.toml --target share_tertiary_pct@2025>=61 \\
      --lever tertiary_shift --actuals examples/actuals_illustrative.csv
  hubinsim solve scenarios/baseline.toml --target unemployment_rate_pct@2023<=2.7 \\
      --lever vouchers --draws 200 --seed 1 --probability 0.8
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--target",
    required=True,
    metavar="INDICATOR@YEAR>=VALUE",
    help="The target, >= or <=, in the indicator's unit (hubinsim indicators), e.g. "
    "va_tertiary@2025>=200.",
)
@click.option(
    "--lever",
    "levers",
    multiple=True,
    required=True,
    metavar="NAME",
    help="A lever to solve for (hubinsim levers); repeat for several: the smallest change "
    "from the status quo, each lever's change counted in shares of its range.",
)
@click.option(
    "--draws",
    type=IntRange(min=2, max=MAX_DRAWS),
    default=None,
    metavar="N",
    help="Meet the target with --probability over N parameter draws (the same draws for "
    "every value tried).",
)
@click.option(
    "--seed",
    type=IntRange(min=0),
    default=None,
    metavar="S",
    help="Seed of the draws (default: the scenario's, else a fresh one, recorded).",
)
@click.option("--sampling", type=Choice(SAMPLING), default=None, help="How draws are made.")
@click.option(
    "--probability",
    type=FloatRange(min=0, max=1, min_open=True, max_open=True),
    default=SOLVE_PROBABILITY,
    show_default=True,
    help="With --draws: the share of draws that must meet the target.",
)
@click.option(
    "--from",
    "from_year",
    type=Int(),
    default=None,
    metavar="YEAR",
    help="Change the levers only from YEAR on (a policy still to come); the years before keep "
    "the scenario's settings.",
)
@apply(
    actuals_options(
        ": solve on the re-projection from them (as hubinsim evaluate makes it); the target "
        "must come after their latest full year, and the levers change from the year after it",
        required=False,
    )
)
@folder_options("the solve folder")
@click.pass_context
def solve_command(
    ctx,
    scenario,
    target,
    levers,
    draws,
    seed,
    sampling,
    probability,
    from_year,
    actuals,
    vintage,
    out,
    force,
    no_charts,
    lang,
):
    """Find the value of a lever (or the smallest change of several levers) in SCENARIO that
    meets a target, within the levers' ranges.

    One lever: its value is searched over its whole range (a scan, then brentq); a response
    that is not monotone is reported, and the crossing nearest the status quo is taken. A
    lever the scenario sets as a year schedule keeps its shape: the same amount is added to
    every year. --from YEAR changes the levers only from YEAR on (the years before keep the
    scenario's settings). --actuals FILE solves on the re-projection from the actual figures
    (the target after their latest full year, the levers changed from the year after it).
    Several levers: the smallest change by the range-normalised Euclidean norm
    (each lever's change divided by its range). When the target cannot be met within the
    ranges, the closest values are reported. docs/calibration.md explains the method.

    Writes OUT/solve-<scenario>-<indicator>-<year>-<levers>/: <scenario>-solved.toml (a scenario
    file that extends SCENARIO and sets the solved levers; <scenario>-closest.toml when the
    target cannot be met), solution.csv, effects.csv and costs.csv (what the solved scenario
    does against the status quo in the target's year and the last, and what it costs; also
    printed), scan.csv (one lever), charts/ and run.json.
    """
    import hubinsim
    from hubinsim.io.folders import check_target, solve_folder

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir, lang=lang)
    sol = hubinsim.solve(
        scn,
        target,
        list(levers),
        draws=draws,
        seed=seed,
        sampling=sampling,
        probability=probability,
        from_year=from_year,
        actuals=hubinsim.read_actuals(actuals) if actuals is not None else None,
        vintage=vintage,
        data_dir=data_dir,
    )
    levers_solved = [v.name for v in sol.variables]
    folder = solve_folder(
        out,
        scn.name,
        sol.goal.indicator,
        sol.goal.year,
        levers_solved,
        sol.metadata.get("from_year"),
        sol.metadata.get("restart_year") is not None,
    )
    check_target(folder, force)
    written = hubinsim.write_solution(
        sol,
        out,
        force=force,
        charts=not no_charts,
        lang=lang,
        command=command_line(ctx),
        started=started,
    )
    click.echo(f"Scenario {scn.name!r} ({scenario}); target {sol.goal}")
    if sol.probability is not None:
        md = sol.metadata
        click.echo(
            f"{md['draws']:,} draws ({md['sampling']}, seed {md['seed']}), the same for every "
            "value tried; share of draws meeting the target at the solution: "
            f"{sol.share_meeting:.1%}"
        )
    click.echo("")
    click.echo(sol.message)
    click.echo("")
    click.echo(solution_table(sol))
    if sol.effects is not None:
        click.echo("")
        how = (
            "re-projected from the actual figures"
            if sol.metadata.get("restart_year") is not None
            else "with the scenario's own parameters"
        )
        click.echo(f"What the solved scenario does against the status quo (single runs {how}):")
        click.echo(effects_table(sol.effects))
        click.echo("")
        click.echo(costs_table(sol.costs))
    for note in sol.notes:
        click.echo(f"Note: {note}")
    echo_warnings(ctx)
    click.echo("")
    click.echo(f"Wrote {written.path}/: {', '.join(written.files)}")
