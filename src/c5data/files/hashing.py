"""File hashes, the declared `bytes`/`hash` of a resource, and the SHA256SUMS format (`sha256sum -c`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

SUMS = "SHA256SUMS"


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def declared_mismatches(data: bytes, declared_bytes: object, declared_hash: object) -> list[tuple[str, str]]:
    """(code, message) for each of a descriptor's `bytes` and `hash` that the data does not match.

    `hash` is `algorithm:hex` or bare hex (md5, as the Data Package standard says).
    """
    out: list[tuple[str, str]] = []
    if isinstance(declared_bytes, int) and not isinstance(declared_bytes, bool) and declared_bytes != len(data):
        out.append(("byte-count", f"file has {len(data)} bytes, descriptor declares {declared_bytes}"))
    if isinstance(declared_hash, str) and declared_hash:
        algo, _, digest = declared_hash.rpartition(":")
        algo = algo or "md5"
        try:
            actual = hashlib.new(algo, data).hexdigest()
        except ValueError:
            out.append(("resource-error", f"unknown hash algorithm {algo!r}"))
        else:
            if actual != digest.lower():
                out.append(("hash-count", f"{algo} is {actual}, descriptor declares {digest}"))
    return out


def release_files(folder: Path) -> list[str]:
    """Every file under `folder` except SHA256SUMS, as sorted posix paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != SUMS)


def render_sums(folder: Path) -> str:
    """SHA256SUMS text for every file under `folder`."""
    return "".join(f"{file_sha256(folder / rel)}  {rel}\n" for rel in release_files(folder))


def parse_sums(text: str) -> dict[str, str]:
    """path -> hex digest from SHA256SUMS text (binary-mode `*` markers accepted)."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        out[rel.lstrip(" *")] = digest.lower()
    return out
