"""Global sensitivity of the model: which parameters move which outputs.

:func:`sensitivity` builds the function the estimators of :mod:`hubinsim.analysis.indices`
need from a scenario: every uncertain parameter (the scenario's declared uncertainty, else
every structural parameter uniform over its plausible range) against chosen outputs
``"indicator@year"`` such as ``"gdp_real@2025"``; the runs go through the ensemble engine
(:func:`hubinsim.run.ensemble.run_members`), in chunks, on workers or an executor.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..catalog import INDICATOR_BY_NAME, suggest
from ..data import load_data
from ..defaults import DEFAULT_CHUNK_SIZE, DEFAULT_N, DEFAULT_OUTPUTS, MAX_N
from ..errors import ScenarioError
from ..run.ensemble import resolve_uncertainty, run_members
from ..run.parallel import opened_executor, run_settings_problems
from ..run.simulation import as_scenario
from ..scenario.settings import Scenario, check_scenario
from ..scenario.uncertainty import fresh_seed
from .indices import BACKENDS, METHODS, SensitivityResult, morris, sobol

#: Most bootstrap resamples of a confidence interval.
MAX_RESAMPLES = 100_000


def parse_outputs(outputs, years: Sequence[int]) -> list[tuple[str, int]]:
    """Check ``"indicator@year"`` strings (a list or one string, items separated by commas);
    return (indicator, year) pairs.

    Raises ScenarioError listing every bad output.
    """
    if isinstance(outputs, str):
        outputs = [outputs]
    outputs = [o.strip() for item in outputs for o in str(item).split(",") if o.strip()]
    problems, out = [], []
    years = list(years)
    for item in outputs:
        ind, sep, year = str(item).partition("@")
        if not sep:
            problems.append(f"output {item!r}: write it as indicator@year, e.g. gdp_real@2025")
            continue
        if ind not in INDICATOR_BY_NAME:
            problems.append(
                f"output {item!r}: unknown indicator{suggest(ind, INDICATOR_BY_NAME)}; "
                "`hubinsim indicators` lists them"
            )
        try:
            y = int(year)
        except ValueError:
            problems.append(f"output {item!r}: {year!r} is not a year")
            continue
        if y not in years:
            problems.append(f"output {item!r}: year {y} is outside the run {years[0]}..{years[-1]}")
        elif y == years[0] and ind.endswith("_growth_pct"):
            problems.append(
                f"output {item!r}: growth rates start in {years[0] + 1} (the year before "
                f"{years[0]} is not simulated)"
            )
        out.append((ind, y))
    if not outputs:
        problems.append("outputs: name at least one, e.g. gdp_real@2025")
    if problems:
        raise ScenarioError(problems)
    return out


def sensitivity(
    scenario: Scenario | None = None,
    outputs: Sequence[str] | str = DEFAULT_OUTPUTS,
    method: str = "sobol",
    n: int | None = None,
    seed: int | None = None,
    *,
    uncertainty=None,
    ignore_correlations: bool = False,
    num_levels: int = 4,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
    backend: str = "numpy",
    chunk_size: int | None = None,
    workers: int | str = 1,
    executor=None,
    progress=None,
    data_dir=None,
) -> SensitivityResult:
    """Sobol or Morris indices of model outputs over every uncertain parameter.

    Parameters
    ----------
    scenario : Scenario or path, optional
        Business as usual when omitted.
    outputs : "indicator@year" strings, e.g. ``["gdp_real@2025", "population@2035"]``, or
        one string with commas; each output is analysed once.
    method : {"sobol", "morris"}
    n : int, optional
        Sobol base sample (a power of 2; ``n (d + 2)`` runs, default 1024) or Morris
        trajectories (``n (d + 1)`` runs, default 100).
    seed : int, optional
        Seed of the design and the bootstrap (default: the uncertainty's, else a fresh one;
        recorded in ``metadata["seed"]``).
    uncertainty : Uncertainty or dict, optional
        Overrides the scenario's declared uncertainty (default: every parameter the
        scenario does not fix, uniform over its plausible range).
    chunk_size, workers, executor, progress :
        How the runs are spread and counted (see :func:`hubinsim.run.ensemble.run_members`).
    """
    data = load_data(data_dir)  # read once, for the design and every run
    problems = run_settings_problems(
        seed=seed, chunk_size=chunk_size, workers=workers, executor=executor, progress=progress
    )
    if not isinstance(method, str) or method not in METHODS:
        problems.append(
            f"method: must be one of {', '.join(METHODS)}, got {method!r}"
            + (suggest(method, METHODS) if isinstance(method, str) else "")
        )
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= MAX_N):
        problems.append(f"n: must be a whole number in 2..{MAX_N:,}, got {n!r}")
    if (
        isinstance(num_levels, bool)
        or not isinstance(num_levels, int)
        or not (2 <= num_levels <= 100 and num_levels % 2 == 0)
    ):
        problems.append(f"num_levels: must be an even whole number in 2..100, got {num_levels!r}")
    if (
        isinstance(num_resamples, bool)
        or not isinstance(num_resamples, int)
        or not (2 <= num_resamples <= MAX_RESAMPLES)
    ):
        problems.append(
            f"num_resamples: must be a whole number in 2..{MAX_RESAMPLES:,}, got {num_resamples!r}"
        )
    if (
        isinstance(conf_level, bool)
        or not isinstance(conf_level, int | float)
        or not (0 < conf_level < 1)
    ):
        problems.append(f"conf_level: must be a number between 0 and 1, got {conf_level!r}")
    if not isinstance(backend, str) or backend not in BACKENDS:
        problems.append(f"backend: must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if not isinstance(ignore_correlations, bool):
        problems.append(f"ignore_correlations: must be True or False, got {ignore_correlations!r}")
    if not isinstance(outputs, str) and not (
        isinstance(outputs, list | tuple) and all(isinstance(o, str) for o in outputs)
    ):
        problems.append(f'outputs: must be "indicator@year" strings, got {outputs!r:.60}')
    if problems:
        raise ScenarioError(problems)
    scn = check_scenario(as_scenario(scenario, data), data)
    years = range(2020, scn.time.end + 1)
    pairs = list(dict.fromkeys(parse_outputs(outputs, years)))  # each output once
    labels = [f"{i}@{y}" for i, y in pairs]
    unc = resolve_uncertainty(scn, uncertainty, data)
    if not unc.parameters:
        raise ScenarioError("sensitivity: no parameter is uncertain")
    seed = unc.seed if seed is None else seed
    if seed is None:
        seed = fresh_seed()
    keep = sorted({i for i, _ in pairs})

    def model(x: np.ndarray) -> np.ndarray:
        samples = {name: x[:, j] for j, name in enumerate(unc.names)}
        res = run_members(
            scn,
            samples,
            chunk_size=chunk_size,
            workers=workers,
            executor=opened,
            keep=keep,
            progress=progress,
            data_dir=data,
        )
        yrs = list(res.years)
        y = np.column_stack([res.values[i][yrs.index(y)] for i, y in pairs])
        flat = np.ptp(y, axis=0) <= 1e-9 * np.maximum(1.0, np.abs(y).max(axis=0))
        if flat.any():
            raise ScenarioError(
                [
                    f"output {label}: does not vary over the draws (the 2020 base is fixed by the "
                    "data, and levers are not drawn), so it has no sensitivity to analyse; "
                    "choose a later year or another indicator"
                    for label, f in zip(labels, flat, strict=True)
                    if f
                ]
            )
        return y

    kw = dict(
        seed=seed,
        outputs=labels,
        num_resamples=num_resamples,
        conf_level=conf_level,
        backend=backend,
        ignore_correlations=ignore_correlations,
    )
    with opened_executor(executor) as opened:
        if method == "sobol":
            result = sobol(model, unc, n or DEFAULT_N["sobol"], **kw)
        else:
            result = morris(model, unc, n or DEFAULT_N["morris"], num_levels=num_levels, **kw)
    result.metadata.update(
        scenario=scn.name,
        source=scn.source,
        scenario_object=scn,
        data_dir=str(data.folder),
        data=data,
        uncertainty=unc.as_dict(),
        default_uncertainty=unc.is_default,
        chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
    )
    return result
