"""Exceptions raised by hubinsim.

Every problem caused by user input, by the data folder or by the system a run writes to is a
:class:`HubinsimError`; the command line turns these into a message and exit code 2. Anything
else is a bug (exit code 1).

A message names what is at fault and what would be valid. It is safe to print: control
characters that came from a file or a key (an escape sequence, a carriage return) are shown
escaped (:func:`printable`), and a long list of problems is cut after
:data:`MAX_PROBLEMS_SHOWN`, with the count of the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Most problems a message lists; the others are counted (``.problems`` holds them all).
MAX_PROBLEMS_SHOWN = 50

# C0 and C1 control characters, DEL, and the bidirectional overrides that can reorder what a
# terminal shows. Newlines and tabs are kept where a message is made of lines.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, lines: bool = True) -> str:
    """``text`` with its control characters escaped (``\\x1b``, ``\\u202e``): safe to print
    to a terminal. ``lines``: newlines and tabs are kept (else escaped too)."""
    pattern = _CONTROL if lines else _CONTROL_OR_NEWLINE
    return pattern.sub(_escape, str(text))


class HubinsimError(Exception):
    """Base class of every error hubinsim raises on purpose.

    Parameters
    ----------
    problems : list of str, or str
        One message per problem, each naming the file, line and key where known.
    source : str, optional
        The file or object at fault, put before the message.
    """

    def __init__(self, problems: list[str] | str = "", source: str | None = None):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = [str(p) for p in problems]
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{printable(self.source, lines=False)}: " if self.source else ""
        if len(self.problems) == 1:
            return head + printable(self.problems[0])
        shown = [f"  - {printable(p, lines=False)}" for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            shown.append(f"  ... and {hidden:,} more (fix these and run again to see the rest)")
        return head + f"{len(self.problems):,} problems:\n" + "\n".join(shown)

    def __reduce__(self):  # pickles (from a worker process) with its problems and source
        return (type(self), (self.problems, self.source))


class ScenarioError(HubinsimError):
    """A scenario (file or Python settings) or an argument of a function is invalid; said in
    Chinese with ``lang="zh"`` (``lang`` is kept: the command line says "错误" then)."""

    def __init__(self, problems: list[str] | str = "", source: str | None = None, lang="en"):
        self.lang = lang
        super().__init__(problems, source)

    def _message(self) -> str:
        text = super()._message()
        if getattr(self, "lang", "en") == "zh" and len(self.problems) > 1:
            count = f"{len(self.problems):,} problems:\n"
            text = text.replace(count, f"共 {len(self.problems)} 个问题:\n", 1)
            text = text.replace("fix these and run again to see the rest", "改正后再运行可见其余")
            text = text.replace("... and ", "…… 另有 ").replace(" more (", " 个(")
        return text

    def __reduce__(self):
        return (type(self), (self.problems, self.source, self.lang))


class ActualsError(ScenarioError):
    """An actual-figures file (or rows given in Python) is invalid: like a scenario, every
    problem is listed, each with the file, line and column, and the allowed values; in
    Chinese with ``lang="zh"``."""


class UnitWarning(UserWarning):
    """A value reads plausibly both as a percentage and as a fraction: it is taken in the
    unit declared, and the warning says how to write the other reading."""


class DataError(HubinsimError):
    """A file in the data folder (``data/`` or ``--data DIR``) is missing or malformed."""


@dataclass(frozen=True)
class Failure:
    """What the model could not do, as fields (:attr:`SimulationError.failure`).

    Attributes
    ----------
    quantity : str
        The stock or reported quantity at fault (``XR``, ``employment``).
    kind : str
        ``"negative"``: a stock became negative or NaN in a step; ``"not_finite"``: an
        annual figure is not finite.
    year : int or None
        The year of an annual figure (``not_finite``).
    time : float or None
        The time of the step (``negative``), 2023.25.
    member : int or None
        The ensemble's member (None where the model did not say).
    value : float or None
        The stock's value (``negative``).
    drew : tuple of (name, value)
        What that member drew, where draws differ between members (the run adds them).
    """

    quantity: str
    kind: str
    year: int | None = None
    time: float | None = None
    member: int | None = None
    value: float | None = None
    drew: tuple[tuple[str, float], ...] = ()

    def text(self, lang: str = "en", advice: bool = True) -> str:
        """What failed, where and for which member, in ``lang``; with ``advice``, what is
        outside what the model supports (for a negative stock: the parameters or time step)."""
        q, m, zh = self.quantity, self.member, lang == "zh"
        whose = "" if m is None else (f"(第 {m} 号成员)" if zh else f" for member {m}")
        if self.kind == "negative":
            said = (
                f"存量 {q} 在 t={self.time:.3f} 时变为负数或 NaN({self.value!r}){whose}"
                if zh
                else f"stock {q} became negative or NaN ({self.value!r}) at t={self.time:.3f}"
                f"{whose}"
            )
            if advice:
                said += (
                    ";参数或时间步长超出模型支持的范围"
                    if zh
                    else "; the parameters or the time step are outside what the model supports"
                )
            return said
        if zh:
            return f"{q} 在{self.year}年不是有限数值{whose}"
        return f"{q} is not finite in year {self.year}{whose}"

    def drew_text(self, lang: str = "en") -> str:
        """What the member drew, in ``lang`` ("" if nothing is said of it)."""
        if not self.drew or self.member is None:
            return ""
        return drew_text(self.member, self.drew, lang)


def drew_text(member: int, drew, lang: str = "en") -> str:
    """What ``member`` drew (``drew``: (name, value) pairs), in ``lang``: "member 7 drew
    labour.match_speed = 0.41"."""
    values = ", ".join(f"{k} = {float(v):.6g}" for k, v in drew)
    if lang == "zh":
        return f"第 {member} 号成员抽取的数值为 {values}"
    return f"member {member} drew {values}"


