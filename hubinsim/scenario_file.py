"""Scenario files (TOML) -> validated :class:`~hubinsim.scenario.Scenario`, and back.

A scenario file is data: it is parsed with :mod:`tomllib` and checked against the catalogue
(:mod:`hubinsim.catalog`); nothing in it is ever evaluated. The format is described in
DESIGN.md ("Scenario files"); in short::

    [scenario]      name, description, extends = "baseline.toml" (relative to this file)
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
``name`` and ``description`` are never inherited: they describe the file that sets them
(the name defaults to the file's stem).

Errors: every problem of the file and of the files it extends is collected and raised as
one :class:`~hubinsim.errors.ScenarioError`, one line per problem::

    scenarios/bad.toml:12: [consumption] vouchres: unknown lever (did you mean 'vouchers'?); ...

that is ``file:line: [section] key: what is wrong and what is allowed``. Nothing but
ScenarioError leaves :func:`load_scenario` for bad input (a missing file, a folder, bytes
that are not UTF-8, broken TOML included).

:func:`resolved_toml` writes the fully resolved scenario (every value a run uses, no
``extends``); loading it back reproduces the run exactly.

Later sections (``[uncertainty]``) plug in through :func:`register_section`.
"""

from __future__ import annotations

import bisect
import difflib
import numbers
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__
from .catalog import LEVER_BY_NAME, LEVERS, POOL_CATEGORIES, PROFILES, SECTIONS, SHOCK_BY_NAME
from .errors import ScenarioError
from .model.inputs import BASE_YEAR, Schedule
from .scenario import (
    DEFAULT_DT,
    DEFAULT_END,
    DEFAULT_METHOD,
    MAX_END,
    PROFILE_ALLOWED,
    Problem,
    Scenario,
    Shock,
    TimeSettings,
    _got,
    _is_year,
    lever_allowed,
    lever_problems,
    parameter_problems,
    profile_problems,
    shock_problems,
    suggest,
    time_problems,
)

__all__ = ["load_scenario", "resolved_toml", "register_section", "SectionHandler"]

SCENARIO_KEYS = ("name", "description", "extends")
TIME_KEYS = ("end", "dt", "method")
SHOCK_KEYS = ("name", "target", "years", "factor")
INVESTMENT_KEYS = ("profile", "realisation")
MAX_NAME = 100
#: Largest scenario file read (scenario files are a few kilobytes).
MAX_FILE_BYTES = 2**20
#: Most UTF-8 bytes of a name: it is a folder name (255 bytes) with room for a temporary suffix.
MAX_NAME_BYTES = 200


# --------------------------------------------------------------------------- extension hook


@dataclass(frozen=True)
class SectionHandler:
    """An extra top-level section of scenario files (for example ``[uncertainty]``).

    ``parse(table, data_dir)`` receives the section's table after inheritance (children
    override parents key by key) and the data folder given to :func:`load_scenario` (None
    for the default), and returns ``(value, problems)``, where ``problems`` are
    ``(key path inside the section, message)`` pairs; ``value`` is stored in
    ``Scenario.sections[name]``. ``write(value)`` returns the TOML text of the section for
    :func:`resolved_toml` (header included), or None to leave it out.
    """

    name: str
    parse: Callable[[dict, object], tuple[object, list[Problem]]]
    write: Callable[[object], str | None] | None = None


_HANDLERS: dict[str, SectionHandler] = {}

#: Sections announced in DESIGN.md that this version does not read yet.
PLANNED_SECTIONS: dict[str, str] = {
    "uncertainty": "ranges of levers and parameters for ensemble runs (--draws)",
}


#: Modules that register a planned section when imported (imported on first use).
_PROVIDERS: dict[str, str] = {"uncertainty": "hubinsim.uncertainty"}


def _handler(name: str) -> SectionHandler | None:
    """The handler of an extension section, importing the module that provides it."""
    if name not in _HANDLERS and name in _PROVIDERS:
        import importlib

        try:
            importlib.import_module(_PROVIDERS[name])
        except ImportError:
            return None
    return _HANDLERS.get(name)


