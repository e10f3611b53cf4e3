"""Global sensitivity estimators: Sobol indices and Morris elementary effects.

They take any vectorised function ``f(X) -> y`` (``X`` of shape (runs, d), ``y`` of shape
(runs,) or (runs, outputs)) and know nothing of the model: :func:`sobol` and :func:`morris`;
the tests check them on the Ishigami function. :mod:`hubinsim.analysis.sensitivity` applies
them to the model.

Sobol: Saltelli sampling (``n (d + 2)`` runs from a scrambled Sobol sequence of dimension
2d); first-order indices by the Saltelli et al. (2010) estimator and total indices by
Jansen's (1999), the outputs standardised first; confidence intervals from ``num_resamples``
bootstrap resamples (half-widths ``z * sd``, as SALib reports them). Morris: ``n``
trajectories of ``d + 1`` runs on a ``num_levels`` grid (Morris 1991, Campolongo et al.
2007), ``mu*`` (mean absolute elementary effect), ``mu`` and ``sigma``, with a bootstrap
interval for ``mu*``. Elementary effects are measured in the unit hypercube, so ``mu*`` is
in the output's unit per full range of the parameter's probability scale.

The default backend is the numpy implementation here. ``backend="salib"`` uses SALib (the
optional ``sensitivity`` extra) for sampling and estimation, and ``backend="auto"`` uses SALib
when it is installed, else numpy. Both use the same estimators, and a test checks that they
give the same indices on the same design; numpy is the default because it is about ten times
faster on the model's 40 parameters (SALib recomputes the variance and draws the bootstrap
per parameter; here one matrix product gives every parameter's bootstrap at once, see
docs/performance.md). Both assume independent parameters: declared correlations
are refused unless ``ignore_correlations=True``.

References: Saltelli, A. et al. (2010) Variance based sensitivity analysis of model output,
Comput. Phys. Commun. 181, 259-270; Jansen, M.J.W. (1999) Analysis of variance designs for
model output, Comput. Phys. Commun. 117, 35-43; Morris, M.D. (1991) Technometrics 33,
161-174; Campolongo, F., Cariboni, J., Saltelli, A. (2007) Environ. Model. Softw. 22,
1509-1518; Ishigami, T., Homma, T. (1990) ISUMA '90, 398-403.
"""

from __future__ import annotations

import logging
import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

from ..catalog import suggest
from ..defaults import DEFAULT_N, SENSITIVITY_METHODS
from ..errors import ScenarioError
from ..scenario.uncertainty import Uncertainty, qmc_rng_kwargs

log = logging.getLogger(__name__)

METHODS = SENSITIVITY_METHODS
BACKENDS = ("auto", "salib", "numpy")


@dataclass
class SensitivityResult:
    """Sensitivity indices of every parameter for every output.

    Attributes
    ----------
    method : {"sobol", "morris"}
    table : DataFrame
        Index (output, parameter). Sobol: ``S1, S1_conf, ST, ST_conf``; Morris: ``mu,
        mu_star, mu_star_conf, sigma``. ``*_conf`` are half-widths of the confidence
        intervals.
    metadata : dict
        n, runs, seed, backend, conf_level, outputs, parameters, wall time.
    """

    method: str
    table: pd.DataFrame
    metadata: dict = field(default_factory=dict)

    def for_output(self, output: str) -> pd.DataFrame:
        """Indices of one output, one row per parameter, most influential first."""
        outputs = list(self.table.index.get_level_values(0).unique())
        if output not in outputs:
            raise KeyError(f"unknown output {output!r}{suggest(output, outputs)}")
        key = "ST" if self.method == "sobol" else "mu_star"
        return self.table.loc[output].sort_values(key, ascending=False)

    @property
    def outputs(self) -> list[str]:
        """The outputs analysed, ``"indicator@year"``."""
        return list(self.table.index.get_level_values(0).unique())

    @property
    def lever_names(self) -> list[str]:
        """The policy levers among the inputs varied (``[uncertainty.levers]``)."""
        levers = (self.metadata.get("uncertainty") or {}).get("levers", {})
        return [name for name in self.metadata.get("parameters", []) if name in levers]

    def ranked(self, output: str) -> pd.DataFrame:
        """One output's indices, most influential first, with a ``rank`` column (1 = most)
        and the ``parameter`` as a column."""
        table = self.for_output(output).reset_index()
        table.insert(0, "rank", range(1, len(table) + 1))
        return table

    def ranked_table(self) -> pd.DataFrame:
        """Every output's :meth:`ranked` indices in one table (indices.csv): columns
        ``output``, ``indicator``, ``year``, ``rank``, ``parameter`` and the indices."""
        parts = []
        for o in self.outputs:
            part = self.ranked(o)
            ind, _, year = o.partition("@")
            for k, (col, value) in enumerate((("output", o), ("indicator", ind), ("year", year))):
                part.insert(k, col, value)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)


