"""Atomic writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_TEMPORARY = re.compile(r"^\..+\.(\d+)-[^.]*\.tmp$")  # `.<name>.<pid>-<random>.tmp`, as write_bytes names them


def default_mode(directory: bool = False) -> int:
    """The mode a plain `open()` or `mkdir()` would give under the current umask (0644/0755 usually)."""
    mask = os.umask(0)
    os.umask(mask)
    return (0o777 if directory else 0o666) & ~mask


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` through a temporary sibling renamed into place, with the umask's usual mode."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), default_mode())  # mkstemp makes the file private; a release file is meant to be read
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """`write_bytes` of UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


def is_temporary(name: str) -> bool:
    """True for the name of a temporary sibling `write_bytes` makes (never a file of the package or release)."""
    return _TEMPORARY.match(name) is not None


def sweep_temporaries(folder: str | os.PathLike[str]) -> None:
    """Remove the temporaries of `write_bytes` in `folder` left by processes that died (killed mid-write)."""
    from c5data.files.staging import pid_alive

    root = Path(folder)
    if not root.is_dir():
        return
    for path in root.iterdir():
        m = _TEMPORARY.match(path.name)
        if m and path.is_file() and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
            path.unlink(missing_ok=True)
