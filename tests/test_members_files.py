"""An ensemble's members and draws: CSV up to MEMBERS_CSV_LIMIT members, .npz above, and the
readers hubinsim.read_members / read_draws for both."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_support import invoke

import hubinsim
from hubinsim import output
from hubinsim.ensemble import run_ensemble

CSV_FILES = ("members.csv.gz", "draws.csv.gz")
NPZ_FILES = ("members.npz", "draws.npz")


@pytest.fixture
def results(short):
    return run_ensemble(hubinsim.load_scenario(short), draws=24, seed=7)


def expected_members(res) -> pd.DataFrame:
    """The long members frame, built from the values in memory."""
    years, n = np.asarray(res.years, dtype=np.int64), res.n_members
    columns = {"member": np.repeat(np.arange(n, dtype=np.int64), len(years))}
    columns["year"] = np.tile(years, n)
    for name in output.member_indicators(res):
        columns[name] = res.values[name].T.reshape(-1)
    return pd.DataFrame(columns)


def expected_draws(res) -> pd.DataFrame:
    index = pd.Index(np.arange(res.n_members, dtype=np.int64), name="member")
    return pd.DataFrame(dict(res.metadata["samples"]), index=index)


def write(folder: Path, res, limit: int, monkeypatch) -> list[str]:
    monkeypatch.setattr(output, "MEMBERS_CSV_LIMIT", limit)
    folder.mkdir()
    return output.write_tables(folder, res)


# --------------------------------------------------------------------------- up to the limit


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
    assert list(members.columns) == ["member", "year", *output.member_indicators(results)]
    assert len(members) == 24 * 7
    draws = hubinsim.read_draws(str(folder))  # a str is accepted too
    ref = pd.read_csv(folder / "draws.csv.gz", index_col="member")
    pd.testing.assert_frame_equal(draws, ref, check_exact=True)
    pd.testing.assert_frame_equal(draws, expected_draws(results), check_exact=True)


def test_csv_indicator_columns_read_as_floats_even_when_whole(tmp_path):
    columns = {"member": np.array([0, 0, 1, 1]), "year": np.array([2020, 2021] * 2)}
    columns["enterprises_above_scale"] = np.array([46.0, 50.0, 46.0, 52.0])
    output.write_csv_gz(tmp_path / "members.csv.gz", columns)
    members = hubinsim.read_members(tmp_path)
    assert members["enterprises_above_scale"].dtype == np.float64
    assert (members["member"].dtype, members["year"].dtype) == (np.int64, np.int64)
    assert members["enterprises_above_scale"].tolist() == [46.0, 50.0, 46.0, 52.0]


# --------------------------------------------------------------------------- above the limit


def test_above_the_limit_members_and_draws_are_npz_and_exact(results, tmp_path, monkeypatch):
    folder = tmp_path / "run"
    written = write(folder, results, 10, monkeypatch)
    assert [f for f in written if f.split(".")[0] in ("members", "draws")] == list(NPZ_FILES)
    assert not any((folder / f).exists() for f in CSV_FILES)
    assert sorted(p.name for p in folder.iterdir()) == sorted(written)  # no members.npz.npz
    names = output.member_indicators(results)
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
        hubinsim.read_members(folder), expected_members(results), check_exact=True
    )
    pd.testing.assert_frame_equal(
        hubinsim.read_draws(folder), expected_draws(results), check_exact=True
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


# --------------------------------------------------------------------------- missing files


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
    assert out.stdout.strip() == "hubinsim.output hubinsim.output False"


# --------------------------------------------------------------------------- the CLI


def test_cli_run_above_the_limit_writes_and_lists_npz(short, tmp_path, monkeypatch):
    monkeypatch.setattr(output, "MEMBERS_CSV_LIMIT", 10)
    out = tmp_path / "runs"
    res = invoke("run", short, "--out", out, "--draws", 12, "--seed", 4, "--no-charts")
    assert res.exit_code == 0, res.output
    folder = out / "short"
    info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert {"members.npz", "draws.npz"} <= set(info["files"])
    assert not set(CSV_FILES) & set(info["files"])
    assert sorted(p.name for p in out.iterdir()) == ["short"]  # no temporary folder left
    assert not any((folder / f).exists() for f in CSV_FILES)
    assert "annual.csv, members.npz, draws.npz, targets.csv" in res.output
    ref = run_ensemble(hubinsim.load_scenario(short), draws=12, seed=4)
    pd.testing.assert_frame_equal(
        hubinsim.read_members(folder), expected_members(ref), check_exact=True
    )
    pd.testing.assert_frame_equal(
        hubinsim.read_draws(folder), expected_draws(ref), check_exact=True
    )


def test_cli_run_up_to_the_limit_still_lists_csv(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path, "--draws", 12, "--seed", 4, "--no-charts")
    assert res.exit_code == 0, res.output
    assert "annual.csv, members.csv.gz, draws.csv.gz, targets.csv" in res.output
    assert not any((tmp_path / "short" / f).exists() for f in NPZ_FILES)


def test_cli_run_help_names_the_npz_files():
    res = invoke("run", "--help")
    assert res.exit_code == 0
    assert "members.npz" in res.output and "draws.npz" in res.output
