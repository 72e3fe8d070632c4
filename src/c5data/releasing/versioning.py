"""Cut a release: diff against the previous one, pick the SemVer the change demands, write the changelog, build.

The previous release is `--previous` (a package or release folder) or else
the highest `vX.Y.Z` git tag, read with `git archive`. The version rules are
the Data Package version recipe (see `c5data.releasing.diff`): a removed or renamed
table, column or id is major, added rows or columns minor, corrections patch.
A version lower than the previous, already released (a git tag or a
CHANGELOG.md heading), or smaller than the change demands is refused.

`release` writes the new version into datapackage.json, a CHANGELOG.md entry
and changes.json (both at the package root, to be committed), and the citation
files the package keeps (CITATION.cff, .zenodo.json) with the new version and
date, then builds; if the build fails none of them is changed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data import versions
from c5data.building.builder import DEFAULT_OUT
from c5data.files.atomic import write_text
from c5data.reading.changelog import HEADING
from c5data.reading.descriptor import locate
from c5data.releasing import citation
from c5data.releasing.gitrefs import RefError, checkout, git
from c5data.versions import bump

CHANGELOG = "CHANGELOG.md"
CHANGES = "changes.json"
SHIPPED = (CHANGELOG, CHANGES, citation.CFF)  # what the release folder carries of the files `release` writes
CHANGELOG_HEAD = (
    "# Changelog\n\nChanges to the data, newest first. Each entry is written by `c5data release` from the "
    "diff against the previous release; versions follow the Data Package version recipe (SemVer).\n"
)


class ReleaseError(Exception):
    """The release is refused (exit code 1) or cannot be prepared (exit code 2)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def parse_version(text: str | None) -> Any:
    """The semantic version `text` names (`semver.Version`, pre-releases included); None if it names none."""
    return versions.parse(text) if text is not None and versions.is_version(text) else None


_git = git


def git_tags(root: Path) -> dict[str, str]:
    """version -> tag for every tag named vX.Y.Z or X.Y.Z."""
    out = {}
    for tag in (_git(root, "tag", "--list") or "").split():
        version = versions.parse(tag)
        if version is not None:
            out[str(version)] = tag
    return out


def changelog_versions(root: Path) -> list[str]:
    """Versions that have a heading in the changelog, in the order written."""
    file = root / CHANGELOG
    found = HEADING.findall(file.read_text(encoding="utf-8")) if file.is_file() else []
    return [v for v in found if versions.is_version(v)]


def released_versions(root: Path) -> set[str]:
    """Every version already released, by git tag or changelog heading, so none is reused."""
    return set(git_tags(root)) | set(changelog_versions(root))


@contextmanager
def _checkout(root: Path, tag: str) -> Iterator[Path]:
    """The package folder as it was at `tag` (see gitrefs.checkout), a release error when git cannot read it."""
    try:
        with checkout(root, tag) as folder:
            yield folder
    except RefError as exc:
        raise ReleaseError(str(exc), exit_code=2) from exc


@contextmanager
def previous_release(root: Path, previous: str | os.PathLike[str] | None = None) -> Iterator[tuple[Path, str, str] | None]:
    """(folder, version, where from) of the release to compare with, or None for a first release."""
    if previous is not None:
        folder = Path(previous)
        if not locate(folder).is_file():
            raise ReleaseError(f"{previous}: no datapackage.json: not a package or release folder", exit_code=2)
        version = json.loads(locate(folder).read_text(encoding="utf-8")).get("version")
        yield folder, str(version), str(previous)
        return
    tags = git_tags(root)
    if tags:
        version = max(tags, key=versions.key)
        with _checkout(root, tags[version]) as folder:
            yield folder, version, f"git tag {tags[version]}"
        return
    recorded = sorted(changelog_versions(root), key=versions.key)
    if not recorded:
        yield None
        return
    version = recorded[-1]
    published = root / PUBLISHED / version
    if locate(published).is_file():
        yield published, version, f"published {PUBLISHED}/{version}"
        return
    commit = _changelog_commit(root, version)
    if commit is None:
        raise ReleaseError(
            f"{CHANGELOG} records {version}, but there is no git tag v{version}, no {PUBLISHED}/{version} folder and no git commit that added it: "
            f"pass --previous with a package or release folder of {version}",
            exit_code=2,
        )
    with _checkout(root, commit) as folder:
        yield folder, version, f"commit {commit[:12]}, which recorded {version} in {CHANGELOG}"


