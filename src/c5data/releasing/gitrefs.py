"""A package as it was at a git ref (tag, branch, commit), read with `git archive` into a temporary folder."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class RefError(Exception):
    """A git ref cannot be read (exit code 2)."""

    exit_code = 2


def git(root: Path, *args: str, binary: bool = False) -> Any:
    """The output of `git -C root ARGS` (bytes with `binary`), or None when git fails or is missing."""
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def is_ref(root: Path, ref: str) -> bool:
    """Whether `ref` names a commit of the repository holding `root`."""
    return not ref.startswith("-") and git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is not None


@contextmanager
def checkout(root: Path, ref: str) -> Iterator[Path]:
    """The package folder `root` as it was at `ref`, extracted into a temporary folder removed afterwards."""
    prefix = (git(root, "rev-parse", "--show-prefix") or "").strip()
    top = Path((git(root, "rev-parse", "--show-toplevel") or str(root)).strip())
    data = git(top, "archive", "--format=tar", f"{ref}:{prefix}" if prefix else ref, binary=True)
    if data is None:
        raise RefError(f"cannot read git ref {ref} with `git archive`")
    folder = Path(tempfile.mkdtemp(prefix="c5data-previous-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(folder, filter="data")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def package_at(spec: str, root: Path | None = None) -> Iterator[Path]:
    """`spec` as a folder: an existing path as it is, else a git ref of the repository at `root` (default: here)."""
    if Path(spec).exists():
        yield Path(spec)
        return
    where = root or Path.cwd()
    if not is_ref(where, spec):
        raise RefError(f"{spec}: neither a package or release folder nor a git ref (tag, branch or commit) of {where}")
    with checkout(where, spec) as folder:
        yield folder
