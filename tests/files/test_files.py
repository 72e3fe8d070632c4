"""File-system helpers: atomic writes keep the usual mode, containment, declared hashes, SHA256SUMS round trip."""

from __future__ import annotations

import hashlib
import os
import stat

from c5data.files.atomic import write_bytes, write_text
from c5data.files.hashing import declared_mismatches, parse_sums, render_sums
from c5data.files.paths import check_replaceable, inside
from c5data.files.staging import staged_folder


def test_atomic_writes_get_the_umask_mode_not_0600(tmp_path):
    old = os.umask(0o022)
    try:
        write_bytes(tmp_path / "releases.json", b"{}")
        write_text(tmp_path / "latest", "0.1.0\n")
        with staged_folder(tmp_path / "release") as staging:
            (staging / "x").write_text("x")
    finally:
        os.umask(old)
    for name in ("releases.json", "latest"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    assert stat.S_IMODE((tmp_path / "release").stat().st_mode) == 0o755
    assert (tmp_path / "latest").read_text() == "0.1.0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest", "release", "releases.json"]  # no temporary left


def test_inside_resolves_dot_dot_and_symlinks(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "link").symlink_to(tmp_path / "b")
    assert inside(tmp_path / "a" / "x", tmp_path / "a")
    assert not inside(tmp_path / "a" / ".." / "b", tmp_path / "a")
    assert not inside(tmp_path / "a" / "link" / "f", tmp_path / "a")


def test_check_replaceable(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.txt").write_text("x")
    assert "must not be or contain the package" in check_replaceable(tmp_path, tmp_path / "pkg", "the package", True, "ours")
    assert "is not ours" in check_replaceable(tmp_path / "mine", tmp_path / "pkg", "the package", False, "ours")
    assert check_replaceable(tmp_path / "mine", tmp_path / "pkg", "the package", True, "ours") is None
    assert check_replaceable(tmp_path / "new", tmp_path / "pkg", "the package", False, "ours") is None


def test_declared_bytes_and_hash():
    data = b"id\n1\n"
    assert declared_mismatches(data, len(data), "sha256:" + hashlib.sha256(data).hexdigest()) == []
    assert declared_mismatches(data, len(data), hashlib.md5(data).hexdigest()) == []  # bare hex is md5
    codes = [code for code, _ in declared_mismatches(data, 3, "sha256:00")]
    assert codes == ["byte-count", "hash-count"]
    assert declared_mismatches(data, None, "nope:00")[0][0] == "resource-error"


def test_sha256sums_round_trip(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("a\n")
    (tmp_path / "b.txt").write_text("b\n")
    sums = parse_sums(render_sums(tmp_path))
    assert sums == {"b.txt": hashlib.sha256(b"b\n").hexdigest(), "data/a.csv": hashlib.sha256(b"a\n").hexdigest()}
    assert parse_sums(f"{'0' * 64} *bin.dat\n\n") == {"bin.dat": "0" * 64}
