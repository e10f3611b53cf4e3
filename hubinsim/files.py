"""Files read safely, and what the system said when it refused.

Scenario files and data files are read by :func:`read_file`: only a regular file is opened (a
named pipe, a device, a socket or ``/dev/stdin`` could block for ever or never end), never
one larger than a limit, and the sha256 of the very bytes read comes with them, so that a
run records the inputs it used, not the files as they are when it ends.

:func:`system_error` says in a sentence what an :class:`OSError` means (a full disk, a
read-only file system, a broken link, no permission), for the messages of
:class:`~hubinsim.errors.DataError`, :class:`~hubinsim.errors.ScenarioError` and
:class:`~hubinsim.errors.OutputError`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import HubinsimError, printable

#: Places whose files are not files: the process's own streams and the kernel's interfaces
#: (``/proc/kmsg`` looks like an empty regular file and blocks when read).
SPECIAL_PLACES = ("/proc/", "/sys/", "/dev/fd/", "/dev/stdin", "/dev/stdout", "/dev/stderr")

#: The largest table of figures people give read [bytes] (a panel of districts and years, a
#: file of actual figures): some 100,000 rows.
MAX_TABLE_BYTES = 16 * 2**20

#: What the system's refusals mean, in words (errno -> sentence).
SYSTEM_ERRORS = {
    errno.ENOSPC: "the disk is full (no space left on the device)",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted (the file or folder may be immutable, or "
    "owned by another user)",
    errno.ENOENT: "no such file or folder",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ELOOP: "the path is a loop of symbolic links",
    errno.ENAMETOOLONG: "the path or a name in it is too long",
    errno.EEXIST: "it already exists",
    errno.ENOTEMPTY: "the folder is not empty",
    errno.EIO: "input/output error (a failing disk or a network file system)",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files on the system",
    errno.EBUSY: "it is in use (a mount point, or busy)",
    errno.ETXTBSY: "it is in use",
    errno.EXDEV: "it is on another file system",
    errno.EFBIG: "the file is too large for the file system",
    errno.ENXIO: "no such device (a named pipe without a writer, or a device)",
    errno.EINVAL: "the operation is not supported here",
}


def system_error(exc: OSError) -> str:
    """What the system refused, in words: ``"the disk is full (...)"``."""
    said = SYSTEM_ERRORS.get(exc.errno)
    if said is None:
        said = exc.strerror or str(exc) or type(exc).__name__
    return said


def kind_of(mode: int) -> str:
    """What a file of ``mode`` (from :func:`os.stat`) is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a file"
    return "not a regular file"


def is_special_place(path: str | os.PathLike) -> bool:
    """Whether ``path`` names a process stream or a kernel interface (:data:`SPECIAL_PLACES`),
    as written or once its links are followed."""
    spelled = os.path.abspath(os.fspath(path))
    try:
        real = os.path.realpath(spelled)
    except (OSError, ValueError):
        real = spelled
    return any(p.startswith(SPECIAL_PLACES) or p + "/" in SPECIAL_PLACES for p in (spelled, real))


def missing_reason(path: Path, noun: str = "file") -> str:
    """Why ``path``, which :func:`os.stat` did not find, is missing: not found, or a link to
    a place that does not exist."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return f"is a symbolic link to {os.readlink(path)!r}, which does not exist"
    except (OSError, ValueError):
        pass
    return f"{noun} not found"


def stat_problem(path: Path, exc: OSError, noun: str = "file") -> str:
    """Why :func:`os.stat` of ``path`` failed, in words."""
    if isinstance(exc, FileNotFoundError):
        return missing_reason(path, noun)
    if exc.errno == errno.ELOOP:
        return "is a loop of symbolic links (a link that leads back to itself)"
    if isinstance(exc, PermissionError):
        return "cannot be read (permission denied)"
    return f"cannot be read ({system_error(exc)})"


@dataclass(frozen=True)
class FileRead:
    """The bytes of a file and their sha256, as read once."""

    path: Path
    data: bytes
    sha256: str


def read_file(
    path: str | os.PathLike,
    *,
    limit: int,
    what: str,
    error: type[HubinsimError],
    shown: str | None = None,
) -> FileRead:
    """Read a regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path : path
    limit : int
        Most bytes read [bytes].
    what : str
        What the file is, for the messages ("a scenario file").
    error : HubinsimError subclass
        Raised, naming the file (``shown``, else ``path``) and saying why, when the file is
        missing, not a regular file (a folder, a named pipe, a device, a socket, a process
        stream such as ``/dev/stdin``), too large, or cannot be read. A named pipe is never
        opened, so reading never blocks.
    """
    path = Path(path)
    name = printable(shown if shown is not None else str(path), lines=False)

    def refuse(reason: str):
        return error(f"{name}: {reason}")

    if is_special_place(path):
        raise refuse(
            f"is a stream or an interface of the system, not a file: {what} is read "
            "from a regular file only"
        )
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError):  # a NUL byte in the path
            raise refuse("is not a valid file path") from None
        raise refuse(stat_problem(path, exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(
            f"is {kind_of(info.st_mode)}, not a file: {what} is read from a regular file only"
        )
    too_large = refuse(f"is larger than {limit / 2**20:g} MiB, the most {what} may be")
    if info.st_size > limit:
        raise too_large
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(stat_problem(path, exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since it was looked at
            raise refuse(f"is not a regular file: {what} is read from a regular file only")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise refuse(f"cannot be read ({system_error(exc)})") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise too_large
    return FileRead(path, data, hashlib.sha256(data).hexdigest())


def read_text(
    path: str | os.PathLike,
    *,
    limit: int,
    what: str,
    error: type[HubinsimError],
    shown: str | None = None,
) -> tuple[str, FileRead]:
    """Read a regular file of UTF-8 text (with or without a byte-order mark, as Excel's "CSV
    UTF-8" writes it) by :func:`read_file`: the text and what was read.

    Raises ``error`` as :func:`read_file` does, and when the bytes are not UTF-8 or hold a
    NUL byte (a binary file), naming the line.
    """
    read = read_file(path, limit=limit, what=what, error=error, shown=shown)
    name = printable(shown if shown is not None else str(path), lines=False)
    try:
        text = read.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = read.data[: exc.start].count(b"\n") + 1
        raise error(f"{name}: line {line}: not UTF-8 text; save the file as CSV UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise error(f"{name}: line {line}: a NUL byte; {what} is text, not a binary file")
    return text, read


def folder_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` is not a folder that can be read (None when it is one)."""
    path = Path(path)
    if is_special_place(path):
        return "is a stream or an interface of the system, not a folder"
    try:
        info = os.stat(path)
    except ValueError:
        return "is not a valid folder path"
    except OSError as exc:
        return stat_problem(path, exc, "folder")
    if not stat.S_ISDIR(info.st_mode):
        return f"is {kind_of(info.st_mode)}, not a folder"
    return None
