"""Actual figures: the published statistics a mid-term evaluation measures the plan by.

An actuals file is a CSV (UTF-8, with or without the byte-order mark Excel's "CSV UTF-8"
writes) with the columns ``indicator, year, period, value, basis, vintage, source``
(docs/evaluation.md has the format and an example):

- ``indicator``: a name of the catalogue (``hubinsim indicators``);
- ``year``: the calendar year;
- ``period``: ``year`` (the full year), or a period to date as Chinese statistics publish
  it: ``Q1``, ``H1``, ``Q1-Q3``, ``M1-M2`` ... ``M1-M11`` (empty: ``year``);
- ``value``: a number, in the indicator's unit for a level;
- ``basis``: ``level`` (current prices, the indicator's unit), ``real_growth_pct`` (growth on
  the same period of the year before at comparable prices, as bulletins print "增长7.1%"),
  ``nominal_growth_pct``, or ``share_pct`` (a sector's share of GDP);
- ``vintage``: ``preliminary`` (初步核算), ``revised``, ``final``, ``census`` (empty:
  ``preliminary``); of the same figure the later vintage wins, in that order;
- ``source``: free text (bulletin, page), carried to every report.

:func:`read_actuals` checks every row and reports every problem together, each with the
file, line and column, the allowed values and the closest names (:class:`ActualsError`).
Rows are kept as written (every vintage); :class:`Actuals` selects the vintage a use needs,
and :meth:`Actuals.figures` resolves the full-year figures an evaluation uses (a period to
date's growth as an *estimate* of the full year's growth, marked as such). Nothing is ever
filled in: a gap stays a gap.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .catalog import INDICATOR_BY_NAME, INDICATORS, suggest
from .errors import ActualsError
from .files import read_file

#: Largest actuals file read [bytes]: a district's figures are a few kilobytes; a larger file
#: is another file given by mistake.
MAX_ACTUALS_BYTES = 8 * 2**20

#: The columns of an actuals file; those in REQUIRED_COLUMNS must be in the header.
COLUMNS = ("indicator", "year", "period", "value", "basis", "vintage", "source")
REQUIRED_COLUMNS = ("indicator", "year", "value", "basis")

#: Periods, shortest to longest: ``year`` is the full year, the others periods to date.
PERIODS: tuple[str, ...] = (
    "Q1",
    "M1-M2",
    "M1-M3",
    "M1-M4",
    "M1-M5",
    "H1",
    "M1-M6",
    "M1-M7",
    "M1-M8",
    "Q1-Q3",
    "M1-M9",
    "M1-M10",
    "M1-M11",
    "year",
)
#: Months each period covers (a longer period to date is the better estimate of the year).
PERIOD_MONTHS = {"Q1": 3, "H1": 6, "Q1-Q3": 9, "year": 12} | {f"M1-M{m}": m for m in range(2, 12)}
FULL_YEAR = "year"

BASES: tuple[str, ...] = ("level", "real_growth_pct", "nominal_growth_pct", "share_pct")
GROWTH_BASES = ("real_growth_pct", "nominal_growth_pct")

#: Vintages, earliest first: a later vintage of the same figure supersedes an earlier one.
VINTAGES: tuple[str, ...] = ("preliminary", "revised", "final", "census")
DEFAULT_VINTAGE = "preliminary"

#: Indicators a ``share_pct`` row may name: a sector's value added as a share of GDP (or the
#: share itself), and the share indicator it stands for.
SHARE_OF: dict[str, str] = {
    name: f"share_{s}_pct"
    for s in ("primary", "secondary", "tertiary")
    for name in (f"va_{s}", f"share_{s}_pct")
}

#: Growth-rate indicators of the catalogue and the (indicator, basis) they are the same as:
#: ``gdp_real_growth_pct`` at level 6.5 is ``gdp`` at real_growth_pct 6.5.
GROWTH_INDICATORS: dict[str, tuple[str, str]] = {
    "gdp_real_growth_pct": ("gdp", "real_growth_pct"),
    "industrial_va_above_scale_growth_pct": ("industrial_va_above_scale", "real_growth_pct"),
}

#: Chinese names an actuals file may write for an indicator: every indicator's name in the
#: catalogue (as the evaluation table prints it: 第三产业增加值, 地区生产总值), and the
#: national accounts' name of GDP.
CHINESE_NAMES: dict[str, str] = {i.meaning_zh: i.name for i in INDICATORS} | {
    "国内生产总值": "gdp",
    "生产总值": "gdp",
    "GDP": "gdp",
}


def valid_names() -> str:
    """Every indicator an actuals file may name, code and Chinese name: "gdp 地区生产总值,
    ..."."""
    return ", ".join(f"{i.name} {i.meaning_zh}" for i in INDICATORS)


