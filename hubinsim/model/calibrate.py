"""Calibration: constants and initial stocks from a start record and the parameters.

Every start-year output of :func:`hubinsim.model.core.rates` equals its figure in the record
(to rounding): TFP levels, the construction coefficient, the share of FAI that forms capital,
the income and consumption propensities, the natural rate of unemployment, the government's
current spending and the other *level constants* are solved from the figures. Stocks the
record lacks are set by the default rules of :mod:`hubinsim.model.record` (capital from
capital-output ratios, a balanced-growth start, the 2020 trough closed since 2020...).
*Reference constants* (what relative indices are measured against) are the start year's own
values unless the record carries them, as a record made from a run does, so that a run
restarted from its own record continues the same path.

Numbers are arrays of shape (members,) or Python floats; the arithmetic is the same.
"""

from __future__ import annotations

import math

import numpy as np

from ..catalog import POOL_CATEGORIES
from ..errors import StartRecordError
from . import ops
from .core import (
    PD_STOCKS,
    PUBLIC_CATEGORIES,
    housing_investment,
    land_revenue,
    net_migration,
    public_shares,
    wage_premium,
)
from .inputs import PLAN_YEARS
from .record import initial_output_gap, value_added

#: Least share of comprehensive revenue that current spending takes at the start (default
#: rule for a record without a fiscal balance; docs/model.md).
CS_FLOOR = 0.4

#: Least share of public investment the district pays where the start record's budget
#: leaves less room for it (district_share): below it, current spending's floor gives way.
DISTRICT_SHARE_MIN = 0.05

#: Time over which a district spends net assets (a debt below zero) on current programmes
#: [yr]: budgets are annual, and a district does not pile up deposits of a year's spending.
ASSET_SPENDING_TIME = 1.0

#: The key of a 2020 start record that carries a scenario's change of
#: investment.return_decline (run.single; the start year is calibrated without it).
RET_SHIFT = "_return_decline_shift"

#: Most land revenue per yuan of start-year housing and urban-construction investment that
#: land sold for housing carries (nationally 0.6 in 2020, fiscal.land_revenue_ratio 0.3-0.9):
#: where the model's start-year housing investment is smaller than the record's land
#: revenue over this ratio (parameters that make housing demand shrink faster than the
#: stock wears out, so that gross housing investment is nil), the rest is land sold for
#: other uses, held at its start value (docs/model.md, the government account).
LAND_RATIO_MAX = 2.0

#: Iterations of the start-year fixed point (services capacity, local demand deviation,
#: income and consumption propensities); the loop gain is below 0.2, so 60 passes reach
#: machine precision.
FIXED_POINT_PASSES = 60
#: Periods looked for in the passes' values: once every member repeats its values with one
#: of these periods (a member at its fixed point repeats with period 1; some alternate in
#: the last bit), the value of every later pass is known, and only the last is made.
PERIODS = (1, 2, 3, 4, 6, 12)


def _last_pass_input(seq: list, passes: int):
    """The value the last of ``passes`` passes starts from, if the values so far
    (``seq[j]``, what pass j starts from) have become periodic for every member, bit for
    bit; else None.

    If ``seq[m] == seq[m - L]`` for every member, every later pass repeats the pass L before
    it, so ``seq[i] = seq[m - L + (i - m + L) % L]`` for i >= m - L: the last pass can be made
    at once, with the numbers that the passes in between would have given. A NaN never
    repeats, so a member with one takes every pass, as before.
    """
    m = len(seq) - 1
    for period in PERIODS:
        i = m - period
        if i < 0:
            break
        new, old = seq[m], seq[i]
        same = new == old if new.__class__ is float else np.array_equal(new, old)
        if same:
            return seq[i + (passes - 1 - i) % period]
    return None


#: Constants that are parameters as they are: name in the constants -> parameter.
DIRECT: dict[str, str] = {
    "be_con": "production.construction_labour_share",
    "gamma": "production.gamma_public",
    "r_h": "housing.service_yield",
    "dep": "capital.depreciation",
    "dep_h": "capital.depreciation_housing",
    "dep_g": "capital.depreciation_public",
    "th_a": "capital.agriculture_to_primary",
    "th_u": "capital.urban_to_housing",
    "addl": "investment.additionality",
    "h_resp": "housing.investment_response",
    "pool_max": "investment.pool_max_share",
    "adj": "investment.adjustment_rate",
    "adj_g": "investment.public_adjustment_rate",
    "ret_decline": "investment.return_decline",
    "pull": "services.demand_pull",
    "theta": "services.demand_utilisation",
    "kap_price": "services.price_response",
    "eta_t": "services.price_elasticity",
    "w_p": "fiscal.weight_primary",
    "w_s": "fiscal.weight_secondary",
    "buoy": "fiscal.buoyancy",
    "relief_hh": "fiscal.relief_to_households",
    "relief_comp": "fiscal.relief_compensation",
    "i_d": "fiscal.interest_rate",
    "d_max": "fiscal.debt_limit",
    "dshare": "fiscal.district_share",
    "m_g": "fiscal.public_services_va",
    "g_tr": "fiscal.transfer_growth",
    "rd_gov": "innovation.government_share",
    "dep_k": "innovation.knowledge_depreciation",
    "k_f": "industry.investment_per_firm",
    "overlap": "industry.pool_overlap",
    "entry": "industry.entry_base",
    "entry_el": "industry.entry_output_elasticity",
    "exit": "industry.exit_rate",
    "exit_a": "industry.cohort_exit_rate",
    "mat": "demand.local_materials",
    "m_p": "demand.producer_services",
    "k_c": "consumption.trough_sensitivity",
    "psi": "consumption.income_response",
    "th_v": "consumption.visitor_trough",
    "mu": "consumption.voucher_multiplier",
    "m_v": "consumption.visitor_va_ratio",
    "m_t": "consumption.trade_margin",
    "lg": "consumption.local_share_goods",
    "shop": "consumption.visitor_shopping_share",
    "g_v": "consumption.visitor_growth",
    "g_ext": "consumption.external_growth",
    "eps_h": "consumption.housing_income_elasticity",
    "eps_land": "housing.land_price_elasticity",
    "el_land": "fiscal.land_revenue_elasticity",
    "okun": "labour.okun",
    "chi": "labour.participation_response",
    "ls_max": "labour.commuting_limit",
    "tight": "labour.tight_market_gap",
    "w_vac": "labour.vacancy_wage_response",
    "fill_el": "labour.shortage_output",
    "sigma": "labour.reallocation_elasticity",
    "turnover": "labour.turnover",
    "cf": "investment.cash_flow_sensitivity",
    "wa_trend": "labour.working_age_trend",
    "m0": "population.base_migration",
    "eta": "population.migration_elasticity",
    "r_e": "growth.expectation_rate",
}

#: Constants that are the inverse of a parameter (a rate from a time, or a ratio).
INVERSE: dict[str, str] = {
    "inv_z_time": "services.perception_time",
    "inv_build": "industry.build_time",
    "inv_va_c": "industry.cohort_va_ratio",
    "inv_pi_c": "industry.cohort_va_per_worker",
    "inv_borrow": "fiscal.borrowing_time",
    "inv_backlog": "fiscal.backlog_time",
    "inv_ls": "labour.supply_time",
    "inv_dshare": "fiscal.district_share",
    "inv_gest": "innovation.gestation",
    "inv_deliv": "investment.delivery_time",
    "inv_budget": "fiscal.budget_smoothing_time",
    "inv_realloc": "labour.reallocation_time",
    "inv_perc": "population.perception_time",
    "inv_gap_time": "growth.trough_closing_time",
    "inv_fill": "labour.shortage_time",
    "inv_hoard": "labour.hoarding_time",
    "inv_recall": "labour.recall_time",
}


def new_firm_capital_share(build_time: float) -> float:
    """Mean capital, over the year of their arrival, of firms arriving evenly through a year,
    as a share of their committed investment (first-order build-up with ``build_time``):
    the integral over t in [0, 1] of (t - tau (1 - exp(-t / tau))), i.e.
    1/2 - tau + tau^2 (1 - exp(-1/tau))."""
    tau = build_time
    decay = np.exp(-1.0 / tau) if isinstance(tau, np.ndarray) else math.exp(-1.0 / tau)
    return 0.5 - tau + tau * tau * (1.0 - decay)


def _at_start(x0: dict, name: str, default: float = 0.0):
    """Input ``name`` at the start point, ``default`` where the inputs lack it."""
    v = x0.get(name)
    return default if v is None else v


