"""The README's scenario examples are valid scenario files."""

import re
import shutil
from pathlib import Path

import pytest

import hubinsim

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples():
    assert any(b.startswith("[scenario]") for b in BLOCKS)
    assert any(b.startswith("[uncertainty]") for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.splitlines()[0])
def test_example_loads_and_runs(block, tmp_path):
    shutil.copy(ROOT / "scenarios" / "baseline.toml", tmp_path / "baseline.toml")
    text = block if block.startswith("[scenario]") else '[scenario]\nname = "x"\n' + block
    path = tmp_path / "example.toml"
    path.write_text(text, encoding="utf-8")
    scn = hubinsim.load_scenario(path)
    res = hubinsim.simulate(scn)
    assert res.annual.loc[2020, "gdp"] == pytest.approx(289.3)