def register_section(
    name: str,
    parse: Callable[[dict, object], tuple[object, list[Problem]]],
    write: Callable[[object], str | None] | None = None,
) -> None:
    """Let scenario files carry the top-level section ``[name]`` (see :class:`SectionHandler`)."""
    core = ("scenario", "time", "shock", "parameters", *SECTIONS)
    if name in core:
        raise ValueError(f"[{name}] is a core section of scenario files")
    _HANDLERS[name] = SectionHandler(name, parse, write)


# --------------------------------------------------------------------------- key positions

_BARE = re.compile(r"[A-Za-z0-9_-]+")


def key_lines(text: str) -> dict[tuple, int]:
    """Line (1-based) of every key and table header of a valid TOML document.

    tomllib reports no positions, so the text is scanned once: keys are paths as tomllib
    would nest them (``("investment", "realisation", "services")``, ``("shock", 0,
    "factor")``), including keys of inline tables, quoted and dotted keys, and array
    elements (by index). Strings, multi-line strings and comments are skipped.
    """
    return _Scanner(text).run()


class _Scanner:
    def __init__(self, text: str):
        self.s = text
        self.n = len(text)
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.out: dict[tuple, int] = {}

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def record(self, path: tuple, pos: int) -> None:
        self.out.setdefault(path, self.line(pos))

    def skip(self, i: int, newlines: bool) -> int:
        s, n = self.s, self.n
        while i < n:
            c = s[i]
            if c in " \t\r" or (newlines and c == "\n"):
                i += 1
            elif c == "#" and newlines:
                while i < n and s[i] != "\n":
                    i += 1
            else:
                break
        return i

    def string_end(self, i: int) -> int:
        """Index just past the string starting at ``i``."""
        s, n = self.s, self.n
        for delim in ('"""', "'''"):
            if s.startswith(delim, i):
                j = i + 3
                while j < n:
                    if delim == '"""' and s[j] == "\\":
                        j += 2
                    elif s.startswith(delim, j):
                        k = j
                        while k < n and s[k] == delim[0] and k - j < 5:
                            k += 1
                        return k
                    else:
                        j += 1
                return n
        q = s[i]
        j = i + 1
        while j < n and s[j] != q and s[j] != "\n":
            j += 2 if (q == '"' and s[j] == "\\") else 1
        return min(j + 1, n)

    def key(self, i: int) -> tuple[list[str], int]:
        parts = []
        s = self.s
        while True:
            i = self.skip(i, newlines=False)
            if i < self.n and s[i] in "\"'":
                j = self.string_end(i)
                try:
                    parts.append(tomllib.loads("k = " + s[i:j])["k"])
                except (tomllib.TOMLDecodeError, KeyError):
                    parts.append(s[i + 1 : j - 1])
                i = j
            else:
                m = _BARE.match(s, i)
                if not m:
                    return parts, i
                parts.append(m.group())
                i = m.end()
            i = self.skip(i, newlines=False)
            if i < self.n and s[i] == ".":
                i += 1
                continue
            return parts, i

    def value(self, i: int, path: tuple) -> int:
        s, n = self.s, self.n
        if i >= n:
            return i
        c = s[i]
        if c == "{":
            i += 1
            while True:
                i = self.skip(i, newlines=True)
                if i >= n or s[i] == "}":
                    return i + 1
                start = i
                parts, i = self.key(i)
                if not parts:
                    return i + 1
                self.assign(path, parts, start)
                i = self.skip(i, newlines=False)
                if i < n and s[i] == "=":
                    i += 1
                i = self.value(self.skip(i, newlines=False), path + tuple(parts))
                i = self.skip(i, newlines=True)
                if i < n and s[i] == ",":
                    i += 1
        if c == "[":
            i += 1
            idx = 0
            while True:
                i = self.skip(i, newlines=True)
                if i >= n or s[i] == "]":
                    return i + 1
                self.record(path + (idx,), i)
                before = i
                i = self.value(i, path + (idx,))
                idx += 1
                i = self.skip(i, newlines=True)
                if i < n and s[i] == ",":
                    i += 1
                elif i == before:
                    return i + 1
        if c in "\"'":
            return self.string_end(i)
        while i < n and s[i] not in ",]}\n#":
            i += 1
        return i

    def assign(self, table: tuple, parts: list[str], pos: int) -> None:
        for k in range(1, len(parts) + 1):
            self.record(table + tuple(parts[:k]), pos)

    def run(self) -> dict[tuple, int]:
        s, n = self.s, self.n
        table: tuple = ()
        arrays: dict[tuple, int] = {}
        i = 0
        while i < n:
            i = self.skip(i, newlines=True)
            if i >= n:
                break
            start = i
            if s[i] == "[":
                double = s.startswith("[[", i)
                parts, i = self.key(i + (2 if double else 1))
                path: tuple = ()
                for k, part in enumerate(parts):
                    path = path + (part,)
                    if path in arrays and not (double and k == len(parts) - 1):
                        path = path + (arrays[path] - 1,)
                    self.record(path, start)
                if double:
                    arrays[path] = arrays.get(path, 0) + 1
                    path = path + (arrays[path] - 1,)
                    self.record(path, start)
                table = path
                i = self.skip(i, newlines=False)
                i += 2 if double else 1
            else:
                parts, i = self.key(i)
                if not parts:  # not a key: skip the line (cannot happen in valid TOML)
                    while i < n and s[i] != "\n":
                        i += 1
                    continue
                self.assign(table, parts, start)
                i = self.skip(i, newlines=False)
                if i < n and s[i] == "=":
                    i += 1
                i = self.value(self.skip(i, newlines=False), table + tuple(parts))
            while i < n and s[i] != "\n":  # the rest of the line: spaces and a comment
                i += 1
        return self.out


