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


_RUNS: dict = {}


def _sim(name: str | None = None, **kwargs):
    """``hubinsim.simulate`` of a shipped scenario (business as usual for ``None``) with
    ``kwargs``, run once however many blocks quote it (a rewrite or a check runs each block
    once, and several blocks quote the same runs)."""
    key = (name, repr(sorted(kwargs.items())))
    if key not in _RUNS:
        scn = None if name is None else hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")
        _RUNS[key] = hubinsim.simulate(scn, **kwargs)
    return _RUNS[key]


def _annual(name: str | None = None, end: int = 2035, **kwargs):
    """The annual table of a shipped scenario (business as usual for ``None``) to ``end``."""
    return _sim(name, end=end, **kwargs).annual


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
    alike = _alike().loc[2025, "share_tertiary_pct"]
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


def _alike():
    """Business as usual with every deflator growing at 2 %/yr (prices alike)."""
    return _annual(
        levers={f"inflation_{x}": 0.02 for x in ("primary", "secondary", "tertiary", "investment")}
    )


def _growth_with(name: str, value: float) -> float:
    """Business as usual's real growth 2020-2025 [%/yr] with parameter ``name`` at ``value``."""
    from hubinsim.analysis.checks import cagr

    return cagr(_annual(parameters={name: value}, end=2025)["gdp_real"])


@functools.cache
def _multipliers():
    from hubinsim.analysis import checks

    return checks.multipliers()


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
    sim = _sim
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
        g = [_growth_with(name, v) for v in (prm[name].low, prm[name].high)]
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

    mult = _multipliers()
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

    alike = _alike()
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
        return [_annual(name, **g) for g in grids]

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


# ------------------------------------------------- docs/model.md: figures quoted in the prose


def _fill(text: str) -> str:
    return textwrap.fill(text, 92, break_long_words=False, break_on_hyphens=False) + "\n"


def _effect(a, b, year: int) -> float:
    """Real GDP of ``a`` against ``b`` in ``year`` [%]."""
    return 100.0 * (a.loc[year, "gdp_real"] / b.loc[year, "gdp_real"] - 1.0)


def successor() -> str:
    """§3: building the whole pool in 2021-2025 leaves no recession after the plan years."""
    bau, fast = _annual(), _annual(levers={"plan_realisation": 1.0})
    g = fast["gdp_real_growth_pct"]
    return _fill(
        "**A successor pipeline.** After the plan years the 15th plan's projects follow at the "
        "usual pace (an assumption: the district keeps its project pipeline; the 15th plan lists "
        "its own pool). Where a scenario built the 14th plan's pool faster than business as "
        "usual, its carry-over after 2025 is smaller than the usual path's, and the successor's "
        "projects take its place: a deviation after 2025 is never below the usual pace (D⁺_c). "
        "Building the whole pool in 2021-2025 (`plan_realisation` = 1) thus leaves real GDP "
        "above business as usual's in every year to 2030 ("
        + ", ".join(f"{_pct(_effect(fast, bau, y), 1)} in {y}" for y in (2025, 2026, 2030))
        + f") with growth of {_num(g[2026], 1)} and {_num(g[2027], 1)} % in 2026-2027; model "
        "2.1, without the successor, had 0.5 and −0.6 %. A delayed or slower pool still builds "
        "its carry-over above the usual pace (what is delayed is built later)."
    )


def _waiting(levers, profile) -> dict[int, float]:
    """The pool's projects waiting for room in the middle of each year 2021-2028 [亿元]."""
    from hubinsim.scenario.settings import make_scenario

    scn = make_scenario(levers=levers, profile=profile)
    return {y: hubinsim.start_record(y, scn)["pool_waiting"] for y in range(2021, 2029)}


def _and(items) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@functools.cache
def _draws():
    """Business as usual over 1000 parameter draws (seed 1), no shocks, to 2035: the years
    and each indicator's values (year × member)."""
    import numpy as np

    res = _sim(end=2035, draws=1000, seed=1)  # the run §15.2's acceptance row makes
    return np.asarray(res.years), {k: np.asarray(v) for k, v in res.values.items()}


