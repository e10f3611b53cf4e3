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


def in_lang(lang: str, en: str, zh: str) -> str:
    """``zh`` under ``lang`` "zh", else ``en``: the two wordings of one message, formed
    from the same figures by the same function."""
    return zh if lang == "zh" else en


class Message(str):
    """A message that can be said in English or in Chinese: its facts (file, key, value,
    valid range) are kept as fields, and ``form(lang, **facts)``, one function for both
    languages, words them. As a ``str`` it is the English wording, so code that handles
    messages as text goes on as before; :meth:`text` says it in ``lang``. A fact may itself
    be a Message (a located problem holds the problem), said in the same language."""

    def __new__(cls, form, /, **facts):
        self = super().__new__(cls, form("en", **facts))
        self.form, self.facts = form, facts
        return self

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "zh")."""
        return self.form(lang, **self.facts)

    def __reduce__(self):  # pickles by the form's name and the facts
        return (_message, (self.form, self.facts))


def _message(form, facts: dict) -> Message:
    return Message(form, **facts)


def error_text(lang: str, error: HubinsimError) -> str:
    """The message of ``error`` in ``lang`` (a Message of an error: ``Message(error_text,
    error=exc)``)."""
    return error.text(lang)


def text_in(message, lang: str = "en") -> str:
    """``message`` in ``lang`` where it is a :class:`Message`, else as it is."""
    return message.text(lang) if isinstance(message, Message) else str(message)


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
        self.problems = [p if isinstance(p, Message) else str(p) for p in problems]
        self.source = source
        self._head = source  # the source said before the message (``source`` set later is not)
        super().__init__(self._message())

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``: the problems that are :class:`Message` s said in it
        (others as they were written)."""
        return self._message(lang)

    def _message(self, lang: str = "en") -> str:
        head = f"{printable(self._head, lines=False)}: " if self._head else ""
        problems = [text_in(p, lang) for p in self.problems]
        if len(problems) == 1:
            return head + printable(problems[0])
        shown = [f"  - {printable(p, lines=False)}" for p in problems[:MAX_PROBLEMS_SHOWN]]
        hidden = len(problems) - len(shown)
        if hidden:
            shown.append(
                in_lang(
                    lang,
                    f"  ... and {hidden:,} more (fix these and run again to see the rest)",
                    f"  …… 另有 {hidden} 个(改正后再运行可见其余)",
                )
            )
        count = in_lang(lang, f"{len(problems):,} problems:", f"共 {len(problems)} 个问题:")
        return head + count + "\n" + "\n".join(shown)

    def __reduce__(self):  # pickles (from a worker process) with its problems and source
        return (type(self), (self.problems, self._head), {"source": self.source})


class ScenarioError(HubinsimError):
    """A scenario (file or Python settings) or an argument of a function is invalid; said in
    Chinese with ``lang="zh"`` (``lang`` is kept: the command line says "错误" then)."""

    def __init__(self, problems: list[str] | str = "", source: str | None = None, lang="en"):
        self.lang = lang
        super().__init__(problems, source)

    def _message(self, lang: str | None = None) -> str:
        return super()._message(lang or getattr(self, "lang", "en"))

    def __reduce__(self):
        return (type(self), (self.problems, self._head, self.lang), {"source": self.source})


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
        return (type(self), (self.problems, self._head, self.failure), {"source": self.source})


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
        return (type(self), (self.problems, self._head, *fields), {"source": self.source})


class OutputError(HubinsimError):
    """A result folder cannot be written or read: it exists, or the system refused (a full
    disk, a read-only folder, a broken link, no permission)."""


class FolderNotFound(OutputError, FileNotFoundError):
    """A result folder, or the file of it asked for, is missing (also a FileNotFoundError)."""

    def __str__(self) -> str:  # not OSError's "[Errno ...]" form
        return HubinsimError._message(self)
