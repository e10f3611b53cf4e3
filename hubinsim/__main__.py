"""``python -m hubinsim``: the command line (see :mod:`hubinsim.cli`)."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="hubinsim")
