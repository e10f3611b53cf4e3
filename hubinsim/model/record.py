"""The start record: the state of the district in the year a run starts.

A run starts from a *record*, a flat mapping of names to numbers for one calendar year (the
start year). ``data/base_2020.csv`` is the default record; a record for a later year lets a
mid-term evaluation restart the model from the latest year with actual figures. Three kinds
of fields:

- **figures** (:data:`FIGURES`): what statistics publish for the year (GDP, FAI, revenue,
  employment, ...). Each is required, or has a default rule (:data:`OPTIONAL_FIGURES`). The
  model reproduces every figure in the start year.
- **stocks** (:data:`STOCKS`): the state statistics do not publish (capital, knowledge, the
  trough, expectations, the cohort of attracted firms, debt, prices relative to 2020...).
  A record may carry them (a record made from a run does); else each is set by its default
  rule, documented below and in docs/model.md ("The start record").
- **references** (:data:`REFERENCES`): what relative indices are measured against (the
  desired capital-output ratios, the reference year's employment mix and productivity, ...).
  Without them the start year is its own reference.

:func:`record_from_state` turns a run's state at the middle of a year into a record that
restarts the run there: figures are the point values at that moment, stocks and references
are copied, so that the restarted run continues the same path.
"""

from __future__ import annotations

import numpy as np

from ..catalog import POOL_CATEGORIES, RECORD_FIGURES
from . import ops
from .inputs import BASE_YEAR

#: Figures every record must hold: name -> meaning [unit] (declared in the catalogue, as the
#: data files need them too).
FIGURES: dict[str, str] = RECORD_FIGURES

#: Figures a record may lack, with the rule that replaces them.
OPTIONAL_FIGURES: dict[str, str] = {
    "employment_share_construction": "construction's share of secondary employment; default: "
    "its share of secondary value added (same value added per worker as industry)",
    "park_gross_output": "gross output of the industrial park [亿元]; default: the above-scale "
    "gross output (the park holds the district's above-scale firms)",
    "transfers_from_above": "transfers from higher governments [亿元]; default: "
    "initial.transfer_ratio x budget revenue",
    "land_revenue": "land-transfer (fund) revenue [亿元]; default: fiscal.land_revenue_ratio x "
    "housing and urban-construction investment",
    "government_debt": "government debt [亿元]; default: initial.debt_ratio x (budget revenue + "
    "transfers + land revenue)",
    "fiscal_balance": "revenue less spending of the government account [亿元]; default: the "
    "deficit that keeps the debt ratio steady at nominal expected growth",
}

