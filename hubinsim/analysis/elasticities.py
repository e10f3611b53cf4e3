"""Behavioural parameters from data: Okun's coefficient, tax buoyancy and the income
elasticity of services consumption, estimated by OLS with statsmodels
(:func:`estimate_elasticities`), from a panel of districts and years (:func:`read_panel`).

::

    import hubinsim
    panel = hubinsim.read_panel("henan_districts.csv")
    est = hubinsim.estimate_elasticities(panel)
    est.table                      # estimate, standard error, t, p, interval, n, method
    print(est.summaries["labour.okun"])   # the regression table
    est.fragment("scenarios/baseline.toml")   # a scenario file setting the estimates

**What each regression estimates** (docs/model.md §4-6 give the equations):

``labour.okun`` (ω, points of employment per % of output against potential). The model sets
labour demand to natural employment times 1 + ω (Y/Y* − 1), so unemployment is u = u* −
(1 − u*) ω gap. Potential output is not observed; differencing, with potential growth g*
constant within a district, gives Okun's difference form::

    Δu_t = a_i + β g_t + e_t,      ω = −β / (1 − ū)

with Δu the change of the unemployment rate [points], g real GDP growth [%], a_i =
(1 − u*) ω g*_i (one intercept per district) and ū the sample's mean unemployment rate.

``fiscal.buoyancy`` (b). Budget revenue is R = R₀ (TB/TB₀)^b with the tax base TB = w_p VA_p
+ w_s VA_s + VA_t (nominal value added weighted by ``fiscal.weight_primary`` and
``fiscal.weight_secondary``), so that in growth rates::

    Δln R_t = a + b Δln TB_t + e_t

The model has no drift term; ``a`` takes up revenue growing apart from its base (reforms,
tax relief, which the model leaves to the ``tax_relief`` lever) and is reported. Without the
sector columns the base is nominal GDP (buoyancy with respect to GDP, the same when the
sector mix does not change), and the table says so.

``consumption.services_income_elasticity`` (ε_s). The services share of consumption is σ =
σ₀ (c / c_ref)^(ε_s − 1) with c real consumption per resident, so that::

    Δln σ_t = a + (ε_s − 1) Δln c_t + e_t,      ε_s = 1 + slope

with c = household_consumption / population / consumer_price_index (nominal when the file
has no price index: the table says so; relative price changes then bias the estimate).

Each regression is in year-on-year changes of consecutive years within a district, so
trending levels do not make a spurious fit. Standard errors: with one district (a time
series) heteroskedasticity- and autocorrelation-consistent (Newey-West, ``maxlags`` =
floor(4 (T/100)^(2/9)), at least 1); with several districts, cluster-robust by district
when there are at least :data:`MIN_CLUSTERS` of them, else Newey-West within each district
(``hac-panel``), which allows serial correlation within a district but not correlation
across districts (few clusters make cluster-robust errors too small). A regression is run
when it has at least :data:`MIN_OBSERVATIONS` observations and :data:`MIN_DOF` residual
degrees of freedom, and is skipped with the reason otherwise. The standard errors of omega
and eps_s are those of the slope (omega's scaled by 1 / (1 - u_mean)).

**The panel file** (CSV, UTF-8 with or without a byte-order mark, a regular file of at most
:data:`~hubinsim.files.MAX_TABLE_BYTES`): one row per district and year; columns ``district`` (text;
may be left out when the file holds one district), ``year`` and any of the variables of
:data:`PANEL_COLUMNS` (an empty cell is a gap: the changes that need it are left out);
``source`` (free text) is kept and not read. Every other column is an error that names the
closest valid ones.
"""

from __future__ import annotations

import csv
import io
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..catalog import suggest
from ..data import load_parameters
from ..errors import DataError, printable
from ..files import MAX_TABLE_BYTES, read_text
from ..scenario.writer import fragment_toml

