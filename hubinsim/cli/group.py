"""The ``hubinsim`` command group: global options, and errors turned into exit codes.

Exit codes: 0 success, 2 bad input or a refusal of the system (any
:class:`hubinsim.HubinsimError`, printed as one message without a traceback; also a full
standard output and a lack of memory), 128 + the signal's number after an interrupt (130 for
Ctrl-C, 143 for SIGTERM, 129 for SIGHUP: the command stops as Ctrl-C stops it, worker
processes stopped and temporary folders removed), 1 a bug (the traceback is shown only with
``--debug``).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shlex
import signal
import sys
import threading
import traceback
import warnings
from pathlib import Path

import click

from .._version import __version__
from ..errors import HubinsimError, Message, printable, text_in
from ..files import system_error

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- group


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread as Ctrl-C is (so that the same cleanup
    runs: worker processes stopped, temporary folders removed)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


#: Signals that stop a command as Ctrl-C does; the exit code is 128 + the signal's number.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


_HANDLING = threading.Event()  # set while stopped_by_signals() holds the handlers


@contextlib.contextmanager
def stopped_by_signals():
    """While the block runs, SIGINT, SIGTERM and SIGHUP raise :class:`Interrupted` in the
    main thread, once: a second signal during the cleanup is not raised again. An interrupt
    that Python had to drop (raised where an exception cannot go, such as a callback run at
    ``fork``) is raised again at once. The handlers before are restored after (the command
    may run inside a longer-lived process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []
    lost: list[int] = []
    wake = threading.Event()
    done = threading.Event()

    def handler(signum, frame):
        if not raised:
            raised.append(signum)
            raise Interrupted(signum)

    def dropped(unraisable):
        exc = unraisable.exc_value
        if isinstance(exc, Interrupted) and raised == [exc.signum]:
            raised.clear()
            lost.append(exc.signum)
            wake.set()  # sent again from another thread: raised where it can be
            return
        before_hook(unraisable)

    def resend() -> None:
        main = threading.main_thread().ident
        while True:
            wake.wait()
            wake.clear()
            if done.is_set():
                return
            while lost:
                signal.pthread_kill(main, lost.pop())

    previous = {}
    before_hook = sys.unraisablehook
    helper = threading.Thread(target=resend, name="hubinsim-interrupts", daemon=True)
    try:
        sys.unraisablehook = dropped
        for sig in STOP_SIGNALS:
            previous[sig] = signal.signal(sig, handler)
        helper.start()
        _HANDLING.set()
        yield
    finally:
        _HANDLING.clear()
        for sig, before in previous.items():
            signal.signal(sig, before)
        sys.unraisablehook = before_hook
        done.set()
        wake.set()


def _reset_in_child() -> None:
    """In a process forked while the handlers are held (a worker): Ctrl-C is the parent's
    to handle, SIGTERM and SIGHUP end the process; from the first instruction on."""
    if _HANDLING.is_set():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for sig in STOP_SIGNALS:
            if sig != signal.SIGINT:
                signal.signal(sig, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_in_child)


class _Notes(logging.Handler):
    """Prints the library's warnings of the log (a run's plan of time and memory) at once,
    as ``Note: ...`` on standard error."""

    def emit(self, record):
        _echo_error(f"Note: {printable(record.getMessage())}")


@contextlib.contextmanager
def notes_printed():
    """While the block runs, what the library logs at WARNING or above is printed at once."""
    logger = logging.getLogger("hubinsim")
    handler = _Notes(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _printing(exc: BaseException) -> bool:
    """Whether ``exc`` was raised while printing (by click.echo)."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "echo" and code.co_filename.endswith(os.path.join("click", "utils.py")):
            return True
        tb = tb.tb_next
    return False


def _stdout_broken() -> bool:
    """Whether standard output refuses what was printed (a full disk, /dev/full)."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    except (ValueError, AttributeError):
        return False
    return False


class Group(click.Group):
    """Keeps the raw arguments (for run.json) and turns errors into exit codes."""

    #: Whether this group is the program of the process (called as ``hubinsim`` or ``python
    #: -m hubinsim``, not by a test runner): an interrupted command then ends the process at
    #: once, once its files are cleaned up, rather than wait at exit for threads of worker
    #: pools that the interrupt stopped.
    owns_process = False

    def __call__(self, *args, **kwargs):
        self.owns_process = True
        return super().__call__(*args, **kwargs)

    def main(self, *args, **kwargs):
        """As click's, with a refusal of standard output while the arguments are read
        (``--help``, ``--version``, a usage error) said in a sentence, exit 2."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            if not (_printing(exc) or _stdout_broken()):
                raise
            _silence_stdout()
            _echo_error(f"Error: cannot write to standard output ({system_error(exc)})")
            sys.exit(2)

    def parse_args(self, ctx, args):
        ctx.meta["hubinsim.argv"] = list(args)
        return super().parse_args(ctx, args)

    def _command_context(self, ctx):
        """A context of the command the command line names (None if it names none): for a
        usage error that click raised before it made one."""
        argv = ctx.meta.get("hubinsim.argv", [])
        name = next((a for a in argv if a in self.commands), None)
        return None if name is None else click.Context(self.commands[name], ctx, info_name=name)

    def invoke(self, ctx):
        with warnings.catch_warnings(record=True) as caught:
            seen: set[str] = set()
            ctx.meta["hubinsim.warnings"] = (caught, seen, ctx.meta)
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            try:
                with stopped_by_signals(), notes_printed():
                    out = super().invoke(ctx)
                    sys.stdout.flush()  # a refusal of stdout is seen here, not at exit
                    return out
            except click.exceptions.UsageError as exc:
                sub = exc.ctx or self._command_context(ctx)
                if sub is not None and _asks_chinese(sub):
                    raise UsageInChinese(exc, sub) from None
                raise
            except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
                raise
            except KeyboardInterrupt as exc:
                signum = getattr(exc, "signum", signal.SIGINT)
                name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
                _echo_error(
                    f"Interrupted ({name}): stopped; nothing was left half-written and no "
                    "worker process was left running."
                )
                if self.owns_process:
                    for stream in (sys.stdout, sys.stderr):
                        with contextlib.suppress(OSError, ValueError, AttributeError):
                            stream.flush()
                    os._exit(128 + signum)
                ctx.exit(128 + signum)
            except BrokenPipeError:
                # the reader of stdout went away (``hubinsim ... | head``): not an error,
                # and files are complete before anything is printed
                _silence_stdout()
                ctx.exit(0)
            except HubinsimError as exc:
                if ctx.params.get("debug"):
                    traceback.print_exc()
                # said in the command's language (--lang), or the one it was raised in
                lang = ctx.meta.get("hubinsim.lang") or getattr(exc, "lang", None)
                zh = lang == "zh"
                _echo_error(f"{'错误' if zh else 'Error'}: {exc.text('zh' if zh else 'en')}")
                ctx.exit(2)
            except MemoryError:
                if ctx.params.get("debug"):
                    traceback.print_exc()
                _echo_error(
                    "Error: not enough memory for this run; ask for fewer --draws, a smaller "
                    "--chunk-size or fewer --workers"
                )
                ctx.exit(2)
            except OSError as exc:
                if not (_printing(exc) or _stdout_broken()):
                    if ctx.params.get("debug"):
                        raise
                    _bug(exc)
                    ctx.exit(1)
                _silence_stdout()
                _echo_error(
                    f"Error: cannot write to standard output ({system_error(exc)}); what was to "
                    "be printed is lost, a result folder written is complete"
                )
                ctx.exit(2)
            except Exception as exc:
                if ctx.params.get("debug"):
                    raise
                _bug(exc)
                ctx.exit(1)
            finally:
                _echo_warnings(caught, seen, ctx.meta)


def _asks_chinese(ctx) -> bool:
    """Whether the command of ``ctx`` has --lang and was given --lang zh (read from the
    command line as written: a usage error may come before the option is taken)."""
    if not any(p.name == "lang" for p in ctx.command.params):
        return False
    argv = ctx.find_root().meta.get("hubinsim.argv", [])
    pairs = zip(argv, argv[1:], strict=False)
    return "--lang=zh" in argv or any(a == "--lang" and b == "zh" for a, b in pairs)


def usage_text(exc: click.exceptions.UsageError, lang: str = "en") -> str:
    """What is wrong with the command line, in ``lang``: under "en" click's own words; under
    "zh" formed from the error's facts (the argument or option missing or unknown, the
    options like it, the value refused and what the option takes)."""
    if lang != "zh":
        return exc.format_message()
    ctx, errors = exc.ctx, click.exceptions
    if isinstance(exc, errors.MissingParameter):
        hint = exc.param.get_error_hint(ctx) if exc.param is not None else ""
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "")
        return f"缺少{'参数' if kind == 'argument' else '选项'} {hint}"
    if isinstance(exc, errors.NoSuchOption):
        like = "、".join(exc.possibilities or ())
        return f"没有选项 {exc.option_name!r}" + (f"(是否指 {like}?)" if like else "")
    if isinstance(exc, errors.BadOptionUsage) and ctx is not None:
        option = next(
            (p for p in ctx.command.params if exc.option_name in (*p.opts, *p.secondary_opts)),
            None,
        )
        if option is not None and getattr(option, "is_flag", False):
            return f"选项 {exc.option_name!r} 不接受值"
        return f"选项 {exc.option_name!r} 需要一个值"
    if isinstance(exc, errors.BadParameter):
        hint = exc.param_hint or (exc.param.get_error_hint(ctx) if exc.param else "")
        hint = " / ".join(hint) if isinstance(hint, list | tuple) else hint
        return f"{hint} 的值无效:{text_in(exc.message, lang)}"
    return f"用法有误:{exc.message}"


class UsageInChinese(click.exceptions.UsageError):
    """A usage error of a command given --lang zh, said in Chinese (:func:`usage_text`):
    the usage line, where help is, and what is wrong; exit code 2 as click's."""

    def __init__(self, exc: click.exceptions.UsageError, ctx):
        super().__init__(exc.message, ctx)
        self.error = exc
        exc.ctx = exc.ctx or ctx

    def format_message(self) -> str:
        return usage_text(self.error, "zh")

    def show(self, file=None) -> None:
        ctx, lines = self.ctx, []
        if ctx is not None:
            pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
            lines.append(f"用法:{ctx.command_path} {pieces}")
            if ctx.command.get_help_option(ctx) is not None:
                helping = max(ctx.command.get_help_option_names(ctx), key=len)
                lines.append(f"用 '{ctx.command_path} {helping}' 查看帮助。")
            lines.append("")
        lines.append(f"错误: {self.format_message()}")
        _echo_error("\n".join(lines)) if file is None else click.echo("\n".join(lines), file=file)


def _echo_warnings(caught, seen: set[str], meta: dict) -> None:
    """Prints each warning of ``caught`` not printed yet (``seen``), once: "警告" leads it
    under --lang zh (``meta``'s "hubinsim.lang", set by the option)."""
    lang = meta.get("hubinsim.lang") or "en"
    label = "警告" if lang == "zh" else "Warning"
    for w in caught:
        said = w.message.args[0] if getattr(w.message, "args", None) else w.message
        msg = printable(text_in(said, lang) if isinstance(said, Message) else str(w.message))
        if msg not in seen:
            seen.add(msg)
            _echo_error(f"{label}: {msg}")


def echo_warnings(ctx) -> None:
    """Prints the library's warnings so far, now (a command prints them before the line
    that says what it wrote, where they are seen); each is printed once."""
    found = ctx.find_root().meta.get("hubinsim.warnings")
    if found is not None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stdout.flush()
        _echo_warnings(*found)


def _bug(exc: BaseException) -> None:
    _echo_error(
        f"Internal error ({type(exc).__name__}: {printable(str(exc))}). This is a bug in "
        "hubinsim; run again with --debug for the traceback and report it."
    )


def _echo_error(text: str) -> None:
    """A message on standard error (whatever happens to it)."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(text, err=True)


@click.group(
    cls=Group,
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim run scenarios/stimulus.toml
  hubinsim run scenarios/stimulus.toml --draws 1000 --seed 1
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --out runs
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --draws 1000 --seed 1
  hubinsim compare scenarios/baseline.toml scenarios/stimulus.toml --attribute
  hubinsim sensitivity scenarios/baseline.toml --method morris --output gdp_real@2025
  hubinsim solve scenarios/baseline.toml --target "gdp_real@2025>=400" --lever plan_realisation
  hubinsim evaluate scenarios/baseline.toml --actuals examples/actuals_illustrative.csv
  hubinsim evaluate scenarios/baseline.toml --actuals my_actuals.csv --lang zh
  hubinsim levers --format markdown
  hubinsim indicators tertiary share
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


def command_line(ctx) -> str:
    """The command line as typed, for run.json."""
    root = ctx.find_root()
    argv = root.meta.get("hubinsim.argv", sys.argv[1:])
    return " ".join(shlex.quote(a) for a in ["hubinsim", *argv])
