"""The plan evaluation: actual figures in, a re-projection from them, the indicator table out.

:func:`evaluate` runs a scenario as planned (the *original projection*), re-projects it from
the actual figures (:mod:`hubinsim.actuals`) and writes, for every plan target, the table a
mid-term evaluation (中期评估) prints: base, target, latest actual, target and time
progress, the re-projection, the growth still needed, and a verdict by a stated rule
(:mod:`hubinsim.analysis.verdicts`). docs/evaluation.md explains every choice.

Two ways to re-project (``anchor``):

- ``"restart"``: the model restarts in the latest year with full-year actual figures. Its
  start record is the original run's state in that year (:func:`hubinsim.start_record`)
  with every figure replaced by the actual one where the file gives it: a level; else a
  level built from the nearest earlier level (the 2020 base or an actual) and the growth
  rates given (real growth deflated with the original run's own deflator of that
  indicator); else the original run's figure (carried, and listed). The years before show
  the actual figures where given and the original run otherwise, each cell flagged.
- ``"fade=N"``: the 2020 start is kept and each projected series with an actual level is
  shifted to pass through its latest actual, the shift fading linearly to zero over N years
  (multiplicative for levels, in points for rates and shares). Every add-factor is listed.
"""

from __future__ import annotations

import datetime
import math
import os
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._version import __version__
from ..actuals import Actuals, Figure, read_actuals, share_disagreement
from ..catalog import INDICATOR_BY_NAME, LEVER_BY_NAME
from ..data import TARGET_KINDS, Target, load_targets, read_targets
from ..defaults import LANGUAGES
from ..errors import ActualsError, ScenarioError, printable
from ..model import BASE_YEAR
from ..results import percentile_rows
from ..run.parallel import run_settings_problems
from ..run.simulation import as_scenario, simulate
from ..run.single import start_record
from ..scenario.settings import Scenario
from .verdicts import RULES, VERDICTS, Case, Rules, rule_texts, verdict

#: Flags of a cell of the evaluated path.
ACTUAL, ESTIMATE, MODEL = "actual", "estimate", "model"
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


def parse_anchor(anchor: str) -> tuple[str, int | None]:
    """("restart", None) or ("fade", N) from "restart" or "fade=N"."""
    text = str(anchor).strip()
    if text == "restart":
        return "restart", None
    m = re.fullmatch(r"fade=(\d+)", text)
    if m and int(m.group(1)) >= 1:
        return "fade", int(m.group(1))
    raise ScenarioError(
        [f"anchor: {anchor!r} is not restart or fade=N (N a whole number of years >= 1)"]
    )


@dataclass
class Evaluation:
    """What :func:`evaluate` returns; ``hubinsim.write_evaluation`` writes it.

    Attributes
    ----------
    table : DataFrame
        One row per plan target: the evaluation table (see docs/evaluation.md).
    path, flags : DataFrame
        The evaluated path (years x indicators): actual figures up to the start (restart) or
        where given, the re-projection after; ``flags`` says per cell ``actual``,
        ``estimate`` or ``model``.
    original : Results
        The original projection (the scenario run from 2020 as planned).
    reprojection : DataFrame
        The re-projection alone (years x indicators; from the start year for a restart, every
        year for add-factors; cumulated counts from the plan's first year; the median of the
        members with draws, as ``path``).
    band : DataFrame or None
        With draws, the re-projection's 5th, 50th and 95th percentiles: columns (indicator,
        p5|p50|p95); the median is the re-projection of ``path``.
    actuals_used : DataFrame
        Every figure used: indicator, year, basis, value, status, note, line.
    figures : DataFrame
        The figures the table and the charts compare with the projections, in the
        indicators' own terms (levels, built levels, shares, growth rates): indicator, year,
        value, status (``actual`` or ``estimate``), note. Unlike ``path`` it also holds the
        figures after a restart's start year (a later year's estimate from a period to date).
    anchor_table : DataFrame
        The restart record (figure, value, status, note) or the add-factors.
    assumptions, rules : list of str
    record : dict
        What the evaluation was made from (run.json).
    """

    scenario: str
    anchor: str
    start_year: int | None
    as_of: int
    table: pd.DataFrame
    path: pd.DataFrame
    flags: pd.DataFrame
    original: object
    reprojection: pd.DataFrame
    band: pd.DataFrame | None
    actuals_used: pd.DataFrame
    anchor_table: pd.DataFrame
    assumptions: list[str]
    rules: list[str]
    targets: list[Target]
    record: dict = field(default_factory=dict)
    original_band: pd.DataFrame | None = None
    figures: pd.DataFrame | None = None

    def anchor_text(self, lang: str = "en") -> str:
        """How the evaluation re-projected, in a few words of ``lang``: "restarted in 2023",
        "自2023年重新起步", "add-factors fading over 3 years"."""
        n = self.anchor.removeprefix("fade=")
        if lang == "zh":
            if self.start_year is not None:
                return f"自{self.start_year}年重新起步"
            return f"加因子({n}年内递减为零)"
        if self.start_year is not None:
            return f"restarted in {self.start_year}"
        return f"add-factors fading over {n} years"

    def verdicts(self) -> pd.Series:
        """The verdict of each target, by indicator@year."""
        keys = self.table["indicator"] + "@" + self.table["target_year"].astype(str)
        return pd.Series(self.table["verdict"].to_numpy(), index=keys)


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


