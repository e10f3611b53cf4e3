"""Read the data files: the 2020 base, the plan targets, the project pool, the parameters.

Every file is a CSV a person can read and edit; every row carries its unit and source
(``data/README.md`` explains each file). A data folder is checked on load as a scenario file
is, and every problem is reported together in one :class:`DataError`, each naming the file,
the line and the column: a file that is missing, not a regular file or over
:data:`MAX_DATA_FILE_BYTES`; text that is not UTF-8 (a byte-order mark, as Excel's "CSV UTF-8"
writes, is fine); a column missing, unknown or repeated; a row with too many or too few
fields, missing, unknown or repeated; a value that is empty, not a number, or outside its
allowed range; a unit other than the one declared (population in 万人, money in 亿元).

What is checked is declared once, below: the columns of each file (:data:`FILES`), the
ranges of the units (:data:`UNITS`), the figures the model needs (:data:`REQUIRED_BASE`).
The rows a folder must hold, and their units, are those of hubinsim's own data folder (the
*reference*, :func:`reference_dir`), or of the catalogue where it declares them (the unit of
an indicator, the range of a lever whose default a row sets): a row added to the reference,
or a lever added to the catalogue, is checked in every other folder without more code.

The data folder is, in order: the ``data_dir`` argument, the ``HUBINSIM_DATA`` environment
variable, ``data/`` next to the package in a source checkout, or the copy installed with the
package. The files are read once and kept while they are unchanged on disk; the sha256 of the
bytes read is kept with them (:attr:`DataSet.hashes`), so that a run records the data it used.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from .catalog import INDICATOR_BY_NAME, LEVERS, POOL_CATEGORIES, RECORD_FIGURES, Parameter, suggest
from .errors import DataError, Message, in_lang, printable, text_in
from .files import folder_problem, read_file

BASE_FILE = "base_2020.csv"
PARAMETERS_FILE = "parameters.csv"
POOL_FILE = "project_pool.csv"
TARGETS_FILE = "targets.csv"

#: Largest data file read (the files are a few kilobytes; a large one is a mistake, and
#: reading it would take minutes).
MAX_DATA_FILE_BYTES = 2**20

#: Rows the model needs from the base file (the figures of a start record).
REQUIRED_BASE = tuple(RECORD_FIGURES)


#: Rows a base file may hold besides the required ones and those of hubinsim's own file.
OPTIONAL_BASE: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """The values a unit allows: ``[low, high]``; a count of the base year (not a target) a
    whole number if ``whole``.

    The bounds are wide (any district of China fits inside them) but catch a figure written in
    another unit: GDP in yuan is 10^8 times its value in 亿元, a population in persons 10^4
    times its value in 万人.
    """

    low: float
    high: float
    means: str
    whole: bool = False


#: The units of data values, by the first word of a ``unit`` column ("亿元 (current prices)"
#: is in 亿元); values in other units (those of most parameters) have only their row's range.
UNITS: dict[str, Unit] = {
    "亿元": Unit(0.0, 1e5, "100 million yuan (a figure in yuan or 万元 is far larger)"),
    "万人": Unit(0.0, 1e4, "10,000 persons (a count of persons is 10,000 times larger)"),
    "yuan": Unit(0.0, 1e7, "yuan per person"),
    "persons": Unit(0.0, 1e8, "persons"),
    "firms": Unit(0.0, 1e5, "firms", whole=True),
    "%": Unit(-100.0, 100.0, "per cent (a fraction such as 0.08 is 8 %)"),
    "fraction": Unit(0.0, 1.0, "a fraction of one (8 % is 0.08)"),
}
#: Units of amounts in the base file: a district's amount is never zero (the model divides by
#: several of them).
POSITIVE_UNITS = ("亿元", "万人", "yuan", "firms", "persons")
#: Base figures that are balances: in 亿元, but negative (a deficit) or zero as well.
SIGNED_BASE = ("fiscal_balance",)


@dataclass(frozen=True)
class Column:
    """A column of a data file: a ``kind`` of value ("text", "number", "year" or "count",
    a whole number >= 0), whether the header must have it, and whether a row may leave it
    empty."""

    name: str
    kind: str = "text"
    required: bool = True
    empty: bool = False


@dataclass(frozen=True)
class FileSpec:
    """A data file: its columns, the column that names each row (``key``), whether a key may
    repeat (a target may be set for several years), the columns whose values must lie in the
    range of the row's unit (``ranged``, :data:`UNITS`) and whether the rows are figures of
    the base year (``base_year``: an amount must be > 0, a count a whole number)."""

    name: str
    key: str
    columns: tuple[Column, ...]
    repeats: bool = False
    ranged: tuple[str, ...] = ()
    base_year: bool = False

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


FILES: dict[str, FileSpec] = {
    BASE_FILE: FileSpec(
        BASE_FILE,
        "name",
        (
            Column("name"),
            Column("value", "number"),
            Column("unit"),
            Column("source"),
            Column("note", required=False, empty=True),
        ),
        ranged=("value",),
        base_year=True,
    ),
    PARAMETERS_FILE: FileSpec(
        PARAMETERS_FILE,
        "name",
        (
            Column("name"),
            Column("value", "number"),
            Column("low", "number"),
            Column("high", "number"),
            Column("unit"),
            Column("source"),
            Column("meaning_en"),
            Column("meaning_zh"),
        ),
        ranged=("low", "high"),
    ),
    POOL_FILE: FileSpec(
        POOL_FILE,
        "category",
        (
            Column("category"),
            Column("name_zh", required=False, empty=True),
            Column("projects", "count", required=False, empty=True),
            Column("investment", "number"),
            Column("unit"),
            Column("source"),
        ),
        ranged=("investment",),
    ),
    TARGETS_FILE: FileSpec(
        TARGETS_FILE,
        "indicator",
        (
            Column("indicator"),
            Column("target", "number"),
            Column("year", "year"),
            Column("comparison"),
            Column("each_year_from", "year", empty=True),
            Column("unit"),
            Column("source"),
            Column("note", required=False, empty=True),
            Column("plan", required=False, empty=True),
            Column("kind", required=False, empty=True),
            Column("kind_source", required=False, empty=True),
            Column("base_year", "base_year", required=False, empty=True),
            Column("base_value", "number", required=False, empty=True),
            Column("set_by", required=False, empty=True),
            Column("decided_by", required=False, empty=True),
        ),
        repeats=True,
        ranged=("target", "base_value"),
    ),
}
#: The years a target may be judged in.
TARGET_YEARS = (2021, 2060)
#: The base year of each plan's targets where a targets file leaves ``base_year`` empty: the
#: year before the plan's first (the 15th FYP's targets are measured from 2025); 2020 for a
#: plan not named here.
PLAN_BASE_YEARS = {"14th": 2020, "2035": 2020, "15th": 2025}
FIRST_BASE_YEAR = 2020


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder the data files are read from (see the module docstring), as an absolute
    path."""
    if isinstance(path, DataSet):
        return path.folder
    if path is None:
        path = os.environ.get("HUBINSIM_DATA") or None
    if path is None:
        return reference_dir()
    try:
        return Path(os.path.abspath(os.fspath(path)))
    except (TypeError, ValueError):
        raise DataError(f"data_dir: must be the path of a folder, got {path!r}") from None


