"""Parameter uncertainty: distributions, validation and sampling of ensemble draws.

An uncertainty is declared as plain data, the same shape as a scenario's ``[uncertainty]``
table::

    {
        "draws": 1000,                 # ensemble members (default 1000)
        "seed": 1,                     # any whole number >= 0 (default: fresh entropy)
        "sampling": "lhs",             # "lhs" (default) | "sobol" | "mc"
        "parameters": {
            "capital.depreciation": {"dist": "triangular", "low": 0.05, "mode": 0.08,
                                     "high": 0.11},
            "tfp.growth_industry": {"dist": "normal", "mean": 0.02, "sd": 0.004},
        },
        "levers": {                    # policy levers, in the lever's unit (optional)
            "plan_realisation": {"dist": "triangular", "low": 0.5, "mode": 0.7, "high": 0.9},
        },
        "correlations": [["capital.depreciation", "tfp.growth_industry", 0.5]],
    }

Distributions (all from :mod:`scipy.stats`; values in the parameter's own unit):

=============  ==========================  ===============================================
``dist``       arguments                   meaning
=============  ==========================  ===============================================
uniform        low, high                   flat on [low, high]
triangular     low, mode, high             triangle peaking at ``mode``
truncnormal    mean, sd, low, high         normal cut to [low, high]
normal         mean, sd                    normal cut to the plausible range
lognormal      median, sigma               log-normal (``sigma`` of the log) cut to the
                                           plausible range
=============  ==========================  ===============================================

``low`` and ``high`` default to the parameter's plausible range in ``data/parameters.csv``
and must lie inside it: the model's parameters are only supported there (and
:func:`hubinsim.simulate` rejects values outside it). Unbounded distributions (normal,
lognormal) are therefore truncated to the plausible range; a declaration that puts less than
90 % of its probability inside the range is rejected, since its draws would not follow the
declared shape (use truncnormal with explicit bounds to mean a wide, cut normal).

**Levers.** ``levers`` draws policy settings the same way, within each lever's range
(``hubinsim levers``): a member's value replaces the scenario's setting of that lever,
constant from 2021 to the end (2020 is the base year), as a drawn parameter replaces the
scenario's value. Levers come after the parameters in the sampling order and can be
correlated with them. None is drawn by default.

**The default uncertainty.** When a scenario declares none (or declares an
``[uncertainty]`` table without ``parameters``), every structural parameter that the scenario
does not fix in ``[parameters]`` is uniform over its plausible range ``[low, high]`` from
``data/parameters.csv``, independently: the widest assumption the data file supports, not a
calibrated belief. The exception is ``investment.bau_realisation``: it defines business as
usual, the yardstick a scenario's ``plan_realisation`` is measured against (only spending
above it is added), so drawing it would turn a fixed 70 % "stimulus" into a cut in the draws
where business as usual is above 70 %. Nor is ``investment.pool_max_share``: it decides only
which part of fixed-asset investment is reported as the pool's, not investment, output or
the budget, so drawing it would add no uncertainty to them. Nor is
``labour.shortage_output``: 1 is the production function's own labour elasticity, which a
post left vacant takes away; below it the range is for what-ifs and 0 switches the
labour-shortage loop off, so uniform draws over 0-1 would halve, on average, what a missing
worker costs. Declare any of them in ``[uncertainty.parameters]`` to draw it.
See :func:`default_uncertainty`.

Sampling maps points of the unit hypercube through each distribution's inverse CDF (ppf):
Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`), scrambled Sobol
(:class:`scipy.stats.qmc.Sobol`) or plain Monte Carlo, all seeded. Correlations are imposed
by a Gaussian copula: the uniform scores of the correlated parameters are turned into normal
scores, multiplied by the Cholesky factor of the correlation matrix and turned back, so every
marginal keeps its declared distribution. The coefficient is the correlation of the normal
scores; the rank (Spearman) correlation of the draws is ``6/pi * asin(rho/2)``, within 0.02
of ``rho``. With correlations, Latin-hypercube strata hold for the uncorrelated parameters
only.
"""

from __future__ import annotations

import inspect
import logging
import math
import secrets
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.stats import qmc

