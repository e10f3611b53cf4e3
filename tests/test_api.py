"""The public Python API: names, lazy imports, keyword settings."""

import subprocess
import sys

import pytest

import hubinsim


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_simulate_stays_the_function_after_its_module_is_imported():
    code = (
        "import hubinsim, hubinsim.simulate, hubinsim.scenario_file;"
        "print(callable(hubinsim.simulate), hubinsim.simulate.__module__)"
    )
    assert _run(code) == "True hubinsim.simulate"


def test_import_does_not_load_pandas_until_results_are_made():
    code = (
        "import sys, hubinsim; a = 'pandas' in sys.modules;"
        "hubinsim.simulate(end=2021); print(a, 'pandas' in sys.modules)"
    )
    assert _run(code) == "False True"


@pytest.mark.parametrize("name", hubinsim.__all__)
def test_every_public_name_resolves(name):
    assert getattr(hubinsim, name) is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        hubinsim.simulat  # noqa: B018


def test_keyword_levers_change_the_run_and_keep_the_scenario_name():
    scn = hubinsim.make_scenario(name="mine", levers={"vouchers": 1.0}, end=2025)
    base = hubinsim.simulate(scn)
    more = hubinsim.simulate(scn, levers={"vouchers": 2.0})
    assert more.metadata["scenario"] == "mine"
    assert more.annual.loc[2023, "retail_sales"] > base.annual.loc[2023, "retail_sales"]
    assert base.annual.index[-1] == 2025


def test_metadata_records_units_price_basis_and_parameters():
    res = hubinsim.simulate(end=2022)
    meta = res.metadata
    assert meta["units"]["gdp"] == "亿元" and meta["units"]["population"] == "万人"
    assert "2020 prices" in meta["price_basis"]
    assert meta["parameters"]["capital.depreciation"] == pytest.approx(0.08)
    assert meta["levers"]["realisation_industry"] == pytest.approx(
        meta["parameters"]["investment.bau_realisation"]
    )


def test_keyword_settings_keep_the_scenario_file_and_its_sections(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[scenario]\nname = "s"\n[consumption]\nvouchers = 1.0\n', encoding="utf-8")
    scn = hubinsim.load_scenario(path)
    res = hubinsim.simulate(scn, end=2022)
    kept = res.metadata["scenario_object"]
    assert kept.source == scn.source and kept.sections == scn.sections
    assert kept.levers["vouchers"] == 1.0 and kept.time.end == 2022


def test_draws_run_an_ensemble_like_run_ensemble():
    from hubinsim.ensemble import run_ensemble

    scn = hubinsim.make_scenario(name="e", end=2025)
    res = hubinsim.simulate(scn, draws=20, seed=3)
    ref = run_ensemble(scn, 20, 3)
    assert res.n_members == 20
    for name in ("gdp", "population"):
        assert (res.values[name] == ref.values[name]).all()
    assert "probability" in res.targets


def test_draws_with_parameter_arrays_or_seed_alone_are_refused():
    with pytest.raises(hubinsim.ScenarioError, match="not both"):
        hubinsim.simulate(draws=5, members=5)
    with pytest.raises(hubinsim.ScenarioError, match="need draws"):
        hubinsim.simulate(seed=1)
