"""The scenario layer: scenario files (positions, extends, validation, every problem named by
file, line and key), the [uncertainty] section and its draws, the one TOML writer and the
resolved scenario, the example scenarios and those of the README."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from support import DRAWN, extending_baseline, taken_as_written

import hubinsim
from hubinsim import ScenarioError, make_scenario, simulate
from hubinsim.catalog import (
    FRACTION_KINDS,
    HEADLINE,
    LEVER_BY_NAME,
    LEVERS,
    PERCENT_KINDS,
    POOL_CATEGORIES,
    SECTIONS,
    SHARED_LEVERS,
    SHOCK_TARGETS,
    lever_default,
)
from hubinsim.data import load_parameters
from hubinsim.errors import UnitWarning
from hubinsim.model.inputs import Schedule
from hubinsim.scenario.positions import key_lines
from hubinsim.scenario.reader import load_scenario
from hubinsim.scenario.resolved import resolved_toml
from hubinsim.scenario.sections import register_section, unregister_section
from hubinsim.scenario.settings import TimeSettings
from hubinsim.scenario.uncertainty import (
    DISTRIBUTIONS,
    NOT_DRAWN_BY_DEFAULT,
    SAMPLING,
    default_uncertainty,
    parse_uncertainty,
    scenario_uncertainty,
    uncertainty_problems,
)
from hubinsim.scenario.units import far_outside, unit_slip
from hubinsim.scenario.writer import toml_key, toml_string, toml_text, toml_value

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
BASELINE = (SCENARIOS / "baseline.toml").as_posix()

# ---------------------------------------------------------------------------------- scenario files


#: file:line: [section] key: message
PROBLEM = re.compile(r"^(?P<file>.+?\.toml):(?P<line>\d+): (?P<key>[^:]+): (?P<msg>.+)$")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def only_problem(path, in_file: str | None = None) -> re.Match:
    """The single problem of a file, parsed into file, line, key and message.

    ``in_file`` is the name of the file the problem is in (default: ``path`` itself).
    """
    problems = problems_of(path)
    assert len(problems) == 1, problems
    m = PROBLEM.match(problems[0])
    assert m, problems[0]
    assert Path(m["file"]).name == (in_file or Path(path).name)
    return m


def test_broken_toml_gives_the_line_tomllib_reports(tmp_path):
    path = write(tmp_path, "broken.toml", "[scenario]\nname = 'x'\n\n[investment\nprofile = 1\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:4: not valid TOML")
    assert "column" in problem


def test_broken_toml_value(tmp_path):
    path = write(tmp_path, "broken.toml", "[consumption]\nvouchers = = 2\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:2: not valid TOML")


def test_unknown_section_with_suggestion(tmp_path):
    path = write(tmp_path, "s.toml", "[scenario]\nname = 's'\n\n[consumtion]\nvouchers = 1.0\n")
    m = only_problem(path)
    assert m["line"] == "4"
    assert m["key"] == "[consumtion]"
    assert "unknown section" in m["msg"] and "did you mean 'consumption'" in m["msg"]


def test_unknown_lever_lists_what_the_section_takes(tmp_path):
    path = write(tmp_path, "s.toml", "[fiscal]\n\nfee_cuts = 0.1\n")
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("3", "[fiscal] fee_cuts")
    assert "unknown lever" in m["msg"] and "allowed here: tax_relief" in m["msg"]


def test_misspelt_lever_gets_the_closest_name(tmp_path):
    path = write(tmp_path, "s.toml", "# vouchers\n[consumption]\nvouchres = { 2021 = 1.0 }\n")
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("3", "[consumption] vouchres")
    assert "did you mean 'vouchers'?" in m["msg"]


def test_misspelt_lever_of_another_section_says_where_it_lives(tmp_path):
    path = write(tmp_path, "s.toml", "[consumption]\nsiphon_rat = 0.06\n")
    m = only_problem(path)
    assert "'siphon_rate', a lever of [population]" in m["msg"]


def test_lever_in_the_wrong_section_says_which_section(tmp_path):
    path = write(tmp_path, "s.toml", "[population]\nvouchers = 1.0\n")
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("2", "[population] vouchers")
    assert "belongs in [consumption]" in m["msg"]


def test_lever_outside_any_section(tmp_path):
    path = write(tmp_path, "s.toml", "vouchers = 1.0\n[time]\nend = 2030\n")
    m = only_problem(path)
    assert m["line"] == "1" and "belongs in [consumption]" in m["msg"]


def test_parameter_in_a_lever_section_points_to_parameters(tmp_path):
    path = write(tmp_path, "s.toml", '[investment]\n"capital.depreciation" = 0.07\n')
    m = only_problem(path)
    assert "structural parameter" in m["msg"] and "[parameters]" in m["msg"]


def test_wrong_type(tmp_path):
    path = write(tmp_path, "s.toml", '[consumption]\nvouchers = "plenty"\n')
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("2", "[consumption] vouchers")
    assert "must be a number or a year schedule" in m["msg"]
    assert "[0, 10] 亿元/yr" in m["msg"] and "'plenty' (a string)" in m["msg"]


def test_boolean_is_not_a_number(tmp_path):
    path = write(tmp_path, "s.toml", "[fiscal]\ntax_relief = true\n")
    assert "(a boolean)" in only_problem(path)["msg"]


def test_schedule_for_a_lever_that_takes_one_number(tmp_path):
    path = write(tmp_path, "s.toml", "[investment]\nplan_realisation = { 2021 = 0.5 }\n")
    assert "takes a single number in [0, 1] fraction" in only_problem(path)["msg"]


def test_value_out_of_range(tmp_path):
    path = write(
        tmp_path, "s.toml", "[scenario]\nname = 'r'\n[investment]\nplan_realisation = 1.5\n"
    )
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("4", "[investment] plan_realisation")
    assert "1.5 is outside the valid range [0, 1] fraction" in m["msg"]


def test_schedule_value_out_of_range_points_at_the_year(tmp_path):
    text = "[population.net_migration_policy]\n2021 = 0.0\n2025 = 0.5\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert (m["line"], m["key"]) == ("3", "[population] net_migration_policy.2025")
    assert "[-0.02, 0.02] 1/yr" in m["msg"]


# ---------------------------------------------------------------- a percentage for a fraction

#: Every lever and parameter written in % or as a fraction (rates per year included).
GUARDED_LEVERS = [lv for lv in LEVERS if lv.kind in PERCENT_KINDS + FRACTION_KINDS]
GUARDED_PARAMETERS = [
    p for p in load_parameters().values() if p.kind in PERCENT_KINDS + FRACTION_KINDS
]


def _typical(item, default) -> float:
    """A value of the item as a person would write it: its default, or the middle of its
    range when the default is zero."""
    if isinstance(default, int | float) and default != 0:
        return default
    return item.high / 2 if item.high != 0 else item.low / 2


def _slipped(item, value: float) -> float:
    """``value`` written in the other unit: the percentage for a fraction, or the reverse."""
    return value / 100 if item.kind in PERCENT_KINDS else value * 100


def _lever_typical(lv) -> float:
    params = {k: p.value for k, p in load_parameters().items()}
    base = {k: b.value for k, b in hubinsim.data.load_base().items()}
    return _typical(lv, lever_default(lv, params, base))


def _expect_slip(item, typical, call):
    """``call()`` refuses the slipped value and names the value meant, or, when the slipped
    value lies inside the range (never refused), warns and names it."""
    meant = f"{round(typical, 12):g}"
    if item.low <= _slipped(item, typical) <= item.high:
        with pytest.warns(UnitWarning, match=re.escape(f"write {meant}")):
            call()
        return
    with pytest.raises(ScenarioError, match=re.escape(f"did you mean {meant}?")) as info:
        call()
    unit_word = "in %" if item.kind in PERCENT_KINDS else "written as a fraction"
    assert f"{item.name} is {unit_word}" in str(info.value)


def test_every_percent_and_fraction_unit_is_guarded():
    """A unit of % or a fraction (or a rate per year, written as a fraction) is guarded, so
    that the tests below cover every lever and parameter written that way."""
    params = load_parameters().values()
    for item in [*LEVERS, *params]:
        unit = item.unit
        if "%" in unit or "fraction" in unit or unit.startswith("1/yr"):
            assert item.kind in PERCENT_KINDS + FRACTION_KINDS, (item.name, unit, item.kind)
    assert {lv.name for lv in GUARDED_LEVERS} >= {"rd_intensity_pct", "plan_realisation"}
    assert "capital.depreciation" in {p.name for p in GUARDED_PARAMETERS}


@pytest.mark.parametrize("lever", GUARDED_LEVERS, ids=lambda lv: lv.name)
def test_a_lever_written_in_the_other_unit_is_refused(lever):
    typical = _lever_typical(lever)
    wrong = _slipped(lever, typical)
    _expect_slip(lever, typical, lambda: make_scenario(levers={lever.name: wrong}))
    if lever.schedule:
        points = {2021: typical, 2025: wrong}
        _expect_slip(lever, typical, lambda: make_scenario(levers={lever.name: points}))
    assert taken_as_written(lever, typical)
    make_scenario(levers={lever.name: typical})  # the value as meant is accepted


@pytest.mark.parametrize("lever", GUARDED_LEVERS, ids=lambda lv: lv.name)
def test_a_lever_in_the_other_unit_in_a_file_names_the_line(lever, tmp_path):
    typical = _lever_typical(lever)
    wrong = _slipped(lever, typical)
    text = f"[scenario]\nname = 'u'\n\n[{lever.section}]\n{lever.name} = {wrong!r}\n"
    path = write(tmp_path, "u.toml", text)
    _expect_slip(lever, typical, lambda: load_scenario(path))
    if not lever.low <= wrong <= lever.high:
        m = only_problem(path)
        assert (m["line"], m["key"]) == ("5", f"[{lever.section}] {lever.name}")


@pytest.mark.parametrize("prm", GUARDED_PARAMETERS, ids=lambda p: p.name)
def test_a_parameter_written_in_the_other_unit_is_refused(prm, tmp_path):
    typical = _typical(prm, prm.value)
    wrong = _slipped(prm, typical)
    _expect_slip(prm, typical, lambda: make_scenario(parameters={prm.name: wrong}))
    _expect_slip(prm, typical, lambda: simulate(parameters={prm.name: wrong}, end=2021))
    path = write(tmp_path, "p.toml", f'[parameters]\n"{prm.name}" = {wrong!r}\n')
    _expect_slip(prm, typical, lambda: load_scenario(path))
    make_scenario(parameters={prm.name: typical})


def test_an_unknown_profile_points_to_late_and_to_the_delay(tmp_path):
    text = '[investment]\nprofile = "delayed"\n'
    m = only_problem(write(tmp_path, "late.toml", text))
    assert m["key"] == "[investment] profile"
    assert "'late' spends most in the last plan years" in m["msg"]
    assert "pool_delay moves them all later" in m["msg"]
    assert "pool_delay" in LEVER_BY_NAME


def test_the_issue_example_is_refused_with_the_conversion(tmp_path):
    path = write(tmp_path, "rd.toml", "[innovation]\nrd_intensity_pct = 0.025\n")
    with pytest.warns(UnitWarning) as caught:  # inside [0, 5] %: taken as written
        assert load_scenario(path).levers == {"rd_intensity_pct": 0.025}
    assert [str(w.message) for w in caught] == [
        f"{path}:2: [innovation] rd_intensity_pct: 0.025 is read as 0.025 % (rd_intensity_pct "
        "is in %); if you meant the fraction 0.025 (= 2.5 %), write 2.5"
    ]
    text = "[investment]\nplan_realisation = 85\n"
    assert only_problem(write(tmp_path, "pr.toml", text))["msg"] == (
        "85 is outside the valid range [0, 1] fraction and looks like a percentage; "
        "plan_realisation is written as a fraction (0.85 = 85 %): did you mean 0.85?"
    )


def test_zero_and_values_plausible_one_way_pass_silently():
    make_scenario(levers={"rd_intensity_pct": 0, "plan_realisation": 0.0, "tax_relief": 0.3})
    make_scenario(levers={"rd_intensity_pct": 0.5, "plan_realisation": 1})


def test_a_drawn_array_is_checked_against_its_range_only():
    """Draws near zero are plausible draws of a range that starts at zero, not slips."""
    res = simulate(parameters={"tfp.growth_primary": np.array([1e-5, 0.02])}, members=2, end=2021)
    assert res.n_members == 2


def test_a_slip_in_an_uncertainty_declaration_is_refused(tmp_path):
    text = (
        "[uncertainty.parameters]\n"
        '"capital.depreciation" = { dist = "uniform", low = 6, high = 10 }\n'
        "[uncertainty.levers]\n"
        'rd_intensity_pct = { dist = "uniform", low = 1.0, high = 0.03 }\n'
    )
    with pytest.warns(UnitWarning, match="rd_intensity_pct.high: 0.03 is read as 0.03 %"):
        problems = problems_of(write(tmp_path, "unc.toml", text))
    assert len(problems) == 3
    assert "did you mean 0.06?" in problems[0] and "did you mean 0.1?" in problems[1]
    assert "rd_intensity_pct: low (1) must be below high (0.03)" in problems[2]


@pytest.fixture
def wide_data(tmp_path):
    """A copy of data/ in which a fraction's range spans a factor of a thousand, so that
    0.5 reads plausibly both as 0.5 and as 0.5 %."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    path = folder / "parameters.csv"
    text = path.read_text(encoding="utf-8")
    old = "consumption.trade_margin,0.15,0.05,0.30,fraction"
    assert old in text
    path.write_text(text.replace(old, "consumption.trade_margin,0.15,0.001,0.9,fraction"))
    return folder


