"""The figures of docs/calibration.md and docs/model.md, computed by running hubinsim on
this checkout.

Each marked block of a page (``<!-- doc_figures: NAME -->`` ... ``<!-- /doc_figures -->``)
is written by the function of that name below, from fresh runs with the default data. After
a change of the model or its data, rewrite them and review the diff in the same commit;
tests/test_docs.py checks that every block matches a fresh run.

Usage::

    python scripts/doc_figures.py            # rewrite the blocks of both pages
    python scripts/doc_figures.py --slow     # also the slow ones (the recovery check, ~1 min)
    python scripts/doc_figures.py --check    # list the blocks that differ, exit 1 if any
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import textwrap
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's hubinsim, not another installed copy

import hubinsim  # noqa: E402

PAGE = ROOT / "docs" / "calibration.md"
MODEL_PAGE = ROOT / "docs" / "model.md"
BASELINE = ROOT / "scenarios" / "baseline.toml"
STIMULUS = ROOT / "scenarios" / "stimulus.toml"
ACTUALS = ROOT / "examples" / "actuals_illustrative.csv"
BLOCK = re.compile(
    r"(<!-- doc_figures: (?P<name>[a-z_]+) -->\n)(?P<body>.*?)(<!-- /doc_figures -->)", re.S
)


def _quiet(function, *args, **kwargs):
    """``function(*args, **kwargs)`` without its warnings (the page says what they are)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _solve(*args, **kwargs):
    return _quiet(hubinsim.solve, *args, **kwargs)


def _wrap(text: str, width: int = 92) -> str:
    """Text filled to ``width`` columns, paragraph by paragraph (blank lines kept)."""
    import textwrap

    parts = text.strip("\n").split("\n\n")
    return "\n\n".join(
        textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in parts
    )


def signed(v: float, digits: int = 4) -> str:
    """A signed figure with a true minus sign: +6.020, −0.083."""
    text = f"{v:+.{digits}g}" if abs(v) >= 1 else f"{v:+.{digits - 1}f}"
    return text.replace("-", "−")


# ----------------------------------------------------------------------------- the blocks


def solve_one() -> str:
    sol = _solve(hubinsim.load_scenario(BASELINE), "gdp_real@2025>=400", "plan_realisation")
    return "```text\n" + _wrap(sol.message) + "\n```\n"


def vouchers_scan() -> str:
    scn = hubinsim.load_scenario(BASELINE)
    points = (0.0, 1.25, 2.5, 3.75, 5.0, 10.0)
    values = [
        float(hubinsim.simulate(scn, levers={"vouchers": v}).annual.loc[2035, "gdp_real"])
        for v in points
    ]
    head = "| vouchers [亿元/yr] | " + " | ".join(f"{p:g}" for p in points) + " |"
    rule = "|---" * (len(points) + 1) + "|"
    row = "| gdp_real 2035 [亿元] | " + " | ".join(f"{v:.2f}" for v in values) + " |"
    target = round((values[0] + max(values)) / 2, 1)
    sol = _solve(scn, f"gdp_real@2035>={target:g}", "vouchers")
    crossings = next((n for n in sol.notes if "crossed" in n), "")
    found = re.findall(r"at ([^)]*)\)", crossings)
    values = [f"{float(v):.3g}" for v in found[0].split(", ")] if found else []
    times = {2: "twice", 3: "three times"}.get(len(values), f"{len(values)} times")
    said = (
        f"reports that the response is not monotone and that the target is crossed {times} "
        f"({' and '.join(values)} 亿元/yr), and takes {sol.x[0]:.3g}, the crossing nearest "
        "the status quo."
        if values and sol.monotone is False
        else f"takes {sol.x[0]:.3g} 亿元/yr ({sol.status})."
    )
    text = (
        f'`hubinsim solve scenarios/baseline.toml --target "gdp_real@2035>={target:g}" '
        f"--lever vouchers` {said}"
    )
    return f"{head}\n{rule}\n{row}\n\n{_wrap(text)}\n"


def two_levers() -> str:
    scn = hubinsim.load_scenario(BASELINE)
    sol = _solve(scn, "share_tertiary_pct@2025>=62", ["tertiary_shift", "tourism_growth"])
    t = sol.table
    bau = float(hubinsim.simulate(scn).annual.loc[2025, "share_tertiary_pct"])

    def lever(name):
        r = t.loc[name]
        return (
            f"`{name}` = {r['solved']:.3g} (status quo {r['status_quo']:g}; range "
            f"{r['low']:g} to {r['high']:g})".replace("-", "−")
        )

    text = (
        f"gives {lever('tertiary_shift')} and {lever('tourism_growth')}, a change of "
        f"{sol.change_norm:.3g} in the norm above (business as usual gives {bau:.2f} % in 2025, "
        f"so a target of {int(bau)} % would need no change)."
    )
    return _wrap(text) + "\n"


