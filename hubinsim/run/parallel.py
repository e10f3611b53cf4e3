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
import warnings
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
    for name, value, optional in (("members", members, False), ("draws", draws, True)):
        if not (optional and value is None) and not _whole(value, 1, MAX_DRAWS):
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
    """The number of worker processes for ``chunks`` pieces of work: ``"auto"`` is one per
    usable CPU (:func:`usable_cpus`); a number is taken up to the usable CPUs (more would only
    share them, with the memory of each: a warning says so); never more than the chunks."""
    cpus = usable_cpus()
    if workers == AUTO_WORKERS:
        return max(1, min(cpus, chunks))
    if workers > cpus:
        warnings.warn(
            f"workers: {workers:,} asked, but this process may use {cpus} CPU(s); running "
            f"{cpus} worker process(es) (more would only share the CPUs, each with its own "
            "memory)",
            UserWarning,
            stacklevel=3,
        )
    return max(1, min(workers, cpus, chunks))


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


#: Longest wait for a Dask scheduler to answer (its handshake), and for its first worker [s].
HANDSHAKE_S = 10.0
#: Largest handshake a Dask scheduler sends (it is under 100 bytes) [bytes].
MAX_HANDSHAKE_BYTES = 1 << 16


def _receive(sock, n: int, deadline: float, address: str) -> bytes:
    """Exactly ``n`` bytes from ``sock`` before ``deadline`` (time.monotonic())."""
    import time

    out = b""
    while len(out) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        chunk = sock.recv(n - len(out))  # socket.timeout is TimeoutError
        if not chunk:
            raise ConnectionError(f"{address} closed the connection")
        out += chunk
    return out


def probe_scheduler(address: str, timeout: float | None = None) -> None:
    """Check that a Dask scheduler answers at ``address`` (``tcp://HOST:PORT``) before a
    client connects: a scheduler sends its handshake (a small msgpack message) as soon as a
    connection opens. Raises :class:`HubinsimError` for a server that accepts the connection
    and says nothing for ``timeout`` seconds, or says something else, which would make the
    Dask client wait for ever or try to read a message of exabytes."""
    import socket
    import struct
    import time

    timeout = HANDSHAKE_S if timeout is None else timeout
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    host = host.strip("[]")
    deadline = time.monotonic() + timeout
    not_dask = (
        f"executor: {address} is not a Dask scheduler: "
        + "{}; give the address `dask scheduler` prints (dask://HOST:PORT)"
    )
    try:
        sock = socket.create_connection((host, int(port)), timeout=timeout)
    except OSError as exc:
        raise HubinsimError(
            f"executor: cannot reach the Dask scheduler at {address} ({exc}); is "
            "`dask scheduler` running there?"
        ) from None
    with sock:
        try:
            (size,) = struct.unpack("Q", _receive(sock, 8, deadline, address))
            if not 16 <= size <= MAX_HANDSHAKE_BYTES:
                raise ValueError
            body = _receive(sock, size, deadline, address)
            (frames,) = struct.unpack_from("Q", body)
            if not 1 <= frames <= 64 or 8 * (frames + 1) > size:
                raise ValueError
            first = struct.unpack_from("Q", body, 8)[0]
            head = body[8 * (frames + 1) : 8 * (frames + 1) + first]
            if b"python" not in head:
                raise ValueError
        except TimeoutError:
            raise HubinsimError(
                not_dask.format(f"it accepted the connection but sent nothing for {timeout:g} s")
            ) from None
        except (ValueError, struct.error):
            raise HubinsimError(not_dask.format("it answered with something else")) from None
        except OSError as exc:
            raise HubinsimError(not_dask.format(f"the connection failed ({exc})")) from None


@contextlib.contextmanager
def opened_executor(executor):
    """The executor to run chunks on: ``executor`` itself (an Executor, or None), or for a
    scheduler address (``dask://HOST:PORT``) a Dask executor connected to it for the time
    of the ``with`` block. The scheduler must answer its handshake within
    :data:`HANDSHAKE_S` seconds (:func:`probe_scheduler`) and have a worker by then."""
    if not isinstance(executor, str):
        yield executor
        return
    try:
        address = scheduler_address(executor)
    except ValueError as exc:
        raise HubinsimError(f"executor: {exc}") from None
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise HubinsimError(
            f"the executor {executor} needs dask.distributed, which is not installed; "
            f"install the optional extra: {DISTRIBUTED_HINT}"
        ) from None
    probe_scheduler(address)
    try:
        opened = dask_executor(address, timeout=f"{HANDSHAKE_S:g}s")
    except (OSError, TimeoutError) as exc:
        raise HubinsimError(
            f"executor: the Dask scheduler at {address} did not let a client connect "
            f"({exc or f'no answer in {HANDSHAKE_S:g} s'}); is it a Dask scheduler of a "
            "version that can work with this one?"
        ) from None
    try:
        try:
            opened.client.wait_for_workers(1, timeout=HANDSHAKE_S)
        except (OSError, TimeoutError):
            raise HubinsimError(
                f"executor: the Dask scheduler at {address} has no worker (none joined in "
                f"{HANDSHAKE_S:g} s); start one with `dask worker {address}`"
            ) from None
        yield opened
    finally:
        opened.client.close()


# --------------------------------------------------------------------------- worker processes

#: How often a worker process checks that its parent is alive [s] (where the system cannot
#: end it with its parent).
WATCH_S = 1.0
_PR_SET_PDEATHSIG = 1


def worker_start(parent: int, initializer=None, initargs: tuple = ()) -> None:
    """Initializer of every worker process hubinsim starts.

    The worker ends when its parent does, even if the parent is killed (SIGKILL): Linux
    sends it SIGKILL then (``prctl(PR_SET_PDEATHSIG)``), and a thread checks every
    :data:`WATCH_S` seconds that the parent is still the same process elsewhere. Ctrl-C is
    left to the parent (which stops the workers): the worker ignores SIGINT and ends on
    SIGTERM or SIGHUP without a word. Then ``initializer(*initargs)``.
    """
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent ended before this line
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_S)
        os._exit(1)

    threading.Thread(target=watch, name="hubinsim-watch-parent", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def worker_pool(processes: int, initializer=None, initargs: tuple = ()):
    """A :class:`~concurrent.futures.ProcessPoolExecutor` of ``processes`` workers started
    with :func:`worker_start` (they end with this process). After an interrupt the workers
    are stopped at once (:func:`stop_pool`); after an error, the chunks running end and the
    others are cancelled."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        max_workers=processes,
        initializer=worker_start,
        initargs=(os.getpid(), initializer, initargs),
    )
    try:
        yield pool
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: now
        stop_pool(pool)
        raise
    except BaseException:  # an error: the chunks running end, the others are cancelled
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def stop_pool(pool) -> None:
    """Stop the workers of a process pool now (SIGTERM, then SIGKILL after 5 s)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    queue = getattr(pool, "_call_queue", None)
    if queue is not None:  # its thread must not wait at exit for workers that are gone
        with contextlib.suppress(AttributeError, OSError):
            queue.cancel_join_thread()
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            p.terminate()
    for p in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
                p.join(timeout=5)


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
