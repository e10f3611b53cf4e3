"""Calibration against actual figures: recovery of known parameters from figures the model
made itself (without noise, with noise), identification warnings, the scenario fragment, the
folder and the command.

(Kept apart from test_analysis so that the calibration's tests read as one story. The true
values are set by each test and the figures come from the model, so the tests hold whatever
the model's numbers are.)"""

from __future__ import annotations

import hashlib
import json
import tomllib
import warnings

import numpy as np
import pandas as pd
import pytest
from support import ROOT, invoke, leftovers

import hubinsim
from hubinsim.actuals import COLUMNS
from hubinsim.analysis.calibration import synthetic_actuals

BASELINE = ROOT / "scenarios" / "baseline.toml"
#: Known parameters, each away from its scenario value and inside its range. (Okun's
#: coefficient is not among them: in model 2.1 unemployment stays near its sourced natural
#: rate, the trough's job losses leaving the labour force, so noisy figures cannot identify
#: it: standard error 0.7-1.2 over its range 0.1-0.5.)
TRUE = {
    "tfp.growth_tertiary": 0.018,
    "consumption.services_income_elasticity": 1.5,
    "fiscal.buoyancy": 1.1,
}


def to_file(frame: pd.DataFrame, path):
    """A table of synthetic actuals written as an actuals file."""
    out = frame.assign(period="year")[list(COLUMNS)]
    out.to_csv(path, index=False, float_format="%.12g")
    return path


@pytest.fixture(scope="module")
def exact():
    return synthetic_actuals(parameters=TRUE)


@pytest.fixture(scope="module")
def exact_fit(exact):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return hubinsim.calibrate(None, exact, list(TRUE), starts=3, seed=1)


def test_without_noise_the_parameters_are_recovered_to_1e_6(exact_fit):
    est = exact_fit.estimates
    start = est["start"].to_numpy()
    truth = np.array(list(TRUE.values()))
    assert np.all(np.abs(start - truth) > 1e-3)  # the fit had somewhere to go
    np.testing.assert_allclose(est["estimate"].to_numpy(), truth, rtol=0, atol=1e-6)
    assert est["identified"].all() and not est["on_bound"].any()
    assert exact_fit.warnings == []
    assert exact_fit.metadata["cost"] < 1e-12 < exact_fit.metadata["cost_start"]
    assert (exact_fit.fit["rmse"] < 1e-6 * exact_fit.fit["rmse_start"].abs().max()).all()


def test_with_noise_the_estimates_lie_within_two_standard_errors():
    truth = np.array(list(TRUE.values()))
    inside = []
    for seed in range(4):
        noisy = synthetic_actuals(parameters=TRUE, noise=1.0, seed=seed)
        with warnings.catch_warnings():  # (the elasticity's 1.5 lies near its bound 1.6)
            warnings.filterwarnings("ignore", message=".*within two standard errors")
            cal = hubinsim.calibrate(None, noisy, list(TRUE), starts=1)
        est = cal.estimates
        assert est["identified"].all()
        assert (est["se"] > 0).all()
        z = (est["estimate"].to_numpy() - truth) / est["se"].to_numpy()
        assert np.all(np.abs(z) < 4), (seed, z)
        inside.append(np.abs(z) < 2)
    # each parameter within two standard errors in at least 3 of the 4 noisy samples
    # (about 95 % of samples each when the errors are right)
    assert (np.sum(inside, axis=0) >= 3).all(), inside


def test_the_correlation_matrix_is_symmetric_with_a_unit_diagonal(exact_fit):
    corr = exact_fit.correlation.to_numpy()
    np.testing.assert_allclose(corr, corr.T, atol=1e-12)
    np.testing.assert_allclose(np.diag(corr), 1.0, atol=1e-12)
    assert np.all(np.abs(corr) <= 1 + 1e-12)
    cov = exact_fit.covariance.to_numpy()
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), exact_fit.estimates["se"], rtol=1e-12)


