"""Results of a run: tidy annual tables, members, metadata and the plan-target scorecard.

Also the tables made from results for people: an ensemble's annual summary (median, mean,
percentiles) and the headline figures of the terminal summary.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .catalog import HEADLINE, INDICATOR_BY_NAME, INDICATORS, holds_words, in_chinese, suggest
from .data import Target, load_targets
from .errors import ScenarioError, printable

PERCENTILES = (5, 25, 50, 75, 95)
#: Years of the headline summary (with the last year of the run).
HEADLINE_YEARS = (2020, 2025, 2035)


@dataclass
class Results:
    """The outcome of :func:`hubinsim.simulate`.

    Attributes
    ----------
    years : ndarray of int
    values : dict of name -> ndarray (years, members)
        Every indicator for every member.
    metadata : dict
        Scenario name, time settings, parameters used, units and price basis, version.
    targets_spec : list of Target
        The plan targets the scorecard is built from.
    reprojection : Reprojection or None
        For a run re-projected from actual figures (``simulate(..., actuals=...)``): the
        evaluated path, the flag of each cell, the restart record or the add-factors
        (:class:`hubinsim.run.restart.Reprojection`).
    """

    years: np.ndarray
    values: dict[str, np.ndarray]
    metadata: dict = field(default_factory=dict)
    targets_spec: list[Target] = field(default_factory=list)
    reprojection: object | None = None

    @property
    def n_members(self) -> int:
        return next(iter(self.values.values())).shape[1]

    @property
    def columns(self) -> list[str]:
        return [i.name for i in INDICATORS if i.name in self.values]

    @cached_property
    def annual(self) -> pd.DataFrame:
        """One row per year, one column per indicator (the median over members)."""
        data = {
            name: (
                self.values[name][:, 0]
                if self.n_members == 1
                else np.median(self.values[name], axis=1)
            )
            for name in self.columns
        }
        df = pd.DataFrame(data, index=pd.Index(self.years, name="year"))
        return df

    def percentiles(self, q=PERCENTILES) -> pd.DataFrame:
        """Percentiles of every indicator by year: columns (indicator, 'p5' ...)."""
        parts = {}
        for name in self.columns:
            v = self.values[name]
            pct = percentile_rows(v, q)
            for qi, row in zip(q, pct, strict=True):
                parts[(name, f"p{qi}")] = row
        df = pd.DataFrame(parts, index=pd.Index(self.years, name="year"))
        df.columns = pd.MultiIndex.from_tuples(df.columns, names=["indicator", "stat"])
        return df

    @cached_property
    def targets(self) -> pd.DataFrame:
        """The plan-target scorecard (see :func:`scorecard`)."""
        return scorecard(self, self.targets_spec)

    def units(self) -> dict[str, str]:
        return {n: INDICATOR_BY_NAME[n].unit for n in self.columns}

    @property
    def is_ensemble(self) -> bool:
        """Whether the results hold several members (or come from an ensemble)."""
        return self.n_members > 1 or "ensemble" in self.metadata

    def summary(self, columns=None) -> pd.DataFrame:
        """The annual table a run folder writes: for a single run :attr:`annual`; for an
        ensemble, per indicator, the median under its own name (so that the same scripts
        read both), then ``<name>_mean`` and ``<name>_p5``, ``_p25``, ``_p50``, ``_p75``,
        ``_p95`` over the members (NaN for a year without values, such as growth rates in
        2020)."""
        if columns is not None:
            if isinstance(columns, str | bytes) or not isinstance(columns, Iterable):
                raise ScenarioError(
                    "columns: must be a list of indicator names, got "
                    f"{printable(repr(columns)):.60}"
                )
            columns = list(columns)
            unknown = [c for c in columns if c not in self.values]
            if unknown:
                raise ScenarioError(
                    [
                        f"columns: {printable(repr(c)):.60} is not an indicator of this result"
                        + suggest(str(c), list(self.values))
                        for c in unknown[:50]
                    ]
                )
        if not self.is_ensemble:
            return self.annual if columns is None else self.annual[columns]
        names = [c for c in (self.columns if columns is None else columns) if c in self.values]
        return summary_frame({n: self.values[n] for n in names}, self.years)

    def headline(self) -> pd.DataFrame:
        """The headline indicators in 2020, 2025, 2035 and the last year of the run.

        One row per headline indicator. A single run has one column per year; an ensemble has
        columns (year, stat) with stat ``median``, ``p5`` and ``p95`` over the members, the
        percentiles left empty (NaN) where every member has the same value.
        """
        years = headline_years(self.annual.index)
        idx = [list(self.years).index(y) for y in years]
        names = [n for n in HEADLINE if n in self.values]
        if not self.is_ensemble:
            table = self.annual.loc[years, names].T
            table.columns = list(years)
            return table.rename_axis("indicator")
        data = {}
        for name in names:
            p5, p50, p95 = percentile_rows(self.values[name][idx], (5, 50, 95))
            flat = np.isclose(p5, p95, rtol=1e-12, atol=1e-12)
            row = {}
            for y, a, m, b, same in zip(years, p5, p50, p95, flat, strict=True):
                row[(y, "median")] = m
                row[(y, "p5")] = np.nan if same else a
                row[(y, "p95")] = np.nan if same else b
            data[name] = row
        table = pd.DataFrame.from_dict(data, orient="index")
        table.columns = pd.MultiIndex.from_tuples(table.columns, names=["year", "stat"])
        return table.rename_axis("indicator")


def percentile_rows(v: np.ndarray, q) -> np.ndarray:
    """Percentiles over members (axis 1) of each year, shape (len(q), years); NaN for a year
    with no finite value (growth rates have none in the base year)."""
    out = np.full((len(q), v.shape[0]), np.nan)
    finite = np.isfinite(v)
    full = finite.all(axis=1)
    if full.any():
        out[:, full] = np.percentile(v[full], q, axis=1)
    for i in np.flatnonzero(~full & finite.any(axis=1)):
        out[:, i] = np.percentile(v[i][finite[i]], q)
    return out


def _pp(ind: str) -> bool:
    return INDICATOR_BY_NAME[ind].unit == "%"


def target_text(t: Target) -> str:
    """A plan target in a few characters: ``>=60``, ``>=9 each year 2021-2025``."""
    every = f" each year {t.each_year_from}-{t.year}" if t.each_year_from is not None else ""
    return f"{t.comparison}{t.target:g}{every}"


def judge_target(tg: Target, values: np.ndarray, years) -> tuple[np.ndarray, float, np.ndarray]:
    """How a plan target judges an indicator's ``values`` (shape (years, members), one row
    per year of ``years``): the value judged per member (the target's year, or the worst
    year from ``each_year_from``; a count rounded to whole units), the target's figure, and
    whether each member meets it."""
    years = list(years)
    v = np.asarray(values, dtype=float)
    yi = years.index(tg.year)
    if tg.each_year_from is not None:
        first = years.index(tg.each_year_from) if tg.each_year_from in years else 1
        span = v[first : yi + 1]
        judged = span.min(axis=0) if tg.comparison == ">=" else span.max(axis=0)
    else:
        judged = v[yi]
    target = judged_target(tg)
    if INDICATOR_BY_NAME[tg.indicator].kind == "count":
        judged = np.round(judged)  # 67.7 firms projected are 68 firms
    met = judged >= target if tg.comparison == ">=" else judged <= target
    return judged, target, met


def scorecard(res: Results, targets: list[Target]) -> pd.DataFrame:
    """Indicator, 2020 base, target, projected value, gap, met, and the average change a
    target needs each year from the 2020 base (percent a year for levels, points a year for
    rates and shares); ``decided_by`` says what settles the verdict: ``model`` (the
    model's mechanisms), ``lever`` (the value follows a lever a scenario sets, e.g. R&D
    intensity), ``definition`` (a definition or accounting rule) or ``assumption`` (an
    assumed trend or rate with no estimate: the natural unemployment rate, the replacement
    rate of jobs, the growth of non-resident shoppers, the services price drift; docs/model.md
    §15.4 names each). Targets "in every year
    from Y" are judged on the worst year. With members, ``probability`` is the share of
    members that meet the target.

    For a run re-projected from actual figures (``metadata["actuals"]``) the growth needed is
    measured from the latest actual year, named in the column ``needed_from``.
    """
    rows = []
    years = list(res.years)
    from_year = (res.metadata.get("actuals") or {}).get("needed_from")
    if from_year not in years:
        from_year = years[0]
    for tg in targets:
        if tg.indicator not in res.values or tg.year not in years:
            continue
        v = res.values[tg.indicator]
        judged, target, met_members = judge_target(tg, v, years)
        projected = float(np.median(judged))
        # A cumulated indicator counts from 2021: it has no 2020 base to grow from.
        base = np.nan if tg.indicator.endswith("_cumulative") else float(np.median(v[0]))
        start = base if from_year == years[0] else float(np.median(v[years.index(from_year)]))
        span = tg.year - from_year
        if tg.each_year_from is not None and _pp(tg.indicator):
            needed, needed_unit = target, "% each year"
        elif span <= 0 or np.isnan(base):
            needed, needed_unit = float("nan"), ""
        elif _pp(tg.indicator):
            needed, needed_unit = (target - start) / span, "pp/yr"
        elif start > 0 and target > 0:
            needed = ((target / start) ** (1.0 / span) - 1.0) * 100.0
            needed_unit = "%/yr"
        else:
            needed, needed_unit = float("nan"), ""
        row = {
            "indicator": tg.indicator,
            "year": tg.year,
            "base_2020": base,
            "target": target,
            "comparison": tg.comparison
            + (f" every year from {tg.each_year_from}" if tg.each_year_from else ""),
            "projected": projected,
            "gap": projected - target,
            "met": bool(np.median(met_members.astype(float)) >= 0.5)
            if res.n_members > 1
            else bool(met_members[0]),
            "needed": needed,
            "needed_unit": needed_unit,
            "unit": INDICATOR_BY_NAME[tg.indicator].unit,
            "source": tg.source,
            "decided_by": tg.decided_by,
            "needed_from": from_year,
        }
        if res.n_members > 1:
            row["probability"] = float(np.mean(met_members))
        rows.append(row)
    columns = ["indicator", "year", "base_2020", "target", "comparison", "projected", "gap"]
    columns += ["met", "needed", "needed_unit", "unit", "source", "decided_by"]
    if "actuals" in res.metadata:
        columns.append("needed_from")
    if res.n_members > 1:
        columns.append("probability")
    return pd.DataFrame(rows, columns=columns)  # the same columns when no target is in the run


#: The scorecard's columns in Chinese (:func:`scorecard_in`).
SCORECARD_ZH = {
    "indicator": "指标代码",
    "name": "指标名称",
    "year": "目标年份",
    "base_2020": "2020年基数",
    "target": "目标值",
    "comparison": "目标要求",
    "projected": "预测值",
    "gap": "差距",
    "met": "是否达标",
    "needed": "所需年均增长",
    "needed_unit": "增长单位",
    "unit": "单位",
    "source": "出处",
    "decided_by": "决定因素",
    "probability": "达标概率",
    "needed_from": "所需增长起算年份",
}
#: What settles a target's verdict (``decided_by``), in Chinese.
DECIDED_ZH = {
    "actual": "实际数据",
    "model": "模型",
    "lever": "政策杠杆",
    "definition": "指标定义",
    "assumption": "参数假设",
}
#: What each value of ``decided_by`` means, in one line (English, Chinese): the legend
#: beside every table that has the column.
DECIDED_LEGEND = (
    "decided by: actual = the actual figures settle the verdict (evaluation); model = the "
    "model's mechanisms decide it; lever = a lever the scenario sets; definition = how the project "
    "measures the indicator (the park's output as that of the district's above-scale firms); "
    "assumption = an assumed rate with no estimate",
    "决定因素:实际数据 = 结论由实际数据决定(规划评估);模型 = 模型推算;政策杠杆 = 情景设定的政策"
    "杠杆;指标定义 = 本项目对指标的界定(产业园区总产值按全区规上工业企业计);参数假设 = 无估计依据的"
    "参数假设",
)

#: What the model's count of new urban jobs counts (English, Chinese): beside the scorecards
#: `compare` prints, and among an evaluation's assumptions, where the count has a target.
JOBS_NOTE = (
    "new urban jobs are the model's gross hires: the growth of non-farm labour demand and "
    "the replacement of leavers (labour.turnover); re-hiring after a fall counts, as "
    "re-employed workers count in 城镇新增就业, so a fall and its recovery raise the count "
    "though employment is lower",
    "新增城镇就业为模型的新增雇用总数:非农劳动需求的增长加上离职人员的补充(离职率为参数假设);"
    "下滑后的重新雇用计入其中,与官方统计的城镇新增就业计入失业人员再就业一样,"
    "因此一次下滑及其恢复会使该数增加,尽管就业人数更少",
)


def plan_source_zh(text: str) -> str:
    """A target's source as data/targets.csv writes it, in Chinese: "plan Ch.4 s.2 (四),
    derived" -> "规划第4章第2节(四),推算"; another text as it is."""
    text = re.sub(r"plan Ch\.(\d+) s\.(\d+)", r"规划第\1章第\2节", str(text))
    return re.sub(r" \((.)\)", r"(\1)", text).replace(", derived", ",推算")


