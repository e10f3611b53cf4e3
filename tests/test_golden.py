"""Golden runs: the canonical scenarios reproduce the reviewed results in tests/golden/.

The golden files are written only by scripts/regenerate_golden.py, after a deliberate change
of the model or data, and reviewed in the diff; this test only reads them.

Tolerance: relative 1e-9 (absolute 1e-9 for values that are zero). The same code and data
reproduce the files bit for bit on one machine; the margin admits the last-digit differences
of another platform's libm (exp, pow) or numpy version, amplified over 15 years of feedbacks,
and is still a million times smaller than any change a modeller would make on purpose.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import hubinsim

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = ("baseline", "stimulus")
RTOL = 1e-9
ATOL = 1e-9

REGENERATE = "python scripts/regenerate_golden.py"


@pytest.fixture(scope="module", params=SCENARIOS)
def pair(request):
    name = request.param
    path = GOLDEN / f"{name}.csv"
    assert path.is_file(), f"{path} missing: run `{REGENERATE}` and review the result"
    golden = pd.read_csv(path, index_col="year")
    fresh = hubinsim.simulate(hubinsim.load_scenario(ROOT / "scenarios" / f"{name}.toml"))
    return name, golden, fresh.annual


def test_same_years_and_columns(pair):
    name, golden, fresh = pair
    assert list(fresh.index) == list(golden.index), name
    assert list(fresh.columns) == list(golden.columns), (
        f"{name}: columns changed; if on purpose run `{REGENERATE}`"
    )


def test_results_match_the_golden_file(pair):
    name, golden, fresh = pair
    fresh = fresh[golden.columns]
    a, b = fresh.to_numpy(dtype=float), golden.to_numpy(dtype=float)
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"{name}: NaN in different places"
    close = np.isclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True)
    if not close.all():
        rows, cols = np.nonzero(~close)
        lines = [
            f"  {fresh.columns[c]} {fresh.index[r]}: {a[r, c]!r} (golden {b[r, c]!r})"
            for r, c in zip(rows[:20], cols[:20], strict=True)
        ]
        pytest.fail(
            f"{name}: {len(rows)} values differ from tests/golden/{name}.csv beyond rel "
            f"{RTOL:g}:\n"
            + "\n".join(lines)
            + f"\nIf the change is intended, run `{REGENERATE}` and review the diff."
        )


def test_golden_files_are_complete():
    """The files hold the full horizon and every catalogued indicator, at full precision."""
    for name in SCENARIOS:
        golden = pd.read_csv(GOLDEN / f"{name}.csv", index_col="year")
        assert golden.index[0] == 2020 and golden.index[-1] == 2035
        missing = [i.name for i in hubinsim.catalog.INDICATORS if i.name not in golden]
        assert missing == [], f"{name}: {missing}"
        text = (GOLDEN / f"{name}.csv").read_text(encoding="utf-8").splitlines()[-1]
        digits = max(len(x.replace(".", "").lstrip("-0")) for x in text.split(","))
        assert digits >= 15, f"{name}: golden values are rounded"
