"""The `c5data` command: a thin click layer over the library.

Each command parses its options, calls one library function and maps the
result to an exit code: 0 valid, 1 invalid data, 2 usage, I/O or descriptor
error. Library modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import sys

import click

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="c5data")
def main() -> None:
    """Validate, build, query and publish the c5data package of China–Central Asia diplomacy."""


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for pull-request annotations plus a step summary.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--max-errors", type=click.IntRange(min=0), default=200, show_default=True,
              help="Findings printed in text format (0 = all). The totals always count every finding.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the full JSON report to this file.")
def validate(path: str, fmt: str, strict: bool, max_errors: int, output: str | None) -> None:
    """Check the package at PATH (a folder or its datapackage.json; default: the current folder).

    Every problem is reported in one run, each with file, line and column.
    """
    from .report import append_step_summary, render_github, render_json, render_text
    from .validation import validate as run

    report = run(path)
    if fmt == "json":
        click.echo(render_json(report, strict))
    elif fmt == "github":
        click.echo(render_github(report, strict=strict))
        append_step_summary(report, strict)
    else:
        click.echo(render_text(report, limit=max_errors or None, strict=strict))
    if output:
        from .atomic import write_text
        write_text(output, render_json(report, strict))
    sys.exit(report.exit_code(strict))


@main.command()
def errors() -> None:
    """List every error code the validator can report, with what it means."""
    from .catalogue import markdown

    click.echo(markdown(), nl=False)