#: Stocks a record may hold, with the default rule used when it does not.
STOCKS: dict[str, str] = {
    "capital_primary": "capital of agriculture [亿元, 2020 prices]; default: "
    "initial.capital_output_primary x potential primary value added",
    "capital_industry": "capital of incumbent industry; default: initial.capital_output_industry "
    "x potential industrial value added",
    "capital_tertiary": "capital of market services; default: initial.capital_output_tertiary x "
    "services capacity",
    "capital_housing": "housing and urban construction; default: initial.housing_output x "
    "capacity output",
    "capital_public": "public capital; default: initial.public_output x capacity output",
    "capital_cohort": "capital of attracted firms; default 0",
    "cohort_pipeline": "investment attracted firms have committed but not built; default 0",
    "enterprises_attracted": "attracted above-scale firms (part of enterprises_above_scale); "
    "default 0",
    "knowledge_stock": "R&D knowledge stock [亿元, 2020 prices]; default: the steady state of "
    "R&D spending at the expected growth",
    "rd_pipeline": "R&D spending in gestation; default: its steady state",
    "output_gap": "utilisation shortfall of the 2020 trough still open [fraction]; default: "
    "the 2020 figure of data/base_2020.csv (BASE_OUTPUT_GAP) x exp(-(year - 2020) / "
    "growth.trough_closing_time)",
    "expected_growth": "expected growth of potential output [1/yr]; default: the balanced-growth "
    "rate implied by the start-year flows (closed form)",
    "demand_pressure": "perceived services demand pressure [index]; default 1",
    "services_demand_surprise": "services demand against capacity now, over its perceived "
    "pressure (met by utilisation) [index]; default 1",
    "industry_demand_pressure": "perceived demand pressure on industry [index]; default 1",
    "industry_demand": "demand for the district's industrial goods [亿元, 2020 prices]; "
    "default: incumbent industry's capacity",
    "regional_services_demand": "services the district sells to the rest of the region "
    "[亿元, 2020 prices]; default: services capacity less local demand at potential",
    "labour_drawn_in": "people drawn into the labour force (participation, commuting) by "
    "structural labour demand beyond the residents' natural employment, beyond the share "
    "labour.participation_response that joins at once [万人]; default: (1 - that share) x "
    "the structural demand beyond natural employment over (1 - u*) (supply caught up)",
    "labour_demand": "the posts employers offer, filled and vacant [万人]; default: found by "
    "inverting the matching from the record's unemployment (docs/model.md §6). Used where "
    "the matching with ref_tight_market_gap turns them into the record's employment (a record "
    "made from a run), so that a run near the floor of unemployment is continued",
    "fill_rate": "the share of the posts offered that firms find filled, as they perceive it "
    "(labour.shortage_time) [fraction]; used where the record's posts (labour_demand) are "
    "taken as they are (a run continued); else, and by default, the record's employment over "
    "the posts offered behind it (1 where unemployment is at or above its natural rate; the "
    "record's output is that of the posts filled; docs/model.md §6)",
    **{
        f"shock_level_{x}": f"the level of a shock to {x} value added that employers perceive "
        "as lasting and have adjusted to (labour.hoarding_time, labour.recall_time) [index]; "
        "default 1 (no shock)"
        for x in ("primary", "industry", "tertiary")
    },
    "relative_income": "perceived expected income relative to the neighbours' [index]; default 1",
    "reference_income": "the neighbours' income index [2020 = 1]; default 1",
    "public_backlog": "public projects waiting for money [亿元]; default 0",
    "pool_backlog": "the pool's part of public_backlog [亿元]; default 0",
    "pool_waiting": "the pool's projects waiting for room in investment [亿元]; default 0",
    "budget_base": "the revenue base current spending is planned on [亿元]; default: "
    "comprehensive revenue at potential lagged by fiscal.budget_smoothing_time at the "
    "start's nominal growth",
    **{
        f"pool_delivery_{cat}": f"the deviation of the pool's {cat} projects from their usual "
        "pace delivered to investment so far [亿元/yr]; default 0"
        for cat in POOL_CATEGORIES
    },
    "price_primary": "primary deflator [2020 = 1]; default 1",
    "price_secondary": "secondary deflator [2020 = 1]; default 1",
    "price_tertiary": "tertiary deflator [2020 = 1]; default 1",
    "price_investment": "investment deflator [2020 = 1]; default 1",
    "price_tertiary_base": "the tertiary deflator without the response to services demand "
    "pressure (the inflation_tertiary path) [2020 = 1]; default: price_tertiary",
    "tfp_primary": "TFP index of agriculture [reference year = 1]; default 1",
    "tfp_industry": "TFP index of industry; default 1",
    "tfp_tertiary": "TFP index of services; default 1",
}

