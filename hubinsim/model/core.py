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

import numpy as np

from ..catalog import POOL_CATEGORIES
from . import ops

#: Stocks and whether they must stay non-negative.
STOCKS: dict[str, bool] = {
    "K_p": True, "K_s": True, "K_t": True, "H": True, "G": True,
    "A_p": True, "A_s": True, "A_t": True, "KN": True, "RP": True,
    "POP": True, "s_p": True, "s_s": True, "s_t": True, "RI": True, "REF": True,
    "N": True, "N_a": True, "PC": True, "K_c": True,
    "P_p": True, "P_s": True, "P_t": True, "P_I": True,
    "g_e": False, "TG": False, "z": True, "z_s": True, "V": True, "R_o": True, "XR": True,
    "XG": True, "TRP": True,
    "D": False, "B": True, "BP": True,
}  # fmt: skip

#: Pool categories with a public part, in the order of ``c["pub_mix"]``.
PUBLIC_CATEGORIES = ("social", "agriculture", "ecology", "urban", "transport")

#: The FAI indicators by pool category, in the order of POOL_CATEGORIES.
FAI_NAMES = tuple("fai_" + cat for cat in POOL_CATEGORIES)
#: Inputs by pool category: the pool's deviation from its usual path, extra projects, the
#: pool's planned path (all nominal, 亿元/yr).
DEV = tuple("dev_" + cat for cat in POOL_CATEGORIES)
EXTRA = tuple("extra_" + cat for cat in POOL_CATEGORIES)
POOL = tuple("pool_" + cat for cat in POOL_CATEGORIES)
BAU = tuple("bau_" + cat for cat in POOL_CATEGORIES)

#: The constants :func:`rates` reads, in the order of ``c['_rates']``.
CONSTANTS_RATES = (
    "R0",
    "adj",
    "adj_g",
    "alpha",
    "apc_n",
    "be_con",
    "beta",
    "buoy",
    "c_con",
    "cs_share",
    "d_max",
    "d_w",
    "dep",
    "dep_g",
    "dep_h",
    "dshare",
    "emp_nat",
    "eps_h",
    "eps_k",
    "eps_s1",
    "fin",
    "gamma",
    "h0",
    "h0_gross",
    "i_d",
    "inv_A0",
    "inv_G0",
    "inv_KN0",
    "inv_TB0",
    "inv_backlog",
    "inv_borrow",
    "inv_build",
    "inv_cref",
    "inv_dshare",
    "inv_phiK",
    "inv_pi_c",
    "inv_va_c",
    "k_c",
    "kap_g",
    "kap_h",
    "kap_p",
    "kap_s",
    "kap_t",
    "land",
    "lg",
    "lg_mt",
    "ls_ms",
    "m_g",
    "m_p",
    "m_t",
    "m_v",
    "mat",
    "mu",
    "okun",
    "overlap",
    "park_gross",
    "part",
    "pool_pub_share",
    "psi",
    "pub_mix",
    "r_h",
    "rd_gov",
    "rd_priv",
    "relief_firms",
    "relief_hh",
    "ret_decline",
    "s_con",
    "shop",
    "sig0",
    "t0",
    "th_a",
    "th_u",
    "th_v",
    "theta",
    "va_per_kc",
    "w_cons",
    "w_goods",
    "w_p",
    "w_s",
    "wa0",
    "wa_trend",
)

