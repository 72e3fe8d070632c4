"""`c5data diff`, `release`, `publish` and `verify`: versions, what changed, and where a release goes."""

from __future__ import annotations

import click

from c5data.cli import EXIT_INVALID, EXIT_USAGE, fail, quiet_option, step_printer

COMMANDS: list[click.Command] = []


@click.command()
@click.argument("old", type=click.Path())
@click.argument("new", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows listed per kind in Markdown.")
def diff(old: str, new: str, fmt: str, limit: int) -> None:
    """Compare two package or release folders: tables, columns, and rows added, removed and changed."""
    import json

    from c5data.releasing.diff import DiffError, render_markdown
    from c5data.releasing.diff import diff as run

    try:
        result = run(old, new)
    except DiffError as exc:
        fail("diff", exc, EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"## {old} ({result.old_version}) → {new} ({result.new_version})\n")
        click.echo(render_markdown(result, limit=limit).rstrip("\n"))


@click.command()
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--version", "version", default=None, help="Version to release (default: the one the changes demand).")
@click.option("--previous", type=click.Path(file_okay=False), default=None, help="Folder of the previous release (default: the highest vX.Y.Z git tag).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Release folder (default: release/).")
@click.option("--dry-run", is_flag=True, help="Only say which version the changes demand; write nothing.")
@click.option("--allow-dirty", is_flag=True, help="Release although the package has uncommitted changes (they are then in no commit).")
def release(path: str, version: str | None, previous: str | None, out: str | None, dry_run: bool, allow_dirty: bool) -> None:
    """Propose or check the next version, write CHANGELOG.md and changes.json, and build.

    A removed or renamed table, column or id is major (a minor bump before 1.0.0), added rows or columns
    minor, corrections patch. A version that is lower, already released or
    smaller than the change demands is refused (exit 1).
    """
    from c5data.building.builder import BuildError, InvalidPackage
    from c5data.diplomacy.site import SiteError
    from c5data.releasing.versioning import ReleaseError
    from c5data.releasing.versioning import release as run
    from c5data.validation.report import render_text

    try:
        outcome = run(path, version, previous=previous, out=out, dry_run=dry_run, allow_dirty=allow_dirty)
    except ReleaseError as exc:
        fail("release", exc, exc.exit_code)
    except InvalidPackage as exc:
        click.echo(render_text(exc.report, limit=50), err=True)
        fail("release", exc, exc.exit_code)
    except (BuildError, SiteError) as exc:
        fail("release", exc, exc.exit_code)
    except OSError as exc:  # a file that cannot be read or written is a usage problem, with its path
        fail("release", f"{exc.filename or path}: {exc.strerror or exc}", EXIT_USAGE)
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


@click.command()
@click.option("--to", "dest", default=None, help="Destination folder or fsspec URL (default: dist/ in the current folder; URLs need c5data[publish]).")
@click.option("--release", "release_dir", type=click.Path(file_okay=False), default="release", show_default=True, help="The built release to publish.")
@quiet_option
def publish(dest: str | None, release_dir: str, quiet: bool) -> None:
    """Copy a built release to DEST as releases/<version>/, update releases.json and latest; never overwrite."""
    from c5data.releasing.publishing import DEFAULT_DEST, PublishError
    from c5data.releasing.publishing import publish as run

    try:
        result = run(release_dir, dest or DEFAULT_DEST, on_step=step_printer(quiet))
    except PublishError as exc:
        fail("publish", exc, exc.exit_code)
    except OSError as exc:
        fail("publish", exc, EXIT_USAGE)
    click.echo(f"published {result.version} to {result.url} ({result.files} files, checked); latest is {result.latest}")


@click.command()
@click.argument("path", type=click.Path())
def verify(path: str) -> None:
    """Check a downloaded release folder against its SHA256SUMS and datapackage.json hashes."""
    from c5data.releasing.publishing import PublishError
    from c5data.releasing.publishing import verify as run

    try:
        result = run(path)
    except PublishError as exc:
        fail("verify", exc, exc.exit_code)
    for problem in result.problems:
        click.echo(f"{path}: {problem}", err=True)
    if not result.ok:
        fail("verify", f"{len(result.problems)} problem(s) in {result.checked} file(s)", EXIT_INVALID)
    click.echo(f"{path}: ok, {result.checked} files match SHA256SUMS and datapackage.json; Parquet and DuckDB hold the CSVs' rows")


COMMANDS += [diff, release, publish, verify]
