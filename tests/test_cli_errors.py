"""Every kind of bad input, through the command line: exit code 2, a message that names the
file, the line and the key, no traceback, and no run folder left behind."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import invoke as run

from hubinsim import cli

ROOT = Path(__file__).resolve().parents[1]

HEAD = '[scenario]\nname = "bad"\n\n[time]\nend = 2026\n'

CASES = {
    # id: (file text, expected fragments of the message)
    "unknown-section": (HEAD + "[investmnet]\nplan_realisation = 0.7\n", [":6:", "investmnet"]),
    "misspelt-lever": (
        HEAD + "[consumption]\nvouchres = 1.0\n",
        [":7:", "did you mean", "'vouchers'"],
    ),
    "wrong-section": (HEAD + "[population]\nvouchers = 1.0\n", [":7:", "[consumption]"]),
    "wrong-type": (HEAD + '[consumption]\nvouchers = "lots"\n', [":7:", "vouchers", "number"]),
    "out-of-range": (HEAD + "[fiscal]\ntax_relief = 0.9\n", [":7:", "tax_relief", "0.3"]),
    "schedule-outside-run": (
        HEAD + "[consumption]\nvouchers = { 2021 = 1.0, 2031 = 2.0 }\n",
        [":7:", "vouchers", "2031"],
    ),
    "schedule-out-of-order": (
        HEAD + "[consumption]\nvouchers = { 2024 = 1.0, 2022 = 2.0 }\n",
        [":7:", "vouchers", "order"],
    ),
    "unknown-parameter": (
        HEAD + '[parameters]\n"capital.depreciaton" = 0.07\n',
        [":7:", "capital.depreciation"],
    ),
    "bad-shock": (
        HEAD + '[[shock]]\ntarget = "va_tertary"\nyears = [2022, 2021]\nfactor = 0.9\n',
        [":7:", "va_tertiary", "order"],
    ),
    "missing-extends": (
        '[scenario]\nname = "bad"\nextends = "nowhere.toml"\n',
        [":3:", "nowhere.toml"],
    ),
}


def check_failed(res, out: Path, fragments):
    assert res.exit_code == 2, res.output
    assert res.stderr.startswith("Error: ")
    assert "Traceback" not in res.output
    for fragment in fragments:
        assert fragment in res.stderr, (fragment, res.stderr)
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_scenario_file(case, tmp_path):
    text, fragments = CASES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "runs"
    res = run("run", path, "--out", out, "--no-charts")
    check_failed(res, out, ["bad.toml", *fragments])
    assert run("validate", path).exit_code == 2


def test_extends_cycle_names_the_chain(tmp_path):
    (tmp_path / "a.toml").write_text('[scenario]\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[scenario]\nextends = "a.toml"\n', encoding="utf-8")
    out = tmp_path / "runs"
    res = run("run", tmp_path / "a.toml", "--out", out)
    check_failed(res, out, ["a.toml", "b.toml", "cycle"])


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        HEAD + "[consumption]\nvouchres = 1.0\n[fiscal]\ntax_relief = 0.9\n", encoding="utf-8"
    )
    res = run("validate", path)
    assert res.exit_code == 2
    assert ":7:" in res.output and ":9:" in res.output


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        ("parameters.csv", "capital.depreciation,0.08,", "capital.depreciation,eight,",
         ["parameters.csv", "line", "'value'", "eight"]),
        ("base_2020.csv", "name,value,unit", "name,amount,unit", ["base_2020.csv", "value"]),
        ("project_pool.csv", "transport,", "transprt,", ["project_pool.csv", "transport"]),
        ("targets.csv", "share_tertiary_pct,60,", "share_tertiary,60,",
         ["targets.csv", "share_tertiary"]),
    ],
    ids=["non-numeric", "missing-column", "unknown-category", "unknown-indicator"],
)  # fmt: skip
def test_malformed_data_file(data_copy, tmp_path, file, old, new, fragments):
    _edit(data_copy / file, old, new)
    out = tmp_path / "runs"
    res = run("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, fragments)


def test_missing_data_file(data_copy, tmp_path):
    (data_copy / "project_pool.csv").unlink()
    out = tmp_path / "runs"
    res = run("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, ["project_pool.csv", "not found"])


def test_draws_have_one_upper_bound():
    from hubinsim import uncertainty

    assert cli.MAX_DRAWS == uncertainty.MAX_DRAWS


@pytest.mark.parametrize(
    "args",
    [
        ["run", ROOT / "scenarios" / "baseline.toml", "--draws", "100000000000"],
        ["sensitivity", ROOT / "scenarios" / "baseline.toml", "-N", "100000000"],
    ],
    ids=["draws", "sobol-n"],
)
def test_huge_ensembles_are_refused(args, tmp_path):
    res = run(*args, "--out", tmp_path / "runs")
    assert res.exit_code == 2
    assert "is not in the range" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "runs").exists()


def test_draws_in_a_scenario_file_are_bounded(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(HEAD + "[uncertainty]\ndraws = 100000000000\n", encoding="utf-8")
    res = run("validate", path)
    assert res.exit_code == 2
    assert ":7:" in res.output and "draws" in res.output


@pytest.mark.parametrize(
    "file, old, new, fragments",
    [
        ("parameters.csv", "capital.depreciation_public,", "capital.depreciation,",
         ["parameters.csv", "appears twice"]),
        ("project_pool.csv", "industry,工业,50,128.47", "industry,工业,50,-5",
         ["project_pool.csv", "negative"]),
        ("targets.csv", "retail_sales,150,2025", "retail_sales,150,2099", ["targets.csv", "year"]),
        ("targets.csv", "3.8,2025,<=,2021", "3.8,2025,<=,2019", ["targets.csv", "each_year_from"]),
    ],
    ids=["duplicate-parameter", "negative-pool", "target-year", "target-first-year"],
)  # fmt: skip
def test_inconsistent_data_file(data_copy, tmp_path, file, old, new, fragments):
    _edit(data_copy / file, old, new)
    out = tmp_path / "runs"
    res = run("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, [*fragments, "line"])


def test_a_folder_in_place_of_a_data_file(data_copy, tmp_path):
    (data_copy / "targets.csv").unlink()
    (data_copy / "targets.csv").mkdir()
    out = tmp_path / "runs"
    res = run("--data", data_copy, "run", ROOT / "scenarios" / "baseline.toml", "--out", out)
    check_failed(res, out, ["targets.csv", "is not a file"])


def test_a_name_too_long_for_a_folder_is_refused_by_validate(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "' + "湖" * 90 + '"\n', encoding="utf-8")
    res = run("validate", path)
    assert res.exit_code == 2 and ":2:" in res.output and "bytes" in res.output


def test_compare_of_long_names_writes_a_shortened_folder(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"s{i}.toml"
        path.write_text(
            f'[scenario]\nname = "{"湖" * 60}{i}"\n[time]\nend = 2022\n', encoding="utf-8"
        )
        paths.append(path)
    out = tmp_path / "runs"
    res = run("compare", *paths, "--out", out, "--no-charts")
    assert res.exit_code == 0, res.output
    (folder,) = list(out.iterdir())
    assert folder.name.startswith("compare-") and len(folder.name.encode()) <= 200


def test_an_endless_input_is_refused():
    res = run("validate", "/dev/zero")
    assert res.exit_code == 2 and "too large" in res.output
