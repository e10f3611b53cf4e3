"""The world around the program: odd files, data folders, disks, signals, executors, the
Python API.

Each test stands for a class of failure (issue 12), not one example: every kind of file that
is not a regular file, in every place a file is read; every data file with every kind of
fault; every way the system refuses a write. The command line must exit 2 with a message
naming the input (no traceback, nothing left behind, no process left), or 130 after an
interrupt; the Python API must raise only hubinsim's exceptions.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, SHORT, invoke, leftovers, write

import hubinsim
import hubinsim.io.run_folder
from hubinsim.analysis.elasticities import synthetic_panel
from hubinsim.data import MAX_DATA_FILE_BYTES
from hubinsim.io.folders import HOST_TAG, atomic_folder
from hubinsim.run import parallel, resources
from hubinsim.run.ensemble import run_ensemble
from hubinsim.scenario.uncertainty import Uncertainty, parse_uncertainty

BASELINE = ROOT / "scenarios" / "baseline.toml"
ACTUALS = ROOT / "examples" / "actuals_illustrative.csv"


@pytest.fixture
def no_hang():
    """Fail (instead of hanging the suite) if the test blocks for 30 s."""

    def alarm(signum, frame):
        raise TimeoutError("blocked for 30 s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def refused(res, out: Path, *fragments: str) -> None:
    """Exit 2, a message holding every fragment, no traceback, nothing written."""
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "This is a bug" not in res.output
    for fragment in fragments:
        assert fragment in res.stderr, (fragment, res.stderr)
    assert leftovers(out) == []


# --------------------------------------------------------------------------- file types


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))


def _sparse(path: Path) -> None:
    path.touch()
    os.truncate(path, 2**31)


#: Things that are not a regular file, made at ``path``: (make, what the message says).
ODD_FILES = {
    "fifo": (lambda p: os.mkfifo(p), "named pipe"),
    "folder": (lambda p: p.mkdir(), "is a folder"),
    "device": (lambda p: p.symlink_to("/dev/zero"), "character device"),
    "stdin": (lambda p: p.symlink_to("/dev/stdin"), "not a file"),
    "socket": (_socket, "socket"),
    "link-loop": (lambda p: p.symlink_to(p.name), "loop of symbolic links"),
    "dangling-link": (lambda p: p.symlink_to("gone.toml"), "'gone.toml', which does not exist"),
    "sparse-2GiB": (_sparse, "larger than"),
}


@pytest.mark.parametrize("kind", sorted(ODD_FILES))
@pytest.mark.parametrize("role", ["scenario", "extends", "data", "panel", "actuals", "targets"])
def test_only_regular_files_are_read(kind, role, tmp_path, no_hang):
    make, said = ODD_FILES[kind]
    out = tmp_path / "runs"
    if role == "scenario":
        odd = tmp_path / "odd.toml"
        make(odd)
        res = invoke("run", odd, "--out", out)
    elif role == "extends":
        odd = tmp_path / "odd.toml"
        make(odd)
        child = write(tmp_path / "child.toml", '[scenario]\nextends = "odd.toml"\n')
        res = invoke("run", child, "--out", out)
        assert "child.toml:2:" in res.stderr
    elif role == "panel":
        odd = tmp_path / "panel.csv"
        make(odd)
        res = invoke("estimate", BASELINE, "--panel", odd, "--out", out)
    elif role in ("actuals", "targets"):
        odd = tmp_path / f"{role}.csv"
        make(odd)
        files = {"actuals": ACTUALS, "targets": ROOT / "data" / "targets.csv", role: odd}
        res = invoke("evaluate", BASELINE, "--actuals", files["actuals"], "--targets",
                     files["targets"], "--out", out)  # fmt: skip
    else:
        data = tmp_path / "data"
        shutil.copytree(ROOT / "data", data)
        odd = data / "targets.csv"
        odd.unlink()
        make(odd)
        res = invoke("--data", data, "run", BASELINE, "--out", out)
    refused(res, out, str(odd), said)


def test_dev_stdin_is_refused_by_name(tmp_path, no_hang):
    child = write(tmp_path / "child.toml", '[scenario]\nextends = "/dev/stdin"\n')
    res = invoke("validate", child, "/dev/stdin", "/proc/self/environ")
    assert res.exit_code == 2
    assert res.output.count("a stream or an interface of the system") == 3
    out = tmp_path / "runs"
    for special in ("/dev/stdin", "/proc/self/environ"):
        for option, command in (("--panel", "estimate"), ("--actuals", "evaluate")):
            res = invoke(command, BASELINE, option, special, "--out", out)
            refused(res, out, special, "a stream or an interface of the system")


def test_a_data_folder_that_is_not_a_folder(tmp_path, no_hang):
    fifo = tmp_path / "data"
    os.mkfifo(fifo)
    out = tmp_path / "runs"
    refused(invoke("--data", fifo, "run", BASELINE, "--out", out), out, str(fifo), "named pipe")
    gone = tmp_path / "nowhere"
    refused(invoke("--data", gone, "run", BASELINE, "--out", out), out, str(gone), "not found")


# --------------------------------------------------------------------------- data folders


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


#: A fault of each kind in each file: (file, old text, new text, what the message names).
DATA_FAULTS = {
    "zero-population": ("base_2020.csv", "population,32.67", "population,0", ["line 12", "> 0"]),
    "persons-not-wan": (
        "base_2020.csv", "population,32.67,万人", "population,326700,persons", ["line 12", "万人"]
    ),
    "persons-labelled-wan": (
        "base_2020.csv", "population,32.67,", "population,326700,", ["line 12", "10000"]
    ),
    "gdp-in-yuan": ("base_2020.csv", "gdp,289.3,", "gdp,28930000000,", ["line 2", "亿元"]),
    "share-above-one": (
        "base_2020.csv", "working_age_share,0.68", "working_age_share,6.8", ["line 14", "<= 1"]
    ),
    "unknown-row": ("base_2020.csv", "gdp,289.3", "gpd,1,亿元,x,\ngdp,289.3", ["gpd", "'gdp'"]),
    "missing-row": ("base_2020.csv", "fai,132.4", "fai_total,132.4", ["fai_total", "fai"]),
    "unknown-column": ("base_2020.csv", "source,note", "source,notes", ["notes", "line 1"]),
    "too-many-fields": ("base_2020.csv", "gdp,289.3,", "gdp,289,3,", ["line 2", "fields"]),
    "no-secondary": ("base_2020.csv", "va_tertiary,167.1", "va_tertiary,289", ["secondary"]),
    "lever-default": ("base_2020.csv", "rd_intensity_pct,1.2", "rd_intensity_pct,9", ["lever"]),
    "missing-parameter": (
        "parameters.csv", "capital.depreciation,0.096,", "capital.depreciaton,0.096,",
        ["line 10", "capital.depreciation", "missing"],
    ),
    "parameter-unit": (
        "parameters.csv", "0.096,0.05,0.11,1/yr", "9.6,5,11,%/yr", ["line 10", "1/yr"]
    ),
    "fraction-range": (
        "parameters.csv", ",0.50,0.20,0.80,fraction", ",50,20,80,fraction", ["<= 1"]
    ),
    "pool-unit": ("project_pool.csv", "82.83,亿元", "828300,万元", ["line 2", "亿元"]),
    "target-unit": ("targets.csv", "va_tertiary,200,2025,>=,,亿元", "va_tertiary,2e10,2025,>=,,元",
                    ["line 3", "亿元"]),
    "target-twice": ("targets.csv", "retail_sales,150,2025", "va_tertiary,200,2025", ["second"]),
    "nul-byte": ("targets.csv", "retail_sales", "retail\x00sales", ["NUL"]),
}  # fmt: skip


@pytest.mark.parametrize("fault", sorted(DATA_FAULTS))
def test_every_data_fault_is_refused_naming_file_line_and_column(fault, data_copy, tmp_path):
    name, old, new, fragments = DATA_FAULTS[fault]
    edit(data_copy / name, old, new)
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", BASELINE, "--out", out)
    refused(res, out, str(data_copy / name), *fragments)
    with pytest.raises(hubinsim.DataError, match=name):
        hubinsim.simulate(end=2021, data_dir=data_copy)


def test_excel_utf8_csv_with_a_byte_order_mark_is_read(data_copy):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    same = hubinsim.simulate(end=2022, data_dir=data_copy).annual
    assert same.equals(hubinsim.simulate(end=2022).annual)


def test_a_large_data_file_is_refused_before_it_is_read(data_copy, tmp_path):
    path = data_copy / "parameters.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("#" * (MAX_DATA_FILE_BYTES + 1))
    out = tmp_path / "runs"
    refused(invoke("--data", data_copy, "run", BASELINE, "--out", out), out, str(path), "MiB")


def test_a_model_failure_names_the_data_that_caused_it(data_copy, tmp_path):
    edit(data_copy / "base_2020.csv", "participation_rate,0.70", "participation_rate,0")
    out = tmp_path / "runs"
    res = invoke("--data", data_copy, "run", BASELINE, "--out", out)
    refused(res, out, "cannot run", str(data_copy), "participation_rate = 0", "baseline.toml")


def test_a_data_file_changed_during_a_session_is_read_again(data_copy):
    before = hubinsim.simulate(end=2022, data_dir=data_copy)
    edit(data_copy / "base_2020.csv", "gdp,289.3", "gdp,300")
    after = hubinsim.simulate(end=2022, data_dir=data_copy)
    assert after.annual.loc[2020, "gdp"] == 300 != before.annual.loc[2020, "gdp"]


FILES_TEXT = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "data").glob("*.csv")}
ODD_CELLS = ["", "0", "-1", "1e400", "nan", "inf", "1e-300", "0.5", "100", "1e9", "x", "亿元"]
ODD_CELLS += ["fraction", "%", "persons", '"', ",", "\n", "\x00", "2025", "<=", ">="]
CELLS = st.one_of(
    st.sampled_from(ODD_CELLS), st.text(max_size=6), st.floats(allow_nan=False).map(repr)
)


@st.composite
def data_edits(draw):
    """A data folder's files with a few random faults: cells, rows, columns, bytes."""
    files = {name: list(csv.reader(io.StringIO(text))) for name, text in FILES_TEXT.items()}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        rows = files[name]
        if not rows or not rows[0]:
            continue
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop-row", "repeat-row", "header",
                                     "drop-column", "short-row"]))  # fmt: skip
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        if kind == "cell" and c < len(rows[r]):
            rows[r][c] = draw(CELLS)
        elif kind == "drop-row":
            del rows[r]
        elif kind == "repeat-row":
            rows.append(list(rows[r]))
        elif kind == "header":
            rows[0][c] = draw(CELLS)
        elif kind == "drop-column":
            for row in rows:
                del row[c : c + 1]
        else:
            rows[r] = rows[r][:c]
    out = {}
    for name, rows in files.items():
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        out[name] = buf.getvalue().encode("utf-8")
    name = draw(st.sampled_from(sorted(out)))
    raw = draw(st.sampled_from(["none", "bom", "cut", "latin-1"]))
    if raw == "bom":
        out[name] = b"\xef\xbb\xbf" + out[name]
    elif raw == "cut":
        out[name] = out[name][: draw(st.integers(0, len(out[name])))]
    elif raw == "latin-1":
        out[name] = out[name] + "é".encode("latin-1")
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data_edits())
def test_random_data_folders_raise_only_hubinsim_errors(files):
    with tempfile.TemporaryDirectory() as folder:
        for name, raw in files.items():
            Path(folder, name).write_bytes(raw)
        try:
            hubinsim.load_scenario(BASELINE, data_dir=folder)
            res = hubinsim.simulate(end=2022, data_dir=folder)
        except hubinsim.HubinsimError as exc:
            assert str(exc)
        else:
            assert res.annual.notna().any().any()


