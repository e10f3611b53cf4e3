"""Reading scenario files: the bytes, the TOML, and the chain of files a file ``extends``.

:func:`read_chain` returns the file and every file it extends, farthest ancestor first, each
as a :class:`Layer` (its parsed document and the line of each key); :class:`Problems` collects
what is wrong with them as ``file:line: [section] key: message`` lines. A file that cannot be
read at all (missing, a folder, too large, not UTF-8, not TOML) raises
:class:`~hubinsim.errors.ScenarioError` at once; a broken ancestor is reported among the
problems.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Message, ScenarioError, in_lang, text_in
from ..files import located_text, read_file, stat_problem
from .positions import BARE_KEY, key_lines
from .settings import got

#: Largest scenario file read (scenario files are a few kilobytes).
MAX_FILE_BYTES = 2**20


@dataclass
class Layer:
    """One file of the extends chain."""

    path: Path
    shown: str  # the path as the user knows it
    doc: dict
    lines: dict[tuple, int] = field(default_factory=dict)
    order: int = 0  # 0 for the farthest ancestor
    sha256: str = ""  # of the bytes read and parsed

    def line(self, key: tuple) -> int | None:
        for k in range(len(key), 0, -1):
            if key[:k] in self.lines:
                return self.lines[key[:k]]
        return None


def _quote(key) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    key = str(key)
    if BARE_KEY.fullmatch(key):
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


class Problems:
    """Problems collected over the files of a chain, each with its file and line."""

    def __init__(self):
        self.items: list[tuple[Layer | None, int, str]] = []

    def add(self, layer: Layer, key: tuple, message: str, section: bool = False) -> None:
        line = layer.line(key)
        where = f"{layer.shown}:{line}" if line else layer.shown
        label = _label(key, section)
        said = Message(located_text, where=f"{where}: {label}" if label else where, said=message)
        self.items.append((layer, line or 0, said))

    def raw(self, line: int, message: str) -> None:
        """A problem of a file that could not be read (an ancestor: listed first)."""
        self.items.append((None, line, message))

    def messages(self) -> list[Message | str]:
        def order(item):
            layer, line, _ = item
            return (-1 if layer is None else layer.order, line)

        return [m for _, _, m in sorted(self.items, key=order)]


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def _read(path: Path, shown: str) -> tuple[Layer | None, tuple[int, str] | None]:
    """The parsed file, or (line, message) saying why it cannot be read."""
    try:
        read = read_file(
            path, limit=MAX_FILE_BYTES, what="a scenario file", error=ScenarioError, shown=shown
        )
    except ScenarioError as exc:
        return None, (0, exc.problems[0])
    raw = read.data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        said = Message(_not_utf8_text, byte=raw[exc.start])
        return None, (line, Message(located_text, where=f"{shown}:{line}", said=said))
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
        said = Message(_not_toml_text, reason=reason, column=column)
        return None, (line, Message(located_text, where=f"{shown}:{line}", said=said))
    except RecursionError:
        said = Message(_not_toml_text, reason=None)
        return None, (0, Message(located_text, where=shown, said=said))
    try:
        lines = key_lines(text)
    except RecursionError:  # nesting tomllib accepted but too deep to scan: no line numbers
        lines = {}
    return Layer(path, shown, doc, lines, sha256=read.sha256), None


def read_chain(path: Path, shown: str) -> tuple[list[Layer], Problems]:
    """The file and every file it extends, the farthest ancestor first."""
    problems = Problems()
    top, err = _read(path, shown)
    if err is not None:
        exc = ScenarioError([err[1]])
        exc.source = shown
        raise exc
    chain = [top]
    seen = [_resolve(path)[0]]
    layer = top
    while True:
        meta = layer.doc.get("scenario")
        ext = meta.get("extends") if isinstance(meta, dict) else None
        if ext is None:
            break
        key = ("scenario", "extends")
        if not isinstance(ext, str) or not ext.strip():
            problems.add(layer, key, Message(_extends_text, value=ext))
            break
        parent = layer.path.parent / ext
        parent_shown = os.path.normpath(os.path.join(os.path.dirname(layer.shown), ext))
        resolved, why = _resolve(parent)
        if resolved is None:
            said = Message(located_text, where=parent_shown, said=why)
            problems.add(layer, key, Message(_extends_text, said=said, ext=ext))
            break
        if resolved in seen:
            names = [lay.shown for lay in chain[seen.index(resolved) :]] + [parent_shown]
            problems.add(layer, key, Message(_extends_text, cycle=names))
            break
        parent_layer, err = _read(parent, parent_shown)
        if err is not None:
            line, message = err
            if line:  # a problem inside the file it extends: at its line there
                problems.raw(line, message)
            else:  # the file cannot be read at all: at the line that names it
                problems.add(layer, key, Message(_extends_text, said=message, ext=ext))
            break
        chain.append(parent_layer)
        seen.append(resolved)
        layer = parent_layer
    chain.reverse()
    for order, lay in enumerate(chain):
        lay.order = order
    return chain, problems


def _not_utf8_text(lang, byte) -> str:
    return in_lang(
        lang,
        f"not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8",
        f"不是 UTF-8 文本(字节 0x{byte:02x});请将文件存为 UTF-8",
    )


def _not_toml_text(lang, reason, column=None) -> str:
    """Broken TOML: ``reason`` is the TOML reader's own (English) words, None for nesting
    too deep."""
    if reason is None:
        return in_lang(
            lang,
            "not valid TOML: arrays or tables nested too deeply",
            "不是有效的 TOML:数组或表嵌套过深",
        )
    col = in_lang(lang, f", column {column}", f",第 {column} 列") if column else ""
    return in_lang(
        lang, f"not valid TOML: {reason}{col}", f"不是有效的 TOML(TOML 解析器:{reason}){col}"
    )


def _extends_text(lang, value=None, said=None, ext=None, cycle=None) -> str:
    """A problem of ``extends``: not a path (``value``), a parent that cannot be read
    (``said``, named ``ext``), a cycle of files."""
    if cycle is not None:
        chain = " -> ".join(cycle)
        return in_lang(lang, f"extends cycle: {chain}", f"extends 形成循环:{chain}")
    if said is not None:
        return in_lang(
            lang,
            f"{said} (extends {ext!r})",
            f"{text_in(said, lang)}(extends {ext!r})",
        )
    return in_lang(
        lang,
        "must be the path of a scenario file relative to this file, ",
        "应为相对于本文件的情景文件路径,",
    ) + got(value, lang)


def _resolve(path: Path) -> tuple[Path | None, str]:
    """The absolute path with every link followed, or None and why there is none."""
    try:
        return path.resolve(), ""
    except RuntimeError:  # Python < 3.13: "Symlink loop from ..."
        return None, "is a loop of symbolic links (a link that leads back to itself)"
    except OSError as exc:
        return None, stat_problem(path, exc)
    except ValueError:
        return None, "is not a valid file path"