def _real_growth_disagreements(figures: dict, original: pd.DataFrame) -> list[str]:
    """Where two actual full-year levels of an indicator contradict the real growth the file
    gives for the later year by more than :data:`REAL_GROWTH_TOLERANCE_PP` (the levels
    deflated with the original run's deflator); the levels are used for levels."""
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
            out.append(
                f"{fig.row.where}: {ind} {year}: real growth {fig.value:g} % but the levels "
                f"{before.value:g} ({year - 1}, line {before.row.line}) and {now.value:g} "
                f"({year}, line {now.row.line}) give {implied:.1f} % with the model's {nom} "
                f"deflator ({(deflator - 1) * 100:+.2f} %), more than "
                f"{REAL_GROWTH_TOLERANCE_PP:g} points apart; the levels are used for levels: "
                "check the level's year and unit"
            )
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


def _carried_levers(rec: dict, levels: dict, year: int, given: dict) -> dict:
    """Record figures that a lever sets (R&D intensity: the model does not project it) with
    an actual figure before the restart year and none in it: the latest actual is carried to
    the restart year, with a warning. The original run's figure (the scenario's 1.2 % when
    the district measured 1.6 % in 2022) would undo a measured figure silently; the years
    after follow the scenario's lever where it gives a path, and keep the figure where the
    lever stays at its start figure."""
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
        )
        warnings.warn(
            f"{name}: no actual figure of {year}, the restart year; its latest, {value:g} "
            f"({last}), is carried to {year} in place of the original run's {rec[name]:g} "
            "(a figure the scenario's lever sets; the restart record lists it)",
            UserWarning,
            stacklevel=4,
        )
    return out


def _record_from(rec: dict, levels: dict, year: int, original_row: pd.Series):
    """The restart record: the original run's ``rec`` with the figures of ``year`` the
    actual levels give; and a table of every record figure and where it came from."""
    from ..model.record import FIGURES, OPTIONAL_FIGURES

    new = dict(rec)
    rows = []
    given = {}

    def level(name):
        return levels.get((name, year))

    for name in _RECORD_DIRECT:
        got = level(name)
        if got is not None:
            given[name] = (got[0], got[1], got[2])
    given.update(_carried_levers(rec, levels, year, given))
    gdp = given.get("gdp")
    if "share_primary_pct" not in given and level("va_primary") and gdp:
        v = level("va_primary")
        given["share_primary_pct"] = (v[0] / gdp[0] * 100.0, v[1], "va_primary / gdp")
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
    for name in [*FIGURES, *OPTIONAL_FIGURES]:
        if name in given:
            value, status, note = given[name]
            new[name] = float(value)
        elif name in rec:
            value, status, note = rec[name], MODEL, "carried from the original run"
        else:
            continue
        rows.append({"figure": name, "value": float(value), "status": status, "note": note})
    return new, pd.DataFrame(rows, columns=["figure", "value", "status", "note"])


# --------------------------------------------------------------------------- evaluate


