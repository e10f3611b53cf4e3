"""The measurements behind the model's plausibility checks (docs/model.md §15): the
multipliers of extra pool spending, the stimulus's effect with loops switched off, growth
rates. tests/test_mechanisms.py asserts the acceptance ranges on them and
scripts/doc_figures.py writes the figures docs/model.md quotes, so the two measure alike."""

from __future__ import annotations

import math

from ..catalog import LEVER_BY_NAME, POOL_CATEGORIES
from ..data import load_base
from ..model import structure
from ..run.simulation import simulate


def cagr(series, first: int = 2020, last: int = 2025) -> float:
    """The compound annual growth of ``series`` (indexed by year) from ``first`` to
    ``last`` [%/yr]."""
    return ((series[last] / series[first]) ** (1 / (last - first)) - 1) * 100


def start_2020(**changes) -> dict:
    """The 2020 base record as a start record (``simulate(start=...)``), with the figures of
    ``changes`` in place of the record's (``output_gap=0.0``: no trough)."""
    rec = {k: v.value for k, v in load_base().items()}
    rec.update(changes)
    return {"year": 2020, **rec}


def extra_pool(category: str, amount: float = 10.0, end: int = 2035):
    """One year of extra projects (2021, ``amount`` 亿元) in one pool category: the run's
    annual table, business as usual's, and the extra spending in 2020 prices (mid-2021)."""
    base = simulate(end=end).annual
    more = simulate(
        levers={f"extra_{category}": {"step": {2021: amount, 2022: 0.0}}}, end=end
    ).annual
    inflation = LEVER_BY_NAME["inflation_investment"].default
    return more, base, amount / math.exp(inflation * 1.0)


def multipliers(amount: float = 10.0, end: int = 2035) -> dict[str, tuple[float, float, float]]:
    """For each pool category: the first-year multiplier (extra real GDP of 2021 over the
    extra real spending), the cumulative one (extra real GDP summed over 2021-``end``), and
    the real investment the spending induces within 2021 [亿元]."""
    out = {}
    for c in POOL_CATEGORIES:
        more, base, real = extra_pool(c, amount, end)
        extra_gdp = more["gdp_real"] - base["gdp_real"]
        induced = (more["fai"] - base["fai"])[2021] * (real / amount) - real
        out[c] = (extra_gdp[2021] / real, extra_gdp.loc[2021:end].sum() / real, induced)
    return out


def loops_off(polarity: str | None = None) -> dict[str, float]:
    """The parameter values that switch off the feedback loops of the loop table (only those
    of ``polarity``, "R" or "B", if given)."""
    return {
        lp.switch[0]: lp.switch[1]
        for lp in structure.LOOPS
        if polarity is None or lp.polarity == polarity
    }


def stimulus_effect(scenario, parameters: dict | None = None) -> float:
    """The effect of ``scenario`` on 2025 real GDP, a share of business as usual's, both
    run with ``parameters``."""
    params = dict(parameters or {})
    bau = simulate(parameters=params).annual.loc[2025, "gdp_real"]
    alt = simulate(scenario, parameters=params).annual.loc[2025, "gdp_real"]
    return alt / bau - 1


def wage_offered_draws(res):
    """The members of an ensemble ``res`` (business as usual to 2035) whose 2035 unemployment
    lies more than half their labour.tight_market_gap below the natural rate, and the 2035
    residents of every member with and without the wage offered to newcomers
    (labour.vacancy_wage_response 0, the same draws otherwise): ``(short, with, without)``,
    the first a boolean mask."""
    import numpy as np

    v = res.values
    samples = {k: np.asarray(x) for k, x in res.metadata["samples"].items()}
    off = dict(samples, **{"labour.vacancy_wage_response": np.zeros(res.n_members)})
    end = int(res.years[-1])
    without = simulate(end=end, parameters=off, members=res.n_members).values["population"]
    gap = v["unemployment_rate_pct"][-1] - v["natural_unemployment_rate_pct"][-1]
    short = gap < -50.0 * samples["labour.tight_market_gap"]
    return short, v["population"], without
