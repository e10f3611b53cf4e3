"""``hubinsim validate``: check scenario files without running them."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import HubinsimError, printable
from .group import CONTEXT, main


@main.command(
    "validate",
    context_settings=CONTEXT,
    epilog="""\b
Examples:
  hubinsim validate scenarios/*.toml
  hubinsim validate my_scenario.toml && hubinsim run my_scenario.toml
""",
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_context
def validate_command(ctx, files):
    """Check scenario FILES without running them.

    Every problem in every file is listed. Exit code 0 when all files are valid, 2 otherwise.
    """
    import hubinsim
    from hubinsim.scenario.settings import check_scenario

    bad = 0
    for path in files:
        try:
            # as a run checks it: also against the data folder a [data] section names
            data_dir = ctx.obj["data_dir"]
            scn = check_scenario(hubinsim.load_scenario(path, data_dir=data_dir), data_dir)
        except HubinsimError as exc:
            bad += 1
            click.echo(f"INVALID  {printable(str(path), lines=False)}")
            for line in str(exc).splitlines():
                click.echo(f"    {line}")
        else:
            # the profile is a lever too (`hubinsim levers` lists it), kept apart from the others
            levers = len(scn.levers) + (scn.profile != type(scn).profile)
            click.echo(
                f"ok       {printable(str(path), lines=False)}  (scenario {scn.name!r}, "
                f"{levers} lever(s) set, {len(scn.shocks)} shock(s), to {scn.time.end})"
            )
    if bad:
        click.echo(f"{bad} of {len(files)} file(s) invalid", err=True)
        ctx.exit(2)
