"""The plan evaluation: actual figures in, a re-projection from them, the indicator table out.

:func:`evaluate` runs a scenario re-projected from the actual figures
(``simulate(..., actuals=...)``, :mod:`hubinsim.run.restart`) and writes, for every plan
target, the table a mid-term evaluation (中期评估) prints: base, target, latest actual,
target and time progress, the re-projection, the growth still needed, and a verdict by a stated rule
(:mod:`hubinsim.analysis.verdicts`). docs/evaluation.md explains every choice.

The re-projection (``anchor``: a restart in the latest full actual year, or add-factors
fading over N years) is the run layer's: :mod:`hubinsim.run.restart`.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from .._version import __version__
from ..actuals import Actuals, in_lang
from ..catalog import INDICATOR_BY_NAME, in_chinese
from ..data import TARGET_KINDS, Target, load_targets, read_targets
from ..defaults import LANGUAGES
from ..errors import ActualsError, ScenarioError, printable
from ..model import BASE_YEAR
from ..results import JOBS_NOTE, display_name, judged_target
from ..run import restart as restarts
from ..run.parallel import run_settings_problems
from ..run.restart import (
    ESTIMATE,
    anchor_text,
    as_actuals,
    count_at,
    parse_anchor,
    percentile_frame,
)
from ..run.simulation import as_scenario, simulate
from ..scenario.settings import Scenario
from .verdicts import RULES, VERDICTS, Case, Rules, rule_texts, settled_by_actuals, verdict


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
        ``estimate`` or ``model``. With draws the figures the model gives (``model``, in the
        actual years too) are the members' median.
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
    jumps : tuple of (str, int)
        The indicators whose re-projection jumps from the latest actual figure, with the
        year of the jump (marked in the table and on the charts).
    not_evaluated : str
        With the default targets (data/targets.csv), the line naming the plan's targets the
        model does not represent (:data:`NOT_EVALUATED`), in the language asked; else empty.
    checks : list of str
        The checks of the re-projection against the actual figures (:func:`reprojection_checks`):
        a jump from the latest full actual year, a year known from a period to date that the
        re-projection contradicts; in the language asked, empty when none fires.
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
    checks: list[str] = field(default_factory=list)
    not_evaluated: str = ""
    jumps: tuple = ()

    def display_name(self, lang: str = "en") -> str:
        """The scenario as titles show it: its ``title_zh`` (in Chinese) or ``title``, else
        its name."""
        return display_name(self.original.metadata, lang, self.scenario)

    def anchor_text(self, lang: str = "en") -> str:
        """How the evaluation re-projected, in a few words of ``lang``: "restarted in 2023",
        "自2023年重新起步", "add-factors fading over 3 years"."""
        return anchor_text(self.anchor, self.start_year, lang)

    @property
    def illustrative(self) -> bool:
        """Whether the actual figures are illustrative (made with hubinsim, as
        examples/actuals_illustrative.csv), not published ones."""
        return bool(self.record.get("actuals_illustrative"))

    def source_text(self, lang: str = "en") -> str:
        """Where the actual figures come from, for the title block: the file, and whether its
        figures are illustrative (then not for an official evaluation)."""
        name = self.record.get("actuals")
        if lang == "zh":
            text = f"实际数据来自 {name}" if name else "实际数据在 Python 中给出"
            return text + (
                ":示例数据(并非公布数据),不可用于正式评估。" if self.illustrative else "。"
            )
        text = f"Actual figures from {name}" if name else "Actual figures given in Python"
        return text + (
            ": ILLUSTRATIVE figures, not published ones; not for an official evaluation."
            if self.illustrative
            else "."
        )

    def path_table(self) -> pd.DataFrame:
        """The evaluated path year by year, from which an office writes its text: one row a
        year from 2020 to the run's end; columns ``year``, ``status`` ("actual": a year with
        actual figures, the 2020 base included; "re-projected"), the indicators of
        :data:`PATH_INDICATORS` then those of the plan's targets, each in its unit, and, for
        a year of actual figures, ``model_figures``: the indicators (codes, ", " between
        them) whose figure that year is the model's (no actual figure given); for any year,
        ``estimated_figures``: those built from the actual figures (an estimate: a level
        from a growth rate, a year from a period to date). With draws the re-projected
        years, and the model's figures of the actual years, are the members' median."""
        codes = [*PATH_INDICATORS, *(t.indicator for t in self.targets)]
        inds = [i for i in dict.fromkeys(codes) if i in self.path.columns]
        flags = self.flags.reindex(index=self.path.index)
        actual = flags.isin(["actual", "base"]).any(axis=1)

        def which(year, flag):
            return ", ".join(i for i in inds if flags.loc[year, i] == flag)

        table = self.path[inds].copy()
        table.insert(0, "status", ["actual" if actual[y] else "re-projected" for y in table.index])
        table["model_figures"] = [which(y, "model") if actual[y] else "" for y in table.index]
        table["estimated_figures"] = [which(y, "estimate") for y in table.index]
        return table.rename_axis("year").reset_index()

    def verdicts(self) -> pd.Series:
        """The verdict of each target, by indicator@year."""
        keys = self.table["indicator"] + "@" + self.table["target_year"].astype(str)
        return pd.Series(self.table["verdict"].to_numpy(), index=keys)


#: The note of an evaluation without draws (English, Chinese): its verdicts rest on the
#: parameters' default values, which the draws vary.
SINGLE_RUN = (
    "A single run at the parameters' default values: a verdict near its threshold can turn "
    "over the parameters' ranges; --draws N gives the members' median and the probability "
    "of meeting each target, for the table handed over.",
    "单次运行,参数取默认值:接近阈值的结论可能随参数取值范围而改变;使用 --draws N 可得到各次抽样的"
    "中位数和每项目标的达标概率,正式上报的表格宜采用。",
)


#: The indicators of the annual path (:meth:`Evaluation.path_table`), before those of the
#: plan's targets: GDP and its real growth, the three sectors and their shares, employment
#: and unemployment, vacancies per unemployed person (a labour shortage), fiscal revenue,
#: the government account's balance and debt, fixed-asset investment, population.
PATH_INDICATORS = (
    "gdp",
    "gdp_real_growth_pct",
    "va_primary",
    "va_secondary",
    "va_tertiary",
    "share_primary_pct",
    "share_secondary_pct",
    "share_tertiary_pct",
    "employment",
    "unemployment_rate_pct",
    "vacancies_per_unemployed",
    "fiscal_revenue",
    "fiscal_balance",
    "government_debt",
    "fai",
    "population",
)


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
    kind, fade_years = parse_anchor(anchor, lang)
    scn = as_scenario(scenario, data_dir)
    if actuals is None:
        raise ActualsError(["actuals: an actuals file is needed (docs/evaluation.md)"])
    acts = as_actuals(actuals)
    acts.check_years(BASE_YEAR, scn.time.end, this_year=restarts.this_year(), lang=lang)
    if as_of is not None:
        if not (isinstance(as_of, int) and BASE_YEAR <= as_of <= scn.time.end):
            said = in_lang(
                lang,
                f"as_of: a year in {BASE_YEAR}..{scn.time.end}, got {as_of!r}",
                f"as_of(--as-of):应为 {BASE_YEAR}..{scn.time.end} 中的年份,而不是 {as_of!r}",
            )
            raise ScenarioError([said], lang=lang)
        acts = acts.only(years=range(BASE_YEAR, as_of + 1))
        if not acts.figures(vintage):
            said = in_lang(
                lang, f"no figure of a year up to {as_of}", f"没有{as_of}年及以前年份的数据"
            )
            raise ActualsError([f"{acts.path}: {said}"], lang=lang)
    if isinstance(targets, str | os.PathLike):
        target_list = read_targets(targets)
    else:
        target_list = list(targets) if targets is not None else load_targets(data_dir)
    _check_target_years(target_list, scn, warn=targets is not None, lang=lang)
    res = simulate(
        scn,
        actuals=acts,
        anchor=anchor,
        vintage=vintage,
        draws=draws,
        seed=seed,
        workers=workers,
        data_dir=data_dir,
    )
    rep = res.reprojection
    original, ensemble = rep.original, rep.ensemble
    figures, levels, history = rep.figures, rep.levels, rep.history
    path, flags, values, band = rep.path, rep.flags, rep.members, rep.band
    if values is not None:  # every year of each member, its own before a restart (the actual
        # figures in place), so that a count from a later base year is each member's own
        values = {name: res.values[name] for name in values if name in res.values}
    start, latest, anchor_table = rep.start_year, rep.latest_year, rep.anchor_table
    re_annual = rep.reprojection
    if start is not None:
        _warn_targets_before(target_list, history, start, lang)
    assumptions = _assumptions(kind, fade_years, lang)
    if any(t.indicator == "new_urban_jobs_cumulative" for t in target_list):
        note = JOBS_NOTE[lang == "zh"]
        assumptions.append(note + "。" if lang == "zh" else note[0].upper() + note[1:] + ".")
    if not draws:
        assumptions.append(SINGLE_RUN[lang == "zh"])
    # A target without actuals has its time progress at the latest full year, not at a
    # year known only from a period to date.
    time_year = rep.needed_from
    table = evaluation_table(
        target_list,
        path,
        flags,
        history,
        values,
        latest,
        rules,
        lang,
        time_year=time_year,
        scenario_decided=scenario_decided(scn, target_list, data_dir),
        carried=rep.carried,
    )
    items = _relevant_checks(
        _check_items(path, history, rep.needed_from, lang), target_list, time_year
    )
    _mark_jumps(table, items, lang)
    used = _used_table(figures, levels, acts.select(vintage).rows)
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
        "actuals_illustrative": is_illustrative(acts),
        "anchor": rep.anchor,
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
        orig_band = percentile_frame(ensemble.values, ensemble.years)
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
        checks=_check_sentences(items, lang),
        not_evaluated=not_evaluated_text(lang) if targets is None else "",
        jumps=tuple((ind, about) for ind, about, key, _text in items if key == "jump"),
    )


#: The 14th FYP's targets the model does not represent (data/README.md, "targets.csv"), as
#: (English, Chinese): left out of every evaluation with the default targets, and said so.
NOT_EVALUATED = (
    ("e-commerce turnover 100 亿元 and online retail 80 亿元",
     "电子商务交易额100亿元、网络零售额80亿元"),
    ("finance: growth 8 %, at least 10 % of tertiary value added",
     "金融业增长8%、占第三产业增加值10%以上"),
    ("high-end equipment and new-energy vehicles, about 100 亿元 each",
     "高端装备制造、新能源汽车产业各约100亿元"),
    ("industrial profit margin about 25 %", "工业利润率约25%"),
    ("GDP growth above the Sanmenxia average", "地区生产总值增速高于全市平均水平"),
    ("re-employment of the unemployed 8,000", "失业人员再就业8000人"),
    ("rural labour newly transferred 5,000", "新增农村劳动力转移就业5000人"),
    ("skills training 15,000 people (3,000 a year)", "职业技能培训15000人(每年3000人)"),
    ("investment attraction 1,000 亿元", "招商引资1000亿元"),
    ("good-air days 300 a year", "空气质量优良天数300天"),
    ("online tax filing 99 %", "网上办税率99%"),
    ("under-forest economy output 15 亿元", "林下经济产值15亿元"),
    ("village collective income 200,000 yuan per village a year", "村集体经济收入每村每年20万元"),
)  # fmt: skip


def not_evaluated_text(lang: str = "en") -> str:
    """The line naming the plan's targets left out of the evaluation (:data:`NOT_EVALUATED`),
    so that a panel does not read the table as complete."""
    if lang == "zh":
        names = ";".join(zh for _en, zh in NOT_EVALUATED)
        return f"以下规划指标未纳入评估(模型未模拟):{names}。"
    names = "; ".join(en for en, _zh in NOT_EVALUATED)
    return (
        f"Plan targets not evaluated (the model does not represent them; data/README.md): {names}."
    )


def _relevant_checks(items: list, targets, time_year: int) -> list:
    """The checks a reader of this evaluation needs: in a final evaluation (a target's year
    is over), none about a year after the last target year that is over, unless a target
    still open is of the same indicator (a 2026 jump of the yearly jobs says nothing of the
    2025 targets)."""
    over = [t.year for t in targets if t.year <= time_year]
    if not over:
        return items
    open_inds = {t.indicator for t in targets if t.year > time_year}
    return [c for c in items if c[1] <= max(over) or c[0] in open_inds]


#: The mark of a row whose re-projection jumps from the latest actual figure: the check's
#: own sentence, which says so ("the re-projection jumps from the latest actual 4.60 ...").
_JUMP_MARK = (
    "{text} (see the checks)",
    "{text}(见核对)",
)


def _mark_jumps(table: pd.DataFrame, items: list, lang: str) -> None:
    """Mark the rows (not yet over) of an indicator whose re-projection jumps from its latest
    actual figure: the check is then read beside the verdict, not only in its section."""
    jumps = {ind: text for ind, _about, key, text in items if key == "jump"}
    sep = ";" if lang == "zh" else "; "
    for i, row in table.iterrows():
        if row["indicator"] in jumps and math.isnan(row["completion_pct"]):
            mark = _JUMP_MARK[lang == "zh"].format(text=jumps[row["indicator"]])
            table.at[i, "marks"] = sep.join(m for m in (row["marks"], mark) if m)


#: How far a scenario's own figure of a target may be from business as usual's before the
#: target counts as decided by the scenario's assumptions (:func:`scenario_decided`):
#: relative for a level, in points for a rate or share (0.5 % of a 4 % growth rate would be
#: 0.02 points).
SCENARIO_TOLERANCE = 0.005
SCENARIO_TOLERANCE_POINTS = 0.1


def scenario_decided(scn: Scenario, targets, data_dir=None) -> set[tuple[str, int]]:
    """The targets (indicator, year) whose figure the scenario's own assumptions move: its
    run from 2020 differs from the same run without its levers, profile, shocks and
    parameters (business as usual) by more than :data:`SCENARIO_TOLERANCE` in the target's
    year (:data:`SCENARIO_TOLERANCE_POINTS` for a rate or share). Without an actual figure
    such a verdict rests on the scenario's assumptions (the firms it attracts, the R&D it
    sets, the jobs of its programme, the trends it assumes), not on evidence."""
    usual = Scenario()
    if not (scn.levers or scn.shocks or scn.parameters or scn.profile != usual.profile):
        return set()
    bau = replace(
        scn,
        name=f"{scn.name}-as-usual",
        levers={},
        shocks=(),
        profile=usual.profile,
        parameters={},
    )
    own = simulate(scn, data_dir=data_dir).annual
    as_usual = simulate(bau, data_dir=data_dir).annual
    found = set()
    for tg in targets:
        ind, year = tg.indicator, tg.year
        if ind not in own.columns or year not in own.index:
            continue
        a, b = float(own.loc[year, ind]), float(as_usual.loc[year, ind])
        rate = INDICATOR_BY_NAME[ind].unit == "%" if ind in INDICATOR_BY_NAME else False
        limit = SCENARIO_TOLERANCE_POINTS if rate else SCENARIO_TOLERANCE * max(abs(b), 1e-9)
        if abs(a - b) > limit:
            found.add((ind, year))
    return found


def is_illustrative(acts: Actuals) -> bool:
    """Whether a file's figures are illustrative, not published: its name says so, or any
    row's source does (as examples/actuals_illustrative.csv's: "illustrative: made with
    hubinsim, not a published figure"). Any: an analyst who copies the example and types in
    the latest year's published figures still evaluates on the example's earlier years."""
    if acts.path is not None and "illustrative" in os.path.basename(str(acts.path)).lower():
        return True
    return any("illustrative" in r.source.lower() for r in acts.rows)


def _warn_targets_before(targets, history: dict, start: int, lang: str = "en") -> None:
    """Warn of each target of a year before the restart year whose indicator has actual
    figures but none of the target's year: it is judged by the original run's figure. In
    ``lang``."""
    given = {ind for (ind, _y) in history}
    for tg in targets:
        if tg.year < start and tg.indicator in given and (tg.indicator, tg.year) not in history:
            said = in_lang(
                lang,
                f"{tg.indicator} {tg.year}: the actual figures go to {start}, after the "
                f"target's year, but none is of {tg.year}: the target is judged by the "
                f"original run's {tg.year} figure (flagged model)",
                f"{tg.indicator} {tg.year}年:实际数据截至{start}年,晚于目标年份,但没有"
                f"{tg.year}年的数据:该目标按原始运行{tg.year}年的数值判断(标为模型值)",
            )
            warnings.warn(said, UserWarning, stacklevel=4)


def _check_target_years(targets: list[Target], scn: Scenario, warn: bool, lang: str = "en") -> None:
    """Raise when the run reaches no target's year; with ``warn`` (targets the caller
    chose), warn of those it does not reach (they are left out of the table). The 2035
    vision's targets of data/targets.csv are beyond a run to 2025 as a matter of course.
    In ``lang``."""
    end = scn.time.end
    outside = [t for t in targets if not BASE_YEAR < t.year <= end]
    if not outside:
        return
    named = ", ".join(f"{t.indicator}@{t.year}" for t in outside)
    if len(outside) == len(targets):
        said = in_lang(
            lang,
            f"no plan target falls in the run {BASE_YEAR}..{end} (the targets: {named}); "
            "set a later end in the scenario's [time] section",
            f"没有规划目标落在运行年份 {BASE_YEAR}..{end} 之内(目标:{named});"
            "请在情景的 [time] 部分设定更晚的结束年份(end)",
        )
        raise ScenarioError([said], source=scn.source or scn.name, lang=lang)
    if warn:
        said = in_lang(
            lang,
            f"scenario {scn.name!r} ends in {end}: the targets {named} are left out of the "
            "evaluation (set a later end in the scenario's [time] section)",
            f"情景 {scn.name!r} 止于{end}年:目标 {named} 不在评估之内"
            "(请在情景的 [time] 部分设定更晚的结束年份(end))",
        )
        warnings.warn(said, UserWarning, stacklevel=3)


#: The note of a level of a period to date: read, listed, not used.
UNUSED_NOTE = "a level of a period to date is no full-year level: read, not used"


def _used_table(figures: dict, levels: dict, read_rows=()) -> pd.DataFrame:
    """Every figure used, and every level of a period to date read but not used (status
    ``unused``), so that the table shows what the file gave."""
    rows = [
        {
            "indicator": r.indicator,
            "year": r.year,
            "period": r.period,
            "basis": r.basis,
            "value": r.value,
            "vintage": r.vintage,
            "status": "unused",
            "note": UNUSED_NOTE,
            "source": r.source,
            "line": r.line,
        }
        for r in read_rows
        if not r.full_year and not r.is_growth
    ]
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
    targets,
    path,
    flags,
    history,
    members,
    latest_year,
    rules,
    lang="en",
    time_year=None,
    scenario_decided=frozenset(),
    carried=None,
) -> pd.DataFrame:
    """The evaluation table: one row per target whose year is in the path.

    ``latest_year`` is the latest year of the figures (estimates from periods to date
    included); ``time_year`` (default ``latest_year``) the year at which the time progress of
    a target without any actual is measured; ``scenario_decided`` the targets (indicator,
    year) whose figure the scenario's own levers move (:func:`scenario_decided`);
    ``carried`` the restart record's figures carried from an earlier actual (indicator -> its
    year, :attr:`hubinsim.run.restart.Reprojection.carried`).
    """
    time_year = latest_year if time_year is None else time_year
    rows = []
    years = list(path.index)
    for tg in targets:
        ind = tg.indicator
        if ind not in path.columns or tg.year not in years:
            continue
        by_scenario = tg.decided_by == "lever" or (ind, tg.year) in scenario_decided
        rows.append(
            _target_row(
                tg, path, flags, history, members, latest_year, time_year, rules, lang,
                by_scenario, (carried or {}).get(ind),
            )
        )  # fmt: skip
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
    "completion_pct",
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
    "decided_by",
    "source",
]


#: The plans' names in Chinese (another plan's name is written as its file gives it).
PLANS_ZH = {"14th": "十四五规划", "15th": "十五五规划", "2035": "2035年远景目标"}


def _meets(value, target: float, comparison: str):
    return value >= target if comparison == ">=" else value <= target


#: How far the re-projection of a year known only from a period to date (2024 from its
#: Q1-Q3 growth, after a restart from 2023) may differ from the estimate before the table
#: says so: points for rates, shares and growth rates; percent for levels.
ESTIMATE_TOLERANCE = {"points": 1.0, "growth": 2.0, "count": 2.0}


def _estimate_text(ind: str, year: int, estimate: float, projected: float, lang: str) -> str:
    """Where the re-projection of ``year`` is further from its estimate from a period to date
    than :data:`ESTIMATE_TOLERANCE` (points for rates and shares, percent for levels and
    counts), both figures in a sentence of ``lang``; else empty."""
    if _measure(ind) == "points":
        apart, limit, unit = (
            projected - estimate,
            ESTIMATE_TOLERANCE["points"],
            ("pp", "个百分点"),  # percentage points: "1 pp", not "1 points"
        )
    else:
        apart = (projected / estimate - 1.0) * 100.0 if estimate else math.nan
        limit, unit = ESTIMATE_TOLERANCE[_measure(ind)], ("%", "%")
    if not math.isfinite(apart) or abs(apart) <= limit:
        return ""
    unit = unit[1] if lang == "zh" else f" {unit[0]}"
    return _CHECK_TEXTS["estimate"][lang == "zh"].format(
        year=year, value=estimate, projected=projected, apart=apart, limit=limit, unit=unit
    )


def _estimate_check(ind, last, status, latest, series, lang) -> str:
    """The row's note where its latest figure is an estimate from a period to date that the
    re-projection of its year contradicts (:func:`_estimate_text`)."""
    if status != ESTIMATE or last is None or last not in series.index:
        return ""
    return _estimate_text(ind, last, latest, float(series.loc[last]), lang)


#: How far the re-projection's first year may move from the latest full year of actual
#: figures before :func:`reprojection_checks` says so: points for a growth rate, points for
#: another rate or share, and points of growth for a level (its growth in the first
#: re-projected year against its actual growth in the latest year).
JUMP_TOLERANCE = {"growth_rate": 3.0, "points": 1.0, "level": 5.0}


def _name(ind: str, lang: str) -> str:
    info = INDICATOR_BY_NAME[ind]
    return info.meaning_zh if lang == "zh" else ind


#: The sentences of :func:`reprojection_checks` (after the indicator's name) and of a row's
#: ``estimate_check``, in English and Chinese.
_CHECK_TEXTS = {
    "jump": (
        "the re-projection jumps from the latest actual {value:.2f} ({year}) to "
        "{projected:.2f} in {next}, {apart:+.2f} points (more than {limit:g})",
        "重新预测由{year}年最新实际值 {value:.2f} 跳至{next}年的 {projected:.2f},"
        "相差 {apart:+.2f} 个百分点(超过 {limit:g} 个百分点)",
    ),
    "level": (
        "the re-projection grows {grows:.2f} % in {next} after {was:.2f} % actual in "
        "{year} ({value:.2f} {unit}), {apart:+.2f} points apart (more than {limit:g})",
        "重新预测{next}年增长 {grows:.2f}%,而{year}年实际增长 {was:.2f}%"
        "({value:.2f} {unit}),相差 {apart:+.2f} 个百分点(超过 {limit:g} 个百分点)",
    ),
    "estimate": (
        "the {year} estimate is {value:.2f} (from a period to date); the re-projection gives "
        "{projected:.2f} for {year}, {apart:+.2f}{unit} apart (more than {limit:g}{unit})",
        "{year}年由期间累计数据估计为 {value:.2f},重新预测该年为 {projected:.2f},"
        "相差 {apart:+.2f}{unit}(超过 {limit:g}{unit})",
    ),
}


def _jump(ind: str, year: int, value: float, projected: float, history: dict):
    """How far the first re-projected year ``projected`` moves from the latest actual
    ``value`` of ``year`` (:data:`JUMP_TOLERANCE`): (text key, apart, limit, figures), or None
    for a level without the actual figure of the year before."""
    figures = {"value": value, "projected": projected, "next": year + 1}
    if ind.endswith("growth_pct"):
        return "jump", projected - value, JUMP_TOLERANCE["growth_rate"], figures
    if _measure(ind) == "points":
        return "jump", projected - value, JUMP_TOLERANCE["points"], figures
    before = history.get((ind, year - 1), (math.nan,))[0]
    if _measure(ind) != "growth" or not (value > 0 and before > 0):
        return None
    was, grows = (value / before - 1.0) * 100.0, (projected / value - 1.0) * 100.0
    unit = INDICATOR_BY_NAME[ind].unit
    figures |= {"was": was, "grows": grows, "unit": unit}
    return "level", grows - was, JUMP_TOLERANCE["level"], figures


def reprojection_checks(path: pd.DataFrame, history: dict, full_year: int, lang="en") -> list:
    """What a reader must know of the re-projection against the actual figures, each a
    sentence in ``lang`` (docs/evaluation.md, "Checks of the re-projection"):

    - a jump: the re-projection of the year after ``full_year`` (the latest full year of
      actual figures) moves from that year's actual figure by more than
      :data:`JUMP_TOLERANCE` (a growth rate 4.6 % actual in 2023, 18.6 % re-projected in
      2024; a level growing 21 % re-projected after 5.6 % actual);
    - a contradiction: a later year known from a period to date (an estimate of 2024 from
      its Q1-Q3 growth) that the re-projection of that year misses by more than
      :data:`ESTIMATE_TOLERANCE`, for every indicator, not only the targets'.
    """
    return _check_sentences(_check_items(path, history, full_year, lang), lang)


def _check_sentences(items: list, lang: str) -> list[str]:
    """The checks of :func:`_check_items` as sentences led by the indicator's name."""
    return [f"{_name(ind, lang)}{':' if lang == 'zh' else ': '}{text}" for ind, *_, text in items]


