"""The folder of a comparison: every scenario's tables side by side, the differences, charts.

Layout of ``<out>/compare-<ref>-vs-<alts>/``::

    annual.csv               every scenario's annual table, one row per scenario and year
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
        jobs = compare_chart_jobs(cmp.runs, lang, comparisons=cmp.ensembles, names=cmp.names)
        if attribution is not None:
            jobs += attribution_chart_jobs(attribution, cmp.key_years, ATTRIBUTION_CHARTS, lang)
    with atomic_folder(target, force) as tmp:
        with drawing(jobs, tmp / "charts", dpi, workers) as chart_files:
            write_csv(cmp.levels, tmp / "annual.csv", float_format="%.10g")
            card = scorecard_in(cmp.scorecard, lang)
            write_csv(card, tmp / "scorecard.csv", index=False, float_format="%.10g")
            write_csv(cmp.differences(), tmp / "differences_abs.csv", float_format="%.10g")
            relative = cmp.differences(relative=True)
            write_csv(relative, tmp / "differences_pct.csv", float_format="%.10g")
            files = ["annual.csv", "scorecard.csv", "differences_abs.csv", "differences_pct.csv"]
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
