"""Result folders: their names, and writing them atomically.

A folder is written into a temporary folder beside its target and moved into place only when
every file is complete, so a failed or interrupted run leaves nothing behind and a reader
never sees a half-written folder. An existing folder is kept unless the caller asks to replace
it (``force``); a replacement leaves the previous folder or the new one in place, never
neither: on Linux the two are exchanged in one step (``renameat2`` with ``RENAME_EXCHANGE``),
elsewhere the previous one is moved aside and moved back if the new one cannot take its place.
Writers of folders in the same place take turns (a lock on the parent folder), and the
leftovers of a writer that was killed (a temporary folder, a previous run moved aside) are
cleared, or put back, by the next one.

What the system refuses (a full disk, a read-only or immutable folder, no permission, a
broken link) raises :class:`~hubinsim.errors.OutputError` saying so, and the parent folders
made for the target are removed again. The folder honours the umask, as the files in it do
(group-readable under the usual 022 or 002).

Tables for people (``annual.csv``, ``targets.csv``, ``scorecard.csv`` ...) are written by
:func:`write_csv` in UTF-8 with a byte-order mark, so that Excel opens their Chinese labels
and units right (without it, it reads them in the system's code page); ``pandas.read_csv``
and ``open(..., encoding="utf-8-sig")`` read them as they read plain UTF-8.

Names: a run folder is ``<out>/<scenario-name>/``, a comparison
``<out>/compare-<ref>-vs-<alt>-<alt2>/`` (shortened with a hash when the names are long),
a sensitivity analysis ``<out>/sensitivity-<scenario-name>-<method>/``, a goal seek
``<out>/solve-<scenario-name>-<indicator>-<year>-<levers>/``.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Message, OutputError, in_lang, printable, text_in
from ..files import system_error
from ..results import unique_names

#: The encoding of the tables people open: UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
CSV_ENCODING = "utf-8-sig"


def write_csv(frame, path: Path, **options) -> None:
    """Write the DataFrame ``frame`` to ``path`` as a table for people (:data:`CSV_ENCODING`);
    ``options`` as for ``DataFrame.to_csv``."""
    frame.to_csv(path, encoding=CSV_ENCODING, **options)


#: Most UTF-8 bytes of a folder name hubinsim makes (a name holds 255, with room for the
#: suffix of the temporary folder).
MAX_FOLDER_BYTES = 200
#: Longest wait for another writer to finish replacing a folder in the same place [s].
LOCK_WAIT_S = 60.0

#: This machine, in the names of temporary folders: only leftovers of processes of this
#: machine are cleared (a shared folder may be written from several machines).
HOST_TAG = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-")


@dataclass(frozen=True)
class Written:
    """A result folder written: where, and the files in it (relative paths)."""

    path: Path
    files: tuple[str, ...]

    @property
    def charts(self) -> int:
        """How many charts the folder holds."""
        return sum(f.startswith("charts/") for f in self.files)


def safe_name(name: str) -> str:
    """A folder name from a scenario name: letters (any script), digits, ``._-``; others -> _."""
    cleaned = re.sub(r"[^\w.\-]+", "_", name.strip(), flags=re.UNICODE).strip("._")
    return cleaned or "scenario"


def unique_file_names(names) -> list[str]:
    """:func:`safe_name` of each name, made distinct (``a b`` and ``a_b`` would both be
    ``a_b``; the second becomes ``a_b-2``), also where the file system ignores case."""
    out, seen = [], set()
    for name in names:
        base = safe_name(name)
        candidate, k = base, 1
        while candidate.casefold() in seen:
            k += 1
            candidate = f"{base}-{k}"
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def _shown(path) -> str:
    return printable(str(path), lines=False)


def _error(exc: OSError) -> OSError:
    """The system's refusal as a fact of a message: its code and words, nothing else."""
    return OSError(exc.errno, exc.strerror)


