"""The public Python API: its names, lazy imports, and a function of the same power for every
command of the command line (the command line is a client of the API)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from support import invoke

import hubinsim
from hubinsim import cli

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.parametrize("name", hubinsim.__all__)
def test_every_public_name_resolves(name):
    assert getattr(hubinsim, name) is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        hubinsim.simulat  # noqa: B018


def test_import_does_not_load_pandas_until_results_are_made():
    code = (
        "import sys, hubinsim; a = 'pandas' in sys.modules;"
        "hubinsim.simulate(end=2021); print(a, 'pandas' in sys.modules)"
    )
    assert _run(code) == "False True"


def test_a_single_run_does_not_import_scipy():
    code = (
        "import sys, hubinsim; hubinsim.simulate(end=2021);"
        "hubinsim.compare(hubinsim.make_scenario(end=2021), hubinsim.make_scenario(end=2021));"
        "print('scipy' in sys.modules)"
    )
    assert _run(code) == "False"


def test_public_functions_keep_their_names_whatever_is_imported():
    code = (
        "import hubinsim, hubinsim.run.simulation, hubinsim.analysis.sensitivity;"
        "print(hubinsim.simulate.__module__, hubinsim.sensitivity.__module__)"
    )
    assert _run(code) == "hubinsim.run.simulation hubinsim.analysis.sensitivity"


#: Each command: the API functions it calls, and its options that only shape what is printed.
COMMANDS = {
    "run": (("simulate", "write_run"), ()),
    "compare": (("compare", "write_comparison", "attribute"), ()),
    "solve": (("solve", "write_solution"), ()),
    "estimate": (("read_panel", "estimate_elasticities", "write_estimates"), ()),
    "evaluate": (("evaluate", "write_evaluation", "read_actuals"), ()),
    "calibrate": (("calibrate", "write_calibration", "read_actuals"), ()),
    "backtest": (("backtest", "write_backtest", "read_actuals"), ()),
    "sensitivity": (("sensitivity", "write_sensitivity"), ()),
    "levers": (("levers",), ("fmt_",)),
    "indicators": (("indicators",), ("fmt_",)),
    "validate": (("load_scenario",), ()),
}
#: Options named differently in the API (None: an argument of the function).
RENAMED = {
    "no_charts": "charts",
    "scenario": None,
    "reference": None,
    "alternatives": None,
    "files": None,
    "words": "search",
    "actuals": None,
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_option_is_a_parameter_of_the_api(command):
    functions, printing = COMMANDS[command]
    params = set()
    for name in functions:
        params |= set(inspect.signature(getattr(hubinsim, name)).parameters)
    for option in cli.main.commands[command].params:
        if option.name in printing:
            continue
        name = RENAMED.get(option.name, option.name)
        assert name is None or name in params, f"{command} --{option.name}: no {name} in the API"


def test_the_api_writes_the_folder_the_command_writes(short, tmp_path):
    res = invoke("run", short, "--out", tmp_path / "cli", "--no-charts", "--draws", 6, "--seed", 2)
    assert res.exit_code == 0, res.output
    scn = hubinsim.load_scenario(short)
    api = hubinsim.simulate(scn, draws=6, seed=2)
    written = hubinsim.write_run(api, tmp_path / "api", charts=False)
    for name in ("annual.csv", "targets.csv", "members.csv.gz", "scenario.resolved.toml"):
        assert (tmp_path / "cli" / "short" / name).read_bytes() == (
            written.path / name
        ).read_bytes()


def test_the_api_compares_as_the_command_does(short, short_alt, tmp_path):
    res = invoke("compare", short, short_alt, "--out", tmp_path / "cli", "--no-charts")
    assert res.exit_code == 0, res.output
    written = hubinsim.write_comparison(
        hubinsim.compare(short, short_alt), tmp_path / "api", charts=False
    )
    names = ("annual.csv", "scorecard.csv", "differences_abs.csv", "differences_pct.csv")
    for name in names:
        cli_file = tmp_path / "cli" / "compare-short-vs-alt" / name
        assert cli_file.read_bytes() == (written.path / name).read_bytes(), name
