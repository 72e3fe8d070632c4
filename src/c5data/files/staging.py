"""Replace a whole folder atomically: readers see the old release or the new one, never a mix.

The new folder is written as a hidden sibling (`.<name>.partial-<pid>-<random>`)
and swapped into place by one rename. On Linux the swap is a single
renameat2(RENAME_EXCHANGE); elsewhere the old folder is renamed aside first,
and a build that dies between the two renames is repaired by the next one
(`sweep` puts the old folder back). A failure inside the block removes the
partial folder; a process killed outright (SIGKILL, power loss) leaves it
behind, hidden, and the next build removes it once its process is gone.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from c5data.files.atomic import default_mode

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def partial_prefix(target: Path) -> str:
    """Name prefix of the hidden sibling a new folder is written in, so stale ones can be found and removed."""
    return f".{target.name}.partial-"


def old_prefix(target: Path) -> str:
    """Name prefix of the hidden sibling the old folder is moved to, so an interrupted swap can be repaired."""
    return f".{target.name}.old-"


def pid_alive(pid: int) -> bool:
    """Whether a process `pid` still runs (a staging folder or temporary named after it is then not debris)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_of(folder: Path, prefix: str) -> int | None:
    rest = folder.name[len(prefix) :]
    head = rest.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def sweep(target: Path) -> None:
    """Remove leftovers of dead builds next to `target`; restore `target` if a build died mid-swap."""
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(p for p in parent.iterdir() if p.name.startswith(old_prefix(target)) and p.is_dir())
    if not target.exists() and olds:
        os.rename(olds[-1], target)
        olds = olds[:-1]
    for folder in olds:
        shutil.rmtree(folder, ignore_errors=True)
    for folder in parent.iterdir():
        if folder.name.startswith(partial_prefix(target)) and folder.is_dir():
            pid = _pid_of(folder, partial_prefix(target))
            if pid is None or (pid != os.getpid() and not pid_alive(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def swap_into_place(new: Path, target: Path) -> None:
    """Make `new` become `target`; the previous `target` is deleted afterwards."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous release
        return
    aside = Path(tempfile.mkdtemp(prefix=f"{old_prefix(target)}{os.getpid()}-", dir=target.parent))
    aside.rmdir()
    os.rename(target, aside)
    os.rename(new, target)
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty hidden sibling of `target`; on success it replaces `target`, on error it disappears."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target)
    partial = Path(tempfile.mkdtemp(prefix=f"{partial_prefix(target)}{os.getpid()}-", dir=target.parent))
    os.chmod(partial, default_mode(directory=True))  # mkdtemp makes it private; a release is meant to be read
    try:
        yield partial
        swap_into_place(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def is_staging(name: str) -> bool:
    """True for the name of a hidden sibling `staged_folder` or `swap_into_place` makes (`.<name>.partial-…`, `.<name>.old-…`)."""
    return name.startswith(".") and (".partial-" in name or ".old-" in name)