def draws() -> str:
    scn = hubinsim.load_scenario(BASELINE)
    sol = _solve(scn, "gdp_real@2025>=350", "plan_realisation", draws=200, seed=1, probability=0.9)
    single = _solve(scn, "gdp_real@2025>=400", "plan_realisation")
    text = (
        f"With 200 draws (seed 1), `gdp_real@2025>=350` needs `plan_realisation` = "
        f"{sol.x[0]:.3f} (the 10th percentile of real GDP in 2025 is then 350 亿元, and "
        f"{sol.share_meeting:.1%} of the members meet it), against {single.x[0]:.3f} for 400 in "
        "the single run with the default parameters: the default uncertainty's median lies "
        'below the single run (README, "Ensembles").'
    ).replace("%", " %")
    return _wrap(text) + "\n"


def closest() -> str:
    sol = _solve(hubinsim.load_scenario(BASELINE), "gdp_real@2025>=450", "plan_realisation")
    text = f'`gdp_real@2025>=450` with `plan_realisation`: "{sol.message}" ' + (
        "The command exits 0 (the answer is an answer) and writes `baseline-closest.toml`, "
        "whose header says that it does not meet the target."
    )
    return _wrap(text) + "\n"


def actuals() -> str:
    scn = hubinsim.load_scenario(BASELINE)
    acts = hubinsim.read_actuals(ACTUALS)
    re_ = _quiet(hubinsim.simulate, scn, actuals=acts).annual.loc[2025, "share_tertiary_pct"]
    bare = hubinsim.simulate(scn).annual.loc[2025, "share_tertiary_pct"]
    text = (
        f"For the illustrative figures (`examples/actuals_illustrative.csv`) the status quo's "
        f"tertiary share in 2025 is {re_:.2f} % on the re-projection, as `hubinsim evaluate` "
        f"reports it, against {bare:.2f} % in the bare scenario."
    )
    return _wrap(text) + "\n"


ATTRIBUTED = ("gdp", "gdp_real", "fiscal_revenue", "employment")


def attribution() -> str:
    ref, alt = hubinsim.load_scenario(BASELINE), hubinsim.load_scenario(STIMULUS)
    att = _quiet(hubinsim.attribute, ref, alt)
    table = att.table("stimulus", 2025, ATTRIBUTED)
    head = (
        "| stimulus − baseline, 2025 | gdp [亿元] | gdp_real [亿元] | fiscal_revenue [亿元] | "
        "employment [万人] |"
    )
    lines = [head, "|---|---|---|---|---|"]
    digits = {"gdp": 3, "gdp_real": 3, "fiscal_revenue": 4, "employment": 4}
    for name, r in table.iterrows():
        if name == "sum - total":
            continue
        cells = [
            (f"{r[c]:+.4g}" if name == "total" else f"{r[c]:+.{digits[c]}f}").replace("-", "−")
            for c in ATTRIBUTED
        ]
        label = "**total**" if name == "total" else name
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    left = float(table.loc["sum - total"].abs().max())
    total = table.loc["total"]
    share = table["gdp_real"].drop(["total", "sum - total"]) / total["gdp_real"]
    top = share.idxmax()
    p_ref = att.levels("stimulus", "va_tertiary", 2025)
    q_ref = att.levels("stimulus", "va_tertiary_real", 2025)
    prices = (p_ref[0] / q_ref[0], p_ref[1] / q_ref[1])
    # the rounding left over, as a bound (its last bits differ between machines)
    left_text = "below 10⁻¹²" if left < 1e-12 else f"{left:.1e}"
    text = (
        f"(sum − total: {left_text}.) Of the extra real GDP of 2025, "
        f"{top} gives {share[top]:.0%}"
        + "".join(
            f", {name} {share[name]:.0%}" for name in share.sort_values(ascending=False).index[1:3]
        )
        + f"; the vouchers of 2021-2023 add {signed(table.loc['vouchers', 'gdp_real'], 3)} 亿元 "
        f"to real GDP by 2025. Nominal GDP gains {signed(total['gdp'], 4)} against "
        f"{signed(total['gdp_real'], 4)} 亿元 of real GDP; services prices are "
        f"{prices[1]:.3f} against {prices[0]:.3f} times their 2020 level in 2025 "
        "(`compare --attribute` says why in a note)."
    ).replace("%", " %")
    return "\n".join(lines) + "\n\n" + _wrap(text) + "\n"


#: The known parameters of the recovery check (as tests/test_calibration.py sets them).
TRUE = {
    "tfp.growth_tertiary": 0.018,
    "consumption.services_income_elasticity": 1.5,
    "fiscal.buoyancy": 1.1,
}