#: The constants :func:`_flows` reads, in the order of ``c['_flows']``.
CONSTANTS_FLOWS = (
    "alpha",
    "be_con",
    "beta",
    "d0",
    "d_s0",
    "dep",
    "dep_g",
    "dep_h",
    "dep_k",
    "entry",
    "entry_el",
    "eps_k",
    "eta",
    "exit",
    "exit_a",
    "g_A",
    "g_ext",
    "g_tr",
    "g_v",
    "g_xg",
    "g_xr",
    "gamma",
    "inv_Yinc_ref",
    "inv_gap_time",
    "inv_gest",
    "inv_inc_ref",
    "inv_perc",
    "inv_prod_avg",
    "inv_prod_ref",
    "inv_realloc",
    "inv_z_time",
    "k_f",
    "m0",
    "nat_inc",
    "phiK",
    "pull",
    "r_e",
    "s_ref",
    "sigma",
    "th_a",
    "th_u",
    "w_cons",
    "w_goods",
    "wa_trend",
)


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
        k_R0,
        k_adj,
        k_adj_g,
        k_alpha,
        k_apc_n,
        k_be_con,
        k_beta,
        k_buoy,
        k_c_con,
        k_cs_share,
        k_d_max,
        k_d_w,
        k_dep,
        k_dep_g,
        k_dep_h,
        k_dshare,
        k_emp_nat,
        k_eps_h,
        k_eps_k,
        k_eps_s1,
        k_fin,
        k_gamma,
        k_h0,
        k_h0_gross,
        k_i_d,
        k_inv_A0,
        k_inv_G0,
        k_inv_KN0,
        k_inv_TB0,
        k_inv_backlog,
        k_inv_borrow,
        k_inv_build,
        k_inv_cref,
        k_inv_dshare,
        k_inv_phiK,
        k_inv_pi_c,
        k_inv_va_c,
        k_k_c,
        k_kap_g,
        k_kap_h,
        k_kap_p,
        k_kap_s,
        k_kap_t,
        k_land,
        k_lg,
        k_lg_mt,
        k_ls_ms,
        k_m_g,
        k_m_p,
        k_m_t,
        k_m_v,
        k_mat,
        k_mu,
        k_okun,
        k_overlap,
        k_park_gross,
        k_part,
        k_pool_pub_share,
        k_psi,
        k_pub_mix,
        k_r_h,
        k_rd_gov,
        k_rd_priv,
        k_relief_firms,
        k_relief_hh,
        k_ret_decline,
        k_s_con,
        k_shop,
        k_sig0,
        k_t0,
        k_th_a,
        k_th_u,
        k_th_v,
        k_theta,
        k_va_per_kc,
        k_w_cons,
        k_w_goods,
        k_w_p,
        k_w_s,
        k_wa0,
        k_wa_trend,
    ) = c["_rates"]  # fmt: skip
    shock = X.get  # a shock's factor, None when no shock is set
    zero = X["_z"]  # names of the inputs that are exactly 0.0 (see inputs.input_rows)
    # exp, log, max, min: the C library's on floats, numpy's on arrays (see model.ops)
    log, exp, maximum, minimum = c["fns"]

    # --- prices and labour supply -------------------------------------------------------
    P_p, P_s, P_t, P_I = s["P_p"], s["P_s"], s["P_t"], s["P_I"]
    POP = s["POP"]
    wa = minimum(maximum(k_wa0 + k_wa_trend * (t - k_t0), 0.3), 0.9)
    LF = POP * wa * k_part
    E_nat = LF * k_emp_nat  # natural employment: LF (1 - u*)
    N_con = k_s_con * E_nat  # construction's natural employment
    VA_c = k_va_per_kc * s["K_c"]  # value added of the attracted-firm cohort (real)
    L_c = VA_c * k_inv_pi_c
    # Natural employment of agriculture, industry and services; attracted firms employing
    # more than three quarters of it would bring their workers from outside.
    E_cap = maximum(E_nat - N_con - L_c, 0.25 * E_nat)
    lnE = log(E_cap)

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
    Ys_t = Cap_t * exp(th * ln_z)
    VA_h = k_r_h * H  # housing services (rents, imputed rents): low yield, no labour
    Y_cap = Ys_p + Ys_s + Ys_t + VA_c + VA_h

    # --- desired capital and normal investment (real capital formation) ------------------
    # Desired business capital-output ratios rise as the return firms accept falls.
    q = exp(k_ret_decline * (t - k_t0))
    # Desired capital grows with expected (potential) output and with the drift of the
    # desired ratio.
    ge = s["g_e"]
    gk, aK = ge + k_ret_decline, k_adj
    Kd_p = k_kap_p * q * Ys_p
    Kd_s = k_kap_s * q * Ys_s
    Kd_t = k_kap_t * q * Ys_t
    # Housing demand follows residents and their income (income elasticity below 1).
    Hd = k_kap_h * POP * exp(k_eps_h * log(Y_cap / POP))
    Gd = k_kap_g * Y_cap  # public capital follows capacity output (borrowing is capped)
    dep, dep_h, dep_g = k_dep, k_dep_h, k_dep_g
    Id_p = maximum(dep * K_p + gk * Kd_p + aK * (Kd_p - K_p), 0.0)
    Id_s = maximum(dep * K_s + gk * Kd_s + aK * (Kd_s - K_s), 0.0)
    Id_t = maximum(dep * K_t + gk * Kd_t + aK * (Kd_t - K_t), 0.0)
    Id_h = maximum(dep_h * H + k_eps_h * ge * Hd + aK * (Hd - H), 0.0)
    IG_n = maximum(dep_g * G + ge * Gd + k_adj_g * (Gd - G), 0.0)

    # Potential nominal output, revenue at potential, firms' finance
    n_ps, n_ss, n_ts = P_p * Ys_p, P_s * (Ys_s + VA_c), P_t * Ys_t
    n_hs = P_t * VA_h
    rd = X["rd_intensity_pct"]
    relief = X["tax_relief"]
    TB_star = k_w_p * n_ps + k_w_s * n_ss + n_ts + n_hs
    R_star = k_R0 * exp(k_buoy * log(TB_star * k_inv_TB0))
    no_relief = "tax_relief" in zero
    relief_amt = 0.0 if no_relief else R_star * relief
    n_star = n_ps + n_ss + n_ts + n_hs
    finance = k_fin * (al_p * n_ps + al_s * n_ss + al_t * n_ts) - k_rd_priv * rd * n_star
    if not no_relief:
        finance = finance + k_relief_firms * relief_amt
    Id_nom = P_I * (Id_p + Id_s + Id_t + Id_h)
    fin = minimum(1.0, maximum(finance, 0.0) / maximum(Id_nom, 1e-12))
    I_p, I_s, I_t, I_h = fin * Id_p, fin * Id_s, fin * Id_t, fin * Id_h
    I_c = s["PC"] * k_inv_build  # the cohort builds its committed investment

    # --- normal fixed-asset investment (nominal FAI = capital formation / phi_K) ---------
    to_fai = P_I * k_inv_phiK
    fai_p = to_fai * I_p
    # The part of the cohort's investment among the pool's industry projects is already in
    # industry's normal investment (at most all of it).
    overlap = minimum(k_overlap * I_c, I_s)
    fai_s = to_fai * (I_s + I_c - overlap)
    fai_t = to_fai * I_t
    fai_h = to_fai * I_h
    pub_n = to_fai * IG_n
    th_a, th_u = k_th_a, k_th_u
    if X["_bau"]:
        # Normal investment holds at least the pool's projects at their usual realisation
        # (the pool's business-as-usual path), destination by destination.
        bau = [X[k] for k in BAU]
        fai_p = maximum(fai_p, th_a * bau[1])
        fai_s = maximum(fai_s, bau[3])
        fai_t = maximum(fai_t, bau[4])
        fai_h = maximum(fai_h, th_u * bau[5])
        pub_n = maximum(
            pub_n, bau[0] + (1.0 - th_a) * bau[1] + bau[2] + (1.0 - th_u) * bau[5] + bau[6]
        )
    fai_n = fai_p + fai_s + fai_t + fai_h + pub_n
    inv_PI = 1.0 / P_I
    Y_con_n = k_c_con * fai_n * inv_PI  # construction at normal investment

    # Labour income at potential; the government's revenue at potential and its current
    # spending, which follows that revenue (以收定支; relief is borrowed, not cut).
    W_star = be_p * n_ps + be_s * n_ss + be_t * n_ts + be_con * P_s * Y_con_n
    TR = s["TRP"] * POP  # transfers from above, per resident
    LR_n = k_land * fai_h
    CS = k_cs_share * (R_star + TR + LR_n)
    TRV_star = R_star - relief_amt + TR + LR_n
    vouchers = X["vouchers"]
    D = s["D"]
    interest = k_i_d * D
    rd_gov = k_rd_gov * rd
    committed = CS + rd_gov * n_star + interest
    no_vouchers = "vouchers" in zero
    if not no_vouchers:
        committed = committed + vouchers
    borrow = maximum(k_d_max * TRV_star - D, 0.0) * k_inv_borrow
    ks_max = maximum(TRV_star - committed + borrow, 0.0)

    # --- the pool's deviation from its usual path, extra projects, public finance --------
    mix = k_pub_mix  # social, agriculture, ecology, urban, transport
    if X["_dev"]:
        dv = [X[k] for k in DEV]  # the pool's deviation by category, nominal
        fai_p = maximum(fai_p + th_a * dv[1], 0.0)
        # The pool cannot undo the attracted firms' own plants.
        fai_s = maximum(fai_s + dv[3], to_fai * (I_c - overlap))
        fai_t = maximum(fai_t + dv[4], 0.0)
        fai_h = maximum(fai_h + th_u * dv[5], 0.0)
        pub_dev = (dv[0], (1.0 - th_a) * dv[1], dv[2], (1.0 - th_u) * dv[5], dv[6])
        planned = [maximum(m * pub_n + d_, 0.0) for m, d_ in zip(mix, pub_dev, strict=True)]
        plan_pub = planned[0] + planned[1] + planned[2] + planned[3] + planned[4]
    else:
        planned = [m * pub_n for m in mix]
        plan_pub = pub_n
    # The district co-finances a share of public investment; what it cannot pay waits in a
    # backlog and is spent when money allows.
    dshare = k_dshare
    new_ks = dshare * plan_pub
    release = s["B"] * k_inv_backlog
    asked = new_ks + release
    shortfall = maximum(asked - ks_max, 0.0)  # what money holds back (exactly 0 if nothing)
    KS = asked - shortfall
    real_ratio = 1.0 - shortfall / maximum(asked, 1e-12)
    # The pool's own public projects (planned) and the part of the backlog that is theirs,
    # so that pool spending held back by money is reported when it is built.
    pool_all, pool_pub = 0.0, 0.0
    if X["_pool"]:
        for k, sh in zip(POOL, k_pool_pub_share, strict=True):
            v = X[k]
            pool_all = pool_all + v
            pool_pub = pool_pub + sh * v
    BP = s["BP"]
    bp_release = minimum(BP, s["B"]) * k_inv_backlog  # the pool's part drains with the rest
    pool_plan = minimum(dshare * pool_pub, new_ks)  # the district's part of the pool
    pool_done = real_ratio * (pool_plan + bp_release)
    back = release * k_inv_dshare
    fai_pub = [real_ratio * (v + m * back) for v, m in zip(planned, mix, strict=True)]
    xi_fai = shock("shock_fai")
    fai_cat = [
        fai_pub[0],
        fai_p + fai_pub[1],
        fai_pub[2],
        fai_s,
        fai_t,
        fai_h + fai_pub[3],
        fai_pub[4],
    ]
    extra_pub = 0.0
    if X["_extra"]:  # new projects beyond the pool
        ex = [X[k] for k in EXTRA]
        fai_cat = [v + e for v, e in zip(fai_cat, ex, strict=True)]
        extra_pub = ex[0] + (1.0 - th_a) * ex[1] + ex[2] + (1.0 - th_u) * ex[5] + ex[6]
    if xi_fai is not None:
        fai_cat = [v * xi_fai for v in fai_cat]
    fai = fai_cat[0] + fai_cat[1] + fai_cat[2] + fai_cat[3] + fai_cat[4] + fai_cat[5] + fai_cat[6]

    # --- actual output: the trough, construction, demand deviations ----------------------
    TG = s["TG"]
    U = 1.0 - TG
    Y_con = k_c_con * fai * inv_PI
    Y_p = Ys_p * U
    Y_si = Ys_s * U
    Yt_cap = Ys_t * U  # services capacity in use
    if X["_shock"]:
        Y_con = ops.times(Y_con, shock("shock_va_construction"))
        Y_p = ops.times(Y_p, shock("shock_va_primary"))
        Y_si = ops.times(Y_si, shock("shock_va_industry"))
        Yt_cap = ops.times(Yt_cap, shock("shock_va_tertiary"))
    # Extra investment also buys local building materials from industry.
    Y_si = maximum(Y_si + k_mat * (fai - fai_n) * inv_PI, 0.0)

    # Demand at potential: consumption (services share rising with income), visitors,
    # non-resident shoppers, producer services, public services.
    dw = k_d_w
    DI_star = dw * W_star
    apc_n = k_apc_n
    C_star = apc_n * DI_star
    sig = minimum(
        k_sig0
        * exp(k_eps_s1 * log(C_star * k_inv_cref / (POP * (k_w_cons * P_t + k_w_goods * P_s)))),
        0.9,
    )
    m_c = k_ls_ms * sig + k_lg_mt * (1.0 - sig)  # local VA per yuan of consumption
    V, R_o = s["V"], s["R_o"]
    m_p = k_m_p
    D_star = (
        m_c * C_star
        + k_m_v * V
        + k_m_t * R_o
        + m_p * (n_ps + P_s * (Ys_s + VA_c) + P_s * Y_con_n)
        + k_m_g * CS
        + P_t * s["XR"]  # services the city centre sells to the rest of the region
    )

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
    dVA_o = P_p * (Y_p - Ys_p) + P_s * (Y_si - Ys_s)
    dDI_o = dw * (
        be_p * P_p * (Y_p - Ys_p) + be_s * P_s * (Y_si - Ys_s) + be_con * P_s * (Y_con - Y_con_n)
    )
    if not no_relief:
        dDI_o = dDI_o + k_relief_hh * relief_amt
    voucher_spend = 0.0 if no_vouchers else k_mu * vouchers
    loop_w = dw * be_t
    rhs = (
        m_c * ((a_c - apc_n) * DI_star + a_c * psi * (dDI_o + loop_w * (P_t * Yt_cap - n_ts)))
        + k_m_v * (V_act - V)
        + k_m_t * (R_o_act - R_o + voucher_spend)
        + m_p * (dVA_o + P_s * (Y_con - Y_con_n))
    )
    Xd = rhs / (1.0 - m_c * a_c * psi * loop_w)
    Y_tm = maximum(Yt_cap + Xd / P_t, 0.0)  # market services produced
    Y_t = Y_tm + VA_h
    Y_ind = Y_si + VA_c
    gdp_real = Y_p + Y_ind + Y_con + Y_t
    n_p, n_ind, n_con, n_t = P_p * Y_p, P_s * Y_ind, P_s * Y_con, P_t * Y_t
    gdp = n_p + n_ind + n_con + n_t

    # --- labour demand (Okun on each sector's output against its potential) -------------
    okun = k_okun
    L_p = s_p * E_cap * (1.0 + okun * (Y_p / Ys_p - 1.0))
    L_s = s_s * E_cap * (1.0 + okun * (Y_si / Ys_s - 1.0))
    L_t = s_t * E_cap * (1.0 + okun * (Y_tm / Ys_t - 1.0))
    L_k = N_con * (1.0 + okun * (Y_con - Y_con_n) / maximum(Y_con_n, 1e-12))
    E_raw = L_p + L_s + L_c + L_k + L_t
    E = minimum(E_raw, 0.995 * LF)  # labour supply binds: at least 0.5 % unemployed
    u = 1.0 - E / LF

    # --- government account (actual) ----------------------------------------------------
    TB = k_w_p * n_p + k_w_s * (n_ind + n_con) + n_t
    revenue = k_R0 * exp(k_buoy * log(TB * k_inv_TB0))
    if not no_relief:
        revenue = revenue * (1.0 - relief)
    if X["_shock"]:
        revenue = ops.times(revenue, shock("shock_fiscal_revenue"))
    fai_land = fai_h if xi_fai is None else fai_h * xi_fai
    LR = k_land * fai_land
    spend = CS + rd_gov * gdp + KS + interest
    if not no_vouchers:
        spend = spend + vouchers
    if X["_extra"]:  # the district's share of new public projects, borrowed if need be
        spend = spend + dshare * extra_pub

    d = None
    if want_rates:
        d = _flows(
            t,
            s,
            X,
            c,
            (
                wa,
                E_cap,
                Ys_p,
                Ys_s,
                Ys_t,
                Cap_s,
                Cap_t,
                Y_si,
                I_c,
                fai_p,
                fai_s,
                fai_t,
                fai_h,
                fai_pub,
                xi_fai,
                gdp_real,
                D_star,
                n_ps,
                n_ss,
                n_ts,
                rd,
                z,
                ln_z,
                ln_zs,
                revenue,
                TR,
                LR,
                spend,
                E,
                u,
                P_t,
                Y_tm,
                n_p,
                n_ind,
                n_con,
                shortfall - release,
                pool_plan * (1.0 - real_ratio) - real_ratio * bp_release,
            ),
        )
    if not want_aux:
        return d, None

    # --- reported quantities (annualised by the engine) ----------------------------------
    DI = DI_star + dDI_o + loop_w * (P_t * Y_tm - n_ts)
    C = a_c * (DI_star + psi * (DI - DI_star))
    scale = E / E_raw
    aux = {
        "va_primary_real": Y_p, "va_industry_real": Y_ind, "va_construction_real": Y_con,
        "va_tertiary_real": Y_t,
        "va_primary": n_p, "va_industry": n_ind, "va_construction": n_con, "va_tertiary": n_t,
        "gdp_potential_real": Y_cap + Y_con_n,
        "fai": fai, **dict(zip(FAI_NAMES, fai_cat, strict=True)),
        "pool_investment": pool_all - pool_pub + pool_done * k_inv_dshare,
        "public_investment": (fai_pub[0] + fai_pub[1] + fai_pub[2] + fai_pub[3] + fai_pub[4]),
        "fiscal_revenue": revenue, "transfers_from_above": TR, "land_revenue": LR,
        "fiscal_expenditure": spend,
        "population": POP, "labour_force": LF, "employment": E,
        "employment_primary": L_p * scale, "employment_secondary": (L_s + L_c + L_k) * scale,
        "employment_tertiary": L_t * scale, "employment_construction": L_k * scale,
        "services_share_of_consumption_pct": ops.like(sig * 100.0, C),
        "retail_sales": k_lg * (1.0 - sig) * C + k_shop * V_act + R_o_act + voucher_spend,
        "household_consumption": C, "income_total": DI, "visitor_spending": V_act,
        "as_real": k_h0 * Y_si + VA_c,
        "industrial_va_above_scale": P_s * (k_h0 * Y_si + VA_c),
        "industrial_va_attracted": P_s * VA_c,
        "industrial_output_above_scale": P_s * (k_h0_gross * Y_si + k_inv_va_c * VA_c),
        "park_gross_output": P_s * (k_park_gross * Y_si + k_inv_va_c * VA_c),
        "enterprises_above_scale": s["N"] + s["N_a"],
        "cohort_va_real": VA_c, "firms_new": ops.like(X["firms_attracted"], VA_c),
        "rd_intensity_pct": ops.like(rd * 100.0, Y_p),
        "capital_primary": K_p, "capital_industry": K_s, "capital_tertiary": K_t,
        "capital_housing": H, "capital_public": G,
        "tfp_primary": s["A_p"] * k_inv_A0[0], "tfp_industry": s["A_s"] * k_inv_A0[1],
        "tfp_tertiary": s["A_t"] * k_inv_A0[2],
    }  # fmt: skip
    return d, aux


