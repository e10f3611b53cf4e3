"""The tables the commands print: a run's headline figures and scorecard, a comparison's
headline figures and scorecards side by side, a sensitivity analysis's ranked indices.

Only formatting: the values come from the library (``Results.headline``, ``Results.targets``,
``Comparison.headline``, ``Comparison.scorecard``, ``SensitivityResult.ranked``); nothing here
computes on results.
"""

from __future__ import annotations

from ..catalog import in_chinese
from ..formats import column_decimals, percent_rounded, probability_rounded
from .text import fmt, label, pct, points, say, target_text, text_table, unit


def headline_table(results, lang: str = "en") -> str:
    """The headline indicators of a run in 2020, 2025, 2035 and its last year; for an
    ensemble the median and, in brackets, the 5th to 95th percentile."""
    table = results.headline()
    ensemble = table.columns.nlevels > 1
    years = list(dict.fromkeys(table.columns.get_level_values(0))) if ensemble else list(table)
    rows = []
    for name, row in table.iterrows():
        u = unit(name, lang)
        if not ensemble:
            rows.append([label(name, lang), u, *(fmt(row[y], u) for y in years)])
            continue
        cells = []
        for y in years:
            m, a, b = row[(y, "median")], row[(y, "p5")], row[(y, "p95")]
            if m != m:
                cells.append("-")
            elif a != a:
                cells.append(fmt(m, u))
            else:
                cells.append(f"{fmt(m, u)} ({fmt(a, u)} {say('to', lang)} {fmt(b, u)})")
        rows.append([label(name, lang), u, *cells])
    head = [say("indicator", lang), say("unit", lang), *map(str, years)]
    return text_table(head, rows, right=range(2, 2 + len(years)))


def scorecard_table(results, lang: str = "en") -> str:
    """The plan-target scorecard of a run (with P(met) for an ensemble)."""
    tg = results.targets
    if tg.empty:
        return (
            "(规划目标均不在运行年份内)"
            if lang == "zh"
            else "(no plan targets within the run's years)"
        )
    ensemble = "probability" in tg.columns
    zh = lang == "zh"
    rows = []
    for _, r in tg.iterrows():
        needed_unit = in_chinese(r["needed_unit"]) if zh else r["needed_unit"]
        needed = "-" if r["needed"] != r["needed"] else f"{r['needed']:.2f} {needed_unit}"
        row = [
            label(r["indicator"], lang),
            str(r["year"]),
            fmt(r["base_2020"], r["unit"]),
            target_text(r, lang),
            fmt(r["projected"], r["unit"]),
            fmt(r["gap"], r["unit"]),
            say("yes" if r["met"] else "NO", lang),
        ]
        if ensemble:
            row.append(pct(r["probability"]))
        shown_unit = in_chinese(r["unit"]) if zh else r["unit"]
        rows.append(row + [shown_unit, needed, say(r["decided_by"], lang)])
    head = [say(w, lang) for w in ("indicator", "year")] + ["2020"]
    head += [say(w, lang) for w in ("target", "projected", "gap", "met")]
    if ensemble:
        head[4] = say("median", lang)
        head.append(say("P(met)", lang))
    start = tg["needed_from"].iloc[0] if "needed_from" in tg.columns else 2020
    needed_head = f"自{start}年所需年均增长" if zh else f"growth needed from {start}"
    return text_table(
        head + [say("unit", lang), needed_head, say("decided by", lang)],
        rows,
        right={1, 2, 4, 5, 7} if ensemble else {1, 2, 4, 5},
    )


def actuals_text(rep, lang: str = "en") -> str:
    """One line on a run re-projected from actual figures (``Results.reprojection``)."""
    file = rep.actuals.path or "(given in Python)"
    how = rep.anchor_text(lang)
    if lang == "zh":
        return f"依据实际数据 {file} 重新预测(实际数据截至{rep.latest_year}年):{how}"
    return f"Re-projected from the actual figures of {file} (to {rep.latest_year}): {how}"