#: The variables of a panel file: name -> (unit, meaning). Names are the indicators' names
#: (``hubinsim indicators``) but for the consumer price index.
PANEL_COLUMNS: dict[str, tuple[str, str]] = {
    "gdp": ("亿元, current prices", "GDP"),
    "gdp_real_growth_pct": ("%", "real GDP growth over the year before"),
    "va_primary": ("亿元, current prices", "primary value added"),
    "va_secondary": ("亿元, current prices", "secondary value added"),
    "va_tertiary": ("亿元, current prices", "tertiary value added"),
    "fiscal_revenue": ("亿元", "general public budget revenue"),
    "unemployment_rate_pct": ("%", "urban registered unemployment rate"),
    "household_consumption": ("亿元, current prices", "household consumption of residents"),
    "services_share_of_consumption_pct": ("%", "services share of household consumption"),
    "population": ("万人", "resident population"),
    "consumer_price_index": ("index, any base", "consumer prices of the district"),
}
#: Columns that are not variables.
KEY_COLUMNS = ("district", "year", "source")
#: Variables that must be positive (levels, shares, indices).
POSITIVE = tuple(n for n in PANEL_COLUMNS if n not in ("gdp_real_growth_pct",))
#: Fewest observations (year-on-year changes) of a regression.
MIN_OBSERVATIONS = 6
#: Fewest residual degrees of freedom of a regression.
MIN_DOF = 3
#: Fewest districts for cluster-robust standard errors (else Newey-West within districts).
MIN_CLUSTERS = 10

#: The parameters estimated: name -> (what the regression is, the columns it needs, the
#: names of its dependent and explanatory variables in the regression table).
ESTIMATES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "labour.okun": (
        "change of unemployment [points] on real GDP growth [%]: omega = -slope / (1 - mean u)",
        ("unemployment_rate_pct", "gdp_real_growth_pct"),
        "d_unemployment_rate_pts",
        "gdp_real_growth_pct",
    ),
    "fiscal.buoyancy": (
        "growth of budget revenue on growth of the tax base (log changes): b = slope",
        ("fiscal_revenue",),
        "dlog_fiscal_revenue",
        "dlog_tax_base",
    ),
    "consumption.services_income_elasticity": (
        "change of the log services share of consumption on the change of log real "
        "consumption per resident: elasticity = 1 + slope",
        ("services_share_of_consumption_pct", "household_consumption", "population"),
        "dlog_services_share",
        "dlog_consumption_per_resident",
    ),
}


def read_panel(path) -> pd.DataFrame:
    """Read a panel file (see the module): a DataFrame indexed by (district, year), one
    column per variable given (NaN for gaps).

    Raises
    ------
    DataError
        Naming the file, line and column: an unknown column (with the closest names), a
        year that is not a whole year, a value that is not a number or not positive where
        it must be, a (district, year) given twice, a file without rows.
    """
    if not isinstance(path, str | os.PathLike):
        raise DataError(f"read_panel: path must be a file path, not {type(path).__name__}")
    path = Path(os.fspath(path))
    text, read = read_text(path, limit=MAX_TABLE_BYTES, what="a panel file", error=DataError)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV ({exc})") from None
    if not header:
        raise DataError(f"{path}: empty file; the first line names the columns")
    frame = _panel(header, rows, str(path), lambda line: f"line {line}")
    frame.attrs["source"] = str(path)
    frame.attrs["sha256"] = read.sha256
    return frame


def _panel(header: list, rows: list[tuple[int, list]], name: str, label) -> pd.DataFrame:
    """The panel of ``rows`` (line number, cells) under ``header`` (line 1), every cell
    checked; ``name`` is the panel's in messages, ``label(line)`` says which line it is
    (``"line 3"``). The one check of a panel, from a file or from Python."""

    def at(line: int) -> str:
        return f"{name}: {label(line)}"

    header = [str(h).strip() for h in header]
    problems = []
    valid = [*KEY_COLUMNS, *PANEL_COLUMNS]
    for k, h in enumerate(header, start=1):
        if h not in valid:
            problems.append(
                f"{at(1)}, column {k}: unknown column {h!r}{suggest(h, valid)}; "
                f"valid columns: {', '.join(valid)}"
            )
    if "year" not in header:
        problems.append(f"{at(1)}: the header needs a 'year' column")
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        problems.append(f"{at(1)}: column(s) {', '.join(twice)} appear twice")
    if problems:
        raise DataError("\n".join(problems))
    if not rows:
        raise DataError(f"{at(1)}: no data rows below the header")
    records, seen = [], {}
    for line, row in rows:
        if len(row) != len(header):
            problems.append(f"{at(line)}: {len(row)} cells, the header has {len(header)} columns")
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        rec = {"district": cells.get("district", "") or ""}
        if "district" in header and not rec["district"]:
            problems.append(f"{at(line)}, column district: empty; name the district")
        col = header.index("year") + 1
        try:
            year = int(cells["year"])
            if not 1949 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(
                f"{at(line)}, column {col} (year): {cells['year']!r} is not a year "
                "(a whole number, 1949-2100)"
            )
            continue
        rec["year"] = year
        for name in PANEL_COLUMNS:
            if name not in cells:
                continue
            text, col = cells[name], header.index(name) + 1
            if text == "":
                rec[name] = math.nan
                continue
            try:
                value = float(text.replace(",", ""))
                if not math.isfinite(value):
                    raise ValueError
            except ValueError:
                problems.append(
                    f"{at(line)}, column {col} ({name}): {text!r} is not a number "
                    f"[{PANEL_COLUMNS[name][0]}]; leave the cell empty for a gap"
                )
                continue
            if name in POSITIVE and value <= 0:
                problems.append(
                    f"{at(line)}, column {col} ({name}): {text} must be above 0 "
                    f"[{PANEL_COLUMNS[name][0]}]"
                )
            rec[name] = value
        key = (rec["district"], year)
        if key in seen:
            who = f"district {key[0]!r}, " if key[0] else ""
            problems.append(
                f"{at(line)}: {who}year {year} appears twice (first on {label(seen[key])})"
            )
        seen.setdefault(key, line)
        records.append(rec)
    if problems:
        raise DataError("\n".join(problems))
    return pd.DataFrame.from_records(records).set_index(["district", "year"]).sort_index()


