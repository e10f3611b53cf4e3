"""Charts written as PNG files, drawn in worker processes when there are CPUs to spare.

Drawing is most of the time of a run folder (0.1-0.3 s a chart; a comparison of two
scenarios has 19), and the charts do not depend on each other: :func:`drawing` draws them
in worker processes (``workers``; the command line: one per usable CPU) while the caller
writes the tables. Where processes are
forked (Linux) a worker inherits the results and receives only the number of its chart;
elsewhere the charts are sent to it. The costliest charts start first.

Each chart is laid out once, at the resolution of its file (``savefig`` draws a figure once
without rendering to lay it out, then again), and written as an RGB PNG: the background is
opaque, so the alpha channel ``savefig`` writes is dropped. The pixels are those ``savefig``
writes; the file is 10 % smaller and compressed a quarter faster.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ..defaults import DPI
from ..errors import Message, in_lang
from ..run.parallel import can_share_memory, resolve_workers, worker_pool

#: In a worker process: the charts it may be asked to draw (see :func:`drawing`).
_JOBS: list = []
#: zlib's level for the PNG files: about a third faster than PIL's default (6), for files
#: about 8 % larger; the pixels are the same.
PNG_LEVEL = 3


def _glyph_text(lang: str) -> str:
    return in_lang(
        lang,
        "some characters of the chart labels are not in the installed fonts and show as "
        "boxes; install a CJK font (e.g. fonts-noto-cjk)",
        "图表标注中有些字符不在已安装的字体中,显示为方框;请安装中文(CJK)字体(如 fonts-noto-cjk)",
    )


_GLYPH_WARNING = Message(_glyph_text)


def save_figures(figures: Mapping, folder, dpi: int = DPI) -> list[Path]:
    """Save each figure as ``<folder>/<name>.png`` with ``savefig``; returns the paths.

    Warnings about glyphs missing from the installed fonts are gathered into one warning.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, caught = [], []
    for name, fig in figures.items():
        path = folder / f"{name}.png"
        with warnings.catch_warnings(record=True) as found:
            warnings.simplefilter("always")
            fig.savefig(path, dpi=dpi, facecolor="white")
        caught += [(str(w.message), w.category) for w in found]
        paths.append(path)
    _warn(caught)
    return paths


def write_charts(jobs: Sequence, folder, dpi: int = DPI, workers=1) -> list[str]:
    """Draw each :class:`~hubinsim.plots.ChartJob` and write it as ``<folder>/<name>.png``;
    returns the file names (see :func:`drawing`)."""
    with drawing(jobs, folder, dpi, workers) as names:
        pass
    return names


@contextlib.contextmanager
def drawing(jobs: Sequence, folder, dpi: int = DPI, workers=1) -> Iterator[list[str]]:
    """Draw the charts of ``jobs`` into ``folder`` while the ``with`` block runs.

    Yields the names of the files (``<name>.png``, in the order of ``jobs``); they are all
    written when the block ends. ``workers``: processes drawing at once (``"auto"``: one per
    usable CPU; 1: in this process, before the block). Warnings raised while drawing are
    raised again here, in this process; an error in a chart is raised here too.
    """
    jobs = list(jobs)
    names = [f"{job.name}.png" for job in jobs]
    if not jobs:
        yield names
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    order = sorted(range(len(jobs)), key=lambda k: -jobs[k].weight)  # costliest first
    processes = resolve_workers(workers, len(jobs))
    if processes < 2 or len(jobs) < 2:
        _set_jobs(jobs)
        try:
            caught = [w for k in order for w in _draw_job(k, folder, dpi)]
        finally:
            _set_jobs([])
        yield names
        _warn(caught)
        return
    if can_share_memory():
        _prepare(jobs[0].lang)
    with worker_pool(processes, _set_jobs, (jobs,)) as pool:
        futures = [pool.submit(_draw_job, k, folder, dpi) for k in order]
        yield names
        caught = [w for f in futures for w in f.result()]
    _warn(caught)


def _prepare(lang: str) -> None:
    """Import matplotlib and find the fonts of ``lang`` here, once, before the workers are
    forked: each would otherwise do it itself (0.3-0.6 s of CPU, as long as two charts)."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    from PIL import PngImagePlugin  # noqa: F401

    from ..plots.text import language

    with warnings.catch_warnings():  # a missing Chinese font is said where a chart is drawn
        warnings.simplefilter("ignore")
        language(lang)


def _set_jobs(jobs: list) -> None:
    _JOBS[:] = jobs


def _draw_job(k: int, folder: Path, dpi: int) -> list[tuple[str, type]]:
    """Draw chart ``k`` of the jobs and write it as PNG; returns the warnings raised."""
    job = _JOBS[k]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _write_png(job.figure(), folder / f"{job.name}.png", dpi)
    return [(_said(w.message), w.category) for w in caught]


def _said(warning: Warning) -> str:
    """A warning's message: a :class:`~hubinsim.errors.Message` as it is (said in either
    language where it is printed), else its text."""
    args = getattr(warning, "args", ())
    return args[0] if args and isinstance(args[0], Message) else str(warning)


def _write_png(fig, path: Path, dpi: int) -> None:
    """Lay out, render and write a figure as an RGB PNG (see the module)."""
    from matplotlib import __version__ as mpl_version
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image, PngImagePlugin

    fig.set_dpi(dpi)
    fig.set_facecolor("white")
    canvas = FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")
    canvas.draw()
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", f"Matplotlib version{mpl_version}, https://matplotlib.org/")
    rgba = canvas.buffer_rgba()
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    image.convert("RGB").save(path, format="png", pnginfo=info, compress_level=PNG_LEVEL)


def _warn(caught: list[tuple[str, type]]) -> None:
    """Raise the warnings of drawing again (each once), those of missing glyphs as one."""
    missing = False
    for message, category in dict.fromkeys(caught):
        if "missing from font" in message or "Glyph" in message:
            missing = True
        else:
            warnings.warn(message, category, stacklevel=3)
    if missing:
        warnings.warn(_GLYPH_WARNING, UserWarning, stacklevel=3)