#: Indicators that may be negative as levels.
SIGNED = frozenset({"fiscal_balance", "output_gap_pct"})


def _is_rate(indicator: str) -> bool:
    """An indicator that is itself a rate or share (a growth rate of it makes no sense)."""
    return indicator.endswith("_pct") or INDICATOR_BY_NAME[indicator].unit in ("%", "1/yr")


@dataclass(frozen=True)
class ActualRow:
    """One row of an actuals file, as written, with where it was written.

    ``indicator`` and ``basis`` are canonical: a growth-rate indicator written at level is
    stored as its level indicator at the growth basis (``gdp_real_growth_pct`` 6.5 ->
    ``gdp`` real_growth_pct 6.5), and a share written for a sector's value added as the
    share indicator at level (``va_tertiary`` share_pct 58 -> ``share_tertiary_pct`` 58);
    ``written`` keeps the indicator and basis as the file wrote them.
    """

    indicator: str
    year: int
    period: str
    value: float
    basis: str
    vintage: str
    source: str
    file: str = ""
    line: int = 0
    written: str = ""
    decimals: int = 1  # of the value as written (its rounding)

    @property
    def full_year(self) -> bool:
        return self.period == FULL_YEAR

    @property
    def key(self) -> tuple[str, int, str, str]:
        """A figure: its vintages share this key."""
        return (self.indicator, self.year, self.period, self.basis)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else "(given in Python)"

    @property
    def is_growth(self) -> bool:
        return self.basis in GROWTH_BASES


@dataclass(frozen=True)
class Figure:
    """A full-year figure resolved from the rows: the value an evaluation uses for
    ``indicator`` in ``year`` and where it came from.

    ``status`` is ``actual`` (a full-year row) or ``estimate`` (the growth of a period to
    date taken for the full year's: ``note`` says "estimate from Q1-Q3").
    """

    indicator: str
    year: int
    basis: str  # level or real_growth_pct or nominal_growth_pct
    value: float
    status: str  # actual | estimate
    row: ActualRow

    @property
    def note(self) -> str:
        if self.status == "estimate":
            return f"estimate from {self.row.period}"
        return f"{self.row.vintage}, {self.row.source}".strip(", ")