def test_a_value_plausible_in_both_units_warns_with_the_line(wide_data, tmp_path):
    path = write(tmp_path, "w.toml", '[parameters]\n"consumption.trade_margin" = 0.5\n')
    with pytest.warns(UnitWarning) as caught:
        scn = load_scenario(path, data_dir=wide_data)
    assert scn.parameters == {"consumption.trade_margin": 0.5}  # taken as written
    assert [str(w.message) for w in caught] == [
        f'{path}:2: [parameters] "consumption.trade_margin": 0.5 is read as a fraction (50 %) '
        "for consumption.trade_margin; if you meant 0.5 %, write 0.005"
    ]
    with pytest.warns(UnitWarning, match=r"^parameter 'consumption.trade_margin': 0.5 is read"):
        make_scenario(parameters={"consumption.trade_margin": 0.5}, data_dir=wide_data)


def test_unit_slip_reads_both_ways():
    pct = SimpleNamespace(kind="percent", unit="%", low=0.0, high=5.0)
    assert unit_slip("x", 0.025, pct) == (
        False,
        "0.025 is read as 0.025 % (x is in %); if you meant the fraction 0.025 (= 2.5 %), "
        "write 2.5",
    )
    assert unit_slip("x", 0.5, pct) is None  # 50 % is out of range: 0.5 % is meant
    assert unit_slip("x", 250, pct) is None  # out of range either way: the range check's
    wide = SimpleNamespace(kind="percent", unit="%", low=0.01, high=50.0)
    refused, message = unit_slip("x", 0.3, wide)
    assert not refused and message.endswith("write 30")
    rate = SimpleNamespace(kind="rate", unit="1/yr", low=-0.05, high=0.1)
    assert unit_slip("r", -2, rate)[1].endswith("(-0.02 = -2 % a year): did you mean -0.02?")
    assert unit_slip("r", 5e-324, rate) is None  # a hundredth of it is no number at all
    assert unit_slip("e", 30, SimpleNamespace(kind="elasticity", low=0, high=1)) is None


