"""requirements/release.lock: the release job installs from it, so it must pin every runtime dependency, with hashes."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from releasekit import ROOT

LOCK = ROOT / "requirements" / "release.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins() -> dict[str, tuple[Version, list[str]]]:
    """name -> (pinned version, its hashes), read from the lock file."""
    out: dict[str, tuple[Version, list[str]]] = {}
    current = None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line)
        if m:
            current = canonicalize_name(m[1])
            out[current] = (Version(m[2]), [])
        elif current and "--hash=sha256:" in line:
            out[current][1].append(line.split("--hash=sha256:", 1)[1].strip(" \\"))
    return out


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_lock_pins_every_runtime_dependency_within_its_floor():
    locked = pins()
    for spec in pyproject()["project"]["dependencies"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} (pyproject.toml) is not in {LOCK.name}: refresh it (see README, Reproducible releases)"
        assert req.specifier.contains(locked[name][0], prereleases=True), f"{LOCK.name} pins {req.name}=={locked[name][0]}, outside {req}"


def test_lock_pins_the_build_backend():
    locked = pins()
    for spec in pyproject()["build-system"]["requires"]:
        req = Requirement(spec)
        assert canonicalize_name(req.name) in locked, f"{req.name} (build-system) is not in {LOCK.name}"
        assert req.specifier.contains(locked[canonicalize_name(req.name)][0])


def test_every_pin_has_hashes():
    locked = pins()
    assert len(locked) > 10
    for name, (_, hashes) in locked.items():
        assert hashes and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), f"{name} has no sha256 hash in {LOCK.name}"


def test_lock_is_refreshed_by_the_command_in_readme():
    command = LOCK.read_text(encoding="utf-8").splitlines()[1].lstrip("# ").strip()
    assert command.startswith("uv pip compile") and "--generate-hashes" in command
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
