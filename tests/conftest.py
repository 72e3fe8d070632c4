"""Shared fixtures: a small valid package to mutate, and the releases built once per test session.

Building a release takes seconds, so each kind is built once per session
(`fixture_release`, `shipped_release`); a test that changes a release works
on its own copy (`copy_of`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from c5data.building.builder import BuildResult

from releasekit import EPOCH, ROOT, TABLES, make_node_modules, make_package, reverse_rows

# Property tests draw the same examples on every run (derandomised, no example database), so a failure in CI is the
# same failure on any machine; HYPOTHESIS_PROFILE=explore searches afresh on each run and keeps what it finds.
settings.register_profile("reproducible", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--browser-required",
        action="store_true",
        default=False,
        help="fail, rather than skip, the browser tests when /usr/bin/chromium is missing (also when the CI variable is set)",
    )


#: Fixtures that build a release: a test using one is slow (seconds), so `pytest -m "not slow"` leaves it out.
BUILDING_FIXTURES = {"fixture_release", "shipped_release", "built_pkg", "built", "release", "release_dir"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that builds a release (through one of BUILDING_FIXTURES) as slow."""
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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
    return Pkg(make_package(tmp_path / "pkg"))


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the valid fixture package (with the real schemas): the old one and one to change."""
    old = make_package(tmp_path / "old")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    return old, new


def _build(package: Path, out: Path | None = None) -> BuildResult:
    from c5data.pipeline import build

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(package, out)


@pytest.fixture(scope="session")
def fixture_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture package, every table's rows reversed (so the build must sort them), built once with a fixed epoch.

    Read-only: copy it (`copy_of`) before changing anything.
    """
    package = make_package(tmp_path_factory.mktemp("fixture-release") / "pkg")
    for table in TABLES:
        reverse_rows(package / "data" / f"{table}.csv")
    return _build(package)


@pytest.fixture(scope="session")
def shipped_release(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The repository's own data, built once (site included) outside the repository. Read-only."""
    return _build(ROOT, tmp_path_factory.mktemp("shipped-release") / "release")


@pytest.fixture
def copy_of(tmp_path: Path):
    """`copy_of(folder)`: a private copy of a session release (or any folder) to change."""

    def copy(folder: Path) -> Path:
        target = tmp_path / f"copy-{folder.name}"
        shutil.copytree(folder, target, symlinks=True)
        return target

    return copy


class OneTable:
    """Writes a package of one resource `t` (data in `t.csv`, or several parts) to compare verdicts on the standard."""

    def __init__(self, root: Path):
        self.root = root
        self.count = 0

    def __call__(self, fields: list, data: str | bytes, schema: dict | None = None, resource: dict | None = None, parts: dict | None = None) -> Path:
        import json

        self.count += 1
        folder = self.root / f"p{self.count}"
        folder.mkdir()
        (folder / "t.csv").write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        for name, body in (parts or {}).items():
            (folder / name).write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
        desc = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields, **(schema or {})}, **(resource or {})}]}
        (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
        return folder

    @staticmethod
    def located(folder: Path) -> list[tuple[str, int | None, str | None]]:
        """c5data's findings on a package as sorted (code, line, field)."""
        from c5data import validate

        return sorted((f.code, f.line, f.field) for f in validate(folder).findings)


@pytest.fixture
def one_table(tmp_path: Path) -> OneTable:
    """A factory of one-table packages: `one_table(fields, csv_text, schema={...}, resource={...})` returns the folder."""
    return OneTable(tmp_path)


@pytest.fixture
def frictionless_valid():
    """frictionless-py's verdict on a package folder (the reference implementation of the standard)."""
    from frictionless import validate as fl_validate

    return lambda folder: bool(fl_validate(str(folder / "datapackage.json")).valid)


@pytest.fixture
def node_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in node_modules/ (see `make_node_modules`), the only one `find_engine` looks at during the test."""
    root = make_node_modules(tmp_path / "node_modules")
    monkeypatch.setenv("C5DATA_NODE_MODULES", str(root))
    return root
