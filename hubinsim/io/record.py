"""run.json: what a result folder was made from, by what, when.

:func:`run_json` builds the record of every kind of folder (a run, a comparison, a sensitivity
analysis): the hubinsim version and the command first, then the folder's own fields, then the
time, the machine and the files. :func:`scenario_record` gives the fields of one run (scenario,
input file hashes, time settings, draws); :func:`ensemble_record` those of an ensemble.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path

from .._version import __version__
from ..data import data_hashes


def run_json(
    *, command: str | None, fields: Mapping, started: float | None, files, after=None
) -> dict:
    """The record of a result folder.

    Parameters
    ----------
    command : str or None
        The command line that made the folder (None from Python).
    fields : mapping
        The folder's own fields, in order (see :func:`scenario_record`).
    started : float, optional
        :func:`time.perf_counter` when the work began: ``wall_time_s`` is the time since.
    files : sequence of str
        The other files of the folder (paths relative to it).
    after : mapping, optional
        Fields written after the time and machine, before the files (an ensemble's).
    """
    return {
        "hubinsim_version": __version__,
        "command": command,
        **fields,
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_time_s": None if started is None else time.perf_counter() - started,
        "python": platform.python_version(),
        "platform": platform.platform(),
        **(after or {}),
        "files": list(files),
    }


def scenario_record(results, scenario_path=None, data_dir=None, name=None) -> dict:
    """The fields of run.json that describe one run: the scenario (``name`` overrides its
    name), its file and the hashes of every input file, the time settings, members, draws."""
    md = results.metadata
    ens = md.get("ensemble", {})
    return {
        "scenario": md.get("scenario") if name is None else name,
        "description": md.get("description"),
        "scenario_file": str(Path(scenario_path).resolve()) if scenario_path else None,
        "data_dir": md.get("data_dir"),
        "input_hashes": input_hashes(
            scenario_path, md.get("scenario_object"), md.get("data") or data_dir
        ),
        "base_year": md.get("base_year"),
        "end": md.get("end"),
        "dt": md.get("dt"),
        "method": md.get("method"),
        "members": md.get("members"),
        "seed": md.get("seed"),
        "draws": ens.get("draws"),
        "sampling": ens.get("sampling"),
        "price_basis": md.get("price_basis"),
        "simulation_time_s": md.get("wall_time_s"),
        "actuals": md.get("actuals"),
    }


def ensemble_record(results, extra: Mapping | None = None) -> dict | None:
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


def input_hashes(scenario_path=None, scenario=None, data_dir=None) -> dict[str, dict[str, str]]:
    """sha256 of the scenario file(s) and of the data files, as they were read.

    The scenario's files come from ``scenario.files`` (hashed by the loader when it read
    them), else are read now; the data files' from ``data_dir`` (the
    :class:`~hubinsim.data.DataSet` a run read, or a folder). Returns
    ``{"scenario": {path: hash}, "data": {path: hash}}``.
    """
    scn = dict(getattr(scenario, "files", ()) or ())
    if not scn and scenario_path is not None:
        for p in scenario_files(scenario_path, scenario):
            if p.is_file():
                scn[str(p)] = sha256(p)
    return {"scenario": scn, "data": data_hashes(data_dir)}


def write_json(path: Path, obj) -> None:
    path.write_text(
        json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
