"""The declared structure (hubinsim/model/structure.py) is the model's: it names every stock,
covers every dependency of the rate function, and docs/model.md shows its current diagram."""

import importlib
from pathlib import Path

import numpy as np
import pytest
from support import model_inputs

from hubinsim import model
from hubinsim.data import load_base, load_parameters, load_pool
from hubinsim.model import core, ops, structure
from hubinsim.model.inputs import input_rows

ROOT = Path(__file__).resolve().parent.parent
calibrate = importlib.import_module("hubinsim.model.calibrate")

#: Settings at which the probe looks: business as usual at the start and in 2025, and a
#: scenario with every kind of policy on in 2023 (so that the paths through relief,
#: vouchers, attracted firms, pool deviations and extra projects are live).
PROBES = (
    ({}, 0),
    ({}, 20),
    (
        {
            "vouchers": 2.0,
            "tax_relief": 0.1,
            "firms_attracted": 5.0,
            "plan_realisation": 0.9,
            "tertiary_shift": 0.02,
            "extra_transport": 10.0,
            "net_migration_policy": 0.002,
        },
        12,
    ),
)


def _dependencies(levers, step):
    """Stock -> the stocks whose value changes its rate, at grid step ``step``."""
    base = {k: v.value for k, v in load_base().items()}
    p = {k: v.value for k, v in load_parameters().items()}
    pool = load_pool()
    grid = model.TimeGrid(2030, 0.25)
    x, _ = model_inputs(grid, p, levers, base)
    rows = input_rows(x, range(0, 2 * grid.n_steps + 1), True)
    c, s = calibrate.calibrate(base, pool, p, rows[0], 2020)
    c["fns"] = ops.FLOAT_FNS
    c["_rates"] = tuple(c[k] for k in core.CONSTANTS_RATES)
    y, t = dict(s), 2020.0
    for n in range(step):
        d, _ = core.rates(t, y, rows[2 * n], c, p, False)
        y = {k: y[k] + 0.25 * d[k] for k in y}
        t += 0.25
    d0, _ = core.rates(t, y, rows[2 * step], c, p, False)
    out = {k: set() for k in y}
    for a in y:
        moved = dict(y)
        moved[a] = y[a] + 1e-6 * (abs(y[a]) or 1.0)
        d1, _ = core.rates(t, moved, rows[2 * step], c, p, False)
        for b in d0:
            if a != b and abs(d1[b] - d0[b]) > 1e-9 * (abs(d0[b]) + 1e-6):
                out[b].add(a)
    return out


def _reachable(start):
    graph = {}
    for a, b in structure.EDGES:
        graph.setdefault(a, set()).add(b)
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_declared_stocks_are_the_models():
    declared = {n.name for n in structure.NODES if n.stock}
    assert declared == set(core.STOCKS)
    names = {n.name for n in structure.NODES}
    assert len(names) == len(structure.NODES)
    for a, b in structure.EDGES:
        assert a in names and b in names, (a, b)
    assert {n.block for n in structure.NODES} <= set(structure.BLOCKS)


@pytest.mark.parametrize("levers, step", PROBES)
def test_every_dependency_of_the_rate_function_is_declared(levers, step):
    """Perturbing a stock changes the rates of exactly the stocks it reaches in the model;
    each must be reachable along the declared influences."""
    missing = [
        f"{a} -> {b}"
        for b, sources in _dependencies(levers, step).items()
        for a in sources
        if b not in _reachable(a)
    ]
    assert missing == [], f"undeclared influences (add them to structure.EDGES): {missing}"


def test_loops_name_parameters_whose_off_value_is_in_range():
    params = load_parameters()
    for lp in structure.LOOPS:
        name, off = lp.switch
        assert name in params, name
        assert params[name].low <= off <= params[name].high, name
        assert lp.polarity in ("R", "B")
    assert set(structure.FEEDBACKS_OFF) <= {lp.switch[0] for lp in structure.LOOPS}


def test_the_diagram_in_docs_is_current():
    page = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    start = page.index(structure.BEGIN)
    end = page.index(structure.END) + len(structure.END)
    assert page[start:end] == structure.section(), (
        "docs/model.md: the diagram or loop table is stale; run python scripts/update_structure.py"
    )


def test_the_diagram_is_mermaid_with_every_node():
    text = structure.mermaid()
    assert text.startswith("flowchart LR")
    for node in structure.NODES:
        assert f"    {node.name}[" in text or f"    {node.name}(" in text
    assert np.all([f"  {a} --> {b}" in text for a, b in structure.EDGES])
