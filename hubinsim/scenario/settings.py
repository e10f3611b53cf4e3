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
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ..catalog import (
    DEPRECATED_PROFILES,
    LEVER_BY_NAME,
    PLAN_YEARS,
    POOL_CATEGORIES,
    PROFILES,
    SHOCK_BY_NAME,
    suggest,
)
from ..data import load_data, load_parameters
from ..errors import Message, ScenarioError, UnitWarning, in_lang, text_in
from ..model.engine import METHODS
from ..model.inputs import BASE_YEAR, Schedule
from .units import outside_text, shown_number, span_text, unit_slip

DEFAULT_END = 2035
DEFAULT_DT = 0.25
DEFAULT_METHOD = "euler"
MAX_END = 2060
MIN_DT = 0.001  # smaller steps only cost time: the model's fastest delays are about a year
SHOCK_FACTOR_RANGE = (0.0, 3.0)
#: Most characters of a scenario name, and most UTF-8 bytes: it names the run folder (255
#: bytes), with room for a temporary suffix.
MAX_NAME = 100
MAX_NAME_BYTES = 200
NAME_ALLOWED = (
    f"a short text (1-{MAX_NAME} characters and at most {MAX_NAME_BYTES} bytes in UTF-8, no "
    "slashes or control characters, not starting with '.' or a space): it names the run folder"
)

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
    year: int | None = None,
    units: bool = True,
) -> Message | None:
    """The problem with a number given for ``item`` (a lever or parameter), or None: a
    value written in the other unit (percentage for fraction, or the reverse) is refused with
    the conversion spelled out, or passed to ``warn`` (with ``key``) when it reads plausibly
    both ways (:func:`hubinsim.scenario.units.unit_slip`); else a value outside the range
    ``rng`` names (:func:`~hubinsim.scenario.units.range_text`: "valid", "plausible"), for
    ``year`` of a schedule. ``units=False`` checks the range only (values drawn or computed,
    not written by a person)."""
    slip = unit_slip(name, value, item, rng, year) if units else None
    if slip is not None:
        refused, message = slip
        if refused:
            return message
        warn(key, message)
    if not item.low <= value <= item.high:
        span = {"low": item.low, "high": item.high, "unit": item.unit}
        return Message(outside_text, value=value, **span, which=rng, year=year)
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
class DataRecord:
    """The data folder a scenario was run with (the ``[data]`` section of a resolved scenario
    file): its absolute path and the sha256 of each data file (file name -> hex digest)."""

    folder: str
    sha256: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TimeSettings:
    end: int = DEFAULT_END
    dt: float = DEFAULT_DT
    method: str = DEFAULT_METHOD


@dataclass(frozen=True)
class Scenario:
    """A scenario. Levers not set take their business-as-usual default.

    Read from a file or made by :func:`make_scenario`, it is checked at once; built
    directly, it is checked when it is run. ``levers`` takes, per lever, a number, a
    :class:`~hubinsim.model.inputs.Schedule`, ``{year: value}`` (linear) or
    ``{"step": {year: value}}``, as :func:`make_scenario` does; ``profile`` a name or
    ``{year: weight}``.

    ``source`` is the file the scenario was read from (None when made in Python),
    ``extends`` the files it inherits from (absolute paths, nearest parent first) and
    ``sections`` the values of extension sections registered with
    :func:`hubinsim.scenario.sections.register_section` (name -> parsed value), ``files``
    the files read, as (absolute path, sha256 of the bytes read), the file itself first.
    """

    name: str = "baseline"
    description: str = "Business as usual: every lever at its default."
    #: The names charts and tables show, in English and in Chinese ("" : the name).
    title: str = ""
    title_zh: str = ""
    levers: Mapping[str, float | Schedule] = field(default_factory=dict)
    profile: str | tuple[tuple[int, float], ...] = "even"
    shocks: tuple[Shock, ...] = ()
    parameters: Mapping[str, float] = field(default_factory=dict)
    time: TimeSettings = field(default_factory=TimeSettings)
    source: str | None = None
    extends: tuple[str, ...] = ()
    sections: Mapping[str, object] = field(default_factory=dict)
    files: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        # The documented forms of make_scenario and simulate(levers=...) mean the same here:
        # a lever's {year: value} or {"step": {year: value}} is a Schedule, a profile's
        # {year: weight} its (year, weight) pairs. Nothing is checked: a run checks it.
        if isinstance(self.levers, Mapping):
            levers = {k: to_schedule(v) for k, v in self.levers.items()}
            object.__setattr__(self, "levers", levers)
        if isinstance(self.profile, Mapping):
            object.__setattr__(self, "profile", profile_pairs(self.profile))

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