def no_shock_draws() -> str:
    """§3: the pool and the room, and the draws that decline, over 1000 no-shock draws."""
    import numpy as np

    slow = _annual("slowdown")
    years, v = _draws()
    fai, pool, gdp, pop = v["fai"], v["pool_investment"], v["gdp_real"], v["population"]
    change = np.where((years[1:] >= 2026)[:, None], fai[1:] / fai[:-1] - 1.0, np.inf)
    year, member = np.unravel_index(np.argmin(change), change.shape)
    moved = pop[year + 1, member] / pop[year, member] - 1.0
    at_room = int((pool / fai >= 0.899).any(axis=0).sum())
    i35 = list(years).index(2035)
    waiting = (v["pool_planned"].cumsum(axis=0) - pool.cumsum(axis=0))[i35]
    part = waiting / v["pool_planned"].sum(axis=0)
    most = int(np.argmax(part))
    first = fai[1] / fai[0] - 1.0
    low = int(np.argmin(first))
    shares = sorted({f"{x:.0%}" for x in (slow["pool_investment"] / slow["fai"]).loc[2026:2028]})
    text = (
        "Now the slowdown's pool is "
        + " to ".join(shares).replace("%", " %")
        + " of FAI in 2026-2028 and the rest is built in 2029-2030 (growth "
        + " / ".join(_num(x) for x in slow["gdp_real_growth_pct"].loc[2026:2028])
        + " % in 2026-2028). Over 1000 no-shock draws (seed 1) FAI falls by at most "
        f"{-100 * change[year, member]:.1f} % in a year after 2025 (the test's bound is 12 %): "
        f"member {member} in {years[year + 1]}, a draw whose residents "
        f"{'fall' if moved < 0 else 'grow'} {abs(100 * moved):.1f} % that year; {at_room} of "
        "the draws have the pool at the room "
        "(90 % of FAI, to 0.1 point) in some year, and by 2035 (the pool planned to date "
        f"less the pool realised) no draw has more than {100 * part[most]:.1f} % of it still "
        f"waiting (member {most}: {waiting[most]:.1f} 亿元). Every draw reproduces the "
        "record's 2020 balance and revenue (§4), and "
        + (
            f"no draw's FAI falls in 2021 (the lowest change is {_pct(100 * first[low], 1)}, "
            f"member {low})."
            if first[low] >= 0
            else f"no draw's FAI falls by more than {-100 * first[low]:.1f} % in 2021 (member "
            f"{low})."
        )
    )
    growth = gdp[1:] / gdp[:-1] - 1.0
    falls = np.flatnonzero((growth < 0.0).any(axis=0))
    per_resident = (gdp[1:] / pop[1:]) / (gdp[:-1] / pop[:-1]) - 1.0
    trend = 100.0 * (((gdp[-1] / pop[-1]) / (gdp[0] / pop[0])) ** (1 / (years[-1] - years[0])) - 1)
    count = {0: "None", 1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five"}
    members = ("members " if len(falls) > 1 else "member ") + _and(
        f"{m} ({_pct(100 * growth[:, m].min())} at worst, in {years[1:][np.argmin(growth[:, m])]})"
        for m in falls
    )
    lowest = per_resident.min()
    why = (
        f"**Why a draw declines without shocks.** {count.get(len(falls), len(falls))} of the "
        "1000 no-shock draws have a year of negative real growth"
        + (f": {members}." if len(falls) else ".")
        + " None is a loop of investment, finance or the budget running down: output per "
        + (
            f"resident grows by at least {100 * lowest:.2f} % in every year of every draw"
            if lowest >= 0
            else f"resident falls by less than {-100 * lowest:.2f} % in every year of every draw"
        )
        + " (tests/test_mechanisms.py)."
    )
    if len(falls):
        why += (
            " What they share is slow growth of output per resident against the neighbours' "
            "real income, which grows at `siphon_rate` (5 %/yr) whatever the draw: "
            + _and(f"{trend[m]:.1f}" for m in falls)
            + f" %/yr over 2020-2035 (the 1st percentile of the 1000 is "
            f"{np.percentile(trend, 1):.1f}, the median {np.median(trend):.1f}); relative "
            "income falls, net migration follows it, and real growth is the "
            "growth of output per resident plus that of the residents (2035 residents "
            + _and(f"{pop[-1, m]:.1f}" for m in falls)
            + f" 万, from {pop[0, falls[0]]:.2f})."
        )
    return _fill(text) + "\n" + _fill(why)


def land_revenue() -> str:
    """§4: land revenue, and an ensemble's against the single run's."""
    import numpy as np

    res = _sim(end=2035, draws=200, seed=1)
    land = np.asarray(res.values["land_revenue"])[list(res.years).index(2035)]
    single = _annual().loc[2035, "land_revenue"]
    median, p95 = np.median(land), np.percentile(land, 95)
    return _fill(
        "Land revenue is tied to housing and urban investment and to land prices: 2020 "
        "land-transfer revenue was 0.6 of real-estate investment nationally (SOURCES.md §5); "
        "land prices follow housing demand against the housing stock (ε_p = "
        "`housing.land_price_elasticity` = 1), and e_L = `fiscal.land_revenue_elasticity` = 1 "
        "(nationally land revenue fell 44 % over 2021-2024 against 32 % for real-estate "
        "investment: the price channel). e_L is at most 1: land revenue is the price times the "
        "land sold, and above 1 land revenue per yuan of land sold rose with the value sold "
        "without bound (with e_L = 1.41, within the range before, and fast expectations, a "
        "parameter draw ran land revenue to 1.5 times GDP within ten years, or failed; "
        "tests/test_model_runs.py keeps that draw). The single run sits at that end of the "
        "range, and the default uncertainty draws e_L over 0-1 (0 switches the loop off), so "
        "an ensemble's land revenue lies "
        + ("below" if median < single else "above")
        + " the single run's: in 200 business-as-usual draws (seed 1) the 2035 median is "
        f"{median:.1f} 亿元 against {single:.1f} (its 95th percentile {p95:.1f})."
    )


def debt_limit() -> str:
    """§4: the debt limit, and what the draws do without shocks near it."""
    import numpy as np

    years, v = _draws()
    i = list(years).index(2035)
    gap = v["unemployment_rate_pct"][i] - v["natural_unemployment_rate_pct"][i]
    assets = (-v["government_debt"][1:] / v["fiscal_expenditure"][1:]).max()
    return _fill(
        "d_max = `fiscal.debt_limit` = 1.2 (the warning line of 100-120 % of comprehensive "
        "fiscal capacity [memory]); T_bor = 0.5 yr (quotas are used within months). Near the "
        "limit, public projects wait in the backlog. Normal public investment (§3) is what "
        "this money can co-finance, pub_n ← pub_n − smooth⁺(pub_n − KS_max / d; 5 % of "
        "pub_n): a district whose budget cannot pay for public capital at the desired ratio "
        "plans less of it, so its public capital and potential output grow more slowly, "
        "instead of counting projects it can never pay for in its normal FAI and potential "
        "output (which left output below that potential and unemployment above its natural "
        "rate for good: across 1000 parameter draws without shocks the 95th percentile of "
        "2035 unemployment was 1.0 point above the natural rate, now "
        f"{_num(np.percentile(gap, 95))}; exactly pub_n well within the limit, as in every "
        "shipped scenario's normal path). The mirror: a district with net assets (D below "
        "zero) spends them on current programmes within T_A = 1 yr (budgets are annual; "
        "`ASSET_SPENDING_TIME`) instead of piling up deposits (net assets reached 1.7 years of "
        f"spending in a draw, now at most {assets:.2f} of a year); exactly 0 from a debt of 5 % "
        "of comprehensive revenue up. The annual identity holds exactly: `government_debt` "
        "changes by exactly −`fiscal_balance` every year (the debt is the cumulated annual "
        "balance), and `fiscal_balance` = `fiscal_revenue` + `transfers_from_above` + "
        "`land_revenue` − `fiscal_expenditure`."
    )


def start_stocks() -> str:
    """§14: the capital stocks the calibration gives the 2020 record."""
    a = _annual().loc[2020]
    stocks = ", ".join(
        f"{label} {a[col]:.1f}"
        for label, col in (
            ("K_p", "capital_primary"),
            ("K_s", "capital_industry"),
            ("K_t", "capital_tertiary"),
            ("H", "capital_housing"),
            ("G", "capital_public"),
        )
    )
    return _bullets(
        "- **Capital.** K_x = κ_x Ys_x (desired = installed at the start unless the record "
        "holds the stocks); κ from `initial.capital_output_*`: 2.0 (agriculture), 2.0 "
        "(industry), 1.8 (services), housing 0.6 and public capital 1.3 of capacity output "
        "(Herd 2020: business K/Y has risen little, housing and infrastructure carry the rise; "
        f"national K/Y about 2.8, SOURCES.md §1). 2020 stocks: {stocks} 亿元."
    )


def plan_year_pace() -> str:
    """§3: the fastest pace the pool levers ask for, bounded by the room."""
    bau = _annual()
    fast = _annual(levers={"plan_realisation": 1.0}, profile="early")
    wait = _waiting({"plan_realisation": 1.0}, "early")
    top = max(wait, key=wait.get)
    g = fast["gdp_real_growth_pct"]
    return (
        _fill(
            "**The plan-year pace.** The fastest pace the pool levers ask for is the `early` "
            f"profile at full realisation: 30 % of the pool, {fast.loc[2021, 'pool_planned']:.0f} "
            "亿元, in 2021, more than twice business as usual's FAI that year "
            f"({bau.loc[2021, 'fai']:.0f} 亿元). Model 2.2 added what did not fit on top of FAI, "
            "which gave real growth of 25.4 % in 2021 (business as usual "
            f"{_num(bau.loc[2021, 'gdp_real_growth_pct'])} %). The room bounds it without a "
            "further rule: the deviation reaches investment at the additionality over the delivery "
            f"time (FAI {fast.loc[2021, 'fai']:.0f} 亿元 in 2021), the pool's realised spending is "
            f"{fast.loc[2021, 'pool_investment'] / fast.loc[2021, 'fai']:.0%} of that and the rest "
            f"waits, so real growth is {_num(g[2021], 1)} % in 2021 and {_num(g[2022], 1)} % in "
            f"2022; what waits ({wait[top]:.0f} 亿元 at most, in mid-{top}) is down to "
            f"{wait[2028]:.1f} 亿元 by mid-2028. No end of the pool levers' ranges (the early "
            "profile included) moves a year's real growth by 8 points from business as usual's "
            "(tests/test_mechanisms.py)."
        )
        .replace("%", " %")
        .replace("  %", " %")
    )


def waiting_numerics() -> str:
    """§3: the Euler error of the waiting stock, and the stimulus at the room's corner."""
    cases = (
        (
            {"plan_realisation": 0.9},
            {2021: 0.0625, 2022: 0.0625, 2023: 0.0625, 2024: 0.75, 2025: 0.0625},
        ),
        ({"plan_realisation": 0.0}, None),
    )

    def error(grid):
        worst = 0.0
        for levers, profile in cases:
            a = _annual(levers=levers, profile=profile, **grid)
            worst = max(worst, abs(a["pool_investment"].sum() / a["pool_planned"].sum() - 1.0))
        return 100.0 * worst

    stim = _annual("stimulus")
    waits = hubinsim.start_record(2021, hubinsim.load_scenario(STIMULUS))["pool_waiting"]
    return (
        _fill(
            "**Numerics of the waiting stock.** The annual figures are trapezoidal means of the "
            "flows while Euler steps PQ from the left point of each step, so where a jump of the "
            "planned path (at a year's start) meets a binding room, Euler at dt 0.25 carries PQ "
            f"to within {error({}):.1f} % of the pool (in the extreme case of a 0.9 realisation "
            "spent three quarters in 2024, and a 0 realisation whose carry-over starts in 2026): "
            "the realised total over the horizon differs from the planned one by that much, and "
            f"shrinks with dt (RK4 at dt 0.1: within {error({'method': 'rk4', 'dt': 0.1}):.2f} %). "
            "In business as usual and the baseline the room does not bind and the two paths are "
            "the same; the stimulus (realisation 0.7, the pool "
            f"{stim.loc[2021, 'pool_investment'] / stim.loc[2021, 'fai']:.0%} of FAI in 2021) "
            f"touches the rounded corner in 2021 only, where {waits:.1f} 亿元 (under "
            f"{100 * waits / stim.loc[2021, 'pool_planned']:.0f} % of that year's pool) waits a "
            "few months. A realisation well above the usual pace (0.9) is held back by the room, "
            "so the pool's realised spending in the plan years is then below what the lever asks."
        )
        .replace("%", " %")
        .replace("  %", " %")
    )


def usual_pace() -> str:
    """§3: the stimulus across the range of the usual pace."""
    name = "investment.bau_realisation"
    gdp = [_annual("stimulus", parameters={name: v}).loc[2025, "gdp_real"] for v in (0.45, 0.65)]
    return _fill(
        "**The usual pace matters, and is kept.** `investment.bau_realisation` is the reference "
        "every pool lever is measured against: business as usual builds the pool at that pace "
        "as part of normal investment, so in business as usual it moves only the pool's own "
        "column (and, near the top of its range, the room above); in every scenario that sets "
        "a realisation, it sets the deviation (the stimulus's 2025 real GDP is "
        f"{gdp[0]:.1f} / {gdp[1]:.1f} 亿元 at 0.45 / 0.65). Removing it would leave no "
        'reference for "faster" or "slower": it is kept, with the range that keeps the usual '
        "path inside total investment (0.45-0.65)."
    )


def costed() -> str:
    """§4: what vouchers and tax relief cost the budget (the runs of §15.2)."""
    bau = _annual()
    v = _annual(levers={"vouchers": {"step": {2021: 2.0, 2024: 0.0}}})
    r = _annual(levers={"tax_relief": 0.1})
    cost = -(r["fiscal_revenue"] - bau["fiscal_revenue"]).loc[2021:2025].sum()
    return _fill(
        "Vouchers, R&D subsidies and tax relief are therefore costed: vouchers of 2 亿元 a year "
        "(2021-2023) lower the 2023 balance by "
        f"{bau.loc[2023, 'fiscal_balance'] - v.loc[2023, 'fiscal_balance']:.2f} 亿元; tax "
        f"relief of 10 % costs {cost:.2f} 亿元 of revenue over 2021-2025 (§15)."
    )


def visitors() -> str:
    """§5: visitors' spending and services value added (the run of §15.2)."""
    bau, tour = _annual().loc[2025], _annual(levers={"tourism_growth": 0.01}).loc[2025]
    ratio = (tour["va_tertiary"] - bau["va_tertiary"]) / (
        tour["visitor_spending"] - bau["visitor_spending"]
    )
    return _fill(
        "**Visitors** (`tourism_growth`, the Yellow River culture and tourism belt): dV/dt = "
        "(g_v + tourism_growth) V with g_v = 6 %/yr nominal. Visitor spending raises services "
        "value added by m_v per yuan, through D* (capacity, employment) and X (demand in use): "
        f"+1 point of tourism_growth raises 2025 tertiary VA by {ratio:.2f} of the extra "
        "visitor spending (§15)."
    )


def real_shares() -> str:
    """§7: real tertiary and secondary value added with every price alike."""
    a = _alike()
    t = a.loc[2025, "va_tertiary_real"] / a.loc[2020, "va_tertiary_real"]
    s = a.loc[2025, "va_secondary_real"] / a.loc[2020, "va_secondary_real"]
    return _fill(
        "Real shares move, not only prices: services demand grows with income elasticity 1.4 "
        "and the region's demand for services at 1.4 × its growth (against 0.8 for goods), "
        "visitors' spending grows 6 %/yr nominal, and where services demand outgrows "
        "capacity, demand pressure raises utilisation (θ) and pulls labour (and with it "
        "desired capital) into services. With every deflator growing alike (2 %/yr), BAU real "
        f"tertiary VA grows {t:.4f}x over 2020-2025 against {s:.4f}x for real secondary VA "
        f"({'barely more' if 0 < t - s < 0.01 else 'more' if t > s else 'less'}: the "
        "nominal share's rise rests on the services price drift, §15.2). `tertiary_shift` "
        "adds to the services target share directly (a policy that moves labour to services)."
    )


def rd_lag() -> str:
    """§9: what R&D does to real GDP at first and by 2030 (the runs of §15.2)."""
    bau = _annual()
    rd = {i: _annual(levers={"rd_intensity_pct": i}) for i in (2.5, 5.0)}
    return _fill(
        "so that the marginal product of knowledge is ρ_rd × capture at the start: ρ_rd = "
        "`tfp.rd_return` = 0.4 (Goh, Xu and Li 2015: about 0.4 of output per yuan of last "
        "year's R&D), capture = `innovation.local_capture` = 0.5 < 1 (spillovers leave a small "
        "district), δ_k = 15 %/yr, T_g = 1 yr. The cost is carried: firms pay 1 − s_g of it "
        "out of their finance (§3), the district s_g = 0.1 out of its budget (§4). Raising "
        f"R&D to 2.5 % moves first-year real GDP by {_pct(_effect(rd[2.5], bau, 2021), 3)} "
        f"(5 %: {_pct(_effect(rd[5.0], bau, 2021))}), since firms pay before the knowledge "
        f"arrives, and 2030 real GDP by {_pct(_effect(rd[2.5], bau, 2030), 1)} "
        f"(5 %: {_pct(_effect(rd[5.0], bau, 2030), 1)}) (§15)."
    )


def trough() -> str:
    """§10: the output gap of the trough and the 2021 rebound."""
    a = _annual()
    gap, g = a["output_gap_pct"], a["gdp_real_growth_pct"]
    return _fill(
        "It lowers utilisation (U = 1 − TG), the propensity to consume and visitors (§5). The "
        "neighbours' income went through the same trough (their expected income is scaled by "
        "1 − k_ref TG, §6), so relative income and migration do not depend on its size. "
        "Measured against potential GDP (which includes normal construction) the 2020 gap is "
        f"{_num(gap[2020])} %, {_num(gap[2021])} % in 2021, {_num(gap[2025])} % in 2025: BAU "
        f"real growth is {_num(g[2021])} % in 2021, above the 2022-2025 average "
        f"({_num(g.loc[2022:2025].mean())} %)."
    )


def _jobs(v: float) -> str:
    """A head count in 万人 as persons, with thousands separators: 0.1492 -> 1,492."""
    return f"{v * 1e4:,.0f}".replace("-", "−")


def _points(v: float) -> str:
    """A signed figure with two decimals and a true minus sign: +0.12, −0.03."""
    return f"{v:+.2f}".replace("-", "−")


def pool_jobs() -> str:
    """§6: the jobs of building the whole pool in 2021-2025 (tests/test_mechanisms.py's run)."""
    bau = _annual()
    full = _annual(levers={"plan_realisation": 1.0})
    d = full - bau
    du = d["unemployment_rate_pct"].loc[2021:2030]
    con = full.loc[2021, "employment_construction"] / bau.loc[2021, "employment_construction"]
    va = full.loc[2021, "va_construction"] / bau.loc[2021, "va_construction"]
    per = d.loc[2021, "employment"] / d.loc[2021, "gdp_real"] * 1e4
    return _fill(
        "Building the whole pool in 2021-2025 (`plan_realisation` = 1; the room of §3 holds part "
        f"of it back, {full.loc[2021:2025, 'pool_investment'].sum():.0f} of its 1036.67 亿元 are "
        f"built in 2021-2025) raises 2021 construction value added by {100 * (va - 1):.1f} % and "
        f"construction employment by {100 * (con - 1):.1f} % "
        f"(+{_jobs(d.loc[2021, 'employment_construction'])} workers; total employment "
        f"+{_jobs(d.loc[2021, 'employment'])}, about {per:.0f} per 亿元 of extra real GDP: the "
        "posts beyond the labour force are filled less than one for one, below); labour supply "
        f"answers, and unemployment falls by up to {-du.min():.2f} point ({du.idxmin()}; "
        "tests/test_mechanisms.py). Services still create too few jobs per yuan of demand "
        "(§15.2): workers drawn into services do not add to services capacity, so prices rather "
        "than output clear most of a rise in services demand."
    )


def bau_unemployment() -> str:
    """§6: business as usual's unemployment against the natural rate."""
    a = _annual()
    u, nat = a["unemployment_rate_pct"], a["natural_unemployment_rate_pct"]
    later = u.loc[2026:]
    off = (u - nat).loc[2021:].abs().max()
    return _fill(
        "In business as usual unemployment is "
        f"{u[2020]:.2f} % in 2020 (the record: {u[2020] - nat[2020]:.2f} point above u*), then "
        + ", ".join(f"{u[y]:.2f}" for y in range(2021, 2026))
        + " % in 2021-2025 (services demand pressure rises with the rebound faster than supply "
        f"follows) and {later.min():.2f}-{later.max():.2f} % from 2026: within "
        f"{off:.2f} point of u* in every year after the record year (tests/test_mechanisms.py)."
    )


def _shocked(target: str, years, factor: float):
    """The annual table of business as usual to 2035 with one value-added shock."""
    shock = {"target": target, "years": list(years), "factor": factor}
    scn = hubinsim.make_scenario(name="shock", end=2035, shocks=[shock])
    return hubinsim.simulate(scn).annual


def lasting_shock() -> str:
    """§6: a lasting and a one-year fall of services value added, against business as usual."""
    bau = _annual()
    lasting = _shocked("va_tertiary", (2022, 2035), 0.9)
    once = _shocked("va_tertiary", (2022, 2022), 0.9)
    u, u0 = lasting["unemployment_rate_pct"], bau["unemployment_rate_pct"]
    u1 = once["unemployment_rate_pct"]
    pop, pop0 = lasting["population"], bau["population"]
    return _fill(
        "Now the same lasting fall (services value added 10 % below its path from 2022 to 2035) "
        f"raises unemployment to {u[2022]:.2f} % in 2022, against {u0[2022]:.2f} % in business "
        f"as usual; as firms take it for the new level it falls back to {u[2025]:.2f} % in 2025 "
        f"and {u[2035]:.2f} % in 2035 (business as usual {u0[2035]:.2f} %): what is left is "
        "labour that the villages and commuting cannot take back and that migration moves out "
        f"slowly ({pop[2035]:.2f} 万 residents in 2035 against {pop0[2035]:.2f} 万). A fall in "
        f"2022 alone raises 2022 unemployment as much ({u1[2022]:.2f} %); in 2023 it is "
        f"{u1[2023]:.2f} % against {u0[2023]:.2f} %: employers who had taken part of the fall "
        "for lasting restore their posts over T_r, and the labour force that had left "
        "returns with them, while output is back at once (Okun's law counts output above the "
        "level they perceive as a boom until then)."
    )


def attracted_jobs() -> str:
    """§6: what 4 attracted firms a year do to jobs, and business as usual's employment."""
    from hubinsim.analysis.checks import cagr

    bau = _annual()
    firms = _annual(levers={"firms_attracted": {"step": {2021: 4.0, 2026: 0.0}}})
    d = firms - bau
    du = d["unemployment_rate_pct"]
    e, y = bau["employment"], bau["gdp_real"]
    va = firms.loc[2025, "industrial_va_attracted"]
    p_s = firms.loc[2025, "va_secondary"] / firms.loc[2025, "va_secondary_real"]  # its deflator
    return _fill(
        f"What this gives: 4 attracted firms a year in 2021-2025 have value added of {va:.1f} 亿元 "
        f"in 2025, whose own jobs at 35 万元 (of 2020) per worker are {va / p_s / 35 * 1e4:,.0f}; "
        f"total employment rises by {_jobs(d.loc[2025, 'employment'])} in 2025 (their spending's "
        "jobs included), "
        f"unemployment falls by up to {-du.min():.2f} point ({du.idxmin()}) and returns toward u* "
        f"as supply catches up ({_points(du[2035])} point in 2035, the cohort still growing). "
        f"In business as usual employment moves from {e[2020]:.2f} 万 (2020) to {e[2025]:.2f} "
        f"(2025) and {e[2035]:.2f} (2035), {_points(cagr(e, 2020, 2035))} %/yr, while real GDP "
        f"grows {cagr(y, 2020, 2035):.1f} %/yr over 2020-2035: labour productivity grows "
        f"{cagr(y / e, 2020, 2035):.2f} %/yr (TFP, capital deepening as desired capital-output "
        "ratios rise, public capital), faster than output, because the labour force itself "
        f"changes {_points(cagr(bau['labour_force'], 2020, 2035))} %/yr as the working-age share "
        "declines (`labour.working_age_trend`) with residents about constant."
    )


def new_urban_jobs() -> str:
    """§6: the plan's new urban jobs in business as usual, and what decides the verdict."""
    from hubinsim.data import load_parameters

    key = "new_urban_jobs_cumulative"
    tau = load_parameters()["labour.turnover"]
    bau = _annual()
    firms = _annual(levers={"firms_attracted": {"step": {2021: 4.0, 2026: 0.0}}})
    ends = (tau.low, tau.high)
    turn = {t: _annual(parameters={"labour.turnover": t}).loc[2025, key] for t in ends}
    total = bau.loc[2025, key]
    # replacement: the turnover rate times non-farm employment, summed over 2021-2025
    nonfarm = (bau["employment_secondary"] + bau["employment_tertiary"]).loc[2021:2025]
    replacement = tau.value * nonfarm.sum() * 1e4
    return _fill(
        "**New urban jobs** (gross, the plan's 新增城镇就业) are the growth of non-farm labour "
        "demand plus replacement: jobs = τ_turn (E_sec + E_ter) + Σ_g max(ΔE_g, 0) over the "
        "employer groups g = attracted firms, the rest of the secondary sector, services (jobs "
        "created by one group are hires even where another sheds workers), with τ_turn = "
        f"`labour.turnover` = {100 * tau.value:g} %/yr (an assumption: China's 12-13 million "
        "new urban jobs a year are 2.5-3 % of urban employment, higher in service districts). "
        "Business as usual gives "
        f"{total:,.0f} over 2021-2025: the growth of services labour demand in the rebound adds "
        f"about {round(total - replacement, -2):,.0f} to replacement's "
        f"{round(replacement, -2):,.0f}, so the verdict on the plan's 35,000 is decided by labour "
        f"demand and by the replacement rate together (τ_turn {100 * ends[0]:g} % / "
        f"{100 * ends[1]:g} % gives {turn[ends[0]]:,.0f} / {turn[ends[1]]:,.0f}), and the "
        "scorecard says so (decided_by "
        '"assumption", §15.4); the attracted firms of the example add '
        f"{firms.loc[2025, key] - total:,.0f}. Jobs lost are not subtracted (the official count "
        "is new hires less natural attrition, 新就业 − 自然减员), so a downturn that is made good "
        "within the period adds the recovery's hires: a one-year shock to services output or "
        "investment raises the 2021-2025 count, and a run's count is best read with employment "
        f"itself. The single run takes τ_turn at {100 * tau.value:g} %"
        + (
            f", below the middle of its range ({100 * tau.low:g}-{100 * tau.high:g} %): an "
            "ensemble's median count lies above the single run's."
            if tau.value < (tau.low + tau.high) / 2
            else f" (its range {100 * tau.low:g}-{100 * tau.high:g} %)."
        )
    )


def shortage() -> str:
    """§6: what unfilled posts cost, with many more attracted firms than the plan's."""
    bau = _annual()
    rows = []
    for firms in (10, 20, 40):
        levers = {"firms_attracted": float(firms)}
        on = _annual(levers=levers)
        off = _annual(levers=levers, parameters={"labour.shortage_output": 0.0})
        vac = on.loc[2035, "vacancies"]
        rows.append(
            f"{firms} firms a year: {vac:,.0f} posts vacant in 2035 "
            f"({100 * vac / (on.loc[2035, 'employment'] * 1e4):.1f} % of the jobs), real GDP "
            f"{_pct(100 * (on.loc[2035, 'gdp_real'] / bau.loc[2035, 'gdp_real'] - 1), 1)} "
            "against business as usual "
            f"({_pct(100 * (off.loc[2035, 'gdp_real'] / bau.loc[2035, 'gdp_real'] - 1), 1)} "
            "if unfilled posts cost nothing)"
        )
    stim = _annual("stimulus")
    return _fill(
        "What it gives: business as usual has at most "
        f"{bau['vacancies'].max():.1f} vacant posts (in {bau['vacancies'].idxmax()}), the "
        f"stimulus {stim['vacancies'].max():.0f} (in {stim['vacancies'].idxmax()}), so neither "
        "moves; with many more attracted firms than the plan's (4 a year) the district runs out "
        "of workers, and the firms' plants and the incumbents produce what their crews allow: "
        + "; ".join(rows)
        + ". Vacancies are indicators: `vacancies` (persons) and `vacancies_per_unemployed` "
        "(0 without a shortage: not the public employment services' job-to-seeker ratio, "
        "求人倍率, which counts the posts and seekers registered with them and is usually "
        "above 1; "
        f"{_annual(levers={'firms_attracted': 20.0}).loc[2035, 'vacancies_per_unemployed']:.1f} "
        "in 2035 with 20 firms a year)."
    )


def premium_draws() -> str:
    """§6: the wage offered over the 1000 no-shock draws (the test of tests/test_mechanisms.py)."""
    import numpy as np

    from hubinsim.analysis.checks import wage_offered_draws

    short, residents, without = wage_offered_draws(_sim(end=2035, draws=1000, seed=1))
    lost = [100 * np.median(1 - x[-1][short] / x[0][short]) for x in (residents, without)]
    more = bool((residents[-1][short] > without[-1][short]).all())
    return _fill(
        f"Over the 1000 draws, the {int(short.sum())} members whose 2035 unemployment is more "
        f"than half their Δ below u* lose a median {lost[0]:.1f} % of their residents over "
        f"2020-2035 with the premium and {lost[1]:.1f} % without it; "
        + ("each has" if more else "not each has")
        + " more residents in 2035 with it (tests/test_mechanisms.py)."
    )


def bau_growth() -> str:
    """§15.1: the prose under the table."""
    from hubinsim.analysis.checks import cagr

    a = _annual()
    g = a["gdp_real_growth_pct"]
    surplus = int(a.index[(a["fiscal_balance"] > 0) & (a.index > 2025)].min())
    u = a["unemployment_rate_pct"]
    worst = (u - a["natural_unemployment_rate_pct"]).loc[2021:].abs().idxmax()
    jobs = a["new_urban_jobs"].loc[2021:]
    emp = cagr(a["employment"], 2020, 2035)
    text = (
        f"Real GDP grows **{cagr(a['gdp_real']):.2f} %/yr over 2020-2025** "
        f"({cagr(a['gdp_real'], 2025, 2030):.2f} over 2025-2030, "
        f"{cagr(a['gdp_real'], 2030, 2035):.2f} over 2030-2035): inside a 4-6 % range an "
        "economist would accept for Hubin (China realised about 5.4 %/yr over 2021-2024 and "
        "Henan about 4.6 %/yr, with 2022's epidemic year in both; the 2020 trough gives Hubin a "
        f"rebound in 2021, {g[2021]:.2f} %). Business as usual has no shocks: no 2022 "
        "weakness, so it runs above Henan's path (6.3, 3.1, 4.1, 5.1 % in 2021-2024). There is "
        "no growth cliff when the plan period ends: the pool's usual pace is part of normal "
        "investment, so its carry-over after 2025 changes nothing in business as usual "
        f"({g[2025]:.2f} % in 2025, {g[2026]:.2f} % in 2026). Revenue grows with the tax base "
        f"({cagr(a['fiscal_revenue']):.1f} %/yr nominal against {cagr(a['gdp']):.1f} % for "
        "GDP); the deficit narrows as current spending follows a revenue base that lags "
        f"revenue, and the budget is in surplus from {surplus}. Unemployment stays within 0.1 "
        "point of its natural rate (3.4 %) after the record year "
        f"({u[worst]:.2f} % in {worst}, as services demand pressure rises in the rebound faster "
        "than labour supply follows, §6). New urban jobs, "
        f"{round(jobs.min(), -2):,.0f}-{round(jobs.max(), -2):,.0f} a year, are replacement "
        "hires (4.5 % of urban employment, an assumption) plus the growth of non-farm labour "
        "demand (services in the rebound); employment itself "
        f"{'falls' if emp < 0 else 'grows'} {abs(emp):.2f} %/yr over 2020-2035 with the labour "
        "force (an ageing working-age share), productivity growing faster than output. The "
        f"plan's 35,000 over 2021-2025 is "
        f"{'met' if a.loc[2025, 'new_urban_jobs_cumulative'] >= 35000 else 'missed'} "
        f"({a.loc[2025, 'new_urban_jobs_cumulative']:,.0f}): labour demand and the replacement "
        "rate decide it together."
    )
    return _fill(text)


def multipliers_range() -> str:
    """§15.2: the prose under the table."""
    first = [m[0] for m in _multipliers().values()]
    return _fill(
        f"The multipliers are modest ({min(first):.3f}-{max(first):.3f} on impact): a small "
        "open district buys most of its equipment and materials elsewhere; construction value "
        "added and local materials are what stays. County estimates are about 0.6 (Guo, Liu "
        "and Ma 2016), provincial 0.75-1.4 (Chen, Ratnovski and Tsai 2017; SOURCES.md §7), so "
        "the district sits at the low end, as a district should. Cumulatively the categories "
        "differ by what the capital does: agriculture and services raise productive capital "
        "with high returns, urban construction mostly housing with a low yield."
    )


def history() -> str:
    """§15.3: business as usual against the plan's 2015-2020 history."""
    from hubinsim.analysis.checks import cagr

    a, stim = _annual(), _annual("stimulus")
    same = a["industrial_va_above_scale_growth_pct"].loc[2021:2025]
    compound = 100.0 * (float((1.0 + same / 100.0).prod()) ** (1 / 5) - 1.0)
    rev, gdp = cagr(a["fiscal_revenue"]), cagr(a["gdp"])
    t_real, g_real = cagr(a["va_tertiary_real"]), cagr(a["gdp_real"])
    t_nom = cagr(a["va_tertiary"])
    lifted = stim["industrial_va_above_scale_growth_pct"].loc[2021:2025]
    table = "\n".join(
        [
            "| | plan, 2015-2020 | BAU, 2020-2025 |",
            "|---|---|---|",
            f"| general budget revenue | +8.6 %/yr | +{rev:.2f} %/yr (nominal; nominal GDP "
            f"{gdp:.2f} %/yr) |",
            f"| above-scale industrial VA (real, same-firm) | +7.8 %/yr | {compound:.1f} %/yr "
            f"(2021-25: {', '.join(f'{x:.2f}' for x in same)}) |",
            "| tertiary faster than GDP | 3.3x against 3.0x | "
            f"{'yes' if t_real > g_real and t_nom > gdp else 'no'}: real {t_real:.2f} against "
            f"{g_real:.2f} %/yr; nominal {t_nom:.2f} against {gdp:.2f} %/yr |",
        ]
    )
    revenue = (
        "- **Revenue.** With buoyancy 1, revenue grows with the nominal sector-weighted base, "
        f"{rev:.2f} %/yr against nominal GDP {gdp:.2f} %/yr (the base shifts toward services, "
        "which yield less tax per yuan than industry), close to the 8.6 %/yr of 2015-2020."
    )
    industry = (
        "- **Above-scale industry.** Without attracted firms the model's same-firm growth is "
        f"the real growth of incumbent industry (falling from {same[2021]:.1f} % with the "
        f"rebound to {same[2025]:.1f} % in 2025), {7.8 - compound:.0f} points below the "
        f"history and {9 - compound:.0f}-{9 - same[2025]:.0f} below the plan's 9 %. "
        f"Attracted firms (the stimulus) lift it to {lifted.min():.1f}-{lifted.max():.1f} % a "
        "year in 2021-2025. The history covers a small set of firms (8.2 of 89 亿元) that a "
        "share-of-industry representation cannot make outgrow the sector without new firms; "
        "the scorecard says so (decided_by)."
    )

    both = t_real > g_real and t_nom > gdp
    tertiary = (
        "- **Tertiary.** The plan's multiples include the 2018 census revision and are not "
        "used for calibration (only 2020 levels are); the direction, services outgrowing GDP, "
        + (
            "holds in real and nominal terms"
            + (", but only just in real terms." if t_real - g_real < 0.2 else ".")
            if both
            else "does not hold in real terms."
        )
    )
    return f"{table}\n\n" + _bullets(revenue, industry, tertiary)


def _bullets(*items: str) -> str:
    return (
        "\n".join(
            textwrap.fill(
                t, 92, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
            )
            for t in items
        )
        + "\n"
    )


def scenario_notes() -> str:
    """§15.4: what the table says of each scenario."""
    from hubinsim.analysis.checks import cagr

    bau = _annual()
    stim, sip, slow = (_annual(n) for n in ("stimulus", "siphon", "slowdown"))
    rk4 = _annual("stimulus", method="rk4")
    g, gs = stim["gdp_real_growth_pct"], slow["gdp_real_growth_pct"]
    share = stim.loc[2025, "share_tertiary_pct"]
    worst = stim["industrial_va_above_scale_growth_pct"].loc[2021:2025].min()
    land = slow["land_revenue"]
    du = (sip["unemployment_rate_pct"] - bau["unemployment_rate_pct"]).abs().max()

    def below(a, col, year):  # how far below business as usual [%]
        return 100.0 * (1.0 - a.loc[year, col] / bau.loc[year, col])

    stimulus = (
        f"- **Stimulus** ({cagr(stim['gdp_real']):.2f} %/yr over 2020-2025). 2021 jumps with "
        "the Yellow River zone's 15 亿元, the pool's faster pace (half of the extra pace adds "
        "to investment, the rest displaces other projects) and the vouchers. After 2025 the "
        "programmes stop and the 15th plan's projects follow at the usual pace: growth "
        f"{g[2026]:.1f} % and {g[2027]:.1f} % in 2026-2027. The debt limit binds from 2022 and "
        f"public projects wait for money; debt reaches {stim.loc[2035, 'government_debt']:.0f} "
        f"亿元 in 2035 (BAU {bau.loc[2035, 'government_debt']:.1f}; "
        f"{stim.loc[2035, 'government_debt']:.1f} at the default step, "
        f"{rk4.loc[2035, 'government_debt']:.1f} with RK4). The tertiary share is lower than in "
        "business as usual (construction and attracted industry grow faster), so the plan's "
        f"60 % share is {'met' if share >= 60 else 'missed'}"
        f"{' by a hair' if abs(share - 60) < 0.2 else ''} ({share:.2f} %); it meets the "
        "firm-count and R&D targets (levers), and above-scale growth falls short of 9 % in its "
        f"worst year ({worst:.2f} %)."
    )
    siphon = (
        f"- **Siphon.** Population falls {below(sip, 'population', 2035):.0f} % below business "
        f"as usual by 2035 and real GDP {below(sip, 'gdp_real', 2035):.0f} %; unemployment "
        f"unchanged (within {du:.2f} point): fewer residents mean less labour and less local "
        "demand, not more unemployed."
    )
    slowdown = (
        "- **Slowdown.** The late, smaller pool, the 2022 epidemic year and a property "
        f"downturn: growth {gs[2021]:.1f} % in 2021 and {_num(gs[2022], 1)} % in 2022, "
        f"unemployment {slow.loc[2022, 'unemployment_rate_pct']:.2f} % in 2022 (above the "
        "plan's 3.8 % ceiling), then a recovery. Housing demand 10-15 % below its trend cuts "
        "housing investment and land prices, and land revenue falls from "
        f"{land[2020]:.1f} 亿元 (2020) to {land[2022]:.1f} and {land[2023]:.1f} in 2022-2023 "
        f"before it recovers with housing investment ({land[2025]:.1f} in 2025): "
        f"{_pct(100 * (land[2024] / land[2020] - 1), 0)} over 2020-2024, against the national "
        "−44 % over 2021-2024. (When housing investment closed a fixed share of the gap to "
        "demand, the same downturn took land revenue to 2.3 and 1.7.) Its trend parameters "
        "stay changed after 2025: 2035 is a lower long-run path. Its lower return decline "
        "(firms accept returns falling 0.5 % a year instead of 1.5 %) acts from 2021, like a "
        "lever: the start year's investment is history, calibrated with the decline business "
        "as usual has (before, the scenario split the same 2020 FAI differently, public "
        "investment 35.91 against 35.19 亿元), so firms cut investment when the assumption "
        f"starts (FAI {below(slow, 'fai', 2021):.0f} % below business as usual in 2021, "
        f"{below(slow, 'fai', 2025):.0f} % in 2025)."
    )
    return _bullets(stimulus, siphon, slowdown)


#: The shipped scenarios of §15.5, with the names the page gives them.
STEPPED = {"BAU": None, "stimulus": "stimulus", "siphon": "siphon", "slowdown": "slowdown"}


def _largest_change(a, b, year: int = 2025) -> tuple[float, str]:
    """The largest relative change of a ``year`` figure from ``a`` to ``b`` [%] and its
    indicator: rates in percent left out (tests/test_model.py judges them in points), the
    balance and the debt against the spending of that year and since 2020, the pool against
    its yearly size in the plan years, vacancies against the jobs."""
    from hubinsim.catalog import INDICATOR_BY_NAME

    ra, rb = a.loc[year], b.loc[year]
    scale = ra.abs().where(ra != 0, 1.0)
    spending = a.loc[2021:year, "fiscal_expenditure"].abs()
    scale["fiscal_balance"] = spending.iloc[-1]
    scale["government_debt"] = spending.sum()
    scale["pool_investment"] = a.loc[2021:2025, "pool_investment"].mean()
    scale["vacancies"] = a.loc[year, "employment"] * 1e4  # against the jobs
    scale["vacancies_per_unemployed"] = 1.0  # (a ratio near 0: in its own units)
    rel = ((rb - ra).abs() / scale)[[n for n in ra.index if INDICATOR_BY_NAME[n].unit != "%"]]
    return 100.0 * float(rel.max()), str(rel.idxmax())


def step_sizes() -> str:
    """§15.5: halving dt, and RK4 against Euler, in 2025."""
    half, rk4 = [], []
    for label, name in STEPPED.items():
        a = _annual(name)
        half.append((label, *_largest_change(a, _annual(name, dt=0.125))))
        rk4.append(_largest_change(a, _annual(name, method="rk4"))[0])
    worst = max(max(h[1] for h in half) / 0.5, max(rk4) / 1.0)

    def what(name):  # fai_social: social FAI; capital_tertiary: tertiary capital
        kind, _, what = name.partition("_")
        if kind in ("fai", "capital"):
            return f"{what} {'FAI' if kind == 'fai' else kind}"
        return name.replace("_", " ")

    text = (
        "- Halving dt (0.25 → 0.125), largest relative change of a 2025 figure (balances and "
        "debt judged against spending, as tests/test_model.py does): "
        + ", ".join(f"{label} {v:.2f} % ({what(n)})" for label, v, n in half)
        + ". RK4 at dt 0.25 against Euler: "
        + ", ".join(f"{v:.2f} %" for v in rk4)
        + f"; {'all four meet' if worst <= 1 else 'not all four meet'} MODEL.md's 0.5 % (twice "
        "that against RK4) in 2025 and in 2035 (tests/test_model.py). Two formulations made "
        "that so (before them the stimulus missed by 0.58 % on public investment near the debt "
        "limit and the slowdown by 0.59 % on land revenue after the property downturn): the "
        "revenue base the budget plans on takes its target with the weight that steps it "
        "exactly while the target grows at the start's nominal growth (an Euler step of a base "
        "following a growing target lags it by about g dt / 2 more than in continuous time: "
        "the BAU budget spent 0.9 % less, and the debt drifted 5 % below RK4's by 2035), and "
        "the investment that closes a share of the gap to desired capital does so at the rate "
        "that steps the gap exactly (`investment.adjustment_rate` and its public twin, as the "
        "other first-order adjustments), so that business capital follows a step of desired "
        "capital as in continuous time."
    )
    return _bullets(text)


def one_at_a_time() -> str:
    """§15.6: real growth 2020-2025 with each parameter at the ends of its range."""
    from hubinsim.analysis.checks import cagr
    from hubinsim.data import load_parameters

    prm = load_parameters()
    ends = {n: (_growth_with(n, p.low), _growth_with(n, p.high)) for n, p in prm.items()}
    top = sorted(ends, key=lambda n: -abs(ends[n][1] - ends[n][0]))[:10]
    initial = max(abs(h - lo) for n, (lo, h) in ends.items() if n.startswith("initial."))
    gaps = [cagr(_annual(start=_start(g), end=2035)["gdp_real"]) for g in (0.03, 0.06)]

    def num(v):
        return f"{v:g}".replace("-", "−")

    lines = [
        _fill(
            f"Real GDP growth 2020-2025 (default {cagr(_annual()['gdp_real']):.2f} %/yr) with "
            "each parameter at the low and the high end of its range; the ten that move it most:"
        ),
        "| parameter (default; range) | at low end | at high end |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{n}` ({num(prm[n].value)}; {num(prm[n].low)}-{num(prm[n].high)}) | "
        f"{ends[n][0]:.2f} | {ends[n][1]:.2f} |"
        for n in top
    ]
    tail = _fill(
        f"Every initial-condition parameter moves it by at most {initial:.3f} points (§15.2); "
        f"the 2020 trough (a record figure) by {gaps[1] - gaps[0]:.2f} over its honest range. "
        "Growth rests on productivity, the region's demand and the drift of desired capital, "
        "which are what an evaluation should argue about."
    )
    return "\n".join(lines) + "\n\n" + tail


def _start(gap: float) -> dict:
    from hubinsim.analysis import checks

    return checks.start_2020(output_gap=gap)


# --------------------------------------------------------------------------- README.md


def readme_growth() -> str:
    """README, "The model": business as usual's headline figures."""
    from hubinsim.analysis.checks import cagr

    a = _annual()
    return _fill(
        f"Under business as usual the model gives {cagr(a['gdp_real']):.1f} % real growth a year "
        f"over 2020-2025 ({a.loc[2021, 'gdp_real_growth_pct']:.1f} % in the 2021 rebound) and a "
        f"tertiary share of {a.loc[2025, 'share_tertiary_pct']:.1f} % in 2025 (docs/model.md "
        "§15); the scorecard shows which plan targets each scenario reaches; no parameter is "
        "set to make a target come true."
    )


def compare_statement() -> str:
    """README, "Ensembles": a statement of an ensemble comparison, as statements.txt says it."""
    cmp = _quiet(hubinsim.compare, BASELINE, STIMULUS, draws=1000, seed=1)
    said = next(s.text for s in cmp.statements if "[gdp_real]" in s.text and " 2025 " in s.text)
    return _fill(f'"{said}"')


# ------------------------------------------------------------------ docs/evaluation.md

EVALUATION_PAGE = ROOT / "docs" / "evaluation.md"
#: The rows of the worked example's table the page shows.
SHOWN = ("share_tertiary_pct", "va_tertiary", "retail_sales", "unemployment_rate_pct")


@functools.cache
def _evaluation(name: str = "baseline", anchor: str = "restart", actuals: Path = ACTUALS):
    scn = ROOT / "scenarios" / f"{name}.toml"
    return _quiet(hubinsim.evaluate, scn, hubinsim.read_actuals(actuals), anchor=anchor)


def _transcript(actuals: str, shown) -> tuple[list[str], list[str]]:
    """`hubinsim evaluate scenarios/baseline.toml --actuals examples/ACTUALS --no-charts` as
    the terminal prints it: the command and its lines, then its table abridged to the rows of
    the indicators ``shown``, without the columns of draws and growth needed."""
    import os
    import tempfile

    from click.testing import CliRunner

    from hubinsim import cli

    args = ["evaluate", "scenarios/baseline.toml", "--actuals", f"examples/{actuals}"]
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as out:
        os.chdir(ROOT)
        try:
            res = CliRunner().invoke(cli.main, [*args, "--no-charts", "--out", out])
        finally:
            os.chdir(here)
    lines = res.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("indicator "))
    cut, verdict = lines[head].index("prob."), lines[head].index("verdict")

    def short(line):
        return line[:cut] + "...  " + line[verdict:]

    rows = [short(line) for line in lines[head + 2 :] if line.split(" ")[0] in shown]
    command = ["```", f"$ hubinsim {' '.join(args)} --no-charts", *lines[:head]]
    return [*command, short(lines[head]), *rows], lines


