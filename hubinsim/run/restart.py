"""A run restarted from actual figures: ``simulate(scenario, actuals=..., anchor=...)``.

:func:`reproject` runs a scenario as planned (the *original projection*) and re-projects it
from the actual figures (:mod:`hubinsim.actuals`); :func:`with_actuals` returns that as
:class:`~hubinsim.results.Results` whose years up to the latest full actual year show the
actual figures and whose later years are the re-projection. The evaluation
(:mod:`hubinsim.analysis.evaluation`) and ``hubinsim run/compare --actuals`` use it;
docs/evaluation.md explains every choice.

Two ways to re-project (``anchor``):

- ``None`` or ``"restart"``: the model restarts in the latest year with full-year actual
  figures. Its start record is the original run's state in that year
  (:func:`hubinsim.start_record`) with every figure replaced by the actual one where the
  file gives it: a level; else a level built from the nearest earlier level (the 2020 base
  or an actual) and the growth rates given (real growth deflated with the original run's
  own deflator of that indicator); else the original run's figure (carried, and listed).
  The years before show the actual figures where given and the original run otherwise,
  each cell flagged.
- ``"fade=N"``: the 2020 start is kept and each projected series with an actual level is
  shifted to pass through its latest actual, the shift fading linearly to zero over N years
  (multiplicative for levels, in points for rates and shares). Every add-factor is listed.
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..actuals import (
    Actuals,
    Figure,
    in_lang,
    later_vintage_text,
    read_actuals,
    share_disagreement,
)
from ..catalog import INDICATOR_BY_NAME, LEVER_BY_NAME
from ..data import load_data, load_targets
from ..errors import ActualsError, ScenarioError, SimulationError, StartRecordError
from ..model import BASE_YEAR
from ..model.record import value_added, with_figures
from ..results import Results, percentile_rows
from ..scenario.resolve import resolve_parameters
from ..scenario.settings import Scenario
from .single import member_records, run_scenario, start_record

#: Flags of a cell of the evaluated path.
ACTUAL, ESTIMATE, MODEL = "actual", "estimate", "model"
#: Record figures that follow output: where the file gives GDP and not them, a restart keeps
#: the original run's ratio of each to GDP (income per head: with the run's residents).
FOLLOW_GDP = ("fai", "fiscal_revenue", "retail_sales", "disposable_income_per_capita")
#: The note of a figure kept at the original run's ratio to GDP.
FOLLOWS = "of the original run x the actual gdp"
#: The budget's revenue: other figures of it than the run's change the balance (the spending
#: is kept).
BUDGET_REVENUE = ("fiscal_revenue", "transfers_from_above", "land_revenue")
#: The note of the balance a restart derives from revenue other than the run's.
KEPT_SPENDING = "fiscal_balance with the original run's spending at the revenue given"
#: What the note adds where the debt limit set the start year's balance instead.
LIMIT_HELD = "; the debt limit held public investment back, and its borrowing set the balance"
#: The note of the debt of the start year the actual figures do not give: the one the
#: original run reports (model.calibrate, ref_debt_gap).
DEBT_REPORTED = (
    "the debt the original run reports for the year, less what the start year's balance adds "
    "to the run's (its mid-year state: {state:.4g})"
)
#: How a figure of the restart record was made where the file does not give it
#: (:func:`_record_from`), so that each member of an ensemble makes its own the same way
#: (:func:`_restart_members`): the original run's own; its ratio to an actual GDP; the
#: balance at the run's spending; the participation rate at the run's employment.
RUNS_OWN, FOLLOWS_GDP, AT_RUNS_SPENDING, AT_RUNS_EMPLOYMENT = (
    "run",
    "follows gdp",
    "at the run's spending",
    "at the run's employment",
)
#: The note of a record figure the actual figures neither give nor move: the original run's.
CARRIED = "carried from the original run"
#: The note of the participation rate a restart derives from an actual unemployment rate.
KEPT_EMPLOYMENT = (
    "unemployment_rate_pct with the original run's employment per working-age resident"
)
#: The flag of the 2020 cells: the base year's figures of the data files (the plan's where
#: it prints them), which every run starts from.
BASE = "base"

#: Deflator of a level indicator for real growth: its own (nominal / real of the original
#: run) where the model has a real series; the secondary deflator for industry; else GDP's.
_DEFLATOR = {
    "gdp": ("gdp", "gdp_real"),
    "va_primary": ("va_primary", "va_primary_real"),
    "va_secondary": ("va_secondary", "va_secondary_real"),
    "va_tertiary": ("va_tertiary", "va_tertiary_real"),
    "va_industry": ("va_secondary", "va_secondary_real"),
    "industrial_va_above_scale": ("va_secondary", "va_secondary_real"),
    "industrial_output_above_scale": ("va_secondary", "va_secondary_real"),
}

#: Growth-rate indicators and the (level indicator, basis) of the actual figures they read.
_GROWTH_OF = {
    "gdp_real_growth_pct": ("gdp", "real_growth_pct"),
    "industrial_va_above_scale_growth_pct": ("industrial_va_above_scale", "real_growth_pct"),
}

#: Cumulated counts of the model and the yearly figure they add up. The model counts them
#: from the plan's first year (2021: the 2020 figure is 0), and so are they built from the
#: yearly actuals (annual new urban jobs 7,350 / 6,900 / 7,120 give 21,370 by 2023).
CUMULATED = {"new_urban_jobs_cumulative": "new_urban_jobs"}

#: Record figures made from actual levels (besides those of the same name).
_RECORD_DIRECT = (
    "gdp",
    "va_tertiary",
    "fai",
    "fiscal_revenue",
    "retail_sales",
    "population",
    "unemployment_rate_pct",
    "enterprises_above_scale",
    "industrial_va_above_scale",
    "industrial_output_above_scale",
    "rd_intensity_pct",
    "disposable_income_per_capita",
    "visitor_spending",
    "park_gross_output",
    "transfers_from_above",
    "land_revenue",
    "fiscal_balance",
    "share_primary_pct",
)


def parse_anchor(anchor: str | None, lang: str = "en") -> tuple[str, int | None]:
    """("restart", None) or ("fade", N) from None, "restart" or "fade=N"; else
    ScenarioError, in ``lang``."""
    text = "restart" if anchor is None else str(anchor).strip()
    if text == "restart":
        return "restart", None
    m = re.fullmatch(r"fade=(\d+)", text)
    if m and int(m.group(1)) >= 1:
        return "fade", int(m.group(1))
    said = in_lang(
        lang,
        f"anchor: {anchor!r} is not restart or fade=N (N a whole number of years >= 1)",
        f"anchor(--anchor):{anchor!r} 不是 restart 或 fade=N(N 为不小于 1 的整数年数)",
    )
    raise ScenarioError([said], lang=lang)


@dataclass
class Reprojection:
    """A scenario re-projected from actual figures (:func:`reproject`).

    Attributes
    ----------
    anchor : str
        ``"restart"`` or ``"fade=N"``.
    start_year : int or None
        The restart year (the latest full year of actual figures); None for add-factors.
    latest_year : int
        The latest year of any figure used (estimates from periods to date included).
    full_year : int or None
        The latest year with a full-year figure.
    actuals : Actuals
        The figures read (the vintage chosen by :attr:`vintage`).
    figures : dict
        (indicator, year, basis) -> :class:`~hubinsim.actuals.Figure` used.
    levels, history : dict
        (indicator, year) -> (value, status, note, Figure): the levels (actual or built) and,
        in ``history``, the growth-rate indicators besides.
    path, flags : DataFrame
        The evaluated path (years x indicators) and the flag of each cell (``actual``,
        ``estimate``, ``model``, ``base``); with draws the projected years, and the model's
        figures of the years before (``model``), are the members' median.
    reprojection : DataFrame
        The re-projection alone (from the start year for a restart, every year for
        add-factors).
    members : dict or None
        With draws: name -> (years, members) of the re-projection (from the start year for a
        restart); else None.
    band : DataFrame or None
        With draws, the re-projection's 5th, 50th and 95th percentiles.
    anchor_table : DataFrame
        The restart record (figure, value, status, note) or the add-factors.
    original : Results
        The single run of the scenario as planned.
    ensemble : Results or None
        The original projection over the draws.
    carried : dict
        A restart's record figures that a lever sets, carried from an earlier year's actual
        figure (:func:`_carried_levers`): indicator -> the year of that actual.
    """

    anchor: str
    start_year: int | None
    latest_year: int
    full_year: int | None
    vintage: str | None
    actuals: Actuals
    figures: dict
    levels: dict
    history: dict
    path: pd.DataFrame
    flags: pd.DataFrame
    reprojection: pd.DataFrame
    members: dict | None
    band: pd.DataFrame | None
    anchor_table: pd.DataFrame
    original: Results
    ensemble: Results | None = None
    carried: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``"restart"`` or ``"fade"``."""
        return parse_anchor(self.anchor)[0]

    @property
    def needed_from(self) -> int:
        """The year from which the growth still needed is measured: the latest full year of
        actual figures (the restart year), else the latest year of any figure."""
        return self.full_year if self.full_year is not None else self.latest_year

    def anchor_text(self, lang: str = "en") -> str:
        """How the run was re-projected, in a few words (:func:`anchor_text`)."""
        return anchor_text(self.anchor, self.start_year, lang)

    def record(self) -> dict:
        """What the re-projection was made from, for run.json."""
        acts = self.actuals
        return {
            "file": str(acts.path) if acts.path else None,
            "sha256": acts.sha256,  # of the bytes read, not of the file now
            "anchor": self.anchor,
            "start_year": self.start_year,
            "latest_year": self.latest_year,
            "needed_from": self.needed_from,
            "vintage": self.vintage or "latest",
        }