def recovery(samples: int = 60) -> str:
    """Coverage of the calibration's two-standard-error intervals over noisy samples (about
    a minute: written with --slow, not checked by the tests)."""
    import numpy as np

    from hubinsim.analysis.calibration import synthetic_actuals

    truth = np.array(list(TRUE.values()))
    inside = []
    for seed in range(samples):
        noisy = synthetic_actuals(parameters=TRUE, noise=1.0, seed=seed)
        cal = _quiet(hubinsim.calibrate, None, noisy, list(TRUE), starts=1)
        est = cal.estimates
        z = (est["estimate"].to_numpy() - truth) / est["se"].to_numpy()
        inside.append(np.abs(z) <= 2)
    share = np.mean(inside, axis=0)
    shares = ", ".join(f"{s:.0%}" for s in share[:-1]) + f" and {share[-1]:.0%}"
    text = (
        (
            f"With noise of one measurement standard deviation, over {samples} samples (seeds 0 to "
            f"{samples - 1}, one start each) the estimates lay within two standard errors of the "
            f"truth in {shares} of samples respectively (the 95 % the errors promise)."
        )
        .replace("%", " %")
        .replace("  %", " %")
    )
    return _wrap(text) + "\n"


# ------------------------------------------------------------------ docs/model.md, §15


@functools.cache
def _annual(name: str | None = None, end: int = 2035):
    """The annual table of a shipped scenario (business as usual for ``None``) to ``end``."""
    scn = None if name is None else hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")
    return hubinsim.simulate(scn, end=end).annual


def _pct(v: float, digits: int = 2) -> str:
    """A signed percentage with a true minus sign: +5.05 %, −1.15 %."""
    return f"{v:+.{digits}f} %".replace("-", "−")


def _num(v: float, digits: int = 2) -> str:
    return f"{v:.{digits}f}".replace("-", "−")


SCENARIOS = ("stimulus", "siphon", "slowdown")
#: The rows of the §15.4 table: label, column, digits, and whether the scenarios are given
#: as a difference from business as usual (%) or as levels.
SCENARIO_ROWS = (
    ("real GDP [亿元]", "gdp_real", 1, True),
    ("tertiary share [%]", "share_tertiary_pct", 2, False),
    ("FAI [亿元]", "fai", 1, True),
    ("budget revenue [亿元]", "fiscal_revenue", 2, True),
    ("fiscal balance [亿元]", "fiscal_balance", 2, False),
    ("government debt [亿元]", "government_debt", 2, False),
    ("land revenue [亿元]", "land_revenue", 2, False),
    ("retail sales [亿元]", "retail_sales", 1, True),
    ("population [万人]", "population", 2, True),
    ("unemployment [%]", "unemployment_rate_pct", 2, False),
    ("above-scale VA [亿元]", "industrial_va_above_scale", 2, True),
    ("park gross output [亿元]", "park_gross_output", 2, False),
)


def scenario_table() -> str:
    bau = _annual()
    runs = {n: _annual(n) for n in SCENARIOS}
    head = "| indicator | BAU 2025 | " + " | ".join(SCENARIOS) + " | BAU 2035 | "
    head += " | ".join(SCENARIOS) + " |"
    lines = [head, "|---" * 9 + "|"]
    for label, col, digits, relative in SCENARIO_ROWS:
        cells = []
        for year in (2025, 2035):
            b = float(bau.loc[year, col])
            cells.append(_num(b, digits))
            for n in SCENARIOS:
                v = float(runs[n].loc[year, col])
                cells.append(_pct(100 * (v / b - 1)) if relative else _num(v))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    years = range(2021, 2031)
    lines += ["", "Real growth by year, 2021-2030:", ""]
    lines.append("| | " + " | ".join(str(y) for y in years) + " |")
    lines.append("|---" * (len(years) + 1) + "|")
    for n, a in (("BAU", bau), *runs.items()):
        row = " | ".join(_num(float(a.loc[y, "gdp_real_growth_pct"])) for y in years)
        lines.append(f"| {n} | {row} |")
    return "\n".join(lines) + "\n"


#: How the scorecard sentence names each target (indicator, year), the digits it quotes
#: (None: the verdict alone) and a note.
SCORECARD_LABELS = {
    ("share_tertiary_pct", 2025): ("tertiary share ≥ 60 in 2025", 2),
    ("va_tertiary", 2025): ("tertiary VA ≥ 200", None),
    ("retail_sales", 2025): ("retail ≥ 150", 1),
    ("industrial_va_above_scale_growth_pct", 2025): (
        "above-scale growth ≥ 9 every year (the worst year)",
        2,
    ),
    ("enterprises_above_scale", 2025): ("enterprises ≥ 68", 0, " (a lever)"),
    ("park_gross_output", 2025): ("park gross output ≥ 150 (2025)", 1),
    ("park_gross_output", 2035): ("≥ 300 (2035)", 1),
    ("rd_intensity_pct", 2025): ("R&D ≥ 2.5", None),
    ("new_urban_jobs_cumulative", 2025): (
        "new urban jobs ≥ 35,000 over 2021-2025",
        0,
        " (the attracted firms' and the pool's jobs)",
    ),
    ("unemployment_rate_pct", 2025): ("unemployment ≤ 3.8 every year", None),
}


