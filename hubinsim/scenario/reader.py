"""Scenario files (TOML) -> validated :class:`~hubinsim.scenario.settings.Scenario`.

A scenario file is data: it is parsed with :mod:`tomllib` and checked against the catalogue
(:mod:`hubinsim.catalog`); nothing in it is ever evaluated. The format is described in
DESIGN.md ("Scenario files"); in short::

    [scenario]      name, title, title_zh, description, extends = "baseline.toml" (relative
                    to this file)
    [time]          end, dt, method
    [investment]    plan_realisation, profile, realisation = { services = 0.8, ... }
    [population] [consumption] [industry] [innovation] [fiscal] [prices]
                    one key per lever (each lever lives in its catalogue section): a number,
                    a table of year = value (linear between years, flat outside them), or
                    { step = { year = value, ... } } (each value holds from the start of its year)
    [[shock]]       name, target, years = [first, last], factor
    [parameters]    "group.name" = number

Inheritance: ``extends`` may chain to any depth. The parent is read first and the child
overrides it key by key: a lever (or one category's realisation, a time setting, a
parameter) set in the child replaces the parent's; shocks accumulate, parent first.
``name``, ``title``, ``title_zh`` and ``description`` are never inherited: they describe the
file that sets them (the name defaults to the file's stem; ``title`` and ``title_zh``, the
names charts and tables show in English and in Chinese, default to the name).

Errors: every problem of the file and of the files it extends is collected and raised as
one :class:`~hubinsim.errors.ScenarioError`, one line per problem::

    scenarios/bad.toml:12: [consumption] vouchres: unknown lever (did you mean 'vouchers'?); ...

that is ``file:line: [section] key: what is wrong and what is allowed``. Nothing but
ScenarioError leaves :func:`load_scenario` for bad input (a missing file, a folder, bytes
that are not UTF-8, broken TOML included).

The files are read by :mod:`hubinsim.scenario.extends` (bytes, TOML, the ``extends`` chain,
line numbers); this module interprets them. Sections other than the core ones, such as
``[uncertainty]``, are read by the handlers of :mod:`hubinsim.scenario.sections`;
:func:`hubinsim.scenario.resolved.resolved_toml` writes a scenario back.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import LEVER_BY_NAME, LEVERS, POOL_CATEGORIES, SECTIONS, closest, suggest
from ..data import load_parameters
from ..errors import (
    HubinsimError,
    Message,
    ScenarioError,
    UnitWarning,
    error_text,
    in_lang,
    text_in,
)
from ..model.inputs import BASE_YEAR, Schedule
from .extends import Layer, Problems, read_chain
from .sections import handler, section_names
from .settings import (
    DEFAULT_DT,
    DEFAULT_END,
    DEFAULT_METHOD,
    MAX_END,
    MAX_NAME,
    MAX_NAME_BYTES,
    NAME_ALLOWED,
    SHOCK_KEYS,
    Problem,
    Scenario,
    Shock,
    TimeSettings,
    combined_shock_problems,
    current_profile,
    got,
    is_valid_name,
    is_year,
    lever_allowed,
    lever_problems,
    parameter_problems,
    profile_problems,
    profile_text,
    shock_problems,
    shock_text,
    time_problems,
    title_problems,
)

SCENARIO_KEYS = ("name", "title", "title_zh", "description", "extends")
TIME_KEYS = ("end", "dt", "method")
INVESTMENT_KEYS = ("profile", "realisation")


@dataclass
class _Set:
    """A value with the file and the key that set it."""

    value: object
    layer: Layer
    key: tuple


@dataclass
class _Merged:
    time: dict[str, _Set] = field(default_factory=dict)
    levers: dict[str, _Set] = field(default_factory=dict)
    profile: _Set | None = None
    shocks: list[_Set] = field(default_factory=list)
    parameters: dict[str, _Set] = field(default_factory=dict)
    sections: dict[str, dict[str, _Set]] = field(default_factory=dict)
    #: Warnings with their file and line (values that read both as % and as a fraction).
    notes: Problems = field(default_factory=Problems)

    def warner(self, layer: Layer, key: tuple):
        """A ``warn`` for the checks of :mod:`.settings`: notes at ``key`` + the sub-key."""
        return lambda sub, message: self.notes.add(layer, key + tuple(sub), message)


def _section_list() -> str:
    return ", ".join("[[shock]]" if s == "shock" else f"[{s}]" for s in section_names())


def _home(name: str, params: Mapping) -> str | None:
    """Where a known name belongs, as a phrase, or None."""
    return _home_text("en", name, params)


def _home_text(lang: str, name: str, params) -> str | None:
    """Where a known name belongs, as a phrase of ``lang``, or None."""
    if name in LEVER_BY_NAME:
        section = LEVER_BY_NAME[name].section
        return in_lang(
            lang,
            f"the lever {name!r} belongs in [{section}]",
            f"调节项 {name!r} 应写在 [{section}] 下",
        )
    if name in params:
        return in_lang(
            lang,
            f"{name!r} is a structural parameter: set it under [parameters]",
            f"{name!r} 是结构参数:请写在 [parameters] 下",
        )
    for keys, section in (
        (TIME_KEYS, "[time]"),
        (SCENARIO_KEYS, "[scenario]"),
        (INVESTMENT_KEYS, "[investment]"),
    ):
        if name in keys:
            return in_lang(lang, f"{name!r} belongs in {section}", f"{name!r} 应写在 {section} 下")
    if name in ("target", "years", "factor"):
        return in_lang(
            lang, f"{name!r} belongs in a [[shock]] table", f"{name!r} 应写在 [[shock]] 表中"
        )
    return None


def _closest(name: str, here: tuple[str, ...], params, lang: str = "en") -> str:
    """Suggestions: names allowed here first, else levers elsewhere (saying where)."""
    hint = suggest(name, here, lang)
    if hint:
        return hint
    close = closest(name, [lv.name for lv in LEVERS], n=2)
    if close:
        if lang == "zh":
            named = "、".join(f"{c!r}([{LEVER_BY_NAME[c].section}] 的调节项)" for c in close)
            return f"(是否指 {named}?)"
        return (
            " (did you mean "
            + ", ".join(f"{c!r}, a lever of [{LEVER_BY_NAME[c].section}]" for c in close)
            + "?)"
        )
    return suggest(name, params, lang)


#: What an unknown name was taken for, in English and Chinese.
_WHAT_ZH = {"key": "键", "lever": "调节项", "section": "节", "category": "类别"}


def _unknown_text(lang, name, here, params, what, hints=True) -> str:
    """ "unknown lever (did you mean ...?); allowed here: ..." or "not allowed here: it
    belongs in ..." in ``lang``."""
    home = _home_text(lang, name, params)
    if home:
        return in_lang(lang, f"not allowed here: {home}", f"此处不允许:{home}")
    hint = _closest(name, here, params, lang) if hints else ""
    if lang == "zh":
        allowed = "、".join(here) if here else "无"
        return f"未知的{_WHAT_ZH.get(what, what)}{hint};此处可用:{allowed}"
    allowed = ", ".join(here) if here else "nothing"
    return f"unknown {what}{hint}; allowed here: {allowed}"