def scorecard_in(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A scorecard (:func:`scorecard`, or scorecards side by side with columns
    ``"projected:<scenario>"``) as a table for people in ``lang``: for ``"zh"`` Chinese
    headers, the indicator's Chinese name beside its code, units, comparisons, yes/no and
    sources in Chinese; for ``"en"`` as it is."""
    if lang != "zh":
        return card
    out = card.copy()
    for col in out.columns:
        key = col.split(":", 1)[0]
        if key == "met":
            out[col] = out[col].map(lambda v: "" if pd.isna(v) else "是" if v else "否")
        elif key in ("unit", "needed_unit"):
            out[col] = out[col].map(lambda v: in_chinese(v) if isinstance(v, str) else v)
        elif key == "decided_by":
            out[col] = out[col].map(lambda v: DECIDED_ZH.get(v, v))
        elif key == "source":
            out[col] = out[col].map(plan_source_zh)
        elif key == "comparison":
            out[col] = out[col].map(_comparison_zh)
    out.insert(1, "name", [INDICATOR_BY_NAME[i].meaning_zh for i in out["indicator"]])
    names = {}
    for col in out.columns:
        key, sep, scenario = col.partition(":")
        names[col] = SCORECARD_ZH.get(key, key) + (f":{scenario}" if sep else "")
    return out.rename(columns=names)


def _comparison_zh(text: str) -> str:
    """ ">= every year from 2021" -> "≥(2021年起每年)"."""
    sign = "≥" if str(text).startswith(">=") else "≤"
    m = re.search(r"every year from (\d+)", str(text))
    return sign + (f"({m.group(1)}年起每年)" if m else "")


def judged_target(tg: Target) -> float:
    """The value a target is judged against: its own, but a whole number for a count ("at
    least 67.6 firms" is at least 68 firms; "at most 10.4" is at most 10), whose projection
    is judged rounded to a whole number too."""
    if INDICATOR_BY_NAME[tg.indicator].kind != "count":
        return tg.target
    return float(math.ceil(tg.target) if tg.comparison == ">=" else math.floor(tg.target))


def target_phrase(tg: Target) -> str:
    """A target in words: '≥ 60 % in 2025', '≤ 3.8 % in every year 2021-2025',
    '≥ 68 firms in 2025'."""
    sign = "≥" if tg.comparison == ">=" else "≤"
    when = f"every year {tg.each_year_from}-{tg.year}" if tg.each_year_from else str(tg.year)
    return f"{sign} {judged_target(tg):,g} {INDICATOR_BY_NAME[tg.indicator].unit} in {when}"


#: Columns of :func:`indicators`.
INDICATOR_COLUMNS = (
    "name",
    "unit",
    "price_basis",
    "headline",
    "plan_target",
    "meaning_en",
    "meaning_zh",
)


def indicators(data_dir=None, *, as_frame: bool = True, search=None):
    """Every indicator a run reports: the columns of ``Results.annual`` and annual.csv, and
    the names ``hubinsim sensitivity --output NAME@YEAR`` takes.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files (the plan targets named in ``plan_target``).
    as_frame : bool
        True: a :class:`pandas.DataFrame` with the columns of :data:`INDICATOR_COLUMNS`
        (unit, price basis, whether the terminal summaries show it, the plan's targets for it,
        meaning in English and Chinese); False: a list of dicts of text, as ``hubinsim
        indicators --format csv`` writes them.
    search : str or sequence of str, optional
        Only the indicators whose name or meaning (English or Chinese) holds every one of
        these words, whatever the case (``"tertiary share"``, ``"失业率"``).
    """
    targets: dict[str, list[str]] = {}
    for tg in load_targets(data_dir):
        targets.setdefault(tg.indicator, []).append(target_phrase(tg))
    rows = [
        {
            "name": ind.name,
            "unit": ind.unit,
            "price_basis": ind.price_basis,
            "headline": "yes" if ind.headline else "no",
            "plan_target": "; ".join(targets.get(ind.name, [])),
            "meaning_en": ind.meaning_en,
            "meaning_zh": ind.meaning_zh,
        }
        for ind in INDICATORS
    ]
    rows = [r for r in rows if not search or holds_words(r, search)]
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS)) if as_frame else rows


def headline_years(years) -> list[int]:
    """Of :data:`HEADLINE_YEARS`, those in ``years``, and the last of ``years``."""
    years = [int(y) for y in years]
    out = [y for y in HEADLINE_YEARS if y in years]
    if years[-1] not in out:
        out.append(years[-1])
    return out


def summary_frame(values, years, share_positive: bool = False) -> pd.DataFrame:
    """Per name of ``values`` (arrays of shape (years, members)): the median under the name,
    ``<name>_mean`` and ``<name>_p5`` ... ``_p95``; with ``share_positive`` also
    ``<name>_prob_higher``, the share of members above zero (for differences)."""
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


def display_name(metadata, lang: str = "en", name: str | None = None) -> str:
    """The name charts and tables show for a run (its ``metadata``): its scenario's
    ``title_zh`` in Chinese, else its ``title``, else ``name`` (default: the scenario's
    name)."""
    if name is None:
        name = str(metadata.get("scenario", "scenario"))
    return (lang == "zh" and metadata.get("title_zh")) or metadata.get("title") or name


def display_names(runs, lang: str = "en") -> list[str]:
    """The names of runs for legends and headers (:func:`display_name`), made distinct."""
    return unique_names([display_name(r.metadata, lang) for r in runs])


def unique_names(names) -> list[str]:
    """Names made distinct for legends, columns and folders: a repeat becomes 'name (2)'."""
    seen, out = {}, []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out
