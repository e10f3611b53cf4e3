"""Scenario files (TOML) -> validated :class:`~hubinsim.scenario.Scenario`.

A scenario file is data: it is parsed with tomllib and checked against the catalogue;
nothing in it is evaluated.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import ScenarioError
from .scenario import Scenario, make_scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def load_scenario(path, data_dir=None) -> Scenario:
    """Read and validate a scenario file."""
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError("file not found", source=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", source=str(path)) from None
    meta = doc.get("scenario", {})
    levers = {}
    profile = None
    for section in ("investment", "population", "consumption", "industry", "innovation",
                    "fiscal", "prices"):
        for key, value in doc.get(section, {}).items():
            if section == "investment" and key == "profile":
                profile = value
            elif section == "investment" and key == "realisation":
                levers.update({f"realisation_{c}": v for c, v in value.items()})
            else:
                levers[key] = value
    shocks = [
        {"name": s.get("name", ""), "target": s.get("target"), "years": s.get("years"),
         "factor": s.get("factor")}
        for s in doc.get("shock", [])
    ]
    time = doc.get("time", {})
    scn = make_scenario(
        name=meta.get("name", path.stem), description=meta.get("description", ""),
        levers=levers, profile=profile, shocks=shocks, parameters=doc.get("parameters", {}),
        end=time.get("end", 2035), dt=time.get("dt", 0.25), method=time.get("method", "euler"),
        data_dir=data_dir,
    )
    from dataclasses import replace

    return replace(scn, source=str(path))