from ..catalog import LEVER_BY_NAME, SHARED_LEVER_PROBLEM, SHARED_LEVERS, suggest
from ..data import load_parameters
from ..defaults import DEFAULT_DRAWS, DEFAULT_SAMPLING, MAX_DRAWS, SAMPLING
from ..errors import Message, ScenarioError, UnitWarning, in_lang
from ..files import located_text
from .units import span_text, unit_slip

log = logging.getLogger(__name__)

#: Least share of an unbounded distribution's probability that must lie in the plausible range.
MIN_MASS_INSIDE = 0.9
#: Parameters the default uncertainty leaves at their value (see the module docstring).
NOT_DRAWN_BY_DEFAULT = (
    "investment.bau_realisation",
    "investment.pool_max_share",
    "labour.shortage_output",
    "labour.hoarding_time",
    "labour.recall_time",
)
#: Keys of an uncertainty table.
SPEC_KEYS = ("draws", "seed", "sampling", "parameters", "levers", "correlations")

#: Arguments of each distribution: required, then optional (defaulting to the plausible range).
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uniform": ((), ("low", "high")),
    "triangular": (("mode",), ("low", "high")),
    "truncnormal": (("mean", "sd"), ("low", "high")),
    "normal": (("mean", "sd"), ()),
    "lognormal": (("median", "sigma"), ()),
}

# Uniform scores are kept this far from 0 and 1 before the normal ppf of the copula.
_U_EPS = 1e-12


