"""Write the site of a release into a folder, replaced as a whole: the entry point of the site stage."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from c5data.diplomacy.site.model import GENERATOR, SiteError
from c5data.files.paths import check_replaceable, inside, published_in
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
    release_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
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
    from c5data.files.locking import release_lock

    release = Path(release_dir)
    if not release.is_dir():
        raise SiteError(f"{release_dir}: no such release folder; build one first (c5data build)")
    with release_lock(release):  # a build of this release waits, and so does another site
        return _generate(release, out_dir, package, tables, on_step)


def _generate(
    release: Path,
    out_dir: str | os.PathLike[str] | None,
    package: Package | None,
    tables: dict[str, Table] | None,
    on_step: Callable[[str, float], None] | None,
) -> list[Path]:
    from c5data.diplomacy.site.model import read_release
    from c5data.diplomacy.site.render import render_site
    from c5data.files.staging import staged_folder

    out = Path(out_dir) if out_dir is not None else release / DEFAULT_DIRNAME
    for folder in (release, out):
        published = published_in(folder)
        if published is not None:
            raise SiteError(f"{folder}: lies inside the published releases of {published}; a published version is never rewritten")
    problem = check_replaceable(out, release, "the release folder", _is_site(out), "a c5data site (no index.html made by `c5data site`)")
    if problem:
        raise SiteError(problem)
    step = Stages(on_step)

    sums = _checked_sums(release, out)
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
    if sums is not None:
        _update_checksums(release, out, sums)
    step(f"render and write {len(written)} files")
    return sorted(out / rel for rel in written)


def _checked_sums(release: Path, out: Path) -> dict[str, str] | None:
    """The SHA256SUMS of a finished release the site is written into, once every file it lists outside the site
    matches and no file outside the site is unlisted (None: no such list to join, as during a build).

    The site only adds its own files to the list: a file planted in the release, or one changed since the build,
    is refused rather than hashed into the list, so `c5data verify` keeps catching it.
    """
    from c5data.files.hashing import SUMS, file_sha256, parse_sums, release_files

    if not (inside(out, release) and (release / SUMS).is_file()):
        return None
    site = out.resolve().relative_to(release.resolve()).as_posix() + "/"
    sums = {rel: digest for rel, digest in parse_sums((release / SUMS).read_text(encoding="utf-8", errors="replace")).items() if not rel.startswith(site)}

    def differs(rel: str, digest: str) -> bool:
        return not inside(release / rel, release) or not (release / rel).is_file() or file_sha256(release / rel) != digest

    problems = [rel for rel, digest in sorted(sums.items()) if differs(rel, digest)]
    problems += [f"{rel} (not listed)" for rel in release_files(release) if not rel.startswith(site) and rel not in sums]
    if problems:
        shown = ", ".join(problems[:5]) + (f" and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise SiteError(f"{release}: does not match its {SUMS} ({shown}); rebuild it (c5data build) rather than add a site to it")
    return sums


def _update_checksums(release: Path, out: Path, sums: dict[str, str]) -> None:
    """A site written into a finished release joins its SHA256SUMS (the rest of the list as checked before), so
    `c5data verify` still passes. During a build SHA256SUMS does not exist yet and the build's own checksums writer,
    which runs last, covers the site."""
    from c5data.files.atomic import write_bytes
    from c5data.files.hashing import SUMS, file_sha256, format_sums

    for file in sorted(out.rglob("*")):
        if file.is_file():
            sums[file.relative_to(release).as_posix()] = file_sha256(file)
    write_bytes(release / SUMS, format_sums(sums).encode("utf-8"))