class Actuals:
    """The rows of an actuals file (every vintage kept) and the figures chosen from them.

    Made by :func:`read_actuals` (or :meth:`from_rows`). ``rows`` are in file order;
    :meth:`select` keeps one vintage of each figure, :meth:`frame` is the tidy table,
    :meth:`figures` the full-year figures an evaluation uses.
    """

    def __init__(self, rows, path: str | os.PathLike | None = None, sha256: str | None = None):
        self.rows: tuple[ActualRow, ...] = tuple(rows)
        self.path = None if path is None else Path(path)
        self.sha256 = sha256  # of the bytes read (read_actuals), for the run record
        #: Rows :meth:`select` took from a vintage later than the one asked (none given).
        self.later_vintage: tuple[ActualRow, ...] = ()

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows, path=None) -> Actuals:
        """Actuals from dicts with the file's columns (checked as a file is)."""
        if isinstance(rows, str | bytes | Mapping) or not isinstance(rows, Iterable):
            raise ActualsError(
                [f"rows: must be a list of mappings of the columns, got {rows!r:.60}"]
            )
        rows = list(rows)
        bad = [i for i, r in enumerate(rows) if not isinstance(r, Mapping)]
        if bad:
            raise ActualsError(
                [
                    f"rows: row {i} must be a mapping of the columns, got {rows[i]!r:.60}"
                    for i in bad[:50]
                ]
            )
        texts = [{k: _text(r.get(k)) for k in COLUMNS} for r in rows]
        checked, problems = _check_rows(
            [(i + 2, t) for i, t in enumerate(texts)], str(path or "actuals")
        )
        if problems:
            raise ActualsError(problems)
        return cls(checked, path)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __repr__(self) -> str:
        years = self.years()
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        return f"<Actuals {self.path or ''} {len(self.rows)} rows, {span}>"

    # --- selection ----------------------------------------------------------------------
    def select(self, vintage: str | None = None) -> Actuals:
        """One row of each figure: the latest vintage (``vintage=None``), or the latest not
        later than ``vintage`` (``"preliminary"``: what the first bulletins said;
        ``"revised"``: revised where revised, else preliminary ...). A figure published only
        in a later vintage (a 2021 level given only as final) is kept in its earliest one,
        not dropped; :attr:`later_vintage` lists those rows (a run warns of them)."""
        if vintage is not None and vintage not in VINTAGES:
            raise ActualsError(
                [
                    f"vintage: unknown {vintage!r}; one of {', '.join(VINTAGES)}"
                    + suggest(vintage, VINTAGES)
                ]
            )
        limit = len(VINTAGES) if vintage is None else VINTAGES.index(vintage) + 1
        best: dict[tuple, ActualRow] = {}
        later: dict[tuple, ActualRow] = {}  # figures published only in a later vintage
        for row in self.rows:
            rank = VINTAGES.index(row.vintage)
            if rank >= limit:
                kept = later.get(row.key)
                if kept is None or rank < VINTAGES.index(kept.vintage):
                    later[row.key] = row
                continue
            kept = best.get(row.key)
            if kept is None or rank > VINTAGES.index(kept.vintage):
                best[row.key] = row
        taken = {k: r for k, r in later.items() if k not in best}
        best.update(taken)
        chosen = Actuals([r for r in self.rows if best.get(r.key) is r], self.path, self.sha256)
        chosen.later_vintage = tuple(r for r in self.rows if taken.get(r.key) is r)
        return chosen

    def only(self, indicators=None, years=None) -> Actuals:
        """The rows of some indicators and years."""
        rows = [
            r
            for r in self.rows
            if (indicators is None or r.indicator in indicators)
            and (years is None or r.year in years)
        ]
        return Actuals(rows, self.path, self.sha256)

    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    def indicators(self) -> list[str]:
        return sorted({r.indicator for r in self.rows})

    def latest_full_year(self) -> int | None:
        """The latest year with a full-year figure (level or growth) of any indicator."""
        years = [r.year for r in self.rows if r.full_year]
        return max(years) if years else None

    def frame(self):
        """Every row as a tidy :class:`pandas.DataFrame`: the file's columns (canonical
        indicator and basis), ``written`` (the indicator as written), ``file`` and
        ``line``."""
        import pandas as pd

        cols = [*COLUMNS, "written", "file", "line"]
        return pd.DataFrame([[getattr(r, c) for c in cols] for r in self.rows], columns=cols)

    def check_years(self, first: int, last: int, this_year: int | None = None) -> None:
        """Raise :class:`ActualsError` naming every row whose year is outside first..last
        (the years of the run the figures are compared with), and, given ``this_year`` (the
        calendar year of today), every full-year figure of a year not over yet and every
        figure of a year to come: no bulletin can have published them."""
        problems = []
        for r in self.rows:
            at = f"{r.where}:{_column_number('year')}: column 'year': "
            if not first <= r.year <= last:
                problems.append(f"{at}{r.year} is outside the run {first}..{last}")
            elif this_year is not None and r.year > this_year:
                problems.append(f"{at}{r.year} is a year to come (this is {this_year})")
            elif this_year is not None and r.year == this_year and r.full_year:
                problems.append(
                    f"{at}a full-year figure of {r.year}, which is not over (this is "
                    f"{this_year}); write the period to date it covers (Q1-Q3, M1-M10 ...)"
                )
        if problems:
            raise ActualsError(problems)

    # --- resolution ---------------------------------------------------------------------
    def figures(self, vintage: str | None = None) -> dict[tuple[str, int, str], Figure]:
        """The full-year figures: (indicator, year, basis) -> :class:`Figure`, with basis
        ``level``, ``real_growth_pct`` or ``nominal_growth_pct``.

        A full-year row is an ``actual``; without one, the growth of the longest period to
        date published is an ``estimate`` of the full year's growth. A period to date's level
        (retail sales in Q1-Q3) is no full-year level: it is kept in the rows and not used.
        The vintage is the latest unless ``vintage`` is given (:meth:`select`).
        """
        chosen = self.select(vintage)
        out: dict[tuple[str, int, str], Figure] = {}
        months: dict[tuple[str, int, str], int] = {}
        for r in chosen.rows:
            key = (r.indicator, r.year, r.basis)
            if r.full_year:
                out[key] = Figure(r.indicator, r.year, r.basis, r.value, "actual", r)
                months[key] = 12
            elif r.is_growth and months.get(key, 0) < PERIOD_MONTHS[r.period]:
                out[key] = Figure(r.indicator, r.year, r.basis, r.value, "estimate", r)
                months[key] = PERIOD_MONTHS[r.period]
        return dict(sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])))

    def disagreements(self, tolerance_pp: float | None = None) -> list[str]:
        """Where a full-year level and a nominal growth rate of the same indicator, or a
        share and the levels of the sector and GDP, disagree beyond the rounding of the
        figures as written (the growth implied by the levels against the growth given, in
        percentage points). :func:`read_actuals` warns with these."""
        figs = self.figures()
        out = []
        for (ind, year, basis), fig in figs.items():
            if basis != "nominal_growth_pct" or fig.status != "actual":
                continue
            now, before = figs.get((ind, year, "level")), figs.get((ind, year - 1, "level"))
            if now is None or before is None or before.value <= 0:
                continue
            implied = (now.value / before.value - 1.0) * 100.0
            tol = tolerance_pp
            if tol is None:  # half a unit of the last digit of each figure as written
                tol = 0.05 + 100.0 * (
                    _half_unit(now.row) / now.value + _half_unit(before.row) / before.value
                )
            if abs(implied - fig.value) > tol:
                out.append(
                    f"{fig.row.where}: {ind} {year}: nominal growth {fig.value:g} % but the "
                    f"levels {before.value:g} ({year - 1}, line {before.row.line}) and "
                    f"{now.value:g} (line {now.row.line}) give {implied:.2f} %; the levels are "
                    "used for levels, the growth rate only where a level is missing"
                )
        for (ind, year, basis), fig in figs.items():
            found = share_disagreement(figs, ind, year, basis, tolerance_pp)
            if found is not None:
                implied, va, gdp = found
                sector = ind[len("share_") : -len("_pct")]
                out.append(
                    f"{fig.row.where}: {ind} {year}: {fig.value:g} % but va_{sector} / gdp = "
                    f"{implied:.2f} % (lines {va.row.line}, {gdp.row.line}); the levels are used"
                )
        return out