def _check_items(path: pd.DataFrame, history: dict, full_year: int, lang="en") -> list:
    """The checks of :func:`reprojection_checks` as (indicator, the year they are about,
    "jump" or "estimate", sentence without the indicator's name)."""
    checks = []
    for (ind, year), (value, status, _note, _fig) in sorted(history.items()):
        if ind not in path.columns or ind not in INDICATOR_BY_NAME:
            continue
        text, about, key = "", year, "estimate"
        if year == full_year and year + 1 in path.index:
            about, key = year + 1, "jump"
            found = _jump(ind, year, value, float(path.loc[year + 1, ind]), history)
            if found is not None:
                key, apart, limit, figures = found
                if math.isfinite(apart) and abs(apart) > limit:
                    text = _CHECK_TEXTS[key][lang == "zh"].format(
                        year=year, apart=apart, limit=limit, **figures
                    )
        elif year > full_year and status == ESTIMATE and year in path.index:
            text = _estimate_text(ind, year, value, float(path.loc[year, ind]), lang)
        if text:
            checks.append((ind, about, key, text))
    return checks


#: The marks of a row whose verdict a reader must weigh: a target not printed in the plan,
#: and a verdict without any actual figure (resting on the model, or on the scenario's own
#: levers: the figure follows a lever, or the scenario moves it away from business as usual).
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
    "scenario": (
        "rests on the scenario's assumptions: no actual figure yet (what follows if its "
        "levers and assumed trends are what happens; no evidence that they are)",
        "依据情景假设:未有实际数据(为情景的政策设定和趋势假设成真时的结果,并非实际证据)",
    ),
    "model_base": (
        "base: the model's figure (no actual figure of the base year)",
        "基数为模型值(基数年份无实际数据)",
    ),
    "no_probability": (
        "no probability of meeting (—): the draws vary the model's parameters, not whether "
        "the scenario's levers and assumed trends happen, so the share of draws meeting the "
        "target would be no evidence about the plan",
        "不给达标概率(—):抽样只改变模型参数,不改变情景的政策设定和趋势假设是否实现,"
        "达标抽样占比不能作为规划实施的证据",
    ),
}


