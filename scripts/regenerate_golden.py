"""Regenerate the golden results of the canonical scenarios (tests/golden/<scenario>.csv).

The golden files are the annual results of scenarios/baseline.toml and scenarios/stimulus.toml
(every column, full precision) that tests/test_golden.py compares fresh runs against. Run this
script only after a deliberate change of the model or its data, and review the diff of the
golden files in the same commit: it is the record of what the change did to the results.

Usage::

    python scripts/regenerate_golden.py            # rewrite every golden file
    python scripts/regenerate_golden.py baseline   # only some scenarios
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the checkout's hubinsim, not another installed copy

import hubinsim  # noqa: E402

SCENARIOS = ("baseline", "stimulus")
GOLDEN = ROOT / "tests" / "golden"


def golden_frame(name: str):
    """Annual results of scenarios/<name>.toml as they are written to the golden file."""
    scenario = hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml")
    return hubinsim.simulate(scenario).annual


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help=f"one of {', '.join(SCENARIOS)} (default: all)",
    )
    args = parser.parse_args(argv)
    unknown = [n for n in args.scenarios if n not in SCENARIOS]
    if unknown:
        parser.error(
            f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}"
        )
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name in args.scenarios or SCENARIOS:
        path = GOLDEN / f"{name}.csv"
        # 17 significant digits round-trip every float exactly.
        golden_frame(name).to_csv(path, float_format="%.17g", lineterminator="\n")
        print(f"wrote {path.relative_to(ROOT)} (hubinsim {hubinsim.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
