"""Calibration: structural parameters fitted to actual figures (:func:`calibrate`).

::

    import hubinsim
    cal = hubinsim.calibrate("scenarios/baseline.toml", "actuals.csv",
                             ["tfp.growth_tertiary", "services.regional_growth",
                              "fiscal.buoyancy"])
    cal.estimates          # estimate, standard error, range, identified or not
    cal.correlation        # correlation matrix of the estimates
    cal.fit                # RMSE, MAPE, bias per indicator, before and after
    cal.fragment()         # a scenario file (``extends`` the original) setting the estimates

**The residuals.** Each actual figure (an :class:`~hubinsim.actuals.Actuals` row chosen by
vintage, or a row of an observations table, :func:`observations`) is compared with the
model's value of the same year:

- a level of an amount (亿元, 万人, persons, yuan, firms): ``ln(model) - ln(actual)``, a
  relative error (an indicator that may be negative, the fiscal balance, by
  ``(model - actual) / |actual|``);
- a level of a rate or share (unit %): ``model - actual`` in percentage points;
- a growth rate (``real_growth_pct``, ``nominal_growth_pct``): the model's growth over the
  year before minus the actual, in points. Real growth is the model's real series where it
  has one (GDP, the three sectors' value added, above-scale industry's same-firm growth);
  other real growth figures are left out, and said so.

Each residual is divided by the **measurement standard deviation** its basis and vintage are
given in :data:`MEASUREMENT_SD` (a level of a preliminary figure 2 %, a revised 1.5 %, a final
or census figure 1 %; a rate or share 0.3, 0.2, 0.15 points; a growth rate 0.5, 0.4, 0.3
points), twice that for a growth rate of a period to date taken as the full year's
(``estimate``). Weighted so, residuals of any unit are comparable, and a figure weighs as much
as it is trusted. ``measurement_sd`` overrides the table. Figures of the start year (2020: the
data the model starts from, reproduced exactly) and before it are not fitted.

**The fit.** The parameters are fitted in their plausible ranges (``data/parameters.csv``:
the bounds) by :func:`scipy.optimize.least_squares` (trust-region reflective), in units of
their ranges (0 at the low end, 1 at the high end), minimising the sum of squared weighted
residuals. Each evaluation is one vectorised run: the parameter vector and its central
differences (step 1e-5 of each range) are members of one ensemble, so the Jacobian costs one
run. The fit may have several minima: besides the scenario's own values, the fit starts from
the best points of a seeded Latin hypercube of :data:`SCREEN_POINTS` parameter vectors
(evaluated in one run), ``starts`` starts in all; the best end point is the estimate, and
starts that ended elsewhere are reported.

**Standard errors** from the Jacobian J of the weighted residuals at the estimate:
``cov = s² (JᵀJ)⁻¹`` with ``s² = RSS / (n - k)`` (n figures, k parameters; 1, the stated
standard deviations, when n <= k); the correlation matrix is ``cov`` scaled. **Not
identified**: a parameter the figures do not depend on (its column of J is zero), or one that
loads on a direction of parameter space the figures barely see (a singular value of J, in
range units, below :data:`FLAT` of the largest); its standard error is then not given.
**Weakly identified**: a standard error above :data:`WEAK` of the parameter's range (the
figures barely constrain it). An estimate on a bound of its range is reported too (the data
push it further; the standard error ignores the bound), and so is one within two standard
errors of a bound (its 95 % interval crosses the bound: the range, not only the figures,
decides it). Each case is a warning.

**The fit, judged.** The fit table gives each series (indicator and basis) before and after,
side by side, and its part of the weighted sum of squares. A fit that lowers the sum may
still fit a headline series worse; it is warned of when the RMSE of GDP's level or of real GDP
growth (:data:`HEADLINE`) is larger at the estimate than at the scenario's own values and the
series misses by more than its stated errors (its weighted squares sum to more than its
number of figures: within the errors, a worse headline is noise); when
one series makes up more than :data:`DOMINANT` (40 %) of the weighted sum of squares at the
estimate while s² > 1 (the estimates then move mostly to fit that series); and when s²
exceeds :data:`POOR_FIT` (residuals about twice the stated errors or more).
``metadata["s2_meaning"]`` says what s² means: about 1, the model misses the figures by as
much as they are uncertain; far above 1, the model's structure makes the misfit, and the
standard errors (scaled by s) are wide for it.

**The fragment.** :meth:`Calibration.fragment` is a scenario file that extends the scenario
calibrated and sets the estimates in ``[parameters]``; its header names the actual figures,
their sha256, the vintage and the rule of the weights. With ``uncertainty=True`` it also
declares an ``[uncertainty]`` section in which the calibrated parameters are drawn from
normal distributions truncated to their ranges (mean the estimate, sd the standard error)
with the estimated correlations (a Gaussian copula, the format's way of correlating draws;
each marginal is the truncated normal, so the joint distribution is close to a multivariate
normal cut to the ranges), and every other parameter uniform over its range as by default:
the calibrated covariance replaces the default ranges of the parameters calibrated.
"""

from __future__ import annotations

import logging
import math
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..catalog import INDICATOR_BY_NAME, suggest
from ..data import data_dir as _data_dir
from ..data import load_parameters
from ..errors import ActualsError, ScenarioError
from ..model.inputs import BASE_YEAR
from ..run.simulation import as_scenario
from ..run.single import run_scenario
from ..scenario.settings import Scenario, TimeSettings
from ..scenario.writer import fragment_toml

log = logging.getLogger(__name__)

