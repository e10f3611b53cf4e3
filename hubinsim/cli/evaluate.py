"""``hubinsim evaluate``: a scenario against actual figures, the evaluation folder."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..defaults import MAX_DRAWS
from .group import CONTEXT, command_line, main
from .options import Int, IntRange, actuals_options, anchor_option, apply, folder_options
from .tables import evaluation_text
from .text import wrote_text


@main.command(
    "evaluate",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim evaluate scenarios/stimulus.toml --actuals examples/actuals_illustrative.csv
      -> runs/evaluate-stimulus/ (evaluation.csv, .xlsx, .md, .html, annual_path.csv, charts/)
  hubinsim evaluate scenarios/baseline.toml --actuals my.csv --as-of 2023 --lang zh
  hubinsim evaluate scenarios/stimulus.toml --actuals my.csv --anchor fade=3
  hubinsim evaluate scenarios/stimulus.toml --actuals my.csv --draws 200 --seed 1
  hubinsim evaluate scenarios/baseline.toml --actuals my.csv --targets plan15.csv
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@apply(actuals_options())
@click.option(
    "--as-of",
    "as_of",
    type=Int(),
    default=None,
    metavar="YEAR",
    help="Use the figures of years up to YEAR only (default: all the file gives).",
)
@apply(anchor_option("restart"))
@click.option(
    "--targets",
    type=click.Path(path_type=Path),
    default=None,
    metavar="FILE",
    help="Plan targets in the form of data/targets.csv (another plan's, e.g. the 15th FYP's; "
    "default: the 14th FYP's and the 2035 vision's).",
)
@click.option(
    "--draws",
    type=IntRange(min=2, max=MAX_DRAWS),
    default=None,
    metavar="N",
    help="Project over N parameter draws: the probability of meeting each target and the "
    "re-projection's band.",
)
@click.option("--seed", type=IntRange(min=0), default=None, metavar="S", help="Seed of the draws.")
@folder_options("the evaluation folder")
@click.pass_context
def evaluate_command(
    ctx,
    scenario,
    actuals,
    as_of,
    anchor,
    targets,
    vintage,
    draws,
    seed,
    out,
    force,
    no_charts,
    lang,
):
    """Evaluate SCENARIO against the actual figures of FILE and write OUT/evaluate-<name>/.

    The folder holds the evaluation table of every plan target (base, target, latest actual,
    target and time progress, the re-projection, the growth still needed, the verdict by a
    stated rule) as evaluation.csv (UTF-8 with a byte-order mark, for Excel),
    evaluation.xlsx (one sheet per table), evaluation.md and a self-contained
    evaluation.html with a chart per indicator; the annual path (each year actual or
    re-projected: GDP, growth, sectors, jobs, revenue, investment, population, the targets'
    indicators) as annual_path.csv and a sheet of the workbook; and run.json. With --lang zh
    every header, name, verdict and chart is in Chinese.
    """
    import hubinsim
    from hubinsim.io.evaluation_folder import evaluation_folder
    from hubinsim.io.folders import check_target
    from hubinsim.run.restart import this_year

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir, lang=lang)
    act = hubinsim.read_actuals(actuals, data_dir=data_dir, today=this_year(), lang=lang)
    check_target(evaluation_folder(out, scn.name), force)
    ev = hubinsim.evaluate(
        scn,
        act,
        as_of=as_of,
        anchor=anchor,
        targets=targets,
        vintage=vintage,
        draws=draws,
        seed=seed,
        lang=lang,
        data_dir=data_dir,
    )
    written = hubinsim.write_evaluation(
        ev,
        out,
        force=force,
        charts=not no_charts,
        lang=lang,
        command=command_line(ctx),
        started=started,
    )
    how = ev.anchor_text(lang)
    if lang == "zh":
        click.echo(f"情景 {ev.display_name(lang)} 对照 {actuals}:实际数据截至{ev.as_of}年,{how}")
    else:
        click.echo(
            f"Scenario {ev.display_name(lang)!r} against {actuals}: actual figures to "
            f"{ev.as_of}, {how}"
        )
    if ev.illustrative:
        click.echo(ev.source_text(lang))
    click.echo(evaluation_text(ev.table, lang, ev.record.get("draws")))
    if ev.checks:
        click.echo(
            "警告:重新预测偏离实际数据(见 docs/evaluation.md):"
            if lang == "zh"
            else "Warning: the re-projection departs from the actual figures (docs/evaluation.md):"
        )
        for check in ev.checks:
            click.echo(f"  - {check}")
    click.echo("评估结论规则:" if lang == "zh" else "The verdict rules:")
    for rule in ev.rules:
        click.echo(f"  - {rule}")
    count = f"{len(written.files)} 个文件" if lang == "zh" else f"{len(written.files)} files"
    click.echo(wrote_text(written.path, count, lang))
