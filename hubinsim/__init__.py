"""hubinsim: a regional economic scenario simulator for Hubin District (湖滨区), Sanmenxia.

Python API::

    import hubinsim
    bau = hubinsim.simulate()                        # business as usual, 2020-2035
    stim = hubinsim.simulate(hubinsim.load_scenario("scenarios/stimulus.toml"))
    stim.annual[["gdp", "share_tertiary_pct"]]
    stim.targets                                     # the plan-target scorecard
"""

from ._version import __version__
from .errors import DataError, HubinsimError, ScenarioError, SimulationError
from .results import Results
from .scenario import Scenario, Shock, make_scenario
from .simulate import simulate

__all__ = [
    "__version__",
    "simulate",
    "make_scenario",
    "Scenario",
    "Shock",
    "Results",
    "HubinsimError",
    "ScenarioError",
    "DataError",
    "SimulationError",
]

from .scenario_file import load_scenario  # noqa: E402

__all__.append("load_scenario")