#: Measurement standard deviation of a figure by kind and vintage: a level of an amount in
#: log units (0.02: 2 %), a rate or share in points, a growth rate in points. Assumptions:
#: the first releases of Chinese county and district GDP are revised by about 1-2 % of the
#: level and 0.3-0.5 points of growth; the census revisions are larger but come once.
MEASUREMENT_SD: dict[tuple[str, str], float] = {
    ("level", "preliminary"): 0.02,
    ("level", "revised"): 0.015,
    ("level", "final"): 0.01,
    ("level", "census"): 0.01,
    ("points", "preliminary"): 0.3,
    ("points", "revised"): 0.2,
    ("points", "final"): 0.15,
    ("points", "census"): 0.15,
    ("growth", "preliminary"): 0.5,
    ("growth", "revised"): 0.4,
    ("growth", "final"): 0.3,
    ("growth", "census"): 0.3,
}
#: Vintages of actual figures, earliest first.
VINTAGES = ("preliminary", "revised", "final", "census")
#: Factor on the standard deviation of a period-to-date growth rate taken for the year's.
ESTIMATE_FACTOR = 2.0
#: Indicators that may be negative: relative residuals instead of logs.
SIGNED = frozenset({"fiscal_balance", "output_gap_pct"})
#: The model's real series of an indicator whose real growth a file may give: (series, kind)
#: with kind "growth" (the series is the growth rate) or "level" (growth computed from it).
REAL_SERIES: dict[str, tuple[str, str]] = {
    "gdp": ("gdp_real_growth_pct", "growth"),
    "industrial_va_above_scale": ("industrial_va_above_scale_growth_pct", "growth"),
    "va_primary": ("va_primary_real", "level"),
    "va_secondary": ("va_secondary_real", "level"),
    "va_tertiary": ("va_tertiary_real", "level"),
}
#: Points of the Latin hypercube screened for starts (one vectorised run).
SCREEN_POINTS = 64
#: Step of the central differences, in units of each parameter's range.
STEP = 1e-5
#: A singular value of J (range units) below this share of the largest is a flat direction.
FLAT = 1e-4
#: A share of its range within which an estimate is on a bound.
ON_BOUND = 1e-6
#: A standard error above this share of the parameter's range: weakly identified (its 95 %
#: interval is about twice the range: the figures barely constrain it).
WEAK = 0.5
#: The headline series, (indicator, basis): a calibration that fits one of them worse than
#: the scenario's own values did (a larger RMSE) is warned of.
HEADLINE = (("gdp", "level"), ("gdp", "real_growth_pct"))
#: A series (indicator and basis) making up more than this share of the weighted sum of
#: squares at the estimate dominates the fit (warned of when s² > 1: when every figure is
#: met within its stated error, which series is left over does not matter).
DOMINANT = 0.4
#: s² above this (weighted residuals twice the stated measurement errors, on average): a
#: poor fit, warned of.
POOR_FIT = 4.0


# ------------------------------------------------------------------------------ observations

OBSERVATION_COLUMNS = ("indicator", "year", "basis", "value", "vintage", "status", "source")


def observations(data, vintage: str | None = None) -> pd.DataFrame:
    """The actual figures a fit uses, as a table with the columns of
    :data:`OBSERVATION_COLUMNS` (one row per indicator, year and basis).

    ``data`` is an :class:`~hubinsim.actuals.Actuals` (its full-year figures of the latest
    vintage, or of ``vintage``: :meth:`~hubinsim.actuals.Actuals.figures`), the path of an
    actual-figures file, or a DataFrame (or list of dicts) with the columns of an
    actual-figures file (at least ``indicator``, ``year``, ``basis`` and ``value``), checked
    as a file is (:meth:`~hubinsim.actuals.Actuals.from_rows`).
    """
    from ..actuals import Actuals, read_actuals

    if isinstance(data, str | os.PathLike):
        data = read_actuals(data)
    elif not isinstance(data, Actuals):
        if not isinstance(data, pd.DataFrame) and not (
            isinstance(data, Sequence) and all(isinstance(r, Mapping) for r in data)
        ):
            raise ActualsError(
                [
                    "actuals: the actual figures, as hubinsim.read_actuals gives them, the path "
                    "of an actuals file, or a table (a DataFrame or a list of dicts) with its "
                    f"columns; got {data!r:.60}"
                ]
            )
        records = pd.DataFrame(data).to_dict("records")
        clean = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in records
        ]
        data = Actuals.from_rows(clean)
    rows = [
        {
            "indicator": f.indicator,
            "year": f.year,
            "basis": f.basis,
            "value": f.value,
            "vintage": f.row.vintage,
            "status": f.status,
            "source": f.note,
        }
        for f in data.figures(vintage).values()
    ]
    frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
    frame.attrs["path"] = str(data.path) if data.path is not None else None
    frame.attrs["sha256"] = data.sha256  # of the bytes read, not of the file later
    return frame


@dataclass(frozen=True)
class Residual:
    """How one observation is compared with the model."""

    indicator: str
    year: int
    basis: str
    value: float
    kind: str  # level (log), relative, points, growth
    series: str  # the model's indicator read
    growth_from: str | None  # "level": growth computed from the series; None: the series is it
    sd: float
    vintage: str
    status: str


def figure_kind(indicator: str, basis: str) -> str:
    """How a figure is compared: ``level`` (an amount, in logs), ``relative`` (an amount that
    may be negative), ``points`` (a rate or share) or ``growth`` (a growth rate)."""
    if basis != "level":
        return "growth"
    if INDICATOR_BY_NAME[indicator].unit == "%":
        return "points"
    return "relative" if indicator in SIGNED else "level"