def scorecards_side_by_side(card, names, lang: str, cell) -> str:
    """One row per target of ``card`` (``Comparison.scorecard``), one column per scenario:
    ``cell(values)`` with the scenario's ``projected``, ``met``, ``probability`` ... and
    ``unit``, or '-' where the scenario's run does not reach the target's year."""
    import pandas as pd  # loaded by then: the card is a DataFrame

    rows = []
    for _, t in card.iterrows():
        row = [label(t["indicator"], lang), str(t["year"]), target_text(t, lang)]
        for n in names:
            values = {k.split(":", 1)[0]: t[k] for k in t.index if k.endswith(f":{n}")}
            values["unit"] = t["unit"]
            row.append("-" if pd.isna(values["met"]) else cell(values))
        if "decided_by" in t.index:  # what settles the verdict (data/targets.csv)
            row.append(say(t["decided_by"], lang))
        rows.append(row)
    head = [say(w, lang) for w in ("indicator", "year", "target")]
    tail = [say("decided by", lang)] if "decided_by" in card.columns else []
    return text_table([*head, *names, *tail], rows, right=range(1, 3 + len(names)))


def comparison_table(table, names, lang: str, ensemble: bool) -> str:
    """A year's headline indicators of a comparison (``Comparison.headline``): the reference,
    then each alternative and its difference (with draws: the median difference, its 5th to
    95th percentile and the share of draws in which it is positive)."""
    rows = [
        [label(ind, lang), unit(ind, lang), *_cells(ind, row, names, ensemble, lang)]
        for ind, row in table.iterrows()
    ]
    med = f" ({say('median', lang)})"
    head = [say("indicator", lang), say("unit", lang), f"{names[0]}{med}" if ensemble else names[0]]
    for n in names[1:]:
        if ensemble:
            head += [f"Δ {n}{med}", say("Δ 5th to 95th pct", lang), "P(Δ > 0)"]
        else:
            head += [n, f"Δ {n}"]
    return text_table(head, rows, right=range(2, len(head)))


def _cells(ind: str, row, names, ens: bool, lang: str = "en") -> list[str]:
    """One indicator's cells of a headline table (see ``Comparison.headline``)."""
    u, pp = unit(ind), points(ind, lang)
    if not ens:
        cells = [fmt(row[(names[0], "value")], u)]
        for n in names[1:]:
            cells += [fmt(row[(n, "value")], u), f"{row[(n, 'difference')]:+,.2f}{pp}"]
        return cells
    cells = [fmt(row[(names[0], "median")], u)]
    for n in names[1:]:
        cells += [
            f"{row[(n, 'difference')]:+,.2f}{pp}",
            f"{row[(n, 'p5')]:+,.2f} {say('to', lang)} {row[(n, 'p95')]:+,.2f}",
            pct(row[(n, "prob_higher")]),
        ]
    return cells


def indices_table(result, output: str, top: int) -> str:
    """The ``top`` parameters of one output, most influential first, under a heading."""
    ranked = result.ranked(output)
    table = ranked.head(top)
    unit_text = unit(output.partition("@")[0])
    if result.method == "sobol":
        heading = f"Sobol indices of {output} ({unit_text}), shares of its variance"
    else:
        heading = (
            f"Morris screening of {output}: mu* and sigma in {unit_text} over each "
            "parameter's full range"
        )
    left = len(ranked) - len(table)
    note = f"\n... and {left} more in indices.csv" if left else ""
    rows = []
    if result.method == "sobol":
        head = ["rank", "parameter", "ST (total) ± 95 % CI", "S1 (first order) ± 95 % CI"]
        for _, r in table.iterrows():
            st = f"{r['ST']:.3f} ± {r['ST_conf']:.3f}"
            rows.append([str(r["rank"]), r["parameter"], st, f"{r['S1']:.3f} ± {r['S1_conf']:.3f}"])
    else:
        head = ["rank", "parameter", "mu* ± 95 % CI", "mu", "sigma"]
        # one number of decimals per output, four significant digits on the largest
        dec = column_decimals(table["mu_star"].max())
        for _, r in table.iterrows():
            rows.append(
                [
                    str(r["rank"]),
                    r["parameter"],
                    f"{r['mu_star']:.{dec}f} ± {r['mu_star_conf']:.{dec}f}",
                    f"{r['mu']:+.{dec}f}",
                    f"{r['sigma']:.{dec}f}",
                ]
            )
    table_text = text_table(head, rows, right={0} | set(range(2, len(head))))
    return f"{heading}, most influential first:\n{table_text}{note}"


