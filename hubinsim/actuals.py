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
from .errors import ActualsError, in_lang
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


#: The indicators a statistical bulletin, a yearbook or a bureau publishes for a district:
#: those an actuals file is meant to give, and those the unknown-name message lists. The
#: model's own series (capital stocks, TFP, real series at 2020 prices, the output gap, the
#: project pool) are no published figures; the catalogue's other names are still read.
PUBLISHED: tuple[str, ...] = (
    "gdp",
    "gdp_real_growth_pct",
    "va_primary",
    "va_secondary",
    "va_tertiary",
    "share_primary_pct",
    "share_secondary_pct",
    "share_tertiary_pct",
    "va_industry",
    "va_construction",
    "industrial_va_above_scale",
    "industrial_va_above_scale_growth_pct",
    "industrial_output_above_scale",
    "enterprises_above_scale",
    "park_gross_output",
    "fai",
    "fiscal_revenue",
    "fiscal_expenditure",
    "transfers_from_above",
    "land_revenue",
    "government_debt",
    "population",
    "employment",
    "employment_primary",
    "employment_secondary",
    "employment_tertiary",
    "unemployment_rate_pct",
    "new_urban_jobs",
    "new_urban_jobs_cumulative",
    "retail_sales",
    "visitor_spending",
    "gdp_per_capita",
    "disposable_income_per_capita",
    "rd_intensity_pct",
)


def valid_names() -> str:
    """Every indicator an actuals file is meant to give (:data:`PUBLISHED`), code and
    Chinese name: "gdp 地区生产总值, ..."."""
    return ", ".join(f"{n} {INDICATOR_BY_NAME[n].meaning_zh}" for n in PUBLISHED)


#: Chinese headers an actuals file may have (those of the workbook's sheet 所用实际数据,
#: saved as CSV, among them) and the columns they are. 指标名称 is the indicator where the
#: file has no 指标代码.
HEADERS_ZH = {
    "指标代码": "indicator",
    "指标": "indicator",
    "指标名称": "indicator",
    "年份": "year",
    "期间": "period",
    "数值": "value",
    "口径": "basis",
    "版本": "vintage",
    "来源": "source",
    "单位": "unit",
}
#: Columns of the workbook's sheet of figures used that say how a figure was used, not what
#: it is: read back, they are left aside.
INFORMATION_COLUMNS = frozenset(
    {"name", "status", "note", "line in file", "性质", "说明", "文件行号"}
    | {"plan_target", "bulletin", "规划目标", "公报出处"}  # of examples/actuals_template.csv
)
#: How the optional column ``unit`` may write each unit of the catalogue (a beginning: "亿元
#: (current prices)" is 亿元); a row whose unit is another is refused, as its figure is not in
#: the unit the indicator is read in.
UNIT_SPELLINGS = {
    "%": ("%", "percent", "百分比", "百分数"),
    "persons": ("persons", "人"),
    "firms": ("firms", "家", "个"),
    "yuan": ("yuan", "元"),
}
#: Values an actuals file may write in Chinese, by column: those the evaluation's outputs
#: print (全年, 总量(现价), 初步核算 ...) and their short forms (总量, 初步).
VALUES_ZH: dict[str, dict[str, str]] = {
    "period": {"全年": "year", "一季度": "Q1", "上半年": "H1", "前三季度": "Q1-Q3"}
    | {f"1-{m}月": f"M1-M{m}" for m in range(2, 12)}
    | {"1-12月": "year"},
    "basis": {
        "总量(现价)": "level",
        "总量": "level",
        "比率(%)": "level",
        "比率": "level",
        "可比价增速(%)": "real_growth_pct",
        "可比价增速": "real_growth_pct",
        "实际增速": "real_growth_pct",
        "现价增速(%)": "nominal_growth_pct",
        "现价增速": "nominal_growth_pct",
        "名义增速": "nominal_growth_pct",
        "比重(%)": "share_pct",
        "比重": "share_pct",
    },
    "vintage": {
        "初步核算": "preliminary",
        "初步": "preliminary",
        "修订": "revised",
        "最终核实": "final",
        "最终": "final",
        "经济普查": "census",
        "普查": "census",
    },
}
#: The bases of figures the evaluation built or derived (the sheet of figures used lists
#: them beside the figures read): a file read back leaves those rows aside, as they are made
#: again from the figures.
DERIVED_BASES = frozenset(
    {"level (built)", "level (derived)"}
    | {
        f"{w}(由{how}推算)"
        for w in ("总量", "比重", "比率")
        for how in ("增速", "总量", "比重或总量")
    }
)