@functools.lru_cache(maxsize=1)
def reference_dir() -> Path:
    """hubinsim's own data folder: ``data/`` of a source checkout, or the copy installed with
    the package."""
    here = Path(__file__).resolve().parent
    checkout = here.parent / "data"
    if (checkout / BASE_FILE).exists():
        return checkout
    return here / "_data"  # the copy installed with the package (pyproject.toml)


@dataclass(frozen=True)
class BaseFigure:
    name: str
    value: float
    unit: str
    source: str
    note: str


#: The kinds of plan targets: 预期性 (expected, a direction the government guides toward) and
#: 约束性 (binding, a commitment assessed in officials' performance reviews).
TARGET_KINDS = {"expected": "预期性", "binding": "约束性"}
#: Who set a target's figure: the plan itself, hubinsim's data (derived from the plan's words,
#: such as the firm count from the park's +8 %/yr), or a definition (a target that follows
#: from the meaning of the indicator rather than from a figure of the plan).
TARGET_SETTERS = ("plan", "project", "definition")


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
    plan: str = "14th"  # the plan the target belongs to: "14th", "2035", "15th" ...
    kind: str = "expected"  # of TARGET_KINDS
    base_year: int = FIRST_BASE_YEAR  # progress and time progress are measured from it
    base_value: float | None = None  # the base as the plan prints it (None: the figures')
    set_by: str = "plan"  # of TARGET_SETTERS: who set the target's figure
    #: What settles the verdict: "model", "lever", "definition" or "assumption" (an assumed
    #: trend or rate with no estimate; data/targets.csv).
    decided_by: str = "model"


def _base_year(given: int | None, plan: str, year: int) -> int:
    """A target's base year: the one given, else its plan's (:data:`PLAN_BASE_YEARS`) where
    that is before the target's year, else 2020."""
    if given is not None:
        return given
    default = PLAN_BASE_YEARS.get(plan, FIRST_BASE_YEAR)
    return default if default < year else FIRST_BASE_YEAR


#: What can settle a target's verdict (data/targets.csv, column decided_by).
DECIDED_BY = ("model", "lever", "definition", "assumption")


