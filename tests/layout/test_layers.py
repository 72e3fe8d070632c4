"""The layout holds: no import cycle between modules, each stage imports only from the stages before it, and the
generic toolkit never imports this package's own layer (`c5data.diplomacy`), which it reaches only through
`c5data.extensions`."""

from __future__ import annotations

import ast
from pathlib import Path

from releasekit import ROOT

SRC = ROOT / "src"
# Lower layers first; a module may import from its own layer or any lower one (imports inside functions included).
LAYERS = [
    {"catalogue", "findings", "files", "progress", "extensions", "versions", "limits", "mdtext"},
    {"reading"},
    {"validation"},
    {"building", "contributing"},
    {"querying", "diplomacy", "serving"},
    {"pipeline", "releasing"},
    {"cli", "__init__", "__main__"},
]
SITE_NEEDS = {"querying"}  # the site and querying are siblings: neither imports the other
TOOLKIT = {
    "catalogue",
    "findings",
    "files",
    "progress",
    "extensions",
    "versions",
    "mdtext",
    "reading",
    "validation",
    "building",
    "contributing",
    "querying",
    "serving",
    "pipeline",
    "releasing",
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.Module, top_level_only: bool) -> list[ast.AST]:
    """The statements that run: `if TYPE_CHECKING:` blocks are for the type checker only and import nothing."""
    body = [n for n in tree.body if not (isinstance(n, ast.If) and isinstance(n.test, ast.Name) and n.test.id == "TYPE_CHECKING")]
    return body if top_level_only else [node for n in body for node in ast.walk(n)]


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = _runtime_nodes(tree, top_level_only)
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("c5data"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("c5data")}
    return found


def _layer(module: str) -> int:
    parts = module.split(".")
    stage = parts[1] if len(parts) > 1 else "__init__"
    return next(i for i, names in enumerate(LAYERS) if stage in names)


def test_no_import_cycle_at_import_time():
    files = {_module(p): p for p in SRC.rglob("*.py")}
    graph = {m: {i for i in _imports(p, top_level_only=True) if i in files and i != m} for m, p in files.items()}
    state: dict[str, int] = {}

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            assert state.get(n) != 1, " -> ".join([*trail, m, n])
            if n not in state:
                visit(n, [*trail, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert len(files) > 40


def test_each_stage_imports_only_earlier_stages():
    wrong = []
    for path in SRC.rglob("*.py"):
        me = _module(path)
        for imported in _imports(path, top_level_only=False):
            if imported == "c5data":
                continue
            if _layer(imported) > _layer(me) or (me.split(".")[1:3] == ["diplomacy", "site"] and imported.split(".")[1] in SITE_NEEDS):
                wrong.append(f"{me} imports {imported}")
    assert wrong == []


def test_the_toolkit_never_imports_the_package_layer():
    """The generic stages reach `c5data.diplomacy` only through the extension registry (by name, at run time)."""
    wrong = []
    for path in SRC.rglob("*.py"):
        me = _module(path)
        if (me.split(".")[1:2] or ["__init__"])[0] not in TOOLKIT:
            continue
        wrong += [f"{me} imports {i}" for i in _imports(path, top_level_only=False) if i.startswith("c5data.diplomacy")]
    assert wrong == []