def test_a_parameter_the_figures_cannot_see_is_not_identified():
    # the voucher multiplier acts only through vouchers, which business as usual does not pay
    exact = synthetic_actuals(parameters={"tfp.growth_tertiary": 0.018})
    with pytest.warns(UserWarning, match="consumption.voucher_multiplier is not identified"):
        cal = hubinsim.calibrate(
            None, exact, ["tfp.growth_tertiary", "consumption.voucher_multiplier"], starts=1
        )
    est = cal.estimates
    assert not est.loc["consumption.voucher_multiplier", "identified"]
    assert np.isnan(est.loc["consumption.voucher_multiplier", "se"])
    assert est.loc["tfp.growth_tertiary", "identified"]
    assert est.loc["tfp.growth_tertiary", "estimate"] == pytest.approx(0.018, abs=1e-6)
    assert "not identified" in cal.fragment()


def test_a_parameter_the_figures_barely_constrain_is_weakly_identified(exact):
    # one figure, trusted to within a factor of e: no degrees of freedom, so the stated
    # measurement error sets the standard error, far wider than the parameter's range
    one = exact[(exact["indicator"] == "gdp") & (exact["basis"] == "level")].iloc[:1]
    with pytest.warns(UserWarning, match="tfp.growth_tertiary is weakly identified"):
        cal = hubinsim.calibrate(
            None, one, ["tfp.growth_tertiary"], starts=1,
            measurement_sd={("level", "preliminary"): 1.0},
        )  # fmt: skip
    row = cal.estimates.loc["tfp.growth_tertiary"]
    assert row["identified"] and row["se"] > 0.5 * (row["high"] - row["low"])
    assert "weakly identified" in row["note"]
    # the same figure trusted to 0.01 % constrains it: 10,000 times the narrower error
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tight = hubinsim.calibrate(
            None, one, ["tfp.growth_tertiary"], starts=1,
            measurement_sd={("level", "preliminary"): 1e-4},
        )  # fmt: skip
    assert tight.estimates.loc["tfp.growth_tertiary", "se"] == pytest.approx(row["se"] * 1e-4)


def test_an_estimate_pushed_beyond_its_range_is_reported_on_its_bound(exact):
    more_revenue = exact.copy()
    rows = more_revenue["indicator"] == "fiscal_revenue"
    more_revenue.loc[rows, "value"] *= np.exp(0.3 * (more_revenue.loc[rows, "year"] - 2020))
    with warnings.catch_warnings(record=True) as caught:  # (a fit this poor is weak too)
        warnings.simplefilter("always")
        cal = hubinsim.calibrate(None, more_revenue, ["fiscal.buoyancy"], starts=1)
    assert any("fiscal.buoyancy = " in str(w.message) and "on the upper bound" in str(w.message)
               for w in caught)  # fmt: skip
    row = cal.estimates.loc["fiscal.buoyancy"]
    assert row["on_bound"] and row["estimate"] == pytest.approx(row["high"])


