"""How chunks of work run: worker processes, executors (Dask), shared memory, progress.

Nothing here knows the model: :mod:`hubinsim.run.ensemble` cuts members into chunks and
hands them to these functions, and :mod:`hubinsim.io.charts` draws charts in worker
processes with :func:`resolve_workers`. Only the standard library is imported at the top, so
that the command line can check an ``--executor`` address without loading numpy.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import re
from concurrent.futures import Executor
from pathlib import Path

from ..defaults import (
    AUTO_WORKERS,
    DISTRIBUTED_HINT,
    MAX_CHUNK_SIZE,
    MAX_DRAWS,
    SAMPLING,
    SCHEDULER_FORMAT,
)
from ..errors import HubinsimError

#: A container's CPU quota under cgroup v2 ("max" or "<quota> <period>").
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")

_ADDRESS = re.compile(r"(dask|tcp)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})")


# --------------------------------------------------------------------------- workers


def usable_cpus() -> int:
    """CPUs this process may use: those it may run on, within a container's CPU quota
    (cgroup v2 ``cpu.max``) when one is set."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = CGROUP_CPU_MAX.read_text().split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cpus


def workers_problems(workers) -> list[str]:
    """Why ``workers`` is not a whole number >= 1 or ``"auto"`` (empty when it is)."""
    if isinstance(workers, str) and workers == AUTO_WORKERS:
        return []
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        return [f"workers: must be a whole number >= 1 or {AUTO_WORKERS!r}, got {workers!r}"]
    return []


def _whole(value, low: int, high: int | None = None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    )


def run_settings_problems(
    *,
    members=1,
    draws=None,
    seed=None,
    sampling=None,
    ensemble=None,
    chunk_size=None,
    workers=1,
    executor=None,
    progress=None,
) -> list[str]:
    """Why the settings of how a run goes are not valid: the same limits as the command
    line's options (empty when they are)."""
    problems = []
    for name, value, low in (("members", members, 1), ("draws", draws, 1)):
        if value is not None and not _whole(value, low, MAX_DRAWS):
            problems.append(f"{name}: must be a whole number in 1..{MAX_DRAWS:,}, got {value!r}")
    if seed is not None and not _whole(seed, 0):
        problems.append(f"seed: must be a whole number >= 0, got {seed!r}")
    if sampling is not None and not (isinstance(sampling, str) and sampling in SAMPLING):
        problems.append(f"sampling: must be one of {', '.join(SAMPLING)}, got {sampling!r}")
    if ensemble is not None and not isinstance(ensemble, bool):
        problems.append(f"ensemble: must be True, False or None, got {ensemble!r}")
    if chunk_size is not None and not _whole(chunk_size, 1, MAX_CHUNK_SIZE):
        problems.append(
            f"chunk_size: must be a whole number in 1..{MAX_CHUNK_SIZE:,}, got {chunk_size!r}"
        )
    problems += workers_problems(workers)
    if (
        executor is not None
        and not isinstance(executor, str)
        and not callable(getattr(executor, "submit", None))
    ):
        problems.append(
            f"executor: must be a concurrent.futures.Executor or {SCHEDULER_FORMAT!r}, got "
            f"{executor!r}"
        )
    if progress is not None and not callable(progress):
        problems.append(f"progress: must be a function progress(done, total), got {progress!r}")
    return problems


def resolve_workers(workers, chunks: int) -> int:
    """The number of worker processes for ``chunks`` pieces of work: a number is taken as it
    is; ``"auto"`` is one per usable CPU (:func:`usable_cpus`), never more than the chunks."""
    if workers == AUTO_WORKERS:
        return max(1, min(usable_cpus(), chunks))
    return workers


def can_share_memory() -> bool:
    """Whether worker processes are forked, so that they inherit shared memory mappings (and
    every module this process has imported)."""
    return multiprocessing.get_start_method(allow_none=False) == "fork"


# --------------------------------------------------------------------------- executors


