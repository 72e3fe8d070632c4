"""Build a release folder: validate first, then run every writer into a staged folder swapped in by one rename.

Two builds of the same commit give the same bytes: the time stamped into the
release comes from SOURCE_DATE_EPOCH or the last git commit (never the
clock), rows are sorted by primary key, the zip is deterministic, and the
DuckDB file is written as `c5data.building.duckdb_file` explains.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c5data.files.paths import check_replaceable, published_in
from c5data.findings import Report
from c5data.progress import Stages
from c5data.reading.descriptor import Package, load_package, safe_path

if TYPE_CHECKING:
    from c5data.building.writers import Writer

DEFAULT_OUT = "release"
RELEASE_MARKERS = ("SHA256SUMS", "datapackage.json")
ROOT_EXTRAS = ("CHANGELOG.md", "changes.json", "coverage.md", "CITATION.cff")  # all but coverage.md written by `c5data release`; all shipped


class BuildError(Exception):
    """The build cannot start or finish (exit code 2 unless said otherwise)."""

    exit_code = 2


class InvalidPackage(BuildError):
    """Validation failed: nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{report.path}: the package is not valid ({report.error_count} error(s)); nothing was built")
        self.report = report
        self.exit_code = report.exit_code() or 1


@dataclass
class BuildResult:
    out: Path
    version: str
    created: str
    files: list[str]
    seconds: float
    report: Report
    notes: dict[str, Any] = field(default_factory=dict)


def _git_epoch(root: Path) -> int | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    text = proc.stdout.strip()
    return int(text) if proc.returncode == 0 and text.isdigit() else None


def _input_files(package: Package) -> list[Path]:
    files = [package.root / "datapackage.json"] + [file for r in package.resources for _, file in r.parts]
    for r in package.resources:
        declared = r.descriptor.get("schema")
        if isinstance(declared, str):
            file, _ = safe_path(package.root, declared)
            if file is not None:
                files.append(file)
    return files


MAX_EPOCH = 4354819198  # 2107-12-31T23:59:58Z: the last instant a zip entry can record (its years end at 1980 + 127)