#: References a record may carry (a record made from a run does); default: the start year.
REFERENCES: dict[str, str] = {
    "ref_capital_output_primary": "desired capital-output ratio of agriculture",
    "ref_capital_output_industry": "desired capital-output ratio of industry",
    "ref_capital_output_tertiary": "desired capital-output ratio of services",
    "ref_housing_demand": "desired housing per resident and unit of income^elasticity",
    "ref_industry_demand": "demand for industrial goods per yuan of industrial capacity at "
    "the reference (1 in 2020)",
    "ref_public_output": "desired public capital per unit of capacity output",
    "ref_finance": "firms' finance per yuan of capital income",
    "ref_knowledge_elasticity": "output elasticity of the knowledge stock",
    "ref_demand_pressure": "services demand at potential per yuan of services capacity at "
    "the reference (1 in 2020)",
    "ref_share_primary": "natural employment share of agriculture at the reference",
    "ref_share_industry": "natural employment share of industry at the reference",
    "ref_share_tertiary": "natural employment share of services at the reference",
    "ref_productivity_primary": "output per natural worker, agriculture, at the reference",
    "ref_productivity_industry": "output per natural worker, industry, at the reference",
    "ref_productivity_tertiary": "output per natural worker, services, at the reference",
    "ref_productivity_average": "output per natural worker, all three, at the reference",
    "ref_expected_income": "expected real income per worker at the reference",
    "ref_industry_output": "incumbent industrial output at the reference (firm entry)",
    "ref_consumer_services_weight": "weight of services in consumer prices",
    "ref_current_spending_share": "current spending per yuan of comprehensive revenue at "
    "potential (used where the debt limit holds public investment back at the start, so "
    "that the balance cannot tell current spending)",
    "ref_debt_limit": "the debt limit in force (fiscal.debt_limit, or the room the first "
    "start year needed)",
    "ref_trough_income": "fall of the neighbours' (and Hubin's) labour income per unit of the "
    "2020 trough still open",
    "ref_land_other": "value of land sold for other uses than housing and urban construction "
    "(at the first start year's prices; 0 unless that year's housing investment is small)",
    "ref_land_revenue": "land revenue per unit of the value of land sold^elasticity (log), "
    "kept by a restart",
    "ref_budget_growth": "nominal growth at which Euler steps the budget base exactly (the "
    "first start year's expected growth and inflation)",
    "ref_rd_intensity": "R&D intensity firms' cash flow is measured from (the first start year's)",
    "ref_tight_market_gap": "the wider gap than labour.tight_market_gap that the first start "
    "year's figures needed, how far below u* the matching lets unemployment fall (0 where "
    "the parameter sufficed, so that a restart's own parameter applies); a restart takes "
    "the wider of it and its parameter, and widens it further only for figures that the "
    "run's posts (labour_demand) do not give back",
    "ref_debt_gap": "the debt the run reports for the start year (the first start's debt "
    "less the balances of the calendar years since) less its mid-year debt, government_debt "
    "(the half years at either end): a restart reports its record's debt plus this gap, less "
    "what its start-year balance adds to ref_run_balance",
    "ref_run_balance": "the run's fiscal_balance at the start point (the gap above holds it)",
    "ref_public_fai_ratio": "FAI per yuan of public capital formation and of the housing "
    "investment that buys land (the first start year's FAI per yuan of capital formation), "
    "kept by a restart: an FAI figure other than the run's is read in firms' and "
    "households' investment",
    "ref_district_share_fit": "the district's share of public investment as a fraction of "
    "fiscal.district_share (1 where that share fitted the first start year's budget, less "
    "where the budget could pay less)",
}


#: The 2020 trough: capacity's utilisation shortfall in 2020, the ``output_gap`` figure of
#: the base record (data/base_2020.csv, with its source and range).
BASE_OUTPUT_GAP = 0.045


def initial_output_gap(p: dict, year: int):
    """Default rule for the trough still open in ``year`` (a record without ``output_gap``):
    the 2020 gap (:data:`BASE_OUTPUT_GAP`) closed at the rate of
    ``growth.trough_closing_time``."""
    gap = BASE_OUTPUT_GAP + 0.0 * p["growth.trough_closing_time"]
    if year == BASE_YEAR:
        return gap
    return gap * np.exp(-(year - BASE_YEAR) / p["growth.trough_closing_time"])