def residual_plan(
    obs: pd.DataFrame, end: int, sd_table: Mapping
) -> tuple[list[Residual], list[str]]:
    """The residuals of ``obs`` the fit uses, and notes on the figures left out."""
    out, notes = [], []
    for r in obs.itertuples(index=False):
        ind, year, basis = r.indicator, int(r.year), r.basis
        where = f"{ind} {year} ({basis})"
        if year <= BASE_YEAR:
            continue  # the start year is data; earlier years are not simulated
        if year > end:
            notes.append(f"{where}: after the run's end {end}; left out")
            continue
        if not math.isfinite(r.value):
            continue
        kind = figure_kind(ind, basis)
        if basis == "level":
            series, growth_from = ind, None
            if kind == "level" and r.value <= 0:
                notes.append(f"{where}: a level of {r.value:g} cannot be compared in logs")
                continue
        elif basis == "real_growth_pct":
            if ind not in REAL_SERIES:
                notes.append(
                    f"{where}: the model has no real series of {ind} (real growth of GDP, "
                    "the sectors' value added and above-scale industry only); left out"
                )
                continue
            series, how = REAL_SERIES[ind]
            growth_from = "level" if how == "level" else None
        else:
            series, growth_from = ind, "level"
        scale = {"level": "level", "relative": "level", "points": "points", "growth": "growth"}
        sd = float(sd_table[(scale[kind], r.vintage)])
        if r.status == "estimate":
            sd *= ESTIMATE_FACTOR
        out.append(
            Residual(
                ind, year, basis, float(r.value), kind, series, growth_from, sd, r.vintage, r.status
            )  # fmt: skip
        )
    return out, notes


def model_values_of(values: dict, plan: list[Residual]) -> np.ndarray:
    """The model's value of each residual's figure, per member: shape (members, n)."""
    cols = []
    for p in plan:
        s = values[p.series]
        k = p.year - BASE_YEAR
        if p.growth_from == "level":
            cols.append((s[k] / s[k - 1] - 1.0) * 100.0)
        else:
            cols.append(s[k])
    return np.column_stack(cols) if cols else np.zeros((next(iter(values.values())).shape[1], 0))


def _residuals(model: np.ndarray, plan: list[Residual]) -> np.ndarray:
    """Weighted residuals (members, n) of the model's values against the figures."""
    actual = np.array([p.value for p in plan])
    sd = np.array([p.sd for p in plan])
    kind = np.array([p.kind for p in plan])
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(
            kind == "level",
            np.log(np.maximum(model, 1e-300)) - np.log(actual),
            np.where(kind == "relative", (model - actual) / np.abs(actual), model - actual),
        )
    return raw / sd


# ------------------------------------------------------------------------------- the result


