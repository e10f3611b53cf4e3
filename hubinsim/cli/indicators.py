"""``hubinsim indicators``: every output of a run, as a table, CSV or Markdown."""

from __future__ import annotations

import click

from .group import CONTEXT, main
from .options import listing_options
from .text import csv_text, nothing_holds, part_text

HEAD = "Indicators: columns of annual.csv and Results.annual; sensitivity --output NAME@YEAR"
#: The columns shown, and the field of :func:`hubinsim.indicators` each shows.
COLUMNS = {
    "name": "name",
    "unit": "unit",
    "prices": "price_basis",
    "meaning": "meaning_en",
    "含义": "meaning_zh",
    "plan target": "plan_target",
}


@main.command(
    "indicators",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim indicators
  hubinsim indicators tertiary share
  hubinsim indicators 失业率
  hubinsim indicators --format csv > indicators.csv
  hubinsim indicators --format markdown > docs/indicators.md
""",
)
@listing_options
@click.pass_context
def indicators_command(ctx, fmt_, words):
    """List every indicator a run reports, or those whose name or meaning holds every one of
    WORDS (English or Chinese, whatever the case).

    For each: name (the column of annual.csv and of Results.annual), unit, price basis
    (current or 2020 prices), the plan's targets for it, and meaning in English and Chinese.
    """
    import hubinsim

    rows = hubinsim.indicators(ctx.obj["data_dir"], as_frame=False, search=words)
    if not rows:
        every = hubinsim.indicators(ctx.obj["data_dir"], as_frame=False)
        click.echo(nothing_holds("indicator's", words, every), err=True)
        return
    if fmt_ == "csv":
        click.echo(csv_text(rows), nl=False)
        return
    cells = [[r[field] for field in COLUMNS.values()] for r in rows]
    click.echo(part_text(fmt_, HEAD, list(COLUMNS), cells), nl=False)
