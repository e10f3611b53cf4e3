"""What a scenario may set: every lever, structural parameter and shock target, in a table.

``hubinsim levers`` prints it and docs/levers.md is generated from it; :func:`levers` gives it
to Python.
"""

from __future__ import annotations

from ..catalog import (
    LEVER_DEFAULT_SOURCES,
    LEVERS,
    PLAN_YEARS,
    PROFILES,
    SHOCK_TARGETS,
    holds_words,
)
from ..data import load_base, load_parameters
from .settings import SHOCK_FACTOR_RANGE

#: Columns of the table: kind ("lever", "parameter" or "shock target"), the section a
#: scenario file sets it in, name, unit, default, valid range (empty for the ``profile``,
#: whose values are names or a table), whether a lever takes a year schedule, meaning in
#: English and Chinese, and the source of the default.
COLUMNS = (
    "kind",
    "section",
    "name",
    "unit",
    "default",
    "low",
    "high",
    "schedule",
    "meaning_en",
    "meaning_zh",
    "source",
)


def lever_rows(data_dir=None) -> list[dict[str, str]]:
    """Every lever, parameter and shock target as rows of text: the columns of
    :data:`COLUMNS`, numbers written as ``hubinsim levers`` shows them."""
    params = load_parameters(data_dir)
    base = load_base(data_dir)
    rows = []
    for lv in LEVERS:
        d = lv.default
        if isinstance(d, str) and d.startswith("base:"):
            name = d.removeprefix("base:")
            default, source = f"{base[name].value:g}", f"2020 base: {base[name].source}"
        elif isinstance(d, str) and d == "investment.plan_realisation":
            default, source = "= plan_realisation", "the scenario's plan_realisation"
        elif isinstance(d, str):
            default, source = f"{params[d].value:g}", f"parameter {d}: {params[d].source}"
        else:
            default, source = f"{d:g}", LEVER_DEFAULT_SOURCES.get(lv.name, "")
        rows.append(
            {
                "kind": "lever",
                "section": lv.section,
                "name": lv.name,
                "unit": lv.unit,
                "default": default,
                "low": f"{lv.low:g}",
                "high": f"{lv.high:g}",
                "schedule": "yes" if lv.schedule else "no",
                "meaning_en": lv.meaning_en,
                "meaning_zh": lv.meaning_zh,
                "source": source,
            }
        )
    first, last = PLAN_YEARS[0], PLAN_YEARS[-1]
    profile = {
        "kind": "lever",
        "section": "investment",
        "name": "profile",
        "unit": "year weights",
        "default": "even",
        "low": "",
        "high": "",
        "schedule": "no",
        "meaning_en": "timing of the project pool's spending over its five plan years "
        f"({first}-{last} unless delayed): "
        + ", ".join(repr(p) for p in PROFILES)
        + f", or weights of the years {{{first} = 0.3, ...}}",
        "meaning_zh": f"项目库投资在五个规划年份({first}-{last}年,除非推迟)间的时间分布",
        "source": "",
    }
    last_investment = max(i for i, r in enumerate(rows) if r["section"] == "investment")
    rows.insert(last_investment + 1, profile)
    for p in params.values():
        rows.append(
            {
                "kind": "parameter",
                "section": "parameters",
                "name": p.name,
                "unit": p.unit,
                "default": f"{p.value:g}",
                "low": f"{p.low:g}",
                "high": f"{p.high:g}",
                "schedule": "no",
                "meaning_en": p.meaning_en,
                "meaning_zh": p.meaning_zh,
                "source": p.source,
            }
        )
    lo, hi = SHOCK_FACTOR_RANGE
    for s in SHOCK_TARGETS:
        rows.append(
            {
                "kind": "shock target",
                "section": "shock",
                "name": s.name,
                "unit": "factor",
                "default": "1",
                "low": f"{lo:g}",
                "high": f"{hi:g}",
                "schedule": "no",
                "meaning_en": s.meaning_en,
                "meaning_zh": s.meaning_zh,
                "source": "",
            }
        )
    return rows


def levers(data_dir=None, *, as_frame: bool = True, search=None):
    """Every lever, structural parameter and shock target a scenario may set.

    Parameters
    ----------
    data_dir : path, optional
        Folder of the data files (the parameters and the 2020 base that defaults come from).
    as_frame : bool
        True: a :class:`pandas.DataFrame` with the columns of :data:`COLUMNS`; False: a list
        of dicts (one per row). Values are text, as ``hubinsim levers --format csv`` writes
        them (``default`` may be a formula such as ``= plan_realisation``).
    search : str or sequence of str, optional
        Only the rows whose name or meaning (English or Chinese) holds every one of these
        words, whatever the case (``"delay"``, ``["pool", "years"]``, ``"消费券"``).
    """
    rows = [r for r in lever_rows(data_dir) if not search or holds_words(r, search)]
    if not as_frame:
        return rows
    import pandas as pd

    return pd.DataFrame(rows, columns=list(COLUMNS))
