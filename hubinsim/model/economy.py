"""Production, investment, capital accumulation, productivity, prices, above-scale industry.

Units: money in 亿元, real values at 2020 prices, rates per year. Every function works on
arrays of shape ``(members,)`` (or scalars that broadcast).
"""

from __future__ import annotations

from ..catalog import POOL_CATEGORIES
from . import ops

SECTORS = ("primary", "industry", "tertiary")

#: Where each project-pool category's capital goes: (primary, industry, tertiary, public).
#: The urban and agriculture splits are parameters (see ``capital_formation``).
_FIXED_MAP = {
    "social": (0.0, 0.0, 0.0, 1.0),
    "ecology": (0.0, 0.0, 0.0, 1.0),
    "transport": (0.0, 0.0, 0.0, 1.0),
    "industry": (0.0, 1.0, 0.0, 0.0),
    "services": (0.0, 0.0, 1.0, 0.0),
}


def capital_formation(fai_real: dict, p: dict) -> tuple:
    """Real gross capital formation by destination [亿元/yr, 2020 prices].

    Returns (primary, industry, tertiary, public). MODEL.md lets only a share phi of FAI
    become capital (FAI counts land purchase and fees); with the Harberger initial capital,
    K0 = phi I0 / (g + delta), phi scales every capital stock and every later addition alike
    and cancels out of output once TFP is calibrated, so it is not a parameter here: capital
    stocks are in units of capital-forming FAI.
    """
    u2t = p["capital.urban_to_tertiary"]
    a2p = p["capital.agriculture_to_primary"]
    i_p = a2p * fai_real["agriculture"]
    i_s = fai_real["industry"]
    i_t = fai_real["services"] + u2t * fai_real["urban"]
    i_g = (
        fai_real["social"]
        + fai_real["ecology"]
        + fai_real["transport"]
        + (1.0 - u2t) * fai_real["urban"]
        + (1.0 - a2p) * fai_real["agriculture"]
    )
    return i_p, i_s, i_t, i_g  # phi = 1


def harberger_capital(investment, growth, depreciation):
    """Steady-state initial capital K0 = I0 / (g + delta) (Harberger 1978)."""
    return investment / (growth + depreciation)


def cobb_douglas(tfp, public_factor, capital, labour, alpha, labour_exponent=None):
    """Value added A (G/G0)^gamma K^alpha E^(1-alpha) [亿元/yr, 2020 prices].

    ``labour_exponent`` is 1 - alpha, when the caller has it at hand.
    """
    beta = 1.0 - alpha if labour_exponent is None else labour_exponent
    return tfp * public_factor * ops.power(capital, alpha) * ops.power(labour, beta)


def bau_fai(t, c: dict, g_e, p: dict):
    """Business-as-usual nominal FAI [亿元/yr]: a trend times an accelerator on expected growth.

    FAI_bau = FAI_2020 exp(g_fai (t - 2020)) max(0, 1 + accelerator (g_e - g_ref)),
    where g_ref is the growth the model produces at 2020 (see ``core.anchor_growth``).
    """
    trend = ops.exp(p["investment.bau_growth"] * (t - 2020.0))
    accel = ops.maximum(1.0 + p["investment.accelerator"] * (g_e - c["g_ref"]), 0.0)
    return c["fai0"] * trend * accel


def fai_by_category(fai_bau, c: dict, x: dict, price_invest, p: dict, shock_fai):
    """Nominal FAI by plan category [亿元/yr].

    The BAU total is split by the pool's mix; the pool spending above business as usual
    (``x['pool_<category>']``, from the scenario's realisation and profile) is added, and
    attracted firms bring ``investment.per_firm`` each to industry. A category never falls
    below zero. ``shock_fai`` is the factor of an investment shock (None: no shock).
    """
    out = {}
    for cat in POOL_CATEGORIES:
        pool = x["pool_" + cat]
        v = ops.plus(fai_bau * c["mix_" + cat], pool)
        # The BAU part is never negative; only a pool below business as usual (or a negative
        # firm term) can take a category below zero. An input that is a float is the same
        # for every member: when it is not negative there is nothing to floor.
        floor = not (pool.__class__ is float and pool >= 0.0)
        if cat == "industry" and not ops.is_zero(x["firms_attracted"]):
            v = v + p["investment.per_firm"] * x["firms_attracted"] * price_invest
            floor = True
        out[cat] = ops.times(ops.maximum(v, 0.0) if floor else v, shock_fai)
    return out