def _readings(item) -> list[float]:
    """Values a person might write for ``item``: inside its range (bounds, quarters, a
    hundredth of them), just beyond it, and a hundredfold or a hundredth of those."""
    base = [item.low, item.high, *(item.low + k * (item.high - item.low) / 4 for k in (1, 2, 3))]
    base += [b * f for b in (item.low, item.high) for f in (1.05, 1.25, 0.95, 0.8, 2.0, 0.5)]
    return sorted({round(v * f, 12) for v in base for f in (1, 100, 0.01)} - {0.0})


@pytest.mark.parametrize(
    "item", [*GUARDED_LEVERS, *GUARDED_PARAMETERS], ids=lambda i: getattr(i, "name", "?")
)
def test_the_unit_guard_never_refuses_a_value_in_range_nor_suggests_one_outside(item):
    """The class of '0.05 for a fraction: did you mean 0.0005?': for every lever and
    parameter in % or as a fraction, a value inside its range is never refused, a value
    suggested lies inside the range, and a value just beyond a bound (within a factor of
    ten) is not read as written in the other unit."""
    for value in _readings(item):
        slip = unit_slip(item.name, value, item)
        inside = item.low <= value <= item.high
        if slip is None:
            continue
        refused, message = slip
        assert refused == (not inside), (value, message)
        meant = float(re.search(r"(?:did you mean|write) (-?[0-9.e+-]+)\??$", message)[1])
        assert item.low <= meant <= item.high, (value, message)
        if refused:
            assert far_outside(value, item.low, item.high)


def test_a_plausible_fraction_just_beyond_the_range_is_not_read_as_a_percentage(tmp_path):
    """A fraction a little over its bound is a range error without a suggestion, from a file
    and from Python alike."""
    gap = SimpleNamespace(name="g", kind="fraction", unit="fraction", low=0.0, high=0.04)
    assert unit_slip("g", 0.05, gap) is None
    assert unit_slip("g", 3.0, gap)[0]  # 3 for 3 % = 0.03: far outside, and 0.03 inside
    prm = GUARDED_PARAMETERS[0]
    just_over = prm.high * 1.5
    path = write(tmp_path, "p.toml", f'[parameters]\n"{prm.name}" = {just_over!r}\n')
    message = only_problem(path)["msg"]
    assert "is outside its plausible range" in message and "did you mean" not in message
    with pytest.raises(ScenarioError) as info:
        make_scenario(parameters={prm.name: just_over})
    assert "did you mean" not in str(info.value)


def test_schedule_year_outside_the_run(tmp_path):
    text = "[time]\nend = 2030\n[consumption]\nvouchers = { 2021 = 1.0, 2032 = 0.0 }\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert (m["line"], m["key"]) == ("4", "[consumption] vouchers.2032")
    assert "outside the run 2020..2030" in m["msg"]


def test_schedule_year_before_the_base(tmp_path):
    text = "[consumption]\nvouchers = { step = { 2019 = 1.0 } }\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert m["key"] == "[consumption] vouchers.step.2019"
    assert "outside the run 2020..2035" in m["msg"]


def test_schedule_years_out_of_order(tmp_path):
    text = "[consumption]\nvouchers = { 2023 = 1.0, 2021 = 0.0 }\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert m["key"] == "[consumption] vouchers.2021"
    assert "increasing order" in m["msg"]


def test_schedule_key_that_is_not_a_year(tmp_path):
    text = "[consumption]\nvouchers = { stpe = { 2021 = 1.0 } }\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert "must be years" in m["msg"] and "did you mean 'step'" in m["msg"]


def test_extends_cycle_names_the_chain(tmp_path):
    write(tmp_path, "a.toml", "[scenario]\nname = 'a'\nextends = 'b.toml'\n")
    write(tmp_path, "b.toml", '[scenario]\n\nextends = "a.toml"\n')
    m = only_problem(tmp_path / "a.toml", in_file="b.toml")
    assert m["line"] == "3"
    assert m["key"] == "[scenario] extends"
    assert re.search(r"extends cycle: \S*a\.toml -> \S*b\.toml -> \S*a\.toml", m["msg"])


def test_extends_itself(tmp_path):
    path = write(tmp_path, "a.toml", "[scenario]\nextends = 'a.toml'\n")
    assert "extends cycle" in only_problem(path)["msg"]


def test_missing_extends_file_names_file_and_line(tmp_path):
    path = write(tmp_path, "c.toml", "[scenario]\nname = 'c'\nextends = 'nowhere.toml'\n")
    m = only_problem(path)
    assert (m["line"], m["key"]) == ("3", "[scenario] extends")
    assert "nowhere.toml" in m["msg"] and "not found" in m["msg"]


def test_problems_of_a_parent_name_the_parent(tmp_path):
    write(tmp_path, "base/parent.toml", "[fiscal]\n\ntax_relief = 0.9\n")
    path = write(tmp_path, "child.toml", "[scenario]\nextends = 'base/parent.toml'\n")
    m = only_problem(path, in_file="parent.toml")
    assert m["line"] == "3"


def test_broken_parent_is_reported_with_its_line(tmp_path):
    write(tmp_path, "parent.toml", "[fiscal\n")
    path = write(tmp_path, "child.toml", "[scenario]\nextends = 'parent.toml'\n[time]\nend = 1\n")
    problems = problems_of(path)
    assert len(problems) == 2
    assert re.match(r".*parent\.toml:1: not valid TOML", problems[0])
    assert re.match(r".*child\.toml:4: \[time\] end: must be a whole year", problems[1])


def test_unknown_shock_target(tmp_path):
    text = "[[shock]]\nname = 'wave'\ntarget = 'va_tertiray'\nyears = [2022, 2022]\nfactor = 0.9\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert (m["line"], m["key"]) == ("3", "[[shock]] #1 target")
    assert "did you mean 'va_tertiary'" in m["msg"] and "valid targets" in m["msg"]


def test_second_shock_is_located(tmp_path):
    text = (
        "[[shock]]\ntarget = 'fai'\nyears = [2022, 2022]\nfactor = 0.9\n\n"
        "[[shock]]\ntarget = 'fai'\nyears = [2024, 2023]\nfactor = 4\n"
    )
    problems = problems_of(write(tmp_path, "s.toml", text))
    assert any(":8: [[shock]] #2 years: years [2024, 2023] are out of order" in p for p in problems)
    assert any(":9: [[shock]] #2 factor: must be a number in [0, 3]" in p for p in problems)


@pytest.mark.parametrize(
    "factor, hint",
    [
        (
            95,
            "95 reads as a percentage: for 95 % of the usual level write 0.95, "
            "for a rise of 95 % write 1.95",
        ),
        (-5, "-5 reads as a change in %: for a fall of 5 % write 0.95"),
        (250, "250 reads as a percentage: for 250 % of the usual level write 2.5"),
        (500, None),  # no reading in % lies in [0, 3]
    ],
)
def test_a_shock_factor_written_in_percent_is_read_both_ways(factor, hint, tmp_path):
    text = f"[[shock]]\ntarget = 'fai'\nyears = [2022, 2022]\nfactor = {factor}\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert (m["line"], m["key"]) == ("4", "[[shock]] #1 factor")
    assert m["msg"].endswith(f"got {factor} (a number)" + (f"; {hint}" if hint else ""))
    shock = {"target": "fai", "years": (2022, 2022), "factor": factor}
    with pytest.raises(ScenarioError) as info:
        make_scenario(shocks=[shock])
    assert (hint or "[0, 3]") in str(info.value)


def test_single_shock_table_asks_for_double_brackets(tmp_path):
    text = "[shock]\ntarget = 'fai'\nyears = [2022, 2022]\nfactor = 0.9\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert m["key"] == "[shock]" and "[[shock]]" in m["msg"]