def record_from_state(state: dict, c: dict, aux: dict, t: float) -> dict:
    """A record for calendar year ``round(t)`` from the model's state at mid-year ``t``.

    ``aux`` holds the reported quantities at that moment (:func:`hubinsim.model.core.rates`
    with the inputs of that point). Values are arrays of shape (members,) or floats.
    Figures are point values (not annual means), so that a run restarted from the record
    reproduces the state exactly.
    """
    gdp = aux["va_primary"] + aux["va_industry"] + aux["va_construction"] + aux["va_tertiary"]
    sec = aux["va_industry"] + aux["va_construction"]
    emp = aux["employment"]
    lf = aux["labour_force"]
    pop = aux["population"]
    q = ops.exp(c["ret_decline"] * (t - c["t0"]) + c["ret_shift"] * max(t - c["t0"] - 1.0, 0.0))
    wa = ops.minimum(ops.maximum(c["wa0"] + c["wa_trend"] * (t - c["t0"]), 0.3), 0.9)
    balance = (
        aux["fiscal_revenue"] + aux["transfers_from_above"] + aux["land_revenue"]
        - aux["fiscal_expenditure"]
    )  # fmt: skip
    rec = {
        "gdp": gdp,
        "va_tertiary": aux["va_tertiary"],
        "share_primary_pct": aux["va_primary"] / gdp * 100.0,
        "construction_share_of_secondary": aux["va_construction"] / sec,
        "fai": aux["fai"],
        "fiscal_revenue": aux["fiscal_revenue"],
        "retail_sales": aux["retail_sales"],
        "population": pop,
        "working_age_share": wa,
        # the participation of the labour force seeking work locally (below normal while
        # workers who left in the 2020 trough have not returned)
        "participation_rate": lf / (pop * wa),
        "unemployment_rate_pct": (1.0 - emp / lf) * 100.0,
        "employment_share_primary": aux["employment_primary"] / emp,
        "employment_share_secondary": aux["employment_secondary"] / emp,
        "employment_share_tertiary": aux["employment_tertiary"] / emp,
        "employment_share_construction": aux["employment_construction"]
        / aux["employment_secondary"],
        "enterprises_above_scale": aux["enterprises_above_scale"],
        "industrial_va_above_scale": aux["industrial_va_above_scale"],
        "industrial_output_above_scale": aux["industrial_output_above_scale"],
        "park_gross_output": aux["park_gross_output"],
        "rd_intensity_pct": aux["rd_intensity_pct"],
        "disposable_income_per_capita": aux["income_total"] / pop * 1e4,
        "consumption_propensity": aux["household_consumption"] / aux["income_total"],
        "services_share_of_consumption": aux["services_share_of_consumption_pct"] / 100.0,
        "visitor_spending": aux["visitor_spending"],
        "transfers_from_above": aux["transfers_from_above"],
        "land_revenue": aux["land_revenue"],
        "government_debt": state["D"],
        "fiscal_balance": balance,
        # stocks
        "capital_primary": state["K_p"], "capital_industry": state["K_s"],
        "capital_tertiary": state["K_t"], "capital_housing": state["H"],
        "capital_public": state["G"], "capital_cohort": state["K_c"],
        "cohort_pipeline": state["PC"], "enterprises_attracted": state["N_a"],
        "knowledge_stock": state["KN"], "rd_pipeline": state["RP"],
        "output_gap": state["TG"], "expected_growth": state["g_e"],
        "demand_pressure": state["z"], "regional_services_demand": state["XR"],
        "services_demand_surprise": aux["services_demand_surprise"],
        "industry_demand_pressure": state["z_s"], "industry_demand": state["XG"],
        "relative_income": state["RI"], "labour_drawn_in": state["LS"],
        "labour_demand": aux["labour_demand"], "fill_rate": state["F"],
        "shock_level_primary": state["S_p"], "shock_level_industry": state["S_s"],
        "shock_level_tertiary": state["S_t"],
        "reference_income": state["REF"], "public_backlog": state["B"],
        "pool_backlog": state["BP"], "budget_base": state["RB"],
        "pool_waiting": state["PQ"],
        **{"pool_delivery_" + cat: state["PD_" + cat] for cat in POOL_CATEGORIES},
        "price_primary": state["P_p"], "price_secondary": state["P_s"],
        "price_tertiary": state["P_t"], "price_investment": state["P_I"],
        "price_tertiary_base": state["PB_t"],
        "tfp_primary": aux["tfp_primary"], "tfp_industry": aux["tfp_industry"],
        "tfp_tertiary": aux["tfp_tertiary"],
        # references
        "ref_capital_output_primary": c["kap_p"] * q,
        "ref_capital_output_industry": c["kap_s"] * q,
        "ref_capital_output_tertiary": c["kap_t"] * q,
        "ref_housing_demand": c["kap_h"], "ref_industry_demand": c["d_s0"],
        "ref_public_output": c["kap_g"],
        "ref_finance": c["fin"],
        "ref_knowledge_elasticity": c["eps_k"],
        "ref_demand_pressure": c["d0"],
        "ref_share_primary": c["s_ref"][0],
        "ref_share_industry": c["s_ref"][1],
        "ref_share_tertiary": c["s_ref"][2],
        "ref_productivity_primary": 1.0 / c["inv_prod_ref"][0],
        "ref_productivity_industry": 1.0 / c["inv_prod_ref"][1],
        "ref_productivity_tertiary": 1.0 / c["inv_prod_ref"][2],
        "ref_productivity_average": 1.0 / c["inv_prod_avg"],
        "ref_expected_income": 1.0 / c["inv_inc_ref"],
        "ref_industry_output": 1.0 / c["inv_Yinc_ref"],
        "ref_consumer_services_weight": c["w_cons"],
        "ref_current_spending_share": c["cs_share"],
        "ref_debt_limit": c["d_max"],
        "ref_trough_income": c["ref_tg"],
        "ref_rd_intensity": c["rd0"],
        "ref_land_other": c["land_o"],
        "ref_land_revenue": c["land"],
        "ref_budget_growth": c["budget_g"],
        "ref_district_share_fit": c["dshare_fit"],
        "ref_tight_market_gap": c["tight_widened"],
        "ref_public_fai_ratio": c["inv_phiK_pub"],
    }  # fmt: skip
    return rec


