"""`c5data diff`, `release`, `publish` and `verify`: versions, what changed, and where a release goes."""

from __future__ import annotations

import click

from c5data.cli import EXIT_INVALID, EXIT_USAGE, fail, quiet_option, step_printer
from c5data.cli.convention import command, echo_json, format_option, path_argument

COMMANDS: list[click.Command] = []


@command(exit_codes={0: "compared (whether or not anything changed)", 2: "usage error: OLD or NEW is neither a folder nor a git ref, or cannot be read"})
@click.argument("old")
@click.argument("new", required=False, default=".")
@format_option("markdown", help="text (= markdown): the changes as Markdown lists; json: every changed row.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Rows listed per kind in the text format.")
def diff(old: str, new: str, fmt: str, limit: int) -> None:
    """Compare two versions of the package: tables, columns, and rows added, removed, changed and renamed.

    OLD and NEW are package or release folders, or git refs of the repository in the current folder
    (`c5data diff v0.2.0 .`, `c5data diff main HEAD`); NEW defaults to the current folder.
    """
    from contextlib import ExitStack

    from c5data.releasing.diff import DiffError, render_markdown
    from c5data.releasing.diff import diff as run
    from c5data.releasing.gitrefs import RefError, package_at

    try:
        with ExitStack() as stack:
            result = run(stack.enter_context(package_at(old)), stack.enter_context(package_at(new)))
    except (DiffError, RefError) as exc:
        fail("diff", exc, EXIT_USAGE)
    if fmt == "json":
        data = result.to_dict()
        for side, spec in (("old", old), ("new", new)):  # a git ref is named as given, not by its temporary checkout
            if isinstance(data.get(side), dict):
                data[side]["path"] = spec
        echo_json(data)
    else:
        click.echo(f"## {old} ({result.old_version}) → {new} ({result.new_version})\n")
        click.echo(render_markdown(result, limit=limit).rstrip("\n"))


@command(exit_codes={0: "released (or, with --dry-run, planned)", 1: "refused: invalid data, or a version lower, reused or smaller than the change demands"})
@path_argument()
@format_option()
@click.option("--version", "version", default=None, help="Version to release (default: the one the changes demand).")
@click.option(
    "--previous",
    type=click.Path(file_okay=False, exists=True),
    default=None,
    help="Folder of the previous release. Default: the highest vX.Y.Z git tag; without tags, the newest CHANGELOG.md version, "
    "from dist/releases/<version> when published there, else from the git commit that added its heading.",
)
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Release folder (default: release/).")
@click.option("--dry-run", is_flag=True, help="Only say which version the changes demand; write nothing.")
@click.option("--allow-dirty", is_flag=True, help="Release although the package has uncommitted changes (they are then in no commit).")
def release(path: str, fmt: str, version: str | None, previous: str | None, out: str | None, dry_run: bool, allow_dirty: bool) -> None:
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
    if fmt == "json":
        echo_json(
            {
                "previous_version": plan.previous_version,
                "previous_source": plan.previous_source,
                "level": plan.level,
                "proposed": plan.proposed,
                "version": outcome.version,
                "reasons": plan.diff.reasons() if plan.diff is not None else [],
                "dry_run": dry_run,
                "written": [] if dry_run else list(outcome.written),
                "out": None if dry_run else str(outcome.build.out),
            }
        )
        return
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


@command(exit_codes={0: "published and checked", 1: "refused: the release does not verify, or its version is already published"})
@path_argument("release", deprecated=("--release",), name="release_dir")
@format_option()
@click.option("--to", "dest", default=None, help="Destination folder or fsspec URL (default: dist/ in the current folder; URLs need c5data[publish]).")
@quiet_option
def publish(release_dir: str, fmt: str, dest: str | None, quiet: bool) -> None:
    """Copy the built release at RELEASE_DIR (default: release/) to DEST as releases/<version>/, update releases.json and latest; never overwrite."""
    from c5data.releasing.publishing import DEFAULT_DEST, PublishError
    from c5data.releasing.publishing import publish as run

    try:
        result = run(release_dir, dest or DEFAULT_DEST, on_step=step_printer(quiet))
    except PublishError as exc:
        fail("publish", exc, exc.exit_code)
    except OSError as exc:
        fail("publish", exc, EXIT_USAGE)
    if fmt == "json":
        echo_json({"version": result.version, "url": result.url, "files": result.files, "latest": result.latest})
        return
    click.echo(f"published {result.version} to {result.url} ({result.files} files, checked); latest is {result.latest}")


@command(exit_codes={0: "every file matches", 1: "a file is missing, extra or differs"})
@path_argument(None)
@format_option()
def verify(path: str, fmt: str) -> None:
    """Check the downloaded release folder at PATH against its SHA256SUMS and datapackage.json hashes."""
    from c5data.releasing.publishing import PublishError
    from c5data.releasing.publishing import verify as run

    try:
        result = run(path)
    except PublishError as exc:
        fail("verify", exc, exc.exit_code)
    if fmt == "json":
        echo_json({"path": path, "ok": result.ok, "checked": result.checked, "problems": list(result.problems)})
        raise SystemExit(0 if result.ok else EXIT_INVALID)
    for problem in result.problems:
        click.echo(f"{path}: {problem}", err=True)
    if not result.ok:
        fail("verify", f"{len(result.problems)} problem(s) in {result.checked} file(s)", EXIT_INVALID)
    click.echo(f"{path}: ok, {result.checked} files match SHA256SUMS and datapackage.json; Parquet and DuckDB hold the CSVs' rows")


@command(
    exit_codes={
        0: "written (or, with --check, they agree)",
        1: "with --check: a citation file disagrees with datapackage.json",
        2: "usage error: no CHANGELOG.md date for the version, or a file cannot be read",
    }
)
@path_argument()
@format_option()
@click.option("--check", is_flag=True, help="Only say whether CITATION.cff and .zenodo.json agree with datapackage.json; write nothing.")
@click.option("--create", is_flag=True, help="Write both files even where the package has none yet.")
def citation(path: str, fmt: str, check: bool, create: bool) -> None:
    """Make CITATION.cff and .zenodo.json from datapackage.json (version, title, authors, licence, home page) and the
    version's date in CHANGELOG.md; `c5data release` does this for every new version."""
    from c5data.reading.descriptor import locate
    from c5data.releasing import citation as cite

    root = locate(path).parent
    try:
        if check:
            problems = cite.check(root)
        else:
            written = cite.write(root, create=create)
    except cite.CitationError as exc:
        fail("citation", exc, exc.exit_code)
    except OSError as exc:
        fail("citation", f"{exc.filename or path}: {exc.strerror or exc}", EXIT_USAGE)
    if check:
        if fmt == "json":
            echo_json({"path": str(root), "ok": not problems, "problems": problems})
        for problem in problems if fmt == "text" else []:
            click.echo(problem, err=True)
        if problems:
            raise SystemExit(EXIT_INVALID)
        if fmt == "text":
            click.echo(f"{root}: the citation files agree with datapackage.json")
        return
    if fmt == "json":
        echo_json({"path": str(root), "written": [str(w) for w in written]})
    else:
        click.echo(f"wrote {', '.join(w.name for w in written)}" if written else f"{root}: the citation files were already up to date")


COMMANDS += [diff, release, publish, verify, citation]
