"""The catalogue declares every lever and indicator once, completely, and matches the model."""

import re

import pytest

import hubinsim
from hubinsim.catalog import (
    INDICATOR_BY_NAME,
    INDICATORS,
    LEVER_BY_NAME,
    LEVER_DEFAULT_SOURCES,
    LEVERS,
    POOL_CATEGORIES,
    SHOCK_TARGETS,
    UNIT_KINDS,
    closest,
    lever_default,
    unit_kind,
)
from hubinsim.data import load_base, load_parameters

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{3}")  # English text (it may quote a unit such as 亿元)
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

#: The indicator names DESIGN.md ("Indicator names") requires at least.
DESIGN_INDICATORS = (
    "gdp", "gdp_real", "gdp_real_growth_pct",
    "va_primary", "va_secondary", "va_tertiary",
    "va_primary_real", "va_secondary_real", "va_tertiary_real",
    "share_primary_pct", "share_secondary_pct", "share_tertiary_pct",
    "va_industry", "va_construction",
    "industrial_va_above_scale", "industrial_va_above_scale_growth_pct",
    "industrial_output_above_scale", "enterprises_above_scale",
    "fai", *(f"fai_{c}" for c in POOL_CATEGORIES),
    "fiscal_revenue", "population", "labour_force", "employment",
    "employment_primary", "employment_secondary", "employment_tertiary",
    "unemployment_rate_pct", "new_urban_jobs", "new_urban_jobs_cumulative",
    "retail_sales", "gdp_per_capita", "disposable_income_per_capita", "rd_intensity_pct",
)  # fmt: skip


@pytest.fixture(scope="module")
def bau():
    return hubinsim.simulate(end=2022)


@pytest.fixture(scope="module")
def defaults():
    params = {k: p.value for k, p in load_parameters().items()}
    base = {k: b.value for k, b in load_base().items()}
    return {lv.name: lever_default(lv, params, base) for lv in LEVERS}


def test_seven_plan_categories():
    assert len(POOL_CATEGORIES) == 7 and len(set(POOL_CATEGORIES)) == 7


def test_names_are_unique_and_snake_case():
    for names in (
        [lv.name for lv in LEVERS],
        [i.name for i in INDICATORS],
        [s.name for s in SHOCK_TARGETS],
    ):
        assert len(names) == len(set(names))
        for n in names:
            assert SNAKE.match(n), n


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_lever_is_fully_declared(lever, defaults):
    assert lever.unit.strip()
    assert lever.section.strip()
    assert lever.low < lever.high
    value = defaults[lever.name]
    assert isinstance(value, float | int) and not isinstance(value, bool)
    assert lever.low <= value <= lever.high, f"default {value} outside [{lever.low}, {lever.high}]"
    assert WORD.search(lever.meaning_en)
    assert CJK.search(lever.meaning_zh)
    assert lever.scale > 0


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_lever_default_is_sourced(lever):
    d = lever.default
    if isinstance(d, str):
        if d.startswith("base:"):
            assert d.removeprefix("base:") in load_base()
        else:
            assert d in load_parameters() or d == "investment.plan_realisation"
    elif d != 0:
        # A non-zero number is an assumption and needs its source; zero means "no policy".
        assert LEVER_DEFAULT_SOURCES.get(lever.name, "").strip()


@pytest.mark.parametrize("lever", LEVERS, ids=lambda lv: lv.name)
def test_lever_effect_is_declared_on_a_reported_indicator(lever):
    indicator, sign, year = lever.effect
    assert indicator in INDICATOR_BY_NAME
    assert sign in (+1, -1)
    assert 2021 <= year <= 2035


def test_category_realisation_defaults_to_the_scenario_plan_realisation(defaults):
    params = {k: p.value for k, p in load_parameters().items()}
    base = {k: b.value for k, b in load_base().items()}
    for c in POOL_CATEGORIES:
        lv = LEVER_BY_NAME[f"realisation_{c}"]
        assert lever_default(lv, params, base) == params["investment.bau_realisation"]
        assert lever_default(lv, params, base, {"plan_realisation": 0.9}) == 0.9


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.name)
def test_indicator_is_fully_declared(indicator):
    assert indicator.unit.strip()
    assert indicator.price_basis.strip()
    assert WORD.search(indicator.meaning_en)
    assert CJK.search(indicator.meaning_zh)