def share_disagreement(figs: dict, ind: str, year: int, basis: str = "level", tolerance_pp=None):
    """Where the share ``ind`` (``share_tertiary_pct``) of ``year`` given in ``figs`` (of
    :meth:`Actuals.figures`) and the levels of its sector and GDP of that year disagree
    beyond the rounding of the figures as written (or ``tolerance_pp`` points): the share
    the levels give and their two figures; else None. The levels are then used, as the
    warning of :meth:`Actuals.disagreements` says."""
    fig = figs.get((ind, year, basis))
    if fig is None or not (ind.startswith("share_") and basis == "level"):
        return None
    if fig.status != "actual":
        return None
    sector = ind[len("share_") : -len("_pct")]
    va, gdp = figs.get((f"va_{sector}", year, "level")), figs.get(("gdp", year, "level"))
    if va is None or gdp is None or gdp.value <= 0:
        return None
    implied = va.value / gdp.value * 100.0
    tol = tolerance_pp
    if tol is None:
        tol = 0.05 + 100.0 * (
            _half_unit(va.row) / gdp.value + _half_unit(gdp.row) * va.value / gdp.value**2
        )
    return (implied, va, gdp) if abs(implied - fig.value) > tol else None


def _text(value) -> str:
    """A cell as text: numbers (numpy's too) written in full."""
    if value is None:
        return ""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | int):
        return repr(float(value))
    return str(value)


