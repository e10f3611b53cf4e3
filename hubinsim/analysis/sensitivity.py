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
from ..data import data_dir as _data_dir
from ..defaults import DEFAULT_CHUNK_SIZE, DEFAULT_N, DEFAULT_OUTPUTS
from ..errors import ScenarioError
from ..run.ensemble import resolve_uncertainty, run_members
from ..run.parallel import opened_executor
from ..scenario.settings import Scenario
from ..scenario.uncertainty import fresh_seed
from .indices import METHODS, SensitivityResult, morris, sobol


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
    scenario : Scenario, optional
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
    if method not in METHODS:
        raise ScenarioError(
            f"method: must be one of {', '.join(METHODS)}, got {method!r}"
            + suggest(str(method), METHODS)
        )
    scn = scenario or Scenario()
    years = range(2020, scn.time.end + 1)
    pairs = list(dict.fromkeys(parse_outputs(outputs, years)))  # each output once
    labels = [f"{i}@{y}" for i, y in pairs]
    unc = resolve_uncertainty(scn, uncertainty, data_dir)
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
            data_dir=data_dir,
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
        data_dir=str(_data_dir(data_dir)),
        uncertainty=unc.as_dict(),
        default_uncertainty=unc.is_default,
        chunk_size=chunk_size or DEFAULT_CHUNK_SIZE,
    )
    return result
