"""Goal seeking: which lever value meets a target (:func:`solve`).

::

    import hubinsim
    scn = hubinsim.load_scenario("scenarios/baseline.toml")
    sol = hubinsim.solve(scn, "va_tertiary@2025>=200", "tourism_growth")
    sol.status, sol.table            # "met", the lever's status quo, solved value, change
    sol.toml()                       # the solved scenario, a file extending the original
    hubinsim.solve(scn, "share_tertiary_pct@2025>=60", ["tertiary_shift", "tourism_growth"])
    hubinsim.solve(scn, "gdp_real@2025>=420", "plan_realisation", draws=200, seed=1,
                   probability=0.9)  # met in 90 % of the parameter draws

**What is solved for.** A lever the scenario sets to a number, or leaves at its default, is
solved as a number: the lever's value in every year after the start, as a scenario file
writes a number. A lever the scenario sets as a year schedule keeps the schedule's shape:
the same amount is added to every point of it (a shift; the status quo is a shift of 0),
within the lever's range at every point.

**A policy still to come** (``from_year``, ``--from YEAR``): the levers change only from
that year on; the years before it keep the scenario's settings (a number lever becomes a step
schedule, the status quo up to the year before and the solved value from then; a schedule is
shifted only at its years from then on). The target's year must not be earlier: history
cannot be re-decided.

**On the actual figures** (``actuals``, ``--actuals FILE``): every value tried is run
re-projected from the actual figures (:func:`hubinsim.simulate` with ``actuals``: restarted
in their latest full year, as the evaluation re-projects), the levers change from the year
after that one, and a target in it or before is refused.

**What it costs** (:func:`side_effects`): the solved scenario against the status quo over the
whole horizon: real GDP, the fiscal balance, debt and the plan targets' indicators, each
lever's outlay as a share of budget revenue (warned of above :data:`COST_SHARE`), and a lever
that ends on a bound of its range flagged.

**One lever.** The target's indicator is computed at a scan of :data:`SCAN_POINTS` values
evenly over the lever's range (and at the status quo). The response is *monotone* when the
scan never turns; a response that turns is reported (``notes``), and the crossing nearest the
status quo is taken. Each crossing is found by :func:`scipy.optimize.brentq` between two scan
points on either side of the target, to a tolerance of 1e-12 of the range, and the value
returned is on the side that meets the target. When no scan point meets the target, the
target cannot be met within the range: the closest value (the lever value that brings the
indicator nearest the target, refined between the scan points around the best one) is
reported instead.

**Several levers: the smallest change.** The change from the status quo is measured by the
*range-normalised Euclidean norm*, ``sqrt(sum(((x_i - x0_i) / (high_i - low_i))**2))``: a
lever's full range counts 1, whatever its unit. The solution minimises it subject to the
target, within the ranges. First the steepest direction (the gradient of the indicator in
range-normalised units, by forward differences of 0.1 % of each range) is followed from the
status quo, projected onto the ranges, to its crossing of the target (brentq): for a linear
response this is the smallest change. Then :func:`scipy.optimize.minimize` (SLSQP) refines
it from there, and the exact crossing along the refined direction is found again by brentq;
the refinement is kept when it is smaller. When even the end of the steepest path misses the
target, it cannot be met: the lever values that bring the indicator closest (bounded
L-BFGS-B from the end of the path) are reported.

**With draws** (``draws=N``): every evaluation runs the same N parameter draws (common random
numbers, drawn once from the seed), and the target must be met with probability
``probability``: for a ``>=`` target the (1 - p) quantile of the members' values must reach
it, for ``<=`` the p quantile. The quantile (linear between order statistics) is continuous in
the lever value wherever each member's value is, so the searches above apply unchanged; the
share of members meeting the target at the solution is reported (it differs from p by at most
about 1/N).

Only the years up to the target's are simulated (the model is causal: later years cannot
change it), so a target in 2025 costs half a run to 2035.
"""

from __future__ import annotations

import logging
import math
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .._version import __version__
from ..catalog import INDICATOR_BY_NAME, LEVER_BY_NAME, suggest
from ..data import load_data
from ..defaults import SOLVE_PROBABILITY
from ..errors import Message, ScenarioError, in_lang
from ..model.inputs import BASE_YEAR, Schedule
from ..results import judge_target, target_text
from ..run.ensemble import run_members
from ..run.parallel import run_settings_problems
from ..run.single import run_scenario
from ..scenario.resolve import resolve_levers, resolve_parameters
from ..scenario.settings import Scenario, TimeSettings, check_lever_value
from ..scenario.writer import fragment_toml

log = logging.getLogger(__name__)

#: Lever values computed across the range before the search (one lever).
SCAN_POINTS = 9
#: Tolerance of the crossings, as a share of the searched interval.
XTOL = 1e-12
#: Step of the forward differences of the gradient (several levers), share of each range.
GRADIENT_STEP = 1e-3
#: Indicators whose change a solution reports besides the target's and the plan targets'.
SIDE_EFFECTS = ("gdp_real", "gdp", "fiscal_revenue", "fiscal_balance", "government_debt")
#: A lever's extra outlay (a lever in 亿元/yr) above this share of the status quo's budget
#: revenue of the same year is warned of (the fall of the fiscal balance is reported beside
#: it).
COST_SHARE = 0.10
#: What the norm of several levers' change is called in tables and files.
NORM = "range-normalised Euclidean norm: sqrt(sum(((x - x0) / (high - low))^2))"

_GOAL = re.compile(r"^\s*([A-Za-z0-9_]+)\s*@\s*([^<>=\s]+)\s*(>=|<=)\s*(\S+)\s*$")


