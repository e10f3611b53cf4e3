"""Invariants over random inputs (hypothesis): no negative stock, no NaN, identities hold.

Each hypothesis example draws a scenario (levers, profile, shocks, integrator) and a seed;
the seed draws an ensemble of parameter sets within the catalogue's ranges
(data/parameters.csv low/high), run in one vectorised pass. A tenth of the draws of each
parameter sit on one of its bounds, so the corners of the box are visited too.
"""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hubinsim
from hubinsim.catalog import LEVERS, PROFILES, SHOCK_TARGETS
from hubinsim.data import load_parameters

MEMBERS = 500
SECTORS = ("primary", "secondary", "tertiary")
PARAMETERS = load_parameters()

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
)  # fmt: skip

#: Growth rates and the level they are the growth of: a growth rate is undefined (NaN) in
#: the base year and after a year in which its level is zero (a shock with factor 0).
GROWTH = {
    "gdp_real_growth_pct": "gdp_real",
    "industrial_va_above_scale_growth_pct": "industrial_va_above_scale",
}

SETTINGS = settings(
    max_examples=12,
    deadline=None,  # speed is measured in benchmarks/, never asserted
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def draw_parameters(seed: int, members: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {}
    for name, p in PARAMETERS.items():
        values = rng.uniform(p.low, p.high, members)
        on_bound = rng.random(members) < 0.1
        bound = np.where(rng.random(members) < 0.5, p.low, p.high)
        out[name] = np.where(on_bound, bound, values)
    return out


def _lever_value(lever):
    return st.floats(lever.low, lever.high, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw, with_shocks: bool):
    levers = {}
    for lever in LEVERS:
        if draw(st.booleans()):
            levers[lever.name] = draw(_lever_value(lever))
    profile = draw(st.sampled_from(sorted(PROFILES)))
    shocks = []
    if with_shocks:
        for _ in range(draw(st.integers(0, 3))):
            first = draw(st.integers(2021, 2035))
            shocks.append(
                {
                    "target": draw(st.sampled_from([s.name for s in SHOCK_TARGETS])),
                    "years": (first, draw(st.integers(first, 2035))),
                    "factor": draw(st.floats(0.0, 3.0, allow_nan=False)),
                }
            )
    method = draw(st.sampled_from(["euler", "rk4"]))
    return {"levers": levers, "profile": profile, "shocks": shocks, "method": method}


def check_invariants(res):
    v = res.values
    for name, arr in v.items():
        if name in GROWTH:
            defined = np.zeros(arr.shape, dtype=bool)
            defined[1:] = v[GROWTH[name]][:-1] > 0
            assert np.all(np.isnan(arr[~defined])), f"{name} defined after a zero"
            arr = arr[defined]
        assert np.all(np.isfinite(arr)), f"{name} is not finite"
    for name in NONNEGATIVE:
        assert np.all(v[name] >= 0.0), f"{name} negative: min {v[name].min()}"
    for name in ("population", "labour_force", "employment", "gdp_real", "capital_public"):
        assert np.all(v[name] > 0.0), f"{name} not positive"
    assert np.all(v["employment"] <= v["labour_force"])
    assert np.all(v["labour_force"] <= v["population"])
    np.testing.assert_allclose(sum(v[f"share_{s}_pct"] for s in SECTORS), 100.0, rtol=1e-9)
    for s in SECTORS:
        assert np.all(v[f"share_{s}_pct"] >= 0.0)
    np.testing.assert_allclose(v["gdp"], sum(v[f"va_{s}"] for s in SECTORS), rtol=1e-12)
    np.testing.assert_allclose(v["gdp_real"], sum(v[f"va_{s}_real"] for s in SECTORS), rtol=1e-12)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scenario=scenarios(with_shocks=False))
def test_random_parameters_and_levers_keep_stocks_valid(seed, scenario):
    res = hubinsim.simulate(parameters=draw_parameters(seed, MEMBERS), members=MEMBERS, **scenario)
    assert res.n_members == MEMBERS
    check_invariants(res)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), scenario=scenarios(with_shocks=True))
def test_random_shocks_keep_stocks_valid(seed, scenario):
    res = hubinsim.simulate(parameters=draw_parameters(seed, MEMBERS), members=MEMBERS, **scenario)
    check_invariants(res)


@settings(deadline=None, max_examples=4, database=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_thousands_of_default_scenario_parameter_sets(seed):
    """Business as usual over 2000 parameter sets at once, at the coarsest allowed step."""
    members = 2000
    res = hubinsim.simulate(parameters=draw_parameters(seed, members), members=members, dt=0.5)
    check_invariants(res)