def _kind(v, lang: str = "en") -> str:
    """How a value read from TOML is described in a message, in ``lang``."""
    if isinstance(v, bool):
        return in_lang(lang, "a boolean", "布尔值")
    if isinstance(v, str):
        return in_lang(lang, "a string", "字符串")
    if isinstance(v, Mapping):
        return in_lang(lang, "a table", "表")
    if isinstance(v, list | tuple):
        return in_lang(lang, "an array", "数组")
    if isinstance(v, int | float):
        if _is_number(v):
            return in_lang(lang, "a number", "数值")
        return in_lang(lang, "a number too large or not finite", "过大或非有限的数值")
    return in_lang(lang, f"a {type(v).__name__}", type(v).__name__)


def _shown(v) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def got(v, lang: str = "en") -> str:
    """ "got 'a' (a string)": the value a message refuses, in ``lang``."""
    return in_lang(lang, f"got {_shown(v)} ({_kind(v)})", f"实际为 {_shown(v)}({_kind(v, lang)})")


_g = shown_number


def lever_allowed(name: str, lang: str = "en") -> str:
    """What a lever accepts: type, range and unit, in ``lang``."""
    lv = LEVER_BY_NAME[name]
    span = span_text(lv.low, lv.high, lv.unit, lang)
    if lang == "zh":
        kind = "数值或逐年表({年份 = 数值, ...})" if lv.schedule else "数值"
        return f"{span} 内的{kind}"
    kind = "a number or a year schedule ({year = value, ...})" if lv.schedule else "a number"
    return f"{kind} in {span}"


def must_be_text(lang, allowed, value, choices=()) -> str:
    """ "must be ALLOWED, got VALUE (its kind)" in ``lang``, with the names of ``choices``
    most like the value (" (did you mean ...?)"); ``allowed`` a Message."""
    allowed = text_in(allowed, lang)
    hint = suggest(value, choices, lang) if choices else ""
    zh = f"应为{allowed.strip()}," if allowed.strip()[:1] > "\x7f" else f"应为 {allowed.strip()},"
    return in_lang(lang, f"must be {allowed}, ", zh) + got(value, lang) + hint


def _end_allowed(lang) -> str:
    return in_lang(
        lang, f"a whole year in {BASE_YEAR + 1}..{MAX_END}", f"{BASE_YEAR + 1}..{MAX_END} 间的整年"
    )


def _dt_allowed(lang) -> str:
    steps = f"(0.5, 0.25, 0.125, 0.1, 0.05, ..., at least {MIN_DT:g})"
    return in_lang(
        lang,
        f"a time step in years that divides 0.5 exactly {steps}",
        f"能整除 0.5 的时间步长(年)(0.5、0.25、0.125、0.1、0.05 等,至少 {MIN_DT:g})",
    )


def _one_of(lang, choices) -> str:
    listed = ", ".join(map(repr, choices))
    return in_lang(lang, f"one of {listed}", f"{listed} 之一")


def _lever_allowed(lang, name) -> str:
    return lever_allowed(name, lang)


def _schedule_text(lang, what, rng=None, years=None, year=None, end=None) -> str:
    """The problems of a lever's year schedule, by ``what``, in ``lang``."""
    span = None if rng is None else span_text(*rng, lang)
    en, zh = {
        "single": (
            f"takes a single number in {span}, not a year schedule",
            f"只接受 {span} 内的单个数值,不接受逐年表",
        ),
        "key": (
            f"schedule keys must be years, got {year!r}",
            f"逐年表的键应为年份,实际为 {year!r}",
        ),
        "empty": (
            f"a schedule needs at least one year = value pair, values in {span}",
            f"逐年表至少需要一对 年份 = 数值,数值在 {span} 内",
        ),
        "order": (
            f"schedule years must be in increasing order, got {years}",
            f"逐年表的年份应递增,实际为 {years}",
        ),
        "year": (
            f"schedule year {year} is outside the run {BASE_YEAR}..{end}",
            f"逐年表的年份 {year} 超出运行期 {BASE_YEAR}..{end}",
        ),
    }[what]
    return in_lang(lang, en, zh)