PANEL_NAMES = ["district", "year", "gdp", "fiscal_revenue", "unemployment_rate_pct",
               "gdp_real_growth_pct", "population", "x", ""]  # fmt: skip
PANEL_CELLS = st.one_of(
    st.sampled_from(["", "2020", "2021", "1800", "5", "-1", "0", "nan", "inf", "1,000", "x"]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**64), 2**64),
    st.none(),
    st.text(max_size=4),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PANEL_NAMES), min_size=1, max_size=4),
    st.lists(st.lists(PANEL_CELLS, min_size=4, max_size=4), max_size=12),
    st.sampled_from(["frame", "mapping", "file", "bytes"]),
    st.binary(max_size=40),
)
def test_random_panels_raise_only_hubinsim_errors(columns, cells, form, raw):
    """A panel from a file or from Python: only hubinsim's errors, whatever its columns and
    cells."""
    rows = [row[: len(columns)] for row in cells]
    with tempfile.TemporaryDirectory() as folder:
        if form in ("file", "bytes"):
            path = Path(folder, "panel.csv")
            buf = io.StringIO()
            csv.writer(buf).writerows([columns, *rows])
            path.write_bytes(buf.getvalue().encode("utf-8") + (raw if form == "bytes" else b""))
            panel = path
        elif form == "frame":
            panel = pd.DataFrame(rows, columns=pd.Index(columns, dtype=object)) if rows else {}
        else:
            panel = {c: [r[k] for r in rows] for k, c in enumerate(dict.fromkeys(columns))}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                hubinsim.estimate_elasticities(panel)
        except hubinsim.HubinsimError as exc:
            assert str(exc)


