"""Generated documentation is current."""

from pathlib import Path

from click.testing import CliRunner

from hubinsim import cli

ROOT = Path(__file__).resolve().parents[1]


def test_levers_page_matches_the_catalogue():
    res = CliRunner().invoke(cli.main, ["levers", "--format", "markdown"])
    assert res.exit_code == 0
    page = (ROOT / "docs" / "levers.md").read_text(encoding="utf-8")
    assert page.endswith(res.output), (
        "docs/levers.md is out of date: hubinsim levers --format markdown > docs/levers.md "
        "(keep the header)"
    )