def _backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if backend == "numpy":
        return "numpy"
    try:
        import SALib  # noqa: F401
    except ImportError:
        if backend == "salib":
            raise ImportError(
                "backend='salib' needs SALib, which is not installed; install the optional "
                "'sensitivity' extra: pip install \"hubinsim[sensitivity]\""
            ) from None
        return "numpy"
    return "salib"


def _unit_problem(d: int) -> dict:
    return {"num_vars": d, "names": [f"x{j}" for j in range(d)], "bounds": [[0.0, 1.0]] * d}


def _power_of_two(n: int) -> int:
    m = 2 ** max(0, math.ceil(math.log2(n)))
    if m != n:
        warnings.warn(
            f"Sobol analysis: n = {n} raised to {m}, the next power of 2 (the Sobol sequence "
            "is balanced only for powers of 2); give a power of 2 to choose the size",
            UserWarning,
            stacklevel=3,
        )
    return m


# --------------------------------------------------------------------------- Sobol


def saltelli_sample(d: int, n: int, seed=None, backend: str = "numpy") -> np.ndarray:
    """Saltelli's design in the unit hypercube, shape (n (d + 2), d).

    Rows come in blocks of d + 2 per base point i: ``A_i``, then ``A_i`` with column j taken
    from ``B_i`` (j = 1..d), then ``B_i``; ``A`` and ``B`` are the two halves of a scrambled
    Sobol sequence of dimension 2d. ``n`` must be a power of 2.
    """
    if backend == "salib":
        from SALib.sample import sobol as salib_sobol

        return salib_sobol.sample(_unit_problem(d), n, calc_second_order=False, seed=seed)
    eng = qmc.Sobol(2 * d, scramble=True, **qmc_rng_kwargs(qmc.Sobol, np.random.default_rng(seed)))
    base = eng.random_base2(int(round(math.log2(n))))
    a, b = base[:, :d], base[:, d:]
    out = np.empty((n, d + 2, d))
    out[:, 0] = a
    out[:, 1 : d + 1] = a[:, None, :]
    idx = np.arange(d)
    out[:, 1 + idx, idx] = b[:, idx]
    out[:, d + 1] = b
    return out.reshape(n * (d + 2), d)


