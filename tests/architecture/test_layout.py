"""The code's shape, checked from its source: layering, no import cycle, one clock, size limits.

These read the package as text and import graph (nothing is executed), so they are fast and say
exactly which module or function breaks a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.settings import PROJECT_ROOT

PACKAGES = ("monitor", "dash_app")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
PURE_FORBIDDEN = (
    "sqlalchemy",
    "psycopg",
    "os",
    "pathlib",
    "shutil",
    "socket",
    "smtplib",
    "subprocess",
    "requests",
    "urllib",
    "http",
    "time",
    "monitor.storage",
    "monitor.services",
    "monitor.readers",
    "monitor.cli",
    "monitor.settings",
    "monitor.mail",
    "dash",
    "flask",
)


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield name, path


MODULES = dict(_modules())


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node, less the `if TYPE_CHECKING:` blocks (imports there never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path) -> set[str]:
    """Every module a file imports when it runs, at any depth (lazy imports inside functions count too)."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        targets = set()
        for imported in _imports(path):
            # importing a.b.c runs a and a.b too: an edge to each package on the way
            parts = imported.split(".")
            for i in range(1, len(parts) + 1):
                prefix = ".".join(parts[:i])
                if prefix in MODULES and prefix != name and not name.startswith(prefix + "."):
                    targets.add(prefix)
        graph[name] = targets
    return graph


def test_the_import_graph_has_no_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("monitor.domain")))
def test_the_domain_imports_no_database_file_clock_or_network_code(name: str) -> None:
    bad = sorted(i for i in _imports(MODULES[name]) if any(i == f or i.startswith(f + ".") for f in PURE_FORBIDDEN))
    assert bad == [], f"{name} is part of the pure domain but imports {bad}"


def test_the_board_imports_nothing_from_storage() -> None:
    bad = {n: sorted(i for i in _imports(p) if i.startswith("monitor.storage")) for n, p in MODULES.items()}
    assert {n: i for n, i in bad.items() if n.startswith("dash_app") and i} == {}


def test_the_clock_is_read_in_one_place() -> None:
    reads = [
        f"{n}:{node.lineno}"
        for n, p in MODULES.items()
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and node.attr in ("now", "today", "utcnow")
        and isinstance(node.value, ast.Name)
        and node.value.id in ("datetime", "date")
    ]
    assert len(reads) == 1, reads
    assert reads[0].startswith("monitor.services.clock:")


def test_no_module_is_over_the_line_limit() -> None:
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    assert {n: s for n, s in sizes.items() if s > MAX_MODULE_LINES} == {}


def test_no_function_is_over_the_line_limit() -> None:
    long = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name}"] = length
    assert long == {}


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("monitor.domain.") and n.count(".") == 2))
def test_each_domain_stage_declares_its_public_surface(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    declared = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert declared, f"{name} has no __all__"
