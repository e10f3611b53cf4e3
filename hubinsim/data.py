"""Read the data files: the 2020 base, the plan targets, the project pool, the parameters.

Every file is a CSV a person can read and edit; every row carries its unit and source
(``data/README.md`` explains each file). A missing file, a missing column, an empty or
non-numeric value, or a parameter outside its own range raises :class:`DataError` naming the
file, the line and the column.

The data folder is, in order: the ``data_dir`` argument, the ``HUBINSIM_DATA`` environment
variable, ``data/`` next to the package in a source checkout, or the copy installed with the
package.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .catalog import INDICATOR_BY_NAME, POOL_CATEGORIES, RECORD_FIGURES, Parameter, suggest
from .errors import DataError

BASE_FILE = "base_2020.csv"
PARAMETERS_FILE = "parameters.csv"
POOL_FILE = "project_pool.csv"
TARGETS_FILE = "targets.csv"

#: Rows the model needs from the base file (the figures of a start record).
REQUIRED_BASE = tuple(RECORD_FIGURES)


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder the data files are read from (see the module docstring)."""
    if path is not None:
        return Path(path)
    env = os.environ.get("HUBINSIM_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    checkout = here.parent / "data"
    if (checkout / BASE_FILE).exists():
        return checkout
    return here / "_data"  # the copy installed with the package (pyproject.toml)


def _read(folder: Path, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """Rows of a data file with their line numbers; the first column is the row's key and
    must not repeat."""
    path = folder / name
    if not path.is_file():
        what = "is not a file" if path.exists() else "data file not found"
        raise DataError(f"{path}: {what} (expected the {name} of hubinsim's data/)")
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise DataError(
                    f"{path}: line 1: missing column(s) {', '.join(missing)}; "
                    f"the header must contain {', '.join(columns)}"
                )
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed CSV ({exc})") from None
    if not rows:
        raise DataError(f"{path}: no data rows")
    key, seen = columns[0], {}
    for line, row in rows:
        name = (row[key] or "").strip()
        if name in seen and key != "indicator":  # a target may have several years
            raise DataError(
                f"{path}: line {line}: {key} {name!r} appears twice (first on line {seen[name]})"
            )
        seen.setdefault(name, line)
    return rows


def _number(path: Path, line: int, column: str, text: str | None) -> float:
    try:
        value = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(
            f"{path}: line {line}: column {column!r}: expected a number, got {text!r}"
        ) from None
    if not math.isfinite(value):
        raise DataError(f"{path}: line {line}: column {column!r}: {text!r} is not finite")
    return value


@dataclass(frozen=True)
class BaseFigure:
    name: str
    value: float
    unit: str
    source: str
    note: str


def load_base(folder=None) -> dict[str, BaseFigure]:
    """The 2020 base figures, by name."""
    folder = data_dir(folder)
    return _load_base(folder)


@lru_cache(maxsize=8)
def _load_base(folder: Path) -> dict[str, BaseFigure]:
    path = folder / BASE_FILE
    out = {}
    for line, row in _read(folder, BASE_FILE, ("name", "value", "unit", "source")):
        name = (row["name"] or "").strip()
        out[name] = BaseFigure(
            name,
            _number(path, line, "value", row["value"]),
            row["unit"] or "",
            row["source"] or "",
            row.get("note") or "",
        )
    missing = [n for n in REQUIRED_BASE if n not in out]
    if missing:
        raise DataError(f"{path}: missing row(s) for {', '.join(missing)}")
    shares = sum(out[f"employment_share_{s}"].value for s in ("primary", "secondary", "tertiary"))
    if abs(shares - 1.0) > 1e-9:
        raise DataError(
            f"{path}: employment_share_primary/secondary/tertiary sum to {shares}, not 1"
        )
    for name in REQUIRED_BASE:
        if out[name].value < 0:
            raise DataError(f"{path}: row {name!r}: value must not be negative")
    return out


def load_parameters(folder=None) -> dict[str, Parameter]:
    """The structural parameters with their ranges and sources, by name."""
    return _load_parameters(data_dir(folder))


@lru_cache(maxsize=8)
def _load_parameters(folder: Path) -> dict[str, Parameter]:
    path = folder / PARAMETERS_FILE
    cols = ("name", "value", "low", "high", "unit", "source", "meaning_en", "meaning_zh")
    out = {}
    for line, row in _read(folder, PARAMETERS_FILE, cols):
        name = (row["name"] or "").strip()
        if not name:
            raise DataError(f"{path}: line {line}: empty name")
        value, low, high = (_number(path, line, c, row[c]) for c in ("value", "low", "high"))
        if not low <= value <= high:
            raise DataError(
                f"{path}: line {line}: {name}: value {value} outside its range [{low}, {high}]"
            )
        if not (row["source"] or "").strip():
            raise DataError(f"{path}: line {line}: {name}: empty source")
        out[name] = Parameter(
            name, value, low, high, row["unit"], row["source"], row["meaning_en"], row["meaning_zh"]
        )
    return out


def load_pool(folder=None) -> dict[str, float]:
    """Total investment of the 14th FYP project pool by category [亿元]."""
    return dict(_load_pool(data_dir(folder)))


@lru_cache(maxsize=8)
def _load_pool(folder: Path) -> dict[str, float]:
    path = folder / POOL_FILE
    out = {}
    for line, row in _read(folder, POOL_FILE, ("category", "investment", "unit", "source")):
        value = _number(path, line, "investment", row["investment"])
        if value < 0:
            raise DataError(f"{path}: line {line}: column 'investment' must not be negative")
        out[(row["category"] or "").strip()] = value
    missing = [c for c in POOL_CATEGORIES if c not in out]
    unknown = [c for c in out if c not in POOL_CATEGORIES]
    if missing or unknown:
        raise DataError(
            f"{path}: categories must be exactly {', '.join(POOL_CATEGORIES)}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )
    return {c: out[c] for c in POOL_CATEGORIES}


@dataclass(frozen=True)
class Target:
    indicator: str
    target: float
    year: int
    comparison: str  # ">=" or "<="
    each_year_from: int | None
    unit: str
    source: str
    note: str


def load_targets(folder=None) -> list[Target]:
    """The plan targets of the scorecard (data/targets.csv)."""
    return list(_load_targets(data_dir(folder)))


@lru_cache(maxsize=8)
def _load_targets(folder: Path) -> tuple[Target, ...]:
    path = folder / TARGETS_FILE
    cols = ("indicator", "target", "year", "comparison", "each_year_from", "unit", "source")
    out = []
    for line, row in _read(folder, TARGETS_FILE, cols):
        ind = (row["indicator"] or "").strip()
        if ind not in INDICATOR_BY_NAME:
            raise DataError(
                f"{path}: line {line}: unknown indicator {ind!r}{suggest(ind, INDICATOR_BY_NAME)}"
                "; `hubinsim indicators` lists them"
            )
        comp = (row["comparison"] or "").strip()
        if comp not in (">=", "<="):
            raise DataError(f"{path}: line {line}: comparison must be >= or <=, got {comp!r}")
        each = (row["each_year_from"] or "").strip()
        year = _number(path, line, "year", row["year"])
        first = _number(path, line, "each_year_from", each) if each else None
        if year != int(year) or not 2021 <= year <= 2060:
            raise DataError(f"{path}: line {line}: column 'year' must be a year in 2021..2060")
        if first is not None and (first != int(first) or not 2021 <= first <= year):
            raise DataError(
                f"{path}: line {line}: column 'each_year_from' must be a year in 2021..{int(year)}"
            )
        out.append(
            Target(
                ind,
                _number(path, line, "target", row["target"]),
                int(year),
                comp,
                None if first is None else int(first),
                row["unit"] or "",
                row["source"] or "",
                row.get("note") or "",
            )
        )
    return tuple(out)