def _flows(t, s, X, c, q) -> dict:
    """The derivatives of the stocks, from the quantities :func:`rates` has formed."""
    # every constant this function reads, in one unpacking (see CONSTANTS_FLOWS)
    (
        k_alpha,
        k_be_con,
        k_beta,
        k_d0,
        k_d_s0,
        k_dep,
        k_dep_g,
        k_dep_h,
        k_dep_k,
        k_entry,
        k_entry_el,
        k_eps_k,
        k_eta,
        k_exit,
        k_exit_a,
        k_g_A,
        k_g_ext,
        k_g_tr,
        k_g_v,
        k_g_xg,
        k_g_xr,
        k_gamma,
        k_inv_Yinc_ref,
        k_inv_gap_time,
        k_inv_gest,
        k_inv_inc_ref,
        k_inv_perc,
        k_inv_prod_avg,
        k_inv_prod_ref,
        k_inv_realloc,
        k_inv_z_time,
        k_k_f,
        k_m0,
        k_nat_inc,
        k_phiK,
        k_pull,
        k_r_e,
        k_s_ref,
        k_sigma,
        k_th_a,
        k_th_u,
        k_w_cons,
        k_w_goods,
        k_wa_trend,
    ) = c["_flows"]  # fmt: skip
    (
        wa,
        E_cap,
        Ys_p,
        Ys_s,
        Ys_t,
        Cap_s,
        Cap_t,
        Y_si,
        I_c,
        fai_p,
        fai_s,
        fai_t,
        fai_h,
        fai_pub,
        xi_fai,
        gdp_real,
        D_star,
        n_ps,
        n_ss,
        n_ts,
        rd,
        z,
        ln_z,
        ln_zs,
        revenue,
        TR,
        LR,
        spend,
        E,
        u,
        P_t,
        Y_tm,
        n_p,
        n_ind,
        n_con,
        d_b,
        d_bp,
    ) = q  # fmt: skip
    shock = X.get
    log, exp, maximum, minimum = c["fns"]
    dep, dep_h, dep_g = k_dep, k_dep_h, k_dep_g
    s_p, s_s, s_t = s["s_p"], s["s_s"], s["s_t"]

    # Capital: normal investment, pool deviations and extra projects (capital formation)
    th_a, th_u = k_th_a, k_th_u
    cf = k_phiK / s["P_I"]
    pub = fai_pub[0] + fai_pub[1] + fai_pub[2] + fai_pub[3] + fai_pub[4]
    inv_p, inv_s, inv_t, inv_h = fai_p, fai_s, fai_t, fai_h
    if X["_extra"]:
        ex = [X[k] for k in EXTRA]
        inv_p = inv_p + th_a * ex[1]
        inv_s = inv_s + ex[3]
        inv_t = inv_t + ex[4]
        inv_h = inv_h + th_u * ex[5]
        pub = pub + ex[0] + (1.0 - th_a) * ex[1] + ex[2] + (1.0 - th_u) * ex[5] + ex[6]
    if xi_fai is not None:
        cf = cf * xi_fai
        I_cx = I_c * xi_fai
    else:
        I_cx = I_c
    d = {
        "K_p": cf * inv_p - dep * s["K_p"],
        # The cohort's capital comes out of industrial capital formation: the part of it
        # inside the pool's industry projects is in the incumbents' normal investment.
        "K_s": cf * inv_s - I_cx - dep * s["K_s"],
        "K_t": cf * inv_t - dep * s["K_t"],
        "H": cf * inv_h - dep_h * s["H"],
        "G": cf * pub - dep_g * s["G"],
        "A_p": k_g_A[0] * s["A_p"],
        "A_s": k_g_A[1] * s["A_s"],
        "A_t": k_g_A[2] * s["A_t"],
    }

    # R&D: spending passes a gestation pipeline into a depreciating knowledge stock
    rd_flow = s["RP"] * k_inv_gest
    d["RP"] = rd * gdp_real - rd_flow
    d["KN"] = rd_flow - k_dep_k * s["KN"]

    # Labour reallocation: toward sectors whose output per natural worker rises relative to
    # the average since the reference year, and toward services under demand pressure.
    inv_E = 1.0 / E_cap
    avg = (n_ps + n_ss + n_ts) * inv_E * k_inv_prod_avg
    r_p = n_ps * inv_E / s_p * k_inv_prod_ref[0] / avg
    r_s = n_ss * inv_E / s_s * k_inv_prod_ref[1] / avg
    r_t = n_ts * inv_E / s_t * k_inv_prod_ref[2] / avg
    sig, ref = k_sigma, k_s_ref
    raw_p = ref[0] * exp(sig * log(r_p))
    raw_s = ref[1] * exp(sig * log(r_s) + k_pull * ln_zs)
    raw_t = ref[2] * exp(sig * log(r_t) + k_pull * ln_z)
    total = raw_p + raw_s + raw_t
    tt = raw_t / total
    tt_new = minimum(maximum(tt + X["tertiary_shift"], 0.01), 0.98)
    rest = (1.0 - tt_new) / (total - raw_t)
    inv_tau = k_inv_realloc
    d["s_p"] = (raw_p * rest - s_p) * inv_tau
    d["s_s"] = (raw_s * rest - s_s) * inv_tau
    d["s_t"] = (tt_new - s_t) * inv_tau

    # Population: Harris-Todaro migration on expected income (real wage times the chance of
    # a job) relative to the neighbours'; natural increase.
    mig = k_m0 + k_eta * (s["RI"] - 1.0) + X["net_migration_policy"]
    W = k_beta[0] * n_p + k_beta[1] * n_ind + k_be_con * n_con + k_beta[2] * P_t * Y_tm
    P_C = k_w_cons * P_t + k_w_goods * s["P_s"]
    expected = W / (E * P_C) * (1.0 - u) * k_inv_inc_ref
    d["REF"] = X["siphon_rate"] * s["REF"]
    d["RI"] = (expected / s["REF"] - s["RI"]) * k_inv_perc
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
    d["g_e"] = k_r_e * (g_pot - s["g_e"])

    # The trough closes; services demand pressure is perceived with a delay
    d["TG"] = -s["TG"] * k_inv_gap_time
    d["z"] = (D_star / (k_d0 * P_t * Cap_t) - z) * k_inv_z_time
    d["z_s"] = (s["XG"] / (k_d_s0 * Cap_s) - s["z_s"]) * k_inv_z_time

    # Above-scale firms: incumbents cross the threshold as industry grows, and exit; the
    # attracted cohort arrives, commits its investment, builds its plants
    firms = X["firms_attracted"]
    entry = k_entry * exp(k_entry_el * log(maximum(Y_si * k_inv_Yinc_ref, 1e-12)))
    if X["_shock"]:
        entry = ops.times(entry, shock("shock_enterprise_entry"))
    d["N"] = entry - k_exit * s["N"]
    no_firms = "firms_attracted" in X["_z"]
    d["N_a"] = -k_exit_a * s["N_a"] if no_firms else firms - k_exit_a * s["N_a"]
    d["PC"] = -I_c if no_firms else k_k_f * firms - I_c
    d["K_c"] = I_c - dep * s["K_c"]

    # Prices, visitors, other non-resident shoppers, transfers per resident
    d["P_p"] = X["inflation_primary"] * s["P_p"]
    d["P_s"] = X["inflation_secondary"] * s["P_s"]
    d["P_t"] = X["inflation_tertiary"] * P_t
    d["P_I"] = X["inflation_investment"] * s["P_I"]
    d["V"] = (k_g_v + X["tourism_growth"]) * s["V"]
    d["R_o"] = k_g_ext * s["R_o"]
    d["XR"] = k_g_xr * s["XR"]
    d["XG"] = k_g_xg * s["XG"]
    d["TRP"] = k_g_tr * s["TRP"]

    # Government: debt is the cumulated deficit; public projects it cannot pay wait
    d["D"] = spend - (revenue + TR + LR)
    d["B"] = d_b
    d["BP"] = d_bp
    return d


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
    urban = (a["employment_secondary"] + a["employment_tertiary"]) * 1e4  # persons
    rise = np.zeros_like(urban)
    rise[1:] = np.maximum(np.diff(urban, axis=0), 0.0)
    jobs = c["turnover"] * urban + rise
    out["new_urban_jobs"] = jobs
    out["new_urban_jobs_cumulative"] = np.cumsum(jobs, axis=0) - jobs[0]
    out["gdp_per_capita"] = gdp / a["population"] * 1e4
    out["disposable_income_per_capita"] = a["income_total"] / a["population"] * 1e4
    balance = (
        a["fiscal_revenue"] + a["transfers_from_above"] + a["land_revenue"]
        - a["fiscal_expenditure"]
    )  # fmt: skip
    out["fiscal_balance"] = balance
    later = c["D0"] - np.cumsum(balance[1:], axis=0)  # end-of-year debt after the start
    first = np.broadcast_to(c["D0"] + 0.0 * balance[:1], (1,) + later.shape[1:])
    out["government_debt"] = np.concatenate((first, later))
    for k in HIDDEN:
        out.pop(k)
    return out


#: Reported quantities that only feed indicators (not indicators themselves).
HIDDEN = (
    "income_total", "as_real", "va_industry_real", "va_construction_real",
    "cohort_va_real", "firms_new",
)  # fmt: skip


@lru_cache(maxsize=16)
def quantities_for(indicators: tuple[str, ...], names: tuple[str, ...]) -> frozenset[str]:
    """The reported quantities (of ``names``, the keys of ``aux``) that the given indicators
    of :func:`annual_indicators` are formed from.

    Found by letting a NaN in each quantity through :func:`annual_indicators` (every
    indicator is arithmetic on the annual means, so a NaN reaches exactly the indicators
    formed from that quantity); ensembles that keep a few indicators accumulate only these.
    """
    c = {"turnover": 0.1, "new_firm_va": 0.1, "emp_nat": 0.97, "D0": 1.0}
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