PUBLISHED = "dist/releases"  # where `c5data publish` puts each version by default


def _changelog_commit(root: Path, version: str) -> str | None:
    """The commit that added `version`'s heading to the changelog (the release commit, when there are no tags)."""
    text = (root / CHANGELOG).read_text(encoding="utf-8")
    heading = next((m.group(0).rstrip() for m in HEADING.finditer(text) if m.group(1) == version), None)
    if heading is None:
        return None
    found = (_git(root, "log", "--format=%H", "-S", heading, "--", CHANGELOG) or "").split()
    return found[-1] if found else None  # oldest first: the commit that added the heading


@dataclass
class ReleasePlan:
    current_version: str  # datapackage.json's version now
    previous_version: str | None
    previous_source: str | None
    level: str  # what the change demands: none, patch, minor, major (or "initial")
    minimum: str | None  # the smallest acceptable version
    proposed: str
    released: list[str] = field(default_factory=list)
    diff: Any = None  # c5data.releasing.diff.PackageDiff, None for a first release

    def problems(self, version: str) -> list[str]:
        """Why `version` cannot be released (empty when it can)."""
        if parse_version(version) is None:
            return [f"{version!r} is not a Semantic Version (X.Y.Z, optionally with a pre-release such as 1.0.0-rc.1)"]
        out = []
        if version in self.released:
            out.append(f"{version} is already released")
        chosen = parse_version(version)
        previous = parse_version(self.previous_version or "")
        minimum = parse_version(self.minimum or "")
        if previous and chosen < previous:
            out.append(f"{version} is lower than the previous release {self.previous_version}")
        elif minimum and chosen < minimum and version not in self.released:
            out.append(f"{version} is smaller than the change demands: a {self.level} change after {self.previous_version} needs at least {self.minimum}")
        return out


def plan_release(path: str | os.PathLike[str] | None = None, previous: str | os.PathLike[str] | None = None) -> ReleasePlan:
    """Compare with the previous release and propose the next version (writes nothing)."""
    from c5data.releasing.diff import DiffError, diff

    root = locate(path).parent
    if not locate(path).is_file():
        raise ReleaseError(f"{path or '.'}: no datapackage.json", exit_code=2)
    current = json.loads(locate(path).read_text(encoding="utf-8")).get("version") or "0.0.0"
    released = sorted(released_versions(root), key=versions.key)
    with previous_release(root, previous) as found:
        if found is None:
            proposed = current if parse_version(current) and current not in released else bump(current, "patch")
            return ReleasePlan(current, None, None, "initial", None, proposed, released)
        folder, prev_version, source = found
        try:
            changes = diff(folder, root)
        except DiffError as exc:
            raise ReleaseError(str(exc), exit_code=2) from exc
    if parse_version(prev_version) is None:
        raise ReleaseError(f"the previous release's version {prev_version!r} is not a Semantic Version", exit_code=2)
    level = changes.level
    minimum = bump(prev_version, level)
    released = sorted(set(released) | {prev_version}, key=versions.key)
    return ReleasePlan(current, prev_version, source, level, minimum, minimum, released, changes)


