"""The release workflow's scripts against a fake gh: a release is created once, then only checked, never overwritten."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile

import pytest

from releasekit import EPOCH, ROOT, digests, make_node_modules

SCRIPTS = ROOT / "scripts"

pytestmark = pytest.mark.slow

TAG = "v0.1.0"


@pytest.fixture
def assets(fixture_release, fake_gh, tmp_path):
    """The release assets of the fixture release (0.1.0), made by release-assets.sh, and the notes file."""
    out = tmp_path / "assets"
    proc = fake_gh.run(SCRIPTS / "release-assets.sh", "0.1.0", fixture_release.out, out, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    notes = tmp_path / "notes.md"
    notes.write_text("c5data 0.1.0\n", encoding="utf-8")
    return out, notes


def publish(fake_gh, assets, tag=TAG, **env):
    return fake_gh.run(SCRIPTS / "release-publish.sh", tag, assets[0], assets[1], env=env)


def test_assets_are_the_release_files_and_a_deterministic_archive(assets, fixture_release, fake_gh, tmp_path):
    folder, _ = assets
    names = {p.name for p in folder.iterdir()}
    assert {"c5data-0.1.0.zip", "c5data.duckdb", "datapackage.json", "codebook.md", "SHA256SUMS", "meetings.parquet", "c5data-0.1.0-release.tar.gz"} <= names
    with tarfile.open(folder / "c5data-0.1.0-release.tar.gz") as tar:
        tar.extractall(tmp_path / "x", filter="data")
    assert digests(tmp_path / "x") == digests(fixture_release.out)
    again = fake_gh.run(SCRIPTS / "release-assets.sh", "0.1.0", fixture_release.out, tmp_path / "again", env={"SOURCE_DATE_EPOCH": EPOCH})
    assert again.returncode == 0
    assert digests(tmp_path / "again") == digests(folder)


def test_a_new_tag_is_released_once_with_every_asset(fake_gh, assets):
    proc = publish(fake_gh, assets)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    creates = [c for c in fake_gh.calls() if c[:2] == ["release", "create"]]
    assert len(creates) == 1
    assert creates[0][2] == TAG and "--verify-tag" in creates[0] and "--clobber" not in creates[0]
    assert not any(c[:2] == ["release", "upload"] for c in fake_gh.calls())
    assert digests(fake_gh.state / TAG) == digests(assets[0])


def test_an_existing_release_is_checked_not_uploaded(fake_gh, assets):
    assert publish(fake_gh, assets).returncode == 0
    published = digests(fake_gh.state / TAG)
    fake_gh.log.unlink()
    proc = publish(fake_gh, assets)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "match the published SHA256SUMS" in proc.stdout
    assert fake_gh.verbs() == ["release view", "release download"]
    assert digests(fake_gh.state / TAG) == published


def test_a_rebuild_that_differs_from_the_published_release_fails(fake_gh, assets, tmp_path):
    assert publish(fake_gh, assets).returncode == 0
    # the published SHA256SUMS says one file had other bytes than this rebuild has
    sums = fake_gh.state / TAG / "SHA256SUMS"
    lines = sums.read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(lines) if line.endswith("parquet/meetings.parquet"))
    lines[i] = "0" * 64 + lines[i][64:]
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fake_gh.log.unlink()
    proc = publish(fake_gh, assets)
    assert proc.returncode == 1
    assert "differs from the published SHA256SUMS" in proc.stdout
    assert "meetings.parquet" in proc.stdout + proc.stderr
    assert fake_gh.verbs() == ["release view", "release download"]


def test_a_tampered_asset_fails_the_check(fake_gh, assets, tmp_path):
    assert publish(fake_gh, assets).returncode == 0
    fake_gh.log.unlink()
    tampered = tmp_path / "tampered"
    shutil.copytree(assets[0], tampered)
    with open(tampered / "codebook.md", "a", encoding="utf-8") as fh:
        fh.write("one more line\n")
    proc = publish(fake_gh, (tampered, assets[1]))
    assert proc.returncode == 1
    assert "asset codebook.md" in proc.stdout
    assert not any(c[:2] in (["release", "upload"], ["release", "create"]) for c in fake_gh.calls())


def test_an_existing_release_without_checksums_is_not_overwritten(fake_gh, assets):
    (fake_gh.state / TAG).mkdir()
    proc = publish(fake_gh, assets)
    assert proc.returncode == 1
    assert "has no SHA256SUMS" in proc.stdout
    assert fake_gh.verbs() == ["release view", "release download"]
    assert list((fake_gh.state / TAG).iterdir()) == []


def test_gh_failing_for_another_reason_stops_before_creating(fake_gh, assets):
    proc = publish(fake_gh, assets, FAKE_GH_FAIL="HTTP 401: Bad credentials")
    assert proc.returncode == 2
    assert "Bad credentials" in proc.stdout
    assert fake_gh.verbs() == ["release view"]


def test_release_notes_are_the_changelog_entry(tmp_path, fake_gh):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\n## [0.2.0] - 2025-01-01\n\nAdded rows.\n\n## [0.1.0] - 2024-01-01\n\nFirst.\n", encoding="utf-8")
    proc = fake_gh.run(SCRIPTS / "release-notes.sh", "0.2.0", changelog)
    assert proc.returncode == 0 and proc.stdout.strip() == "Added rows."
    assert fake_gh.run(SCRIPTS / "release-notes.sh", "0.3.0", changelog).stdout == "c5data 0.3.0\n"


def fake_release(folder, version):
    """A minimal release that verifies: one CSV resource, its descriptor, a site page, SHA256SUMS."""
    (folder / "data").mkdir(parents=True)
    (folder / "site").mkdir()
    data = f"id\n{version}\n".encode()
    (folder / "data" / "x.csv").write_bytes(data)
    (folder / "site" / "index.html").write_text(f"<p>{version}</p>\n", encoding="utf-8")
    resource = {"name": "x", "path": "data/x.csv", "bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    (folder / "datapackage.json").write_text(json.dumps({"name": "x", "version": version, "resources": [resource]}), encoding="utf-8")
    rels = ("data/x.csv", "datapackage.json", "site/index.html")
    (folder / "SHA256SUMS").write_text("".join(f"{hashlib.sha256((folder / r).read_bytes()).hexdigest()}  {r}\n" for r in rels), encoding="utf-8")
    return folder


def archive(folder, dest):
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(dest, "w:gz") as tar:
        tar.add(folder, arcname=".")
    return dest


def test_pages_tree_keeps_every_version_and_points_home_at_the_latest(fake_gh, tmp_path):
    for version in ("0.1.0", "0.2.0"):
        archive(fake_release(tmp_path / "r" / version, version), fake_gh.state / f"v{version}" / f"c5data-{version}-release.tar.gz")
    (fake_gh.state / "v0.0.9").mkdir()  # a release from before the archive asset: left out with a warning
    current = archive(fake_release(tmp_path / "r" / "0.3.0", "0.3.0"), tmp_path / "built" / "c5data-0.3.0-release.tar.gz")
    out = tmp_path / "pages"
    engine = make_node_modules(tmp_path / "node_modules")
    proc = fake_gh.run(SCRIPTS / "pages_tree.py", out, "--current", current, env={"C5DATA_NODE_MODULES": str(engine)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "::warning::release v0.0.9 has no c5data-0.0.9-release.tar.gz" in proc.stdout
    # the SQL page's engine once, beside releases/, not in any version's folder
    assert json.loads((out / "duckdb-wasm" / "engine.json").read_text(encoding="utf-8"))["duckdb-wasm"] == "9.9.9"
    assert not list((out / "releases").rglob("duckdb-eh.wasm"))
    for version in ("0.1.0", "0.2.0", "0.3.0"):
        assert digests(out / "releases" / version) == digests(tmp_path / "r" / version)
    index = json.loads((out / "releases.json").read_text(encoding="utf-8"))
    assert index["latest"] == "0.3.0"
    assert [r["version"] for r in index["releases"]] == ["0.3.0", "0.2.0", "0.1.0"]
    assert digests(out / "releases" / "latest") == digests(tmp_path / "r" / "0.3.0")
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'url=releases/latest/site/"' in home and "0.3.0" in home
    assert not any(c[:2] in (["release", "upload"], ["release", "create"]) for c in fake_gh.calls())


def test_pages_tree_needs_the_sql_engine(fake_gh, tmp_path):
    current = archive(fake_release(tmp_path / "r" / "0.2.0", "0.2.0"), tmp_path / "c5data-0.2.0-release.tar.gz")
    proc = fake_gh.run(SCRIPTS / "pages_tree.py", tmp_path / "pages", "--current", current, env={"C5DATA_NODE_MODULES": str(tmp_path / "none")})
    assert proc.returncode != 0
    assert "npm ci" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "pages").exists()


def test_pages_tree_refuses_a_release_that_does_not_verify(fake_gh, tmp_path):
    bad = fake_release(tmp_path / "r" / "0.1.0", "0.1.0")
    (bad / "data" / "x.csv").write_text("id\nchanged\n", encoding="utf-8")
    archive(bad, fake_gh.state / "v0.1.0" / "c5data-0.1.0-release.tar.gz")
    current = archive(fake_release(tmp_path / "r" / "0.2.0", "0.2.0"), tmp_path / "c5data-0.2.0-release.tar.gz")
    proc = fake_gh.run(SCRIPTS / "pages_tree.py", tmp_path / "pages", "--current", current)
    assert proc.returncode != 0
    assert "release 0.1.0 does not verify" in proc.stderr


def _pages(fake_gh, tmp_path, current):
    engine = make_node_modules(tmp_path / "node_modules")
    return fake_gh.run(SCRIPTS / "pages_tree.py", tmp_path / "pages", "--current", current, env={"C5DATA_NODE_MODULES": str(engine)})


def test_pages_tree_refuses_an_archive_that_holds_another_version_than_its_tag(fake_gh, tmp_path):
    """v0.1.0's archive holding 0.9.0 would have been published as releases/0.9.0/, where tag v0.9.0 belongs."""
    archive(fake_release(tmp_path / "r" / "0.9.0", "0.9.0"), fake_gh.state / "v0.1.0" / "c5data-0.1.0-release.tar.gz")
    proc = _pages(fake_gh, tmp_path, archive(fake_release(tmp_path / "r" / "0.2.0", "0.2.0"), tmp_path / "current.tar.gz"))
    assert proc.returncode == 1
    assert "release v0.1.0: its archive c5data-0.1.0-release.tar.gz holds version 0.9.0, not 0.1.0" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "pages" / "releases" / "0.9.0").exists()


@pytest.mark.parametrize("broken", ["not-gzip", "no-descriptor", "bad-version", "no-checksums"])
def test_pages_tree_says_what_is_wrong_with_an_archive_in_one_line(fake_gh, tmp_path, broken):
    current = tmp_path / "current.tar.gz"
    if broken == "not-gzip":
        current.write_bytes(b"this is not an archive")
    else:
        folder = fake_release(tmp_path / "r" / "0.2.0", "0.2.0")
        if broken == "no-descriptor":
            (folder / "datapackage.json").unlink()
        elif broken == "bad-version":
            (folder / "datapackage.json").write_text(json.dumps({"name": "x", "version": "../0.2"}), encoding="utf-8")
        else:
            (folder / "SHA256SUMS").unlink()
        archive(folder, current)
    proc = _pages(fake_gh, tmp_path, current)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    expected = {
        "not-gzip": "not a readable release archive",
        "no-descriptor": "holds no readable datapackage.json",
        "bad-version": "declares version '../0.2', not X.Y.Z",
        "no-checksums": "release 0.2.0 cannot be published",
    }[broken]
    assert expected in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
