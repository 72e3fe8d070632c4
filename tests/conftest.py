"""Shared fixtures: a small valid package (tests/fixtures/valid + the project's real schemas) to mutate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VALID = Path(__file__).resolve().parent / "fixtures" / "valid"


class Pkg:
    """A throwaway copy of the valid fixture package with small editing helpers."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name if "/" in name or name.endswith(".json") else self.root / "data" / name

    def read(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> None:
        text = self.read(name)
        assert old in text, f"{old!r} not in {name}"
        self.write(name, text.replace(old, new, 1))


@pytest.fixture
def pkg(tmp_path: Path) -> Pkg:
    root = tmp_path / "pkg"
    shutil.copytree(VALID, root)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    return Pkg(root)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the valid fixture package (with the real schemas): the old one and one to change."""
    from releasekit import make_package

    old = make_package(tmp_path / "old")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    return old, new
