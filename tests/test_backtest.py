"""Backtests: the scores against hand-computed values, each benchmark on series made by hand,
the statsmodels benchmarks run or skipped with the reason, the model fitted up to the origin
on figures it made itself, the folder and the command."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from support import ROOT, invoke, leftovers

import hubinsim
from hubinsim.actuals import COLUMNS
from hubinsim.analysis.backtest import MIN_ARIMA, MIN_HOLT, forecast_scores
from hubinsim.analysis.calibration import synthetic_actuals
from hubinsim.data import load_targets

BASELINE = ROOT / "scenarios" / "baseline.toml"
YEARS = list(range(2012, 2025))
#: The warning of scores that rest on fewer than three years.
FEW = ".* scores rest on fewer than 3 years"


def series(indicator, values, years=YEARS, basis="level"):
    return [
        {"indicator": indicator, "year": y, "basis": basis, "value": v}
        for y, v in zip(years, values, strict=True)
    ]


@pytest.fixture(scope="module")
def hand():
    """Retail sales growing 6 % a year from 2012 and an unemployment rate that wobbles,
    backtested from 2022 with the scenario as it is."""
    rows = series("retail_sales", [80 * 1.06 ** (y - 2012) for y in YEARS])
    rows += series("unemployment_rate_pct", [3.0 + 0.1 * math.sin(y) for y in YEARS])
    rows += series("va_primary", [7.0, 7.5, 8.1], years=[2021, 2022, 2023])
    with warnings.catch_warnings():  # two years scored: warned of, tested below
        warnings.filterwarnings("ignore", message=FEW)
        return hubinsim.backtest(None, pd.DataFrame(rows), 2022)


def scores(bt, indicator, method, basis="level"):
    t = bt.table
    return t[(t["indicator"] == indicator) & (t["basis"] == basis) & (t["method"] == method)].iloc[
        0
    ]


def test_the_scores_match_hand_computed_values():
    s = forecast_scores([110.0, 121.0], [108.0, 125.0], 100.0, relative=True)
    assert s["n"] == 2
    assert s["mean_error"] == pytest.approx(1.0)
    assert s["rmse"] == pytest.approx(math.sqrt(10.0))
    assert s["mape"] == pytest.approx(100 * (2 / 110 + 4 / 121) / 2)
    assert s["theil_u"] == pytest.approx(math.sqrt(20 / 541))
    rate = forecast_scores([3.1, 2.9], [3.0, 3.0], 3.2, relative=False)
    assert math.isnan(rate["mape"])
    assert rate["theil_u"] == pytest.approx(math.sqrt(0.02) / math.sqrt(0.01 + 0.09))
    assert math.isnan(forecast_scores([5.0], [4.0], 5.0, relative=True)["theil_u"])


def test_no_change_and_constant_growth_are_the_hand_forecasts(hand):
    w = hand.wide("va_primary")
    assert list(w.loc[2023, ["no_change", "last_growth"]]) == pytest.approx([7.5, 7.5**2 / 7.0])
    nc = scores(hand, "va_primary", "no_change")
    assert nc["mean_error"] == pytest.approx(7.5 - 8.1)
    assert nc["mape"] == pytest.approx(100 * 0.6 / 8.1)
    assert nc["theil_u"] == pytest.approx(1.0)
    lg = scores(hand, "va_primary", "last_growth")
    assert lg["theil_u"] == pytest.approx(abs(7.5**2 / 7.0 - 8.1) / 0.6)
    # a series growing at a constant rate is forecast exactly by its last rate
    assert scores(hand, "retail_sales", "last_growth")["mape"] < 1e-9
    u = scores(hand, "unemployment_rate_pct", "no_change")
    assert u["mean_error"] == pytest.approx(
        np.mean([3.0 + 0.1 * math.sin(2022) - (3.0 + 0.1 * math.sin(y)) for y in (2023, 2024)])
    )
    assert (
        "constant growth is no change"
        in scores(hand, "unemployment_rate_pct", "last_growth")["note"]
    )


def test_the_plan_rate_takes_the_base_to_the_target(hand):
    row = scores(hand, "retail_sales", "plan_growth")
    target = next(t for t in load_targets() if t.indicator == "retail_sales")
    base = hubinsim.simulate(end=2021).annual.loc[2020, "retail_sales"]
    g = (target.target / base) ** (1 / (target.year - 2020)) - 1
    a0 = 80 * 1.06**10
    w = hand.wide("retail_sales")
    assert list(w.loc[[2023, 2024], "plan_growth"]) == pytest.approx(
        [a0 * (1 + g), a0 * (1 + g) ** 2]
    )
    assert f"{g * 100:.3g} %/yr" in row["note"]
    assert "no target" in scores(hand, "va_primary", "plan_growth")["note"]


def test_the_statistical_benchmarks_run_on_long_series_and_are_skipped_on_short(hand):
    for method in ("holt", "arima"):
        long = scores(hand, "retail_sales", method)
        assert long["n"] == 2
        # a series of constant growth continues it (in logs, a straight line)
        assert long["mape"] < 1e-4
        short = scores(hand, "va_primary", method)
        assert short["n"] == 0 and math.isnan(short["rmse"])
        need = MIN_HOLT if method == "holt" else MIN_ARIMA
        assert f"needs at least {need}" in short["note"] and "3 consecutive" in short["note"]
    assert scores(hand, "unemployment_rate_pct", "holt")["n"] == 2


@pytest.mark.filterwarnings(f"ignore:{FEW}")
def test_the_model_fitted_up_to_the_origin_forecasts_figures_it_made_exactly():
    truth = {"tfp.growth_tertiary": 0.018, "labour.okun": 0.3}
    obs = synthetic_actuals(parameters=truth, years=range(2021, 2026))
    bt = hubinsim.backtest(None, obs, 2023, list(truth), starts=1)
    assert bt.calibration.values == pytest.approx(truth, abs=1e-6)
    model = bt.table[bt.table["method"] == "model"]
    assert (model["n"] == 2).all()
    assert (model["rmse"].abs() < 1e-6 * (1 + model["rmse"].abs().max())).all()
    assert (bt.table.set_index("method").loc["no_change", "rmse"] > 1e-3).all()
    # the fit saw only the years up to the origin
    assert bt.calibration.residuals["year"].max() == 2023


@pytest.mark.filterwarnings(f"ignore:{FEW}")
def test_without_a_fit_the_model_is_the_scenario_as_it_is():
    obs = synthetic_actuals(years=range(2021, 2024))
    bt = hubinsim.backtest(None, obs, 2021)
    assert bt.calibration is None
    assert (bt.table[bt.table["method"] == "model"]["rmse"] < 1e-9).all()


@pytest.mark.parametrize("origin", [2019, 2025, 2030])
def test_an_origin_without_figures_after_it_is_refused(origin):
    obs = synthetic_actuals(years=range(2021, 2026))
    with pytest.raises(hubinsim.ScenarioError, match="origin"):
        hubinsim.backtest(None, obs, origin)


def test_the_command_writes_scores_forecasts_and_a_chart_per_series(tmp_path):
    obs = synthetic_actuals(parameters={"labour.okun": 0.3}, years=range(2021, 2025))
    path = tmp_path / "actuals.csv"
    obs.assign(period="year")[list(COLUMNS)].to_csv(path, index=False, float_format="%.12g")
    out = tmp_path / "runs"
    res = invoke(
        "backtest", BASELINE, "--actuals", path, "--origin", 2022, "--fit", "labour.okun",
        "--starts", 1, "--out", out,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    folder = out / "backtest-baseline-2022"
    table = pd.read_csv(folder / "scores.csv")
    assert set(table["method"]) >= {"model", "no_change", "holt", "arima"}
    n_series = len(table[["indicator", "basis"]].drop_duplicates())
    assert len(list((folder / "charts").glob("backtest_*.png"))) == n_series
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["origin"] == 2022 and record["fitted"] == ["labour.okun"]
    assert hubinsim.load_scenario(folder / "baseline-calibrated.toml").parameters[
        "labour.okun"
    ] == pytest.approx(0.3, abs=1e-6)
    assert "Theil U" in res.output
    out, wrote = res.output, res.output.index("Wrote ")
    assert -1 < out.find("The model fitted to the origin beats no change on ") < wrote
    assert -1 < out.find("Warning: ") < wrote  # two years scored, among others
    skipped = table[table["n"].isna() | (table["n"] == 0)]
    reasons = out.count("No forecast from ")
    assert 0 < reasons < len(skipped) and "needs at least" not in out
    assert (folder / "summary.csv").is_file()


def test_the_command_refuses_an_origin_after_the_figures_and_writes_nothing(tmp_path):
    obs = synthetic_actuals(years=range(2021, 2023))
    path = tmp_path / "actuals.csv"
    obs.assign(period="year")[list(COLUMNS)].to_csv(path, index=False)
    res = invoke("backtest", BASELINE, "--actuals", path, "--origin", 2022, "--out", tmp_path / "o")
    assert res.exit_code == 2
    assert "origin: 2022 leaves no actual figure after it" in res.output
    assert str(path) in res.output and "Traceback" not in res.output
    assert leftovers(tmp_path / "o") == []


def test_the_summary_counts_the_series_the_model_beats_each_benchmark_on():
    obs = synthetic_actuals(years=range(2021, 2026))  # the scenario's own figures
    bt = hubinsim.backtest(None, obs, 2022)  # three years scored: no warning
    model = bt.table[bt.table["method"] == "model"].set_index(["indicator", "basis"])
    assert (model["n"] == 3).all() and (model["rmse"] < 1e-9).all()
    summary = bt.summary().set_index(["model", "benchmark"])
    no_change = summary.loc[("model", "no_change")]
    scored = bt.table[(bt.table["method"] == "no_change") & (bt.table["n"] > 0)]
    assert no_change["series"] == len(scored)
    assert no_change["beats"] == int((scored["rmse"] > 1e-9).sum())  # exact beats any miss
    line = bt.summary_lines()[0]
    assert line.startswith("The model fitted to the origin beats no change on ")
    assert f"no change on {no_change['beats']} of {no_change['series']} series" in line


def test_scores_of_fewer_than_three_years_are_warned_of():
    obs = synthetic_actuals(years=range(2021, 2026))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bt = hubinsim.backtest(None, obs, 2024)
    few = [str(w.message) for w in caught if "rest on fewer than 3 years" in str(w.message)]
    scored = bt.table[bt.table["n"] > 0]
    assert len(few) == 1 and f"{len(scored)} of {len(scored)} scores" in few[0]


def test_methods_without_a_forecast_collapse_into_one_line_per_reason(hand):
    skipped = hand.skipped()
    rows = hand.table[hand.table["n"] == 0]
    assert skipped["rows"].sum() == len(rows)
    assert skipped["reason"].is_unique
    short = skipped[skipped["reason"].str.startswith(f"fewer than {MIN_ARIMA} consecutive")]
    assert len(short) == 1 and "ARIMA" in short["methods"].iloc[0]