def evaluate_problems(draws, seed, workers, targets, rules, lang) -> list[str]:
    """Why the arguments of :func:`evaluate` that are not files are not valid: the limits of
    the command line's options (empty when they are)."""
    problems = run_settings_problems(draws=draws, seed=seed, workers=workers)
    if draws == 1 and not isinstance(draws, bool):
        problems.append("draws: an ensemble needs at least 2 draws, got 1")
    if targets is not None and not isinstance(targets, str | os.PathLike):
        if not isinstance(targets, list | tuple) or not all(isinstance(t, Target) for t in targets):
            problems.append(
                "targets: must be a list of Target (hubinsim.data.read_targets) or the path of "
                f"a file of the form of data/targets.csv, got {printable(repr(targets)):.60}"
            )
    if not isinstance(rules, Rules):
        problems.append(f"rules: must be a Rules (hubinsim.analysis.verdicts), got {rules!r:.60}")
    if not isinstance(lang, str) or lang not in LANGUAGES:
        problems.append(f"lang: must be one of {', '.join(LANGUAGES)}, got {lang!r:.60}")
    return problems


def evaluate(
    scenario: Scenario | str | os.PathLike | None = None,
    actuals: Actuals | str | os.PathLike | None = None,
    *,
    as_of: int | None = None,
    anchor: str = "restart",
    targets: list[Target] | str | os.PathLike | None = None,
    draws: int | None = None,
    seed: int | None = None,
    vintage: str | None = None,
    rules: Rules = RULES,
    lang: str = "en",
    data_dir=None,
    workers: int | str = 1,
) -> Evaluation:
    """Evaluate ``scenario`` against ``actuals`` (module docstring; docs/evaluation.md).

    Parameters
    ----------
    scenario : Scenario or path
        The scenario evaluated (business as usual if None).
    actuals : Actuals or path
        From :func:`hubinsim.read_actuals`.
    as_of : int, optional
        Use the figures of years up to ``as_of`` only (default: all); time progress is
        measured to the latest actual year.
    anchor : "restart" or "fade=N"
    targets : list of Target or path, optional
        The plan targets (default data/targets.csv: the 14th FYP's and 2035's); a file of
        the same form brings another plan's.
    draws, seed : optional
        Run the original projection and the re-projection over ``draws`` parameter draws:
        the probability of meeting each target and the re-projection's band.
    vintage : str, optional
        Use this vintage of each figure (:meth:`Actuals.select`); default the latest.
    rules : Rules
        The margins of the verdicts.
    lang : "en" or "zh"
        The language of the rule texts and assumptions.
    """
    problems = evaluate_problems(draws, seed, workers, targets, rules, lang)
    if problems:
        raise ScenarioError(problems)
    kind, fade_years = parse_anchor(anchor)
    scn = as_scenario(scenario, data_dir)
    if actuals is None:
        raise ActualsError(["actuals: an actuals file is needed (docs/evaluation.md)"])
    acts = actuals if isinstance(actuals, Actuals) else read_actuals(actuals)
    acts.check_years(BASE_YEAR, scn.time.end, this_year=_this_year())
    if as_of is not None:
        if not (isinstance(as_of, int) and BASE_YEAR <= as_of <= scn.time.end):
            raise ScenarioError([f"as_of: a year in {BASE_YEAR}..{scn.time.end}, got {as_of!r}"])
        acts = acts.only(years=range(BASE_YEAR, as_of + 1))
    if isinstance(targets, str | os.PathLike):
        target_list = read_targets(targets)
    else:
        target_list = list(targets) if targets is not None else load_targets(data_dir)
    _check_target_years(target_list, scn, warn=targets is not None)
    figures = acts.figures(vintage)
    if not figures:
        raise ActualsError([f"{acts.path}: no figure of a year up to {as_of}"])
    latest = max(y for (_i, y, _b) in figures)
    original = simulate(scn, data_dir=data_dir)
    orig_annual = original.annual
    ensemble = None
    if draws is not None:
        ensemble = simulate(scn, draws=draws, seed=seed, data_dir=data_dir, workers=workers)
    for message in _real_growth_disagreements(figures, orig_annual):
        warnings.warn(message, UserWarning, stacklevel=2)
    levels = _level_history(figures, orig_annual, scn.time.end)
    growths = _growth_history(figures)
    history = {**levels, **growths}
    assumptions = _assumptions(kind, fade_years, lang)

    if kind == "restart":
        full_years = [y for (_i, y, _b), f in figures.items() if f.status == ACTUAL]
        if not full_years:
            raise ActualsError(
                [
                    f"{acts.path}: no full-year figure to restart from (only periods to date); "
                    "use --anchor fade=N, or give a full year"
                ]
            )
        start = max(full_years)
        if start >= scn.time.end:
            raise ActualsError([f"{acts.path}: the latest full year {start} is the run's last"])
        rec = start_record(start, scn, data_dir=data_dir)
        new_rec, anchor_table = _record_from(rec, levels, start, orig_annual.loc[start])
        rerun = simulate(scn, start=new_rec, data_dir=data_dir)
        _warn_targets_before(target_list, history, start)
        values, band = _restart_members(scn, new_rec, start, ensemble, data_dir, history)
        path, flags = _splice(orig_annual, rerun.annual, history, start)
        if values is not None:  # with draws the re-projection is the members' median
            _put_median(path, values, np.arange(start, scn.time.end + 1), after=start)
        re_annual = path.loc[start:].copy()
    else:
        start = None
        path, flags, anchor_table, values, band, re_annual = _fade(
            orig_annual, ensemble, history, fade_years
        )
    full = [y for (_i, y, _b), f in figures.items() if f.status == ACTUAL]
    # A target without actuals has its time progress at the latest full year, not at a
    # year known only from a period to date.
    time_year = max(full) if full else latest
    table = evaluation_table(
        target_list, path, flags, history, values, latest, rules, lang, time_year=time_year
    )
    used = _used_table(figures, levels)
    compared = pd.DataFrame(
        [
            {"indicator": ind, "year": year, "value": value, "status": status, "note": note}
            for (ind, year), (value, status, note, _fig) in sorted(history.items())
            if ind in path.columns
        ],
        columns=["indicator", "year", "value", "status", "note"],
    )
    record = {
        "hubinsim_version": __version__,
        "scenario": scn.name,
        "scenario_source": scn.source,
        "actuals": str(acts.path) if acts.path else None,
        "actuals_sha256": acts.sha256,  # of the bytes read, not of the file now
        "anchor": anchor,
        "start_year": start,
        "as_of": latest,
        "vintage": vintage or "latest",
        "draws": draws,
        "seed": None if ensemble is None else ensemble.metadata["ensemble"]["seed"],
        "targets": "data/targets.csv"
        if targets is None
        else str(targets)
        if isinstance(targets, str | os.PathLike)
        else "given in Python",
        "rules": vars(rules),
    }
    orig_band = None
    if ensemble is not None:
        orig_band = _percentile_frame(ensemble.values, ensemble.years)
    return Evaluation(
        scenario=scn.name,
        anchor=anchor,
        start_year=start,
        as_of=latest,
        table=table,
        path=path,
        flags=flags,
        original=original,
        reprojection=re_annual,
        band=band,
        actuals_used=used,
        anchor_table=anchor_table,
        assumptions=assumptions,
        rules=rule_texts(rules, lang),
        targets=target_list,
        record=record,
        original_band=orig_band,
        figures=compared,
    )