def anchor_text(anchor: str, start_year: int | None, lang: str = "en") -> str:
    """How a re-projection was made, in a few words of ``lang``: "restarted in 2023",
    "自2023年重新起步", "add-factors fading over 3 years"."""
    n = str(anchor).removeprefix("fade=")
    if lang == "zh":
        if start_year is not None:
            return f"自{start_year}年重新起步"
        return f"加因子({n}年内递减为零)"
    if start_year is not None:
        return f"restarted in {start_year}"
    return f"add-factors fading over {n} years"


def this_year() -> int:
    """Today's calendar year: figures of later years, and full years of this one, cannot
    have been published."""
    return datetime.date.today().year


def as_actuals(actuals) -> Actuals:
    """``actuals`` as :class:`Actuals`: read from a path, or given."""
    if isinstance(actuals, Actuals):
        return actuals
    if isinstance(actuals, str) or hasattr(actuals, "__fspath__"):
        return read_actuals(actuals)
    raise ActualsError(
        [
            "actuals: must be the path of an actuals file or hubinsim.read_actuals(path), got "
            f"{type(actuals).__name__}"
        ]
    )


def _single(scn: Scenario, data, start=None) -> Results:
    """One run of ``scn`` (from ``start``, a start record, if given) as Results."""
    values, metadata = run_scenario(scn, None, 1, data, start=start)
    years = np.arange(metadata["base_year"], scn.time.end + 1)
    return Results(years, values, metadata, load_targets(data))


def reproject(
    scn: Scenario,
    actuals,
    anchor: str | None = None,
    *,
    vintage: str | None = None,
    ensemble: Results | None = None,
    data_dir=None,
) -> Reprojection:
    """Re-project ``scn`` (a checked Scenario) from ``actuals`` (module docstring).

    ``ensemble``, the scenario's original projection over parameter draws, restarts (or
    shifts) every member too: the re-projection's band and members.
    """
    kind, fade_years = parse_anchor(anchor)
    data = load_data(data_dir)
    acts = as_actuals(actuals)
    acts.check_years(BASE_YEAR, scn.time.end, this_year=this_year(), lang=acts.lang)
    figures = acts.figures(vintage)
    later = acts.select(vintage).later_vintage
    if later:
        warnings.warn(
            later_vintage_text(acts, vintage, later, acts.lang), UserWarning, stacklevel=3
        )
    if not figures:
        said = in_lang(
            acts.lang,
            "no full-year figure and no growth of a period to date",
            "没有全年数据,也没有年内累计增速",
        )
        raise ActualsError([f"{acts.path}: {said}"], lang=acts.lang)
    latest = max(y for (_i, y, _b) in figures)
    full_years = [y for (_i, y, _b), f in figures.items() if f.status == ACTUAL]
    full_year = max(full_years) if full_years else None
    original = _single(scn, data)
    orig_annual = original.annual
    for message in _real_growth_disagreements(figures, orig_annual, acts.lang):
        warnings.warn(message, UserWarning, stacklevel=3)
    levels = _level_history(figures, orig_annual, scn.time.end)
    history = {**levels, **_growth_history(figures)}
    if kind == "restart":
        if full_year is None:
            said = in_lang(
                acts.lang,
                "no full-year figure to restart from (only periods to date); use --anchor "
                "fade=N, or give a full year",
                "没有可供重新起步的全年数据(只有年内累计数据);请改用 --anchor fade=N,"
                "或提供全年数据",
            )
            raise ActualsError([f"{acts.path}: {said}"], lang=acts.lang)
        start = full_year
        if start >= scn.time.end:
            said = in_lang(
                acts.lang,
                f"the latest full year {start} is the run's last",
                f"最新全年数据的年份 {start}年已是运行的最后一年",
            )
            raise ActualsError([f"{acts.path}: {said}"], lang=acts.lang)
        rec = start_record(start, scn, data_dir=data)
        va_ratio = float(resolve_parameters(scn, None, 1, data)["industry.cohort_va_ratio"][0])
        new_rec, anchor_table, carried, rules = _record_from(
            rec, levels, start, orig_annual.loc[start], acts.lang, cohort_va_ratio=va_ratio
        )
        try:
            rerun = _single(scn, data, start=new_rec)
            above = levels.get(("industrial_va_above_scale", start))
            values, band = _restart_members(
                scn, new_rec, start, ensemble, data, history,
                above=None if above is None else above[0], rules=rules,
            )  # fmt: skip
        except StartRecordError as exc:
            said = _refused_figures(acts, levels, start, exc, orig_annual)
            raise ActualsError([said], lang=acts.lang) from None
        except SimulationError as exc:  # the model failed from these figures: say which
            said = _failed_restart(acts, levels, start, orig_annual, exc)
            raise ActualsError([said], lang=acts.lang) from None
        _balance_shown(anchor_table, rerun.annual.loc[start, "fiscal_balance"])
        debt = anchor_table["note"].astype(str).str.startswith(DEBT_REPORTED.split(",")[0])
        anchor_table.loc[debt, "value"] = float(rerun.annual.loc[start, "government_debt"])
        path, flags = _splice(orig_annual, rerun.annual, history, start)
        if values is not None:  # with draws the re-projection is the members' median
            _put_median(path, values, np.arange(start, scn.time.end + 1), after=start)
    else:
        start, carried = None, {}
        path, flags, anchor_table, values, band, re_annual = _fade(
            orig_annual, ensemble, history, fade_years
        )
    gdp_years = [y for (i, y) in history if i == "gdp"]
    _add_up_sectors(
        path,
        flags,
        history,
        before=start if start is not None else max(gdp_years, default=BASE_YEAR),
        lang=acts.lang,
    )
    if kind == "restart":
        _flag_start_residual(path, flags, history, start, acts.lang)
        if values is not None:  # the model's figures of the actual years: the same members
            _put_model_median(path, flags, values, ensemble, start)
        re_annual = path.loc[start:].copy()
    return Reprojection(
        anchor="restart" if kind == "restart" else f"fade={fade_years}",
        start_year=start,
        latest_year=latest,
        full_year=full_year,
        vintage=vintage,
        actuals=acts,
        figures=figures,
        levels=levels,
        history=history,
        path=path,
        flags=flags,
        reprojection=re_annual,
        members=values,
        band=band,
        anchor_table=anchor_table,
        carried=carried,
        original=original,
        ensemble=ensemble,
    )