@dataclass(frozen=True)
class ParameterDistribution:
    """The distribution of one uncertain parameter.

    Parameters
    ----------
    name : str
        Parameter name (``data/parameters.csv``).
    dist : str
        One of :data:`DISTRIBUTIONS`.
    args : tuple of (str, float)
        The declared arguments, in the parameter's unit.
    low, high : float
        Bounds of the draws: the declared ``low``/``high``, else the plausible range.
    kind : {"parameter", "lever"}
        A structural parameter, or a policy lever (``[uncertainty.levers]``): a lever drawn
        takes its member's value, constant over 2021 to the end, in place of the scenario's
        setting (as a drawn parameter replaces the scenario's value).
    """

    name: str
    dist: str
    args: tuple[tuple[str, float], ...]
    low: float
    high: float
    kind: str = "parameter"

    def _frozen(self):
        a = dict(self.args)
        lo, hi = self.low, self.high
        if self.dist == "uniform":
            return stats.uniform(loc=lo, scale=hi - lo)
        if self.dist == "triangular":
            return stats.triang(c=(a["mode"] - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if self.dist in ("truncnormal", "normal"):
            m, sd = a["mean"], a["sd"]
            return stats.truncnorm((lo - m) / sd, (hi - m) / sd, loc=m, scale=sd)
        return stats.lognorm(s=a["sigma"], scale=a["median"])  # truncated in ppf()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Values at probabilities ``u`` in [0, 1], always inside [low, high]."""
        u = np.asarray(u, dtype=float)
        if self.dist == "uniform":
            # scipy.stats.uniform's ppf, q * scale + loc, without its argument checks (4x
            # faster on the default uncertainty's 40 parameters)
            return np.clip(u * (self.high - self.low) + self.low, self.low, self.high)
        d = self._frozen()
        if self.dist == "lognormal":
            c_lo, c_hi = d.cdf(self.low), d.cdf(self.high)
            x = d.ppf(c_lo + u * (c_hi - c_lo))
        else:
            x = d.ppf(u)
        # ppf(0) and ppf(1) can be off by an ulp; simulate() rejects values outside the range.
        return np.clip(x, self.low, self.high)

    def as_dict(self) -> dict:
        """The declaration as a plain dict (``{"dist": ..., arguments...}``)."""
        out = {"dist": self.dist, **dict(self.args)}
        if DISTRIBUTIONS[self.dist][1]:
            out.update(low=self.low, high=self.high)
        return out


@dataclass(frozen=True)
class Uncertainty:
    """A validated uncertainty: distributions, correlations and sampling settings.

    Make one with :func:`parse_uncertainty` (from a dict such as a scenario's
    ``[uncertainty]`` table) or :func:`default_uncertainty`.
    """

    parameters: tuple[ParameterDistribution, ...]
    correlations: tuple[tuple[str, str, float], ...] = ()
    draws: int = DEFAULT_DRAWS
    seed: int | None = None
    sampling: str = DEFAULT_SAMPLING
    is_default: bool = False

    @property
    def names(self) -> list[str]:
        """Names of the uncertain inputs (parameters, then levers), in sampling order."""
        return [p.name for p in self.parameters]

    @property
    def lever_names(self) -> list[str]:
        """Names of the levers drawn (``[uncertainty.levers]``)."""
        return [p.name for p in self.parameters if p.kind == "lever"]

    @property
    def dimension(self) -> int:
        return len(self.parameters)

    def unit_sample(self, draws: int, seed=None, sampling: str | None = None) -> np.ndarray:
        """Points of the unit hypercube, shape (draws, dimension), without correlations."""
        return unit_sample(self.dimension, draws, seed, sampling or self.sampling)

    def transform(self, u: np.ndarray, correlate: bool = True) -> np.ndarray:
        """Map unit-hypercube points (draws, dimension) to parameter values (same shape).

        With ``correlate``, the Gaussian copula imposes the declared correlations first.
        """
        u = np.asarray(u, dtype=float)
        if correlate and self.correlations:
            u = self._correlate(u)
        return np.column_stack([p.ppf(u[:, j]) for j, p in enumerate(self.parameters)])

    def _correlate(self, u: np.ndarray) -> np.ndarray:
        idx, chol = self._copula()
        z = stats.norm.ppf(np.clip(u[:, idx], _U_EPS, 1.0 - _U_EPS))
        out = u.copy()
        out[:, idx] = stats.norm.cdf(z @ chol.T)
        return out

    def _copula(self) -> tuple[list[int], np.ndarray]:
        names = self.names
        involved = sorted(
            {names.index(a) for a, b, _ in self.correlations}
            | {names.index(b) for a, b, _ in self.correlations}
        )
        pos = {j: k for k, j in enumerate(involved)}
        corr = np.eye(len(involved))
        for a, b, rho in self.correlations:
            i, j = pos[names.index(a)], pos[names.index(b)]
            corr[i, j] = corr[j, i] = rho
        return involved, np.linalg.cholesky(corr)

    def sample(
        self, draws: int | None = None, seed=None, sampling: str | None = None
    ) -> dict[str, np.ndarray]:
        """Draw parameter values: name -> array of shape (draws,).

        Arguments left out take the declared ``draws``, ``seed`` and ``sampling``. The same
        seed gives the same draws, bit for bit.
        """
        draws = self.draws if draws is None else draws
        seed = self.seed if seed is None else seed
        u = self.unit_sample(draws, seed, sampling)
        if self.correlations:
            x = self.transform(u)
            return {name: np.ascontiguousarray(x[:, j]) for j, name in enumerate(self.names)}
        # Without correlations each parameter is its own column mapped through its ppf:
        # made straight into one array per parameter (the same numbers as ``transform``,
        # without its (draws, dimension) copy and the second copy into columns).
        return {
            p.name: np.ascontiguousarray(p.ppf(u[:, j]), dtype=float)
            for j, p in enumerate(self.parameters)
        }

    def as_dict(self) -> dict:
        """The uncertainty as a plain dict, in the form :func:`parse_uncertainty` accepts."""
        out = {
            "draws": self.draws,
            "sampling": self.sampling,
            "parameters": {p.name: p.as_dict() for p in self.parameters if p.kind == "parameter"},
        }
        if self.lever_names:
            out["levers"] = {p.name: p.as_dict() for p in self.parameters if p.kind == "lever"}
        if self.seed is not None:
            out["seed"] = self.seed
        if self.correlations:
            out["correlations"] = [list(c) for c in self.correlations]
        return out


def fresh_seed() -> int:
    """A seed for draws that were given none: 63 bits of entropy, so that TOML files and
    run.json can record it (and the draws be made again)."""
    return secrets.randbits(63)


def qmc_rng_kwargs(cls, rng: np.random.Generator) -> dict:
    """Keyword arguments seeding a :mod:`scipy.stats.qmc` engine ``cls`` with ``rng``."""
    # scipy >= 1.15 takes ``rng``; older versions (pyproject allows >= 1.10) take ``seed``.
    params = inspect.signature(cls.__init__).parameters
    return {"rng": rng} if "rng" in params else {"seed": rng}


def unit_sample(
    dimension: int, draws: int, seed=None, sampling: str = DEFAULT_SAMPLING
) -> np.ndarray:
    """Points of the unit hypercube, shape (draws, dimension).

    Parameters
    ----------
    dimension : int
    draws : int
    seed : int, numpy Generator or None
    sampling : {"lhs", "sobol", "mc"}
        Latin hypercube, scrambled Sobol (balanced when ``draws`` is a power of 2: other
        sizes take the first ``draws`` points of the next power of 2), or Monte Carlo.
    """
    if sampling not in SAMPLING:
        raise ScenarioError(
            f"sampling: must be one of {', '.join(SAMPLING)}, got {sampling!r}"
            + suggest(str(sampling), SAMPLING)
        )
    rng = np.random.default_rng(seed)
    if dimension == 0:
        return np.empty((draws, 0))
    if sampling == "mc":
        return rng.random((draws, dimension))
    if sampling == "lhs":
        eng = qmc.LatinHypercube(dimension, **qmc_rng_kwargs(qmc.LatinHypercube, rng))
        return eng.random(draws)
    eng = qmc.Sobol(dimension, scramble=True, **qmc_rng_kwargs(qmc.Sobol, rng))
    m = max(0, math.ceil(math.log2(draws)))
    if 2**m != draws:
        log.info(
            "Sobol sampling: %d draws is not a power of 2; the balance properties of "
            "the sequence hold only for powers of 2",
            draws,
        )
    return eng.random_base2(m)[:draws]


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


#: A problem: (key path inside the uncertainty table, message).
Problem = tuple[tuple, str]


def _say(what: str, **facts) -> Message:
    """A problem of ``[uncertainty]`` (:func:`uncertainty_text`)."""
    return Message(uncertainty_text, what=what, **facts)


def uncertainty_text(lang, what, **f) -> str:
    """A problem of an ``[uncertainty]`` declaration, by ``what``, from its facts ``f``, in
    ``lang``."""
    g, v = f.get, f.get("value")
    rng = "" if g("low") is None else span_text(g("low"), g("high"), g("unit"), lang)
    listed = ", ".join(map(str, g("allowed", ())))
    hint = suggest(v, g("allowed", ()), lang) if isinstance(v, str) and g("hint") else ""
    noun_zh = "参数" if g("noun") == "parameter" else "调节项"
    mode = what == "mode"  # the facts of the other entries are not all there
    en, zh = {
        "table": (
            f'must be a table such as {{dist = "uniform", low = {g("low"):g}, '
            f"high = {g('high'):g}}}, got {v!r}"
            if g("low") is not None
            else f"must be a table, got {v!r}",
            f'应为表,如 {{dist = "uniform", low = {g("low"):g}, high = {g("high"):g}}},实际为 {v!r}'
            if g("low") is not None
            else f"应为表,实际为 {v!r}",
        ),
        "one_of": (
            f"must be one of {listed}, got {v!r}{hint}",
            f"应为 {listed} 之一,实际为 {v!r}{hint}",
        ),
        "argument": (
            f"unknown argument{suggest(str(v), g('allowed', ()), lang)}; {g('dist')} takes "
            f"{listed}",
            f"未知的参数{suggest(str(v), g('allowed', ()), lang)};{g('dist')} 接受 {listed}",
        ),
        "number": (f"must be a number, got {v!r}", f"应为数值,实际为 {v!r}"),
        "needs": (
            f"{g('dist')} needs {g('key')} (it takes {listed})",
            f"{g('dist')} 需要 {g('key')}(它接受 {listed})",
        ),
        "outside": (
            f"{v:g} is outside the plausible range {rng}" if _number(v) else "",
            f"{v:g} 超出合理范围 {rng}" if _number(v) else "",
        ),
        "order": (
            f"low ({g('lo'):g}) must be below high ({g('hi'):g})" if g("lo") is not None else "",
            f"low({g('lo'):g})应小于 high({g('hi'):g})" if g("lo") is not None else "",
        ),
        "mode": (
            f"{v:g} must lie in [low, high] = [{g('lo'):g}, {g('hi'):g}]" if mode else "",
            f"{v:g} 应在 [low, high] = [{g('lo'):g}, {g('hi'):g}] 内" if mode else "",
        ),
        "sd": (
            f"must be > 0, got {v:g}" if _number(v) else "",
            f"应 > 0,实际为 {v:g}" if _number(v) else "",
        ),
        "lognormal": (
            "lognormal needs median > 0 and sigma > 0",
            "lognormal 需要 median > 0 且 sigma > 0",
        ),
        "positive": (
            f"lognormal draws are positive but the plausible range is {rng}",
            f"lognormal 的抽样值为正,而合理范围为 {rng}",
        ),
        "mass": (
            f"this {g('dist')} puts only {g('mass', 0):.0%} of its probability inside the "
            f"plausible range {rng}, to which draws are cut; narrow it, or use truncnormal with "
            "low and high to mean a cut distribution",
            f"该 {g('dist')} 分布只有 {g('mass', 0):.0%} 的概率落在合理范围 {rng} 内(抽样值会被"
            "截断到此范围);请收窄它,或用带 low 和 high 的 truncnormal 表示截断分布",
        ),
        "triples": (
            "must be a list of [name, name, coefficient] triples",
            "应为 [名称, 名称, 系数] 三元组的列表",
        ),
        "triple": (
            f"must be [name, name, coefficient], got {v!r}",
            f"应为 [名称, 名称, 系数],实际为 {v!r}",
        ),
        "not_uncertain": (
            f"{v!r} is not an uncertain parameter or lever{hint}",
            f"{v!r} 不是不确定的参数或调节项{hint}",
        ),
        "coefficient": (
            f"coefficient must be a number strictly between -1 and 1, got {v!r}",
            f"系数应为严格介于 -1 和 1 之间的数值,实际为 {v!r}",
        ),
        "itself": (
            f"a parameter cannot be correlated with itself ({v!r})",
            f"参数不能与自身相关({v!r})",
        ),
        "pair": (
            f"the pair {v!r}, {g('other')!r} is given more than once",
            f"{v!r} 与 {g('other')!r} 这一对给出了不止一次",
        ),
        "key": (
            f"unknown key{hint}; valid keys: {listed}",
            f"未知的键{hint};可用的键:{listed}",
        ),
        "draws": (
            f"must be a whole number in 1..{MAX_DRAWS:,}, got {v!r}",
            f"应为 1..{MAX_DRAWS} 间的整数,实际为 {v!r}",
        ),
        "seed": (f"must be a whole number >= 0, got {v!r}", f"应为 >= 0 的整数,实际为 {v!r}"),
        "declarations": (
            f"must be a table of {g('noun')} name = {{dist = ..., ...}}",
            f"应为 {noun_zh}名称 = {{dist = ..., ...}} 的表",
        ),
        "fixed": (
            "is also fixed in [parameters]; keep one of the two",
            "也在 [parameters] 中固定;二者只保留其一",
        ),
        "unknown_parameter": (
            "unknown parameter"
            + (" (it is a lever: declare it under [uncertainty.levers])" if g("other") else hint)
            + "; `hubinsim levers` lists them",
            "未知参数"
            + ("(它是调节项:请在 [uncertainty.levers] 下声明)" if g("other") else hint)
            + ";`hubinsim levers` 列出全部参数",
        ),
        "unknown_lever": (
            "unknown lever"
            + (
                " (it is a structural parameter: declare it under [uncertainty.parameters])"
                if g("other")
                else hint
            )
            + "; `hubinsim levers` lists them",
            "未知的调节项"
            + ("(它是结构参数:请在 [uncertainty.parameters] 下声明)" if g("other") else hint)
            + ";`hubinsim levers` 列出全部调节项",
        ),
        "shared": (
            SHARED_LEVER_PROBLEM,
            "决定项目库支出的时间,所有成员共用:不能按成员抽样;请在情景中设定",
        ),
        "definite": (
            "the correlation matrix is not positive definite (the coefficients contradict each "
            "other); weaken them",
            "相关矩阵不是正定的(各系数互相矛盾);请减弱它们",
        ),
    }[what]
    return in_lang(lang, en, zh)


def _check_distribution(
    name: str, decl, prm, section: str = "parameters"
) -> tuple[list[Problem], ParameterDistribution | None]:
    """Problems of one declaration; ``prm`` is the parameter (or lever) with its range."""
    at = (section, name)
    rng = {"low": prm.low, "high": prm.high, "unit": prm.unit}
    if not isinstance(decl, Mapping):
        return [(at, _say("table", value=decl, **rng))], None
    dist = decl.get("dist")
    if dist not in DISTRIBUTIONS:
        said = _say("one_of", value=dist, allowed=tuple(DISTRIBUTIONS), hint=True)
        return [(at + ("dist",), said)], None
    required, optional = DISTRIBUTIONS[dist]
    allowed = required + optional
    problems: list[Problem] = []
    args = {}
    for key, value in decl.items():
        if key == "dist":
            continue
        if key not in allowed:
            said = _say("argument", value=key, dist=dist, allowed=tuple(allowed))
            problems.append((at + (key,), said))
        elif not _number(value):
            problems.append((at + (key,), _say("number", value=value)))
        else:
            args[key] = float(value)
    for key in required:
        if key not in decl:
            problems.append((at, _say("needs", dist=dist, key=key, allowed=tuple(allowed))))
    if problems:
        return problems, None
    for key, v in args.items():
        if key in ("low", "high", "mode", "mean", "median"):
            slip = unit_slip(name, v, prm)
            if slip is not None and slip[0]:
                problems.append((at + (key,), slip[1]))
            elif slip is not None:
                warnings.warn(
                    f"[uncertainty.{section}] {name}.{key}: {slip[1]}", UnitWarning, stacklevel=2
                )
    if problems:
        return problems, None
    lo, hi = args.get("low", prm.low), args.get("high", prm.high)
    for key, v in (("low", lo), ("high", hi)):
        if not prm.low <= v <= prm.high:
            problems.append((at + (key,), _say("outside", value=v, **rng)))
    if lo >= hi:
        problems.append((at, _say("order", lo=lo, hi=hi)))
    if dist == "triangular" and not lo <= args["mode"] <= hi:
        problems.append((at + ("mode",), _say("mode", value=args["mode"], lo=lo, hi=hi)))
    if "sd" in args and args["sd"] <= 0:
        problems.append((at + ("sd",), _say("sd", value=args["sd"])))
    if "mean" in args and not prm.low <= args["mean"] <= prm.high:
        problems.append((at + ("mean",), _say("outside", value=args["mean"], **rng)))
    if dist == "lognormal":
        if args["median"] <= 0 or args["sigma"] <= 0:
            problems.append((at, _say("lognormal")))
        elif prm.high <= 0:
            problems.append((at, _say("positive", **rng)))
        elif not prm.low <= args["median"] <= prm.high:
            problems.append((at + ("median",), _say("outside", value=args["median"], **rng)))
    if problems:
        return problems, None
    if dist in ("normal", "lognormal"):
        d = (
            stats.norm(args["mean"], args["sd"])
            if dist == "normal"
            else stats.lognorm(s=args["sigma"], scale=args["median"])
        )
        mass = float(d.cdf(prm.high) - d.cdf(prm.low))
        if mass < MIN_MASS_INSIDE:
            return [(at, _say("mass", dist=dist, mass=mass, **rng))], None
    args.update({"low": lo, "high": hi} if optional else {})
    declared = tuple((k, args[k]) for k in allowed if k in args)
    kind = "lever" if section == "levers" else "parameter"
    return [], ParameterDistribution(name, dist, declared, lo, hi, kind)


def _check_correlations(corr, names: list[str]) -> tuple[list[Problem], tuple]:
    at = ("correlations",)
    if not isinstance(corr, list | tuple):
        return [(at, _say("triples"))], ()
    problems: list[Problem] = []
    out: list[tuple[str, str, float]] = []
    seen: set[frozenset] = set()
    for k, item in enumerate(corr):
        w = at + (k,)
        if not isinstance(item, list | tuple) or len(item) != 3:
            problems.append((w, _say("triple", value=item)))
            continue
        a, b, rho = item
        bad = False
        for n in (a, b):
            if n not in names:
                said = _say("not_uncertain", value=n, allowed=tuple(names), hint=True)
                problems.append((w, said))
                bad = True
        if not _number(rho) or not -1.0 < rho < 1.0:
            problems.append((w, _say("coefficient", value=rho)))
            bad = True
        if not bad and a == b:
            problems.append((w, _say("itself", value=a)))
            bad = True
        if bad:
            continue
        if frozenset((a, b)) in seen:
            problems.append((w, _say("pair", value=a, other=b)))
            continue
        seen.add(frozenset((a, b)))
        out.append((a, b, float(rho)))
    return problems, tuple(out)


def uncertainty_problems(
    spec, *, scenario=None, data_dir=None
) -> tuple[Uncertainty | None, list[Problem]]:
    """Check an uncertainty table; return ``(Uncertainty or None, problems)``.

    ``problems`` are ``(key path inside the table, message)`` pairs, the form a scenario
    file's ``[uncertainty]`` section handler reports with line numbers (see
    :mod:`hubinsim.scenario.sections`). :func:`parse_uncertainty` is the same
    check raising one :class:`ScenarioError`.
    """
    spec = {} if spec is None else spec
    if not isinstance(spec, Mapping):
        return None, [((), _say("table", value=spec))]
    params = load_parameters(data_dir)
    problems: list[Problem] = []
    for key in spec:
        if key not in SPEC_KEYS:
            problems.append(((key,), _say("key", value=str(key), allowed=SPEC_KEYS, hint=True)))
    draws = spec.get("draws", DEFAULT_DRAWS)
    if not (isinstance(draws, int) and not isinstance(draws, bool)) or not (
        1 <= draws <= MAX_DRAWS
    ):
        problems.append((("draws",), _say("draws", value=draws)))
    seed = spec.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool) or seed < 0):
        problems.append((("seed",), _say("seed", value=seed)))
    sampling = spec.get("sampling", DEFAULT_SAMPLING)
    if sampling not in SAMPLING:
        said = _say("one_of", value=sampling, allowed=tuple(SAMPLING), hint=True)
        problems.append((("sampling",), said))
    decls = spec.get("parameters")
    dists: list[ParameterDistribution] = []
    if decls is not None and not isinstance(decls, Mapping):
        problems.append((("parameters",), _say("declarations", noun="parameter")))
        decls = None
    is_default = not decls
    fixed = set(getattr(scenario, "parameters", {}) or {})
    if decls:
        for name, decl in decls.items():
            if name in fixed:
                problems.append((("parameters", name), _say("fixed")))
                continue
            if name not in params:
                lever = name in LEVER_BY_NAME
                said = _say(
                    "unknown_parameter",
                    value=str(name),
                    allowed=tuple(params),
                    hint=True,
                    other=lever,
                )
                problems.append((("parameters", name), said))
                continue
            found, dist = _check_distribution(name, decl, params[name])
            problems += found
            if dist is not None:
                dists.append(dist)
    else:
        # The default: every parameter the scenario does not fix, uniform over its range.
        dists = [
            ParameterDistribution(n, "uniform", (("low", p.low), ("high", p.high)), p.low, p.high)
            for n, p in params.items()
            if n not in fixed and n not in NOT_DRAWN_BY_DEFAULT and p.high > p.low
        ]
    # Levers: policy settings drawn as a constant per member (none by default).
    lever_decls = spec.get("levers")
    if lever_decls is not None and not isinstance(lever_decls, Mapping):
        problems.append((("levers",), _say("declarations", noun="lever")))
        lever_decls = None
    for name, decl in (lever_decls or {}).items():
        lever = LEVER_BY_NAME.get(name)
        if lever is None:
            said = _say(
                "unknown_lever",
                value=str(name),
                allowed=tuple(LEVER_BY_NAME),
                hint=True,
                other=name in params,
            )
            problems.append((("levers", name), said))
            continue
        if name in SHARED_LEVERS:
            problems.append((("levers", name), _say("shared")))
            continue
        found, dist = _check_distribution(name, decl, lever, section="levers")
        problems += found
        if dist is not None:
            dists.append(dist)
    correlations: tuple = ()
    if "correlations" in spec:
        declared = [str(n) for n in decls] if decls else [d.name for d in dists]
        declared += [str(n) for n in (lever_decls or {}) if str(n) not in declared]
        found, correlations = _check_correlations(spec["correlations"], declared)
        problems += found
        known = {d.name for d in dists}
        correlations = tuple(c for c in correlations if c[0] in known and c[1] in known)
    if problems:
        return None, problems
    unc = Uncertainty(tuple(dists), correlations, draws, seed, sampling, is_default)
    if correlations:
        try:
            unc._copula()
        except np.linalg.LinAlgError:
            return None, [(("correlations",), _say("definite"))]
    return unc, []


