"""The Hubin stock-and-flow model (version 2): rates of change and annual outputs.

The state is a dict of stocks, arrays of shape ``(members,)`` or Python floats for a single
run. :func:`rates` computes, for one time point, every auxiliary from the stocks and the
exogenous inputs, then the flows; the engine integrates. Every delayed feedback runs through a
stock, so there is no algebraic loop; where two quantities are simultaneous within a point
(local services demand and the incomes it pays) the linear system is solved in closed form.
No finite difference is taken anywhere: growth rates come from flows over stocks.

Blocks (docs/model.md states every equation with its source):

- production: potential output of agriculture (p), industry (s) and services (t) from
  capital, natural employment, TFP, public capital and knowledge; construction from
  investment; housing services from the housing stock;
- investment: desired capital (expected output x desired capital-output ratio), replacement,
  adjustment toward it, limited by firms' finance; the project pool's deviation from its
  business-as-usual path and extra projects by category; the attracted-firm cohort;
- government: budget revenue, transfers, land revenue, current and capital spending, debt,
  a borrowing limit that can hold public investment back (a backlog spent later);
- households and demand: labour income -> disposable income -> consumption (services share
  rising with income) -> local services demand, visitors, retail;
- cycle: the 2020 trough and demand deviations from potential set the output gap; labour
  demand follows output (Okun); unemployment is labour demand against supply;
- population: Harris-Todaro migration on expected income relative to the neighbours';
- structure: labour reallocation toward services when services demand outgrows services
  capacity (demand pressure) and toward rising relative productivity.

Units: 亿元 (100m yuan), start-year prices for real values (2020 prices in the default run),
万人 for people, rates per year.
"""

from __future__ import annotations

from functools import lru_cache
from operator import add, itemgetter

import numpy as np

from ..catalog import POOL_CATEGORIES
from . import ops

#: Stocks and whether they must stay non-negative.
STOCKS: dict[str, bool] = {
    "K_p": True, "K_s": True, "K_t": True, "H": True, "G": True,
    "A_p": True, "A_s": True, "A_t": True, "KN": True, "RP": True,
    "POP": True, "s_p": True, "s_s": True, "s_t": True, "RI": True, "REF": True,
    "N": True, "N_a": True, "PC": True, "K_c": True,
    "P_p": True, "P_s": True, "P_t": True, "P_I": True, "PB_t": True,
    "g_e": False, "TG": False, "z": True, "z_s": True, "V": True, "R_o": True, "XR": True,
    "XG": True, "TRP": True, "LS": False, "F": True, "S_p": True, "S_s": True, "S_t": True,
    "D": False, "B": True, "BP": True, "RB": True, "PQ": True,
    **{"PD_" + cat: False for cat in POOL_CATEGORIES},
}  # fmt: skip

#: The stocks of the level of a value-added shock that firms perceive as lasting, with the
#: shock's input (core.rates: labour hoarding).
_PERCEIVED_SHOCKS = (
    ("S_p", "shock_va_primary"),
    ("S_s", "shock_va_industry"),
    ("S_t", "shock_va_tertiary"),
)

#: The stocks of the pool's deviation delivered to investment, by pool category.
PD_STOCKS = tuple("PD_" + cat for cat in POOL_CATEGORIES)

_pd_stocks = itemgetter(*PD_STOCKS)  # (the stocks of a state, in that order)

#: The inputs of the pool's deviation from its usual path, in the order of PD_STOCKS.
DEV_INPUTS = tuple("dev_" + cat for cat in POOL_CATEGORIES)
#: Each deviation stock with its input (paired once: a zip with strict=True at every
#: evaluation costs about as much as the loop's arithmetic).
PD_DEV = tuple(zip(PD_STOCKS, DEV_INPUTS, strict=True))

#: Pool categories with a public part, in the order of ``c["pub_mix"]``.
PUBLIC_CATEGORIES = ("social", "agriculture", "ecology", "urban", "transport")

#: The FAI indicators by pool category, in the order of POOL_CATEGORIES.
FAI_NAMES = tuple("fai_" + cat for cat in POOL_CATEGORIES)
#: Inputs by pool category: the pool's deviation from its usual path, extra projects, the
#: pool's planned path (all nominal, 亿元/yr).
EXTRA = tuple("extra_" + cat for cat in POOL_CATEGORIES)
#: The pool categories wholly public; the model reads their inputs summed, as "fixedpub"
#: (agriculture and urban projects are public in part, industry and services not at all).
FIXED_PUBLIC = ("social", "ecology", "transport")
#: The pool inputs :func:`rates` reads (by category, or summed: "fixedpub", "total"): the
#: deviation from the usual path ``dev_`` and the planned path ``pool_``.
POOL_INPUTS = {
    "dev_": POOL_CATEGORIES,
    "pool_": (*POOL_CATEGORIES, "fixedpub", "total"),
}

#: The constants :func:`rates` reads, in the order of ``c['_rates']``.
CONSTANTS_RATES = (
    "addl",
    "adj",
    "adj_g",
    "alpha",
    "apc_n",
    "be_con",
    "beta",
    "buoy",
    "bcontent",
    "chi",
    "c_con",
    "cf",
    "cs_share",
    "d0",
    "d_max",
    "d_s0",
    "d_w",
    "dep",
    "dep_adj",
    "dep_g",
    "dep_g_adj",
    "dep_h",
    "dep_k",
    "dshare",
    "emp_nat",
    "entry",
    "entry_el",
    "eps_h",
    "eps_k",
    "eps_land",
    "el_land",
    "eps_s1",
    "eta_t",
    "etd_budget",
    "etd_budget_in",
    "etd_assets",
    "etd_gap",
    "etd_perc",
    "etd_r_e",
    "etd_realloc",
    "etd_z",
    "exit",
    "exit_a",
    "fin_alpha",
    "g_A",
    "g_ext",
    "g_tr",
    "g_v",
    "g_xg",
    "g_xr",
    "gamma",
    "h_resp",
    "h_step",
    "h0",
    "h0_gross",
    "i_d",
    "inv_ls",
    "inv_A0",
    "inv_G0",
    "inv_KN0",
    "inv_Yinc_ref",
    "inv_backlog",
    "inv_borrow",
    "inv_build",
    "inv_dshare",
    "inv_gap_time",
    "inv_deliv",
    "inv_gest",
    "inv_inc_ref",
    "inv_perc",
    "inv_phiK",
    "inv_pi_c",
    "inv_realloc",
    "inv_va_c",
    "inv_z_time",
    "k_c",
    "k_f",
    "k_f_in",
    "kap_g",
    "kap_h",
    "kap_p",
    "kap_price",
    "kap_s",
    "kap_t",
    "land",
    "land_o",
    "lg",
    "lg_mt",
    "ln_R_TB",
    "ln_realloc",
    "ln_sig_ref",
    "ls_max",
    "ls_ms",
    "m_g",
    "m_p",
    "m_t",
    "m_v",
    "mat",
    "mig",
    "lf_dev0",
    "mu",
    "nat_inc",
    "okun",
    "overlap",
    "park_gross",
    "part",
    "phiK",
    "psi",
    "pub_a",
    "pub_mix",
    "pub_u",
    "pool_max",
    "pull",
    "r_e",
    "ref_tg",
    "r_h",
    "rd_gov",
    "rd0",
    "rd_priv",
    "relief_comp",
    "relief_firms",
    "relief_hh",
    "ret_adj",
    "ret_decline",
    "s_con",
    "sg_A",
    "sg_ext",
    "sg_tr",
    "sg_xg",
    "sg_xr",
    "shop",
    "sigma",
    "t0",
    "t_plan_end",
    "th_a",
    "th_u",
    "th_v",
    "theta",
    "tight",
    "va_per_kc",
    "w_cons",
    "w_goods",
    "w_p",
    "w_s",
    "w_vac",
    "wa0",
    "wa_trend",
    "etd_fill",
    "fill_el",
    "etd_hoard",
    "etd_recall",
    "inv_phiK_pub",
    "phiK_pub",
    "run_ratio",
)


def net_migration(RI, k_mig: tuple, exp, log):
    """Net migration [share of residents a year] at relative expected income ``RI``:
    m0 + m_max tanh(eta ln RI / m_max), i.e. m0 + eta (RI - 1) near RI = 1, never more than
    m_max either way. ``k_mig`` is (m0 + m_max, 2 m_max, 2 eta / m_max), from
    :func:`hubinsim.model.calibrate.calibrate`; tanh(x) = 1 - 2 / (exp(2x) + 1)."""
    m0_max, two_max, k = k_mig
    return m0_max - two_max / (exp(k * log(RI)) + 1.0)


