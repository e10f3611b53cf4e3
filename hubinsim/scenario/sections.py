"""Sections of scenario files beyond the core ones, such as ``[uncertainty]``.

The core sections (``[scenario]``, ``[time]``, the lever sections of the catalogue,
``[[shock]]`` and ``[parameters]``) are read by :mod:`hubinsim.scenario.reader` itself. Any
other top-level section is read by a :class:`SectionHandler`: ``[uncertainty]`` is one, declared
here; :func:`register_section` adds more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..catalog import SECTIONS
from .settings import Problem
from .writer import uncertainty_toml

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


_HANDLERS: dict[str, SectionHandler] = {
    "uncertainty": SectionHandler("uncertainty", _parse_uncertainty, uncertainty_toml),
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
