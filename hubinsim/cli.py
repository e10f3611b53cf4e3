"""The ``hubinsim`` command line: thin click commands over the Python API.

Exit codes: 0 success, 2 bad input (any :class:`hubinsim.HubinsimError`, printed as one
message without a traceback), 1 a bug (the traceback is shown only with ``--debug``).
pandas and matplotlib are imported inside the commands that need them, so ``hubinsim
--help`` starts quickly.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
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

#: Most ensemble members: hubinsim.uncertainty.MAX_DRAWS, repeated here so that start-up does
#: not import scipy (a test checks that the two agree).
MAX_DRAWS = 2_000_000

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
            except BrokenPipeError:
                # the reader of stdout went away (``hubinsim ... | head``): not an error,
                # and files are complete before anything is printed
                _silence_stdout()
                ctx.exit(0)
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
  hubinsim run scenarios/stimulus.toml --draws 1000 --seed 1
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --out runs
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --draws 1000 --seed 1
  hubinsim sensitivity scenarios/baseline.toml --method morris --output gdp_real@2025
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


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit raises no second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


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
    if unit in ("persons", "yuan") or (unit == "firms" and x == round(x)):
        return f"{x:,.0f}"
    if unit == "firms":
        return f"{x:,.1f}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
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
    """'≥ 60.00', or '≥ 9.00 each yr 2021-2025, worst shown' for targets judged in every
    year (the projected value is then the worst year's)."""
    sign = "≥" if row["comparison"].startswith(">=") else "≤"
    every = ""
    if "every" in row["comparison"]:
        every = f" each yr {row['comparison'].split()[-1]}-{row['year']}, worst shown"
    return f"{sign} {fmt(row['target'], row['unit'])}{every}"


def scorecard_table(results, lang: str = "en") -> str:
    tg = results.targets
    if tg.empty:
        return "(no plan targets within the run's years)"
    ensemble = "probability" in tg.columns
    rows = []
    for _, r in tg.iterrows():
        needed = "-" if r["needed"] != r["needed"] else f"{r['needed']:.2f} {r['needed_unit']}"
        row = [
            _label(r["indicator"], lang),
            str(r["year"]),
            fmt(r["base_2020"], r["unit"]),
            _target_text(r),
            fmt(r["projected"], r["unit"]),
            fmt(r["gap"], r["unit"]),
            "yes" if r["met"] else "NO",
        ]
        if ensemble:
            row.append(_pct(r["probability"]))
        rows.append(row + [r["unit"], needed])
    head = ["indicator", "year", "2020", "target", "projected", "gap", "met"]
    if ensemble:
        head[4] = "median"
        head.append("P(met)")
    return text_table(
        head + ["unit", "growth needed from 2020"],
        rows,
        right={1, 2, 4, 5, 7} if ensemble else {1, 2, 4, 5},
    )


# --------------------------------------------------------------------------- ensembles

SAMPLING = click.Choice(["lhs", "sobol", "mc"])


class Workers(click.ParamType):
    """``--workers``: a whole number >= 1, or ``auto`` (one process per CPU this process may
    use, when there is more than one chunk)."""

    name = "workers"

    def convert(self, value, param, ctx):
        if value == "auto":
            return value
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            self.fail(f"{value!r} is not a whole number >= 1 or 'auto'", param, ctx)
        return number


WORKERS = Workers()
WORKERS_HELP = (
    "Processes running chunks of {what} at once: a number, or auto (the default: one per "
    "CPU this process may use, when there is more than one chunk). The results do not "
    "depend on it."
)


#: A container's CPU quota under cgroup v2 ("max" or "<quota> <period>").
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def _usable_cpus() -> int:
    """CPUs this process may use: those it may run on, within a container's CPU quota
    (cgroup v2 ``cpu.max``) when one is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = CGROUP_CPU_MAX.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cpus


def _resolve_workers(workers, chunks: int) -> int:
    """The number of worker processes for ``chunks`` chunks (``auto``: one per usable CPU)."""
    if workers == "auto":
        return max(1, min(_usable_cpus(), chunks))
    return workers


#: hubinsim.ensemble.DEFAULT_CHUNK_SIZE, repeated so that --help does not import numpy and
#: pandas (a test checks that the two agree).
CHUNK_SIZE_DEFAULT = 5_000
DISTRIBUTED_HINT = 'pip install "hubinsim[distributed]"'


def _executor_url(ctx, param, value):
    """``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) -> the scheduler address ``tcp://...``."""
    import re

    if value is None:
        return None
    m = re.fullmatch(r"(dask|tcp)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})", value.strip())
    if not m or not 0 < int(m.group(3)) < 65536:
        raise click.BadParameter(
            f"{value!r} is not a scheduler address; write dask://HOST:PORT, "
            "e.g. dask://10.0.0.5:8786 (the address `dask scheduler` prints)"
        )
    return f"tcp://{m.group(2)}:{m.group(3)}"


