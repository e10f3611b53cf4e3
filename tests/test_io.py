"""The io layer: folders written atomically and named (with a hash when long), run.json and
input hashes, the run, comparison and sensitivity folders, an ensemble's members and draws
(CSV or .npz) read back, and charts drawn in worker processes."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support import draws_frame, members_frame

import hubinsim
from hubinsim.io import charts, record
from hubinsim.io import members as member_files
from hubinsim.io.folders import atomic_folder, comparison_folder, safe_name
from hubinsim.io.run_folder import write_tables
from hubinsim.run.ensemble import run_ensemble

ROOT = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------- folders and records


def test_atomic_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "run"
    with atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("a")
        assert not target.exists()
        assert tmp.parent == tmp_path
    assert (target / "a.txt").read_text() == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_atomic_folder_failure_leaves_nothing(tmp_path):
    target = tmp_path / "run"
    with pytest.raises(ValueError), atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("a")
        raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_folder_keeps_existing_unless_forced(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(hubinsim.OutputError, match="--force"), atomic_folder(target):
        pass
    assert (target / "old.txt").exists()
    with atomic_folder(target, force=True) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_failed_forced_run_keeps_the_old_folder(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), atomic_folder(target, force=True):
        raise RuntimeError("boom")
    assert (target / "old.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_output_error_is_a_hubinsim_error():
    assert issubclass(hubinsim.OutputError, hubinsim.HubinsimError)


@pytest.mark.parametrize(
    "name, folder",
    [("stimulus", "stimulus"), ("a b/c", "a_b_c"), ("刺激方案", "刺激方案"), ("..", "scenario")],
)
def test_safe_name(name, folder):
    assert safe_name(name) == folder


def test_scenario_files_follow_extends_and_stop_at_cycles(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('[scenario]\nextends = "sub/c.toml"\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.toml").write_text('[scenario]\nextends = "../a.toml"\n')
    files = record.scenario_files(tmp_path / "a.toml")
    assert [p.name for p in files] == ["a.toml", "b.toml", "c.toml"]


def test_input_hashes(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b"[scenario]\nname = 's'\n")
    hashes = record.input_hashes(path)
    assert hashes["scenario"] == {
        str(path.resolve()): hashlib.sha256(path.read_bytes()).hexdigest()
    }
    assert len(hashes["data"]) == 4


# ---------------------------------------------------------------------------------- result folders


def test_write_run_writes_the_folder_and_its_record(tmp_path):
    res = hubinsim.simulate(end=2026)
    written = hubinsim.write_run(res, tmp_path, charts=False, command="hubinsim run x.toml")
    assert written.path == tmp_path / "custom" and written.charts == 0
    assert written.files == ("annual.csv", "targets.csv", "scenario.resolved.toml", "run.json")
    info = json.loads((written.path / "run.json").read_text())
    assert info["command"] == "hubinsim run x.toml"
    assert info["end"] == 2026 and info["dt"] == 0.25 and info["method"] == "euler"
    assert info["hubinsim_version"] == hubinsim.__version__
    assert info["files"] == list(written.files[:-1])
    assert info["timestamp"] and info["python"] and info["wall_time_s"] is None
    with pytest.raises(hubinsim.OutputError, match="already exists"):
        hubinsim.write_run(res, tmp_path, charts=False)
    assert hubinsim.write_run(res, tmp_path, charts=False, force=True).path == written.path


def test_a_run_folder_records_the_files_of_its_scenario(short, tmp_path):
    res = hubinsim.simulate(hubinsim.load_scenario(short))
    written = hubinsim.write_run(res, tmp_path / "runs", charts=False)
    info = json.loads((written.path / "run.json").read_text())
    assert info["scenario_file"] == str(short.resolve())
    assert list(info["input_hashes"]["scenario"]) == [str(short.resolve())]


def test_write_comparison_writes_tables_scenarios_and_one_record(short, short_alt, tmp_path):
    cmp = hubinsim.compare(short, short)
    written = hubinsim.write_comparison(cmp, tmp_path, charts=False)
    assert written.path.name == "compare-short-vs-short_2"
    for name in ("annual.csv", "scorecard.csv", "differences_abs.csv", "differences_pct.csv"):
        assert (written.path / name).is_file()
    assert {p.name for p in (written.path / "scenarios").iterdir()} == {
        "short.resolved.toml",
        "short_2.resolved.toml",
    }
    info = json.loads((written.path / "run.json").read_text())
    assert info["reference"] == "short"
    assert [s["scenario"] for s in info["scenarios"]] == ["short", "short (2)"]
    assert [r.metadata["scenario"] for r in cmp.runs] == ["short", "short"]  # left as made
    assert "ensemble" not in info and "statements.txt" not in written.files


def test_write_comparison_of_ensembles_writes_statements(short, short_alt, tmp_path):
    cmp = hubinsim.compare(short, short_alt, draws=8, seed=2)
    written = hubinsim.write_comparison(cmp, tmp_path, charts=False)
    text = (written.path / "statements.txt").read_text(encoding="utf-8")
    assert text == cmp.statements_text()
    info = json.loads((written.path / "run.json").read_text())
    assert info["ensemble"]["seed"] == 2 and info["ensemble"]["common_random_numbers"]


def test_statements_are_chinese_under_zh(short, short_alt, tmp_path):
    """Every sentence of statements.txt in Chinese under lang="zh", the same figures as the
    English sentence of the same indicator and year."""
    cmp = hubinsim.compare(short, short_alt, draws=8, seed=2)
    written = hubinsim.write_comparison(cmp, tmp_path, charts=False, lang="zh")
    text = (written.path / "statements.txt").read_text(encoding="utf-8")
    assert text == cmp.statements_text("zh") and "共同随机数" in text
    zh = {(s.year, s.indicator): s.text for s in cmp.statements_in("zh")}
    assert len(zh) == len(cmp.statements)
    for s in cmp.statements:
        said = zh[(s.year, s.indicator)]
        assert f"{s.year}年" in said and f"[{s.indicator}]" in said
        assert (
            re.findall(r"\d[\d,.]*", said.split("]", 1)[1])[:2]
            == re.findall(r"\d[\d,.]*", s.text.split("]", 1)[1])[:2]
        )  # the same range
        assert not re.search(r"\b(raises|lowers|changes|draws|probability)\b", said)


def test_write_sensitivity_writes_the_ranked_indices(short, tmp_path):
    result = hubinsim.sensitivity(hubinsim.load_scenario(short), "gdp_real@2025", "morris", 2, 1)
    written = hubinsim.write_sensitivity(result, tmp_path, charts=False)
    assert written.path.name == "sensitivity-short-morris"
    table = pd.read_csv(written.path / "indices.csv")
    assert list(table["parameter"]) == list(result.ranked("gdp_real@2025")["parameter"])
    info = json.loads((written.path / "run.json").read_text())
    assert (info["method"], info["seed"], info["n"]) == ("morris", 1, 2)
    assert info["scenario_file"] == str(short.resolve())


def test_long_comparison_names_are_cut_and_keep_a_hash(tmp_path):
    names = ["湖" * 60 + str(i) for i in range(3)]
    folder = comparison_folder(tmp_path, names)
    assert folder.name.startswith("compare-") and len(folder.name.encode()) <= 200
    assert folder != comparison_folder(tmp_path, [*names[:2], "湖" * 60 + "9"])
    assert comparison_folder(tmp_path, ["a", "a"]).name == "compare-a-vs-a_2"


def test_charts_drawn_in_worker_processes_are_those_drawn_here(tmp_path):
    from PIL import Image

    from hubinsim.plots import run_chart_jobs

    jobs = run_chart_jobs(hubinsim.simulate(end=2026))[:3]
    here = charts.write_charts(jobs, tmp_path / "here", workers=1)
    pool = charts.write_charts(jobs, tmp_path / "pool", workers=2)
    assert here == pool == [f"{job.name}.png" for job in jobs]
    for name in here:
        a = np.asarray(Image.open(tmp_path / "here" / name))
        b = np.asarray(Image.open(tmp_path / "pool" / name))
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_charts_are_the_pixels_savefig_writes(tmp_path):
    from PIL import Image

    from hubinsim.plots import run_chart_jobs

    jobs = run_chart_jobs(hubinsim.simulate(end=2026))
    jobs = [j for j in jobs if j.name in ("employment", "targets")]  # two panels; bars
    written = charts.write_charts(jobs, tmp_path / "fast", workers=1)
    saved = charts.save_figures({j.name: j.figure() for j in jobs}, tmp_path / "savefig")
    for name, path in zip(written, saved, strict=True):
        fast = Image.open(tmp_path / "fast" / name)
        assert fast.mode == "RGB"
        np.testing.assert_array_equal(
            np.asarray(fast), np.asarray(Image.open(path).convert("RGB")), err_msg=name
        )


def test_warnings_raised_while_drawing_reach_the_caller(tmp_path):
    from hubinsim.plots import ChartJob

    job = ChartJob("warned", _warned_figure, ())
    for workers in (1, 2):
        with pytest.warns(UserWarning, match="drawn with a warning"):
            charts.write_charts([job, job], tmp_path / str(workers), workers=workers)


def _warned_figure(lang):
    from matplotlib.figure import Figure

    warnings.warn("drawn with a warning", UserWarning, stacklevel=1)
    return Figure(figsize=(1, 1))


# ------------------------------------------------------------------------------- members and draws


CSV_FILES = ("members.csv.gz", "draws.csv.gz")


NPZ_FILES = ("members.npz", "draws.npz")


@pytest.fixture
def results(short):
    return run_ensemble(hubinsim.load_scenario(short), draws=24, seed=7)


def write(folder: Path, res, limit: int, monkeypatch) -> list[str]:
    monkeypatch.setattr(member_files, "MEMBERS_CSV_LIMIT", limit)
    folder.mkdir()
    return write_tables(folder, res)


@pytest.mark.parametrize("limit", [24, 1000])  # at the limit and below it
def test_up_to_the_limit_members_are_csv_and_read_as_pandas_reads_them(
    results, tmp_path, monkeypatch, limit
):
    folder = tmp_path / "run"
    written = write(folder, results, limit, monkeypatch)
    assert [f for f in written if f.split(".")[0] in ("members", "draws")] == list(CSV_FILES)
    assert not any((folder / f).exists() for f in NPZ_FILES)
    members = hubinsim.read_members(folder)
    pd.testing.assert_frame_equal(members, pd.read_csv(folder / "members.csv.gz"), check_exact=True)
    assert list(members.columns) == ["member", "year", *member_files.member_indicators(results)]
    assert len(members) == 24 * 7
    draws = hubinsim.read_draws(str(folder))  # a str is accepted too
    ref = pd.read_csv(folder / "draws.csv.gz", index_col="member")
    pd.testing.assert_frame_equal(draws, ref, check_exact=True)
    pd.testing.assert_frame_equal(draws, draws_frame(results), check_exact=True)


def test_csv_indicator_columns_read_as_floats_even_when_whole(tmp_path):
    columns = {"member": np.array([0, 0, 1, 1]), "year": np.array([2020, 2021] * 2)}
    columns["enterprises_above_scale"] = np.array([46.0, 50.0, 46.0, 52.0])
    member_files.write_csv_gz(tmp_path / "members.csv.gz", columns)
    members = hubinsim.read_members(tmp_path)
    assert members["enterprises_above_scale"].dtype == np.float64
    assert (members["member"].dtype, members["year"].dtype) == (np.int64, np.int64)
    assert members["enterprises_above_scale"].tolist() == [46.0, 50.0, 46.0, 52.0]


def test_above_the_limit_members_and_draws_are_npz_and_exact(results, tmp_path, monkeypatch):
    folder = tmp_path / "run"
    written = write(folder, results, 10, monkeypatch)
    assert [f for f in written if f.split(".")[0] in ("members", "draws")] == list(NPZ_FILES)
    assert not any((folder / f).exists() for f in CSV_FILES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(written)  # no members.npz.npz
    names = member_files.member_indicators(results)
    with np.load(folder / "members.npz") as z:
        assert z.files == ["member", "year", *names]
        assert z["member"].dtype == np.int64 and z["member"].tolist() == list(range(24))
        assert z["year"].dtype == np.int64 and z["year"].tolist() == list(range(2020, 2027))
        for name in names:
            a = z[name]
            assert a.dtype == np.float64 and a.shape == (24, 7) and a.flags.c_contiguous
            np.testing.assert_array_equal(a, results.values[name].T, strict=True)
    samples = results.metadata["samples"]
    with np.load(folder / "draws.npz") as z:
        assert z.files == ["member", *samples]
        for name, values in samples.items():
            np.testing.assert_array_equal(z[name], values, strict=True)
    pd.testing.assert_frame_equal(
        hubinsim.read_members(folder), members_frame(results), check_exact=True
    )
    pd.testing.assert_frame_equal(
        hubinsim.read_draws(folder), draws_frame(results), check_exact=True
    )


def test_csv_and_npz_of_the_same_members_read_the_same(results, tmp_path, monkeypatch):
    write(tmp_path / "csv", results, 1000, monkeypatch)
    write(tmp_path / "npz", results, 10, monkeypatch)
    assert (tmp_path / "csv" / "members.csv.gz").is_file()
    assert (tmp_path / "npz" / "members.npz").is_file()
    from_csv = hubinsim.read_members(tmp_path / "csv")
    from_npz = hubinsim.read_members(tmp_path / "npz")
    pd.testing.assert_frame_equal(from_csv, from_npz, check_exact=False, rtol=1e-9)
    assert not from_csv.equals(from_npz)  # the CSV keeps 10 significant digits, npz all
    pd.testing.assert_frame_equal(
        hubinsim.read_draws(tmp_path / "csv"),
        hubinsim.read_draws(tmp_path / "npz"),
        check_exact=True,
    )


@pytest.mark.parametrize(
    ("reader", "files"),
    [(hubinsim.read_members, "members.npz or members.csv.gz"), (hubinsim.read_draws, "draws")],
)
def test_a_folder_without_members_is_a_clear_error(tmp_path, reader, files):
    (tmp_path / "annual.csv").write_text("year\n2020\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path))) as err:
        reader(tmp_path)
    assert files in str(err.value)
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "no such"))):
        reader(tmp_path / "no such")


def test_reading_members_does_not_import_pandas_before_it_is_called():
    code = (
        "import sys, hubinsim; f = hubinsim.read_members; g = hubinsim.read_draws;"
        "print(f.__module__, g.__module__, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "hubinsim.io.members hubinsim.io.members False"


# ----------------------------------------------------------------------------- tables for people


def test_every_csv_a_folder_writes_is_utf8_with_a_byte_order_mark(short, short_alt, tmp_path):
    """Every CSV a run, comparison (with attribution), sensitivity, goal-seek, estimate or
    evaluation folder writes for people starts with the UTF-8 byte-order mark (Excel reads
    its Chinese labels right), and reads with encoding="utf-8-sig" to the table pandas
    reads."""
    from support import invoke

    from hubinsim.analysis.elasticities import synthetic_panel

    out = tmp_path / "out"
    panel = tmp_path / "panel.csv"
    synthetic_panel(districts=2).to_csv(panel)
    commands = [
        ["run", short, "--draws", 8, "--seed", 1],
        ["compare", short, short_alt, "--attribute"],
        ["sensitivity", short, "--method", "morris", "-N", 2, "--seed", 1,
         "--output", "gdp_real@2026"],
        ["solve", short, "--target", "gdp_real@2026>=1", "--lever", "vouchers"],
        ["estimate", short, "--panel", panel],
        ["evaluate", short, "--actuals", ROOT / "examples" / "actuals_illustrative.csv"],
    ]  # fmt: skip
    for args in commands:
        charts = ["--no-charts"] if args[0] not in ("estimate", "evaluate") else []
        res = invoke(*args, "--out", out, *charts)
        assert res.exit_code == 0, (args, res.output)
    tables = sorted(out.rglob("*.csv"))
    folders = {p.parent.name for p in tables}
    assert len(folders) == 6, folders
    names = {p.name for p in tables}
    assert {"annual.csv", "targets.csv", "scorecard.csv", "attribution.csv", "indices.csv",
            "solution.csv", "estimates.csv", "evaluation.csv"} <= names  # fmt: skip
    for path in tables:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2), path
        text = path.read_text(encoding="utf-8-sig")
        header = next(csv.reader(io.StringIO(text)))
        assert header and not header[0].startswith("\ufeff"), path
        assert header == list(pd.read_csv(path, nrows=0).columns), path


def test_every_table_a_folder_writes_goes_through_write_csv():
    """No writer of the package calls DataFrame.to_csv itself: every table goes through
    io.folders.write_csv (UTF-8 with a byte-order mark), also a writer added later."""
    package = ROOT / "hubinsim"
    found = [
        f"{path.relative_to(ROOT)}:{k}"
        for path in sorted(package.rglob("*.py"))
        if path != package / "io" / "folders.py"
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".to_csv(" in line and not line.lstrip().startswith("#")
    ]
    assert found == []