#: Problems of a file after which an unknown name gets no suggestion (finding the closest
#: names is the costly part of a message, and only the first problems are shown).
HINTS_UP_TO = 500


def _unknown(layer, key, name, here, problems, params, what):
    if not isinstance(name, str):
        name = str(name)
    hints = len(problems.items) < HINTS_UP_TO
    facts = {"name": name, "here": tuple(here), "params": tuple(params), "what": what}
    facts["hints"] = hints
    problems.add(layer, key, Message(_unknown_text, **facts))


def _misplaced_text(lang, what, name=None, value=None, params=(), where=None) -> str:
    """A key that is not what its place holds, by ``what``, in ``lang``."""
    cats = ", ".join(POOL_CATEGORIES)
    if what == "parameter":
        home = _home_text(lang, name, params)
        return in_lang(lang, f"not a parameter: {home}", f"不是参数:{home}")
    if what == "fixed":
        return in_lang(
            lang,
            f"is also fixed in [parameters] ({where}); keep one of the two",
            f"也在 [parameters] 中固定({where});二者只保留其一",
        )
    if what == "realisation":
        return in_lang(
            lang,
            "must be a table of pool category = share in [0, 1], e.g. "
            f"{{ services = 0.8 }}; categories: {cats}; ",
            f"应为 项目库类别 = [0, 1] 内份额 的表,如 {{ services = 0.8 }};类别:{cats};",
        ) + got(value, lang)
    if what == "category":
        hint = suggest(name, POOL_CATEGORIES, lang)
        return in_lang(
            lang,
            f"unknown pool category{hint}; categories: {cats}",
            f"未知的项目库类别{hint};类别:{cats}",
        )
    if what == "twice":
        return in_lang(
            lang,
            f"set twice: here and as {name} in [investment]",
            f"重复设置:此处和 [investment] 中的 {name}",
        )
    return in_lang(  # profile_key
        lang,
        f"profile keys must be years 2021..2025, got {name!r}",
        f"profile 的键应为 2021..2025 间的年份,实际为 {name!r}",
    )


