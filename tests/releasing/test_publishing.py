"""c5data publish and verify: releases/<version>/, the index, `latest`, no overwrites, checked copies."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from c5data import build, publish, verify
from c5data.cli import main
from c5data.releasing.publishing import PublishError

from releasekit import EPOCH, digests, make_package


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    pkg = make_package(tmp_path_factory.mktemp("publish") / "pkg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(pkg).out


def fake_release(folder, version):
    """A minimal release that verifies: one CSV resource, its descriptor, SHA256SUMS."""
    (folder / "data").mkdir(parents=True)
    data = f"id\n{version}\n".encode()
    (folder / "data" / "x.csv").write_bytes(data)
    desc = {
        "name": "x",
        "version": version,
        "created": "2024-01-01T00:00:00Z",
        "resources": [{"name": "x", "path": "data/x.csv", "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}],
    }
    (folder / "datapackage.json").write_text(json.dumps(desc))
    sums = "".join(f"{hashlib.sha256((folder / rel).read_bytes()).hexdigest()}  {rel}\n" for rel in ("data/x.csv", "datapackage.json"))
    (folder / "SHA256SUMS").write_text(sums)
    return folder


def test_publish_copies_checks_and_indexes(release_dir, tmp_path):
    dest = tmp_path / "site"
    result = publish(release_dir, dest)
    assert (result.version, result.latest) == ("0.1.0", "0.1.0")
    copied = dest / "releases" / "0.1.0"
    assert digests(copied) == digests(release_dir)
    assert verify(copied).ok
    index = json.loads((dest / "releases.json").read_text())
    assert index["latest"] == "0.1.0"
    assert index["releases"] == [
        {
            "version": "0.1.0",
            "created": "2023-11-14T22:13:20Z",
            "path": "releases/0.1.0/",
            "files": len(digests(release_dir)),
            "sha256sums": hashlib.sha256((release_dir / "SHA256SUMS").read_bytes()).hexdigest(),
        }
    ]
    assert (dest / "latest").read_text() == "0.1.0\n"
    assert sorted(p.name for p in dest.iterdir()) == [".publish.lock", "latest", "releases", "releases.json"]  # no partial folders


def test_a_published_version_is_never_overwritten(release_dir, tmp_path):
    dest = tmp_path / "site"
    publish(release_dir, dest)
    (dest / "releases" / "0.1.0" / "codebook.md").write_text("edited by hand")
    result = CliRunner().invoke(main, ["publish", str(release_dir), "--to", str(dest)])
    assert result.exit_code == 1 and "already published" in result.output and "Traceback" not in result.output
    assert (dest / "releases" / "0.1.0" / "codebook.md").read_text() == "edited by hand"


def test_latest_only_moves_forward(tmp_path):
    dest = tmp_path / "site"
    publish(fake_release(tmp_path / "a", "0.2.0"), dest)
    publish(fake_release(tmp_path / "b", "0.1.5"), dest)  # a late patch of an older line
    index = json.loads((dest / "releases.json").read_text())
    assert index["latest"] == "0.2.0" and [r["version"] for r in index["releases"]] == ["0.2.0", "0.1.5"]
    assert (dest / "latest").read_text() == "0.2.0\n"
    publish(fake_release(tmp_path / "c", "0.10.0"), dest)  # SemVer order, not text order
    assert (dest / "latest").read_text() == "0.10.0\n"


def test_a_release_that_does_not_verify_is_not_published(tmp_path):
    source = fake_release(tmp_path / "r", "1.0.0")
    (source / "data" / "x.csv").write_text("id\ntampered\n")
    with pytest.raises(PublishError, match="does not verify"):
        publish(source, tmp_path / "site")
    assert not (tmp_path / "site" / "releases").exists()


def test_verify_reports_every_kind_of_problem(release_dir, tmp_path):
    import shutil

    copy = tmp_path / "download"
    shutil.copytree(release_dir, copy)
    assert CliRunner().invoke(main, ["verify", str(copy)]).exit_code == 0
    with open(copy / "data" / "meetings.csv", "a") as fh:
        fh.write("x\n")
    (copy / "codebook.md").unlink()
    (copy / "stray.txt").write_text("?")
    problems = verify(copy).problems
    assert "data/meetings.csv: sha256 differs from SHA256SUMS" in problems
    assert "codebook.md: listed in SHA256SUMS but missing" in problems
    assert verify(copy).extra == ["stray.txt"]
    assert "stray.txt: in the release but not listed in SHA256SUMS (added, or its line removed)" in problems
    assert any(p.startswith("data/meetings.csv:") and "datapackage.json declares" in p for p in problems)
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert CliRunner().invoke(main, ["verify", str(tmp_path / "nowhere")]).exit_code == 2
    assert CliRunner().invoke(main, ["verify", str(tmp_path)]).exit_code == 2  # a folder without SHA256SUMS


def test_publish_to_an_fsspec_url(tmp_path):
    import fsspec  # in the test extra

    publish(fake_release(tmp_path / "a", "0.3.0"), "memory://c5data-test-site")
    fs = fsspec.filesystem("memory")
    assert fs.cat("/c5data-test-site/latest") == b"0.3.0\n"
    assert json.loads(fs.cat("/c5data-test-site/releases.json"))["releases"][0]["path"] == "releases/0.3.0/"
    assert fs.cat("/c5data-test-site/releases/0.3.0/data/x.csv") == b"id\n0.3.0\n"
    with pytest.raises(PublishError, match="already published"):
        publish(fake_release(tmp_path / "b", "0.3.0"), "memory://c5data-test-site")
    fs.rm("/c5data-test-site", recursive=True)


def test_a_release_with_an_unlisted_file_is_not_published(tmp_path):
    source = fake_release(tmp_path / "r", "0.4.0")
    (source / "site").mkdir()
    (source / "site" / "index.html").write_text("<html>")  # not in SHA256SUMS: unverifiable, so not published
    with pytest.raises(PublishError, match=r"site/index\.html: in the release but not listed"):
        publish(source, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()
    (source / "site" / "index.html").unlink()
    (source / "site").rmdir()
    publish(source, tmp_path / "dest")
    assert sorted(digests(tmp_path / "dest" / "releases" / "0.4.0")) == ["SHA256SUMS", "data/x.csv", "datapackage.json"]


def _fix_hashes(release, rel):
    """Tamper consistently: make SHA256SUMS and datapackage.json agree with the edited file."""
    import hashlib

    data = (release / rel).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    sums = [line if not line.endswith(f"  {rel}") else f"{digest}  {rel}" for line in (release / "SHA256SUMS").read_text().splitlines()]
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["path"] == rel:
            res["bytes"], res["hash"] = len(data), f"sha256:{digest}"
    (release / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    text = (release / "datapackage.json").read_bytes()
    sums = [line if not line.endswith("  datapackage.json") else f"{hashlib.sha256(text).hexdigest()}  datapackage.json" for line in sums]
    (release / "SHA256SUMS").write_text("\n".join(sums) + "\n")


@pytest.mark.parametrize("tamper", ["line-removed", "extra-file", "emptied-sums", "outside-path", "consistent-csv-edit", "consistent-zip-edit"])
def test_verify_catches_tampering(release_dir, copy_of, tamper):
    release = copy_of(release_dir)
    assert verify(release).ok
    sums = release / "SHA256SUMS"
    if tamper == "line-removed":
        sums.write_text("".join(line + "\n" for line in sums.read_text().splitlines() if not line.endswith("c5data.duckdb")))
    elif tamper == "extra-file":
        (release / "parquet" / "extra.parquet").write_bytes(b"PAR1")
    elif tamper == "emptied-sums":
        sums.write_text("")
    elif tamper == "outside-path":
        sums.write_text(sums.read_text() + "0" * 64 + "  ../0.1.0/data/persons.csv\n")
    elif tamper == "consistent-zip-edit":  # another CSV inside the zip, the zip's line in SHA256SUMS fixed up
        import zipfile

        archive = release / "c5data-0.1.0.zip"
        with zipfile.ZipFile(archive) as zf:
            files = {name: zf.read(name) for name in zf.namelist()}
        files["data/meetings.csv"] = files["data/meetings.csv"].replace(b"Xi'an", b"Xian", 1)
        with zipfile.ZipFile(archive, "w") as zf:
            for name, data in files.items():
                zf.writestr(name, data)
        _fix_hashes(release, "c5data-0.1.0.zip")
    else:
        text = (release / "data" / "meetings.csv").read_text(encoding="utf-8")
        (release / "data" / "meetings.csv").write_text(text.replace("Xi'an", "Xian", 1), encoding="utf-8")
        _fix_hashes(release, "data/meetings.csv")
    result = verify(release)
    assert not result.ok, tamper
    expected = {
        "line-removed": "c5data.duckdb: in the release but not listed",
        "extra-file": "parquet/extra.parquet: in the release but not listed",
        "emptied-sums": "SHA256SUMS: lists no files",
        "outside-path": "../0.1.0/data/persons.csv: listed in SHA256SUMS but outside the release folder",
        "consistent-csv-edit": "parquet/meetings.parquet: its rows differ from data/meetings.csv",
        "consistent-zip-edit": "c5data-0.1.0.zip: its data/meetings.csv differs from the release's data/meetings.csv",
    }[tamper]
    assert any(expected in p for p in result.problems), result.problems


def test_concurrent_publishes_of_different_versions_all_appear(tmp_path):
    """Two publishes racing on one destination used to lose an index entry; the lock keeps both."""
    import threading

    sources = [fake_release(tmp_path / f"r{v}", f"0.{v}.0") for v in range(5, 11)]
    errors: list[BaseException] = []

    def run(source):
        try:
            publish(source, tmp_path / "dest")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    index = json.loads((tmp_path / "dest" / "releases.json").read_text())
    assert sorted(r["version"] for r in index["releases"]) == sorted(f"0.{v}.0" for v in range(5, 11))
    assert index["latest"] == "0.10.0" and (tmp_path / "dest" / "latest").read_text() == "0.10.0\n"


def test_a_version_that_is_not_semver_or_an_unknown_url_is_refused(tmp_path):
    source = fake_release(tmp_path / "r", "0.4.0")
    with pytest.raises(PublishError, match="cannot publish there") as info:
        publish(source, "nosuchprotocol://bucket/x")
    assert info.value.exit_code == 2
    bad = fake_release(tmp_path / "bad", "0.4.1")
    (bad / "datapackage.json").write_text(json.dumps({**json.loads((bad / "datapackage.json").read_text()), "version": "../../../escaped"}))
    from c5data.files.hashing import render_sums

    (bad / "SHA256SUMS").write_text(render_sums(bad))
    with pytest.raises(PublishError, match="not a Semantic Version"):
        publish(bad, tmp_path / "dest")
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "dest" / "releases").exists()


_KILLED_PUBLISH = """
import os, shutil, signal, sys
from c5data.releasing import publishing
from c5data.files import atomic
point, release, dest = sys.argv[1:4]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if point == "mid-copy":
    copy, calls = shutil.copy2, []
    def copy2(*a, **k):
        calls.append(1)
        if len(calls) == 3:
            die()
        return copy(*a, **k)
    publishing.shutil.copy2 = copy2