def start_policies(x0: dict, p: dict) -> dict:
    """What the scenario's policies in force at the start point add to the start year's
    figures, so that the calibration takes the figures net of them (docs/model.md §13).

    A start year after 2020 is a year of the scenario: its pool deviations, extra projects,
    vouchers, tax relief and shocks act from the start point, and the record's figures hold
    what they did then. The level constants (current spending, non-resident shoppers, the
    FAI that forms capital, potential output...) are solved from the figures net of those
    policies, so that a run restarted from a run's own record continues that run, and a
    voucher of the start year does not become a permanent non-resident shopper. In the
    default start (2020, the data) every term is zero or one. The pool's deviation from its
    usual pace reaches investment through the stocks PD_<category>, which the record
    carries (the calibration reads them there). Assumed: firms' finance does not limit a
    shock to investment at the start point.
    """
    flags = x0.get("_z", frozenset())
    th_a, th_u = p["capital.agriculture_to_primary"], p["capital.urban_to_housing"]
    out: dict = {}
    out["shock"] = {k[6:]: v for k, v in x0.items() if k.startswith("shock_")}
    out["relief"] = None if "tax_relief" in flags else _at_start(x0, "tax_relief")
    if out["relief"] is not None and not np.any(out["relief"]):
        out["relief"] = None
    vouchers = _at_start(x0, "vouchers")
    out["vouchers"] = vouchers if np.any(vouchers) else 0.0
    extra = None
    if x0.get("_extra", False):
        agr, urb = x0["extra_agriculture"], x0["extra_urban"]
        extra = {
            "total": x0["extra_total"],
            "public": x0["extra_fixedpub"] + (1.0 - th_a) * agr + (1.0 - th_u) * urb,
        }
    out["extra"] = extra
    return out


def district_share(c: dict, trv0, D0, balance, other0, B0, asked0) -> None:
    """The district's share of public investment as the start record shows it paid (in
    ``c["dshare"]`` and ``c["inv_dshare"]``; docs/model.md §4).

    The record's budget (comprehensive revenue ``trv0``, debt ``D0``, ``balance``) leaves
    for public investment what current spending at its floor (CS_FLOOR of comprehensive
    revenue), interest, R&D subsidies and vouchers (``other0``) and the backlog released
    (``B0``) do not take. Where the drawn share of the start year's public investment
    (``asked0``: normal, the pool's deviation, extra public projects) is more than that, the
    district paid only that, the rest financed from above (project transfers, special
    bonds), and the share is that room over ``asked0`` (at least DISTRICT_SHARE_MIN) for the
    whole run; elsewhere the drawn share stands, to the last bit, and so it does where the
    record has a public backlog (``B0`` > 0).
    """
    room0 = (
        (1.0 - CS_FLOOR) * trv0 - c["i_d"] * ops.maximum(D0, 0.0) - balance - other0
        - B0 * c["inv_backlog"]
    )  # fmt: skip
    # (a record with a public backlog keeps the drawn share: the backlog is district money,
    # and the investment its release is read as, B / share, entered normal FAI already)
    over = (c["dshare"] * asked0 > room0) & (B0 == 0.0)
    if not np.any(over):
        return
    fit = ops.maximum(room0 / ops.maximum(asked0, 1e-300), DISTRICT_SHARE_MIN)
    c["dshare_fit"] = _where(over, fit / c["dshare"], 1.0)
    c["dshare"] = _where(over, fit, c["dshare"])
    c["inv_dshare"] = _where(over, 1.0 / fit, c["inv_dshare"])


def _own_posts(posts, tight, LF0, E0, u_nat):
    """Where the posts offered a record made from a run carries (``labour_demand``) give back
    its employment through the matching of core.rates with the gap ``tight`` (to 1e-12):
    False without posts, else a bool or an array of them over the members."""
    if posts is None:
        return False
    E_n, gap = (1.0 - u_nat) * LF0, tight * LF0
    x = np.minimum((posts - E_n) * (2.0 / gap), 40.0)
    E = np.minimum(posts, E_n + gap - 2.0 * gap / (np.exp(x) + 1.0))
    return np.abs(E - E0) <= 1e-12 * np.abs(E0)


