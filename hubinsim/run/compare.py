"""Comparisons: a reference scenario and alternatives, run alike, with their tables.

::

    import hubinsim
    cmp = hubinsim.compare("scenarios/baseline.toml", "scenarios/stimulus.toml")
    cmp.differences()                  # alternative - reference, by scenario and year
    cmp.differences(relative=True)     # in % of the reference (levels only)
    cmp.scorecard                      # the plan targets side by side
    cmp = hubinsim.compare("scenarios/baseline.toml", "scenarios/stimulus.toml",
                           draws=1000, seed=1)
    cmp.statements                     # "stimulus raises ... with 90 % probability"

Without draws each scenario runs once. With draws every scenario runs on the same parameter
draws (common random numbers): member m of each scenario has the same parameter values, so the
difference member by member shows the effect of the scenario's settings alone (exactly zero
for identical scenarios), and the tables give its percentiles and the share of draws in which
it is positive.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..catalog import HEADLINE, INDICATOR_BY_NAME, PRICE_BASIS_ZH
from ..data import load_data
from ..errors import ScenarioError
from ..formats import format_number, format_share
from ..results import Results, display_name, percentile_rows, summary_frame, unique_names
from ..scenario.reader import load_scenarios
from ..scenario.settings import Scenario, check_scenario
from .parallel import opened_executor, progress_part, run_settings_problems
from .restart import as_actuals, with_actuals
from .simulation import simulate


@dataclass(frozen=True)
class Statement:
    """One sentence on the difference an alternative makes to an indicator in a year."""

    alternative: str
    year: int
    indicator: str
    text: str


@dataclass
class Comparison:
    """A reference scenario and alternatives, run alike (see :func:`compare`).

    Attributes
    ----------
    runs : list of Results
        The reference first, then each alternative.
    names : list of str
        The scenarios' names, made distinct (a repeated name becomes ``"name (2)"``); the
        tables use them, the charts their titles where set (:meth:`labels`).
    paths : list of str or None
        The file each scenario was read from (None for a scenario made in Python).
    ensembles : list of EnsembleComparison, optional
        With draws: each alternative against the reference on the same draws.
    """

    runs: list[Results]
    names: list[str]
    paths: list[str | None] = field(default_factory=list)
    ensembles: list | None = None

    @property
    def reference(self) -> Results:
        return self.runs[0]

    def labels(self, lang: str = "en") -> list[str]:
        """The scenarios as charts show them: the ``title_zh`` (in Chinese) or ``title`` of
        those that set one, else their :attr:`names`; made distinct."""
        pairs = zip(self.runs, self.names, strict=True)
        return unique_names([display_name(r.metadata, lang, name) for r, name in pairs])

    @property
    def is_ensemble(self) -> bool:
        return self.ensembles is not None

    @property
    def ensemble(self) -> dict | None:
        """Draws, seed and sampling shared by every scenario (None without draws)."""
        return self.reference.metadata.get("ensemble") if self.is_ensemble else None

    @cached_property
    def levels(self) -> pd.DataFrame:
        """Every scenario's annual table (:meth:`Results.summary`), indexed by scenario and
        year."""
        parts = [r.summary().assign(scenario=n) for r, n in zip(self.runs, self.names, strict=True)]
        return pd.concat(parts).reset_index().set_index(["scenario", "year"])

    def differences(self, relative: bool = False) -> pd.DataFrame:
        """Each alternative minus the reference, indexed by scenario and year.

        ``relative``: in % of the reference, for the indicators that are not rates (rates
        and shares differ in percentage points). With draws, the difference member by member
        summarised per indicator as the median (under its name), mean and percentiles, and
        ``<name>_prob_higher``, the share of draws in which the alternative is higher.
        """
        return self._differences[1 if relative else 0]

    @cached_property
    def _differences(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        if self.is_ensemble:
            return _ensemble_differences(self.ensembles, self.names)
        return _differences(self.runs, self.names)

    @cached_property
    def scorecard(self) -> pd.DataFrame:
        """The plan targets of the reference, side by side: per scenario ``projected:<name>``,
        ``gap:``, ``met:``, ``needed:`` (and ``probability:`` with draws)."""
        return _side_by_side_scorecard(self.runs, self.names)

    @property
    def key_years(self) -> list[int]:
        """The years the summary shows: 2025 and the last year of the run (with draws), or
        2025 and 2035 where every run has them (else the last common year)."""
        if self.is_ensemble:
            return _statement_years(self.reference.years)
        common = sorted(set.intersection(*(set(r.annual.index) for r in self.runs)))
        return [y for y in (2025, 2035) if y in common] or [int(common[-1])]

    def headline(self, year: int) -> pd.DataFrame:
        """The headline indicators in ``year``: one row per indicator; columns (scenario,
        stat). The reference has ``value`` (``median`` with draws); each alternative
        ``value`` and ``difference`` (from the reference), or with draws the median
        ``difference``, its ``p5`` and ``p95`` and ``prob_higher``, the share of draws in
        which the alternative is higher."""
        ref = self.reference
        data: dict[str, dict] = {}
        if not self.is_ensemble:
            for ind in HEADLINE:
                base = ref.annual.loc[year, ind]
                row = {(self.names[0], "value"): base}
                for res, name in zip(self.runs[1:], self.names[1:], strict=True):
                    v = res.annual.loc[year, ind]
                    row[(name, "value")] = v
                    row[(name, "difference")] = v - base
                data[ind] = row
        else:
            yi = list(ref.years).index(year)
            for ind in HEADLINE:
                if ind not in ref.values:
                    continue
                row = {(self.names[0], "median"): np.median(ref.values[ind][yi])}
                for cmp, name in zip(self.ensembles, self.names[1:], strict=True):
                    d = cmp.difference(ind)[yi]
                    p5, p50, p95 = percentile_rows(d[None, :], (5, 50, 95))[:, 0]
                    row[(name, "difference")] = p50
                    row[(name, "p5")] = p5
                    row[(name, "p95")] = p95
                    row[(name, "prob_higher")] = cmp.probability_higher(ind, year)
                data[ind] = row
        table = pd.DataFrame.from_dict(data, orient="index")
        table.columns = pd.MultiIndex.from_tuples(table.columns, names=["scenario", "stat"])
        return table.rename_axis("indicator")

    @cached_property
    def statements(self) -> list[Statement]:
        """With draws: a sentence per alternative, key year and headline indicator on the
        member-by-member difference ("stimulus raises ... by X to Y 亿元 with 90 %
        probability"); empty without draws."""
        if not self.is_ensemble:
            return []
        return _statements(self.ensembles, self.names)

    def statements_in(self, lang: str = "en") -> list[Statement]:
        """:attr:`statements` in ``lang`` ("en" or "zh": "stimulus使2025年地区生产总值...")."""
        if lang == "en" or not self.is_ensemble:
            return self.statements
        return _statements(self.ensembles, self.names, lang)

    def statements_text(self, lang: str = "en") -> str:
        """:attr:`statements` as the text of statements.txt, in ``lang`` ("en" or "zh")."""
        lines = (
            ["与参照情景在相同参数抽样下的差异(共同随机数);", "区间为逐个抽样差异的第5至95百分位。"]
            if lang == "zh"
            else [
                "Differences from the reference on the same parameter draws (common random "
                "numbers);",
                "ranges are the 5th to 95th percentiles of the member-by-member difference.",
            ]
        )
        last = None
        for s in self.statements_in(lang):
            if (s.alternative, s.year) != last:
                head = (
                    f"{s.alternative},{s.year}年:"
                    if lang == "zh"
                    else f"{s.alternative}, {s.year}:"
                )
                lines += ["", head]
                last = (s.alternative, s.year)
            lines.append(f"- {s.text}")
        return "\n".join(lines) + "\n"


def compare(
    reference,
    *alternatives,
    draws: int | None = None,
    seed: int | None = None,
    sampling: str | None = None,
    ensemble: bool | None = None,
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor=None,
    progress=None,
    data_dir=None,
    actuals=None,
    anchor: str | None = None,
    vintage: str | None = None,
) -> Comparison:
    """Run a reference scenario and alternatives alike and compare them.

    Parameters
    ----------
    reference, *alternatives : Scenario or path
        Scenarios (:func:`hubinsim.make_scenario`, :func:`hubinsim.load_scenario`) or scenario
        files; every file is read and checked before anything runs.
    draws, seed, sampling : optional
        Run every scenario on the same ``draws`` parameter draws (common random numbers).
        The draws follow the reference's ``[uncertainty]`` section, else that of the first
        alternative that declares one, else the default uncertainty; one seed serves every
        scenario (default: the uncertainty's, else a fresh one, recorded).
    ensemble : bool, optional
        True: compare ensembles with the draws the uncertainty declares, as ``hubinsim
        compare`` does when a scenario declares an ``[uncertainty]`` section. Default: when
        ``draws`` is given.
    chunk_size, workers, executor, progress : optional
        How the members run (see :func:`hubinsim.run.ensemble.run_members`); ``progress``
        counts the chunks of every scenario together.
    data_dir : path, optional
        Folder of the data files.
    actuals, anchor, vintage : optional
        Re-project every scenario from these actual figures, as
        ``simulate(..., actuals=..., anchor=..., vintage=...)`` does: the years up to the
        latest full actual year are the same actual figures in every run, the scorecards
        measure the growth needed from that year.

    Raises
    ------
    ScenarioError
        If a scenario is invalid, or with draws the scenarios end in different years.
    """
    items = [reference, *alternatives]
    if not alternatives:
        raise ScenarioError("compare: name at least one alternative to the reference")
    data = load_data(data_dir)  # read once: every scenario runs on these data
    problems = run_settings_problems(
        draws=draws,
        seed=seed,
        sampling=sampling,
        ensemble=ensemble,
        chunk_size=chunk_size,
        workers=workers,
        executor=executor,
        progress=progress,
    )
    for k, s in enumerate(items):
        if not isinstance(s, str | os.PathLike | Scenario):
            problems.append(
                f"scenario #{k + 1}: must be a Scenario or the path of a scenario file, got "
                f"{s!r:.60}"
            )
    if problems:
        raise ScenarioError(problems)
    if actuals is None and (anchor is not None or vintage is not None):
        raise ScenarioError("anchor and vintage apply to actual figures: add actuals=...")
    acts = None if actuals is None else as_actuals(actuals)
    paths = [os.fspath(s) if isinstance(s, str | os.PathLike) else None for s in items]
    loaded = iter(load_scenarios([p for p in paths if p is not None], data))
    scenarios = [next(loaded) if p is not None else s for s, p in zip(items, paths, strict=True)]
    for s in scenarios:
        check_scenario(s, data)
    paths = [p if p is not None else s.source for s, p in zip(scenarios, paths, strict=True)]
    names = unique_names([s.name for s in scenarios])
    if ensemble is None:
        ensemble = draws is not None
    if not ensemble:
        if seed is not None or sampling is not None:
            raise ScenarioError("seed and sampling need draws: compare(..., draws=N, seed=S)")
        runs = [
            simulate(s, data_dir=data, actuals=acts, anchor=anchor, vintage=vintage)
            for s in scenarios
        ]
        return Comparison(runs, names, paths)
    if len({s.time.end for s in scenarios}) > 1:
        ends = ", ".join(f"{n} to {s.time.end}" for n, s in zip(names, scenarios, strict=True))
        raise ScenarioError(
            f"compare with draws needs scenarios over the same years ({ends}); set the same "
            "[time] end in each"
        )
    ensembles = _compare_ensembles(
        scenarios, draws, seed, sampling, chunk_size, workers, executor, progress, data
    )
    if acts is not None:  # every member of each scenario re-projected from the actuals
        from .ensemble import EnsembleComparison

        again = {"anchor": anchor, "vintage": vintage, "data_dir": data}
        ref = with_actuals(scenarios[0], acts, ensemble=ensembles[0].ref, **again)
        ensembles = [
            EnsembleComparison(ref, with_actuals(s, acts, ensemble=c.alt, **again))
            for s, c in zip(scenarios[1:], ensembles, strict=True)
        ]
    runs = [ensembles[0].ref] + [c.alt for c in ensembles]
    return Comparison(runs, names, paths, ensembles)


def _compare_ensembles(
    scenarios, draws, seed, sampling, chunk_size, workers, executor, progress, data_dir
):
    """Each alternative against the reference on the same draws (common random numbers).

    The draws follow the reference's [uncertainty] section, else the first alternative
    that declares one, else the default uncertainty; one seed serves every pair, so every
    scenario sees the same parameter values.
    """
    # scipy (for the draws) is imported for ensembles only
    from ..scenario.uncertainty import fresh_seed, scenario_uncertainty
    from .ensemble import compare_ensembles

    ref, alts = scenarios[0], scenarios[1:]
    declared = [s for s in scenarios if s.declares_uncertainty]
    uncertainty = None
    if declared and declared[0] is not ref:
        uncertainty = scenario_uncertainty(declared[0], data_dir)
    unc = uncertainty or scenario_uncertainty(ref, data_dir)
    if seed is None:  # one seed for every pair
        seed = unc.seed if unc.seed is not None else fresh_seed()
    with opened_executor(executor) as opened:
        return [
            compare_ensembles(
                ref,
                alt,
                draws,
                seed,
                uncertainty=uncertainty,
                sampling=sampling,
                chunk_size=chunk_size,
                workers=workers,
                executor=opened,
                progress=progress_part(progress, k, len(alts)),
                data_dir=data_dir,
            )
            for k, alt in enumerate(alts)
        ]


def _levels_of(columns) -> list[str]:
    """Indicators that are not rates: their differences are also given in %."""
    return [c for c in columns if INDICATOR_BY_NAME[c].unit != "%"]


def _differences(runs, names) -> tuple[pd.DataFrame, pd.DataFrame]:
    ref = runs[0].annual
    abs_parts, pct_parts = [], []
    for res, name in zip(runs[1:], names[1:], strict=True):
        a = res.annual.reindex(ref.index)
        d = a - ref
        d.insert(0, "scenario", name)
        abs_parts.append(d)
        levels = _levels_of(ref.columns)
        base = ref[levels].where(ref[levels] != 0)
        p = (a[levels] - ref[levels]) / base.abs() * 100.0
        p.insert(0, "scenario", name)
        pct_parts.append(p)
    return (
        pd.concat(abs_parts).reset_index().set_index(["scenario", "year"]),
        pd.concat(pct_parts).reset_index().set_index(["scenario", "year"]),
    )


def _ensemble_differences(comparisons, names) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Median, mean, percentiles and share of draws above zero of each alternative minus the
    reference, member by member: absolute, and in % of the reference for levels."""
    abs_parts, pct_parts = [], []
    for cmp, name in zip(comparisons, names[1:], strict=True):
        cols = cmp.columns
        for parts, which, relative in (
            (abs_parts, cols, False),
            (pct_parts, _levels_of(cols), True),
        ):
            with np.errstate(divide="ignore", invalid="ignore"):
                d = {c: cmp.difference(c, relative=relative) for c in which}
            frame = summary_frame(d, cmp.ref.years, share_positive=True)
            frame.insert(0, "scenario", name)
            parts.append(frame)
    return (
        pd.concat(abs_parts).reset_index().set_index(["scenario", "year"]),
        pd.concat(pct_parts).reset_index().set_index(["scenario", "year"]),
    )


def _side_by_side_scorecard(runs, names) -> pd.DataFrame:
    first = ["indicator", "year", "comparison", "target", "unit", "base_2020"]
    base = runs[0].targets[first].copy()
    for res, name in zip(runs, names, strict=True):
        tg = res.targets.set_index(["indicator", "year"])
        key = list(zip(base["indicator"], base["year"], strict=True))
        cols = ("projected", "gap", "met", "needed")
        if "needed_from" in tg.columns:
            cols += ("needed_from",)
        if "probability" in tg.columns:
            cols += ("probability",)
        for col in cols:
            base[f"{col}:{name}"] = [tg.loc[k, col] if k in tg.index else pd.NA for k in key]
    # what settles each verdict (data/targets.csv), the same for every run
    base["decided_by"] = runs[0].targets["decided_by"].to_numpy()
    return base


def _statement_years(years) -> list[int]:
    years = [int(y) for y in years]
    out = [y for y in (2025, years[-1]) if y in years[1:]]
    return sorted(set(out))


#: The sentences of a statement, in English and Chinese: ``what`` names the indicator and
#: year, ``a`` and ``b`` bound the 5th-95th percentile range, ``up``/``down`` the shares.
_SENTENCES = {
    "en": {
        "none": "{alt}: no values of {what}.",
        "zero": "{alt} leaves {what} unchanged in every draw.",
        "up": "{alt} raises {what} by {a} to {b} {unit} with 90 % probability (5th-95th "
        "percentile), and raises it in {up} of draws.",
        "down": "{alt} lowers {what} by {a} to {b} {unit} with 90 % probability (5th-95th "
        "percentile), and lowers it in {down} of draws.",
        "both": "{alt} changes {what} by -{a} to +{b} {unit} with 90 % probability (5th-95th "
        "percentile): higher in {up} of draws, lower in {down}.",
    },
    "zh": {
        "none": "{alt}:{what}无数值。",
        "zero": "{alt}在每次抽样中均不改变{what}。",
        "up": "{alt}使{what}提高 {a} 至 {b} {unit}(90% 概率,第5至95百分位),{up} 的抽样中提高。",
        "down": "{alt}使{what}降低 {a} 至 {b} {unit}(90% 概率,第5至95百分位),{down} 的抽样中降低。",
        "both": "{alt}使{what}变化 -{a} 至 +{b} {unit}(90% 概率,第5至95百分位):{up} 的抽样中"
        "提高,{down} 的抽样中降低。",
    },
}


def _statement(alt: str, ind: str, year: int, d, lang: str = "en") -> str:
    """One sentence on the difference ``d`` (members) of ``ind`` in ``year``, in ``lang``
    ("en" or "zh")."""
    meta = INDICATOR_BY_NAME[ind]
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    zh = lang == "zh"
    basis = ""
    if meta.unit != "%" and meta.price_basis not in ("-", "") and "price" not in meta.meaning_en:
        basis = (
            f"({PRICE_BASIS_ZH.get(meta.price_basis, meta.price_basis)})"
            if zh
            else f" ({meta.price_basis})"
        )
    what = f"{year}年{meta.meaning_zh}{basis}[{ind}]" if zh else (
        f"{meta.meaning_en}{basis} in {year} [{ind}]"
    )  # fmt: skip
    words = {"alt": alt, "what": what}
    said = _SENTENCES["zh" if zh else "en"]
    if d.size == 0:
        return said["none"].format(**words)
    if np.all(d == 0):
        return said["zero"].format(**words)
    p5, p95 = np.percentile(d, [5, 95])

    def num(x):
        x = abs(float(x))
        # two significant digits for small differences, which would otherwise show as 0.00
        return f"{x:.2g}" if 0 < x < 0.1 else format_number(x, meta.unit)

    words |= {
        "unit": ("个百分点" if zh else "percentage points") if meta.unit == "%" else meta.unit,
        "up": format_share(float(np.mean(d > 0))),
        "down": format_share(float(np.mean(d < 0))),
    }
    if p5 >= 0:
        return said["up"].format(a=num(p5), b=num(p95), **words)
    if p95 <= 0:
        return said["down"].format(a=num(p95), b=num(p5), **words)
    return said["both"].format(a=num(p5), b=num(p95), **words)


def _statements(comparisons, names, lang: str = "en") -> list[Statement]:
    """A statement per alternative, key year and headline indicator, in ``lang``."""
    out = []
    for cmp, name in zip(comparisons, names[1:], strict=True):
        years = list(cmp.ref.years)
        for y in _statement_years(years):
            for ind in HEADLINE:
                if ind in cmp.columns:
                    d = cmp.difference(ind)[years.index(y)]
                    out.append(Statement(name, y, ind, _statement(name, ind, y, d, lang)))
    return out