if point == "mid-index-write":
    replace = atomic.os.replace
    def killing_replace(src, dst):
        if str(dst).endswith("releases.json"):
            die()
        return replace(src, dst)
    atomic.os.replace = killing_replace
if point == "mid-latest-write":  # the index written, the pointer's temporary file too, but not renamed into place
    replace = atomic.os.replace
    def killing_replace(src, dst):
        if str(dst).endswith("latest"):
            die()
        return replace(src, dst)
    atomic.os.replace = killing_replace
if point == "index-before-latest":
    write = publishing._Local.write
    def killing_write(self, rel, data):
        write(self, rel, data)
        if rel == "releases.json":
            die()
    publishing._Local.write = killing_write
def on_step(name, seconds):
    if name.startswith(point):
        die()
publishing.publish(release, dest, on_step=on_step)
"""


@pytest.mark.slow
@pytest.mark.parametrize("point", ["verify release", "mid-copy", "copy", "check copies", "mid-index-write", "index-before-latest", "mid-latest-write", "update index"])
def test_a_publish_killed_at_any_step_is_finished_by_the_next_run(release_dir, tmp_path, point):
    import subprocess
    import sys

    dest = tmp_path / "site"
    publish(fake_release(tmp_path / "older", "0.0.9"), dest)  # a destination with history
    killed = subprocess.run([sys.executable, "-c", _KILLED_PUBLISH, point, str(release_dir), str(dest)], capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr.decode()
    if point == "update index":  # it had finished: the re-run has nothing to do and says so
        with pytest.raises(PublishError, match="already published"):
            publish(release_dir, dest)
    else:
        assert publish(release_dir, dest).version == "0.1.0"
    assert verify(dest / "releases" / "0.1.0").ok
    index = json.loads((dest / "releases.json").read_text())
    assert [r["version"] for r in index["releases"]] == ["0.1.0", "0.0.9"] and index["latest"] == "0.1.0"
    assert (dest / "latest").read_text() == "0.1.0\n"
    leftovers = [p.name for folder in (dest, dest / "releases") for p in folder.iterdir() if p.name.startswith(".") and p.name != ".publish.lock"]
    assert leftovers == []


def test_a_different_release_under_an_unindexed_version_folder_is_not_overwritten(release_dir, tmp_path):
    dest = tmp_path / "site"
    fake_release(dest / "releases" / "0.1.0", "0.1.0")  # a folder a killed publish of another build left, unindexed
    with pytest.raises(PublishError, match="already published"):
        publish(release_dir, dest)
    assert (dest / "releases" / "0.1.0" / "data" / "x.csv").is_file()


@pytest.mark.parametrize(
    "index",
    [
        "[]",
        '{"releases": {}}',
        '{"releases": [{"version": 3}]}',
        '{"latest": "9.9.9", "releases": []}',
        "not json",
        '{"latest": "1.0.0", "releases": [{"version": "1.0.0"}, {"version": "1.0.0"}]}',  # a version listed twice
    ],
)
def test_a_malformed_index_is_refused_with_its_expected_shape(release_dir, tmp_path, index):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "releases.json").write_text(index)
    result = CliRunner().invoke(main, ["publish", "--release", str(release_dir), "--to", str(dest)])
    assert result.exit_code == 2 and "releases.json" in result.output and "internal error" not in result.output
    assert not (dest / "releases").exists()


def test_verify_refuses_a_zip_that_lacks_a_data_file_or_holds_another(release_dir, copy_of):
    import zipfile

    release = copy_of(release_dir)
    archive = release / "c5data-0.1.0.zip"
    with zipfile.ZipFile(archive) as zf:
        files = {name: zf.read(name) for name in zf.namelist() if name != "data/persons.csv"}
    files["data/planted.csv"] = b"id\n1\n"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    _fix_hashes(release, "c5data-0.1.0.zip")
    problems = verify(release).problems
    assert "c5data-0.1.0.zip: holds data/planted.csv, which the release does not" in problems
    assert "c5data-0.1.0.zip: lacks data/persons.csv, a data file of the release" in problems
    archive.write_bytes(b"not a zip")
    _fix_hashes(release, "c5data-0.1.0.zip")
    assert any(p.startswith("c5data-0.1.0.zip: not a readable zip archive") for p in verify(release).problems)
