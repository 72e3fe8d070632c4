"""`c5data validate`, `c5data fix` and `c5data errors`: what a contributor runs before a pull request."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from c5data.cli.convention import EXIT_USAGE, command, echo_json, format_option, path_argument

if TYPE_CHECKING:
    from c5data.contributing.fixing import FixResult

COMMANDS: list[click.Command] = []


def _show_fixes(result: FixResult, fmt: str) -> None:
    """The safe fixes applied (or that would be): a line per file, then its diff; on stderr when stdout carries JSON."""
    to_err = fmt != "text"
    verb = "would fix" if result.dry_run else "fixed"
    for f in result.fixed:
        click.echo(f"{verb} {f.path}: {'; '.join(f.changes)}", err=to_err)
        click.echo(f.diff(), err=to_err)
    for path, reason in result.left:
        click.echo(f"left {path}: {reason}", err=to_err)
    if not result.fixed:
        click.echo("nothing to fix", err=to_err)


def _run_fix(path: str, dry_run: bool, command_name: str) -> FixResult:
    from c5data.cli import fail
    from c5data.contributing.fixing import FixError
    from c5data.contributing.fixing import fix as run

    try:
        return run(path, dry_run=dry_run)
    except FixError as exc:
        fail(command_name, exc, exc.exit_code)
    except OSError as exc:
        fail(command_name, f"{exc.filename or path}: {exc.strerror or exc}", EXIT_USAGE)


@command(exit_codes={0: "valid (with --strict: no warning either)", 1: "invalid data (with --strict: warnings too)"})
@path_argument()
@format_option("github", help="text for people, json for tools, github for pull-request annotations plus a step summary.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--fix", "fix_first", is_flag=True, help="First apply the safe fixes (see `c5data fix --help`) and show their diff, then validate.")
@click.option(
    "--max-errors", type=click.IntRange(min=0), default=200, show_default=True, help="Findings printed in text format (0 = all). The totals always count every finding."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None, help="Also write the full JSON report to this file.")
def validate(path: str, fmt: str, strict: bool, fix_first: bool, max_errors: int, output: str | None) -> None:
    """Check the package at PATH (a folder or its datapackage.json; default: the current folder).

    Every problem is reported in one run, each with file, line and column.
    """
    from c5data.validation.report import append_step_summary, render_github, render_json, render_text
    from c5data.validation.validator import validate as run

    if fix_first:
        _show_fixes(_run_fix(path, False, "validate"), fmt)
    report = run(path)
    if fmt == "json":
        click.echo(render_json(report, strict))
    elif fmt == "github":
        click.echo(render_github(report, strict=strict))
        append_step_summary(report, strict)
    else:
        click.echo(render_text(report, limit=max_errors or None, strict=strict))
    if output:
        from c5data.files.atomic import write_text

        try:
            write_text(output, render_json(report, strict))
        except OSError as exc:
            from c5data.cli import fail

            fail("validate", f"{output}: cannot write the report: {exc.strerror or exc}", EXIT_USAGE)
    sys.exit(report.exit_code(strict))


@command("fix", exit_codes={0: "fixed, or nothing to fix", 1: "--check: a fix is needed"})
@path_argument()
@format_option()
@click.option("--dry-run", is_flag=True, help="Show the diff only; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a fix is needed (for hooks and CI).")
def fix(path: str, fmt: str, dry_run: bool, check: bool) -> None:
    """Apply the changes that cannot alter meaning to the package's CSV files, show their diff, write each file atomically.

    UTF-8 without a byte-order mark, the line endings the file was committed with, commas for a `;`- or
    tab-separated file, no trailing whitespace in a value, Unicode NFC, and the case of an enum or code value
    that matches one allowed value. Anything else is left to you: run `c5data validate` for the hints.
    """
    result = _run_fix(path, dry_run or check, "fix")
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        _show_fixes(result, fmt)
    sys.exit(1 if check and result.fixed else 0)


@command(exit_codes={})
@format_option(help="text: the Markdown table of docs/errors.md; json: one object per code.")
def errors(fmt: str) -> None:
    """List every error code the validator can report, with its severity, what it means and its hint."""
    from c5data.catalogue import CATALOGUE, markdown

    if fmt == "json":
        from dataclasses import asdict

        echo_json([asdict(c) for c in CATALOGUE.values()])
    else:
        click.echo(markdown(), nl=False)


COMMANDS += [validate, fix, errors]
