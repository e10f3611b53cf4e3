"""The ``hubinsim`` command line: a client of the Python API.

Each command is one module: it parses its options, calls the API (:func:`hubinsim.simulate`,
:func:`hubinsim.compare`, :func:`hubinsim.sensitivity`, :func:`hubinsim.solve`,
:func:`hubinsim.levers`, the
``write_*`` functions) and prints what comes back. ``group`` holds :func:`main`, the group that
turns errors into exit codes; ``options`` the options commands share; ``text`` the terminal
tables; ``progress`` the progress bars. Modules import click and :mod:`hubinsim.defaults` at
the top and the API inside the commands, so that ``hubinsim --help`` loads neither numpy nor
pandas.
"""

from . import (  # noqa: F401  (registers the commands)
    backtest,
    calibrate,
    compare,
    estimate,
    evaluate,
    indicators,
    levers,
    run,
    sensitivity,
    solve,
    validate,
)
from .group import main

__all__ = ["main"]