def _warn_targets_before(targets, history: dict, start: int) -> None:
    """Warn of each target of a year before the restart year whose indicator has actual
    figures but none of the target's year: it is judged by the original run's figure."""
    given = {ind for (ind, _y) in history}
    for tg in targets:
        if tg.year < start and tg.indicator in given and (tg.indicator, tg.year) not in history:
            warnings.warn(
                f"{tg.indicator} {tg.year}: the actual figures go to {start}, after the "
                f"target's year, but none is of {tg.year}: the target is judged by the "
                f"original run's {tg.year} figure (flagged model)",
                UserWarning,
                stacklevel=4,
            )


def _this_year() -> int:
    """Today's calendar year: figures of later years, and full years of this one, cannot
    have been published."""
    return datetime.date.today().year


def _check_target_years(targets: list[Target], scn: Scenario, warn: bool) -> None:
    """Raise when the run reaches no target's year; with ``warn`` (targets the caller
    chose), warn of those it does not reach (they are left out of the table). The 2035
    vision's targets of data/targets.csv are beyond a run to 2025 as a matter of course."""
    end = scn.time.end
    outside = [t for t in targets if not BASE_YEAR < t.year <= end]
    if not outside:
        return
    named = ", ".join(f"{t.indicator}@{t.year}" for t in outside)
    if len(outside) == len(targets):
        raise ScenarioError(
            [
                f"no plan target falls in the run {BASE_YEAR}..{end} (the targets: {named}); "
                f"set a later end in the scenario's [time] section"
            ],
            source=scn.source or scn.name,
        )
    if warn:
        warnings.warn(
            f"scenario {scn.name!r} ends in {end}: the targets {named} are left out of the "
            "evaluation (set a later end in the scenario's [time] section)",
            UserWarning,
            stacklevel=3,
        )