def panel_frame(data) -> pd.DataFrame:
    """A panel from a DataFrame (index or columns ``district`` and ``year``), a mapping of
    columns, or a path; checked cell by cell as a panel file is (:func:`_panel`), a row
    named by its position."""
    if isinstance(data, str | os.PathLike):
        return read_panel(data)
    if isinstance(data, pd.DataFrame) and data.attrs.get("sha256"):
        return data  # from read_panel: checked as it was read
    try:
        frame = pd.DataFrame(data)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"panel: a DataFrame, a mapping of columns or a file path, not "
            f"{type(data).__name__} ({printable(str(exc))})"
        ) from None
    names = [n for n in frame.index.names if n is not None]
    if names:
        frame = frame.reset_index()
    header = [printable(str(c)) for c in frame.columns]

    def cell(value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float | np.floating) and float(value).is_integer():
            return str(int(value)) if abs(value) < 1e15 else repr(float(value))
        if isinstance(value, float | np.floating):
            return repr(float(value))
        return printable(str(value), lines=False)

    rows = [(k, [cell(v) for v in row]) for k, row in enumerate(frame.itertuples(False), 2)]
    return _panel(header, rows, "panel", lambda k: "columns" if k == 1 else f"row {k - 2} (iloc)")


def _changes(frame: pd.DataFrame, series: pd.Series, log: bool) -> pd.Series:
    """Year-on-year changes within each district between consecutive years."""
    s = np.log(series) if log else series
    out = s.groupby(level="district").diff()
    years = pd.Series(frame.index.get_level_values("year"), index=frame.index)
    step = years.groupby(level="district").diff()
    return out.where(step == 1)


@dataclass
class Elasticities:
    """Estimates of the model's behavioural parameters (:func:`estimate_elasticities`).

    Attributes
    ----------
    table : DataFrame
        One row per parameter estimated: ``estimate``, ``se``, ``t``, ``p``, ``ci_low``,
        ``ci_high`` (95 %), ``n`` (observations), ``districts``, ``cov_type``, ``model_value``
        (the scenario's), ``low``, ``high`` (its plausible range), ``in_range``,
        ``regression``, ``note``.
    summaries : dict
        Parameter -> the statsmodels regression table (text).
    results : dict
        Parameter -> the statsmodels results object.
    skipped : dict
        Parameter -> why it was not estimated.
    metadata : dict
        Source, districts, years.
    """

    table: pd.DataFrame
    summaries: dict[str, str] = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    def fragment(self, extends: str | None = None, name: str | None = None) -> str:
        """A scenario file setting the estimates in ``[parameters]`` on top of ``extends``
        (default: the scenario's file, by its absolute path); an estimate outside the
        parameter's plausible range is left out with a comment saying why, since a scenario
        may not set it."""
        scn = self.metadata.get("scenario_object")
        if extends is None and scn is not None and scn.source:
            extends = str(Path(scn.source).resolve())
        name = name or f"{self.metadata.get('scenario', 'baseline')}-estimated"
        params, notes = {}, {}
        header = [
            f"Behavioural parameters estimated by hubinsim {__version__} (OLS, statsmodels) "
            f"from {self.metadata.get('source') or 'a panel'}: "
            f"{self.metadata.get('districts')} district(s), years "
            f"{self.metadata.get('first_year')}-{self.metadata.get('last_year')}.",
        ]
        if self.metadata.get("sha256"):
            header.append(f"Data sha256: {self.metadata['sha256']}")
        for pname, row in self.table.iterrows():
            text = f"{row['estimate']:.4g} (s.e. {row['se']:.2g}, n {row['n']}, {row['cov_type']})"
            if row["in_range"]:
                params[pname] = float(row["estimate"])
                notes[pname] = f"estimated: s.e. {row['se']:.2g}, n {row['n']}"
            else:
                header.append(
                    f"NOT SET: {pname} = {text} lies outside its plausible range "
                    f"[{row['low']:g}, {row['high']:g}]; the model keeps {row['model_value']:g}."
                )
        for pname, why in self.skipped.items():
            header.append(f"Not estimated: {pname}: {why}")
        return fragment_toml(
            name=name,
            description="Behavioural parameters estimated from data (hubinsim estimate).",
            extends=extends,
            parameters=params,
            header=header,
            notes=notes,
        )