def _plain(text: str) -> str:
    """A cell with full-width brackets and spaces made plain: 总量（现价） -> 总量(现价)."""
    return text.strip().replace("（", "(").replace("）", ")").replace(" ", "")


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
    header: tuple[str, ...] = COLUMNS  # the file's columns, by their English names
    labels: tuple[str, ...] = ()  # the file's columns as its header writes them (年份 ...)

    def at(self, column: str, lang: str = "en") -> str:
        """``file:line:column: column 'name': `` of a column of this row, the column named as
        the file's header names it."""
        number = _column_number(column, list(self.header))
        label = self.labels[number - 1] if number and len(self.labels) >= number else column
        said = f"列 {label!r}:" if lang == "zh" else f"column {label!r}: "
        return f"{self.where}:{number}: {said}"

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

    def __init__(
        self,
        rows,
        path: str | os.PathLike | None = None,
        sha256: str | None = None,
        lang: str = "en",
    ):
        self.rows: tuple[ActualRow, ...] = tuple(rows)
        self.path = None if path is None else Path(path)
        self.sha256 = sha256  # of the bytes read (read_actuals), for the run record
        #: The language the file was read in: a restart's problems with it are said in it.
        self.lang = lang
        #: Rows :meth:`select` took from a vintage later than the one asked (none given).
        self.later_vintage: tuple[ActualRow, ...] = ()

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows, path=None, *, data_dir=None) -> Actuals:
        """Actuals from dicts with the file's columns (checked as a file is: the unit of
        each level too, against the 2020 base of ``data_dir``)."""
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
        unit, warned = unit_problems(checked, base_levels(data_dir))
        if problems or unit:
            raise ActualsError(sorted([*problems, *unit], key=_line_of))
        for message in warned:
            warnings.warn(message, UserWarning, stacklevel=2)
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
        chosen = Actuals(
            [r for r in self.rows if best.get(r.key) is r], self.path, self.sha256, self.lang
        )
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
        return Actuals(rows, self.path, self.sha256, self.lang)

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

    def check_years(
        self, first: int, last: int, this_year: int | None = None, lang: str = "en"
    ) -> None:
        """Raise :class:`ActualsError` naming every row whose year is outside first..last
        (the years of the run the figures are compared with), and, given ``this_year`` (the
        calendar year of today), every full-year figure of a year not over yet and every
        figure of a year to come: no bulletin can have published them."""
        problems = year_problems(self.rows, first, last, this_year, lang)
        if problems:
            raise ActualsError(problems, lang=lang)

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

    def disagreements(self, tolerance_pp: float | None = None, lang: str = "en") -> list[str]:
        """Where a full-year level and a nominal growth rate of the same indicator, or a
        share and the levels of the sector and GDP, disagree beyond the rounding of the
        figures as written (the growth implied by the levels against the growth given, in
        percentage points), in ``lang``. :func:`read_actuals` warns with these."""
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
                    f"{fig.row.where}: "
                    + in_lang(
                        lang,
                        f"{ind} {year}: nominal growth {fig.value:g} % but the levels "
                        f"{before.value:g} ({year - 1}, line {before.row.line}) and "
                        f"{now.value:g} (line {now.row.line}) give {implied:.2f} %; the levels "
                        "are used for levels, the growth rate only where a level is missing",
                        f"{ind} {year}年:现价增速 {fig.value:g} %,而总量 {before.value:g}"
                        f"({year - 1}年,第{before.row.line}行)与 {now.value:g}(第"
                        f"{now.row.line}行)得出 {implied:.2f} %;总量按总量使用,增速仅在缺少"
                        "总量时使用",
                    )
                )
        for (ind, year, basis), fig in figs.items():
            found = share_disagreement(figs, ind, year, basis, tolerance_pp)
            if found is not None:
                implied, va, gdp = found
                sector = ind[len("share_") : -len("_pct")]
                out.append(
                    f"{fig.row.where}: "
                    + in_lang(
                        lang,
                        f"{ind} {year}: {fig.value:g} % but va_{sector} / gdp = {implied:.2f} % "
                        f"(lines {va.row.line}, {gdp.row.line}); the levels are used",
                        f"{ind} {year}年:{fig.value:g} %,而 va_{sector} / gdp = {implied:.2f} %"
                        f"(第{va.row.line}、{gdp.row.line}行);采用总量",
                    )
                )
        return out


def year_problems(rows, first=None, last=None, this_year=None, lang="en") -> list[str]:
    """The rows whose year is outside ``first``..``last`` (when given), or that no bulletin
    can have published by ``this_year`` (a full-year figure of it, any figure of a later
    year): :meth:`Actuals.check_years`, and :func:`read_actuals` given ``today``."""
    problems = []
    for r in rows:
        at = r.at("year", lang)
        if first is not None and not first <= r.year <= last:
            problems.append(
                at
                + in_lang(
                    lang,
                    f"{r.year} is outside the run {first}..{last}",
                    f"{r.year}年不在本次运行的年份 {first}..{last} 之内",
                )
            )
        elif this_year is not None and r.year > this_year:
            problems.append(
                at
                + in_lang(
                    lang,
                    f"{r.year} is a year to come (this is {this_year})",
                    f"{r.year}年尚未到来(今年是{this_year}年)",
                )
            )
        elif this_year is not None and r.year == this_year and r.full_year:
            problems.append(
                at
                + in_lang(
                    lang,
                    f"a full-year figure of {r.year}, which is not over (this is {this_year}); "
                    "write the period to date it covers (Q1-Q3, M1-M10 ...)",
                    f"{r.year}年的全年数,而该年尚未结束(今年是{this_year}年);请填写其所覆盖的"
                    "累计期间(Q1-Q3、M1-M10 ……)",
                )
            )
    return problems


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


