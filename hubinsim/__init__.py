"""hubinsim: a regional economic scenario simulator for Hubin District (湖滨区), Sanmenxia.

Python API (everything the command line does)::

    import hubinsim
    bau = hubinsim.simulate()                        # business as usual, 2020-2035
    stim = hubinsim.simulate(hubinsim.load_scenario("scenarios/stimulus.toml"))
    stim.annual[["gdp", "share_tertiary_pct"]]
    stim.targets                                     # the plan-target scorecard
    hubinsim.write_run(stim, "runs")                 # runs/stimulus/, as `hubinsim run`

    cmp = hubinsim.compare("scenarios/baseline.toml", "scenarios/stimulus.toml",
                           draws=1000, seed=1)       # as `hubinsim compare`
    cmp.differences(), cmp.scorecard, cmp.statements
    hubinsim.write_comparison(cmp, "runs")

    res = hubinsim.sensitivity(hubinsim.load_scenario("scenarios/baseline.toml"),
                               ["gdp_real@2025"], method="morris")
    sol = hubinsim.solve(hubinsim.load_scenario("scenarios/baseline.toml"),
                         "gdp_real@2025>=400", "plan_realisation")   # as `hubinsim solve`
    sol.message, sol.table; hubinsim.write_solution(sol, "runs")
    att = hubinsim.attribute("scenarios/baseline.toml", "scenarios/stimulus.toml")
    att.table("stimulus", 2025)                      # as `hubinsim compare --attribute`
    est = hubinsim.estimate_elasticities(hubinsim.read_panel("panel.csv"))
    est.table, est.fragment()                        # as `hubinsim estimate`
    hubinsim.levers()                                # what a scenario may set
    hubinsim.indicators()                            # what a run reports
    hubinsim.read_members("runs/baseline")           # an ensemble run folder's members
    rec = hubinsim.start_record(2023, stim)          # the state of 2023, to restart from
    act = hubinsim.read_actuals("my_actuals.csv")    # actual figures (docs/evaluation.md)
    ev = hubinsim.evaluate(stim_scenario, act)       # as `hubinsim evaluate`
    ev.table; hubinsim.write_evaluation(ev, "runs")  # runs/evaluate-stimulus/
    cal = hubinsim.calibrate(scenario, act, ["tfp.growth_tertiary", "labour.okun"])
    cal.estimates, cal.fit, cal.fragment()           # as `hubinsim calibrate`
    bt = hubinsim.backtest(scenario, act, 2022, ["labour.okun"])  # as `hubinsim backtest`
    bt.table, bt.wide("gdp", "level"); hubinsim.write_backtest(bt, "runs")
"""

from ._version import __version__
from .errors import (
    ActualsError,
    DataError,
    HubinsimError,
    OutputError,
    ScenarioError,
    SimulationError,
    StartRecordError,
)

__all__ = [
    "__version__",
    "simulate",
    "start_record",
    "load_scenario",
    "make_scenario",
    "Scenario",
    "Shock",
    "Results",
    "compare",
    "Comparison",
    "sensitivity",
    "SensitivityResult",
    "solve",
    "Solution",
    "attribute",
    "Attribution",
    "read_panel",
    "estimate_elasticities",
    "Elasticities",
    "levers",
    "indicators",
    "write_run",
    "write_comparison",
    "write_sensitivity",
    "write_solution",
    "write_estimates",
    "read_members",
    "read_draws",
    "read_actuals",
    "Actuals",
    "evaluate",
    "Evaluation",
    "write_evaluation",
    "calibrate",
    "Calibration",
    "write_calibration",
    "backtest",
    "Backtest",
    "write_backtest",
    "HubinsimError",
    "ScenarioError",
    "ActualsError",
    "DataError",
    "SimulationError",
    "StartRecordError",
    "OutputError",
]

# Imported on first use, so that `import hubinsim` (and `hubinsim --help`) loads neither
# numpy nor pandas: name -> (module, attribute).
_LAZY = {
    "simulate": ("run.simulation", "simulate"),
    "start_record": ("run.single", "start_record"),
    "load_scenario": ("scenario.reader", "load_scenario"),
    "make_scenario": ("scenario.settings", "make_scenario"),
    "Scenario": ("scenario.settings", "Scenario"),
    "Shock": ("scenario.settings", "Shock"),
    "Results": ("results", "Results"),
    "compare": ("run.compare", "compare"),
    "Comparison": ("run.compare", "Comparison"),
    "sensitivity": ("analysis.sensitivity", "sensitivity"),
    "SensitivityResult": ("analysis.indices", "SensitivityResult"),
    "solve": ("analysis.goalseek", "solve"),
    "Solution": ("analysis.goalseek", "Solution"),
    "attribute": ("analysis.attribution", "attribute"),
    "Attribution": ("analysis.attribution", "Attribution"),
    "read_panel": ("analysis.elasticities", "read_panel"),
    "estimate_elasticities": ("analysis.elasticities", "estimate_elasticities"),
    "Elasticities": ("analysis.elasticities", "Elasticities"),
    "levers": ("scenario.levers", "levers"),
    "indicators": ("results", "indicators"),
    "write_run": ("io.run_folder", "write_run"),
    "write_comparison": ("io.compare_folder", "write_comparison"),
    "write_sensitivity": ("io.sensitivity_folder", "write_sensitivity"),
    "write_solution": ("io.solve_folder", "write_solution"),
    "write_estimates": ("io.estimate_folder", "write_estimates"),
    "read_members": ("io.members", "read_members"),
    "read_draws": ("io.members", "read_draws"),
    "read_actuals": ("actuals", "read_actuals"),
    "Actuals": ("actuals", "Actuals"),
    "evaluate": ("analysis.evaluation", "evaluate"),
    "Evaluation": ("analysis.evaluation", "Evaluation"),
    "write_evaluation": ("io.evaluation_folder", "write_evaluation"),
    "calibrate": ("analysis.calibration", "calibrate"),
    "Calibration": ("analysis.calibration", "Calibration"),
    "write_calibration": ("io.calibration_folder", "write_calibration"),
    "backtest": ("analysis.backtest", "backtest"),
    "Backtest": ("analysis.backtest", "Backtest"),
    "write_backtest": ("io.backtest_folder", "write_backtest"),
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attr = _LAZY[name]
        value = getattr(import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hubinsim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
