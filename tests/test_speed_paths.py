"""The faster code paths give the same numbers as the general ones, bit for bit: the float
path of a single run, numpy's powers on floats, pool inputs held as timing x amount, and
year ends evaluated once where no input jumps."""

from pathlib import Path

import numpy as np
import pytest

import hubinsim
import hubinsim.model as model
from hubinsim.model import engine, ops
from hubinsim.model.inputs import ScaledSeries, input_rows

ROOT = Path(__file__).resolve().parent.parent


def _scenario(name):
    return hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")


def _same(a: dict, b: dict):
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


@pytest.mark.parametrize("dt", [0.25, 0.1])
@pytest.mark.parametrize("method", ["euler", "rk4"])
@pytest.mark.parametrize("name", ["baseline", "stimulus"])
def test_single_run_equals_a_member_of_an_array_run(name, method, dt):
    scn = _scenario(name)
    one = hubinsim.simulate(scn, method=method, dt=dt)
    two = hubinsim.simulate(scn, method=method, members=2, dt=dt)
    _same(one.values, {k: v[:, :1] for k, v in two.values.items()})


def test_float_path_falls_back_to_arrays_where_python_raises(monkeypatch):
    scn = _scenario("stimulus")
    expected = hubinsim.simulate(scn).values
    original = model._run
    used = []

    def run(*args, scalar, **kw):
        used.append(scalar)
        if scalar:
            raise ZeroDivisionError("float division by zero")
        return original(*args, scalar=scalar, **kw)

    monkeypatch.setattr(model, "_run", run)
    _same(hubinsim.simulate(scn).values, expected)
    assert used == [True, False]


@pytest.mark.parametrize("exponent", [0.5, 2.0, -1.0, 1.0, 0.35, -0.7, 1.5, 3.0])
def test_power_of_floats_is_numpys_power_of_arrays(exponent):
    rng = np.random.default_rng(3)
    bases = rng.uniform(0.01, 50.0, 500)
    expected = np.power(bases, np.full_like(bases, exponent))
    got = np.array([ops.power(float(b), exponent) for b in bases])
    np.testing.assert_array_equal(got, expected)


def test_elementwise_functions_of_floats_match_numpy():
    values = [-2.0, -0.0, 0.0, 0.3, 1.0, 7.5, float("nan")]
    for a in values:
        for b in values:
            for f, g in ((ops.maximum, np.maximum), (ops.minimum, np.minimum)):
                np.testing.assert_array_equal(f(a, b), g(a, b))
        np.testing.assert_array_equal(ops.clip(a, 0.1, 0.9), np.clip(a, 0.1, 0.9))
        with np.errstate(invalid="ignore", divide="ignore"):
            np.testing.assert_array_equal(ops.log(a) if a > 0 else np.log(a), np.log(a))
        np.testing.assert_array_equal(ops.exp(a), np.exp(np.array([a]))[0])
    assert ops.where(True, 1.0, 2.0) == 1.0 and ops.where(False, 1.0, 2.0) == 2.0
    assert isinstance(ops.like(3.0, 1.0), float)
    np.testing.assert_array_equal(ops.like(3.0, np.zeros(4)), np.full(4, 3.0))
    for a in (np.array([-0.0, 2.5, np.nan]), 2.5):
        assert ops.plus(a, 0.0) is a and ops.times(a, 1.0) is a and ops.times(a, None) is a
        np.testing.assert_array_equal(ops.plus(a, 1.5), a + 1.5)
        np.testing.assert_array_equal(ops.times(a, 0.5), a * 0.5)
    assert ops.is_zero(0.0) and not ops.is_zero(np.zeros(1)) and not ops.is_zero(1e-300)
    assert ops.any_true(np.array([False, True])) and not ops.any_true(False)


def test_scaled_series_rows_are_the_product():
    timing = np.linspace(0.0, 1.0, 9)
    amount = np.array([2.5, -1.0, 0.1])
    series = ScaledSeries(timing, amount)
    full = amount[None, :] * timing[:, None]
    for k in range(len(timing)):
        np.testing.assert_array_equal(series[k], full[k])
    for k in range(len(timing)):  # again, from the rows made once per timing value
        np.testing.assert_array_equal(series[k], full[k])
    signed = ScaledSeries(np.array([0.0, -0.0, 0.0]), amount)
    assert [np.signbit(signed[k]).tolist() for k in range(3)] == [
        np.signbit(amount * w).tolist() for w in (0.0, -0.0, 0.0)
    ]
    one = ScaledSeries(timing, amount[:1])
    assert one.column() == full[:, 0].tolist()
    rows = input_rows({"pool_x": one, "lever": full[:, :1]}, range(0, 9, 2), scalar=True)
    assert list(rows) == [0, 2, 4, 6, 8]
    assert all(isinstance(v, float) for row in rows.values() for v in row.values())


@pytest.mark.parametrize("members", [1, 3])
def test_year_ends_without_jumps_reuse_the_evaluation(monkeypatch, members):
    scn = _scenario("stimulus")
    fast = hubinsim.simulate(scn, members=members).values
    original = engine.integrate

    def every_year_end(*args, **kwargs):
        kwargs["jumps"] = None
        return original(*args, **kwargs)

    monkeypatch.setattr(model, "integrate", every_year_end)
    _same(hubinsim.simulate(scn, members=members).values, fast)


@pytest.mark.parametrize("members", [1, 3])
def test_absent_shocks_skip_a_multiplication_by_one(members):
    scn = _scenario("baseline")
    targets = ("va_primary", "fai", "fiscal_revenue", "consumption", "retail_external")
    ones = [{"target": t, "years": (2021, 2035), "factor": 1.0} for t in targets]
    _same(
        hubinsim.simulate(scn, shocks=ones, members=members).values,
        hubinsim.simulate(scn, members=members).values,
    )


