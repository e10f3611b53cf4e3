"""The ``hubinsim`` command line: thin click commands over the Python API.

Exit codes: 0 success, 2 bad input (any :class:`hubinsim.HubinsimError`, printed as one
message without a traceback), 1 a bug (the traceback is shown only with ``--debug``).
pandas and matplotlib are imported inside the commands that need them, so ``hubinsim
--help`` starts quickly.
"""

from __future__ import annotations

import shlex
import sys
import time
import traceback
import unicodedata
import warnings
from pathlib import Path

import click

from ._version import __version__
from .errors import HubinsimError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
LANG = click.Choice(["en", "zh"])
HEADLINE_YEARS = (2020, 2025, 2035)


# --------------------------------------------------------------------------- group


class _Group(click.Group):
    """Keeps the raw arguments (for run.json) and turns errors into exit codes."""

    def parse_args(self, ctx, args):
        ctx.meta["hubinsim.argv"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            try:
                return super().invoke(ctx)
            except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
                raise
            except HubinsimError as exc:
                if ctx.params.get("debug"):
                    traceback.print_exc()
                click.echo(f"Error: {exc}", err=True)
                ctx.exit(2)
            except Exception as exc:
                if ctx.params.get("debug"):
                    raise
                click.echo(
                    f"Internal error ({type(exc).__name__}: {exc}). This is a bug in hubinsim; "
                    "run again with --debug for the traceback and report it.",
                    err=True,
                )
                ctx.exit(1)
            finally:
                seen = set()
                for w in caught:
                    msg = str(w.message)
                    if msg not in seen:
                        seen.add(msg)
                        click.echo(f"Warning: {msg}", err=True)


@click.group(
    cls=_Group,
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim run scenarios/stimulus.toml
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --out runs
  hubinsim levers --format markdown
  hubinsim validate scenarios/*.toml
""",
)
@click.version_option(__version__, "-V", "--version", prog_name="hubinsim")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Folder of the data files (default: the project's data/).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.pass_context
def main(ctx, data_dir, debug):
    """hubinsim: scenarios of Hubin District's economy (湖滨区, Sanmenxia), 2020-2035.

    Runs the system-dynamics model of the 14th Five-Year Plan for scenarios written in TOML,
    and writes tables, charts and the plan-target scorecard.
    """
    ctx.ensure_object(dict)
    ctx.obj["data_dir"] = data_dir
    ctx.obj["debug"] = debug


def _command_line(ctx) -> str:
    root = ctx.find_root()
    argv = root.meta.get("hubinsim.argv", sys.argv[1:])
    return " ".join(shlex.quote(a) for a in ["hubinsim", *argv])


# --------------------------------------------------------------------------- text tables


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def text_table(headers, rows, right=None) -> str:
    """An aligned text table; columns in ``right`` (indices) are right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    right = set(range(1, len(headers)) if right is None else right)

    def line(r):
        out = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - _width(c))
            out.append(pad + c if i in right else c + pad)
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def fmt(v, unit: str = "") -> str:
    """A number for a person: 1234.5 -> '1,234.5', small values with more digits."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if x != x:
        return "-"
    if unit in ("persons", "yuan", "firms") or abs(x) >= 1000:
        return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def _label(name: str, lang: str) -> str:
    from .catalog import INDICATOR_BY_NAME

    ind = INDICATOR_BY_NAME.get(name)
    return f"{name} ({ind.meaning_zh})" if (ind and lang == "zh") else name


def _unit(name: str) -> str:
    from .catalog import INDICATOR_BY_NAME

    ind = INDICATOR_BY_NAME[name]
    if ind.price_basis == "2020 prices" and ind.unit != "%":
        return f"{ind.unit}, 2020 prices"
    if ind.price_basis == "current prices" and ind.unit not in ("%",):
        return f"{ind.unit}, current"
    return ind.unit


def headline_table(results, lang: str = "en") -> str:
    from .catalog import HEADLINE

    years = [y for y in HEADLINE_YEARS if y in results.annual.index]
    if results.annual.index[-1] not in years:
        years.append(int(results.annual.index[-1]))
    rows = []
    for name in HEADLINE:
        if name not in results.annual:
            continue
        rows.append(
            [_label(name, lang), _unit(name)]
            + [fmt(results.annual.loc[y, name], _unit(name)) for y in years]
        )
    return text_table(["indicator", "unit", *map(str, years)], rows, right=range(2, 2 + len(years)))


def _target_text(row) -> str:
    """'≥ 60.00', or '≥ 9.00 each yr from 2021' for targets judged in every year."""
    sign = "≥" if row["comparison"].startswith(">=") else "≤"
    every = ""
    if "every" in row["comparison"]:
        every = f" each yr from {row['comparison'].split()[-1]}"
    return f"{sign} {fmt(row['target'], row['unit'])}{every}"


def scorecard_table(results, lang: str = "en") -> str:
    tg = results.targets
    if tg.empty:
        return "(no plan targets within the run's years)"
    rows = []
    for _, r in tg.iterrows():
        needed = "-" if r["needed"] != r["needed"] else f"{r['needed']:.2f} {r['needed_unit']}"
        rows.append(
            [
                _label(r["indicator"], lang),
                str(r["year"]),
                fmt(r["base_2020"], r["unit"]),
                _target_text(r),
                fmt(r["projected"], r["unit"]),
                fmt(r["gap"], r["unit"]),
                "yes" if r["met"] else "NO",
                r["unit"],
                needed,
            ]
        )
    return text_table(
        [
            "indicator",
            "year",
            "2020",
            "target",
            "projected",
            "gap",
            "met",
            "unit",
            "growth needed from 2020",
        ],
        rows,
        right={1, 2, 4, 5},
    )


# --------------------------------------------------------------------------- run


def _load(path, data_dir):
    from .errors import ScenarioError
    from .scenario_file import load_scenario

    try:
        return load_scenario(path, data_dir=data_dir)
    except ScenarioError as exc:
        if str(path) in str(exc):
            raise
        # the message must say which file is at fault
        raise ScenarioError(exc.problems, source=str(path)) from None


def _write_run(folder: Path, res, ctx, scenario_path, data_dir, charts, lang, started):
    from . import output

    figures = None
    if charts:
        from . import plots

        figures = plots.run_charts(res, lang=lang)
    return output.write_run(
        folder,
        res,
        command=_command_line(ctx),
        scenario_path=scenario_path,
        data_dir=data_dir,
        figures=figures,
        started=started,
    )


@main.command(
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim run scenarios/stimulus.toml                  # writes runs/stimulus/
  hubinsim run scenarios/baseline.toml --out results --force --lang zh
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("runs"),
    show_default=True,
    help="Folder that receives the run folder.",
)
@click.option("--force", is_flag=True, help="Replace an existing run folder.")
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
@click.option(
    "--lang",
    type=LANG,
    default="en",
    show_default=True,
    help="Language of the chart labels (zh needs a CJK font).",
)
@click.pass_context
def run(ctx, scenario, out, force, no_charts, lang):
    """Run one SCENARIO file and write the run folder OUT/<scenario-name>/.

    The folder holds annual.csv (one row per year), targets.csv (the plan-target scorecard),
    charts/*.png, scenario.resolved.toml (every value used) and run.json (version, command,
    input file hashes, time settings). It is written to a temporary folder and renamed into
    place at the end, so a failed run leaves nothing; an existing folder is kept unless
    --force.
    """
    from . import output
    from .simulate import simulate

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = _load(scenario, data_dir)
    target = out / output.safe_name(scn.name)
    output.check_target(target, force)
    res = simulate(scn, data_dir=data_dir)
    with output.atomic_folder(target, force) as tmp:
        files = _write_run(tmp, res, ctx, scenario, data_dir, not no_charts, lang, started)
    n_charts = sum(f.startswith("charts/") for f in files)
    click.echo(
        f"Scenario {scn.name!r} ({scenario}), {res.metadata['base_year']}-"
        f"{res.metadata['end']}, dt {res.metadata['dt']}, {res.metadata['method']}"
    )
    click.echo("")
    click.echo(headline_table(res, lang))
    click.echo("")
    click.echo("Plan-target scorecard (14th FYP):")
    click.echo(scorecard_table(res, lang))
    click.echo("")
    charts_note = f", charts/ ({n_charts} PNG)" if n_charts else ""
    click.echo(
        f"Wrote {target}/: annual.csv, targets.csv{charts_note}, scenario.resolved.toml, run.json"
    )


# --------------------------------------------------------------------------- compare


def _diff_tables(runs, names):
    import pandas as pd

    from .catalog import INDICATOR_BY_NAME

    ref = runs[0].annual
    abs_parts, pct_parts = [], []
    for res, name in zip(runs[1:], names[1:], strict=True):
        a = res.annual.reindex(ref.index)
        d = a - ref
        d.insert(0, "scenario", name)
        abs_parts.append(d)
        levels = [c for c in ref.columns if INDICATOR_BY_NAME[c].unit != "%"]
        base = ref[levels].where(ref[levels] != 0)
        p = (a[levels] - ref[levels]) / base.abs() * 100.0
        p.insert(0, "scenario", name)
        pct_parts.append(p)
    return (
        pd.concat(abs_parts).reset_index().set_index(["scenario", "year"]),
        pd.concat(pct_parts).reset_index().set_index(["scenario", "year"]),
    )


def _side_by_side_scorecard(runs, names):
    import pandas as pd

    base = (
        runs[0].targets[["indicator", "year", "comparison", "target", "unit", "base_2020"]].copy()
    )
    for res, name in zip(runs, names, strict=True):
        tg = res.targets.set_index(["indicator", "year"])
        key = list(zip(base["indicator"], base["year"], strict=True))
        for col in ("projected", "gap", "met", "needed"):
            base[f"{col}:{name}"] = [tg.loc[k, col] if k in tg.index else pd.NA for k in key]
    return base


def _unique(names):
    seen, out = {}, []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


@main.command(
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml
      -> runs/compare-baseline-vs-stimulus/charts/*.png
  hubinsim compare scenarios/baseline.toml a.toml b.toml --out results --force
""",
)
@click.argument("reference", type=click.Path(path_type=Path))
@click.argument("alternatives", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("runs"),
    show_default=True,
    help="Folder that receives the results.",
)
@click.option("--force", is_flag=True, help="Replace an existing comparison folder.")
@click.option("--no-charts", is_flag=True, help="Skip the charts (faster).")
@click.option(
    "--lang",
    type=LANG,
    default="en",
    show_default=True,
    help="Language of the chart labels (zh needs a CJK font).",
)
@click.pass_context
def compare(ctx, reference, alternatives, out, force, no_charts, lang):
    """Run REFERENCE and each ALTERNATIVE and compare them.

    Writes OUT/compare-<ref>-vs-<alts>/ with level and difference charts of the headline
    indicators (charts/<name>.png and charts/<name>_diff.png; the reference has the same
    colour in every chart), annual.csv (every scenario, one row per scenario and year),
    scorecard.csv (the plan targets side by side), differences_abs.csv (alternative minus
    reference; rates in percentage points) and differences_pct.csv (in % of the reference,
    for the indicators that are not rates), each scenario's resolved TOML and run.json.
    """
    import pandas as pd

    from . import output
    from .simulate import simulate

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    paths = [reference, *alternatives]
    problems, scenarios = [], []
    for p in paths:  # report every invalid file before running anything
        try:
            scenarios.append(_load(p, data_dir))
        except HubinsimError as exc:
            problems.append(str(exc))
    if problems:
        raise HubinsimError("\n".join(problems))
    names = _unique([s.name for s in scenarios])
    folder = (
        "compare-"
        + output.safe_name(names[0])
        + "-vs-"
        + "-".join(output.safe_name(n) for n in names[1:])
    )
    target = out / folder
    output.check_target(target, force)
    runs = [simulate(s, data_dir=data_dir) for s in scenarios]
    for r, n in zip(runs, names, strict=True):
        r.metadata["scenario"] = n
    d_abs, d_pct = _diff_tables(runs, names)
    card = _side_by_side_scorecard(runs, names)
    with output.atomic_folder(target, force) as tmp:
        levels = pd.concat([r.annual.assign(scenario=n) for r, n in zip(runs, names, strict=True)])
        levels = levels.reset_index().set_index(["scenario", "year"])
        levels.to_csv(tmp / "annual.csv", float_format="%.10g")
        card.to_csv(tmp / "scorecard.csv", index=False, float_format="%.10g")
        d_abs.to_csv(tmp / "differences_abs.csv", float_format="%.10g")
        d_pct.to_csv(tmp / "differences_pct.csv", float_format="%.10g")
        files = ["annual.csv", "scorecard.csv", "differences_abs.csv", "differences_pct.csv"]
        (tmp / "scenarios").mkdir()
        for r, n in zip(runs, names, strict=True):
            fn = f"scenarios/{output.safe_name(n)}.resolved.toml"
            (tmp / fn).write_text(output.resolved_toml(r, data_dir), encoding="utf-8")
            files.append(fn)
        if not no_charts:
            from . import plots

            saved = plots.save_figures(plots.compare_charts(runs, lang=lang), tmp / "charts")
            files += [f"charts/{p.name}" for p in saved]
        info = {
            "hubinsim_version": __version__,
            "command": _command_line(ctx),
            "reference": names[0],
            "scenarios": [
                output.run_info(r, command="", scenario_path=p, data_dir=data_dir)
                for r, p in zip(runs, paths, strict=True)
            ],
            "wall_time_s": time.perf_counter() - started,
            "files": files,
        }
        for s in info["scenarios"]:
            s.pop("command", None)
        output.write_json(tmp / "run.json", info)
    _print_compare(runs, names, lang)
    n_charts = sum(f.startswith("charts/") for f in files)
    charts_note = f"charts/ ({n_charts} PNG), " if n_charts else ""
    click.echo(
        f"\nWrote {target}/: {charts_note}annual.csv, scorecard.csv, "
        "differences_abs.csv, differences_pct.csv, scenarios/, run.json"
    )


def _print_compare(runs, names, lang):
    from .catalog import HEADLINE

    ref = runs[0].annual
    common = sorted(set.intersection(*(set(r.annual.index) for r in runs)))
    years = [y for y in (2025, 2035) if y in common] or [int(common[-1])]
    for y in years:
        rows = []
        for ind in HEADLINE:
            row = [_label(ind, lang), _unit(ind), fmt(ref.loc[y, ind], _unit(ind))]
            for r in runs[1:]:
                v = r.annual.loc[y, ind]
                d = v - ref.loc[y, ind]
                row += [fmt(v, _unit(ind)), f"{d:+,.2f}" + (" pp" if _unit(ind) == "%" else "")]
            rows.append(row)
        head = ["indicator", "unit", names[0]]
        for n in names[1:]:
            head += [n, f"Δ {n}"]
        click.echo(f"Headline indicators in {y} (Δ = alternative - {names[0]}):")
        click.echo(text_table(head, rows, right=range(2, len(head))))
        click.echo("")
    click.echo("Plan-target scorecards (projected; met?):")
    ref_t = runs[0].targets
    rows = []
    for _, t in ref_t.iterrows():
        row = [_label(t["indicator"], lang), str(t["year"]), _target_text(t)]
        for r in runs:
            m = r.targets[
                (r.targets["indicator"] == t["indicator"]) & (r.targets["year"] == t["year"])
            ]
            if m.empty:
                row.append("-")
            else:
                mr = m.iloc[0]
                row.append(f"{fmt(mr['projected'], mr['unit'])} {'yes' if mr['met'] else 'NO'}")
        rows.append(row)
    click.echo(
        text_table(["indicator", "year", "target", *names], rows, right=range(1, 3 + len(names)))
    )


# --------------------------------------------------------------------------- levers


def lever_rows(data_dir=None) -> list[dict]:
    """Every lever, parameter and shock target as rows (kind, section, name, ...)."""
    from .catalog import LEVER_DEFAULT_SOURCES, LEVERS, SHOCK_TARGETS
    from .data import load_base, load_parameters
    from .scenario import SHOCK_FACTOR_RANGE

    params = load_parameters(data_dir)
    base = load_base(data_dir)
    rows = []
    for lv in LEVERS:
        d = lv.default
        if isinstance(d, str) and d.startswith("base:"):
            name = d.removeprefix("base:")
            default, source = f"{base[name].value:g}", f"2020 base: {base[name].source}"
        elif isinstance(d, str) and d == "investment.plan_realisation":
            default, source = "= plan_realisation", "the scenario's plan_realisation"
        elif isinstance(d, str):
            default, source = f"{params[d].value:g}", f"parameter {d}: {params[d].source}"
        else:
            default, source = f"{d:g}", LEVER_DEFAULT_SOURCES.get(lv.name, "")
        rows.append(
            {
                "kind": "lever",
                "section": lv.section,
                "name": lv.name,
                "unit": lv.unit,
                "default": default,
                "low": f"{lv.low:g}",
                "high": f"{lv.high:g}",
                "schedule": "yes" if lv.schedule else "no",
                "meaning_en": lv.meaning_en,
                "meaning_zh": lv.meaning_zh,
                "source": source,
            }
        )
    for p in params.values():
        rows.append(
            {
                "kind": "parameter",
                "section": "parameters",
                "name": p.name,
                "unit": p.unit,
                "default": f"{p.value:g}",
                "low": f"{p.low:g}",
                "high": f"{p.high:g}",
                "schedule": "no",
                "meaning_en": p.meaning_en,
                "meaning_zh": p.meaning_zh,
                "source": p.source,
            }
        )
    lo, hi = SHOCK_FACTOR_RANGE
    for s in SHOCK_TARGETS:
        rows.append(
            {
                "kind": "shock target",
                "section": "shock",
                "name": s.name,
                "unit": "factor",
                "default": "1",
                "low": f"{lo:g}",
                "high": f"{hi:g}",
                "schedule": "no",
                "meaning_en": s.meaning_en,
                "meaning_zh": s.meaning_zh,
                "source": "",
            }
        )
    return rows


_LEVER_COLUMNS = (
    "kind",
    "section",
    "name",
    "unit",
    "default",
    "low",
    "high",
    "schedule",
    "meaning_en",
    "meaning_zh",
    "source",
)
_KIND_HEAD = {
    "lever": "Levers: [section] name = value, or a year schedule {2021 = ..., 2025 = ...}",
    "parameter": 'Parameters: [parameters] "name" = value',
    "shock target": "Shock targets: [[shock]] target = name, years = [first, last], factor = value",
}


@main.command(
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim levers
  hubinsim levers --format csv > levers.csv
  hubinsim levers --format markdown > docs/levers.md
""",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["table", "csv", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def levers(ctx, fmt_):
    """List every lever, parameter and shock target a scenario may set.

    For each: section, name, unit, default, valid range and meaning (English and Chinese);
    parameters and defaults also give their source.
    """
    rows = lever_rows(ctx.obj["data_dir"])
    if fmt_ == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=_LEVER_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    for kind, head in _KIND_HEAD.items():
        part = [r for r in rows if r["kind"] == kind]
        cols = ["section", "name", "unit", "default", "range", "meaning", "含义"]
        if kind == "parameter":
            cols = ["name", "unit", "default", "range", "meaning", "含义", "source"]
        if kind == "shock target":
            cols = ["name", "factor range", "meaning", "含义"]
        table_rows = []
        for r in part:
            rng = f"[{r['low']}, {r['high']}]"
            full = {
                "section": r["section"],
                "name": r["name"],
                "unit": r["unit"],
                "default": r["default"],
                "range": rng,
                "factor range": rng,
                "meaning": r["meaning_en"]
                + (" (year schedule allowed)" if r["schedule"] == "yes" else ""),
                "含义": r["meaning_zh"],
                "source": r["source"],
            }
            table_rows.append([full[c] for c in cols])
        if fmt_ == "markdown":
            click.echo(f"### {head}\n")
            click.echo("| " + " | ".join(cols) + " |")
            click.echo("|" + "|".join("---" for _ in cols) + "|")
            for tr in table_rows:
                click.echo("| " + " | ".join(str(c).replace("|", "\\|") for c in tr) + " |")
            click.echo("")
        else:
            click.echo(head)
            click.echo(text_table(cols, table_rows, right=set()))
            click.echo("")


# --------------------------------------------------------------------------- validate


@main.command(
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim validate scenarios/*.toml
  hubinsim validate my_scenario.toml && hubinsim run my_scenario.toml
""",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate(ctx, files):
    """Check scenario FILES without running them.

    Every problem in every file is listed. Exit code 0 when all files are valid, 2 otherwise.
    """
    bad = 0
    for path in files:
        try:
            scn = _load(path, ctx.obj["data_dir"])
        except HubinsimError as exc:
            bad += 1
            click.echo(f"INVALID  {path}")
            for line in str(exc).splitlines():
                click.echo(f"    {line}")
        else:
            click.echo(
                f"ok       {path}  (scenario {scn.name!r}, {len(scn.levers)} lever(s) "
                f"set, {len(scn.shocks)} shock(s), to {scn.time.end})"
            )
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) invalid", err=True)
        ctx.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="hubinsim")