def wage_premium(demand, natural, response, exp, log):
    """The wage offered to newcomers over the output-share wage where labour demand
    ``demand`` exceeds the employment ``natural`` that the labour force gives at the natural
    rate: (demand / natural)^response, and 1 where it falls short of it by more than 0.2 %
    (the corner rounded over ±0.2 % of employment: 1.001 at demand = natural; docs/model.md
    §6)."""
    return exp(response * ops.smooth_pos(log(demand / natural), 0.002))


def land_revenue(housing_land, other_land, el, k_land, exp, log, maximum):
    """Land revenue [亿元] from the value of the land sold for housing and urban construction
    (``housing_land``: that investment times the land price) and for other uses
    (``other_land``, which keeps the elasticity's base away from zero; no land sold at all is
    1e-12): exp(el ln(value) + k_land), with ``el`` = fiscal.land_revenue_elasticity and
    ``k_land`` from :func:`hubinsim.model.calibrate.calibrate` (docs/model.md §4)."""
    return exp(el * log(maximum(housing_land + other_land, 1e-12)) + k_land)


def housing_investment(Hd, H, ge, eps_h, dep_h, response, exp, log, maximum):
    """Developers' housing and urban-construction investment as they want it (real, before
    finance): the normal flow, housing demand's expected growth and the stock's replacement,
    times the pressure of demand on the stock, (Hd / H)^response with ``response`` =
    housing.investment_response (a Tobin's-q response: building answers the price, which
    answers demand against the stock). A gap closes as the flow runs above or below
    replacement, and the response is bounded: a fall of demand 30 % below the stock lowers
    the flow by 1 - 0.7^1.5 = 41 %, not to nothing, and where the normal flow is small (a
    shrinking district) a recovery of demand cannot multiply it (docs/model.md §4)."""
    return maximum(eps_h * ge * Hd + dep_h * H, 0.0) * exp(response * log(Hd / H))


def step_rate(g, h: float, expm1):
    """The rate at which an Euler step of ``h`` years moves a stock growing at rate ``g``
    exactly, (exp(g h) - 1) / h; ``g`` itself for ``h`` 0 (RK4)."""
    return expm1(g * h) / h if h else g


def input_terms(X: dict, c: dict) -> tuple:
    """What :func:`rates` forms from the inputs ``X`` and the constants alone, the same at
    every point with these inputs: the rates that step the stocks growing at an input's rate
    (the neighbours' income, the prices but services' own, visitors' spending), the
    district's pool projects that are public, and the new projects beyond the pool (None
    where there are none): their FAI, their public part, their building content, each
    category's FAI and the public capital they form, after a shock to investment.

    A single run forms them once per row of inputs, which the points of a calendar year
    share (the row's ``_terms``, :func:`hubinsim.model.run`); an ensemble at each
    evaluation."""
    h, expm1 = c["h_step"], c["fns"][4]
    pub_a, pub_u = c["pub_a"], c["pub_u"]
    growth = (
        step_rate(X["siphon_rate"], h, expm1),
        step_rate(X["inflation_primary"], h, expm1),
        step_rate(X["inflation_secondary"], h, expm1),
        step_rate(X["inflation_tertiary"], h, expm1),
        step_rate(X["inflation_investment"], h, expm1),
        step_rate(c["g_v"] + X["tourism_growth"], h, expm1),
    )
    pool_pub = 0.0
    if X["_pool"]:
        pool_pub = X["pool_fixedpub"] + pub_a * X["pool_agriculture"] + pub_u * X["pool_urban"]
    extra = None
    if X["_extra"]:  # new projects beyond the pool
        xi_fai = X.get("shock_fai")
        ex = [ops.times(X[k], xi_fai) for k in EXTRA]
        extra = (
            ops.times(X["extra_total"], xi_fai),
            X["extra_fixedpub"] + pub_a * X["extra_agriculture"] + pub_u * X["extra_urban"],
            sum(b * e for b, e in zip(c["bcontent"], ex, strict=True)),
            ex,
            ops.times(X["extra_fixedpub"], xi_fai) + pub_a * ex[1] + pub_u * ex[5],
        )
    return growth, pool_pub, extra


def public_shares(p: dict) -> dict[str, object]:
    """Share of each pool category's investment that becomes public capital."""
    return {
        "social": 1.0,
        "agriculture": 1.0 - p["capital.agriculture_to_primary"],
        "ecology": 1.0,
        "industry": 0.0,
        "services": 0.0,
        "urban": 1.0 - p["capital.urban_to_housing"],
        "transport": 1.0,
    }