def worked_example() -> str:
    """The terminal's table of the worked example, as `hubinsim evaluate` prints it, with
    four of its rows and without the columns of draws and growth needed."""
    shown, lines = _transcript("actuals_illustrative.csv", SHOWN)
    note = next(line for line in lines if line.startswith("(est.:"))
    return "\n".join([*shown, "...", note, *EXAMPLE_TAIL, "```", ""])


def final_example() -> str:
    """The terminal's table of the final evaluation's example, abridged."""
    rows = (
        "share_tertiary_pct",
        "retail_sales",
        "enterprises_above_scale",
        "park_gross_output",
        "rd_intensity_pct",
    )
    shown, _ = _transcript("actuals_final_illustrative.csv", rows)
    return "\n".join([*shown, "...", "```", ""])


def final_reading() -> str:
    """What the final evaluation's example says."""
    ev = _evaluation(actuals=ROOT / "examples" / "actuals_final_illustrative.csv")
    t = ev.table.drop_duplicates("indicator").set_index("indicator")
    expected = {
        "retail_sales": "not achieved",
        "enterprises_above_scale": "not achieved",
        "rd_intensity_pct": "to be verified",
        "park_gross_output": "to be verified",
    }
    got = {n: t.loc[n, "verdict"] for n in expected}
    assert got == expected, (
        f"the final example's verdicts changed ({got}): docs/evaluation.md's reading of them "
        "needs rewriting"
    )
    retail, firms, rd = (
        t.loc[n] for n in ("retail_sales", "enterprises_above_scale", "rd_intensity_pct")
    )
    park = t.loc["park_gross_output"]
    return _fill(
        "Reading it: every 2025 target is judged by its 2025 figure alone (已完成 / 未完成), and "
        "the figure to quote is the completion rate (完成率), the figure against the target: "
        f"retail sales {retail['latest_actual']:.1f} against {retail['target']:g} are "
        f"{retail['completion_pct']:.1f} % complete (their target progress, "
        f"{retail['target_progress_pct']:.1f} %, measures the way from the 2020 base, a "
        f"mid-term measure); the firm count, {firms['latest_actual']:.0f} against 68, "
        f"{firms['completion_pct']:.1f} %. R&D intensity has no 2025 figure: the 2024 actual, "
        f"{rd['latest_actual']:.2f}, is carried to 2025 and the verdict waits for the 2025 "
        f'figure (待核实; the reason says "2024年实际值 {rd["latest_actual"]:.2f} 沿用至2025年", '
        "not a model value). The park's output has no actual figure at all: the model's "
        f"{park['projected']:.2f} is shown for reference, 待核实. Its 2035 target keeps the "
        "mid-term rules. The re-projection's jumps in 2026 (above-scale growth, the yearly new "
        "jobs) are left out of the checks: they are about a year after the targets judged, and "
        "no target still open is of those indicators."
    )


