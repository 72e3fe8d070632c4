"""One lock per release folder, held by every command that writes it (`build`, `site`, `release`).

The lock is an advisory `flock` on the folder's parent directory itself, so it
creates no file (nothing for git to see) and the kernel drops it when the
process dies, even by SIGKILL. It is re-entrant within a thread: `release`
holds it around the build it runs. Two threads of one process exclude each
other as two processes do (each takes the lock through its own descriptor).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_local = threading.local()  # `held`: the resolved parents whose lock this thread holds


def _held() -> set[str]:
    if not hasattr(_local, "held"):
        _local.held = set()
    held: set[str] = _local.held
    return held


@contextmanager
def release_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the exclusive lock of the release folder `folder` (waiting for another command to finish with it)."""
    import fcntl

    parent = Path(folder).resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    key = str(parent)
    if key in _held():  # an outer block of this thread holds it
        yield
        return
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held().add(key)
        try:
            yield
        finally:
            _held().discard(key)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
