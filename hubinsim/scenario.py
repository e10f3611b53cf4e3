"""Scenarios: the lever settings, parameter overrides, shocks and time settings of one run.

A :class:`Scenario` is frozen and validated against the catalogue when it is made, whether
from Python (:func:`make_scenario`) or from a TOML file (:func:`hubinsim.scenario_file.load_scenario`).
All problems are collected and raised together as one :class:`ScenarioError`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from .catalog import LEVER_BY_NAME, PLAN_YEARS, POOL_CATEGORIES, PROFILES, SHOCK_BY_NAME
from .errors import ScenarioError
from .model.inputs import BASE_YEAR, Schedule

DEFAULT_END = 2035
DEFAULT_DT = 0.25
DEFAULT_METHOD = "euler"
MAX_END = 2060
SHOCK_FACTOR_RANGE = (0.0, 3.0)


@dataclass(frozen=True)
class Shock:
    """Scale the flow ``target`` by ``factor`` in calendar years ``first..last``."""

    target: str
    first: int
    last: int
    factor: float
    name: str = ""


@dataclass(frozen=True)
class TimeSettings:
    end: int = DEFAULT_END
    dt: float = DEFAULT_DT
    method: str = DEFAULT_METHOD


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Levers not set take their business-as-usual default."""

    name: str = "baseline"
    description: str = "Business as usual: every lever at its default."
    levers: Mapping[str, float | Schedule] = field(default_factory=dict)
    profile: str | tuple[tuple[int, float], ...] = "even"
    shocks: tuple[Shock, ...] = ()
    parameters: Mapping[str, float] = field(default_factory=dict)
    time: TimeSettings = field(default_factory=TimeSettings)
    source: str | None = None
    extends: tuple[str, ...] = ()

    def profile_weights(self) -> dict[int, float]:
        """Weights of the calendar years 2021-2025 (sum 1)."""
        if isinstance(self.profile, str):
            return dict(zip(PLAN_YEARS, PROFILES[self.profile], strict=True))
        total = sum(w for _, w in self.profile)
        return {y: w / total for y, w in self.profile}