def _fit(y, X, groups):
    """OLS of ``y`` on ``X`` with the standard errors of the module (HAC or clustered)."""
    import statsmodels.api as sm

    n_groups = len(set(groups))
    model = sm.OLS(y, X)
    if n_groups == 1:
        lags = max(1, int(math.floor(4 * (len(y) / 100) ** (2 / 9))))
        return model.fit(
            cov_type="HAC", cov_kwds={"maxlags": lags}
        ), f"HAC (Newey-West, {lags} lag)"
    codes = pd.factorize(np.asarray(groups))[0]
    if n_groups >= MIN_CLUSTERS:
        return model.fit(cov_type="cluster", cov_kwds={"groups": codes}), (
            f"cluster-robust by district ({n_groups})"
        )
    lags = max(1, int(math.floor(4 * (len(y) / n_groups / 100) ** (2 / 9))))
    res = model.fit(cov_type="hac-panel", cov_kwds={"groups": codes, "maxlags": lags})
    return res, f"HAC within districts ({n_groups} districts, {lags} lag)"


def _design(x: pd.Series, districts, fixed_effects: bool):
    """The regressors: ``x``, and one intercept per district (or one in all)."""
    cols = {"slope": x.to_numpy(dtype=float)}
    names = sorted(set(districts))
    if fixed_effects and len(names) > 1:
        for d in names:
            cols[f"district {d}"] = (np.asarray(districts) == d).astype(float)
    else:
        cols["const"] = np.ones(len(x))
    return pd.DataFrame(cols, index=x.index)