def folder_options(what: str):
    """--out, --force, --no-charts, --lang: where and how a command writes ``what``."""
    options = [
        click.option(
            "--out",
            "out",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("runs"),
            show_default=True,
            help=f"Folder that receives {what}.",
        ),
        click.option(
            "--force", is_flag=True, help=f"Replace an existing {what.removeprefix('the ')}."
        ),
        click.option("--no-charts", is_flag=True, help="Skip the charts (faster)."),
        click.option(
            "--lang",
            type=LANG,
            default="en",
            show_default=True,
            help="Language of the chart labels (zh needs a CJK font).",
        ),
    ]
    return _options(options)


def _options(options: list):
    """A decorator applying click ``options`` in the order listed."""

    def apply(f):
        for option in reversed(options):
            f = option(f)
        return f

    return apply


def _chunk_options(what: str) -> list:
    """--workers, --chunk-size, --executor: how the chunks of ``what`` (members, runs) run."""
    return [
        click.option(
            "--workers",
            type=WORKERS,
            default="auto",
            metavar="W",
            help=WORKERS_HELP.format(what=what),
        ),
        click.option(
            "--chunk-size",
            type=click.IntRange(min=1),
            default=None,
            metavar="M",
            help=f"{what.capitalize()} per vectorised pass (default {CHUNK_SIZE_DEFAULT:,}; "
            "the results do not depend on it).",
        ),
        click.option(
            "--executor",
            callback=_executor_url,
            default=None,
            metavar="dask://HOST:PORT",
            help="Run the chunks on a Dask cluster (needs the distributed extra: "
            f"{DISTRIBUTED_HINT}); overrides --workers.",
        ),
    ]


def ensemble_options(f):
    """--draws, --seed, --sampling, --workers, --chunk-size, --executor."""
    options = [
        click.option(
            "--draws",
            type=click.IntRange(min=1, max=MAX_DRAWS),
            default=None,
            metavar="N",
            help="Run an ensemble of N parameter draws (default: the draws the scenario's "
            "[uncertainty] section declares; without one, a single run).",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=None,
            metavar="S",
            help="Seed of the draws (default: the scenario's, else a fresh one, recorded in "
            "run.json); the same seed gives the same members, bit for bit.",
        ),
        click.option(
            "--sampling",
            type=SAMPLING,
            default=None,
            help="How the draws cover the parameter ranges: Latin hypercube, scrambled "
            "Sobol or plain Monte Carlo (default: the scenario's, else lhs).",
        ),
        *_chunk_options("members"),
    ]
    return _options(options)(f)


def _declares_uncertainty(scn) -> bool:
    return "uncertainty" in (getattr(scn, "sections", None) or {})


def _open_executor(address):
    """A Dask executor connected to ``address`` (None: no executor)."""
    if address is None:
        return None
    from .ensemble import dask_executor

    try:
        return dask_executor(address, timeout="10s")
    except ImportError:
        raise HubinsimError(
            "--executor needs dask.distributed, which is not installed; install the optional "
            f"extra: {DISTRIBUTED_HINT}"
        ) from None
    except (OSError, TimeoutError) as exc:
        raise HubinsimError(
            f"--executor: cannot reach the Dask scheduler at {address} ({exc}); is "
            "`dask scheduler` running there and are its workers able to import hubinsim?"
        ) from None


def _close_executor(executor) -> None:
    client = getattr(executor, "client", None)
    if client is not None:
        client.close()


def _show_progress() -> bool:
    """Progress bars only on a terminal (not in pipes, files or CliRunner tests)."""
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


class _Tracked:
    """A future whose ``result()`` advances a progress bar (in the caller's thread, in order)."""

    def __init__(self, run, bar):
        self._run, self._bar = run, bar

    def result(self, timeout=None):
        out = self._run()
        self._bar.update(1)
        return out


class _ProgressExecutor:
    """Wraps the way chunks run so that a progress bar counts them as they come back.

    Without an inner executor a chunk runs when its result is asked for, one after the
    other, exactly as without progress; with one (a process pool or Dask) it runs there.
    """

    def __init__(self, bar, inner=None):
        self._bar, self._inner = bar, inner

    def submit(self, fn, /, *args, **kwargs):
        if self._inner is None:
            return _Tracked(lambda: fn(*args, **kwargs), self._bar)
        future = self._inner.submit(fn, *args, **kwargs)
        return _Tracked(future.result, self._bar)