def rates(t: float, s: dict, X: dict, c: dict, p: dict, want_aux: bool, want_rates: bool = True):
    """Rates of change of every stock at time ``t``.

    Returns ``(derivatives, aux)``; ``aux`` (the reported quantities) only when ``want_aux``,
    the derivatives only when ``want_rates`` (else None). ``X`` holds the exogenous inputs at
    ``t`` (one row of the half grid, see :func:`hubinsim.model.inputs.input_rows`). Stocks,
    parameters and inputs are arrays of shape (members,) or Python floats: the equations are
    the same. ``p`` is not read: every parameter is in the constants ``c``
    (:func:`hubinsim.model.calibrate.calibrate`).
    """
    # every constant this function reads, in one unpacking (see CONSTANTS_RATES)
    (
        k_addl,
        k_adj,
        k_adj_g,
        k_alpha,
        k_apc_n,
        k_be_con,
        k_beta,
        k_buoy,
        k_bcontent,
        k_chi,
        k_c_con,
        k_cf,
        k_cs_share,
        k_d0,
        k_d_max,
        k_d_s0,
        k_d_w,
        k_dep,
        k_dep_adj,
        k_dep_g,
        k_dep_g_adj,
        k_dep_h,
        k_dep_k,
        k_dshare,
        k_emp_nat,
        k_entry,
        k_entry_el,
        k_eps_h,
        k_eps_k,
        k_eps_land,
        k_el_land,
        k_eps_s1,
        k_eta_t,
        k_etd_budget,
        k_etd_budget_in,
        k_etd_assets,
        k_etd_gap,
        k_etd_perc,
        k_etd_r_e,
        k_etd_realloc,
        k_etd_z,
        k_exit,
        k_exit_a,
        k_fin_alpha,
        k_g_A,
        k_g_ext,
        k_g_tr,
        k_g_v,
        k_g_xg,
        k_g_xr,
        k_gamma,
        k_h_resp,
        k_h_step,
        k_h0,
        k_h0_gross,
        k_i_d,
        k_inv_ls,
        k_inv_A0,
        k_inv_G0,
        k_inv_KN0,
        k_inv_Yinc_ref,
        k_inv_backlog,
        k_inv_borrow,
        k_inv_build,
        k_inv_dshare,
        k_inv_gap_time,
        k_inv_deliv,
        k_inv_gest,
        k_inv_inc_ref,
        k_inv_perc,
        k_inv_phiK,
        k_inv_pi_c,
        k_inv_realloc,
        k_inv_va_c,
        k_inv_z_time,
        k_k_c,
        k_k_f,
        k_k_f_in,
        k_kap_g,
        k_kap_h,
        k_kap_p,
        k_kap_price,
        k_kap_s,
        k_kap_t,
        k_land,
        k_land_o,
        k_lg,
        k_lg_mt,
        k_ln_R_TB,
        k_ln_realloc,
        k_ln_sig_ref,
        k_ls_max,
        k_ls_ms,
        k_m_g,
        k_m_p,
        k_m_t,
        k_m_v,
        k_mat,
        k_mig,
        k_lf_dev0,
        k_mu,
        k_nat_inc,
        k_okun,
        k_overlap,
        k_park_gross,
        k_part,
        k_phiK,
        k_psi,
        k_pub_a,
        k_pub_mix,
        k_pub_u,
        k_pool_max,
        k_pull,
        k_r_e,
        k_ref_tg,
        k_r_h,
        k_rd_gov,
        k_rd0,
        k_rd_priv,
        k_relief_comp,
        k_relief_firms,
        k_relief_hh,
        k_ret_adj,
        k_ret_decline,
        k_s_con,
        k_sg_A,
        k_sg_ext,
        k_sg_tr,
        k_sg_xg,
        k_sg_xr,
        k_shop,
        k_sigma,
        k_t0,
        k_t_plan_end,
        k_th_a,
        k_th_u,
        k_th_v,
        k_theta,
        k_tight,
        k_va_per_kc,
        k_w_cons,
        k_w_goods,
        k_w_p,
        k_w_s,
        k_w_vac,
        k_wa0,
        k_wa_trend,
        k_etd_fill,
        k_fill_el,
        k_etd_hoard,
        k_etd_recall,
        k_inv_phiK_pub,
        k_phiK_pub,
        k_run_ratio,
    ) = c["_rates"]  # fmt: skip
    shock = X.get  # a shock's factor, None when no shock is set
    zero = X["_z"]  # names of the inputs that are exactly 0.0 (see inputs.input_rows)
    # exp, log, max, min, expm1: the C library's on floats, numpy's on arrays (see model.ops)
    log, exp, maximum, minimum, expm1 = c["fns"]
    # what the inputs alone give (input_terms): the growth rates that step the stocks growing
    # at an input's rate, the pool's public projects, the new projects beyond the pool
    (g_ref, g_pp, g_ps, g_pb, g_pi, g_v), pool_pub, extra = X.get("_terms") or input_terms(X, c)

    # --- prices and labour supply -------------------------------------------------------
    P_p, P_s, P_t, P_I = s["P_p"], s["P_s"], s["P_t"], s["P_I"]
    POP = s["POP"]
    wa = minimum(maximum(k_wa0 + k_wa_trend * (t - k_t0), 0.3), 0.9)
    LF_n = POP * wa * k_part  # labour force at normal participation
    E_nat = LF_n * k_emp_nat  # natural employment: LF (1 - u*), u* the natural registered rate
    # The labour force seeking work locally: workers who left it in the trough (migrants who
    # went home; the registered rate barely recorded them, SOURCES.md §4) return as the trough
    # closes (docs/model.md §6).
    LF = LF_n * (1.0 - k_lf_dev0 * exp((k_t0 - t) * k_inv_gap_time))
    N_con = k_s_con * E_nat  # construction's natural employment
    # The attracted-firm cohort: its value added (real) and its workers. Without a cohort
    # (no firm attracted yet, a stock that is the float 0.0 for every member) these and the
    # cohort's terms below are 0.0 and cost no operation over the members.
    K_c = s["K_c"]
    VA_c = 0.0 if ops.is_zero(K_c) else k_va_per_kc * K_c
    L_c = 0.0 if ops.is_zero(VA_c) else VA_c * k_inv_pi_c  # the posts of all their plants
    # Natural employment of agriculture, industry and services (the residents' labour at the
    # natural rate, less construction's). The attracted firms' workers are labour demand of
    # their own (docs/model.md §6): they do not come out of it.
    E_cap = E_nat - N_con
    lnE = log(E_cap)
    # Posts left unfilled are labour the sectors do not have (docs/model.md §6): each
    # produces with the share F of its posts that firms find filled (perceived over
    # labour.shortage_time) to the power labour.shortage_output (1; 0 switches it off), and
    # plans on it: its potential output, the capital it wants, the income and the revenue
    # at potential are those of the posts filled; the attracted firms' plants, built for a
    # crew, produce in proportion to it. F is the float 1.0 where every post is filled, and
    # nothing then changes.
    F = s["F"]
    fc = 1.0
    if not (F.__class__ is float and F == 1.0):
        ln_f = k_fill_el * log(F)
        lnE = lnE + ln_f
        fc = exp(ln_f)
        if not ops.is_zero(VA_c):
            VA_c = VA_c * fc

    # --- potential output: Cobb-Douglas on natural employment ----------------------------
    # Public capital and local knowledge raise every sector's productivity.
    ln_pub = k_gamma * log(s["G"] * k_inv_G0) + k_eps_k * log(s["KN"] * k_inv_KN0)
    s_p, s_s, s_t = s["s_p"], s["s_s"], s["s_t"]
    K_p, K_s, K_t, H, G = s["K_p"], s["K_s"], s["K_t"], s["H"], s["G"]
    al_p, al_s, al_t = k_alpha
    be_p, be_s, be_t = k_beta
    be_con = k_be_con
    # Industry and services use their capacity more where demand presses on it (and less
    # where it falls short): potential output is capacity times demand pressure^theta.
    z, z_s = s["z"], s["z_s"]
    ln_z, ln_zs = log(z), log(z_s)
    th = k_theta
    Ys_p = s["A_p"] * exp(ln_pub + al_p * log(K_p) + be_p * (log(s_p) + lnE))
    Cap_s = s["A_s"] * exp(ln_pub + al_s * log(K_s) + be_s * (log(s_s) + lnE))
    Cap_t = s["A_t"] * exp(ln_pub + al_t * log(K_t) + be_t * (log(s_t) + lnE))
    Ys_s = Cap_s * exp(th * ln_zs)
    fz_t = exp(th * ln_z)  # services output per unit of capacity that demand calls forth
    Ys_t = Cap_t * fz_t
    VA_h = k_r_h * H  # housing services (rents, imputed rents): low yield, no labour
    Y_cap = ops.plus(Ys_p + Ys_s + Ys_t, VA_c) + VA_h

    # --- desired capital and normal investment (real capital formation) ------------------
    # Desired business capital-output ratios rise as the return firms accept falls.
    q_exp = k_ret_decline * (t - k_t0)
    ge_ret = k_ret_adj
    # a scenario's own return decline acts from the first projection year: the start year
    # is calibrated with the decline it would have without it (inputs.ret_shift)
    ret_shift = X.get("ret_shift")
    if ret_shift is not None and "ret_shift" not in zero:
        q_exp = q_exp + ret_shift * (t - k_t0 - 1.0)
        ge_ret = k_ret_adj + ret_shift
    q = exp(q_exp)
    # Desired capital grows with expected (potential) output and with the drift of the
    # desired ratio.
    # Investment replaces depreciation, grows desired capital at its expected rate g_K and
    # closes a share aK of the gap to it: dep K + g_K K* + aK (K* - K), written as
    # (g_K + aK) K* + (dep - aK) K.
    ge = s["g_e"]
    gka = ge + ge_ret  # g_K + aK, with g_K = expected growth + the ratio's drift
    Kd_p = k_kap_p * q * Ys_p
    Kd_s = k_kap_s * q * Ys_s
    # Services capital also follows the rise of services prices that excess demand brings
    # (desired capital is proportional to the value of output over the price of capital, as
    # in the neoclassical user-cost rule): capacity expands where demand presses.
    P_rel = P_t / s["PB_t"]  # services prices against their base path
    Kd_t = k_kap_t * q * Ys_t * P_rel
    # Housing demand follows residents and their income (income elasticity below 1).
    Hd = k_kap_h * POP * exp(k_eps_h * log(Y_cap / POP))
    if X["_shock"]:  # credit and expectations: a property downturn
        xi_h = shock("shock_housing_demand")
        if xi_h is not None:  # (no demand at all is a demand of 1e-12: land prices below)
            Hd = maximum(ops.times(Hd, xi_h), 1e-12)
    # Land prices follow housing demand against the stock (1 when balanced): land revenue
    # moves with both the land sold for housing and its price (docs/model.md §4).
    land_price = exp(k_eps_land * log(Hd / H))
    # land revenue: the land sold for housing and urban construction at that price, with the
    # elasticity fiscal.land_revenue_elasticity (1; 0 cuts land revenue off housing)
    el_land = k_el_land
    Gd = k_kap_g * Y_cap  # public capital follows capacity output (borrowing is capped)
    Id_p = maximum(gka * Kd_p + k_dep_adj * K_p, 0.0)
    Id_s = maximum(gka * Kd_s + k_dep_adj * K_s, 0.0)
    Id_t = maximum(gka * Kd_t + k_dep_adj * K_t, 0.0)
    Id_h = housing_investment(Hd, H, ge, k_eps_h, k_dep_h, k_h_resp, exp, log, maximum)
    IG_n = maximum((ge + k_adj_g) * Gd + k_dep_g_adj * G, 0.0)

    # Potential nominal output, revenue at potential, firms' finance
    n_ps, n_ss, n_ts = P_p * Ys_p, P_s * ops.plus(Ys_s, VA_c), P_t * Ys_t
    n_hs = P_t * VA_h
    rd = X["rd_intensity_pct"]
    relief = X["tax_relief"]
    TB_star = k_w_p * n_ps + k_w_s * n_ss + n_ts + n_hs
    R_star = exp(k_buoy * log(TB_star) + k_ln_R_TB)  # R0 (TB/TB0)^buoyancy
    no_relief = "tax_relief" in zero
    relief_amt = 0.0 if no_relief else R_star * relief
    n_pst = n_ps + n_ss + n_ts
    n_star = n_pst + n_hs
    # Internal finance: a multiple of profits (capital's share of output) less private R&D.
    fa_p, fa_s, fa_t = k_fin_alpha
    finance = fa_p * n_ps + fa_s * n_ss + fa_t * n_ts - k_rd_priv * rd * n_star
    if not no_relief:
        finance = finance + k_relief_firms * relief_amt
    Id_nom = P_I * (Id_p + Id_s + Id_t + Id_h)
    covered = maximum(finance, 0.0) / maximum(Id_nom, 1e-12)
    fin = minimum(1.0, covered)
    # Cash flow moves investment even where finance does not bind: relief to firms raises
    # it, firms' R&D beyond the start year's lowers it (investment.cash_flow_sensitivity).
    d_rd = rd - k_rd0
    cash = 0.0 if ops.is_zero(d_rd) else -k_rd_priv * d_rd * n_star
    if not no_relief:
        cash = cash + k_relief_firms * relief_amt
    if not ops.is_zero(cash):
        # (a fall of cash flow can stop investment, not make it negative)
        fin = fin * maximum(1.0 + k_cf * cash / maximum(Id_nom, 1e-12), 0.0)
    I_p, I_s, I_t, I_h = fin * Id_p, fin * Id_s, fin * Id_t, fin * Id_h
    PC = s["PC"]
    # The cohort builds its plants: the committed investment PC over the build time. (Euler
    # steps PC exactly, with the commitments of the step: k_f_in is the part of them that
    # is built within the step, 0 for RK4.)
    I_c = 0.0 if ops.is_zero(PC) else PC * k_inv_build
    firms = X["firms_attracted"]
    if not ops.is_zero(firms):
        I_c = I_c + k_k_f_in * firms
    # and maintains them and expands them with expected growth, like incumbents
    R_c = 0.0 if ops.is_zero(K_c) else (k_dep + s["g_e"]) * K_c
    no_cohort = ops.is_zero(I_c) and ops.is_zero(R_c)

    # --- normal fixed-asset investment (nominal FAI = capital formation / phi_K) ---------
    to_fai = P_I * k_inv_phiK
    fai_p = to_fai * I_p
    # The part of the cohort's investment among the pool's industry projects is already in
    # industry's normal investment (at most all of it).
    if no_cohort:
        fai_s = to_fai * I_s
    else:
        overlap = minimum(k_overlap * I_c, I_s)
        fai_s = to_fai * (I_s + I_c + R_c - overlap)
    fai_t = to_fai * I_t
    fai_h = to_fai * I_h
    # public investment at its own FAI per yuan of capital formation: a restart keeps the
    # run's, where firms' is solved from the FAI figure (model.calibrate); at a first start
    # the two are the same
    pub_n = (to_fai if not k_run_ratio else P_I * k_inv_phiK_pub) * IG_n
    th_a, th_u = k_th_a, k_th_u
    inv_PI = 1.0 / P_I

    # The government's revenue at potential and its current spending, which follows that
    # revenue (以收定支; relief is borrowed at first, and spending adapts to it as the
    # revenue base follows).
    TR = s["TRP"] * POP  # transfers from above, per resident
    if not no_relief:  # higher governments make good part of the revenue relief costs
        TR = TR + k_relief_comp * relief_amt

    # at normal housing investment
    # (the land housing investment buys, at the run's FAI per yuan of capital formation
    # where a restart read another in firms' and households' investment: model.calibrate)
    h_n = fai_h if not k_run_ratio else P_I * k_inv_phiK_pub * I_h
    LR_n = land_revenue(h_n * land_price, k_land_o, el_land, k_land, exp, log, maximum)
    # Current spending follows the revenue base the budget plans on (RB), which follows
    # comprehensive revenue at potential (after relief) over fiscal.budget_smoothing_time:
    # pay, pensions and programmes are set on past revenue and are sticky (docs/model.md §4).
    CS = k_cs_share * s["RB"]
    TRV_star = R_star - relief_amt + TR + LR_n
    vouchers = X["vouchers"]
    D = s["D"]
    # A district with net assets (the debt below zero, deposits of its treasury account)
    # spends them within about a year (budgets are annual) on current programmes instead of
    # piling them up (exactly 0 from a debt of 5 % of comprehensive revenue up; docs/model.md
    # §4).
    corner = 0.05 * TRV_star  # (the corners below are rounded over this)
    CS = CS + ops.smooth_pos(-D, corner) * k_etd_assets
    # interest on the debt; a district with net assets (the debt below zero) earns none on
    # them (deposits of the treasury account), so spending never turns negative
    interest = k_i_d * maximum(D, 0.0)
    rd_gov = k_rd_gov * rd
    committed = CS + rd_gov * n_star + interest
    no_vouchers = "vouchers" in zero
    if not no_vouchers:
        committed = committed + vouchers
    # Borrowing tightens progressively as the debt nears its limit (bond quotas shrink), and
    # money holds projects back progressively as they reach what it allows: corners rounded
    # over 5 % of the comprehensive revenue and of the capital spending asked
    # (ops.smooth_pos), so that no limit puts a kink into the rates.
    borrow = ops.smooth_pos(k_d_max * TRV_star - D, corner) * k_inv_borrow
    ks_max = maximum(TRV_star - committed + borrow, 0.0)
    # Normal public investment is what the district's money can co-finance: a district
    # whose budget cannot pay for public capital at the desired ratio plans less of it (its
    # public capital, and so its potential output, grows more slowly), instead of counting
    # projects it can never pay for in its normal path and potential output (rounded over
    # 5 % of it, exactly pub_n well within; docs/model.md §4).
    # (at least 0 to the last bit where the district can pay for nothing)
    pub_n = maximum(pub_n - ops.smooth_pos(pub_n - ks_max * k_inv_dshare, 0.05 * pub_n), 0.0)
    fai_n = fai_p + fai_s + fai_t + fai_h + pub_n
    Y_con_n = k_c_con * fai_n * inv_PI  # construction at normal investment
    # Labour income at potential
    W_star = be_p * n_ps + be_s * n_ss + be_t * n_ts + be_con * P_s * Y_con_n

    # --- the pool's deviation from its usual pace, extra projects, public finance ---------
    # Normal investment holds the pool's projects at their usual pace (the pipeline: the
    # business-as-usual path). A scenario's deviation from that pace changes investment by
    # the additionality (extra pool spending displaces part of the other projects that
    # compete for land, credit and co-finance; a shortfall is partly made up by other
    # projects), delivered over the delivery time (design, tendering, site work): the stocks
    # PD_<category> (docs/model.md §3). Investment outside the pool persists: a deviation
    # takes at most three quarters of a destination's normal investment.
    pub_a, pub_u = k_pub_a, k_pub_u  # public shares of agriculture and urban projects
    pd_soc, pd_agr, pd_eco, pd_ind, pd_srv, pd_urb, pd_tra = _pd_stocks(s)
    fai_p = maximum(fai_p + th_a * pd_agr, 0.25 * fai_p)
    # The pool cannot undo the attracted firms' own plants.
    own = 0.25 * fai_s if no_cohort else maximum(0.25 * fai_s, to_fai * (I_c + R_c))
    fai_s = maximum(fai_s + pd_ind, own)
    fai_t = maximum(fai_t + pd_srv, 0.25 * fai_t)
    fai_h = maximum(fai_h + th_u * pd_urb, 0.25 * fai_h)
    pd_pub = pd_soc + pd_eco + pd_tra + pub_a * pd_agr + pub_u * pd_urb
    plan_pub = maximum(pub_n + pd_pub, 0.25 * pub_n)
    # The district co-finances a share of public investment; what it cannot pay waits in a
    # backlog and is spent when money allows.
    dshare = k_dshare
    new_ks = dshare * plan_pub
    release = s["B"] * k_inv_backlog
    asked = new_ks + release
    # what money holds back (exactly 0 well within the limit)
    shortfall = ops.smooth_pos(asked - ks_max, 0.05 * asked)
    KS = asked - shortfall
    real_ratio = maximum(1.0 - shortfall / maximum(asked, 1e-12), 0.0)  # (0 to the last bit)
    back = release * k_inv_dshare
    pub_real = real_ratio * (plan_pub + back)  # public FAI realised (all who pay for it)
    # The pool's own public projects (planned) and the part of the backlog that is theirs,
    # so that pool spending held back by money is reported when it is built.
    BP = s["BP"]
    bp_release = minimum(BP, s["B"]) * k_inv_backlog  # the pool's part drains with the rest
    # the district's part of the pool's public projects (part of normal public investment at
    # their usual pace; docs/model.md §3)
    pool_plan = dshare * pool_pub
    pool_done = real_ratio * (pool_plan + bp_release)
    # A shock to investment scales what firms want to invest and the public projects; firms'
    # finance still limits what they build (a boom cannot outrun their money).
    xi_fai = shock("shock_fai")
    I_cx, R_cx, xi_pub = I_c, R_c, 1.0
    if xi_fai is not None:
        xb = minimum(xi_fai, covered) / maximum(fin, 1e-12)
        fai_p, fai_s, fai_t, fai_h = fai_p * xb, fai_s * xb, fai_t * xb, fai_h * xb
        if not no_cohort:  # the cohort's plants, inside industry's investment
            I_cx, R_cx = I_c * xb, R_c * xb
        xi_pub = xi_fai
        pub_real = pub_real * xi_fai
    fai = fai_p + fai_s + fai_t + fai_h + pub_real
    extra_pub = 0.0
    if extra:  # new projects beyond the pool
        extra_fai, extra_pub, extra_content, extra_cats, extra_public = extra
        fai = fai + extra_fai
    # The pool is part of total investment: a deviation of the pool from its usual pace
    # displaces other projects (investment.additionality), but no more of them than there
    # are. Its spending is what firms and the budget finance (normal investment and the
    # deviations), never forced on top of it: where the pool's projects due (what money
    # lets through, and those waiting) would be more than a share of all investment
    # (investment.pool_max_share: firms' own plants and equipment, housing and projects
    # outside the list go on whatever the pool does), the rest waits (PQ) and starts over the
    # delivery time as room allows (the corner rounded over 5 %; docs/model.md §3).
    pool_all = X["pool_total"] if X["_pool"] else 0.0
    # (at least 0: what money held back is built in full, to the last bit)
    pool_rep = maximum(pool_all - pool_pub + pool_done * k_inv_dshare, 0.0)
    if xi_fai is not None:  # a shock to investment hits the pool's projects too
        pool_rep = ops.times(pool_rep, xi_fai)
    due = pool_rep + s["PQ"] * k_inv_deliv
    pool_held = ops.smooth_pos(due - k_pool_max * fai, 0.05 * due)
    pool_built = due - pool_held

    # --- actual output: the trough, construction, demand deviations ----------------------
    TG = s["TG"]
    U = 1.0 - TG
    # Construction value added: normal investment at the start year's average building
    # content; pool deviations and extra projects at their category's (public works are
    # mostly building and installation, industrial projects buy equipment made elsewhere).
    bc = k_bcontent
    fai_b = fai + (
        bc[0] * pd_soc + bc[1] * pd_agr + bc[2] * pd_eco + bc[3] * pd_ind
        + bc[4] * pd_srv + bc[5] * pd_urb + bc[6] * pd_tra
    )  # fmt: skip
    if extra:
        fai_b = fai_b + extra_content
    # (where a floor holds a destination's investment, the deviation's extra building content
    # does not apply in full: building work at least a quarter of FAI's average content)
    Y_con = k_c_con * maximum(fai_b, 0.25 * fai) * inv_PI
    Y_p = Ys_p * U
    Y_si = Ys_s * U
    if X["_shock"]:
        Y_con = ops.times(Y_con, shock("shock_va_construction"))
        Y_p = ops.times(Y_p, shock("shock_va_primary"))
        Y_si = ops.times(Y_si, shock("shock_va_industry"))
    # Extra investment also buys local building materials from industry.
    Y_si = maximum(Y_si + k_mat * (fai - fai_n) * inv_PI, 0.0)

    # Demand at potential: consumption (services share rising with income), visitors,
    # non-resident shoppers, producer services, public services.
    dw = k_d_w
    DI_star = dw * W_star
    apc_n = k_apc_n
    C_star = apc_n * DI_star
    # services' share of consumption: sig0 (c / c_ref)^(eps_s - 1), c real consumption per
    # resident at potential
    P_C = k_w_cons * P_t + k_w_goods * P_s  # consumer prices
    sig = minimum(exp(k_eps_s1 * log(C_star / (POP * P_C)) + k_ln_sig_ref), 0.9)
    m_c = k_ls_ms * sig + k_lg_mt * (1.0 - sig)  # local VA per yuan of consumption
    V, R_o = s["V"], s["R_o"]
    m_p = k_m_p
    D_star = (
        m_c * C_star
        + k_m_v * V
        + k_m_t * R_o
        + m_p * (n_ps + n_ss + P_s * Y_con_n)
        + k_m_g * CS
        # services the city centre sells to the rest of the region, which buys less of them
        # where their price has risen against its base path (price elasticity eta_t)
        + P_t * s["XR"] * exp(-k_eta_t * log(P_rel))
    )
    # Services are produced where they are bought: demand that firms have not yet perceived
    # (current pressure against the perceived z) is met in full by using capacity more or
    # less in the short run; as the pressure is perceived, utilisation returns toward
    # capacity x z^theta, and prices and the move of capital and labour clear the rest
    # (docs/model.md §10).
    z_now = maximum(D_star / (k_d0 * P_t * Cap_t), 1e-6)  # (demand is never below zero)
    Yt_cap = Ys_t * (z_now / z) * U  # services capacity in use
    if X["_shock"]:
        Yt_cap = ops.times(Yt_cap, shock("shock_va_tertiary"))

    # The cyclical deviation of local services demand from potential (nominal), solved in
    # closed form with the services wages it pays (the local consumption multiplier).
    a_c = apc_n - k_k_c * TG
    V_act = V * (1.0 - k_th_v * TG)
    R_o_act = R_o
    if X["_shock"]:
        a_c = ops.times(a_c, shock("shock_consumption"))
        V_act = ops.times(V_act, shock("shock_visitor_spending"))
        R_o_act = ops.times(R_o, shock("shock_retail_external"))
    psi = k_psi
    # value added of primary, industry and construction against potential (nominal)
    gap_p, gap_s, gap_c = P_p * (Y_p - Ys_p), P_s * (Y_si - Ys_s), P_s * (Y_con - Y_con_n)
    dVA_o = gap_p + gap_s
    dDI_o = dw * (be_p * gap_p + be_s * gap_s + be_con * gap_c)
    if not no_relief:
        dDI_o = dDI_o + k_relief_hh * relief_amt
    voucher_spend = 0.0 if no_vouchers else k_mu * vouchers
    loop_w = dw * be_t
    rhs = (
        m_c * ((a_c - apc_n) * DI_star + a_c * psi * (dDI_o + loop_w * (P_t * Yt_cap - n_ts)))
        + k_m_v * (V_act - V)
        + k_m_t * (R_o_act - R_o + voucher_spend)
        + m_p * (dVA_o + gap_c)
    )
    Xd = rhs / (1.0 - m_c * a_c * psi * loop_w)
    Y_tm = maximum(Yt_cap + Xd / P_t, 0.0)  # market services produced
    Y_t = Y_tm + VA_h
    Y_ind = ops.plus(Y_si, VA_c)
    gdp_real = Y_p + Y_ind + Y_con + Y_t
    n_p, n_ind, n_con, n_t = P_p * Y_p, P_s * Y_ind, P_s * Y_con, P_t * Y_t
    gdp = n_p + n_ind + n_con + n_t

    # --- labour demand: output over labour productivity ---------------------------------
    # Productivity at normal use of capacity, Cap_x / (s_x E_cap), grows at its own trend
    # (TFP, capital per worker, public capital, knowledge). The jobs that output needs at
    # that productivity, Y_x / pi_x, are the structural labour demand: output that demand
    # pressure calls forth (z^theta) needs workers. Firms meet a cyclical deviation of
    # output from that path (the trough, a demand surprise) partly by hoarding labour: Okun.
    # Construction hires crews for the projects it builds: its employment follows its
    # output at the sector's labour per yuan of building work, N_con / Y_con_n, and that
    # demand draws labour supply like any other structural demand (E_struct below).
    # Employers hoard labour through a fall of output they expect to pass (Okun) and adjust
    # to one that lasts: S_x, the level of a shock to the sector's value added as they
    # perceive it (labour.hoarding_time), is the output Okun's law measures against, potential
    # times S_x. Firms of industry and services scale their posts with it,
    # L_x = Ld_x S_x (1 + okun (Y_x / (Ys_x S_x) - 1)), written without dividing by S_x;
    # farm households keep working their land at the lower output (their income per worker
    # falls, and labour moves to other sectors and away with it). S_x is the float 1.0
    # without such shocks (docs/model.md §6).
    okun = k_okun
    S_p, S_s, S_t = s["S_p"], s["S_s"], s["S_t"]
    Ld_p = s_p * E_cap
    Ld_s = s_s * E_cap
    Ld_t = s_t * E_cap * fz_t
    no_s = (
        S_p.__class__ is float and S_s.__class__ is float and S_t.__class__ is float
        and S_p == 1.0 and S_s == 1.0 and S_t == 1.0
    )  # fmt: skip
    if no_s:
        L_p = Ld_p * (1.0 + okun * (Y_p / Ys_p - 1.0))
        L_s = Ld_s * (1.0 + okun * (Y_si / Ys_s - 1.0))
        L_t = Ld_t * (1.0 + okun * (Y_tm / Ys_t - 1.0))
    else:
        L_p = Ld_p * (1.0 + okun * (Y_p / (Ys_p * maximum(S_p, 1e-12)) - 1.0))
        L_s = Ld_s * ((1.0 - okun) * S_s + okun * (Y_si / Ys_s))
        L_t = Ld_t * ((1.0 - okun) * S_t + okun * (Y_tm / Ys_t))
        Ld_s, Ld_t = Ld_s * S_s, Ld_t * S_t
    L_k = N_con * (Y_con / maximum(Y_con_n, 1e-12))
    E_raw = ops.plus(L_p + L_s, L_c) + L_k + L_t
    # Labour supply answers structural labour demand (construction's crews included) beyond
    # the residents' natural employment: workers from the hidden underemployment of the
    # district's villages and commuters from the neighbouring counties join its labour
    # force, a share chi within the year and the rest (the stock LS) over
    # labour.supply_time; migration answers the expected income (Harris-Todaro, below).
    # Each such job brings 1 / (1 - u*) people into the labour force, so that once supply
    # has caught up unemployment is back at u*; the villages and neighbouring counties can
    # add at most a share ls_max of the residents' labour force (m tanh(x / m), with
    # tanh(x) = 1 - 2 / (exp(2x) + 1)).
    E_struct = ops.plus(Ld_p + Ld_s + Ld_t, L_c) + L_k
    m_ls = k_ls_max * LF_n
    drawn = m_ls - 2.0 * m_ls / (exp((E_struct - E_nat) * (2.0 / k_emp_nat) / m_ls) + 1.0)
    LF = LF + k_chi * drawn + s["LS"]
    # Jobs are filled from the labour force with matching frictions (a Beveridge curve): up
    # to the natural rate's employment (1 - u*) LF every post is filled; posts beyond it are
    # filled less and less, so that registered unemployment falls at most gap = tight LF
    # below u* (gap tanh(x / gap), tanh(x) = 1 - 2 / (exp(2x) + 1); the rest are vacancies).
    E_n = k_emp_nat * LF
    gap = k_tight * LF
    x_t = minimum((E_raw - E_n) * (2.0 / gap), 40.0)
    E = minimum(E_raw, E_n + gap - 2.0 * gap / (exp(x_t) + 1.0))

    # --- government account (actual) ----------------------------------------------------
    TB = k_w_p * n_p + k_w_s * (n_ind + n_con) + n_t
    revenue = exp(k_buoy * log(TB) + k_ln_R_TB)
    if not no_relief:
        revenue = revenue * (1.0 - relief)
    if X["_shock"]:
        revenue = ops.times(revenue, shock("shock_fiscal_revenue"))
    # at the housing investment made, new urban projects beyond the pool included (their
    # housing part sells land as the pool's does, and is housing capital formation below)
    fai_hx = fai_h if not extra else fai_h + th_u * extra_cats[5]
    h_x = fai_hx
    if k_run_ratio:  # the land bought, at the run's ratio (h_n above)
        h_x = maximum(h_n + th_u * pd_urb, 0.25 * h_n)
        if xi_fai is not None:
            h_x = h_x * xb
        if extra:
            h_x = h_x + th_u * extra_cats[5]
    LR = land_revenue(h_x * land_price, k_land_o, el_land, k_land, exp, log, maximum)
    spend = CS + rd_gov * gdp + KS + interest
    if not no_vouchers:
        spend = spend + vouchers
    if X["_extra"]:  # the district's share of new public projects, borrowed if need be
        spend = spend + dshare * extra_pub

    d = None
    if want_rates:
        # --- the derivatives of the stocks ------------------------------------------------
        d_b = shortfall - release  # public projects waiting for money
        d_bp = pool_plan * (1.0 - real_ratio) - real_ratio * bp_release  # the pool's part
        dep, dep_h, dep_g = k_dep, k_dep_h, k_dep_g

        # Capital: normal investment, pool deviations and extra projects (capital formation)
        cf = k_phiK / s["P_I"]
        cf_pub = cf if not k_run_ratio else k_phiK_pub / s["P_I"]
        pub = pub_real
        inv_p, inv_s, inv_t, inv_h = fai_p, fai_s, fai_t, fai_hx
        if extra:
            ex = extra_cats
            inv_p = inv_p + th_a * ex[1]
            inv_s = inv_s + ex[3]
            inv_t = inv_t + ex[4]
            pub = pub + extra_public
        d = {
            "K_p": cf * inv_p - dep * s["K_p"],
            # The cohort's capital comes out of industrial capital formation: the part of it
            # inside the pool's industry projects is in the incumbents' normal investment.
            "K_s": ops.minus(ops.minus(cf * inv_s, I_cx), R_cx) - dep * s["K_s"],
            "K_t": cf * inv_t - dep * s["K_t"],
            "H": cf * inv_h - dep_h * s["H"],
            "G": cf_pub * pub - dep_g * s["G"],
            "A_p": k_sg_A[0] * s["A_p"],
            "A_s": k_sg_A[1] * s["A_s"],
            "A_t": k_sg_A[2] * s["A_t"],
        }

        # R&D: spending passes a gestation pipeline into a depreciating knowledge stock
        rd_flow = s["RP"] * k_inv_gest
        d["RP"] = rd * gdp_real - rd_flow
        d["KN"] = rd_flow - k_dep_k * s["KN"]

        # Labour reallocation: toward sectors whose output per natural worker rises relative to
        # the average since the reference year, and toward services under demand pressure.
        # The target share of sector x is s_ref_x r_x^sigma (times demand pressure^pull), with
        # r_x its output per natural worker, n_x / (s_x E), relative to its reference, over the
        # average's, (sum n / E) / its reference: E cancels. In logs, with the references in
        # the constant c_x = sigma ln(prod_avg / prod_x) + ln s_ref_x:
        # ln raw_x = sigma (ln(n_x / s_x) - ln sum n) + c_x.
        sig_r = k_sigma
        c_p, c_s, c_t = k_ln_realloc
        ln_sum = sig_r * log(n_pst)
        raw_p = exp(sig_r * log(n_ps / s_p) - ln_sum + c_p)
        raw_s = exp(sig_r * log(n_ss / s_s) - ln_sum + (c_s + k_pull * ln_zs))
        raw_t = exp(sig_r * log(n_ts / s_t) - ln_sum + (c_t + k_pull * ln_z))
        total = raw_p + raw_s + raw_t
        tt = raw_t / total
        tt_new = minimum(maximum(tt + X["tertiary_shift"], 0.01), 0.98)
        rest = (1.0 - tt_new) / (total - raw_t)
        inv_tau = k_etd_realloc
        d["s_p"] = (raw_p * rest - s_p) * inv_tau
        d["s_s"] = (raw_s * rest - s_s) * inv_tau
        d["s_t"] = (tt_new - s_t) * inv_tau

        # Population: Harris-Todaro migration on expected income (real wage times the chance of
        # a job) relative to the neighbours'; natural increase.
        mig = net_migration(s["RI"], k_mig, exp, log) + X["net_migration_policy"]
        W = k_beta[0] * n_p + k_beta[1] * n_ind + k_be_con * n_con + k_beta[2] * P_t * Y_tm
        # the real wage times the chance of a job, W / (E P_C) (1 - u) = W / (LF P_C); where
        # employers offer more jobs than the labour force fills at the natural rate, they bid
        # up the wage offered to newcomers (docs/model.md §6)
        expected = W / (LF * P_C) * k_inv_inc_ref
        if not ops.is_zero(k_w_vac):
            expected = expected * wage_premium(E_raw, E_n, k_w_vac, exp, log)
        d["REF"] = g_ref * s["REF"]
        # the neighbours' income went through the same trough (docs/model.md §6)
        d["RI"] = (expected / (s["REF"] * (1.0 - k_ref_tg * TG)) - s["RI"]) * k_etd_perc
        growth_pop = k_nat_inc + mig
        d["POP"] = growth_pop * s["POP"]

        # Expected growth follows the growth of potential output (growth accounting on flows)
        g_lf = growth_pop + k_wa_trend / wa
        al, be, gA = k_alpha, k_beta, k_g_A
        g_pot = (
            (
                Ys_p * (gA[0] + al[0] * d["K_p"] / s["K_p"] + be[0] * (g_lf + d["s_p"] / s_p))
                + Ys_s * (gA[1] + al[1] * d["K_s"] / s["K_s"] + be[1] * (g_lf + d["s_s"] / s_s))
                + Ys_t * (gA[2] + al[2] * d["K_t"] / s["K_t"] + be[2] * (g_lf + d["s_t"] / s_t))
            )
            / (Ys_p + Ys_s + Ys_t)
            + k_gamma * d["G"] / s["G"]
            + k_eps_k * d["KN"] / s["KN"]
        )
        d["g_e"] = k_etd_r_e * (g_pot - s["g_e"])

        # The trough closes; services demand pressure is perceived with a delay
        # (first-order adjustments: their rates k_etd_* are 1 / time, stepped exactly by
        # Euler, see step_rate)
        d["TG"] = -s["TG"] * k_etd_gap
        d["z"] = (z_now - z) * k_etd_z
        d["z_s"] = (s["XG"] / (k_d_s0 * Cap_s) - s["z_s"]) * k_etd_z

        # Above-scale firms: incumbents cross the threshold as industry grows, and exit; the
        # attracted cohort arrives, commits its investment, builds its plants
        firms = X["firms_attracted"]
        entry = k_entry * exp(k_entry_el * log(maximum(Y_si * k_inv_Yinc_ref, 1e-12)))
        if X["_shock"]:
            entry = ops.times(entry, shock("shock_enterprise_entry"))
        d["N"] = entry - k_exit * s["N"]
        no_firms = "firms_attracted" in X["_z"]
        N_a = s["N_a"]
        if no_firms:  # (a cohort of none stays none: its stocks stay the float 0.0)
            d["N_a"] = 0.0 if ops.is_zero(N_a) else -k_exit_a * N_a
        else:
            d["N_a"] = firms - k_exit_a * N_a
        d["PC"] = -I_cx if no_firms else k_k_f * firms - I_cx
        # attracted firms maintain and expand their plants and close at their own exit rate
        if ops.is_zero(I_cx) and ops.is_zero(K_c):
            d["K_c"] = 0.0
        else:
            d["K_c"] = ops.plus(I_cx, R_cx) - (dep + k_exit_a) * K_c

        # Prices, visitors, other non-resident shoppers, transfers per resident: stocks that
        # grow at a given rate (see step_rate)
        d["P_p"] = g_pp * s["P_p"]
        d["P_s"] = g_ps * s["P_s"]
        # services demand above capacity raises services prices relative to the others
        # (a REMI-type price response; docs/model.md §10), which clears it
        g_pt = X["inflation_tertiary"] + k_kap_price * log(z_now)
        d["P_t"] = step_rate(g_pt, k_h_step, expm1) * P_t
        d["PB_t"] = g_pb * s["PB_t"]
        d["P_I"] = g_pi * s["P_I"]
        d["V"] = g_v * s["V"]
        d["R_o"] = k_sg_ext * s["R_o"]
        d["XR"] = k_sg_xr * s["XR"]
        d["XG"] = k_sg_xg * s["XG"]
        d["TRP"] = k_sg_tr * s["TRP"]
        d["LS"] = ((1.0 - k_chi) * drawn - s["LS"]) * k_inv_ls
        # The share of the posts offered that the labour force fills (the matching above:
        # exactly 1 where they do not exceed the natural rate's employment), perceived over
        # labour.shortage_time (F stays the float 1.0, without operations over the members,
        # while every post is filled)
        beyond = x_t > 0.0  # posts beyond the natural rate's employment (a bool or an array)
        if F.__class__ is float and F == 1.0 and not ops.any_true(beyond):
            d["F"] = 0.0
        else:
            # (exactly 1 where every post is filled, as in a run whose F stays the float 1.0:
            # the matching's E may round an ulp below E_d there)
            d["F"] = (ops.where(beyond, E / E_raw, 1.0) - F) * k_etd_fill
        # The level of each sector's value-added shock that firms perceive as lasting: a move
        # away from the path (a fall or a boom) over labour.hoarding_time, a return toward it
        # over labour.recall_time (employers recall the workers they laid off, and shed those
        # a boom brought, as soon as output comes back); the float 1.0 where no shock is set,
        # or has been
        if no_s and not X["_shock"]:
            d["S_p"] = d["S_s"] = d["S_t"] = 0.0
        else:
            for name, target in _PERCEIVED_SHOCKS:
                xi = shock(target)
                xi = 1.0 if xi is None else xi
                S = s[name]
                if S.__class__ is float and xi.__class__ is float and S == xi:
                    d[name] = 0.0
                else:
                    # (toward the path: output comes back, after a fall or a boom)
                    toward = (xi - 1.0) * (xi - 1.0) < (S - 1.0) * (S - 1.0)
                    d[name] = (xi - S) * ops.where(toward, k_etd_recall, k_etd_hoard)

        # Government: debt is the cumulated deficit; public projects it cannot pay wait
        d["D"] = spend - (revenue + TR + LR)
        d["B"] = d_b
        d["BP"] = d_bp
        # the pool's projects waiting for room: those held back come in, those waiting
        # start over the delivery time (written as such, not as what is due less what is
        # built, so that a step empties the stock to zero at most, never below it by rounding)
        d["PQ"] = pool_held - s["PQ"] * k_inv_deliv
        d["RB"] = TRV_star * k_etd_budget_in - s["RB"] * k_etd_budget
        inv_del = k_inv_deliv
        if X["_dev"]:
            lam = k_addl * inv_del
            # After the plan years the 15th plan's projects follow at the usual pace (the
            # successor pipeline): where the 14th plan's pool was built faster than business
            # as usual, they take the place of its smaller carry-over, so a deviation after
            # the plan years is never below the usual pace (docs/model.md §3).
            after = t >= k_t_plan_end
            for k, name in PD_DEV:
                dev, pd = X[name], s[k]
                if after:
                    dev = ops.maximum(dev, 0.0)
                # (nothing to deliver, nothing coming: a stock that is the float 0.0 stays
                # one, without operations over the members)
                d[k] = 0.0 if ops.is_zero(dev) and ops.is_zero(pd) else lam * dev - inv_del * pd
        else:
            for k in PD_STOCKS:
                pd = s[k]
                d[k] = 0.0 if ops.is_zero(pd) else -inv_del * pd
    if not want_aux:
        return d, None

    # --- reported quantities (annualised by the engine) ----------------------------------
    # An ensemble that keeps a few indicators asks only for what they are formed from
    # (c["_want"], see quantities_for): the groups below are formed only when wanted.
    want = c["_want"]
    aux = {
        "va_primary_real": Y_p, "va_industry_real": Y_ind, "va_construction_real": Y_con,
        "va_tertiary_real": Y_t,
        "va_primary": n_p, "va_industry": n_ind, "va_construction": n_con, "va_tertiary": n_t,
        "gdp_potential_real": Y_cap + Y_con_n, "fai": fai,
        "fiscal_revenue": revenue, "transfers_from_above": TR, "land_revenue": LR,
        "fiscal_expenditure": spend,
        "population": POP, "labour_force": LF, "employment": E,
        "capital_primary": K_p, "capital_industry": K_s, "capital_tertiary": K_t,
        "capital_housing": H, "capital_public": G, "services_demand_surprise": z_now / z,
    }  # fmt: skip
    if want is None or not want.isdisjoint(GROUP_FAI):
        # FAI by the pool's categories: public investment by the pool's public mix (and each
        # category's own deviation), private by destination.
        # social, agr, ecology, urban, transport; where the floor on public investment binds,
        # what it restores is spread by the public mix
        excess = plan_pub - (pub_n + pd_pub)
        spread = pub_n + back + excess
        mix = k_pub_mix  # (social, agriculture, ecology, urban, transport)
        rr = real_ratio * xi_pub
        cats = [
            rr * (mix[0] * spread + pd_soc),
            fai_p + rr * (mix[1] * spread + pub_a * pd_agr),
            rr * (mix[2] * spread + pd_eco),
            fai_s,
            fai_t,
            fai_h + rr * (mix[3] * spread + pub_u * pd_urb),
            rr * (mix[4] * spread + pd_tra),
        ]
        if extra:
            cats = map(add, cats, extra_cats)  # (both in the order of POOL_CATEGORIES)
        aux.update(zip(FAI_NAMES, cats, strict=True))
        aux["public_investment"] = pub_real
    if want is None or "pool_investment" in want:
        aux["pool_investment"] = pool_built
    if want is None or "pool_planned" in want:  # the plan's schedule, before money and room
        aux["pool_planned"] = ops.like(pool_all, fai)
    if want is None or not want.isdisjoint(GROUP_LABOUR):
        scale = E / E_raw
        aux["employment_primary"] = L_p * scale
        aux["employment_secondary"] = (ops.plus(L_s, L_c) + L_k) * scale
        aux["employment_tertiary"] = L_t * scale
        aux["employment_construction"] = L_k * scale
        aux["employment_attracted"] = ops.like(L_c * scale, L_k)
        # posts offered and not filled, E_raw - E = gap (y - tanh y) (the matching above)
        aux["vacancies"] = gap * ops.x_minus_tanh(maximum((E_raw - E_n) / gap, 0.0))
        if want is not None and "labour_demand" in want:  # (for a start record, RECORD_WANT)
            aux["labour_demand"] = E_raw
    if want is None or not want.isdisjoint(GROUP_HOUSEHOLDS):
        DI = DI_star + dDI_o + loop_w * (P_t * Y_tm - n_ts)
        C = a_c * (DI_star + psi * (DI - DI_star))
        aux["services_share_of_consumption_pct"] = ops.like(sig * 100.0, C)
        aux["retail_sales"] = k_lg * (1.0 - sig) * C + k_shop * V_act + R_o_act + voucher_spend
        aux["household_consumption"] = C
        aux["income_total"] = DI
        aux["visitor_spending"] = V_act
    if want is None or not want.isdisjoint(GROUP_INDUSTRY):
        as_real = ops.plus(k_h0 * Y_si, VA_c)
        gross_c = 0.0 if ops.is_zero(VA_c) else k_inv_va_c * VA_c  # the cohort's gross output
        aux["as_real"] = as_real
        aux["industrial_va_above_scale"] = P_s * as_real
        aux["industrial_va_attracted"] = P_s * VA_c
        aux["industrial_output_above_scale"] = P_s * ops.plus(k_h0_gross * Y_si, gross_c)
        aux["park_gross_output"] = P_s * ops.plus(k_park_gross * Y_si, gross_c)
        aux["enterprises_above_scale"] = ops.plus(s["N"], s["N_a"])
        aux["cohort_va_real"] = VA_c
        # (the firms arriving, times the share of their plants' crews filled: their output)
        aux["firms_new"] = ops.like(ops.times(X["firms_attracted"], fc), VA_c)
    if want is None or not want.isdisjoint(GROUP_OTHER):
        aux["rd_intensity_pct"] = ops.like(rd * 100.0, Y_p)
        aux["tfp_primary"] = s["A_p"] * k_inv_A0[0]
        aux["tfp_industry"] = s["A_s"] * k_inv_A0[1]
        aux["tfp_tertiary"] = s["A_t"] * k_inv_A0[2]
    return d, aux


