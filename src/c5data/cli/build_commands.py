"""`c5data build` and `c5data site`: what a maintainer runs to make a release folder."""

from __future__ import annotations

from pathlib import Path

import click

from c5data.cli import EXIT_USAGE, fail, quiet_option, step_printer
from c5data.cli.convention import command, echo_json, format_option, path_argument

COMMANDS: list[click.Command] = []


@command(exit_codes={0: "built", 1: "invalid data: nothing written"})
@path_argument()
@format_option()
@click.option(
    "--out", type=click.Path(file_okay=False), default=None, help="Release folder to write (default: release/ in the package folder). Replaced as a whole, atomically."
)
@click.option("--strict", is_flag=True, help="Refuse to build on validation warnings too.")
@quiet_option
def build(path: str, fmt: str, out: str | None, strict: bool, quiet: bool) -> None:
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
    rows = sum(result.report.row_counts.values())
    if fmt == "json":
        echo_json(
            {"out": str(result.out), "version": result.version, "files": len(result.files), "rows": rows, "seconds": round(result.seconds, 2), "notes": result.notes}
        )
        return
    click.echo(f"built {result.out}: version {result.version}, {len(result.files)} files, {rows} rows, {result.seconds:.1f}s{note}")


@command("site", exit_codes={0: "site written", 1: "the release cannot be presented"})
@path_argument("release", deprecated=("--release",), name="release_dir")
@format_option()
@click.option(
    "--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Folder to write the site to (default: site/ inside the release). Replaced as a whole."
)
@quiet_option
def site(release_dir: str, fmt: str, out_dir: str | None, quiet: bool) -> None:
    """Generate the static site of the built release at RELEASE_DIR (default: release/): timeline, pledges, pages, codebook, downloads.

    The pages open from disk (file://) or any static host: relative links only and
    no network; a small script of its own adds filtering, sorting and search, and
    every page reads without it.
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
    if fmt == "json":
        echo_json({"out": str(out), "pages": pages, "files": len(files), "index": str(out / "index.html")})
        return
    click.echo(f"wrote {out}: {pages} pages, {len(files)} files; open {out / 'index.html'}")


COMMANDS += [build, site]