def _folder_text(lang, what, path, exc=None, here=None, link=None, mode=None, why=None) -> str:
    """What cannot be done with the result folder ``path``, by ``what``, in ``lang``: the
    system's refusal ``exc``, the folder ``here`` that is in the way or cannot be written, a
    broken ``link``, the kind of file (``mode``) in the way, ``why`` (a Message) a previous
    folder cannot be replaced."""
    from ..files import kind_of

    reason = "" if exc is None else system_error(exc, lang)
    kind = ("", "") if mode is None else (kind_of(mode), kind_of(mode, lang))
    elsewhere = in_lang(lang, "--out DIR to write elsewhere", "--out DIR 写到别处")
    en, zh = {
        "unwritable": (
            f"cannot be written there ({reason})",
            f"无法在此写入({reason})",
        ),
        "unwritable_folder": (f"cannot be written ({reason})", f"无法写入({reason})"),
        "loop": (
            "is a loop of symbolic links (a link that leads back to itself); remove the "
            f"link, pass --force to replace it (not what it points to), or {elsewhere}",
            "是符号链接的循环(链接指回自身);请删除该链接,或用 --force 替换它(不替换其指向"
            f"之处),或用 {elsewhere}",
        ),
        "broken_link": (
            f"is a symbolic link to {link!r}, which does not exist; remove the link, pass "
            f"--force to replace it (not what it points to), or {elsewhere}",
            f"是指向 {link!r} 的符号链接,而后者不存在;请删除该链接,或用 --force 替换它"
            f"(不替换其指向之处),或用 {elsewhere}",
        ),
        "in_the_way": (
            f"{kind[0]} is in the way (not a folder); hubinsim writes a folder there: "
            f"move it, or pass {elsewhere}",
            f"此处已有{kind[1]}(不是文件夹),而 hubinsim 要在此写入文件夹:请移走它,或用 {elsewhere}",
        ),
        "exists": (
            f"the folder already exists and was left untouched; pass --force to replace it, "
            f"or {elsewhere}",
            f"文件夹已存在,未作改动;用 --force 替换它,或用 {elsewhere}",
        ),
        "not_a_folder": (
            f"cannot create the output folder: {here} is not a folder",
            f"无法创建输出文件夹:{here} 不是文件夹",
        ),
        "here": (
            f"cannot write the output folder there ({reason}); pass {elsewhere}",
            f"无法在此写入输出文件夹({reason});请用 {elsewhere}",
        ),
        "create": (
            f"cannot create the output folder ({reason})",
            f"无法创建输出文件夹({reason})",
        ),
        "locked": (
            f"another process has been replacing a folder here for {LOCK_WAIT_S:g} s; try again",
            f"另一进程已在此替换文件夹达 {LOCK_WAIT_S:g} 秒;请稍后再试",
        ),
        "kept": (
            f"the existing folder cannot be replaced: {text_in(why, lang)}; it was left as it "
            f"was. Pass {elsewhere}",
            f"无法替换已有的文件夹:{text_in(why, lang)};已保持原样。请用 {elsewhere}",
        ),
        "in_place": (
            f"cannot be put in place ({reason})",
            f"无法放到位({reason})",
        ),
        "not_removed": (
            f"written; the previous folder, moved to {here}, could not be entirely removed",
            f"已写入;原有文件夹已移至 {here},但未能完全删除",
        ),
    }[what]
    return f"{path}: {in_lang(lang, en, zh)}"


def _refused(what, path, **facts) -> OutputError:
    """The :class:`OutputError` of :func:`_folder_text`."""
    return OutputError([Message(_folder_text, what=what, path=_shown(path), **facts)])


def _kept_text(lang, path, immutable) -> str:
    """Why a folder of a previous run may not be changed."""
    if immutable:
        return in_lang(
            lang,
            f"{path} is immutable or append-only (chattr)",
            f"{path} 不可更改或只可追加(chattr)",
        )
    reason = system_error(OSError(errno.EACCES, ""), lang)
    return in_lang(lang, f"{path} may not be changed ({reason})", f"{path} 不允许更改({reason})")