# --- units -------------------------------------------------------------------------------

#: Factor between a level and what it is checked against (the 2020 base of data/, or the
#: indicator's other levels in the file) from which the level is refused as written in
#: another unit: 10^1.5 (31.6). The district's fastest growth on record is its GDP tripling
#: in 2015-2020, a census revision included (data/base_2020.csv): at that pace a level
#: changes by 3^3 = 27 over the 15 years of a run to 2035, below 31.6, while a figure in
#: another unit is 100 (a rate as a fraction), 10,000 (万元 for 亿元, persons for 万人) or
#: more times off. A run beyond 2035 allows that pace over its years (1.25 a year).
UNIT_FACTOR = 10**1.5
#: The fastest yearly change of a level the district's record shows (1.25: tripling in five
#: years), for the allowance of a run longer than 15 years.
FASTEST_YEARLY_FACTOR = 1.25
#: Factor of change a year beyond which a level is warned about (doubling or halving): twice
#: the fastest year the district's record can have had (GDP +25 % a year in 2015-2020; fiscal
#: revenue +8.6 % a year); a sector's value added or revenue halving in a year is no recession
#: the district has seen. Over n years, 2^n.
YEAR_FACTOR = 2.0
#: Points a sector's value added, written as a level, may be from that sector's share of GDP
#: (in the file or the 2020 base) to be taken for the share written as a level: shares move
#: a point or two a year (the tertiary share 57.8 % in 2020, 60 % planned for 2025).
SHARE_POINTS = 10.0

#: What a figure 10^k times the expected looks like, by the indicator's unit and k.
_LOOKS_LIKE = {
    ("亿元", 4): ("万元", "万元"),
    ("亿元", 8): ("yuan (元)", "元"),
    ("万人", 4): ("persons (人)", "人"),
    ("%", -2): ("a fraction (0.033 for 3.3 %)", "小数(3.3 % 写成了 0.033)"),
    ("yuan", -4): ("万元", "万元"),
}
#: How to write each unit, said where a figure was in another.
_UNIT_ADVICE = {
    "亿元": ("亿元 (1 亿元 = 10,000 万元)", "亿元(1亿元 = 10000万元)"),
    "万人": ("万人 (10,000 persons)", "万人(1万人 = 10000人)"),
    "%": ("percent (3.3 for 3.3 %)", "百分数(3.3 % 写 3.3)"),
    "yuan": ("yuan (元)", "元"),
}


def zh_value(column: str, value: str) -> str:
    """The Chinese word of a value of ``column`` (:data:`VALUES_ZH`): "全年" for the period
    "year", "初步核算" for the vintage "preliminary"; the value itself if it has none."""
    return next((zh for zh, v in VALUES_ZH.get(column, {}).items() if v == value), value)


def later_vintage_text(acts: Actuals, vintage: str | None, rows, lang: str = "en") -> str:
    """The warning of the figures of ``rows`` (:attr:`Actuals.later_vintage`): none of
    ``vintage`` or an earlier one, so their earliest later one is used; in ``lang``."""
    if lang == "zh":
        named = "、".join(
            f"{r.indicator} {r.year}年{zh_value('period', r.period)}"
            f"({zh_value('vintage', r.vintage)},第{r.line}行)"
            for r in rows
        )
        wanted = zh_value("vintage", vintage)
        return (
            f"{acts.path}: 数据版本 {wanted}:{len(rows)} 项数据没有{wanted}或更早的版本,"
            f"采用其最早的较晚版本:{named}"
        )
    named = ", ".join(
        f"{r.indicator} {r.year} {r.period} ({r.vintage}, line {r.line})" for r in rows
    )
    return (
        f"{acts.path}: vintage {vintage}: {len(rows)} figure(s) have no {vintage} or earlier "
        f"vintage; their earliest later one is used: {named}"
    )


def base_levels(data_dir=None) -> dict[str, float]:
    """The 2020 figures of data/ (:func:`hubinsim.data.load_data`) by indicator, in the
    catalogue's units, with the figures the calibrated 2020 record makes of them (the
    sectors' value added and shares, industry and construction, employment and its sectors,
    fiscal expenditure, the park's output, GDP per capita; as the model's 2020 figures):
    what a level of an actuals file is checked against for its unit."""
    from .data import load_data

    data = load_data(data_dir)
    out = {}
    for name, fig in data.base.items():
        info = INDICATOR_BY_NAME.get(name)
        if info is not None and fig.unit.startswith(info.unit) and name not in SIGNED:
            out[name] = float(fig.value)
    raw = {name: float(fig.value) for name, fig in data.base.items()}
    gdp = out.get("gdp")
    if gdp:
        if "share_primary_pct" in out:
            out.setdefault("va_primary", out["share_primary_pct"] / 100.0 * gdp)
        if "va_tertiary" in out:
            out.setdefault("share_tertiary_pct", out["va_tertiary"] / gdp * 100.0)
        if "va_primary" in out and "va_tertiary" in out:
            out.setdefault("va_secondary", gdp - out["va_primary"] - out["va_tertiary"])
            out.setdefault("share_secondary_pct", out["va_secondary"] / gdp * 100.0)
    out.update(_calibrated_levels(out, raw))
    return {k: v for k, v in out.items() if v > 0}