@dataclass(frozen=True)
class DataSet:
    """The data files of a folder, read and checked together.

    ``hashes`` holds the sha256 of the bytes read of each file (file name -> hex digest).
    """

    folder: Path
    base: dict[str, BaseFigure]
    parameters: dict[str, Parameter]
    pool: dict[str, float]
    targets: tuple[Target, ...]
    hashes: dict[str, str]


def load_data(folder=None) -> DataSet:
    """Every data file of ``folder`` (default: :func:`data_dir`), read and checked.

    The files are read again only when one of them changed on disk. ``folder`` may be a
    :class:`DataSet` already read: it is returned as it is (a run passes the data it read
    first to every part of it, so that an ensemble's chunks and the files it writes use the
    same data, whatever happens to the folder meanwhile).

    Raises
    ------
    DataError
        Listing every problem of every file, each with its file, line and column.
    """
    if isinstance(folder, DataSet):
        return folder
    folder = data_dir(folder)
    key = (folder, _signature(folder))
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    why = folder_problem(folder)
    if why is not None:
        raise DataError(f"data folder {printable(str(folder))}: {why}")
    loaded = _Loader(folder).load()
    with _LOCK:
        _CACHE[key] = loaded
        while len(_CACHE) > 8:
            _CACHE.popitem(last=False)
    return loaded


_CACHE: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def _signature(folder: Path) -> tuple:
    """What changes when a data file is edited, replaced or removed."""
    out, head = [], str(folder)
    for name in FILES:
        try:
            s = os.stat(os.path.join(head, name))
            out.append((s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_mode))
        except (OSError, ValueError):
            out.append(None)
    return tuple(out)


def load_base(folder=None) -> dict[str, BaseFigure]:
    """The 2020 base figures, by name."""
    return load_data(folder).base


def load_parameters(folder=None) -> dict[str, Parameter]:
    """The structural parameters with their ranges and sources, by name."""
    return load_data(folder).parameters


def load_pool(folder=None) -> dict[str, float]:
    """Total investment of the 14th FYP project pool by category [亿元]."""
    return dict(load_data(folder).pool)


def load_targets(folder=None) -> list[Target]:
    """The plan targets of the scorecard (data/targets.csv)."""
    return list(load_data(folder).targets)


def read_targets(path) -> list[Target]:
    """Plan targets from a file of the form of data/targets.csv (another plan's, such as the
    15th FYP's), checked as the data file is.

    Raises
    ------
    DataError
        Listing every problem of the file, each with its file, line and column.
    """
    path = Path(path)
    loader = _Loader(path.parent)
    targets = loader.targets(path.name)
    if loader.problems:
        raise DataError(loader.problems)
    return list(targets)


def data_hashes(folder=None) -> dict[str, str]:
    """sha256 of the bytes of each data file as read (absolute path -> hex digest)."""
    data = load_data(folder)
    return {str(data.folder / name): digest for name, digest in data.hashes.items()}


# --------------------------------------------------------------------------- checking

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def unit_of(text: str) -> str:
    """The unit a ``unit`` column names: its first part ("亿元 (current prices)" -> "亿元")."""
    return re.split(r"\s*[(,;]", text.strip(), maxsplit=1)[0].strip()


def declared_unit(name: str, reference: DataSet | None = None) -> tuple[str, str] | None:
    """The unit a base figure must be in, and who says so: the catalogue (the indicator of
    that name, or the figure of a start record), else hubinsim's own base file; None when
    none says."""
    if name in INDICATOR_BY_NAME:
        return INDICATOR_BY_NAME[name].unit, "the indicator's unit"
    found = re.search(r"\[([^\]]+)\]\s*$", RECORD_FIGURES.get(name, ""))
    if found:
        return found.group(1), "the unit of the start record's figure"
    if reference is not None and name in reference.base:
        return reference.base[name].unit, "as in hubinsim's data"
    return None


def _g(v: float) -> str:
    return f"{v:g}"


@dataclass
class _Row:
    line: int
    cells: dict[str, str]


def _at_text(lang, where, line, column, said) -> str:
    """ "FILE: line N: column 'C': SAID" in ``lang``."""
    if lang == "zh":
        at = f"{where}" + (f":第 {line} 行" if line else "") + (f":列 {column!r}" if column else "")
    else:
        at = (
            f"{where}"
            + (f": line {line}" if line else "")
            + (f": column {column!r}" if column else "")
        )
    return f"{at}: {text_in(said, lang)}"


def _ours_text(lang, said, name=None) -> str:
    """A data file that cannot be read (``name``: one of hubinsim's data folder)."""
    said = text_in(said, lang)
    if name is None:
        return said
    return in_lang(
        lang,
        f"{said} (expected the {name} of hubinsim's data folder)",
        f"{said}(应为 hubinsim 数据文件夹中的 {name})",
    )