def suggest(name: str, choices) -> str:
    """' (did you mean ...?)' with the closest valid names, or ''."""
    close = difflib.get_close_matches(name, list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def check_time(end, dt, method, where: str = "[time]") -> list[str]:
    """Problems with time settings (empty when valid)."""
    from .model.engine import METHODS

    problems = []
    if not (isinstance(end, int) and not isinstance(end, bool)) or not (
        BASE_YEAR < end <= MAX_END
    ):
        problems.append(f"{where} end: must be a whole year in {BASE_YEAR + 1}..{MAX_END}, got {end!r}")
    if not _is_number(dt) or not (0 < dt <= 0.5) or abs(0.5 / dt - round(0.5 / dt)) > 1e-9:
        problems.append(
            f"{where} dt: must be a number of years that divides 0.5 exactly "
            f"(0.5, 0.25, 0.125, 0.1, 0.05, ...), got {dt!r}"
        )
    if method not in METHODS:
        problems.append(f"{where} method: must be one of {', '.join(METHODS)}, got {method!r}"
                        + (suggest(str(method), METHODS) if isinstance(method, str) else ""))
    return problems


def check_lever_value(name: str, value, end: int = MAX_END) -> list[str]:
    """Problems with one lever value (a number or a Schedule), in the user's unit."""
    lv = LEVER_BY_NAME[name]
    rng = f"[{lv.low:g}, {lv.high:g}] {lv.unit}"
    if isinstance(value, Schedule):
        if not lv.schedule:
            return [f"{name}: takes a single number in {rng}, not a year schedule"]
        problems = []
        years = [y for y, _ in value.points]
        bad = [y for y in years if not isinstance(y, int) or isinstance(y, bool)]
        if bad:
            return [f"{name}: schedule keys must be years, got {bad[0]!r}"]
        if not years:
            problems.append(f"{name}: a schedule needs at least one year = value pair")
        if any(b <= a for a, b in zip(years, years[1:], strict=False)):
            problems.append(f"{name}: schedule years must be in increasing order, got {years}")
        for y, v in value.points:
            if not BASE_YEAR <= y <= end:
                problems.append(f"{name}: schedule year {y} is outside the run {BASE_YEAR}..{end}")
            if not _is_number(v):
                problems.append(f"{name}: schedule value for {y} must be a number, got {v!r}")
            elif not lv.low <= v <= lv.high:
                problems.append(f"{name}: value {v:g} for {y} is outside the valid range {rng}")
        return problems
    if not _is_number(value):
        kind = "a number or a year schedule" if lv.schedule else "a number"
        return [f"{name}: must be {kind} in {rng}, got {value!r}"]
    if not lv.low <= value <= lv.high:
        return [f"{name}: {value:g} is outside the valid range {rng}"]
    return []


def check_parameter(name: str, value, params: Mapping) -> list[str]:
    if name not in params:
        return [f"unknown parameter {name!r}{suggest(name, params)}; "
                "`hubinsim levers` lists them"]
    prm = params[name]
    if not _is_number(value):
        return [f"parameter {name}: must be a number in [{prm.low:g}, {prm.high:g}] {prm.unit}, "
                f"got {value!r}"]
    if not prm.low <= value <= prm.high:
        return [f"parameter {name}: {value:g} is outside its plausible range "
                f"[{prm.low:g}, {prm.high:g}] {prm.unit}"]
    return []


def check_profile(profile) -> list[str]:
    if isinstance(profile, str):
        if profile not in PROFILES:
            return [f"profile: must be one of {', '.join(PROFILES)} or a table of year = weight "
                    f"for {PLAN_YEARS[0]}..{PLAN_YEARS[-1]}, got {profile!r}"
                    + suggest(profile, PROFILES)]
        return []
    problems = []
    for y, w in profile:
        if y not in PLAN_YEARS:
            problems.append(f"profile: year {y} is outside the plan period "
                            f"{PLAN_YEARS[0]}..{PLAN_YEARS[-1]}")
        if not _is_number(w) or w < 0:
            problems.append(f"profile: weight for {y} must be a number >= 0, got {w!r}")
    if not problems and sum(w for _, w in profile) <= 0:
        problems.append("profile: the weights must not all be zero")
    return problems


def check_shock(shock: Shock, end: int) -> list[str]:
    problems = []
    where = f"shock {shock.name!r}" if shock.name else "shock"
    if shock.target not in SHOCK_BY_NAME:
        problems.append(f"{where}: unknown target {shock.target!r}{suggest(shock.target, SHOCK_BY_NAME)};"
                        f" valid targets: {', '.join(SHOCK_BY_NAME)}")
    for label, y in (("first year", shock.first), ("last year", shock.last)):
        if not isinstance(y, int) or isinstance(y, bool) or not BASE_YEAR < y <= end:
            problems.append(f"{where}: {label} must be a year in {BASE_YEAR + 1}..{end}, got {y!r}")
    if isinstance(shock.first, int) and isinstance(shock.last, int) and shock.last < shock.first:
        problems.append(f"{where}: years [{shock.first}, {shock.last}] are out of order")
    lo, hi = SHOCK_FACTOR_RANGE
    if not _is_number(shock.factor) or not lo <= shock.factor <= hi:
        problems.append(f"{where}: factor must be a number in [{lo:g}, {hi:g}], got {shock.factor!r}")
    return problems


def make_scenario(
    *,
    name: str = "custom",
    description: str = "",
    levers: Mapping[str, object] | None = None,
    profile=None,
    shocks=(),
    parameters: Mapping[str, float] | None = None,
    end: int = DEFAULT_END,
    dt: float = DEFAULT_DT,
    method: str = DEFAULT_METHOD,
    data_dir=None,
) -> Scenario:
    """Build and validate a scenario from Python values.

    ``levers`` maps lever names to numbers or year schedules given as ``{year: value}``
    (linear) or ``{"step": {year: value}}``; ``realisation_<category>`` sets one category.
    ``profile`` is ``"even"``, ``"front_loaded"``, ``"back_loaded"`` or ``{year: weight}``.
    ``shocks`` are :class:`Shock` objects or dicts with target, years (first, last) and factor.
    Raises :class:`ScenarioError` listing every problem.
    """
    from .data import load_parameters

    problems: list[str] = []
    problems += check_time(end, dt, method)
    end_ok = end if isinstance(end, int) and BASE_YEAR < end <= MAX_END else MAX_END
    out_levers: dict[str, object] = {}
    for key, value in (levers or {}).items():
        if key not in LEVER_BY_NAME:
            problems.append(f"unknown lever {key!r}{suggest(key, LEVER_BY_NAME)}; "
                            "`hubinsim levers` lists them")
            continue
        value = to_schedule(value)
        problems += check_lever_value(key, value, end_ok)
        out_levers[key] = value
    prof = "even" if profile is None else profile
    if isinstance(prof, Mapping):
        prof = tuple(sorted((int(y), w) for y, w in prof.items()))
    problems += check_profile(prof)
    out_shocks = []
    for sh in shocks:
        if isinstance(sh, Mapping):
            years = sh.get("years", (None, None))
            sh = Shock(sh.get("target"), years[0], years[-1], sh.get("factor"), sh.get("name", ""))
        problems += check_shock(sh, end_ok)
        out_shocks.append(sh)
    params = load_parameters(data_dir)
    for key, value in (parameters or {}).items():
        problems += check_parameter(key, value, params)
    if problems:
        raise ScenarioError(problems, source=name)
    return Scenario(
        name=name, description=description, levers=out_levers, profile=prof,
        shocks=tuple(out_shocks), parameters=dict(parameters or {}),
        time=TimeSettings(end, float(dt), method),
    )


def to_schedule(value):
    """Turn ``{year: value}`` or ``{"step": {...}}`` into a :class:`Schedule`; pass others."""
    if isinstance(value, Mapping):
        step = False
        if set(value) == {"step"} and isinstance(value["step"], Mapping):
            value, step = value["step"], True
        points = []
        for y, v in value.items():
            try:
                year = int(y)
            except (TypeError, ValueError):
                year = y
            points.append((year, v))
        return Schedule(tuple(points), step)
    return value


def pool_realisation(scn: Scenario, params: Mapping[str, object]) -> dict[str, object]:
    """Realisation of each pool category: the category lever, else plan_realisation, else BAU."""
    overall = scn.levers.get("plan_realisation", params["investment.bau_realisation"])
    return {c: scn.levers.get(f"realisation_{c}", overall) for c in POOL_CATEGORIES}
