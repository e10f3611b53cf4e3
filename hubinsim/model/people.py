"""Population, migration, labour force, unemployment and the sector mix of employment.

Units: people in 万人 (10,000 persons), rates per year.
"""

from __future__ import annotations

from . import ops


def unemployment_rate(g_e, c: dict, p: dict):
    """Okun's law around the 2020 rate: u = u_2020 - okun (g_e - g_ref), kept in [0.5 %, 30 %].

    ``g_ref`` is the growth the model produces at 2020 (see ``core.anchor_growth``).
    """
    u = c["u0"] - p["labour.okun"] * (g_e - c["g_ref"])
    return ops.clip(u, 0.005, 0.30)


def labour_force(pop, t, c: dict, p: dict):
    """LF = POP x working-age share(t) x participation [万人].

    The working-age share drifts by ``labour.working_age_trend`` a year (ageing).
    """
    share = ops.clip(c["wa0"] + p["labour.working_age_trend"] * (t - 2020.0), 0.3, 0.9)
    return pop * share * c["part0"]


def target_shares(shares0, rel_productivity, shift, p: dict):
    """Target employment shares: labour moves toward sectors whose nominal output per worker
    rose faster than the average since 2020 (the 2020 allocation is taken as an equilibrium
    given mobility costs), plus the ``tertiary_shift`` lever.

    The target is anchored on the 2020 shares ``shares0``, so a constant shift moves the
    target once rather than every year. ``shares0`` and ``rel_productivity`` are tuples
    (primary, secondary, tertiary).
    """
    sigma = p["labour.reallocation_elasticity"]
    raw = [s * ops.power(r, sigma) for s, r in zip(shares0, rel_productivity, strict=True)]
    total = raw[0] + raw[1] + raw[2]
    tp, ts, tt = (r / total for r in raw)
    tt_new = ops.clip(ops.plus(tt, shift), 0.01, 0.98)
    # Primary and secondary share what tertiary leaves, in proportion to their targets; when
    # both targets are zero (no output outside services) they keep their 2020 proportion.
    left = 1.0 - tt
    none = left <= 0.0
    if ops.any_true(none):
        tp = ops.where(none, shares0[0], tp)
        ts = ops.where(none, shares0[1], ts)
        left = ops.where(none, shares0[0] + shares0[1], left)
    rest = (1.0 - tt_new) / left
    return tp * rest, ts * rest, tt_new


def net_migration_rate(ri, policy, p: dict):
    """Net migration [1/yr] = base + policy lever + eta (RI - 1)."""
    base = ops.plus(p["population.base_migration"], policy)
    return base + p["population.migration_elasticity"] * (ri - 1.0)
