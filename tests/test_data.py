"""The data files are well formed, and malformed copies fail loudly with DataError."""

import csv
import math
import shutil
from pathlib import Path

import pytest

import hubinsim
from hubinsim.data import data_dir, load_pool

DATA = data_dir()
CSV_FILES = sorted(p.name for p in DATA.glob("*.csv"))

#: Plan Ch.6 s.1: 456 projects, total investment 1036.67 亿元. The seven category figures
#: the plan prints are each rounded to 0.01 and add up to 1036.68, so the sum is compared
#: within the rounding of seven figures (7 x 0.005).
POOL_TOTAL = 1036.67
POOL_PROJECTS = 456
POOL_ROUNDING = 7 * 0.005


def _rows(name: str) -> tuple[list[str], list[dict]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_data_folder_holds_the_four_files():
    for name in ("base_2020.csv", "parameters.csv", "project_pool.csv", "targets.csv"):
        assert name in CSV_FILES


@pytest.mark.parametrize("name", CSV_FILES)
def test_every_row_has_unit_and_source(name):
    header, rows = _rows(name)
    assert "unit" in header and "source" in header, f"{name}: needs unit and source columns"
    assert rows, f"{name}: no rows"
    for i, row in enumerate(rows, start=2):
        assert (row["unit"] or "").strip(), f"{name}: line {i}: empty unit"
        assert (row["source"] or "").strip(), f"{name}: line {i}: empty source"


@pytest.mark.parametrize("name", CSV_FILES)
def test_rows_have_no_missing_fields(name):
    header, rows = _rows(name)
    for i, row in enumerate(rows, start=2):
        assert None not in row, f"{name}: line {i}: more fields than the header"
        assert all(row[c] is not None for c in header), f"{name}: line {i}: missing fields"


def test_parameter_defaults_lie_within_their_ranges():
    _, rows = _rows("parameters.csv")
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate parameter names"
    for row in rows:
        value, low, high = (float(row[c]) for c in ("value", "low", "high"))
        assert all(math.isfinite(v) for v in (value, low, high)), row["name"]
        assert low < high, f"{row['name']}: low {low} is not below high {high}"
        assert low <= value <= high, f"{row['name']}: {value} outside [{low}, {high}]"
        assert row["meaning_en"].strip() and row["meaning_zh"].strip(), row["name"]


def test_base_names_are_unique():
    _, rows = _rows("base_2020.csv")
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))


def test_project_pool_matches_the_plan():
    _, rows = _rows("project_pool.csv")
    assert sum(int(r["projects"]) for r in rows) == POOL_PROJECTS
    total = sum(float(r["investment"]) for r in rows)
    assert abs(total - POOL_TOTAL) <= POOL_ROUNDING
    assert sum(load_pool().values()) == pytest.approx(total, rel=1e-12)
    assert list(load_pool()) == list(hubinsim.catalog.POOL_CATEGORIES)


# --- malformed copies -------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _rewrite(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    header, rows = edit(header, rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _drop_column(column):
    def edit(header, rows):
        return [c for c in header if c != column], rows

    return edit


def _set_first(column, value):
    def edit(header, rows):
        rows[0][column] = value
        return header, rows

    return edit


def test_unchanged_copy_runs_like_the_original(data_copy):
    a = hubinsim.simulate(end=2025).annual
    b = hubinsim.simulate(end=2025, data_dir=data_copy).annual
    assert (a.loc[2025] == b.loc[2025]).all()


@pytest.mark.parametrize(
    "name, edit",
    [
        ("base_2020.csv", _drop_column("value")),
        ("base_2020.csv", _set_first("value", "two hundred")),
        ("base_2020.csv", _set_first("value", "")),
        ("parameters.csv", _drop_column("high")),
        ("parameters.csv", _set_first("low", "x")),
        ("parameters.csv", _set_first("value", "nan")),
        ("parameters.csv", _set_first("source", "")),
        ("project_pool.csv", _drop_column("investment")),
        ("project_pool.csv", _set_first("investment", "1,0")),
        ("project_pool.csv", _set_first("category", "housing")),
        ("targets.csv", _drop_column("target")),
        ("targets.csv", _set_first("year", "soon")),
    ],
    ids=[
        "base-no-value-column",
        "base-words",
        "base-empty",
        "params-no-high",
        "params-low-x",
        "params-nan",
        "params-empty-source",
        "pool-no-investment",
        "pool-comma",
        "pool-unknown-category",
        "targets-no-target",
        "targets-year-word",
    ],
)
def test_malformed_file_raises_data_error_naming_it(data_copy, name, edit):
    _rewrite(data_copy / name, edit)
    with pytest.raises(hubinsim.DataError, match=name):
        hubinsim.simulate(end=2022, data_dir=data_copy)


@pytest.mark.parametrize(
    "name", ["base_2020.csv", "parameters.csv", "project_pool.csv", "targets.csv"]
)
def test_missing_file_raises_data_error_naming_it(data_copy, name):
    (data_copy / name).unlink()
    with pytest.raises(hubinsim.DataError, match=name):
        hubinsim.simulate(end=2022, data_dir=data_copy)


def test_parameter_outside_its_range_raises_data_error(data_copy):
    def edit(header, rows):
        rows[0]["value"] = str(float(rows[0]["high"]) * 2 + 1)
        return header, rows

    _rewrite(data_copy / "parameters.csv", edit)
    with pytest.raises(hubinsim.DataError, match="parameters.csv"):
        hubinsim.simulate(end=2022, data_dir=data_copy)
