"""``hubinsim compare``: a reference scenario against alternatives, and the comparison folder."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..defaults import ATTRIBUTION_MAX_SETTINGS
from ..errors import HubinsimError
from .group import CONTEXT, command_line, main
from .options import (
    IntRange,
    actuals_options,
    actuals_settings,
    anchor_option,
    apply,
    check_ensemble_options,
    ensemble_options,
    folder_options,
)
from .progress import progress_bar
from .tables import (
    actuals_text,
    attribution_focus_table,
    attribution_table,
    comparison_table,
    scorecards_side_by_side,
)
from .text import SAMPLING_ZH, fmt, pct, say, wrote_text

#: Indicators whose sentences are printed (statements.txt has every headline indicator's).
SPOKEN = ("gdp", "gdp_real", "fiscal_revenue", "employment")


@main.command(
    "compare",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml
      -> runs/compare-baseline-vs-stimulus/charts/*.png
  hubinsim compare scenarios/baseline.toml a.toml b.toml --out results --force
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --draws 1000 --seed 1
      -> the difference as fan charts, with the probability that it is positive
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --attribute
      -> the difference split by setting (pool, vouchers, migration ...): attribution.csv
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --attribute \\
      --group people=net_migration_policy,tourism_growth
""",
)
@click.argument("reference", type=click.Path(path_type=Path))
@click.argument("alternatives", nargs=-1, required=True, type=click.Path(path_type=Path))
@folder_options("the comparison folder")
@ensemble_options
@apply(actuals_options(": re-project every scenario from them", required=False))
@apply(anchor_option(None))
@click.option(
    "--attribute",
    "attribution",
    is_flag=True,
    help="Split each alternative's difference from REFERENCE by setting (Shapley values over "
    "the levers, parameters and shocks that differ; the pool's settings count as one).",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="NAME=SETTING,SETTING",
    help="With --attribute: attribute these settings together under NAME (repeat).",
)
@click.option(
    "--max-settings",
    type=IntRange(min=1, max=16),
    default=ATTRIBUTION_MAX_SETTINGS,
    show_default=True,
    help="With --attribute: most settings split one by one (2^n runs); beyond, grouped by section.",
)
@click.pass_context
def compare_command(
    ctx,
    reference,
    alternatives,
    out,
    force,
    no_charts,
    lang,
    attribution,
    groups,
    max_settings,
    actuals,
    vintage,
    anchor,
    **draw_settings,
):
    """Run REFERENCE and each ALTERNATIVE and compare them.

    Writes OUT/compare-<ref>-vs-<alts>/ with level and difference charts of the headline
    indicators (charts/<name>.png and charts/<name>_diff.png; the reference has the same
    colour in every chart), annual.csv (every scenario, one row per scenario and year),
    scorecard.csv (the plan targets side by side), differences_abs.csv (alternative minus
    reference; rates in percentage points) and differences_pct.csv (in % of the reference,
    for the indicators that are not rates), each scenario's resolved TOML and run.json.

    With --draws N (or when a scenario declares an [uncertainty] section) every scenario
    runs on the same N parameter draws (common random numbers: member m of each scenario
    shares every parameter value), so the difference member by member isolates the effect
    of the scenario's settings. annual.csv then holds the median, mean and percentiles of
    each scenario; differences_abs.csv and differences_pct.csv the median, mean and
    percentiles of the difference and <name>_prob_higher, the share of draws in which the
    alternative is higher; statements.txt says it in words ("raises 2025 GDP by X to Y 亿元
    with 90 % probability"); the _diff charts are fan charts of the difference.

    With --attribute each alternative's difference is split by setting: attribution.csv
    holds every setting's contribution to every indicator and year (exact Shapley values;
    they add up to the difference), attribution_settings.csv what each setting switches, and
    charts/attribution_<alt>_<indicator>_<year>.png waterfalls. The attribution is of single
    runs, also with --draws.

    With --actuals FILE every scenario is re-projected from the actual figures, as
    ``hubinsim run --actuals`` does (the years up to the latest full actual year are the
    actual figures in every scenario; the scorecards measure the growth still needed from
    that year).
    """
    import hubinsim
    from hubinsim.io.folders import check_target, comparison_folder
    from hubinsim.scenario.reader import load_scenarios

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scenarios = load_scenarios([reference, *alternatives], data_dir, lang)
    ensemble = draw_settings["draws"] is not None or any(s.declares_uncertainty for s in scenarios)
    check_ensemble_options(ensemble, **draw_settings)
    if not attribution and (groups or max_settings != ATTRIBUTION_MAX_SETTINGS):
        raise HubinsimError("--group and --max-settings apply to --attribute: add --attribute")
    group_map = _groups(groups)
    with_actuals = actuals_settings(actuals, vintage, anchor, lang, data_dir)
    check_target(comparison_folder(out, [s.name for s in scenarios]), force)
    with progress_bar("Running draws") as progress:
        cmp = hubinsim.compare(
            *scenarios,
            ensemble=ensemble,
            progress=progress,
            data_dir=data_dir,
            **draw_settings,
            **with_actuals,
        )
    att = None
    if attribution:
        att = hubinsim.attribute(
            *scenarios,
            groups=group_map,
            max_settings=max_settings,
            workers=draw_settings["workers"],
            data_dir=data_dir,
        )
    written = hubinsim.write_comparison(
        cmp,
        out,
        force=force,
        charts=not no_charts,
        lang=lang,
        command=command_line(ctx),
        started=started,
        workers=draw_settings["workers"],
        attribution=att,
    )
    print_comparison(cmp, lang)
    if att is not None:
        print_attribution(att, cmp.key_years[0], cmp.is_ensemble, lang)
    charts_note = f"charts/ ({written.charts} PNG), " if written.charts else ""
    words = "statements.txt, " if cmp.is_ensemble else ""
    words += "attribution.csv, attribution_settings.csv, " if att is not None else ""
    files = (
        f"{charts_note}annual.csv, annual_readable.csv, scorecard.csv, differences_abs.csv, "
        "differences_pct.csv, "
        f"{words}scenarios/, run.json"
    )
    click.echo("\n" + wrote_text(written.path, files, lang))


