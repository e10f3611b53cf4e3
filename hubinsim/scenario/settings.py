"""Scenarios: the lever settings, parameter overrides, shocks and time settings of one run.

A :class:`Scenario` is frozen and validated against the catalogue when it is made, whether
from Python (:func:`make_scenario`) or from a TOML file
(:func:`hubinsim.scenario.reader.load_scenario`).
All problems are collected and raised together as one :class:`ScenarioError`.

The ``*_problems`` functions below are the checks themselves. They return ``(key, message)``
pairs, where ``key`` is the path below the checked item (a schedule year, a shock field), so
that the scenario-file reader can point at the line of the offending key; the ``check_*``
functions turn them into plain messages for Python callers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..catalog import (
    DEPRECATED_PROFILES,
    LEVER_BY_NAME,
    PLAN_YEARS,
    POOL_CATEGORIES,
    PROFILES,
    SHOCK_BY_NAME,
    suggest,
)
from ..data import load_parameters
from ..errors import ScenarioError, UnitWarning
from ..model.engine import METHODS
from ..model.inputs import BASE_YEAR, Schedule
from .units import unit_slip

DEFAULT_END = 2035
DEFAULT_DT = 0.25
DEFAULT_METHOD = "euler"
MAX_END = 2060
MIN_DT = 0.001  # smaller steps only cost time: the model's fastest delays are about a year
SHOCK_FACTOR_RANGE = (0.0, 3.0)

#: (key path below the checked item, message)
Problem = tuple[tuple, str]
#: Receives the warnings of a check: (key path below the checked item, message).
Warn = Callable[[tuple, str], None]


def _warner(name: str) -> Warn:
    """Warnings of the Python API: a :class:`UnitWarning` naming the setting."""

    def warn(key: tuple, message: str) -> None:
        warnings.warn(f"{_join(name, key)}: {message}", UnitWarning, stacklevel=4)

    return warn


def range_problem(
    name: str,
    value: float,
    item,
    rng: str,
    warn: Warn,
    key: tuple = (),
    label: str = "",
    units: bool = True,
) -> str | None:
    """The problem with a number given for ``item`` (a lever or parameter), or None: a
    value written in the other unit (percentage for fraction, or the reverse) is refused with
    the conversion spelled out, or passed to ``warn`` (with ``key``) when it reads plausibly
    both ways (:func:`hubinsim.scenario.units.unit_slip`); else a value outside ``rng``,
    called ``label`` in the message. ``units=False`` checks the range only (values drawn or
    computed, not written by a person)."""
    label = label or _g(value)
    slip = unit_slip(name, value, item, rng) if units else None
    if slip is not None:
        refused, message = slip
        if refused:
            return message.replace(f"{_g(value)} is outside", f"{label} is outside", 1)
        warn(key, message)
    if not item.low <= value <= item.high:
        return f"{label} is outside {rng}"
    return None


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
    """A validated scenario. Levers not set take their business-as-usual default.

    ``source`` is the file the scenario was read from (None when made in Python),
    ``extends`` the files it inherits from (absolute paths, nearest parent first) and
    ``sections`` the values of extension sections registered with
    :func:`hubinsim.scenario.sections.register_section` (name -> parsed value).
    """

    name: str = "baseline"
    description: str = "Business as usual: every lever at its default."
    levers: Mapping[str, float | Schedule] = field(default_factory=dict)
    profile: str | tuple[tuple[int, float], ...] = "even"
    shocks: tuple[Shock, ...] = ()
    parameters: Mapping[str, float] = field(default_factory=dict)
    time: TimeSettings = field(default_factory=TimeSettings)
    source: str | None = None
    extends: tuple[str, ...] = ()
    sections: Mapping[str, object] = field(default_factory=dict)

    @property
    def declares_uncertainty(self) -> bool:
        """Whether the scenario file has an ``[uncertainty]`` section: the command line then
        runs it as an ensemble without ``--draws``."""
        return "uncertainty" in (self.sections or {})

    def profile_weights(self) -> dict[int, float]:
        """Weights of the calendar years 2021-2025 (sum 1)."""
        if isinstance(self.profile, str):
            return dict(zip(PLAN_YEARS, PROFILES[self.profile], strict=True))
        total = sum(w for _, w in self.profile)
        return {y: w / total for y, w in self.profile}


def _is_number(v) -> bool:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:  # an integer too large for a float
        return False


def is_year(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and -10_000 < v < 10_000


def _kind(v) -> str:
    """How a value read from TOML is described in a message."""
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, Mapping):
        return "a table"
    if isinstance(v, list | tuple):
        return "an array"
    if isinstance(v, int | float):
        return "a number" if _is_number(v) else "a number too large or not finite"
    return f"a {type(v).__name__}"


def _shown(v) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def got(v) -> str:
    return f"got {_shown(v)} ({_kind(v)})"


def _g(v) -> str:
    """A number as short as possible but never hiding why it is out of range."""
    short = f"{v:g}"
    return short if float(short) == v else repr(v)


def lever_allowed(name: str) -> str:
    """What a lever accepts: type, range and unit."""
    lv = LEVER_BY_NAME[name]
    kind = "a number or a year schedule ({year = value, ...})" if lv.schedule else "a number"
    return f"{kind} in [{lv.low:g}, {lv.high:g}] {lv.unit}"


def time_problems(end, dt, method) -> list[Problem]:
    """Problems with the time settings, keyed by ``end``, ``dt`` or ``method``."""
    problems: list[Problem] = []
    if not (is_year(end) and BASE_YEAR < end <= MAX_END):
        problems.append(
            (("end",), f"must be a whole year in {BASE_YEAR + 1}..{MAX_END}, {got(end)}")
        )
    if not _is_number(dt) or not (MIN_DT <= dt <= 0.5) or abs(0.5 / dt - round(0.5 / dt)) > 1e-9:
        problems.append(
            (
                ("dt",),
                "must be a time step in years that divides 0.5 exactly "
                f"(0.5, 0.25, 0.125, 0.1, 0.05, ..., at least {MIN_DT:g}), {got(dt)}",
            )
        )
    if not isinstance(method, str) or method not in METHODS:
        hint = suggest(method, METHODS) if isinstance(method, str) else ""
        problems.append(
            (("method",), f"must be one of {', '.join(map(repr, METHODS))}, {got(method)}{hint}")
        )
    return problems


def lever_problems(
    name: str, value, end: int | None = MAX_END, warn: Warn | None = None
) -> list[Problem]:
    """Problems with one lever value (a number or a :class:`Schedule`) in the user's unit.

    Keys are ``()`` for the whole value or the year (as written in TOML, with ``step``
    first for step schedules) for one point. ``end=None`` skips the check that schedule
    years lie within the run. ``warn`` receives the warnings (key, message) of values that
    read plausibly both as a percentage and as a fraction; by default they are issued as
    :class:`~hubinsim.errors.UnitWarning`.
    """
    lv = LEVER_BY_NAME[name]
    warn = warn or _warner(name)
    rng = f"[{lv.low:g}, {lv.high:g}] {lv.unit}"
    if isinstance(value, Schedule):
        if not lv.schedule:
            return [((), f"takes a single number in {rng}, not a year schedule")]
        pre = ("step",) if value.step else ()
        years = [y for y, _ in value.points]
        bad = [y for y in years if not is_year(y)]
        if bad:
            return [(pre + (str(bad[0]),), f"schedule keys must be years, got {bad[0]!r}")]
        if not years:
            return [((), f"a schedule needs at least one year = value pair, values in {rng}")]
        problems: list[Problem] = []
        for a, b in zip(years, years[1:], strict=False):
            if b <= a:
                problems.append(
                    (
                        pre + (str(b),),
                        f"schedule years must be in increasing order, got {years}",
                    )
                )
                break
        for y, v in value.points:
            key = pre + (str(y),)
            if end is not None and not BASE_YEAR <= y <= end:
                problems.append((key, f"schedule year {y} is outside the run {BASE_YEAR}..{end}"))
            if not _is_number(v):
                problems.append(
                    (key, f"schedule value for {y} must be a number in {rng}, {got(v)}")
                )
            elif m := range_problem(
                name, v, lv, f"the valid range {rng}", warn, key, f"value {_g(v)} for {y}"
            ):
                problems.append((key, m))
        return problems
    if not _is_number(value):
        return [((), f"must be {lever_allowed(name)}, {got(value)}")]
    if m := range_problem(name, value, lv, f"the valid range {rng}", warn):
        return [((), m)]
    return []


def parameter_problems(
    name: str, value, params: Mapping, warn: Warn | None = None, units: bool = True
) -> list[str]:
    """Problems with one structural parameter value (without the name); ``warn`` as for
    :func:`lever_problems`; ``units=False`` leaves out the check of percentage against
    fraction (for values drawn, not written)."""
    if name not in params:
        return [f"unknown parameter{suggest(name, params)}; `hubinsim levers` lists them"]
    prm = params[name]
    if not _is_number(value):
        return [f"must be a number in [{prm.low:g}, {prm.high:g}] {prm.unit}, {got(value)}"]
    rng = f"its plausible range [{prm.low:g}, {prm.high:g}] {prm.unit}"
    m = range_problem(name, value, prm, rng, warn or _warner(f"parameter {name!r}"), units=units)
    return [m] if m else []


PROFILE_ALLOWED = (
    f"one of {', '.join(map(repr, PROFILES))} or a table of year = weight "
    f"for {PLAN_YEARS[0]}..{PLAN_YEARS[-1]}"
)


def profile_problems(profile) -> list[Problem]:
    """Problems with a timing profile (a name or ((year, weight), ...)); keys are years."""
    allowed = PROFILE_ALLOWED
    if isinstance(profile, str):
        if profile not in PROFILES and profile not in DEPRECATED_PROFILES:
            hint = suggest(profile, [*PROFILES, *DEPRECATED_PROFILES])
            # what someone asking for "delayed" spending may want
            later = "'late' spends most in the last plan years; pool_delay moves them all later"
            return [((), f"must be {allowed}, got {profile!r}{hint}; {later}")]
        return []
    if (
        not isinstance(profile, tuple | list)
        or not profile
        or not all(isinstance(p, tuple | list) and len(p) == 2 for p in profile)
    ):
        return [((), f"must be {allowed}, {got(profile)}")]
    problems: list[Problem] = []
    for y, w in profile:
        if y not in PLAN_YEARS or not is_year(y):
            problems.append(
                (
                    (str(y),),
                    f"year {y!r} is outside the plan period {PLAN_YEARS[0]}..{PLAN_YEARS[-1]}",
                )
            )
        if not _is_number(w) or w < 0:
            problems.append(((str(y),), f"weight for {y} must be a number >= 0, {got(w)}"))
    if not problems and sum(w for _, w in profile) <= 0:
        problems.append(((), "the weights must not all be zero"))
    return problems


def shock_problems(shock: Shock, end: int | None = MAX_END) -> list[Problem]:
    """Problems with one shock, keyed by ``target``, ``years`` or ``factor``."""
    problems: list[Problem] = []
    if not isinstance(shock.target, str) or shock.target not in SHOCK_BY_NAME:
        hint = suggest(shock.target, SHOCK_BY_NAME) if isinstance(shock.target, str) else ""
        problems.append(
            (
                ("target",),
                f"unknown target {_shown(shock.target)}{hint}; "
                f"valid targets: {', '.join(SHOCK_BY_NAME)}",
            )
        )
    last_year = MAX_END if end is None else end
    for i, (label, y) in enumerate((("first year", shock.first), ("last year", shock.last))):
        if not is_year(y) or not BASE_YEAR < y <= last_year:
            problems.append(
                (
                    ("years", i),
                    f"{label} must be a year in {BASE_YEAR + 1}..{last_year}, {got(y)}",
                )
            )
    if is_year(shock.first) and is_year(shock.last) and shock.last < shock.first:
        problems.append(
            (("years",), f"years [{shock.first}, {shock.last}] are out of order (first, last)")
        )
    lo, hi = SHOCK_FACTOR_RANGE
    if not _is_number(shock.factor) or not lo <= shock.factor <= hi:
        problems.append(
            (
                ("factor",),
                f"must be a number in [{lo:g}, {hi:g}] (1 = no change), {got(shock.factor)}",
            )
        )
    return problems


def _join(label: str, key: tuple) -> str:
    return ".".join([label, *(str(k) for k in key)])


def check_time(end, dt, method, where: str = "[time]") -> list[str]:
    """Problems with time settings (empty when valid)."""
    return [f"{where} {k[0]}: {m}" for k, m in time_problems(end, dt, method)]


def check_lever_value(name: str, value, end: int = MAX_END) -> list[str]:
    """Problems with one lever value (a number or a Schedule), in the user's unit."""
    return [f"{_join(name, k)}: {m}" for k, m in lever_problems(name, value, end)]


