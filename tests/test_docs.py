"""Generated documentation is current."""

import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import hubinsim
from hubinsim import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["levers", "indicators"])
def test_generated_pages_match_the_catalogue(command):
    res = CliRunner().invoke(cli.main, [command, "--format", "markdown"])
    assert res.exit_code == 0
    page = (ROOT / "docs" / f"{command}.md").read_text(encoding="utf-8")
    assert page.endswith("\n\n" + res.output), (
        f"docs/{command}.md is out of date: hubinsim {command} --format markdown > "
        f"docs/{command}.md (keep the header)"
    )


def _doc_figures():
    spec = importlib.util.spec_from_file_location(
        "doc_figures", ROOT / "scripts" / "doc_figures.py"
    )
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    return figures


def test_the_figures_of_the_calibration_page_match_a_fresh_run():
    figures = _doc_figures()
    page = figures.PAGE.read_text(encoding="utf-8")
    found = [m.group("name") for m in figures.BLOCK.finditer(page)]
    assert sorted(found) == sorted({*figures.BLOCKS, *figures.SLOW})  # each block once
    stale = figures.stale(page)
    assert stale == [], (
        f"docs/calibration.md: the figures of {', '.join(stale)} differ from a fresh run; "
        "run python scripts/doc_figures.py and review the diff"
    )


def test_the_measured_figures_of_the_model_page_match_a_fresh_run():
    """docs/model.md §15 quotes what the model gives (the scenarios, the scorecards): each
    block is written by scripts/doc_figures.py, so a change of the model that moves a figure
    fails here until the page is rewritten."""
    figures = _doc_figures()
    page = figures.MODEL_PAGE.read_text(encoding="utf-8")
    found = [m.group("name") for m in figures.BLOCK.finditer(page)]
    assert sorted(found) == sorted(figures.MODEL_BLOCKS)  # each block once
    stale = figures.stale(page, figures.MODEL_BLOCKS)
    assert stale == [], (
        f"docs/model.md: the figures of {', '.join(stale)} differ from a fresh run; "
        "run python scripts/doc_figures.py and review the diff"
    )


@pytest.mark.parametrize(
    ("page", "blocks"),
    [("README", "README_BLOCKS"), ("EVALUATION_PAGE", "EVALUATION_BLOCKS")],
    ids=["README.md", "docs/evaluation.md"],
)
def test_the_figures_other_pages_quote_match_a_fresh_run(page, blocks):
    """The README quotes business as usual's headline figures and an ensemble comparison's
    statement, docs/evaluation.md its worked examples (the terminal's tables and what they
    say) and what the anchors give: written by scripts/doc_figures.py, so they cannot go
    stale when the model changes."""
    figures = _doc_figures()
    path, blocks = getattr(figures, page), getattr(figures, blocks)
    text = path.read_text(encoding="utf-8")
    found = [m.group("name") for m in figures.BLOCK.finditer(text)]
    assert sorted(found) == sorted(blocks)  # each block once
    stale = figures.stale(text, blocks)
    assert stale == [], (
        f"{path.relative_to(ROOT)}: the figures of {', '.join(stale)} differ from a fresh run; "
        "run python scripts/doc_figures.py and review the diff"
    )


def test_the_results_the_scenario_descriptions_quote_match_a_fresh_run():
    """The stimulus's and the slowdown's descriptions quote a few of their results (what
    the assumptions add up to by 2035, and the slowdown's budget); each figure is the run's,
    rounded as written, so the descriptions cannot go stale when the model changes."""
    root = Path(__file__).resolve().parent.parent
    bau = hubinsim.simulate(root / "scenarios" / "baseline.toml").annual.loc[2035]
    stim_scn = hubinsim.load_scenario(root / "scenarios" / "stimulus.toml")
    stim = hubinsim.simulate(stim_scn).annual.loc[2035]
    text = " ".join(stim_scn.description.split())

    def pct(name):
        return 100.0 * (stim[name] / bau[name] - 1.0)

    quoted = [
        rf"{stim['population'] - bau['population']:.1f} 万 more residents",
        rf"\(\+{pct('population'):.1f} %\)",
        rf"real GDP \+{pct('gdp_real'):.1f} %",
        rf"GDP per capita {pct('gdp_per_capita'):.1f} %",
        rf"a deficit of {-stim['fiscal_balance']:.1f} 亿元",
        rf"a surplus of {bau['fiscal_balance']:.1f}\)",
        rf"debt of {stim['government_debt']:.0f} 亿元 \({bau['government_debt']:.0f}\)",
    ]
    for pattern in quoted:
        assert re.search(pattern, text), pattern

    slow_scn = hubinsim.load_scenario(root / "scenarios" / "slowdown.toml")
    slow = hubinsim.simulate(slow_scn).annual
    base = hubinsim.simulate(root / "scenarios" / "baseline.toml").annual
    text = " ".join(slow_scn.description.split())
    below = (base["government_debt"] - slow["government_debt"]).loc[2022:2024]
    quoted = re.search(
        r"debt ([0-9.]+) to ([0-9.]+) 亿元 below business as usual's in 2022-2024", text
    )
    assert quoted, "the slowdown's description no longer quotes its debt against business as usual"
    assert (f"{below.min():.1f}", f"{below.max():.1f}") == quoted.groups()
    assert f"+{slow.loc[2025, 'fiscal_balance']:.1f} at the default step" in text
    # the labour market after the wave, and the jobs count, as the description says
    lower = (base - slow)["unemployment_rate_pct"].loc[2024:2028]
    assert f"({lower.min():.2f} to {lower.max():.2f} points below it in 2024-2028)" in text
    above = (slow - base)["output_gap_pct"].loc[2026:2028]
    assert f"output {above.min():.2f} to {above.max():.2f} points above its potential" in text
    assert (slow - base)["employment"].loc[2024:2028].max() < 0.0
    # the slowdown with the baseline's pool timing (its realisation and profile)
    bau_scn = hubinsim.load_scenario(root / "scenarios" / "baseline.toml")
    usual = hubinsim.data.load_parameters()["investment.bau_realisation"].value
    realised = bau_scn.levers.get("plan_realisation", usual)
    on_time = hubinsim.simulate(
        slow_scn, levers={"plan_realisation": realised}, profile=bau_scn.profile
    )
    lower = (base - on_time.annual)["unemployment_rate_pct"].loc[2024:2028]
    assert f"without the delay unemployment is at most {lower.max():.2f} points below" in text
    jobs = [f"{x.loc[2025, 'new_urban_jobs_cumulative']:,.0f}" for x in (slow, base)]
    assert f"({jobs[0]} against {jobs[1]})" in text
    # the budget by 2035
    revenue = [
        x[["fiscal_revenue", "transfers_from_above", "land_revenue"]].sum(axis=1).loc[2035]
        for x in (slow, base)
    ]
    public = slow.loc[2035, "public_investment"] / base.loc[2035, "public_investment"]
    assert f"public investment is {100 * (1 - public):.0f} % below" in text
    lower = 100 * (1 - revenue[0] / revenue[1])
    assert f"comprehensive revenue (budget, transfers, land) {lower:.0f} % below" in text
    surplus = slow.loc[2026:, "fiscal_balance"] > 0
    first = int(surplus.idxmax())
    assert surplus.loc[first:].all() and f"runs surpluses from {first}" in text
    debts = (slow.loc[2035, "government_debt"], base.loc[2035, "government_debt"])
    assert "ends with {:.2f} 亿元 of debt against {:.2f}".format(*debts) in text
