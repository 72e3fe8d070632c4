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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data.files.atomic import sweep_temporaries
from c5data.files.hashing import SUMS, declared_mismatches, file_sha256, parse_sums, release_files, stream_sha256
from c5data.files.paths import inside
from c5data.files.staging import partial_prefix, sweep
from c5data.progress import Stages
from c5data.versions import SEMVER
from c5data.versions import key as version_key

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
    extra: list[str] = field(default_factory=list)  # files SHA256SUMS does not list: each is also a problem

    @property
    def ok(self) -> bool:
        return not self.problems


def _listed_inside(folder: Path, rel: str) -> bool:
    """A SHA256SUMS entry must name a file inside the release, never `../` or an absolute path."""
    return bool(rel) and not Path(rel).is_absolute() and ".." not in Path(rel).parts and inside(folder / rel, folder)


def _fingerprint(con: Any, relation: str) -> tuple[int, int]:
    """Row count and an order-independent hash of every row's values (the same for CSV, Parquet and DuckDB copies)."""
    row = con.execute(f"SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {relation} t").fetchall()[0]
    return int(row[0]), int(row[1])


def cross_check(folder: Path) -> list[str]:
    """The Parquet files and the DuckDB database hold exactly the rows of the CSVs (so an edited CSV whose hashes were
    fixed up is still caught)."""
    import duckdb

    from c5data.building.arrow import to_arrow
    from c5data.building.sql import ident, literal
    from c5data.building.writers.duckdb_database import FILE as DATABASE
    from c5data.building.writers.parquet_files import path_of
    from c5data.reading.descriptor import load_package
    from c5data.reading.tables import TableError, read_tables

    package, findings = load_package(folder)
    if package is None:
        return [f"datapackage.json: {f.message}" for f in findings]
    try:
        tables = read_tables(package)
    except TableError as exc:
        return [str(exc)]
    problems = []
    con = duckdb.connect(":memory:")
    try:
        database = folder / DATABASE
        if database.is_file():
            con.execute(f"ATTACH {literal(str(database))} AS release (READ_ONLY)")
        for name, table in tables.items():
            con.register("csv_rows", to_arrow(table))
            expected = _fingerprint(con, "csv_rows")
            con.unregister("csv_rows")
            parquet = folder / path_of(name)
            if parquet.is_file() and _fingerprint(con, f"read_parquet({literal(str(parquet))})") != expected:
                problems.append(f"{path_of(name)}: its rows differ from {table.resource.path}")
            if database.is_file():
                try:
                    if _fingerprint(con, f"release.{ident(name)}") != expected:
                        problems.append(f"{DATABASE}: table {name} differs from {table.resource.path}")
                except duckdb.Error:
                    problems.append(f"{DATABASE}: table {name} is missing")
    except duckdb.Error as exc:
        problems.append(f"the derived files cannot be read: {exc}")
    finally:
        con.close()
    return problems


