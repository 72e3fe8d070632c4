"""The click layer: formats, exit codes, and no traceback on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from c5data.cli import main


def test_validate_valid_package_exits_0(pkg):
    result = CliRunner().invoke(main, ["validate", str(pkg.root)])
    assert result.exit_code == 0, result.output
    assert "valid: 0 error(s)" in result.output


def test_validate_invalid_data_exits_1_with_located_errors(pkg):
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-12,2021-13-01,day")
    result = CliRunner().invoke(main, ["validate", str(pkg.root)])
    assert result.exit_code == 1
    assert "data/meetings.csv:3:7: error [type-error] end_date" in result.output


def test_json_format_and_output_file(pkg, tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["validate", str(pkg.root), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(result.output)["valid"] is True
    assert json.loads(out.read_text())["row_counts"]["meetings"] == 3


def test_github_format_writes_step_summary(pkg, tmp_path):
    pkg.replace("persons.csv", ",Wang Yi,", ",Wang Yi ,")
    summary = tmp_path / "summary.md"
    result = CliRunner().invoke(main, ["validate", str(pkg.root), "--format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert "::error file=data/persons.csv,line=3,col=2,title=text-whitespace::" in result.output
    assert "text-whitespace" in summary.read_text()


def test_strict_fails_on_warnings(pkg):
    pkg.write("sources.csv", pkg.read("sources.csv") + "spare-nd,https://example.org/spare,Spare,Nobody,,,en,news,false,\n")
    assert CliRunner().invoke(main, ["validate", str(pkg.root)]).exit_code == 0
    assert CliRunner().invoke(main, ["validate", str(pkg.root), "--strict"]).exit_code == 1


@pytest.mark.slow  # builds a release or runs subprocesses
def test_broken_inputs_never_print_a_traceback(pkg, tmp_path):
    cases = {
        "broken json": lambda: pkg.write("datapackage.json", "{"),
        "binary csv": lambda: pkg.path("meetings.csv").write_bytes(b"\x00\xff\xfe\x00garbage\n\x00\x00"),
        "directory as csv": lambda: (pkg.path("sources.csv").unlink(), pkg.path("sources.csv").mkdir()),
    }
    for name, breakit in cases.items():
        breakit()
        proc = subprocess.run([sys.executable, "-m", "c5data", "validate", str(pkg.root)], capture_output=True, text=True)
        assert "Traceback" not in proc.stdout + proc.stderr, name
        assert proc.returncode in (1, 2), name


def test_usage_error_exits_2():
    result = CliRunner().invoke(main, ["validate", "--format", "yaml"])
    assert result.exit_code == 2


@pytest.mark.slow  # builds a release or runs subprocesses
def test_help_does_not_import_heavy_libraries():
    code = "import sys, c5data.cli; print(any(m in sys.modules for m in ('polars', 'pandera', 'duckdb', 'pandas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_errors_command_lists_the_catalogue():
    result = CliRunner().invoke(main, ["errors"])
    assert result.exit_code == 0 and "`chair-count`" in result.output


def test_an_internal_error_is_one_line_and_exit_2(pkg, monkeypatch):
    import c5data.validation.validator

    def broken(path):
        raise ValueError("boom")

    monkeypatch.setattr(c5data.validation.validator, "validate", broken)
    result = CliRunner().invoke(main, ["validate", str(pkg.root)])
    assert result.exit_code == 2
    assert "internal error: ValueError: boom" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", ["python", "duckdb"])
def test_running_out_of_memory_is_said_as_such_not_as_a_bug(pkg, monkeypatch, kind):
    import duckdb

    import c5data.validation.validator

    def exhausted(path):
        raise MemoryError() if kind == "python" else duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256 KiB")

    monkeypatch.setattr(c5data.validation.validator, "validate", exhausted)
    result = CliRunner().invoke(main, ["validate", str(pkg.root)])
    assert result.exit_code == 2
    assert "out of memory" in result.output and "more memory" in result.output and "Limits" in result.output
    assert "bug" not in result.output and "Traceback" not in result.output


def test_duckdb_running_out_of_memory_while_writing_the_database_is_the_machine_not_the_data():
    from c5data.building.duckdb_file import DatabaseError

    assert DatabaseError("Out of Memory Error: failed to allocate data of size 64.0 MiB").io_error
    assert not DatabaseError('Constraint Error: CHECK constraint failed on table "t"').io_error


@pytest.mark.slow  # builds a release or runs subprocesses
def test_python_dash_m_cli_has_every_command():
    """`python -m c5data.cli` and `c5data` are the same command (the site command was once missing from the former)."""
    proc = subprocess.run([sys.executable, "-m", "c5data.cli", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.split("Commands:")[1].split("Exit codes:")[0].splitlines() if line.strip()}
    assert listed == set(main.commands) >= {"validate", "errors", "build", "site", "query", "diff", "release", "publish", "verify"}


@pytest.mark.slow  # builds a release or runs subprocesses
def test_progress_lines_only_on_a_terminal_and_never_with_quiet(pkg, monkeypatch, capsys):
    from c5data import cli
    from c5data.cli import build_commands

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert cli.step_printer(quiet=False) is None  # piped or in CI: no progress lines
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.step_printer(quiet=True) is None
    printer = cli.step_printer(quiet=False)
    assert printer is not None
    printer("validate", 0.5)
    assert capsys.readouterr().err == "  validate            0.5s\n"
    asked: list[bool] = []
    real = build_commands.step_printer
    monkeypatch.setattr(build_commands, "step_printer", lambda quiet: asked.append(quiet) or real(quiet))
    for flags in ([], ["--quiet"]):
        result = CliRunner().invoke(main, ["build", str(pkg.root), *flags])
        assert result.exit_code == 0, result.output
    assert asked == [False, True]
