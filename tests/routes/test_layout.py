"""The house rules of ``routes/``: a few packages by job, each importing only the ones below it; no import cycle
between modules (lazy imports inside functions count too); never Streamlit. README.md's Layout says the same."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "routes"

#: The packages of ``routes/``, lowest first: each may import the packages before it, never one after it.
LAYERS = ("core", "text", "io", "analysis", "store", "race", "views", "web", "cli")
#: Most entries ``routes/`` may hold at its top level (issue 20: a folder a newcomer reads in one look).
MAX_TOP_LEVEL_ENTRIES = 12


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Every module of ours that ``path`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from routes.store import schema` imports the module routes.store.schema; `from routes.store import
            # Store` imports a name from the package's face.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        found.update(t for t in targets if t == "routes" or t.startswith("routes."))
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, name, set(modules)) for name, path in modules.items()}


def _layer(module: str) -> int:
    """Position of a module's package in LAYERS; the package root and ``routes.__main__`` stand above them all."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] == "__main__":
        return len(LAYERS)
    return LAYERS.index(parts[1])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_routes_top_level_is_a_few_packages_by_job() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= MAX_TOP_LEVEL_ENTRIES, entries
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS)
    assert [e for e in entries if e.endswith(".py")] == ["__init__.py", "__main__.py"]


@pytest.mark.parametrize("package", LAYERS)
def test_every_package_says_what_it_holds_and_what_it_may_import(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and "Layer" in doc and "import" in doc, package


def test_no_package_imports_a_higher_one() -> None:
    wrong = [
        f"{src} -> {dst}"
        for src, targets in _graph().items()
        for dst in targets
        if dst != "routes" and _layer(dst) > _layer(src)
    ]
    assert wrong == []


def test_no_import_cycle_anywhere_in_routes() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a loop of three and a self-contained pair are both reported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}, "e": {"d"}, "f": {"a"}}
    assert sorted(_cycles(graph)) == [["a", "b", "c"], ["d", "e"]]


def test_the_layer_check_sees_lazy_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from routes.web.light import x\n    import routes.cli.main\n")
    assert _imports(source, "routes.core.mod", {"routes.web.light", "routes.cli.main"}) == {
        "routes.web.light", "routes.cli.main"}


def test_routes_never_imports_streamlit() -> None:
    offenders = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m == "streamlit" or m.startswith("streamlit.") for m in mods):
                offenders.append(name)
    assert offenders == []


def test_string_tables_are_imported_where_they_are_used() -> None:
    """i18n imports every table by name, so the imports show who uses them (no loading by string)."""
    graph = _graph()
    users = defaultdict(set)
    for src, targets in graph.items():
        for dst in targets:
            users[dst].add(src)
    tables = [m for m in graph if m.startswith("routes.text.") and m != "routes.text.i18n"]
    assert tables
    assert all("routes.text.i18n" in users[m] for m in tables), {m: users[m] for m in tables}