@dataclass(frozen=True)
class Goal:
    """A target condition ``indicator@year>=value`` (or ``<=``)."""

    indicator: str
    year: int
    sense: str
    value: float

    def margin(self, x):
        """How far ``x`` is on the meeting side of the target (>= 0: met), in the indicator's
        unit."""
        return np.subtract(x, self.value) if self.sense == ">=" else np.subtract(self.value, x)

    def __str__(self) -> str:
        return f"{self.indicator}@{self.year}{self.sense}{self.value:g}"


def parse_goal(text, first_year: int, end: int) -> Goal:
    """Read ``INDICATOR@YEAR>=VALUE`` (or ``<=``); the year must lie in ``first_year..end``.

    Raises ScenarioError naming what is wrong and what would be valid.
    """
    if isinstance(text, Goal):
        goal = text
    else:
        m = _GOAL.match(str(text))
        if not m:
            raise ScenarioError([Message(goal_text, what="form", target=str(text))])
        name, year, sense, value = m.groups()
        problems = []
        if name not in INDICATOR_BY_NAME:
            problems.append(Message(goal_text, what="indicator", target=text, value=name))
        try:
            year = int(year)
        except ValueError:
            problems.append(Message(goal_text, what="year", target=text, value=year))
            year = first_year
        try:
            number = float(value)
            if not math.isfinite(number):
                raise ValueError
        except ValueError:
            problems.append(Message(goal_text, what="number", target=text, value=value))
            number = 0.0
        if problems:
            raise ScenarioError(problems)
        goal = Goal(name, year, sense, number)
    if not first_year <= goal.year <= end:
        span = (first_year, end)
        raise ScenarioError([Message(goal_text, what="when", target=str(goal), value=span)])
    return goal


def goal_text(lang, what, target=None, value=None) -> str:
    """A problem of a target condition or of the levers to solve for, by ``what``, in
    ``lang``."""
    t = f"target {target!r}" if what != "when" else f"target {target}"
    t_zh = f"目标 {target!r}" if what != "when" else f"目标 {target}"
    if what == "form":
        return in_lang(
            lang,
            f"{t}: write it as INDICATOR@YEAR>=VALUE or INDICATOR@YEAR<=VALUE, e.g. "
            "va_tertiary@2025>=200",
            f"{t_zh}:应写作 指标@年份>=数值 或 指标@年份<=数值,如 va_tertiary@2025>=200",
        )
    if what == "indicator":
        hint = suggest(value, INDICATOR_BY_NAME, lang)
        return in_lang(
            lang,
            f"{t}: unknown indicator {value!r}{hint}; `hubinsim indicators` lists them",
            f"{t_zh}:未知的指标 {value!r}{hint};`hubinsim indicators` 列出全部指标",
        )
    if what == "year":
        return in_lang(lang, f"{t}: {value!r} is not a year", f"{t_zh}:{value!r} 不是年份")
    if what == "number":
        return in_lang(
            lang, f"{t}: {value!r} is not a finite number", f"{t_zh}:{value!r} 不是有限数值"
        )
    if what == "when":
        first, end = value
        return in_lang(
            lang,
            f"{t}: the year must lie in {first}..{end} (levers act from the year after the "
            f"start, {first - 1}, to the scenario's end)",
            f"{t_zh}:年份应在 {first}..{end} 内(调节项从起点 {first - 1} 的次年起作用,"
            "直至情景终止年)",
        )
    if what == "none":
        return in_lang(
            lang,
            "levers: name at least one lever to solve for; `hubinsim levers` lists them",
            "levers:至少指定一个要求解的调节项;`hubinsim levers` 列出全部调节项",
        )
    if what == "lever":
        hint = suggest(str(value), LEVER_BY_NAME, lang)
        return in_lang(
            lang,
            f"lever {value!r}: unknown lever{hint}; `hubinsim levers` lists them",
            f"调节项 {value!r}:未知的调节项{hint};`hubinsim levers` 列出全部调节项",
        )
    listed = ", ".join(value)
    return in_lang(
        lang,
        f"levers: each lever once, got {listed}",
        f"levers:每个调节项只能出现一次,实际为 {listed}",
    )


@dataclass(frozen=True)
class LeverVariable:
    """A lever as a variable of the search.

    ``x`` is the lever's value (a number), or for a lever the scenario sets as a schedule
    the amount added to every point of it (``shift``); ``x0`` the status quo, ``low`` and
    ``high`` the bounds of ``x`` that keep the lever within its range.
    """

    name: str
    unit: str
    status_quo: float | Schedule
    x0: float
    low: float
    high: float
    shift: bool
    from_year: int | None = None
    end: int | None = None

    @property
    def span(self) -> float:
        return self.high - self.low

    def setting(self, x: float) -> float | Schedule:
        """The lever's setting for the variable's value ``x``."""
        x = float(min(max(x, self.low), self.high))
        if self.from_year is not None:
            return self._from(x)
        if not self.shift:
            return x
        sched = self.status_quo
        return Schedule(tuple((y, float(v + x)) for y, v in sched.points), sched.step)

    def _from(self, x: float) -> Schedule:
        """The status quo up to the year before :attr:`from_year`, then ``x`` (a number
        lever) or the status quo shifted by ``x`` (a schedule): a step schedule with a point
        where the value changes."""
        years = np.arange(BASE_YEAR + 1, max(self.end, self.from_year) + 1)
        sq = status_quo_by_year(self.status_quo, years)
        later = years >= self.from_year
        new = np.where(later, sq + x if self.shift else x, sq)
        points = [(int(years[0]), float(new[0]))]
        points += [
            (int(years[k]), float(new[k])) for k in range(1, len(years)) if new[k] != new[k - 1]
        ]
        return Schedule(tuple(points), True)