def with_actuals(
    scn: Scenario,
    actuals,
    anchor: str | None = None,
    *,
    vintage: str | None = None,
    ensemble: Results | None = None,
    data_dir=None,
) -> Results:
    """:func:`reproject` as :class:`~hubinsim.results.Results`: the years up to the
    restart year (the latest full actual year) hold the actual figures where given and the
    original run otherwise, the later years the re-projection (add-factors: the shifted
    path of every year). With ``ensemble`` every member is restarted; an actual figure is
    the same in every member. ``Results.reprojection`` holds the :class:`Reprojection`,
    ``metadata["actuals"]`` what it was made from; the scorecard measures the growth still
    needed from :attr:`Reprojection.needed_from`."""
    rep = reproject(scn, actuals, anchor, vintage=vintage, ensemble=ensemble, data_dir=data_dir)
    base = ensemble if ensemble is not None else rep.original
    years = np.asarray(base.years)
    values = {}
    for name, v in base.values.items():
        if name not in rep.path.columns:
            values[name] = v
            continue
        if rep.members is None or name not in rep.members:
            values[name] = np.broadcast_to(
                rep.path[name].to_numpy(dtype=float)[:, None], v.shape
            ).copy()
            continue
        out = np.array(v, dtype=float)
        got = np.asarray(rep.members[name], dtype=float)
        out[years.size - got.shape[0] :] = got
        for year in years:
            if rep.flags.loc[year, name] in (ACTUAL, ESTIMATE):  # a figure, in every member
                out[list(years).index(year)] = rep.path.loc[year, name]
        values[name] = out
    metadata = {**base.metadata, "actuals": rep.record()}
    return Results(years, values, metadata, base.targets_spec, reprojection=rep)


# --------------------------------------------------------------------------- figures


def _level_history(figures: dict, original: pd.DataFrame, end: int):
    """(indicator, year) -> (value, status, note, Figure) for the levels: actual levels, and
    levels built from growth rates (``estimate``) where a year has a growth rate and the
    year before a level; the 2020 figure of the original run is the first level."""
    out: dict[tuple[str, int], tuple[float, str, str, Figure | None]] = {}
    names = sorted({k[0] for k in figures})
    for ind in names:
        if ind not in original.columns or ind.endswith("_pct"):
            for (i, y, basis), fig in figures.items():
                if i != ind or basis != "level":
                    continue
                out[(ind, y)] = (fig.value, fig.status, fig.note, fig)
                found = share_disagreement(figures, ind, y)
                if found is not None:  # as read_actuals warned: the levels are used
                    implied, va, _gdp = found
                    note = f"{va.indicator} / gdp (the share given, {fig.value:g} %, disagrees)"
                    out[(ind, y)] = (implied, ACTUAL, note, va)
            continue
        years = sorted({y for (i, y, _b) in figures if i == ind})
        for year in range(BASE_YEAR, min(max(years), end) + 1):
            level = figures.get((ind, year, "level"))
            if level is not None:
                out[(ind, year)] = (level.value, ACTUAL, level.note, level)
                continue
            before = out.get((ind, year - 1))
            if before is None and year - 1 == BASE_YEAR:
                before = (float(original.loc[BASE_YEAR, ind]), MODEL, "2020 base", None)
            nominal = figures.get((ind, year, "nominal_growth_pct"))
            real = figures.get((ind, year, "real_growth_pct"))
            if before is None or (nominal is None and real is None):
                continue
            if nominal is not None:
                value = before[0] * (1.0 + nominal.value / 100.0)
                how, fig = f"nominal growth {nominal.value:g} %", nominal
            else:
                nom, deflator = _deflator(original, ind, year)
                value = before[0] * (1.0 + real.value / 100.0) * deflator
                how = (
                    f"real growth {real.value:g} % x the model's {nom} deflator "
                    f"({(deflator - 1) * 100:+.2f} %)"
                )
                entrants = _entrants(original, ind, year, deflator)
                if entrants:
                    value += entrants
                    how += f" + the original run's new firms ({entrants:.3g})"
                fig = real
            if fig.status == ESTIMATE:
                how += f", {fig.note}"
            out[(ind, year)] = (value, ESTIMATE, f"{before[0]:.4g} ({year - 1}) x {how}", fig)
    for sector in ("primary", "secondary", "tertiary"):
        # a share from the sector's level and GDP, or (as bulletins give the structure,
        # 三次产业结构) the sector's level from its share and GDP
        share, va = f"share_{sector}_pct", f"va_{sector}"
        for (ind, year), (value, status, _note, fig) in list(out.items()):
            gdp = out.get(("gdp", year))
            if gdp is None:
                continue
            worst = ESTIMATE if ESTIMATE in (status, gdp[1]) else ACTUAL
            if ind == va and (share, year) not in out:
                out[(share, year)] = (value / gdp[0] * 100.0, worst, f"{va} / gdp", fig)
            elif ind == share and (va, year) not in out and va in original.columns:
                out[(va, year)] = (value / 100.0 * gdp[0], worst, f"{share} x gdp", fig)
    _cumulate(out)
    return out


def _entrants(original: pd.DataFrame, ind: str, year: int, deflator: float) -> float:
    """The value added of the firms new in ``year`` in the original run (nominal), where
    ``ind`` is the above-scale industry's: its published growth is on the same firms as the
    year before (NBS 同口径), its level counts the new ones too, so a level built from the
    growth adds them (else a scenario that attracts firms restarted from its own growth
    figures would start below its own level). 0.0 where the run has none (its level and
    same-firm growth agree)."""
    if ind != "industrial_va_above_scale":
        return 0.0
    row = original.loc[year]
    same = row["industrial_va_above_scale_growth_pct"]
    if not np.isfinite(same) or same == row["industrial_va_above_scale_level_growth_pct"]:
        return 0.0
    before = original.loc[year - 1, ind]
    return float(row[ind] - before * (1.0 + same / 100.0) * deflator)


def _deflator(original: pd.DataFrame, ind: str, year: int) -> tuple[str, float]:
    """The original run's deflator of ``ind`` over ``year`` (:data:`_DEFLATOR`): the series
    it is of, and the price change as a factor (1.019 for +1.9 %)."""
    nom, real = _DEFLATOR.get(ind, ("gdp", "gdp_real"))
    now = original.loc[year, nom] / original.loc[year, real]
    return nom, float(now / (original.loc[year - 1, nom] / original.loc[year - 1, real]))


#: Points by which the real growth that two actual levels give (deflated with the model's
#: deflator) may differ from the real growth the file gives for the same year before a
#: warning: a deflator wrong by that much is rare; a level in the wrong unit or year is far
#: beyond it (1,234.5 after 318.6 against a growth of 3.5 %).
REAL_GROWTH_TOLERANCE_PP = 3.0