#: The end of the worked example's transcript, abridged (the marks and the rules in words).
EXAMPLE_TAIL = (
    "Marks (verdicts with a *):",
    "  - enterprises_above_scale 2025: target derived by the project, not a figure of the plan; "
    "rests on the scenario's assumptions: no actual figure yet (...)",
    "...",
    "The verdict rules:",
    "  - Final evaluation, tried first: a target whose year is over (the latest full year of "
    "actual figures is at or after it; time progress 100 %) is achieved (已完成) ...",
    "  - achieved (提前实现): the latest actual already meets the target.",
    "...",
)


def worked_reading() -> str:
    """What the worked example's table says, row by row."""
    ev = _evaluation()
    t = ev.table.drop_duplicates("indicator").set_index("indicator")
    share, va, retail, u = (t.loc[n] for n in SHOWN)
    expected = {"va_tertiary": "achieved", "share_tertiary_pct": "ahead"}
    expected |= {"retail_sales": "at risk", "unemployment_rate_pct": "on track"}
    got = {n: t.loc[n, "verdict"] for n in expected}
    assert got == expected, (
        f"the worked example's verdicts changed ({got}): docs/evaluation.md's reading of them "
        "needs rewriting"
    )
    level = ev.path.loc[2023, "retail_sales"]
    q = next(
        r.value
        for r in hubinsim.read_actuals(ACTUALS).rows
        if r.indicator == "retail_sales" and r.year == 2024 and r.period == "Q1-Q3"
    )
    return _fill(
        "Reading it: the (illustrative) tertiary value added passed 200 亿元 in 2023 "
        f"({va['latest_actual']:.1f}), two years early ({va['verdict_zh']}). Its share reached "
        f"{share['latest_actual']:.2f} %, a hair below the 60 % target: "
        f"{share['target_progress_pct']:.1f} % of the way from the plan's 57.8 % with "
        f"{share['time_progress_pct']:.0f} % of the time gone, more than 10 points ahead of "
        f"time, and the re-projection reaches {share['projected']:.1f} % in 2025: "
        f"{share['verdict_zh']}. Retail sales were {level:.1f} 亿元 in 2023 and, estimated from "
        f"the Q1-Q3 growth of {q:.1f} %, {retail['latest_actual']:.1f} in 2024; 150 needs "
        f"{retail['growth_needed']:.1f} % growth in 2025 against "
        f"{retail['growth_projected']:.1f} % projected: {retail['verdict_zh']}. Unemployment "
        f"stayed below 3.8 % in every year so far ({u['latest_actual']:.2f} % in 2023) and is "
        f"projected to ({u['projected']:.2f} % in 2025): {u['verdict_zh']}. The restart record "
        "sheet shows which 2023 figures are actual (GDP, tertiary and primary value added, "
        "revenue, retail sales, population, unemployment) or estimated (FAI and above-scale "
        "value added, built from their growth rates) and which the model carried."
    )