def solution_table(solution) -> str:
    """The levers of a goal seek: status quo, solved (or closest) value, change, range, and
    whether the value is on a bound of the range."""
    rows = []
    for name, r in solution.table.iterrows():
        form = " (shift)" if r["form"].startswith("shift") else ""
        when = r["form"].partition(" from ")[2]
        rows.append(
            [
                name + form + (f" from {when}" if when else ""),
                r["unit"],
                f"{r['status_quo']:.6g}",
                f"{r['solved']:.6g}",
                f"{r['change']:+.6g}",
                f"{r['change_of_range_pct']:+.1f}",
                f"[{r['low']:g}, {r['high']:g}]",
                f"at the {r['at_bound']} bound" if r["at_bound"] else "",
            ]
        )
    solved = "solved" if solution.met else "closest"
    head = ["lever", "unit", "status quo", solved, "change", "% of range", "range", ""]
    return text_table(head, rows, right={2, 3, 4, 5})


def effects_table(effects) -> str:
    """What a solved scenario does besides its target (from ``Solution.effects``): per
    indicator, the status quo, the solved scenario and the change in each year, and the plan
    target of that year, met or not (status quo -> solved)."""
    years = sorted(set(effects["year"]))
    rows = []
    for name, g in effects.groupby("indicator", sort=False):
        by_year = g.set_index("year")
        row = [name, g["unit"].iloc[0]]
        plans = []
        for y in years:
            r = by_year.loc[y]
            row += [f"{r['status_quo']:.5g}", f"{r['solved']:.5g}", f"{r['change']:+.4g}"]
            if r["plan_target"]:
                said = {True: "met", False: "missed"}
                plans.append(
                    f"{y} {r['plan_target']}: {said[bool(r['met_status_quo'])]} -> "
                    f"{said[bool(r['met_solved'])]}"
                )
        rows.append([*row, "; ".join(plans)])
    head = ["indicator", "unit"]
    for y in years:
        head += [f"{y} status quo", "solved", "change"]
    return text_table([*head, "plan target"], rows, right=set(range(2, 2 + 3 * len(years))))


def costs_table(costs) -> str:
    """The costs of a solution (from ``Solution.costs``): the largest extra outlay of each
    lever in 亿元/yr and the largest fall of the fiscal balance, with the year and the share
    of that year's budget revenue."""
    rows = [
        [
            r["item"],
            r["how"],
            f"{r['largest']:.4g}",
            str(r["year"]),
            f"{r['budget_revenue']:.4g}",
            f"{r['share_of_revenue_pct']:.1f}",
            f"{r['total']:.4g}",
        ]
        for _, r in costs.iterrows()
    ]
    head = ["cost", "what", "largest 亿元", "year", "budget revenue 亿元", "% of revenue",
            "sum 亿元"]  # fmt: skip
    return text_table(head, rows, right={2, 4, 5, 6})


def attribution_table(table) -> str:
    """An attribution's settings (rows) by indicators (columns) in one year, from
    ``Attribution.table``."""
    columns = list(table.columns)
    rows = []
    for name, r in table.iterrows():
        rows.append(
            [name, *(f"{r[c]:+.4g}" if name != "sum - total" else f"{r[c]:.1e}" for c in columns)]
        )
    head = ["setting", *(f"{c} [{unit(c)}]" for c in columns)]
    return text_table(head, rows, right=set(range(1, len(head))))


