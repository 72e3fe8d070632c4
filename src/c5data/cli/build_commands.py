"""`c5data build` and `c5data site`: what a maintainer runs to make a release folder."""

from __future__ import annotations

from pathlib import Path

import click

from c5data.cli import EXIT_USAGE, fail, quiet_option, step_printer

COMMANDS: list[click.Command] = []


@click.command()
@click.argument("path", required=False, default=".", type=click.Path(file_okay=True, dir_okay=True))
@click.option(
    "--out", type=click.Path(file_okay=False), default=None, help="Release folder to write (default: release/ in the package folder). Replaced as a whole, atomically."
)
@click.option("--strict", is_flag=True, help="Refuse to build on validation warnings too.")
@quiet_option
def build(path: str, out: str | None, strict: bool, quiet: bool) -> None:
    """Validate the package at PATH, then build its release: CSV, Parquet, DuckDB, zip, codebook, site, SHA256SUMS.

    Invalid data is refused (exit 1) and nothing is written. Two builds of the
    same commit are byte-identical (time from SOURCE_DATE_EPOCH or the last commit).
    """
    from c5data.building.builder import BuildError, InvalidPackage
    from c5data.diplomacy.site import SiteError
    from c5data.pipeline import build as run
    from c5data.validation.report import render_text

    try:
        result = run(path, out, strict=strict, on_step=step_printer(quiet))
    except InvalidPackage as exc:
        click.echo(render_text(exc.report, limit=50, strict=strict), err=True)
        fail("build", exc, exc.exit_code)
    except (BuildError, SiteError) as exc:
        fail("build", exc, exc.exit_code)
    except OSError as exc:
        fail("build", exc, EXIT_USAGE)
    note = "" if result.notes.get("duckdb_reproducible", True) else " (DuckDB file not byte-reproducible on this platform)"
    if result.notes.get("site"):
        note += f" ({result.notes['site']})"
    click.echo(f"built {result.out}: version {result.version}, {len(result.files)} files, {sum(result.report.row_counts.values())} rows, {result.seconds:.1f}s{note}")


@click.command("site")
@click.option("--release", "release_dir", type=click.Path(file_okay=False), default="release", show_default=True, help="The built release to make the site of.")
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Folder to write the site to (default: site/ inside the release). Replaced as a whole."
)
@quiet_option
def site(release_dir: str, out_dir: str | None, quiet: bool) -> None:
    """Generate the static release site (timeline, pledges, meeting pages, codebook, downloads) from a built release.

    The pages open from disk (file://) or any static host: no script, no
    network, relative links only.
    """
    from c5data.diplomacy.site import DEFAULT_DIRNAME, SiteError, generate

    try:
        files = generate(release_dir, out_dir, on_step=step_printer(quiet))
    except SiteError as exc:
        fail("site", exc, exc.exit_code)
    except OSError as exc:
        fail("site", exc, EXIT_USAGE)
    out = Path(out_dir) if out_dir is not None else Path(release_dir) / DEFAULT_DIRNAME
    pages = sum(1 for f in files if f.suffix == ".html")
    click.echo(f"wrote {out}: {pages} pages, {len(files)} files; open {out / 'index.html'}")


COMMANDS += [build, site]