def _real_growth_disagreements(
    figures: dict, original: pd.DataFrame, lang: str = "en"
) -> list[str]:
    """Where two actual full-year levels of an indicator contradict the real growth the file
    gives for the later year by more than :data:`REAL_GROWTH_TOLERANCE_PP` (the levels
    deflated with the original run's deflator); the levels are used for levels. In
    ``lang``."""
    out = []
    for (ind, year, basis), fig in figures.items():
        if basis != "real_growth_pct" or fig.status != ACTUAL or ind not in original.columns:
            continue
        now, before = figures.get((ind, year, "level")), figures.get((ind, year - 1, "level"))
        if now is None or before is None or before.value <= 0 or year - 1 < BASE_YEAR:
            continue
        nom, deflator = _deflator(original, ind, year)
        implied = (now.value / before.value / deflator - 1.0) * 100.0
        if abs(implied - fig.value) > REAL_GROWTH_TOLERANCE_PP:
            price, tol = f"{(deflator - 1) * 100:+.2f} %", f"{REAL_GROWTH_TOLERANCE_PP:g}"
            said = in_lang(
                lang,
                f"{ind} {year}: real growth {fig.value:g} % but the levels {before.value:g} "
                f"({year - 1}, line {before.row.line}) and {now.value:g} ({year}, line "
                f"{now.row.line}) give {implied:.1f} % with the model's {nom} deflator "
                f"({price}), more than {tol} points apart; the levels are used for levels: "
                "check the level's year and unit",
                f"{ind} {year}年:可比价增速 {fig.value:g} %,但总量 {before.value:g}"
                f"({year - 1}年,第{before.row.line}行)和 {now.value:g}({year}年,第"
                f"{now.row.line}行)按模型的 {nom} 平减指数({price})得出 {implied:.1f} %,"
                f"相差超过 {tol} 个百分点;总量按所给数值使用:请核对总量的年份和单位",
            )
            out.append(f"{fig.row.where}: {said}")
    return out


def _cumulate(out: dict) -> None:
    """Cumulated counts (:data:`CUMULATED`) from their yearly figures, added up from the
    plan's first year for as long as the years follow each other without a gap; a count the
    file gives itself is kept."""
    for total_name, yearly in CUMULATED.items():
        total, worst, year = 0.0, ACTUAL, BASE_YEAR + 1
        while (yearly, year) in out and (total_name, year) not in out:
            value, status, _note, fig = out[(yearly, year)]
            total += value
            worst = ESTIMATE if ESTIMATE in (worst, status) else ACTUAL
            note = f"{yearly} added up {BASE_YEAR + 1}-{year}"
            out[(total_name, year)] = (total, worst, note, fig)
            year += 1


def _growth_history(figures: dict) -> dict[tuple[str, int], tuple[float, str, str, Figure]]:
    """(growth indicator, year) -> (value, status, note, Figure) for the growth-rate
    indicators of the catalogue (gdp_real_growth_pct ...)."""
    out = {}
    for ind, (level, basis) in _GROWTH_OF.items():
        for (i, y, b), fig in figures.items():
            if i == level and b == basis:
                out[(ind, y)] = (fig.value, fig.status, fig.note, fig)
    return out


def _carried_levers(rec: dict, levels: dict, year: int, given: dict, lang: str = "en") -> dict:
    """Record figures that a lever sets (R&D intensity: the model does not project it) with
    an actual figure before the restart year and none in it: the latest actual is carried to
    the restart year, with a warning. The original run's figure (the scenario's 1.2 % when
    the district measured 1.6 % in 2022) would undo a measured figure silently; the years
    after follow the scenario's lever where it gives a path, and keep the figure where the
    lever stays at its start figure. The warning is in ``lang``, the file's language.
    name -> (value, status, note, the year of the actual carried)."""
    out = {}
    for name in sorted(set(_RECORD_DIRECT) & set(LEVER_BY_NAME)):
        earlier = [y for (i, y) in levels if i == name and y < year]
        if name in given or name not in rec or not earlier:
            continue
        last = max(earlier)
        value, _status, _note, _fig = levels[(name, last)]
        out[name] = (
            value,
            ESTIMATE,  # measured in an earlier year
            f"the latest actual ({last}) carried to {year}: a figure the lever {name} sets, "
            "not the model",
            last,
        )
        warnings.warn(
            f"{name}: 重新起步年份 {year}年没有实际数据;沿用其最近的实际数据 {value:g}"
            f"({last}年)至 {year}年,代替原始运行的 {rec[name]:g}(该数据由情景的政策杠杆设定;"
            "重新起步记录中列出)"
            if lang == "zh"
            else f"{name}: no actual figure of {year}, the restart year; its latest, {value:g} "
            f"({last}), is carried to {year} in place of the original run's {rec[name]:g} "
            "(a figure the scenario's lever sets; the restart record lists it)",
            UserWarning,
            stacklevel=4,
        )
    return out


def _refused_figures(
    acts: Actuals, levels: dict, year: int, exc: StartRecordError, original: pd.DataFrame
) -> str:
    """The message of a restart whose figures cannot start the model: where each figure at
    fault came from (its line of the file, how it was built, or the original run) and why;
    led by a figure of the year far from the original run (:func:`_culprit`) where that is
    another one: the right figure is not blamed for it. In the language the file was read
    in, the model's reason too (formed from the fields of ``exc``: not the scenario and data
    folder its message lists)."""
    zh = acts.lang == "zh"
    when = f"{year}年" if zh else f"{year}"
    where = []
    for name in exc.figures:
        shown = "va_primary" if name == "share_primary_pct" else name
        got = levels.get((shown, year))
        if got is None:
            where.append(
                f"{name} {when}" + ("(沿用原始运行)" if zh else " (carried from the original run)")
            )
        elif got[1] == ACTUAL and got[3] is not None:
            where.append(f"{shown} {when}{_from(got, acts.lang)}")
        else:
            where.append(f"{shown} {when}({got[2]})" if zh else f"{shown} {when} ({got[2]})")
    why = exc.text(acts.lang)
    culprit = _culprit(levels, year, original, acts.lang)
    named = ", ".join(where)
    if culprit and culprit[0] not in exc.figures:
        if zh:
            return f"{acts.path}: 可能的原因是 {culprit[1]};因此 {named}:{why}"
        return f"{acts.path}: the likely cause is {culprit[1]}; with it, {named}: {why}"
    return f"{acts.path}: {named}:{why}" if zh else f"{acts.path}: {named}: {why}"


#: Factor between an actual figure of the restart year and the original run's figure of that
#: year beyond which a failed restart names the figure as the likely cause: a level more than
#: doubling or halving against the run (as read_actuals warns of in a year).
CULPRIT_FACTOR = 2.0


def _used(levels: dict, year: int) -> list[tuple[str, tuple]]:
    """The actual and estimated figures of ``year`` a restart takes into its record."""
    return [
        (ind, got)
        for (ind, y), got in sorted(levels.items())
        if y == year and got[1] in (ACTUAL, ESTIMATE)
    ]


def _line(got: tuple, lang: str) -> str:
    """Where a figure of the restart came from: its line, or how it was built."""
    if got[3] is None:
        return got[2]
    return f"第{got[3].row.line}行" if lang == "zh" else f"line {got[3].row.line}"


def _from(got: tuple, lang: str) -> str:
    """:func:`_line` in brackets after a figure: "(第3行)", " (line 3)"."""
    return f"({_line(got, lang)})" if lang == "zh" else f" ({_line(got, lang)})"


