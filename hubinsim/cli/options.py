"""Options several commands share, declared once: where and how a folder is written, the
draws of an ensemble, and how chunks of work run."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import (
    AUTO_WORKERS,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_OUT,
    DISTRIBUTED_HINT,
    LANGUAGES,
    MAX_CHUNK_SIZE,
    MAX_DRAWS,
    SAMPLING,
    SCHEDULER_FORMAT,
)
from ..errors import HubinsimError, Message, in_lang


def bad_value_text(lang, en, value, kind, choices=(), low=None, high=None, open_=(False, False)):
    """Why ``value`` is not a value of a parameter's type (``kind``: "choice", "int", "float",
    "workers", "folder"), in ``lang``: under "en" click's own words ``en``, unchanged; under
    "zh" the same facts (the value, the choices or the range) in Chinese."""
    if lang != "zh":
        return en
    v = repr(value)
    if kind == "choice":
        return f"{v} 不是 {'、'.join(map(repr, choices))} 之一"
    if kind == "workers":
        return f"{v} 不是 >= 1 的整数,也不是 'auto'"
    if kind == "folder":
        return f"{v} 是文件,应为文件夹"
    whole = kind == "int"
    try:
        number = int(value) if whole else float(value)
    except (TypeError, ValueError):
        return f"{v} 不是{'整数' if whole else '数值'}"
    lower = "" if low is None else f"{low}{'<' if open_[0] else '<='}"
    upper = "" if high is None else f"{'<' if open_[1] else '<='}{high}"
    return f"{number} 不在范围 {lower}x{upper} 内"


class _Said:
    """A click type whose refusal of a value keeps click's words (English) and the facts to
    say it in Chinese under --lang zh (:func:`bad_value_text`)."""

    kind = "int"

    def facts(self) -> dict:
        return {}

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            facts = {"value": value, "kind": self.kind, **self.facts()}
            exc.message = Message(bad_value_text, en=str(exc.message), **facts)
            raise


class Choice(_Said, click.Choice):
    kind = "choice"

    def facts(self) -> dict:
        return {"choices": tuple(self.choices)}


class _Ranged(_Said):
    def facts(self) -> dict:
        return {"low": self.min, "high": self.max, "open_": (self.min_open, self.max_open)}


class IntRange(_Ranged, click.IntRange):
    pass


class FloatRange(_Ranged, click.FloatRange):
    kind = "float"


class Int(_Said, click.types.IntParamType):
    pass


class Folder(_Said, click.Path):
    """``--out``: a folder (a file there is refused)."""

    kind = "folder"

    def __init__(self):
        super().__init__(file_okay=False, path_type=Path)


class Workers(click.ParamType):
    """``--workers``: a whole number >= 1, or ``auto`` (one process per CPU this process may
    use, when there is more than one chunk)."""

    name = "workers"

    def convert(self, value, param, ctx):
        if value == AUTO_WORKERS:
            return value
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            en = f"{value!r} is not a whole number >= 1 or 'auto'"
            self.fail(Message(bad_value_text, en=en, value=value, kind="workers"), param, ctx)
        return number


WORKERS_HELP = (
    "Processes running chunks of {what} (and drawing the charts) at once: a number, or auto "
    "(the default: one per CPU this process may use, when there is more than one chunk). "
    "The results do not depend on it."
)


def _executor_address(ctx, param, value):
    """``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) -> the scheduler address ``tcp://...``."""
    if value is None:
        return None
    from ..run.parallel import scheduler_address

    try:
        return scheduler_address(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def apply(options: list):
    """A decorator applying click ``options`` in the order listed."""

    def decorate(f):
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def listing_options(f):
    """--format table|csv|markdown and WORDS...: how a listing command prints, and the words
    that pick its rows (``hubinsim levers``, ``hubinsim indicators``)."""
    return apply(
        [
            click.option(
                "--format",
                "fmt_",
                type=Choice(["table", "csv", "markdown"]),
                default="table",
                show_default=True,
                help="Output format.",
            ),
            click.argument("words", nargs=-1),
        ]
    )(f)


def out_options(what: str) -> list:
    """--out, --force, --no-charts: where a command writes ``what``."""
    return [
        click.option(
            "--out",
            "out",
            type=Folder(),
            default=Path(DEFAULT_OUT),
            show_default=True,
            help=f"Folder that receives {what}.",
        ),
        click.option(
            "--force", is_flag=True, help=f"Replace an existing {what.removeprefix('the ')}."
        ),
    ]


def _remember_lang(ctx, _param, value):
    """Keeps --lang where the command line prints the library's warnings (警告 under zh)."""
    ctx.find_root().meta["hubinsim.lang"] = value
    return value


def folder_options(what: str):
    """--out, --force, --no-charts, --lang: where and how a command writes ``what``."""
    return apply(
        [
            *out_options(what),
            click.option("--no-charts", is_flag=True, help="Skip the charts (faster)."),
            click.option(
                "--lang",
                type=Choice(LANGUAGES),
                default="en",
                show_default=True,
                callback=_remember_lang,
                help="Language of what the command prints and writes: the terminal's tables "
                "and messages (the problems of the command line and of the scenario, actuals "
                "and targets files too), the tables of the folder and the chart labels (zh "
                "needs a CJK font for the charts).",
            ),
        ]
    )


def chunk_options(what: str) -> list:
    """--workers, --chunk-size, --executor: how the chunks of ``what`` (members, runs) run."""
    return [
        click.option(
            "--workers",
            type=Workers(),
            default=AUTO_WORKERS,
            metavar="W",
            help=WORKERS_HELP.format(what=what),
        ),
        click.option(
            "--chunk-size",
            type=IntRange(min=1, max=MAX_CHUNK_SIZE),
            default=None,
            metavar="M",
            help=f"{what.capitalize()} per vectorised pass (default {DEFAULT_CHUNK_SIZE:,}; "
            "the results do not depend on it).",
        ),
        click.option(
            "--executor",
            callback=_executor_address,
            default=None,
            metavar=SCHEDULER_FORMAT,
            help="Run the chunks on a Dask cluster (needs the distributed extra: "
            f"{DISTRIBUTED_HINT}); overrides --workers.",
        ),
    ]


def ensemble_options(f):
    """--draws, --seed, --sampling, --workers, --chunk-size, --executor."""
    options = [
        click.option(
            "--draws",
            type=IntRange(min=1, max=MAX_DRAWS),
            default=None,
            metavar="N",
            help="Run an ensemble of N parameter draws (default: the draws the scenario's "
            "[uncertainty] section declares; without one, a single run).",
        ),
        click.option(
            "--seed",
            type=IntRange(min=0),
            default=None,
            metavar="S",
            help="Seed of the draws (default: the scenario's, else a fresh one, recorded in "
            "run.json); the same seed gives the same members, bit for bit.",
        ),
        click.option(
            "--sampling",
            type=Choice(SAMPLING),
            default=None,
            help="How the draws cover the parameter ranges: Latin hypercube, scrambled "
            "Sobol or plain Monte Carlo (default: the scenario's, else lhs).",
        ),
        *chunk_options("members"),
    ]
    return apply(options)(f)


def check_ensemble_options(ensemble: bool, seed, sampling, workers, executor, **_) -> None:
    """Options that apply to ensembles only are an error on a single run (``--workers 1`` and
    ``auto`` excepted: they are the defaults' meaning)."""
    if ensemble:
        return
    given = [
        name
        for name, v in (
            ("--seed", seed),
            ("--sampling", sampling),
            ("--executor", executor),
            ("--workers", None if workers in (AUTO_WORKERS, 1) else workers),
        )
        if v is not None
    ]
    if given:
        raise HubinsimError(
            f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to ensembles: add "
            "--draws N (or declare an [uncertainty] section in the scenario file)"
        )


#: Vintages of actual figures (hubinsim.actuals.VINTAGES; the command line does not import it).
VINTAGES = ("preliminary", "revised", "final", "census")


def actuals_options(extra: str = "", required: bool = True) -> list:
    """--actuals FILE and --vintage: the actual figures a command reads (``extra`` ends the
    help of --actuals)."""
    return [
        click.option(
            "--actuals",
            required=required,  # no explicit default: click takes None for a value given
            type=click.Path(path_type=Path),
            metavar="FILE",
            help="The actual figures: a CSV of indicator,year,period,value,basis,vintage,source "
            f"(docs/evaluation.md){extra}.",
        ),
        click.option(
            "--vintage",
            type=Choice(VINTAGES),
            default=None,
            help="Use this vintage of each figure (default: the latest the file gives).",
        ),
    ]


def _needs_actuals_text(lang, given) -> str:
    return in_lang(
        lang,
        f"{' and '.join(given)} apply to actual figures: add --actuals FILE",
        f"{' 和 '.join(given)} 用于实际数据:请加上 --actuals FILE",
    )


def actuals_settings(actuals, vintage, anchor, lang="en", data_dir=None) -> dict:
    """The keyword arguments of ``hubinsim.simulate`` and ``hubinsim.compare`` for
    --actuals, --vintage and --anchor (none without --actuals); the file's problems in
    ``lang``, its levels checked against the 2020 base of ``data_dir``."""
    if actuals is None:
        given = [o for o, v in (("--vintage", vintage), ("--anchor", anchor)) if v is not None]
        if given:
            raise HubinsimError([Message(_needs_actuals_text, given=tuple(given))])
        return {}
    import hubinsim
    from hubinsim.run.restart import this_year

    act = hubinsim.read_actuals(actuals, data_dir=data_dir, today=this_year(), lang=lang)
    return {"actuals": act, "vintage": vintage, "anchor": anchor}


def anchor_option(default: str | None) -> list:
    """--anchor restart|fade=N: how a command re-projects from actual figures."""
    return [
        click.option(
            "--anchor",
            default=default,
            show_default=default is not None,
            metavar="restart|fade=N",
            help="restart: re-project from the latest full year of actual figures"
            + (" (the default)" if default is None else "")
            + "; fade=N: keep the 2020 start and shift each series through its latest actual, "
            "fading over N years.",
        )
    ]


def fit_options(what: str, required: bool) -> list:
    """--fit PARAM (repeated), --starts N, --seed S: the structural parameters a command fits
    to actual figures (``what`` ends the help of --fit) and the starts of the fit."""
    return [
        click.option(
            "--fit",
            "fit",
            multiple=True,
            required=required,
            metavar="PARAM",
            help=f"A structural parameter to fit within its plausible range{what} (repeat for "
            "several; `hubinsim levers` lists them).",
        ),
        click.option(
            "--starts",
            type=IntRange(min=1),
            default=4,
            show_default=True,
            metavar="N",
            help="Starts of the fit: the scenario's values and the best points of a Latin "
            "hypercube.",
        ),
        click.option(
            "--seed",
            type=IntRange(min=0),
            default=0,
            show_default=True,
            metavar="S",
            help="Seed of the Latin hypercube of starts.",
        ),
    ]