#: The reported quantities formed only when wanted, by group (see :func:`rates`).
GROUP_FAI = frozenset(FAI_NAMES) | {"public_investment"}
GROUP_LABOUR = frozenset(
    ("employment_primary", "employment_secondary", "employment_tertiary", "employment_construction",
     "employment_attracted", "vacancies")
)  # fmt: skip
GROUP_HOUSEHOLDS = frozenset(
    ("services_share_of_consumption_pct", "retail_sales", "household_consumption",
     "income_total", "visitor_spending")
)  # fmt: skip
GROUP_INDUSTRY = frozenset(
    ("as_real", "industrial_va_above_scale", "industrial_va_attracted",
     "industrial_output_above_scale", "park_gross_output", "enterprises_above_scale",
     "cohort_va_real", "firms_new")
)  # fmt: skip
GROUP_OTHER = frozenset(("rd_intensity_pct", "tfp_primary", "tfp_industry", "tfp_tertiary"))
#: What a start record is made from (record.record_from_state): every reported quantity and
#: the posts offered, filled and vacant (``labour_demand``).
RECORD_WANT = (
    GROUP_FAI | GROUP_LABOUR | GROUP_HOUSEHOLDS | GROUP_INDUSTRY | GROUP_OTHER
    | {"pool_investment", "pool_planned", "labour_demand"}
)  # fmt: skip


