"""``hubinsim levers``: every lever, parameter and shock target, as a table, CSV or Markdown."""

from __future__ import annotations

import click

from .group import CONTEXT, main
from .text import text_table

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
  hubinsim levers --format csv > levers.csv
  hubinsim levers --format markdown > docs/levers.md
""",
)
@click.option(
    "--format",
    "fmt_",
    type=click.Choice(["table", "csv", "markdown"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def levers_command(ctx, fmt_):
    """List every lever, parameter and shock target a scenario may set.

    For each: section, name, unit, default, valid range and meaning (English and Chinese);
    parameters and defaults also give their source.
    """
    import hubinsim

    rows = hubinsim.levers(ctx.obj["data_dir"], as_frame=False)
    if fmt_ == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    for kind, head in KIND_HEAD.items():
        cols = KIND_COLUMNS[kind]
        table_rows = [[_cells(r)[c] for c in cols] for r in rows if r["kind"] == kind]
        if fmt_ == "markdown":
            click.echo(f"### {head}\n")
            click.echo("| " + " | ".join(cols) + " |")
            click.echo("|" + "|".join("---" for _ in cols) + "|")
            for tr in table_rows:
                click.echo("| " + " | ".join(str(c).replace("|", "\\|") for c in tr) + " |")
            click.echo("")
        else:
            click.echo(head)
            click.echo(text_table(cols, table_rows, right=set()))
            click.echo("")


def _cells(r: dict) -> dict:
    """The cells of a row of the lever table, by column shown."""
    rng = f"[{r['low']}, {r['high']}]"
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
