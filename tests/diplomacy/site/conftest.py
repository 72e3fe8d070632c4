"""The site tests read the repository's release, built once per session (see tests/conftest.py).

The browser tests need Chromium: the one the C5DATA_CHROMIUM environment variable names, else Debian's at
/usr/bin/chromium. On a machine without it they are skipped with one line saying how to install it, unless the CI
environment variable is set or pytest runs with `--browser-required`: then a missing browser fails them.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from releasekit import release_rows

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
#: How every browser test starts Chromium: headless, and nothing that would reach the network on its own.
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTING = "C5DATA_CHROMIUM"
INSTALL = f"apt-get install chromium, or set {SETTING} to a Chromium executable"


def chromium_path() -> Path:
    """The browser the tests drive: the C5DATA_CHROMIUM setting first, then Debian's path."""
    return Path(os.environ[SETTING]) if os.environ.get(SETTING) else DEBIAN_CHROMIUM


def browser_required(config: pytest.Config) -> bool:
    return bool(os.environ.get("CI")) or bool(config.getoption("--browser-required", default=False))


def check_browser(config: pytest.Config, chromium: Path | None = None) -> Path:
    """`chromium` (default: `chromium_path()`) when it exists; else skip with one line saying how to get one, or fail when a browser is required."""
    chromium = chromium or chromium_path()
    if chromium.exists():
        return chromium
    reason = f"{chromium} not found: the browser tests need Chromium ({INSTALL}); do not use `playwright install`"
    if browser_required(config):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a browser (and none required) the browser tests are one skip: the first carries the reason, the rest are deselected."""
    browser_items = [item for item in items if item.get_closest_marker("browser") and "chromium" in getattr(item, "fixturenames", ())]
    if not browser_items or chromium_path().exists() or browser_required(config):
        return
    first, rest = browser_items[0], browser_items[1:]
    reason = f"{chromium_path()} not found: {len(browser_items)} browser test(s) not run; they need Chromium ({INSTALL}); do not use `playwright install`"
    first.add_marker(pytest.mark.skip(reason=reason))
    if rest:
        gone = set(map(id, rest))
        items[:] = [item for item in items if id(item) not in gone]
        config.hook.pytest_deselected(items=rest)


@pytest.fixture
def browser_check():
    """`check_browser` itself, for the tests of the skip-or-fail rule."""
    return check_browser


@pytest.fixture
def browser_lookup():
    """`chromium_path` with the setting's name and Debian's path, for the tests of the lookup order."""
    return chromium_path, SETTING, DEBIAN_CHROMIUM


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Path:
    """The browser's path; skips (or fails, under CI or --browser-required) when it is missing."""
    return check_browser(request.config)


@pytest.fixture(scope="module")
def browser(chromium: Path):
    """Chromium driven by Playwright for one test module; fails when playwright is missing (never `playwright install`)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[test]' (the PyPI package; no browser download)", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=BROWSER_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def release(shipped_release) -> Path:
    """The built release folder (read-only)."""
    return shipped_release.out


@pytest.fixture(scope="module")
def table_rows(release: Path):
    """The rows of a table of the release as its CSV file writes them: `table_rows("meetings")`."""

    return functools.partial(release_rows, release)


@pytest.fixture(scope="module")
def site(release: Path) -> Path:
    """Its site folder."""
    return release / "site"


@pytest.fixture(scope="module")
def engine(request: pytest.FixtureRequest):
    """The SQL page's engine as `npm ci` installed it; skips with one line without it, or fails when a browser is required."""
    from c5data.serving.wasm import EngineMissing, find_engine

    try:
        return find_engine()
    except EngineMissing as exc:
        reason = f"the SQL page's engine is missing: {exc}"
        if browser_required(request.config):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
