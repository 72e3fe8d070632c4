"""Without /usr/bin/chromium the browser tests skip with one line, unless CI is set or --browser-required is given."""

from __future__ import annotations

from pathlib import Path

import pytest


class Config:
    def __init__(self, required: bool) -> None:
        self.required = required

    def getoption(self, name: str, default: object = None) -> object:
        assert name == "--browser-required"
        return self.required


MISSING = Path("/nonexistent/chromium")


def test_missing_browser_skips_with_one_line_saying_how_to_install(monkeypatch: pytest.MonkeyPatch, browser_check) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as info:
        browser_check(Config(False), MISSING)  # type: ignore[arg-type]
    message = str(info.value)
    assert "apt-get install chromium" in message and "\n" not in message and str(MISSING) in message


@pytest.mark.parametrize("ci, required", [("true", False), (None, True)])
def test_missing_browser_fails_under_ci_or_when_required(monkeypatch: pytest.MonkeyPatch, ci: str | None, required: bool, browser_check) -> None:
    if ci:
        monkeypatch.setenv("CI", ci)
    else:
        monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        browser_check(Config(required), MISSING)  # type: ignore[arg-type]


def test_a_present_browser_is_used(tmp_path: Path, browser_check) -> None:
    browser = tmp_path / "chromium"
    browser.touch()
    assert browser_check(Config(True), browser) == browser  # type: ignore[arg-type]


def test_the_option_is_registered(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.getoption("--browser-required") in (True, False)