def _name_text(lang, value) -> str:
    allowed = in_lang(
        lang,
        NAME_ALLOWED,
        f"简短的文本(1-{MAX_NAME} 个字符,UTF-8 下至多 {MAX_NAME_BYTES} 字节,不含斜杠或控制字符,"
        "不以 '.' 或空格开头):它是运行文件夹的名称",
    )
    return in_lang(lang, f"must be {allowed}; ", f"应为{allowed};") + got(value, lang)


def _string_text(lang, value) -> str:
    return in_lang(lang, "must be a text (a string), ", "应为文本(字符串),") + got(value, lang)


def _table_text(lang, head, value) -> str:
    return in_lang(
        lang,
        f"must be a table: write [{head}] on its own line, then key = value lines; ",
        f"应为表:请单独一行写 [{head}],其下逐行写 键 = 值;",
    ) + got(value, lang)


def _table(layer, key, value, problems) -> dict | None:
    if isinstance(value, dict):
        return value
    problems.add(layer, key, Message(_table_text, head=key[-1], value=value))
    return None


def _year_key_text(lang, key, step) -> str:
    hint = suggest(key, ["step"], lang) if not step else ""
    return in_lang(
        lang,
        f"schedule keys must be years such as 2025, got {key!r}{hint}",
        f"逐年表的键应为年份(如 2025),实际为 {key!r}{hint}",
    )


def _takes_text(lang, said, name) -> str:
    """A problem of a lever's schedule, then what the lever takes."""
    takes = lever_allowed(name, lang)
    return in_lang(
        lang, f"{said}; {name} takes {takes}", f"{text_in(said, lang)};{name} 接受{takes}"
    )


_YEAR_KEY = re.compile(r"[0-9]{4}")


def _schedule(raw: dict) -> tuple[Schedule | None, list[Problem]]:
    """A schedule from a TOML table (year = value, or step = { year = value })."""
    table, step = raw, False
    if "step" in raw:
        others = [k for k in raw if k != "step"]
        if others:
            return None, [
                (
                    (others[0],),
                    "a step schedule is written { step = { year = value, ... } } "
                    "with nothing else beside 'step'",
                )
            ]
        if not isinstance(raw["step"], dict):
            return None, [(("step",), f"must be a table of year = value, {got(raw['step'])}")]
        table, step = raw["step"], True
    pre = ("step",) if step else ()
    points, problems = [], []
    for y, v in table.items():
        if not _YEAR_KEY.fullmatch(y):
            problems.append((pre + (y,), Message(_year_key_text, key=y, step=step)))
        else:
            points.append((int(y), v))
    if problems:
        return None, problems
    if not points:
        return None, [((), "a schedule needs at least one year = value pair")]
    return Schedule(tuple(points), step), []


def _read_meta(layer, table, problems, params) -> None:
    for k, v in table.items():
        key = ("scenario", k)
        if k not in SCENARIO_KEYS:
            _unknown(layer, key, k, SCENARIO_KEYS, problems, params, "key")
        elif k == "name":
            if not is_valid_name(v):
                problems.add(layer, key, Message(_name_text, value=v))
        elif k == "description" and not isinstance(v, str):
            problems.add(layer, key, Message(_string_text, value=v))
        elif k in ("title", "title_zh"):
            for message in title_problems(v):
                problems.add(layer, key, message)


def _read_time(layer, table, merged, problems, params) -> None:
    defaults = {"end": DEFAULT_END, "dt": DEFAULT_DT, "method": DEFAULT_METHOD}
    for k, v in table.items():
        key = ("time", k)
        if k not in TIME_KEYS:
            _unknown(layer, key, k, TIME_KEYS, problems, params, "key")
            continue
        trial = dict(defaults, **{k: v})
        bad = [m for sub, m in time_problems(**trial) if sub == (k,)]
        for m in bad:
            problems.add(layer, key, m)
        if not bad:
            merged.time[k] = _Set(v, layer, key)