def _percentile_frame(values: dict, years) -> pd.DataFrame:
    parts = {}
    for name, v in values.items():
        p5, p50, p95 = percentile_rows(np.asarray(v, dtype=float), (5, 50, 95))
        parts[(name, "p5")], parts[(name, "p50")], parts[(name, "p95")] = p5, p50, p95
    df = pd.DataFrame(parts, index=pd.Index(np.asarray(years), name="year"))
    df.columns = pd.MultiIndex.from_tuples(df.columns, names=["indicator", "stat"])
    return df


def _restart_members(scn, rec: dict, start: int, ensemble, data_dir, history: dict):
    """With draws: every member of the ensemble restarted from its own state in ``start``
    with the actual figures in place (values name -> (years, members), and the band); else
    (None, None)."""
    if ensemble is None:
        return None, None
    from ..run.single import member_records, run_scenario

    samples = ensemble.metadata["samples"]
    recs = member_records(start, scn, samples, data_dir=data_dir)
    for name, value in rec.items():
        if name in recs and _is_figure(name):
            recs[name] = np.full_like(np.asarray(recs[name], dtype=float), value)
    recs["year"] = start
    values, _ = run_scenario(
        scn, samples, len(next(iter(samples.values()))), data_dir, record_parameters=False,
        start=recs,
    )  # fmt: skip
    for name, v in values.items():
        if name.endswith("_cumulative"):  # counted from the start year: add the years before
            before = ensemble.values[name][list(ensemble.years).index(start)]
            values[name] = v + np.asarray(_count_at(name, start, history, before))[None, ...]
    years = np.arange(start, scn.time.end + 1)
    return values, _percentile_frame(values, years)


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


def _is_figure(name: str) -> bool:
    from ..model.record import FIGURES, OPTIONAL_FIGURES

    return name in FIGURES or name in OPTIONAL_FIGURES


def _count_at(name: str, year: int, history: dict, otherwise):
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
            path.loc[later, ind] += _count_at(ind, start, history, original.loc[start, ind])
    for (ind, year), (value, status, _note, _fig) in history.items():
        if ind in path.columns and year in path.index and year <= start:
            path.loc[year, ind] = value
            flags.loc[year, ind] = status
    return path, flags


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
    band = None if members is None else _percentile_frame(members, years)
    reproj = path.copy()
    return path, flags, table, members, band, reproj


def _used_table(figures: dict, levels: dict) -> pd.DataFrame:
    rows = []
    for (ind, year, basis), fig in figures.items():
        rows.append(
            {
                "indicator": ind,
                "year": year,
                "period": fig.row.period,
                "basis": basis,
                "value": fig.value,
                "vintage": fig.row.vintage,
                "status": fig.status,
                "note": fig.note if fig.status == ESTIMATE else "",
                "source": fig.row.source,
                "line": fig.row.line,
            }
        )
    for (ind, year), (value, status, note, fig) in levels.items():
        if fig is not None and (fig.indicator != ind or fig.basis != "level"):
            rows.append(
                {
                    "indicator": ind,
                    "year": year,
                    "period": "year",
                    "basis": "level (built)" if fig.basis != "level" else "level (derived)",
                    "value": value,
                    "vintage": "",
                    "status": status,
                    "note": note,
                    "source": "",
                    "line": fig.row.line,  # the line of the figure it was built from
                }
            )
    cols = ["indicator", "year", "period", "basis", "value", "vintage", "status", "note"]
    return pd.DataFrame(rows, columns=[*cols, "source", "line"])


