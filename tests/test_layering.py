"""The package is layered: each folder (or top-level module) is one unit, a unit imports only
units of lower layers, no modules import each other in a circle, and no private name (a
leading underscore) is used outside the module that defines it.

The imports are read from the sources with :mod:`ast`, those inside functions included (an
import inside a function still ties the two modules together). docs/architecture.md explains
the layers.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The layers, from the ground up: a unit may import the units of the layers below its own.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(units)
    for units in (
        {"_version", "errors", "defaults", "catalog", "formats"},  # the ground floor
        {"files"},  # files read safely, the system's refusals in words
        {"data"},  # reads data/
        {"actuals"},  # reads actual figures
        {"model"},  # the stock-and-flow core
        {"scenario", "results"},  # what a run is asked, what it gives
        {"run"},  # runs, ensembles, parallel execution, comparisons
        {"analysis"},  # sensitivity (later evaluation, calibration, goal seeking)
        {"plots"},  # charts of results
        {"io"},  # result folders
        {"__init__"},  # the public API: hubinsim/__init__.py
        {"cli"},  # the command line, a client of the API
        {"__main__"},  # python -m hubinsim
    )
)
#: Modules whose name starts with an underscore but which any module may import.
PUBLIC_PRIVATE_MODULES = {"_version"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit(module: str) -> str:
    """The unit of a module: its folder or top-level module in the package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def rank(unit_name: str) -> int | None:
    return next((k for k, units in enumerate(LAYERS) if unit_name in units), None)


class Module:
    """A module of the package: its name, and what it imports (from the AST)."""

    def __init__(self, path: Path, root: Path, modules: set[str]):
        self.path = path
        self.name = module_name(path, root)
        self.is_package = path.name == "__init__.py"
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.modules = modules
        self.imports: list[tuple[str, int]] = []  # (module imported, line)
        self.private: list[tuple[str, int]] = []  # (name, line)
        self._read()

    def _absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.name if self.is_package else self.name.rpartition(".")[0]
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - (node.level - 1)])
        return f"{base}.{node.module}" if node.module else base

    def _read(self) -> None:
        top = self.name.split(".")[0]
        aliases: set[str] = set()  # local names bound to modules of the package
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] == top:
                        self.imports.append((a.name, node.lineno))
                        aliases.add(a.asname or a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node)
                if base.split(".")[0] != top:
                    continue
                for a in node.names:
                    target = f"{base}.{a.name}"
                    if target in self.modules:  # `from . import module`
                        self.imports.append((target, node.lineno))
                        aliases.add(a.asname or a.name)
                    else:
                        self.imports.append((base, node.lineno))
                        if _private(a.name):
                            self.private.append((f"{base}.{a.name}", node.lineno))
        for node in ast.walk(self.tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _private(node.attr)
            ):
                self.private.append((f"{node.value.id}.{node.attr}", node.lineno))


def _private(name: str) -> bool:
    return (
        name.startswith("_")
        and not (name.startswith("__") and name.endswith("__"))
        and name not in PUBLIC_PRIVATE_MODULES
    )


def problems(package: Path) -> list[str]:
    """Every breach of the layering in the package folder ``package``."""
    root = package.parent
    paths = sorted(package.rglob("*.py"))
    names = {module_name(p, root) for p in paths}
    modules = {m.name: m for m in (Module(p, root, names) for p in paths)}
    found = []
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for m in modules.values():
        here = unit(m.name)
        if rank(here) is None:
            found.append(f"{m.name}: the unit {here!r} is in no layer")
            continue
        for target, line in m.imports:
            if target not in modules:
                continue
            graph[m.name].add(target)
            there = unit(target)
            if there == here or rank(there) is None:
                continue
            if rank(there) >= rank(here):
                way = "a higher" if rank(there) > rank(here) else "the same"
                found.append(f"{m.name}:{line}: imports {target}, a unit of {way} layer")
        for name, line in m.private:
            found.append(f"{m.name}:{line}: uses the private name {name} of another module")
    found += [f"import circle: {' -> '.join(c)}" for c in cycles(graph)]
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Circles of imports (each once, as found by a depth-first search)."""
    out, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                out.append(stack[stack.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return out


# --------------------------------------------------------------------------------- the package


def test_the_package_is_layered_without_circles_or_private_names_across_modules():
    assert problems(ROOT / "hubinsim") == []


def test_every_folder_and_module_of_the_package_is_in_a_layer():
    package = ROOT / "hubinsim"
    units = {p.stem for p in package.glob("*.py")} | {
        p.name for p in package.iterdir() if (p / "__init__.py").is_file()
    }
    assert {u for u in units if rank(u) is None} == set()


# --------------------------------------------------------------------------- the test finds them


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package ``hubinsim`` in ``tmp_path`` with the given files (path -> source)."""
    package = tmp_path / "hubinsim"
    for name, text in {"__init__.py": "", **files}.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


LAYERED = {
    "catalog.py": "X = 1\n",
    "model/__init__.py": "",
    "model/core.py": "from ..catalog import X\n",
    "run/__init__.py": "",
    "run/single.py": "from ..model import core\nfrom . import ensemble\n",
    "run/ensemble.py": "import hubinsim.model.core\n",
}


def test_a_layered_package_passes(tmp_path):
    assert problems(_package(tmp_path, LAYERED)) == []


@pytest.mark.parametrize(
    "files, fragment",
    [
        (
            {"run/ensemble.py": "from . import single\n"},
            "import circle: hubinsim.run.ensemble -> hubinsim.run.single -> hubinsim.run.ensemble",
        ),
        (
            {"run/ensemble.py": "def f():\n    from .single import g\n"},
            "import circle",
        ),
        (
            {"model/core.py": "from ..catalog import X\nfrom ..run import single\n"},
            "hubinsim.model.core:2: imports hubinsim.run.single, a unit of a higher layer",
        ),
        (
            {"model/core.py": "def f():\n    import hubinsim\n"},
            "hubinsim.model.core:2: imports hubinsim, a unit of a higher layer",
        ),
        (
            {"results.py": "", "scenario.py": "from . import results\n"},
            "imports hubinsim.results, a unit of the same layer",
        ),
        (
            {"run/ensemble.py": "from .single import _helper\n"},
            "uses the private name hubinsim.run.single._helper of another module",
        ),
        (
            {"run/ensemble.py": "from . import single\nsingle._helper()\n", "run/single.py": ""},
            "uses the private name single._helper of another module",
        ),
        ({"extra.py": ""}, "the unit 'extra' is in no layer"),
    ],
    ids=[
        "circle",
        "circle-in-a-function",
        "upward",
        "upward-to-the-api",
        "sideways",
        "private-import",
        "private-attribute",
        "no-layer",
    ],
)
def test_a_breach_is_found(tmp_path, files, fragment):
    found = problems(_package(tmp_path, {**LAYERED, **files}))
    assert any(fragment in p for p in found), found