def _schedule_value_text(lang, year, value, rng) -> str:
    span = span_text(*rng, lang)
    return in_lang(
        lang,
        f"schedule value for {year} must be a number in {span}, ",
        f"{year}年的数值应为 {span} 内的数值,",
    ) + got(value, lang)


def _unknown_parameter_text(lang, name, params) -> str:
    return in_lang(
        lang,
        f"unknown parameter{suggest(name, params)}; `hubinsim levers` lists them",
        f"未知参数{suggest(name, params, lang)};`hubinsim levers` 列出全部参数",
    )


def _parameter_allowed(lang, low, high, unit) -> str:
    span = f"[{low:g}, {high:g}] {unit}"
    return in_lang(lang, f"a number in {span}", f"{span} 内的数值")


def time_problems(end, dt, method) -> list[Problem]:
    """Problems with the time settings, keyed by ``end``, ``dt`` or ``method``."""
    problems: list[Problem] = []
    if not (is_year(end) and BASE_YEAR < end <= MAX_END):
        allowed = Message(_end_allowed)
        problems.append((("end",), Message(must_be_text, allowed=allowed, value=end)))
    if not _is_number(dt) or not (MIN_DT <= dt <= 0.5) or abs(0.5 / dt - round(0.5 / dt)) > 1e-9:
        allowed = Message(_dt_allowed)
        problems.append((("dt",), Message(must_be_text, allowed=allowed, value=dt)))
    if not isinstance(method, str) or method not in METHODS:
        allowed = Message(_one_of, choices=METHODS)
        said = Message(must_be_text, allowed=allowed, value=method, choices=tuple(METHODS))
        problems.append((("method",), said))
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
    rng = (lv.low, lv.high, lv.unit)
    if isinstance(value, Schedule):
        if not lv.schedule:
            return [((), Message(_schedule_text, what="single", rng=rng))]
        pre = ("step",) if value.step else ()
        years = [y for y, _ in value.points]
        bad = [y for y in years if not is_year(y)]
        if bad:
            return [(pre + (str(bad[0]),), Message(_schedule_text, what="key", year=bad[0]))]
        if not years:
            return [((), Message(_schedule_text, what="empty", rng=rng))]
        problems: list[Problem] = []
        for a, b in zip(years, years[1:], strict=False):
            if b <= a:
                problems.append(
                    (pre + (str(b),), Message(_schedule_text, what="order", years=years))
                )
                break
        for y, v in value.points:
            key = pre + (str(y),)
            if end is not None and not BASE_YEAR <= y <= end:
                problems.append((key, Message(_schedule_text, what="year", year=y, end=end)))
            if not _is_number(v):
                problems.append((key, Message(_schedule_value_text, year=y, value=v, rng=rng)))
            elif m := range_problem(name, v, lv, "valid", warn, key, year=y):
                problems.append((key, m))
        return problems
    if not _is_number(value):
        allowed = Message(_lever_allowed, name=name)
        return [((), Message(must_be_text, allowed=allowed, value=value))]
    if m := range_problem(name, value, lv, "valid", warn):
        return [((), m)]
    return []


def parameter_problems(
    name: str, value, params: Mapping, warn: Warn | None = None, units: bool = True
) -> list[str]:
    """Problems with one structural parameter value (without the name); ``warn`` as for
    :func:`lever_problems`; ``units=False`` leaves out the check of percentage against
    fraction (for values drawn, not written)."""
    if name not in params:
        return [Message(_unknown_parameter_text, name=name, params=tuple(params))]
    prm = params[name]
    if not _is_number(value):
        allowed = Message(_parameter_allowed, low=prm.low, high=prm.high, unit=prm.unit)
        return [Message(must_be_text, allowed=allowed, value=value)]
    warn = warn or _warner(f"parameter {name!r}")
    m = range_problem(name, value, prm, "plausible", warn, units=units)
    return [m] if m else []


PROFILE_ALLOWED = (
    f"one of {', '.join(map(repr, PROFILES))} or a table of year = weight "
    f"for {PLAN_YEARS[0]}..{PLAN_YEARS[-1]}"
)