def _assumptions(kind: str, n: int | None, lang: str) -> list[str]:
    if lang == "zh":
        common = [
            '实际数据未给出的指标由模型推算(标注为"模型");由季度或月度累计增速估计的全年增速'
            '标注为"估计"。',
            "同一指标同时给出总量与增速时,总量用于总量,增速仅在缺少总量时用于推算总量;两者"
            "超出四舍五入误差不一致时给出警告。",
            "按可比价增速推算现价总量时,采用原始模型运行中该指标的平减指数。",
        ]
        if kind == "restart":
            return [
                "重新预测:模型从有全年实际数据的最新年份重新起步,起步记录为原始运行在该年的"
                "状态,凡有实际数据的指标以实际值替换;该年起情景中的政策继续生效。",
                *common,
            ]
        return [
            f"加因子:保留2020年起步,每个有实际值的序列平移至其最新实际值,平移量在{n}年内"
            "线性递减为零(总量按比例,比率和比重按百分点)。",
            *common,
        ]
    common = [
        "Indicators without an actual figure are the model's (flagged 'model'); a full year's "
        "growth estimated from a period to date is flagged 'estimate' (e.g. 'estimate from "
        "Q1-Q3').",
        "Where a level and a growth rate of the same figure are given, the level is used for "
        "levels and the growth rate only to build a missing level; a disagreement beyond "
        "rounding is warned about when the file is read.",
        "A current-price level built from real growth uses the original run's own deflator "
        "of that indicator (GDP's where the model has none).",
    ]
    if kind == "restart":
        return [
            "Re-projection: the model restarts in the latest year with full-year actual "
            "figures, from the original run's state in that year with every figure the file "
            "gives replaced by the actual one (the restart record lists each); the "
            "scenario's policies of that year and after stay in force.",
            *common,
        ]
    return [
        f"Add-factors: the 2020 start is kept; each series with an actual figure is shifted "
        f"to pass through its latest actual, the shift fading linearly to zero over {n} "
        "years (a ratio for levels, points for rates and shares).",
        *common,
    ]


# --------------------------------------------------------------------------- the table


def _measure(indicator: str) -> str:
    if indicator.endswith("_cumulative"):
        return "count"
    if INDICATOR_BY_NAME[indicator].unit == "%" or indicator.endswith("_pct"):
        return "points"
    return "growth"


def _rate(measure: str, start: float, end: float, years: int) -> float:
    """Average change a year from ``start`` to ``end`` over ``years``: %/yr compound for
    levels, points a year for rates and shares, units a year for counts."""
    if years <= 0 or not (math.isfinite(start) and math.isfinite(end)):
        return math.nan
    if measure == "growth":
        if start <= 0 or end <= 0:
            return math.nan
        return ((end / start) ** (1.0 / years) - 1.0) * 100.0
    return (end - start) / years


def evaluation_table(
    targets, path, flags, history, members, latest_year, rules, lang="en", time_year=None
) -> pd.DataFrame:
    """The evaluation table: one row per target whose year is in the path.

    ``latest_year`` is the latest year of the figures (estimates from periods to date
    included); ``time_year`` (default ``latest_year``) the year at which the time progress of
    a target without any actual is measured.
    """
    time_year = latest_year if time_year is None else time_year
    rows = []
    years = list(path.index)
    for tg in targets:
        ind = tg.indicator
        if ind not in path.columns or tg.year not in years:
            continue
        rows.append(
            _target_row(tg, path, flags, history, members, latest_year, time_year, rules, lang)
        )
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    table["latest_year"] = table["latest_year"].astype("Int64")  # a year, or <NA>: no actual
    return table


#: Columns of the evaluation table.
TABLE_COLUMNS = [
    "indicator",
    "name",
    "unit",
    "kind",
    "plan",
    "base_year",
    "base",
    "target",
    "comparison",
    "target_year",
    "latest_actual",
    "latest_year",
    "latest_status",
    "target_progress_pct",
    "time_progress_pct",
    "projected",
    "probability_pct",
    "growth_needed",
    "growth_projected",
    "growth_unit",
    "verdict",
    "verdict_zh",
    "reason",
    "estimate_check",
    "marks",
    "source",
]


#: The plans' names in Chinese (another plan's name is written as its file gives it).
PLANS_ZH = {"14th": "十四五规划", "15th": "十五五规划", "2035": "2035年远景目标"}
_GROWTH_UNITS_ZH = {
    "%/yr": "%/年",
    "pp/yr": "个百分点/年",
    "% each year": "%(每年)",
    "persons/yr": "人/年",
    "firms/yr": "家/年",
}


def _meets(value, target: float, comparison: str):
    return value >= target if comparison == ">=" else value <= target


#: How far the re-projection of a year known only from a period to date (2024 from its
#: Q1-Q3 growth, after a restart from 2023) may differ from the estimate before the table
#: says so: points for rates, shares and growth rates; percent for levels.
ESTIMATE_TOLERANCE = {"points": 1.0, "growth": 2.0, "count": 2.0}


