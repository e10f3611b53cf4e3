"""``hubinsim levers``: every lever, parameter and shock target, as a table, CSV or Markdown."""

from __future__ import annotations

import click

from .group import CONTEXT, main
from .options import listing_options
from .text import csv_text, nothing_holds, part_text

#: The three parts of the table, with the line that says how a scenario sets each.
KIND_HEAD = {
    "lever": "Levers: [section] name = value, or a year schedule {2021 = ..., 2025 = ...}",
    "parameter": 'Parameters: [parameters] "name" = value',
    "shock target": "Shock targets: [[shock]] target = name, years = [first, last], factor = value",
}
#: The columns shown for each part.
KIND_COLUMNS = {
    "lever": ["section", "name", "unit", "default", "range", "meaning", "含义"],
    "parameter": ["name", "unit", "default", "range", "meaning", "含义", "source"],
    "shock target": ["name", "factor range", "meaning", "含义"],
}


@main.command(
    "levers",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim levers
  hubinsim levers delay
  hubinsim levers --format csv > levers.csv
  hubinsim levers --format markdown > docs/levers.md
""",
)
@listing_options
@click.pass_context
def levers_command(ctx, fmt_, words):
    """List every lever, parameter and shock target a scenario may set, or those whose name
    or meaning holds every one of WORDS (English or Chinese, whatever the case).

    For each: section, name, unit, default, valid range and meaning (English and Chinese);
    parameters and defaults also give their source.
    """
    import hubinsim

    rows = hubinsim.levers(ctx.obj["data_dir"], as_frame=False, search=words)
    if not rows:
        every = hubinsim.levers(ctx.obj["data_dir"], as_frame=False)
        what = "lever's, parameter's or shock target's"
        click.echo(nothing_holds(what, words, every), err=True)
        return
    if fmt_ == "csv":
        click.echo(csv_text(rows), nl=False)
        return
    for kind, head in KIND_HEAD.items():
        cols = KIND_COLUMNS[kind]
        table_rows = [[_cells(r)[c] for c in cols] for r in rows if r["kind"] == kind]
        if table_rows:
            click.echo(part_text(fmt_, head, cols, table_rows), nl=False)


def _cells(r: dict) -> dict:
    """The cells of a row of the lever table, by column shown."""
    rng = f"[{r['low']}, {r['high']}]" if r["low"] or r["high"] else "a name, or weights"
    return {
        "section": r["section"],
        "name": r["name"],
        "unit": r["unit"],
        "default": r["default"],
        "range": rng,
        "factor range": rng,
        "meaning": r["meaning_en"] + (" (year schedule allowed)" if r["schedule"] == "yes" else ""),
        "含义": r["meaning_zh"],
        "source": r["source"],
    }