def profile_problems(profile) -> list[Problem]:
    """Problems with a timing profile (a name or ((year, weight), ...)); keys are years."""
    if isinstance(profile, str):
        if profile not in PROFILES and profile not in DEPRECATED_PROFILES:
            return [((), Message(profile_text, what="name", value=profile))]
        return []
    if (
        not isinstance(profile, tuple | list)
        or not profile
        or not all(isinstance(p, tuple | list) and len(p) == 2 for p in profile)
    ):
        return [((), Message(profile_text, what="shape", value=profile))]
    problems: list[Problem] = []
    for y, w in profile:
        if y not in PLAN_YEARS or not is_year(y):
            problems.append(((str(y),), Message(profile_text, what="year", value=y)))
        if not _is_number(w) or w < 0:
            problems.append(((str(y),), Message(profile_text, what="weight", value=w, year=y)))
    if not problems and sum(w for _, w in profile) <= 0:
        problems.append(((), Message(profile_text, what="zero")))
    return problems


def profile_text(lang, what, value=None, year=None) -> str:
    """A problem of the timing profile, by ``what``, in ``lang``."""
    first, last = PLAN_YEARS[0], PLAN_YEARS[-1]
    names = ", ".join(map(repr, PROFILES))
    allowed = in_lang(
        lang,
        f"one of {names} or a table of year = weight for {first}..{last}",
        f"{names} 之一,或 {first}..{last} 各年 年份 = 权重 的表",
    )
    if what == "name":
        hint = suggest(value, [*PROFILES, *DEPRECATED_PROFILES], lang)
        # what someone asking for "delayed" spending may want
        return in_lang(
            lang,
            f"must be {allowed}, got {value!r}{hint}; 'late' spends most in the last plan "
            "years; pool_delay moves them all later",
            f"应为 {allowed},实际为 {value!r}{hint};'late' 把大部分支出放在规划期最后几年;"
            "pool_delay 把全部支出推后",
        )
    if what == "shape":
        return in_lang(lang, f"must be {allowed}, ", f"应为 {allowed},") + got(value, lang)
    if what == "year":
        return in_lang(
            lang,
            f"year {value!r} is outside the plan period {first}..{last}",
            f"年份 {value!r} 超出规划期 {first}..{last}",
        )
    if what == "weight":
        return in_lang(
            lang, f"weight for {year} must be a number >= 0, ", f"{year}年的权重应为 >= 0 的数值,"
        ) + got(value, lang)
    return in_lang(lang, "the weights must not all be zero", "权重不能全为零")


def shock_problems(shock: Shock, end: int | None = MAX_END) -> list[Problem]:
    """Problems with one shock, keyed by ``target``, ``years`` or ``factor``."""
    problems: list[Problem] = []
    if not isinstance(shock.target, str) or shock.target not in SHOCK_BY_NAME:
        said = Message(shock_text, what="target", value=shock.target)
        problems.append((("target",), said))
    last_year = MAX_END if end is None else end
    for i, y in enumerate((shock.first, shock.last)):
        if not is_year(y) or not BASE_YEAR < y <= last_year:
            said = Message(shock_text, what="year", value=y, last=i == 1, end=last_year)
            problems.append((("years", i), said))
    if is_year(shock.first) and is_year(shock.last) and shock.last < shock.first:
        said = Message(shock_text, what="order", value=(shock.first, shock.last))
        problems.append((("years",), said))
    lo, hi = SHOCK_FACTOR_RANGE
    if not _is_number(shock.factor) or not lo <= shock.factor <= hi:
        problems.append((("factor",), Message(shock_text, what="factor", value=shock.factor)))
    return problems