def _format_path(path: tuple) -> str:
    parts = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            text = str(p)
            parts.append(("." if parts else "") + (f'"{text}"' if "." in text else text))
    return "".join(parts)


def parse_uncertainty(
    spec: Mapping | None, *, scenario=None, data_dir=None, source: str | None = None
) -> Uncertainty:
    """Validate an uncertainty declaration and return an :class:`Uncertainty`.

    Parameters
    ----------
    spec : dict or None
        A table as in the module docstring. Without ``parameters`` (or with ``spec`` None)
        the default applies: every structural parameter not fixed by ``scenario`` is uniform
        over its plausible range.
    scenario : Scenario, optional
        Parameters it fixes in ``[parameters]`` are left out of the default uncertainty.
    data_dir : path, optional
        Folder of the data files (the plausible ranges).
    source : str, optional
        Named in the error (a file name).

    Raises
    ------
    ScenarioError
        Listing every problem at once: unknown keys or parameter names (with the closest
        valid names), bad distribution names or arguments, bounds outside the plausible
        range, invalid or non-positive-definite correlations.
    """
    unc, problems = uncertainty_problems(spec, scenario=scenario, data_dir=data_dir)
    if problems:
        raise ScenarioError(
            [
                Message(located_text, where=f"[uncertainty] {_format_path(path)}", said=msg)
                if path
                else Message(_after_text, head="[uncertainty]", said=msg)
                for path, msg in problems
            ],
            source=source,
        )
    return unc