#: Stocks that follow output, with the value added they follow: a record made from a run
#: whose figures are replaced by others (actual figures) scales them with that value added
#: (:func:`with_figures`).
OUTPUT_STOCKS: dict[str, str] = {
    "capital_primary": "primary",
    "capital_industry": "industry",
    "capital_tertiary": "tertiary",
    "capital_housing": "gdp",
    "capital_public": "gdp",
}


def value_added(rec: dict) -> dict:
    """Nominal GDP and value added of agriculture, the secondary sector (construction and
    industry) and services of a record's figures (arrays over members or floats)."""
    gdp = rec["gdp"]
    n_p = gdp * rec["share_primary_pct"] / 100.0
    n_t = rec["va_tertiary"]
    n_sec = gdp - n_p - n_t
    n_con = n_sec * rec["construction_share_of_secondary"]
    return {
        "gdp": gdp, "primary": n_p, "secondary": n_sec, "construction": n_con,
        "industry": n_sec - n_con, "tertiary": n_t,
    }  # fmt: skip


def with_figures(rec: dict, figures: dict) -> dict:
    """The record ``rec`` of a run with ``figures`` (other figures of the same year, such as
    actual ones) in place of its own.

    The capital stocks of a run are the run's own estimates for the output it projected.
    Where the figures put output elsewhere, the stocks of :data:`OUTPUT_STOCKS` are scaled
    with the value added they serve, so that the capital-output ratios (and housing and public
    capital per unit of GDP) stay the run's: a restart from output 10 % below the run's path
    starts with 10 % less capital, not with capital 10 % above the level firms want, which
    would stop investment at the start and make the FAI per yuan of capital formation
    solved from it several times its run's value (docs/model.md §13). Figures equal to the
    run's leave every stock as it is, to the last bit.
    """
    new = {**rec, **figures}
    before, after = value_added(rec), value_added(new)
    for name, sector in OUTPUT_STOCKS.items():
        if name in rec:
            new[name] = rec[name] * (after[sector] / before[sector])
    return new