def anchors() -> str:
    """Which anchor for an official table: the restart against a fade, on the example."""
    rows = []
    for name in ("baseline", "stimulus"):
        a = _evaluation(name).table
        b = _evaluation(name, "fade=3").table
        same = (a["verdict"] == b["verdict"]).all()
        rows.append((name, same, a, b))
    stim = rows[1]
    key = "industrial_va_above_scale_growth_pct"
    restart = float(stim[2].set_index("indicator").loc[key, "projected"])
    faded = float(stim[3].set_index("indicator").loc[key, "projected"])
    alike = all(r[1] for r in rows)
    apart = []
    for name, _same, a, b in rows:
        for (_i, x), (_j, y) in zip(a.iterrows(), b.iterrows(), strict=True):
            assert (x["indicator"], x["target_year"]) == (y["indicator"], y["target_year"])
            if x["verdict"] != y["verdict"]:
                apart.append(
                    f"the {name}'s {x['name']} in {x['target_year']} ({x['verdict']} on the "
                    f"restart, {y['verdict']} faded)"
                )
    return _fill(
        "**Which anchor for an official table.** Use the default, `--anchor restart`: the "
        "re-projection starts from the actual state of the latest full year, so each "
        "projected year follows from figures the bulletins printed. `--anchor fade=N` keeps "
        "the 2020 start and shifts each series towards its latest actual with add-factors "
        "that fade over N years; the fading shifts are not the model's own dynamics (each "
        "series is shifted alone, so the sectors no longer add up to GDP), and the two anchors "
        "can tell different stories: with the illustrative figures "
        + (
            "they give the same verdicts, but "
            if alike
            else "they give different verdicts for " + ", ".join(apart) + "; "
        )
        + "the stimulus's above-scale growth in 2025 is "
        f"{restart:.1f} % on the restart and {faded:.1f} % faded over three years. Use a fade "
        "to check how much a verdict depends on the restart, not for the table handed over."
    )


