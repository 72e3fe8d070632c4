"""Write the site of a release into a folder, replaced as a whole: the entry point of the site stage."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from c5data.diplomacy.site.model import GENERATOR, SiteError
from c5data.files.paths import check_replaceable, inside
from c5data.progress import Stages

if TYPE_CHECKING:
    from c5data.reading.descriptor import Package
    from c5data.reading.tables import Table

DEFAULT_DIRNAME = "site"


def _is_site(folder: Path) -> bool:
    index = folder / "index.html"
    text = index.read_text(encoding="utf-8", errors="replace") if index.is_file() else ""
    return f'<meta name="generator" content="{GENERATOR}">' in text


def generate(
    release_dir: str | os.PathLike,
    out_dir: str | os.PathLike | None = None,
    *,
    package: Package | None = None,
    tables: dict[str, Table] | None = None,
    on_step: Callable[[str, float], None] | None = None,
) -> list[Path]:
    """Write the site of the release at `release_dir` into `out_dir` (default: `<release_dir>/site`).

    The folder is replaced as a whole (a previous site is swapped out in one
    rename; a folder that is not a c5data site is refused). A site written
    inside a finished release is added to its SHA256SUMS. `package` and
    `tables` are the release's, already read (the build passes them, so no
    CSV is read twice). Returns the files written, sorted. Raises SiteError
    when the release cannot be read or the output folder cannot be used.
    """
    from c5data.diplomacy.site.model import read_release
    from c5data.diplomacy.site.render import render_site
    from c5data.files.staging import staged_folder

    release = Path(release_dir)
    out = Path(out_dir) if out_dir is not None else release / DEFAULT_DIRNAME
    if not release.is_dir():
        raise SiteError(f"{release_dir}: no such release folder; build one first (c5data build)")
    problem = check_replaceable(out, release, "the release folder", _is_site(out), "a c5data site (no index.html made by `c5data site`)")
    if problem:
        raise SiteError(problem)
    step = Stages(on_step)

    data = read_release(release, out, package=package, tables=tables)
    step("read release")
    written: set[str] = set()
    with staged_folder(out) as staging:

        def emit(rel: str, content: bytes) -> None:  # each page written as it is rendered, none held back
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.add(rel)

        render_site(data, out, emit)
    _update_checksums(release, out)
    step(f"render and write {len(written)} files")
    return sorted(out / rel for rel in written)


def _update_checksums(release: Path, out: Path) -> None:
    """A site written into a finished release joins its SHA256SUMS, so `c5data verify` still passes.

    During a build SHA256SUMS does not exist yet and the build's own
    checksums writer, which runs last, covers the site.
    """
    from c5data.files.atomic import write_bytes
    from c5data.files.hashing import SUMS, render_sums

    if inside(out, release) and (release / SUMS).is_file():
        write_bytes(release / SUMS, render_sums(release).encode("utf-8"))