def _scorecard(scn):
    return hubinsim.simulate(scn, end=2035).targets


def scorecards() -> str:
    bau = _scorecard(None)
    stim = _scorecard(hubinsim.load_scenario(STIMULUS))
    parts = []
    for (_, a), (_, b) in zip(bau.iterrows(), stim.iterrows(), strict=True):
        label, digits, *note = SCORECARD_LABELS[(a["indicator"], int(a["year"]))]

        def said(r, digits=digits):
            verdict = "met" if r["met"] else "missed"
            if digits is None:
                return verdict
            fig = f"{r['projected']:,.{digits}f}".replace("-", "−")
            return f"{fig} {verdict}"

        parts.append(f"{label} {said(a)} / {said(b)}{''.join(note)}")
    alike = hubinsim.simulate(
        levers={f"inflation_{x}": 0.02 for x in ("primary", "secondary", "tertiary", "investment")}
    ).annual.loc[2025, "share_tertiary_pct"]
    text = (
        "Scorecards (`results.targets`), business as usual / stimulus: "
        + "; ".join(parts)
        + ". What decides each verdict (`decided_by`, data/targets.csv): the model for "
        "tertiary VA; a lever for R&D, the firm count (whose target the project derived, "
        "`set_by`) and above-scale growth (incumbents' above-scale value added is a fixed "
        "share of industry, the project's representation, so only attracted firms lift "
        "same-firm growth above industry's); a definition for the park (the district's "
        "above-scale firms plus the attracted ones); an assumption with no estimate, across "
        "whose range the verdict turns, for retail sales "
        "(`consumption.external_growth`), new urban jobs (`labour.turnover`), unemployment "
        "(`labour.natural_unemployment`) and the tertiary share (the services price drift: "
        f"with every deflator at 2 %/yr it is {alike:.2f} %)."
    )
    return _wrap(text) + "\n"


def _fig(v: float, digits: int) -> str:
    return f"{v:.{digits}f}".replace("-", "−")