def _estimate_check(ind, measure, last, status, latest, series, lang) -> str:
    """A note where the latest figure is an estimate from a period to date and the
    re-projection of its year differs from it by more than :data:`ESTIMATE_TOLERANCE`."""
    if status != ESTIMATE or last is None or last not in series.index:
        return ""
    projected = float(series.loc[last])
    points = measure == "points" or ind.endswith("_pct")
    limit = ESTIMATE_TOLERANCE["points" if points else measure]
    if points:
        apart = projected - latest
        unit_en, unit_zh = "points", "个百分点"
    else:
        apart = (projected / latest - 1.0) * 100.0 if latest else math.nan
        unit_en, unit_zh = "%", "%"
    if not math.isfinite(apart) or abs(apart) <= limit:
        return ""
    if lang == "zh":
        return (
            f"{last}年估计值 {latest:.2f},重新预测该年为 {projected:.2f},相差 {apart:+.2f}"
            f"{unit_zh}(超过 {limit:g}{unit_zh})"
        )
    return (
        f"the {last} estimate is {latest:.2f}; the re-projection gives {projected:.2f} for "
        f"{last}, {apart:+.2f} {unit_en} apart (more than {limit:g})"
    )


#: The marks of a row whose verdict a reader must weigh: a target not printed in the plan,
#: and a verdict without any actual figure.
_MARKS = {
    "project": (
        "target derived by the project, not a figure of the plan",
        "目标值由本项目推算,非规划所列数值",
    ),
    "definition": (
        "target set by the indicator's definition, not a figure of the plan",
        "目标值依指标定义确定,非规划所列数值",
    ),
    "model_only": (
        "no actual figure: the verdict rests on the model alone",
        "无实际数据:结论仅依据模型",
    ),
}


def _marks(tg: Target, model_only: bool, lang: str) -> str:
    """The marks of a row (:data:`_MARKS`), joined; empty for a plan target with actuals."""
    keys = [k for k in (tg.set_by, "model_only" if model_only else "") if k in _MARKS]
    return ("; " if lang != "zh" else ";").join(_MARKS[k][lang == "zh"] for k in keys)