def _calibrated_levels(out: dict, raw: dict) -> dict[str, float]:
    """The 2020 figures of the model's calibrated record that data/ gives by arithmetic (the
    model's 2020 run has the same): where the figures they are made of are there."""

    def have(*names):
        return all(n in out or n in raw for n in names)

    def at(name):
        return out.get(name, raw.get(name))

    made = {}
    if have("va_secondary", "construction_share_of_secondary"):
        con = at("construction_share_of_secondary")
        made["va_construction"] = at("va_secondary") * con
        made["va_industry"] = at("va_secondary") * (1.0 - con)
    if have("population", "working_age_share", "participation_rate", "unemployment_rate_pct"):
        employment = (
            at("population") * at("working_age_share") * at("participation_rate")
            * (1.0 - at("unemployment_rate_pct") / 100.0)
        )  # fmt: skip
        made["employment"] = employment
        for sector in ("primary", "secondary", "tertiary"):
            if have(f"employment_share_{sector}"):
                made[f"employment_{sector}"] = employment * at(f"employment_share_{sector}")
    if have("fiscal_revenue", "transfers_from_above", "land_revenue", "fiscal_balance"):
        made["fiscal_expenditure"] = (
            at("fiscal_revenue") + at("transfers_from_above") + at("land_revenue")
            - at("fiscal_balance")
        )  # fmt: skip
    if have("industrial_output_above_scale"):  # the park's output, as the firms' (definition)
        made["park_gross_output"] = at("industrial_output_above_scale")
    if have("gdp", "population"):  # 亿元 / 万人 in yuan a person
        made["gdp_per_capita"] = at("gdp") / at("population") * 1e4
    return {k: v for k, v in made.items() if k not in out}


def _unit_word(unit: str, lang: str) -> str:
    if lang == "zh":
        from .catalog import UNIT_ZH

        return UNIT_ZH.get(unit, unit)
    return unit


def unit_problems(rows, base: Mapping[str, float] | None = None, lang: str = "en"):
    """The levels of ``rows`` (:class:`ActualRow`) that cannot be in the unit the catalogue
    gives their indicator, and those to be warned about: ``(problems, warnings)``,
    the texts.

    A level is checked against the 2020 figure of ``base`` (:func:`base_levels`): a factor
    of :data:`UNIT_FACTOR` or more away is refused with what it looks like ("looks like
    万元: 317.3 亿元?"), and a sector's value added near the sector's share of GDP is refused
    as a share written as a level. The levels of an indicator without a 2020 figure (new
    urban jobs) are refused together where they are :data:`UNIT_FACTOR` or more apart,
    without naming one as wrong. A full-year level that changes by more than
    :data:`YEAR_FACTOR` a year from the nearest earlier one (or the base) is a warning. Only
    the figure at fault is named: a right figure beside a wrong one is never blamed.
    """
    base = dict(base or {})
    problems: list[tuple[ActualRow, str]] = []
    refused: set[int] = set()
    levels: dict[str, list[ActualRow]] = {}
    for r in rows:
        if r.basis == "level" and r.indicator not in SIGNED and r.value > 0:
            levels.setdefault(r.indicator, []).append(r)
    for ind, group in levels.items():
        unit = INDICATOR_BY_NAME[ind].unit
        if ind not in base:  # no 2020 figure: the group against itself, no figure blamed
            found = _inconsistent(ind, group, lang)
            if found:
                problems.append(found)
                refused.update(id(r) for r in group)
            continue
        for r in group:
            at = r.at("value", lang)
            found = _share_as_level(r, base, levels, lang)
            if found:
                problems.append((r, at + found))
                refused.add(id(r))
                continue
            ref, what, since = _reference(r, base, lang)
            years = abs(r.year - since)
            allowed = max(UNIT_FACTOR, FASTEST_YEARLY_FACTOR**years)
            ratio = r.value / ref
            if 1 / allowed < ratio < allowed:
                continue
            k = round(math.log10(ratio))
            looks = _LOOKS_LIKE.get((unit, k))
            right = f"{r.value / 10.0**k:.6g} {_unit_word(unit, lang)}"
            advice = _UNIT_ADVICE.get(unit, (unit, _unit_word(unit, lang)))
            if lang == "zh":
                guess = f"像是以{looks[1]}填写:{right}?" if looks else f"应为 {right}?"
                text = (
                    f"{ind} {r.year}年 {r.value:.10g} 约为{what}的 10^{k} 倍,{guess}"
                    f"{ind} 应以{advice[1]}填写"
                )
            else:
                guess = f"looks like {looks[0]}: {right}?" if looks else f"{right}?"
                text = (
                    f"{ind} {r.year}: {r.value:.10g} is about 10^{k} times {what}; {guess} "
                    f"{ind} is written in {advice[0]}"
                )
            problems.append((r, at + text))
            refused.add(id(r))
    warned = []
    for ind, group in levels.items():
        kept = sorted(
            (r for r in group if id(r) not in refused and r.full_year),
            key=lambda r: (r.year, VINTAGES.index(r.vintage)),
        )
        by_year = {r.year: r for r in kept}  # the latest vintage of each year
        before = (2020, base[ind], None) if ind in base else None
        for year in sorted(by_year):
            r = by_year[year]
            if before is not None and year > before[0]:
                n = year - before[0]
                change = r.value / before[1]
                if not YEAR_FACTOR**-n <= change <= YEAR_FACTOR**n:
                    warned.append(_jump_text(r, before, change, n, lang))
            if before is None or year > before[0]:
                before = (year, r.value, r)
    problems.sort(key=lambda p: p[0].line)
    return [p[1] for p in problems], warned


