"""The site tests read the repository's release, built once per session (see tests/conftest.py).

The browser tests need Debian's chromium at /usr/bin/chromium. On a machine without it they are skipped with one line
saying how to install it, unless the CI environment variable is set or pytest runs with `--browser-required`: then a
missing browser fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = "apt-get install chromium"


def browser_required(config: pytest.Config) -> bool:
    return bool(os.environ.get("CI")) or bool(config.getoption("--browser-required", default=False))


def check_browser(config: pytest.Config, chromium: Path = CHROMIUM) -> Path:
    """`chromium` when it exists; else skip with one line saying how to install it, or fail when a browser is required."""
    if chromium.exists():
        return chromium
    reason = f"{chromium} not found: the browser tests need Debian's chromium ({INSTALL}); do not use `playwright install`"
    if browser_required(config):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def browser_check():
    """`check_browser` itself, for the tests of the skip-or-fail rule."""
    return check_browser


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Path:
    """The browser's path; skips (or fails, under CI or --browser-required) when it is missing."""
    return check_browser(request.config)


@pytest.fixture(scope="module")
def release(shipped_release) -> Path:
    """The built release folder (read-only)."""
    return shipped_release.out


@pytest.fixture(scope="module")
def site(release: Path) -> Path:
    """Its site folder."""
    return release / "site"
