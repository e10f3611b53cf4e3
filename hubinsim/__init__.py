"""hubinsim: a regional economic scenario simulator for Hubin District (湖滨区), Sanmenxia.

Python API::

    import hubinsim
    bau = hubinsim.simulate()                        # business as usual, 2020-2035
    stim = hubinsim.simulate(hubinsim.load_scenario("scenarios/stimulus.toml"))
    stim.annual[["gdp", "share_tertiary_pct"]]
    stim.targets                                     # the plan-target scorecard
    hubinsim.read_members("runs/baseline")           # an ensemble run folder's members
"""

from ._version import __version__
from .errors import DataError, HubinsimError, ScenarioError, SimulationError
from .simulate import simulate  # binds the function over the submodule of the same name

__all__ = [
    "__version__",
    "simulate",
    "load_scenario",
    "make_scenario",
    "Scenario",
    "Shock",
    "Results",
    "read_members",
    "read_draws",
    "HubinsimError",
    "ScenarioError",
    "DataError",
    "SimulationError",
]

# The rest of the API is imported on first use, so that `hubinsim --help` starts without
# loading pandas (simulate.py itself imports pandas only when it builds Results).
_LAZY = {
    "load_scenario": ("scenario_file", "load_scenario"),
    "make_scenario": ("scenario", "make_scenario"),
    "Scenario": ("scenario", "Scenario"),
    "Shock": ("scenario", "Shock"),
    "Results": ("results", "Results"),
    "read_members": ("output", "read_members"),
    "read_draws": ("output", "read_draws"),
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
