"""The run folder: atomic writes, the resolved scenario and run.json.

A run folder is written into a temporary folder beside its target and renamed into place only
when every file is complete, so a failed run leaves nothing behind and a reader never sees a
half-written folder. An existing folder is kept unless the caller asks to replace it.
:func:`read_members` and :func:`read_draws` read an ensemble's members and draws back from
either format.

Layout of ``<out>/<scenario-name>/``::

    annual.csv               one row per year, one column per indicator; for an ensemble,
                             per indicator: <name> (the median), <name>_mean and
                             <name>_p5, _p25, _p50, _p75, _p95 (see ENSEMBLE_STATS)
    members.csv.gz           (ensembles) one row per member and year: the headline and
                             plan-target indicators of every member
    draws.csv.gz             (ensembles) one row per member: the parameter (and lever) values drawn
    members.npz, draws.npz   (ensembles above MEMBERS_CSV_LIMIT members, instead of the two
                             CSV files) the same values in numpy's binary format, exact:
                             ``member``, ``year`` and one (members, years) array per
                             indicator; ``member`` and one (members,) array per parameter
    targets.csv              the plan-target scorecard (with ``probability`` for ensembles)
    charts/*.png             (unless charts are switched off)
    scenario.resolved.toml   every value the run used, after inheritance and defaults
    run.json                 version, command, input file hashes, dt, method, times and,
                             for an ensemble, draws, seed and sampling
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import json
import os
import platform
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

from ._version import __version__
from .errors import HubinsimError


class OutputError(HubinsimError):
    """The run folder cannot be written (it exists, or the disk refused)."""


# --------------------------------------------------------------------------- folder names


def safe_name(name: str) -> str:
    """A folder name from a scenario name: letters (any script), digits, ``._-``; others -> _."""
    cleaned = re.sub(r"[^\w.\-]+", "_", name.strip(), flags=re.UNICODE).strip("._")
    return cleaned or "scenario"


def check_target(target: Path, force: bool) -> None:
    """Raise :class:`OutputError` if ``target`` exists and ``force`` is false."""
    if target.exists() and not force:
        raise OutputError(
            f"{target}: the folder already exists and was left untouched; "
            "pass --force to replace it, or --out DIR to write elsewhere"
        )
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: exists and is not a folder")


@contextlib.contextmanager
def atomic_folder(target: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; move it to ``target`` on success.

    On any exception the temporary folder is removed and ``target`` is untouched. With
    ``force`` an existing ``target`` is replaced (moved aside, then deleted) only once the new
    folder is complete.
    """
    target = Path(target)
    check_target(target, force)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the output folder ({exc})") from None
    try:
        yield tmp
        check_target(target, force)  # another process may have written it meanwhile
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# --------------------------------------------------------------------------- hashes


def sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def scenario_files(path: str | os.PathLike, scenario=None) -> list[Path]:
    """The scenario file and every file it extends, at any depth (each once).

    Uses ``scenario.extends`` when the loader filled it; otherwise follows the ``extends``
    keys of the files themselves (read as data with tomllib, relative to each file).
    """
    first = Path(path).resolve()
    if scenario is not None and getattr(scenario, "extends", ()):
        out = [first]
        for p in scenario.extends:
            q = Path(p)
            if not q.is_absolute():
                q = first.parent / q
            if q.resolve() not in out:
                out.append(q.resolve())
        return out
    out: list[Path] = []
    todo = [first]
    while todo:
        p = todo.pop(0)
        if p in out or not p.is_file():
            continue
        out.append(p)
        try:
            doc = tomllib.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        ext = doc.get("scenario", {}).get("extends", doc.get("extends"))
        for e in [ext] if isinstance(ext, str) else (ext or []):
            if isinstance(e, str):
                todo.append((p.parent / e).resolve())
    return out


def data_files(data_dir=None) -> list[Path]:
    """The data files a run reads."""
    from .data import BASE_FILE, PARAMETERS_FILE, POOL_FILE, TARGETS_FILE
    from .data import data_dir as _data_dir

    folder = _data_dir(data_dir)
    return [folder / n for n in (BASE_FILE, PARAMETERS_FILE, POOL_FILE, TARGETS_FILE)]