def _reference(r: ActualRow, base, lang):
    """What ``r`` is checked against: the 2020 base, its description, and its year."""
    unit = _unit_word(INDICATOR_BY_NAME[r.indicator].unit, lang)
    b = base[r.indicator]
    what = in_lang(lang, f"the 2020 base ({b:.4g} {unit})", f"2020年基数({b:.4g} {unit})")
    return b, what, 2020


def _inconsistent(ind: str, group, lang: str):
    """(first row, problem) where the full-year levels of an indicator without a 2020 base
    are :data:`UNIT_FACTOR` or more apart (a count cumulated from 2021 as its average a year
    since 2020): they cannot all be in its unit, and which is wrong is not guessed; else
    None. Figures of part of a year are not compared: two months of a year's hires are a
    sixth of them."""
    full = [r for r in group if r.period == FULL_YEAR]
    if len(full) < 2:
        return None
    cumulated = ind.endswith("_cumulative")

    def pace(r: ActualRow) -> float:
        return r.value / max(r.year - 2020, 1) if cumulated else r.value

    low, high = min(full, key=pace), max(full, key=pace)
    if pace(high) / pace(low) < UNIT_FACTOR:
        return None
    group = full
    first = min(group, key=lambda r: r.line)
    unit = _unit_word(INDICATOR_BY_NAME[ind].unit, lang)
    listed = ", ".join(
        in_lang(
            lang,
            f"{r.value:.10g} ({r.year}, line {r.line})",
            f"{r.value:.10g}({r.year}年,第{r.line}行)",
        )
        for r in sorted(group, key=lambda r: r.line)
    )
    k = round(math.log10(pace(high) / pace(low)))
    text = in_lang(
        lang,
        f"{ind}: its figures {listed} are about 10^{k} apart: they cannot all be in {unit}, "
        "and without a 2020 figure to compare with, which is wrong is not known; check "
        "each one's unit",
        f"{ind}:各数值 {listed} 相差约 10^{k} 倍,不可能都以{unit}计;没有2020年数值可比,无法判断"
        "哪一个有误;请逐一核对其单位",
    )
    return first, first.at("value", lang) + text


def _share_as_level(r: ActualRow, base, levels, lang) -> str:
    """Where ``r``, a sector's value added, is its share of GDP written as a level: the
    text of the problem, else ''."""
    if not (r.indicator.startswith("va_") and r.indicator in SHARE_OF and r.value <= 100):
        return ""
    sector = r.indicator[len("va_") :]
    level = base.get(r.indicator)
    share = base.get(f"share_{sector}_pct")
    if level is None or share is None or r.value >= level / YEAR_FACTOR:
        return ""
    if abs(r.value - share) > SHARE_POINTS:
        return ""
    gdp = next((g.value for g in levels.get("gdp", []) if g.year == r.year), None)
    hint = ""
    if gdp is not None:
        hint = in_lang(
            lang,
            f" ({r.value:g} % of GDP {gdp:g} is {r.value / 100 * gdp:.1f} 亿元)",
            f"(地区生产总值 {gdp:g} 亿元的 {r.value:g} % 为 {r.value / 100 * gdp:.1f} 亿元)",
        )
    return in_lang(
        lang,
        f"{r.indicator} {r.year}: {r.value:g} looks like the sector's share of GDP in percent "
        f"(三次产业结构; 2020: {share:.1f} %), not its value added in 亿元 (2020: {level:.1f}); "
        f"write the share at basis share_pct, or the value added in 亿元{hint}",
        f"{r.indicator} {r.year}年 {r.value:g} 像是该产业占GDP比重(三次产业结构,2020年 "
        f"{share:.1f} %),而不是以亿元计的增加值(2020年 {level:.1f});比重请以口径 share_pct "
        f"填写,或填写以亿元计的增加值{hint}",
    )


