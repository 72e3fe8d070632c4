"""The layout holds: no import cycle between modules, and each stage imports only from the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

from releasekit import ROOT

SRC = ROOT / "src"
# Lower layers first; a module may import from its own layer or any lower one (imports inside functions included).
LAYERS = [
    {"catalogue", "findings", "files", "progress", "limits"},
    {"reading"},
    {"validation"},
    {"building"},
    {"querying", "site"},
    {"pipeline", "releasing"},
    {"cli", "__init__", "__main__"},
]
SITE_NEEDS = {"querying"}  # the site and querying are siblings: neither imports the other


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
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
            if _layer(imported) > _layer(me) or (me.split(".")[1:2] == ["site"] and imported.split(".")[1] in SITE_NEEDS):
                wrong.append(f"{me} imports {imported}")
    assert wrong == []
