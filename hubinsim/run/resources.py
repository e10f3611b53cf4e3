"""What a run will ask of the machine: time and memory, estimated before it starts.

:func:`plan` looks at an ensemble (its members, the years and time steps, the processes) and
the memory this process may use (:func:`available_memory`): it refuses a run whose members
cannot fit in memory, makes the chunks smaller when they would not fit (the members do not
depend on the chunk size), and says how long a run will take when it is more than
:data:`ANNOUNCE_S` seconds, so that a user who asked for two million members at dt 0.001 is
told "about 4 h" before, not after. Only the standard library is imported.

The costs are measured (benchmarks/run.py, docs/performance.md): about 0.4 microseconds a
member and time step in one process (four times that with RK4), and in the process running a
chunk about 2 KB plus 0.5 KB a year per member.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import ScenarioError

log = logging.getLogger(__name__)

#: A run expected to take longer than this is announced before it starts [s].
ANNOUNCE_S = 60.0
#: Time of one member over one Euler step in one process [s] (RK4: four evaluations).
SECONDS_PER_MEMBER_STEP = 4e-7
#: Time to draw one parameter value of one member [s]: a Latin hypercube (the default)
#: permutes every column; Sobol and Monte Carlo points cost a fifth of it.
SECONDS_PER_DRAWN_VALUE = 3e-7
#: Memory of a member in a chunk being run: a fixed part and a part a year [bytes].
CHUNK_BYTES_PER_MEMBER = 2_000
CHUNK_BYTES_PER_MEMBER_YEAR = 500
#: Share of the available memory the chunks in flight may take together.
CHUNK_MEMORY_SHARE = 0.5
#: Smallest chunk the memory bound makes (smaller ones cost numpy's overhead per call).
MIN_BOUNDED_CHUNK = 1_000

#: The memory limits of the system and of a container (cgroup v2).
MEMINFO = Path("/proc/meminfo")
CGROUP_MEMORY_MAX = Path("/sys/fs/cgroup/memory.max")
CGROUP_MEMORY_CURRENT = Path("/sys/fs/cgroup/memory.current")


def available_memory() -> int | None:
    """Bytes of memory this process may still take: the system's available memory, within
    a container's limit; None where the system does not say."""
    found = []
    try:
        for line in MEMINFO.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = CGROUP_MEMORY_MAX.read_text().strip()
        if limit != "max":
            found.append(int(limit) - int(CGROUP_MEMORY_CURRENT.read_text().strip()))
    except (OSError, ValueError):
        pass
    return max(0, min(found)) if found else None


def size_text(n: float) -> str:
    """Bytes for people: "4.3 GB"."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n:.0f} B"


def duration_text(seconds: float) -> str:
    """Seconds for people: "about 3 h 50 min", "about 4 min"."""
    if seconds >= 3600:
        h, m = divmod(round(seconds / 60), 60)
        return f"about {h} h {m} min" if m else f"about {h} h"
    if seconds >= 60:
        return f"about {round(seconds / 60)} min"
    return f"about {max(1, round(seconds))} s"


@dataclass(frozen=True)
class Plan:
    """An ensemble's run as planned: the chunk size, the time and memory it should take."""

    members: int
    steps: int
    chunk_size: int
    processes: int
    seconds: float
    memory_bytes: float
    available_bytes: int | None

    def text(self) -> str:
        """One sentence on the run, for people."""
        free = (
            f" ({size_text(self.available_bytes)} available)"
            if self.available_bytes is not None
            else ""
        )
        return (
            f"{self.members:,} members x {self.steps:,} time steps in {self.processes} "
            f"process{'es' if self.processes > 1 else ''}: {duration_text(self.seconds)} and "
            f"{size_text(self.memory_bytes)} of memory{free}; Ctrl-C stops it and writes nothing"
        )


def plan(
    members: int,
    steps: int,
    years: int,
    method: str,
    processes: int,
    chunk_size: int,
    kept: int,
    drawn: int,
    remote: bool = False,
    sampling: str | None = None,
) -> Plan:
    """Plan an ensemble of ``members`` over ``steps`` time steps and ``years`` years, run in
    chunks of ``chunk_size`` by ``processes`` processes (``remote``: on a cluster, whose
    memory is not this machine's), keeping ``kept`` indicators of every member and
    ``drawn`` parameter values (``sampling``: drawn by this method before the run, the time
    it takes counted in).

    Raises :class:`ScenarioError` when the members kept cannot fit in the memory available;
    warns and makes the chunks smaller when the chunks in flight would not fit; logs the
    plan (a warning of ``hubinsim.run.resources``) when the run should take longer than
    :data:`ANNOUNCE_S`.
    """
    evaluations = 4 if method == "rk4" else 1
    seconds = members * steps * evaluations * SECONDS_PER_MEMBER_STEP / max(1, processes)
    if sampling is not None:
        per_value = SECONDS_PER_DRAWN_VALUE * (1.0 if sampling == "lhs" else 0.2)
        seconds += members * drawn * per_value
    kept_bytes = members * (kept * years + drawn) * 8.0
    per_member = CHUNK_BYTES_PER_MEMBER + CHUNK_BYTES_PER_MEMBER_YEAR * years
    available = available_memory()
    local = 1 if remote else max(1, processes)
    if available is not None:
        if kept_bytes > available:
            raise ScenarioError(
                f"draws: {members:,} members over {years} years need about "
                f"{size_text(kept_bytes)} of memory for the values kept, more than the "
                f"{size_text(available)} available; ask for fewer draws"
            )
        bound = int(CHUNK_MEMORY_SHARE * (available - kept_bytes) / (local * per_member))
        bound = max(MIN_BOUNDED_CHUNK, bound)
        if chunk_size > bound and not remote:
            warnings.warn(
                f"chunk_size: {chunk_size:,} members a chunk would need about "
                f"{size_text(chunk_size * per_member)} in each of {local} process(es), more "
                f"than the memory available allows; running chunks of {bound:,} (the members "
                "do not depend on it)",
                UserWarning,
                stacklevel=3,
            )
            chunk_size = bound
    memory = kept_bytes + (0 if remote else local * min(chunk_size, members) * per_member)
    out = Plan(members, steps, chunk_size, processes, seconds, memory, available)
    if seconds > ANNOUNCE_S and not _ANNOUNCED.get():
        log.warning("This run: %s.", out.text())
    return out


_ANNOUNCED = contextvars.ContextVar("hubinsim_run_announced", default=False)


@contextlib.contextmanager
def announced():
    """While the block runs, :func:`plan` does not announce the run again (it was, with the
    draws' time counted in, before they were drawn)."""
    token = _ANNOUNCED.set(True)
    try:
        yield
    finally:
        _ANNOUNCED.reset(token)


def chunks_of(members: int, chunk_size: int) -> int:
    """How many chunks ``members`` make."""
    return max(1, math.ceil(members / chunk_size))