def _half_unit(row: ActualRow) -> float:
    """Half a unit of the last digit of a value as written (0.05 for 289.3)."""
    return 0.5 * 10.0 ** (-row.decimals)


def _column_number(name: str, header: list[str] | None = None) -> int:
    cols = header or list(COLUMNS)
    return cols.index(name) + 1 if name in cols else 0


def _check_rows(rows, path: str, header: list[str] | None = None):
    """Rows of (line, dict of column -> text) checked: ActualRows and the problems, each
    ``file:line:column: column 'name': what, the allowed values``."""
    out, problems, seen = [], [], {}
    allowed_periods = ", ".join(PERIODS)
    unknown_name = 0  # the line of the first unknown indicator

    def at(line, column):
        return f"{path}:{line}:{_column_number(column, header)}: column {column!r}: "

    for line, row in rows:
        if not any((v or "").strip() for v in row.values()):
            continue  # an empty line
        bad = False
        written = (row.get("indicator") or "").strip()
        name = CHINESE_NAMES.get(written, written)
        basis = (row.get("basis") or "").strip()
        if name not in INDICATOR_BY_NAME:
            known = [*INDICATOR_BY_NAME, *CHINESE_NAMES]
            listed = (
                f"the code or the Chinese name of an indicator (the list: line {unknown_name})"
                if unknown_name
                else f"the code or the Chinese name of one of: {valid_names()}"
            )
            problems.append(
                at(line, "indicator")
                + f"unknown indicator {name!r}{suggest(name, known)}; write {listed}"
            )
            unknown_name = unknown_name or line
            bad = True
        if basis not in BASES:
            problems.append(
                at(line, "basis")
                + f"unknown basis {basis!r}; one of {', '.join(BASES)}{suggest(basis, BASES)}"
            )
            bad = True
        year_text = (row.get("year") or "").strip()
        try:
            year = float(year_text)
            if year != int(year):
                raise ValueError
            year = int(year)
            if not 1949 <= year <= 2100:
                raise ValueError
        except (ValueError, OverflowError):  # "inf", "1e400": no whole number
            problems.append(at(line, "year") + f"expected a year such as 2023, got {year_text!r}")
            bad = True
        period = (row.get("period") or "").strip() or FULL_YEAR
        if period not in PERIODS:
            hint = suggest(period, PERIODS)
            problems.append(
                at(line, "period")
                + f"unknown period {period!r}; one of {allowed_periods}{hint}"
                + (" (M1-M12 is the full year: write year)" if period == "M1-M12" else "")
            )
            bad = True
        vintage = (row.get("vintage") or "").strip() or DEFAULT_VINTAGE
        if vintage not in VINTAGES:
            problems.append(
                at(line, "vintage")
                + f"unknown vintage {vintage!r}; one of {', '.join(VINTAGES)} (earliest "
                f"first){suggest(vintage, VINTAGES)}"
            )
            bad = True
        text = (row.get("value") or "").strip().replace(",", "")
        try:
            value = float(text.rstrip("%"))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(at(line, "value") + f"expected a number, got {text!r}")
            bad = True
        if bad:
            continue
        if name in GROWTH_INDICATORS:
            if basis != "level":
                problems.append(
                    at(line, "basis")
                    + f"{name} is a growth rate: write it at basis level, or write "
                    f"{GROWTH_INDICATORS[name][0]} at basis {GROWTH_INDICATORS[name][1]}"
                )
                continue
            name, basis = GROWTH_INDICATORS[name]
        elif basis == "share_pct":
            if name not in SHARE_OF:
                problems.append(
                    at(line, "basis")
                    + f"share_pct is a sector's share of GDP: for {', '.join(sorted(SHARE_OF))}"
                    f", not {name}"
                )
                continue
            name, basis = SHARE_OF[name], "level"
        elif basis in GROWTH_BASES and _is_rate(name):
            problems.append(
                at(line, "basis")
                + f"{name} is a rate or share ({INDICATOR_BY_NAME[name].unit}): write it at "
                "basis level"
            )
            continue
        if basis == "level" and not name.endswith("growth_pct"):
            if value < 0 and name not in SIGNED:
                problems.append(at(line, "value") + f"{name} cannot be negative, got {value:g}")
                continue
            if name.startswith("share_") and value > 100:
                problems.append(at(line, "value") + f"a share in percent, 0-100, got {value:g}")
                continue
        rec = ActualRow(
            name,
            year,
            period,
            value,
            basis,
            vintage,
            (row.get("source") or "").strip(),
            path,
            line,
            written,
            len(text.rstrip("%").partition(".")[2]),
        )
        first = seen.get(rec.key + (vintage,))
        if first is not None:
            problems.append(
                at(line, "vintage") + f"{name} {year} {period} {basis} ({vintage}) appears twice "
                f"(first on line {first}); give each vintage of a figure once"
            )
            continue
        seen[rec.key + (vintage,)] = line
        out.append(rec)
    return out, problems


