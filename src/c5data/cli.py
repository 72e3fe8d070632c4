"""The `c5data` command: a thin click layer over the library.

Each command parses its options, calls one library function and maps the
result to an exit code: 0 valid, 1 invalid data, 2 usage, I/O or descriptor
error. Library modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import os
import sys

import click

from . import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Turns an unexpected exception (a bug, never bad input) into one line and exit code 2.

    Bad input is reported by the library as findings or expected errors; this
    guard only keeps a user from facing a traceback if the toolkit itself
    fails. C5DATA_DEBUG=1 shows the traceback.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if os.environ.get("C5DATA_DEBUG"):
                raise
            click.echo(f"c5data: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in c5data, not in your data; set C5DATA_DEBUG=1 to see the traceback and please report it.",
                       err=True)
            ctx.exit(EXIT_USAGE)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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


def _fail(command: str, message: object, code: int) -> None:
    click.echo(f"c5data {command}: {message}", err=True)
    sys.exit(code)


@main.command()
@click.argument("path", required=False, default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Release folder to write (default: release/ in the package folder). Replaced as a whole, atomically.")
@click.option("--strict", is_flag=True, help="Refuse to build on validation warnings too.")
def build(path: str, out: str | None, strict: bool) -> None:
    """Validate the package at PATH, then build its release: CSV, Parquet, DuckDB, zip, codebook, SHA256SUMS.

    Invalid data is refused (exit 1) and nothing is written. Two builds of the
    same commit are byte-identical (time from SOURCE_DATE_EPOCH or the last commit).
    """
    from .builder import BuildError, InvalidPackage, build as run
    from .report import render_text

    try:
        result = run(path, out, strict=strict)
    except InvalidPackage as exc:
        click.echo(render_text(exc.report, limit=50, strict=strict), err=True)
        _fail("build", exc, exc.exit_code)
    except BuildError as exc:
        _fail("build", exc, exc.exit_code)
    except OSError as exc:
        _fail("build", exc, EXIT_USAGE)
    note = "" if result.notes.get("duckdb_reproducible", True) else " (DuckDB file not byte-reproducible on this platform)"
    click.echo(f"built {result.out}: version {result.version}, {len(result.files)} files, "
               f"{sum(result.report.row_counts.values())} rows, {result.seconds:.1f}s{note}")


@main.command()
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--path", "-p", default=".", show_default=True, type=click.Path(),
              help="A package folder (its release/ when built, else data/), a release folder or a .duckdb file.")
@click.option("--data", is_flag=True, help="Query data/ loaded in memory even when a build exists.")
def query(sql: str, fmt: str, path: str, data: bool) -> None:
    """Run SQL on the built database, or on data/ when nothing is built; the views exist either way."""
    import duckdb

    from .database import DatabaseUnavailable, DataDoesNotLoad
    from .querying import QueryError, query as run, render

    try:
        result = run(sql, path, data=data)
    except (QueryError, DataDoesNotLoad) as exc:
        _fail("query", exc, EXIT_INVALID)
    except (DatabaseUnavailable, duckdb.Error, OSError) as exc:
        _fail("query", exc, EXIT_USAGE)
    click.echo(render(result, fmt))


@main.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows listed per kind in Markdown.")
def diff(old: str, new: str, fmt: str, limit: int) -> None:
    """Compare two package or release folders: tables, columns, and rows added, removed and changed."""
    import json

    from .compare import DiffError, diff as run, render_markdown

    try:
        result = run(old, new)
    except DiffError as exc:
        _fail("diff", exc, EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"## {old} ({result.old_version}) → {new} ({result.new_version})\n")
        click.echo(render_markdown(result, limit=limit).rstrip("\n"))


@main.command()
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--version", "version", default=None, help="Version to release (default: the one the changes demand).")
@click.option("--previous", type=click.Path(file_okay=False), default=None,
              help="Folder of the previous release (default: the highest vX.Y.Z git tag).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Release folder (default: release/).")
@click.option("--dry-run", is_flag=True, help="Only say which version the changes demand; write nothing.")
def release(path: str, version: str | None, previous: str | None, out: str | None, dry_run: bool) -> None:
    """Propose or check the next version, write CHANGELOG.md and changes.json, and build.

    A removed or renamed table, column or id is major, added rows or columns
    minor, corrections patch. A version that is lower, already released or
    smaller than the change demands is refused (exit 1).
    """
    from .builder import BuildError, InvalidPackage
    from .report import render_text
    from .versioning import ReleaseError, release as run

    try:
        outcome = run(path, version, previous=previous, out=out, dry_run=dry_run)
    except ReleaseError as exc:
        _fail("release", exc, exc.exit_code)
    except InvalidPackage as exc:
        click.echo(render_text(exc.report, limit=50), err=True)
        _fail("release", exc, exc.exit_code)
    except BuildError as exc:
        _fail("release", exc, exc.exit_code)
    plan = outcome.plan
    since = f"since {plan.previous_version} ({plan.previous_source})" if plan.previous_version else "first release"
    change = {"initial": "no previous release", "none": "no table, column or row changed"}.get(plan.level, f"{plan.level} change")
    click.echo(f"{since}: {change}; proposed {plan.proposed}; releasing {outcome.version}")
    if plan.diff is not None:
        for reason in plan.diff.reasons():
            click.echo(f"  - {reason}")
    if dry_run:
        click.echo("dry run: nothing written")
    else:
        click.echo(f"wrote {', '.join(outcome.written)}; built {outcome.build.out}")


@main.command()
@click.option("--to", "dest", default=None,
              help="Destination folder or fsspec URL (default: dist/ in the current folder; URLs need c5data[publish]).")
@click.option("--release", "release_dir", type=click.Path(file_okay=False), default="release", show_default=True,
              help="The built release to publish.")
def publish(dest: str | None, release_dir: str) -> None:
    """Copy a built release to DEST as releases/<version>/, update releases.json and latest; never overwrite."""
    from .publishing import DEFAULT_DEST, PublishError, publish as run

    try:
        result = run(release_dir, dest or DEFAULT_DEST)
    except PublishError as exc:
        _fail("publish", exc, exc.exit_code)
    except OSError as exc:
        _fail("publish", exc, EXIT_USAGE)
    click.echo(f"published {result.version} to {result.url} ({result.files} files, checked); latest is {result.latest}")


@main.command()
@click.argument("path", type=click.Path())
def verify(path: str) -> None:
    """Check a downloaded release folder against its SHA256SUMS and datapackage.json hashes."""
    from .publishing import PublishError, verify as run

    try:
        result = run(path)
    except PublishError as exc:
        _fail("verify", exc, exc.exit_code)
    for problem in result.problems:
        click.echo(f"{path}: {problem}", err=True)
    for rel in result.extra:
        click.echo(f"{path}: note: {rel} is not listed in SHA256SUMS (not checked, not published)", err=True)
    if not result.ok:
        _fail("verify", f"{len(result.problems)} problem(s) in {result.checked} file(s)", EXIT_INVALID)
    click.echo(f"{path}: ok, {result.checked} files match SHA256SUMS and datapackage.json")


if __name__ == "__main__":
    main()


from .site import site_command  # noqa: E402  (light: its heavy imports happen inside the command)

main.add_command(site_command)