@dataclass
class Calibration:
    """What :func:`calibrate` found.

    Attributes
    ----------
    estimates : DataFrame
        One row per parameter: ``estimate``, ``se``, ``ci_low``, ``ci_high`` (estimate ±
        1.96 se), ``start`` (the scenario's value), ``low``, ``high``, ``unit``,
        ``identified`` (bool), ``on_bound`` (bool), ``note``.
    correlation : DataFrame
        Correlation matrix of the estimates (NaN for parameters not identified).
    covariance : DataFrame
    fit : DataFrame
        Per indicator and basis: ``n``, ``unit``, ``rmse``, ``mape`` (levels of amounts
        only: a percentage error of a rate divides by the rate), ``bias`` (mean model -
        actual), each at the start (``*_start``) and at the estimate, side by side; ``wss``
        (``wss_start``), the series' part of the weighted sum of squares, ``share_pct`` its
        share at the estimate, ``worse`` whether the estimate fits it worse (larger RMSE).
    residuals : DataFrame
        Every figure fitted: actual, model at the start and at the estimate, sd, weighted
        residual.
    starts : DataFrame
        Each start of the fit: where it began and ended, its cost, evaluations.
    warnings : list of str
        Identification (parameters not identified, on or near a bound) and the fit itself (a
        headline series fitted worse, one series dominating, a poor fit: :func:`fit_warnings`).
    notes : list of str
        Figures left out and why; starts that ended in other minima.
    scenario : Scenario
        The scenario with the estimates in its parameters.
    original : Scenario
    metadata : dict
        Cost, s², n, k, runs, wall time, the actual figures' path and sha256, vintage.
    """

    estimates: pd.DataFrame
    correlation: pd.DataFrame
    covariance: pd.DataFrame
    fit: pd.DataFrame
    residuals: pd.DataFrame
    starts: pd.DataFrame
    warnings: list[str]
    notes: list[str]
    scenario: Scenario
    original: Scenario
    metadata: dict = field(default_factory=dict)

    @property
    def values(self) -> dict[str, float]:
        """Parameter -> estimate."""
        return {k: float(v) for k, v in self.estimates["estimate"].items()}

    def fragment(self, extends: str | None = None, uncertainty: bool = False) -> str:
        """The estimates as a scenario file that extends the scenario calibrated (``extends``:
        the path written; default the original's absolute path; a scenario made in Python is
        written whole).

        ``uncertainty=True`` gives the file for ensembles instead: the parameters fitted are
        drawn in an ``[uncertainty]`` section (see the module) rather than fixed, since a
        parameter is fixed or drawn, not both; a single run of it uses their default values.
        A parameter the scenario itself fixes stays fixed at its estimate.
        """
        md = self.metadata
        header = [
            f"Calibrated by hubinsim {__version__} (hubinsim calibrate): {len(self.values)} "
            f"parameter(s) fitted to {md.get('n')} actual figures of {md.get('years')}.",
            f"Actual figures: {md.get('actuals') or 'given in Python'}"
            + (f" (sha256 {md['actuals_sha256']})" if md.get("actuals_sha256") else "")
            + f"; vintage: {md.get('vintage') or 'the latest of each figure'}.",
            weights_rule(md.get("measurement_sd") or {}),
            f"Weighted sum of squares {md.get('cost'):.6g} at the estimate "
            f"({md.get('cost_start'):.6g} at the start); s^2 = {md.get('s2'):.4g}.",
        ]
        worse = headline_worse(self.fit)
        if worse:
            header.append(
                "NOT RECOMMENDED FOR PROJECTIONS: the calibrated fit of "
                + ", ".join(f"{i} ({b})" for i, b in worse)
                + " is worse than the uncalibrated scenario's (warnings below)."
            )
        header += [f"WARNING: {w}" for w in self.warnings]
        notes = {}
        for name, row in self.estimates.iterrows():
            se = f"s.e. {row['se']:.3g}" if math.isfinite(row["se"]) else "not identified"
            notes[name] = f"{se}; start {row['start']:g}; range [{row['low']:g}, {row['high']:g}]"
        fixed = dict(self.values)
        sections = []
        if uncertainty:
            drawn = [n for n in self.values if n not in self.original.parameters]
            fixed = {n: v for n, v in fixed.items() if n not in drawn}
            sections = [self.uncertainty_toml()]
            header.append(
                "For ensembles (hubinsim run FILE --draws N): the parameters fitted are drawn "
                f"from their estimated distribution ({', '.join(drawn) or 'none'}); a single "
                "run of this file uses their default values: run the file without "
                "[uncertainty] for the estimates themselves."
            )
        name = self.scenario.name + ("-ensemble" if uncertainty else "")
        source = self.original.source
        if extends is None and source:
            extends = str(Path(source).resolve())
        if not extends:
            import textwrap

            from ..scenario.resolved import resolved_toml

            params = {
                **{k: v for k, v in self.original.parameters.items()},
                **fixed,
            }
            unc = {"uncertainty": self.uncertainty()} if uncertainty else {}
            scn = replace(self.scenario, name=name, parameters=params, sections=unc)
            lines = [p for h in header for p in textwrap.wrap(h, 92, break_long_words=False)]
            return "".join(f"# {line}\n" for line in lines) + resolved_toml(scn)
        return fragment_toml(
            name=name,
            description=f"{self.original.name} with {len(self.values)} parameter(s) calibrated "
            "to actual figures.",
            extends=extends,
            parameters=fixed,
            header=header,
            notes=notes,
            sections=sections,
        )

    def uncertainty_dict(self) -> dict:
        """The ``[uncertainty]`` table of :meth:`fragment` (see the module)."""
        from ..scenario.uncertainty import NOT_DRAWN_BY_DEFAULT

        prms = load_parameters(self.metadata.get("data_dir"))
        est = self.estimates
        table: dict[str, dict] = {}
        fixed = set(self.original.parameters)
        for name, row in est.iterrows():
            if name in fixed:  # fixed by the scenario: it cannot be drawn too
                continue
            if not row["identified"] or not math.isfinite(row["se"]):
                table[name] = {"dist": "uniform"}
                continue
            width = row["high"] - row["low"]
            sd = max(float(row["se"]), 1e-9 * width)
            mean = min(max(float(row["estimate"]), row["low"]), row["high"])
            table[name] = {
                "dist": "truncnormal",
                "mean": mean,
                "sd": sd,
                "low": float(row["low"]),
                "high": float(row["high"]),
            }
        for name in prms:
            if name not in table and name not in fixed and name not in NOT_DRAWN_BY_DEFAULT:
                table[name] = {"dist": "uniform"}
        drawn = [n for n in est.index if table.get(n, {}).get("dist") == "truncnormal"]
        corr = _positive_definite(self.correlation.loc[drawn, drawn].to_numpy())
        pairs = [
            [a, b, float(round(corr[i, j], 6))]
            for i, a in enumerate(drawn)
            for j, b in enumerate(drawn)
            if j > i and abs(corr[i, j]) >= 1e-6
        ]
        out = {"draws": 1000, "sampling": "lhs", "parameters": table}
        if pairs:
            out["correlations"] = pairs
        return out

    def uncertainty(self):
        """The ``[uncertainty]`` section (an :class:`~hubinsim.scenario.uncertainty.Uncertainty`),
        checked by the scenario reader's own validation."""
        from ..scenario.uncertainty import parse_uncertainty

        return parse_uncertainty(self.uncertainty_dict(), data_dir=self.metadata.get("data_dir"))

    def uncertainty_toml(self) -> str:
        """The ``[uncertainty]`` section as TOML text."""
        from ..scenario.writer import uncertainty_toml

        return uncertainty_toml(self.uncertainty())


def weights_rule(sd_table: Mapping[str, float]) -> str:
    """The rule of the weights in words, from the measurement standard deviations used
    (``{"level/preliminary": 0.02, ...}``, as the metadata keep them)."""
    table = {**{f"{a}/{b}": v for (a, b), v in MEASUREMENT_SD.items()}, **sd_table}

    def row(scale, factor, unit):
        values = " / ".join(f"{factor * table[f'{scale}/{v}']:g}" for v in VINTAGES[:3])
        return f"{scale} {values}{unit}"

    return (
        "Weights: each residual divided by its measurement standard deviation, for "
        "preliminary / revised / final figures: "
        + "; ".join(
            (
                row("level", 100, " % (log levels)"),
                row("points", 1, " points (rates, shares)"),
                row("growth", 1, " points (growth rates)"),
            )
        )
        + f"; {ESTIMATE_FACTOR:g} times that for a period-to-date growth taken for the year's."
    )


def _positive_definite(corr: np.ndarray, limit: float = 0.99) -> np.ndarray:
    """A correlation matrix the copula accepts: entries within ±``limit``, shrunk toward the
    identity until positive definite."""
    c = np.clip(np.nan_to_num(corr), -limit, limit)
    np.fill_diagonal(c, 1.0)
    for _ in range(50):
        try:
            np.linalg.cholesky(c)
            return c
        except np.linalg.LinAlgError:
            c = 0.9 * c + 0.1 * np.eye(len(c))
    return np.eye(len(c))


# ------------------------------------------------------------------------------ the fit