def _where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b`` (floats stay floats)."""
    if np.ndim(condition) == 0:
        return a if condition else b
    return np.where(condition, a, b)


def _refuse(bad, t0: int, figures: tuple[str, ...], why) -> None:
    """Raise StartRecordError where ``bad`` (a bool, or an array over members) holds: the
    start record's ``figures`` cannot start the model; ``why(i, lang)`` says why for member
    ``i`` (None for a single run) in ``lang`` ("en", "zh"), beginning with the figure and
    its value."""
    if bad is False:  # (a single run's comparison of floats)
        return
    flags = np.asarray(bad)
    if not flags.any():
        return
    member = None if flags.ndim == 0 else int(np.flatnonzero(flags)[0])
    reasons = {lang: why(member, lang) for lang in ("en", "zh")}
    raise StartRecordError(figures=figures, year=t0, member=member, reasons=reasons)


def _at(value, member):
    """A value of a member (or the value of a single run) as a float, for messages."""
    return float(value if member is None or np.ndim(value) == 0 else value[member])


def _differs(value, constant: float) -> bool:
    """Whether an input (a float or an array over members) differs from ``constant``."""
    if value.__class__ is float:
        return value != constant
    return bool(np.any(np.asarray(value) != constant))


#: Most passes of the calibration when the debt limit holds public investment back at the
#: start (each pass a whole calibration; they converge geometrically, to 1e-13 in about 20).
CONSTRAINED_PASSES = 60


def debt_limit(c: dict, borrow_rate):
    """fiscal.debt_limit, or the limit the start year needs if higher: borrowing at
    ``borrow_rate`` (1 / fiscal.borrowing_time, or its stepped value, see model.run) covers
    what the start year borrowed, with the margins of the rounded corners of core.rates
    (capital spending 5 % within what money allows, borrowing room beyond 5 % of the
    comprehensive revenue)."""
    D0, need, trv0 = c["_limit0"]
    room = need / borrow_rate
    room = np.where(room > 0.0, ops.maximum(room, 0.05 * trv0), room)
    room = float(room) if np.ndim(room) == 0 else room
    return ops.maximum(c["d_max_param"], (D0 + room) / trv0)


def step_rate(g, step: float):
    """The rate at which an Euler step of ``step`` years moves a stock growing (or decaying)
    at rate ``g`` exactly: (exp(g step) - 1) / step (exponential Euler); ``g`` itself for
    ``step`` 0 (RK4)."""
    if not step:
        return g
    return (np.expm1(g * step) if isinstance(g, np.ndarray) else math.expm1(g * step)) / step


def budget_target_rate(k, g, step: float):
    """The weight of the target in an Euler step of ``dx/dt = k (target - x)`` that steps
    ``x`` exactly while the target grows at rate ``g`` (with ``x`` at the rate
    :func:`step_rate` gives): k (e^(g h) - e^(-k h)) / ((g + k) h); ``k`` for ``step`` 0."""
    if not step:
        return k * (g * 0.0 + 1.0)
    e = np.exp if isinstance(g, np.ndarray) or isinstance(k, np.ndarray) else math.exp
    return k * (e(g * step) - e(-k * step)) / ((g + k) * step)


def calibrate(
    record: dict, pool: dict, p: dict, x0: dict, t0: int, step: float = 0.0
) -> tuple[dict, dict]:
    """Constants ``c`` and initial stocks for a run starting at ``t0`` from ``record``.

    Parameters
    ----------
    record : dict
        Start-year figures, stocks and references by name (:mod:`hubinsim.model.record`).
    pool : dict
        Total investment of each project-pool category [亿元] (its public part sets the mix
        of public investment over the pool's public categories).
    p : dict
        Structural parameters (arrays of shape (members,) or floats).
    x0 : dict
        The exogenous inputs at the start (first row of the half grid): levers at their
        start-year (business-as-usual) values.
    t0 : int
        The start year.
    step : float
        The Euler step [yr] (0 for RK4). Euler moves the stocks that grow at a given rate
        (TFP, prices, transfers, outside demand) and the linear first-order adjustments
        (the trough, perceptions, delivery, borrowing, the backlog, the budget) at the
        rates that step them exactly (:func:`step_rate`), so that the step does not bias
        them (docs/model.md §1).
    """
    c, state, info = _calibrate(record, pool, p, x0, t0, step, None)
    if not info["constrained"]:
        return c, state
    # Public investment at the start was held back by the debt limit (a record made from a
    # run in which public projects wait for money): how much was built and the normal FAI
    # depend on each other; iterate the calibration on them.
    for _ in range(CONSTRAINED_PASSES):
        before = info
        c, state, info = _calibrate(record, pool, p, x0, t0, step, before)
        change = max(
            np.max(np.abs(np.asarray(info[k]) / np.asarray(before[k]) - 1.0))
            for k in ("fai_n", "built", "kappa")
        )
        if change < 1e-15:
            break
    return c, state


def _calibrate(
    record: dict, pool: dict, p: dict, x0: dict, t0: int, step: float, prior: dict | None
):
    """One pass of :func:`calibrate`: the constants, the stocks, and what the next pass needs
    when the debt limit holds public investment back at the start (``prior``: the normal
    FAI and the share of public investment built, from the pass before)."""
    r = record
    dep = p["capital.depreciation"]
    ones = np.ones_like(dep, dtype=float) if isinstance(dep, np.ndarray) else 1.0
    get = r.get
    log, exp = ops.log, ops.exp
    c: dict = {"t0": float(t0)}

    # Parameters used as they are, or as rates (1 / a time), then what is derived from them
    c.update({k: p[name] for k, name in DIRECT.items()})
    c.update({k: 1.0 / p[name] for k, name in INVERSE.items()})
    d_fit = get("ref_district_share_fit", None)
    if d_fit is not None:  # the run's fit of the district share (district_share), kept by a
        # restart: fiscal.district_share times it (1 where the drawn share fitted)
        d_ref = c["dshare"] * d_fit
        c.update(dshare=d_ref * ones, inv_dshare=1.0 / (d_ref * ones))
    c["dshare_fit"] = 1.0 if d_fit is None else d_fit
    c["h_step"] = step
    # a scenario's own change of the return decline, from the first projection year
    # (build_inputs' ret_shift; the record of a run needs it)
    c["ret_shift"] = r.get(RET_SHIFT, 0.0)
    # first-order adjustments: the rates that step them exactly (the continuous rates are
    # kept where a closed form uses them: the trough in the labour force)
    for k, rate in (("gap", "inv_gap_time"), ("perc", "inv_perc"), ("r_e", "r_e"),
                    ("realloc", "inv_realloc"), ("z", "inv_z_time"),
                    ("budget", "inv_budget"), ("fill", "inv_fill"),
                    ("hoard", "inv_hoard"), ("recall", "inv_recall")):  # fmt: skip
        c["etd_" + k] = -step_rate(-c[rate], step)
    # net assets are spent within ASSET_SPENDING_TIME (core.rates)
    c["etd_assets"] = -step_rate(-1.0 / ASSET_SPENDING_TIME, step)
    # The committed plants are stepped exactly with the step's commitments: what leaves
    # PC over a step, per year, is PC at the stepped rate plus the part of the step's
    # commitments built within it, 1 - (stepped rate / rate) of them (core.rates).
    build_rate = -step_rate(-c["inv_build"], step)
    c["k_f_in"] = c["k_f"] * (1.0 - build_rate / c["inv_build"])
    c["inv_build"] = build_rate
    # (and the investment that closes a share of the gap between desired and actual capital:
    # the stocks move to their desired levels as in continuous time after a jump of demand,
    # a housing-demand shock say)
    for k in ("inv_deliv", "inv_borrow", "inv_backlog", "adj", "adj_g"):
        c[k] = -step_rate(-c[k], step)
    al = tuple(p[f"production.alpha_{x}"] for x in ("primary", "industry", "tertiary"))
    be = tuple(1.0 - a for a in al)
    c.update(alpha=al, beta=be)
    c["ret_adj"] = c["ret_decline"] + c["adj"]
    c.update(dep_adj=dep - c["adj"])
    c["dep_g_adj"] = c["dep_g"] - c["adj_g"]
    c["rd_priv"] = 1.0 - c["rd_gov"]
    c["relief_firms"] = 1.0 - c["relief_hh"]
    c["va_per_kc"] = p["industry.cohort_va_ratio"] / p["industry.cohort_capital_output"]
    c.update(pub_a=1.0 - c["th_a"], pub_u=1.0 - c["th_u"])  # public parts of those projects
    shares = public_shares(p)
    c["pub_share"] = shares
    c["pool_pub_share"] = tuple(shares[cat] for cat in POOL_CATEGORIES)
    c["ls_ms"] = p["consumption.local_share_services"] * p["consumption.services_va_ratio"]
    c["lg_mt"] = c["lg"] * c["m_t"]
    c["eps_s1"] = p["consumption.services_income_elasticity"] - 1.0
    c["g_A"] = tuple(p[f"tfp.growth_{x}"] for x in ("primary", "industry", "tertiary"))
    c["sg_A"] = tuple(step_rate(g, step) for g in c["g_A"])
    m_max = p["population.migration_limit"]
    c["mig"] = (c["m0"] + m_max, 2.0 * m_max, 2.0 * c["eta"] / m_max)
    c["nat_inc"] = p["population.birth_rate"] - p["population.death_rate"]
    c["g_xr"] = p["consumption.services_income_elasticity"] * p["services.regional_growth"]
    c["g_xg"] = p["consumption.goods_income_elasticity"] * p["services.regional_growth"]
    for k in ("ext", "tr", "xg", "xr"):
        c["sg_" + k] = step_rate(c["g_" + k], step)
    build = p["industry.build_time"]
    c["new_firm_va"] = c["va_per_kc"] * c["k_f"] * new_firm_capital_share(build)

    # --- figures of the start year -------------------------------------------------------
    P_p, P_s, P_t, P_I = (
        get(k, 1.0)
        for k in ("price_primary", "price_secondary", "price_tertiary", "price_investment")
    )
    gdp = r["gdp"]
    va0 = value_added(r)
    n_p0, n_sec0, n_t0 = va0["primary"], va0["secondary"], va0["tertiary"]
    _refuse(
        n_sec0 <= 0.0, t0, ("gdp", "va_tertiary", "share_primary_pct"),
        lambda i, lang: f"gdp {_at(gdp, i):.4g} 亿元 减去第一产业({_at(n_p0, i):.4g})和"
        f"第三产业({_at(n_t0, i):.4g})增加值后,第二产业增加值不为正;请核对 gdp 和 "
        "va_tertiary 的单位和年份"
        if lang == "zh"
        else f"gdp {_at(gdp, i):.4g} 亿元 less its primary ({_at(n_p0, i):.4g}) and "
        f"tertiary ({_at(n_t0, i):.4g}) value added leaves no secondary value added; check "
        "the unit and year of gdp and va_tertiary",
    )  # fmt: skip
    n_con0, n_ind0 = va0["construction"], va0["industry"]
    pop0 = r["population"]
    wa0, part = r["working_age_share"], r["participation_rate"]
    c.update(wa0=wa0, part=part)
    LF0 = pop0 * wa0 * part
    u0 = r["unemployment_rate_pct"] / 100.0
    E0 = LF0 * (1.0 - u0)
    # Employment is the jobs filled: where unemployment is below its natural rate, the
    # labour demand behind it (filled and vacant posts) is found by inverting the matching
    # of core.rates, E = E_n + gap tanh((E_d - E_n) / gap) (docs/model.md §6).
    # A record further below u* than labour.tight_market_gap lets unemployment fall is data:
    # that run's gap is widened to the record's own fall over 0.95. A record made from a run
    # carries that widening (0 where the parameter sufficed: a restart's own parameter
    # applies, narrower or wider) and its posts: where they give back the record's
    # employment, the run is continued, neither inverted (which loses precision near the
    # floor) nor widened.
    u_nat = p["labour.natural_unemployment"]
    param_tight = c["tight"]
    tight = np.maximum(param_tight, get("ref_tight_market_gap", 0.0))
    posts = get("labour_demand", None)
    own = _own_posts(posts, tight, LF0, E0, u_nat)
    tight = np.where(own, tight, np.maximum(tight, (u_nat - u0) / 0.95))
    with np.errstate(divide="ignore", invalid="ignore"):  # (not taken where own)
        v0 = np.maximum(u_nat - u0, 0.0) / tight
        E_d0 = E0 + LF0 * tight * (np.arctanh(v0) - v0)  # (E0 itself where u0 >= u*)
    if np.any(own):
        E_d0 = np.where(own, posts, E_d0)
    widened = np.where(tight > param_tight, tight, 0.0)
    c["tight_widened"] = float(widened) if np.ndim(widened) == 0 else widened
    tight = c["tight"] = float(tight) if np.ndim(tight) == 0 else tight
    E_d0 = float(E_d0) if np.ndim(E_d0) == 0 else E_d0
    L_p0 = E_d0 * r["employment_share_primary"]
    L_sec0 = E_d0 * r["employment_share_secondary"]
    L_t0 = E_d0 * r["employment_share_tertiary"]
    L_con0 = L_sec0 * get("employment_share_construction", r["construction_share_of_secondary"])
    K_c0 = get("capital_cohort", 0.0) * ones
    VA_c0 = c["va_per_kc"] * K_c0
    L_c0 = VA_c0 * c["inv_pi_c"]
    L_s0 = L_sec0 - L_con0 - L_c0
    TG0 = get("output_gap", None)
    if TG0 is None:
        TG0 = initial_output_gap(p, t0)
    TG0 = TG0 * ones
    U0 = 1.0 - TG0
    # The policies in force at the start point (none in 2020): the figures are taken net
    # of what they add (start_policies).
    pol = start_policies(x0, p)
    shock = pol["shock"]
    extra = pol["extra"]
    xi_fai = shock.get("fai", 1.0)
    # Public projects waiting for money that are built in the start year are investment
    # beyond its normal level (back0, nominal), as are extra projects and the pool's
    # deviation from its usual pace delivered by the start year (the stocks PD_<category>):
    # they buy local materials and employ construction workers beyond its natural employment
    # (all 0 in the default start).
    B0 = get("public_backlog", 0.0) * ones
    back0 = B0 * c["inv_backlog"] * c["inv_dshare"]
    pd = {cat: get("pool_delivery_" + cat, 0.0) * ones for cat in POOL_CATEGORIES}
    pd_pub0 = (
        pd["social"] + pd["ecology"] + pd["transport"]
        + c["pub_a"] * pd["agriculture"] + c["pub_u"] * pd["urban"]
    )  # fmt: skip
    pd_total0 = sum(pd.values())
    fai0 = r["fai"]
    fai_n0 = fai0  # normal FAI: less extra projects, the shock, the backlog, the pool
    if extra is not None:
        fai_n0 = fai_n0 - xi_fai * extra["total"]
    if _differs(xi_fai, 1.0):
        fai_n0 = fai_n0 / xi_fai
    fai_x0 = fai_n0  # all but extra projects, before the shock
    fai_n0 = fai_n0 - back0 - pd_total0
    built = 1.0  # the share of public investment that money allowed at the start
    kappa = 1.0  # the share of normal public investment that money co-finances (core.rates)
    if prior is not None:
        fai_n0, built, kappa = prior["fai_n"], prior["built"], prior["kappa"]
    # The share of posts filled that firms perceive: that of the start year's figures,
    # employment over the posts offered (1 where unemployment is at or above its natural
    # rate), or the record's own where its posts are taken as they are (a record made from a
    # run, continued: not where actual figures replaced its employment). The record's output
    # and its potential output are those of the posts filled (core.rates): TFP is found for
    # the labour of the posts filled.
    F0 = E0 / E_d0 if np.any(u0 < u_nat) else 1.0
    F_rec = get("fill_rate", None)
    if F_rec is not None and np.any(own):
        F0 = np.where(own, F_rec, F0)
    F0 = _float(float(F0) if np.ndim(F0) == 0 else F0)
    # the attracted firms' plants produce in proportion to it (core.rates)
    ln_f0 = 0.0
    if not (F0.__class__ is float and F0 == 1.0):
        ln_f0 = c["fill_el"] * log(F0)
        VA_c0 = VA_c0 * exp(ln_f0)
    Y_p0, Y_si0 = n_p0 / P_p, n_ind0 / P_s - VA_c0
    _refuse(
        Y_si0 <= 0.0, t0, ("gdp", "va_tertiary", "construction_share_of_secondary"),
        lambda i, lang: f"工业增加值 {_at(n_ind0, i):.4g} 亿元(第二产业减去建筑业)不大于"
        f"引进企业自身的增加值({_at(VA_c0 * P_s, i):.4g});请核对 gdp、va_tertiary 和建筑业"
        "占第二产业的比重"
        if lang == "zh"
        else f"industry's value added {_at(n_ind0, i):.4g} 亿元 (secondary less "
        f"construction) is not more than the attracted firms' own ({_at(VA_c0 * P_s, i):.4g}); "
        "check gdp, va_tertiary and construction's share of secondary",
    )  # fmt: skip
    Ys_p0 = Y_p0 / U0 / shock.get("va_primary", 1.0)
    Ys_s0 = (Y_si0 - c["mat"] * (fai0 - fai_n0) / P_I) / U0 / shock.get("va_industry", 1.0)
    Y_con0 = n_con0 / P_s
    # building content of each pool category relative to the average (core.rates), less 1
    b_pub, b_eq = p["demand.building_content_public"], p["demand.building_content_equipment"]
    c["bcontent"] = tuple(
        {"social": b_pub, "ecology": b_pub, "transport": b_pub, "industry": b_eq,
         "services": 1.0, "agriculture": c["th_a"] + c["pub_a"] * b_pub,
         "urban": c["th_u"] + c["pub_u"] * b_pub}[cat] - 1.0
        for cat in POOL_CATEGORIES
    )  # fmt: skip
    fai_b0 = fai0 + sum(b * pd[cat] for b, cat in zip(c["bcontent"], POOL_CATEGORIES, strict=True))
    if extra is not None:
        fai_b0 = fai_b0 + sum(
            b * xi_fai * x0["extra_" + cat]
            for b, cat in zip(c["bcontent"], POOL_CATEGORIES, strict=True)
        )
    c["c_con"] = Y_con0 / (fai_b0 / P_I) / shock.get("va_construction", 1.0)
    Y_con_n0 = c["c_con"] * fai_n0 / P_I  # construction at normal investment
    c["w_cons"] = get("ref_consumer_services_weight", r["services_share_of_consumption"])
    c["w_goods"] = 1.0 - c["w_cons"]
    P_C = c["w_cons"] * P_t + c["w_goods"] * P_s
    DI0 = r["disposable_income_per_capita"] * pop0 * 1e-4
    C0 = r["consumption_propensity"] * DI0
    V_act0 = r["visitor_spending"]
    V0 = V_act0 / (1.0 - c["th_v"] * TG0) / shock.get("visitor_spending", 1.0)
    H_rec = get("capital_housing", None)
    sig = r["services_share_of_consumption"]
    # Non-resident shoppers: retail sales less residents' goods, visitors' shopping and what
    # vouchers bring in the start year.
    R_o_act0 = (
        r["retail_sales"] - c["lg"] * (1.0 - sig) * C0 - c["shop"] * V_act0
        - c["mu"] * pol["vouchers"]
    )  # fmt: skip
    _refuse(
        R_o_act0 < 0.0, t0, ("retail_sales",),
        lambda i, lang: f"retail_sales {r['retail_sales']:.4g} 亿元 低于按记录的收入、消费和"
        f"游客花费计算的居民、游客和消费券在本区的购买额({_at(r['retail_sales'] - R_o_act0, i):.4g}"
        " 亿元),使对其他非居民的销售额为负;请核对其单位和年份"
        if lang == "zh"
        else f"retail_sales {r['retail_sales']:.4g} 亿元 is below what residents, visitors "
        f"and vouchers buy in the district at the record's income, consumption and visitor "
        f"spending ({_at(r['retail_sales'] - R_o_act0, i):.4g} 亿元), which leaves sales to "
        "other non-residents below zero; check its unit and year",
    )  # fmt: skip
    R_o0 = R_o_act0 / shock.get("retail_external", 1.0)
    # Budget revenue before relief and shocks: revenue = exp(buoy ln TB + ln_R_TB)
    R0 = r["fiscal_revenue"]
    TB0 = p["fiscal.weight_primary"] * n_p0 + p["fiscal.weight_secondary"] * n_sec0 + n_t0
    relief = pol["relief"]
    R_pre0 = R0 / shock.get("fiscal_revenue", 1.0)
    if relief is not None:
        R_pre0 = R_pre0 / (1.0 - relief)
    c.update(R0=R0, inv_TB0=1.0 / TB0)
    c["ln_R_TB"] = log(R_pre0) - c["buoy"] * log(TB0)
    relief_amt0 = 0.0

    # --- services capacity and the local demand deviation at the start: a fixed point ----
    be_p, be_s, be_t = be
    be_con = c["be_con"]
    r_h = c["r_h"]
    Ys_t0 = (n_t0 / P_t) * ones
    # services demand not yet perceived, met by utilisation (core.rates); 1 at a balanced start
    surprise0 = get("services_demand_surprise", 1.0) * ones
    X0 = 0.0 * ones
    m_c = c["ls_ms"] * sig + c["lg_mt"] * (1.0 - sig)
    gap_c0 = P_s * (Y_con0 - Y_con_n0)
    gap_s0 = P_s * (Y_si0 - Ys_s0)
    dW_o = be_p * P_p * (Y_p0 - Ys_p0) + be_s * gap_s0 + be_con * gap_c0
    dVA_o = P_p * (Y_p0 - Ys_p0) + gap_s0 + gap_c0
    psi = c["psi"]
    sh_t = shock.get("va_tertiary", 1.0)
    dDI_p = 0.0  # households' income from the start year's tax relief
    # non-resident shoppers' spending against its normal level, and vouchers
    shopping = c["m_t"] * (R_o_act0 - R_o0 + c["mu"] * pol["vouchers"])
    seq, done = [Ys_t0], 0
    while done < FIXED_POINT_PASSES:
        if H_rec is None:
            kh = p["initial.housing_output"]
            H0 = kh * (Ys_p0 + Ys_s0 + Ys_t0 + VA_c0) / (1.0 - kh * r_h)
        else:
            H0 = H_rec * ones
        Y_tm0 = n_t0 / P_t - r_h * H0
        W0 = be_p * n_p0 + be_s * n_ind0 + be_con * n_con0 + be_t * P_t * Y_tm0
        if relief is None:
            d_w = DI0 / W0
        else:  # households' part of the relief is income beyond wages
            TB_star0 = (
                p["fiscal.weight_primary"] * P_p * Ys_p0
                + p["fiscal.weight_secondary"] * P_s * (Ys_s0 + VA_c0)
                + P_t * (Ys_t0 + r_h * H0)
            )
            relief_amt0 = relief * exp(c["buoy"] * log(TB_star0) + c["ln_R_TB"])
            dDI_p = c["relief_hh"] * relief_amt0
            d_w = (DI0 - dDI_p) / W0
        W_star0 = (
            be_p * P_p * Ys_p0
            + be_s * P_s * (Ys_s0 + VA_c0)
            + be_t * P_t * Ys_t0
            + be_con * P_s * Y_con_n0
        )
        DI_star0 = d_w * W_star0
        a_c0 = C0 / (DI_star0 + psi * (DI0 - DI_star0))
        apc_n = a_c0 / shock.get("consumption", 1.0) + c["k_c"] * TG0
        k_loop = d_w * be_t
        Yt_cap0 = Ys_t0 * surprise0 * U0 * sh_t
        rhs = (
            m_c
            * (
                (a_c0 - apc_n) * DI_star0
                + a_c0 * psi * (d_w * dW_o + dDI_p + k_loop * (P_t * Yt_cap0 - P_t * Ys_t0))
            )
            + c["m_v"] * (V_act0 - V0)
            + c["m_p"] * dVA_o
            + shopping
        )
        X0 = rhs / (1.0 - m_c * a_c0 * psi * k_loop)
        Ys_t0 = (Y_tm0 - X0 / P_t) / (surprise0 * U0) / sh_t
        done += 1
        seq.append(Ys_t0)
        if done < FIXED_POINT_PASSES - 1:
            last = _last_pass_input(seq, FIXED_POINT_PASSES)
            if last is not None:  # the passes repeat: make the last one only
                Ys_t0, done = last, FIXED_POINT_PASSES - 1
    c.update(d_w=d_w, apc_n=apc_n)
    C_star0 = apc_n * DI_star0
    c["sig0"] = sig
    c["inv_cref"] = (pop0 * P_C) / C_star0
    c["ln_sig_ref"] = log(sig) + c["eps_s1"] * log(c["inv_cref"])

    # --- employment: natural employment by sector, the natural rate ---------------------
    okun = c["okun"]
    z0 = get("demand_pressure", 1.0) * ones
    zs0 = get("industry_demand_pressure", 1.0) * ones
    fz_t0 = exp(c["theta"] * log(z0))
    # the level of each sector's value-added shock that firms perceive as lasting (1: none;
    # core.rates, labour hoarding)
    S0 = tuple(_float(get(f"shock_level_{x}", 1.0)) for x in ("primary", "industry", "tertiary"))
    no_s0 = all(S.__class__ is float and S == 1.0 for S in S0)
    if no_s0:
        N_p0 = L_p0 / (1.0 + okun * (Y_p0 / Ys_p0 - 1.0))
        N_s0 = L_s0 / (1.0 + okun * (Y_si0 / Ys_s0 - 1.0))
        N_t0 = L_t0 / (1.0 + okun * (Y_tm0 / Ys_t0 - 1.0)) / fz_t0
    else:
        N_p0 = L_p0 / (1.0 + okun * (Y_p0 / (Ys_p0 * ops.maximum(S0[0], 1e-12)) - 1.0))
        N_s0 = L_s0 / ((1.0 - okun) * S0[1] + okun * (Y_si0 / Ys_s0))
        N_t0 = L_t0 / ((1.0 - okun) * S0[2] + okun * (Y_tm0 / Ys_t0)) / fz_t0
    N_con0 = L_con0 / (Y_con0 / Y_con_n0)  # construction's crews follow its output (core)
    E_cap0 = N_p0 + N_s0 + N_t0
    E_nat0 = E_cap0 + N_con0  # the residents' natural employment (the cohort's is its own)
    # The natural (registered) rate is a parameter. The labour force at normal participation
    # is natural employment over 1 - u*, plus the share chi of structural labour demand
    # beyond it that joins the labour force; where the record's labour force falls short of
    # that (workers who left in the trough, whom the registered rate does not count), the
    # shortfall lf_dev0 returns with the trough (core.rates).
    c["t_plan_end"] = float(PLAN_YEARS[-1] + 1)  # the end of the plan years (core.rates)
    c["emp_nat"] = 1.0 - p["labour.natural_unemployment"]
    LF_n0 = E_nat0 / c["emp_nat"]
    m_ls0 = c["ls_max"] * LF_n0
    above0 = N_t0 * (fz_t0 - 1.0) + L_c0 + L_con0 - N_con0  # structural demand above E_nat
    if not no_s0:  # industry's and services' posts scaled with the lasting shocks (core)
        above0 = above0 + (N_s0 * (S0[1] - 1.0) + N_t0 * fz_t0 * (S0[2] - 1.0))
    drawn0 = m_ls0 * np.tanh(above0 / c["emp_nat"] / m_ls0)
    LS0 = get("labour_drawn_in", None)
    if LS0 is None:  # supply has caught up with the structural demand of the start
        LS0 = (1.0 - c["chi"]) * drawn0
    LS0 = LS0 * ones
    c["lf_dev0"] = 1.0 - (LF0 - c["chi"] * drawn0 - LS0) / LF_n0
    c["part"] = part * LF_n0 / LF0
    c["s_con"] = N_con0 / E_nat0
    s0 = (N_p0 / E_cap0, N_s0 / E_cap0, N_t0 / E_cap0)

    # --- capital, desired capital-output ratios, expected growth ------------------------
    kap = (
        get("ref_capital_output_primary", p["initial.capital_output_primary"]),
        get("ref_capital_output_industry", p["initial.capital_output_industry"]),
        get("ref_capital_output_tertiary", p["initial.capital_output_tertiary"]),
    )
    kap_g = get("ref_public_output", p["initial.public_output"])
    Y_cap0 = Ys_p0 + Ys_s0 + Ys_t0 + VA_c0 + r_h * H0
    K0 = (
        get("capital_primary", None),
        get("capital_industry", None),
        get("capital_tertiary", None),
    )
    # (services' desired capital follows their price against its base path, core.rates)
    PB_t0 = get("price_tertiary_base", P_t)
    Kd0 = (kap[0] * Ys_p0, kap[1] * Ys_s0, kap[2] * Ys_t0 * (P_t / PB_t0))
    K0 = tuple(Kd if K is None else K * ones for K, Kd in zip(K0, Kd0, strict=True))
    G0 = get("capital_public", None)
    G0 = kap_g * Y_cap0 if G0 is None else G0 * ones
    # Desired housing per resident and unit of income^eps_h; balanced at the start unless
    # the record carries the reference.
    kap_h = get("ref_housing_demand", None)
    if kap_h is None:
        kap_h = H0 / (pop0 * exp(c["eps_h"] * log(Y_cap0 / pop0)))
    c.update(kap_p=kap[0], kap_s=kap[1], kap_t=kap[2], kap_h=kap_h, kap_g=kap_g)
    c["inv_G0"] = 1.0 / G0

    # Knowledge: a steady state at the expected growth; its output elasticity from the
    # gross return to R&D and the share captured locally (Goh, Xu and Li 2015).
    rd0 = x0["rd_intensity_pct"]
    # firms' cash flow is measured from the R&D of the first start year (core.rates)
    c["rd0"] = get("ref_rd_intensity", rd0)
    gdp_real0 = Y_p0 + Y_si0 + VA_c0 + Y_con0 + n_t0 / P_t
    gdp_pot0 = Y_cap0 + Y_con_n0
    gest, dep_k = p["innovation.gestation"], c["dep_k"]
    eps_k = get("ref_knowledge_elasticity", None)
    g_e0 = get("expected_growth", None)
    w_sum = Ys_p0 + Ys_s0 + Ys_t0
    g_lf0 = (
        c["nat_inc"] + x0["net_migration_policy"]
        + net_migration(get("relative_income", 1.0) * ones, c["mig"], exp, log)
        + c["wa_trend"] / wa0
    )  # fmt: skip
    num = (
        Ys_p0 * (c["g_A"][0] + be_p * g_lf0)
        + Ys_s0 * (c["g_A"][1] + be_s * g_lf0)
        + Ys_t0 * (c["g_A"][2] + be_t * g_lf0)
    ) / w_sum
    share_k = (Ys_p0 * al[0] + Ys_s0 * al[1] + Ys_t0 * al[2]) / w_sum
    KN0, RP0 = get("knowledge_stock", None), get("rd_pipeline", None)
    g = 0.05 * ones if g_e0 is None else g_e0 * ones
    passes = FIXED_POINT_PASSES if (g_e0 is None or KN0 is None) else 1
    seq, done = [g], 0
    while done < passes:
        if KN0 is None:
            rp = rd0 * gdp_real0 * gest / (1.0 + g * gest)
            kn = rp / gest / (dep_k + g)
        else:
            rp, kn = RP0 * ones, KN0 * ones
        e_k = p["tfp.rd_return"] * p["innovation.local_capture"] * kn / gdp_pot0
        if eps_k is not None:
            e_k = eps_k * ones
        if g_e0 is None:
            # Balanced start: every capital stock at its desired level; business capital
            # grows at the expected growth plus the drift of its desired capital-output
            # ratio, public capital and knowledge at the expected growth; so potential growth
            # is TFP, labour and that drift, scaled up by the capital, public-capital and
            # knowledge elasticities (a closed form).
            g = (num + share_k * c["ret_decline"]) / (1.0 - share_k - c["gamma"] - e_k)
        done += 1
        seq.append(g)
        if done < passes - 1:
            last = _last_pass_input(seq, passes)
            if last is not None:
                g, done = last, passes - 1
    c["eps_k"] = e_k
    c["inv_KN0"] = 1.0 / kn
    g_e0 = g

    # Investment at the start and the share of FAI that forms capital
    dep_h, dep_g, aK = c["dep_h"], c["dep_g"], c["adj"]
    gk = g_e0 + c["ret_decline"]
    Id = [
        ops.maximum(dep * K + gk * Kd + aK * (Kd - K), 0.0) for K, Kd in zip(K0, Kd0, strict=True)
    ]
    Hd0 = kap_h * pop0 * exp(c["eps_h"] * log(Y_cap0 / pop0))
    if "housing_demand" in shock:  # a property downturn in force at the start (core.rates)
        Hd0 = Hd0 * shock["housing_demand"]
    Id_h = housing_investment(Hd0, H0, g_e0, c["eps_h"], dep_h, c["h_resp"], exp, log, ops.maximum)
    IG_n0 = ops.maximum(
        dep_g * G0 + g_e0 * kap_g * Y_cap0 + c["adj_g"] * (kap_g * Y_cap0 - G0), 0.0
    )
    n_ps0, n_ss0, n_ts0 = P_p * Ys_p0, P_s * (Ys_s0 + VA_c0), P_t * Ys_t0
    n_star0 = n_ps0 + n_ss0 + n_ts0 + P_t * r_h * H0
    profits0 = al[0] * n_ps0 + al[1] * n_ss0 + al[2] * n_ts0
    Id_nom0 = P_I * (Id[0] + Id[1] + Id[2] + Id_h)
    fin = get("ref_finance", None)
    relief_firms0 = c["relief_firms"] * relief_amt0  # firms' part of the relief
    if fin is None:
        fin = (
            p["investment.finance_coverage"] * Id_nom0 + c["rd_priv"] * rd0 * n_star0
            - relief_firms0
        ) / profits0  # fmt: skip
    c["fin"] = fin
    c["fin_alpha"] = tuple(fin * a for a in al)
    finance0 = fin * profits0 - c["rd_priv"] * rd0 * n_star0
    if relief is not None:
        finance0 = finance0 + relief_firms0
    ratio = ops.minimum(1.0, ops.maximum(finance0, 0.0) / Id_nom0)
    # firms' cash flow against the first start year's: R&D beyond its level, relief (core.rates)
    cash0 = -c["rd_priv"] * (rd0 - c["rd0"]) * n_star0
    if relief is not None:
        cash0 = cash0 + relief_firms0
    if _differs(cash0, 0.0):
        ratio = ratio * ops.maximum(1.0 + c["cf"] * cash0 / Id_nom0, 0.0)
    I0 = [ratio * v for v in Id] + [ratio * Id_h]
    PC0 = get("cohort_pipeline", 0.0) * ones
    I_c0 = PC0 * c["inv_build"] + c["k_f_in"] * x0["firms_attracted"]
    overlap0 = ops.minimum(c["overlap"] * I_c0, I0[1])
    R_c0 = (dep + g_e0) * K_c0  # the cohort's replacement and expansion (core.rates)
    cf_total = I0[0] + I0[1] + I0[2] + I0[3] + I_c0 + R_c0 - overlap0 + IG_n0
    # FAI per yuan of capital formation. A record made from a run carries the run's ratio
    # for public investment (ref_public_fai_ratio): what public projects cost the budget is
    # in its accounts, not in the FAI statistic, so an FAI figure other than the run's is
    # read in firms' and households' investment alone (read in the public ratio too, an FAI
    # 7 % below the stimulus's made each yuan of the pool's public projects build 7 % more
    # capital and cost the budget less for good, and halved the 2035 debt)
    phi_pub = get("ref_public_fai_ratio", None)
    split = phi_pub is not None
    # the normal FAI to be read: where money held public investment back at the start, only a
    # share of it (normal, the pool's, the backlog) is built
    target = fai_n0
    if prior is not None:
        target = fai_x0 - built * back0 - pd_total0 + (1.0 - built) * pd_pub0
    share = 1.0 if prior is None else built * kappa  # of normal public investment built
    public0 = 0.0  # public FAI at the run's ratio (a restart)
    if not split:
        if prior is None:
            phi = fai_n0 / (P_I * cf_total)
        else:
            phi = target / (P_I * (cf_total - (1.0 - built * kappa) * IG_n0))
        phi_pub = phi
    else:
        _refuse(
            ~np.isfinite(phi_pub) | (phi_pub <= 0.0),
            t0,
            ("ref_public_fai_ratio",),
            lambda i, lang: (
                f"ref_public_fai_ratio {_at(phi_pub * ones, i):.4g} 不是正的有限数"
                "(原运行的公共投资固定资产投资与资本形成之比)"
                if lang == "zh"
                else f"ref_public_fai_ratio {_at(phi_pub * ones, i):.4g} is not a positive finite "
                "number (the run's FAI per yuan of public capital formation)"
            ),
        )  # fmt: skip
        phi_pub = phi_pub * ones
        public0 = P_I * phi_pub * share * IG_n0
        phi = (target - public0) / (P_I * (cf_total - IG_n0))
    # (where firms' investment is what the FAI figure leaves of public investment at the run's
    # ratio and of what the policies add, and nothing is left)
    private_short = split and np.any((target - public0 <= 0.0) & (fai_n0 > 0.0))
    _refuse(
        (phi <= 0.0) | (phi == math.inf), t0, ("fai",),  # (NaN: the parameters, not fai)
        lambda i, lang: (
            (
                f"fai {_at(fai0, i):.4g} 亿元 不大于起步时的公共投资(按原运行的固定资产投资与"
                f"资本形成之比:{_at(public0 * ones, i):.4g} 亿元)与现行政策所增加的投资"
                f"({_at(fai0 - fai_n0, i):.4g} 亿元)之和,没有剩下企业和住户的投资;请核对其单位"
                "和年份"
                if lang == "zh"
                else f"fai {_at(fai0, i):.4g} 亿元 is not more than the public investment at "
                f"the start (at the run's FAI per yuan of capital formation: "
                f"{_at(public0 * ones, i):.4g} 亿元) and what the policies in force add to it "
                f"({_at(fai0 - fai_n0, i):.4g} 亿元), so no investment of firms and households is "
                "left; check its unit and year"
            )
            if private_short and _at(target - public0, i) <= 0.0 and _at(fai_n0, i) > 0.0
            else (
                f"fai {_at(fai0, i):.4g} 亿元 不大于起步时现行政策所增加的投资"
                f"({_at(fai0 - fai_n0, i):.4g} 亿元:项目库偏离常规进度的部分、新增项目、"
                "等待资金的公共项目),没有剩下正常投资;请核对其单位和年份"
                if lang == "zh"
                else f"fai {_at(fai0, i):.4g} 亿元 is not more than what the policies in force "
                f"at the start add to it ({_at(fai0 - fai_n0, i):.4g} 亿元: the pool's deviation "
                "from its usual pace, extra projects, public projects waiting for money), so "
                "no normal investment is left; check its unit and year"
            )
            if _at(fai_n0, i) <= 0.0
            else (
                "起步时没有需要的资本形成(各项资本存量都高于企业在记录产出下所需),因此 fai "
                f"{_at(fai0, i):.4g} 亿元 无法视为资本形成;请对照 fai 核对各产出数据"
                if lang == "zh"
                else f"no capital formation is wanted at the start (every capital stock above "
                f"what firms want at the record's output), so fai {_at(fai0, i):.4g} 亿元 cannot "
                "be read as capital formation; check the output figures against fai"
            )
        ),
    )  # fmt: skip
    c["inv_phiK"] = phi
    c["phiK"] = 1.0 / c["inv_phiK"]
    c["inv_phiK_pub"] = phi_pub
    c["phiK_pub"] = 1.0 / phi_pub
    # whether public investment and the land housing investment buys keep the run's ratio
    # (a restart) apart from firms' (core.rates)
    c["run_ratio"] = split
    # normal housing and urban FAI as the land it buys counts it: at the run's ratio where a
    # restart reads an FAI figure in firms' and households' investment (a statistic's
    # coverage does not sell land)
    fai_h0 = P_I * phi_pub * I0[3]
    pub_d0 = P_I * phi_pub * IG_n0  # desired public FAI
    pub_n0 = pub_d0 * kappa  # normal public FAI (what money co-finances)

    # Public investment's mix over the pool's public categories (the pool's own public mix)
    pub_amounts = [pool[cat] * shares[cat] for cat in PUBLIC_CATEGORIES]
    total_pub = sum(pub_amounts)
    c["pub_mix"] = tuple(v / total_pub for v in pub_amounts)

    # --- government account ------------------------------------------------------------
    TR0 = get("transfers_from_above", None)
    if TR0 is None:
        TR0 = p["initial.transfer_ratio"] * R0
    # with the pool's deviation delivered, which takes housing and urban investment no lower
    # than a quarter of its normal level (as in core.rates)
    fai_h_act0 = ops.maximum(fai_h0 + c["th_u"] * pd["urban"], 0.25 * fai_h0)
    if _differs(xi_fai, 1.0):
        fai_h_act0 = fai_h_act0 * xi_fai
    land_price0 = exp(c["eps_land"] * log(Hd0 / H0))
    LR0 = get("land_revenue", None)
    if LR0 is None:
        LR0 = p["fiscal.land_revenue_ratio"] * fai_h_act0 * land_price0
    LR0 = LR0 * ones
    # land revenue = exp(el ln(fai_h x land price + V_o) + c_land) as in core.rates: V_o, land
    # sold for other uses, carries what the start year's housing investment cannot at
    # LAND_RATIO_MAX (0 unless that investment is small), so that the base of the elasticity
    # is never near zero
    V_h0 = fai_h_act0 * land_price0
    V_o = ops.maximum(LR0 / LAND_RATIO_MAX - V_h0, 0.0)
    ref_o = get("ref_land_other", None)
    if ref_o is not None:
        # a restart keeps its run's other land, unless its figures leave housing investment
        # too small to carry the land revenue (the stock above what residents demand): then
        # as at a first start, so that a recovery of housing investment does not multiply
        # land revenue by the ratio of a near-zero start (docs/model.md §4)
        V_o = ops.maximum(ref_o, V_o)
    land = log(LR0) - c["el_land"] * log(V_h0 + V_o)
    ref_land = get("ref_land_revenue", None)
    if ref_land is not None:
        # A restart keeps its run's land revenue per unit of land value (el > 0): the land
        # sold for other uses carries the record's land revenue beyond what the housing land
        # brings at it. Solved again from a start year whose housing land is worth next to
        # nothing (investment stopped, the stock above demand), the constant would be that
        # year's ratio, and land revenue would run away when housing investment resumes (an
        # elasticity above 1 raises the ratio with the value of land sold: docs/model.md §4).
        # Where the housing land alone brings more than the record's land revenue, the
        # constant is solved again (a lower ratio than the run's).
        el = c["el_land"]
        need = exp((log(LR0) - ref_land) / ops.maximum(el, 1e-300)) - V_h0
        keep = (el > 0.0) & (need >= 0.0) & (need < math.inf)
        V_o = _where(keep, need, V_o)
        land = _where(keep, ref_land * ones, land)
    c["land_o"] = V_o * ones
    c["land"] = land
    LR_n0 = land_revenue(
        fai_h0 * land_price0, c["land_o"], c["el_land"], c["land"], exp, log, ops.maximum
    )
    D0 = get("government_debt", None)
    D0 = p["initial.debt_ratio"] * (R0 + TR0 + LR0) if D0 is None else D0 * ones
    c["D0"] = D0
    # the debt reported for the start year: a record made from a run carries the gap between
    # the debt the run reports for the year (its accounting of calendar-year balances from
    # the first start) and its mid-year state, and the run's balance at the start, so that a
    # restart reports the record's debt plus that gap, less what its own start-year balance
    # adds to the run's: it continues the run's from the run's own record, and moves with a
    # debt or a balance the record gives (core.annual_indicators); else the record's debt
    gap, run_balance = get("ref_debt_gap", None), get("ref_run_balance", None)
    c["debt_gap"] = None
    if gap is not None and run_balance is not None:
        _refuse(
            ~np.isfinite(gap) | ~np.isfinite(run_balance), t0, ("ref_debt_gap",),
            lambda i, lang: (
                "ref_debt_gap 或 ref_run_balance 不是有限数" if lang == "zh"
                else "ref_debt_gap or ref_run_balance is not a finite number"
            ),
        )  # fmt: skip
        c["debt_gap"], c["run_balance"] = gap * ones, run_balance * ones
    rd_gov0 = c["rd_gov"] * rd0
    balance = get("fiscal_balance", None)
    if balance is None:
        # Default rule: a deficit that keeps the debt ratio steady at nominal growth.
        infl = (
            x0["inflation_primary"] * n_p0 + x0["inflation_secondary"] * n_sec0
            + x0["inflation_tertiary"] * n_t0
        ) / gdp  # fmt: skip
        balance = -(g_e0 + infl) * D0
    if d_fit is None:
        asked0 = pub_n0 + pd_pub0 + (0.0 if extra is None else extra["public"])
        other0 = rd_gov0 * gdp + pol["vouchers"]
        district_share(c, R0 + TR0 + LR0, D0, balance, other0, B0, asked0)
    KS0 = c["dshare"] * (pub_n0 + pd_pub0) + B0 * c["inv_backlog"]  # what the district is asked
    TB_star0 = p["fiscal.weight_primary"] * n_ps0 + p["fiscal.weight_secondary"] * n_ss0 + n_ts0
    TB_star0 = TB_star0 + P_t * r_h * H0
    R_star0 = R_pre0 * exp(c["buoy"] * log(TB_star0 / TB0))
    n_star0 = n_ps0 + n_ss0 + n_ts0 + P_t * r_h * H0
    TRV_star0 = R_star0 - relief_amt0 + TR0 + LR_n0
    # The revenue base the budget plans on lags comprehensive revenue at potential (after
    # relief): at a steady nominal growth g by the factor 1 / (1 + g T) (T the smoothing time).
    infl0 = (
        x0["inflation_primary"] * n_p0 + x0["inflation_secondary"] * n_sec0
        + x0["inflation_tertiary"] * n_t0
    ) / gdp  # fmt: skip
    RB0 = get("budget_base", None)
    if RB0 is None:
        RB0 = TRV_star0 / (1.0 + (g_e0 + infl0) / c["inv_budget"])
    # An Euler step of a base that follows a growing target lags it more than the
    # continuous base does (by about g h / 2 of it at step h): the target's weight is the
    # one that steps the base exactly while the target grows at the start's nominal growth
    # (k (e^(g h) - e^(-k h)) / ((g + k) h), k for RK4), so the budget does not drift below
    # its continuous path by a step-sized share (docs/model.md §1); a record carries that
    # growth, so that a restart steps the budget as the run it was made from.
    c["budget_g"] = get("ref_budget_growth", g_e0 + infl0) * ones  # (the first start's)
    c["etd_budget_in"] = budget_target_rate(c["inv_budget"], c["budget_g"], step)
    RB0 = RB0 * ones
    # A record made from a run carries the run's current spending share and debt limit:
    # where the limit held public investment back at the start, the balance cannot tell
    # current spending (it is the borrowing the limit allows), which follows that share.
    cs_ref, limit_ref = get("ref_current_spending_share"), get("ref_debt_limit")
    short = False
    if cs_ref is not None and limit_ref is not None:
        CS_ref = cs_ref * RB0
        interest0 = c["i_d"] * ops.maximum(D0, 0.0)
        committed_ref = CS_ref + rd_gov0 * n_star0 + interest0 + pol["vouchers"]
        borrow = ops.smooth_pos(limit_ref * TRV_star0 - D0, 0.05 * TRV_star0) * c["inv_borrow"]
        ks_max = ops.maximum(TRV_star0 - committed_ref + borrow, 0.0)
        # normal public investment is at most what that money co-finances (core.rates)
        pub_c = pub_d0 - ops.smooth_pos(pub_d0 - ks_max * c["inv_dshare"], 0.05 * pub_d0)
        # (a member whose public capital stands above its desired level wants no public
        # investment at all: nothing is held back, its share is 1, not 0 / 0)
        wanted = pub_d0 > 0.0
        kappa_now = _where(
            wanted, ops.maximum(pub_c, 0.0) / ops.maximum(pub_d0, 1e-300), 1.0
        )  # fmt: skip
        shortfall = ops.smooth_pos(KS0 - ks_max, 0.05 * KS0)
        short = shortfall > 0.0
    CS0 = R0 + TR0 + LR0 - KS0 - c["i_d"] * ops.maximum(D0, 0.0) - balance - rd_gov0 * gdp
    CS0 = CS0 - pol["vouchers"]
    if extra is not None:  # the district's share of new public projects
        CS0 = CS0 - c["dshare"] * extra["public"]
    # Current spending (pay, public services, transfers to households) is at least CS_FLOOR
    # of comprehensive revenue; capital spending leaves at least that (district_share), so
    # the record's balance is reproduced, unless the district would pay less than
    # DISTRICT_SHARE_MIN of public investment (then the start-year deficit is larger), or a
    # record carries a run's fit of the share (ref_district_share_fit) that its figures
    # cannot pay, or the record has a public backlog (then the drawn share stands).
    CS0 = ops.maximum(CS0, CS_FLOOR * (R0 + TR0 + LR0))
    # The start year's public investment happened: the debt limit cannot have held it back.
    # Where the record's debt and deficit need more room than fiscal.debt_limit gives, the
    # limit is taken as just that room (docs/model.md, the government account), with the
    # margins of the rounded corners of core.rates (capital spending 5 % within what money
    # allows, borrowing room beyond 5 % of the comprehensive revenue); unless the record
    # carries the limit that held it back (above).
    committed0 = CS0 + rd_gov0 * n_star0 + c["i_d"] * ops.maximum(D0, 0.0) + pol["vouchers"]
    need = KS0 - (TRV_star0 - committed0)  # borrowing the start year needs
    c["d_max_param"], c["_limit0"] = c["d_max"], (D0, need + 0.05 * KS0, TRV_star0)
    c["d_max"] = debt_limit(c, c["inv_borrow"])  # (at the stepped rate of borrowing)
    built_now = 1.0
    if np.any(short):
        CS0 = _where(short, CS_ref, CS0)
        c["d_max"] = _where(short, limit_ref, c["d_max"])
        # (nothing asked of the district: all of it built, not 0 / 0)
        built_now = 1.0 - _where(KS0 > 0.0, shortfall / ops.maximum(KS0, 1e-300), 0.0)
    # (net assets at the start are spent down on top of the share: core.rates)
    c["cs_share"] = (CS0 - ops.smooth_pos(-D0, 0.05 * TRV_star0) * c["etd_assets"]) / RB0
    c["CS0"] = CS0
    # transfers per resident, less what higher governments make good of the start year's
    # relief (core.rates)
    c["TRP0"] = (TR0 - c["relief_comp"] * relief_amt0) / pop0

    c["R_o0"] = R_o0  # non-resident shoppers (computed above)

    # --- above-scale industry and the park ---------------------------------------------
    as_nom = r["industrial_va_above_scale"]
    gross = r["industrial_output_above_scale"]
    park = get("park_gross_output", gross)
    c["h0"] = (as_nom / P_s - VA_c0) / Y_si0
    c["h0_gross"] = (gross / P_s - VA_c0 * c["inv_va_c"]) / Y_si0
    c["park_gross"] = (park / P_s - VA_c0 * c["inv_va_c"]) / Y_si0
    N_a0 = get("enterprises_attracted", 0.0) * ones
    N0 = r["enterprises_above_scale"] - N_a0

    # --- references (relative indices) ------------------------------------------------------
    D_star0 = (
        m_c * C_star0 + c["m_v"] * V0 + c["m_t"] * R_o0
        + c["m_p"] * (n_ps0 + n_ss0 + P_s * Y_con_n0) + c["m_g"] * CS0
    )  # fmt: skip
    # The services sold to the rest of the region: what services capacity produces beyond
    # local demand at the start (so that demand at potential equals capacity there).
    c["d0"] = get("ref_demand_pressure", 1.0)
    # It is solved from the start year's figures even where the record carries it (a stock no
    # statistic publishes): services output meets the demand not yet perceived (core.rates),
    # so the services value added of the record is reproduced only with the regional demand
    # that makes demand against capacity what the record's pressure and surprise say. A
    # record of the model's own run gives back its own value.
    cap_t0 = n_ts0 / exp(c["theta"] * log(z0))  # services capacity (nominal)
    # (the region buys less of them where their price has risen against the base path)
    rel_t0 = exp(-c["eta_t"] * log(P_t / PB_t0))
    XR0 = (c["d0"] * z0 * surprise0 * cap_t0 - D_star0) / (P_t * rel_t0)
    # Demand for the district's industrial goods (sold mostly outside the district): equal to
    # incumbent industry's capacity at the reference.
    c["d_s0"] = get("ref_industry_demand", 1.0)
    XG0 = get("industry_demand", None)
    if XG0 is None:
        XG0 = c["d_s0"] * zs0 * Ys_s0 / exp(c["theta"] * log(zs0))
    ref = {
        "s_ref": tuple(get(f"ref_share_{k}", None) for k in ("primary", "industry", "tertiary")),
        "prod": tuple(
            get(f"ref_productivity_{k}", None) for k in ("primary", "industry", "tertiary")
        ),
    }
    c["s_ref"] = s0 if ref["s_ref"][0] is None else ref["s_ref"]
    prod0 = (n_ps0 / N_p0, n_ss0 / N_s0, n_ts0 / N_t0)
    prod = prod0 if ref["prod"][0] is None else ref["prod"]
    c["inv_prod_ref"] = tuple(1.0 / v for v in prod)
    prod_avg = get("ref_productivity_average", None)
    c["inv_prod_avg"] = 1.0 / ((n_ps0 + n_ss0 + n_ts0) / E_cap0 if prod_avg is None else prod_avg)
    c["ln_realloc"] = tuple(
        c["sigma"] * log(c["inv_prod_ref"][i] / c["inv_prod_avg"]) + log(c["s_ref"][i])
        for i in range(3)
    )
    W0 = be_p * n_p0 + be_s * n_ind0 + be_con * n_con0 + be_t * P_t * Y_tm0
    # The neighbours' incomes went through the same 2020 trough as Hubin's (Henan grew 1.0-1.3 %
    # in 2020, China 2.3 %: SOURCES.md §9): their income index is scaled by (1 - k TG) with k
    # Hubin's own fall of expected income per unit of the trough at the start, so relative
    # income does not drift as the trough closes.
    k_tg = get("ref_trough_income", None)
    if k_tg is None:
        tg_pos = ops.maximum(TG0, 1e-9)
        # expected income (labour income per member of the labour force) at the start
        # against its level at potential (W* over the labour force at normal participation)
        trough_income0 = (W0 / LF0) / (W_star0 / LF_n0)
        k_tg = np.where(TG0 > 1e-6, (1.0 - trough_income0) / tg_pos, 1.0)
        k_tg = float(k_tg) if np.ndim(k_tg) == 0 else k_tg
    c["ref_tg"] = k_tg
    ref_trough0 = 1.0 - k_tg * TG0
    inc_ref = get("ref_expected_income", None)
    if inc_ref is None:
        inc_ref = W0 / (E0 * P_C) * (1.0 - u0) / (get("relative_income", 1.0) * ref_trough0)
        # the wage offered to newcomers where posts go unfilled (core.rates)
        premium0 = wage_premium(E_d0, c["emp_nat"] * LF0, c["w_vac"], np.exp, np.log)
        inc_ref = inc_ref * (float(premium0) if np.ndim(premium0) == 0 else premium0)
    c["inv_inc_ref"] = 1.0 / inc_ref
    Yinc_ref = get("ref_industry_output", None)
    c["inv_Yinc_ref"] = 1.0 / (Y_si0 if Yinc_ref is None else Yinc_ref)

    # --- TFP levels: potential output at the start -------------------------------------
    lnE = log(E_cap0) + ln_f0  # the labour of the posts filled (core.rates)
    th = c["theta"]
    A0 = (
        Ys_p0 / exp(al[0] * log(K0[0]) + be_p * (log(s0[0]) + lnE)),
        Ys_s0 / exp(th * log(zs0) + al[1] * log(K0[1]) + be_s * (log(s0[1]) + lnE)),
        Ys_t0 / exp(th * log(z0) + al[2] * log(K0[2]) + be_t * (log(s0[2]) + lnE)),
    )
    tfp = tuple(get(f"tfp_{k}", 1.0) for k in ("primary", "industry", "tertiary"))
    c["inv_A0"] = tuple(t / a for t, a in zip(tfp, A0, strict=True))

    state = {
        "K_p": K0[0], "K_s": K0[1], "K_t": K0[2], "H": H0, "G": G0,
        "A_p": A0[0], "A_s": A0[1], "A_t": A0[2], "KN": kn, "RP": rp,
        "POP": pop0 * ones, "s_p": s0[0], "s_s": s0[1], "s_t": s0[2],
        "RI": get("relative_income", 1.0) * ones, "REF": _float(get("reference_income", 1.0)),
        "N": N0 * ones, "N_a": _float(get("enterprises_attracted", 0.0)),
        "PC": _float(get("cohort_pipeline", 0.0)), "K_c": _float(get("capital_cohort", 0.0)),
        "P_p": _float(P_p), "P_s": _float(P_s), "P_t": _float(P_t), "P_I": _float(P_I),
        "g_e": g_e0, "TG": TG0, "z": z0, "V": V0 * ones, "R_o": R_o0 * ones,
        "XR": XR0 * ones, "XG": XG0 * ones, "z_s": zs0, "PB_t": _float(PB_t0),
        "TRP": c["TRP0"] * ones, "D": D0, "B": B0, "LS": LS0, "F": F0,
        "S_p": S0[0], "S_s": S0[1], "S_t": S0[2],
        "BP": get("pool_backlog", 0.0) * ones,
        "PQ": get("pool_waiting", 0.0) * ones, "RB": RB0,
        **{k: _float(get("pool_delivery_" + k[3:], 0.0)) for k in PD_STOCKS},
    }  # fmt: skip
    capped = cs_ref is not None and limit_ref is not None and np.any(kappa_now < 1.0)
    info = {"constrained": bool(np.any(short) or capped), "built": built_now, "fai_n": fai_n0}
    info["kappa"] = kappa_now if capped else 1.0
    if prior is not None:  # the normal FAI of this pass
        if not split:  # one ratio (a first start)
            info["fai_n"] = P_I * phi * (cf_total - (1.0 - kappa) * IG_n0)
        else:
            info["fai_n"] = P_I * (phi * (cf_total - IG_n0) + phi_pub * kappa * IG_n0)
    return c, state, info


def _float(value):
    """A start value the same for every member (a price, the reference income) as a Python
    float: the engine keeps such a stock a float while its rate is one too (levers the same
    for every member), so that it costs no operation over the members."""
    if isinstance(value, float | int | np.floating | np.integer) and not isinstance(value, bool):
        return float(value)
    return value