def check_target(target: Path, force: bool) -> None:
    """Raise :class:`OutputError` unless a folder can be written at ``target``: nothing is
    there, or a folder that ``force`` allows to replace. A file, a broken link, a loop of
    links or a place that cannot be written each get their own message."""
    target = Path(target)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        _check_writable(target.parent)
        return
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError):
            exc = OSError(errno.EINVAL, "")
        raise _refused("unwritable", target, exc=_error(exc)) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(target)
        except OSError as exc:
            if not force:
                if exc.errno == errno.ELOOP:
                    raise _refused("loop", target) from None
                raise _refused("broken_link", target, link=os.readlink(target)) from None
            return
    if not stat.S_ISDIR(info.st_mode):
        raise _refused("in_the_way", target, mode=info.st_mode)
    if not force:
        raise _refused("exists", target)


def _check_writable(folder: Path) -> None:
    """The nearest existing folder of ``folder`` (itself or a parent) must let us create
    entries; else :class:`OutputError` before any work is done."""
    here = Path(os.path.abspath(folder))
    while True:
        try:
            info = os.stat(here)
        except FileNotFoundError:
            if here.parent == here:
                return
            here = here.parent
            continue
        except OSError as exc:
            raise _refused("unwritable_folder", folder, exc=_error(exc)) from None
        break
    if not stat.S_ISDIR(info.st_mode):
        raise _refused("not_a_folder", folder, here=_shown(here))
    if not os.access(here, os.W_OK | os.X_OK) or _immutable(str(here)):
        code = errno.EROFS if _read_only(here) else errno.EPERM if _immutable(str(here)) else 0
        raise _refused("here", here, exc=OSError(code or errno.EACCES, ""))


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents; returns those created, outermost first."""
    missing = []
    here = Path(os.path.abspath(folder))
    while not os.path.lexists(here):
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    created = []
    try:
        for path in reversed(missing):
            try:
                os.mkdir(path)
            except FileExistsError:
                if not os.path.isdir(path):
                    raise
                continue  # made meanwhile by another writer: theirs, not ours to remove
            created.append(path)
    except OSError as exc:
        _remove_created(created)
        raise _refused("create", folder, exc=_error(exc)) from None
    return created


def _remove_created(created: list[Path]) -> None:
    """Remove the folders made for a target that was not written (if still empty)."""
    for path in reversed(created):
        try:
            os.rmdir(path)
        except OSError:
            break


def _umask() -> int:
    """This process's umask, without changing it where the system can tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (an flock on the folder itself: nothing is left behind)
    while the block runs; waits up to :data:`LOCK_WAIT_S` for another writer."""
    try:
        import fcntl
    except ImportError:  # not on a POSIX system: no lock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield  # a folder that cannot be opened for reading: write without the lock
        return
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _refused("locked", folder) from None
                time.sleep(0.05)
            except OSError:
                break  # locks not supported there (some network file systems)
        yield
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _clear_leftovers(target: Path) -> None:
    """Clear what a writer of ``target`` that was killed left (with the lock held): its
    temporary folder, or the previous run it had moved aside, put back if the target is
    missing."""
    try:
        entries = os.listdir(target.parent)
    except OSError:
        return
    for entry in sorted(entries):
        m = _LEFTOVER.match(entry)
        if not m or m["name"] != target.name or m["host"] != HOST_TAG:
            continue
        if int(m["pid"]) == os.getpid() or _alive(int(m["pid"])):
            continue
        path = target.parent / entry
        if m["kind"] == "old" and not os.path.lexists(target):
            inner = path / target.name  # the previous run, moved aside: back in place
            with contextlib.suppress(OSError):
                os.rename(inner if os.path.lexists(inner) else path, target)
        if os.path.lexists(path):
            _remove(path)


def _remove(path: Path) -> None:
    """Remove a folder (or a link, not what it points to)."""
    if os.path.islink(path) or not os.path.isdir(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _unremovable(folder: Path) -> Message | None:
    """Why ``folder`` (a previous run) could not be removed, found before anything is moved:
    a folder in it that may not be changed (read-only, no permission, immutable)."""
    if os.path.islink(folder):
        return None
    for root, dirs, _ in os.walk(folder):
        if _immutable(root):
            return Message(_kept_text, path=_shown(root), immutable=True)
        if not os.access(root, os.W_OK | os.X_OK):
            return Message(_kept_text, path=_shown(root), immutable=False)
        for name in dirs + _:
            if _immutable(os.path.join(root, name)):
                return Message(_kept_text, path=_shown(os.path.join(root, name)), immutable=True)
    return None


def _immutable(path: str) -> bool:
    """Whether ``path`` has the immutable or append-only attribute (Linux)."""
    try:
        import fcntl

        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except (ImportError, OSError):
        return False
    try:
        buf = ctypes.c_long(0)
        fcntl.ioctl(fd, 0x80086601, buf)  # FS_IOC_GETFLAGS
        return bool(buf.value & (0x10 | 0x20))  # FS_IMMUTABLE_FL, FS_APPEND_FL
    except (OSError, ValueError):
        return False
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the entries ``a`` and ``b`` in one step (Linux ``renameat2``); False where the
    system or the file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _replace(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target`` (which may exist): the old one or the new one is
    always in place."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    why = _unremovable(target)
    if why:
        raise _refused("kept", target, why=why)
    if _exchange(tmp, target):
        _discard(tmp, target)  # tmp now holds the previous folder
        return
    prefix = f".{target.name}.old-{HOST_TAG}-{os.getpid()}-"
    old = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    try:
        os.rename(target, old / target.name)
        try:
            os.rename(tmp, target)
        except BaseException:
            os.rename(old / target.name, target)  # the previous one back in place
            raise
    except BaseException:
        with contextlib.suppress(OSError):
            os.rmdir(old)
        raise
    _discard(old, target)


def _discard(path: Path, target: Path) -> None:
    """Remove the previous folder once the new one is in place; if some of it cannot be
    removed, say where it is (the new folder is complete)."""
    _remove(path)
    if os.path.lexists(path):
        said = Message(_folder_text, what="not_removed", path=_shown(target), here=_shown(path))
        warnings.warn(said, UserWarning, stacklevel=4)


@contextlib.contextmanager
def atomic_folder(target: str | os.PathLike, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; move it to ``target`` on success.

    On any exception (an interrupt included) the temporary folder and the parents made for
    it are removed and ``target`` is untouched; a write the system refuses raises
    :class:`OutputError`. With ``force`` an existing ``target`` is replaced, only once the
    new folder is complete (see the module).
    """
    target = Path(os.path.abspath(target))
    check_target(target, force)
    created = _make_parents(target.parent)
    try:
        prefix = f".{target.name}.tmp-{HOST_TAG}-{os.getpid()}-"
        tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    except OSError as exc:
        _remove_created(created)
        raise _refused("create", target.parent, exc=_error(exc)) from None
    try:
        try:
            yield tmp
            os.chmod(tmp, 0o777 & ~_umask())
        except OSError as exc:
            raise _refused("unwritable_folder", target, exc=_error(exc)) from None
        with _locked(target.parent):
            _clear_leftovers(target)
            check_target(target, force)  # another process may have written it meanwhile
            try:
                _replace(tmp, target)
            except OSError as exc:
                raise _refused("in_place", target, exc=_error(exc)) from None
    except BaseException:
        _remove(tmp)
        _remove_created(created)
        raise