def _culprit(levels: dict, year: int, original: pd.DataFrame, lang: str = "en"):
    """The figure of ``year`` furthest from the original run's figure of it, where more than
    :data:`CULPRIT_FACTOR` away: (indicator, text), else None."""
    worst, found = np.log(CULPRIT_FACTOR), None
    for ind, got in _used(levels, year):
        if ind not in original.columns or year not in original.index:
            continue
        model = float(original.loc[year, ind])
        if not (got[0] > 0 and model > 0):
            continue
        off = abs(np.log(got[0] / model))
        if off > worst:
            worst = off
            unit = INDICATOR_BY_NAME[ind].unit if ind in INDICATOR_BY_NAME else ""
            ratio, where = got[0] / model, _line(got, lang)
            text = (
                f"{ind} {year}年 = {got[0]:.6g}({where}),为原始运行 {model:.4g} {unit} 的 "
                f"{ratio:.3g} 倍;请核对其单位(亿元、万人、% 写 3.3)和年份"
                if lang == "zh"
                else f"{ind} {year} = {got[0]:.6g} ({where}), {ratio:.3g} times the original "
                f"run's {model:.4g} {unit}; check its unit (亿元, 万人, % as 3.3) and year"
            )
            found = (ind, text)
    return found


def _model_said(exc: SimulationError, lang: str = "en") -> str:
    """The model's own words of a failure, in ``lang``, formed from its fields
    (:attr:`SimulationError.failure`): what failed and where (its year or time, its
    member), and what that member drew; not the scenario and data folder its message lists.
    A failure the model gave no fields of is said as its message says it."""
    failure = exc.failure
    if failure is None:
        return exc.problems[0] if exc.problems else str(exc)
    said = [failure.text(lang, advice=False), failure.drew_text(lang)]
    return (";" if lang == "zh" else "; ").join(part for part in said if part)


def _failed_restart(
    acts: Actuals, levels: dict, year: int, original: pd.DataFrame, exc: SimulationError
) -> str:
    """The message of a restart the model fails from: the actual figures of ``year`` it used,
    the model's own message (the year or time and the member it names), and the likely
    cause only where a figure is far from the original run (:func:`_culprit`); in the
    language the file was read in, the model's part too."""
    zh = acts.lang == "zh"
    used = ", ".join(
        f"{ind} {got[0]:.6g}{_from(got, acts.lang)}" for ind, got in _used(levels, year)
    )
    said = _model_said(exc, acts.lang)
    culprit = _culprit(levels, year, original, acts.lang)
    if zh:
        cause = (
            f";可能的原因:{culprit[1]}"
            if culprit
            else f";没有哪项数据与原始运行相差 {CULPRIT_FACTOR:g} 倍以上,请核对其单位和年份"
        )
        return (
            f"{acts.path}: {year}年重新起步使用了实际数据 {used},模型从这些数据起步后失败"
            f"(模型信息:{said}){cause}"
        )
    cause = (
        f"; the likely cause: {culprit[1]}"
        if culprit
        else f"; no figure is more than {CULPRIT_FACTOR:g} times off the original run's: "
        "check their units and years"
    )
    return (
        f"{acts.path}: the restart in {year} used the actual figures {used}, and the model "
        f"fails from them (the model says: {said}){cause}"
    )


#: The stocks of the attracted firms (model.record.STOCKS), scaled together where an actual
#: above-scale figure does not show them all (:func:`_cohort_factor`).
COHORT_STOCKS = ("capital_cohort", "cohort_pipeline", "enterprises_attracted")

#: The note of the figures and stocks so scaled.
COHORT_SCALED = (
    "the original run's attracted firms x {f:.3f}: the above-scale value added given "
    "({given:.4g}) leaves them {own:.4g} of the run's {run:.4g}, with the incumbents at the "
    "run's figure scaled with the industrial value added"
)


#: The share of the run's above-scale value added by which an actual figure may fall short
#: of what the run's firms make before attracted firms are scaled out: a published figure's
#: rounding, and the year's figure against the record's mid-year one.
COHORT_TOLERANCE = 0.005


def _cohort_share(run, own, industry, above):
    """The share of the attracted firms (float, or array over members) that an actual
    above-scale value added ``above`` leaves where the run had ``run`` of it, ``own`` of
    which its attracted firms' (the year's figures), and its industrial value added moves
    by the factor ``industry``: the incumbents at the run's figure times ``industry``, the
    attracted firms what is left beyond them and :data:`COHORT_TOLERANCE`, at most all."""
    short = (run - own) * industry + own - above - COHORT_TOLERANCE * run
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(own > 0.0, 1.0 - np.maximum(short, 0.0) / own, 1.0)
    f = np.clip(f, 0.0, 1.0)
    return float(f) if f.ndim == 0 else f


def _cohort_factor(rec: dict, given: dict, row: pd.Series, va_ratio: float | None):
    """(f, note): the share of the original run's attracted firms an actual above-scale
    value added below the run's leaves, or None where it leaves them all (or there are none).

    A scenario that attracts firms (``firms_attracted``) carries them in the run's record:
    their capital, the investment they have committed and their count. An actual above-scale
    value added below the run's says that fewer came than the scenario assumed, or that the
    incumbents did worse. The incumbents are taken at the run's figure, scaled with the
    industrial value added the figures give (their share of industry is the run's; that
    value added lacks the missing firms' too, so f is if anything high); what the actual
    figure leaves beyond them is what the attracted firms produce, at most the run's (more is
    the incumbents'). Kept whole, firms the actual figure does not show would go on growing
    from it: the stimulus restarted on figures that grew like business as usual's jumped
    from 4.6 % to 18.7 % above-scale growth in its first year.
    """
    above = given.get("industrial_va_above_scale")
    if above is None or va_ratio is None or not rec.get("capital_cohort", 0.0) > 0.0:
        return None
    run, own = float(row["industrial_va_above_scale"]), float(row["industrial_va_attracted"])
    f = _cohort_share(run, own, _industry_factor(rec, given), above[0])
    if f >= 1.0:
        return None
    note = COHORT_SCALED.format(f=f, given=above[0], own=f * own, run=own)
    return f, note


def _industry_factor(rec: dict, figures: dict):
    """The factor by which ``figures`` (name -> value, or (value, status, note)) move the
    industrial value added of the record ``rec`` (floats, or arrays over members)."""
    values = {k: v[0] if isinstance(v, tuple) else v for k, v in figures.items() if k in rec}
    return value_added({**rec, **values})["industry"] / value_added(rec)["industry"]


def _cohort_figures(rec: dict, row: pd.Series, f: float, va_ratio: float) -> dict:
    """The figures of the run's record that count the attracted firms, with only a share
    ``f`` of them: the count, and the gross outputs less the attracted firms' left out
    (their value added at the record's point over industry.cohort_va_ratio)."""
    share = float(row["industrial_va_attracted"] / row["industrial_va_above_scale"])
    gross_out = (1.0 - f) * rec["industrial_va_above_scale"] * share / va_ratio
    gross = rec["industrial_output_above_scale"]
    return {
        "enterprises_above_scale": (
            rec["enterprises_above_scale"] - (1.0 - f) * rec.get("enterprises_attracted", 0.0)
        ),
        "industrial_output_above_scale": gross - gross_out,
        "park_gross_output": rec.get("park_gross_output", gross) - gross_out,
    }