def verify(path: str | os.PathLike[str]) -> Verification:
    """Check a release: SHA256SUMS lists every file and each matches, the descriptor's bytes and hashes match, the
    Parquet and DuckDB copies hold the CSVs' rows, and the zip holds the release's own files.

    A file the release holds but SHA256SUMS does not list is a problem (it was added or its line removed), as is a
    listed path that leaves the release folder, an empty SHA256SUMS, or a derived table that differs from its CSV.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise PublishError(f"{path}: no such folder", exit_code=2)
    if not (folder / SUMS).is_file():
        raise PublishError(f"{path}: no {SUMS}: not a c5data release", exit_code=2)
    result = Verification(str(path))
    try:
        sums = parse_sums((folder / SUMS).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        result.problems.append(f"{SUMS}: not UTF-8 text")
        return result
    if not sums:
        result.problems.append(f"{SUMS}: lists no files")
    for rel, digest in sorted(sums.items()):
        if not _listed_inside(folder, rel):
            result.problems.append(f"{rel}: listed in {SUMS} but outside the release folder")
            continue
        file = folder / rel
        result.checked += 1
        if not file.is_file():
            result.problems.append(f"{rel}: listed in {SUMS} but missing")
        elif file_sha256(file) != digest:
            result.problems.append(f"{rel}: sha256 differs from {SUMS}")
    result.extra = [rel for rel in release_files(folder) if rel not in sums]
    result.problems += [f"{rel}: in the release but not listed in {SUMS} (added, or its line removed)" for rel in result.extra]
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        result.problems.append("datapackage.json: missing")
        return result
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
        result.problems.append(f"datapackage.json: not a JSON object ({exc})")
        return result
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        result.problems.append("datapackage.json: `resources` is not a list of objects")
        return result
    for res in resources:
        declared = res.get("path")
        if not isinstance(declared, str) or not _listed_inside(folder, declared):
            result.problems.append(f"datapackage.json: resource {res.get('name')!r} has no path inside the release")
            continue
        rel = declared
        file = folder / rel
        if not file.is_file():
            result.problems.append(f"{rel}: declared in datapackage.json but missing")
            continue
        data = file.read_bytes()
        for _, message in declared_mismatches(data, res.get("bytes"), res.get("hash")):
            result.problems.append(f"{rel}: {message.replace('descriptor declares', 'datapackage.json declares')}")
    if not result.problems:
        result.problems += cross_check(folder)
    for rel in sorted(sums):
        if rel.endswith(".zip") and "/" not in rel and (folder / rel).is_file():
            result.problems += _zip_problems(folder, rel, [r.get("path") for r in resources], sums)
    return result


def _zip_problems(folder: Path, rel: str, data_paths: list[Any], sums: dict[str, str]) -> list[str]:
    """The release's zip holds the very files of the release: each member byte for byte the release's file of that
    path, and every data file of the descriptor among them (a zip rebuilt with other CSVs, its hash fixed up in
    SHA256SUMS, is caught). A member whose size differs is not read; the others are hashed in chunks and compared with
    the digests `sums` lists (each already checked against its file)."""
    import zipfile

    problems = []
    try:
        with zipfile.ZipFile(folder / rel) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            names = {m.filename for m in members}
            for member in members:
                name = member.filename
                if not _listed_inside(folder, name) or not (folder / name).is_file():
                    problems.append(f"{rel}: holds {name}, which the release does not")
                    continue
                expected = folder / name
                if member.file_size != expected.stat().st_size:
                    problems.append(f"{rel}: its {name} differs from the release's {name}")
                    continue
                with archive.open(member) as fh:  # its size is the file's, so the stream stops there
                    differs = stream_sha256(fh) != (sums.get(name) or file_sha256(expected))
                if differs:
                    problems.append(f"{rel}: its {name} differs from the release's {name}")
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError, EOFError) as exc:
        return [f"{rel}: not a readable zip archive ({exc})"]
    problems += [f"{rel}: lacks {path}, a data file of the release" for path in data_paths if isinstance(path, str) and path not in names]
    return problems


class _Local:
    """A destination folder on this machine."""

    def __init__(self, root: str | os.PathLike[str]):
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
        staging = Path(tempfile.mkdtemp(prefix=f"{partial_prefix(target)}{os.getpid()}-", dir=target.parent))
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

    def sweep(self, rel: str) -> None:
        """Remove what publishes killed midway left here: partial version folders and temporary index files."""
        sweep(self.root / rel)
        sweep_temporaries(self.root)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock on the destination (a lock file beside releases.json), held while the index changes."""
        import fcntl

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".publish.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class _Fsspec:
    """Any fsspec URL (s3://, gcs://, memory://, …); needs the `publish` extra."""

    def __init__(self, url: str):
        try:
            import fsspec
        except ImportError as exc:
            raise PublishError(f"{url}: publishing to a URL needs fsspec: pip install 'c5data[publish]'", exit_code=2) from exc
        try:
            self.fs, self.base = fsspec.core.url_to_fs(url)
        except (ValueError, ImportError) as exc:  # unknown protocol, or its driver not installed
            raise PublishError(f"{url}: cannot publish there: {exc}", exit_code=2) from exc
        self.url = url.rstrip("/")

    def _p(self, rel: str) -> str:
        return f"{self.base.rstrip('/')}/{rel}"

    def exists(self, rel: str) -> bool:
        return bool(self.fs.exists(self._p(rel)))

    def read(self, rel: str) -> bytes:
        with self.fs.open(self._p(rel), "rb") as fh:
            data: bytes = fh.read()
        return data

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

    def sweep(self, rel: str) -> None:
        """Nothing to sweep: an object store gets no staging folder (a half-copied version is redone by the next run)."""

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Object stores have no lock: publish one version at a time there (the release workflow does)."""
        yield


def destination(to: str | os.PathLike[str]) -> _Local | _Fsspec:
    """The place to publish to: a local folder (plain path or file://) or an fsspec URL."""
    text = str(to)
    if "://" in text and not text.startswith("file://"):
        return _Fsspec(text)
    return _Local(text[len("file://") :] if text.startswith("file://") else text)


@dataclass
class Publication:
    version: str
    url: str
    files: int
    latest: str


def _read_index(dest: _Local | _Fsspec) -> dict[str, Any]:
    """releases.json as written by `publish`, or an empty index; any other shape is refused, never guessed at."""
    if not dest.exists(INDEX):
        return {"latest": None, "releases": []}
    where = f"{dest.url}/{INDEX}"
    try:
        index: dict[str, Any] = json.loads(dest.read(INDEX))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PublishError(f"{where}: not JSON ({exc}); repair or remove it by hand", exit_code=2) from exc
    releases = index.get("releases") if isinstance(index, dict) else None
    latest = index.get("latest") if isinstance(index, dict) else None
    if (
        not isinstance(releases, list)
        or not all(isinstance(r, dict) and isinstance(r.get("version"), str) and SEMVER.match(r["version"]) for r in releases)
        or not (latest is None or (isinstance(latest, str) and any(r["version"] == latest for r in releases)))
        or len({r["version"] for r in releases}) != len(releases)
    ):
        raise PublishError(
            f'{where}: not a c5data index (expected {{"latest": <a listed version or null>, "releases": [{{"version": "X.Y.Z", ...}}, ...]}}, each version once); '
            "repair or remove it by hand",
            exit_code=2,
        )
    return index


def _bad_copies(dest: _Local | _Fsspec, rel: str, expected: dict[str, str]) -> list[str]:
    """The files of the version folder at `rel` that are missing or differ from `expected` (path -> sha256)."""
    bad = []
    for f, digest in expected.items():
        if not dest.exists(f"{rel}/{f}") or hashlib.sha256(dest.read(f"{rel}/{f}")).hexdigest() != digest:
            bad.append(f)
    return bad


def publish(release_dir: str | os.PathLike[str], to: str | os.PathLike[str], *, on_step: Callable[[str, float], None] | None = None) -> Publication:
    """Copy the release at `release_dir` to `to` as releases/<version>/, check it, then update the index and `latest`.

    A publish killed midway is finished by the next run of the same release: a version folder that holds this
    same release (same SHA256SUMS) but is not indexed yet is checked and indexed, or copied again when a file of
    it is missing or differs; a `latest` that disagrees with the index is rewritten. A different release under
    the same version is never overwritten.
    """
    step = Stages(on_step)

    source = Path(release_dir)
    check = verify(source)
    step("verify release")
    if not check.ok:
        raise PublishError(f"{release_dir}: the release does not verify: " + "; ".join(check.problems))
    meta = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    version = meta.get("version")
    if not isinstance(version, str) or not SEMVER.match(version):
        raise PublishError(f"{release_dir}: datapackage.json's version {version!r} is not a Semantic Version such as 0.2.0", exit_code=2)
    dest = destination(to)
    rel = f"releases/{version}"
    sums_digest = file_sha256(source / SUMS)
    expected = {**parse_sums((source / SUMS).read_text(encoding="utf-8")), SUMS: sums_digest}
    files = [SUMS] + sorted(f for f in expected if f != SUMS)
    with dest.lock():  # concurrent publishes of different versions each see the other's index entry
        dest.sweep(rel)
        index = _read_index(dest)
        listed = any(r.get("version") == version for r in index["releases"])
        there = dest.read(f"{rel}/{SUMS}") if dest.exists(f"{rel}/{SUMS}") else None
        same = there is not None and hashlib.sha256(there).hexdigest() == sums_digest
        if dest.exists(rel) and not same:
            raise PublishError(f"{dest.url}/{rel}: version {version} is already published; a published version is never overwritten")
        if listed and not dest.exists(rel):
            raise PublishError(f"{dest.url}/{INDEX} lists version {version} but {rel} is missing; repair the destination by hand", exit_code=2)
        if dest.exists(rel):
            bad = _bad_copies(dest, rel, expected)
            if bad and listed:
                differing = ", ".join(bad)
                raise PublishError(f"{dest.url}/{rel}: version {version} is already published and its copy differs from its SHA256SUMS ({differing}); not overwritten")
            if bad:  # an interrupted copy (an object store has no rename): nobody can rely on an unindexed folder
                dest.remove(rel)
        if not dest.exists(rel):
            dest.put_folder(source, files, rel)
            step(f"copy {len(files)} files")
            bad = _bad_copies(dest, rel, expected)
            if bad:
                dest.remove(rel)
                raise PublishError(f"{dest.url}/{rel}: copies differ from the release after copying: {', '.join(bad)}; removed")
            step("check copies")
        elif listed and _pointer(dest) == index.get("latest"):
            raise PublishError(f"{dest.url}/{rel}: version {version} is already published; a published version is never overwritten")
        releases = index["releases"]
        if not listed:
            entry = {"version": version, "created": meta.get("created"), "path": f"{rel}/", "files": len(files), "sha256sums": sums_digest}
            releases = sorted(releases + [entry], key=lambda r: version_key(str(r.get("version"))), reverse=True)
        latest = index.get("latest")
        if latest is None or version_key(version) > version_key(str(latest)):
            latest = version
        if not listed or latest != index.get("latest"):
            dest.write(INDEX, (json.dumps({"latest": latest, "releases": releases}, indent=2) + "\n").encode("utf-8"))
        if _pointer(dest) != latest:
            dest.write(LATEST, f"{latest}\n".encode())
        step("update index")
    return Publication(version, f"{dest.url}/{rel}", len(files), latest)


def _pointer(dest: _Local | _Fsspec) -> str | None:
    """The version `latest` names (None when absent or unreadable)."""
    if not dest.exists(LATEST):
        return None
    return dest.read(LATEST).decode("utf-8", errors="replace").strip() or None