def _read_profile(layer, key, raw, merged, problems) -> None:
    if isinstance(raw, dict):
        bad = [y for y in raw if not _YEAR_KEY.fullmatch(y)]
        for y in bad:
            problems.add(layer, key + (y,), Message(_misplaced_text, what="profile_key", name=y))
        if bad:
            return
        prof = tuple((int(y), w) for y, w in raw.items())
    elif isinstance(raw, str):
        prof = raw
    else:
        problems.add(layer, key, Message(profile_text, what="shape", value=raw))
        return
    errs = profile_problems(prof)
    for sub, m in errs:
        problems.add(layer, key + sub, m)
    if not errs:
        merged.profile = _Set(current_profile(prof, stacklevel=4), layer, key)


def _read_lever(layer, key, name, raw, merged, problems) -> None:
    value = raw
    if isinstance(raw, dict):
        value, errs = _schedule(raw)
        if value is None:
            for sub, m in errs:
                problems.add(layer, key + sub, Message(_takes_text, said=m, name=name))
            return
    for sub, m in lever_problems(name, value, end=None, warn=merged.warner(layer, key)):
        problems.add(layer, key + sub, m)
    # kept even when invalid, so that the years are also checked against the run
    merged.levers[name] = _Set(value, layer, key)


def _read_section(layer, section, table, merged, problems, params) -> None:
    here = tuple(lv.name for lv in LEVERS if lv.section == section)
    if section == "investment":
        here = ("plan_realisation", "profile", "realisation") + tuple(
            n for n in here if n != "plan_realisation"
        )
    from_table: set[str] = set()
    for name, raw in table.items():
        key = (section, name)
        if section == "investment" and name == "profile":
            _read_profile(layer, key, raw, merged, problems)
        elif section == "investment" and name == "realisation":
            if not isinstance(raw, dict):
                problems.add(layer, key, Message(_misplaced_text, what="realisation", value=raw))
                continue
            for cat, share in raw.items():
                if cat not in POOL_CATEGORIES:
                    said = Message(_misplaced_text, what="category", name=cat)
                    problems.add(layer, key + (cat,), said)
                    continue
                lever = f"realisation_{cat}"
                if lever in table:
                    said = Message(_misplaced_text, what="twice", name=lever)
                    problems.add(layer, key + (cat,), said)
                    continue
                from_table.add(lever)
                _read_lever(layer, key + (cat,), lever, share, merged, problems)
        elif name in LEVER_BY_NAME and LEVER_BY_NAME[name].section == section:
            _read_lever(layer, key, name, raw, merged, problems)
        else:
            _unknown(layer, key, name, here, problems, params, "lever")


def _read_shocks(layer, raw, merged, problems, params) -> None:
    if isinstance(raw, dict):
        problems.add(layer, ("shock",), Message(shock_text, what="table"), section=True)
        return
    if not isinstance(raw, list):
        problems.add(layer, ("shock",), Message(shock_text, what="tables", value=raw))
        return
    for i, item in enumerate(raw):
        key = ("shock", i)
        if not isinstance(item, dict):
            problems.add(layer, key, Message(shock_text, what="each", value=item))
            continue
        for k in item:
            if k not in SHOCK_KEYS:
                _unknown(layer, key + (k,), k, SHOCK_KEYS, problems, params, "key")
        missing = [k for k in ("target", "years", "factor") if k not in item]
        if missing:
            problems.add(layer, key, Message(shock_text, what="missing", missing=tuple(missing)))
        name = item.get("name", "")
        if not isinstance(name, str):
            problems.add(layer, key + ("name",), Message(_string_text, value=name))
        years = item.get("years")
        first = last = None
        if "years" in item:
            if isinstance(years, list) and len(years) == 2:
                first, last = years
            else:
                said = Message(shock_text, what="years", value=years)
                problems.add(layer, key + ("years",), said)
        shock = Shock(item.get("target"), first, last, item.get("factor"), name)
        for sub, m in shock_problems(shock, end=None):
            if sub[0] in item and (sub[0] != "years" or first is not None):
                problems.add(layer, key + sub, m)
        if is_year(first) and is_year(last):  # checked against the run even if invalid
            merged.shocks.append(_Set(shock, layer, key))


