"""The site tests read the repository's release, built once per session (see tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def release(shipped_release) -> Path:
    """The built release folder (read-only)."""
    return shipped_release.out


@pytest.fixture(scope="module")
def site(release: Path) -> Path:
    """Its site folder."""
    return release / "site"