class _Model:
    """Weighted residuals of parameter vectors in range units, one vectorised run each."""

    def __init__(self, scn, plan, names, low, high, data_dir):
        self.scn, self.plan, self.names = scn, plan, names
        self.low, self.high = low, high
        self.span = high - low
        self.data_dir = data_dir
        self.keep = sorted({p.series for p in plan})
        self.runs = 0
        self._cache: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}

    def natural(self, x: np.ndarray) -> np.ndarray:
        return self.low + np.asarray(x) * self.span

    def batch(self, X: np.ndarray) -> np.ndarray:
        """Weighted residuals of each row of ``X`` (range units): (rows, n)."""
        X = np.atleast_2d(X)
        theta = self.natural(np.clip(X, 0.0, 1.0))
        params = {n: theta[:, j] for j, n in enumerate(self.names)}
        values, _ = run_scenario(
            self.scn, params, X.shape[0], self.data_dir, record_parameters=False, keep=self.keep
        )
        self.runs += 1
        return _residuals(model_values_of(values, self.plan), self.plan)

    def model_values(self, theta: np.ndarray) -> np.ndarray:
        params = {n: np.array([v]) for n, v in zip(self.names, theta, strict=True)}
        values, _ = run_scenario(
            self.scn, params, 1, self.data_dir, record_parameters=False, keep=self.keep
        )
        self.runs += 1
        return model_values_of(values, self.plan)[0]

    def _both(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key = np.asarray(x, dtype=float).tobytes()
        if key not in self._cache:
            k = len(x)
            steps = np.zeros((2 * k, k))
            sign = np.empty(2 * k)
            for j in range(k):
                up, down = x[j] + STEP <= 1.0, x[j] - STEP >= 0.0
                a = STEP if up else 0.0
                b = -STEP if down else 0.0
                steps[2 * j, j], steps[2 * j + 1, j] = a, b
                sign[2 * j], sign[2 * j + 1] = a, b
            rows = np.vstack([x[None, :], x[None, :] + steps])
            res = self.batch(rows)
            r0 = res[0]
            jac = np.empty((res.shape[1], k))
            for j in range(k):
                a, b = sign[2 * j], sign[2 * j + 1]
                jac[:, j] = (res[1 + 2 * j] - res[2 + 2 * j]) / (a - b)
            self._cache = {key: (r0, jac)}
        return self._cache[key]

    def fun(self, x):
        return self._both(np.asarray(x, dtype=float))[0]

    def jac(self, x):
        return self._both(np.asarray(x, dtype=float))[1]


def _latin_hypercube(k: int, n: int, seed: int) -> np.ndarray:
    from scipy.stats import qmc

    from ..scenario.uncertainty import qmc_rng_kwargs

    rng = np.random.default_rng(seed)
    return qmc.LatinHypercube(d=k, **qmc_rng_kwargs(qmc.LatinHypercube, rng)).random(n)


def fit_problems(names, starts, seed) -> list[str]:
    """Why the parameters to fit (a list, or None when ``fit`` was no list of names), the
    starts or the seed of a fit are not valid (empty when they are)."""
    problems = []
    if names is None or not all(isinstance(n, str) for n in names):
        problems.append("fit: the names of the parameters to fit, a text or a list of texts")
    if isinstance(starts, bool) or not isinstance(starts, int) or starts < 1:
        problems.append(f"starts: a whole number >= 1, got {starts!r:.60}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        problems.append(f"seed: a whole number >= 0, got {seed!r:.60}")
    return problems


def calibrate(
    scenario,
    actuals,
    fit: Sequence[str] | str,
    *,
    starts: int = 4,
    seed: int = 0,
    vintage: str | None = None,
    years: Sequence[int] | None = None,
    measurement_sd: Mapping | None = None,
    data_dir=None,
) -> Calibration:
    """Fit structural parameters of ``scenario`` to actual figures (see the module).

    Parameters
    ----------
    scenario : Scenario or path
        The scenario the model runs (business as usual when None); its other settings stay.
    actuals : Actuals, path or DataFrame
        The actual figures (:func:`hubinsim.read_actuals`, an actual-figures file, or a table
        of :data:`OBSERVATION_COLUMNS`, see :func:`observations`).
    fit : str or list of str
        The parameters to fit (``hubinsim levers`` lists them, with their ranges).
    starts : int
        Starts of the fit: the scenario's values and the best points of a seeded Latin
        hypercube (1: the scenario's values only).
    seed : int
        Seed of the Latin hypercube.
    vintage : str, optional
        Fit the figures of this vintage (the latest not later than it); default the latest.
    years : sequence of int, optional
        Fit only the figures of these years (a backtest fits up to its origin).
    measurement_sd : mapping, optional
        Overrides :data:`MEASUREMENT_SD` entry by entry.

    Returns
    -------
    Calibration

    Raises
    ------
    ScenarioError
        An unknown parameter, no figure to fit, fewer figures than parameters to fit...
    """
    started = time.perf_counter()
    from scipy.optimize import least_squares

    scn = as_scenario(scenario, data_dir)
    folder = _data_dir(data_dir)
    prms = load_parameters(folder)
    names = [fit] if isinstance(fit, str) else list(fit) if isinstance(fit, Sequence) else None
    problems = fit_problems(names, starts, seed)
    if names is None:
        raise ScenarioError(problems)
    if not names:
        problems.append("fit: name at least one parameter to fit; `hubinsim levers` lists them")
    for n in names:
        if n not in prms:
            problems.append(
                f"fit: unknown parameter {n!r}{suggest(str(n), prms)}; `hubinsim levers` lists them"
            )
    if len(set(names)) != len(names):
        problems.append(f"fit: each parameter once, got {', '.join(map(str, names))}")
    if measurement_sd is not None and not isinstance(measurement_sd, Mapping):
        problems.append(
            f"measurement_sd: a table of (kind, vintage) -> standard deviation, got "
            f"{measurement_sd!r:.60}"
        )
    if years is not None and (
        not isinstance(years, Sequence | range)
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
    ):
        problems.append(f"years: a list of whole years, got {years!r:.60}")
    if problems:
        raise ScenarioError(problems)
    sd_table = dict(MEASUREMENT_SD)
    sd_table.update(measurement_sd or {})
    obs = observations(actuals, vintage)
    path = obs.attrs.get("path")
    if years is not None:
        obs = obs[obs["year"].isin(list(years))].reset_index(drop=True)
    last = int(obs["year"].max()) if len(obs) else BASE_YEAR
    end = max(min(last, scn.time.end), BASE_YEAR + 1)
    run_scn = replace(scn, time=TimeSettings(end, scn.time.dt, scn.time.method))
    plan, notes = residual_plan(obs, end, sd_table)
    k = len(names)
    if not plan:
        raise ScenarioError(
            "calibrate: no actual figure to fit (figures after the start year 2020, within "
            "the scenario's years, levels or growth rates the model reports)"
            + (f"; left out: {'; '.join(notes)}" if notes else "")
        )
    if len(plan) < k:
        raise ScenarioError(
            f"calibrate: {len(plan)} figure(s) to fit, fewer than the {k} parameters to fit"
        )
    low = np.array([prms[n].low for n in names])
    high = np.array([prms[n].high for n in names])
    start_values = np.array(
        [float(scn.parameters.get(n, prms[n].value)) for n in names], dtype=float
    )
    model = _Model(run_scn, plan, names, low, high, folder)
    x_start = (start_values - low) / (high - low)
    points = [x_start]
    if starts > 1:
        screen = _latin_hypercube(k, SCREEN_POINTS, seed)
        costs = np.sum(model.batch(screen) ** 2, axis=1)
        order = np.argsort(np.where(np.isfinite(costs), costs, np.inf))
        points += [screen[i] for i in order[: starts - 1]]
    ends = []
    for p in points:
        res = least_squares(
            model.fun, p, jac=model.jac, bounds=(0.0, 1.0), method="trf",
            xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=200, x_scale=1.0,
        )  # fmt: skip
        ends.append(res)
    best = min(range(len(ends)), key=lambda i: ends[i].cost)
    x_hat = ends[best].x
    theta = model.natural(x_hat)
    r_hat, j_hat = model.fun(x_hat), model.jac(x_hat)
    n = len(plan)
    rss = float(r_hat @ r_hat)
    dof = n - k
    s2 = rss / dof if dof > 0 else float("nan")
    cov, identified, flat_note = _covariance(j_hat, model.span, s2 if dof > 0 else 1.0)
    se = np.sqrt(np.where(identified, np.diag(cov), np.nan))
    warn: list[str] = []
    on_bound = (x_hat <= ON_BOUND) | (x_hat >= 1 - ON_BOUND)
    col_norm = np.linalg.norm(j_hat, axis=0)
    for j, name in enumerate(names):
        if col_norm[j] == 0:
            warn.append(
                f"{name} is not identified: the figures fitted do not depend on it (it stays "
                f"at {theta[j]:g})"
            )
        elif not identified[j]:
            warn.append(f"{name} is not identified: {flat_note}")
        elif se[j] > WEAK * (high[j] - low[j]):
            warn.append(
                f"{name} is weakly identified: its standard error {se[j]:.3g} is more than half "
                f"its range [{low[j]:g}, {high[j]:g}]; the figures barely constrain it"
            )
        if on_bound[j] and col_norm[j] > 0:
            side = "lower" if x_hat[j] <= ON_BOUND else "upper"
            warn.append(
                f"{name} = {theta[j]:g} is on the {side} bound of its range [{low[j]:g}, "
                f"{high[j]:g}]: the figures push it further; its standard error ignores the "
                "bound"
            )
        elif (
            identified[j]
            and se[j] <= WEAK * (high[j] - low[j])
            and min(theta[j] - low[j], high[j] - theta[j]) < 2 * se[j]
        ):
            side = "lower" if theta[j] - low[j] < high[j] - theta[j] else "upper"
            bound = low[j] if side == "lower" else high[j]
            warn.append(
                f"{name} = {theta[j]:g} is within two standard errors ({se[j]:.3g} each) of "
                f"the {side} bound {bound:g} of its range: its 95 % interval "
                f"[{theta[j] - 2 * se[j]:.4g}, {theta[j] + 2 * se[j]:.4g}] crosses the bound, "
                "so the range, not only the figures, decides the estimate"
            )
    if dof <= 0:
        notes.append(
            f"{n} figures for {k} parameters: no degrees of freedom left, so s^2 is taken as "
            "1 (the stated measurement standard deviations)"
        )
    others = []
    for i, e in enumerate(ends):
        if (
            i != best
            and np.max(np.abs(e.x - x_hat)) > 1e-4
            and e.cost > ends[best].cost * (1 + 1e-6)
        ):
            others.append(i)
    if others:
        notes.append(
            f"{len(others)} of {len(ends)} starts ended in other local minima with a higher "
            "weighted sum of squares (starts.csv)"
        )
    model_start = model.model_values(start_values)
    model_hat = model.model_values(theta)
    residuals = _residual_table(plan, model_start, model_hat)
    fit_frame = _fit_table(residuals)
    param_warnings = len(warn)
    warn += fit_warnings(fit_frame, s2 if dof > 0 else float("nan"))
    for w in warn:
        warnings.warn(w, UserWarning, stacklevel=2)
    std = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = cov / np.outer(std, std)
    corr[~identified, :] = np.nan
    corr[:, ~identified] = np.nan
    units = [prms[n].unit for n in names]
    estimates = pd.DataFrame(
        {
            "estimate": theta,
            "se": se,
            "ci_low": theta - 1.959963984540054 * se,
            "ci_high": theta + 1.959963984540054 * se,
            "start": start_values,
            "low": low,
            "high": high,
            "unit": units,
            "identified": identified & (col_norm > 0),
            "on_bound": on_bound,
        },
        index=pd.Index(names, name="parameter"),
    )
    estimates["note"] = [
        next((w for w in warn[:param_warnings] if w.startswith(name)), "") for name in names
    ]
    starts_table = pd.DataFrame(
        [
            {
                "start": i,
                "from": "scenario" if i == 0 else "latin hypercube",
                **{
                    f"start:{nm}": float(v)
                    for nm, v in zip(names, model.natural(points[i]), strict=True)
                },
                **{f"end:{nm}": float(v) for nm, v in zip(names, model.natural(e.x), strict=True)},
                "cost": 2 * float(e.cost),
                "evaluations": int(e.nfev),
                "best": i == best,
            }
            for i, e in enumerate(ends)
        ]
    )
    calibrated = replace(
        scn,
        name=f"{scn.name}-calibrated",
        parameters={**scn.parameters, **{n: float(v) for n, v in zip(names, theta, strict=True)}},
        source=None,
        extends=(scn.source,) if scn.source else (),
    )
    cost_start = float(np.sum(_residuals(model_start[None, :], plan) ** 2))
    years_fitted = sorted({p.year for p in plan})
    metadata = {
        "n": n,
        "k": k,
        "cost": rss,
        "cost_start": cost_start,
        "s2": s2 if dof > 0 else 1.0,
        "s2_meaning": s2_meaning(s2 if dof > 0 else float("nan")),
        "dof": dof,
        "runs": model.runs,
        "starts": len(ends),
        "seed": seed,
        "vintage": vintage,
        "years": f"{years_fitted[0]}-{years_fitted[-1]}",
        "actuals": str(Path(path).resolve()) if path else None,
        "actuals_sha256": obs.attrs.get("sha256"),
        "data_dir": str(folder),
        "measurement_sd": {f"{a}/{b}": v for (a, b), v in sd_table.items()},
        "wall_time_s": time.perf_counter() - started,
    }
    return Calibration(
        estimates,
        pd.DataFrame(corr, index=names, columns=names),
        pd.DataFrame(cov, index=names, columns=names),
        fit_frame,
        residuals,
        starts_table,
        warn,
        notes,
        calibrated,
        scn,
        metadata,
    )


def _covariance(jac: np.ndarray, span: np.ndarray, s2: float):
    """cov = s² (JᵀJ)⁻¹ in natural units over the identified parameters; which are
    identified; a sentence on the flat directions."""
    k = jac.shape[1]
    jn = jac  # range units: the fit's own coordinates
    u, sv, vt = np.linalg.svd(jn, full_matrices=False)
    top = sv[0] if sv.size and sv[0] > 0 else 1.0
    flat = sv < FLAT * top
    identified = np.ones(k, dtype=bool)
    note = ""
    if flat.any():
        loads = np.sum(vt[flat] ** 2, axis=0)
        identified = loads < 0.5
        shown = ", ".join(f"{v / top:.1e}" for v in sv[flat])
        note = (
            f"it lies on a direction the figures barely see (singular value(s) {shown} of "
            "the largest, in range units): several values fit equally well"
        )
    cov = np.full((k, k), np.nan)
    idx = np.flatnonzero(identified)
    if idx.size:
        j_id = jn[:, idx] / span[idx]  # natural units
        cov_id = s2 * np.linalg.pinv(j_id.T @ j_id)
        cov[np.ix_(idx, idx)] = cov_id
    return cov, identified, note


def s2_meaning(s2: float) -> str:
    """What s² (the weighted sum of squares over the degrees of freedom) says, in a sentence;
    NaN: no degrees of freedom left."""
    if not math.isfinite(s2):
        return (
            "s^2 cannot be estimated (no more figures than parameters): the standard errors "
            "take the stated measurement errors as they are"
        )
    ratio = math.sqrt(max(s2, 0.0))
    if s2 <= 1.5:
        how = "within them: the model fits as well as the figures allow"
    elif s2 <= POOR_FIT:
        how = "somewhat more than they allow"
    else:
        how = (
            "far more than they allow: the model's structure, not the figures' errors, makes "
            "most of the misfit"
        )
    return (
        f"s^2 = {s2:.3g}: the model misses the figures by about {ratio:.2g} times their stated "
        f"measurement errors, {how}; the standard errors are scaled by s = {ratio:.2g}"
    )


def headline_worse(fit: pd.DataFrame) -> list[tuple[str, str]]:
    """The headline series (:data:`HEADLINE`) fitted worse than at the scenario's own values
    and missed by more than their stated errors (weighted sum of squares above the number of
    figures): (indicator, basis) pairs."""
    return [
        (r["indicator"], r["basis"])
        for _, r in fit.iterrows()
        if (r["indicator"], r["basis"]) in HEADLINE and r["worse"] and r["wss"] > r["n"]
    ]


def fit_warnings(fit: pd.DataFrame, s2: float) -> list[str]:
    """Warnings on the fit itself (from the fit table and s²): a headline series
    (:data:`HEADLINE`) fitted worse than at the scenario's own values and missed by more than
    its stated errors (its weighted sum of squares above its number of figures), a series that
    makes up
    more than :data:`DOMINANT` of the weighted sum of squares while s² > 1, and s² above
    :data:`POOR_FIT`."""
    out = []
    for _, r in fit.iterrows():
        if (r["indicator"], r["basis"]) in headline_worse(fit):
            out.append(
                f"the calibrated fit of {r['indicator']} ({r['basis']}) is worse than the "
                f"uncalibrated one: RMSE {r['rmse_start']:.4g} -> {r['rmse']:.4g} {r['unit']}, "
                f"bias {r['bias_start']:+.4g} -> {r['bias']:+.4g}, more than its stated "
                "measurement errors; the fit trades it for other series (fit.csv: each "
                "series' share of the weighted sum of squares)"
            )
    total = float(fit["wss"].sum())
    if math.isfinite(s2) and s2 > 1 and total > 0:
        for _, r in fit.iterrows():
            if r["wss"] > DOMINANT * total:
                out.append(
                    f"one series dominates the fit: {r['indicator']} ({r['basis']}, {r['n']} "
                    f"figure(s)) makes up {r['wss'] / total:.0%} of the weighted sum of "
                    f"squares ({r['wss']:.4g} of {total:.4g}; more than {DOMINANT:.0%} is "
                    "warned of): the estimates move mostly to fit it; check its figures and "
                    "their stated errors, or leave it out"
                )
    if math.isfinite(s2) and s2 > POOR_FIT:
        out.append(
            f"poor fit: s^2 = {s2:.3g} (above {POOR_FIT:g}): the weighted residuals are about "
            f"{math.sqrt(s2):.2g} times the stated measurement errors; the model, with these "
            "parameters free, does not reproduce the figures"
        )
    return out


def _residual_table(plan, start: np.ndarray, hat: np.ndarray) -> pd.DataFrame:
    actual = np.array([p.value for p in plan])
    rows = pd.DataFrame(
        {
            "indicator": [p.indicator for p in plan],
            "year": [p.year for p in plan],
            "basis": [p.basis for p in plan],
            "vintage": [p.vintage for p in plan],
            "status": [p.status for p in plan],
            "actual": actual,
            "model_start": start,
            "model": hat,
            "error": hat - actual,
            "sd": [p.sd for p in plan],
            "kind": [p.kind for p in plan],
        }
    )
    rows["weighted_residual_start"] = _residuals(start[None, :], plan)[0]
    rows["weighted_residual"] = _residuals(hat[None, :], plan)[0]
    return rows


def _fit_table(res: pd.DataFrame) -> pd.DataFrame:
    """RMSE, MAPE (levels of amounts), bias per indicator and basis, at the start and at the
    estimate."""
    out = []
    for (ind, basis), g in res.groupby(["indicator", "basis"], sort=False):
        unit = (
            "points"
            if basis != "level" or g["kind"].iloc[0] == "points"
            else (INDICATOR_BY_NAME[ind].unit)
        )
        row = {"indicator": ind, "basis": basis, "n": len(g), "unit": unit}
        for label, col in (("_start", "model_start"), ("", "model")):
            err = g[col] - g["actual"]
            row[f"rmse{label}"] = float(np.sqrt(np.mean(err**2)))
            row[f"bias{label}"] = float(np.mean(err))
            row[f"mape{label}"] = (
                float(np.mean(np.abs(err / g["actual"])) * 100.0)
                if g["kind"].iloc[0] in ("level", "relative")
                else float("nan")
            )
        row["wss_start"] = float(np.sum(g["weighted_residual_start"] ** 2))
        row["wss"] = float(np.sum(g["weighted_residual"] ** 2))
        row["worse"] = bool(row["rmse"] > row["rmse_start"] * (1 + 1e-9))
        out.append(row)
    frame = pd.DataFrame(out)
    total = frame["wss"].sum() if len(frame) else 0.0
    frame["share_pct"] = frame["wss"] / total * 100.0 if total > 0 else np.nan
    return frame


def synthetic_actuals(
    scenario=None,
    parameters: Mapping | None = None,
    indicators: Sequence[str] = (
        "gdp",
        "va_tertiary",
        "fiscal_revenue",
        "retail_sales",
        "unemployment_rate_pct",
    ),
    years: Sequence[int] = range(2021, 2026),
    growth: Sequence[str] = ("gdp",),
    noise: float = 0.0,
    seed: int = 0,
    vintage: str = "preliminary",
    data_dir=None,
) -> pd.DataFrame:
    """Actual figures made by the model with known ``parameters`` (for tests and
    demonstrations): levels of ``indicators`` and the real growth of ``growth`` in
    ``years``, with errors of ``noise`` times the measurement standard deviation of their
    basis and vintage (:data:`MEASUREMENT_SD`; 0: exact). A table for :func:`calibrate`."""
    scn = as_scenario(scenario, data_dir)
    end = max(years)
    run = replace(scn, time=TimeSettings(end, scn.time.dt, scn.time.method))
    params = {k: np.array([float(v)]) for k, v in (parameters or {}).items()}
    values, _ = run_scenario(run, params, 1, data_dir, record_parameters=False)
    rng = np.random.default_rng(seed)
    rows = []

    def add(ind, year, basis, value):
        rows.append(
            {"indicator": ind, "year": year, "basis": basis, "value": value,
             "vintage": vintage, "status": "actual", "source": "synthetic"}
        )  # fmt: skip

    for y in years:
        k = y - BASE_YEAR
        for ind in indicators:
            v = float(values[ind][k, 0])
            kind = figure_kind(ind, "level")
            sd = MEASUREMENT_SD[("points" if kind == "points" else "level", vintage)]
            e = noise * rng.normal(0.0, sd)
            value = v + e if kind in ("points", "relative") else v * math.exp(e)
            add(ind, y, "level", value)
        for ind in growth:
            series, how = REAL_SERIES[ind]
            s = values[series][:, 0]
            v = float((s[k] / s[k - 1] - 1) * 100 if how == "level" else s[k])
            e = noise * rng.normal(0.0, MEASUREMENT_SD[("growth", vintage)])
            add(ind, y, "real_growth_pct", v + e)
    return pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
