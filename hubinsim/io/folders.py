"""Result folders: their names, and writing them atomically.

A folder is written into a temporary folder beside its target and renamed into place only
when every file is complete, so a failed run leaves nothing behind and a reader never sees a
half-written folder. An existing folder is kept unless the caller asks to replace it
(``force``).

Names: a run folder is ``<out>/<scenario-name>/``, a comparison
``<out>/compare-<ref>-vs-<alt>-<alt2>/`` (shortened with a hash when the names are long),
a sensitivity analysis ``<out>/sensitivity-<scenario-name>-<method>/``, a goal seek
``<out>/solve-<scenario-name>-<indicator>-<year>/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..results import unique_names

#: Most UTF-8 bytes of a folder name hubinsim makes (a name holds 255, with room for the
#: suffix of the temporary folder).
MAX_FOLDER_BYTES = 200


@dataclass(frozen=True)
class Written:
    """A result folder written: where, and the files in it (relative paths)."""

    path: Path
    files: tuple[str, ...]

    @property
    def charts(self) -> int:
        """How many charts the folder holds."""
        return sum(f.startswith("charts/") for f in self.files)


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


def run_folder(out, scenario_name: str) -> Path:
    """``<out>/<scenario-name>``: the run folder of a scenario."""
    return Path(out) / safe_name(scenario_name)


def comparison_folder(out, scenario_names) -> Path:
    """``<out>/compare-<ref>-vs-<alt>-...``: the folder of a comparison of the scenarios
    named (the reference first; repeated names are made distinct). A name longer than
    :data:`MAX_FOLDER_BYTES` is cut and ended with a hash of the whole, so that it stays
    unique."""
    names = unique_names(list(scenario_names))
    folder = "compare-" + safe_name(names[0]) + "-vs-" + "-".join(safe_name(n) for n in names[1:])
    if len(folder.encode("utf-8")) > MAX_FOLDER_BYTES:
        digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:10]
        folder = folder.encode("utf-8")[:180].decode("utf-8", "ignore") + "-" + digest
    return Path(out) / folder


def sensitivity_folder(out, scenario_name: str, method: str) -> Path:
    """``<out>/sensitivity-<scenario-name>-<method>``."""
    return Path(out) / f"sensitivity-{safe_name(scenario_name)}-{method}"


def solve_folder(out, scenario_name: str, indicator: str, year: int) -> Path:
    """``<out>/solve-<scenario-name>-<indicator>-<year>``: a goal seek's folder."""
    return Path(out) / f"solve-{safe_name(scenario_name)}-{indicator}-{year}"


def estimate_folder(out, scenario_name: str) -> Path:
    """``<out>/estimate-<scenario-name>``: behavioural parameters estimated from data."""
    return Path(out) / f"estimate-{safe_name(scenario_name)}"