def read_actuals(path: str | os.PathLike) -> Actuals:
    """Read an actuals file (module docstring; docs/evaluation.md).

    Raises
    ------
    ActualsError
        Listing every problem of the file, each with file, line and column, the allowed
        values and the closest names; nothing is read when one is found.

    Warns where a level and a growth rate (or a share) of the same figure disagree beyond
    the rounding of the figures (:meth:`Actuals.disagreements`).
    """
    if not isinstance(path, str | os.PathLike):
        raise ActualsError(f"read_actuals: path must be a file path, not {type(path).__name__}")
    path = Path(path)
    read = read_file(
        path, limit=MAX_ACTUALS_BYTES, what="an actuals file (docs/evaluation.md)",
        error=ActualsError,
    )  # fmt: skip
    try:
        text = read.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = read.data[: exc.start].count(b"\n") + 1
        raise ActualsError(
            [
                f"{path}:{line}: not UTF-8 text; save it as 'CSV UTF-8' (Excel) or UTF-8 (WPS, "
                "a text editor), not GBK"
            ]
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ActualsError([f"{path}:{line}: a NUL byte; an actuals file is CSV text"])
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = [h.strip() for h in next(reader, [])]
        rows = []
        for fields in reader:
            rows.append((reader.line_num, dict(zip(header, fields, strict=False))))
    except csv.Error as exc:
        raise ActualsError([f"{path}:{reader.line_num}: malformed CSV ({exc})"]) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    problems = []
    if missing:
        problems.append(
            f"{path}:1: missing column(s) {', '.join(missing)}; the header is "
            f"{','.join(COLUMNS)} (period, vintage and source may be left out)"
        )
    for h in unknown:
        problems.append(
            f"{path}:1:{header.index(h) + 1}: unknown column {h!r}{suggest(h, COLUMNS)}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    if problems:
        raise ActualsError(problems)
    checked, problems = _check_rows(rows, str(path), header)
    if problems:
        raise ActualsError(problems)
    if not checked:
        raise ActualsError([f"{path}: no rows of figures under the header"])
    actuals = Actuals(checked, path, sha256=read.sha256)
    for message in actuals.disagreements():
        warnings.warn(message, UserWarning, stacklevel=2)
    return actuals