def _marks(
    tg: Target, without: str, lang: str, model_base: bool = False, withheld: bool = False
) -> str:
    """The marks of a row (:data:`_MARKS`), joined; empty for a plan target with actuals.
    ``without`` is the mark of a row without an actual figure ("model_only", "scenario"),
    empty for one with; ``withheld``: with draws, its probability is not given."""
    flags = (without, "model_base" if model_base else "", "no_probability" if withheld else "")
    keys = [k for k in (tg.set_by, *flags) if k in _MARKS]
    return ("; " if lang != "zh" else ";").join(_MARKS[k][lang == "zh"] for k in keys)


def _rounded_mark(rule: float, judged: float, unit: str, lang: str) -> str:
    """The mark of a count target whose rule gives a fraction (67.6 firms = 46 x 1.08^5),
    judged as the whole number that meets it (68); empty when the rule is whole."""
    if rule == judged:
        return ""
    if lang == "zh":
        return f"目标值 {judged:g} 为规则值 {rule:.1f} 取整(所需年均增长按 {rule:.1f} 计)"
    return (
        f"target {judged:g} {unit} is the rule's {rule:.1f} rounded up to whole {unit} "
        f"(the growth needed is measured to {rule:.1f})"
    )


def _completion(value: float, target: float, comparison: str) -> float:
    """The completion rate (%): the figure against the target; for a ceiling, the target
    against the figure (staying below it gives 100 % or more)."""
    if comparison == ">=":
        return value / target * 100.0 if target else math.nan
    return target / value * 100.0 if value > 0 else math.nan