@contextlib.contextmanager
def _chunk_runner(chunks: int, label: str, workers: int, executor):
    """Keyword arguments (workers, executor) for the ensemble functions, with a progress bar
    over ``chunks`` chunks when stdout is a terminal."""
    workers = _resolve_workers(workers, chunks)
    if not _show_progress() or chunks < 2:
        yield {"workers": workers, "executor": executor}
        return
    pool = None
    if executor is None and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=min(workers, chunks))
    try:
        with click.progressbar(length=chunks, label=label, show_pos=True) as bar:
            yield {"workers": 1, "executor": _ProgressExecutor(bar, executor or pool)}
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _chunks(members: int, chunk_size: int | None) -> int:
    return -(-members // (chunk_size or CHUNK_SIZE_DEFAULT))


def _pct(p: float) -> str:
    return f"{100 * p:.0f} %"


def _needs_ensemble(draws, seed, sampling, workers, executor, declared) -> None:
    if draws is not None or declared:
        return
    given = [
        name
        for name, v in (
            ("--seed", seed),
            ("--sampling", sampling),
            ("--executor", executor),
            ("--workers", None if workers in ("auto", 1) else workers),
        )
        if v is not None
    ]
    if given:
        raise HubinsimError(
            f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to ensembles: add "
            "--draws N (or declare an [uncertainty] section in the scenario file)"
        )


def _ensemble_text(res) -> str:
    ens = res.metadata["ensemble"]
    unc = ens.get("uncertainty", {})
    n_par = len(unc.get("parameters", {}))
    what = (
        f"default uncertainty: {n_par} structural parameters uniform over their plausible ranges"
        if ens.get("default_uncertainty")
        else f"the scenario's uncertainty: {n_par} parameter(s)"
    )
    levers = list(unc.get("levers", {}))
    if levers:
        what += f"; lever(s) drawn: {', '.join(levers)}"
    return f"ensemble of {ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}; {what})"


def headline_range_table(results, lang: str = "en") -> str:
    """Headline indicators of an ensemble: the median and the 5-95th percentile range."""
    import numpy as np

    from .catalog import HEADLINE
    from .results import percentile_rows

    years = [y for y in HEADLINE_YEARS if y in results.annual.index]
    if results.annual.index[-1] not in years:
        years.append(int(results.annual.index[-1]))
    idx = [list(results.years).index(y) for y in years]
    rows = []
    for name in HEADLINE:
        if name not in results.values:
            continue
        u = _unit(name)
        p5, p50, p95 = percentile_rows(results.values[name][idx], (5, 50, 95))
        cells = []
        for a, m, b in zip(p5, p50, p95, strict=True):
            if not np.isfinite(m):
                cells.append("-")
            elif np.isclose(a, b, rtol=1e-12, atol=1e-12):
                cells.append(fmt(m, u))
            else:
                cells.append(f"{fmt(m, u)} ({fmt(a, u)} to {fmt(b, u)})")
        rows.append([_label(name, lang), u, *cells])
    return text_table(
        ["indicator", "unit", *[str(y) for y in years]], rows, right=range(2, 2 + len(years))
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
  hubinsim run scenarios/stimulus.toml --draws 1000 --seed 1      # an ensemble, fan charts
  hubinsim run scenarios/stimulus.toml --draws 100000 --workers 4
  hubinsim run scenarios/stimulus.toml --draws 1000000 --executor dask://10.0.0.5:8786
""",
)
@click.argument("scenario", type=click.Path(path_type=Path))
@folder_options("the run folder")
@ensemble_options
@click.pass_context
def run(
    ctx, scenario, out, force, no_charts, lang, draws, seed, sampling, workers, chunk_size, executor
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
    """
    from . import output

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = _load(scenario, data_dir)
    declared = _declares_uncertainty(scn)
    _needs_ensemble(draws, seed, sampling, workers, executor, declared)
    target = out / output.safe_name(scn.name)
    output.check_target(target, force)
    if draws is None and not declared:
        from .simulate import simulate

        res = simulate(scn, data_dir=data_dir)
    else:
        res = _run_ensemble(scn, draws, seed, sampling, workers, chunk_size, executor, data_dir)
    with output.atomic_folder(target, force) as tmp:
        files = _write_run(tmp, res, ctx, scenario, data_dir, not no_charts, lang, started)
    n_charts = sum(f.startswith("charts/") for f in files)
    click.echo(
        f"Scenario {scn.name!r} ({scenario}), {res.metadata['base_year']}-"
        f"{res.metadata['end']}, dt {res.metadata['dt']}, {res.metadata['method']}"
    )
    ensemble = "ensemble" in res.metadata
    if ensemble:
        click.echo(_ensemble_text(res))
    click.echo("")
    if ensemble:
        click.echo("Median and, in brackets, 5th to 95th percentile over the draws:")
        click.echo(headline_range_table(res, lang))
    else:
        click.echo(headline_table(res, lang))
    click.echo("")
    click.echo("Plan-target scorecard (14th FYP):")
    click.echo(scorecard_table(res, lang))
    if ensemble:
        click.echo(
            "(median: of the judged values over draws; P(met): share of draws meeting the target)"
        )
    click.echo("")
    charts_note = f", charts/ ({n_charts} PNG)" if n_charts else ""
    members_note = "".join(f", {f}" for f in files if f.split(".")[0] in ("members", "draws"))
    click.echo(
        f"Wrote {target}/: annual.csv{members_note}, targets.csv{charts_note}, "
        "scenario.resolved.toml, run.json"
    )


def _run_ensemble(scn, draws, seed, sampling, workers, chunk_size, address, data_dir):
    from .ensemble import run_ensemble
    from .uncertainty import scenario_uncertainty

    n = draws if draws is not None else scenario_uncertainty(scn, data_dir).draws
    executor = _open_executor(address)
    try:
        with _chunk_runner(_chunks(n, chunk_size), "Running draws", workers, executor) as kw:
            return run_ensemble(
                scn,
                draws,
                seed,
                sampling=sampling,
                chunk_size=chunk_size,
                data_dir=data_dir,
                **kw,
            )
    finally:
        _close_executor(executor)


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
        cols = ("projected", "gap", "met", "needed")
        if "probability" in tg.columns:
            cols += ("probability",)
        for col in cols:
            base[f"{col}:{name}"] = [tg.loc[k, col] if k in tg.index else pd.NA for k in key]
    return base


@main.command(
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml
      -> runs/compare-baseline-vs-stimulus/charts/*.png
  hubinsim compare scenarios/baseline.toml a.toml b.toml --out results --force
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --draws 1000 --seed 1
      -> the difference as fan charts, with the probability that it is positive
""",
)
@click.argument("reference", type=click.Path(path_type=Path))
@click.argument("alternatives", nargs=-1, required=True, type=click.Path(path_type=Path))
@folder_options("the comparison folder")
@ensemble_options
@click.pass_context
def compare(
    ctx,
    reference,
    alternatives,
    out,
    force,
    no_charts,
    lang,
    draws,
    seed,
    sampling,
    workers,
    chunk_size,
    executor,
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
    from .plots import unique_names

    names = unique_names([s.name for s in scenarios])
    folder = (
        "compare-"
        + output.safe_name(names[0])
        + "-vs-"
        + "-".join(output.safe_name(n) for n in names[1:])
    )
    if len(folder.encode("utf-8")) > 200:  # a folder name holds 255 bytes: shorten, keep unique
        import hashlib

        digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:10]
        folder = folder.encode("utf-8")[:180].decode("utf-8", "ignore") + "-" + digest
    target = out / folder
    declared = [s for s in scenarios if _declares_uncertainty(s)]
    _needs_ensemble(draws, seed, sampling, workers, executor, bool(declared))
    ensemble = draws is not None or bool(declared)
    if ensemble and len({s.time.end for s in scenarios}) > 1:
        ends = ", ".join(f"{n} to {s.time.end}" for n, s in zip(names, scenarios, strict=True))
        raise HubinsimError(
            f"compare with draws needs scenarios over the same years ({ends}); set the same "
            "[time] end in each"
        )
    output.check_target(target, force)
    comparisons = None
    if ensemble:
        comparisons = _compare_ensembles(
            scenarios, declared, draws, seed, sampling, workers, chunk_size, executor, data_dir
        )
        runs = [comparisons[0].ref] + [c.alt for c in comparisons]
    else:
        runs = [simulate(s, data_dir=data_dir) for s in scenarios]
    for r, n in zip(runs, names, strict=True):
        r.metadata["scenario"] = n
    if ensemble:
        d_abs, d_pct = _ensemble_diff_tables(comparisons, names)
        statements = _statements(comparisons, names)
    else:
        d_abs, d_pct = _diff_tables(runs, names)
    card = _side_by_side_scorecard(runs, names)
    with output.atomic_folder(target, force) as tmp:
        levels = pd.concat(
            [
                (output.ensemble_annual(r) if ensemble else r.annual).assign(scenario=n)
                for r, n in zip(runs, names, strict=True)
            ]
        )
        levels = levels.reset_index().set_index(["scenario", "year"])
        levels.to_csv(tmp / "annual.csv", float_format="%.10g")
        card.to_csv(tmp / "scorecard.csv", index=False, float_format="%.10g")
        d_abs.to_csv(tmp / "differences_abs.csv", float_format="%.10g")
        d_pct.to_csv(tmp / "differences_pct.csv", float_format="%.10g")
        files = ["annual.csv", "scorecard.csv", "differences_abs.csv", "differences_pct.csv"]
        if ensemble:
            (tmp / "statements.txt").write_text(_statements_text(statements), encoding="utf-8")
            files.append("statements.txt")
        (tmp / "scenarios").mkdir()
        for r, n in zip(runs, names, strict=True):
            fn = f"scenarios/{output.safe_name(n)}.resolved.toml"
            (tmp / fn).write_text(output.resolved_toml(r, data_dir), encoding="utf-8")
            files.append(fn)
        if not no_charts:
            from . import plots

            figs = plots.compare_charts(runs, lang=lang, comparisons=comparisons)
            saved = plots.save_figures(figs, tmp / "charts")
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
        if ensemble:
            info["ensemble"] = output.ensemble_info(runs[0], {"common_random_numbers": True})
        for s in info["scenarios"]:
            s.pop("command", None)
            s.pop("ensemble", None)
        output.write_json(tmp / "run.json", info)
    if ensemble:
        _print_compare_ensemble(runs, comparisons, names, statements, lang)
    else:
        _print_compare(runs, names, lang)
    n_charts = sum(f.startswith("charts/") for f in files)
    charts_note = f"charts/ ({n_charts} PNG), " if n_charts else ""
    words = "statements.txt, " if ensemble else ""
    click.echo(
        f"\nWrote {target}/: {charts_note}annual.csv, scorecard.csv, "
        f"differences_abs.csv, differences_pct.csv, {words}scenarios/, run.json"
    )


def _compare_ensembles(
    scenarios, declared, draws, seed, sampling, workers, chunk_size, address, data_dir
):
    """Each alternative against the reference on the same draws (common random numbers).

    The draws follow the reference's [uncertainty] section, else the first alternative
    that declares one, else the default uncertainty; one seed serves every pair, so every
    scenario sees the same parameter values.
    """
    import secrets

    from .ensemble import compare_ensembles
    from .uncertainty import scenario_uncertainty

    ref, alts = scenarios[0], scenarios[1:]
    uncertainty = None
    if declared and declared[0] is not ref:
        uncertainty = scenario_uncertainty(declared[0], data_dir)
    unc = uncertainty or scenario_uncertainty(ref, data_dir)
    n = draws if draws is not None else unc.draws
    if seed is None:
        # one seed for every pair; 63 bits, so that TOML and run.json can record it
        seed = unc.seed if unc.seed is not None else secrets.randbits(63)
    executor = _open_executor(address)
    chunks = 2 * len(alts) * _chunks(n, chunk_size)
    try:
        with _chunk_runner(chunks, "Running draws", workers, executor) as kw:
            return [
                compare_ensembles(
                    ref,
                    alt,
                    draws,
                    seed,
                    uncertainty=uncertainty,
                    sampling=sampling,
                    chunk_size=chunk_size,
                    data_dir=data_dir,
                    **kw,
                )
                for alt in alts
            ]
    finally:
        _close_executor(executor)


def _ensemble_diff_tables(comparisons, names):
    """Median, mean, percentiles and share of draws above zero of each alternative minus the
    reference, member by member: absolute, and in % of the reference for levels."""
    import pandas as pd

    from . import output
    from .catalog import INDICATOR_BY_NAME

    abs_parts, pct_parts = [], []
    for cmp, name in zip(comparisons, names[1:], strict=True):
        cols = cmp.columns
        levels = [c for c in cols if INDICATOR_BY_NAME[c].unit != "%"]
        for parts, which, relative in ((abs_parts, cols, False), (pct_parts, levels, True)):
            with _quiet_numpy():
                d = {c: cmp.difference(c, relative=relative) for c in which}
            frame = output.summary_frame(d, cmp.ref.years, share_positive=True)
            frame.insert(0, "scenario", name)
            parts.append(frame)
    return (
        pd.concat(abs_parts).reset_index().set_index(["scenario", "year"]),
        pd.concat(pct_parts).reset_index().set_index(["scenario", "year"]),
    )


@contextlib.contextmanager
def _quiet_numpy():
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        yield


def _statement_years(years) -> list[int]:
    years = [int(y) for y in years]
    out = [y for y in (2025, years[-1]) if y in years[1:]]
    return sorted(set(out))


def _statement(alt: str, ind: str, year: int, d) -> str:
    """One sentence on the difference ``d`` (members) of ``ind`` in ``year``."""
    import numpy as np

    from .catalog import INDICATOR_BY_NAME

    meta = INDICATOR_BY_NAME[ind]
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    basis = ""
    if meta.unit != "%" and meta.price_basis not in ("-", "") and "price" not in meta.meaning_en:
        basis = f" ({meta.price_basis})"
    what = f"{meta.meaning_en}{basis} in {year} [{ind}]"
    unit = "percentage points" if meta.unit == "%" else meta.unit
    if d.size == 0:
        return f"{alt}: no values of {what}."
    if np.all(d == 0):
        return f"{alt} leaves {what} unchanged in every draw."
    p5, p95 = np.percentile(d, [5, 95])
    up, down = float(np.mean(d > 0)), float(np.mean(d < 0))

    def num(x):
        x = abs(float(x))
        # two significant digits for small differences, which fmt() would show as 0.00
        return f"{x:.2g}" if 0 < x < 0.1 else fmt(x, meta.unit)

    if p5 >= 0:
        return (
            f"{alt} raises {what} by {num(p5)} to {num(p95)} {unit} with 90 % probability "
            f"(5th-95th percentile), and raises it in {_pct(up)} of draws."
        )
    if p95 <= 0:
        return (
            f"{alt} lowers {what} by {num(p95)} to {num(p5)} {unit} with 90 % probability "
            f"(5th-95th percentile), and lowers it in {_pct(down)} of draws."
        )
    return (
        f"{alt} changes {what} by -{num(p5)} to +{num(p95)} {unit} with 90 % probability "
        f"(5th-95th percentile): higher in {_pct(up)} of draws, lower in {_pct(down)}."
    )


def _statements(comparisons, names) -> list[tuple[str, int, str, str]]:
    """(alternative, year, indicator, sentence) for the headline indicators."""
    from .catalog import HEADLINE

    out = []
    for cmp, name in zip(comparisons, names[1:], strict=True):
        years = list(cmp.ref.years)
        for y in _statement_years(years):
            for ind in HEADLINE:
                if ind in cmp.columns:
                    d = cmp.difference(ind)[years.index(y)]
                    out.append((name, y, ind, _statement(name, ind, y, d)))
    return out


def _statements_text(statements) -> str:
    lines = [
        "Differences from the reference on the same parameter draws (common random numbers);",
        "ranges are the 5th to 95th percentiles of the member-by-member difference.",
    ]
    last = None
    for alt, year, _, sentence in statements:
        if (alt, year) != last:
            lines += ["", f"{alt}, {year}:"]
            last = (alt, year)
        lines.append(f"- {sentence}")
    return "\n".join(lines) + "\n"


def _print_compare_ensemble(runs, comparisons, names, statements, lang):
    import numpy as np

    from .catalog import HEADLINE
    from .results import percentile_rows

    ref = runs[0]
    ens = ref.metadata["ensemble"]
    click.echo(
        f"{ens['draws']:,} draws ({ens['sampling']}, seed {ens['seed']}), the same for every "
        "scenario (common random numbers)"
    )
    years_all = list(ref.years)
    for y in _statement_years(years_all):
        yi = years_all.index(y)
        rows = []
        for ind in HEADLINE:
            if ind not in ref.values:
                continue
            u = _unit(ind)
            pp = " pp" if u == "%" else ""
            row = [_label(ind, lang), u, fmt(np.median(ref.values[ind][yi]), u)]
            for cmp in comparisons:
                d = cmp.difference(ind)[yi]
                p5, p50, p95 = percentile_rows(d[None, :], (5, 50, 95))[:, 0]
                row += [
                    f"{p50:+,.2f}{pp}",
                    f"{p5:+,.2f} to {p95:+,.2f}",
                    _pct(float(np.mean(d > 0))),
                ]
            rows.append(row)
        head = ["indicator", "unit", f"{names[0]} (median)"]
        for n in names[1:]:
            head += [f"Δ {n} (median)", "Δ 5th to 95th pct", "P(Δ > 0)"]
        click.echo("")
        click.echo(f"Headline indicators in {y} (Δ = alternative - {names[0]}, draw by draw):")
        click.echo(text_table(head, rows, right=range(2, len(head))))
    first = _statement_years(years_all)[:1]
    if first:
        click.echo("")
        click.echo(f"In words ({first[0]}; every year in statements.txt):")
        for _alt, year, ind, sentence in statements:
            if year == first[0] and ind in ("gdp", "gdp_real", "fiscal_revenue", "employment"):
                click.echo(f"  {sentence}")
    click.echo("")
    click.echo("Plan-target scorecards (median; probability of meeting the target):")
    click.echo(
        _scorecards_side_by_side(
            runs,
            names,
            lang,
            lambda r: f"{fmt(r['projected'], r['unit'])}; {_pct(r['probability'])}",
        )
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
    click.echo(
        _scorecards_side_by_side(
            runs,
            names,
            lang,
            lambda r: f"{fmt(r['projected'], r['unit'])} {'yes' if r['met'] else 'NO'}",
        )
    )


def _scorecards_side_by_side(runs, names, lang, cell) -> str:
    """One row per target of the first run, one column per run: ``cell(scorecard row)``."""
    rows = []
    for _, t in runs[0].targets.iterrows():
        row = [_label(t["indicator"], lang), str(t["year"]), _target_text(t)]
        for r in runs:
            m = r.targets[
                (r.targets["indicator"] == t["indicator"]) & (r.targets["year"] == t["year"])
            ]
            row.append("-" if m.empty else cell(m.iloc[0]))
        rows.append(row)
    return text_table(["indicator", "year", "target", *names], rows, right=range(1, 3 + len(names)))


# --------------------------------------------------------------------------- sensitivity


def _sensitivity_runs(method: str, n: int, d: int) -> int:
    """Model runs of a Sobol (n raised to a power of 2, n (d + 2)) or Morris (n (d + 1))
    analysis, for the progress bar."""
    if method == "sobol":
        n = 2 ** max(0, math.ceil(math.log2(n)))
        return n * (d + 2)
    return n * (d + 1)


def _ranked(result, output: str):
    """One output's indices, most influential first, with a rank column (1 = most)."""
    table = result.for_output(output).reset_index()
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def _sensitivity_table(result, output: str, top: int) -> str:
    table = _ranked(result, output).head(top)
    # Morris: one number of decimals per output, four significant digits on the largest
    big = abs(float(table["mu_star"].max())) if result.method == "morris" else 1.0
    dec = max(0, 3 - math.floor(math.log10(big))) if big > 0 and math.isfinite(big) else 3
    rows = []
    for _, r in table.iterrows():
        if result.method == "sobol":
            rows.append(
                [
                    str(r["rank"]),
                    r["parameter"],
                    f"{r['ST']:.3f} ± {r['ST_conf']:.3f}",
                    f"{r['S1']:.3f} ± {r['S1_conf']:.3f}",
                ]
            )
        else:
            rows.append(
                [
                    str(r["rank"]),
                    r["parameter"],
                    f"{r['mu_star']:.{dec}f} ± {r['mu_star_conf']:.{dec}f}",
                    f"{r['mu']:+.{dec}f}",
                    f"{r['sigma']:.{dec}f}",
                ]
            )
    head = (
        ["rank", "parameter", "ST (total) ± 95 % CI", "S1 (first order) ± 95 % CI"]
        if result.method == "sobol"
        else ["rank", "parameter", "mu* ± 95 % CI", "mu", "sigma"]
    )
    return text_table(head, rows, right={0} | set(range(2, len(head))))


@main.command(
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
    type=click.Choice(["sobol", "morris"]),
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
    "default gdp_real@2025).",
)
@click.option(
    "-N",
    "n",
    type=click.IntRange(min=2, max=65536),
    default=None,
    metavar="n",
    help="Sobol: base sample, raised to a power of 2 (n (d + 2) runs for d parameters; "
    "default 1024). Morris: trajectories (n (d + 1) runs; default 100).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    metavar="S",
    help="Seed of the design and the bootstrap (default: the scenario's, else a fresh one, "
    "recorded in run.json).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("runs"),
    show_default=True,
    help="Folder that receives the result folder.",
)
@click.option("--force", is_flag=True, help="Replace an existing result folder.")
@click.option("--no-charts", is_flag=True, help="Skip the charts.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=15,
    show_default=True,
    help="Parameters printed and charted per output (indices.csv has them all).",
)
@_options(_chunk_options("runs"))
@click.pass_context
def sensitivity(
    ctx,
    scenario,
    method,
    outputs,
    n,
    seed,
    out,
    force,
    no_charts,
    top,
    workers,
    chunk_size,
    executor,
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
    import secrets

    from . import output
    from .sensitivity import DEFAULT_N, parse_outputs
    from .sensitivity import sensitivity as analyse
    from .uncertainty import scenario_uncertainty

    started = time.perf_counter()
    data_dir = ctx.obj["data_dir"]
    scn = _load(scenario, data_dir)
    outputs = list(outputs) or ["gdp_real@2025"]
    pairs = parse_outputs(",".join(outputs), range(2020, scn.time.end + 1))
    labels = list(dict.fromkeys(f"{i}@{y}" for i, y in pairs))
    target = out / f"sensitivity-{output.safe_name(scn.name)}-{method}"
    output.check_target(target, force)
    unc = scenario_uncertainty(scn, data_dir)
    if seed is None:
        seed = unc.seed if unc.seed is not None else secrets.randbits(63)
    n = n or DEFAULT_N[method]
    runs = _sensitivity_runs(method, n, unc.dimension)
    ex = _open_executor(executor)
    try:
        with _chunk_runner(_chunks(runs, chunk_size), "Running the design", workers, ex) as kw:
            result = analyse(
                scn,
                labels,
                method=method,
                n=n,
                seed=seed,
                chunk_size=chunk_size,
                data_dir=data_dir,
                **kw,
            )
    finally:
        _close_executor(ex)
    md = result.metadata
    with output.atomic_folder(target, force) as tmp:
        import pandas as pd

        parts = []
        for o in labels:
            part = _ranked(result, o)
            ind, _, year = o.partition("@")
            for k, (col, value) in enumerate((("output", o), ("indicator", ind), ("year", year))):
                part.insert(k, col, value)
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
        table.to_csv(tmp / "indices.csv", index=False, float_format="%.6g")
        files = ["indices.csv"]
        from .scenario_file import resolved_toml

        (tmp / "scenario.resolved.toml").write_text(
            resolved_toml(scn, data_dir=data_dir), encoding="utf-8"
        )
        files.append("scenario.resolved.toml")
        if not no_charts:
            from . import plots

            figs = {
                output.safe_name(o.replace("@", "_")): plots.sensitivity_chart(result, o, top=top)
                for o in labels
            }
            files += [f"charts/{p.name}" for p in plots.save_figures(figs, tmp / "charts")]
        info = {
            "hubinsim_version": __version__,
            "command": _command_line(ctx),
            "scenario": scn.name,
            "scenario_file": str(Path(scenario).resolve()),
            "input_hashes": output.input_hashes(scenario, scn, data_dir),
            "method": method,
            "n": md.get("n"),
            "runs": md.get("runs"),
            "seed": seed,
            "backend": md.get("backend"),
            "conf_level": md.get("conf_level"),
            "num_resamples": md.get("num_resamples"),
            "num_levels": md.get("num_levels"),
            "outputs": labels,
            "parameters": md.get("parameters"),
            "default_uncertainty": md.get("default_uncertainty"),
            "uncertainty": md.get("uncertainty"),
            "chunk_size": chunk_size or CHUNK_SIZE_DEFAULT,
            "timestamp": _timestamp(),
            "simulation_time_s": md.get("wall_time_s"),
            "wall_time_s": time.perf_counter() - started,
            "files": files + ["run.json"],
        }
        output.write_json(tmp / "run.json", info)
    what = (
        "default uncertainty: every structural parameter uniform over its plausible range"
        if md.get("default_uncertainty")
        else "the scenario's [uncertainty]"
    )
    levers = set((md.get("uncertainty") or {}).get("levers", {}))
    n_levers = sum(1 for name in md["parameters"] if name in levers)
    counted = f"{len(md['parameters']) - n_levers} parameters" + (
        f" and {n_levers} lever(s)" if n_levers else ""
    )
    click.echo(
        f"Scenario {scn.name!r} ({scenario}): {method}, n {md['n']}, {md['runs']:,} runs, "
        f"seed {seed}; {counted} ({what})"
    )
    for o in labels:
        ind = o.partition("@")[0]
        click.echo("")
        if method == "sobol":
            head = f"Sobol indices of {o} ({_unit(ind)}), shares of its variance"
        else:
            head = (
                f"Morris screening of {o}: mu* and sigma in {_unit(ind)} over each "
                "parameter's full range"
            )
        click.echo(head + ", most influential first:")
        click.echo(_sensitivity_table(result, o, top))
        rest = len(md["parameters"]) - min(top, len(md["parameters"]))
        if rest > 0:
            click.echo(f"... and {rest} more in indices.csv")
    n_charts = sum(f.startswith("charts/") for f in files)
    charts_note = f", charts/ ({n_charts} PNG)" if n_charts else ""
    click.echo(f"\nWrote {target}/: indices.csv{charts_note}, scenario.resolved.toml, run.json")


def _timestamp() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