@pytest.mark.parametrize("shock", SHOCK_TARGETS, ids=lambda s: s.name)
def test_shock_target_is_described(shock):
    assert WORD.search(shock.meaning_en) and CJK.search(shock.meaning_zh)


@pytest.mark.parametrize("name", DESIGN_INDICATORS)
def test_design_indicator_is_catalogued_and_reported(name, bau):
    assert name in INDICATOR_BY_NAME
    assert name in bau.annual.columns


def test_capital_and_tfp_by_sector_are_reported(bau):
    capital = [c for c in bau.annual.columns if c.startswith("capital_")]
    tfp = [c for c in bau.annual.columns if c.startswith("tfp_")]
    assert len(capital) >= 4 and "capital_public" in capital  # three sectors and public
    assert len(tfp) >= 3


def test_every_annual_column_is_catalogued_and_every_indicator_reported(bau):
    columns = list(bau.annual.columns)
    assert len(columns) == len(set(columns))
    assert [c for c in columns if c not in INDICATOR_BY_NAME] == []
    assert [i.name for i in INDICATORS if i.name not in columns] == []


def test_result_units_come_from_the_catalogue(bau):
    units = bau.units()
    for name in bau.annual.columns:
        assert units[name] == INDICATOR_BY_NAME[name].unit


@pytest.mark.parametrize(
    "unit, kind",
    [
        ("%", "percent"),
        ("fraction", "fraction"),
        ("share of GDP", "fraction"),
        ("1/yr", "rate"),
        ("1/yr (share points)", "rate"),
        ("1/yr per unit of R&D/GDP", "rate"),
        ("elasticity", "elasticity"),
        ("亿元/yr", "money"),
        ("亿元 per firm", "money"),
        ("yuan per yuan", "ratio"),
        ("pp per pp", "ratio"),
        ("relative to tertiary", "ratio"),
        ("ratio", "ratio"),
        ("firms/yr", "count"),
        ("persons", "count"),
        ("万人", "people"),
        ("yr", "years"),
        ("index 2020=1", "index"),
        ("furlongs", "other"),
    ],
)
def test_the_kind_of_a_unit_follows_from_its_string(unit, kind):
    assert unit_kind(unit) == kind


def test_every_entry_has_a_known_kind_of_unit():
    items = [*LEVERS, *load_parameters().values(), *INDICATORS]
    assert all(item.kind in UNIT_KINDS for item in items)
    assert LEVER_BY_NAME["rd_intensity_pct"].kind == "percent"
    assert INDICATOR_BY_NAME["enterprises_above_scale"].kind == "count"
    declared = hubinsim.catalog.Lever(
        "x", "s", "index points", 0.0, 0.0, 1.0, "x", "x", ("gdp", 1, 2025), kind="percent"
    )
    assert declared.kind == "percent"  # a declared kind stands


@pytest.mark.parametrize(
    "name, choices, first",
    [
        ("tertiary_share", INDICATOR_BY_NAME, "share_tertiary_pct"),
        ("share_of_tertiary", INDICATOR_BY_NAME, "share_tertiary_pct"),
        ("gdp_growth", INDICATOR_BY_NAME, "gdp_real_growth_pct"),
        ("unemployment", INDICATOR_BY_NAME, "unemployment_rate_pct"),
        ("income", INDICATOR_BY_NAME, "disposable_income_per_capita"),
        ("gdp per capita", INDICATOR_BY_NAME, "gdp_per_capita"),
        ("fiscal", INDICATOR_BY_NAME, "fiscal_revenue"),
        ("va_tertary", [s.name for s in SHOCK_TARGETS], "va_tertiary"),
        ("vouchres", LEVER_BY_NAME, "vouchers"),
        ("rd_intensity", LEVER_BY_NAME, "rd_intensity_pct"),
        ("depreciation", load_parameters(), "capital.depreciation"),
        ("Capital.Depreciaton", load_parameters(), "capital.depreciation"),
        ("第三产业占GDP比重", INDICATOR_BY_NAME, "share_tertiary_pct"),
        ("第三产业比重", INDICATOR_BY_NAME, "share_tertiary_pct"),
        ("消费券", LEVER_BY_NAME, "vouchers"),
    ],
)
def test_the_closest_names_match_words_in_any_order(name, choices, first):
    assert closest(name, choices)[0] == first


def test_nothing_alike_suggests_nothing():
    assert closest("weather", INDICATOR_BY_NAME) == []
    assert len(closest("capital", INDICATOR_BY_NAME)) == 3  # at most three
