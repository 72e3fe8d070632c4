"""Containment: every path the toolkit derives must stay inside the folder it belongs to."""

from __future__ import annotations

from pathlib import Path


def inside(child: Path, parent: Path) -> bool:
    """True when `child` is `parent` or lies under it, after resolving symlinks and `..`."""
    child, parent = Path(child).resolve(), Path(parent).resolve()
    return child == parent or parent in child.parents


def not_a_regular_file(path: Path) -> str | None:
    """Why `path` cannot be read as a data file (a FIFO would block forever, a device never ends), or None."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None  # reported as missing by the reader
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a pipe, socket or device); refused without reading it"
    return None


def check_replaceable(out: Path, protected: Path, protected_name: str, is_ours: bool, what: str) -> str | None:
    """Why the folder `out` may not be replaced as a whole (None when it may).

    It must not be or contain `protected` (the input), must be a folder if it
    exists, and when not empty must be something we wrote before (`is_ours`).
    """
    if inside(protected, out):
        return f"{out}: the output folder must not be or contain {protected_name} ({protected})"
    if out.exists():
        if not out.is_dir():
            return f"{out}: exists and is not a folder"
        if any(out.iterdir()) and not is_ours:
            return f"{out}: exists and is not {what}; refusing to replace it"
    return None


def published_in(folder: Path) -> Path | None:
    """The publishing destination `folder` lies in (`<dest>/releases/<version>/…` beside `<dest>/releases.json`), or None.

    A published version is never rewritten: `build`, `site` and `release` refuse such a folder.
    """
    for parent in Path(folder).resolve().parents:
        if parent.name == "releases" and (parent.parent / "releases.json").is_file():
            return parent.parent
    return None
