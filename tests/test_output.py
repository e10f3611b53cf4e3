"""The run folder writer: atomic folders, hashes, the resolved TOML fallback, run.json."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

import pytest

import hubinsim
from hubinsim import output, scenario_file

ROOT = Path(__file__).resolve().parents[1]


def test_atomic_folder_appears_only_when_complete(tmp_path):
    target = tmp_path / "run"
    with output.atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("a")
        assert not target.exists()
        assert tmp.parent == tmp_path
    assert (target / "a.txt").read_text() == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_atomic_folder_failure_leaves_nothing(tmp_path):
    target = tmp_path / "run"
    with pytest.raises(ValueError), output.atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("a")
        raise ValueError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_folder_keeps_existing_unless_forced(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(output.OutputError, match="--force"), output.atomic_folder(target):
        pass
    assert (target / "old.txt").exists()
    with output.atomic_folder(target, force=True) as tmp:
        (tmp / "new.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_failed_forced_run_keeps_the_old_folder(tmp_path):
    target = tmp_path / "run"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), output.atomic_folder(target, force=True):
        raise RuntimeError("boom")
    assert (target / "old.txt").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_output_error_is_a_hubinsim_error():
    assert issubclass(output.OutputError, hubinsim.HubinsimError)


@pytest.mark.parametrize(
    "name, folder",
    [("stimulus", "stimulus"), ("a b/c", "a_b_c"), ("刺激方案", "刺激方案"), ("..", "scenario")],
)
def test_safe_name(name, folder):
    assert output.safe_name(name) == folder


def test_scenario_files_follow_extends_and_stop_at_cycles(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('[scenario]\nextends = "sub/c.toml"\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.toml").write_text('[scenario]\nextends = "../a.toml"\n')
    files = output.scenario_files(tmp_path / "a.toml")
    assert [p.name for p in files] == ["a.toml", "b.toml", "c.toml"]


def test_input_hashes(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b"[scenario]\nname = 's'\n")
    hashes = output.input_hashes(path)
    assert hashes["scenario"] == {
        str(path.resolve()): hashlib.sha256(path.read_bytes()).hexdigest()
    }
    assert len(hashes["data"]) == 4


@pytest.mark.parametrize(
    "value",
    [
        1,
        0.1,
        1e-7,
        -2.5,
        'text with "quotes", 亿元 and\na newline',
        True,
        {"2021": 1.0, "2023": 0.5},
        {"step": {"2021": 1.0}},
        [2022, 2023],
    ],
)
def test_toml_value_round_trips(value):
    doc = tomllib.loads(f"x = {scenario_file.toml_value(value)}\n")
    assert doc["x"] == value


def test_write_run_and_run_json(tmp_path):
    res = hubinsim.simulate(end=2026)
    files = output.write_run(tmp_path, res, command="hubinsim run x.toml", started=0.0)
    assert files == ["annual.csv", "targets.csv", "scenario.resolved.toml", "run.json"]
    info = json.loads((tmp_path / "run.json").read_text())
    assert info["command"] == "hubinsim run x.toml"
    assert info["end"] == 2026 and info["dt"] == 0.25 and info["method"] == "euler"
    assert info["hubinsim_version"] == hubinsim.__version__
    assert info["files"] == files[:-1]
