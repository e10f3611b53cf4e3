"""Where each key of a TOML document is: the line numbers that scenario problems name.

:mod:`tomllib` parses TOML but reports no positions, so :func:`key_lines` scans the text once
more, following tables, arrays of tables, inline tables, dotted and quoted keys, and skipping
strings and comments.
"""

from __future__ import annotations

import bisect
import re
import tomllib

#: A bare TOML key: letters, digits, ``_`` and ``-``.
BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


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
                m = BARE_KEY.match(s, i)
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