def _read_parameters(layer, table, merged, problems, params) -> None:
    def walk(tbl: dict, parts: list[str], key: tuple) -> None:
        for k, v in tbl.items():
            name = ".".join([*parts, k])
            if isinstance(v, dict) and name not in params:
                walk(v, [*parts, k], key + (k,))
                continue
            if name in LEVER_BY_NAME:
                said = Message(_misplaced_text, what="parameter", name=name, params=tuple(params))
                problems.add(layer, key + (k,), said)
                continue
            msgs = parameter_problems(name, v, params, merged.warner(layer, key + (k,)))
            for m in msgs:
                problems.add(layer, key + (k,), m)
            if not msgs:
                merged.parameters[name] = _Set(v, layer, key + (k,))

    walk(table, [], ("parameters",))


def _read_layer(layer: Layer, merged: _Merged, problems: Problems, params) -> None:
    for top, value in layer.doc.items():
        key = (top,)
        if top == "scenario":
            if (table := _table(layer, key, value, problems)) is not None:
                _read_meta(layer, table, problems, params)
        elif top == "time":
            if (table := _table(layer, key, value, problems)) is not None:
                _read_time(layer, table, merged, problems, params)
        elif top in SECTIONS:
            if (table := _table(layer, key, value, problems)) is not None:
                _read_section(layer, top, table, merged, problems, params)
        elif top == "shock":
            _read_shocks(layer, value, merged, problems, params)
        elif top == "parameters":
            if (table := _table(layer, key, value, problems)) is not None:
                _read_parameters(layer, table, merged, problems, params)
        elif handler(top) is not None:
            if (table := _table(layer, key, value, problems)) is not None:
                target = merged.sections.setdefault(top, {})
                for k, v in table.items():
                    target[k] = _Set(v, layer, (top, k))
        elif isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            said = Message(_section_text, name=top, params=tuple(params), table=True)
            problems.add(layer, key, said, section=True)
        else:
            problems.add(layer, key, Message(_section_text, name=top, params=tuple(params)))


def _section_text(lang, name, params, table=False) -> str:
    """A table that is no section (``table``), or a key outside any section, in ``lang``."""
    home = _home_text(lang, name, params)
    if table and home:
        return in_lang(lang, f"not a section: {home}", f"不是节:{home}")
    if table:
        hint = suggest(name, section_names(), lang)
        return in_lang(
            lang,
            f"unknown section{hint}; sections: {_section_list()}",
            f"未知的节{hint};可用的节:{_section_list()}",
        )
    if home:
        return in_lang(lang, f"outside any section: {home}", f"不在任何节内:{home}")
    hint = _closest(name, section_names(), params, lang)
    return in_lang(
        lang,
        f"unknown key outside any section{hint}; every setting goes under a [section] header",
        f"不在任何节内的未知键{hint};每项设置都应写在某个 [节] 标题下",
    )


def _beyond_text(lang, year, schedule, end, set_in) -> str:
    """A year of a schedule or a shock beyond the run's end (``set_in`` the file that sets
    ``[time] end``, None for the default), in ``lang``."""
    if lang == "zh":
        whence = f"默认终止年 {end}" if set_in is None else f"{set_in} 中的 [time] end = {end}"
        if schedule:
            return f"逐年表的年份 {year} 超出运行期 {BASE_YEAR}..{end}({whence})"
        return f"年份 {year} 晚于运行的终止年 {end}({whence})"
    whence = f"the default end {end}" if set_in is None else f"[time] end = {end} in {set_in}"
    if schedule:
        return f"schedule year {year} is outside the run {BASE_YEAR}..{end} ({whence})"
    return f"year {year} is after the end of the run, {end} ({whence})"


def _run_checks(merged: _Merged, problems: Problems) -> int:
    """Checks that need the whole chain: schedule and shock years within the run."""
    end_set = merged.time.get("end")
    end = end_set.value if end_set else DEFAULT_END
    whence = {"end": end, "set_in": None if end_set is None else end_set.layer.shown}
    for s in merged.levers.values():
        if not isinstance(s.value, Schedule):
            continue
        pre = ("step",) if s.value.step else ()
        for y, _ in s.value.points:
            if is_year(y) and not BASE_YEAR <= y <= end:
                said = Message(_beyond_text, year=y, schedule=True, **whence)
                problems.add(s.layer, s.key + pre + (str(y),), said)
    for s in merged.shocks:
        sh = s.value
        for i, y in enumerate((sh.first, sh.last)):
            if BASE_YEAR < y <= MAX_END and y > end:
                said = Message(_beyond_text, year=y, schedule=False, **whence)
                problems.add(s.layer, s.key + ("years", i), said)
    valid = [s for s in merged.shocks if not shock_problems(s.value, end)]
    for i, message in combined_shock_problems([s.value for s in valid]):
        problems.add(valid[i].layer, valid[i].key + ("factor",), message)
    return end


