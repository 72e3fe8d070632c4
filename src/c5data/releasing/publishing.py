"""Publish a built release to a folder or an fsspec URL, and verify a release against its checksums.

Layout at the destination:

    releases/<version>/...   every file of the release, never overwritten
    releases.json            the index: every published version, newest first, and `latest`
    latest                   a one-line text file naming the latest version (a pointer that works on object stores)

The version folder is written first and read back and checked against
SHA256SUMS; only then are the index and the pointer updated, so a reader of
releases.json never finds a version that is not complete. Locally the
version folder appears by one rename. `latest` only moves forward: publishing
an older patch later leaves it alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data.files.hashing import SUMS, declared_mismatches, file_sha256, parse_sums, release_files

INDEX = "releases.json"
LATEST = "latest"
DEFAULT_DEST = "dist"


class PublishError(Exception):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Verification:
    path: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)  # missing or differing files: the release is not as built
    extra: list[str] = field(default_factory=list)  # files SHA256SUMS does not list (e.g. a site generated later): reported, not failed

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(path: str | os.PathLike) -> Verification:
    """Check every file against SHA256SUMS, every resource against its datapackage.json bytes and hash.

    Files that SHA256SUMS does not list are reported in `extra` without
    failing the check; `publish` copies only the listed files.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise PublishError(f"{path}: no such folder", exit_code=2)
    if not (folder / SUMS).is_file():
        raise PublishError(f"{path}: no {SUMS}: not a c5data release", exit_code=2)
    result = Verification(str(path))
    sums = parse_sums((folder / SUMS).read_text(encoding="utf-8"))
    for rel, digest in sorted(sums.items()):
        file = folder / rel
        result.checked += 1
        if not file.is_file():
            result.problems.append(f"{rel}: listed in {SUMS} but missing")
        elif file_sha256(file) != digest:
            result.problems.append(f"{rel}: sha256 differs from {SUMS}")
    result.extra = [rel for rel in release_files(folder) if rel not in sums]
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        result.problems.append("datapackage.json: missing")
        return result
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources", [])
    except (json.JSONDecodeError, AttributeError) as exc:
        result.problems.append(f"datapackage.json: not a JSON object ({exc})")
        return result
    for res in resources:
        declared = res.get("path") if isinstance(res, dict) else None
        if not isinstance(declared, str):
            continue
        rel = declared
        file = folder / rel
        if not file.is_file():
            result.problems.append(f"{rel}: declared in datapackage.json but missing")
            continue
        data = file.read_bytes()
        for _, message in declared_mismatches(data, res.get("bytes"), res.get("hash")):
            result.problems.append(f"{rel}: {message.replace('descriptor declares', 'datapackage.json declares')}")
    return result


class _Local:
    """A destination folder on this machine."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.url = str(root)

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def write(self, rel: str, data: bytes) -> None:
        from c5data.files.atomic import write_bytes

        write_bytes(self.root / rel, data)

    def put_folder(self, source: Path, files: list[str], rel: str) -> None:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
        try:
            for f in files:
                (staging / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / f, staging / f)
            os.chmod(staging, 0o755)
            if target.exists():
                raise PublishError(f"{self.url}/{rel} appeared while publishing; not overwritten")
            os.rename(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def remove(self, rel: str) -> None:
        shutil.rmtree(self.root / rel, ignore_errors=True)


class _Fsspec:
    """Any fsspec URL (s3://, gcs://, memory://, …); needs the `publish` extra."""

    def __init__(self, url: str):
        try:
            import fsspec
        except ImportError as exc:
            raise PublishError(f"{url}: publishing to a URL needs fsspec: pip install 'c5data[publish]'", exit_code=2) from exc
        self.fs, self.base = fsspec.core.url_to_fs(url)
        self.url = url.rstrip("/")

    def _p(self, rel: str) -> str:
        return f"{self.base.rstrip('/')}/{rel}"

    def exists(self, rel: str) -> bool:
        return self.fs.exists(self._p(rel))

    def read(self, rel: str) -> bytes:
        with self.fs.open(self._p(rel), "rb") as fh:
            return fh.read()

    def write(self, rel: str, data: bytes) -> None:
        parent = self._p(rel).rsplit("/", 1)[0]
        self.fs.makedirs(parent, exist_ok=True)
        with self.fs.open(self._p(rel), "wb") as fh:
            fh.write(data)

    def put_folder(self, source: Path, files: list[str], rel: str) -> None:
        for f in files:
            self.write(f"{rel}/{f}", (source / f).read_bytes())

    def remove(self, rel: str) -> None:
        if self.fs.exists(self._p(rel)):
            self.fs.rm(self._p(rel), recursive=True)


def destination(to: str | os.PathLike) -> _Local | _Fsspec:
    text = str(to)
    if "://" in text and not text.startswith("file://"):
        return _Fsspec(text)
    return _Local(text[len("file://") :] if text.startswith("file://") else text)


def _version_key(version: str) -> tuple:
    from c5data.releasing.versioning import parse_version

    return parse_version(version) or (-1, -1, -1)


@dataclass
class Publication:
    version: str
    url: str
    files: int
    latest: str


def publish(release_dir: str | os.PathLike, to: str | os.PathLike, *, on_step: Callable[[str, float], None] | None = None) -> Publication:
    """Copy the release at `release_dir` to `to` as releases/<version>/, check it, then update the index and `latest`."""
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        if on_step is not None:
            on_step(name, time.perf_counter() - clock)
        clock = time.perf_counter()

    source = Path(release_dir)
    check = verify(source)
    step("verify release")
    if not check.ok:
        raise PublishError(f"{release_dir}: the release does not verify: " + "; ".join(check.problems))
    meta = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    version = meta.get("version")
    if not isinstance(version, str) or not version:
        raise PublishError(f"{release_dir}: datapackage.json has no version", exit_code=2)
    dest = destination(to)
    rel = f"releases/{version}"
    index: dict[str, Any] = json.loads(dest.read(INDEX)) if dest.exists(INDEX) else {"latest": None, "releases": []}
    if dest.exists(rel) or any(r.get("version") == version for r in index.get("releases", [])):
        raise PublishError(f"{dest.url}/{rel}: version {version} is already published; a published version is never overwritten")
    files = [SUMS] + sorted(parse_sums((source / SUMS).read_text(encoding="utf-8")))
    dest.put_folder(source, files, rel)
    step(f"copy {len(files)} files")
    expected = {**parse_sums((source / SUMS).read_text(encoding="utf-8")), SUMS: file_sha256(source / SUMS)}
    bad = [f for f in files if hashlib.sha256(dest.read(f"{rel}/{f}")).hexdigest() != expected[f]]
    if bad:
        dest.remove(rel)
        raise PublishError(f"{dest.url}/{rel}: copies differ from the release after copying: {', '.join(bad)}; removed")
    step("check copies")
    entry = {"version": version, "created": meta.get("created"), "path": f"{rel}/", "files": len(files), "sha256sums": file_sha256(source / SUMS)}
    releases = [r for r in index.get("releases", []) if r.get("version") != version] + [entry]
    releases.sort(key=lambda r: _version_key(str(r.get("version"))), reverse=True)
    latest = index.get("latest")
    if latest is None or _version_key(version) > _version_key(str(latest)):
        latest = version
    dest.write(INDEX, (json.dumps({"latest": latest, "releases": releases}, indent=2) + "\n").encode("utf-8"))
    if latest == version:
        dest.write(LATEST, f"{version}\n".encode())
    step("update index")
    return Publication(version, f"{dest.url}/{rel}", len(files), latest)