def writer_problems(out, force, charts, lang, command, started, workers, dpi) -> list[str]:
    """Why the arguments of a folder writer (:func:`~hubinsim.io.run_folder.write_run` and
    the others) are not valid (empty when they are)."""
    from ..defaults import LANGUAGES
    from ..run.parallel import workers_problems

    problems = []
    if not isinstance(out, str | os.PathLike) or not os.fspath(out):
        problems.append(f"out: must be the path of a folder, got {out!r:.60}")
    for name, value in (("force", force), ("charts", charts)):
        if not isinstance(value, bool):
            problems.append(f"{name}: must be True or False, got {value!r:.60}")
    if not isinstance(lang, str) or lang not in LANGUAGES:
        problems.append(f"lang: must be one of {', '.join(LANGUAGES)}, got {lang!r:.60}")
    if command is not None and not isinstance(command, str):
        problems.append(f"command: must be a text or None, got {command!r:.60}")
    if started is not None and (isinstance(started, bool) or not isinstance(started, int | float)):
        problems.append(f"started: must be a time.perf_counter() value, got {started!r:.60}")
    problems += workers_problems(workers)
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 1200:
        problems.append(f"dpi: must be a whole number in 10..1200, got {dpi!r:.60}")
    return problems


#: What makes each kind of result a folder writer takes.
MADE_BY = {
    "Results": "hubinsim.simulate",
    "Comparison": "hubinsim.compare",
    "SensitivityResult": "hubinsim.sensitivity",
    "Solution": "hubinsim.solve",
    "Calibration": "hubinsim.calibrate",
    "Backtest": "hubinsim.backtest",
    "Elasticities": "hubinsim.estimate_elasticities",
    "Evaluation": "hubinsim.evaluate",
}