def _set_version(descriptor_text: str, version: str) -> str:
    """datapackage.json with `version` replaced, its formatting kept where the key is found at the top level."""
    data = json.loads(descriptor_text)
    pattern = re.compile(r'^(\s{0,4}"version"\s*:\s*)"[^"]*"', re.MULTILINE)
    candidate = pattern.sub(lambda m: f'{m[1]}"{version}"', descriptor_text, count=1)
    try:
        parsed = json.loads(candidate)
    except json.JSONDecodeError:
        parsed = None
    if parsed == {**data, "version": version} and "version" in data:
        return candidate
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key != "version":
            out[key] = value
        if key == "name":
            out["version"] = version
    out.setdefault("version", version)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def release_date() -> str:
    """Today's date in UTC, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return when.date().isoformat()


def changelog_entry(plan: ReleasePlan, version: str, date: str, rows: dict[str, int]) -> str:
    """The changelog section of a new release: its row counts if first, else what changed since the previous one."""
    from c5data.releasing.diff import render_markdown

    lines = [f"## [{version}] - {date}", ""]
    if plan.diff is None:
        total = sum(rows.values())
        lines += [f"First release: {len(rows)} tables, {total} rows ({', '.join(f'{name} {n}' for name, n in rows.items())}).", ""]
    else:
        lines += [f"Compared with {plan.previous_version}.", "", render_markdown(plan.diff, heading="###").rstrip("\n"), ""]
    return "\n".join(lines) + "\n"


def updated_changelog(existing: str | None, entry: str) -> str:
    """The changelog text with a new entry inserted above the newest existing one."""
    text = existing if existing and existing.strip() else CHANGELOG_HEAD
    m = re.search(r"^## ", text, re.MULTILINE)
    if m:
        return text[: m.start()] + entry + "\n" + text[m.start() :]
    return text.rstrip("\n") + "\n\n" + entry


def changes_document(plan: ReleasePlan, version: str, date: str, rows: dict[str, int]) -> dict[str, Any]:
    """The machine-readable summary of a release's changes, written beside the changelog."""
    doc: dict[str, Any] = {"version": version, "previous_version": plan.previous_version, "date": date, "level": plan.level, "rows": rows}
    if plan.diff is not None:
        d = plan.diff.to_dict()
        doc.update(reasons=d["reasons"], tables_added=d["tables_added"], tables_removed=d["tables_removed"], tables=d["tables"])
    return doc


@dataclass
class ReleaseOutcome:
    plan: ReleasePlan
    version: str
    written: list[str]
    build: Any = None  # c5data.building.builder.BuildResult; None on a dry run


def uncommitted_changes(root: Path) -> list[str]:
    """Files of the package that differ from the last commit (empty outside a git repository)."""
    text = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if not text:
        return []
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()  # status names files from the repository's top
    paths = [line[3:].strip('"') for line in text.splitlines() if line.strip()]
    paths = [p[len(prefix) :] if prefix and p.startswith(prefix) else p for p in paths]
    return [p for p in paths if not p.startswith(DEFAULT_OUT + "/") and not _debris(p)]


def _debris(path: str) -> bool:
    """A staging folder or temporary file the toolkit itself makes (left by a killed command): never a change."""
    from c5data.files.atomic import is_temporary
    from c5data.files.staging import is_staging

    return any(is_staging(part) for part in path.split("/")[:-1]) or is_temporary(path.rsplit("/", 1)[-1]) or is_staging(path.split("/", 1)[0])