def acceptance() -> str:
    """The measured column of §15.2 (the acceptance ranges of issue 8), from the runs the
    tests of tests/test_mechanisms.py make."""
    from hubinsim.analysis import checks
    from hubinsim.analysis.checks import cagr
    from hubinsim.data import load_parameters
    from hubinsim.model import structure

    prm = load_parameters()
    sim = hubinsim.simulate
    bau = b35 = _annual()
    rows = []

    ret = [
        prm[f"production.alpha_{s}"].value / prm[f"initial.capital_output_{s}"].value
        for s in ("primary", "industry", "tertiary")
    ]
    rows.append(
        (
            "gross return α Y/K at the start",
            "0.10-0.25",
            " / ".join(f"{r:.3f}" for r in ret) + " (agriculture / industry / services)",
        )
    )

    spread = {}
    for name in (n for n in prm if n.startswith("initial.")):
        g = [
            cagr(sim(parameters={name: v}, end=2025).annual["gdp_real"])
            for v in (prm[name].low, prm[name].high)
        ]
        spread[name] = abs(g[1] - g[0])
    top = max(spread, key=spread.get)
    ratios = [v for n, v in spread.items() if n.startswith("initial.capital_output_")]
    fiscal = max(spread["initial.transfer_ratio"], spread["initial.debt_ratio"])
    gaps = [sim(start=checks.start_2020(output_gap=g), end=2035).annual for g in (0.03, 0.06)]
    grow = [cagr(a["gdp_real"]) for a in gaps]
    pop = [a.loc[2035, "population"] for a in gaps]
    rows.append(
        (
            "BAU real growth 2020-25 across the range of every initial-condition parameter",
            "≤ 0.3 points",
            f"largest spread {spread[top]:.3f} (`{top}`); capital-output ratios "
            f"{min(ratios):.3f}-{max(ratios):.3f}, public {spread['initial.public_output']:.3f}, "
            f"transfers and debt {fiscal:.3f}. The trough is now a record figure (`output_gap`, "
            f"0.045, honest range 0.03-0.06), not a parameter: over that range BAU growth "
            f"2020-25 moves by {grow[1] - grow[0]:.2f} point ({grow[0]:.2f}-{grow[1]:.2f} "
            "%/yr): the trough's size is a headline assumption, stated in the record; the "
            f"natural rate and population ({min(pop):.2f}-{max(pop):.2f} 万 in 2035) hardly "
            "move (tests/test_mechanisms.py)",
        )
    )

    mult = checks.multipliers()
    first = {c: m[0] for c, m in mult.items()}
    cum = {c: m[1] for c, m in mult.items()}
    lo, hi = min(first, key=first.get), max(first, key=first.get)
    rows.append(
        (
            "first-year multiplier of extra pool spending (ΔGDP_real / Δreal FAI, 10 亿元 in 2021)",
            "0.3-0.8",
            f"{first[lo]:.3f} ({lo}) to {first[hi]:.3f} ({hi})",
        )
    )
    lo, hi = min(cum, key=cum.get), max(cum, key=cum.get)
    rows.append(
        (
            "cumulative 2021-35 multipliers of the seven categories",
            "within a factor 2.5",
            f"{cum[lo]:.3f} ({lo}) to {cum[hi]:.3f} ({hi}): factor {cum[hi] / cum[lo]:.2f}",
        )
    )

    tour = sim(levers={"tourism_growth": 0.01}).annual.loc[2025]
    spent = tour["visitor_spending"] - bau.loc[2025, "visitor_spending"]
    rows.append(
        (
            "+1 point `tourism_growth`: Δ2025 tertiary VA / Δ visitor spending",
            "0.2-0.6",
            f"{(tour['va_tertiary'] - bau.loc[2025, 'va_tertiary']) / spent:.2f}",
        )
    )

    v = sim(levers={"vouchers": {"step": {2021: 2.0, 2024: 0.0}}}).annual
    rows.append(
        (
            "vouchers lower the fiscal balance",
            "< 0",
            "2 亿元/yr: "
            + signed(v.loc[2023, "fiscal_balance"] - bau.loc[2023, "fiscal_balance"], 3)
            + " 亿元 in 2023",
        )
    )

    r = sim(levers={"tax_relief": 0.1}).annual
    y = slice(2021, 2025)

    def summed(col, sign=1):
        return sign * float((r[col] - bau[col]).loc[y].sum())

    rows.append(
        (
            "tax relief: Δ real GDP < revenue cost",
            "yes",
            f"10 %: +{summed('gdp_real'):.2f} 亿元 of real GDP against "
            f"{summed('fiscal_revenue', -1):.2f} 亿元 of revenue (sums 2021-25); transfers make "
            f"good {summed('transfers_from_above'):.2f} 亿元, FAI +{summed('fai'):.2f} 亿元 "
            "(firms' cash flow)",
        )
    )

    rd = {i: sim(levers={"rd_intensity_pct": i}).annual for i in (2.5, 5.0)}

    def effect(a, year):
        return 100 * (a.loc[year, "gdp_real"] / bau.loc[year, "gdp_real"] - 1)

    rows.append(
        (
            "R&D lever: first-year real GDP",
            "≤ 0.2 %",
            f"2.5 %: {_fig(effect(rd[2.5], 2021), 3)} %; 5 %: {_fig(effect(rd[5.0], 2021), 2)} "
            f"% (firms pay first; 2030: {_pct(effect(rd[2.5], 2030))}, "
            f"{_pct(effect(rd[5.0], 2030))})",
        )
    )

    gap = b35["unemployment_rate_pct"] - b35["natural_unemployment_rate_pct"]
    later = gap.loc[2021:2035].abs()
    rows.append(
        (
            "BAU unemployment near u* through 2035",
            "within 0.1 point",
            f"2021-2035: within {later.max():.3f} point ({later.idxmax()}); the record year "
            f"2020 (the trough, data) is {gap[2020]:.2f} above",
        )
    )

    draws = sim(end=2035, draws=1000, seed=1)
    below = (draws.values["unemployment_rate_pct"] - draws.values["natural_unemployment_rate_pct"])[
        1:
    ].min(axis=0)
    rows.append(
        (
            "no shocks, 1000 draws: unemployment below u* (jobs beyond the labour force)",
            "≤ 1 point (labour.tight_market_gap at most)",
            f"lowest {_fig(below.min(), 2)} point; {int((below < -0.5).sum())} members more "
            f"than 0.5 point below in some year after 2020",
        )
    )

    out = sim(levers={"net_migration_policy": -0.005}).annual
    rise = float((out["unemployment_rate_pct"] - bau["unemployment_rate_pct"]).max())
    rows.append(
        (
            "a policy outflow of 0.5 %/yr does not raise unemployment",
            "≤ 0 (rounding)",
            f"at most {rise:+.3f} points".replace("-", "−"),
        )
    )

    f = sim(levers={"firms_attracted": {"step": {2021: 4.0, 2026: 0.0}}}, end=2035).annual
    deflator = f["va_secondary"] / f["va_secondary_real"]
    own = f["industrial_va_attracted"] / deflator / prm["industry.cohort_va_per_worker"].value
    jobs = (f["new_urban_jobs_cumulative"] - b35["new_urban_jobs_cumulative"])[2025]
    du = (f["unemployment_rate_pct"] - b35["unemployment_rate_pct"])[2025]
    rows.append(
        (
            "attracted firms' jobs (4 firms/yr 2021-25)",
            "about VA / π_c",
            f"2025: own jobs {round(own[2025] * 1e4, -1):,.0f}, employment "
            f"+{round((f['employment'] - b35['employment'])[2025] * 1e4, -1):,.0f}, "
            f"unemployment {_fig(du, 2)} point, new urban jobs 2021-25 +{jobs:,.0f}",
        )
    )
    same = ", ".join(f"{g:.1f}" for g in f["industrial_va_above_scale_growth_pct"].loc[2021:2025])
    rows.append(
        (
            "above-scale VA outgrows industry VA only by the cohort's VA",
            "yes",
            f"4 firms/yr in 2021-25: same-firm growth {same} %, the cohort's VA accounting for "
            f"all the excess ({f.loc[2025, 'industrial_va_attracted']:.1f} 亿元 in 2025, "
            f"{f.loc[2035, 'industrial_va_attracted']:.1f} in 2035)",
        )
    )

    def pool(levers, **grid):
        a = sim(levers=levers, **grid).annual.loc[2021:2030]
        return a["pool_planned"].sum(), a["pool_investment"].sum()

    now, later_ = pool({}), pool({"pool_delay": 2.0})
    rk4 = pool({"pool_delay": 2.0}, method="rk4", dt=0.1)
    rows.append(
        (
            "a two-year delay of the whole pool leaves 2021-2030 realised pool investment "
            "unchanged",
            "unchanged",
            f"planned {now[0]:.2f} 亿元 with and without the delay; realised {now[1]:.2f} "
            f"without, {later_[1]:.2f} with it (the room holds 2023's start back a little: the "
            f"waiting stock's Euler error, {100 * (later_[1] / now[1] - 1):.1f} %; RK4 at dt "
            f"0.1: {rk4[1]:.2f}), also at the default debt limit",
        )
    )

    alike = sim(
        levers={f"inflation_{x}": 0.02 for x in ("primary", "secondary", "tertiary", "investment")}
    ).annual
    t = alike.loc[2025, "va_tertiary_real"] / alike.loc[2020, "va_tertiary_real"]
    s = alike.loc[2025, "va_secondary_real"] / alike.loc[2020, "va_secondary_real"]
    rows.append(
        (
            "BAU real tertiary outgrows real secondary 2020-25, all prices alike",
            "yes",
            f"{t:.4f}x against {s:.4f}x (barely: the services price drift, not structure, "
            "carries the nominal share; open)",
        )
    )

    jobs_per = (tour["employment"] - bau.loc[2025, "employment"]) * 1e4 / (spent * 100)
    real = (tour["va_tertiary_real"] - bau.loc[2025, "va_tertiary_real"]) / spent
    rows.append(
        (
            "+1 point `tourism_growth`: extra 2025 jobs per million yuan of visitors' spending",
            "2-12 (SOURCES.md §11: 4.3 direct, 12 total)",
            f"**not met**: {jobs_per:.2f}; services prices clear most of the extra demand "
            f"(real tertiary VA +{real:.2f} of the spending) and capital rather than labour "
            "follows the rest (an expected failure in tests/test_mechanisms.py)",
        )
    )

    g = b35["gdp_real_growth_pct"]
    rows.append(
        (
            "2021 real growth above the 2022-25 average",
            "yes",
            f"{g[2021]:.2f} % against {g.loc[2022:2025].mean():.2f} %",
        )
    )

    scn = hubinsim.load_scenario(STIMULUS)
    with_loops = checks.stimulus_effect(scn)
    off = checks.stimulus_effect(scn, dict(structure.FEEDBACKS_OFF)) / with_loops - 1
    r_off = checks.stimulus_effect(scn, checks.loops_off("R")) / with_loops - 1
    b_off = checks.stimulus_effect(scn, checks.loops_off("B")) / with_loops - 1
    capture = {"innovation.local_capture": 0.0}
    knowledge = checks.stimulus_effect(scn, capture) / with_loops - 1
    same_rd = replace(scn, levers={k: v for k, v in scn.levers.items() if k != "rd_intensity_pct"})
    same_rd_effect = checks.stimulus_effect(same_rd)
    knowledge_loop = checks.stimulus_effect(same_rd, capture) / same_rd_effect - 1
    all_off = dict(structure.FEEDBACKS_OFF)
    same_rd_off = checks.stimulus_effect(same_rd, all_off) / same_rd_effect - 1
    met = abs(off) >= 0.25
    rows.append(
        (
            "switching off all feedback parameters changes the stimulus's 2025 real-GDP effect",
            "by ≥ ¼",
            ("met" if met else "**not met**")
            + f", measured again with the pool kept to its room: {_pct(100 * with_loops)} with "
            f"the loops; {_pct(100 * off, 1)} with every loop off (`structure.FEEDBACKS_OFF`): "
            f"the reinforcing loops off {'lower' if r_off < 0 else 'raise'} it by "
            f"{abs(100 * r_off):.1f} %, the balancing ones off "
            f"{'raise' if b_off > 0 else 'lower'} it by {abs(100 * b_off):.1f} %, and the two "
            "offset (tests/test_mechanisms.py keeps the criterion as an expected failure). "
            "The knowledge loop's switch (`innovation.local_capture` = 0) also takes away what "
            "the stimulus's R&D, 2.5 % of GDP by 2025, buys and leaves its cost: it moves the "
            f"effect by {_pct(100 * knowledge, 1)}, but by {_pct(100 * knowledge_loop, 2)} with "
            "R&D at business as usual's intensity: about "
            f"{abs(100 * (knowledge - knowledge_loop)):.0f} points of what switching the "
            "reinforcing loops off takes away are R&D's cost, not a loop. With R&D at business "
            "as usual's intensity every loop off changes the effect by "
            f"{_pct(100 * same_rd_off, 1)}",
        )
    )
    lines = ["| criterion | range | measured |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + "\n"


def fiscal_headlines() -> str:
    """The fiscal headlines of §15.5 at the default step, half of it and RK4."""
    grids = ({}, {"dt": 0.125}, {"method": "rk4"})

    def runs(name):
        scn = None if name is None else hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")
        return [hubinsim.simulate(scn, end=2035, **g).annual for g in grids]

    stim, bau, slow = runs("stimulus"), runs(None), runs("slowdown")

    def three(tables, year, col, sign=False):
        return " / ".join(
            (f"{a.loc[year, col]:+.2f}" if sign else f"{a.loc[year, col]:.2f}").replace("-", "−")
            for a in tables
        )

    text = (
        "- The fiscal headlines at dt 0.25 / 0.125 / RK4: stimulus debt in 2035 "
        f"{three(stim, 2035, 'government_debt')} 亿元 (model 2.1: 69.13 / 71.04 / 72.87), "
        f"BAU debt in 2035 {three(bau, 2035, 'government_debt')}, slowdown balance in 2025 "
        f"{three(slow, 2025, 'fiscal_balance', True)}, stimulus balance in 2026 "
        f"{three(stim, 2026, 'fiscal_balance', True)} (the carry-over's backlog, released at "
        "the stepped rate of the debt limit, is the largest remaining first-order error). The "
        "attracted firms' committed plants are stepped exactly (their value added moved 0.7 % "
        "with dt / 2 before, 0.1 % now)."
    )
    return (
        textwrap.fill(
            text, 92, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        + "\n"
    )


def residents() -> str:
    """§11: what more residents, and fewer, do to output (an economic-base model)."""

    def at_2035(scn=None, **kw):
        return hubinsim.simulate(scn, end=2035, **kw).annual.loc[2035]

    def pct(a, b, col):  # the change of a against b [%], unsigned
        return _num(100.0 * (a[col] / b[col] - 1.0), 1)

    def moved(a, b, col):  # signed, with its unit
        return _pct(100.0 * (a[col] / b[col] - 1.0), 1)

    more = {"net_migration_policy": 0.01}
    capacity = {"services.demand_utilisation": 0.0}
    bau, inflow = at_2035(), at_2035(levers=more)
    bau0, inflow0 = at_2035(parameters=capacity), at_2035(levers=more, parameters=capacity)
    deflator = (inflow["va_tertiary"] / inflow["va_tertiary_real"]) / (
        bau["va_tertiary"] / bau["va_tertiary_real"]
    )
    base, siphon = _annual("baseline").loc[2035], _annual("siphon").loc[2035]
    text = (
        "**More residents, and fewer.** The model is an economic-base model: output follows the "
        "demand for it, and most of that demand does not grow with the district's residents. "
        "Measured against business as usual in 2035, `net_migration_policy` = 1 %/yr adds "
        f"{pct(inflow, bau, 'population')} % residents and {pct(inflow, bau, 'employment')} % "
        f"employment but {pct(inflow, bau, 'gdp_real')} % real GDP, and GDP per resident falls "
        f"{100.0 * (1.0 - inflow['gdp_per_capita'] / bau['gdp_per_capita']):.1f} %. Industry "
        "sells mostly outside the district "
        "(XG grows with the city region, §10), so its extra capacity is used less (θ = "
        "`services.demand_utilisation` = 0.5 of a gap between demand and capacity is met by use) "
        "and, as capital follows output, industrial capital rises "
        f"{pct(inflow, bau, 'capital_industry')} %; services sell in part to visitors, the "
        "region and the budget, which do not grow with residents either, so services prices "
        f"fall against the others' (the services deflator {100.0 * (1.0 - deflator):.1f} % lower) "
        f"and services capital rises {pct(inflow, bau, 'capital_tertiary')} %. With output at "
        f"capacity (θ = 0) the same inflow raises real GDP {pct(inflow0, bau0, 'gdp_real')} % and "
        f"industrial capital {pct(inflow0, bau0, 'capital_industry')} %. The siphon works the "
        f"other way round: residents {moved(siphon, base, 'population')}, real GDP "
        f"{moved(siphon, base, 'gdp_real')}, GDP per resident "
        f"{moved(siphon, base, 'gdp_per_capita')}. What the model leaves out, and a "
        "REMI-type model has: lower wages making the district's goods cheaper and so raising "
        "its share of outside markets, and gains from agglomeration. Its answer to a population "
        "or talent policy is therefore at the pessimistic end for output per resident: a policy "
        "that brings residents is best read with the jobs that bring them (`firms_attracted`, "
        "`tourism_growth`, the pool), as the plan reads it (以产业为基、就业为本)."
    )
    return textwrap.fill(text, 92, break_long_words=False, break_on_hyphens=False) + "\n"


#: The rows of the §15.1 table: label, column, digits (None: whole persons).
BAU_ROWS = (
    ("real GDP growth [%]", "gdp_real_growth_pct", 2),
    ("GDP [亿元]", "gdp", 1),
    ("tertiary share [%]", "share_tertiary_pct", 2),
    ("output gap [%]", "output_gap_pct", 2),
    ("unemployment [%] (u* {nat:.2f})", "unemployment_rate_pct", 2),
    ("FAI [亿元]", "fai", 1),
    ("budget revenue [亿元]", "fiscal_revenue", 2),
    ("fiscal balance [亿元]", "fiscal_balance", 2),
    ("government debt [亿元]", "government_debt", 1),
    ("land revenue [亿元]", "land_revenue", 2),
    ("retail sales [亿元]", "retail_sales", 1),
    ("population [万人]", "population", 2),
    ("employment [万人]", "employment", 2),
    ("above-scale VA, same-firm growth [%]", "industrial_va_above_scale_growth_pct", 2),
    ("new urban jobs [persons]", "new_urban_jobs", None),
)


def bau_table() -> str:
    """The §15.1 table: business as usual by year."""
    a = _annual()
    years = (2020, 2021, 2022, 2023, 2024, 2025, 2030, 2035)
    nat = float(a.loc[2025, "natural_unemployment_rate_pct"])
    lines = ["| | " + " | ".join(str(y) for y in years) + " |", "|---" * 9 + "|"]
    for label, col, digits in BAU_ROWS:
        cells = []
        for y in years:
            v = float(a.loc[y, col])
            if v != v:  # no growth rate in the start year
                cells.append("")
            elif digits is None:
                cells.append(f"{v:,.0f}")
            else:
                cells.append(f"{v:.{digits}f}".replace("-", "−"))
        lines.append(f"| {label.format(nat=nat)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


MODEL_BLOCKS = {
    f.__name__: f
    for f in (bau_table, acceptance, scenario_table, scorecards, fiscal_headlines, residents)
}

BLOCKS = {
    f.__name__: f
    for f in (solve_one, vouchers_scan, two_levers, draws, closest, actuals, attribution)
}
#: Blocks that take long: written with --slow, not checked by the tests.
SLOW = {"recovery": recovery}


#: The pages with figure blocks, and the functions that write their blocks.
PAGES = {PAGE: BLOCKS, MODEL_PAGE: MODEL_BLOCKS}


def render(page: str, names=None, slow: bool = False, blocks=None) -> str:
    """``page`` with each marked block (or those of ``names``) written afresh by ``blocks``
    (those of docs/calibration.md by default); the slow ones too with ``slow``."""
    blocks = {**(BLOCKS if blocks is None else blocks), **(SLOW if slow else {})}

    def fresh(m):
        name = m.group("name")
        if name not in blocks or (names is not None and name not in names):
            return m.group(0)
        return m.group(1) + blocks[name]() + m.group(4)

    return BLOCK.sub(fresh, page)


def stale(page: str, blocks=None) -> list[str]:
    """The names of the marked blocks of ``page`` that differ from a fresh run of ``blocks``
    (those of docs/calibration.md by default)."""
    blocks = BLOCKS if blocks is None else blocks
    out = []
    for m in BLOCK.finditer(page):
        name = m.group("name")
        if name in SLOW:
            continue
        if name not in blocks:
            out.append(f"{name} (no such block in scripts/doc_figures.py)")
        elif blocks[name]() != m.group("body"):
            out.append(name)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list stale blocks, change nothing")
    parser.add_argument(
        "--slow", action="store_true", help="also write the slow blocks (the recovery check)"
    )
    args = parser.parse_args(argv)
    found = False
    for path, blocks in PAGES.items():
        page = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if args.check:
            for name in stale(page, blocks):
                print(f"stale: {where}: {name}")
                found = True
            continue
        path.write_text(render(page, slow=args.slow, blocks=blocks), encoding="utf-8")
        names = ", ".join(m.group("name") for m in BLOCK.finditer(page))
        print(f"wrote {where}: {names}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