def _final_case(
    tg: Target, case: Case, series, history, last, latest, status, every, carried_from=None
):
    """The case of a target whose year is over, and its completion rate: judged by the
    actual figure of the target year, else by the path's (the model's) figure of it. The
    path carries the latest actual to the target year only where the restart record says so
    (``carried_from``, the year of the actual it carried; a lever that keeps it after): an
    equal model figure (a count rounded) is the model's."""
    T = tg.year
    if every:
        years = list(range(tg.each_year_from, T + 1))
        value = {y: history[(tg.indicator, y)][0] if (tg.indicator, y) in history else
                 float(series.loc[y]) for y in years}  # fmt: skip
        missed = [y for y in years if not _meets(value[y], tg.target, tg.comparison)]
        rate = (len(years) - len(missed)) / len(years) * 100.0
        final = replace(case, final=True, completed=not missed, completion_pct=rate, year=T,
                        missed_year=missed[0] if missed else None)  # fmt: skip
        return final, rate
    from_model = last != T or status == ESTIMATE
    judged = float(series.loc[T]) if from_model else latest
    rate = _completion(judged, tg.target, tg.comparison)
    carried = (
        last is not None and last < T and carried_from == last
        and math.isclose(judged, latest, rel_tol=1e-9, abs_tol=1e-12)
    )  # fmt: skip
    final = replace(
        case,
        final=True,
        completed=bool(_meets(judged, tg.target, tg.comparison)),
        completion_pct=rate,
        judged=judged,
        year=T,
        from_model=from_model,
        carried_year=last if carried else None,
    )
    return final, rate