class SimulationError(HubinsimError):
    """The model produced an invalid state (negative stock, NaN). ``failure`` holds what
    failed as fields (:class:`Failure`) where the model said it (None otherwise); the
    message is formed from them."""

    def __init__(
        self,
        problems: list[str] | str = "",
        source: str | None = None,
        failure: Failure | None = None,
    ):
        self.failure = failure
        if failure is not None and not problems:
            problems = [failure.text("en")]
        super().__init__(problems, source)

    def __reduce__(self):
        return (type(self), (self.problems, self.source, self.failure))


class StartRecordError(SimulationError):
    """A figure of a start record cannot start the model (for some member): each problem
    says which figure and why; ``figures`` names the record's figures at fault, so that a
    restart from actual figures can point to their lines. Where the model said it,
    ``year`` (of the record), ``member`` and ``reasons`` (the reason by language, "en" and
    "zh", each formed by the same function) are its fields, and :meth:`text` says it in
    either language."""

    def __init__(
        self,
        problems: list[str] | str = "",
        source: str | None = None,
        figures: tuple = (),
        year: int | None = None,
        member: int | None = None,
        reasons: dict | None = None,
    ):
        self.figures = tuple(figures)
        self.year, self.member, self.reasons = year, member, dict(reasons or {})
        if self.reasons and not problems:
            problems = [self.text("en")]
        super().__init__(problems, source)

    def text(self, lang: str = "en") -> str:
        """Which start record cannot start the model, for which member, and why, in
        ``lang`` (the message where the model gave no reasons)."""
        if not self.reasons:
            return self.problems[0] if self.problems else ""
        reason = self.reasons.get(lang, self.reasons.get("en", ""))
        m = self.member
        if lang == "zh":
            whose = "" if m is None else f"(第 {m} 号成员)"
            return f"{self.year}年的起步记录无法使模型起步{whose}:{reason}"
        whose = "" if m is None else f" for member {m}"
        return f"the start record of {self.year} cannot start the model{whose}: {reason}"

    def __reduce__(self):
        fields = (self.figures, self.year, self.member, self.reasons)
        return (type(self), (self.problems, self.source, *fields))


class OutputError(HubinsimError):
    """A result folder cannot be written or read: it exists, or the system refused (a full
    disk, a read-only folder, a broken link, no permission)."""


class FolderNotFound(OutputError, FileNotFoundError):
    """A result folder, or the file of it asked for, is missing (also a FileNotFoundError)."""

    def __str__(self) -> str:  # not OSError's "[Errno ...]" form
        return self._message()