def shock_text(lang, what, value=None, last=False, end=MAX_END, missing=()) -> str:
    """A problem of a ``[[shock]]`` table, by ``what``, in ``lang``."""
    lo, hi = SHOCK_FACTOR_RANGE
    if what == "target":
        hint = suggest(value, SHOCK_BY_NAME, lang) if isinstance(value, str) else ""
        targets = ", ".join(SHOCK_BY_NAME)
        return in_lang(
            lang,
            f"unknown target {_shown(value)}{hint}; valid targets: {targets}",
            f"未知的冲击对象 {_shown(value)}{hint};可用:{targets}",
        )
    if what == "year":
        span = f"{BASE_YEAR + 1}..{end}"
        which = in_lang(lang, "last year" if last else "first year", "末年" if last else "首年")
        return in_lang(
            lang, f"{which} must be a year in {span}, ", f"{which}应为 {span} 间的年份,"
        ) + got(value, lang)
    if what == "order":
        first, last_year = value
        return in_lang(
            lang,
            f"years [{first}, {last_year}] are out of order (first, last)",
            f"年份 [{first}, {last_year}] 顺序颠倒(应为 [首年, 末年])",
        )
    if what == "factor":
        return (
            in_lang(
                lang,
                f"must be a number in [{lo:g}, {hi:g}] (1 = no change), ",
                f"应为 [{lo:g}, {hi:g}] 内的数值(1 表示不变),",
            )
            + got(value, lang)
            + _factor_in_percent(value, lang)
        )
    if what == "missing":
        listed = ", ".join(missing)
        return in_lang(
            lang,
            f"missing {listed} (a shock needs target, years = [first, last] and factor; name "
            "is optional)",
            f"缺少 {listed}(冲击需要 target、years = [首年, 末年] 和 factor;name 可省略)",
        )
    if what == "years":
        example = f"[{value}, {value}]" if is_year(value) else "[2022, 2022]"
        return in_lang(
            lang,
            f"must be [first, last], two years, e.g. {example}; ",
            f"应为 [首年, 末年] 两个年份,如 {example};",
        ) + got(value, lang)
    if what == "table":
        return in_lang(
            lang,
            "write each shock as its own [[shock]] table (double brackets) with name, target, "
            "years = [first, last] and factor",
            "每个冲击应单独写成一个 [[shock]] 表(双方括号),含 name、target、"
            "years = [首年, 末年] 和 factor",
        )
    if what == "tables":
        return in_lang(lang, "must be [[shock]] tables, ", "应为 [[shock]] 表,") + got(value, lang)
    return in_lang(lang, "each shock must be a table, ", "每个冲击应为表,") + got(value, lang)


def _factor_in_percent(factor, lang: str = "en") -> str:
    """What a shock's factor written in % may have meant: '; -5 reads as a change in %: for a
    fall of 5 % write 0.95'."""
    lo, hi = SHOCK_FACTOR_RANGE
    if not _is_number(factor) or not -100 <= factor <= 100 * hi or lo <= factor <= hi:
        return ""
    f = f"{factor:g}"
    rise = f"{1 + factor / 100:g}"
    if factor < 0:
        return in_lang(
            lang,
            f"; {f} reads as a change in %: for a fall of {-factor:g} % write {rise}",
            f";{f} 像是以 % 表示的变化:下降 {-factor:g} % 应写 {rise}",
        )
    meant = [
        in_lang(
            lang,
            f"for {f} % of the usual level write {factor / 100:g}",
            f"为通常水平的 {f} % 应写 {factor / 100:g}",
        )
    ]
    if 1 + factor / 100 <= hi:
        meant.append(in_lang(lang, f"for a rise of {f} % write {rise}", f"上升 {f} % 应写 {rise}"))
    return in_lang(
        lang,
        f"; {f} reads as a percentage: {', '.join(meant)}",
        f";{f} 像是百分数:{'、'.join(meant)}",
    )


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


#: The longest title a chart's legend can show.
MAX_TITLE = 40


def title_problems(title) -> list[str]:
    """What is wrong with a scenario's ``title`` or ``title_zh`` (the names charts and tables
    show): a text of 1-40 characters on one line."""
    text = title.strip() if isinstance(title, str) else None
    if text is None or not 0 < len(text) <= MAX_TITLE or any(ord(c) < 32 for c in text):
        return [Message(_title_text, value=title)]
    return []


def _title_text(lang, value) -> str:
    if not isinstance(value, str):
        return in_lang(
            lang,
            f"must be a text (a string) of 1-{MAX_TITLE} characters, ",
            f"应为 1-{MAX_TITLE} 个字符的文本(字符串),",
        ) + got(value, lang)
    return in_lang(
        lang,
        f"must be a text of 1-{MAX_TITLE} characters on one line (the name charts and tables "
        f"show), got {value!r}",
        f"应为一行内 1-{MAX_TITLE} 个字符的文本(图表中显示的名称),实际为 {value!r}",
    )


