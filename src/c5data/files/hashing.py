"""File hashes, the declared `bytes`/`hash` of a resource, and the SHA256SUMS format (`sha256sum -c`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

SUMS = "SHA256SUMS"


def stream_sha256(fh: IO[bytes]) -> str:
    """Hex sha256 of what a binary stream holds, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    with open(path, "rb") as fh:
        return stream_sha256(fh)


#: Algorithms a declared `hash` may name: fixed-length digests (shake_* need a length the standard cannot give).
HASH_ALGORITHMS = frozenset(a for a in hashlib.algorithms_guaranteed if not a.startswith("shake_"))


def declared_mismatches(data: bytes, declared_bytes: object, declared_hash: object) -> list[tuple[str, str]]:
    """(code, message) for each of a descriptor's `bytes` and `hash` that the data does not match.

    `hash` is `algorithm:hex` or bare hex (md5, as the Data Package standard says).
    """
    return _mismatches([data], declared_bytes, declared_hash)


def declared_file_mismatches(files: list[Path], declared_bytes: object, declared_hash: object) -> list[tuple[str, str]]:
    """`declared_mismatches` of the files' bytes one after the other (a multi-part resource), read in chunks."""

    def chunks() -> Iterator[bytes]:
        for file in files:
            with open(file, "rb") as fh:
                yield from iter(lambda: fh.read(1 << 20), b"")

    return _mismatches(chunks(), declared_bytes, declared_hash)


def _mismatches(chunks: Iterable[bytes], declared_bytes: object, declared_hash: object) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    algo = ""
    digest = ""
    if isinstance(declared_hash, str) and declared_hash:
        algo, _, digest = declared_hash.rpartition(":")
        algo = (algo or "md5").lower()
        if algo not in HASH_ALGORITHMS:
            out.append(("resource-error", f"unknown hash algorithm {algo!r}; expected one of {', '.join(sorted(HASH_ALGORITHMS))}"))
            algo = ""
    hasher = hashlib.new(algo) if algo else None
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if hasher is not None:
            hasher.update(chunk)
    if isinstance(declared_bytes, int) and not isinstance(declared_bytes, bool) and declared_bytes != size:
        out.append(("byte-count", f"file has {size} bytes, descriptor declares {declared_bytes}"))
    if hasher is not None and hasher.hexdigest() != digest.lower():
        out.append(("hash-count", f"{algo} is {hasher.hexdigest()}, descriptor declares {digest}"))
    return out


def release_files(folder: Path) -> list[str]:
    """Every file under `folder` except SHA256SUMS, as sorted posix paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SUMS)


def render_sums(folder: Path) -> str:
    """SHA256SUMS text for every file under `folder`."""
    return format_sums({rel: file_sha256(folder / rel) for rel in release_files(folder)})


def format_sums(sums: dict[str, str]) -> str:
    """SHA256SUMS text of path -> hex digest, sorted by path."""
    return "".join(f"{sums[rel]}  {rel}\n" for rel in sorted(sums))


def parse_sums(text: str) -> dict[str, str]:
    """path -> hex digest from SHA256SUMS text (binary-mode `*` markers accepted)."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        out[rel.lstrip(" *")] = digest.lower()
    return out