def _after_text(lang, head, said) -> str:
    return f"{head} {said.text(lang) if isinstance(said, Message) else said}"


def default_uncertainty(
    scenario=None,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int | None = None,
    sampling: str = DEFAULT_SAMPLING,
    data_dir=None,
) -> Uncertainty:
    """Every structural parameter uniform over its plausible range, independently.

    This is the uncertainty of an ensemble whose scenario declares none. Parameters the
    ``scenario`` fixes in ``[parameters]`` stay fixed.
    """
    spec = {"draws": draws, "sampling": sampling}
    if seed is not None:
        spec["seed"] = seed
    return parse_uncertainty(spec, scenario=scenario, data_dir=data_dir)


def scenario_uncertainty(scenario, data_dir=None) -> Uncertainty:
    """The uncertainty a scenario declares, else :func:`default_uncertainty`.

    A declaration is looked for in ``scenario.sections["uncertainty"]`` (the parsed
    ``[uncertainty]`` section of a scenario file) or a ``scenario.uncertainty`` attribute; it
    may be an :class:`Uncertainty` or a plain dict. The default leaves out the parameters
    the scenario fixes in ``[parameters]``.
    """
    declared = (getattr(scenario, "sections", None) or {}).get("uncertainty")
    if declared is None:
        declared = getattr(scenario, "uncertainty", None)
    if isinstance(declared, Uncertainty):
        if not declared.is_default:
            return declared
        # The default over the parameters this scenario leaves free, with the levers and
        # the correlations declared (less those of parameters it fixes: they are not drawn).
        fixed = set(getattr(scenario, "parameters", {}) or {})
        declared = {k: v for k, v in declared.as_dict().items() if k != "parameters"}
        if "correlations" in declared:
            declared["correlations"] = [
                c for c in declared["correlations"] if not {c[0], c[1]} & fixed
            ]
    return parse_uncertainty(
        declared, scenario=scenario, data_dir=data_dir, source=getattr(scenario, "source", None)
    )