@pytest.mark.parametrize("seed, near", [(1, True), (2, False)])
def test_an_estimate_within_two_standard_errors_of_a_bound_is_reported(seed, near):
    """Buoyancy 0.81 (range 0.8-1.3) with noise: seed 1 estimates 0.804 (se 0.028), whose
    interval crosses the bound; seed 2 estimates 0.877 (se 0.032), whose interval does not."""
    noisy = synthetic_actuals(parameters={"fiscal.buoyancy": 0.81}, noise=1.0, seed=seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = hubinsim.calibrate(None, noisy, ["fiscal.buoyancy"], starts=1)
    row = cal.estimates.loc["fiscal.buoyancy"]
    assert not row["on_bound"]
    said = [str(w.message) for w in caught if "within two standard errors" in str(w.message)]
    assert bool(said) is near
    if near:
        assert "lower bound 0.8" in said[0]
        assert (row["estimate"] - row["low"]) < 2 * row["se"]


def test_the_fit_table_is_the_residuals_summarised():
    off = synthetic_actuals()  # the scenario's own parameters
    off.loc[off["indicator"] == "gdp", "value"] *= 1.01
    with warnings.catch_warnings():  # how well the misfit identifies it is not the point
        warnings.simplefilter("ignore")
        cal = hubinsim.calibrate(None, off, ["labour.okun"], starts=1)
    res = cal.residuals
    gdp = res[(res["indicator"] == "gdp") & (res["basis"] == "level")]
    err = gdp["model"] - gdp["actual"]
    row = cal.fit.set_index(["indicator", "basis"]).loc[("gdp", "level")]
    assert row["n"] == len(gdp) == 5
    assert row["rmse"] == pytest.approx(np.sqrt(np.mean(err**2)))
    assert row["bias"] == pytest.approx(err.mean())
    assert row["mape"] == pytest.approx(100 * np.mean(np.abs(err / gdp["actual"])))
    # at the start the model is the figures' maker: GDP is exactly 1/1.01 of the figures
    assert row["mape_start"] == pytest.approx(100 * (1 - 1 / 1.01), rel=1e-9)
    assert row["bias_start"] == pytest.approx(np.mean(gdp["actual"] / 1.01 - gdp["actual"]))
    tertiary = cal.fit.set_index(["indicator", "basis"]).loc[("va_tertiary", "level")]
    assert tertiary["rmse_start"] < 1e-9 * tertiary["n"] * 1000


def test_the_fragment_extends_the_scenario_and_names_the_figures(tmp_path, short):
    scn = hubinsim.load_scenario(short)
    two = {"tfp.growth_tertiary": 0.018, "labour.okun": 0.3}
    path = to_file(synthetic_actuals(scn, two), tmp_path / "a.csv")
    cal = hubinsim.calibrate(short, path, ["tfp.growth_tertiary", "labour.okun"], starts=1)
    text = cal.fragment()
    assert hashlib.sha256(path.read_bytes()).hexdigest() in text
    frag = tmp_path / "calibrated.toml"
    frag.write_text(text, encoding="utf-8")
    loaded = hubinsim.load_scenario(frag)
    for name in ("tfp.growth_tertiary", "labour.okun"):
        assert loaded.parameters[name] == pytest.approx(two[name], abs=1e-6)
    assert loaded.levers["vouchers"] == scn.levers["vouchers"]  # the rest from `extends`
    assert tomllib.loads(text)["scenario"]["extends"] == str(short.resolve())
    ensemble = tmp_path / "ensemble.toml"
    ensemble.write_text(cal.fragment(uncertainty=True), encoding="utf-8")
    drawn = hubinsim.load_scenario(ensemble)
    assert "labour.okun" not in drawn.parameters  # drawn, not fixed
    assert drawn.levers["vouchers"] == scn.levers["vouchers"]
    res = hubinsim.simulate(drawn, draws=50, seed=1)
    okun = np.asarray(res.metadata["samples"]["labour.okun"])
    assert abs(np.median(okun) - 0.3) < 0.01


def test_with_uncertainty_the_calibrated_covariance_replaces_the_ranges(tmp_path, exact):
    noisy = synthetic_actuals(parameters=TRUE, noise=1.0, seed=3)
    # (this sample puts the services income elasticity within two standard errors of 1.6)
    with pytest.warns(UserWarning, match="within two standard errors"):
        cal = hubinsim.calibrate(None, noisy, list(TRUE), starts=1)
    frag = tmp_path / "cal.toml"
    frag.write_text(cal.fragment(uncertainty=True), encoding="utf-8")
    scn = hubinsim.load_scenario(frag)
    res = hubinsim.simulate(scn, draws=400, seed=2)
    drawn = res.metadata["samples"]
    for name in TRUE:
        x = np.asarray(drawn[name])
        row = cal.estimates.loc[name]
        assert row["low"] <= x.min() and x.max() <= row["high"]
        # far narrower than the range, centred on the estimate
        assert x.std() < 0.5 * (row["high"] - row["low"]) / np.sqrt(12)
        assert abs(np.median(x) - row["estimate"]) < 0.5 * row["se"]
    other = np.asarray(drawn["capital.depreciation"])  # not calibrated: uniform over its range
    assert other.std() > 0.2 * (0.11 - 0.05)


def test_unknown_and_repeated_parameters_are_refused_together(exact):
    with pytest.raises(hubinsim.ScenarioError) as err:
        hubinsim.calibrate(None, exact, ["labour.okn", "fiscal.buoyancy", "fiscal.buoyancy"])
    text = str(err.value)
    assert "unknown parameter 'labour.okn'" in text and "labour.okun" in text
    assert "each parameter once" in text


def test_more_parameters_than_figures_is_refused(exact):
    few = exact[(exact["indicator"] == "gdp") & (exact["year"] == 2021)].iloc[:1]
    with pytest.raises(hubinsim.ScenarioError, match="fewer than the 2 parameters"):
        hubinsim.calibrate(None, few, ["labour.okun", "fiscal.buoyancy"])


def test_figures_the_model_cannot_compare_are_left_out_with_a_note():
    exact = synthetic_actuals()  # the scenario's own parameters: the fit is exact
    extra = pd.concat(
        [
            exact,
            pd.DataFrame(
                {"indicator": ["retail_sales"], "year": [2022], "basis": ["real_growth_pct"]}
            ).assign(value=5.0),
        ]
    )
    cal = hubinsim.calibrate(None, extra, ["fiscal.buoyancy"], starts=1)
    assert any("retail_sales 2022 (real_growth_pct)" in n for n in cal.notes)
    assert len(cal.residuals) == len(exact)


def test_the_command_writes_the_folder_and_prints_the_estimates(tmp_path):
    two = {"labour.okun": 0.3, "fiscal.buoyancy": 1.1}
    path = to_file(synthetic_actuals(parameters=two), tmp_path / "actuals.csv")
    out = tmp_path / "runs"
    args = ["calibrate", BASELINE, "--actuals", path, "--out", out]
    res = invoke(
        *args, "--fit", "labour.okun", "--fit", "fiscal.buoyancy", "--starts", 1, "--uncertainty"
    )
    assert res.exit_code == 0, res.output
    folder = out / "calibrate-baseline"
    assert "labour.okun" in res.output and "fiscal.buoyancy" in res.output
    est = pd.read_csv(folder / "estimates.csv", index_col=0)
    assert est.loc["labour.okun", "estimate"] == pytest.approx(0.3, abs=1e-6)
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["command"].startswith("hubinsim calibrate")
    assert record["actuals_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    scn = hubinsim.load_scenario(folder / "baseline-calibrated.toml")
    assert scn.parameters["fiscal.buoyancy"] == pytest.approx(1.1, abs=1e-6)
    ens = hubinsim.load_scenario(folder / "baseline-calibrated-ensemble.toml")
    assert "fiscal.buoyancy" not in ens.parameters
    for name in ("fit.csv", "residuals.csv", "starts.csv", "correlation.csv"):
        assert (folder / name).is_file()


def test_the_command_refuses_an_unknown_parameter_and_writes_nothing(tmp_path):
    path = to_file(synthetic_actuals(parameters=TRUE, years=[2021]), tmp_path / "actuals.csv")
    out = tmp_path / "runs"
    res = invoke(
        "calibrate", BASELINE, "--actuals", path, "--fit", "labour.okn",
        "--out", out,
    )  # fmt: skip
    assert res.exit_code == 2
    assert "unknown parameter 'labour.okn'" in res.output and "Traceback" not in res.output
    assert leftovers(out) == []


def test_the_command_names_the_line_of_a_bad_actuals_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,year,period,value,basis,vintage,source\ngdp,2021,year,abc,level,final,x\n",
        encoding="utf-8",
    )
    res = invoke(
        "calibrate", BASELINE, "--actuals", bad, "--fit", "labour.okun",
        "--out", tmp_path / "runs",
    )  # fmt: skip
    assert res.exit_code == 2
    assert "bad.csv:2" in res.output
    assert leftovers(tmp_path / "runs") == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fit": 3}, "fit: the names of the parameters"),
        ({"fit": "labour.okun", "starts": True}, "starts: a whole number >= 1"),
        ({"fit": "labour.okun", "seed": "x"}, "seed: a whole number >= 0"),
        ({"fit": "labour.okun", "years": "2021"}, "years: a list of whole years"),
        ({"fit": "labour.okun", "vintage": "draft"}, "vintage: unknown 'draft'"),
        ({"fit": "labour.okun", "actuals": 5}, "actuals: the actual figures"),
    ],
)
def test_bad_arguments_of_the_api_are_refused_with_a_message(exact, kwargs, message):
    kwargs = {"actuals": exact, **kwargs}
    with pytest.raises(hubinsim.HubinsimError, match=message):
        hubinsim.calibrate(None, **kwargs)