def estimate_elasticities(panel, scenario=None, *, data_dir=None) -> Elasticities:
    """Estimate Okun's coefficient, tax buoyancy and the income elasticity of services
    consumption from a panel of districts and years (see the module for each regression).

    Parameters
    ----------
    panel : DataFrame, mapping or path
        From :func:`read_panel`, or a DataFrame with ``district`` (optional) and ``year``
        and the columns of :data:`PANEL_COLUMNS`.
    scenario : Scenario or path, optional
        The scenario the estimates are for (business as usual when None): its parameter
        values are compared with the estimates, the tax weights come from them, and
        :meth:`Elasticities.fragment` extends its file.

    Returns
    -------
    Elasticities
        The table of estimates, the regression tables, the regressions skipped and why.
    """
    from ..scenario.reader import load_scenario
    from ..scenario.settings import Scenario

    frame = panel_frame(panel)
    source = frame.attrs.get("source")
    if scenario is None:
        scenario = Scenario()
    elif not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, data_dir)
    prms = load_parameters(data_dir)
    values = {n: float(p.value) for n, p in prms.items()} | {
        k: float(v) for k, v in scenario.parameters.items()
    }
    districts = frame.index.get_level_values("district")
    rows, summaries, results, skipped = {}, {}, {}, {}

    def need(pname, cols):
        missing = [c for c in cols if c not in frame.columns or frame[c].isna().all()]
        if missing:
            skipped[pname] = f"the data have no {', '.join(missing)}"
            return False
        return True

    def run(pname, y, x, fixed_effects, transform, note):
        ok = y.notna() & x.notna()
        y, x = y[ok], x[ok]
        d = np.asarray(districts)[ok.to_numpy()]
        X = _design(x, d, fixed_effects)
        n, k = X.shape
        if n < MIN_OBSERVATIONS or n - k < MIN_DOF:
            skipped[pname] = (
                f"{n} year-on-year changes with the columns it needs ({k} coefficients): it "
                f"needs at least {MIN_OBSERVATIONS} and {MIN_DOF} more than the coefficients"
            )
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels' small-sample notes in summaries
            res, cov = _fit(y.to_numpy(dtype=float), X, d)
            yname, xname = ESTIMATES[pname][2:]
            labels = [xname if c == "slope" else c for c in X.columns]
            summary = res.summary(yname=yname, xname=labels, title=f"{pname}: OLS").as_text()
        slope, se = float(res.params["slope"]), float(res.bse["slope"])
        est, est_se = transform(slope, se)
        z = 1.959963984540054
        prm = prms[pname]
        rows[pname] = {
            "estimate": est,
            "se": est_se,
            "t": float(res.tvalues["slope"]),
            "p": float(res.pvalues["slope"]),
            "ci_low": est - z * est_se,
            "ci_high": est + z * est_se,
            "n": int(n),
            "districts": len(set(d)),
            "cov_type": cov,
            "model_value": values[pname],
            "low": prm.low,
            "high": prm.high,
            "in_range": bool(prm.low <= est <= prm.high),
            "regression": ESTIMATES[pname][0],
            "note": note,
        }
        summaries[pname] = summary
        results[pname] = res

    pname = "labour.okun"
    if need(pname, ESTIMATES[pname][1]):
        u = frame["unemployment_rate_pct"]
        du = _changes(frame, u, log=False)
        mean_u = float(u.mean()) / 100.0
        run(
            pname,
            du,
            frame["gdp_real_growth_pct"],
            True,
            lambda b, s: (-b / (1 - mean_u), s / (1 - mean_u)),
            f"mean unemployment {100 * mean_u:.2f} %",
        )
    pname = "fiscal.buoyancy"
    if need(pname, ESTIMATES[pname][1]):
        sectors = ("va_primary", "va_secondary", "va_tertiary")
        if all(c in frame.columns and frame[c].notna().any() for c in sectors):
            base = (
                values["fiscal.weight_primary"] * frame["va_primary"]
                + values["fiscal.weight_secondary"] * frame["va_secondary"]
                + frame["va_tertiary"]
            )
            note = (
                f"tax base w_p VA_p + w_s VA_s + VA_t with w_p = "
                f"{values['fiscal.weight_primary']:g}, w_s = {values['fiscal.weight_secondary']:g}"
            )
        elif "gdp" in frame.columns and frame["gdp"].notna().any():
            base = frame["gdp"]
            note = "tax base: nominal GDP (no sector value added in the data)"
        else:
            base = None
            skipped[pname] = "the data have neither va_primary/secondary/tertiary nor gdp"
        if base is not None:
            run(
                pname,
                _changes(frame, frame["fiscal_revenue"], log=True),
                _changes(frame, base, log=True),
                False,
                lambda b, s: (b, s),
                note,
            )
    pname = "consumption.services_income_elasticity"
    if need(pname, ESTIMATES[pname][1]):
        per_head = frame["household_consumption"] / frame["population"]
        if "consumer_price_index" in frame.columns and frame["consumer_price_index"].notna().any():
            per_head = per_head / frame["consumer_price_index"]
            note = "real consumption per resident (deflated by consumer_price_index)"
        else:
            note = "nominal consumption per resident (no consumer_price_index in the data)"
        share = frame["services_share_of_consumption_pct"] / 100.0
        run(
            pname,
            _changes(frame, share, log=True),
            _changes(frame, per_head, log=True),
            False,
            lambda b, s: (1.0 + b, s),
            note,
        )
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("parameter")
    years = frame.index.get_level_values("year")
    metadata = {
        "source": source,
        "districts": len(set(districts)),
        "first_year": int(years.min()),
        "last_year": int(years.max()),
        "rows": len(frame),
        "scenario": scenario.name,
        "scenario_object": scenario,
    }
    if frame.attrs.get("sha256"):
        metadata["sha256"] = frame.attrs["sha256"]  # of the bytes read, not of the file now
    return Elasticities(table, summaries, results, skipped, metadata)


