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

from .errors import HubinsimError, Message, in_lang, printable, text_in

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

#: The same in Chinese.
SYSTEM_ERRORS_ZH = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统为只读",
    errno.EACCES: "权限不足",
    errno.EPERM: "不允许该操作(文件或文件夹可能不可更改,或属于其他用户)",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "它是文件夹",
    errno.ELOOP: "路径是符号链接的循环",
    errno.ENAMETOOLONG: "路径或其中的名称过长",
    errno.EEXIST: "它已存在",
    errno.ENOTEMPTY: "文件夹不为空",
    errno.EIO: "输入/输出错误(磁盘故障或网络文件系统)",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "系统中打开的文件过多",
    errno.EBUSY: "它正被使用(挂载点或忙)",
    errno.ETXTBSY: "它正被使用",
    errno.EXDEV: "它在另一个文件系统上",
    errno.EFBIG: "文件对该文件系统过大",
    errno.ENXIO: "设备不存在(没有写入方的命名管道,或设备)",
    errno.EINVAL: "此处不支持该操作",
}

#: What a file read is, in Chinese (``what`` of :func:`read_file`).
WHAT_ZH = {
    "a scenario file": "情景文件",
    "a data file": "数据文件",
    "a panel file": "面板数据文件",
    "an actuals file (docs/evaluation.md)": "实际数据文件(docs/evaluation.md)",
}


def system_error(exc: OSError, lang: str = "en") -> str:
    """What the system refused, in words of ``lang``: ``"the disk is full (...)"``."""
    said = (SYSTEM_ERRORS_ZH if lang == "zh" else SYSTEM_ERRORS).get(exc.errno)
    if said is None:
        said = exc.strerror or str(exc) or type(exc).__name__
    return said


_KINDS = (
    (stat.S_ISDIR, "a folder", "文件夹"),
    (stat.S_ISFIFO, "a named pipe (FIFO)", "命名管道(FIFO)"),
    (stat.S_ISCHR, "a character device", "字符设备"),
    (stat.S_ISBLK, "a block device", "块设备"),
    (stat.S_ISSOCK, "a socket", "套接字"),
    (stat.S_ISREG, "a file", "文件"),
)


def kind_of(mode: int, lang: str = "en") -> str:
    """What a file of ``mode`` (from :func:`os.stat`) is, in words of ``lang``."""
    for test, en, zh in _KINDS:
        if test(mode):
            return in_lang(lang, en, zh)
    return in_lang(lang, "not a regular file", "不是普通文件")


def is_special_place(path: str | os.PathLike) -> bool:
    """Whether ``path`` names a process stream or a kernel interface (:data:`SPECIAL_PLACES`),
    as written or once its links are followed."""
    spelled = os.path.abspath(os.fspath(path))
    try:
        real = os.path.realpath(spelled)
    except (OSError, ValueError):
        real = spelled
    return any(p.startswith(SPECIAL_PLACES) or p + "/" in SPECIAL_PLACES for p in (spelled, real))


def _missing_text(lang, noun, link=None) -> str:
    if link is not None:
        return in_lang(
            lang,
            f"is a symbolic link to {link!r}, which does not exist",
            f"是指向 {link!r} 的符号链接,而后者不存在",
        )
    return in_lang(lang, f"{noun} not found", "文件夹不存在" if noun == "folder" else "文件不存在")


def missing_reason(path: Path, noun: str = "file") -> Message:
    """Why ``path``, which :func:`os.stat` did not find, is missing: not found, or a link to
    a place that does not exist (a :class:`~hubinsim.errors.Message`)."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return Message(_missing_text, noun=noun, link=os.readlink(path))
    except (OSError, ValueError):
        pass
    return Message(_missing_text, noun=noun)


def _unreadable_text(lang, exc=None, loop=False) -> str:
    if loop:
        return in_lang(
            lang,
            "is a loop of symbolic links (a link that leads back to itself)",
            "是符号链接的循环(链接指回自身)",
        )
    return in_lang(
        lang, f"cannot be read ({system_error(exc)})", f"无法读取({system_error(exc, lang)})"
    )


def stat_problem(path: Path, exc: OSError, noun: str = "file") -> Message:
    """Why :func:`os.stat` of ``path`` failed, in words (a Message)."""
    if isinstance(exc, FileNotFoundError):
        return missing_reason(path, noun)
    if exc.errno == errno.ELOOP:
        return Message(_unreadable_text, loop=True)
    code = errno.EACCES if isinstance(exc, PermissionError) else exc.errno
    return Message(_unreadable_text, exc=OSError(code, exc.strerror))


def located_text(lang, where, said) -> str:
    """ "WHERE: SAID": a problem after the file (and line) it is at, said in ``lang``."""
    return f"{where}: {text_in(said, lang)}"


def _what(what, lang) -> str:
    return in_lang(lang, what, WHAT_ZH.get(what, what))


def _regular_text(lang, what, kind=None) -> str:
    """A file that is not a regular file (``kind``: its mode, "special" for a stream of the
    system, None for one replaced since it was looked at)."""
    if kind == "special":
        is_ = in_lang(lang, "is a stream or an interface of the system", "是系统的流或接口")
    elif kind is None:
        is_ = in_lang(lang, "is not a regular file", "不是普通文件")
    else:
        is_ = in_lang(lang, f"is {kind_of(kind)}", f"是{kind_of(kind, lang)}")
    if kind is None:
        return in_lang(
            lang,
            f"{is_}: {what} is read from a regular file only",
            f"{is_}:{_what(what, lang)}只能从普通文件读取",
        )
    return in_lang(
        lang,
        f"{is_}, not a file: {what} is read from a regular file only",
        f"{is_},不是文件:{_what(what, lang)}只能从普通文件读取",
    )


def _invalid_path_text(lang) -> str:
    return in_lang(lang, "is not a valid file path", "不是有效的文件路径")


def _too_large_text(lang, what, mib) -> str:
    return in_lang(
        lang,
        f"is larger than {mib:g} MiB, the most {what} may be",
        f"大于 {mib:g} MiB,即{_what(what, lang)}的上限",
    )


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

    def refuse(reason):
        return error([Message(located_text, where=name, said=reason)])

    def regular(kind=None):
        return Message(_regular_text, what=what, kind=kind)

    if is_special_place(path):
        raise refuse(regular("special"))
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError):  # a NUL byte in the path
            raise refuse(Message(_invalid_path_text)) from None
        raise refuse(stat_problem(path, exc)) from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(regular(info.st_mode))
    too_large = refuse(Message(_too_large_text, what=what, mib=limit / 2**20))
    if info.st_size > limit:
        raise too_large
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise refuse(stat_problem(path, exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since it was looked at
            raise refuse(regular())
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise refuse(Message(_unreadable_text, exc=OSError(exc.errno, exc.strerror))) from None
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