def attribution_focus_table(focus) -> str:
    """Government debt and the plan targets' indicators of an attribution (from
    ``Attribution.focus``): both scenarios' values, the difference, the plan target met or
    missed, and the setting that contributes most."""
    said = {True: "met", False: "missed"}
    rows = []
    for _, r in focus.iterrows():
        plan = (
            f"{r['plan_target']}: {said[bool(r['met_reference'])]} -> "
            f"{said[bool(r['met_alternative'])]}"
            if r["plan_target"]
            else ""
        )
        share = r["largest_share_pct"]
        top = f"{r['largest_setting']} ({share:.0f} %)" if r["largest_setting"] else ""
        rows.append(
            [
                r["indicator"],
                unit(r["indicator"]),
                f"{r['reference']:.5g}",
                f"{r['alternative']:.5g}",
                f"{r['difference']:+.4g}",
                plan,
                top,
            ]
        )
    head = ["indicator", "unit", "reference", "alternative", "difference", "plan target",
            "largest contribution"]  # fmt: skip
    return text_table(head, rows, right={2, 3, 4})


def estimates_table(table) -> str:
    """Estimated parameters: estimate, standard error, 95 % interval, n, the scenario's
    value and range, whether the estimate is in it (from ``Elasticities.table``)."""
    rows = []
    for name, r in table.iterrows():
        rows.append(
            [
                name,
                f"{r['estimate']:.4g}",
                f"{r['se']:.2g}",
                f"[{r['ci_low']:.3g}, {r['ci_high']:.3g}]",
                str(r["n"]),
                f"{r['model_value']:g}",
                f"[{r['low']:g}, {r['high']:g}]",
                "yes" if r["in_range"] else "NO",
                r["cov_type"],
            ]
        )
    head = ["parameter", "estimate", "s.e.", "95 % interval", "n", "model", "range", "in range",
            "standard errors"]  # fmt: skip
    return text_table(head, rows, right={1, 2, 4, 5})


def _progress_cell(v) -> str:
    """A progress or completion rate to one decimal, never 100.0 % from below (99.5 %);
    empty where there is none."""
    return "" if v != v else f"{percent_rounded(v, 1):.1f}%"


def evaluation_text(table, lang: str = "en", draws: int | None = None) -> str:
    """The evaluation table of :func:`hubinsim.evaluate` for the terminal; with ``draws``, a
    row without a probability shows "—" (its marks or its reason say why)."""
    import pandas as pd  # loaded by then: the table is a DataFrame

    zh = lang == "zh"
    headers = (
        ["指标", "目标", "年份", "最新实际", "目标进度", "时间进度", "预测", "概率", "所需增长",
         "结论"]
        if zh
        else ["indicator", "target", "year", "latest", "progress", "time", "projected", "prob.",
              "needed", "verdict"]
    )  # fmt: skip
    if draws or table["probability_pct"].notna().any():  # with draws: the ensemble median
        headers[6] = "预测中位数" if zh else "median"
    final = table["completion_pct"].notna().any()  # a final evaluation: the completion rate
    if final:
        headers.insert(6, "完成率" if zh else "completion")
    rows = []
    for _, r in table.iterrows():
        latest = ""
        if not pd.isna(r["latest_year"]):
            est = (" 估计" if zh else " est.") if r["latest_status"] == "estimate" else ""
            latest = f"{fmt(r['latest_actual'], r['unit'])} ({int(r['latest_year'])}{est})"
        rows.append(
            [
                r["name"] if zh else r["indicator"],
                f"{r['comparison'].split()[0]} {fmt(r['target'], r['unit'])}",
                int(r["target_year"]),
                latest,
                _progress_cell(r["target_progress_pct"]),
                f"{r['time_progress_pct']:.1f}%",
                *([_progress_cell(r["completion_pct"])] if final else []),
                fmt(r["projected"], r["unit"]),
                ("—" if draws else "") if r["probability_pct"] != r["probability_pct"]
                else f"{probability_rounded(r['probability_pct']):.1f}%",
                "" if r["growth_needed"] != r["growth_needed"]
                else f"{fmt(r['growth_needed'])} {r['growth_unit']}",
                r["verdict"] + (" *" if r["marks"] else ""),
            ]
        )  # fmt: skip
    note = (
        "(估计:由季度或月度累计增速估计的全年数)"
        if zh
        else "(est.: a full year estimated from the growth of a period to date)"
    )
    estimated = (table["latest_status"] == "estimate").any()
    right = {2, 4, 5, 6, 7, 8} if final else {2, 4, 5, 6, 7}
    text = text_table(headers, rows, right=right) + ("\n" + note if estimated else "")
    marked = table[table["marks"] != ""]
    if len(marked):
        text += "\n" + ("标注(结论旁有 * 者):" if zh else "Marks (verdicts with a *):")
        for _, r in marked.iterrows():
            name = r["name"] if zh else r["indicator"]
            year = f"{int(r['target_year'])}年" if zh else str(int(r["target_year"]))
            text += f"\n  - {name} {year}{':' if zh else ': '}{r['marks']}"
    return text


