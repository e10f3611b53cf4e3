"""Sections of scenario files beyond the core ones, such as ``[uncertainty]``.

The core sections (``[scenario]``, ``[time]``, the lever sections of the catalogue,
``[[shock]]`` and ``[parameters]``) are read by :mod:`hubinsim.scenario.reader` itself. Any
other top-level section is read by a :class:`SectionHandler`: ``[uncertainty]`` is one, declared
here; :func:`register_section` adds more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..catalog import SECTIONS
from ..data import FILES
from .settings import DataRecord, Problem, got, suggest
from .writer import data_toml, uncertainty_toml

#: Sections read by the scenario reader itself.
CORE_SECTIONS = ("scenario", "time", *SECTIONS, "shock", "parameters")


@dataclass(frozen=True)
class SectionHandler:
    """An extra top-level section of scenario files (for example ``[uncertainty]``).

    ``parse(table, data_dir)`` receives the section's table after inheritance (children
    override parents key by key) and the data folder given to
    :func:`~hubinsim.scenario.reader.load_scenario` (None for the default), and returns
    ``(value, problems)``, where ``problems`` are ``(key path inside the section, message)``
    pairs; ``value`` is stored in ``Scenario.sections[name]``. ``write(value)`` returns the
    TOML text of the section for :func:`~hubinsim.scenario.resolved.resolved_toml` (header
    included), or None to leave it out.
    """

    name: str
    parse: Callable[[dict, object], tuple[object, list[Problem]]]
    write: Callable[[object], str | None] | None = None


def _parse_uncertainty(table: dict, data_dir=None):
    # scipy is imported when a file has the section, not for every scenario file
    from .uncertainty import uncertainty_problems

    return uncertainty_problems(table, data_dir=data_dir)


DATA_KEYS = ("folder", "sha256")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _parse_data(table: dict, data_dir=None) -> tuple[DataRecord | None, list[Problem]]:
    """``[data]``: the data folder a resolved scenario was run with and its files' sha256.
    Only its form is checked here; a run on other data is refused when it starts
    (:func:`hubinsim.scenario.settings.data_record_problem`)."""
    problems: list[Problem] = []
    for key in table:
        if key not in DATA_KEYS:
            problems.append(
                ((key,), f"unknown key{suggest(key, DATA_KEYS)}; [data] has {', '.join(DATA_KEYS)}")
            )
    folder = table.get("folder")
    if not isinstance(folder, str) or not folder:
        problems.append(
            (("folder",), f"must be the path of the data folder of the run, {got(folder)}")
        )
    digests = table.get("sha256", {})
    if not isinstance(digests, dict):
        problems.append((("sha256",), f"must be a table of data file = sha256, {got(digests)}"))
        digests = {}
    for name, digest in digests.items():
        if name not in FILES:
            problems.append(
                (
                    ("sha256", name),
                    f"unknown data file{suggest(name, FILES)}; the data files "
                    f"are {', '.join(FILES)}",
                )
            )
        elif not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            problems.append(
                (("sha256", name), f"must be a sha256 (64 hexadecimal digits), {got(digest)}")
            )
    if problems:
        return None, problems
    return DataRecord(folder, dict(digests)), []


_HANDLERS: dict[str, SectionHandler] = {
    "uncertainty": SectionHandler("uncertainty", _parse_uncertainty, uncertainty_toml),
    "data": SectionHandler("data", _parse_data, data_toml),
}


def handler(name: str) -> SectionHandler | None:
    """The handler of the section ``[name]``, or None."""
    return _HANDLERS.get(name)


def section_names() -> tuple[str, ...]:
    """Every top-level section a scenario file may have, core sections first."""
    return (*CORE_SECTIONS, *_HANDLERS)


def register_section(
    name: str,
    parse: Callable[[dict, object], tuple[object, list[Problem]]],
    write: Callable[[object], str | None] | None = None,
) -> None:
    """Let scenario files carry the top-level section ``[name]`` (see :class:`SectionHandler`)."""
    if name in CORE_SECTIONS:
        raise ValueError(f"[{name}] is a core section of scenario files")
    _HANDLERS[name] = SectionHandler(name, parse, write)


def unregister_section(name: str) -> None:
    """Forget the section ``[name]`` registered with :func:`register_section`."""
    _HANDLERS.pop(name, None)
