"""One CLI convention, checked on every command: exit codes in --help, JSON from every reporting command, paths as arguments."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from c5data.cli import main


def _walk(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, (*prefix, name))


COMMANDS = list(_walk(main))


def test_the_walk_finds_the_commands():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"validate", "fix", "build", "diff", "release", "new meeting", "new source"} <= names


@pytest.mark.parametrize("path", [(), *[p for p, _ in COMMANDS]], ids=lambda p: " ".join(p) or "c5data")
def test_every_help_lists_the_exit_codes(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Exit codes:" in result.output
    for code in ("0", "1", "2"):
        assert f"\n    {code}  " in result.output or f"\n  {code}  " in result.output, (path, code)


@pytest.mark.parametrize("path,cmd", [(p, c) for p, c in COMMANDS if not isinstance(c, click.Group)], ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_reporting_command_has_json_output(path, cmd):
    if getattr(cmd, "reports", None) is False:
        return  # declared as reporting nothing (the declaration itself is checked below)
    option = next((p for p in cmd.params if isinstance(p, click.Option) and "--format" in p.opts), None)
    assert option is not None, f"c5data {' '.join(path)} has no --format"
    assert isinstance(option.type, click.Choice) and {"text", "json"} <= set(option.type.choices), path


def test_every_command_declares_whether_it_reports():
    undeclared = [" ".join(p) for p, c in COMMANDS if not isinstance(c, click.Group) and not hasattr(c, "reports")]
    assert not undeclared, f"made without c5data.cli.convention.command: {undeclared}"


@pytest.mark.parametrize("args", [["validate", "/nonexistent/pkg"], ["build", "/nonexistent/pkg"], ["verify", "/nonexistent/rel"], ["site", "/nonexistent/rel"]])
def test_a_missing_path_is_a_usage_error_without_another_hint(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "does not exist" in result.output and "frictionless" not in result.output and "INVALID" not in result.output


def test_old_path_options_still_work_with_a_deprecation_note(fixture_release):
    result = CliRunner().invoke(main, ["query", "SELECT count(*) AS n FROM meetings", "-p", str(fixture_release.out), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "-p is deprecated" in result.output or "--path is deprecated" in result.output
    new = CliRunner().invoke(main, ["query", "SELECT count(*) AS n FROM meetings", str(fixture_release.out), "--format", "json"])
    assert json.loads(new.stdout) == json.loads(result.stdout) and json.loads(new.stdout)[0]["n"] > 0 and "deprecated" not in new.output


def test_errors_and_validate_and_verify_speak_json(pkg, fixture_release):
    codes = json.loads(CliRunner().invoke(main, ["errors", "--format", "json"]).output)
    assert any(c["code"] == "chair-count" and c["severity"] for c in codes)
    verified = CliRunner().invoke(main, ["verify", str(fixture_release.out), "--format", "json"])
    assert verified.exit_code == 0 and json.loads(verified.output)["ok"] is True


def test_version_names_the_toolkit_and_the_data(pkg, monkeypatch):
    monkeypatch.chdir(pkg.root)
    out = CliRunner().invoke(main, ["--version"]).output
    version = json.loads((pkg.root / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert "(toolkit)" in out and f"data {version}" in out


def test_the_package_lists_its_public_api():
    import c5data

    listed = dir(c5data)
    assert {"connect", "load", "validate", "build", "query", "diff", "release", "publish", "verify", "__version__"} <= set(listed)


def test_diff_accepts_git_refs(pkg, monkeypatch):
    import subprocess

    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-C", str(pkg.root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    pkg.write("persons.csv", pkg.read("persons.csv") + "zhang-ming,Zhang Ming,CHN,,mfa-2020-07-17,\n")
    monkeypatch.chdir(pkg.root)
    result = CliRunner().invoke(main, ["diff", "HEAD", ".", "--format", "json"])
    missing = CliRunner().invoke(main, ["diff", "no-such-ref", "."])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"]["path"] == "HEAD" and "zhang-ming" in result.stdout
    assert missing.exit_code == 2 and "neither a package or release folder nor a git ref" in missing.output