MODEL_BLOCKS = {
    f.__name__: f
    for f in (
        no_shock_draws,
        land_revenue,
        debt_limit,
        start_stocks,
        successor,
        plan_year_pace,
        waiting_numerics,
        usual_pace,
        costed,
        visitors,
        real_shares,
        rd_lag,
        trough,
        pool_jobs,
        bau_unemployment,
        lasting_shock,
        attracted_jobs,
        new_urban_jobs,
        shortage,
        premium_draws,
        residents,
        bau_table,
        bau_growth,
        acceptance,
        multipliers_range,
        history,
        scenario_table,
        scenario_notes,
        scorecards,
        step_sizes,
        fiscal_headlines,
        one_at_a_time,
    )
}


def restart_unemployment() -> str:
    """docs/evaluation.md: what an actual unemployment rate does at a restart."""
    plain = _annual("baseline")
    u = plain.loc[2023, "unemployment_rate_pct"]
    scn = hubinsim.load_scenario(ROOT / "scenarios" / "baseline.toml")
    runs = {}
    for rate in (u + 1.5, u - 1.5):
        rows = [{"indicator": "unemployment_rate_pct", "year": 2023, "value": rate,
                 "basis": "level", "vintage": "final", "source": "illustrative"}]  # fmt: skip
        act = hubinsim.Actuals.from_rows(rows, "u.csv")
        runs[rate] = _quiet(hubinsim.simulate, scn, actuals=act).annual
    high, low = (runs[r].loc[2035, "population"] for r in (u + 1.5, u - 1.5))
    gdp = {r: runs[r].loc[2030, "gdp_real"] / plain.loc[2030, "gdp_real"] - 1 for r in runs}
    vacant = runs[u - 1.5].loc[2023, "vacancies"]
    return _fill(
        "An actual unemployment rate changes how many residents seek work, not how many work: "
        "the participation rate moves with it so that employment per working-age resident "
        "(participation × (1 − u)) stays the original run's, and the record says so. Read the "
        "other way, a rate above the run's would be fewer jobs for the same output, a higher "
        "wage per worker and a smaller normal labour force, whose higher income per member "
        "would draw residents in. The registered unemployed beyond the run's lower the income "
        "residents expect (Harris-Todaro), and the extra labour force returns to normal "
        "participation as the trough closes (docs/model.md §6): the baseline restarted in 2023 "
        f"from {u + 1.5:.2f} % unemployment ends 2035 with {high:.2f} 万 residents, from its own "
        f"{u:.2f} % with {plain.loc[2035, 'population']:.2f} 万, from {u - 1.5:.2f} % with "
        f"{low:.2f} 万. The two sides are not alike for output: a rate above the natural rate "
        "is a labour force that leaves as the trough closes (2030 real GDP "
        f"{_pct(100 * gdp[u + 1.5])} against the run), a rate below it is posts the labour "
        f"force does not fill ({vacant:,.0f} vacancies in 2023, by the matching of §6) until the "
        f"workers short of normal participation return (2030 real GDP {_pct(100 * gdp[u - 1.5])}"
        "): the registered rate is read as the tightness of the labour market, which it "
        "measures only roughly."
    )


