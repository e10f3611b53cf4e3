"""Results of a run: tidy annual tables, members, metadata and the plan-target scorecard."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .catalog import INDICATOR_BY_NAME, INDICATORS
from .data import Target

PERCENTILES = (5, 25, 50, 75, 95)


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
    """

    years: np.ndarray
    values: dict[str, np.ndarray]
    metadata: dict = field(default_factory=dict)
    targets_spec: list[Target] = field(default_factory=list)

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

    def member_frame(self, indicator: str) -> pd.DataFrame:
        """Years x members table of one indicator."""
        if indicator not in self.values:
            raise KeyError(f"unknown indicator {indicator!r}")
        return pd.DataFrame(self.values[indicator], index=pd.Index(self.years, name="year"))

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


def scorecard(res: Results, targets: list[Target]) -> pd.DataFrame:
    """Indicator, 2020 base, target, projected value, gap, met, and the average change a
    target needs each year from the 2020 base (percent a year for levels, points a year for
    rates and shares). Targets "in every year from Y" are judged on the worst year. With
    members, ``probability`` is the share of members that meet the target.
    """
    rows = []
    years = list(res.years)
    for tg in targets:
        if tg.indicator not in res.values or tg.year not in years:
            continue
        v = res.values[tg.indicator]
        yi = years.index(tg.year)
        if tg.each_year_from is not None:
            first = years.index(tg.each_year_from) if tg.each_year_from in years else 1
            span = v[first : yi + 1]
            judged = span.min(axis=0) if tg.comparison == ">=" else span.max(axis=0)
        else:
            judged = v[yi]
        met_members = judged >= tg.target if tg.comparison == ">=" else judged <= tg.target
        projected = float(np.median(judged))
        # A cumulated indicator counts from 2021: it has no 2020 base to grow from.
        base = np.nan if tg.indicator.endswith("_cumulative") else float(np.median(v[0]))
        if tg.each_year_from is not None and _pp(tg.indicator):
            needed, needed_unit = tg.target, "% each year"
        elif _pp(tg.indicator):
            needed, needed_unit = (tg.target - base) / (tg.year - years[0]), "pp/yr"
        elif base > 0 and tg.target > 0:
            needed = ((tg.target / base) ** (1.0 / (tg.year - years[0])) - 1.0) * 100.0
            needed_unit = "%/yr"
        else:
            needed, needed_unit = float("nan"), ""
        row = {
            "indicator": tg.indicator,
            "year": tg.year,
            "base_2020": base,
            "target": tg.target,
            "comparison": tg.comparison
            + (f" every year from {tg.each_year_from}" if tg.each_year_from else ""),
            "projected": projected,
            "gap": projected - tg.target,
            "met": bool(np.median(met_members.astype(float)) >= 0.5)
            if res.n_members > 1
            else bool(met_members[0]),
            "needed": needed,
            "needed_unit": needed_unit,
            "unit": INDICATOR_BY_NAME[tg.indicator].unit,
            "source": tg.source,
        }
        if res.n_members > 1:
            row["probability"] = float(np.mean(met_members))
        rows.append(row)
    columns = ["indicator", "year", "base_2020", "target", "comparison", "projected", "gap"]
    columns += ["met", "needed", "needed_unit", "unit", "source"]
    if res.n_members > 1:
        columns.append("probability")
    return pd.DataFrame(rows, columns=columns)  # the same columns when no target is in the run