def test_shock_missing_keys(tmp_path):
    m = only_problem(write(tmp_path, "s.toml", "[[shock]]\ntarget = 'fai'\n"))
    assert "missing years, factor" in m["msg"]


@pytest.mark.parametrize(
    "value, expect",
    [
        ('"front_loded"', "did you mean 'front_loaded'"),
        ("3", "(a number)"),
        ("[0.5, 0.5]", "(an array)"),
        ("{ 2019 = 0.5, 2022 = 0.5 }", "outside the plan period 2021..2025"),
        ("{ 2021 = -1.0 }", "must be a number >= 0"),
        ("{ 2021 = 0.0 }", "must not all be zero"),
    ],
)
def test_bad_profile(tmp_path, value, expect):
    m = only_problem(write(tmp_path, "s.toml", f"[investment]\nprofile = {value}\n"))
    assert m["line"] == "2" and m["key"].startswith("[investment] profile")
    assert expect in m["msg"]


def test_bad_realisation_category(tmp_path):
    text = "[investment]\nrealisation = { services = 0.8, transprt = 0.5 }\n"
    m = only_problem(write(tmp_path, "s.toml", text))
    assert (m["line"], m["key"]) == ("2", "[investment] realisation.transprt")
    assert "did you mean 'transport'" in m["msg"]


def test_unknown_parameter_and_parameter_out_of_range(tmp_path):
    text = '[parameters]\n"capital.depreciaton" = 0.07\ncapital.urban_to_housing = 2.0\n'
    problems = problems_of(write(tmp_path, "s.toml", text))
    assert len(problems) == 2
    assert ':2: [parameters] "capital.depreciaton": unknown parameter' in problems[0]
    assert "did you mean 'capital.depreciation'" in problems[0]
    assert ":3: [parameters] capital.urban_to_housing: 2 is outside" in problems[1]


def test_parameter_by_its_short_name_gets_the_full_name(tmp_path):
    m = only_problem(write(tmp_path, "s.toml", "[parameters]\nokun = 0.2\n"))
    assert "did you mean 'labour.okun'" in m["msg"]


@pytest.mark.parametrize(
    "text, key, expect",
    [
        ("[time]\nend = 2070\n", "[time] end", "2021..2060"),
        ("[time]\ndt = 0.3\n", "[time] dt", "divides 0.5"),
        ("[time]\nmethod = 'rk5'\n", "[time] method", "did you mean 'rk4'"),
        ("[time]\nstart = 2021\n", "[time] start", "allowed here: end, dt, method"),
        ("[scenario]\nname = '../up'\n", "[scenario] name", "run folder"),
        ("[scenario]\ndescription = 5\n", "[scenario] description", "a string"),
        ("[scenario]\ntitle = 5\n", "[scenario] title", "a text (a string) of 1-40"),
        ("[scenario]\ntitle_zh = ''\n", "[scenario] title_zh", "1-40 characters on one line"),
        ("[scenario]\ntitle = '" + "x" * 41 + "'\n", "[scenario] title", "1-40 characters"),
        ("[scenario]\ntitel = 'x'\n", "[scenario] titel", "did you mean 'title'"),
        ("[scenario]\nextend = 'b.toml'\n", "[scenario] extend", "did you mean 'extends'"),
    ],
)
def test_time_and_scenario_keys(tmp_path, text, key, expect):
    m = only_problem(write(tmp_path, "s.toml", text))
    assert m["line"] == "2" and m["key"] == key and expect in m["msg"]


