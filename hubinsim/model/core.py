"""The Hubin stock-and-flow model: calibration at 2020, rates of change, annual outputs.

The state is a dict of stock arrays of shape ``(members,)``. ``rates`` computes, for one
time point, every auxiliary from the stocks and the exogenous inputs, then the flows; the
engine integrates. Delayed feedbacks (expected growth, perceived income) are first-order
smooths, so there is no algebraic loop.

Units: 亿元 (100m yuan), 2020 prices for real values, 万人 for people, rates per year.
docs/model.md states every equation with its source.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..catalog import POOL_CATEGORIES
from . import demand, economy, ops, people, public
from .inputs import BASE_YEAR

#: Stocks and whether they must stay non-negative.
STOCKS: dict[str, bool] = {
    "K_p": True, "K_s": True, "K_t": True, "G": True,
    "A_p": True, "A_s": True, "A_t": True,
    "POP": True, "s_p": True, "s_s": True, "s_t": True, "N": True,
    "P_p": True, "P_s": True, "P_t": True, "P_I": True,
    "RI": True, "REF": True, "g_e": False, "Y_avg": True, "R_ext": True,
}  # fmt: skip

#: Averaging time of the growth trend observed in GDP [yr] (a TREND function, Sterman 2000).
TREND_TIME = 1.0


def calibrate(base: dict[str, float], pool: dict[str, float], p: dict) -> tuple[dict, dict]:
    """Constants and initial stocks so that every 2020 output equals the base figure.

    Parameters
    ----------
    base : dict
        2020 base figures (data/base_2020.csv), by name.
    pool : dict
        Project pool by category [亿元].
    p : dict
        Structural parameters (arrays of shape (members,) or floats).

    Returns
    -------
    c : dict
        Calibration constants.
    state : dict
        Initial stocks.
    """
    # Arrays of shape (members,), or Python floats for a single run (see ops).
    dep = p["capital.depreciation"]
    ones = np.ones_like(dep, dtype=float) if isinstance(dep, np.ndarray) else 1.0
    c: dict = {}
    gdp0 = base["gdp"]
    va_p0 = gdp0 * base["share_primary_pct"] / 100.0
    va_t0 = base["va_tertiary"]
    va_s0 = gdp0 - va_p0 - va_t0
    va_con0 = va_s0 * base["construction_share_of_secondary"]
    va_ind0 = va_s0 - va_con0
    c.update(gdp0=gdp0, va_p0=va_p0, va_s0=va_s0, va_t0=va_t0, va_ind0=va_ind0)
    c["fai0"] = base["fai"]
    c["c_con"] = va_con0 / base["fai"]
    total_pool = sum(pool.values())
    for cat in POOL_CATEGORIES:
        c["mix_" + cat] = pool[cat] / total_pool

    # Labour
    c["wa0"], c["part0"] = base["working_age_share"], base["participation_rate"]
    c["u0"] = base["unemployment_rate_pct"] / 100.0
    pop0 = c["pop0"] = base["population"]
    e0 = pop0 * c["wa0"] * c["part0"] * (1.0 - c["u0"])
    shares0 = tuple(base[f"employment_share_{s}"] for s in ("primary", "secondary", "tertiary"))
    c["shares0"] = shares0
    c["prod0"] = (va_p0 / (shares0[0] * e0), va_s0 / (shares0[1] * e0), va_t0 / (shares0[2] * e0))
    c["prod_avg0"] = gdp0 / e0

    # Capital: Harberger steady state from the 2020 BAU investment mix
    fai_real0 = {cat: base["fai"] * c["mix_" + cat] for cat in POOL_CATEGORIES}
    c["fai_industry0"] = fai_real0["industry"]
    i_p, i_s, i_t, i_g = economy.capital_formation(fai_real0, p)
    g, d, dg = (
        p["capital.initial_growth"],
        p["capital.depreciation"],
        p["capital.depreciation_public"],
    )
    k_p = economy.harberger_capital(i_p, g, d) * ones
    k_s = economy.harberger_capital(i_s, g, d) * ones
    k_t = economy.harberger_capital(i_t, g, d) * ones
    g0 = economy.harberger_capital(i_g, g, dg) * ones
    c["G0"] = g0
    e_p, e_s, e_t = (sh * e0 for sh in shares0)
    a_p = va_p0 / (
        ops.power(k_p, p["production.alpha_primary"])
        * ops.power(e_p, 1 - p["production.alpha_primary"])
    )
    a_s = va_ind0 / (
        ops.power(k_s, p["production.alpha_industry"])
        * ops.power(e_s, 1 - p["production.alpha_industry"])
    )
    a_t = va_t0 / (
        ops.power(k_t, p["production.alpha_tertiary"])
        * ops.power(e_t, 1 - p["production.alpha_tertiary"])
    )
    c["A0"] = (a_p, a_s, a_t)
    c["alpha"] = tuple(p[f"production.alpha_{sec}"] for sec in economy.SECTORS)
    c["beta"] = tuple(1 - a for a in c["alpha"])  # the labour exponents
    c["natural_increase"] = p["population.birth_rate"] - p["population.death_rate"]

    # Above-scale industry
    c["N0"] = base["enterprises_above_scale"]
    c["as_share0"] = base["industrial_va_above_scale"] / va_ind0
    c["va_ratio"] = base["industrial_va_above_scale"] / base["industrial_output_above_scale"]

    # Fiscal and demand
    c["revenue0"] = base["fiscal_revenue"]
    c["tax_base0"] = public.tax_base(va_p0, va_s0, va_t0, p)
    c["di0"] = base["disposable_income_per_capita"]
    c["gdppc0"] = gdp0 / pop0 * 1e4  # yuan
    ext0 = base["retail_sales"] * base["retail_external_share"]
    c["propensity"] = (base["retail_sales"] - ext0) / (c["di0"] * pop0 * 1e-4)
    c["rd0"] = base["rd_intensity_pct"] / 100.0

    state = {
        "K_p": k_p, "K_s": k_s, "K_t": k_t, "G": g0,
        "A_p": a_p * ones, "A_s": a_s * ones, "A_t": a_t * ones,
        "POP": pop0 * ones,
        "s_p": shares0[0] * ones, "s_s": shares0[1] * ones, "s_t": shares0[2] * ones,
        "N": c["N0"] * ones,
        "P_p": 1.0 * ones, "P_s": 1.0 * ones, "P_t": 1.0 * ones, "P_I": 1.0 * ones,
        "RI": 1.0 * ones, "REF": 1.0 * ones,
        "g_e": 0.0 * ones,  # set by anchor_growth
        "Y_avg": gdp0 * ones,
        "R_ext": ext0 * ones,
    }  # fmt: skip
    c["g_ref"] = 0.0 * ones
    return c, state


def anchor_growth(c: dict, state: dict, x0: dict, p: dict, eps: float = 1e-5) -> None:
    """Start the economy on its own growth path: expected growth, and the reference that
    Okun's law and the investment accelerator compare it with, equal the growth of real GDP
    that the model itself produces at 2020 (found by a tiny step, refined twice).

    ``x0`` holds the inputs at 2020 (the first point of the half grid). Modifies ``c`` and
    ``state`` in place.
    """
    gdp0 = c["gdp0"]
    for _ in range(3):
        c["g_ref"] = state["g_e"]
        state["Y_avg"] = gdp0 / (1.0 + state["g_e"] * TREND_TIME)
        d, _ = rates(BASE_YEAR, state, x0, c, p, False)
        probe = {k: v + eps * d[k] for k, v in state.items()}
        _, aux = rates(BASE_YEAR + eps, probe, x0, c, p, True, False)
        y1 = (
            aux["va_primary_real"]
            + aux["va_industry_real"]
            + aux["va_construction_real"]
            + aux["va_tertiary_real"]
        )
        state["g_e"] = ops.log(y1 / gdp0) / eps
    c["g_ref"] = state["g_e"]
    state["Y_avg"] = gdp0 / (1.0 + state["g_e"] * TREND_TIME)


def rates(t: float, s: dict, X: dict, c: dict, p: dict, want_aux: bool, want_rates: bool = True):
    """Rates of change of every stock at time ``t``.

    Returns ``(derivatives, aux)``; ``aux`` (the reported quantities) only when ``want_aux``,
    the derivatives only when ``want_rates`` (else None: an evaluation made for the reported
    quantities alone skips the flows that only feed the stocks). ``X`` holds the exogenous
    inputs at ``t`` (one row of the half grid, see
    :func:`hubinsim.model.inputs.input_rows`). Stocks, parameters and inputs are arrays of
    shape (members,) or Python floats (a single run, or an input that is the same for every
    member): the equations are the same.
    """
    shock = X.get  # a shock's factor, None when no shock is set

    # Labour
    lf = people.labour_force(s["POP"], t, c, p)
    u = people.unemployment_rate(s["g_e"], c, p)
    emp = lf * (1.0 - u)
    e_p, e_s, e_t = s["s_p"] * emp, s["s_s"] * emp, s["s_t"] * emp

    # Investment
    fai_bau = economy.bau_fai(t, c, s["g_e"], p)
    fai_cat = economy.fai_by_category(fai_bau, c, X, s["P_I"], p, shock("shock_fai"))
    fai_values = iter(fai_cat.values())
    fai = next(fai_values)
    for v in fai_values:
        fai = fai + v
    fai_real_total = fai / s["P_I"]

    # Production (real, 2020 prices)
    pub = ops.power(s["G"] / c["G0"], p["production.gamma_public"])
    alpha, beta = c["alpha"], c["beta"]  # capital and labour exponents by sector
    va_p = economy.cobb_douglas(s["A_p"], pub, s["K_p"], e_p, alpha[0], beta[0])
    va_p = ops.times(va_p, shock("shock_va_primary"))
    va_ind = economy.cobb_douglas(s["A_s"], pub, s["K_s"], e_s, alpha[1], beta[1])
    va_ind = ops.times(va_ind, shock("shock_va_industry"))
    va_con = ops.times(c["c_con"] * fai_real_total, shock("shock_va_construction"))
    va_t = economy.cobb_douglas(s["A_t"], pub, s["K_t"], e_t, alpha[2], beta[2])
    va_t = ops.times(va_t, shock("shock_va_tertiary"))
    if ops.is_zero(X["vouchers"]):
        voucher_spend = 0.0
    else:
        voucher_spend = p["consumption.voucher_multiplier"] * X["vouchers"]
        va_t = va_t + p["consumption.trade_margin"] * voucher_spend / s["P_t"]
    va_s = va_ind + va_con
    gdp_real = va_p + va_s + va_t
    n_p, n_ind, n_con, n_t = va_p * s["P_p"], va_ind * s["P_s"], va_con * s["P_s"], va_t * s["P_t"]
    n_s = n_ind + n_con
    gdp = n_p + n_s + n_t

    d = None
    if want_rates:
        d = _flows(t, s, X, c, p, fai_cat, gdp_real, gdp, emp, (e_p, e_s, e_t), (n_p, n_s, n_t))
    if not want_aux:
        return d, None

    # Reported quantities (annualised by the engine)
    revenue = public.budget_revenue(
        public.tax_base(n_p, n_s, n_t, p), c, p, X["tax_relief"], shock("shock_fiscal_revenue")
    )
    gdppc = gdp / s["POP"] * 1e4
    di = demand.disposable_income_per_capita(gdppc, c, p)
    retail = ops.plus(
        demand.resident_retail(di, s["POP"], c, shock("shock_consumption"))
        + ops.times(s["R_ext"], shock("shock_retail_external")),
        voucher_spend,
    )
    as_share = ops.minimum(
        1.0, c["as_share0"] * ops.power(s["N"] / c["N0"], p["industry.above_scale_elasticity"])
    )
    aux = {
        "va_primary_real": va_p, "va_industry_real": va_ind, "va_construction_real": va_con,
        "va_tertiary_real": va_t,
        "va_primary": n_p, "va_industry": n_ind, "va_construction": n_con, "va_tertiary": n_t,
        "fai": fai, **{"fai_" + cat: v for cat, v in fai_cat.items()},
        "fiscal_revenue": revenue, "population": s["POP"], "labour_force": lf,
        "employment": emp, "employment_primary": e_p, "employment_secondary": e_s,
        "employment_tertiary": e_t, "retail_sales": retail, "income_total": di * s["POP"],
        "industrial_va_above_scale_real": va_ind * as_share,
        "industrial_va_above_scale": n_ind * as_share,
        "enterprises_above_scale": s["N"],
        "rd_intensity_pct": ops.like(X["rd_intensity_pct"] * 100.0, va_p),
        "capital_primary": s["K_p"], "capital_industry": s["K_s"],
        "capital_tertiary": s["K_t"], "capital_public": s["G"],
        "tfp_primary": s["A_p"] / c["A0"][0], "tfp_industry": s["A_s"] / c["A0"][1],
        "tfp_tertiary": s["A_t"] / c["A0"][2],
    }  # fmt: skip
    return d, aux


def _flows(t, s, X, c, p, fai_cat, gdp_real, gdp, emp, employment, nominal) -> dict:
    """The derivatives of the stocks, from the quantities :func:`rates` has formed."""
    shock = X.get
    e_p, e_s, e_t = employment
    n_p, n_s, n_t = nominal

    # Capital and productivity
    fai_real = {cat: v / s["P_I"] for cat, v in fai_cat.items()}
    i_p, i_s, i_t, i_g = economy.capital_formation(fai_real, p)
    dep, dep_g = p["capital.depreciation"], p["capital.depreciation_public"]
    rd_gap = X["rd_intensity_pct"] - c["rd0"]
    d = {
        "K_p": i_p - dep * s["K_p"],
        "K_s": i_s - dep * s["K_s"],
        "K_t": i_t - dep * s["K_t"],
        "G": i_g - dep_g * s["G"],
    }
    rd_effect = p["tfp.rd_return"] * rd_gap
    d["A_p"] = s["A_p"] * (p["tfp.growth_primary"] + rd_effect)
    d["A_s"] = s["A_s"] * (p["tfp.growth_industry"] + rd_effect)
    d["A_t"] = s["A_t"] * (p["tfp.growth_tertiary"] + rd_effect)

    # Expectations: TREND of real GDP smoothed into expected growth
    g_obs = _per(gdp_real / s["Y_avg"] - 1.0, TREND_TIME)
    d["Y_avg"] = _per(gdp_real - s["Y_avg"], TREND_TIME)
    d["g_e"] = (g_obs - s["g_e"]) / p["growth.expectation_time"]

    # Structural change of employment (nominal output per worker relative to 2020)
    prod_avg = gdp / emp / c["prod_avg0"]
    rel = (
        n_p / e_p / c["prod0"][0] / prod_avg,
        n_s / e_s / c["prod0"][1] / prod_avg,
        n_t / e_t / c["prod0"][2] / prod_avg,
    )
    tp, ts, tt = people.target_shares(c["shares0"], rel, X["tertiary_shift"], p)
    tau = p["labour.reallocation_time"]
    d["s_p"], d["s_s"], d["s_t"] = (
        (tp - s["s_p"]) / tau,
        (ts - s["s_s"]) / tau,
        (tt - s["s_t"]) / tau,
    )

    # Above-scale industry
    entry = ops.times(
        p["industry.entry_base"]
        * ops.power(
            ops.maximum(fai_real["industry"], 0.0) / c["fai_industry0"],
            p["industry.entry_investment_elasticity"],
        ),
        shock("shock_enterprise_entry"),
    )
    d["N"] = ops.plus(entry, X["firms_attracted"]) - p["industry.exit_rate"] * s["N"]

    # Prices
    d["P_p"] = X["inflation_primary"] * s["P_p"]
    d["P_s"] = X["inflation_secondary"] * s["P_s"]
    d["P_t"] = X["inflation_tertiary"] * s["P_t"]
    d["P_I"] = X["inflation_investment"] * s["P_I"]

    # Population: perceived income relative to the neighbours' (siphon) reference
    gdppc_real_index = gdp_real / s["POP"] / (c["gdp0"] / c["pop0"])
    d["REF"] = X["siphon_rate"] * s["REF"]
    d["RI"] = (gdppc_real_index / s["REF"] - s["RI"]) / p["population.perception_time"]
    mig = people.net_migration_rate(s["RI"], X["net_migration_policy"], p)
    d["POP"] = (c["natural_increase"] + mig) * s["POP"]

    # Retail to non-residents
    d["R_ext"] = ops.plus(p["consumption.external_growth"], X["tourism_growth"]) * s["R_ext"]
    return d


def _per(value, time: float):
    """``value / time`` (a division by exactly 1.0 is skipped: it changes nothing)."""
    return value if time == 1.0 else value / time


def annual_indicators(a: dict, c: dict, p: dict) -> dict:
    """Indicators of DESIGN.md from annual means of the reported quantities.

    ``a`` maps each aux name to an array of shape (years, members). Ratios (shares, per-capita
    figures, growth rates, unemployment) are formed from the annual means so that identities
    hold exactly: GDP is the sum of sector value added and shares sum to 100.
    """
    out = dict(a)
    va_s = a["va_industry"] + a["va_construction"]
    va_s_real = a["va_industry_real"] + a["va_construction_real"]
    out["va_secondary"], out["va_secondary_real"] = va_s, va_s_real
    gdp = a["va_primary"] + va_s + a["va_tertiary"]
    gdp_real = a["va_primary_real"] + va_s_real + a["va_tertiary_real"]
    out["gdp"], out["gdp_real"] = gdp, gdp_real
    for sec in ("primary", "secondary", "tertiary"):
        out[f"share_{sec}_pct"] = out[f"va_{sec}"] / gdp * 100.0
    out["gdp_real_growth_pct"] = _growth(gdp_real)
    out["industrial_va_above_scale_growth_pct"] = _growth(a["industrial_va_above_scale_real"])
    out["industrial_output_above_scale"] = a["industrial_va_above_scale"] / c["va_ratio"]
    out["unemployment_rate_pct"] = (1.0 - a["employment"] / a["labour_force"]) * 100.0
    urban = (a["employment_secondary"] + a["employment_tertiary"]) * 1e4  # persons
    rise = np.zeros_like(urban)
    rise[1:] = np.maximum(np.diff(urban, axis=0), 0.0)
    jobs = p["labour.turnover"] * urban + rise
    out["new_urban_jobs"] = jobs
    cum = np.cumsum(jobs, axis=0) - jobs[0]
    out["new_urban_jobs_cumulative"] = cum
    out["gdp_per_capita"] = gdp / a["population"] * 1e4
    out["disposable_income_per_capita"] = a["income_total"] / a["population"]
    for k in (
        "income_total",
        "industrial_va_above_scale_real",
        "va_industry_real",
        "va_construction_real",
    ):
        out.pop(k)
    return out


@lru_cache(maxsize=16)
def quantities_for(indicators: tuple[str, ...], names: tuple[str, ...]) -> frozenset[str]:
    """The reported quantities (of ``names``, the keys of ``aux``) that the given indicators
    of :func:`annual_indicators` are formed from.

    Found by letting a NaN in each quantity through :func:`annual_indicators` (every
    indicator is arithmetic on the annual means, so a NaN reaches exactly the indicators
    formed from that quantity); ensembles that keep a few indicators accumulate only these.
    """
    p = {"labour.turnover": 0.1}
    c = {"va_ratio": 1.0}
    wanted = set(indicators)
    needed = set()
    with np.errstate(all="ignore"):
        for name in names:
            a = {q: np.ones((3, 1)) for q in names}
            a[name] = np.full((3, 1), np.nan)
            out = annual_indicators(a, c, p)
            if any(np.isnan(out[k][2]).any() for k in wanted if k in out):
                needed.add(name)
    return frozenset(needed)


def _growth(series: np.ndarray) -> np.ndarray:
    """Growth on the year before [%]; undefined (NaN) in the first year and after a zero."""
    g = np.full_like(series, np.nan)
    prev = series[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        g[1:] = np.where(prev > 0.0, (series[1:] / prev - 1.0) * 100.0, np.nan)
    return g