def restart_above_scale() -> str:
    """docs/evaluation.md: the attracted firms at a restart from an above-scale figure."""
    scn = STIMULUS
    run = _annual("stimulus")
    res = _quiet(hubinsim.simulate, scn, actuals=hubinsim.read_actuals(ACTUALS))
    record = res.reprojection.anchor_table.set_index("figure")
    kept = (
        record.loc["capital_cohort", "value"] / hubinsim.start_record(2023, scn)["capital_cohort"]
    )
    key = "industrial_va_above_scale_growth_pct"
    return _fill(
        "Above-scale industry's published growth is on the same firms as the year before (NBS "
        "同口径); its level counts new firms too. A level built from the growth adds the "
        "original run's new firms of that year, so that a scenario that attracts firms "
        "(`firms_attracted`), restarted from its own growth figures, starts at its own level. "
        "Where the level so built is below the run's, the incumbents are taken at the run's "
        "figure scaled with the industrial value added, and what the actual figure leaves "
        "beyond them is what the attracted firms produce, at most the run's: their capital, "
        "their committed investment and their count are scaled with it (flagged `estimate`; "
        "the above-scale count and gross output the file does not give lose those firms too). "
        "The stimulus restarted on the illustrative figures, whose above-scale growth is "
        f"business as usual's, keeps {100 * kept:.0f} % of the firms it had attracted by 2023, "
        f"and its above-scale growth goes from {res.annual.loc[2023, key]:.1f} % (2023, actual) "
        f"to {res.annual.loc[2024, key]:.1f} % in 2024, where the run's own is "
        f"{run.loc[2024, key]:.1f} %: the scenario's firms of 2024-2025 and its industrial "
        "projects still come."
    )