# --------------------------------------------------------------------------- reading files


@dataclass
class _Layer:
    """One file of the extends chain."""

    path: Path
    shown: str  # the path as the user knows it
    doc: dict
    lines: dict[tuple, int] = field(default_factory=dict)
    order: int = 0  # 0 for the farthest ancestor

    def line(self, key: tuple) -> int | None:
        for k in range(len(key), 0, -1):
            if key[:k] in self.lines:
                return self.lines[key[:k]]
        return None


def _quote(key) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    key = str(key)
    if _BARE.fullmatch(key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(key: tuple, section: bool = False) -> str:
    """How a key path is shown: ``[consumption] vouchers``, ``[[shock]] #2 factor``."""
    if not key:
        return ""
    head, rest = key[0], key[1:]
    if head == "shock" and rest and isinstance(rest[0], int):
        out = f"[[shock]] #{rest[0] + 1}"
        rest = rest[1:]
    elif not rest:
        return f"[{_quote(head)}]" if section else _quote(head)
    else:
        out = f"[{_quote(head)}]"
    if rest:
        tail = _quote(rest[0]) + "".join(
            _quote(k) if isinstance(k, int) else "." + _quote(k) for k in rest[1:]
        )
        out += " " + tail
    return out


class _Problems:
    """Problems collected over the files of a chain, each with its file and line."""

    def __init__(self):
        self.items: list[tuple[_Layer | None, int, str]] = []

    def add(self, layer: _Layer, key: tuple, message: str, section: bool = False) -> None:
        line = layer.line(key)
        where = f"{layer.shown}:{line}" if line else layer.shown
        label = _label(key, section)
        text = f"{where}: {label}: {message}" if label else f"{where}: {message}"
        self.items.append((layer, line or 0, text))

    def raw(self, line: int, message: str) -> None:
        """A problem of a file that could not be read (an ancestor: listed first)."""
        self.items.append((None, line, message))

    def messages(self) -> list[str]:
        def order(item):
            layer, line, _ = item
            return (-1 if layer is None else layer.order, line)

        return [m for _, _, m in sorted(self.items, key=order)]


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _read(path: Path, shown: str) -> tuple[_Layer | None, tuple[int, str] | None]:
    """The parsed file, or (line, message) saying why it cannot be read."""
    try:
        if path.is_dir():
            return None, (0, f"{shown}: is a folder, not a scenario file (a .toml file)")
        with path.open("rb") as fh:  # a device or a pipe could be endless: read a bounded amount
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return None, (
                0,
                f"{shown}: over {MAX_FILE_BYTES // 2**20} MiB, too large for a scenario file",
            )
    except FileNotFoundError:
        return None, (0, f"{shown}: file not found")
    except PermissionError:
        return None, (0, f"{shown}: cannot be read (permission denied)")
    except (OSError, ValueError) as exc:
        return None, (0, f"{shown}: cannot be read ({getattr(exc, 'strerror', None) or exc})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, (
            line,
            f"{shown}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        )
    text = text.removeprefix("\ufeff")  # a byte-order mark, as some Windows editors write
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        m = _TOML_POSITION.search(reason)
        line = text.count("\n") + 1
        column = None
        if m and m.group(1):
            line, column = int(m.group(1)), int(m.group(2))
        reason = _TOML_POSITION.sub("", reason).strip()
        col = f", column {column}" if column else ""
        return None, (line, f"{shown}:{line}: not valid TOML: {reason}{col}")
    except RecursionError:
        return None, (0, f"{shown}: not valid TOML: arrays or tables nested too deeply")
    try:
        lines = key_lines(text)
    except RecursionError:  # nesting tomllib accepted but too deep to scan: no line numbers
        lines = {}
    return _Layer(path, shown, doc, lines), None


def _chain(path: Path, shown: str) -> tuple[list[_Layer], _Problems]:
    """The file and every file it extends, the farthest ancestor first."""
    problems = _Problems()
    top, err = _read(path, shown)
    if err is not None:
        exc = ScenarioError(err[1])
        exc.source = shown
        raise exc
    chain = [top]
    seen = [_resolve(path)]
    layer = top
    while True:
        meta = layer.doc.get("scenario")
        ext = meta.get("extends") if isinstance(meta, dict) else None
        if ext is None:
            break
        key = ("scenario", "extends")
        if not isinstance(ext, str) or not ext.strip():
            problems.add(
                layer,
                key,
                f"must be the path of a scenario file relative to this file, {_got(ext)}",
            )
            break
        parent = layer.path.parent / ext
        parent_shown = os.path.normpath(os.path.join(os.path.dirname(layer.shown), ext))
        resolved = _resolve(parent)
        if resolved is None:
            problems.add(layer, key, f"{ext!r} is not a valid file path")
            break
        if resolved in seen:
            names = [lay.shown for lay in chain[seen.index(resolved) :]] + [parent_shown]
            problems.add(layer, key, f"extends cycle: {' -> '.join(names)}")
            break
        try:
            exists = parent.exists()
        except (OSError, ValueError):
            exists = False
        if not exists:
            problems.add(layer, key, f"file {parent_shown!r} not found (extends {ext!r})")
            break
        parent_layer, err = _read(parent, parent_shown)
        if err is not None:
            problems.raw(err[0], err[1])
            break
        chain.append(parent_layer)
        seen.append(resolved)
        layer = parent_layer
    chain.reverse()
    for order, lay in enumerate(chain):
        lay.order = order
    return chain, problems


def _resolve(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


# --------------------------------------------------------------------------- interpretation


@dataclass
class _Set:
    """A value with the file and the key that set it."""

    value: object
    layer: _Layer
    key: tuple


@dataclass
class _Merged:
    time: dict[str, _Set] = field(default_factory=dict)
    levers: dict[str, _Set] = field(default_factory=dict)
    profile: _Set | None = None
    shocks: list[_Set] = field(default_factory=list)
    parameters: dict[str, _Set] = field(default_factory=dict)
    sections: dict[str, dict[str, _Set]] = field(default_factory=dict)


def _sections() -> tuple[str, ...]:
    return ("scenario", "time", *SECTIONS, "shock", "parameters", *_HANDLERS)


def _section_list() -> str:
    return ", ".join("[[shock]]" if s == "shock" else f"[{s}]" for s in _sections())


def _home(name: str, params: Mapping) -> str | None:
    """Where a known name belongs, as a phrase, or None."""
    if name in LEVER_BY_NAME:
        return f"the lever {name!r} belongs in [{LEVER_BY_NAME[name].section}]"
    if name in params:
        return f"{name!r} is a structural parameter: set it under [parameters]"
    if name in TIME_KEYS:
        return f"{name!r} belongs in [time]"
    if name in SCENARIO_KEYS:
        return f"{name!r} belongs in [scenario]"
    if name in INVESTMENT_KEYS:
        return f"{name!r} belongs in [investment]"
    if name in ("target", "years", "factor"):
        return f"{name!r} belongs in a [[shock]] table"
    return None


def _closest(name: str, here: tuple[str, ...], params: Mapping) -> str:
    """Suggestions: names allowed here first, else levers elsewhere (saying where)."""
    hint = suggest(name, here)
    if hint:
        return hint
    levers = [lv.name for lv in LEVERS]
    close = difflib.get_close_matches(name, levers, n=2, cutoff=0.6)
    if close:
        return (
            " (did you mean "
            + ", ".join(f"{c!r}, a lever of [{LEVER_BY_NAME[c].section}]" for c in close)
            + "?)"
        )
    return suggest(name, params)


def _unknown(layer, key, name, here, problems, params, what):
    if not isinstance(name, str):
        name = str(name)
    home = _home(name, params)
    allowed = ", ".join(here) if here else "nothing"
    if home:
        problems.add(layer, key, f"not allowed here: {home}")
    else:
        problems.add(
            layer,
            key,
            f"unknown {what}{_closest(name, here, params)}; allowed here: {allowed}",
        )


def _table(layer, key, value, problems) -> dict | None:
    if isinstance(value, dict):
        return value
    head = key[-1]
    problems.add(
        layer,
        key,
        f"must be a table: write [{head}] on its own line, then key = value lines; {_got(value)}",
    )
    return None


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
            return None, [(("step",), f"must be a table of year = value, {_got(raw['step'])}")]
        table, step = raw["step"], True
    pre = ("step",) if step else ()
    points, problems = [], []
    for y, v in table.items():
        if not _YEAR_KEY.fullmatch(y):
            hint = suggest(y, ["step"]) if not step else ""
            problems.append(
                (pre + (y,), f"schedule keys must be years such as 2025, got {y!r}{hint}")
            )
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
            if not isinstance(v, str) or not _valid_name(v):
                problems.add(
                    layer,
                    key,
                    f"must be a short text (1-{MAX_NAME} characters and at most "
                    f"{MAX_NAME_BYTES} bytes in UTF-8, no slashes or control "
                    f"characters, not starting with '.'): it names the run folder; {_got(v)}",
                )
        elif k == "description" and not isinstance(v, str):
            problems.add(layer, key, f"must be a text (a string), {_got(v)}")


def _valid_name(name: str) -> bool:
    return (
        0 < len(name) <= MAX_NAME
        and len(name.encode("utf-8", "surrogatepass")) <= MAX_NAME_BYTES
        and not name.startswith(".")
        and name.strip() == name
        and not any(c in "/\\" or ord(c) < 32 or ord(c) == 127 for c in name)
    )


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
            problems.add(layer, key + (y,), f"profile keys must be years 2021..2025, got {y!r}")
        if bad:
            return
        prof = tuple((int(y), w) for y, w in raw.items())
    elif isinstance(raw, str):
        prof = raw
    else:
        problems.add(layer, key, f"must be {PROFILE_ALLOWED}, {_got(raw)}")
        return
    errs = profile_problems(prof)
    for sub, m in errs:
        problems.add(layer, key + sub, m)
    if not errs:
        merged.profile = _Set(prof, layer, key)


def _read_lever(layer, key, name, raw, merged, problems) -> None:
    value = raw
    if isinstance(raw, dict):
        value, errs = _schedule(raw)
        if value is None:
            for sub, m in errs:
                problems.add(layer, key + sub, f"{m}; {name} takes {lever_allowed(name)}")
            return
    for sub, m in lever_problems(name, value, end=None):
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
                problems.add(
                    layer,
                    key,
                    "must be a table of pool category = share in [0, 1], e.g. "
                    f"{{ services = 0.8 }}; categories: {', '.join(POOL_CATEGORIES)}; {_got(raw)}",
                )
                continue
            for cat, share in raw.items():
                if cat not in POOL_CATEGORIES:
                    problems.add(
                        layer,
                        key + (cat,),
                        f"unknown pool category{suggest(cat, POOL_CATEGORIES)}; "
                        f"categories: {', '.join(POOL_CATEGORIES)}",
                    )
                    continue
                lever = f"realisation_{cat}"
                if lever in table:
                    problems.add(
                        layer, key + (cat,), f"set twice: here and as {lever} in [investment]"
                    )
                    continue
                from_table.add(lever)
                _read_lever(layer, key + (cat,), lever, share, merged, problems)
        elif name in LEVER_BY_NAME and LEVER_BY_NAME[name].section == section:
            _read_lever(layer, key, name, raw, merged, problems)
        else:
            _unknown(layer, key, name, here, problems, params, "lever")


def _read_shocks(layer, raw, merged, problems, params) -> None:
    if isinstance(raw, dict):
        problems.add(
            layer,
            ("shock",),
            "write each shock as its own [[shock]] table (double brackets) with "
            "name, target, years = [first, last] and factor",
            section=True,
        )
        return
    if not isinstance(raw, list):
        problems.add(layer, ("shock",), f"must be [[shock]] tables, {_got(raw)}")
        return
    for i, item in enumerate(raw):
        key = ("shock", i)
        if not isinstance(item, dict):
            problems.add(layer, key, f"each shock must be a table, {_got(item)}")
            continue
        for k in item:
            if k not in SHOCK_KEYS:
                _unknown(layer, key + (k,), k, SHOCK_KEYS, problems, params, "key")
        missing = [k for k in ("target", "years", "factor") if k not in item]
        if missing:
            problems.add(
                layer,
                key,
                f"missing {', '.join(missing)} (a shock needs target, years = [first, last] "
                "and factor; name is optional)",
            )
        name = item.get("name", "")
        if not isinstance(name, str):
            problems.add(layer, key + ("name",), f"must be a text (a string), {_got(name)}")
        years = item.get("years")
        first = last = None
        if "years" in item:
            if isinstance(years, list) and len(years) == 2:
                first, last = years
            else:
                example = f"[{years}, {years}]" if _is_year(years) else "[2022, 2022]"
                problems.add(
                    layer,
                    key + ("years",),
                    f"must be [first, last], two years, e.g. {example}; {_got(years)}",
                )
        shock = Shock(item.get("target"), first, last, item.get("factor"), name)
        for sub, m in shock_problems(shock, end=None):
            if sub[0] in item and (sub[0] != "years" or first is not None):
                problems.add(layer, key + sub, m)
        if _is_year(first) and _is_year(last):  # checked against the run even if invalid
            merged.shocks.append(_Set(shock, layer, key))


def _read_parameters(layer, table, merged, problems, params) -> None:
    def walk(tbl: dict, parts: list[str], key: tuple) -> None:
        for k, v in tbl.items():
            name = ".".join([*parts, k])
            if isinstance(v, dict) and name not in params:
                walk(v, [*parts, k], key + (k,))
                continue
            if name in LEVER_BY_NAME:
                problems.add(layer, key + (k,), f"not a parameter: {_home(name, params)}")
                continue
            msgs = parameter_problems(name, v, params)
            for m in msgs:
                problems.add(layer, key + (k,), m)
            if not msgs:
                merged.parameters[name] = _Set(v, layer, key + (k,))

    walk(table, [], ("parameters",))


def _read_layer(layer: _Layer, merged: _Merged, problems: _Problems, params) -> None:
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
        elif _handler(top) is not None:
            if (table := _table(layer, key, value, problems)) is not None:
                target = merged.sections.setdefault(top, {})
                for k, v in table.items():
                    target[k] = _Set(v, layer, (top, k))
        elif top in PLANNED_SECTIONS:
            problems.add(
                layer,
                key,
                f"this version of hubinsim ({__version__}) does not read this section yet "
                f"(it is planned for {PLANNED_SECTIONS[top]}); remove it to run the scenario",
                section=True,
            )
        elif isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            home = _home(top, params)
            if home:
                problems.add(layer, key, f"not a section: {home}", section=True)
            else:
                problems.add(
                    layer,
                    key,
                    f"unknown section{suggest(top, _sections() + tuple(PLANNED_SECTIONS))}; "
                    f"sections: {_section_list()}",
                    section=True,
                )
        else:
            home = _home(top, params)
            if home:
                problems.add(layer, key, f"outside any section: {home}")
            else:
                problems.add(
                    layer,
                    key,
                    "unknown key outside any section"
                    f"{_closest(top, _sections(), params)}; every setting goes under a "
                    "[section] header",
                )


def _run_checks(merged: _Merged, problems: _Problems) -> int:
    """Checks that need the whole chain: schedule and shock years within the run."""
    end_set = merged.time.get("end")
    end = end_set.value if end_set else DEFAULT_END
    if end_set is None:
        whence = f"the default end {DEFAULT_END}"
    else:
        whence = f"[time] end = {end} in {end_set.layer.shown}"
    for s in merged.levers.values():
        if not isinstance(s.value, Schedule):
            continue
        pre = ("step",) if s.value.step else ()
        for y, _ in s.value.points:
            if _is_year(y) and not BASE_YEAR <= y <= end:
                problems.add(
                    s.layer,
                    s.key + pre + (str(y),),
                    f"schedule year {y} is outside the run {BASE_YEAR}..{end} ({whence})",
                )
    for s in merged.shocks:
        sh = s.value
        for i, y in enumerate((sh.first, sh.last)):
            if BASE_YEAR < y <= MAX_END and y > end:
                problems.add(
                    s.layer,
                    s.key + ("years", i),
                    f"year {y} is after the end of the run, {end} ({whence})",
                )
    return end


def load_scenario(path, data_dir=None) -> Scenario:
    """Read and validate a scenario file (and the files it extends).

    Parameters
    ----------
    path : str or path-like
        The TOML file.
    data_dir : path, optional
        Folder of the data files (for the parameter catalogue).

    Raises
    ------
    ScenarioError
        Listing every problem of the file and its ancestors, each with file, line and key.
    """
    from .data import load_parameters

    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise ScenarioError(f"not a file path: {path!r}") from None
    shown = str(path)
    chain, problems = _chain(path, shown)
    params = load_parameters(data_dir)
    merged = _Merged()
    for layer in chain:
        _read_layer(layer, merged, problems, params)
    end = _run_checks(merged, problems)
    top = chain[-1]
    meta = top.doc.get("scenario") if isinstance(top.doc.get("scenario"), dict) else {}
    sections = {}
    for name, table in merged.sections.items():
        value, errs = _HANDLERS[name].parse({k: s.value for k, s in table.items()}, data_dir)
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
            err = ScenarioError(messages)
            err.source = shown
            raise err
        raise ScenarioError(messages, source=shown)
    name = meta.get("name")
    description = meta.get("description", "")
    time = {k: s.value for k, s in merged.time.items()}
    return Scenario(
        name=name if isinstance(name, str) else path.stem,
        description=description.strip() if isinstance(description, str) else "",
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
    )


# --------------------------------------------------------------------------- writing


def toml_key(key: str) -> str:
    """A TOML key: bare when possible, else a quoted basic string."""
    return key if _BARE.fullmatch(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A one-line TOML basic string."""
    out = []
    for c in text:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 32 or ord(c) == 127:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _toml_text(text: str) -> str:
    """A TOML string, multi-line when the text has line breaks (easier to read)."""
    if "\n" not in text:
        return toml_string(text)
    out = []
    for i, c in enumerate(text):
        if c == "\n":
            out.append(c)
        elif c == '"':
            # a lone quote needs no escape inside a multi-line string; runs of quotes and a
            # quote just before the closing delimiter do
            near = i + 1 == len(text) or text[i + 1] == '"'
            out.append('\\"' if near else '"')
        else:
            out.append(toml_string(c)[1:-1])
    return '"""\n' + "".join(out) + '"""'


def toml_value(value) -> str:
    """TOML text of a number, string, boolean, array or table (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))  # shortest text that reads back as the same float
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Schedule):
        return toml_value(value.as_toml())
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _line(key: str, value, comment: str) -> str:
    return f"{toml_key(key)} = {toml_value(value)}  # {comment}"


def _schedule_note(value) -> str:
    if isinstance(value, Schedule):
        return "step schedule; " if value.step else "schedule, linear between years; "
    return ""


def resolved_toml(scenario: Scenario, data_dir=None) -> str:
    """The fully resolved scenario as TOML text: every value a run of it uses.

    Every lever (defaults filled in), the profile, the realisation of the pool categories the
    scenario sets, every shock, every structural parameter and the time settings are written;
    nothing is inherited. ``plan_realisation`` left at business as usual and the categories
    that follow it are written as comments: they follow ``investment.bau_realisation`` in
    ``[parameters]``. Loading the text (:func:`load_scenario`) and simulating reproduces the run of
    ``scenario`` exactly: numbers are written with Python's shortest round-trip repr.
    """
    from .data import load_parameters
    from .simulate import resolve_levers, resolve_parameters

    params_used = resolve_parameters(scenario, None, 1, data_dir)
    lever_values, defaults = resolve_levers(scenario, params_used, data_dir)
    params = load_parameters(data_dir)
    scalar = {k: float(v[0]) for k, v in params_used.items()}
    overall = scenario.levers.get("plan_realisation", scalar["investment.bau_realisation"])
    realisation = {c: scenario.levers.get(f"realisation_{c}", overall) for c in POOL_CATEGORIES}
    src = scenario.source or "Python (make_scenario)"
    lines = [
        f"# Resolved scenario {scenario.name!r}: every value a run uses, after `extends` and",
        "# defaults. Load this file and simulate to reproduce the run exactly.",
        f"# Written by hubinsim {__version__} from {src}"
        + (f", which extends {', '.join(scenario.extends)}" if scenario.extends else "")
        + ".",
        "# Money in 亿元 (100 million yuan); rates per year as fractions unless the unit says %.",
        "",
        "[scenario]",
        f"name = {toml_string(scenario.name)}",
        f"description = {_toml_text(scenario.description)}",
        "",
        "[time]",
        _line("end", scenario.time.end, "last calendar year simulated (from the 2020 base)"),
        _line("dt", float(scenario.time.dt), "yr, integration time step"),
        _line("method", scenario.time.method, "integrator: euler | rk4"),
    ]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for lv in LEVERS:
            if lv.section != section or lv.name.startswith("realisation_"):
                continue
            value = overall if lv.name == "plan_realisation" else lever_values[lv.name]
            note = f"{lv.unit}; {_schedule_note(value)}{lv.meaning_en}"
            if value != defaults[lv.name] and lv.name != "plan_realisation":
                note += f" (business as usual: {toml_value(defaults[lv.name])})"
            if lv.name == "plan_realisation" and lv.name not in scenario.levers:
                # Left to business as usual, it follows investment.bau_realisation in
                # [parameters] (also when an ensemble draws it).
                lines.append(
                    f"# {_line(lv.name, value, note)} (business as usual: the parameter "
                    '"investment.bau_realisation")'
                )
            else:
                lines.append(_line(lv.name, value, note))
            if lv.name == "plan_realisation":
                profile = scenario.profile
                if not isinstance(profile, str):
                    profile = {str(y): w for y, w in profile}
                lines.append(
                    _line(
                        "profile",
                        profile,
                        "timing of the spending above business as usual over 2021-2025: "
                        f"{' | '.join(PROFILES)} | {{year = weight}}",
                    )
                )
                # Only the categories the scenario sets: the others follow plan_realisation
                # (also when an ensemble draws it).
                own = {
                    c: v for c, v in realisation.items() if f"realisation_{c}" in scenario.levers
                }
                if own:
                    lines.append(
                        _line(
                            "realisation",
                            own,
                            "fraction of these pool categories spent in 2021-2025 (the others: "
                            "plan_realisation)",
                        )
                    )
                else:
                    lines.append(
                        "# realisation = { <category> = <fraction> }  # each pool category "
                        "follows plan_realisation unless set here"
                    )
    for shock in scenario.shocks:
        target = SHOCK_BY_NAME.get(shock.target)
        lines += [
            "",
            "[[shock]]",
            f"name = {toml_string(shock.name)}",
            _line("target", shock.target, target.meaning_en if target else "flow scaled"),
            _line("years", [shock.first, shock.last], "first and last calendar year"),
            _line("factor", shock.factor, "multiplies the flow in those years (1 = no change)"),
        ]
    lines += ["", "[parameters]"]
    for name, value in scalar.items():
        prm = params.get(name)
        note = f"{prm.unit}; {prm.meaning_en}" if prm else "structural parameter"
        if prm and value != prm.value:
            note += f" (default {toml_value(prm.value)})"
        lines.append(_line(name, value, note))
    for name, value in scenario.sections.items():
        handler = _HANDLERS.get(name)
        text = handler.write(value) if handler and handler.write else None
        if text:
            lines += ["", text.rstrip("\n")]
    return "\n".join(lines) + "\n"