def _record_from(
    rec: dict,
    levels: dict,
    year: int,
    original_row: pd.Series,
    lang: str = "en",
    cohort_va_ratio: float | None = None,
):
    """The restart record: the original run's ``rec`` with the figures of ``year`` the
    actual levels give; a table of every record figure and where it came from; and the
    figures a lever sets carried from an earlier actual (name -> its year).

    ``cohort_va_ratio`` (industry.cohort_va_ratio of the scenario) lets an actual
    above-scale value added below the run's scale the attracted firms (:func:`_cohort_factor`);
    None keeps them."""
    from ..model.record import FIGURES, OPTIONAL_FIGURES

    new = dict(rec)
    rules: dict[str, str] = {}  # figure -> how it was made where not from the file
    rows = []
    given = {}

    def level(name):
        return levels.get((name, year))

    for name in _RECORD_DIRECT:
        got = level(name)
        if got is not None:
            given[name] = (got[0], got[1], got[2])
    carried = _carried_levers(rec, levels, year, given, lang)
    given.update({name: got[:3] for name, got in carried.items()})
    gdp = given.get("gdp")
    if "share_primary_pct" not in given and level("va_primary") and gdp:
        v = level("va_primary")
        given["share_primary_pct"] = (v[0] / gdp[0] * 100.0, v[1], "va_primary / gdp")
    sec, ter = level("va_secondary"), given.get("va_tertiary")
    if "share_primary_pct" not in given and sec and ter and gdp:
        # the primary sector is what GDP leaves of the secondary and tertiary given (the
        # record holds GDP, the tertiary value added and the primary share)
        rest = gdp[0] - sec[0] - ter[0]
        given["share_primary_pct"] = (
            rest / gdp[0] * 100.0,
            ESTIMATE,
            "(gdp - va_secondary - va_tertiary) / gdp",
        )
    if "va_tertiary" not in given and gdp:
        share = level("share_tertiary_pct")
        if share is not None:
            given["va_tertiary"] = (share[0] / 100.0 * gdp[0], share[1], "tertiary share x gdp")
        else:  # keep the model's tertiary share of the actual GDP
            s = original_row["va_tertiary"] / original_row["gdp"]
            given["va_tertiary"] = (
                s * gdp[0],
                MODEL,
                f"the original run's tertiary share {s * 100:.1f} % of the actual GDP",
            )
    con, sec = level("va_construction"), level("va_secondary")
    if con and sec:
        given["construction_share_of_secondary"] = (
            con[0] / sec[0],
            ACTUAL,
            "va_construction / va_secondary",
        )
    shares = [level(f"employment_{s}") for s in ("primary", "secondary", "tertiary")]
    if all(shares):
        total = sum(s[0] for s in shares)
        for s, got in zip(("primary", "secondary", "tertiary"), shares, strict=True):
            given[f"employment_share_{s}"] = (got[0] / total, ACTUAL, "employment by sector")
    svc = level("services_share_of_consumption_pct")
    if svc:
        given["services_share_of_consumption"] = (svc[0] / 100.0, svc[1], svc[2])
    if gdp and gdp[0] != rec["gdp"]:
        # Flows that follow output keep the original run's ratio to the actual GDP where the
        # file does not give them (as capital keeps its ratio to output, model.record.
        # with_figures): a GDP below the run's with the run's revenue, investment, retail
        # sales and income per head would read as a higher revenue ratio, more investment
        # per yuan of capital formation, more shoppers from outside, and income per head
        # rising against output, for good
        ratio = gdp[0] / rec["gdp"]
        for name in FOLLOW_GDP:
            if name not in given:
                given[name] = (rec[name] * ratio, MODEL, f"{name} / gdp {FOLLOWS}")
                rules[name] = FOLLOWS_GDP
    scale_cohort = _cohort_factor(rec, given, original_row, cohort_va_ratio)
    if scale_cohort is not None:
        f, note = scale_cohort
        for name, value in _cohort_figures(rec, original_row, f, cohort_va_ratio).items():
            if name not in given:
                given[name] = (value, ESTIMATE, note)
    if "fiscal_balance" not in given:
        # Revenue other than the run's (actual, or following an actual GDP) changes the
        # balance, not the spending: budgets are set ahead, and current spending follows the
        # revenue base over fiscal.budget_smoothing_time (keeping the run's balance cut the
        # start year's current spending by the whole shortfall, and the share of the revenue
        # base spent with it, for good: lower revenue, lower debt)
        more = sum(given[n][0] - rec[n] for n in BUDGET_REVENUE if n in given)
        if more != 0.0:
            given["fiscal_balance"] = (rec["fiscal_balance"] + more, ESTIMATE, KEPT_SPENDING)
            rules["fiscal_balance"] = AT_RUNS_SPENDING
    if "unemployment_rate_pct" in given:
        # An unemployment rate changes how many residents seek work, not how many work: the
        # run's employment per working-age resident, participation x (1 - u), is kept (read
        # otherwise, a rate above the run's is fewer jobs for the same output and a smaller
        # normal labour force, whose higher income per member draws residents in; docs/
        # evaluation.md "Re-projection")
        u = given["unemployment_rate_pct"][0]
        if u != rec["unemployment_rate_pct"]:  # the run's own rate leaves it to the last bit
            share = rec["participation_rate"] * (100.0 - rec["unemployment_rate_pct"])
            given["participation_rate"] = (share / (100.0 - u), ESTIMATE, KEPT_EMPLOYMENT)
            rules["participation_rate"] = AT_RUNS_EMPLOYMENT
    for name in [*FIGURES, *OPTIONAL_FIGURES]:
        if name in given:
            value, status, note = given[name]
            new[name] = float(value)
        elif name in rec:
            value, status, note = rec[name], MODEL, CARRIED
            rules[name] = RUNS_OWN
        else:
            continue
        rows.append({"figure": name, "value": float(value), "status": status, "note": note})
    # the run's capital scaled with the output the figures give (model.record.with_figures)
    new = with_figures(rec, {k: v for k, v in new.items() if _is_figure(k)})
    if scale_cohort is not None:  # the attracted firms' stocks with their value added
        for name in COHORT_STOCKS:
            new[name] = rec[name] * scale_cohort[0]
            rows.append(
                {"figure": name, "value": float(new[name]), "status": ESTIMATE,
                 "note": scale_cohort[1]}
            )  # fmt: skip
    table = pd.DataFrame(rows, columns=["figure", "value", "status", "note"])
    if "government_debt" in given:  # the debt reported is the actual one (model.calibrate)
        new.pop("ref_debt_gap", None)
    elif "ref_debt_gap" in rec:  # the start year's row shows the debt reported (the run's)
        row = table["figure"] == "government_debt"
        table.loc[row, "value"] = float(rec["government_debt"] + rec["ref_debt_gap"])
        table.loc[row, "note"] = DEBT_REPORTED.format(state=float(rec["government_debt"]))
    return new, table, {name: got[3] for name, got in carried.items()}, rules


def _balance_shown(table: pd.DataFrame, started) -> None:
    """The record's balance a restart derived at the run's spending, as the start year has
    it: where the debt limit held public investment back in the start year, the borrowing
    the limit allows sets the balance (model.calibrate), not the figure derived."""
    row = (table["figure"] == "fiscal_balance") & (table["note"] == KEPT_SPENDING)
    if row.any() and not np.isclose(table.loc[row, "value"].iloc[0], started, rtol=1e-9):
        table.loc[row, "value"] = float(started)
        table.loc[row, "note"] = KEPT_SPENDING + LIMIT_HELD


def percentile_frame(values: dict, years) -> pd.DataFrame:
    parts = {}
    for name, v in values.items():
        p5, p50, p95 = percentile_rows(np.asarray(v, dtype=float), (5, 50, 95))
        parts[(name, "p5")], parts[(name, "p50")], parts[(name, "p95")] = p5, p50, p95
    df = pd.DataFrame(parts, index=pd.Index(np.asarray(years), name="year"))
    df.columns = pd.MultiIndex.from_tuples(df.columns, names=["indicator", "stat"])
    return df