#: What a cell of a column's kind must hold.
_KINDS = {
    "number": ("a number", "数值"),
    "year": ("a year", "年份"),
    "base_year": ("a year", "年份"),
    "count": ("a whole number >= 0", ">= 0 的整数"),
}
#: What a column of choices means.
_MEANS = {
    "comparison": ("", ""),
    "decided_by": (" (what settles the verdict)", "(决定评估结论的依据)"),
    "set_by": (" (who set the target)", "(目标的设定者)"),
}


def _cell_text(lang, what, **f) -> str:
    """A problem of a data or targets file, by ``what``, from its facts ``f``, in ``lang``."""
    listed = ", ".join(map(str, f.get("required") or f.get("known") or f.get("choices") or ()))
    zh_listed = "、".join(map(str, f.get("required") or f.get("known") or f.get("choices") or ()))
    if what == "fields":
        quotes = f["fields"] > f["header"]
        return in_lang(
            lang,
            f"{f['fields']} fields where the header has {f['header']}"
            + (" (a value with a comma needs quotes)" if quotes else ""),
            f"有 {f['fields']} 个字段,而表头有 {f['header']} 个"
            + ("(含逗号的值需加引号)" if quotes else ""),
        )
    if what == "unknown_column":
        return in_lang(
            lang,
            f"unknown column{suggest(f['name'], f['known'])}; the columns are {listed}",
            f"未知的列{suggest(f['name'], f['known'], lang)};可用的列:{zh_listed}",
        )
    if what == "unknown":
        name, kind, hint = f["name"], f["noun"], suggest(f["name"], f["known"], lang)
        if lang == "zh":
            rest = "`hubinsim indicators` 列出全部指标" if f["listed"] else f"可用:{zh_listed}"
            return f"未知的{'指标' if kind == 'indicator' else kind} {name!r}{hint};{rest}"
        return f"unknown {kind} {name!r}{hint}; " + (f["listed"] or f"the {kind}s are {listed}")
    if what == "one_of":
        means = _MEANS[f["means"]]
        choices = " or ".join(f["choices"]) if len(f["choices"]) == 2 else listed
        en_must = f"must be {choices}" if len(f["choices"]) == 2 else f"must be one of {choices}"
        return in_lang(
            lang,
            f"{en_must}{means[0]}, got {f['got']!r}",
            f"应为 {zh_listed} 之一{means[1]},实际为 {f['got']!r}",
        )
    got = f.get("got")
    whose_zh = _WHOSE_ZH.get(f.get("whose"), f.get("whose"))
    en, zh = {
        "not_utf8": (
            "not UTF-8 text; save the file as CSV UTF-8",
            "不是 UTF-8 文本;请存为 CSV UTF-8",
        ),
        "nul": ("a NUL byte", "含 NUL 字节"),
        "no_header": (
            f"no header; the first line names the columns: {listed}",
            f"缺少表头;第一行应列出各列:{zh_listed}",
        ),
        "malformed": (f"malformed CSV ({f.get('reason')})", f"CSV 格式有误({f.get('reason')})"),
        "no_rows": ("no data rows", "没有数据行"),
        "twice_in_header": ("appears twice in the header", "在表头中出现两次"),
        "missing_columns": (
            f"missing column(s) {', '.join(f.get('missing', ()))}; the header must contain "
            f"{listed}",
            f"缺少列 {'、'.join(f.get('missing', ()))};表头应包含 {zh_listed}",
        ),
        "empty": ("empty; a value is needed", "为空;需要填写数值"),
        "expected": (
            f"expected {_KINDS.get(f.get('kind'), ('', ''))[0]}, got {f.get('text')!r}",
            f"应为{_KINDS.get(f.get('kind'), ('', ''))[1]},实际为 {f.get('text')!r}",
        ),
        "not_finite": (f"{f.get('text')!r} is not finite", f"{f.get('text')!r} 不是有限数值"),
        "year": (
            f"must be a year in {f.get('low')}..{f.get('high')}, got {f.get('text')}",
            f"应为 {f.get('low')}..{f.get('high')} 间的年份,实际为 {f.get('text')}",
        ),
        "count": (
            f"must be a whole number >= 0, got {f.get('text')}",
            f"应为 >= 0 的整数,实际为 {f.get('text')}",
        ),
        "no_name": ("empty; every row needs its name", "为空;每行都需要名称"),
        "twice": (
            f"{f.get('name')!r} appears twice (first on line {f.get('first')})",
            f"{f.get('name')!r} 出现两次(首次在第 {f.get('first')} 行)",
        ),
        "unit": (
            f"{f.get('name')}: the unit must be {f.get('unit')} ({f.get('whose')}), got "
            f"{got!r}; convert the value to {f.get('unit')}",
            f"{f.get('name')}:单位应为 {f.get('unit')}({whose_zh}),实际为 {got!r};"
            f"请将数值换算为 {f.get('unit')}",
        ),
        "each_year_from": (
            f"must be a year in {f.get('low')}..{f.get('year')} (the target's year)",
            f"应为 {f.get('low')}..{f.get('year')} 间的年份(目标年份)",
        ),
        "base_year": (
            f"must be a year in {f.get('low')}..{(f.get('year') or 1) - 1} (before the target's "
            f"year {f.get('year')}), got {got}",
            f"应为 {f.get('low')}..{(f.get('year') or 1) - 1} 间的年份(早于目标年份 "
            f"{f.get('year')}),实际为 {got}",
        ),
        "after_base": (
            f"must be after the base year {f.get('base')}, got {got}",
            f"应晚于基期年份 {f.get('base')},实际为 {got}",
        ),
        "kind": (
            f"must be expected (预期性) or binding (约束性), got {got!r}",
            f"应为 expected(预期性)或 binding(约束性),实际为 {got!r}",
        ),
        "second_target": (
            f"a second target for {f.get('name')} in {f.get('year')} (first on line "
            f"{f.get('first')})",
            f"{f.get('name')} 在{f.get('year')}年的第二个目标(首个在第 {f.get('first')} 行)",
        ),
    }[what]
    return in_lang(lang, en, zh)