def synthetic_panel(
    okun: float = 0.3,
    buoyancy: float = 1.1,
    services_elasticity: float = 1.4,
    *,
    districts: int = 1,
    years: range = range(2005, 2021),
    noise: float = 1.0,
    seed: int = 0,
    weights: tuple[float, float] = (0.1, 1.5),
) -> pd.DataFrame:
    """A panel with known coefficients, made by the equations the regressions assume (for
    tests and demonstrations; ``noise`` scales every error term, 0 for none).

    Each district has its own potential growth (4-7 %/yr) and levels; real growth is
    potential growth plus the change of an output gap that follows an AR(1) (coefficient
    0.5, shocks of 1.5 points); unemployment follows Okun's law (Δu = −(1 − ū) ω (g − g*)
    points, ū the panel's mean rate, as the estimator takes it); revenue grows with the tax
    base (w_p VA_p + w_s VA_s + VA_t, ``weights``) at ``buoyancy``; the services share of
    consumption grows with real consumption per resident at ``services_elasticity`` − 1.
    Error terms: 0.05 points of unemployment, 1 % of revenue growth, 0.5 % of the services
    share's growth, times ``noise``.
    """
    rng = np.random.default_rng(seed)
    n = len(years)
    draws = []
    for _ in range(districts):
        g_pot = rng.uniform(4.0, 7.0)
        gap = np.zeros(n + 1)  # the output gap [%], an AR(1): unemployment stays bounded
        for t in range(1, n + 1):
            gap[t] = 0.5 * gap[t - 1] + rng.normal(0.0, 1.5)
        draws.append(
            {
                "g_pot": g_pot,
                "g": g_pot + np.diff(gap),
                "u0": rng.uniform(4.0, 6.0),
                "e_u": noise * rng.normal(0.0, 0.05, n),
                "va0": np.array([10.0, 40.0, 50.0]) * np.exp(rng.normal(0.0, 0.3, 3)),
                "va_growth": rng.normal(0.08, 0.04, (n, 3)),
                "revenue0": rng.uniform(3.0, 8.0),
                "e_r": noise * rng.normal(0.0, 0.01, n),
                "share0": rng.uniform(35.0, 45.0),
                "e_s": noise * rng.normal(0.0, 0.005, n),
                "cons0": rng.uniform(60.0, 150.0),
                "pop0": rng.uniform(20.0, 60.0),
                "real": rng.normal(0.07, 0.03, n),
                "people": rng.normal(0.0, 0.005, n),
                "prices": rng.normal(0.02, 0.01, n),
            }
        )
    # Okun's factor 1 - u is the estimator's: the mean unemployment rate of the panel, found
    # by a fixed point (the rates depend on it)
    factor = 0.97
    for _ in range(50):
        rates = []
        for x in draws:
            steps = -factor * okun * (x["g"] - x["g_pot"]) + x["e_u"]
            steps[0] = 0.0
            rates.append(x["u0"] + np.cumsum(steps))
        new = 1.0 - float(np.mean(np.concatenate(rates))) / 100.0
        if abs(new - factor) < 1e-15:
            break
        factor = new
    rows = []
    for d, (x, u) in enumerate(zip(draws, rates, strict=True)):
        growth = x["va_growth"].copy()
        growth[0] = 0.0
        va = x["va0"] * np.exp(np.cumsum(growth, axis=0))
        base = weights[0] * va[:, 0] + weights[1] * va[:, 1] + va[:, 2]
        dr = buoyancy * np.diff(np.log(base)) + x["e_r"][1:]
        revenue = x["revenue0"] * np.exp(np.concatenate([[0.0], np.cumsum(dr)]))
        real, people, prices = (
            np.concatenate([[0.0], x[k][1:]]) for k in ("real", "people", "prices")
        )
        cons = x["cons0"] * np.exp(np.cumsum(real + people + prices))
        pop = x["pop0"] * np.exp(np.cumsum(people))
        cpi = 100.0 * np.exp(np.cumsum(prices))
        ds = (services_elasticity - 1.0) * real[1:] + x["e_s"][1:]
        share = x["share0"] * np.exp(np.concatenate([[0.0], np.cumsum(ds)]))
        for t, year in enumerate(years):
            rows.append(
                {
                    "district": f"district {d + 1}",
                    "year": int(year),
                    "gdp_real_growth_pct": x["g"][t],
                    "unemployment_rate_pct": u[t],
                    "va_primary": va[t, 0],
                    "va_secondary": va[t, 1],
                    "va_tertiary": va[t, 2],
                    "fiscal_revenue": revenue[t],
                    "household_consumption": cons[t],
                    "population": pop[t],
                    "consumer_price_index": cpi[t],
                    "services_share_of_consumption_pct": share[t],
                }
            )
    return pd.DataFrame(rows).set_index(["district", "year"])