ACTUALS_ROWS = list(csv.reader(io.StringIO(ACTUALS.read_text(encoding="utf-8-sig"))))
ACTUALS_CELLS = st.one_of(
    st.sampled_from(["", "0", "-1", "1e400", "inf", "nan", "2021", "1900", "x", "level",
                     "real_growth_pct", "share_pct", "final", "H1", "gdp", "1,234", "\x00"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=5),
)  # fmt: skip


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(ACTUALS_ROWS) - 1), st.integers(0, 6), ACTUALS_CELLS),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_random_actuals_raise_only_hubinsim_errors(edits, as_rows):
    """A file of actual figures with random cells, read from a file or given as rows: only
    hubinsim's errors."""
    rows = [list(r) for r in ACTUALS_ROWS]
    for r, c, cell in edits:
        if c < len(rows[r]):
            rows[r][c] = cell
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if as_rows:
                hubinsim.Actuals.from_rows([dict(zip(rows[0], r, strict=False)) for r in rows[1:]])
            else:
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder, "actuals.csv")
                    buf = io.StringIO()
                    csv.writer(buf).writerows(rows)
                    path.write_text(buf.getvalue(), encoding="utf-8")
                    hubinsim.read_actuals(path)
        except hubinsim.HubinsimError as exc:
            assert str(exc)


# --------------------------------------------------------------------------- signals

LONG = """[scenario]
name = "long"
[time]
end = 2035
"""


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry))
    return out