def at_bound(v: LeverVariable, x: float) -> str:
    """ "upper" or "lower" when ``x`` is on a bound of the variable (for a shifted schedule:
    some year of it is on the lever's bound), else ""."""
    tol = 1e-9 * max(v.span, 1e-300)
    if x >= v.high - tol:
        return "upper"
    if x <= v.low + tol:
        return "lower"
    return ""


def status_quo_by_year(value: float | Schedule, years: np.ndarray) -> np.ndarray:
    """A lever's setting (a number or a schedule) in each of ``years``."""
    if isinstance(value, Schedule):
        return value.annual(years)
    return np.full(len(years), float(value))


def lever_variables(
    scn: Scenario, names: Sequence[str], data_dir=None, from_year: int | None = None
) -> list[LeverVariable]:
    """The variables of the levers ``names`` for a search from ``scn`` (see the module);
    with ``from_year`` each lever changes only from that year on."""
    if isinstance(names, str):
        names = [names]
    names = list(names)
    problems = []
    if not names:
        problems.append(Message(goal_text, what="none"))
    for n in names:
        if n not in LEVER_BY_NAME:
            problems.append(Message(goal_text, what="lever", value=n))
    if len(set(names)) != len(names):
        problems.append(Message(goal_text, what="twice", value=tuple(names)))
    if problems:
        raise ScenarioError(problems)
    params = resolve_parameters(scn, None, 1, data_dir)
    values, _ = resolve_levers(scn, params, data_dir)
    out = []
    end = scn.time.end
    for n in names:
        lever = LEVER_BY_NAME[n]
        v = values[n]
        if isinstance(v, Schedule):
            pts = [p for _, p in v.points]
            if from_year is not None:  # only the values from that year on move
                years = np.arange(from_year, max(end, v.points[-1][0], from_year) + 1)
                pts = list(v.annual(years))
            low, high = lever.low - min(pts), lever.high - max(pts)
            out.append(LeverVariable(n, lever.unit, v, 0.0, low, high, True, from_year, end))
        else:
            v = float(v)
            out.append(
                LeverVariable(n, lever.unit, v, v, lever.low, lever.high, False, from_year, end)
            )
    return out


@dataclass
class Solution:
    """What :func:`solve` found.

    Attributes
    ----------
    goal : Goal
    status : {"met", "already met", "unreachable"}
        ``met``: the levers' values in :attr:`table` meet the target; ``already met``: the
        status quo meets it (no change needed); ``unreachable``: it cannot be met within the
        levers' ranges, and :attr:`table` holds the values that bring the indicator closest.
    variables : list of LeverVariable
    x : ndarray
        The solved (or closest) values of the variables.
    achieved, status_quo_value : float
        The indicator in the target year at the solution and at the status quo (with draws:
        the quantile the target is about).
    scenario : Scenario
        The scenario with the solved levers (the original's time settings).
    original : Scenario
    probability : float or None
        The probability asked for (with draws); ``share_meeting`` the share of the members
        that meet the target at the solution.
    scan : DataFrame or None
        One lever: the indicator at each lever value scanned.
    monotone : bool or None
        One lever: whether the response is monotone over the scan.
    notes : list of str
        Sentences on the search (a response that turns, a refinement kept or not).
    metadata : dict
        Method, norm, runs, draws, seed, wall time.
    effects : DataFrame or None
        What the solved scenario does besides the target (:func:`side_effects`): per
        indicator and year (the target's and the scenario's last), the status quo, the
        solved scenario, the change, and the plan target of that year, met or not.
    costs : DataFrame or None
        Per lever in 亿元/yr, and the fiscal balance: the largest extra outlay (fall) against
        the status quo, its year, that year's budget revenue and the share of it.
    warnings : list of str
        A lever's outlay above :data:`COST_SHARE` of budget revenue, real GDP lowered.
    """

    goal: Goal
    status: str
    variables: list[LeverVariable]
    x: np.ndarray
    achieved: float
    status_quo_value: float
    scenario: Scenario
    original: Scenario
    probability: float | None = None
    share_meeting: float | None = None
    scan: pd.DataFrame | None = None
    monotone: bool | None = None
    notes: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    effects: pd.DataFrame | None = None
    costs: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.status != "unreachable"

    @property
    def change_norm(self) -> float:
        """The change from the status quo in the range-normalised Euclidean norm."""
        u = [(x - v.x0) / v.span for x, v in zip(self.x, self.variables, strict=True)]
        return float(np.sqrt(np.sum(np.square(u))))

    @property
    def settings(self) -> dict:
        """Lever name -> its solved (or closest) setting: a number or a Schedule."""
        return {v.name: v.setting(x) for v, x in zip(self.variables, self.x, strict=True)}

    @property
    def table(self) -> pd.DataFrame:
        """One row per lever: ``unit``, ``status_quo``, ``solved`` (the closest value when
        unreachable), ``change``, ``change_of_range_pct`` (the change in % of the lever's
        range), ``low``, ``high``, ``form`` (``value``, or ``shift of the schedule``; with
        ``from_year``, "... from YEAR on"), ``at_bound`` ("upper", "lower" or "": a lever
        on a bound has no room left in that direction)."""
        rows = []
        for v, x in zip(self.variables, self.x, strict=True):
            lever = LEVER_BY_NAME[v.name]
            rows.append(
                {
                    "lever": v.name,
                    "unit": v.unit,
                    "form": ("shift of the schedule" if v.shift else "value")
                    + (f" from {v.from_year} on" if v.from_year is not None else ""),
                    "status_quo": v.x0,
                    "solved": float(x),
                    "change": float(x - v.x0),
                    "change_of_range_pct": 100.0 * (x - v.x0) / (lever.high - lever.low),
                    "low": v.low,
                    "high": v.high,
                    "at_bound": at_bound(v, x),
                }
            )
        return pd.DataFrame(rows).set_index("lever")

    @property
    def message(self) -> str:
        """The answer in one sentence."""
        ind = INDICATOR_BY_NAME[self.goal.indicator]
        what = f"{self.goal.indicator} in {self.goal.year}"
        prob = (
            f" with probability {self.probability:.0%} (the {self._quantile_label()} of "
            f"{self.metadata.get('draws')} draws)"
            if self.probability is not None
            else ""
        )
        if self.status == "already met":
            return (
                f"The status quo already meets {self.goal}{prob}: {what} is "
                f"{self.status_quo_value:.6g} {ind.unit}; no change is needed."
            )
        levers = ", ".join(
            self._describe(v, x) for v, x in zip(self.variables, self.x, strict=True)
        )
        if self.status == "met":
            return (
                f"{levers} meets {self.goal}{prob}: {what} is {self.achieved:.6g} {ind.unit} "
                f"(status quo {self.status_quo_value:.6g})."
            )
        return (
            f"{self.goal} cannot be met within the levers' ranges{prob}. The closest: "
            f"{levers} gives {what} = {self.achieved:.6g} {ind.unit} (status quo "
            f"{self.status_quo_value:.6g}; short by {abs(self.goal.margin(self.achieved)):.6g})."
        )

    def _quantile_label(self) -> str:
        q = 1 - self.probability if self.goal.sense == ">=" else self.probability
        return f"{100 * q:g}th percentile"

    @staticmethod
    def _describe(v: LeverVariable, x: float) -> str:
        text = Solution._describe_value(v, x)
        side = at_bound(v, x)
        if not side:
            return text
        if text.endswith(")"):
            return f"{text[:-1]}; at the {side} bound of its range)"
        return f"{text} (at the {side} bound of its range in some year)"

    @staticmethod
    def _describe_value(v: LeverVariable, x: float) -> str:
        if v.from_year is not None:
            keep = f"earlier years keep the scenario's {'schedule' if v.shift else 'value'}"
            if v.shift:
                return f"{v.name} shifted by {x:+.6g} {v.unit} from {v.from_year} on ({keep})"
            return (
                f"{v.name} = {x:.6g} {v.unit} from {v.from_year} on (status quo {v.x0:.6g}; {keep})"
            )
        if v.shift:
            return f"{v.name} shifted by {x:+.6g} {v.unit} in every year of its schedule"
        return f"{v.name} = {x:.6g} {v.unit} (status quo {v.x0:.6g})"

    def toml(self, extends: str | None = None) -> str:
        """The solved scenario as a TOML file that extends the original (``extends``: the
        path written, relative to where the file goes; default the original's absolute
        path). A scenario made in Python, without a file, is written whole."""
        source = self.original.source
        header = [
            f"Written by hubinsim {__version__} (hubinsim solve).",
            f"Target: {self.goal}"
            + (f", with probability {self.probability:g}" if self.probability is not None else ""),
            self.message,
        ]
        if self.status == "unreachable":
            header.append("These values do NOT meet the target: they come closest to it.")
        if len(self.variables) > 1:
            header.append(f"Smallest change by the {NORM}: {self.change_norm:.6g}.")
        header += self.notes
        name = self.scenario.name
        if source is None:
            from ..scenario.resolved import resolved_toml

            text = resolved_toml(self.scenario)
            import textwrap

            lines = [part for h in header for part in textwrap.wrap(h, 92)]
            return "".join(f"# {line}\n" for line in lines) + text
        return fragment_toml(
            name=name,
            description=self.message,
            extends=extends or str(Path(source).resolve()),
            levers=self.settings,
            header=header,
        )


