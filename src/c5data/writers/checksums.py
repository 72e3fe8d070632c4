"""SHA256SUMS: the sha256 of every other file of the release, in `sha256sum -c` format, sorted by path."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .context import BuildContext

NAME = "checksums"
FILE = "SHA256SUMS"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(folder: Path) -> list[str]:
    """Every file under `folder` except SHA256SUMS, as sorted posix paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != FILE)


def render(folder: Path) -> str:
    return "".join(f"{file_sha256(folder / rel)}  {rel}\n" for rel in release_files(folder))


def parse(text: str) -> dict[str, str]:
    """path -> hex digest from SHA256SUMS text (binary-mode `*` markers accepted)."""
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        digest, _, rel = line.partition(" ")
        out[rel.lstrip(" *")] = digest.lower()
    return out


def write(ctx: BuildContext) -> list[str]:
    return [ctx.write(FILE, render(ctx.out).encode("utf-8"))]