def check_writer(value, kind: type, *settings) -> None:
    """Raise :class:`~hubinsim.errors.ScenarioError` unless ``value`` is a ``kind`` (the
    result a writer writes) and the writer's ``settings`` (see :func:`writer_problems`) are
    valid."""
    from ..errors import ScenarioError

    problems = []
    if not isinstance(value, kind):
        made = MADE_BY.get(kind.__name__, "hubinsim")
        problems.append(
            f"{kind.__name__.lower()}: must be the {kind.__name__} of {made}, got {value!r:.60}"
        )
    problems += writer_problems(*settings)
    if problems:
        raise ScenarioError(problems)


def run_folder(out, scenario_name: str) -> Path:
    """``<out>/<scenario-name>``: the run folder of a scenario."""
    return Path(out) / safe_name(scenario_name)


def comparison_folder(out, scenario_names) -> Path:
    """``<out>/compare-<ref>-vs-<alt>-...``: the folder of a comparison of the scenarios
    named (the reference first; repeated names are made distinct). A name longer than
    :data:`MAX_FOLDER_BYTES` is cut and ended with a hash of the whole, so that it stays
    unique."""
    names = unique_names(list(scenario_names))
    folder = "compare-" + safe_name(names[0]) + "-vs-" + "-".join(safe_name(n) for n in names[1:])
    if len(folder.encode("utf-8")) > MAX_FOLDER_BYTES:
        digest = hashlib.sha256(folder.encode("utf-8")).hexdigest()[:10]
        folder = folder.encode("utf-8")[:180].decode("utf-8", "ignore") + "-" + digest
    return Path(out) / folder


def sensitivity_folder(out, scenario_name: str, method: str) -> Path:
    """``<out>/sensitivity-<scenario-name>-<method>``."""
    return Path(out) / f"sensitivity-{safe_name(scenario_name)}-{method}"


def solve_folder(
    out,
    scenario_name: str,
    indicator: str,
    year: int,
    levers=(),
    from_year: int | None = None,
    actuals: bool = False,
) -> Path:
    """``<out>/solve-<scenario-name>-<indicator>-<year>-<lever>[-<lever>...][-from-<year>]
    [-actuals]``: a goal seek's folder (the levers in it, so that solving one target with
    other levers does not meet the first folder; ``-actuals`` when solved on the
    re-projection from actual figures)."""
    parts = [safe_name(scenario_name), indicator, str(year), *levers]
    if from_year is not None:
        parts += ["from", str(from_year)]
    if actuals:
        parts.append("actuals")
    return Path(out) / ("solve-" + "-".join(parts))


def estimate_folder(out, scenario_name: str) -> Path:
    """``<out>/estimate-<scenario-name>``: behavioural parameters estimated from data."""
    return Path(out) / f"estimate-{safe_name(scenario_name)}"


def calibration_folder(out, scenario_name: str) -> Path:
    """``<out>/calibrate-<scenario-name>``: parameters fitted to actual figures."""
    return Path(out) / f"calibrate-{safe_name(scenario_name)}"


def backtest_folder(out, scenario_name: str, origin: int) -> Path:
    """``<out>/backtest-<scenario-name>-<origin>``: a backtest from an origin year."""
    return Path(out) / f"backtest-{safe_name(scenario_name)}-{origin}"