def is_valid_name(name) -> bool:
    """Whether ``name`` may name a scenario (see :data:`NAME_ALLOWED`)."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME
        and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
        and not name.startswith(".")
        and name.strip() == name
        and not any(c in "/\\" or ord(c) < 32 or 127 <= ord(c) < 160 for c in name)
    )


def _combined_text(lang, target, year, factors) -> str:
    lo, hi = SHOCK_FACTOR_RANGE
    product = " x ".join(f"{f:g}" for f in factors) + f" = {math.prod(factors):g}"
    return in_lang(
        lang,
        f"with the shock(s) before it on {target} in {year}, the factor is {product}, outside "
        f"[{lo:g}, {hi:g}], the range of one shock (shocks on one flow in one year multiply)",
        f"连同其前对 {target} 在{year}年的冲击,系数为 {product},超出单个冲击的范围 "
        f"[{lo:g}, {hi:g}](同一流量同一年的冲击相乘)",
    )


def combined_shock_problems(shocks) -> list[tuple[int, str]]:
    """Shocks on one flow in one year multiply: their product must lie in the range of one
    shock's factor. Returns ``(index of the shock that takes it out, message)`` pairs (one per
    flow), for shocks that are valid one by one."""
    lo, hi = SHOCK_FACTOR_RANGE
    out = []
    by_target: dict[str, list[int]] = {}
    for i, sh in enumerate(shocks):
        by_target.setdefault(sh.target, []).append(i)
    for target, idx in by_target.items():
        if len(idx) < 2:
            continue
        years = sorted({y for i in idx for y in range(shocks[i].first, shocks[i].last + 1)})
        for y in years:
            on = [i for i in idx if shocks[i].first <= y <= shocks[i].last]
            total = 1.0
            for k, i in enumerate(on):
                total *= shocks[i].factor
                if k and not lo <= total <= hi:
                    factors = tuple(shocks[j].factor for j in on[: k + 1])
                    said = Message(_combined_text, target=target, year=y, factors=factors)
                    out.append((i, said))
                    break
            else:
                continue
            break
    return out


def _schedule_shape(value: Schedule) -> str | None:
    """Why a Schedule made in Python is not a tuple of (year, value) pairs (None if it is)."""
    points = value.points
    if not isinstance(points, tuple | list) or not all(
        isinstance(p, tuple | list) and len(p) == 2 for p in points
    ):
        return f"a schedule's points must be (year, value) pairs, {got(points)}"
    if not isinstance(value.step, bool):
        return f"a schedule's step must be True or False, {got(value.step)}"
    return None


def _drawn_parameters(uncertainty) -> list[str]:
    """Parameters an uncertainty (an Uncertainty or its table) draws."""
    if isinstance(uncertainty, Mapping):
        declared = uncertainty.get("parameters")
        return [str(n) for n in declared] if isinstance(declared, Mapping) else []
    if getattr(uncertainty, "is_default", False):
        return []  # the default draws what the scenario leaves free
    return [
        p.name
        for p in getattr(uncertainty, "parameters", ()) or ()
        if getattr(p, "kind", "parameter") == "parameter"
    ]


def data_record_problem(record, data_dir=None) -> str | None:
    """Why a run on the data of ``data_dir`` would not reproduce the run that a ``[data]``
    record (:class:`DataRecord`) describes: a data file that differs (None when they match)."""
    if not isinstance(record, DataRecord) or not record.sha256:
        return None
    data = load_data(data_dir)
    differ = [
        name for name, digest in record.sha256.items() if data.hashes.get(name) != str(digest)
    ]
    if not differ:
        return None
    here = str(data.folder)
    if os.path.normpath(record.folder) == here:
        what = f"the data files of {here} changed since: {', '.join(differ)}"
    else:
        what = f"this run would use {here}, whose {', '.join(differ)} differ"
    return (
        f"[data] the scenario was run with the data folder {record.folder}; {what}, so the "
        f"numbers would differ. Run it with that folder (hubinsim --data {record.folder} ..., "
        "or data_dir=) to reproduce the run, or delete the [data] section to run it on other data"
    )


def scenario_problems(scn, data_dir=None, warn: bool = False) -> list[str]:
    """Every problem of a :class:`Scenario`, whoever made it: the types and values of its
    fields, checked as a scenario file's are, shocks that multiply beyond one shock's range,
    a parameter both fixed and drawn, and data other than those a ``[data]`` record names.
    ``warn``: issue the :class:`UnitWarning` of values that read both as % and as a fraction
    (when the scenario is made; a run checks it again silently)."""

    def quiet(key, message):
        return None

    if not isinstance(scn, Scenario):
        return [
            "scenario: must be a Scenario (from hubinsim.load_scenario or make_scenario) or "
            f"the path of a scenario file, {got(scn)}"
        ]
    problems: list[str] = []
    if not is_valid_name(scn.name):
        problems.append(f"name: must be {NAME_ALLOWED}; {got(scn.name)}")
    if not isinstance(scn.description, str):
        problems.append(f"description: must be a text (a string), {got(scn.description)}")
    for key in ("title", "title_zh"):
        value = getattr(scn, key)
        if value != "":  # (not set)
            problems += [f"{key}: {m}" for m in title_problems(value)]
    time = scn.time
    if not isinstance(time, TimeSettings):
        problems.append(f"time: must be a TimeSettings(end, dt, method), {got(time)}")
        end = MAX_END
    else:
        problems += check_time(time.end, time.dt, time.method)
        end = time.end if is_year(time.end) and BASE_YEAR < time.end <= MAX_END else MAX_END
    if not isinstance(scn.levers, Mapping):
        problems.append(f"levers: must be a table of lever name = value, {got(scn.levers)}")
    else:
        for key, value in scn.levers.items():
            if key == "profile":
                problems.append(
                    "levers: the pool's profile is not a lever value here; pass it as "
                    'profile=... ("early", "even", "late" or {year: weight})'
                )
            elif not isinstance(key, str) or key not in LEVER_BY_NAME:
                hint = suggest(key, LEVER_BY_NAME) if isinstance(key, str) else ""
                problems.append(f"unknown lever {_shown(key)}{hint}; `hubinsim levers` lists them")
            elif isinstance(value, Schedule) and (why := _schedule_shape(value)):
                problems.append(f"{key}: {why}")
            else:
                found = lever_problems(key, value, end, warn=None if warn else quiet)
                problems += [f"{_join(key, k)}: {m}" for k, m in found]
    problems += check_profile(scn.profile)
    if not isinstance(scn.shocks, tuple | list):
        problems.append(f"shocks: must be a list of shocks, {got(scn.shocks)}")
    else:
        valid = []
        for i, sh in enumerate(scn.shocks):
            if not isinstance(sh, Shock):
                problems.append(
                    f"shock #{i + 1}: must be a Shock or a table with target, years = "
                    f"(first, last) and factor, {got(sh)}"
                )
                continue
            found = check_shock(sh, end)
            if not isinstance(sh.name, str):
                found.append(f"shock #{i + 1} name: must be a text (a string), {got(sh.name)}")
            problems += found
            if not found:
                valid.append(sh)
        for i, message in combined_shock_problems(valid):
            where = f"shock {valid[i].name!r}" if valid[i].name else f"shock #{i + 1}"
            problems.append(f"{where} factor: {message}")
    if not isinstance(scn.parameters, Mapping):
        problems.append(f"parameters: must be a table of name = number, {got(scn.parameters)}")
    else:
        params = load_parameters(data_dir)
        for key, value in scn.parameters.items():
            found = parameter_problems(key, value, params, warn=None if warn else quiet)
            problems += [f"parameter {key!r}: {m}" for m in found]
    sections = scn.sections
    if not isinstance(sections, Mapping):
        problems.append(f"sections: must be a table of section name = value, {got(sections)}")
    else:
        fixed = scn.parameters if isinstance(scn.parameters, Mapping) else {}
        for name in _drawn_parameters(sections.get("uncertainty")):
            if name in fixed:
                problems.append(
                    f"[uncertainty] parameters.{name}: is also fixed in [parameters]; keep "
                    "one of the two"
                )
        why = data_record_problem(sections.get("data"), data_dir)
        if why:
            problems.append(why)
    return problems


def check_scenario(scn, data_dir=None) -> Scenario:
    """``scn`` if it is a valid :class:`Scenario` (see :func:`scenario_problems`); else raise
    :class:`ScenarioError` listing every problem, naming its file (or name)."""
    problems = scenario_problems(scn, data_dir)
    if problems:
        source = getattr(scn, "source", None) or getattr(scn, "name", None)
        raise ScenarioError(problems, source=source if isinstance(source, str) else None)
    return scn


#: Keys of a shock given as a table.
SHOCK_KEYS = ("name", "target", "years", "factor")


def _as_shock(item, i: int) -> tuple[Shock | None, list[str]]:
    """A Shock from a Shock or a table (target, years = (first, last), factor, name)."""
    if isinstance(item, Shock):
        return item, []
    if not isinstance(item, Mapping):
        return None, [
            f"shock #{i + 1}: must be a Shock or a table with target, years = (first, last) "
            f"and factor, {got(item)}"
        ]
    problems = [
        f"shock #{i + 1}: unknown key {_shown(k)}{suggest(k, SHOCK_KEYS)}; a shock has "
        f"{', '.join(SHOCK_KEYS)}"
        for k in item
        if k not in SHOCK_KEYS
    ]
    missing = [k for k in ("target", "years", "factor") if k not in item]
    if missing:
        problems.append(
            f"shock #{i + 1}: missing {', '.join(missing)} (a shock needs target, years = "
            "(first, last) and factor; name is optional)"
        )
    years = item.get("years")
    if "years" in item and not (isinstance(years, list | tuple) and len(years) == 2):
        example = f"({years}, {years})" if is_year(years) else "(2022, 2022)"
        problems.append(
            f"shock #{i + 1} years: must be (first, last), two years, e.g. {example}; {got(years)}"
        )
    if problems:
        return None, problems
    first, last = years
    return Shock(item["target"], first, last, item["factor"], item.get("name", "")), []


def make_scenario(
    *,
    name: str = "custom",
    description: str = "",
    title: str = "",
    title_zh: str = "",
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
    ``title`` and ``title_zh`` are the names charts and tables show in English and in Chinese
    (default: the name). The checks are those of a scenario file (:func:`scenario_problems`); raises
    :class:`ScenarioError` listing every problem.
    """
    problems: list[str] = []
    out_levers: dict[str, object] = {}
    if levers is None:
        levers = {}
    if not isinstance(levers, Mapping):
        problems.append(f"levers: must be a table of lever name = value, {got(levers)}")
        levers = {}
    for key, value in levers.items():
        out_levers[key] = to_schedule(value)
    prof = "even" if profile is None else current_profile(profile)
    if isinstance(prof, Mapping):
        prof = profile_pairs(prof)
    out_shocks = []
    if not isinstance(shocks, list | tuple):
        problems.append(f"shocks: must be a list of shocks, {got(shocks)}")
        shocks = ()
    for i, item in enumerate(shocks):
        sh, found = _as_shock(item, i)
        problems += found
        if sh is not None:
            out_shocks.append(sh)
    if parameters is None:
        parameters = {}
    if not isinstance(parameters, Mapping):
        problems.append(f"parameters: must be a table of name = number, {got(parameters)}")
        parameters = {}
    scn = Scenario(
        name=name,
        description=description,
        title=title,
        title_zh=title_zh,
        levers=out_levers,
        profile=prof,
        shocks=tuple(out_shocks),
        parameters=dict(parameters),
        time=TimeSettings(end, dt, method),
    )
    problems += scenario_problems(scn, data_dir, warn=True)
    if problems:
        raise ScenarioError(problems, source=name if isinstance(name, str) else None)
    return replace(scn, time=TimeSettings(end, float(dt), method))


def _year_key(y):
    """A year from a table key: ``2021`` or ``"2021"`` -> 2021; anything else unchanged."""
    if isinstance(y, str) and y.isascii() and y.isdigit() and len(y) <= 4:
        return int(y)
    return y


def profile_pairs(profile: Mapping) -> tuple:
    """A profile's ``{year: weight}`` as (year, weight) pairs, by year where all are years."""
    pairs = tuple((_year_key(y), w) for y, w in profile.items())
    return tuple(sorted(pairs, key=lambda p: p[0])) if all(is_year(y) for y, _ in pairs) else pairs


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
