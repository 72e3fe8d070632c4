"""Docstrings and comments that name a module or an object of c5data name one that exists."""

from __future__ import annotations

import importlib
import re

from releasekit import ROOT

FILE_NAMES = {"c5data.duckdb"}  # the release's database file, not a module


def _resolves(reference: str) -> bool:
    parts = reference.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attribute in parts[i:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def test_every_dotted_reference_to_c5data_resolves():
    stale = set()
    for path in (ROOT / "src").rglob("*.py"):
        for reference in re.findall(r"\bc5data(?:\.[A-Za-z_]\w*)+", path.read_text(encoding="utf-8")):
            if reference not in FILE_NAMES and not _resolves(reference):
                stale.add(f"{path.relative_to(ROOT)}: {reference}")
    assert sorted(stale) == []
