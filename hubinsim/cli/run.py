"""``hubinsim run``: one scenario, single or as an ensemble, and its run folder."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .group import CONTEXT, command_line, main
from .options import (
    actuals_options,
    actuals_settings,
    anchor_option,
    apply,
    check_ensemble_options,
    ensemble_options,
    folder_options,
)
from .progress import progress_bar
from .tables import actuals_text, headline_table, scorecard_table
from .text import SAMPLING_ZH, say, wrote_text


@main.command(
    "run",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim run scenarios/stimulus.toml                  # writes runs/stimulus/
  hubinsim run scenarios/baseline.toml --out results --force --lang zh
  hubinsim run scenarios/stimulus.toml --draws 1000 --seed 1      # an ensemble, fan charts
  hubinsim run scenarios/stimulus.toml --draws 100000 --workers 4
  hubinsim run scenarios/stimulus.toml --draws 1000000 --executor dask://10.0.0.5:8786
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@folder_options("the run folder")
@ensemble_options
@apply(actuals_options(": re-project the run from them", required=False))
@apply(anchor_option(None))
@click.pass_context
def run_command(
    ctx, scenario, out, force, no_charts, lang, actuals, vintage, anchor, **draw_settings
):
    """Run one SCENARIO file and write the run folder OUT/<scenario-name>/.

    The folder holds annual.csv (one row per year), targets.csv (the plan-target scorecard),
    charts/*.png, scenario.resolved.toml (every value used) and run.json (version, command,
    input file hashes, time settings). It is written to a temporary folder and renamed into
    place at the end, so a failed run leaves nothing; an existing folder is kept unless
    --force.

    With --draws N (or when the scenario declares an [uncertainty] section) the run is an
    ensemble: N members over parameter draws (the declared distributions, else every
    structural parameter uniform over its plausible range), run in vectorised chunks.
    annual.csv then holds per indicator the median (under the indicator's name),
    <name>_mean and the percentiles <name>_p5, _p25, _p50, _p75, _p95; members.csv.gz the
    headline and target indicators of every member (one row per member and year) and
    draws.csv.gz the parameter (and lever) values of every member (above 20,000 members members.npz
    and draws.npz, numpy binary and exact; hubinsim.read_members and read_draws read
    either); the charts are fan charts (median, 25-75th and 5-95th percentile bands); the
    scorecard gives the probability of meeting each target; run.json records draws, seed
    and sampling.

    With --actuals FILE the run is re-projected from the actual figures (docs/evaluation.md):
    the years up to the latest full actual year show them, the later years the model
    restarted there (or, with --anchor fade=N, shifted through them); the scorecard measures
    the growth still needed from that year; run.json records the file and its sha256.
    """
    import hubinsim
    from hubinsim.io.folders import check_target, run_folder

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = hubinsim.load_scenario(scenario, data_dir=data_dir, lang=lang)
    ensemble = draw_settings["draws"] is not None or scn.declares_uncertainty
    check_ensemble_options(ensemble, **draw_settings)
    from_actuals = actuals_settings(actuals, vintage, anchor, lang, data_dir)
    check_target(run_folder(out, scn.name), force)
    with progress_bar("Running draws") as progress:
        res = hubinsim.simulate(
            scn,
            ensemble=ensemble,
            progress=progress,
            data_dir=data_dir,
            **draw_settings,
            **from_actuals,
        )
    written = hubinsim.write_run(
        res,
        out,
        force=force,
        charts=not no_charts,
        lang=lang,
        command=command_line(ctx),
        started=started,
        workers=draw_settings["workers"],
    )
    md = res.metadata
    zh = lang == "zh"
    if zh:
        method = {"euler": "欧拉法", "rk4": "四阶龙格-库塔法"}.get(md["method"], md["method"])
        click.echo(
            f"情景 {scn.name}({scenario}),{md['base_year']}-{md['end']}年,"
            f"步长 {md['dt']} 年,{method}"
        )
    else:
        click.echo(
            f"Scenario {scn.name!r} ({scenario}), {md['base_year']}-{md['end']}, dt {md['dt']}, "
            f"{md['method']}"
        )
    if ensemble:
        click.echo(ensemble_text(md["ensemble"], lang))
    if res.reprojection is not None:
        click.echo(actuals_text(res.reprojection, lang))
    click.echo("")
    if ensemble:
        click.echo(say("Median and, in brackets, 5th to 95th percentile over the draws:", lang))
    click.echo(headline_table(res, lang))
    click.echo("")
    click.echo(say("Plan-target scorecard (14th FYP):", lang))
    click.echo(scorecard_table(res, lang))
    if ensemble:
        click.echo(
            say(
                "(median: of the judged values over draws; P(met): share of draws meeting the "
                "target)",
                lang,
            )
        )
    click.echo("")
    charts_note = f", charts/ ({written.charts} PNG)" if written.charts else ""
    members = "".join(f", {f}" for f in written.files if f.split(".")[0] in ("members", "draws"))
    files = f"annual.csv{members}, targets.csv{charts_note}, scenario.resolved.toml, run.json"
    click.echo(wrote_text(written.path, files, lang))


def ensemble_text(ens: dict, lang: str = "en") -> str:
    """One line on an ensemble's draws and the uncertainty they follow."""
    unc = ens.get("uncertainty", {})
    n_par = len(unc.get("parameters", {}))
    levers = list(unc.get("levers", {}))
    if lang == "zh":
        what = (
            f"默认不确定性:{n_par} 个结构参数在其合理范围内均匀分布"
            if ens.get("default_uncertainty")
            else f"情景声明的不确定性:{n_par} 个参数"
        )
        if levers:
            what += f";抽样的政策杠杆:{'、'.join(levers)}"
        how = SAMPLING_ZH.get(ens["sampling"], ens["sampling"])
        return f"{ens['draws']:,} 次抽样({how},种子 {ens['seed']};{what})"
    what = (
        f"default uncertainty: {n_par} structural parameters uniform over their plausible ranges"
        if ens.get("default_uncertainty")
        else f"the scenario's uncertainty: {n_par} parameter(s)"
    )
    if levers:
        what += f"; lever(s) drawn: {', '.join(levers)}"
    return f"ensemble of {ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}; {what})"
