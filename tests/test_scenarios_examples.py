"""The canonical scenario files: each loads, runs without NaN, and its resolved TOML
reproduces the run exactly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hubinsim
from hubinsim.catalog import HEADLINE
from hubinsim.scenario_file import load_scenario, resolved_toml

# The API function. Touched through the package first: importing the submodule
# hubinsim.simulate before the lazy attribute is read would shadow the function by the module.
simulate = getattr(hubinsim.simulate, "simulate", hubinsim.simulate)

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
FILES = sorted(SCENARIOS.glob("*.toml"))
CORE = tuple(HEADLINE) + ("gdp_real", "fai", "employment", "population", "retail_sales")


@pytest.fixture(scope="module")
def runs():
    return {p.stem: simulate(load_scenario(p)) for p in FILES}


def test_the_examples_are_there():
    assert {"baseline", "stimulus", "siphon", "slowdown"} <= {p.stem for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_loads_with_its_own_name_and_a_description(path):
    scn = load_scenario(path)
    assert scn.name == path.stem
    assert len(scn.description) > 40
    if path.stem != "baseline":
        assert [Path(p).name for p in scn.extends][-1] == "baseline.toml"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_runs_without_nan_from_2020_to_2035(path, runs):
    annual = runs[path.stem].annual
    assert annual.index[0] == 2020 and annual.index[-1] >= 2035
    core = annual.loc[2020:2035, list(dict.fromkeys(CORE))]
    growth = [c for c in core if c.endswith("growth_pct")]
    assert not core.drop(columns=growth).isna().any().any()
    assert not core.loc[2021:, growth].isna().any().any()  # growth starts in 2021
    assert np.isfinite(core.loc[2021:].to_numpy(dtype=float)).all()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_resolved_toml_reproduces_the_run_exactly(path, runs, tmp_path):
    text = resolved_toml(load_scenario(path))
    doc = tomllib.loads(text)
    assert "extends" not in doc["scenario"]
    copy = tmp_path / f"{path.stem}.resolved.toml"
    copy.write_text(text, encoding="utf-8")
    again = simulate(load_scenario(copy))
    pd.testing.assert_frame_equal(again.annual, runs[path.stem].annual, check_exact=True)


def test_siphon_loses_residents_and_slowdown_loses_output(runs):
    base = runs["baseline"].annual
    assert runs["siphon"].annual.loc[2035, "population"] < base.loc[2035, "population"]
    assert runs["slowdown"].annual.loc[2025, "gdp_real"] < base.loc[2025, "gdp_real"]
    assert runs["slowdown"].annual.loc[2022, "retail_sales"] < base.loc[2022, "retail_sales"]
