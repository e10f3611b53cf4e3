"""Numbers written for people: in the terminal's tables and in the sentences of statements.txt.

Plain Python, so that the command line can use it at start-up.
"""

from __future__ import annotations

import math


def format_number(v, unit: str = "") -> str:
    """A number for a person: 1234.5 -> '1,234.5', small values with more digits; counts of
    persons and firms, and yuan, as whole numbers; '-' for NaN."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return str(v)
    if x != x:
        return "-"
    if unit in ("persons", "firms", "yuan"):
        return f"{x:,.0f}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def format_share(p: float) -> str:
    """A share of draws as a whole percentage: 0.734 -> '73 %'."""
    return f"{100 * p:.0f} %"


def column_decimals(largest: float, significant: int = 4) -> int:
    """Decimals that write ``largest`` (the largest magnitude of a column) with
    ``significant`` digits, so that a column of numbers shares one number of decimals."""
    big = abs(float(largest))
    if not (big > 0 and math.isfinite(big)):
        return significant - 1
    return max(0, significant - 1 - math.floor(math.log10(big)))


def probability_rounded(p: float, decimals: int = 1) -> float:
    """A probability in percent rounded down to ``decimals``: 9.96 is 9.9, not 10.0, so that
    a probability below a limit (the evaluation's 10 % for at risk) never reads as the limit
    itself, in the tables as in the reasons; NaN as it is."""
    if not math.isfinite(p):
        return p
    step = 10.0**decimals
    return math.floor(round(p * step, 6)) / step


def percent_rounded(p: float, decimals: int = 0) -> float:
    """A percentage of progress rounded to ``decimals``, never to 100 from below: 99.95 with
    one decimal is 99.9, not 100.0 (a target not met does not read as met); NaN as it is."""
    if not math.isfinite(p):
        return p
    shown = round(p, decimals)
    if p < 100.0 <= shown:
        return 100.0 - 10.0**-decimals
    return shown