def _jump_text(r: ActualRow, before, change: float, n: int, lang: str) -> str:
    year0, v0, r0 = before
    if lang == "zh":
        was = f"{year0}年{'基数 ' if r0 is None else f'(第{r0.line}行)'}{v0:g}"
        span = "一年" if n == 1 else f"{n}年"
        return (
            f"{r.where}: {r.indicator} {r.year}年 {r.value:g} 是{was} 的 {change:.2f} 倍,"
            f"{span}内变化超过每年 {YEAR_FACTOR:g} 倍;请核对其单位和年份"
        )
    was = f"{v0:g} ({year0}, {'the 2020 base' if r0 is None else f'line {r0.line}'})"
    span = "a year" if n == 1 else f"{n} years"
    return (
        f"{r.where}: {r.indicator} {r.year}: {r.value:g} after {was} is {change:.2f} times "
        f"in {span}, more than {YEAR_FACTOR:g}x a year; check its unit and year"
    )


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


def _check_rows(rows, path: str, header: list[str] | None = None, lang: str = "en", labels=None):
    """Rows of (line, dict of column -> text) checked: ActualRows and the problems, each
    ``file:line:column: column 'name': what, the allowed values`` (in ``lang``). A row of a
    figure the evaluation built (basis ``level (built)``, 总量(由增速推算) ...) is left aside."""
    out, problems, seen = [], [], {}
    allowed_periods = ", ".join(PERIODS)
    unknown_name = 0  # the line of the first unknown indicator
    cols = tuple(header or COLUMNS)
    zh = lang == "zh"

    labels = tuple(labels or cols)

    def at(line, column):
        number = _column_number(column, header)
        label = labels[number - 1] if number and len(labels) >= number else column
        return f"{path}:{line}:{number}: " + (f"列 {label!r}:" if zh else f"column {label!r}: ")

    def cell(row, column, words=None):
        text = (row.get(column) or "").strip()
        return words.get(_plain(text), text) if words else text

    for line, row in rows:
        if not any((v or "").strip() for v in row.values()):
            continue  # an empty line
        if _plain(row.get("basis") or "") in DERIVED_BASES:
            continue  # a figure the evaluation made, listed beside those read
        bad = False
        written = (row.get("indicator") or "").strip()
        name = CHINESE_NAMES.get(written, written)
        basis = cell(row, "basis", VALUES_ZH["basis"])
        if name not in INDICATOR_BY_NAME:
            known = [*PUBLISHED, *(INDICATOR_BY_NAME[n].meaning_zh for n in PUBLISHED)]
            if zh:
                listed = (
                    f"指标代码或中文名称(列表见第{unknown_name}行)"
                    if unknown_name
                    else f"以下指标之一的代码或中文名称:{valid_names()}"
                )
                text = f"未知指标 {name!r}{_suggest_zh(name, known)};请填写{listed}"
            else:
                listed = (
                    f"the code or the Chinese name of an indicator (the list: line {unknown_name})"
                    if unknown_name
                    else f"the code or the Chinese name of one of: {valid_names()}"
                )
                text = f"unknown indicator {name!r}{suggest(name, known)}; write {listed}"
            problems.append(at(line, "indicator") + text)
            unknown_name = unknown_name or line
            bad = True
        if basis not in BASES:
            hint = suggest(basis, BASES)
            problems.append(
                at(line, "basis")
                + in_lang(
                    lang,
                    f"unknown basis {basis!r}; one of {', '.join(BASES)}{hint}",
                    f"未知口径 {basis!r};可选 {', '.join(BASES)}(或 总量、可比价增速、现价增速、"
                    f"比重){_zh_hint(hint)}",
                )
            )
            bad = True
        year_text = (row.get("year") or "").strip().removesuffix("年")
        try:
            year = float(year_text)
            if year != int(year):
                raise ValueError
            year = int(year)
            if not 1949 <= year <= 2100:
                raise ValueError
        except (ValueError, OverflowError):  # "inf", "1e400": no whole number
            problems.append(
                at(line, "year")
                + in_lang(
                    lang,
                    f"expected a year such as 2023, got {year_text!r}",
                    f"应为年份,如 2023,而不是 {year_text!r}",
                )
            )
            bad = True
        period = cell(row, "period", VALUES_ZH["period"]) or FULL_YEAR
        if period not in PERIODS:
            hint = suggest(period, PERIODS)
            whole = period == "M1-M12"
            problems.append(
                at(line, "period")
                + in_lang(
                    lang,
                    f"unknown period {period!r}; one of {allowed_periods}{hint}"
                    + (" (M1-M12 is the full year: write year)" if whole else ""),
                    f"未知期间 {period!r};可选 {allowed_periods}"
                    f"(或 全年、一季度、上半年、前三季度、1-N月){_zh_hint(hint)}",
                )
            )
            bad = True
        vintage = cell(row, "vintage", VALUES_ZH["vintage"]) or DEFAULT_VINTAGE
        if vintage not in VINTAGES:
            hint = suggest(vintage, VINTAGES)
            problems.append(
                at(line, "vintage")
                + in_lang(
                    lang,
                    f"unknown vintage {vintage!r}; one of {', '.join(VINTAGES)} (earliest "
                    f"first){hint}",
                    f"未知版本 {vintage!r};可选 {', '.join(VINTAGES)}(由早到晚;或 初步核算、修订、"
                    f"最终核实、经济普查){_zh_hint(hint)}",
                )
            )
            bad = True
        text = (row.get("value") or "").strip().replace(",", "")
        try:
            value = float(text.rstrip("%"))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(
                at(line, "value")
                + in_lang(lang, f"expected a number, got {text!r}", f"应为数字,而不是 {text!r}")
            )
            bad = True
        if bad:
            continue
        if name in GROWTH_INDICATORS:
            if basis != "level":
                level, growth = GROWTH_INDICATORS[name]
                problems.append(
                    at(line, "basis")
                    + in_lang(
                        lang,
                        f"{name} is a growth rate: write it at basis level, or write "
                        f"{level} at basis {growth}",
                        f"{name} 本身是增速:口径请填 level,或以口径 {growth} 填写 {level}",
                    )
                )
                continue
            name, basis = GROWTH_INDICATORS[name]
        elif basis == "share_pct":
            if name not in SHARE_OF:
                allowed = ", ".join(sorted(SHARE_OF))
                problems.append(
                    at(line, "basis")
                    + in_lang(
                        lang,
                        f"share_pct is a sector's share of GDP: for {allowed}, not {name}",
                        f"share_pct(比重)是某产业占GDP的比重,只用于 {allowed},不用于 {name}",
                    )
                )
                continue
            name, basis = SHARE_OF[name], "level"
        elif basis in GROWTH_BASES and _is_rate(name):
            unit = INDICATOR_BY_NAME[name].unit
            problems.append(
                at(line, "basis")
                + in_lang(
                    lang,
                    f"{name} is a rate or share ({unit}): write it at basis level",
                    f"{name} 本身是比率或比重({unit}):口径请填 level",
                )
            )
            continue
        if basis == "level" and not name.endswith("growth_pct"):
            if value < 0 and name not in SIGNED:
                problems.append(
                    at(line, "value")
                    + in_lang(
                        lang,
                        f"{name} cannot be negative, got {value:g}",
                        f"{name} 不能为负数,而此处为 {value:g}",
                    )
                )
                continue
            if name.startswith("share_") and value > 100:
                problems.append(
                    at(line, "value")
                    + in_lang(
                        lang,
                        f"a share in percent, 0-100, got {value:g}",
                        f"比重以百分数填写,0-100,而此处为 {value:g}",
                    )
                )
                continue
        unit_problem = _unit_column(row.get("unit"), name, basis, lang)
        if unit_problem:
            problems.append(at(line, "unit") + unit_problem)
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
            cols,
            labels,
        )
        first = seen.get(rec.key + (vintage,))
        if first is not None:
            problems.append(
                at(line, "vintage")
                + in_lang(
                    lang,
                    f"{name} {year} {period} {basis} ({vintage}) appears twice (first on line "
                    f"{first}); give each vintage of a figure once",
                    f"{name} {year} {period} {basis}({vintage})出现两次(首次在第{first}行);"
                    "同一数据的每个版本只填一次",
                )
            )
            continue
        seen[rec.key + (vintage,)] = line
        out.append(rec)
    return out, problems