def test_several_problems_are_reported_together(tmp_path):
    text = """[scenario]
name = "many"

[investment]
plan_realisation = 2.0
profile = "sideways"

[consumption]
vouchres = 1.0

[[shock]]
target = "gdp"
years = [2022, 2022]
factor = 0.9

[parameters]
"capital.depreciation" = 0.5
"""
    path = write(tmp_path, "many.toml", text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    lines = [int(PROBLEM.match(p)["line"]) for p in err.problems]
    assert lines == [5, 6, 9, 12, 17]
    assert str(err).startswith(f"{path}: 5 problems:\n  - {path}:5: ")
    assert err.source == str(path)


def test_a_single_problem_is_one_line(tmp_path):
    path = write(tmp_path, "one.toml", "[fiscal]\ntax_relief = 50\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == (
        f"{path}:2: [fiscal] tax_relief: 50 is outside the valid range [0, 0.3] fraction"
    )
    assert info.value.source == str(path)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nothing.toml")


def test_a_folder_is_not_a_scenario(tmp_path):
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(tmp_path)


def test_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[scenario]\nname = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin1\.toml:2: not UTF-8"):
        load_scenario(path)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff[consumption]\nvouchers = 1.0\n".encode())
    assert load_scenario(path).levers == {"vouchers": 1.0}


def test_values_schedules_and_profile(tmp_path):
    text = """[scenario]
name = "full"
description = "all forms"
[time]
end = 2030
dt = 0.125
method = "rk4"
[investment]
plan_realisation = 0.6
realisation = { services = 0.9 }
realisation_transport = 0.3
profile = { 2021 = 1, 2022 = 3 }
[consumption]
vouchers = { step = { 2021 = 1.0, 2023 = 0 } }
[population.net_migration_policy]
2021 = 0.0
2025 = 0.003
[parameters]
capital.depreciation = 0.07
"labour.okun" = 0.2
"""
    scn = load_scenario(write(tmp_path, "full.toml", text))
    assert (scn.name, scn.description) == ("full", "all forms")
    assert scn.time == TimeSettings(2030, 0.125, "rk4")
    assert scn.levers["plan_realisation"] == 0.6
    assert scn.levers["realisation_services"] == 0.9
    assert scn.levers["realisation_transport"] == 0.3
    assert scn.levers["vouchers"] == Schedule(((2021, 1.0), (2023, 0)), step=True)
    assert scn.levers["net_migration_policy"] == Schedule(((2021, 0.0), (2025, 0.003)))
    assert scn.profile == ((2021, 1), (2022, 3))
    assert scn.profile_weights() == {2021: 0.25, 2022: 0.75}
    assert scn.parameters == {"capital.depreciation": 0.07, "labour.okun": 0.2}


def test_realisation_given_twice_in_one_file(tmp_path):
    text = "[investment]\nrealisation = { services = 0.9 }\nrealisation_services = 0.3\n"
    assert "set twice" in only_problem(write(tmp_path, "s.toml", text))["msg"]


def test_name_defaults_to_the_file_stem_and_is_not_inherited(tmp_path):
    write(tmp_path, "parent.toml", "[scenario]\nname = 'parent'\ndescription = 'p'\n")
    scn = load_scenario(write(tmp_path, "kid.toml", "[scenario]\nextends = 'parent.toml'\n"))
    assert (scn.name, scn.description) == ("kid", "")


def test_titles_are_not_inherited(tmp_path):
    """A scenario that extends one with titles shows its own name, not its parent's titles:
    stimulus extends baseline, whose charts say 基准情景."""
    write(tmp_path, "parent.toml", "[scenario]\nname = 'parent'\ntitle = 'P'\ntitle_zh = '甲'\n")
    kid = load_scenario(write(tmp_path, "kid.toml", "[scenario]\nextends = 'parent.toml'\n"))
    assert (kid.name, kid.title, kid.title_zh) == ("kid", "", "")
    parent = load_scenario(tmp_path / "parent.toml")
    assert (parent.title, parent.title_zh) == ("P", "甲")


def test_titles_from_python_are_checked_and_carried_by_simulate():
    with pytest.raises(ScenarioError, match="title_zh: must be a text"):
        make_scenario(name="t", title_zh=3)
    scn = make_scenario(name="t", title="Push", title_zh="加力", end=2022)
    md = simulate(scn, levers={"vouchers": 1.0}).metadata  # (changed levers: a new scenario)
    assert (md["scenario"], md["title"], md["title_zh"]) == ("t", "Push", "加力")


def test_three_levels_of_extends_resolve_in_order(tmp_path):
    write(
        tmp_path,
        "base/grand.toml",
        """[scenario]
name = "grand"
[time]
end = 2040
[consumption]
vouchers = 1.0
tourism_growth = 0.01
[population]
siphon_rate = 0.04
[investment]
plan_realisation = 0.5
realisation = { services = 0.9, urban = 0.2 }
[[shock]]
name = "g"
target = "fai"
years = [2022, 2022]
factor = 0.9
[parameters]
"labour.okun" = 0.2
"capital.depreciation" = 0.07
""",
    )
    write(
        tmp_path,
        "mid/parent.toml",
        """[scenario]
name = "parent"
extends = "../base/grand.toml"
[consumption]
vouchers = { 2021 = 2.0, 2039 = 0.0 }
[investment]
realisation = { urban = 0.4 }
profile = "late"
[[shock]]
name = "p"
target = "va_tertiary"
years = [2023, 2024]
factor = 0.95
[parameters]
"labour.okun" = 0.25
""",
    )
    child = write(
        tmp_path,
        "child.toml",
        """[scenario]
name = "child"
extends = "mid/parent.toml"
[time]
dt = 0.5
[population]
siphon_rate = 0.07
[[shock]]
name = "c"
target = "consumption"
years = [2025, 2025]
factor = 1.1
[parameters]
"capital.depreciation" = 0.09
""",
    )
    scn = load_scenario(child)
    assert scn.name == "child"
    assert scn.time.end == 2040 and scn.time.dt == 0.5  # key by key
    assert scn.levers["vouchers"] == Schedule(((2021, 2.0), (2039, 0.0)))  # parent's replaces
    assert scn.levers["tourism_growth"] == 0.01  # grandparent's kept
    assert scn.levers["siphon_rate"] == 0.07  # child's replaces
    assert scn.levers["plan_realisation"] == 0.5
    assert scn.levers["realisation_services"] == 0.9
    assert scn.levers["realisation_urban"] == 0.4
    assert scn.profile == "late"
    assert [s.name for s in scn.shocks] == ["g", "p", "c"]  # accumulate, oldest first
    assert scn.parameters == {"labour.okun": 0.25, "capital.depreciation": 0.09}
    assert [Path(p).name for p in scn.extends] == ["parent.toml", "grand.toml"]
    assert all(Path(p).is_absolute() for p in scn.extends)


def test_end_of_a_child_applies_to_parent_schedules(tmp_path):
    write(tmp_path, "p.toml", "[consumption]\nvouchers = { 2021 = 1.0, 2035 = 2.0 }\n")
    path = write(tmp_path, "c.toml", "[scenario]\nextends = 'p.toml'\n[time]\nend = 2030\n")
    m = only_problem(path, in_file="p.toml")
    assert m["key"] == "[consumption] vouchers.2035"
    assert "[time] end = 2030 in" in m["msg"] and "c.toml" in m["msg"]


@pytest.fixture
def extra_section():
    """A section [extra] registered for one test, then forgotten."""

    def parse(table, data_dir):
        assert data_dir is None
        problems = [((k,), "must be a number") for k, v in table.items() if isinstance(v, str)]
        return dict(table), problems

    register_section(
        "extra",
        parse,
        lambda v: "[extra]\n" + "\n".join(f"{k} = {toml_value(x)}" for k, x in v.items()),
    )
    yield parse
    unregister_section("extra")


def test_registered_section_is_merged_and_its_problems_located(tmp_path, extra_section):
    write(tmp_path, "p.toml", "[extra]\na = 1\nb = 2\n")
    path = write(tmp_path, "c.toml", "[scenario]\nextends = 'p.toml'\n[extra]\nb = 3\n")
    scn = load_scenario(path)
    assert scn.sections == {"extra": {"a": 1, "b": 3}}
    assert "[extra]\na = 1\nb = 3" in resolved_toml(scn)
    bad = write(tmp_path, "bad.toml", "[extra]\n\na = 'x'\n")
    m = only_problem(bad)
    assert (m["line"], m["key"], m["msg"]) == ("3", "[extra] a", "must be a number")
    with pytest.raises(ValueError):
        register_section("time", extra_section)


def test_key_lines_skip_strings_and_follow_tables():
    text = '''# comment with key = 1
[scenario]
description = """
vouchers = 3
[consumption]
"""
'quoted.key' = 'a' # x = 1
[investment]
realisation = { services = 0.8, "urban" = { deep = 1 } }
plan.realisation = 1
arr = [
  1, # [fake]
  { x = 2 },
]
[[shock]]
target = "fai"
[[shock]]
target = "fai"
[shock.sub]
z = 1
'''
    tomllib.loads(text)
    lines = key_lines(text)
    assert lines[("scenario",)] == 2
    assert lines[("scenario", "description")] == 3
    assert ("consumption",) not in lines and ("scenario", "vouchers") not in lines
    assert lines[("scenario", "quoted.key")] == 7
    assert lines[("investment", "realisation", "services")] == 9
    assert lines[("investment", "realisation", "urban", "deep")] == 9
    assert lines[("investment", "plan", "realisation")] == 10
    assert lines[("investment", "arr", 1, "x")] == 13
    assert lines[("shock", 0, "target")] == 16
    assert lines[("shock", 1, "target")] == 18
    assert lines[("shock", 1, "sub", "z")] == 20


def test_make_scenario_still_validates():
    scn = hubinsim.make_scenario(levers={"vouchers": {2021: 1.0}}, profile={"2021": 1.0})
    assert scn.levers["vouchers"] == Schedule(((2021, 1.0),))
    with pytest.raises(ScenarioError) as info:
        hubinsim.make_scenario(levers={"vouchres": 1.0, "tax_relief": 0.9})
    assert len(info.value.problems) == 2
    assert "did you mean 'vouchers'" in info.value.problems[0]


def test_resolved_toml_round_trip_of_every_form(tmp_path):
    text = """[scenario]
name = "every form"
title = "Every form"
title_zh = "各种写法"
description = "tabs\\tand \\"quotes\\" and \\\\ and\\nnew \\\\n lines \\"\\"\\"x\\"\\"\\"\\\\\\""
[time]
end = 2032
dt = 0.125
[investment]
realisation = { services = 0.9 }
profile = { 2021 = 1, 2025 = 2.5 }
[consumption]
vouchers = { step = { 2021 = 1.0, 2023 = 0 } }
[population]
net_migration_policy = { 2021 = 0.0, 2025 = 0.003 }
[[shock]]
target = "va_tertiary"
years = [2022, 2023]
factor = 0.9
[parameters]
"capital.depreciation" = 0.0712345678901234
"""
    scn = load_scenario(write(tmp_path, "forms.toml", text))
    out = resolved_toml(scn)
    doc = tomllib.loads(out)
    assert "extends" not in doc["scenario"]
    assert doc["scenario"]["description"] == scn.description
    assert set(doc["parameters"]) == set(load_parameters())
    back = load_scenario(write(tmp_path, "resolved.toml", out))
    assert back.name == scn.name and back.time == scn.time and back.shocks == scn.shocks
    assert (back.title, back.title_zh) == ("Every form", "各种写法")
    assert back.profile == scn.profile
    a, b = simulate(scn).annual, simulate(back).annual
    assert a.equals(b)
    # resolving again changes nothing but the header comment
    again = resolved_toml(back)
    assert again.split("\n", 4)[4] == out.split("\n", 4)[4]


PARAMS = tuple(load_parameters())


LEVER_NAMES = tuple(lv.name for lv in LEVERS)


SECTION_NAMES = ("scenario", "time", *SECTIONS, "parameters", "uncertainty", "consumtion", "")


KEY_NAMES = (
    *LEVER_NAMES,
    *PARAMS[:8],
    "vouchres",
    "profile",
    "realisation",
    "name",
    "description",
    "extends",
    "end",
    "dt",
    "method",
    "step",
    "2021",
    "2040",
    "target",
    "years",
    "factor",
    *POOL_CATEGORIES,
)


scalars = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=1990, max_value=2070),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-0.1, max_value=3.0),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["even", "early", "late", "euler", "rk4", "fai", "x"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)