def _restart_members(
    scn,
    rec: dict,
    start: int,
    ensemble,
    data_dir,
    history: dict,
    above: float | None = None,
    rules: dict | None = None,
):
    """With draws: every member of the ensemble restarted from its own state in ``start``
    with the actual figures in place (values name -> (years, members), and the band); else
    (None, None). ``above``: an actual above-scale value added of ``start``, which scales
    each member's attracted firms by its own share (:func:`_cohort_share`). ``rules``: how
    each figure the file does not give was made (:data:`RUNS_OWN`...): each member makes
    its own the same way from its own record (the single run's debt and balance for every
    member stood beside each member's own state)."""
    if ensemble is None:
        return None, None
    samples = ensemble.metadata["samples"]
    recs = member_records(start, scn, samples, data_dir=data_dir)
    rules = rules or {}
    figures = {}
    for name, value in rec.items():
        if name not in recs or not _is_figure(name) or rules.get(name) == RUNS_OWN:
            continue
        own = np.asarray(recs[name], dtype=float)
        if rules.get(name) == FOLLOWS_GDP:  # the member's own ratio to the actual GDP
            figures[name] = own * (rec["gdp"] / np.asarray(recs["gdp"], dtype=float))
        elif rules.get(name) == AT_RUNS_EMPLOYMENT:  # the member's employment per resident
            u = np.asarray(recs["unemployment_rate_pct"], dtype=float)
            figures[name] = own * (100.0 - u) / (100.0 - rec["unemployment_rate_pct"])
        elif rules.get(name) != AT_RUNS_SPENDING:
            figures[name] = np.full_like(own, value)
    if rules.get("fiscal_balance") == AT_RUNS_SPENDING:  # the member's own spending
        more = sum(
            figures[n] - np.asarray(recs[n], dtype=float)
            for n in BUDGET_REVENUE
            if n in figures and n in recs
        )
        figures["fiscal_balance"] = np.asarray(recs["fiscal_balance"], dtype=float) + more
    if "ref_debt_gap" not in rec:  # a debt given (or none carried): the one reported
        recs.pop("ref_debt_gap", None)
    if above is not None and "industrial_va_attracted" in ensemble.values:
        at = list(ensemble.years).index(start)
        f = _cohort_share(
            ensemble.values["industrial_va_above_scale"][at],
            ensemble.values["industrial_va_attracted"][at],
            _industry_factor(recs, figures),
            above,
        )
        for name in COHORT_STOCKS:
            recs[name] = np.asarray(recs[name], dtype=float) * f
    recs = with_figures(recs, figures)  # each member's capital scaled with its output
    recs["year"] = start
    values, _ = run_scenario(
        scn, samples, len(next(iter(samples.values()))), data_dir, record_parameters=False,
        start=recs,
    )  # fmt: skip
    for name, v in values.items():
        if name.endswith("_cumulative"):  # counted from the start year: add the years before
            before = ensemble.values[name][list(ensemble.years).index(start)]
            values[name] = v + np.asarray(count_at(name, start, history, before))[None, ...]
    years = np.arange(start, scn.time.end + 1)
    return values, percentile_frame(values, years)


def _put_median(path: pd.DataFrame, values: dict, years, after: int | None) -> None:
    """Put the members' median (``values``: name -> (years, members)) into ``path`` in the
    years after ``after`` (all ``years`` if None): with draws, the projected figure of every
    table and chart is the ensemble median, as the probability beside it is of the
    ensemble."""
    years = np.asarray(years)
    keep = years > after if after is not None else np.ones(len(years), dtype=bool)
    for name, v in values.items():
        if name in path.columns and np.ndim(v) == 2:
            median = percentile_rows(np.asarray(v, dtype=float), (50,))[0]
            path.loc[years[keep], name] = median[keep]


def _put_model_median(path, flags, values, ensemble, start: int) -> None:
    """With draws, put in ``path`` the members' median of every figure of the years up to
    the restart year ``start`` that is the model's (flagged ``model``: no actual figure gives
    it, nor is it built from one): the members' original runs before ``start``, their
    restarted state in it. A cumulated count of the re-projection adds each member's years
    after the start to that member's own count of the years before (:func:`_restart_members`),
    so its median runs on from the median shown in the start year, not from the single run's
    count; a level runs on from the state each member restarted from."""
    years = list(ensemble.years)
    for name, v in values.items():
        if name not in path.columns or np.ndim(v) != 2 or name not in ensemble.values:
            continue
        before = percentile_rows(np.asarray(ensemble.values[name], dtype=float), (50,))[0]
        at_start = percentile_rows(np.asarray(v, dtype=float)[:1], (50,))[0][0]
        for year in path.index[(path.index > BASE_YEAR) & (path.index <= start)]:
            if flags.loc[year, name] == MODEL:
                path.loc[year, name] = at_start if year == start else before[years.index(year)]


def _is_figure(name: str) -> bool:
    from ..model.record import FIGURES, OPTIONAL_FIGURES

    return name in FIGURES or name in OPTIONAL_FIGURES


def count_at(name: str, year: int, history: dict, otherwise):
    """A cumulated count in ``year``: the actual one where known, else ``otherwise``."""
    got = history.get((name, year))
    return otherwise if got is None else got[0]


def _model_flags(original: pd.DataFrame) -> pd.DataFrame:
    """Every cell ``model``, but those of 2020: ``base``."""
    flags = pd.DataFrame(MODEL, index=original.index, columns=original.columns)
    if BASE_YEAR in flags.index:
        flags.loc[BASE_YEAR, :] = BASE
    return flags


def _splice(original: pd.DataFrame, re_annual: pd.DataFrame, history: dict, start: int):
    """The evaluated path: the original run before the start year with the actual figures
    where given, the re-projection from it; and the flags."""
    path = original.copy()
    flags = _model_flags(original)
    later = re_annual.index[re_annual.index >= start]
    path.loc[later, re_annual.columns] = re_annual.loc[later]
    for ind in re_annual.columns:
        if ind.endswith("_cumulative"):  # the restart counts from its start year
            path.loc[later, ind] += count_at(ind, start, history, original.loc[start, ind])
    for (ind, year), (value, status, _note, _fig) in history.items():
        if ind in path.columns and year in path.index and year <= start:
            path.loc[year, ind] = value
            flags.loc[year, ind] = status
    return path, flags


#: The three sectors whose value added makes up GDP.
SECTORS = ("va_primary", "va_secondary", "va_tertiary")
#: What the sectors given may differ from GDP (relative) before the figures are said not to add
#: up: more than the rounding of four figures written to one decimal.
SECTOR_TOLERANCE = 0.005
#: How far a sector built as what GDP leaves of the sectors given may stray from GDP's own
#: growth before a restart warns [points of GDP: its growth apart from GDP's times its share
#: of GDP the year before]: one and a half points of GDP is more than the three sectors'
#: different growth moves in an ordinary year (or in a year far from the 2020 base), and a
#: residual further off is most often a sector given on another basis or vintage than GDP,
#: which the residual absorbs (a small sector's own swings, a harvest's, stay below it).
RESIDUAL_TOLERANCE = 1.5


def _residual_check(path: pd.DataFrame, sector: str, year: int, value, gdp, lang: str):
    """Warn where ``sector``, built in ``year`` as what GDP leaves of the sectors given
    (``value``), strays from GDP's growth by more than :data:`RESIDUAL_TOLERANCE` points of
    GDP (its growth apart from GDP's times its share of GDP the year before)."""
    if year - 1 not in path.index:
        return
    before, gdp_before = float(path.loc[year - 1, sector]), float(path.loc[year - 1, "gdp"])
    if not (before > 0.0 and gdp_before > 0.0):
        return
    grows, gdp_grows = (value / before - 1.0) * 100.0, (gdp / gdp_before - 1.0) * 100.0
    if abs(grows - gdp_grows) * before / gdp_before <= RESIDUAL_TOLERANCE:
        return
    zh = INDICATOR_BY_NAME[sector].meaning_zh
    said = in_lang(
        lang,
        f"{sector} {year} is what GDP leaves of the sectors given ({value:.2f} 亿元): it grows "
        f"{grows:+.1f} % on {year - 1}, GDP {gdp_grows:+.1f} %; if the sectors given are of "
        f"another basis or vintage than GDP, give {sector} too",
        f"{year}年{zh}为 GDP 减去所给其他产业后的余额({value:.2f} 亿元):较{year - 1}年增长 "
        f"{grows:+.1f}%,而 GDP 增长 {gdp_grows:+.1f}%;若所给产业数据与 GDP 的口径或版本不同,"
        f"请一并提供{zh}",
    )
    warnings.warn(said, UserWarning, stacklevel=5)


