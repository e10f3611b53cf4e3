"""An ensemble's members and draws in a run folder: written, and read back.

Up to :data:`MEMBERS_CSV_LIMIT` members they are CSV text (``members.csv.gz``: one row per
member and year; ``draws.csv.gz``: one row per member); above it numpy's binary format
(``members.npz``, ``draws.npz``), exact and written in under a second where text takes
seconds. :func:`read_members` and :func:`read_draws` read either. numpy and pandas are
imported inside the functions, so that ``hubinsim.read_members`` is cheap to reach.
"""

from __future__ import annotations

import contextlib
import functools
import os
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ..catalog import HEADLINE
from ..errors import FolderNotFound, OutputError, printable

#: gzip level of members.csv.gz: level 1 writes 5x faster than 6 for files 10 % larger.
GZIP_LEVEL = 1
#: Rows formatted at a time when writing members.csv.gz (bounds the memory of the text).
_CSV_BLOCK = 50_000
#: Up to this many members an ensemble's members and draws are written as CSV text
#: (members.csv.gz, draws.csv.gz); above it as numpy's binary .npz (members.npz, draws.npz):
#: formatting 100,000 members as text takes ~15 s and 155 MB compressed, while the binary
#: arrays are exact, 2.6 KB a member for 20 indicators over 2020-2035, and written in under
#: a second. Equal to hubinsim.run.ensemble.FULL_MEMBERS_LIMIT today (above which an ensemble
#: keeps only the headline and targeted indicators), but set on its own.
MEMBERS_CSV_LIMIT = 20_000
#: File names of an ensemble's members and draws in each format.
MEMBERS_FILES = ("members.npz", "members.csv.gz")
DRAWS_FILES = ("draws.npz", "draws.csv.gz")


def member_indicators(results) -> list[str]:
    """Indicators written to members.csv.gz: the headline ones and those the targets name."""
    targeted = {t.indicator for t in results.targets_spec}
    return [c for c in results.columns if c in HEADLINE or c in targeted]


def write_members(folder: Path, results) -> list[str]:
    """members.csv.gz (member, year, indicators) and draws.csv.gz (member, parameters), or
    above :data:`MEMBERS_CSV_LIMIT` members members.npz and draws.npz (see
    :func:`write_members_npz`); returns the names written."""
    import numpy as np

    if results.n_members > MEMBERS_CSV_LIMIT:
        return write_members_npz(folder, results)
    names = member_indicators(results)
    years, members = np.asarray(results.years), results.n_members
    columns = {
        "member": np.repeat(np.arange(members), len(years)),
        "year": np.tile(years, members),
        **{n: results.values[n].T.reshape(-1) for n in names},
    }
    write_csv_gz(folder / "members.csv.gz", columns, "{:.10g}")
    written = ["members.csv.gz"]
    samples = results.metadata.get("samples")
    if samples:
        draws = {"member": np.arange(members)}
        draws.update({k: np.asarray(v) for k, v in samples.items()})
        # shortest round-trip repr: the values read back are the values drawn, bit for bit
        write_csv_gz(folder / "draws.csv.gz", draws, "{!r}")
        written.append("draws.csv.gz")
    return written


def write_members_npz(folder: Path, results) -> list[str]:
    """members.npz and draws.npz: the members and draws in numpy's binary format, exact.

    members.npz holds ``member`` (int64, (members,)), ``year`` (int64, (years,)) and per
    indicator of :func:`member_indicators` a float64 array of shape (members, years), one row
    per member (C order), in that order; draws.npz holds ``member`` and per drawn parameter a
    float64 array of shape (members,). The values are those of the run, bit for bit. The
    files are not compressed: floats barely compress and deflate would take most of the time.
    Read them with :func:`read_members` and :func:`read_draws` (or ``numpy.load``).
    """
    import numpy as np

    members = results.n_members
    member = np.arange(members, dtype=np.int64)
    arrays = {"member": member, "year": np.asarray(results.years, dtype=np.int64)}
    for name in member_indicators(results):
        # made when written, so that one indicator's copy is held at a time
        arrays[name] = functools.partial(_rows_per_member, results.values[name])
    _savez(folder / "members.npz", arrays)
    written = ["members.npz"]
    samples = results.metadata.get("samples")
    if samples:
        draws = {"member": member}
        draws.update({k: np.asarray(v, dtype=float) for k, v in samples.items()})
        _savez(folder / "draws.npz", draws)
        written.append("draws.npz")
    return written


def _rows_per_member(values):
    import numpy as np

    return np.ascontiguousarray(np.asarray(values, dtype=float).T)


def _savez(path: Path, arrays: Mapping) -> None:
    """What ``numpy.savez`` writes (a zip of .npy files, not compressed), one array at a
    time: a value may be a function that makes its array when it is written."""
    import zipfile

    from numpy.lib import format as npy

    with zipfile.ZipFile(path, mode="w", compression=zipfile.ZIP_STORED, allowZip64=True) as z:
        for name, value in arrays.items():
            with z.open(name + ".npy", "w", force_zip64=True) as fh:
                npy.write_array(fh, value() if callable(value) else value, allow_pickle=False)