def running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_signal_stops_an_ensemble_and_its_workers(tmp_path):
    """Four real ensembles with two worker processes each, stopped by SIGINT, SIGTERM,
    SIGHUP and SIGKILL of the main process: the workers end with it, the exit code is 128 +
    the signal's number, and no folder is left."""
    scenario = write(tmp_path / "long.toml", LONG)
    runs = {}
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL):
        out = tmp_path / sig.name
        command = [sys.executable, "-m", "hubinsim", "run", str(scenario), "--out", str(out)]
        command += ["--draws", "30000", "--chunk-size", "300", "--workers", "2", "--seed", "1"]
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        runs[sig] = (proc, out)
    try:
        for sig, (proc, out) in runs.items():
            assert wait_for(lambda p=proc: len(children(p.pid)) >= 2, 60), proc.pid
            workers = children(proc.pid)
            proc.send_signal(sig)
            _, err = proc.communicate(timeout=60)
            expected = -sig if sig == signal.SIGKILL else 128 + sig
            assert proc.returncode == expected, (sig.name, err.decode())
            assert wait_for(lambda w=workers: not any(running(p) for p in w), 10), sig.name
            assert leftovers(out) == [], sig.name
            if sig != signal.SIGKILL:
                assert b"Interrupted" in err and b"Traceback" not in err, err.decode()
    finally:
        for proc, _ in runs.values():
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def test_an_interrupt_while_a_folder_is_written_leaves_nothing(short, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(hubinsim.io.run_folder, "write_members", interrupted)
    out = tmp_path / "a" / "b" / "runs"
    res = invoke("run", short, "--out", out, "--draws", 4, "--seed", 1, "--no-charts")
    assert res.exit_code == 130 and "Interrupted (Ctrl-C)" in res.stderr
    assert not (tmp_path / "a").exists()  # the parents made for it are gone too


# --------------------------------------------------------------------------- executors


@pytest.fixture
def fake_scheduler():
    """A server on a free local port that accepts connections and answers each with
    ``answer`` (nothing: b"")."""
    servers = []

    def start(answer: bytes) -> str:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        servers.append(server)

        def serve():
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                servers.append(conn)
                if answer:
                    conn.sendall(answer)

        threading.Thread(target=serve, daemon=True).start()
        return f"dask://127.0.0.1:{server.getsockname()[1]}"

    yield start
    for s in servers:
        s.close()


@pytest.mark.parametrize(
    "answer, said",
    [
        (b"", "sent nothing for 0.5 s"),
        (b"HTTP/1.1 200 OK\r\n\r\nhello", "answered with something else"),
        (b"\xff" * 64, "answered with something else"),
    ],
    ids=["silent", "http", "huge-length"],
)
def test_an_address_that_is_not_a_dask_scheduler_is_refused(
    answer, said, fake_scheduler, short, tmp_path, monkeypatch, no_hang
):
    monkeypatch.setattr(parallel, "HANDSHAKE_S", 0.5)
    address = fake_scheduler(answer)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--draws", 4, "--executor", address)
    refused(res, out, address.replace("dask", "tcp"), "not a Dask scheduler", said)


# --------------------------------------------------------------------------- result folders


@pytest.mark.parametrize(
    "code, said",
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EDQUOT, "quota"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "permission denied"),
        (errno.EIO, "input/output error"),
    ],
)
def test_a_refusal_of_the_system_is_an_output_error(code, said, short, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(hubinsim.io.run_folder, "write_tables", refuse)
    out = tmp_path / "a" / "b" / "c"
    refused(invoke("run", short, "--out", out), out, "short", said)
    assert not (tmp_path / "a").exists()


def test_the_previous_folder_is_kept_when_it_cannot_be_removed(short, tmp_path):
    out = tmp_path / "runs"
    assert invoke("run", short, "--out", out, "--no-charts").exit_code == 0
    before = (out / "short" / "annual.csv").read_bytes()
    if subprocess.run(["chattr", "+i", str(out / "short")], capture_output=True).returncode:
        pytest.skip("chattr +i is not permitted here")
    try:
        res = invoke("run", short, "--out", out, "--no-charts", "--force")
    finally:
        subprocess.run(["chattr", "-i", str(out / "short")], check=True)
    assert res.exit_code == 2 and "immutable" in res.stderr and "left as it was" in res.stderr
    assert leftovers(out) == ["short"] and (out / "short" / "annual.csv").read_bytes() == before


@pytest.mark.parametrize(
    "make, said, forced",
    [
        (lambda p: p.symlink_to(p.parent / "gone"), "which does not exist", 0),
        (lambda p: p.symlink_to(p.name), "loop of symbolic links", 0),
        (lambda p: p.write_text("x"), "a file is in the way", 2),
        (lambda p: os.mkfifo(p), "a named pipe (FIFO) is in the way", 2),
    ],
    ids=["dangling-link", "link-loop", "file", "fifo"],
)
def test_what_is_in_the_way_of_a_folder_has_its_own_message(make, said, forced, short, tmp_path):
    out = tmp_path / "runs"
    out.mkdir()
    make(out / "short")
    res = invoke("run", short, "--out", out, "--no-charts")
    assert res.exit_code == 2 and said in res.stderr, res.stderr
    res = invoke("run", short, "--out", out, "--no-charts", "--force")
    assert res.exit_code == forced, res.output
    assert (out / "short").is_dir() == (forced == 0)


def test_folders_honour_the_umask(short, tmp_path):
    before = os.umask(0o002)
    try:
        res = invoke("run", short, "--out", tmp_path, "--draws", 4, "--seed", 1, "--no-charts")
    finally:
        os.umask(before)
    assert res.exit_code == 0, res.output
    folder = tmp_path / "short"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o775
    for name in ("annual.csv", "members.csv.gz", "run.json"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o664, name


def test_concurrent_replacements_leave_one_complete_folder(tmp_path):
    target = tmp_path / "runs" / "x"
    errors = []

    def writer(k: int):
        try:
            for _ in range(20):
                with atomic_folder(target, force=True) as tmp:
                    (tmp / "who").write_text(str(k))
                    (tmp / "second").write_text(str(k))
        except Exception as exc:  # noqa: BLE001 - collected, then asserted empty
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert leftovers(target.parent) == ["x"]
    assert (target / "who").read_text() == (target / "second").read_text()


def test_a_parent_folder_made_meanwhile_by_another_writer_is_used(tmp_path, monkeypatch):
    """Two writers into a new ``runs`` folder: the one that finds it made between its look
    and its mkdir (the race behind a rare failure of the test above) uses it, and leaves it
    in place when its own write fails, as the folder is not its own."""
    out = tmp_path / "runs"
    out.mkdir()
    real = os.path.lexists
    monkeypatch.setattr(os.path, "lexists", lambda p: False if Path(p) == out else real(p))
    with atomic_folder(out / "x") as tmp:
        (tmp / "who").write_text("one")
    assert (out / "x" / "who").read_text() == "one"
    with pytest.raises(RuntimeError), atomic_folder(out / "y"):
        raise RuntimeError("the writer fails")
    assert out.is_dir() and leftovers(out) == ["x"]


def test_a_writer_killed_while_replacing_is_undone_by_the_next(tmp_path):
    out = tmp_path / "runs"
    moved = out / f".x.old-{HOST_TAG}-{dead_pid()}-abc" / "x"
    moved.mkdir(parents=True)
    (moved / "annual.csv").write_text("the previous run")
    (out / f".x.tmp-{HOST_TAG}-{dead_pid()}-def").mkdir()  # a half-written one
    with pytest.raises(hubinsim.OutputError, match="already exists"), atomic_folder(out / "x"):
        pass
    assert leftovers(out) == ["x"] and (out / "x" / "annual.csv").read_text() == "the previous run"


def dead_pid() -> int:
    """The number of a process that has ended."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(proc.stdout)


def test_names_alike_once_cleaned_get_distinct_files(tmp_path):
    paths = [write(tmp_path / f"{k}.toml", f'[scenario]\nname = "{n}"\n[time]\nend = 2022\n')
             for k, n in enumerate(["a b", "a_b", "A_B"])]  # fmt: skip
    out = tmp_path / "runs"
    res = invoke("compare", *paths, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    (folder,) = out.iterdir()
    files = sorted(p.name for p in (folder / "scenarios").iterdir())
    assert files == ["A_B-3.resolved.toml", "a_b-2.resolved.toml", "a_b.resolved.toml"]
    names = [hubinsim.load_scenario(folder / "scenarios" / f).name for f in files]
    assert sorted(names) == ["A_B", "a b", "a_b"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_an_error_of_the_system(short, tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "hubinsim", "run", str(short), "--out", str(tmp_path),
             "--no-charts"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "cannot write to standard output (the disk is full" in proc.stderr
    assert "Traceback" not in proc.stderr and (tmp_path / "short" / "run.json").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["run", "--help"],
        ["indicators"],
        ["levers", "--format", "csv"],
        ["validate", str(BASELINE)],
        ["run"],
    ],  # fmt: skip
)
def test_every_command_told_its_standard_output_is_full_says_so(args):
    """Whatever prints (help, the version, a table, a usage error), a full standard output
    is exit 2 with a sentence, not a traceback."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "hubinsim", *args],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "This is a bug" not in proc.stderr
    if args != ["run"]:  # a usage error goes to standard error
        assert "cannot write to standard output (the disk is full" in proc.stderr


# --------------------------------------------------------------------------- resources


def test_workers_are_capped_at_the_usable_cpus(short, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    res = invoke("run", short, "--out", tmp_path, "--draws", 20, "--seed", 1, "--chunk-size",
                 5, "--workers", 1000, "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "1,000 asked, but this process may use 2 CPU(s); running 2" in res.stderr


def test_chunks_are_made_to_fit_in_memory_and_members_must(short, tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "available_memory", lambda: 40_000_000)
    args = ["run", short, "--draws", 3000, "--seed", 1, "--no-charts"]
    res = invoke(*args, "--out", tmp_path / "a", "--chunk-size", 200_000)
    assert res.exit_code == 0, res.output
    assert "running chunks of" in res.stderr
    record = json.loads((tmp_path / "a" / "short" / "run.json").read_text(encoding="utf-8"))
    assert record["ensemble"]["chunk_size"] < 200_000
    monkeypatch.setattr(resources, "available_memory", lambda: 1_000_000)
    out = tmp_path / "b"
    refused(invoke(*args, "--out", out), out, "draws", "members", "available")


def test_a_long_run_is_announced_before_it_starts(short, tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "SECONDS_PER_MEMBER_STEP", 1.0)
    res = invoke("run", short, "--out", tmp_path, "--draws", 10, "--seed", 1, "--no-charts")
    assert res.exit_code == 0, res.output
    note = next(line for line in res.stderr.splitlines() if line.startswith("Note: This run"))
    assert "10 members x 24 time steps" in note and "min" in note and "of memory" in note


def test_a_long_run_is_announced_once_before_its_draws_are_made(short, tmp_path, monkeypatch):
    """Drawing two million members' parameters takes a minute itself: the plan, counting it
    in, is printed before the draws are made, and once."""
    monkeypatch.setattr(resources, "SECONDS_PER_DRAWN_VALUE", 1.0)
    made, original = [], Uncertainty.sample

    def sample(self, *args, **kwargs):
        made.append(True)
        raise hubinsim.ScenarioError("stopped at the draws")

    monkeypatch.setattr(Uncertainty, "sample", sample)
    res = invoke("run", short, "--out", tmp_path, "--draws", 10, "--seed", 1, "--no-charts")
    assert made and res.exit_code == 2 and "stopped at the draws" in res.stderr
    assert res.stderr.count("Note: This run") == 1, res.stderr
    monkeypatch.setattr(Uncertainty, "sample", original)
    res = invoke("run", short, "--out", tmp_path, "--draws", 10, "--seed", 1, "--no-charts")
    assert res.exit_code == 0 and res.stderr.count("Note: This run") == 1, res.stderr


# --------------------------------------------------------------------------- provenance


def test_a_resolved_file_is_refused_on_other_data(data_copy, tmp_path):
    edit(data_copy / "base_2020.csv", "gdp,289.3", "gdp,300")
    scenario = write(tmp_path / "s.toml", SHORT.format(name="s", vouchers=1.0))
    first = tmp_path / "first"
    assert (
        invoke("--data", data_copy, "run", scenario, "--out", first, "--no-charts").exit_code == 0
    )
    resolved = first / "s" / "scenario.resolved.toml"
    text = resolved.read_text(encoding="utf-8")
    assert f'folder = "{data_copy}"' in text and '"base_2020.csv" = "' in text
    record = json.loads((first / "s" / "run.json").read_text(encoding="utf-8"))
    assert record["data_dir"] == str(data_copy)
    again = tmp_path / "again"
    res = invoke("run", resolved, "--out", again, "--no-charts")
    refused(res, again, str(resolved), "[data]", str(data_copy), "base_2020.csv")
    assert invoke("validate", resolved).exit_code == 2
    res = invoke("--data", data_copy, "run", resolved, "--out", again, "--no-charts")
    assert res.exit_code == 0, res.output
    same = (again / "s" / "annual.csv").read_bytes() == (first / "s" / "annual.csv").read_bytes()
    assert same


def test_inputs_are_hashed_as_they_were_read(data_copy, tmp_path):
    scenario = write(tmp_path / "s.toml", SHORT.format(name="s", vouchers=1.0))
    used = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in
            (scenario, data_copy / "base_2020.csv")}  # fmt: skip
    res = hubinsim.simulate(hubinsim.load_scenario(scenario, data_copy), data_dir=data_copy)
    write(scenario, SHORT.format(name="s", vouchers=2.0))  # edited after the run
    edit(data_copy / "base_2020.csv", "gdp,289.3", "gdp,300")
    written = hubinsim.write_run(res, tmp_path / "runs", charts=False)
    hashes = json.loads((written.path / "run.json").read_text(encoding="utf-8"))["input_hashes"]
    assert hashes["scenario"][str(scenario.resolve())] == used[scenario]
    assert hashes["data"][str(data_copy / "base_2020.csv")] == used[data_copy / "base_2020.csv"]
    resolved = (written.path / "scenario.resolved.toml").read_text(encoding="utf-8")
    assert used[data_copy / "base_2020.csv"] in resolved


def test_tables_people_give_are_hashed_as_they_were_read(tmp_path):
    """A panel and a file of actual figures edited after they were read: the estimate and
    the evaluation record the bytes used."""
    actuals = tmp_path / "actuals.csv"
    shutil.copy(ACTUALS, actuals)
    used = hashlib.sha256(actuals.read_bytes()).hexdigest()
    acts = hubinsim.read_actuals(actuals)
    actuals.write_text("edited", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert hubinsim.evaluate(BASELINE, acts).record["actuals_sha256"] == used
    panel = tmp_path / "panel.csv"
    synthetic_panel().to_csv(panel)
    used = hashlib.sha256(panel.read_bytes()).hexdigest()
    frame = hubinsim.read_panel(panel)
    panel.write_text("edited", encoding="utf-8")
    assert hubinsim.estimate_elasticities(frame).metadata["sha256"] == used


# --------------------------------------------------------------------------- the Python API

BAD_ARGUMENTS = {
    "dt-zero": (dict(dt=0), "dt"),
    "end-zero": (dict(end=0), "end"),
    "method-empty": (dict(method=""), "method"),
    "end-text": (dict(end="2030"), "end"),
    "draws-huge": (dict(draws=10**9), "draws"),
    "members-huge": (dict(members=10**9), "members"),
    "chunk-huge": (dict(draws=5, chunk_size=10**9), "chunk_size"),
    "workers-zero": (dict(draws=5, workers=0), "workers"),
    "seed-negative": (dict(draws=5, seed=-1), "seed"),
    "sampling": (dict(draws=5, sampling="lhss"), "sampling"),
    "executor": (dict(draws=5, executor=5), "executor"),
    "progress": (dict(draws=5, progress="yes"), "progress"),
    "ensemble": (dict(ensemble="yes"), "ensemble"),
    "levers-number": (dict(levers=5), "levers"),
    "lever-text": (dict(levers={"vouchers": "x"}), "vouchers"),
    "lever-unknown": (dict(levers={"vouchres": 1.0}), "vouchers"),
    "shocks-number": (dict(shocks=5), "shocks"),
    "shock-number": (dict(shocks=[5]), "shock #1"),
    "shock-three-years": (
        dict(shocks=[{"target": "fai", "years": (2022, 2023, 2024), "factor": 1.1}]), "two years"
    ),
    "shock-unknown-key": (
        dict(shocks=[{"target": "fai", "years": (2022, 2022), "factor": 1.1, "fctor": 2}]),
        "'factor'",
    ),
    "shocks-combined": (
        dict(shocks=[{"target": "fai", "years": (2022, 2024), "factor": 3.0}] * 3), "3 x 3 = 9"
    ),
    "parameters-number": (dict(parameters=5), "parameters"),
    "parameter-text": (dict(parameters={"capital.depreciation": "x"}), "capital.depreciation"),
    "parameter-array": (dict(parameters={"capital.depreciation": [0.07, 0.08]}), "array of 1"),
    "scenario-number": (dict(scenario=5), "scenario"),
    "scenario-name": (dict(scenario=hubinsim.Scenario(name="../x")), "name"),
    "scenario-lever": (dict(scenario=hubinsim.Scenario(levers={"vouchers": 1e9})), "vouchers"),
    "scenario-time": (dict(scenario=hubinsim.Scenario(time=5)), "time"),
    "data-dir-number": (dict(data_dir=5), "data_dir"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_the_api_refuses_what_the_command_line_refuses(case):
    kwargs, said = BAD_ARGUMENTS[case]
    with pytest.raises(hubinsim.HubinsimError, match=re.escape(said)):
        hubinsim.simulate(**kwargs)


@pytest.mark.parametrize("name", ["../../x", ".hidden", "a/b", "tab\tname", " padded", "x" * 101])
def test_make_scenario_checks_names_as_files_do(name, tmp_path):
    with pytest.raises(hubinsim.ScenarioError, match="name"):
        hubinsim.make_scenario(name=name)
    path = write(tmp_path / "n.toml", f"[scenario]\nname = {json.dumps(name)}\n")
    with pytest.raises(hubinsim.ScenarioError, match="name"):
        hubinsim.load_scenario(path)


def test_stacked_shocks_are_refused_in_files_as_in_python(tmp_path):
    shock = '[[shock]]\ntarget = "va_tertiary"\nyears = [2022, 2023]\nfactor = 1.5\n'
    path = write(tmp_path / "s.toml", SHORT.format(name="s", vouchers=1.0) + shock * 10)
    res = invoke("validate", path)
    assert res.exit_code == 2 and "1.5 x 1.5 x 1.5 = 3.375" in res.output
    assert "[[shock]] #3 factor" in res.output and "s.toml:" in res.output
    one = '[[shock]]\ntarget = "va_tertiary"\nyears = [2022, 2022]\nfactor = 3.0\n'
    ok = write(tmp_path / "ok.toml", SHORT.format(name="ok", vouchers=1.0) + one)
    assert invoke("validate", ok).exit_code == 0


def test_a_parameter_fixed_and_drawn_is_refused_in_files_and_python(tmp_path):
    both = SHORT.format(name="both", vouchers=1.0) + (
        '[parameters]\n"capital.depreciation" = 0.07\n'
        '[uncertainty.parameters]\n"capital.depreciation" = { dist = "uniform" }\n'
    )
    res = invoke("validate", write(tmp_path / "both.toml", both))
    assert res.exit_code == 2 and "also fixed in [parameters]" in res.output
    scn = hubinsim.make_scenario(name="fixed", parameters={"capital.depreciation": 0.07})
    unc = parse_uncertainty({"parameters": {"capital.depreciation": {"dist": "uniform"}}})
    for call in (
        lambda: run_ensemble(scn, draws=4, seed=1, uncertainty=unc),
        lambda: hubinsim.simulate(
            dataclasses.replace(scn, sections={"uncertainty": unc}), draws=4, seed=1
        ),
    ):
        with pytest.raises(hubinsim.ScenarioError, match="also fixed"):
            call()


def test_the_other_functions_check_their_arguments(tmp_path):
    res = hubinsim.simulate(end=2021)
    calls = {
        "compare": lambda: hubinsim.compare(BASELINE, 5),
        "sensitivity-n": lambda: hubinsim.sensitivity(n=10**9),
        "sensitivity-method": lambda: hubinsim.sensitivity(method=""),
        "sensitivity-outputs": lambda: hubinsim.sensitivity(outputs=5),
        "sensitivity-conf": lambda: hubinsim.sensitivity(conf_level=2),
        "write-run": lambda: hubinsim.write_run(5, tmp_path),
        "write-run-out": lambda: hubinsim.write_run(res, 5),
        "write-run-lang": lambda: hubinsim.write_run(res, tmp_path, lang="fr"),
        "write-comparison": lambda: hubinsim.write_comparison(res, tmp_path),
        "write-sensitivity": lambda: hubinsim.write_sensitivity(res, tmp_path),
        "read-members": lambda: hubinsim.read_members(tmp_path / "nothing"),
        "read-draws": lambda: hubinsim.read_draws(5),
        "load-scenario": lambda: hubinsim.load_scenario(5),
        "levers": lambda: hubinsim.levers(data_dir=tmp_path / "nothing"),
        "solve-target": lambda: hubinsim.solve(None, 5, "vouchers"),
        "solve-levers": lambda: hubinsim.solve(None, "gdp@2025>=1", 5),
        "solve-draws": lambda: hubinsim.solve(None, "gdp@2025>=1", "vouchers", draws=10**9),
        "solve-scenario": lambda: hubinsim.solve(hubinsim.Scenario(time=5), "gdp@2025>=1", "x"),
        "attribute": lambda: hubinsim.attribute(BASELINE, 5),
        "attribute-max": lambda: hubinsim.attribute(BASELINE, BASELINE, max_settings=True),
        "write-solution": lambda: hubinsim.write_solution(res, tmp_path),
        "evaluate-scenario": lambda: hubinsim.evaluate(hubinsim.Scenario(time=5), ACTUALS),
        "evaluate-actuals": lambda: hubinsim.evaluate(BASELINE, 5),
        "evaluate-targets": lambda: hubinsim.evaluate(BASELINE, ACTUALS, targets=5),
        "evaluate-target-list": lambda: hubinsim.evaluate(BASELINE, ACTUALS, targets=[1, 2]),
        "evaluate-draws": lambda: hubinsim.evaluate(BASELINE, ACTUALS, draws=1),
        "evaluate-seed": lambda: hubinsim.evaluate(BASELINE, ACTUALS, seed="x"),
        "evaluate-rules": lambda: hubinsim.evaluate(BASELINE, ACTUALS, rules=None),
        "evaluate-lang": lambda: hubinsim.evaluate(BASELINE, ACTUALS, lang="fr"),
        "actuals-rows": lambda: hubinsim.Actuals.from_rows([5]),
        "actuals-text": lambda: hubinsim.Actuals.from_rows("x"),
        "read-actuals": lambda: hubinsim.read_actuals(None),
        "read-panel": lambda: hubinsim.read_panel(5),
        "estimate-panel": lambda: hubinsim.estimate_elasticities(5),
        "write-estimates": lambda: hubinsim.write_estimates("x", tmp_path),
        "write-evaluation": lambda: hubinsim.write_evaluation(None, tmp_path),
        "summary-columns": lambda: res.summary(5),
        "summary-unknown": lambda: res.summary(["gdp", "gpd"]),
    }
    for name, call in calls.items():
        with pytest.raises(hubinsim.HubinsimError):
            call()
        assert leftovers(tmp_path) == [], name


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, 2, 5, 2021, 2022, 2060, 2061, 10**9, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 0.25, 0.5, 0.3, -0.25, 1e-9]),
    st.text(max_size=8),
    st.sampled_from(["", "auto", "euler", "rk4", "lhs", "sobol", "mc", "even", "vouchers", "x"]),
    st.lists(st.integers(2015, 2045), max_size=3),
    st.dictionaries(st.sampled_from(["vouchers", "siphon_rate", "fai", "x", "step", "2021"]),
                    st.one_of(st.floats(-1, 3), st.text(max_size=3)), max_size=3),
    st.builds(object),
)  # fmt: skip

SIMULATE_ARGUMENTS = ["levers", "parameters", "profile", "shocks", "end", "dt", "method",
                      "members", "draws", "seed", "sampling", "ensemble", "chunk_size",
                      "workers", "executor", "progress"]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(SIMULATE_ARGUMENTS), ODD_VALUES, max_size=4))
def test_random_arguments_raise_only_hubinsim_errors(kwargs):
    if kwargs.get("workers") not in (None, 1):  # keep the runs in this process
        kwargs["workers"] = kwargs.get("workers") if not isinstance(kwargs["workers"], int) else 1
    kwargs.setdefault("end", 2022)
    for call in (hubinsim.simulate, hubinsim.make_scenario):
        args = kwargs if call is hubinsim.simulate else {
            k: v for k, v in kwargs.items() if k in ("levers", "parameters", "profile",
                                                     "shocks", "end", "dt", "method")
        }  # fmt: skip
        try:
            call(**args)
        except hubinsim.HubinsimError as exc:
            assert str(exc)


# --------------------------------------------------------------------------- messages


def test_control_characters_of_a_file_reach_the_terminal_escaped(tmp_path):
    path = write(tmp_path / "esc.toml", '[consumption]\n"\\u001b[31mred\\r" = 1.0\n')
    res = invoke("validate", path)
    assert res.exit_code == 2
    assert "\x1b" not in res.output and "\r" not in res.output
    assert "\\x1b[31mred\\r" in res.output
    for command in ("indicators", "levers"):  # words searched for are echoed escaped
        res = invoke(command, "\x1b[31mred\rX\x07")
        assert "\x1b" not in res.output and "\r" not in res.output and "\x07" not in res.output
        assert "\\x1b[31mred\\rX\\x07" in res.stderr, res.stderr


def test_a_long_list_of_problems_is_cut_with_a_count(tmp_path):
    keys = "".join(f"k{i} = 1\n" for i in range(60_000))
    res = invoke("validate", write(tmp_path / "many.toml", "[consumption]\n" + keys))
    assert res.exit_code == 2 and len(res.output) < 20_000
    assert "60,000 problems" in res.output and "and 59,950 more" in res.output


def test_sobol_n_raised_to_a_power_of_two_is_announced(short, tmp_path):
    res = invoke("sensitivity", short, "--method", "sobol", "-N", 3, "--seed", 1,
                 "--output", "gdp_real@2026", "--out", tmp_path, "--no-charts")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "n = 3 raised to 4" in res.stderr


SCENARIO_FIELDS = ["name", "description", "levers", "profile", "shocks", "parameters", "time",
                   "source", "extends", "sections", "files"]  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.sampled_from(SCENARIO_FIELDS), ODD_VALUES, max_size=3),
    st.dictionaries(
        st.sampled_from(["outputs", "method", "seed", "num_levels", "num_resamples",
                         "conf_level", "backend", "ignore_correlations", "uncertainty"]),
        ODD_VALUES, max_size=3,
    ),
)  # fmt: skip
def test_random_scenario_objects_raise_only_hubinsim_errors(fields, options):
    scn = hubinsim.Scenario(**fields)
    calls = (
        lambda: hubinsim.simulate(scn),
        lambda: hubinsim.compare(scn, scn),
        lambda: hubinsim.attribute(scn, scn),
        lambda: hubinsim.sensitivity(scn, n=2, **{"method": "morris", **options}),
    )
    for call in calls:
        try:
            call()
        except hubinsim.HubinsimError as exc:
            assert str(exc)