def _fixed_and_drawn(merged: _Merged, problems: Problems) -> None:
    """A parameter fixed in [parameters] cannot also be drawn in [uncertainty.parameters]:
    the draws would replace the value the file states."""
    declared = merged.sections.get("uncertainty", {}).get("parameters")
    if declared is None or not isinstance(declared.value, dict):
        return
    for name in declared.value:
        fixed = merged.parameters.get(name)
        if fixed is not None:
            line = fixed.layer.line(fixed.key)
            where = f"{fixed.layer.shown}:{line}" if line else fixed.layer.shown
            said = Message(_misplaced_text, what="fixed", where=where)
            problems.add(declared.layer, ("uncertainty", "parameters", name), said)


def load_scenario(path, data_dir=None, lang: str = "en") -> Scenario:
    """Read and validate a scenario file (and the files it extends).

    Parameters
    ----------
    path : str or path-like
        The TOML file.
    data_dir : path, optional
        Folder of the data files (for the parameter catalogue).
    lang : {"en", "zh"}
        The language of the error's message (``exc.text(lang)`` says it in the other).

    Raises
    ------
    ScenarioError
        Listing every problem of the file and its ancestors, each with file, line and key.
    """
    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise ScenarioError(f"not a file path: {path!r}", lang=lang) from None
    shown = str(path)
    try:
        chain, problems = read_chain(path, shown)
    except ScenarioError as exc:
        exc.lang = lang
        raise
    params = load_parameters(data_dir)
    merged = _Merged()
    for layer in chain:
        _read_layer(layer, merged, problems, params)
    end = _run_checks(merged, problems)
    _fixed_and_drawn(merged, problems)
    for note in merged.notes.messages():
        warnings.warn(note, UnitWarning, stacklevel=2)
    top = chain[-1]
    meta = top.doc.get("scenario") if isinstance(top.doc.get("scenario"), dict) else {}
    sections = {}
    for name, table in merged.sections.items():
        value, errs = handler(name).parse({k: s.value for k, s in table.items()}, data_dir)
        for sub, m in errs:
            origin = table.get(sub[0]) if sub else None
            if origin is not None:
                problems.add(origin.layer, (name,) + tuple(sub), m)
            else:
                problems.add(top, (name,), m, section=True)
        sections[name] = value
    if problems.items:
        messages = problems.messages()
        if len(messages) == 1:
            err = ScenarioError(messages, lang=lang)
            err.source = shown
            raise err
        raise ScenarioError(messages, source=shown, lang=lang)
    name = meta.get("name")
    description = meta.get("description", "")
    titles = {k: meta[k].strip() for k in ("title", "title_zh") if isinstance(meta.get(k), str)}
    time = {k: s.value for k, s in merged.time.items()}
    return Scenario(
        name=name if isinstance(name, str) else path.stem,
        description=description.strip() if isinstance(description, str) else "",
        **titles,
        levers={k: s.value for k, s in merged.levers.items()},
        profile=merged.profile.value if merged.profile else "even",
        shocks=tuple(s.value for s in merged.shocks),
        parameters={k: s.value for k, s in merged.parameters.items()},
        time=TimeSettings(
            end, float(time.get("dt", DEFAULT_DT)), time.get("method", DEFAULT_METHOD)
        ),
        source=shown,
        extends=tuple(str(lay.path.resolve()) for lay in reversed(chain[:-1])),
        sections=sections,
        files=tuple((str(lay.path.resolve()), lay.sha256) for lay in reversed(chain)),
    )


def load_scenarios(paths, data_dir=None, lang: str = "en") -> list[Scenario]:
    """Read and validate several scenario files; every problem of every file is reported
    before anything runs, in one :class:`~hubinsim.errors.ScenarioError` that names each
    file (in ``lang``; a file's own problems are said in either language)."""
    problems, scenarios = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path, data_dir, lang))
        except ScenarioError as exc:
            if str(path) not in str(exc):  # the message must say which file is at fault
                exc = ScenarioError(exc.problems, source=str(path), lang=lang)
            problems.append(Message(error_text, error=exc))
        except HubinsimError as exc:
            problems.append(Message(error_text, error=exc))
    if problems:
        raise ScenarioError([Message(_lines_text, said=tuple(problems))], lang=lang)
    return scenarios


def _lines_text(lang, said) -> str:
    return "\n".join(text_in(m, lang) for m in said)