def _members_file(folder, names: tuple[str, ...], what: str) -> Path:
    try:
        folder = Path(os.fspath(folder))
    except TypeError:
        raise FolderNotFound(
            f"folder: must be the path of a run folder, got {folder!r:.60}"
        ) from None
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise FolderNotFound(
        f"{printable(str(folder))}: no {' or '.join(names)} here; {what} are in the run folder "
        "of an ensemble (hubinsim run SCENARIO.toml --draws N)"
    )


@contextlib.contextmanager
def _reading(path: Path):
    """A file of a run folder that cannot be read, or is not what hubinsim wrote, raises
    OutputError naming it."""
    try:
        yield
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise OutputError(
            f"{printable(str(path))}: cannot be read as hubinsim wrote it ({exc})"
        ) from None


def read_members(folder: str | os.PathLike):
    """The indicators of every member of an ensemble's run folder.

    Reads members.npz (ensembles above :data:`MEMBERS_CSV_LIMIT` members) or members.csv.gz.

    Parameters
    ----------
    folder : str or path
        The run folder, such as ``runs/baseline``.

    Returns
    -------
    pandas.DataFrame
        One row per member and year, members in order, years in order within a member;
        columns ``member`` (int, from 0), ``year`` (int) and one float column per indicator
        kept for the members (the headline ones and those the plan targets name), each in
        its unit of :mod:`hubinsim.catalog` (``Results.units()``): 亿元 at current prices,
        ``*_real`` at 2020 prices, 万人 for population and employment, % for ``*_pct``.
        NaN in years without a value, such as growth rates in the base year. The same frame
        as ``pandas.read_csv("members.csv.gz")``; from members.npz the values are exact,
        from the CSV they have 10 significant digits.

    Raises
    ------
    FolderNotFound
        If the folder holds neither file (an OutputError and a FileNotFoundError).
    OutputError
        If the file cannot be read as hubinsim wrote it.
    """
    import pandas as pd

    path = _members_file(folder, MEMBERS_FILES, "members")
    with _reading(path):
        if path.suffix != ".npz":
            return pd.read_csv(path, dtype=_float_columns("member", "year"))
        return _members_npz(path)


def _members_npz(path: Path):
    import numpy as np
    import pandas as pd

    with np.load(path, allow_pickle=False) as z:
        member, year = z["member"], z["year"]
        names = [n for n in z.files if n not in ("member", "year")]
        columns = {
            "member": np.repeat(member, len(year)),
            "year": np.tile(year, len(member)),
            **{n: z[n].reshape(-1) for n in names},
        }
    return pd.DataFrame(columns)


def read_draws(folder: str | os.PathLike):
    """The parameter (and lever) values every member of an ensemble's run folder drew.

    Reads draws.npz (ensembles above :data:`MEMBERS_CSV_LIMIT` members) or draws.csv.gz.
    Both hold the values drawn bit for bit.

    Parameters
    ----------
    folder : str or path
        The run folder, such as ``runs/baseline``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``member`` (int, from 0), one float column per drawn parameter (named as
        in data/parameters.csv, such as ``capital.depreciation``, in that parameter's unit),
        then one per drawn lever (``[uncertainty.levers]``, in the lever's unit).

    Raises
    ------
    FolderNotFound
        If the folder holds neither file (an OutputError and a FileNotFoundError).
    OutputError
        If the file cannot be read as hubinsim wrote it.
    """
    import numpy as np
    import pandas as pd

    path = _members_file(folder, DRAWS_FILES, "draws")
    with _reading(path):
        if path.suffix != ".npz":
            return pd.read_csv(path, index_col="member", dtype=_float_columns("member"))
        with np.load(path, allow_pickle=False) as z:
            index = pd.Index(z["member"], name="member")
            return pd.DataFrame({n: z[n] for n in z.files if n != "member"}, index=index)


def _float_columns(*ints: str):
    """read_csv dtypes: int64 for ``ints``, float64 for every other column (so that a column
    whose values all happen to be whole numbers is float, as in the .npz files)."""
    from collections import defaultdict

    return defaultdict(lambda: "float64", dict.fromkeys(ints, "int64"))


def write_csv_gz(path: Path, columns: Mapping, float_format: str = "{:.10g}") -> None:
    """A gzip-compressed CSV of equal-length columns (name -> 1-d array).

    Integer columns are written as integers, floats with ``float_format`` (a str.format
    pattern), NaN as an empty field. The gzip header carries no time stamp or file name, so
    the same columns give the same bytes. Several times faster than ``DataFrame.to_csv``,
    whose per-value formatting dominates the time of a large ensemble's run folder.
    """
    import gzip

    import numpy as np

    arrays = {k: np.asarray(v) for k, v in columns.items()}
    n = len(next(iter(arrays.values()))) if arrays else 0
    fmt = float_format.format

    def cells(v: np.ndarray) -> list[str]:
        if v.dtype.kind in "iub":
            return list(map(str, v.tolist()))
        out = list(map(fmt, v.astype(float).tolist()))
        for i in np.flatnonzero(~np.isfinite(v)):
            out[i] = "" if np.isnan(v[i]) else out[i]
        return out

    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0) as gz,
    ):
        gz.write((",".join(arrays) + "\n").encode("utf-8"))
        for a in range(0, n, _CSV_BLOCK):
            block = [cells(v[a : a + _CSV_BLOCK]) for v in arrays.values()]
            gz.write(("\n".join(map(",".join, zip(*block, strict=True))) + "\n").encode("utf-8"))