keys = st.one_of(st.sampled_from(KEY_NAMES), st.text(max_size=8))


values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(keys, st.integers(2015, 2045).map(str)), inner, max_size=4),
    ),
    max_leaves=8,
)


tables = st.dictionaries(keys, values, max_size=5)


def toml_of(value) -> str:
    """Test-side TOML writer (independent of the package's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_of(v) for v in value) + "]"
    return (
        "{"
        + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_of(v)}" for k, v in value.items())
        + "}"
    )


@st.composite
def documents(draw) -> str:
    lines = [
        f"{json.dumps(k)} = {toml_of(v)}"
        for k, v in draw(tables.filter(lambda t: len(t) <= 1)).items()
    ]
    for name, table in draw(
        st.dictionaries(st.sampled_from(SECTION_NAMES), tables, max_size=5)
    ).items():
        if name == "scenario" and draw(st.booleans()):
            table["extends"] = draw(
                st.sampled_from(["parent.toml", "doc.toml", "missing.toml", "", 5, "sub/"])
            )
        lines.append(f"[{json.dumps(name)}]")
        lines += [f"{json.dumps(k, ensure_ascii=False)} = {toml_of(v)}" for k, v in table.items()]
    for _ in range(draw(st.integers(0, 2))):
        shock = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "target": st.one_of(st.sampled_from([t.name for t in SHOCK_TARGETS]), scalars),
                    "years": st.one_of(st.lists(st.integers(2015, 2045), max_size=3), scalars),
                    "factor": st.one_of(st.floats(0, 4), scalars),
                    "name": scalars,
                    "extra": scalars,
                },
            )
        )
        lines.append("[[shock]]")
        lines += [f"{k} = {toml_of(v)}" for k, v in shock.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def doc_folder(tmp_path_factory):
    """A folder for the random documents (doc.toml, written anew for each), with a parent
    scenario they may extend and a sub-folder."""
    folder = tmp_path_factory.mktemp("documents")
    (folder / "parent.toml").write_text(
        "[scenario]\nname = 'parent'\n[consumption]\nvouchers = 1.0\n", encoding="utf-8"
    )
    (folder / "sub").mkdir()
    return folder


def _only_scenario_errors(text: str | bytes, folder: Path) -> None:
    path = folder / "doc.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        scn = load_scenario(path)
    except ScenarioError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert all(p.startswith(str(folder)) for p in exc.problems), exc.problems
        return
    assert isinstance(scn, hubinsim.Scenario)
    tomllib.loads(resolved_toml(scn))


FRAGMENTS = st.sampled_from(
    [
        "[",
        "]",
        "[[shock]]",
        "[consumption]",
        "[investment]",
        "=",
        " = ",
        "\n",
        '"',
        "'",
        '"""',
        "'''",
        "{",
        "}",
        ",",
        "vouchers",
        "profile",
        "2021",
        "1.0",
        "0.5",
        "1e999",
        "nan",
        "#",
        ".",
        " ",
        "\\",
        "step",
        "extends",
        '"parent.toml"',
        "true",
        "[scenario]",
        "\r\n",
        "\t",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(FRAGMENTS, max_size=40).map("".join),
        st.binary(max_size=100),
    )
)
def test_random_text_raises_only_scenario_error(doc_folder, text):
    _only_scenario_errors(text, doc_folder)


def _paths(obj, pre=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield pre + (k,)
            yield from _paths(v, pre + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield pre + (i,)
            yield from _paths(v, pre + (i,))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_random_documents_raise_only_scenario_error_and_key_lines_find_each_key(doc_folder, text):
    # (the two properties of the same documents: generating them is most of the time)
    _only_scenario_errors(text, doc_folder)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    lines = key_lines(text)
    n_lines = text.count("\n") + 1
    for path in _paths(doc):
        assert path in lines, path
        assert 1 <= lines[path] <= n_lines


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.sampled_from([lv.name for lv in LEVERS]), st.floats(0, 1), max_size=6))
def test_random_valid_levers_load(settings_):
    lines = []
    for name, frac in settings_.items():
        lv = hubinsim.catalog.LEVER_BY_NAME[name]
        value = min(lv.high, max(lv.low, lv.low + frac * (lv.high - lv.low)))
        assume(taken_as_written(lv, value))
        section = lv.section
        if lv.schedule and frac > 0.5:
            lines.append(f"[{section}]\n{name} = {{ 2021 = {value!r}, 2030 = {lv.low!r} }}")
        else:
            lines.append(f"[{section}]\n{name} = {value!r}")
    # the same section may appear twice above: group keys per section instead
    grouped: dict[str, list[str]] = {}
    for block in lines:
        head, body = block.split("\n", 1)
        grouped.setdefault(head, []).append(body)
    text = "\n".join(h + "\n" + "\n".join(b) for h, b in grouped.items()) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ok.toml"
        path.write_text(text, encoding="utf-8")
        scn = load_scenario(path)
    assert set(scn.levers) == set(settings_)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=10))
def test_written_strings_and_keys_read_back(text, key):
    for writer in (toml_string, toml_text):
        doc = tomllib.loads(f"{toml_key(key)} = {writer(text)}\n")
        assert doc == {key: text}


# ----------------------------------------------------------------------- the [uncertainty] section


SPEC = {
    "draws": 500,
    "seed": 1,
    "sampling": "lhs",
    "parameters": {
        "capital.depreciation": {"dist": "triangular", "low": 0.05, "mode": 0.08, "high": 0.11},
        "tfp.growth_industry": {"dist": "normal", "mean": 0.02, "sd": 0.004},
        "fiscal.buoyancy": {"dist": "lognormal", "median": 1.0, "sigma": 0.08},
        "labour.okun": {"dist": "truncnormal", "mean": 0.3, "sd": 0.2},
        "production.gamma_public": {"dist": "uniform", "low": 0.02, "high": 0.15},
    },
    "correlations": [["capital.depreciation", "tfp.growth_industry", 0.5]],
}


def test_every_distribution_is_exercised():
    kinds = {d["dist"] for d in SPEC["parameters"].values()}
    assert kinds == set(DISTRIBUTIONS)


@pytest.mark.parametrize("sampling", SAMPLING)
def test_draws_stay_inside_bounds_and_plausible_range(sampling):
    unc = parse_uncertainty(SPEC)
    params = load_parameters()
    draws = unc.sample(sampling=sampling)
    for p in unc.parameters:
        x = draws[p.name]
        assert x.shape == (500,)
        assert params[p.name].low <= p.low <= x.min()
        assert x.max() <= p.high <= params[p.name].high


def test_seeded_sample_is_reproducible_and_seed_matters():
    unc = parse_uncertainty(SPEC)
    a, b = unc.sample(), unc.sample()
    c = unc.sample(seed=2)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    assert not np.array_equal(a["labour.okun"], c["labour.okun"])


def test_marginals_follow_their_distribution():
    unc = parse_uncertainty({**SPEC, "correlations": [], "draws": 4000})
    x = unc.sample()
    tri = stats.triang(c=0.5, loc=0.05, scale=0.06)
    assert stats.kstest(x["capital.depreciation"], tri.cdf).pvalue > 0.01
    uni = stats.uniform(0.02, 0.13)
    assert stats.kstest(x["production.gamma_public"], uni.cdf).pvalue > 0.01
    assert np.median(x["fiscal.buoyancy"]) == pytest.approx(1.0, abs=0.01)


