"""`c5data validate` and `c5data errors`: what a contributor runs before a pull request."""

from __future__ import annotations

import sys

import click

COMMANDS: list[click.Command] = []


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations plus a step summary.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--max-errors", type=click.IntRange(min=0), default=200, show_default=True, help="Findings printed in text format (0 = all). The totals always count every finding."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None, help="Also write the full JSON report to this file.")
def validate(path: str, fmt: str, strict: bool, max_errors: int, output: str | None) -> None:
    """Check the package at PATH (a folder or its datapackage.json; default: the current folder).

    Every problem is reported in one run, each with file, line and column.
    """
    from c5data.validation.report import append_step_summary, render_github, render_json, render_text
    from c5data.validation.validator import validate as run

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
            from c5data.cli import EXIT_USAGE, fail

            fail("validate", f"{output}: cannot write the report: {exc.strerror or exc}", EXIT_USAGE)
    sys.exit(report.exit_code(strict))


@click.command()
def errors() -> None:
    """List every error code the validator can report, with what it means."""
    from c5data.catalogue import markdown

    click.echo(markdown(), nl=False)


COMMANDS += [validate, errors]
