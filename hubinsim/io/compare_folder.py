"""The folder of a comparison: every scenario's tables side by side, the differences, charts.

Layout of ``<out>/compare-<ref>-vs-<alts>/``::

    annual.csv               every scenario's annual table, one row per scenario and year
                             (the catalogue's codes, full precision: for scripts)
    annual_readable.csv      the same for reading: names and units in the headers (in the
                             language asked), two decimals, counts whole
    scorecard.csv            the plan targets side by side
    differences_abs.csv      alternative minus reference (rates in percentage points)
    differences_pct.csv      in % of the reference, for the indicators that are not rates
    statements.txt           (with draws) the differences in words
    attribution.csv          (with an attribution) each setting's contribution to each
                             alternative's difference, by indicator and year
    attribution_settings.csv (with an attribution) the settings and what each switches
    scenarios/<name>.resolved.toml   each scenario as run
    charts/*.png             level and difference charts, the scorecard, and with an
                             attribution its waterfalls (attribution_<alt>_<indicator>_<year>)
    run.json                 version, command, each scenario's record, draws
"""

from __future__ import annotations

import pandas as pd

from ..catalog import INDICATOR_BY_NAME, unit_label
from ..defaults import ATTRIBUTION_CHARTS, DEFAULT_OUT, DPI
from ..plots import attribution_chart_jobs, compare_chart_jobs
from ..results import scorecard_in
from ..run.compare import Comparison
from .charts import drawing
from .folders import (
    Written,
    atomic_folder,
    check_writer,
    comparison_folder,
    unique_file_names,
    write_csv,
)
from .record import ensemble_record, run_json, scenario_record, write_json
from .run_folder import write_resolved

#: The header of the projected columns of scorecard.csv: an every-year target shows its
#: worst year, as the terminal says.
PROJECTED_HEADER = ("projected (every-year target: worst year)", "预测值(逐年目标为最差年份)")
#: The header of the growth still needed (one column: the same for every scenario).
NEEDED_HEADER = ("growth needed a year from {start}", "自{start}年所需年均增长")
_COUNT_UNITS = ("firms", "persons")


def scorecard_for_reading(card: pd.DataFrame, lang: str, targets) -> pd.DataFrame:
    """The comparison's scorecard (``Comparison.scorecard``) as scorecard.csv gives it to a
    person: figures to two decimals (counts whole); the 2020 base as the plan prints it where
    the targets file gives it (57.8, as the evaluation, not the data's 57.76); the growth
    needed once, with its unit, blank for an every-year target (it needs each year's figure,
    not a pace); the projected columns' header saying that an every-year target shows its
    worst year; headers and words in ``lang`` (:func:`~hubinsim.results.scorecard_in`).
    ``targets`` are the comparison's (its runs' ``targets_spec``: a ``--data`` folder's
    targets file, not the project's)."""
    out = card.copy()
    printed = {(t.indicator, t.year): t.base_value for t in targets}
    out["base_2020"] = [
        printed.get((i, y)) if printed.get((i, y)) is not None else b
        for i, y, b in zip(out["indicator"], out["year"], out["base_2020"], strict=True)
    ]
    start = int(card["needed_from"].iloc[0]) if "needed_from" in card else 2020
    needed_cols = [c for c in out.columns if c.startswith("needed:")]
    rules = {(t.indicator, t.year): t.target for t in targets}
    rows = zip(out["indicator"], out["year"], out["target"], out["base_2020"], card["base_2020"],
               strict=True)  # fmt: skip
    for k, (i, y, t, b, data_base) in enumerate(rows):
        rule = rules.get((i, y), t)
        moved = rule != t or b != data_base
        if needed_cols and moved and start == 2020 and b > 0 and y > start:
            # from the printed base (57.8) to the rule's target (67.6 firms, judged as 68:
            # the plan's 8.00 %/yr), as the evaluation measures it
            points = INDICATOR_BY_NAME[i].unit == "%"
            pace = (
                (rule - b) / (y - start) if points else ((rule / b) ** (1 / (y - start)) - 1) * 100
            )
            out.loc[out.index[k], needed_cols] = pace
    every = out["comparison"].str.contains("every year")
    if needed_cols:
        needed = out[needed_cols[0]].where(~every)
        units = [
            "" if pd.isna(n) else _needed_unit(i)
            for i, n in zip(out["indicator"], needed, strict=True)
        ]
        at = list(out.columns).index(needed_cols[0])
        out = out.drop(columns=needed_cols)
        out.insert(min(at, len(out.columns)), "needed", needed)
        out.insert(min(at + 1, len(out.columns)), "needed_unit", units)
    for col in out.columns:
        if col.split(":")[0] in ("met", "year") or not pd.api.types.is_numeric_dtype(out[col]):
            continue
        whole = col != "needed"  # a count's growth needed is a rate: 8.13 %/yr
        values = [
            v if pd.isna(v) else int(round(v)) if whole and u in _COUNT_UNITS else round(v, 2)
            for v, u in zip(out[col].astype(float), out["unit"], strict=True)
        ]
        out[col] = pd.Series(values, index=out.index, dtype=object)  # 35000, not 35000.0
    out = scorecard_in(out, lang)
    zh = lang == "zh"
    names = {}
    for col in out.columns:
        key, sep, scenario = col.partition(":")
        if key in ("projected", "预测值") and sep:
            names[col] = f"{PROJECTED_HEADER[zh]}:{scenario}"
        elif key in ("needed", "所需年均增长"):
            names[col] = NEEDED_HEADER[zh].format(start=start)
    return out.rename(columns=names)


