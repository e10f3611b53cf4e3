"""Progress bars over the chunks of an ensemble or a sensitivity design, on a terminal."""

from __future__ import annotations

import contextlib
import sys

import click


def show_progress() -> bool:
    """Progress bars only on a terminal (not in pipes, files or CliRunner tests)."""
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


@contextlib.contextmanager
def progress_bar(label: str):
    """A ``progress(done, total)`` callback for the library that draws a bar labelled
    ``label`` once there are two chunks or more; None when stdout is not a terminal."""
    if not show_progress():
        yield None
        return
    bars = []

    def update(done: int, total: int) -> None:
        if not bars:
            if total < 2:
                return
            bars.append(click.progressbar(length=total, label=label, show_pos=True))
            bars[0].__enter__()
        bars[0].update(done - bars[0].pos)

    try:
        yield update
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