def _add_up_sectors(
    path: pd.DataFrame, flags: pd.DataFrame, history: dict, before: int, lang: str = "en"
) -> None:
    """Make the sectors of each year before ``before`` (the start year of a restart, GDP's
    latest actual year for add-factors) add up to an actual GDP of that year: a sector
    without an actual figure takes what the sectors given leave of GDP (several share it in
    the original run's proportions), flagged ``estimate``, with its share of GDP and, for the
    secondary sector, industry and construction in the run's proportions. Where all three are
    given and do not add up to GDP, the figures themselves do not: warned, kept as given."""
    for year in path.index:
        if not (BASE_YEAR < year < before) or ("gdp", year) not in history:
            continue
        gdp = history[("gdp", year)][0]
        given = [s for s in SECTORS if (s, year) in history]
        missing = [s for s in SECTORS if s not in given]
        rest = gdp - sum(history[(s, year)][0] for s in given)
        named = ", ".join(f"{s} {history[(s, year)][0]:g}" for s in given)
        if not missing:
            if abs(rest) > SECTOR_TOLERANCE * gdp:
                said = in_lang(
                    lang,
                    f"the actual figures of {year} do not add up: {named} make "
                    f"{gdp - rest:.2f}, GDP is {gdp:g}; each is shown as given",
                    f"{year}年的实际数据加总不符:{named} 合计 {gdp - rest:.2f},"
                    f"而 GDP 为 {gdp:g};各项按所给数值显示",
                )
                warnings.warn(said, UserWarning, stacklevel=4)
            continue
        carried = float(path.loc[year, missing].sum())
        if rest <= 0:  # nothing left for the missing sectors: the model's figures stay
            said = in_lang(
                lang,
                f"the actual figures of {year} leave nothing of GDP for {', '.join(missing)}: "
                f"{named} make {gdp - rest:.2f}, GDP is {gdp:g}; the model's figures are shown",
                f"{year}年的实际数据未给{'、'.join(missing)}留出余额:{named} 合计 "
                f"{gdp - rest:.2f},而 GDP 为 {gdp:g};显示模型数值",
            )
            warnings.warn(said, UserWarning, stacklevel=4)
            continue
        if carried <= 0 or abs(rest - carried) <= 1e-9 * gdp:
            continue
        for sector in missing:
            new = rest * float(path.loc[year, sector]) / carried
            parts = [sector, sector.replace("va_", "share_") + "_pct"]
            if sector == "va_secondary":
                # industry and construction without an actual figure share what those given
                # leave of the new secondary sector, in the run's proportions
                halves = ("va_industry", "va_construction")
                free = [p for p in halves if (p, year) not in history]
                left = new - sum(history[(p, year)][0] for p in halves if p not in free)
                run_free = float(path.loc[year, free].sum()) if free else 0.0
                if run_free > 0.0 and left >= 0.0:
                    for part in free:
                        path.loc[year, part] *= left / run_free
                    parts += free
            if len(missing) == 1:
                _residual_check(path, sector, year, new, gdp, lang)
            path.loc[year, sector] = new
            path.loc[year, parts[1]] = new / gdp * 100.0
            flags.loc[year, [p for p in parts if p in flags.columns]] = ESTIMATE


def _flag_start_residual(
    path: pd.DataFrame, flags: pd.DataFrame, history: dict, start: int, lang: str = "en"
):
    """In the restart year, the one sector without an actual figure where GDP and the other
    two have one: the restart made it what they leave of GDP (its value added and share are
    built from the actual figures, not the model's), so flag it ``estimate``, as
    :func:`_add_up_sectors` does in the years before."""
    if ("gdp", start) not in history:
        return
    missing = [s for s in SECTORS if (s, start) not in history]
    if len(missing) != 1:
        return
    sector = missing[0]
    gdp = history[("gdp", start)][0]
    rest = gdp - sum(history[(s, start)][0] for s in SECTORS if s != sector)
    if abs(float(path.loc[start, sector]) - rest) <= 1e-9 * gdp:
        flags.loc[start, [sector, sector.replace("va_", "share_") + "_pct"]] = ESTIMATE
        _residual_check(path, sector, start, rest, gdp, lang)


def _fade(original: pd.DataFrame, ensemble, history: dict, n: int):
    """The add-factor re-projection: each series with an actual passes through its latest
    one, the shift fading linearly to zero over ``n`` years."""
    path = original.copy()
    flags = _model_flags(original)
    rows = []
    years = original.index.to_numpy()
    members = None if ensemble is None else {k: v.copy() for k, v in ensemble.values.items()}
    latest: dict[str, int] = {}
    for (ind, year), _v in history.items():
        if ind in original.columns:
            latest[ind] = max(latest.get(ind, year), year)
    for ind, last in sorted(latest.items()):
        actual, status, _note, _fig = history[(ind, last)]
        model = float(original.loc[last, ind])
        weight = np.clip(1.0 - (years - last) / n, 0.0, 1.0) * (years >= last)
        kept = ind in CUMULATED  # what was counted stays counted: no fading (the years
        if kept:  # after add the yearly figures, themselves shifted, below)
            weight = (years >= last).astype(float)
        additive = kept or ind.endswith("_pct") or model <= 0
        if additive:
            shift = actual - model
            path[ind] = original[ind].to_numpy() + shift * weight
        else:
            shift = actual / model
            path[ind] = original[ind].to_numpy() * (1.0 + (shift - 1.0) * weight)
        if members is not None and ind in members:
            v = members[ind]
            at = list(years).index(last)
            w = weight[:, None]
            if additive:
                members[ind] = v + (actual - v[at]) * w
            else:
                members[ind] = v * (1.0 + (actual / v[at] - 1.0) * w)
        rows.append(
            {
                "indicator": ind,
                "year": last,
                "actual": actual,
                "status": status,
                "model": model,
                "add_factor": shift,
                "kind": "count" if kept else "points" if additive else "ratio",
                "zero_from": None if kept else last + n,
            }
        )
    for total_name, yearly in CUMULATED.items():  # what was counted, and the years after
        last = latest.get(total_name)
        if last is None or yearly not in path.columns:
            continue
        after = years > last
        actual = history[(total_name, last)][0]
        path.loc[after, total_name] = actual + np.cumsum(path.loc[after, yearly].to_numpy())
        if members is not None and yearly in members:
            members[total_name][after] = actual + np.cumsum(members[yearly][after], axis=0)
    if members is not None:  # with draws the re-projection is the members' median
        _put_median(path, members, years, after=None)
    for (ind, year), (value, status, _note, _fig) in history.items():
        if ind in path.columns and year in path.index:
            path.loc[year, ind] = value
            flags.loc[year, ind] = status
    table = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "year",
            "actual",
            "status",
            "model",
            "add_factor",
            "kind",
            "zero_from",
        ],
    )
    band = None if members is None else percentile_frame(members, years)
    reproj = path.copy()
    return path, flags, table, members, band, reproj
