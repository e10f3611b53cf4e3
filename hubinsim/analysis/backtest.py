"""Backtests: the model fitted on the years up to an origin, projected after it, and scored
against the actual figures side by side with simple forecasts (:func:`backtest`).

::

    import hubinsim
    bt = hubinsim.backtest("scenarios/baseline.toml", "actuals.csv", origin=2022,
                           fit=["tfp.growth_tertiary", "labour.okun"])
    bt.table                  # per series and method: n, MAPE, mean error, RMSE, Theil's U
    bt.forecasts              # every forecast of every method, year by year, with the actual
    bt.wide("gdp", "level")   # one series: the actual and each method's forecast by year

**The series** are the full-year figures of the actuals file (:meth:`Actuals.figures
<hubinsim.actuals.Actuals.figures>`, the latest vintage unless ``vintage``), one series per
indicator and basis (``level``, ``real_growth_pct``, ``nominal_growth_pct``), that have at
least one figure after the origin. The history of a series is its figures up to the origin
(years before 2020 included; a level the file does not give in 2020 is the 2020 base data,
which the model starts from); the benchmarks use its last run of consecutive years ending in
the origin.

**The methods** (each forecasts the years after the origin; ``h`` years ahead, ``a₀`` the
actual of the origin, ``a₋₁`` the year before):

- ``model``: the scenario with the parameters ``fit`` calibrated on the figures of the years
  up to the origin (:func:`~hubinsim.analysis.calibration.calibrate`; without ``fit``, the
  scenario as it is), run from 2020;
- ``model_anchored`` (levels): the model's path moved through the origin's actual, as
  forecasters correct an intercept: ``m_t a₀ / m₀`` for an amount, ``m_t + a₀ - m₀`` for a
  rate or share;
- ``no_change``: ``a₀`` in every year (a growth rate: the last growth rate);
- ``last_growth`` (amounts): constant growth at the last observed rate, ``a₀ (a₀/a₋₁)^h``;
  a rate or growth rate has no growth of its own (its constant growth is no change);
- ``plan_growth``: constant growth at the plan's target rate: for an amount with a level
  target T in year Y (``data/targets.csv``), the rate that takes the 2020 base to it,
  ``(T / base)^(1/(Y-2020)) - 1``, applied from ``a₀``; for a growth rate with a target, the
  target; for a rate or share, the plan's yearly change in points from the base to the
  target, or the target itself where it holds in every year;
- ``holt``: Holt's linear exponential smoothing (statsmodels, parameters estimated), of the
  logarithm of an amount, of the values of a rate; it needs :data:`MIN_HOLT` years;
- ``arima``: ARIMA(1,1,0) with drift of the logarithm of an amount, ARIMA(1,0,0) with a
  constant of a rate (statsmodels); it needs :data:`MIN_ARIMA` years.

A method that cannot forecast a series is listed with the reason (``note``) and no scores.

**The scores** over the years after the origin that have an actual figure, with errors
``e_t = f_t - a_t``: the mean error (bias, in the series' unit), the RMSE, the MAPE
(``100 mean |e_t / a_t|``, levels of amounts only: a percentage error of a rate or a growth
rate divides by a number near zero) and Theil's U against the no-change forecast,
``sqrt(Σ e_t²) / sqrt(Σ (a₀ - a_t)²)``: below 1 the method beats no change, 1 is no change
itself (:func:`forecast_scores`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..catalog import INDICATOR_BY_NAME
from ..data import load_targets
from ..errors import ScenarioError
from ..model.inputs import BASE_YEAR
from ..run.simulation import as_scenario
from ..run.single import run_scenario
from ..scenario.settings import Scenario, TimeSettings
from .calibration import (
    MEASUREMENT_SD,
    Calibration,
    calibrate,
    figure_kind,
    fit_problems,
    model_values_of,
    observations,
    residual_plan,
)

#: The methods, in the order of the tables.
METHODS = (
    "model",
    "model_anchored",
    "no_change",
    "last_growth",
    "plan_growth",
    "holt",
    "arima",
)
#: What each method is, for tables and charts.
METHOD_LABELS = {
    "model": "model (fitted to the origin)",
    "model_anchored": "model, anchored at the origin",
    "no_change": "no change",
    "last_growth": "constant growth at the last rate",
    "plan_growth": "constant growth at the plan's rate",
    "holt": "Holt exponential smoothing",
    "arima": "ARIMA",
}
#: Years of history (up to the origin, consecutive) Holt's smoothing and ARIMA need.
MIN_HOLT = 5
MIN_ARIMA = 8
#: A score that rests on fewer years after the origin than this is warned of: one or two
#: years cannot tell a better forecast from luck.
MIN_SCORE_YEARS = 3
#: The benchmarks the model is compared with in :meth:`Backtest.summary`.
BENCHMARKS = ("no_change", "last_growth", "plan_growth", "holt", "arima")
#: Columns of :attr:`Backtest.table`.
TABLE_COLUMNS = (
    "indicator", "basis", "method", "label", "n", "mape", "mean_error", "rmse", "theil_u",
    "note",
)  # fmt: skip


def forecast_scores(actual, forecast, origin_value: float, relative: bool) -> dict:
    """The scores of a forecast against the actual figures of the same years.

    Parameters
    ----------
    actual, forecast : array
        The actual figures and the forecasts of the years scored.
    origin_value : float
        The actual of the origin (the no-change forecast).
    relative : bool
        Whether the series is a level of an amount (MAPE is given only then).

    Returns
    -------
    dict
        ``n``, ``mape`` [%], ``mean_error``, ``rmse`` (the series' unit) and ``theil_u``
        (NaN when the no-change forecast has no error).
    """
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    e = f - a
    nc = np.sqrt(np.sum((origin_value - a) ** 2))
    return {
        "n": int(a.size),
        "mape": float(np.mean(np.abs(e / a)) * 100.0) if relative else float("nan"),
        "mean_error": float(np.mean(e)),
        "rmse": float(np.sqrt(np.mean(e**2))),
        "theil_u": float(np.sqrt(np.sum(e**2)) / nc) if nc > 0 else float("nan"),
    }


@dataclass
class Backtest:
    """What :func:`backtest` found.

    Attributes
    ----------
    table : DataFrame
        Per series and method (:data:`TABLE_COLUMNS`): the scores, or the reason a method
        gave no forecast (``note``).
    forecasts : DataFrame
        ``indicator, basis, year, method, forecast, actual``: every forecast after the origin.
    history : DataFrame
        ``indicator, basis, year, value``: every actual figure of the series (both sides of
        the origin), for charts.
    origin : int
    calibration : Calibration or None
        The fit on the years up to the origin (None without ``fit``).
    scenario : Scenario
        The scenario projected (with the fitted parameters).
    notes : list of str
    metadata : dict
    """

    table: pd.DataFrame
    forecasts: pd.DataFrame
    history: pd.DataFrame
    origin: int
    calibration: Calibration | None
    scenario: Scenario
    notes: list[str]
    metadata: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """How often the model beats each benchmark: per model (``model``,
        ``model_anchored``) and benchmark (:data:`BENCHMARKS`), ``beats`` (the series on
        which the model's RMSE is lower than the benchmark's over the same years) of
        ``series`` (the series both forecast), and ``sentence``."""
        scored = self.table[self.table["n"] > 0].set_index(["indicator", "basis", "method"])
        rows = []
        for model in ("model", "model_anchored"):
            for bench in BENCHMARKS:
                beats = total = 0
                for ind, basis in self.series():
                    try:
                        m = scored.loc[(ind, basis, model), "rmse"]
                        b = scored.loc[(ind, basis, bench), "rmse"]
                    except KeyError:
                        continue
                    total += 1
                    beats += bool(m < b)
                if total:
                    rows.append({"model": model, "benchmark": bench, "beats": beats,
                                 "series": total})  # fmt: skip
        frame = pd.DataFrame(rows, columns=["model", "benchmark", "beats", "series"])
        return frame

    def summary_lines(self) -> list[str]:
        """The summary in sentences, one per model: "the model beats no change on k of m
        series, ..." (by RMSE over the same years)."""
        out = []
        table = self.summary()
        for model, g in table.groupby("model", sort=False):
            parts = ", ".join(
                f"{METHOD_LABELS[r.benchmark]} on {r.beats} of {r.series} series"
                for r in g.itertuples()
            )
            who = "fitted to the origin" if model == "model" else "anchored at the origin"
            out.append(f"The model {who} beats {parts} (a lower RMSE over the years scored)")
        return out

    def skipped(self) -> pd.DataFrame:
        """The methods that gave no forecast, one row per reason: ``reason``, ``methods``,
        ``rows`` (of :attr:`table`), ``n_series`` and ``series`` (``indicator (basis)``,
        comma-separated)."""
        rows = self.table[self.table["n"] == 0]
        groups: dict[str, dict] = {}
        for r in rows.itertuples():
            reason = skip_reason(r.note)
            g = groups.setdefault(reason, {"methods": [], "series": []})
            g["methods"].append(r.label)
            g["series"].append(f"{r.indicator} ({r.basis})")
        return pd.DataFrame(
            [
                {
                    "reason": reason,
                    "methods": ", ".join(dict.fromkeys(g["methods"])),
                    "rows": len(g["series"]),
                    "n_series": len(set(g["series"])),
                    "series": ", ".join(dict.fromkeys(g["series"])),
                }
                for reason, g in groups.items()
            ],
            columns=["reason", "methods", "rows", "n_series", "series"],
        )

    def series(self) -> list[tuple[str, str]]:
        """The (indicator, basis) of each series, in the table's order."""
        return list(dict.fromkeys(zip(self.table["indicator"], self.table["basis"], strict=True)))

    def wide(self, indicator: str, basis: str = "level") -> pd.DataFrame:
        """One series by year: ``actual`` and a column per method that forecast it."""
        hist = self.history
        rows = hist[(hist["indicator"] == indicator) & (hist["basis"] == basis)]
        out = pd.DataFrame({"actual": rows.set_index("year")["value"]})
        fc = self.forecasts
        fc = fc[(fc["indicator"] == indicator) & (fc["basis"] == basis)]
        for m in METHODS:
            here = fc[fc["method"] == m]
            if len(here):
                out[m] = here.set_index("year")["forecast"]
        out.index.name = "year"
        return out.sort_index()


def backtest(
    scenario,
    actuals,
    origin: int,
    fit: Sequence[str] | str = (),
    *,
    starts: int = 4,
    seed: int = 0,
    vintage: str | None = None,
    data_dir=None,
) -> Backtest:
    """Fit on the years up to ``origin``, project the years after it, and score the
    projection and the benchmarks against the actual figures (see the module).

    Parameters
    ----------
    scenario : Scenario or path
    actuals : Actuals, path or DataFrame
        As :func:`~hubinsim.analysis.calibration.calibrate` takes them.
    origin : int
        The last year the fit and the benchmarks see.
    fit : str or list of str
        Parameters calibrated on the years up to the origin (none: the scenario as it is).
    starts, seed, vintage
        As :func:`~hubinsim.analysis.calibration.calibrate`.

    Raises
    ------
    ScenarioError
        An origin outside the years of the figures, no figure after it, a bad parameter.
    """
    scn = as_scenario(scenario, data_dir)
    obs = observations(actuals, vintage)
    path = obs.attrs.get("path")
    where = path or "actual figures"
    last = int(obs["year"].max()) if len(obs) else None
    if not isinstance(origin, int | np.integer) or isinstance(origin, bool):
        raise ScenarioError([f"origin: a year such as 2022, got {origin!r}"])
    if last is None or not BASE_YEAR <= origin < last:
        span = f"{BASE_YEAR}..{last - 1}" if last is not None and last > BASE_YEAR else "none"
        raise ScenarioError(
            [
                f"origin: {origin} leaves no actual figure after it to score in {where} "
                f"(its last year is {last}); an origin from {BASE_YEAR} to the year before the "
                f"last: {span}"
            ]
        )
    notes: list[str] = []
    names = [fit] if isinstance(fit, str) else list(fit) if isinstance(fit, Sequence) else None
    problems = fit_problems(names, starts, seed)
    if problems:
        raise ScenarioError(problems)
    cal = None
    projected = scn
    if names:
        fitted_years = [y for y in sorted(set(obs["year"])) if BASE_YEAR < y <= origin]
        if not fitted_years:
            raise ScenarioError(
                [f"fit: no actual figure after {BASE_YEAR} up to the origin {origin} to fit"]
            )
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cal = calibrate(
                scn, obs, names, starts=starts, seed=seed, years=fitted_years, data_dir=data_dir
            )
        for w in caught:
            warnings.warn(str(w.message), w.category, stacklevel=2)
        projected = cal.scenario
        notes.append(
            f"model: {', '.join(names)} calibrated on {len(cal.residuals)} figures of "
            f"{cal.metadata['years']}"
        )
    else:
        notes.append("model: the scenario's own parameters (nothing fitted)")
    end = max(last, origin + 1)
    run = replace(projected, time=TimeSettings(end, projected.time.dt, projected.time.method))
    values, _ = run_scenario(run, None, 1, data_dir, record_parameters=False)
    base = {name: float(v[0, 0]) for name, v in values.items()}
    plan_rates = _plan_rates(load_targets(data_dir), base)

    rows, forecasts, history = [], [], []
    for (ind, basis), series in obs.groupby(["indicator", "basis"], sort=True):
        series = series.set_index("year")["value"].sort_index()
        kind = figure_kind(ind, basis)
        if basis == "level" and BASE_YEAR not in series.index and BASE_YEAR <= origin:
            series.loc[BASE_YEAR] = base[ind]  # the base data the model starts from
            series = series.sort_index()
        after = series[series.index > origin]
        if after.empty:
            continue
        for y, v in series.items():
            history.append({"indicator": ind, "basis": basis, "year": int(y), "value": float(v)})
        years = np.asarray(after.index, dtype=int)
        found = _forecasts(ind, basis, kind, series, origin, years, values, end, plan_rates)
        a0 = series.get(origin)
        for method in METHODS:
            if method not in found:
                continue
            fc, note = found[method]
            row = {"indicator": ind, "basis": basis, "method": method,
                   "label": METHOD_LABELS[method], "note": note}  # fmt: skip
            if fc is None:
                row.update(n=0, mape=np.nan, mean_error=np.nan, rmse=np.nan, theil_u=np.nan)
                rows.append(row)
                continue
            origin_value = float("nan") if a0 is None else float(a0)
            row.update(forecast_scores(after.to_numpy(), fc, origin_value, kind == "level"))
            rows.append(row)
            forecasts += [
                {"indicator": ind, "basis": basis, "year": int(y), "method": method,
                 "forecast": float(f), "actual": float(a)}
                for y, f, a in zip(years, fc, after.to_numpy(), strict=True)
            ]  # fmt: skip
    if not rows:
        raise ScenarioError([f"origin: no series of {where} has a figure after {origin}"])
    table = pd.DataFrame(rows)[list(TABLE_COLUMNS)]
    metadata = {
        "origin": origin,
        "last_year": last,
        "fit": names,
        "actuals": str(path) if path else None,
        "actuals_sha256": cal.metadata["actuals_sha256"] if cal is not None else None,
        "vintage": vintage,
        "data_dir": str(data_dir) if data_dir else None,
    }
    if cal is None and path:
        metadata["actuals_sha256"] = obs.attrs.get("sha256")
    few = few_years_warning(table)
    metadata["warnings"] = [str(w.message) for w in caught] if cal is not None else []
    if few:
        metadata["warnings"].append(few)
        warnings.warn(few, UserWarning, stacklevel=2)
    return Backtest(
        table,
        pd.DataFrame(
            forecasts, columns=["indicator", "basis", "year", "method", "forecast", "actual"]
        ),
        pd.DataFrame(history, columns=["indicator", "basis", "year", "value"]),
        origin,
        cal,
        projected,
        notes,
        metadata,
    )


def skip_reason(note: str) -> str:
    """The reason of a method that gave no forecast, without what is particular to the
    series (so that rows of one reason collapse into one line)."""
    note = str(note)
    m = re.match(
        r"\d+ consecutive year\(s\) of history up to the origin; (.+) needs at least (\d+)$", note
    )
    if m:
        return f"fewer than {m.group(2)} consecutive years of history up to the origin"
    if note.startswith("the plan sets no target for "):
        return "the plan sets no target for the series"
    return note


def few_years_warning(table: pd.DataFrame) -> str | None:
    """A warning when scores rest on fewer than :data:`MIN_SCORE_YEARS` years, or None."""
    scored = table[table["n"] > 0]
    few = scored[scored["n"] < MIN_SCORE_YEARS]
    if few.empty:
        return None
    counts = ", ".join(f"n = {n}" for n in sorted(set(few["n"])))
    return (
        f"{len(few)} of {len(scored)} scores rest on fewer than {MIN_SCORE_YEARS} years after "
        f"the origin ({counts}): one or two years cannot tell a better forecast from luck; "
        "read them as illustrations, not evidence (an earlier origin scores more years)"
    )


def _plan_rates(targets, base: dict) -> dict[tuple[str, str], tuple[str, float, str]]:
    """(indicator, basis) -> (how, value, source) of the plan's rate for each series a target
    speaks of: ("growth", g) constant growth of an amount, ("level", v) a value held every
    year, ("change", d) a yearly change in points."""
    from ..actuals import GROWTH_INDICATORS

    out = {}
    for t in targets:
        span = t.year - BASE_YEAR
        what = f"{t.indicator} {t.comparison} {t.target:g} in {t.year} ({t.plan})"
        if t.indicator in GROWTH_INDICATORS:
            out[GROWTH_INDICATORS[t.indicator]] = ("level", float(t.target), what)
            continue
        if t.indicator.endswith("_cumulative") or t.indicator not in base or span <= 0:
            continue
        b = base[t.indicator]
        if figure_kind(t.indicator, "level") == "points":
            if t.each_year_from is not None:
                out[(t.indicator, "level")] = ("level", float(t.target), what)
            else:
                out[(t.indicator, "level")] = ("change", (t.target - b) / span, what)
        elif b > 0 and t.target > 0:
            out.setdefault(
                (t.indicator, "level"), ("growth", (t.target / b) ** (1 / span) - 1, what)
            )
    return out


def _history(series: pd.Series, origin: int) -> np.ndarray:
    """The values of the last run of consecutive years ending in the origin."""
    years = [y for y in series.index if y <= origin]
    if not years or years[-1] != origin:
        return np.array([])
    run = [origin]
    while run[-1] - 1 in series.index:
        run.append(run[-1] - 1)
    return series.loc[sorted(run)].to_numpy(dtype=float)


def _forecasts(ind, basis, kind, series, origin, years, values, end, plan_rates) -> dict:
    """method -> (forecast array or None, note) for one series."""
    h = years - origin
    out: dict[str, tuple[np.ndarray | None, str]] = {}
    amount = kind == "level"
    # the model
    frame = pd.DataFrame(
        {"indicator": ind, "year": years, "basis": basis, "value": 1.0,
         "vintage": "preliminary", "status": "actual"}
    )  # fmt: skip
    plan, left_out = residual_plan(frame, end, MEASUREMENT_SD)
    model = {p.year: v for p, v in zip(plan, model_values_of(values, plan)[0], strict=True)}
    if all(int(y) in model for y in years):
        out["model"] = (np.array([model[int(y)] for y in years]), "")
    else:
        out["model"] = (None, left_out[-1].split(": ", 1)[-1] if left_out else "not modelled")
    a_hist = _history(series, origin)
    if basis == "level":
        if out["model"][0] is not None and a_hist.size:
            m0, a0, m = float(values[ind][origin - BASE_YEAR, 0]), a_hist[-1], out["model"][0]
            anchored = m * a0 / m0 if amount else m + a0 - m0
            out["model_anchored"] = (anchored, "")
        elif out["model"][0] is not None:
            out["model_anchored"] = (None, f"no actual figure in the origin year {origin}")
    if not a_hist.size:
        reason = f"no actual figure in the origin year {origin}"
        for m in ("no_change", "last_growth", "plan_growth", "holt", "arima"):
            out[m] = (None, reason)
        return out
    a0 = a_hist[-1]
    out["no_change"] = (np.full(len(years), a0), "")
    if amount:
        if a_hist.size >= 2 and a_hist[-2] > 0:
            out["last_growth"] = (a0 * (a0 / a_hist[-2]) ** h, "")
        else:
            out["last_growth"] = (None, f"no actual figure in {origin - 1} to take a rate from")
    else:
        out["last_growth"] = (None, "a rate or growth rate: constant growth is no change")
    rate = plan_rates.get((ind, basis))
    if rate is None:
        out["plan_growth"] = (None, f"the plan sets no target for {ind} ({basis})")
    else:
        how, value, what = rate
        if how == "growth":
            fc = a0 * (1 + value) ** h
            note = f"{value * 100:.3g} %/yr, from {what}"
        elif how == "change":
            fc = a0 + value * h
            note = f"{value:+.3g} points/yr, from {what}"
        else:
            fc = np.full(len(years), value)
            note = f"the target, {what}"
        out["plan_growth"] = (fc, note)
    y = np.log(a_hist) if amount and np.all(a_hist > 0) else a_hist
    out["holt"] = _statistical("holt", y, len(years), y is not a_hist)
    out["arima"] = _statistical("arima", y, len(years), y is not a_hist)
    return out


def _statistical(method: str, y: np.ndarray, steps: int, logged: bool):
    """Holt's smoothing or ARIMA of ``y`` (the logarithm of an amount when ``logged``)."""
    need = MIN_HOLT if method == "holt" else MIN_ARIMA
    if y.size < need:
        return None, (
            f"{y.size} consecutive year(s) of history up to the origin; "
            f"{METHOD_LABELS[method]} needs at least {need}"
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if method == "holt":
                from statsmodels.tsa.holtwinters import Holt

                fc = Holt(y, initialization_method="estimated").fit().forecast(steps)
            else:
                from statsmodels.tsa.arima.model import ARIMA

                order, trend = ((1, 1, 0), "t") if logged else ((1, 0, 0), "c")
                fc = ARIMA(y, order=order, trend=trend).fit().forecast(steps)
        except (ValueError, np.linalg.LinAlgError) as exc:
            return None, f"statsmodels could not fit it: {exc}"
    fc = np.asarray(fc, dtype=float)
    if not np.all(np.isfinite(fc)):
        return None, "statsmodels gave no finite forecast"
    note = "; ".join(dict.fromkeys(str(w.message).splitlines()[0] for w in caught))
    return (np.exp(fc) if logged else fc), (f"statsmodels: {note}" if note else "")


def indicator_unit(indicator: str, basis: str) -> str:
    """The unit of a series: the indicator's for a level, points for a growth rate."""
    return INDICATOR_BY_NAME[indicator].unit if basis == "level" else "%"
