"""Semantic Versions, in one place: what a version is (the descriptor's `version`, a git tag, a published folder),
how two compare and what the next one is.

Recognising a version is the regular expression semver.org gives, so reading a
descriptor needs no import; ordering and bumping use the `semver` library,
whose precedence rules for pre-releases (`1.0.0-rc.1` < `1.0.0`) are easy to
get wrong by hand.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import semver

#: semver.org's regular expression for a Semantic Version 2.0.0 (major.minor.patch, optional pre-release and build).
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def is_version(text: object) -> bool:
    """Whether `text` is a Semantic Version (no leading `v`)."""
    return isinstance(text, str) and SEMVER.match(text) is not None


def parse(text: object) -> semver.Version | None:
    """The version `text` names (a leading `v`, as in git tags, allowed); None if it names none."""
    import semver

    if not isinstance(text, str):
        return None
    bare = text[1:] if text[:1] in ("v", "V") else text
    return semver.Version.parse(bare) if SEMVER.match(bare) else None


def bump(version: str, level: str) -> str:
    """The next version after `version` for a change of `level` (major, minor or patch).

    Before 1.0.0 a breaking change bumps the minor version (SemVer's 0.y.z);
    after a pre-release, the next version is the release it leads to
    (`1.0.0-rc.1` + patch = `1.0.0`). Anything not a version counts as 0.0.0.
    """
    import semver

    current = parse(version) or semver.Version(0, 0, 0)
    if level == "major" and current.major == 0:
        level = "minor"
    return str(current.next_version(part={"major": "major", "minor": "minor"}.get(level, "patch")))


def key(version: object) -> tuple[int, semver.Version | str]:
    """A sort key ordering versions by SemVer precedence, with anything that is not a version first (by its text)."""
    parsed = parse(version)
    return (0, str(version)) if parsed is None else (1, parsed)
