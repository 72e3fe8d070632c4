"""The release site: static HTML pages generated from a built release, readable from disk or any static host.

    from c5data.site import generate
    files = generate("release", "release/site")   # -> list of the files written

Pages: a home page (what the package is, version, row counts, licence, how to
cite), a timeline of every meeting by series, the pledges counted once (no
components, no restatements) with their latest follow-up status, one page per
meeting, a codebook generated from the schemas, and the downloads with size
and sha256. Charts are inline SVG drawn here, each with a title, a
description and a data table. No script, no external resource, relative
links only; the same release always gives the same bytes (the only time
shown is the release's `created`).

The data is read through the release's datapackage.json with the package's
own readers (`c5data.tables.read_tables`), so types and vocabularies come
from the Table Schemas. Links to the release's files are relative to the
site folder, so keep the site inside the release (the default `site/`) or
next to it when hosting.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

DEFAULT_DIRNAME = "site"
GENERATOR = "c5data site"  # the <meta name="generator"> that marks a folder as a site this module may replace


class SiteError(Exception):
    """The release cannot be turned into a site, or the output folder cannot be used (exit code 2)."""

    exit_code = 2


__all__ = ["generate", "site_command", "SiteError", "DEFAULT_DIRNAME", "GENERATOR"]


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def _check_out(out: Path, release: Path) -> None:
    if _inside(release, out):
        raise SiteError(f"{out}: the site folder must not be or contain the release folder")
    if out.exists():
        if not out.is_dir():
            raise SiteError(f"{out}: exists and is not a folder")
        if any(out.iterdir()):
            index = out / "index.html"
            text = index.read_text(encoding="utf-8", errors="replace") if index.is_file() else ""
            if f'<meta name="generator" content="{GENERATOR}">' not in text:
                raise SiteError(f"{out}: exists and is not a c5data site (no index.html made by `c5data site`); "
                                "refusing to replace it")


def generate(release_dir: str | os.PathLike, out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write the site of the release at `release_dir` into `out_dir` (default: `<release_dir>/site`).

    The folder is replaced as a whole (a previous site is swapped out in one
    rename; a folder that is not a c5data site is refused). A site written
    inside a built release is added to its SHA256SUMS. Returns the files
    written, sorted. Raises SiteError when the release cannot be read or the
    output folder cannot be used.
    """
    from ..staging import staged_folder
    from .model import read_release
    from .render import render_site

    release = Path(release_dir)
    out = Path(out_dir) if out_dir is not None else release / DEFAULT_DIRNAME
    if not release.is_dir():
        raise SiteError(f"{release_dir}: no such release folder; build one first (c5data build)")
    _check_out(out, release)
    data = read_release(release, out)
    pages = render_site(data, out)
    with staged_folder(out) as staging:
        for rel, content in pages.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    _update_checksums(release, out)
    return sorted(out / rel for rel in pages)


def _update_checksums(release: Path, out: Path) -> None:
    """A site written into a finished release joins its SHA256SUMS, so `c5data verify` still passes.

    During a build (the `writer` module) SHA256SUMS does not exist yet and the
    build's own checksums writer covers the site.
    """
    from ..atomic import write_bytes
    from ..writers.checksums import FILE, render

    if _inside(out, release) and (release / FILE).is_file():
        write_bytes(release / FILE, render(release).encode("utf-8"))


@click.command("site")
@click.option("--release", "release_dir", type=click.Path(file_okay=False), default="release", show_default=True,
              help="The built release to make the site of.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder to write the site to (default: site/ inside the release). Replaced as a whole.")
def site_command(release_dir: str, out_dir: str | None) -> None:
    """Generate the static release site (timeline, pledges, meeting pages, codebook, downloads) from a built release.

    The pages open from disk (file://) or any static host: no script, no
    network, relative links only.
    """
    try:
        files = generate(release_dir, out_dir)
    except SiteError as exc:
        click.echo(f"c5data site: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"c5data site: {exc}", err=True)
        sys.exit(2)
    out = Path(out_dir) if out_dir is not None else Path(release_dir) / DEFAULT_DIRNAME
    pages = sum(1 for f in files if f.suffix == ".html")
    click.echo(f"wrote {out}: {pages} pages, {len(files)} files; open {out / 'index.html'}")