def _target_row(
    tg: Target,
    path,
    flags,
    history,
    members,
    latest_year,
    time_year,
    rules,
    lang,
    by_scenario=False,
    carried_from=None,
) -> dict:
    """A row of :func:`evaluation_table`; ``by_scenario``: without an actual figure, the
    verdict rests on the scenario's assumptions (its levers decide the figure), not on the
    model alone; ``carried_from``: the year of the actual the restart record carried."""
    ind, T = tg.indicator, tg.year
    measure = _measure(ind)
    every = tg.each_year_from is not None
    series = path[ind]
    whole = INDICATOR_BY_NAME[ind].kind == "count"
    rule_target = tg.target  # the plan's rule (67.6 = 46 x 1.08^5): the pace it sets, 8 %/yr
    if whole:  # as the scorecard judges a count: "at least 67.6 firms" is at least 68 firms,
        tg = replace(tg, target=judged_target(tg))  # and 68.98 firms projected are 69
        series = series.round()
    actual_years = [  # a target is judged by the figures up to its own year
        y for (i, y) in history if i == ind and y <= min(latest_year, T) and y in series.index
    ]
    last = max(actual_years) if actual_years else None
    latest = history[(ind, last)][0] if last is not None else math.nan
    status = history[(ind, last)][1] if last is not None else ""
    B = tg.base_year  # the plan's base year: progress and time progress from it
    offset = 0.0  # a count of a later plan counts from its base year
    model_base = False  # the base is the model's figure of the base year
    if measure == "count":
        if B > BASE_YEAR:
            offset = count_at(ind, B, history, float(series.loc[B]))
            series = series - offset
            latest -= offset
        base = 0.0
    elif tg.base_value is not None:
        base = float(tg.base_value)  # as the plan prints it (57.8, not the data's 57.76)
    elif (ind, B) in history:
        base = history[(ind, B)][0]
    else:
        base = float(series.loc[B])
        model_base = B > BASE_YEAR
    projected = float(series.loc[T])
    member_counts = None  # with draws, each member's count since the base year
    if measure == "count" and B > BASE_YEAR and members is not None and ind in members:
        v = np.round(members[ind]) if whole else np.asarray(members[ind], dtype=float)
        at = list(path.index[-v.shape[0] :])
        member_counts = v - v[at.index(B)]
        projected = float(np.median(member_counts[at.index(T)]))
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
        v = np.round(members[ind]) if whole else np.asarray(members[ind])
        m_years = list(path.index[-v.shape[0] :])
        if member_counts is not None:
            v = member_counts
        if every:
            idx = [m_years.index(y) for y in plan_years if y in m_years and y > latest_year]
            ok = np.all(_meets(v[idx], tg.target, tg.comparison), axis=0) if idx else None
        else:
            ok = _meets(v[m_years.index(T)], tg.target, tg.comparison)
        if ok is not None:
            probability = float(np.mean(ok))
    # a figure the scenario's assumptions decide, with no actual figure: the draws vary the
    # model's parameters, not whether the levers and trends assumed happen, so the share of
    # draws meeting the target (R&D intensity set to 2.50 by a lever: 100 %) is no evidence
    # about the plan; none is given, and the verdict reads the median as a single run does
    withheld = by_scenario and last is None and members is not None
    if withheld:
        probability = math.nan
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
        # no actual year yet: no progress to show (0 % would read "no year met")
        given = [y for y in plan_years if y in actual_years]
        target_progress = len(met_years) / len(plan_years) * 100.0 if given else math.nan
        if missed and not math.isnan(probability):
            probability = 0.0  # an actual year missed it: no member can meet every year
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
        if not ind.endswith("growth_pct"):  # a rate kept every year (unemployment <= 3.8 %)
            needed, proj_rate, unit = math.nan, math.nan, ""  # needs no growth
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
        # the pace the plan's rule sets: 46 firms to 67.6 is 8.00 %/yr, though 68 are needed
        needed = _rate(measure, from_value, rule_target, span)
        proj_rate = _rate(measure, from_value, projected, span)
        # the pace the actual figures record so far: with the pace needed, it says whether
        # they alone put the target out of reach (settled_by_actuals)
        achieved_rate = (
            _rate(measure, base, latest, last - B)
            if last is not None and last > B and not model_base
            else math.nan
        )
        case = Case(
            achieved=last is not None and bool(_meets(latest, tg.target, tg.comparison)),
            target_progress=target_progress,
            time_progress=time_progress,
            projection_meets=bool(_meets(projected, tg.target, tg.comparison)),
            needed=needed,
            projected_rate=proj_rate,
            projected=projected,
            target=tg.target,
            achieved_rate=achieved_rate,
            **case_kw,
        )
        unit = {"growth": "%/yr", "points": "pp/yr", "count": f"{INDICATOR_BY_NAME[ind].unit}/yr"}[
            measure
        ]
        if case.achieved:  # reached: no growth is needed (a negative need misleads)
            needed = math.nan
    completion = math.nan
    if time_year >= T:  # the target's year is over: the final evaluation (总结评估)
        case, completion = _final_case(
            tg, case, series, history, last, latest, status, every, carried_from
        )
        needed, proj_rate = math.nan, math.nan
        probability = math.nan  # a year that is over has no probability of meeting the target
    code, reason = verdict(case, rules, lang)
    # where the actual figures settle the verdict, they decide it, not the model or a lever
    on_actuals = last is not None and settled_by_actuals(case, rules)
    zh, en = VERDICTS[code]
    info = INDICATOR_BY_NAME[ind]
    if lang == "zh":  # the signs of the reasons and the comparison's scorecard: ≥, ≤
        sign = {">=": "≥", "<=": "≤"}[tg.comparison]
        comparison = sign + (f" {tg.each_year_from}年起每年" if every else "")
        unit = in_chinese(unit).replace("/yr", "/年")
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
        "completion_pct": completion,
        "time_progress_pct": time_progress,
        "projected": projected,
        "probability_pct": probability * 100.0,
        "growth_needed": needed,
        "growth_projected": proj_rate,
        "growth_unit": unit,
        "verdict": zh if lang == "zh" else en,
        "verdict_zh": zh,
        "reason": reason,
        "estimate_check": _estimate_check(ind, last, status, latest, series, lang),
        "marks": (";" if lang == "zh" else "; ").join(
            m
            for m in (
                _marks(
                    tg,
                    "" if last is not None else "scenario" if by_scenario else "model_only",
                    lang,
                    model_base and last is not None,
                    withheld,
                ),
                _rounded_mark(rule_target, tg.target, info.unit, lang),
            )
            if m
        ),
        "decided_by": "actual" if on_actuals else tg.decided_by,
        "source": tg.source,
    }