def annual_indicators(a: dict, c: dict, p: dict) -> dict:
    """Indicators from annual means of the reported quantities.

    ``a`` maps each aux name to an array of shape (years, members). Ratios (shares, per-capita
    figures, growth rates, unemployment) are formed from the annual means so that identities
    hold exactly: GDP is the sum of sector value added, shares sum to 100, and the
    government's debt changes by exactly its deficit.
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
    with np.errstate(divide="ignore", invalid="ignore"):
        out["output_gap_pct"] = (gdp_real / a["gdp_potential_real"] - 1.0) * 100.0
    # Above-scale industry: the published level includes new firms; the growth rate is on
    # the same firms as the year before (NBS 同口径). A firm attracted in year Y produces in
    # Y only from the capital it has built since it came (see docs/model.md).
    level = a["as_real"]
    new = c["new_firm_va"] * a["firms_new"]
    with np.errstate(divide="ignore", invalid="ignore"):
        later = np.where(
            level[:-1] > 0.0, ((level[1:] - new[1:]) / level[:-1] - 1.0) * 100.0, np.nan
        )
    first = np.full((1,) + later.shape[1:], np.nan)
    out["industrial_va_above_scale_growth_pct"] = np.concatenate((first, later))
    out["industrial_va_above_scale_level_growth_pct"] = _growth(level)
    out["unemployment_rate_pct"] = (1.0 - a["employment"] / a["labour_force"]) * 100.0
    nat = (1.0 - np.asarray(c["emp_nat"], dtype=float)) * 100.0
    members = nat.shape if nat.ndim else gdp.shape[1:]
    out["natural_unemployment_rate_pct"] = np.broadcast_to(nat, (len(gdp),) + members).copy()
    # gross new urban jobs: the growth of non-farm labour demand, by employer group (the
    # attracted firms, the rest of the secondary sector, services: jobs created by one are
    # hires even where another sheds workers), plus replacement (labour.turnover)
    att = a["employment_attracted"] * 1e4  # persons
    sec, ter = a["employment_secondary"] * 1e4 - att, a["employment_tertiary"] * 1e4
    rise = np.zeros_like(sec)
    for group in (att, sec, ter):
        rise[1:] += np.maximum(np.diff(group, axis=0), 0.0)
    jobs = c["turnover"] * (sec + att + ter) + rise
    out["new_urban_jobs"] = jobs
    out["new_urban_jobs_cumulative"] = np.cumsum(jobs, axis=0) - jobs[0]
    out["vacancies"] = a["vacancies"] * 1e4  # persons
    with np.errstate(divide="ignore", invalid="ignore"):
        out["vacancies_per_unemployed"] = a["vacancies"] / (a["labour_force"] - a["employment"])
    out["gdp_per_capita"] = gdp / a["population"] * 1e4
    out["disposable_income_per_capita"] = a["income_total"] / a["population"] * 1e4
    balance = (
        a["fiscal_revenue"] + a["transfers_from_above"] + a["land_revenue"]
        - a["fiscal_expenditure"]
    )  # fmt: skip
    out["fiscal_balance"] = balance
    # the debt reported: the start year's (the record's, or with a record made from a run its
    # debt plus the run's gap between reported and mid-year debt, less what the start year's
    # balance adds to the run's: model.calibrate), less the balances of the calendar years
    # after
    if c["debt_gap"] is None:
        later = c["D0"] - np.cumsum(balance[1:], axis=0)
        first = np.broadcast_to(c["D0"] + 0.0 * balance[:1], (1,) + later.shape[1:])
    else:
        first = c["D0"] + c["debt_gap"] - (balance[:1] - c["run_balance"])
        later = first - np.cumsum(balance[1:], axis=0)
    out["government_debt"] = np.concatenate((first, later))
    for k in HIDDEN:
        out.pop(k)
    return out


#: Reported quantities that only feed indicators (not indicators themselves).
HIDDEN = (
    "income_total", "as_real", "va_industry_real", "va_construction_real",
    "cohort_va_real", "firms_new", "services_demand_surprise", "employment_attracted",
)  # fmt: skip


@lru_cache(maxsize=16)
def quantities_for(indicators: tuple[str, ...], names: tuple[str, ...]) -> frozenset[str]:
    """The reported quantities (of ``names``, the keys of ``aux``) that the given indicators
    of :func:`annual_indicators` are formed from.

    Found by letting a NaN in each quantity through :func:`annual_indicators` (every
    indicator is arithmetic on the annual means, so a NaN reaches exactly the indicators
    formed from that quantity); ensembles that keep a few indicators accumulate only these.
    """
    c = {"turnover": 0.1, "new_firm_va": 0.1, "emp_nat": 0.97, "D0": 1.0, "debt_gap": None}
    wanted = set(indicators)
    needed = set()
    with np.errstate(all="ignore"):
        for name in names:
            a = {q: np.ones((3, 1)) for q in names}
            a[name] = np.full((3, 1), np.nan)
            out = annual_indicators(a, c, {})
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
