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
import io
import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, invoke, leftovers, write

import hubinsim
from hubinsim.data import MAX_DATA_FILE_BYTES

BASELINE = ROOT / "scenarios" / "baseline.toml"


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
@pytest.mark.parametrize("role", ["scenario", "extends", "data"])
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
        "parameters.csv", "capital.depreciation,0.08,", "capital.depreciaton,0.08,",
        ["line 10", "capital.depreciation", "missing"],
    ),
    "parameter-unit": ("parameters.csv", "0.08,0.05,0.11,1/yr", "8,5,11,%/yr", ["line 10", "1/yr"]),
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