def reprojected(scn: Scenario, actuals, vintage, data) -> dict[str, np.ndarray]:
    """The values of ``scn`` re-projected from the actual figures (restarted in their latest
    full year, as ``hubinsim evaluate`` and ``simulate(..., actuals=)`` do), by year from
    2020: shape (years, 1). Its warnings on the figures are given once, by :func:`solve`."""
    from ..run.simulation import simulate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return simulate(scn, actuals=actuals, vintage=vintage, data_dir=data).values


def _time_to(scn: Scenario, year: int) -> Scenario:
    """The scenario run only to ``year`` (nothing after it changes the year)."""
    return replace(scn, time=TimeSettings(year, scn.time.dt, scn.time.method))


class _Evaluator:
    """The target's indicator as a function of the variables, with a cache and a count."""

    def __init__(
        self, scn, goal, variables, data_dir, samples, probability, workers, executor,
        actuals=None, vintage=None,
    ):  # fmt: skip
        self.scn = _time_to(scn, goal.year)
        self.actuals, self.vintage = actuals, vintage
        self.goal, self.variables, self.data_dir = goal, variables, data_dir
        self.samples, self.probability = samples, probability
        self.workers, self.executor = workers, executor
        self.year_index = goal.year - BASE_YEAR
        self.cache: dict[tuple, tuple[float, np.ndarray]] = {}
        self.runs = 0

    def scenario(self, x) -> Scenario:
        levers = dict(self.scn.levers)
        for v, xi in zip(self.variables, x, strict=True):
            levers[v.name] = v.setting(float(xi))
        return replace(self.scn, levers=levers)

    def members(self, x) -> np.ndarray:
        return self._run(x)[1]

    def __call__(self, x) -> float:
        return self._run(x)[0]

    def _run(self, x) -> tuple[float, np.ndarray]:
        key = tuple(float(xi) for xi in np.atleast_1d(x))
        if key not in self.cache:
            scn = self.scenario(key)
            ind = self.goal.indicator
            if self.actuals is not None:
                vals = reprojected(scn, self.actuals, self.vintage, self.data_dir)[ind]
                vals = vals[self.year_index]
                value = float(vals[0])
            elif self.samples is None:
                values, _ = run_scenario(
                    scn, data_dir=self.data_dir, record_parameters=False, keep=[ind]
                )
                vals = values[ind][self.year_index]
                value = float(vals[0])
            else:
                res = run_members(
                    scn,
                    self.samples,
                    keep=[ind],
                    workers=self.workers,
                    executor=self.executor,
                    data_dir=self.data_dir,
                )
                vals = res.values[ind][self.year_index]
                p = self.probability
                q = 1.0 - p if self.goal.sense == ">=" else p
                value = float(np.quantile(vals, q))
            self.runs += 1
            self.cache[key] = (value, np.asarray(vals, dtype=float))
        return self.cache[key]

    def margin(self, x) -> float:
        return float(self.goal.margin(self(x)))