def test_array_rows_are_rows_of_the_inputs():
    timing = np.linspace(0.0, 1.0, 5)
    x = {
        "pool_x": ScaledSeries(timing, np.array([1.0, 2.0])),
        "pool_y": ScaledSeries(timing, np.array([3.0])),
        "lever": np.ones((5, 1)),
        "drawn": np.arange(10.0).reshape(5, 2),
    }
    rows = input_rows(x, range(5))
    np.testing.assert_array_equal(rows[3]["pool_x"], np.array([1.0, 2.0]) * timing[3])
    np.testing.assert_array_equal(rows[3]["drawn"], [6.0, 7.0])
    # Inputs that are the same for every member come as floats.
    assert rows[3]["lever"] == 1.0 and isinstance(rows[3]["lever"], float)
    assert rows[3]["pool_y"] == (np.array([3.0]) * timing[3])[0]
    assert isinstance(rows[3]["pool_y"], float)


@pytest.mark.parametrize("name", ["baseline", "stimulus", "siphon", "slowdown"])
def test_uniform_inputs_as_floats_give_the_numbers_of_arrays(name, monkeypatch):
    """With every input a row of an array, no zero term or unit factor is skipped: the
    numbers are the same."""
    from hubinsim.model import inputs

    scn = _scenario(name)
    fast = hubinsim.simulate(scn, members=3).values
    original = inputs._ArrayRows.__init__

    def arrays_only(self, x):
        original(self, x)
        self.columns = {}

    monkeypatch.setattr(inputs._ArrayRows, "__init__", arrays_only)
    _same(hubinsim.simulate(scn, members=3).values, fast)


@pytest.mark.parametrize("members", [1, 3])
def test_evaluations_for_reported_quantities_alone_skip_only_the_flows(monkeypatch, members):
    from hubinsim.model import core

    scn = _scenario("stimulus")
    fast = hubinsim.simulate(scn, members=members).values
    original, asked = core.rates, []

    def always_flows(t, s, x, c, p, want_aux, want_rates=True):
        asked.append(want_rates)
        return original(t, s, x, c, p, want_aux, True)

    monkeypatch.setattr(core, "rates", always_flows)
    _same(hubinsim.simulate(scn, members=members).values, fast)
    assert False in asked  # the year ends and the last point


def test_target_shares_keep_the_2020_mix_where_services_take_everything():
    from hubinsim.model.people import target_shares

    shares0 = (0.2, 0.3, 0.5)
    rel = (np.array([1.0, 1e-300]), np.array([1.0, 1e-300]), np.array([1.0, 1e300]))
    p = {"labour.reallocation_elasticity": np.array([1.0, 1.0])}
    tp, ts, tt = target_shares(shares0, rel, 0.0, p)
    np.testing.assert_allclose(tp + ts + tt, 1.0)
    # Member 0 keeps its 2020 shares; member 1's services target is capped at 0.98 and the
    # rest is split in the 2020 proportion of primary and secondary.
    np.testing.assert_allclose([tp[0], ts[0], tt[0]], shares0)
    np.testing.assert_allclose([tp[1], ts[1], tt[1]], [0.02 * 0.4, 0.02 * 0.6, 0.98])


@pytest.mark.parametrize(
    "keep",
    [["gdp_real"], ["new_urban_jobs_cumulative", "unemployment_rate_pct"], "headline"],
)
def test_kept_indicators_accumulate_only_what_they_need(keep, monkeypatch):
    from hubinsim.ensemble import kept_indicators, run_members
    from hubinsim.model import core

    scn = _scenario("stimulus")
    samples = {"capital.depreciation": np.array([0.06, 0.08, 0.1])}
    names = kept_indicators(keep, 3)
    full = run_members(scn, samples, keep="all").values
    original, asked = core.quantities_for, []

    def quantities_for(indicators, aux):
        asked.append(aux)
        return original(indicators, aux)

    monkeypatch.setattr(core, "quantities_for", quantities_for)
    part = run_members(scn, samples, keep=keep).values
    _same(part, {k: full[k] for k in names})
    assert len(original(tuple(names), asked[0])) < len(asked[0])
    assert original(("gdp_real",), asked[0]) == {
        f"va_{s}_real" for s in ("primary", "industry", "construction", "tertiary")
    }


def test_uncorrelated_draws_equal_the_transform_of_the_unit_sample():
    from hubinsim.uncertainty import parse_uncertainty

    unc = parse_uncertainty(
        {
            "parameters": {
                "capital.depreciation": {"dist": "triangular", "mode": 0.08},
                "labour.okun": {"dist": "uniform"},
            }
        }
    )
    x = unc.transform(unc.unit_sample(50, 7, "lhs"))
    got = unc.sample(50, 7, "lhs")
    for j, name in enumerate(unc.names):
        np.testing.assert_array_equal(got[name], x[:, j])
        assert got[name].flags.c_contiguous


def test_forked_workers_write_their_members_into_shared_memory():
    from hubinsim import ensemble

    scn = _scenario("stimulus")
    unc = {"parameters": {"capital.depreciation": {"dist": "uniform"}}}
    kw = dict(draws=30, seed=2, uncertainty=unc, chunk_size=7, keep="headline")
    serial = ensemble.run_ensemble(scn, **kw)
    assert ensemble._can_share_memory()  # Linux forks its workers
    shared = ensemble.run_ensemble(scn, workers=2, **kw)
    _same(shared.values, serial.values)
    assert shared.metadata["units"] == serial.metadata["units"]