def _unit_column(text, name: str, basis: str, lang: str) -> str:
    """What is wrong with the unit a row writes in its optional column ``unit`` (empty: none
    written, or the indicator's own)."""
    written = _plain(text or "").lower()
    if not written:
        return ""
    unit = "%" if basis != "level" else INDICATOR_BY_NAME[name].unit
    from .catalog import UNIT_ZH

    allowed = UNIT_SPELLINGS.get(unit, (unit, UNIT_ZH.get(unit, unit)))
    if any(written.startswith(_plain(a).lower()) for a in allowed):
        return ""
    advice = _UNIT_ADVICE.get(unit, (unit, _unit_word(unit, lang)))
    return in_lang(
        lang,
        f"{name} at basis {basis} is in {advice[0]}, not {text.strip()!r}: convert the value "
        f"and write {unit}",
        f"{name}(口径 {basis})以{advice[1]}计,而不是 {text.strip()!r}:请换算数值并填写 {unit}",
    )


def _suggest_zh(name, choices) -> str:
    return _zh_hint(suggest(name, choices))


def _zh_hint(hint: str) -> str:
    """' (did you mean 'x'?)' in Chinese: '(是否应为 'x'?)'."""
    if not hint:
        return ""
    return "(是否应为 " + hint.removeprefix(" (did you mean ").removesuffix("?)") + "?)"


