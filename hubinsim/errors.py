"""Exceptions raised by hubinsim.

Every problem caused by user input is a :class:`HubinsimError`; the command line turns
these into a message and exit code 2. Anything else is a bug (exit code 1).
"""

from __future__ import annotations


class HubinsimError(Exception):
    """Base class of every error hubinsim raises on purpose."""


class ScenarioError(HubinsimError):
    """A scenario (file or Python settings) is invalid.

    Parameters
    ----------
    problems : list of str
        One message per problem, each naming the file, line and key where known.
    """

    def __init__(self, problems: list[str] | str, source: str | None = None):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        if len(self.problems) == 1:
            msg = head + self.problems[0]
        else:
            msg = (
                head
                + f"{len(self.problems)} problems:\n"
                + "\n".join(f"  - {p}" for p in self.problems)
            )
        super().__init__(msg)


class UnitWarning(UserWarning):
    """A value reads plausibly both as a percentage and as a fraction: it is taken in the
    unit declared, and the warning says how to write the other reading."""


class DataError(HubinsimError):
    """A file in data/ is missing or malformed."""


class SimulationError(HubinsimError):
    """The model produced an invalid state (negative stock, NaN)."""


class OutputError(HubinsimError):
    """A result folder cannot be written (it exists, or the disk refused)."""