def source_date_epoch(package: Package) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit's time, else the newest input file's mtime; refused past 2107,
    which the release's zip archive cannot record (before 1980 it is clamped to 1980 in the zip alone)."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        if not env.isdigit() or int(env) > MAX_EPOCH:
            raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, at most {MAX_EPOCH} (2107-12-31, zip's last date), got {env!r}")
        return int(env)
    epoch = _git_epoch(package.root)
    source = "the last commit's time"
    if epoch is None:
        epoch, source = max(int(f.stat().st_mtime) for f in _input_files(package) if f.exists()), "the newest input file's time"
    if epoch > MAX_EPOCH:
        raise BuildError(
            f"the build's time ({source}, {iso_utc(epoch)}) is after 2107, the last year a zip archive can record; "
            "set SOURCE_DATE_EPOCH to the time the release should carry"
        )
    return epoch


def iso_utc(epoch: int) -> str:
    """A Unix timestamp as an ISO 8601 UTC time, as the release's `created` writes it."""
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_out(out: Path, root: Path) -> None:
    published = published_in(out)  # dist/releases/<version>/ is published: never rebuilt in place
    if published is not None:
        raise BuildError(f"{out}: lies inside the published releases of {published}; a published version is never replaced")
    is_release = all((out / m).is_file() for m in RELEASE_MARKERS)
    problem = check_replaceable(out, root, "the package folder", is_release, "a c5data release (no SHA256SUMS and datapackage.json)")
    if problem:
        raise BuildError(problem)


def _stamp(folder: Path, epoch: int) -> None:
    """Give every file and folder the build's time, so copies and archives made from the release are stable too."""
    for p in sorted(folder.rglob("*"), reverse=True):
        os.utime(p, (epoch, epoch), follow_symlinks=False)
    os.utime(folder, (epoch, epoch))


def _label(writer: Writer) -> str:
    """A writer's name in progress lines: its module's name (`csv_files`), or its package's for a `writer` module (`site`)."""
    parts = getattr(writer, "__name__", type(writer).__name__).split(".")
    return parts[-2] if parts[-1] == "writer" and len(parts) > 1 else parts[-1]


Steps = Callable[[str, float], None]  # told each finished stage and its seconds (the CLI prints them)


def build(
    path: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    *,
    version: str | None = None,
    extra_files: dict[str, bytes] | None = None,
    strict: bool = False,
    report: Report | None = None,
    writers: Sequence[Writer] = (),
    on_step: Steps | None = None,
    check_staged: Callable[[Path], list[str]] | None = None,
) -> BuildResult:
    """Validate the package at `path` and write its release to `out` (default: `release/` in the package folder).

    The artifacts are written first, then `writers`, then those of the
    package's extensions (e.g. the site), then SHA256SUMS. CHANGELOG.md and changes.json at the package root, when
    present, are copied into the release; `extra_files` adds more. `report`
    is a validation report of this same package, to skip validating twice.
    `check_staged` looks at the finished staged release (e.g. `verify`) and
    returns its problems: any problem stops the build before the release
    replaces the old one.
    Raises InvalidPackage when validation fails (nothing is written) and
    BuildError when the package or the output folder cannot be used. The
    previous release at `out` stays untouched until the new one is complete.
    """
    from c5data.building.duckdb_file import DatabaseError
    from c5data.building.writers import ARTIFACTS, LAST, BuildContext
    from c5data.building.writers.context import OutsideRelease
    from c5data.extensions import for_package
    from c5data.files.locking import release_lock
    from c5data.files.staging import staged_folder
    from c5data.reading.csv_scan import Allowance, read_resource
    from c5data.reading.tables import TableError, read_tables
    from c5data.validation.validator import validate, validate_package

    started = time.perf_counter()
    step = Stages(on_step)

    package, problems = load_package(path)
    if package is None:
        raise InvalidPackage(report or validate(path))
    extension_writers = [w for ext in for_package(package) if ext.writers for w in ext.writers()]  # e.g. the site
    target = Path(out) if out is not None else package.root / DEFAULT_OUT
    _check_out(target, package.root)  # before the slower validation
    allowance = Allowance()
    raws = {r.name: read_resource(r, allowance) for r in package.resources}  # each CSV is read once, for checks and artifacts
    step("read")
    if report is None:
        report = validate_package(package, problems, raws)
        step("validate")
    if report.exit_code(strict) != 0:
        raise InvalidPackage(report)
    release_version = version or package.descriptor.get("version")
    if not isinstance(release_version, str) or not release_version:
        raise BuildError("datapackage.json has no `version`; set one (e.g. 0.1.0), or let `c5data release` choose it")
    try:
        tables = read_tables(package, raws)
    except TableError as exc:
        raise BuildError(str(exc)) from exc
    del raws  # the tables hold what the writers need; the raw text frames need not stay for the whole build
    epoch = source_date_epoch(package)
    extras = {name: (package.root / name).read_bytes() for name in ROOT_EXTRAS if (package.root / name).is_file()}
    extras.update(extra_files or {})
    with release_lock(target), staged_folder(target) as staging:
        ctx = BuildContext(package=package, tables=tables, out=staging, version=release_version, created=iso_utc(epoch), epoch=epoch, extra_files=extras)
        for writer in [*ARTIFACTS, *writers, *extension_writers, LAST]:
            try:
                writer.write(ctx)
            except DatabaseError as exc:
                if exc.io_error:  # disk full, permissions: the machine's problem, not the data's
                    raise BuildError(f"{staging}: DuckDB could not write the database file: {exc}") from exc
                error = BuildError(f"DuckDB refused the data: {exc}")
                error.exit_code = 1
                raise error from exc
            except OutsideRelease as exc:
                raise BuildError(str(exc)) from exc
            step(_label(writer))
        _stamp(staging, epoch)
        unverified = check_staged(staging) if check_staged else []
        if unverified:
            shown = "; ".join(unverified[:5]) + (f" (and {len(unverified) - 5} more)" if len(unverified) > 5 else "")
            raise BuildError(f"the release fails its own verification, so the previous one stays in place: {shown}; this is a bug in c5data")
        if check_staged:
            step("verify")
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    return BuildResult(out=target, version=release_version, created=iso_utc(epoch), files=files, seconds=time.perf_counter() - started, report=report, notes=ctx.notes)