def read_actuals(
    path: str | os.PathLike,
    *,
    data_dir=None,
    today: int | None = None,
    lang: str = "en",
) -> Actuals:
    """Read an actuals file (module docstring; docs/evaluation.md).

    Parameters
    ----------
    path : path
        The file: English headers (``indicator, year, ...``) or Chinese ones (指标, 年份 ...,
        as the workbook's sheet 所用实际数据 has them), codes or Chinese values (全年, 总量,
        初步核算 ...).
    data_dir : path, optional
        The data folder whose 2020 base each level is checked against for its unit (default
        hubinsim's ``data/``).
    today : int, optional
        This calendar year: a full-year figure of it, or any figure of a later year, is
        refused with the other problems (:meth:`Actuals.check_years`).
    lang : "en" or "zh"
        The language of the problems and warnings.

    Raises
    ------
    ActualsError
        Listing every problem of the file, each with file, line and column, the allowed
        values and the closest names; nothing is read when one is found. A level in another
        unit than its indicator's (万元 for 亿元, persons for 万人, 0.033 for 3.3 %, a share for
        a value added) is one (:func:`unit_problems`).

    Warns where a level and a growth rate (or a share) of the same figure disagree beyond
    the rounding of the figures (:meth:`Actuals.disagreements`), and where a level more than
    doubles or halves in a year.
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
                in_lang(
                    lang,
                    f"{path}:{line}: not UTF-8 text; save it as 'CSV UTF-8' (Excel) or UTF-8 "
                    "(WPS, a text editor), not GBK",
                    f"{path}:{line}: 不是 UTF-8 文本;请另存为“CSV UTF-8”(Excel)或 UTF-8(WPS、"
                    "文本编辑器),不要用 GBK",
                )
            ],
            lang=lang,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ActualsError(
            [
                in_lang(
                    lang,
                    f"{path}:{line}: a NUL byte; an actuals file is CSV text",
                    f"{path}:{line}: 含有 NUL 字节;实际数据文件应为 CSV 文本",
                )
            ],
            lang=lang,
        )
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        written = [h.strip() for h in next(reader, [])]
        header = _header(written)
        rows = []
        for fields in reader:
            rows.append((reader.line_num, dict(zip(header, fields, strict=False))))
    except csv.Error as exc:
        bad = in_lang(lang, f"malformed CSV ({exc})", f"CSV 格式错误({exc})")
        raise ActualsError([f"{path}:{reader.line_num}: {bad}"], lang=lang) from None
    problems = _header_problems(path, written, header, lang)
    if problems:
        raise ActualsError(problems, lang=lang)
    checked, problems = _check_rows(rows, str(path), header, lang, written)
    unit, warned = unit_problems(checked, base_levels(data_dir), lang)
    problems += unit
    if today is not None:
        problems += year_problems(checked, this_year=today, lang=lang)
    if problems:
        problems.sort(key=_line_of)
        raise ActualsError(problems, lang=lang)
    if not checked:
        raise ActualsError(
            [
                in_lang(
                    lang,
                    f"{path}: no rows of figures under the header",
                    f"{path}: 表头下没有数据行",
                )
            ],
            lang=lang,
        )
    actuals = Actuals(checked, path, sha256=read.sha256, lang=lang)
    for message in [*actuals.disagreements(lang=lang), *warned]:
        warnings.warn(message, UserWarning, stacklevel=2)
    return actuals


def _line_of(problem: str) -> tuple[int, int]:
    """The line and column a problem names (``file:LINE:COLUMN: ...``), for listing the
    problems in file order."""
    parts = problem.split(":")
    for i, (a, b) in enumerate(zip(parts, parts[1:], strict=False)):
        if b.isdigit() and not a.isdigit():
            column = parts[i + 2] if i + 2 < len(parts) else ""
            return int(b), int(column) if column.isdigit() else 0
    return 0, 0


def _header(written: list[str]) -> list[str]:
    """The columns of a header, by their English names: Chinese ones (:data:`HEADERS_ZH`)
    translated; 指标名称 is the indicator only where the file has no code column."""
    has_code = any(h in ("indicator", "指标代码", "指标") for h in written)
    out = []
    for h in written:
        if h == "指标名称" and has_code:
            out.append("name")
        else:
            out.append(HEADERS_ZH.get(h, h))
    return out


def _header_problems(path, written, header, lang) -> list[str]:
    """What is wrong with a header: required columns missing, unknown ones, one twice."""
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(
            in_lang(
                lang,
                f"{path}:1: missing column(s) {', '.join(missing)}; the header is "
                f"{','.join(COLUMNS)} (period, vintage and source may be left out)",
                f"{path}:1: 缺少列 {', '.join(missing)};表头为 {','.join(COLUMNS)}(或 指标,年份,"
                "期间,数值,口径,版本,来源;期间、版本、来源可省略)",
            )
        )
    for i, (h, col) in enumerate(zip(written, header, strict=True)):
        if not h or col in INFORMATION_COLUMNS or col == "unit":
            continue
        if col not in COLUMNS:
            hint = suggest(h, [*COLUMNS, *HEADERS_ZH])
            problems.append(
                f"{path}:1:{i + 1}: "
                + in_lang(
                    lang,
                    f"unknown column {h!r}{hint}; the columns are {', '.join(COLUMNS)}",
                    f"未知列 {h!r}{_zh_hint(hint)};列为 {', '.join(COLUMNS)}(或 "
                    f"{', '.join(k for k in HEADERS_ZH if k != '指标名称')})",
                )
            )
        elif header.index(col) != i:
            problems.append(
                f"{path}:1:{i + 1}: "
                + in_lang(
                    lang,
                    f"column {h!r} is column {col!r} again (column {header.index(col) + 1})",
                    f"列 {h!r} 与第{header.index(col) + 1}列同为 {col!r}",
                )
            )
    return problems