def scheduler_address(text: str) -> str:
    """``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) -> the scheduler address ``tcp://...``.

    Raises ValueError, saying what to write, for anything else.
    """
    m = _ADDRESS.fullmatch(text.strip())
    if not m or not 0 < int(m.group(3)) < 65536:
        raise ValueError(
            f"{text!r} is not a scheduler address; write {SCHEDULER_FORMAT}, "
            "e.g. dask://10.0.0.5:8786 (the address `dask scheduler` prints)"
        )
    return f"tcp://{m.group(2)}:{m.group(3)}"


def dask_executor(address=None, **client_kwargs) -> Executor:
    """A :class:`concurrent.futures.Executor` backed by a dask.distributed cluster.

    ``address`` is the scheduler's (``"tcp://host:8786"``), or a ``distributed.Client``
    already connected; None starts a local cluster. Every worker must be able to import
    hubinsim. Needs the optional ``distributed`` extra (``pip install
    "hubinsim[distributed]"``)::

        ex = dask_executor("tcp://10.0.0.5:8786")
        res = run_ensemble(scn, draws=1_000_000, seed=1, executor=ex)
        ex.client.close()

    The members are the same as from a run in one process, bit for bit.
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise ImportError(
            "dask_executor needs dask.distributed, which is not installed; install the "
            f"optional 'distributed' extra: {DISTRIBUTED_HINT}"
        ) from exc
    client = address if isinstance(address, Client) else Client(address, **client_kwargs)
    executor = client.get_executor()
    executor.client = client  # so that the caller can close the connection
    return executor


@contextlib.contextmanager
def opened_executor(executor):
    """The executor to run chunks on: ``executor`` itself (an Executor, or None), or for a
    scheduler address (``dask://HOST:PORT``) a Dask executor connected to it for the time
    of the ``with`` block."""
    if not isinstance(executor, str):
        yield executor
        return
    try:
        address = scheduler_address(executor)
    except ValueError as exc:
        raise HubinsimError(f"executor: {exc}") from None
    try:
        opened = dask_executor(address, timeout="10s")
    except ImportError:
        raise HubinsimError(
            f"the executor {executor} needs dask.distributed, which is not installed; "
            f"install the optional extra: {DISTRIBUTED_HINT}"
        ) from None
    except (OSError, TimeoutError) as exc:
        raise HubinsimError(
            f"executor: cannot reach the Dask scheduler at {address} ({exc}); is "
            "`dask scheduler` running there and are its workers able to import hubinsim?"
        ) from None
    try:
        yield opened
    finally:
        opened.client.close()


# --------------------------------------------------------------------------- shared memory

#: In a worker process: the arrays (name -> (years, members)) it writes its chunks into.
_SHARED: dict = {}


def shared_arrays(names: list[str], shape: tuple[int, int]) -> dict:
    """Float arrays of ``shape`` in one anonymous shared memory mapping, which processes
    forked afterwards share (each array keeps the mapping alive)."""
    import mmap

    import numpy as np

    size = int(np.prod(shape)) * 8
    mapping = mmap.mmap(-1, max(1, size * len(names)))
    return {
        name: np.frombuffer(mapping, dtype=float, count=size // 8, offset=k * size).reshape(shape)
        for k, name in enumerate(names)
    }


def set_shared(arrays: dict) -> None:
    """Initializer of a forked worker: the shared arrays it writes into."""
    _SHARED.clear()
    _SHARED.update(arrays)


def run_into_shared(fn, args: tuple, a: int, b: int):
    """In a forked worker: ``fn(*args)`` returns ``(values, metadata)``; the values (name ->
    (years, members of the chunk)) are written into members ``a:b`` of the shared arrays and
    only the metadata goes back to the parent."""
    values, meta = fn(*args)
    for name, v in values.items():
        _SHARED[name][:, a:b] = v
    return meta


# --------------------------------------------------------------------------- progress


def progress_part(progress, part: int, parts: int):
    """A progress callback for part ``part`` (from 0) of ``parts`` equal pieces of work,
    reporting to ``progress(done, total)`` over the whole (None: None)."""
    if progress is None:
        return None

    def report(done: int, total: int) -> None:
        progress(part * total + done, parts * total)

    return report