def skewed_actuals():
    """GDP's figures as the scenario's own values make them, tertiary value added's as a
    much higher tertiary TFP makes them (final figures, trusted twice as much): fitting
    tertiary TFP to both moves GDP away from its figures."""
    own = synthetic_actuals(indicators=("gdp",), growth=("gdp",))
    other = synthetic_actuals(
        parameters={"tfp.growth_tertiary": 0.024}, indicators=("va_tertiary",),
        growth=("va_tertiary",), vintage="final",
    )  # fmt: skip
    return pd.concat([own, other], ignore_index=True)


def test_a_fit_that_worsens_a_headline_series_is_warned_of_with_the_fit_side_by_side():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = hubinsim.calibrate(None, skewed_actuals(), ["tfp.growth_tertiary"], starts=1)
    fit = cal.fit.set_index(["indicator", "basis"])
    assert (fit.loc["gdp", "rmse_start"] < 1e-6).all()
    assert fit.loc["gdp", "worse"].all() and not fit.loc["va_tertiary", "worse"].all()
    assert fit["share_pct"].sum() == pytest.approx(100.0)
    assert fit["wss"].sum() == pytest.approx(cal.metadata["cost"])
    text = [str(w.message) for w in caught]
    assert all(w in text for w in cal.warnings)
    warned = 0
    for basis in ("level", "real_growth_pct"):
        row = fit.loc[("gdp", basis)]
        said = any(f"calibrated fit of gdp ({basis}) is worse" in t for t in text)
        assert said == (row["wss"] > row["n"])  # worse by more than the stated errors
        warned += said
    assert warned >= 1
    header = cal.fragment().split("[scenario]")[0]  # the file says not to project with it
    assert "NOT RECOMMENDED FOR PROJECTIONS" in header and "gdp (" in header
    top = fit["share_pct"].idxmax()
    said = any(f"one series dominates the fit: {top[0]} ({top[1]}" in t for t in text)
    assert said == (fit["share_pct"].max() > 40 and cal.metadata["s2"] > 1)
    s2 = cal.metadata["s2"]
    assert f"s^2 = {s2:.3g}" in cal.metadata["s2_meaning"]