def _groups(groups) -> dict[str, str]:
    """``--group NAME=SETTING,SETTING`` options as a dict (the API checks the settings)."""
    out = {}
    for g in groups:
        name, sep, members = g.partition("=")
        if not sep or not name.strip() or not members.strip():
            raise HubinsimError(
                f"--group {g!r}: write NAME=SETTING,SETTING, e.g. "
                "people=net_migration_policy,siphon_rate"
            )
        if name.strip() in out:
            raise HubinsimError(f"--group {name.strip()!r}: given twice")
        out[name.strip()] = members
    return out


def print_attribution(att, year: int, ensemble: bool, lang: str = "en") -> None:
    """Each alternative's difference in ``year`` split by setting."""
    for name in att.names:
        click.echo("")
        if lang == "zh":
            single = "(单次运行)" if ensemble else ""
            click.echo(
                f"{name} 与 {att.reference_name} 在{year}年之差按设置分解{single}"
                "(沙普利值,各项之和等于总差):"
            )
        else:
            single = " (single runs)" if ensemble else ""
            click.echo(
                f"{name} against {att.reference_name} in {year}, split by setting{single} "
                "(Shapley values; they add up to the total):"
            )
        click.echo(attribution_table(att.table(name, year, (*SPOKEN, "government_debt"))))
        click.echo("")
        if lang == "zh":
            click.echo(
                f"政府债务与{year}年规划目标({name} 与 {att.reference_name};贡献最大的设置):"
            )
        else:
            click.echo(
                f"Government debt and the plan targets of {year} ({name} against "
                f"{att.reference_name}; the setting that contributes most):"
            )
        click.echo(attribution_focus_table(att.focus(name, year)))
        note = att.deflator_note(name, year)
        if note:
            click.echo("")
            click.echo(f"Note: {note}")


def print_comparison(cmp, lang: str) -> None:
    """The headline indicators in the key years, the statements (with draws) and the
    scorecards side by side."""
    names, ens = cmp.names, cmp.ensemble
    rep = cmp.reference.reprojection
    if rep is not None:
        click.echo(actuals_text(rep, lang))
    zh = lang == "zh"
    if ens:
        click.echo(
            f"{ens['draws']:,} 次抽样({SAMPLING_ZH.get(ens['sampling'], ens['sampling'])},"
            f"种子 {ens['seed']}),各情景相同(共同随机数)"
            if zh
            else f"{ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}), the same for "
            "every scenario (common random numbers)"
        )
    for y in cmp.key_years:
        if ens:
            click.echo("")
        if zh:
            by = ",逐个抽样" if ens else ""
            click.echo(f"{y}年主要指标(Δ = 比较情景 - {names[0]}{by}):")
        elif ens:
            click.echo(f"Headline indicators in {y} (Δ = alternative - {names[0]}, draw by draw):")
        else:
            click.echo(f"Headline indicators in {y} (Δ = alternative - {names[0]}):")
        click.echo(comparison_table(cmp.headline(y), names, lang, bool(ens)))
        if not ens:
            click.echo("")
    if ens:
        if cmp.key_years:
            first = cmp.key_years[0]
            click.echo("")
            click.echo(
                f"文字表述({first}年;各年见 statements.txt):"
                if zh
                else f"In words ({first}; every year in statements.txt):"
            )
            for s in cmp.statements_in(lang):
                if s.year == first and s.indicator in SPOKEN:
                    click.echo(f"  {s.text}")
        click.echo("")
        click.echo(say("Plan-target scorecards (median; probability of meeting the target):", lang))
        cell = _probability
    else:
        click.echo(say("Plan-target scorecards (projected; met?):", lang))
        cell = _met_zh if zh else _met
    click.echo(scorecards_side_by_side(cmp.scorecard, names, lang, cell))
    if "decided_by" in cmp.scorecard.columns:
        from hubinsim.results import DECIDED_LEGEND

        click.echo(DECIDED_LEGEND[lang == "zh"])
    if "new_urban_jobs_cumulative" in set(cmp.scorecard["indicator"]):
        from hubinsim.results import JOBS_NOTE

        click.echo(JOBS_NOTE[lang == "zh"])


def _met(v) -> str:
    return f"{fmt(v['projected'], v['unit'])} {'yes' if v['met'] else 'NO'}"


def _met_zh(v) -> str:
    return f"{fmt(v['projected'], v['unit'])} {say('yes' if v['met'] else 'NO', 'zh')}"


def _probability(v) -> str:
    return f"{fmt(v['projected'], v['unit'])}; {pct(v['probability'])}"
