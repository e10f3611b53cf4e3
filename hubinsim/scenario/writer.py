"""The one TOML writer of hubinsim: values, keys and the sections written back.

Scenario files are written by :func:`~hubinsim.scenario.resolved.resolved_toml` (the resolved
scenario of a run folder) with these functions; numbers are written with Python's shortest
round-trip repr, so that a file read back gives the same floats, bit for bit.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from ..model.inputs import Schedule
from .positions import BARE_KEY


def toml_key(key: str) -> str:
    """A TOML key: bare when possible, else a quoted basic string."""
    return key if BARE_KEY.fullmatch(key) else toml_string(key)


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


def toml_text(text: str) -> str:
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


def uncertainty_toml(unc) -> str | None:
    """The ``[uncertainty]`` section of a resolved scenario file (None: no section).

    ``unc`` is an :class:`~hubinsim.scenario.uncertainty.Uncertainty`. A default uncertainty
    is written without ``parameters``, so that reading it back gives the default again (for
    the scenario it is part of).
    """
    if unc is None:
        return None
    lines = ["[uncertainty]", f"draws = {toml_value(unc.draws)}"]
    if unc.seed is not None:
        lines.append(f"seed = {toml_value(unc.seed)}")
    lines.append(f"sampling = {toml_string(unc.sampling)}")
    if unc.correlations:
        lines.append(f"correlations = {toml_value([list(c) for c in unc.correlations])}")
    for kind, table, written in (
        ("parameter", "parameters", not unc.is_default),
        ("lever", "levers", bool(unc.lever_names)),
    ):
        if written:
            lines += ["", f"[uncertainty.{table}]"]
            lines += [
                f"{toml_key(p.name)} = {toml_value(p.as_dict())}"
                for p in unc.parameters
                if p.kind == kind
            ]
    return "\n".join(lines) + "\n"


def fragment_toml(
    *,
    name: str,
    description: str = "",
    extends: str | None = None,
    levers: Mapping | None = None,
    parameters: Mapping | None = None,
    header=(),
    notes: Mapping | None = None,
    sections=(),
) -> str:
    """A scenario file that sets only what is given: ``levers`` (name -> number or
    :class:`Schedule`, in the lever's unit), ``parameters`` (name -> number) and the text of
    extra ``sections`` (such as an ``[uncertainty]`` table), on top of the file it
    ``extends``. ``header`` lines open the file as comments (wrapped); ``notes`` (key ->
    text) end the line of a lever or parameter as a comment. Goal seeking and calibration
    write their scenario files with it.
    """
    from ..catalog import LEVER_BY_NAME, SECTIONS

    notes = notes or {}

    def line(key, value, note_key):
        text = f"{toml_key(key)} = {toml_value(value)}"
        note = notes.get(note_key)
        return f"{text}  # {note}" if note else text

    import textwrap

    lines = [
        f"# {part}" if part else "#"
        for h in header
        for part in (textwrap.wrap(h, 92, break_long_words=False) or [""])
    ]
    if lines:
        lines.append("")
    lines += ["[scenario]", f"name = {toml_string(name)}"]
    if description:
        lines.append(f"description = {toml_text(description)}")
    if extends:
        lines.append(f"extends = {toml_string(extends)}")
    levers = dict(levers or {})
    for section in SECTIONS:
        here = [n for n in levers if LEVER_BY_NAME[n].section == section]
        if not here:
            continue
        lines += ["", f"[{section}]"]
        realisation = {}
        for n in here:
            if n.startswith("realisation_"):
                realisation[n.removeprefix("realisation_")] = levers[n]
            else:
                lines.append(line(n, levers[n], n))
        if realisation:
            lines.append(line("realisation", realisation, "realisation"))
    if parameters:
        lines += ["", "[parameters]"]
        lines += [line(n, float(v), n) for n, v in parameters.items()]
    for text in sections:
        if text:
            lines += ["", text.rstrip("\n")]
    return "\n".join(lines) + "\n"


def data_toml(record) -> str:
    """The ``[data]`` section of a resolved scenario file: the data folder of the run
    (absolute) and the sha256 of each of its files, from a
    :class:`~hubinsim.scenario.settings.DataRecord`."""
    lines = [
        "[data]",
        "# The data folder the run used and the sha256 of its files: a run of this file on",
        "# other data is refused (delete this section to run it on other data on purpose).",
        f"folder = {toml_string(str(record.folder))}",
        "",
        "[data.sha256]",
    ]
    lines += [f"{toml_key(name)} = {toml_string(digest)}" for name, digest in record.sha256.items()]
    return "\n".join(lines) + "\n"
