"""The imports of dashboard/ run one way: no circle, and no module imports a higher layer.

The graph is read from the source (an ast walk, nothing imported), every import counted,
those for type checking and inside functions too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"

# Low to high; a module may import its own layer or lower ones. A name covers its submodules;
# the longest name that matches a module places it. A new module must be placed here.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "utilities",
        (
            "dashboard",
            "dashboard.config",
            "dashboard.i18n",
            "dashboard.ids",
            "dashboard.texts",
            "dashboard.security",
            "dashboard.response_cache",
            "dashboard.startup",
            "dashboard.static_files",
        ),
    ),
    ("data", ("dashboard.data",)),
    (
        "model",
        (
            "dashboard.race",
            "dashboard.view_state",
            "dashboard.gazetteer",
            "dashboard.passage_times",
        ),
    ),
    ("builders", ("dashboard.figures", "dashboard.components", "dashboard.exports")),
    # app_data sits below the pages: their layouts read their app's data through it
    ("pages", ("dashboard.pages", "dashboard.api", "dashboard.app_data")),
    ("app", ("dashboard.app", "dashboard.__main__", "dashboard.validate")),
)


# Known imports from a lower layer to a higher one, each to be removed: delete its line then.
def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package at `root` -> the package's modules it imports."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative: from the module's own package upwards
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                for alias in node.names:  # `from pkg import module` names a module
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in paths else base)
        graph[name] = {_known(t, paths) for t in targets if _known(t, paths)} - {name}
    return graph


def _known(target: str, modules: dict) -> str | None:
    """The package's module an imported name lives in (None: another package)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str, layers=LAYERS) -> int | None:
    matches = [
        (len(name), number)
        for number, (_, names) in enumerate(layers)
        for name in names
        if module == name or module.startswith(name + ".")
    ]
    return max(matches)[1] if matches else None


def upward_imports(graph: dict[str, set[str]], layers=LAYERS) -> set[tuple[str, str]]:
    return {
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if layer_of(source, layers) < layer_of(target, layers)
    }


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(PACKAGE)


def test_no_import_circle_in_dashboard(graph):
    assert cycles(graph) == []


def test_every_module_has_a_layer(graph):
    assert [m for m in graph if layer_of(m) is None] == []


def test_no_module_imports_a_higher_layer(graph):
    names = [name for name, _ in LAYERS]
    unexpected = sorted(upward_imports(graph))
    assert [
        f"{s} ({names[layer_of(s)]}) imports {t} ({names[layer_of(t)]})" for s, t in unexpected
    ] == []


def test_the_walk_finds_a_circle_and_an_upward_import(tmp_path):
    """The checks above can fail: a planted circle and a planted upward import are found."""
    root = tmp_path / "pkg"
    (root / "low").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "low" / "__init__.py").write_text("")
    (root / "low" / "a.py").write_text("from pkg.high import b\n")
    (root / "low" / "c.py").write_text("def f():\n    from . import a\n")
    (root / "high.py").write_text("import pkg.low.c as c\nfrom pkg.low import a\n")
    graph = import_graph(root)
    assert graph["pkg.low.c"] == {"pkg.low.a"}
    assert cycles(graph) == [["pkg.high", "pkg.low.a", "pkg.low.c"]]
    layers = (("low", ("pkg", "pkg.low")), ("high", ("pkg.high",)))
    assert upward_imports(graph, layers) == {("pkg.low.a", "pkg.high")}
