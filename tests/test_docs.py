"""Generated documentation is current."""

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