def _target_row(
    tg: Target, path, flags, history, members, latest_year, time_year, rules, lang
) -> dict:
    ind, T = tg.indicator, tg.year
    measure = _measure(ind)
    every = tg.each_year_from is not None
    series = path[ind]
    actual_years = [  # a target is judged by the figures up to its own year
        y for (i, y) in history if i == ind and y <= min(latest_year, T) and y in series.index
    ]
    last = max(actual_years) if actual_years else None
    latest = history[(ind, last)][0] if last is not None else math.nan
    status = history[(ind, last)][1] if last is not None else ""
    B = tg.base_year  # the plan's base year: progress and time progress from it
    offset = 0.0  # a count of a later plan counts from its base year
    if measure == "count":
        if B > BASE_YEAR:
            offset = _count_at(ind, B, history, float(series.loc[B]))
            series = series - offset
            latest -= offset
        base = 0.0
    elif tg.base_value is not None:
        base = float(tg.base_value)  # as the plan prints it (57.8, not the data's 57.76)
    elif (ind, B) in history:
        base = history[(ind, B)][0]
    else:
        base = float(series.loc[B])
    projected = float(series.loc[T])
    first = tg.each_year_from or T
    plan_years = list(range(first, T + 1))
    at = last if last is not None else time_year  # time progress at the latest actual
    time_progress = (
        (at - B) / (T - B) * 100.0
        if not every
        else len([y for y in plan_years if y <= at]) / len(plan_years) * 100.0
    )
    time_progress = min(max(time_progress, 0.0), 100.0)
    probability = math.nan
    if members is not None and ind in members:
        v = np.asarray(members[ind])
        m_years = list(path.index[-v.shape[0] :])
        if offset:
            v = v - (v[m_years.index(B)] if B in m_years else offset)
        if every:
            idx = [m_years.index(y) for y in plan_years if y in m_years and y > latest_year]
            ok = np.all(_meets(v[idx], tg.target, tg.comparison), axis=0) if idx else None
        else:
            ok = _meets(v[m_years.index(T)], tg.target, tg.comparison)
        if ok is not None:
            probability = float(np.mean(ok))
    case_kw = {"probability": probability, "measure": measure}
    if every:
        met_years = [
            y
            for y in plan_years
            if y in actual_years and _meets(history[(ind, y)][0], tg.target, tg.comparison)
        ]
        missed = [
            y
            for y in plan_years
            if y in actual_years and not _meets(history[(ind, y)][0], tg.target, tg.comparison)
        ]
        target_progress = len(met_years) / len(plan_years) * 100.0
        left = [y for y in plan_years if y > (last or BASE_YEAR)]
        gaps = [
            (tg.target - series.loc[y]) if tg.comparison == ">=" else (series.loc[y] - tg.target)
            for y in left
        ]
        worst = max(gaps) if gaps else -math.inf
        case = Case(
            every_year=True,
            target_progress=target_progress,
            time_progress=time_progress,
            projection_meets=worst <= 0,
            missed_year=missed[0] if missed else None,
            worst_gap=worst,
            **case_kw,
        )
        needed, proj_rate = (
            tg.target,
            (min if tg.comparison == ">=" else max)(
                [series.loc[y] for y in left], default=math.nan
            ),
        )
        unit = "% each year" if measure == "points" else INDICATOR_BY_NAME[ind].unit
    elif measure != "count" and bool(_meets(base, tg.target, tg.comparison)):
        # a bound the base already keeps (失业率控制在3.8%以内): kept, not reached
        inward = 1.0 if tg.comparison == "<=" else -1.0
        headroom = inward * (tg.target - latest) if last is not None else math.nan
        miss = inward * (projected - tg.target)
        if measure == "growth":
            miss = miss / abs(tg.target) * 100.0 if tg.target else math.nan
        case = Case(
            keep=True,
            headroom=headroom,
            worst_gap=miss,
            projection_meets=miss <= 0,
            time_progress=time_progress,
            **case_kw,
        )
        needed, proj_rate, unit = math.nan, math.nan, ""
    else:
        span = T - (last if last is not None else BASE_YEAR)
        from_value = latest if last is not None else base
        if tg.comparison == ">=":
            denom = tg.target - base
            target_progress = (from_value - base) / denom * 100.0 if denom else math.nan
        else:
            denom = base - tg.target
            target_progress = (base - from_value) / denom * 100.0 if denom else math.nan
        if last is None or last < B:  # no figure of the plan's years yet
            target_progress = math.nan
        needed = _rate(measure, from_value, tg.target, span)
        proj_rate = _rate(measure, from_value, projected, span)
        case = Case(
            achieved=last is not None and bool(_meets(latest, tg.target, tg.comparison)),
            target_progress=target_progress,
            time_progress=time_progress,
            projection_meets=bool(_meets(projected, tg.target, tg.comparison)),
            needed=needed,
            projected_rate=proj_rate,
            **case_kw,
        )
        unit = {"growth": "%/yr", "points": "pp/yr", "count": f"{INDICATOR_BY_NAME[ind].unit}/yr"}[
            measure
        ]
    code, reason = verdict(case, rules, lang)
    zh, en = VERDICTS[code]
    info = INDICATOR_BY_NAME[ind]
    if lang == "zh":
        comparison = tg.comparison + (f" {tg.each_year_from}年起每年" if every else "")
        unit = _GROWTH_UNITS_ZH.get(unit, unit.replace("/yr", "/年"))
    else:
        comparison = tg.comparison + (f" every year from {tg.each_year_from}" if every else "")
    return {
        "indicator": ind,
        "name": info.meaning_zh if lang == "zh" else info.meaning_en,
        "unit": info.unit,
        "kind": TARGET_KINDS[tg.kind] if lang == "zh" else tg.kind,
        "plan": PLANS_ZH.get(tg.plan, tg.plan) if lang == "zh" else tg.plan,
        "base_year": B,
        "base": base,
        "target": tg.target,
        "comparison": comparison,
        "target_year": T,
        "latest_actual": latest,
        "latest_year": last,
        "latest_status": status,
        "target_progress_pct": case.target_progress,
        "time_progress_pct": time_progress,
        "projected": projected,
        "probability_pct": probability * 100.0,
        "growth_needed": needed,
        "growth_projected": proj_rate,
        "growth_unit": unit,
        "verdict": zh if lang == "zh" else en,
        "verdict_zh": zh,
        "reason": reason,
        "estimate_check": _estimate_check(ind, measure, last, status, latest, series, lang),
        "marks": _marks(tg, last is None, lang),
        "source": tg.source,
    }