def check_parameter(name: str, value, params: Mapping, units: bool = True) -> list[str]:
    return [
        f"parameter {name!r}: {m}" for m in parameter_problems(name, value, params, units=units)
    ]


def current_profile(profile, stacklevel: int = 3):
    """The profile under its current name: a name of version 1 (``front_loaded``,
    ``back_loaded``) is read as the profile of the same weights (``early``, ``late``) with a
    FutureWarning. Those names shaped the spending above or below business as usual; now a
    profile is the timing of the pool's spending itself, whatever the realisation. They are
    kept for one release."""
    if isinstance(profile, str) and profile in DEPRECATED_PROFILES:
        new = DEPRECATED_PROFILES[profile]
        warnings.warn(
            f"profile {profile!r} is deprecated and will be removed in the next release: a "
            "profile now names the timing of the pool's spending itself, whatever the "
            f"realisation; {profile!r} is read as {new!r} (write {new!r}, or a table of "
            "year = weight)",
            FutureWarning,
            stacklevel=stacklevel,
        )
        return new
    return profile


def check_profile(profile) -> list[str]:
    return [f"{_join('profile', k)}: {m}" for k, m in profile_problems(profile)]


def check_shock(shock: Shock, end: int) -> list[str]:
    where = f"shock {shock.name!r}" if shock.name else "shock"
    return [f"{where} {_join('', k)[1:]}: {m}" for k, m in shock_problems(shock, end)]


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
    ``profile`` is ``"early"``, ``"even"``, ``"late"`` or ``{year: weight}``: the timing of
    the pool's spending itself over 2021-2025.
    ``shocks`` are :class:`Shock` objects or dicts with target, years (first, last) and factor.
    Raises :class:`ScenarioError` listing every problem.
    """
    problems: list[str] = []
    problems += check_time(end, dt, method)
    end_ok = end if is_year(end) and BASE_YEAR < end <= MAX_END else MAX_END
    out_levers: dict[str, object] = {}
    for key, value in (levers or {}).items():
        if key not in LEVER_BY_NAME:
            problems.append(
                f"unknown lever {key!r}{suggest(key, LEVER_BY_NAME)}; `hubinsim levers` lists them"
            )
            continue
        value = to_schedule(value)
        problems += check_lever_value(key, value, end_ok)
        out_levers[key] = value
    prof = "even" if profile is None else current_profile(profile)
    if isinstance(prof, Mapping):
        prof = tuple(sorted((_year_key(y), w) for y, w in prof.items()))
    problems += check_profile(prof)
    out_shocks = []
    for sh in shocks:
        if isinstance(sh, Mapping):
            years = sh.get("years", (None, None))
            if not isinstance(years, list | tuple) or not years:
                years = (years, years)
            sh = Shock(sh.get("target"), years[0], years[-1], sh.get("factor"), sh.get("name", ""))
        problems += check_shock(sh, end_ok)
        out_shocks.append(sh)
    params = load_parameters(data_dir)
    for key, value in (parameters or {}).items():
        problems += check_parameter(key, value, params)
    if problems:
        raise ScenarioError(problems, source=name)
    return Scenario(
        name=name,
        description=description,
        levers=out_levers,
        profile=prof,
        shocks=tuple(out_shocks),
        parameters=dict(parameters or {}),
        time=TimeSettings(end, float(dt), method),
    )


def _year_key(y):
    """A year from a table key: ``2021`` or ``"2021"`` -> 2021; anything else unchanged."""
    if isinstance(y, str) and y.isascii() and y.isdigit() and len(y) <= 4:
        return int(y)
    return y


def to_schedule(value):
    """Turn ``{year: value}`` or ``{"step": {...}}`` into a :class:`Schedule`; pass others."""
    if isinstance(value, Mapping):
        step = False
        if set(value) == {"step"} and isinstance(value["step"], Mapping):
            value, step = value["step"], True
        return Schedule(tuple((_year_key(y), v) for y, v in value.items()), step)
    return value


def pool_realisation(scn: Scenario, params: Mapping[str, object]) -> dict[str, object]:
    """Realisation of each pool category: the category lever, else plan_realisation, else BAU."""
    overall = scn.levers.get("plan_realisation", params["investment.bau_realisation"])
    return {c: scn.levers.get(f"realisation_{c}", overall) for c in POOL_CATEGORIES}
