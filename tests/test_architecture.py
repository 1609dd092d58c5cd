"""The package's shape: no import circles between modules, and the library never imports the CLI.

The import graph is read from the source (ast), so every import counts: at module level, inside
functions (lazy imports) and under ``TYPE_CHECKING``. ``from package import name`` depends on
the module ``package.name`` when there is one, else on the package itself.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import studyhub

ROOT = Path(studyhub.__file__).parent


def module_names() -> dict[str, Path]:
    names = {}
    for path in ROOT.rglob("*.py"):
        parts = ("studyhub", *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _closest(name: str, modules: dict[str, Path]) -> str | None:
    while name not in modules and "." in name:
        name = name.rsplit(".", 1)[0]
    return name if name in modules else None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = []
            for alias in node.names:
                full = f"{source}.{alias.name}"
                targets.append(full if full in modules else source)
        else:
            continue
        for target in targets:
            if target.startswith("studyhub"):
                found = _closest(target, modules)
                if found is not None and found != name:
                    yield found


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: set(imports_of(name, path, modules)) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_real_imports() -> None:
    graph = import_graph()
    assert "studyhub.exams.submission" in graph["studyhub.exams.attempts"]
    assert "studyhub.migrate" in graph["studyhub.db"]  # a lazy import inside open_database
    assert "studyhub.laws.statutes" in graph["studyhub.laws"]


def test_circles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_no_import_circles() -> None:
    assert circles(import_graph()) == []


def test_the_library_never_imports_the_cli() -> None:
    offenders = {
        name: sorted(dep for dep in deps if dep.startswith("studyhub.cli"))
        for name, deps in import_graph().items()
        if not name.startswith("studyhub.cli") and name != "studyhub.__main__"
    }
    assert {name: deps for name, deps in offenders.items() if deps} == {}


def test_click_stays_in_the_cli() -> None:
    for name, path in module_names().items():
        if name.startswith("studyhub.cli"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] != "click" for a in node.names), name
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] != "click", name


def test_modules_stay_small() -> None:
    """About 500 lines at most (the migrations' initial schema is one generated file)."""
    big = {
        name: n
        for name, path in module_names().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 520
        and not name.startswith("studyhub.migrations.versions")
    }
    assert big == {}


def _layout_block() -> str:
    readme = (ROOT.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout") :]
    start = section.index("```") + 3
    return section[start : section.index("```", start)]


def test_readme_layout_matches_the_tree() -> None:
    """Every room and top-level module is in README's Layout, and each file it names exists."""
    import re

    block = _layout_block()
    rooms = sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())
    missing_rooms = [room for room in rooms if f"  {room}/" not in block]
    top_modules = sorted(
        p.name for p in ROOT.glob("*.py") if p.name not in ("__init__.py", "__main__.py")
    )
    missing_modules = [name for name in top_modules if name not in block]
    assert (missing_rooms, missing_modules) == ([], [])
    named = set(re.findall(r"(\b[a-z0-9_]+\.py)", block)) - {"__init__.py"}
    existing = {p.name for p in ROOT.rglob("*.py")}
    assert sorted(named - existing) == []