def solve(
    scenario: Scenario | str | os.PathLike | None,
    target,
    levers,
    *,
    draws: int | None = None,
    seed: int | None = None,
    probability: float = SOLVE_PROBABILITY,
    sampling: str | None = None,
    workers: int | str = 1,
    executor=None,
    from_year: int | None = None,
    actuals=None,
    vintage: str | None = None,
    data_dir=None,
) -> Solution:
    """The lever value (or the smallest change of several levers) that meets a target.

    Parameters
    ----------
    scenario : Scenario or path
        The status quo (business as usual when None).
    target : str or Goal
        ``"INDICATOR@YEAR>=VALUE"`` or ``"...<=VALUE"``, e.g. ``"va_tertiary@2025>=200"``, in
        the indicator's unit (``hubinsim indicators``).
    levers : str or list of str
        The lever(s) to solve for (``hubinsim levers``).
    draws, seed, sampling : optional
        Meet the target with ``probability`` over ``draws`` parameter draws (the scenario's
        ``[uncertainty]``, else every parameter uniform over its range), the same draws
        for every evaluation.
    probability : float
        With draws: the probability of meeting the target, in (0, 1) (default 0.9).
    workers, executor : optional
        How the members of each evaluation run (with draws).
    from_year : int, optional
        Change the levers only from this year on (a policy still to come): the years
        before it keep the scenario's settings. The target's year must not be earlier.
    actuals : Actuals or path, optional
        Solve on the re-projection from these actual figures (:func:`hubinsim.read_actuals`;
        restarted in their latest full year, as ``hubinsim evaluate`` re-projects): the
        target's year must come after that year, and the levers change from the year after
        it (or from ``from_year``, which must come after it too). Single runs only.
    vintage : str, optional
        With ``actuals``: use this vintage of each figure (default the latest).

    Returns
    -------
    Solution
        See the module for the method; ``Solution.status`` says whether the target is met.

    Raises
    ------
    ScenarioError
        If the target, a lever, or the settings are invalid.
    """
    import time

    started = time.perf_counter()
    from ..run.simulation import as_scenario

    folder = load_data(data_dir)  # read once, for every evaluation
    problems = run_settings_problems(
        draws=draws, seed=seed, sampling=sampling, workers=workers, executor=executor
    )
    if isinstance(probability, bool) or not isinstance(probability, int | float):
        problems.append(f"probability: must lie strictly between 0 and 1, got {probability!r}")
    if not isinstance(target, str | Goal):
        problems.append(f"target: must be INDICATOR@YEAR>=VALUE or <=VALUE, got {target!r:.60}")
    if not (
        isinstance(levers, str)
        or (isinstance(levers, list | tuple) and all(isinstance(n, str) for n in levers))
    ):
        problems.append(f"levers: must be a lever's name or a list of them, got {levers!r:.60}")
    if from_year is not None and (
        isinstance(from_year, bool) or not isinstance(from_year, int | np.integer)
    ):
        problems.append(f"from_year: a year such as 2026, got {from_year!r:.60}")
    if problems:
        raise ScenarioError(problems)
    scn = as_scenario(scenario, folder)
    goal = parse_goal(target, BASE_YEAR + 1, scn.time.end)
    if from_year is not None:
        from_year = int(from_year)
        if not BASE_YEAR + 1 <= from_year <= goal.year:
            raise ScenarioError(
                f"from_year: {from_year} must lie in {BASE_YEAR + 1}..{goal.year} (levers act "
                f"from {BASE_YEAR + 1}; a lever changed from {from_year} on cannot move the "
                f"target's year {goal.year})"
                if from_year > BASE_YEAR
                else f"from_year: {from_year} must lie in {BASE_YEAR + 1}..{goal.year} "
                f"(levers act from {BASE_YEAR + 1}, the year after the start)"
            )
    restart = None
    if actuals is not None:
        acts, restart, from_year = _on_actuals(
            scn, goal, actuals, vintage, draws, from_year, folder
        )
    elif vintage is not None:
        raise ScenarioError("vintage applies to actual figures: solve(..., actuals=..., vintage=)")
    variables = lever_variables(scn, levers, folder, from_year)
    samples = None
    if draws is not None:
        samples, ens = _draws(scn, variables, draws, seed, probability, sampling, folder)
    elif seed is not None or sampling is not None:
        raise ScenarioError("seed and sampling need draws: solve(..., draws=N, seed=S)")
    f = _Evaluator(
        scn, goal, variables, folder, samples, probability if draws else None, workers, executor,
        acts if restart is not None else None, vintage,
    )  # fmt: skip
    x0 = np.array([v.x0 for v in variables])
    notes: list[str] = []
    scan, monotone = None, None
    if len(variables) == 1:
        status, x, scan, monotone = _solve_one(f, variables[0], notes)
    else:
        status, x = _solve_several(f, variables, x0, notes)
    x = np.asarray(x, dtype=float)
    achieved = f(x)
    share = None
    if samples is not None:
        share = float(np.mean(goal.margin(f.members(x)) >= 0))
    solved = replace(
        scn,
        name=f"{scn.name}-solved" if status != "unreachable" else f"{scn.name}-closest",
        levers={
            **scn.levers,
            **{v.name: v.setting(xi) for v, xi in zip(variables, x, strict=True)},
        },
        source=None,
        extends=(scn.source,) if scn.source else (),
    )
    _check_settings(solved, variables)
    metadata = {
        "method": "brentq on a scan of the range"
        if len(variables) == 1
        else "steepest path to the target, refined by SLSQP, crossing by brentq",
        "norm": NORM if len(variables) > 1 else None,
        "scan_points": SCAN_POINTS if len(variables) == 1 else None,
        "from_year": from_year,
        "runs": f.runs,
        "wall_time_s": time.perf_counter() - started,
        "data_dir": str(folder.folder),
        "data": folder,
    }
    if samples is not None:
        metadata.update(ens)
    if restart is not None:
        where = acts.path or "the actual figures given"
        notes.insert(
            0,
            f"Solved on the re-projection from the actual figures of {where} (sha256 "
            f"{acts.sha256}): the model restarts in their latest full year {restart}, as "
            f"hubinsim evaluate re-projects, and the levers change from {from_year} on; run "
            "the solved file with --actuals and that file to see the answer.",
        )
        metadata.update(
            actuals=str(acts.path) if acts.path else None,
            actuals_sha256=acts.sha256,
            vintage=vintage,
            restart_year=restart,
        )
    effects, costs, warned = side_effects(
        scn, solved, goal, variables, folder, acts if restart is not None else None, vintage
    )
    for w in warned:
        warnings.warn(w, UserWarning, stacklevel=2)
    return Solution(
        goal,
        status,
        variables,
        x,
        achieved,
        f(x0),
        solved,
        scn,
        probability if draws is not None else None,
        share,
        scan,
        monotone,
        notes,
        metadata,
        effects,
        costs,
        warned,
    )