def test_latin_hypercube_stratifies_each_parameter():
    unc = parse_uncertainty({"parameters": {"labour.okun": {"dist": "uniform"}}})
    x = unc.sample(draws=50, seed=4)["labour.okun"]
    strata = np.floor((x - 0.1) / 0.4 * 50).astype(int)
    assert sorted(strata) == list(range(50))


def test_gaussian_copula_gives_the_rank_correlation():
    unc = parse_uncertainty({**SPEC, "draws": 20000})
    x = unc.sample()
    rho = stats.spearmanr(x["capital.depreciation"], x["tfp.growth_industry"])[0]
    assert rho == pytest.approx(6 / np.pi * np.arcsin(0.25), abs=0.03)
    other = stats.spearmanr(x["capital.depreciation"], x["labour.okun"])[0]
    assert abs(other) < 0.03


def test_default_is_every_parameter_uniform_over_its_range():
    unc = default_uncertainty(seed=3)
    params = load_parameters()
    assert unc.is_default
    assert unc.names == [n for n in params if n not in NOT_DRAWN_BY_DEFAULT]
    for p in unc.parameters:
        assert (p.dist, p.low, p.high) == ("uniform", params[p.name].low, params[p.name].high)


def test_default_leaves_out_parameters_the_scenario_fixes():
    scn = make_scenario(name="fixed", parameters={"capital.depreciation": 0.07})
    unc = scenario_uncertainty(scn)
    assert "capital.depreciation" not in unc.names
    assert len(unc.names) == len(load_parameters()) - 1 - len(NOT_DRAWN_BY_DEFAULT)


def test_default_keeps_the_business_as_usual_realisation():
    # It is the yardstick of plan_realisation: drawing it would make a fixed stimulus a cut.
    assert "investment.bau_realisation" not in default_uncertainty(seed=1).names
    declared = parse_uncertainty(
        {"parameters": {"investment.bau_realisation": {"dist": "uniform"}}}
    )
    assert declared.names == ["investment.bau_realisation"]


def test_a_parameter_fixed_and_drawn_is_an_error():
    scn = make_scenario(name="both", parameters={"capital.depreciation": 0.07})
    spec = {"parameters": {"capital.depreciation": {"dist": "uniform"}}}
    with pytest.raises(ScenarioError, match="also fixed in \\[parameters\\]"):
        parse_uncertainty(spec, scenario=scn)


def test_table_without_parameters_means_the_default():
    unc = parse_uncertainty({"draws": 7, "seed": 9, "sampling": "sobol"})
    assert unc.is_default and (unc.draws, unc.seed, unc.sampling) == (7, 9, "sobol")


def test_as_dict_round_trips():
    unc = parse_uncertainty(SPEC)
    again = parse_uncertainty(unc.as_dict())
    assert again == unc
    for name, x in unc.sample().items():
        np.testing.assert_array_equal(x, again.sample()[name])


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ({"draw": 5}, "did you mean 'draws'"),
        ({"draws": 0}, "draws: must be a whole number in 1..2,000,000"),
        ({"draws": 10**11}, "draws: must be a whole number in 1..2,000,000"),
        ({"draws": True}, "draws"),
        ({"seed": -1}, "seed: must be a whole number >= 0"),
        ({"sampling": "lhss"}, "did you mean 'lhs'"),
        (
            {"parameters": {"capital.deprecation": {"dist": "uniform"}}},
            "did you mean 'capital.depreciation'",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "normall", "mean": 0.3, "sd": 0.1}}},
            "did you mean 'normal'",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.0}}},
            "outside the plausible range [0.1, 0.5]",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.4, "high": 0.2}}},
            "must be below high",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "triangular", "mod": 0.3}}},
            "did you mean 'mode'",
        ),
        ({"parameters": {"labour.okun": {"dist": "triangular", "mode": 0.6}}}, "mode"),
        ({"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3}}}, "normal needs sd"),
        ({"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": -1}}}, "must be > 0"),
        (
            {"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": "x"}}},
            "must be a number",
        ),
        (
            {"parameters": {"labour.okun": {"dist": "normal", "mean": 0.3, "sd": 0.5}}},
            "of its probability inside the plausible range",
        ),
        (
            {
                "parameters": {
                    "labour.working_age_trend": {"dist": "lognormal", "median": 0.1, "sigma": 0.1}
                }
            },
            "lognormal draws are positive",
        ),
        ({"parameters": {"labour.okun": 0.3}}, "must be a table"),
        (
            {
                "parameters": {"labour.okun": {"dist": "uniform"}},
                "correlations": [["labour.okun", "fiscal.buoyancy", 0.3]],
            },
            "'fiscal.buoyancy' is not an uncertain parameter",
        ),
        (
            {
                "parameters": {
                    "labour.okun": {"dist": "uniform"},
                    "fiscal.buoyancy": {"dist": "uniform"},
                },
                "correlations": [["labour.okun", "fiscal.buoyancy", 1.0]],
            },
            "strictly between -1 and 1",
        ),
        ({"correlations": [["labour.okun", "labour.okun", 0.3]]}, "with itself"),
        ({"correlations": "labour.okun"}, "must be a list"),
        (
            {
                "correlations": [
                    ["labour.okun", "fiscal.buoyancy", 0.5],
                    ["fiscal.buoyancy", "labour.okun", 0.4],
                ]
            },
            "more than once",
        ),
        (
            {
                "correlations": [
                    ["labour.okun", "fiscal.buoyancy", 0.9],
                    ["labour.okun", "tfp.rd_return", 0.9],
                    ["fiscal.buoyancy", "tfp.rd_return", -0.9],
                ]
            },
            "not positive definite",
        ),
        ("draws = 5", "must be a table"),
    ],
)
def test_invalid_specs_raise_scenario_error(spec, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty(spec, source="bad.toml")
    assert fragment in str(info.value)
    assert str(info.value).startswith("bad.toml")


def test_all_problems_are_reported_together():
    spec = {
        "draw": 5,
        "sampling": "x",
        "parameters": {"nope": {"dist": "uniform"}, "labour.okun": {"dist": "gamma"}},
    }
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty(spec)
    assert len(info.value.problems) == 4


def test_problems_carry_key_paths_for_the_scenario_file_reader():
    unc, problems = uncertainty_problems(
        {"parameters": {"labour.okun": {"dist": "uniform", "low": 0.0}}}
    )
    assert unc is None
    assert problems[0][0] == ("parameters", "labour.okun", "low")


SCENARIO_FILE = """
[scenario]
name = "uncertain"
extends = "{base}"

[uncertainty]
draws = 50
seed = 3
sampling = "sobol"
correlations = [["capital.depreciation", "tfp.growth_industry", 0.5]]

[uncertainty.parameters]
"capital.depreciation" = {{ dist = "triangular", low = 0.05, mode = 0.08, high = 0.11 }}
"tfp.growth_industry" = {{ dist = "normal", mean = 0.02, sd = 0.004 }}
"""


def _write(tmp_path, text):
    path = tmp_path / "uncertain.toml"
    path.write_text(text.format(base=BASELINE), encoding="utf-8")
    return path


def test_scenario_file_section_is_read_and_written_back(tmp_path):

    scn = load_scenario(_write(tmp_path, SCENARIO_FILE))
    unc = scn.sections["uncertainty"]
    assert (unc.draws, unc.seed, unc.sampling) == (50, 3, "sobol")
    assert scenario_uncertainty(scn) is unc
    again = tmp_path / "resolved.toml"
    again.write_text(resolved_toml(scn), encoding="utf-8")
    assert load_scenario(again).sections["uncertainty"] == unc


def test_scenario_file_section_errors_name_the_line(tmp_path):

    bad = (
        SCENARIO_FILE.replace("low = 0.05, mode", "low = 0.01, mode")
        .replace('"lhs"', '"x"')
        .replace("draws = 50", "draws = 0")
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path, bad))
    text = str(info.value)
    assert "uncertain.toml:7: [uncertainty] draws" in text
    assert 'uncertain.toml:13: [uncertainty] parameters."capital.depreciation".low' in text


