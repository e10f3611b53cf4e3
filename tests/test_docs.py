"""Generated documentation is current."""

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from hubinsim import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["levers", "indicators"])
def test_generated_pages_match_the_catalogue(command):
    res = CliRunner().invoke(cli.main, [command, "--format", "markdown"])
    assert res.exit_code == 0
    page = (ROOT / "docs" / f"{command}.md").read_text(encoding="utf-8")
    assert page.endswith("\n\n" + res.output), (
        f"docs/{command}.md is out of date: hubinsim {command} --format markdown > "
        f"docs/{command}.md (keep the header)"
    )


def test_the_figures_of_the_calibration_page_match_a_fresh_run():
    spec = importlib.util.spec_from_file_location(
        "doc_figures", ROOT / "scripts" / "doc_figures.py"
    )
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    page = figures.PAGE.read_text(encoding="utf-8")
    found = [m.group("name") for m in figures.BLOCK.finditer(page)]
    assert sorted(found) == sorted({*figures.BLOCKS, *figures.SLOW})  # each block once
    stale = figures.stale(page)
    assert stale == [], (
        f"docs/calibration.md: the figures of {', '.join(stale)} differ from a fresh run; "
        "run python scripts/doc_figures.py and review the diff"
    )