def side_effects(
    original: Scenario,
    solved: Scenario,
    goal: Goal,
    variables: list[LeverVariable],
    data,
    actuals=None,
    vintage: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """What the solved scenario does besides its target, against the status quo, in single
    runs with the scenario's own parameters over its whole horizon.

    Returns the effects (per indicator of :data:`SIDE_EFFECTS`, the target's and those of
    the plan targets, in the target's year and the scenario's last: status quo, solved,
    change, and the plan target of that year with whether each meets it), the costs (per
    lever in 亿元/yr its largest extra outlay, and the largest fall of the fiscal balance,
    each with its year and its share of that year's budget revenue in the status quo) and
    warnings: a lever's outlay above :data:`COST_SHARE` of budget revenue, real GDP lowered.
    With ``actuals`` both are re-projected from the actual figures.
    """
    if actuals is not None:
        sq = reprojected(original, actuals, vintage, data)
        new = reprojected(solved, actuals, vintage, data)
    else:
        sq, _ = run_scenario(original, data_dir=data, record_parameters=False)
        new, _ = run_scenario(solved, data_dir=data, record_parameters=False)
    end = original.time.end
    years = sorted({goal.year, end})
    years_run = list(range(BASE_YEAR, end + 1))
    targets = {(t.indicator, t.year): t for t in data.targets}
    names = list(dict.fromkeys([*SIDE_EFFECTS, goal.indicator, *(t[0] for t in targets)]))
    rows = []
    for name in names:
        if name not in sq:
            continue
        for year in years:
            a, b = float(sq[name][year - BASE_YEAR, 0]), float(new[name][year - BASE_YEAR, 0])
            t = targets.get((name, year))
            met = {}
            if t:
                for side, v in (("status_quo", sq), ("solved", new)):
                    judged = judge_target(
                        t, v[name][: year - BASE_YEAR + 1], years_run[: year - BASE_YEAR + 1]
                    )
                    met[side] = bool(judged[2][0])
            rows.append(
                {
                    "indicator": name,
                    "unit": INDICATOR_BY_NAME[name].unit,
                    "year": year,
                    "status_quo": a,
                    "solved": b,
                    "change": b - a,
                    "change_pct": 100.0 * (b - a) / abs(a) if a else float("nan"),
                    "plan_target": target_text(t) if t else "",
                    "met_status_quo": met.get("status_quo"),
                    "met_solved": met.get("solved"),
                }
            )
    effects = pd.DataFrame(rows)
    first = BASE_YEAR + 1
    span = np.arange(first, end + 1)
    revenue = sq["fiscal_revenue"][first - BASE_YEAR :, 0]
    costs, warned = [], []

    def cost(what, extra, how, warn=True):
        share = extra / revenue
        k = int(np.argmax(share))
        row = {
            "item": what,
            "how": how,
            "largest": float(extra[k]),
            "year": int(span[k]),
            "budget_revenue": float(revenue[k]),
            "share_of_revenue_pct": 100.0 * float(share[k]),
            "total": float(np.sum(np.maximum(extra, 0.0))),
        }
        costs.append(row)
        paid = span[extra > 0] if np.any(extra > 0) else span  # the years it is spent
        if warn and share[k] > COST_SHARE:
            warned.append(
                f"{what}: {how} of {extra[k]:.4g} 亿元 in {span[k]}, {share[k]:.0%} of that "
                f"year's budget revenue ({revenue[k]:.4g} 亿元; more than {COST_SHARE:.0%} is "
                f"warned of); {np.sum(np.maximum(extra, 0.0)):.4g} 亿元 over {paid[0]}-{paid[-1]}"
            )

    for v in variables:
        if LEVER_BY_NAME[v.name].unit.startswith("亿元"):
            before = status_quo_by_year(v.status_quo, span)
            after = status_quo_by_year(solved.levers[v.name], span)
            cost(v.name, after - before, "an extra outlay")
    balance = (
        sq["fiscal_balance"][first - BASE_YEAR :, 0] - new["fiscal_balance"][first - BASE_YEAR :, 0]
    )
    cost("fiscal balance", balance, "a fall against the status quo", warn=False)
    for year in years:
        a = float(sq["gdp_real"][year - BASE_YEAR, 0])
        b = float(new["gdp_real"][year - BASE_YEAR, 0])
        if b < a * (1 - 1e-9):
            warned.append(
                f"the solution lowers real GDP in {year}: {b:.5g} against {a:.5g} 亿元 in the "
                "status quo"
            )
    return effects, pd.DataFrame(costs), warned


def _on_actuals(scn, goal, actuals, vintage, draws, from_year, data):
    """The actual figures (:class:`~hubinsim.actuals.Actuals`), the year the re-projection
    restarts in, and the year the levers change from, checked against the target (see
    :func:`solve`); the figures' warnings given once."""
    from ..run.restart import as_actuals
    from ..run.simulation import simulate

    if draws is not None:
        raise ScenarioError(
            "actuals: a solve on the re-projection from actual figures runs single runs; "
            "leave out draws"
        )
    acts = as_actuals(actuals)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = simulate(scn, actuals=acts, vintage=vintage, data_dir=data)
    for w in caught:
        warnings.warn(str(w.message), w.category, stacklevel=3)
    restart = res.reprojection.start_year
    where = acts.path or "the actual figures given"
    if restart is None:
        raise ScenarioError(f"actuals: {where} has no full year to restart from")
    if goal.year <= restart:
        raise ScenarioError(
            f"target {goal}: {goal.year} is not after the latest full year of actual figures, "
            f"{restart} ({where}): the years up to it are history, which no lever changes; "
            f"a target in {restart + 1}..{scn.time.end}"
        )
    if from_year is None:
        from_year = restart + 1
    elif isinstance(from_year, int | np.integer) and from_year <= restart:
        raise ScenarioError(
            f"from_year: {from_year} is not after the latest full year of actual figures, "
            f"{restart} ({where}): the levers can change from {restart + 1} on"
        )
    return acts, restart, int(from_year)


def _check_settings(scn: Scenario, variables: list[LeverVariable]) -> None:
    problems = []
    for v in variables:
        problems += check_lever_value(v.name, scn.levers[v.name], scn.time.end)
    if problems:  # the bounds of the variables keep every value in range: a bug if not
        raise RuntimeError("; ".join(problems))


def _draws(scn, variables, draws, seed, probability, sampling, folder):
    """The parameter draws every evaluation runs (common random numbers)."""
    from ..run.ensemble import resolve_uncertainty
    from ..scenario.uncertainty import fresh_seed

    problems = []
    if not (isinstance(probability, float | int) and 0 < probability < 1):
        problems.append(f"probability: must lie strictly between 0 and 1, got {probability!r}")
    if not (isinstance(draws, int) and not isinstance(draws, bool) and draws >= 2):
        problems.append(f"draws: must be a whole number >= 2, got {draws!r}")
    unc = resolve_uncertainty(scn, None, folder)
    drawn = set(unc.lever_names) & {v.name for v in variables}
    for name in sorted(drawn):
        problems.append(
            f"lever {name}: the scenario's [uncertainty] draws it, so its setting would be "
            "replaced in every member; leave it out of [uncertainty.levers] to solve for it"
        )
    if problems:
        raise ScenarioError(problems, source=scn.source)
    seed = unc.seed if seed is None else seed
    seed = fresh_seed() if seed is None else seed
    sampling = sampling or unc.sampling
    samples = unc.sample(draws, seed, sampling)
    return samples, {"draws": draws, "seed": seed, "sampling": sampling}


# ----------------------------------------------------------------------------- one lever


def _solve_one(f: _Evaluator, v: LeverVariable, notes: list[str]):
    from scipy.optimize import brentq, minimize_scalar

    grid = np.unique(np.append(np.linspace(v.low, v.high, SCAN_POINTS), v.x0))
    values = np.array([f([x]) for x in grid])
    scan = pd.DataFrame({v.name: grid, f.goal.indicator: values})
    scale = max(1.0, float(np.max(np.abs(values))))
    steps = np.diff(values)
    tol = 1e-9 * scale
    flat = bool(np.all(np.abs(steps) <= tol))
    monotone = bool(np.all(steps >= -tol) or np.all(steps <= tol))
    if flat:
        notes.append(
            f"{v.name} does not move {f.goal.indicator} in {f.goal.year} over its range "
            f"[{v.low:g}, {v.high:g}]."
        )
    elif not monotone:
        turns = [
            f"{grid[k + 1]:.4g}"
            for k in range(len(steps) - 1)
            if steps[k] * steps[k + 1] < 0 and abs(steps[k]) > tol and abs(steps[k + 1]) > tol
        ]
        notes.append(
            f"The response of {f.goal.indicator} in {f.goal.year} to {v.name} is not monotone "
            f"over the range: it turns near {', '.join(turns) or 'a scan point'} (scan of "
            f"{len(grid)} values)."
        )
    g = f.goal.margin(values)
    if f.margin([v.x0]) >= 0:
        return "already met", [v.x0], scan, monotone
    roots = []
    width = v.high - v.low
    for k in range(len(grid) - 1):
        a, b = grid[k], grid[k + 1]
        if (g[k] >= 0) != (g[k + 1] >= 0):
            r = brentq(
                lambda x: f.margin([x]), a, b, xtol=XTOL * width, rtol=4 * np.finfo(float).eps
            )
            good = a if g[k] >= 0 else b
            roots.append(_feasible(f, r, good, width))
    if roots:
        best = min(roots, key=lambda r: abs(r - v.x0))
        if len(roots) > 1:
            notes.append(
                f"The target is crossed {len(roots)} times over the range (at "
                f"{', '.join(f'{r:.6g}' for r in roots)}); the crossing nearest the status quo "
                "is taken."
            )
        return "met", [best], scan, monotone
    k = int(np.argmax(g))
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
    best = grid[k]
    if hi > lo and 0 < k < len(grid) - 1:
        res = minimize_scalar(
            lambda x: -f.margin([x]),
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 1e-6 * width},
        )
        if -res.fun > g[k]:
            best = float(res.x)
    return "unreachable", [best], scan, monotone


