"""The notebooks in notebooks/ run from top to bottom in a Jupyter kernel, as a reader runs
them, and show their charts inline."""

import json
import sys
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
#: What each notebook must show: text of its tables (HTML) and of what it prints (a notebook
#: not listed: as the quickstart). The
#: calibration notebook prints the parameters it recovers from figures the model made with
#: known values, so the figure checked does not depend on the model's numbers.
SHOWN = {
    "quickstart.ipynb": {"tables": ["share_tertiary_pct"], "printed": []},
    "calibration_and_targets.ipynb": {
        "tables": ["theil_u", "sum - total"],
        "printed": [
            "tfp.growth_tertiary = 0.018000 (true 0.018",
            "consumption.services_income_elasticity = 1.500000 (true 1.5",
            "consumption.voucher_multiplier is not identified",
        ],
    },
}


@pytest.fixture
def kernel(tmp_path, monkeypatch) -> str:
    """A kernel of this Python (the one hubinsim is installed in), whatever ``python`` the
    PATH finds."""
    spec = tmp_path / "kernels" / "hubinsim-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel_json = {"argv": argv, "display_name": "hubinsim tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel_json), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    return "hubinsim-test"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_its_charts(path, kernel):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not any("matplotlib.use(" in s for s in sources), "a backend choice hides the charts"
    client = NotebookClient(
        nb, timeout=300, kernel_name=kernel, resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, if a cell fails
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "no chart was shown inline (no image/png output)"
    tables = " ".join(o.get("data", {}).get("text/html", "") for o in outputs)
    printed = " ".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    shown = SHOWN.get(path.name, SHOWN["quickstart.ipynb"])
    for text in shown["tables"]:
        assert text in tables  # the tables were shown too
    for text in shown["printed"]:
        assert text in printed
