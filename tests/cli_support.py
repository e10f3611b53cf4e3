"""What the command-line tests share: a short scenario, a file writer, the CLI invoked in
process and a look at what a failed run left behind."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hubinsim import cli

#: A scenario that ends in 2026, so that a run takes milliseconds.
SHORT = """\
[scenario]
name = "{name}"
description = "a short test run"

[time]
end = 2026

[consumption]
vouchers = {vouchers}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args):
    """``hubinsim ARGS...`` through click's CliRunner (exceptions propagate)."""
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []
