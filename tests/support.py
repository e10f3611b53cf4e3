"""What the test modules share: a short scenario, a scenario drawing levers, a file writer,
the CLI invoked in process, what a failed run left behind, the canonical scenarios, exact
comparisons of values, an ensemble's members and draws as the files hold them, and the
indicators that can never be negative."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

import hubinsim
from hubinsim import cli
from hubinsim.io.members import member_indicators
from hubinsim.scenario.units import unit_slip

ROOT = Path(__file__).resolve().parents[1]

#: Indicators that are stocks or flows which can never be negative.
NONNEGATIVE = (
    "capital_primary", "capital_industry", "capital_tertiary", "capital_public",
    "tfp_primary", "tfp_industry", "tfp_tertiary",
    "population", "labour_force", "employment",
    "employment_primary", "employment_secondary", "employment_tertiary",
    "enterprises_above_scale", "fai", "fiscal_revenue", "retail_sales",
    "va_primary", "va_secondary", "va_tertiary", "va_industry", "va_construction",
    "gdp", "gdp_real", "industrial_va_above_scale", "industrial_output_above_scale",
    "new_urban_jobs", "new_urban_jobs_cumulative", "gdp_per_capita",
    "disposable_income_per_capita", "unemployment_rate_pct",
    "capital_housing", "gdp_potential_real", "pool_investment", "public_investment",
    "transfers_from_above", "land_revenue", "fiscal_expenditure", "household_consumption",
    "visitor_spending", "park_gross_output", "employment_construction",
    "natural_unemployment_rate_pct", "services_share_of_consumption_pct",
)  # fmt: skip

#: A scenario that ends in 2026, so that a run takes milliseconds.
SHORT = """\
[scenario]
name = "{name}"
description = "a short test run"

[time]
end = 2026

[consumption]
vouchers = {vouchers}
"""

#: A scenario extending ``{base}`` that draws two levers, correlated.
DRAWN = """[scenario]
name = "drawn"
extends = "{base}"

[uncertainty]
draws = 40
seed = 5
correlations = [["plan_realisation", "siphon_rate", -0.4]]

[uncertainty.levers]
plan_realisation = {{ dist = "triangular", low = 0.4, mode = 0.7, high = 0.9 }}
siphon_rate = {{ dist = "uniform", low = 0.03, high = 0.08 }}
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def extending_baseline(folder: Path, text: str = DRAWN, name: str = "drawn.toml") -> Path:
    """``text`` written to ``folder/name``, its ``{base}`` the canonical baseline scenario."""
    base = (ROOT / "scenarios" / "baseline.toml").as_posix()
    return write(folder / name, text.format(base=base))


def scenario(name: str):
    """A canonical scenario of scenarios/, loaded."""
    return hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")


def same_values(a: dict, b: dict) -> None:
    """The same indicators, bit for bit."""
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def invoke(*args):
    """``hubinsim ARGS...`` through click's CliRunner (exceptions propagate)."""
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir()) if out.exists() else []


def members_frame(res) -> pd.DataFrame:
    """An ensemble's members as members.csv.gz holds them, built from the values in memory."""
    years, n = np.asarray(res.years, dtype=np.int64), res.n_members
    columns = {"member": np.repeat(np.arange(n, dtype=np.int64), len(years))}
    columns["year"] = np.tile(years, n)
    for name in member_indicators(res):
        columns[name] = res.values[name].T.reshape(-1)
    return pd.DataFrame(columns)


def draws_frame(res) -> pd.DataFrame:
    """An ensemble's draws as draws.csv.gz holds them."""
    index = pd.Index(np.arange(res.n_members, dtype=np.int64), name="member")
    return pd.DataFrame(dict(res.metadata["samples"]), index=index)


def taken_as_written(item, value: float) -> bool:
    """Whether ``value`` for a lever or parameter is taken as written without a word: not
    refused as a percentage written for a fraction or the reverse, nor warned of (a value
    inside the range that reads plausibly in the other unit too)."""
    return unit_slip(item.name, value, item) is None


def model_inputs(grid, params: dict, levers: dict | None = None, base: dict | None = None):
    """The model's inputs over ``grid`` (and their left limits at year ends) for business as
    usual with ``levers`` on top: every lever at its default but those given, the pool at
    ``plan_realisation`` (else its business-as-usual realisation), evenly, no shock.
    ``params`` are the parameters' values as floats."""
    from hubinsim import model
    from hubinsim.catalog import LEVERS, POOL_CATEGORIES, lever_default
    from hubinsim.data import load_base, load_pool

    base = base or {k: v.value for k, v in load_base().items()}
    defaults = {lv.name: lever_default(lv, params, base) for lv in LEVERS}
    r_bau = params["investment.bau_realisation"]
    real = {c: (levers or {}).get("plan_realisation", r_bau) for c in POOL_CATEGORIES}
    even = {y: 0.2 for y in range(2021, 2026)}
    return tuple(
        model.build_inputs(
            grid,
            {**defaults, **(levers or {})},
            defaults,
            real,
            even,
            (),
            load_pool(),
            r_bau,
            left=left,
        )  # fmt: skip
        for left in (False, True)
    )