def draws_path() -> str:
    """docs/evaluation.md: the annual path with draws against the single run."""
    from hubinsim.data import load_parameters

    scn, draws, seed, jobs = STIMULUS, 50, 1, "new_urban_jobs_cumulative"
    one = _quiet(hubinsim.evaluate, scn, hubinsim.read_actuals(ACTUALS))
    ev = _quiet(hubinsim.evaluate, scn, hubinsim.read_actuals(ACTUALS), draws=draws, seed=seed)
    start, end = ev.start_year, int(ev.path.index[-1])
    p, q = ev.path, one.path
    turnover = load_parameters()["labour.turnover"]

    def apart(ind, year):
        return f"{(p.loc[year, ind] / q.loc[year, ind] - 1) * 100:+.1f} %"

    return _fill(
        "With draws, the model's figures of the actual years in the annual path (those no actual "
        "figure gives nor is built from) are the members' median too: their original runs "
        "before the restart year, their restarted state in it, the same members as the years "
        "after. Each member counts the new urban jobs of its own years before the start, so the "
        f"count runs on from the median shown in the start year: the stimulus under the "
        f"illustrative actuals ({draws} draws, seed {seed}) counts {p.loc[start, jobs]:,.0f} by "
        f"{start} and {p.loc[start + 1, jobs]:,.0f} by {start + 1}, where the single run counts "
        f"{q.loc[start, jobs]:,.0f} and {q.loc[start + 1, jobs]:,.0f}. The median departs from "
        "the single run by the parameters drawn alone (members drawn at every default give the "
        f"single run's path): GDP {apart('gdp', start + 1)} in {start + 1} and "
        f"{apart('gdp', end)} in {end}, the jobs count {apart(jobs, 2025)} in 2025, mostly "
        "as `labour.turnover`, which sets the gross hires, is drawn over its range "
        f"({turnover.low * 100:g}-{turnover.high * 100:g} %), whose middle lies above its "
        f"default ({turnover.value * 100:g} % a year). The figures the actuals give are the "
        "same with and without draws."
    )


README = ROOT / "README.md"
README_BLOCKS = {f.__name__: f for f in (readme_growth, compare_statement)}
EVALUATION_BLOCKS = {
    f.__name__: f
    for f in (
        worked_example,
        worked_reading,
        anchors,
        final_example,
        final_reading,
        restart_unemployment,
        restart_above_scale,
        draws_path,
    )
}

BLOCKS = {
    f.__name__: f
    for f in (solve_one, vouchers_scan, two_levers, draws, closest, actuals, attribution)
}
#: Blocks that take long: written with --slow, not checked by the tests.
SLOW = {"recovery": recovery}


#: The pages with figure blocks, and the functions that write their blocks.
PAGES = {
    PAGE: BLOCKS,
    MODEL_PAGE: MODEL_BLOCKS,
    README: README_BLOCKS,
    EVALUATION_PAGE: EVALUATION_BLOCKS,
}


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
