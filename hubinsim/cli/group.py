"""The ``hubinsim`` command group: global options, and errors turned into exit codes.

Exit codes: 0 success, 2 bad input (any :class:`hubinsim.HubinsimError`, printed as one
message without a traceback), 1 a bug (the traceback is shown only with ``--debug``).
"""

from __future__ import annotations

import io
import os
import shlex
import sys
import traceback
import warnings
from pathlib import Path

import click

from .._version import __version__
from ..errors import HubinsimError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# --------------------------------------------------------------------------- group


class Group(click.Group):
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