def _feasible(f: _Evaluator, r: float, good: float, width: float) -> float:
    """The crossing ``r`` moved (by at most a few tolerances) to the side of ``good``, where
    the target is met."""
    step = XTOL * width
    x = r
    for _ in range(60):
        if f.margin([x]) >= 0:
            return float(x)
        x = x + math.copysign(step, good - r)
        if (good - x) * (good - r) <= 0:
            return float(good)
        step *= 2
    return float(good)


# --------------------------------------------------------------------------- several levers


def _solve_several(f: _Evaluator, variables: list[LeverVariable], x0: np.ndarray, notes):
    from scipy.optimize import brentq, minimize

    span = np.array([v.span for v in variables])
    lo = np.array([v.low for v in variables])
    hi = np.array([v.high for v in variables])

    def at(u):  # range-normalised change -> variables, clipped to the ranges
        return np.clip(x0 + np.asarray(u) * span, lo, hi)

    def margin_u(u) -> float:
        return f.margin(at(u))

    g0 = margin_u(np.zeros(len(x0)))
    if g0 >= 0:
        return "already met", x0
    grad = np.empty(len(x0))
    for i in range(len(x0)):
        h = GRADIENT_STEP if x0[i] + GRADIENT_STEP * span[i] <= hi[i] else -GRADIENT_STEP
        e = np.zeros(len(x0))
        e[i] = h
        grad[i] = (margin_u(e) - g0) / h
    if not np.any(np.abs(grad) > 0):
        notes.append("None of the levers moves the indicator at the status quo.")
        return "unreachable", x0
    d = grad / np.linalg.norm(grad)
    # the steepest path, projected onto the ranges, ends when every moving lever is at a bound
    room = np.where(d > 0, (hi - x0) / span, np.where(d < 0, (lo - x0) / span, np.inf))
    s_end = float(np.max(np.where(d != 0, room / np.where(d != 0, d, 1), 0)))
    path = lambda s: d * s  # noqa: E731
    if margin_u(path(s_end)) < 0:
        start = (at(path(s_end)) - x0) / span
        res = minimize(
            lambda u: -margin_u(u),
            start,
            method="L-BFGS-B",
            bounds=list(zip((lo - x0) / span, (hi - x0) / span, strict=True)),
            options={"maxiter": 20, "eps": GRADIENT_STEP},
        )
        best = res.x if -res.fun > margin_u(start) else start
        return "unreachable", at(best)
    s_star = brentq(lambda s: margin_u(path(s)), 0.0, s_end, xtol=XTOL * max(s_end, 1e-9))
    u_ray = (at(path(s_star)) - x0) / span
    u_ray = _feasible_along(margin_u, u_ray)
    best_u = u_ray
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = minimize(
            lambda u: 0.5 * float(np.dot(u, u)),
            u_ray,
            jac=lambda u: np.asarray(u, dtype=float),
            method="SLSQP",
            bounds=list(zip((lo - x0) / span, (hi - x0) / span, strict=True)),
            constraints=[{"type": "ineq", "fun": margin_u}],
            options={"maxiter": 30, "ftol": 1e-10, "eps": GRADIENT_STEP},
        )
    refined = None
    if np.all(np.isfinite(res.x)) and np.linalg.norm(res.x) > 0:
        refined = _crossing_along(margin_u, np.asarray(res.x), lo, hi, x0, span)
    if refined is not None and np.linalg.norm(refined) < np.linalg.norm(u_ray) - 1e-12:
        best_u = refined
        notes.append(
            "SLSQP refined the steepest path's crossing: change "
            f"{np.linalg.norm(u_ray):.6g} -> {np.linalg.norm(refined):.6g} (range-normalised)."
        )
    else:
        notes.append(
            "The steepest path's crossing is the smallest change found (SLSQP did not "
            "improve on it)."
        )
    return "met", at(best_u)


def _feasible_along(margin_u: Callable, u: np.ndarray) -> np.ndarray:
    """``u`` scaled up by a few tolerances until the target is met."""
    scale = 1.0
    for _ in range(60):
        if margin_u(u * scale) >= 0:
            return u * scale
        scale += XTOL * 2**_
    return u * scale


def _crossing_along(margin_u, direction, lo, hi, x0, span):
    """The exact crossing of the target on the ray from the status quo through
    ``direction`` (range-normalised), or None if the ray within the ranges misses it."""
    from scipy.optimize import brentq

    with np.errstate(divide="ignore", invalid="ignore"):
        limits = np.where(
            direction > 0,
            (hi - x0) / span / direction,
            np.where(direction < 0, (lo - x0) / span / direction, np.inf),
        )
    s_max = float(np.min(limits))
    if not np.isfinite(s_max) or s_max <= 0:
        return None
    if margin_u(direction * s_max) < 0:
        return None
    s = brentq(lambda t: margin_u(direction * t), 0.0, s_max, xtol=XTOL * s_max)
    return _feasible_along(margin_u, direction * s)