def test_a_series_that_dominates_a_poor_fit_is_warned_of():
    obs = synthetic_actuals(indicators=("gdp", "va_tertiary"), growth=("gdp",))
    tertiary = obs["indicator"] == "va_tertiary"  # 30 % above anything the model makes
    obs["value"] = obs["value"].where(~tertiary, obs["value"] * 1.3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = hubinsim.calibrate(None, obs, ["tfp.growth_tertiary"], starts=1)
    share = cal.fit.set_index(["indicator", "basis"])["share_pct"]
    assert share.idxmax() == ("va_tertiary", "level") and share.max() > 40
    text = [str(w.message) for w in caught]
    assert any("one series dominates the fit: va_tertiary (level" in t for t in text)
    assert cal.metadata["s2"] > 4 and any(t.startswith("poor fit: s^2") for t in text)


def test_the_command_prints_the_fit_warnings_and_s2_before_what_it_wrote(tmp_path):
    path = to_file(skewed_actuals(), tmp_path / "actuals.csv")
    res = invoke(
        "calibrate", BASELINE, "--actuals", path, "--fit", "tfp.growth_tertiary",
        "--starts", 1, "--out", tmp_path / "runs",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = res.output
    wrote = out.index("Wrote ")
    assert -1 < out.find("Warning: the calibrated fit of gdp (") < wrote
    assert -1 < out.find("s^2 = ") < wrote
    assert "RMSE before" in out and "% of WSS" in out
    assert out.count("Warning: ") == len(set(out.split("Warning: ")[1:]))  # each once
    fit = pd.read_csv(tmp_path / "runs" / "calibrate-baseline" / "fit.csv")
    assert {"rmse_start", "rmse", "share_pct", "worse"} <= set(fit.columns)


def test_backtest_prints_the_calibration_warnings_before_what_it_wrote(tmp_path):
    path = to_file(skewed_actuals(), tmp_path / "actuals.csv")
    res = invoke(
        "backtest", BASELINE, "--actuals", path, "--origin", 2023, "--fit",
        "tfp.growth_tertiary", "--starts", 1, "--no-charts", "--out", tmp_path / "runs",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert -1 < res.output.find("Warning: the calibrated fit of gdp (") < res.output.index("Wrote ")