def input_hashes(scenario_path=None, scenario=None, data_dir=None) -> dict[str, dict[str, str]]:
    """sha256 of the scenario file(s) and of the data files.

    Returns ``{"scenario": {path: hash}, "data": {path: hash}}``.
    """
    scn = {}
    if scenario_path is not None:
        for p in scenario_files(scenario_path, scenario):
            if p.is_file():
                scn[str(p)] = sha256(p)
    data = {str(p): sha256(p) for p in data_files(data_dir) if p.is_file()}
    return {"scenario": scn, "data": data}


# --------------------------------------------------------------------------- resolved TOML


def resolved_toml(results, data_dir=None) -> str:
    """The scenario of ``results`` as TOML with every value the run used (see
    :func:`hubinsim.scenario_file.resolved_toml`)."""
    from .scenario_file import resolved_toml as write

    return write(results.metadata["scenario_object"], data_dir=data_dir)


# --------------------------------------------------------------------------- run.json


def run_info(
    results,
    *,
    command: str,
    scenario_path=None,
    data_dir=None,
    wall_time_s=None,
    extra: Mapping | None = None,
) -> dict:
    """The contents of run.json for one run."""
    md = results.metadata
    info = {
        "hubinsim_version": __version__,
        "command": command,
        "scenario": md.get("scenario"),
        "description": md.get("description"),
        "scenario_file": str(Path(scenario_path).resolve()) if scenario_path else None,
        "data_dir": md.get("data_dir"),
        "input_hashes": input_hashes(scenario_path, md.get("scenario_object"), data_dir),
        "base_year": md.get("base_year"),
        "end": md.get("end"),
        "dt": md.get("dt"),
        "method": md.get("method"),
        "members": md.get("members"),
        "seed": md.get("seed"),
        "draws": md.get("ensemble", {}).get("draws"),
        "sampling": md.get("ensemble", {}).get("sampling"),
        "price_basis": md.get("price_basis"),
        "timestamp": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "simulation_time_s": md.get("wall_time_s"),
        "wall_time_s": wall_time_s,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    ens = ensemble_info(results)
    if ens is not None:
        info["ensemble"] = ens
    info.update(extra or {})
    return info


def write_json(path: Path, obj) -> None:
    path.write_text(
        json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


#: Columns of an ensemble's annual.csv per indicator, after the bare name (the median).
ENSEMBLE_STATS = ("mean", "p5", "p25", "p50", "p75", "p95")
#: gzip level of members.csv.gz: level 1 writes 5x faster than 6 for files 10 % larger.
GZIP_LEVEL = 1
#: Rows formatted at a time when writing members.csv.gz (bounds the memory of the text).
_CSV_BLOCK = 50_000
#: Up to this many members an ensemble's members and draws are written as CSV text
#: (members.csv.gz, draws.csv.gz); above it as numpy's binary .npz (members.npz, draws.npz):
#: formatting 100,000 members as text takes ~15 s and 155 MB compressed, while the binary
#: arrays are exact, 2.2 KB a member for 17 indicators over 2020-2035, and written in under
#: a second. Equal to hubinsim.ensemble.FULL_MEMBERS_LIMIT today (above which an ensemble
#: keeps only the headline and targeted indicators), but set on its own.
MEMBERS_CSV_LIMIT = 20_000
#: File names of an ensemble's members and draws in each format.
MEMBERS_FILES = ("members.npz", "members.csv.gz")
DRAWS_FILES = ("draws.npz", "draws.csv.gz")


def is_ensemble(results) -> bool:
    return results.n_members > 1 or "ensemble" in results.metadata


def ensemble_annual(results, columns=None):
    """An ensemble's annual table: one row per year; per indicator the median under its own
    name (as in a single run, so the same scripts read both), then ``<name>_mean`` and the
    percentiles ``<name>_p5``, ``_p25``, ``_p50``, ``_p75``, ``_p95`` over the members.

    Percentiles are those of :meth:`Results.percentiles` (NaN for a year without values,
    such as growth rates in 2020).
    """
    names = [c for c in (columns or results.columns) if c in results.values]
    return summary_frame({n: results.values[n] for n in names}, results.years)


def summary_frame(values: Mapping, years, share_positive: bool = False):
    """Per name of ``values`` (arrays of shape (years, members)): the median under the name,
    ``<name>_mean`` and ``<name>_p5`` ... ``_p95``; with ``share_positive`` also
    ``<name>_prob_higher``, the share of members above zero (for differences)."""
    import numpy as np
    import pandas as pd

    from .results import PERCENTILES, percentile_rows

    data = {}
    for name, v in values.items():
        v = np.asarray(v, dtype=float)
        pct = percentile_rows(v, PERCENTILES)
        finite = np.isfinite(v)
        count = finite.sum(axis=1)
        total = np.where(finite, v, 0.0).sum(axis=1)
        data[name] = pct[PERCENTILES.index(50)]
        data[f"{name}_mean"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        for q, row in zip(PERCENTILES, pct, strict=True):
            data[f"{name}_p{q}"] = row
        if share_positive:
            above = np.where(finite, v > 0, False).sum(axis=1)
            data[f"{name}_prob_higher"] = np.where(count > 0, above / np.maximum(count, 1), np.nan)
    return pd.DataFrame(data, index=pd.Index(np.asarray(years), name="year"))


def member_indicators(results) -> list[str]:
    """Indicators written to members.csv.gz: the headline ones and those the targets name."""
    from .catalog import HEADLINE

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
    folder = Path(folder)
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(
        f"{folder}: no {' or '.join(names)} here; {what} are in the run folder of an "
        "ensemble (hubinsim run SCENARIO.toml --draws N)"
    )


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
    FileNotFoundError
        If the folder holds neither file.
    """
    import numpy as np
    import pandas as pd

    path = _members_file(folder, MEMBERS_FILES, "members")
    if path.suffix != ".npz":
        return pd.read_csv(path, dtype=_float_columns("member", "year"))
    with np.load(path) as z:
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
    FileNotFoundError
        If the folder holds neither file.
    """
    import numpy as np
    import pandas as pd

    path = _members_file(folder, DRAWS_FILES, "draws")
    if path.suffix != ".npz":
        return pd.read_csv(path, index_col="member", dtype=_float_columns("member"))
    with np.load(path) as z:
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


def write_tables(folder: Path, results) -> list[str]:
    """annual.csv and targets.csv (and the members of an ensemble); returns the names."""
    if is_ensemble(results):
        ensemble_annual(results).to_csv(folder / "annual.csv", float_format="%.10g")
    else:
        results.annual.to_csv(folder / "annual.csv", float_format="%.10g")
    results.targets.to_csv(folder / "targets.csv", index=False, float_format="%.10g")
    written = ["annual.csv", "targets.csv"]
    if is_ensemble(results):
        written += write_members(folder, results)
    return written


def ensemble_info(results, extra: Mapping | None = None) -> dict | None:
    """What run.json records of an ensemble: draws, seed, sampling, uncertainty, chunks."""
    md = results.metadata
    ens = md.get("ensemble")
    if ens is None:
        return None
    out = {
        "draws": ens.get("draws"),
        "seed": ens.get("seed"),
        "sampling": ens.get("sampling"),
        "default_uncertainty": ens.get("default_uncertainty"),
        "chunk_size": md.get("chunk_size"),
        "chunks": md.get("chunks"),
        "kept_indicators": md.get("kept_indicators"),
        "uncertainty": ens.get("uncertainty"),
    }
    out.update(extra or {})
    return out


def write_run(
    folder: Path,
    results,
    *,
    command: str,
    scenario_path=None,
    data_dir=None,
    figures: Mapping | None = None,
    started: float | None = None,
    dpi: int = 150,
) -> list[str]:
    """Write every file of a run folder into ``folder`` (the temporary one); returns names."""
    import time

    written = write_tables(folder, results)
    (folder / "scenario.resolved.toml").write_text(
        resolved_toml(results, data_dir), encoding="utf-8"
    )
    written.append("scenario.resolved.toml")
    if figures:
        from .plots import save_figures

        written += [f"charts/{p.name}" for p in save_figures(figures, folder / "charts", dpi=dpi)]
    wall = time.perf_counter() - started if started is not None else None
    write_json(
        folder / "run.json",
        run_info(
            results,
            command=command,
            scenario_path=scenario_path,
            data_dir=data_dir,
            wall_time_s=wall,
            extra={"files": written},
        ),
    )
    written.append("run.json")
    return written