def sobol_analyze(
    y: np.ndarray,
    d: int,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed=None,
    backend: str = "numpy",
) -> dict[str, np.ndarray]:
    """First-order and total Sobol indices of one output from a Saltelli design.

    Returns ``S1, S1_conf, ST, ST_conf`` (arrays of d). A constant output gives NaN.
    """
    y = np.asarray(y, dtype=float)
    if not np.all(np.isfinite(y)):
        raise ValueError("the output has NaN or infinite values")
    if np.ptp(y) <= np.finfo(float).eps * max(1.0, np.abs(y).max()):
        nan = np.full(d, np.nan)
        return {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
    if backend == "salib":
        from SALib.analyze import sobol as salib_sobol

        r = salib_sobol.analyze(
            _unit_problem(d),
            y,
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        return {k: np.asarray(r[k], dtype=float) for k in ("S1", "S1_conf", "ST", "ST_conf")}
    y = (y - y.mean()) / y.std()
    blocks = y.reshape(-1, d + 2)
    n = blocks.shape[0]
    fa, fb, fab = blocks[:, 0], blocks[:, -1], blocks[:, 1:-1]
    var = np.var(np.concatenate([fa, fb]))
    # Per-row terms of the estimators: S1_j = mean(p_j) / var, ST_j = mean(q_j) / var.
    p = fb[:, None] * (fab - fa[:, None])
    q = 0.5 * (fa[:, None] - fab) ** 2
    # Bootstrap: resample the n base points with replacement. A resample's mean of any
    # per-row term is (counts @ term) / n, so all parameters come from a few matrix products.
    counts = _bootstrap_counts(n, num_resamples, seed)
    m1 = counts @ (fa + fb) / (2 * n)
    var_r = counts @ (fa**2 + fb**2) / (2 * n) - m1**2
    z = stats.norm.ppf(0.5 + conf_level / 2.0)
    return {
        "S1": p.mean(axis=0) / var,
        "S1_conf": z * np.std(counts @ p / n / var_r[:, None], axis=0, ddof=1),
        "ST": q.mean(axis=0) / var,
        "ST_conf": z * np.std(counts @ q / n / var_r[:, None], axis=0, ddof=1),
    }


def _bootstrap_counts(n: int, resamples: int, seed) -> np.ndarray:
    """How often each of ``n`` rows is drawn in each of ``resamples`` bootstrap resamples."""
    idx = np.random.default_rng(seed).integers(n, size=(resamples, n))
    flat = (idx + n * np.arange(resamples)[:, None]).ravel()
    return np.bincount(flat, minlength=resamples * n).reshape(resamples, n).astype(float)


# --------------------------------------------------------------------------- Morris


def morris_sample(
    d: int, trajectories: int, num_levels: int = 4, seed=None, backend: str = "numpy"
) -> np.ndarray:
    """Morris trajectories in the unit hypercube, shape (trajectories (d + 1), d).

    Each trajectory starts on the ``num_levels`` grid and moves one parameter at a time, in
    random order, by ``delta = num_levels / (2 (num_levels - 1))`` up or down.
    """
    if backend == "salib":
        from SALib.sample import morris as salib_morris

        return salib_morris.sample(_unit_problem(d), trajectories, num_levels=num_levels, seed=seed)
    rng = np.random.default_rng(seed)
    delta = num_levels / (2.0 * (num_levels - 1))
    half = num_levels // 2
    out = np.empty((trajectories, d + 1, d))
    for t in range(trajectories):
        low = rng.integers(0, half, size=d) / (num_levels - 1)
        up = rng.random(d) < 0.5
        x = np.where(up, low, low + delta)
        out[t, 0] = x
        for k, j in enumerate(rng.permutation(d), start=1):
            x = x.copy()
            x[j] = x[j] + delta if up[j] else x[j] - delta
            out[t, k] = x
    return out.reshape(trajectories * (d + 1), d)


def morris_analyze(
    x: np.ndarray,
    y: np.ndarray,
    d: int,
    *,
    num_levels: int = 4,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    seed=None,
    backend: str = "numpy",
) -> dict[str, np.ndarray]:
    """``mu, mu_star, mu_star_conf, sigma`` (arrays of d) of one output."""
    y = np.asarray(y, dtype=float)
    if not np.all(np.isfinite(y)):
        raise ValueError("the output has NaN or infinite values")
    if backend == "salib":
        from SALib.analyze import morris as salib_morris

        r = salib_morris.analyze(
            _unit_problem(d),
            x,
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=num_levels,
            seed=seed,
        )
        return {
            k: np.asarray(r[k], dtype=float) for k in ("mu", "mu_star", "mu_star_conf", "sigma")
        }
    xs = x.reshape(-1, d + 1, d)
    ys = y.reshape(-1, d + 1)
    step = np.diff(xs, axis=1)  # (trajectories, d, d): one non-zero entry per move
    moved = np.argmax(np.abs(step), axis=2)
    size = np.take_along_axis(step, moved[..., None], axis=2)[..., 0]
    effects = np.empty((xs.shape[0], d))
    rows = np.arange(xs.shape[0])[:, None]
    effects[rows, moved] = np.diff(ys, axis=1) / size
    rng = np.random.default_rng(seed)
    resample = rng.integers(effects.shape[0], size=(num_resamples, effects.shape[0]))
    z = stats.norm.ppf(0.5 + conf_level / 2.0)
    abs_e = np.abs(effects)
    return {
        "mu": effects.mean(axis=0),
        "mu_star": abs_e.mean(axis=0),
        "mu_star_conf": z * abs_e[resample].mean(axis=1).std(axis=0, ddof=1),
        "sigma": effects.std(axis=0, ddof=1),
    }


# --------------------------------------------------------------------------- problems


def _problem(problem, ignore_correlations: bool) -> tuple[list[str], Callable]:
    """Names and the map from the unit hypercube to parameter values."""
    if isinstance(problem, Uncertainty):
        if problem.correlations and not ignore_correlations:
            raise ScenarioError(
                "sensitivity: Sobol and Morris indices assume independent parameters, but "
                "the uncertainty declares correlations; remove them (or pass "
                "ignore_correlations=True to analyse the parameters as independent)"
            )
        return problem.names, lambda u: problem.transform(u, correlate=False)
    if isinstance(problem, Mapping) and "names" in problem and "bounds" in problem:
        names = list(problem["names"])
        bounds = np.asarray(problem["bounds"], dtype=float)
        if bounds.shape != (len(names), 2) or not np.all(bounds[:, 1] > bounds[:, 0]):
            raise ValueError("problem: bounds must be one [low, high] pair per name, low < high")
        return names, lambda u: bounds[:, 0] + u * (bounds[:, 1] - bounds[:, 0])
    raise TypeError("problem must be an Uncertainty or a dict with 'names' and 'bounds'")


def _evaluate(f, x: np.ndarray, outputs: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    y = np.asarray(f(x), dtype=float)
    if y.ndim == 1:
        y = y[:, None]
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"f returned {y.shape[0]} rows for {x.shape[0]} runs")
    names = (
        list(outputs)
        if outputs is not None
        else (["y"] if y.shape[1] == 1 else [f"y{k}" for k in range(y.shape[1])])
    )
    if len(names) != y.shape[1]:
        raise ValueError(f"f returned {y.shape[1]} outputs for {len(names)} names")
    return y, names


def _table(per_output: dict[str, dict], names: list[str], columns: tuple[str, ...]):
    frames = []
    for out, idx in per_output.items():
        df = pd.DataFrame({c: idx[c] for c in columns}, index=pd.Index(names, name="parameter"))
        df.insert(0, "output", out)
        frames.append(df.reset_index())
    return pd.concat(frames, ignore_index=True).set_index(["output", "parameter"])


def _result(method, per, names, columns, n, u, started, settings) -> SensitivityResult:
    """The indices of every output (``per``: output -> column -> array over ``names``) with
    the settings that reproduce them."""
    meta = {"method": method, "n": n, "runs": int(u.shape[0]), **settings}
    meta.update(outputs=list(per), parameters=names, wall_time_s=time.perf_counter() - started)
    return SensitivityResult(method, _table(per, names, columns), meta)


def sobol(
    f: Callable[[np.ndarray], np.ndarray],
    problem,
    n: int = DEFAULT_N["sobol"],
    *,
    seed=None,
    outputs: Sequence[str] | None = None,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    backend: str = "numpy",
    ignore_correlations: bool = False,
) -> SensitivityResult:
    """First-order and total Sobol indices of a vectorised function.

    Parameters
    ----------
    f : callable
        ``f(X) -> y``: X of shape (runs, d) in parameter values, y of shape (runs,) or
        (runs, outputs).
    problem : Uncertainty or dict
        An :class:`~hubinsim.scenario.uncertainty.Uncertainty` (each parameter's distribution), or
        ``{"names": [...], "bounds": [[low, high], ...]}`` for independent uniforms.
    n : int
        Base sample size, raised to a power of 2; f sees ``n (d + 2)`` runs.
    seed : int, optional
        Seeds the sequence and the bootstrap.
    outputs : names of the columns of y.
    backend : {"numpy", "salib", "auto"}
        The estimator's implementation ("auto": SALib if installed, else numpy).
    """
    started = time.perf_counter()
    backend = _backend(backend)
    names, transform = _problem(problem, ignore_correlations)
    d = len(names)
    n = _power_of_two(n)
    u = saltelli_sample(d, n, seed, backend)
    y, out_names = _evaluate(f, transform(u), outputs)
    per = {
        o: sobol_analyze(
            y[:, k],
            d,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
            backend=backend,
        )
        for k, o in enumerate(out_names)
    }
    settings = {"seed": seed, "backend": backend, "conf_level": conf_level}
    settings["num_resamples"] = num_resamples
    columns = ("S1", "S1_conf", "ST", "ST_conf")
    return _result("sobol", per, names, columns, n, u, started, settings)


def morris(
    f: Callable[[np.ndarray], np.ndarray],
    problem,
    n: int = DEFAULT_N["morris"],
    *,
    seed=None,
    outputs: Sequence[str] | None = None,
    num_levels: int = 4,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    backend: str = "numpy",
    ignore_correlations: bool = False,
) -> SensitivityResult:
    """Morris screening (mu, mu*, sigma) of a vectorised function.

    Arguments as in :func:`sobol`; ``n`` is the number of trajectories (``n (d + 1)``
    runs), ``num_levels`` the (even) number of grid levels.
    """
    started = time.perf_counter()
    if num_levels < 2 or num_levels % 2:
        raise ValueError(f"num_levels must be an even number >= 2, got {num_levels}")
    backend = _backend(backend)
    names, transform = _problem(problem, ignore_correlations)
    d = len(names)
    u = morris_sample(d, n, num_levels, seed, backend)
    y, out_names = _evaluate(f, transform(u), outputs)
    per = {
        o: morris_analyze(
            u,
            y[:, k],
            d,
            num_levels=num_levels,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
            backend=backend,
        )
        for k, o in enumerate(out_names)
    }
    settings = {"seed": seed, "backend": backend, "conf_level": conf_level}
    settings.update(num_levels=num_levels, num_resamples=num_resamples)
    columns = ("mu", "mu_star", "mu_star_conf", "sigma")
    return _result("morris", per, names, columns, n, u, started, settings)


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami-Homma test function on [-pi, pi]^3, vectorised over rows of ``x``.

    Analytic indices (a = 7, b = 0.1): S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    """
    x = np.asarray(x, dtype=float)
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> dict[str, np.ndarray]:
    """Analytic first-order and total indices of :func:`ishigami`."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"S1": np.array([v1, v2, 0.0]) / v, "ST": np.array([v1 + v13, v2, v13]) / v}
