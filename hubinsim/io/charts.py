"""Charts saved as PNG files: figures made and saved one by one, warnings gathered."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..defaults import DPI

_GLYPH_WARNING = (
    "some characters of the chart labels are not in the installed fonts "
    "and show as boxes; install a CJK font (e.g. fonts-noto-cjk)"
)


def save_figures(figures: Mapping, folder, dpi: int = DPI) -> list[Path]:
    """Save each figure as ``<folder>/<name>.png``; returns the paths.

    Warnings about glyphs missing from the installed fonts are gathered into one warning.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, caught = [], []
    for name, fig in figures.items():
        path = folder / f"{name}.png"
        caught += _save(fig, path, dpi)
        paths.append(path)
    _warn(caught)
    return paths


def write_charts(jobs: Sequence, folder, dpi: int = DPI) -> list[str]:
    """Draw each :class:`~hubinsim.plots.ChartJob` and save it as ``<folder>/<name>.png``.

    Returns the file names, in the order of ``jobs``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    caught = []
    for job in jobs:
        with warnings.catch_warnings(record=True) as found:
            warnings.simplefilter("always")
            fig = job.figure()
        caught += [(str(w.message), w.category) for w in found]
        caught += _save(fig, folder / f"{job.name}.png", dpi)
    _warn(caught)
    return [f"{job.name}.png" for job in jobs]


def _save(fig, path: Path, dpi: int) -> list[tuple[str, type]]:
    """Save ``fig`` as PNG; returns the warnings raised (message, category)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(path, dpi=dpi, facecolor="white")
    return [(str(w.message), w.category) for w in caught]


def _warn(caught: list[tuple[str, type]]) -> None:
    """Raise the warnings of drawing again, those of missing glyphs as one."""
    missing = False
    for message, category in dict.fromkeys(caught):
        if "missing from font" in message or "Glyph" in message:
            missing = True
        else:
            warnings.warn(message, category, stacklevel=3)
    if missing:
        warnings.warn(_GLYPH_WARNING, UserWarning, stacklevel=3)