def _half_done(root: Path, version: str) -> bool:
    """A previous `release` of `version` died after writing CHANGELOG.md but before datapackage.json: redo it."""
    versions = changelog_versions(root)
    descriptor = root / "datapackage.json"
    try:
        current = json.loads(descriptor.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        current = None
    return bool(versions) and versions[0] == version and current != version and version not in git_tags(root)


def _without_entry(changelog: str | None, version: str) -> str | None:
    """The changelog without the entry of `version` (left by an interrupted release)."""
    if not changelog:
        return changelog
    m = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n", changelog, re.MULTILINE)
    if not m:
        return changelog
    nxt = re.search(r"^## ", changelog[m.end() :], re.MULTILINE)
    end = m.end() + nxt.start() if nxt else len(changelog)
    return changelog[: m.start()] + changelog[end:]


def release(
    path: str | os.PathLike[str] | None = None,
    version: str | None = None,
    *,
    previous: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    allow_dirty: bool = False,
) -> ReleaseOutcome:
    """Check the version against the change, build the release, then write version, CHANGELOG.md and changes.json.

    The release is built first (with the new version and changelog inside it); the package's own files change only
    once the build succeeded, datapackage.json last, so a release killed midway changes nothing or is redone by the
    next run. A tree with uncommitted changes is refused unless `allow_dirty`: the release would ship edits that no
    commit records, stamped with the last commit's time. The toolkit's own staging folders and temporaries (left by
    a killed command) are not changes, and neither are the CHANGELOG.md and changes.json a killed release wrote.
    """
    from c5data.files.locking import release_lock

    root = locate(path).parent
    with release_lock(Path(out) if out is not None else root / DEFAULT_OUT):  # no build or site of it meanwhile
        return _release(root, path, version, previous, out, dry_run, allow_dirty)


def _release(
    root: Path,
    path: str | os.PathLike[str] | None,
    version: str | None,
    previous: str | os.PathLike[str] | None,
    out: str | os.PathLike[str] | None,
    dry_run: bool,
    allow_dirty: bool,
) -> ReleaseOutcome:
    from c5data.building.builder import InvalidPackage
    from c5data.files.atomic import sweep_temporaries
    from c5data.pipeline import build
    from c5data.validation.validator import validate

    if not dry_run:
        sweep_temporaries(root)
    dirty = [] if allow_dirty or dry_run else uncommitted_changes(root)
    logged = changelog_versions(root)
    if dirty and set(dirty) <= {CHANGELOG, CHANGES, *citation.FILES} and logged and _half_done(root, logged[0]):
        dirty = []  # what a killed release of that version wrote before the version itself: this run redoes it
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ReleaseError(f"{root}: uncommitted changes ({shown}); commit them first, or pass --allow-dirty", exit_code=2)
    plan = plan_release(path, previous)
    chosen = version or plan.proposed
    recovering = _half_done(root, chosen)
    if recovering:
        plan.released = [v for v in plan.released if v != chosen]
    problems = plan.problems(chosen)
    if problems:
        raise ReleaseError("; ".join(problems), exit_code=2 if parse_version(chosen) is None else 1)
    report = validate(path)
    if report.exit_code() != 0:
        raise InvalidPackage(report)
    if dry_run:
        return ReleaseOutcome(plan, chosen, [])
    files = {"datapackage.json": root / "datapackage.json", CHANGELOG: root / CHANGELOG, CHANGES: root / CHANGES}
    saved = {name: (f.read_text(encoding="utf-8") if f.is_file() else None) for name, f in files.items()}
    rows = dict(report.row_counts)
    date = release_date()
    previous_log = _without_entry(saved[CHANGELOG], chosen) if recovering else saved[CHANGELOG]
    texts = {
        CHANGELOG: updated_changelog(previous_log, changelog_entry(plan, chosen, date, rows)),
        CHANGES: json.dumps(changes_document(plan, chosen, date, rows), indent=2, ensure_ascii=False) + "\n",
        "datapackage.json": _set_version(saved["datapackage.json"] or "{}", chosen),
    }
    # the citation files the package keeps (CITATION.cff, .zenodo.json) name the new version and date
    cited = citation.expected(root, json.loads(texts["datapackage.json"]), date)
    texts.update(cited)
    files.update({name: root / name for name in cited})
    extra = {name: texts[name].encode("utf-8") for name in (CHANGELOG, CHANGES, *cited) if name in SHIPPED}
    result = build(path, out, report=report, version=chosen, extra_files=extra)
    for name in (CHANGELOG, CHANGES, *cited, "datapackage.json"):  # the version last: until it changes, a re-run redoes the release
        write_text(files[name], texts[name])
    return ReleaseOutcome(plan, chosen, list(files), result)