def test_default_section_stays_the_default_of_its_scenario(tmp_path):

    text = (
        '[scenario]\nname = "d"\n\n[parameters]\n"capital.depreciation" = 0.07\n\n'
        "[uncertainty]\ndraws = 5\nseed = 1\n"
    )
    path = tmp_path / "d.toml"
    path.write_text(text, encoding="utf-8")
    scn = load_scenario(path)
    assert "capital.depreciation" not in scenario_uncertainty(scn).names
    assert "[uncertainty.parameters]" not in resolved_toml(scn)


def test_uniform_shortcut_equals_scipy_bit_for_bit():
    unc = parse_uncertainty({"parameters": {"labour.okun": {"dist": "uniform", "low": 0.15}}})
    p = unc.parameters[0]
    u = np.linspace(0.0, 1.0, 1001)
    expected = stats.uniform(loc=p.low, scale=p.high - p.low).ppf(u)
    np.testing.assert_array_equal(p.ppf(u), np.clip(expected, p.low, p.high))


def test_uncorrelated_draws_equal_the_transform_of_the_unit_sample():
    unc = parse_uncertainty(
        {
            "parameters": {
                "capital.depreciation": {"dist": "triangular", "mode": 0.08},
                "labour.okun": {"dist": "uniform"},
            }
        }
    )
    x = unc.transform(unc.unit_sample(50, 7, "lhs"))
    got = unc.sample(50, 7, "lhs")
    for j, name in enumerate(unc.names):
        np.testing.assert_array_equal(got[name], x[:, j])
        assert got[name].flags.c_contiguous


# ------------------------------------------------------------- levers drawn ([uncertainty.levers])


DRAWN_LEVERS = {
    "plan_realisation": {"dist": "triangular", "low": 0.4, "mode": 0.7, "high": 0.9},
    "siphon_rate": {"dist": "uniform", "low": 0.03, "high": 0.08},
}


def test_levers_are_drawn_after_the_parameters_within_their_bounds():
    unc = parse_uncertainty({"draws": 300, "seed": 2, "levers": DRAWN_LEVERS})
    assert unc.is_default  # the parameters follow the default uncertainty
    assert unc.lever_names == ["plan_realisation", "siphon_rate"]
    assert unc.names[-2:] == unc.lever_names
    assert all(p.kind == "parameter" for p in unc.parameters[:-2])
    draws = unc.sample()
    assert 0.4 <= draws["plan_realisation"].min() and draws["plan_realisation"].max() <= 0.9
    assert 0.03 <= draws["siphon_rate"].min() and draws["siphon_rate"].max() <= 0.08
    # Latin hypercube: one draw in each of the 300 strata of the uniform lever
    strata = np.floor((draws["siphon_rate"] - 0.03) / 0.05 * 300).astype(int)
    assert sorted(strata) == list(range(300))
    assert unc.as_dict()["levers"]["siphon_rate"] == {"dist": "uniform", "low": 0.03, "high": 0.08}


@pytest.mark.parametrize(
    "levers, fragment",
    [
        ({"plan_realization": {"dist": "uniform"}}, "did you mean 'plan_realisation'"),
        (
            {"capital.depreciation": {"dist": "uniform"}},
            "declare it under [uncertainty.parameters]",
        ),
        ({"plan_realisation": {"dist": "uniform", "low": -0.1}}, "outside the plausible range"),
        ({"vouchers": {"dist": "normal", "mean": 5.0}}, "normal needs sd"),
        ({"siphon_rate": 0.05}, "must be a table"),
    ],
)
def test_bad_lever_declarations_are_named(levers, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_uncertainty({"levers": levers})
    assert fragment in str(info.value)
    assert "[uncertainty] levers." in str(info.value)


def test_a_lever_declared_as_a_parameter_is_sent_to_the_levers_table():
    with pytest.raises(ScenarioError, match=r"declare it under \[uncertainty.levers\]"):
        parse_uncertainty({"parameters": {"vouchers": {"dist": "uniform"}}})


def test_scenario_file_lever_errors_name_the_line(tmp_path):
    bad = DRAWN.replace("plan_realisation = {{ dist", "plan_realisatoin = {{ dist")
    with pytest.raises(ScenarioError) as info:
        load_scenario(extending_baseline(tmp_path, bad))
    assert "drawn.toml:11: [uncertainty] levers.plan_realisatoin: unknown lever" in str(info.value)


def test_every_lever_can_be_declared_uncertain_but_the_pool_timing():
    drawable = {n: lv for n, lv in LEVER_BY_NAME.items() if n not in SHARED_LEVERS}
    spec = {name: {"dist": "uniform"} for name in drawable}
    unc = parse_uncertainty({"draws": 8, "seed": 3, "levers": spec})
    samples = unc.sample()
    for name, lever in drawable.items():
        assert lever.low <= samples[name].min() and samples[name].max() <= lever.high, name
    # The pool's timing is the same for every member: drawing it is refused.
    with pytest.raises(ScenarioError, match="pool_delay: sets the timing"):
        parse_uncertainty({"draws": 8, "levers": {"pool_delay": {"dist": "uniform"}}})


# ---------------------------------------------------------- the example scenarios and the README's


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


BLOCKS = re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples():
    assert any(b.startswith("[scenario]") for b in BLOCKS)
    assert any(b.startswith("[uncertainty]") for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.splitlines()[0])
def test_example_loads_and_runs(block, tmp_path):
    shutil.copy(ROOT / "scenarios" / "baseline.toml", tmp_path / "baseline.toml")
    text = block if block.startswith("[scenario]") else '[scenario]\nname = "x"\n' + block
    path = tmp_path / "example.toml"
    path.write_text(text, encoding="utf-8")
    scn = hubinsim.load_scenario(path)
    res = hubinsim.simulate(scn)
    assert res.annual.loc[2020, "gdp"] == pytest.approx(289.3)


# ------------------------------------------------------------------ the writer and the lever table


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
    doc = tomllib.loads(f"x = {toml_value(value)}\n")
    assert doc["x"] == value


def test_the_lever_table_lists_everything_a_scenario_may_set():
    rows = hubinsim.levers(as_frame=False)
    names = {(r["kind"], r["name"]) for r in rows}
    assert {("lever", lv.name) for lv in LEVERS} <= names
    assert {("parameter", p) for p in load_parameters()} <= names
    assert {("shock target", s.name) for s in SHOCK_TARGETS} <= names
    vouchers = next(r for r in rows if r["name"] == "vouchers")
    assert (vouchers["unit"], vouchers["default"], vouchers["low"], vouchers["high"]) == (
        "亿元/yr",
        "0",
        "0",
        "10",
    )
    assert vouchers["meaning_en"] and vouchers["meaning_zh"]
    frame = hubinsim.levers()
    assert list(frame.columns)[:3] == ["kind", "section", "name"] and len(frame) == len(rows)


def test_scenario_built_directly_takes_the_documented_lever_forms():
    # Scenario(...) takes what make_scenario and simulate(levers=...) take: a year schedule
    # as {year: value} or {"step": {year: value}}, a profile as {year: weight}
    forms = {
        "firms_attracted": {2021: 4, 2026: 0},
        "vouchers": {"step": {2021: 1.0, "2023": 0}},
    }
    direct = hubinsim.Scenario(name="direct", levers=forms, profile={2022: 3, 2021: 1})
    made = make_scenario(name="direct", levers=forms, profile={2021: 1, 2022: 3})
    assert direct.levers == made.levers
    assert direct.levers["vouchers"] == Schedule(((2021, 1.0), (2023, 0)), step=True)
    assert direct.profile == made.profile == ((2021, 1), (2022, 3))
    ran, expected = simulate(direct).annual, simulate(made).annual
    pd.testing.assert_frame_equal(ran, expected)
    assert ran.loc[2025, "gdp"] != simulate().annual.loc[2025, "gdp"]
