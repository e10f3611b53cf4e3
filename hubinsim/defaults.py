"""Settings the library and the command line share, declared once.

The command line reads these when it starts, to build its options and their help, so this
module imports nothing (no numpy, pandas or scipy): ``hubinsim --help`` stays fast. The
library uses the same names, so a default shown in ``--help`` is the default applied.
"""

from __future__ import annotations

#: Most members one ensemble may have (the draws are sampled before the chunks run).
MAX_DRAWS = 2_000_000
#: Members of an ensemble whose scenario declares an uncertainty without ``draws``.
DEFAULT_DRAWS = 1000
#: How draws cover the parameter ranges: Latin hypercube, scrambled Sobol, Monte Carlo.
SAMPLING = ("lhs", "sobol", "mc")
DEFAULT_SAMPLING = "lhs"

#: Members per chunk: large enough that numpy's cost per call and the fixed cost of a run
#: (calibration, inputs: a few ms) are spread, small enough that a chunk's arrays stay in the
#: CPU caches, also with two chunks running at once. Sizes from 2,000 to 20,000 measured
#: equal within the noise (docs/performance.md); one pass over many more members is slower
#: per member, not faster.
DEFAULT_CHUNK_SIZE = 5_000
#: Most members per chunk: a chunk's arrays take about 30 KB a member in the process that
#: runs it (docs/performance.md), 6 GB at this size; smaller chunks cost no speed.
MAX_CHUNK_SIZE = 200_000
#: ``workers="auto"``: one process per CPU this process may use (within a container's CPU
#: quota), never more than there are chunks. The command line's default; Python functions
#: default to 1 (everything in the calling process).
AUTO_WORKERS = "auto"
#: Where a Dask scheduler is given: ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``).
SCHEDULER_FORMAT = "dask://HOST:PORT"
#: How to install the optional Dask extra.
DISTRIBUTED_HINT = 'pip install "hubinsim[distributed]"'

#: Global sensitivity methods and their default sample size (Sobol: base sample n, raised
#: to a power of 2, n (d + 2) runs; Morris: trajectories, n (d + 1) runs).
SENSITIVITY_METHODS = ("sobol", "morris")
DEFAULT_N = {"sobol": 1024, "morris": 100}
#: Largest n the command line accepts.
MAX_N = 65_536
#: The output a sensitivity analysis looks at when none is named.
DEFAULT_OUTPUTS = ("gdp_real@2025",)
#: Parameters a sensitivity table and chart show per output (indices.csv has them all).
DEFAULT_TOP = 15

#: Languages of the chart labels (zh needs a CJK font).
LANGUAGES = ("en", "zh")
#: Folder that receives run, comparison and sensitivity folders.
DEFAULT_OUT = "runs"
#: Resolution of the charts written to a run folder [dots per inch].
DPI = 150

#: Probability with which ``solve --draws N`` meets a target unless told otherwise.
SOLVE_PROBABILITY = 0.9
#: Most settings an attribution splits a difference between one by one (exact Shapley values
#: need 2^n runs: 256 for 8); beyond, settings are grouped by section.
ATTRIBUTION_MAX_SETTINGS = 8
#: Indicators whose attribution is charted as a waterfall in a comparison folder.
ATTRIBUTION_CHARTS = ("gdp_real", "gdp", "fiscal_revenue", "employment")