#: Whose unit a row must have, in Chinese.
_WHOSE_ZH = {"the indicator's unit": "指标的单位"}


class _Loader:
    """Reads the files of one folder and collects every problem."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[str] = []
        self.hashes: dict[str, str] = {}
        self.seen: dict[str, set[str]] = {}  # file -> the keys of its rows

    def problem(self, name: str, line: int | None, message, column: str | None = None):
        """A problem of file ``name`` at ``line`` and ``column``: ``message`` a text, or a
        ``(what, facts)`` pair worded by :func:`_cell_text` in either language."""
        if isinstance(message, tuple):
            what, facts = message
            message = Message(_cell_text, what=what, **facts)
        where = str(self.folder / name)
        self.problems.append(Message(_at_text, where=where, line=line, column=column, said=message))

    # -- reading

    def rows(self, spec: FileSpec) -> list[_Row] | None:
        """The rows of a file with their line numbers, the header checked; None if it cannot
        be read."""
        try:
            read = read_file(
                self.folder / spec.name,
                limit=MAX_DATA_FILE_BYTES,
                what="a data file",
                error=DataError,
            )
        except DataError as exc:
            ours = spec.name in FILES  # not another plan's targets (read_targets)
            said = exc.problems[0] if len(exc.problems) == 1 else str(exc)
            self.problems.append(Message(_ours_text, said=said, name=spec.name if ours else None))
            return None
        self.hashes[spec.name] = read.sha256
        try:
            text = read.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = read.data[: exc.start].count(b"\n") + 1
            self.problem(spec.name, line, ("not_utf8", {}))
            return None
        if "\x00" in text:
            self.problem(spec.name, text[: text.index("\x00")].count("\n") + 1, ("nul", {}))
            return None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                self.problem(spec.name, 1, ("no_header", {"required": tuple(spec.required)}))
                return None
            header = [h.strip() for h in header]
            if not self.header_ok(spec, header):
                return None
            rows = []
            for cells in reader:
                line = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue  # a blank line
                if len(cells) != len(header):
                    fields = {"fields": len(cells), "header": len(header)}
                    self.problem(spec.name, line, ("fields", fields))
                    continue
                rows.append(_Row(line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
        except csv.Error as exc:
            self.problem(spec.name, reader.line_num, ("malformed", {"reason": str(exc)}))
            return None
        if not rows:
            self.problem(spec.name, None, ("no_rows", {}))
            return None
        return rows

    def header_ok(self, spec: FileSpec, header: list[str]) -> bool:
        known = [c.name for c in spec.columns]
        ok = True
        repeated = sorted({h for h in header if header.count(h) > 1})
        for h in repeated:
            self.problem(spec.name, 1, ("twice_in_header", {}), h)
            ok = False
        for h in header:
            if h not in known:
                self.problem(
                    spec.name, 1, ("unknown_column", {"name": h, "known": tuple(known)}), h
                )
                ok = False
        missing = [c for c in spec.required if c not in header]
        if missing:
            facts = {"missing": tuple(missing), "required": tuple(spec.required)}
            self.problem(spec.name, 1, ("missing_columns", facts))
            ok = False
        return ok

    def value(self, spec: FileSpec, row: _Row, column: str):
        """The typed value of a cell (None when empty and allowed, or wrong: reported)."""
        col = next(c for c in spec.columns if c.name == column)
        text = row.cells.get(column, "")
        if not text:
            if not col.empty:
                self.problem(spec.name, row.line, ("empty", {}), column)
            return None
        if col.kind == "text":
            return text
        if not _NUMBER.fullmatch(text):
            facts = {"kind": col.kind, "text": text}
            self.problem(spec.name, row.line, ("expected", facts), column)
            return None
        value = float(text)
        if not math.isfinite(value):
            self.problem(spec.name, row.line, ("not_finite", {"text": text}), column)
            return None
        if col.kind in ("year", "base_year"):
            lo, hi = TARGET_YEARS
            if col.kind == "base_year":
                lo = FIRST_BASE_YEAR
            if value != int(value) or not lo <= value <= hi:
                facts = {"low": lo, "high": hi, "text": text}
                self.problem(spec.name, row.line, ("year", facts), column)
                return None
            return int(value)
        if col.kind == "count":
            if value != int(value) or value < 0:
                self.problem(spec.name, row.line, ("count", {"text": text}), column)
                return None
            return int(value)
        return value

    def keyed(self, spec: FileSpec, rows: list[_Row]) -> list[_Row]:
        """The rows with a key, the first of each key (repeats reported)."""
        seen: dict[str, int] = {}
        out = []
        for row in rows:
            name = row.cells.get(spec.key, "")
            if not name:
                self.problem(spec.name, row.line, ("no_name", {}), spec.key)
                continue
            if name in seen and not spec.repeats:
                facts = {"name": name, "first": seen[name]}
                self.problem(spec.name, row.line, ("twice", facts), spec.key)
                continue
            seen.setdefault(name, row.line)
            out.append(row)
        return out

    def in_unit(self, spec, row, column, value: float, unit: str, base=False) -> bool:
        """Whether ``value`` lies in the range of ``unit`` (reported when not); ``base``: a
        figure of the base year (an amount > 0, a count a whole number)."""
        rule = UNITS.get(unit_of(unit))
        if rule is None:
            return True
        signed = base and row.cells.get(spec.key) in SIGNED_BASE
        if signed:
            base = False
        positive = base and unit_of(unit) in POSITIVE_UNITS
        whole = base and rule.whole
        low = max(rule.low, 0.0) if base else rule.low
        if signed:  # a balance: a deficit as large as the unit allows a surplus
            low = -rule.high
        if (
            not low <= value <= rule.high
            or (positive and value <= 0)
            or (whole and value != int(value))
        ):
            bound = f"> {_g(low)}" if positive else f">= {_g(low)}"
            allowed = f"{'a whole number ' if whole else ''}{bound} and <= {_g(rule.high)}"
            name, here = row.cells[spec.key], " here" if base else ""
            if value < 0 <= low:
                text = (
                    f"{name}: {_g(value)} must not be negative ({unit_of(unit)}{here}: {allowed})"
                )
            else:
                text = (
                    f"{name}: {_g(value)} is outside what {unit_of(unit)} allows{here}: {allowed}; "
                    f"{unit_of(unit)} is {rule.means}"
                )
            self.problem(spec.name, row.line, text, column)
            return False
        return True

    def same_unit(self, spec, row, expected: str, whose: str) -> bool:
        """Whether the row's unit is ``expected`` (its first part; reported when not)."""
        unit = row.cells.get("unit", "")
        if unit_of(unit) != unit_of(expected):
            facts = {"name": row.cells[spec.key], "unit": unit_of(expected), "whose": whose}
            self.problem(spec.name, row.line, ("unit", {**facts, "got": unit}), "unit")
            return False
        return True

    def table(
        self, spec: FileSpec, known=None, what: str = "row", unit=None, listed: str = ""
    ) -> list | None:
        """The rows of a file with their typed values, as ``(row, values)`` pairs: the file
        read, its header checked, every key once (unless ``spec.repeats``) and in ``known``
        (None: any), every column of its kind, the unit the one ``unit(row)`` expects
        (``(unit, whose)``, or None for any), the values of ``spec.ranged`` in the range of
        that unit (:data:`UNITS`). A row with a problem is reported and left out; an unknown
        key is told the known ones (or ``listed``, where to find them)."""
        rows = self.rows(spec)
        if rows is None:
            return None
        out = []
        for row in self.keyed(spec, rows):
            before = len(self.problems)
            name = row.cells[spec.key]
            if known is not None and name not in known:
                facts = {"noun": what, "name": name, "known": tuple(known), "listed": listed}
                self.problem(spec.name, row.line, ("unknown", facts), spec.key)
                continue
            values = {c.name: self.value(spec, row, c.name) for c in spec.columns}
            if len(self.problems) > before:
                continue
            expected = unit(row) if unit is not None else None
            if expected is not None and not self.same_unit(spec, row, *expected):
                continue
            if all(
                self.in_unit(spec, row, c, values[c], row.cells["unit"], spec.base_year)
                for c in spec.ranged
                if values[c] is not None
            ):
                out.append((row, values))
        self.seen[spec.name] = {r.cells.get(spec.key, "") for r in rows}
        return out

    # -- the files

    def load(self) -> DataSet:
        reference = self.reference()
        base = self.base(reference)
        parameters = self.parameters(reference)
        pool = self.pool()
        targets = self.targets()
        if base is not None and parameters is not None:
            self.lever_defaults(base, parameters)
        if self.problems:
            raise DataError(self.problems)
        return DataSet(self.folder, base, parameters, pool, targets, self.hashes)

    def reference(self) -> DataSet | None:
        """hubinsim's own data, whose rows and units another folder must have (None when this
        folder is it: its rows are the declaration)."""
        ref = reference_dir()
        try:
            if self.folder.resolve() == ref.resolve():
                return None
        except (OSError, RuntimeError):
            pass
        return load_data(ref)

    def missing(self, spec: FileSpec, required, advice: str = "") -> None:
        missing = [n for n in required if n not in self.seen.get(spec.name, ())]
        if missing:
            self.problem(spec.name, None, f"missing row(s) for {', '.join(missing)}{advice}")

    def base(self, reference: DataSet | None) -> dict[str, BaseFigure] | None:
        """base_2020.csv: the figures the model needs (:data:`REQUIRED_BASE`), and those of
        hubinsim's own file, in the catalogue indicator's unit or else the reference's."""
        spec = FILES[BASE_FILE]
        known = None
        if reference is not None:
            known = dict.fromkeys((*REQUIRED_BASE, *OPTIONAL_BASE, *reference.base))

        table = self.table(
            spec, known, "figure", lambda row: declared_unit(row.cells["name"], reference)
        )
        if table is None:
            return None
        out = {
            v["name"]: BaseFigure(v["name"], v["value"], v["unit"], v["source"], v["note"] or "")
            for _, v in table
        }
        self.missing(spec, REQUIRED_BASE)
        if self.problems_in(spec.name):
            return None
        shares = [out[f"employment_share_{s}"].value for s in ("primary", "secondary", "tertiary")]
        if abs(sum(shares) - 1.0) > 1e-6:
            self.problem(
                spec.name,
                None,
                f"employment_share_primary/secondary/tertiary sum to {sum(shares):g}, not 1",
            )
        primary = out["gdp"].value * out["share_primary_pct"].value / 100.0
        if primary + out["va_tertiary"].value >= out["gdp"].value:
            self.problem(
                spec.name,
                None,
                f"va_tertiary ({_g(out['va_tertiary'].value)}) and the primary sector "
                f"(share_primary_pct {_g(out['share_primary_pct'].value)} % of gdp, "
                f"{_g(primary)}) leave no secondary sector in gdp ({_g(out['gdp'].value)})",
            )
        return None if self.problems_in(spec.name) else out

    def problems_in(self, name: str) -> bool:
        where = str(self.folder / name)
        return any(p.startswith(where) for p in self.problems)

    def parameters(self, reference: DataSet | None) -> dict[str, Parameter] | None:
        """parameters.csv: every parameter of hubinsim's own file, in its unit, its value in
        its range."""
        spec = FILES[PARAMETERS_FILE]
        known = reference.parameters if reference is not None else None

        def unit(row):
            if known is None:
                return None
            return known[row.cells["name"]].unit, "as in hubinsim's data"

        where = f"the model reads those of {reference.folder / PARAMETERS_FILE}" if known else ""
        table = self.table(spec, known, "parameter", unit, where)
        if table is None:
            return None
        out = {}
        for row, v in table:
            name, value, low, high = v["name"], v["value"], v["low"], v["high"]
            if not low <= high:
                self.problem(spec.name, row.line, f"{name}: low {_g(low)} is above high "
                             f"{_g(high)}", "low")  # fmt: skip
            elif not low <= value <= high:
                self.problem(
                    spec.name,
                    row.line,
                    f"{name}: value {_g(value)} outside its range [{_g(low)}, {_g(high)}]",
                    "value",
                )
            else:
                out[name] = Parameter(
                    name, value, low, high, v["unit"], v["source"], v["meaning_en"],
                    v["meaning_zh"],
                )  # fmt: skip
        if known is not None:
            where = reference.folder / PARAMETERS_FILE
            self.missing(spec, known, f"; the model reads every parameter of {where}: copy "
                         "the rows from there")  # fmt: skip
        return None if self.problems_in(spec.name) else out

    def pool(self) -> dict[str, float] | None:
        """project_pool.csv: the seven categories of the plan, in 亿元."""
        spec = FILES[POOL_FILE]
        table = self.table(
            spec, POOL_CATEGORIES, "category", lambda row: ("亿元", "money is in 亿元")
        )
        if table is None:
            return None
        self.missing(spec, POOL_CATEGORIES)
        if self.problems_in(spec.name):
            return None
        out = {v["category"]: v["investment"] for _, v in table}
        return {c: out[c] for c in POOL_CATEGORIES}

    def targets(self, name: str = TARGETS_FILE) -> tuple[Target, ...] | None:
        """targets.csv (or another plan's file ``name`` of its form): an indicator of the
        catalogue, in its unit, at most once a year; the plan (default ``14th``) and the kind
        (:data:`TARGET_KINDS`, default ``expected``)."""
        spec = replace(FILES[TARGETS_FILE], name=name)

        def unit(row):
            return INDICATOR_BY_NAME[row.cells["indicator"]].unit, "the indicator's unit"

        listed = "`hubinsim indicators` lists them"
        table = self.table(spec, INDICATOR_BY_NAME, "indicator", unit, listed)
        if table is None:
            return None
        out, seen = [], {}
        for row, v in table:
            ind, year, first = v["indicator"], v["year"], v["each_year_from"]
            decided = v.get("decided_by") or "model"
            if v["comparison"] not in (">=", "<="):
                facts = {"choices": (">=", "<="), "got": v["comparison"], "means": "comparison"}
                self.problem(spec.name, row.line, ("one_of", facts), "comparison")
            elif decided not in DECIDED_BY:
                facts = {"choices": tuple(DECIDED_BY), "got": decided, "means": "decided_by"}
                self.problem(spec.name, row.line, ("one_of", facts), "decided_by")
            elif first is not None and not first <= year:
                facts = {"low": TARGET_YEARS[0], "year": year}
                self.problem(spec.name, row.line, ("each_year_from", facts), "each_year_from")
            elif v["base_year"] is not None and not v["base_year"] < year:
                facts = {"low": FIRST_BASE_YEAR, "year": year, "got": v["base_year"]}
                self.problem(spec.name, row.line, ("base_year", facts), "base_year")
            elif first is not None and v["base_year"] is not None and first <= v["base_year"]:
                facts = {"base": v["base_year"], "got": first}
                self.problem(spec.name, row.line, ("after_base", facts), "each_year_from")
            elif (v["set_by"] or "plan") not in TARGET_SETTERS:
                facts = {"choices": tuple(TARGET_SETTERS), "got": v["set_by"], "means": "set_by"}
                self.problem(spec.name, row.line, ("one_of", facts), "set_by")
            elif (v["kind"] or "expected") not in TARGET_KINDS:
                self.problem(spec.name, row.line, ("kind", {"got": v["kind"]}), "kind")
            elif (ind, year) in seen:
                facts = {"name": ind, "year": year, "first": seen[(ind, year)]}
                self.problem(spec.name, row.line, ("second_target", facts), "year")
            else:
                seen[(ind, year)] = row.line
                out.append(
                    Target(
                        ind,
                        v["target"],
                        year,
                        v["comparison"],
                        first,
                        v["unit"],
                        v["source"],
                        v["note"] or "",
                        v["plan"] or "14th",
                        v["kind"] or "expected",
                        _base_year(v["base_year"], v["plan"] or "14th", year),
                        v["base_value"],
                        v["set_by"] or "plan",
                        decided,
                    )  # fmt: skip
                )
        return None if self.problems_in(spec.name) else tuple(out)

    def lever_defaults(self, base: dict, parameters: dict) -> None:
        """A figure or a parameter that is a lever's business-as-usual value must lie in the
        lever's range (a scenario could not set it back)."""
        for lever in LEVERS:
            d = lever.default
            if not isinstance(d, str) or d == "investment.plan_realisation":
                continue
            rng = f"[{_g(lever.low)}, {_g(lever.high)}] {lever.unit}"
            if d.startswith("base:"):
                fig = base.get(d.removeprefix("base:"))
                if fig is not None and not lever.low <= fig.value <= lever.high:
                    self.problem(
                        BASE_FILE,
                        None,
                        f"{fig.name}: {_g(fig.value)} is outside {rng}, the range of the lever "
                        f"{lever.name} whose business-as-usual value it is",
                    )
            elif d in parameters:
                prm = parameters[d]
                if not (lever.low <= prm.low and prm.high <= lever.high):
                    self.problem(
                        PARAMETERS_FILE,
                        None,
                        f"{d}: its range [{_g(prm.low)}, {_g(prm.high)}] must lie inside {rng}, "
                        f"the range of the lever {lever.name} whose business-as-usual value it "
                        "is",
                    )