def annual_for_reading(levels: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scenarios' annual tables (``Comparison.levels``) for a person: each indicator's
    name and unit in the header (地区生产总值(亿元,现价)), figures to two decimals, counts
    whole; the percentile columns of draws left to annual.csv, which keeps the codes and
    full precision for scripts."""
    zh = lang == "zh"
    cols = [c for c in levels.columns if c in INDICATOR_BY_NAME]
    out = levels[cols].copy()
    for col in cols:
        info = INDICATOR_BY_NAME[col]
        decimals = 0 if info.unit in _COUNT_UNITS else 2
        out[col] = out[col].round(decimals).astype("Int64" if decimals == 0 else float)
    names = {}
    for col in cols:
        info = INDICATOR_BY_NAME[col]
        unit = unit_label(col, "zh" if zh else None)
        name = info.meaning_zh if zh else info.meaning_en
        basis = unit.split("," if zh else ", ")[-1]
        if basis != unit and basis in name:  # 地区生产总值(2020年价)(亿元), not twice
            unit = unit.split("," if zh else ", ")[0]
        names[col] = f"{info.meaning_zh}({unit})" if zh else f"{info.meaning_en} ({unit})"
    out = out.rename(columns=names)
    out.index = out.index.set_names(["情景", "年份"] if zh else ["scenario", "year"])
    return out


def _needed_unit(indicator: str) -> str:
    """The unit of the growth a target needs a year: points for a rate or share, the
    count's unit for a cumulated count, % for a level."""
    unit = INDICATOR_BY_NAME[indicator].unit
    if indicator.endswith("_cumulative"):
        return f"{unit}/yr"
    return "pp/yr" if unit == "%" else "%/yr"


def write_comparison(
    comparison,
    out=DEFAULT_OUT,
    *,
    force: bool = False,
    charts: bool = True,
    lang: str = "en",
    command: str | None = None,
    started: float | None = None,
    workers=1,
    dpi: int = DPI,
    attribution=None,
) -> Written:
    """Write the folder of a :class:`~hubinsim.run.compare.Comparison` (see the module);
    the arguments are those of :func:`hubinsim.io.run_folder.write_run`. ``attribution``
    (from :func:`hubinsim.attribute` on the same scenarios) adds its tables and waterfall
    charts of :data:`~hubinsim.defaults.ATTRIBUTION_CHARTS` in the comparison's key years."""
    check_writer(comparison, Comparison, out, force, charts, lang, command, started, workers, dpi)
    cmp = comparison
    target = comparison_folder(out, cmp.names)
    jobs = []
    if charts:
        jobs = compare_chart_jobs(cmp.runs, lang, comparisons=cmp.ensembles, names=cmp.labels(lang))
        if attribution is not None:
            jobs += attribution_chart_jobs(attribution, cmp.key_years, ATTRIBUTION_CHARTS, lang)
    with atomic_folder(target, force) as tmp:
        with drawing(jobs, tmp / "charts", dpi, workers) as chart_files:
            write_csv(cmp.levels, tmp / "annual.csv", float_format="%.10g")
            write_csv(annual_for_reading(cmp.levels, lang), tmp / "annual_readable.csv")
            card = scorecard_for_reading(cmp.scorecard, lang, cmp.runs[0].targets_spec)
            write_csv(card, tmp / "scorecard.csv", index=False)
            write_csv(cmp.differences(), tmp / "differences_abs.csv", float_format="%.10g")
            relative = cmp.differences(relative=True)
            write_csv(relative, tmp / "differences_pct.csv", float_format="%.10g")
            files = ["annual.csv", "annual_readable.csv", "scorecard.csv", "differences_abs.csv",
                     "differences_pct.csv"]  # fmt: skip
            if cmp.is_ensemble:
                (tmp / "statements.txt").write_text(cmp.statements_text(lang), encoding="utf-8")
                files.append("statements.txt")
            if attribution is not None:
                write_csv(
                    attribution.frame, tmp / "attribution.csv", index=False, float_format="%.10g"
                )
                write_csv(
                    attribution.settings_frame(), tmp / "attribution_settings.csv", index=False
                )
                files += ["attribution.csv", "attribution_settings.csv"]
            (tmp / "scenarios").mkdir()
            # distinct file names, even for names alike once cleaned ("a b", "a_b")
            for res, name in zip(cmp.runs, unique_file_names(cmp.names), strict=True):
                file = f"scenarios/{name}.resolved.toml"
                write_resolved(tmp / file, res)
                files.append(file)
        files += [f"charts/{name}" for name in chart_files]
        fields = {
            "reference": cmp.names[0],
            "scenarios": [
                scenario_record(res, path, res.metadata.get("data_dir"), name)
                for res, path, name in zip(cmp.runs, cmp.paths, cmp.names, strict=True)
            ],
        }
        if attribution is not None:
            fields["attribution"] = {
                k: attribution.metadata.get(k)
                for k in ("method", "runs", "max_settings", "grouping")
            }
        after = None
        if cmp.is_ensemble:
            after = {"ensemble": ensemble_record(cmp.reference, {"common_random_numbers": True})}
        write_json(
            tmp / "run.json",
            run_json(command=command, fields=fields, started=started, files=files, after=after),
        )
    return Written(target, (*files, "run.json"))