def calibration_table(estimates) -> str:
    """Fitted parameters: estimate, standard error, 95 % interval, the scenario's value,
    the range, identified or not (from ``Calibration.estimates``)."""
    rows = []
    for name, r in estimates.iterrows():
        identified = r["se"] == r["se"]
        rows.append(
            [
                name,
                f"{r['estimate']:.6g}",
                f"{r['se']:.2g}" if identified else "-",
                f"[{r['ci_low']:.4g}, {r['ci_high']:.4g}]" if identified else "-",
                f"{r['start']:g}",
                f"[{r['low']:g}, {r['high']:g}]",
                r["unit"],
                ("NO" if not r["identified"] else "weakly" if "weakly" in r["note"] else "yes")
                + (" (on a bound)" if r["on_bound"] else ""),
            ]
        )
    head = ["parameter", "estimate", "s.e.", "95 % interval", "start", "range", "unit",
            "identified"]  # fmt: skip
    return text_table(head, rows, right={1, 2, 4})


def fit_table(fit) -> str:
    """The fit per indicator and basis: n, RMSE, MAPE and bias at the start and at the
    estimate, side by side, the series' share of the weighted sum of squares, and "worse"
    where the estimate fits it worse (from ``Calibration.fit``)."""

    def num(v, digits=4):
        return "-" if v != v else f"{v:.{digits}g}"

    rows = [
        [
            r["indicator"],
            r["basis"],
            str(r["n"]),
            r["unit"],
            num(r["rmse_start"]),
            num(r["rmse"]),
            num(r["mape_start"], 3),
            num(r["mape"], 3),
            num(r["bias_start"]),
            num(r["bias"]),
            num(r["share_pct"], 3),
            "worse" if r["worse"] else "",
        ]
        for _, r in fit.iterrows()
    ]
    head = ["indicator", "basis", "n", "unit", "RMSE before", "after", "MAPE % before",
            "after", "bias before", "after", "% of WSS", ""]  # fmt: skip
    return text_table(head, rows, right=set(range(2, 11)) - {3})


def backtest_table(table) -> str:
    """A backtest's scores, series by series (from ``Backtest.table``): each method's n,
    MAPE, mean error, RMSE and Theil's U, or why it gave no forecast."""

    def num(v, digits=4):
        return "" if v != v else f"{v:.{digits}g}"

    rows = [
        [
            r["indicator"],
            r["basis"],
            r["label"],
            str(r["n"]) if r["n"] else "",
            num(r["mape"], 3),
            num(r["mean_error"]),
            num(r["rmse"]),
            num(r["theil_u"], 3),
            r["note"],
        ]
        for _, r in table.iterrows()
    ]
    head = ["indicator", "basis", "method", "n", "MAPE %", "mean error", "RMSE", "Theil U",
            "note"]  # fmt: skip
    return text_table(head, rows, right={3, 4, 5, 6, 7})
