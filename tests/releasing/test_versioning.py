"""c5data release: the version the change demands, refusals, CHANGELOG.md and changes.json, then a build."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from c5data import build, plan_release, release
from c5data.cli import main
from c5data.releasing.versioning import ReleaseError, bump

from releasekit import EPOCH, append_row, drop_column, drop_row, edit, make_package


def test_bump():
    assert [bump("0.1.9", level) for level in ("none", "patch", "minor", "major")] == ["0.1.10", "0.1.10", "0.2.0", "0.2.0"]
    assert [bump("1.4.2", level) for level in ("patch", "minor", "major")] == ["1.4.3", "1.5.0", "2.0.0"]


@pytest.mark.parametrize(
    "change, level, proposed",
    [
        (lambda new: edit(new / "data" / "sources.csv", "Second meeting report", "2nd meeting report"), "patch", "0.1.1"),
        (lambda new: append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17"), "minor", "0.2.0"),
        (lambda new: drop_column(new, "series", "notes"), "major", "0.2.0"),
        (lambda new: drop_row(new / "data" / "person_aliases.csv", "mukhtar-tleuberdi,Treuberdi"), "major", "0.2.0"),
    ],
)
def test_proposes_the_version_the_change_demands(pair, change, level, proposed):
    old, new = pair
    change(new)
    plan = plan_release(new, previous=old)
    assert (plan.previous_version, plan.level, plan.proposed) == ("0.1.0", level, proposed)


def test_refuses_lower_released_or_too_small_versions(pair):
    old, new = pair
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    (new / "CHANGELOG.md").write_text("# Changelog\n\n## [0.3.0] - 2024-01-01\n\nx\n\n## [0.1.0] - 2023-01-01\n")
    plan = plan_release(new, previous=old)
    assert plan.problems("0.0.9") == ["0.0.9 is lower than the previous release 0.1.0"]
    assert plan.problems("0.1.0") == ["0.1.0 is already released"]
    assert plan.problems("0.3.0") == ["0.3.0 is already released"]
    assert plan.problems("0.1.1") == ["0.1.1 is smaller than the change demands: a minor change after 0.1.0 needs at least 0.2.0"]
    assert plan.problems("0.2.0") == [] and plan.problems("1.0.0") == []
    for version, code in (("0.1.1", 1), ("0.1.0", 1), ("1.0", 2)):
        with pytest.raises(ReleaseError) as info:
            release(new, version, previous=old)
        assert info.value.exit_code == code
    assert json.loads((new / "datapackage.json").read_text())["version"] == "0.1.0"  # nothing written
    assert not (new / "release").exists() and not (new / "changes.json").exists()


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args], check=True, capture_output=True)


def test_previous_release_is_the_highest_version_tag(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("needs git")
    repo = tmp_path / "repo"
    make_package(repo / "package")  # the package in a subfolder of the repository
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    _git(repo, "tag", "v0.1.0")
    _git(repo, "tag", "not-a-version")
    append_row(repo / "package" / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    plan = plan_release(repo / "package")
    assert (plan.previous_version, plan.previous_source, plan.level, plan.proposed) == ("0.1.0", "git tag v0.1.0", "minor", "0.2.0")
    assert plan.diff.tables["countries"].rows_added == [{"iso3": "KGZ"}]
    assert plan.problems("0.1.0") == ["0.1.0 is already released"]


def test_first_release_without_history(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    plan = plan_release(pkg)
    assert (plan.previous_version, plan.level, plan.proposed) == (None, "initial", "0.1.0")


@pytest.mark.slow  # builds a release or runs subprocesses
def test_release_writes_changelog_changes_and_builds(pair, monkeypatch):
    old, new = pair
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    previous = build(old).out  # the previous release, as built
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    edit(new / "data" / "meetings.csv", "2nd Foreign Ministers' Meeting", "Second Foreign Ministers' Meeting")
    (new / "CHANGELOG.md").write_text("# Changelog\n\nIntro.\n\n## [0.1.0] - 2023-11-14\n\nFirst release.\n")
    result = CliRunner().invoke(main, ["release", str(new), "--previous", str(previous)])
    assert result.exit_code == 0, result.output
    assert "minor change; proposed 0.2.0; releasing 0.2.0" in result.output
    assert json.loads((new / "datapackage.json").read_text())["version"] == "0.2.0"
    assert (new / "datapackage.json").read_text().count("\n") > 10  # formatting kept, only the version changed
    changelog = (new / "CHANGELOG.md").read_text()
    assert changelog.index("## [0.2.0] - 2023-11-14") < changelog.index("## [0.1.0]")
    assert "- Added: `KGZ`" in changelog and "`fmm-2021-05-12`: meeting_name:" in changelog
    changes = json.loads((new / "changes.json").read_text())
    assert (changes["version"], changes["previous_version"], changes["level"]) == ("0.2.0", "0.1.0", "minor")
    assert changes["tables"]["countries"]["rows_added"] == [{"iso3": "KGZ"}]
    release_dir = new / "release"
    assert json.loads((release_dir / "datapackage.json").read_text())["version"] == "0.2.0"
    assert (release_dir / "c5data-0.2.0.zip").is_file()
    sums = (release_dir / "SHA256SUMS").read_text()
    assert "  CHANGELOG.md\n" in sums and "  changes.json\n" in sums
    assert (release_dir / "CHANGELOG.md").read_text() == changelog
    again = CliRunner().invoke(main, ["release", str(new), "--previous", str(previous), "--version", "0.2.0"])
    assert again.exit_code == 1 and "already released" in again.output


@pytest.mark.slow  # builds a release or runs subprocesses
def test_a_failed_build_puts_the_files_back(pair, monkeypatch):
    old, new = pair
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    before = {name: (new / name).read_text() for name in ("datapackage.json",)}

    def broken_build(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("c5data.pipeline.build", broken_build)
    with pytest.raises(OSError):
        release(new, previous=old)
    assert (new / "datapackage.json").read_text() == before["datapackage.json"]
    assert not (new / "CHANGELOG.md").exists() and not (new / "changes.json").exists()


def test_dry_run_writes_nothing(pair):
    old, new = pair
    drop_column(new, "series", "notes")
    result = CliRunner().invoke(main, ["release", str(new), "--previous", str(old), "--dry-run"])
    assert result.exit_code == 0
    assert "major change; proposed 0.2.0" in result.output and "column `notes` removed (major)" in result.output
    assert sorted(p.name for p in new.iterdir()) == ["data", "datapackage.json", "schemas"]


def test_an_unwritable_file_is_a_usage_error_naming_the_path(pair, fixture_release, monkeypatch):
    """An I/O failure is not 'a bug in c5data': exit 2 with the path, and the package is left as it was."""
    _old, new = pair
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    (new / "CHANGELOG.md").mkdir()  # a folder where the changelog must be written
    before = (new / "datapackage.json").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["release", str(new), "--previous", str(fixture_release.out)])
    assert result.exit_code == 2, result.output
    assert "CHANGELOG.md" in result.output and "internal error" not in result.output
    assert (new / "datapackage.json").read_text(encoding="utf-8") == before


@pytest.mark.slow  # builds a release or runs subprocesses
def test_a_dirty_tree_is_refused_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo = tmp_path / "repo"
    make_package(repo / "package")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    _git(repo, "tag", "v0.1.0")
    append_row(repo / "package" / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")  # not committed
    result = CliRunner().invoke(main, ["release", str(repo / "package")])
    assert result.exit_code == 2 and "uncommitted changes (data/countries.csv)" in result.output
    assert not (repo / "package" / "CHANGELOG.md").exists()
    result = CliRunner().invoke(main, ["release", str(repo / "package"), "--allow-dirty"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # builds a release or runs subprocesses
def test_a_release_killed_before_its_version_was_written_is_redone(pair, monkeypatch):
    """The package files are written after the build, the version last; a run that died between them is redone."""
    old, new = pair
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    before = (new / "datapackage.json").read_text(encoding="utf-8")
    # what a release killed after writing CHANGELOG.md (but before datapackage.json) leaves behind
    (new / "CHANGELOG.md").write_text("# Changelog\n\n## [0.2.0] - 2023-11-14\n\nhalf written\n")
    assert (new / "datapackage.json").read_text(encoding="utf-8") == before
    outcome = release(new, previous=old)
    assert outcome.version == "0.2.0"
    changelog = (new / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.count("## [0.2.0]") == 1 and "half written" not in changelog
    assert json.loads((new / "datapackage.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    assert json.loads((outcome.build.out / "datapackage.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    assert "## [0.2.0]" in (outcome.build.out / "CHANGELOG.md").read_text(encoding="utf-8")
    with pytest.raises(ReleaseError, match="already released"):  # once finished, the same version is refused
        release(new, "0.2.0", previous=old)


def test_without_tags_the_last_release_is_the_changelogs_newest_version(tmp_path):
    """No vX.Y.Z tag: the version CHANGELOG.md records is found published in dist/releases/, or else its git commit."""
    pkg = make_package(tmp_path / "pkg")
    (pkg / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2023-11-14\n\nFirst release.\n", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"CHANGELOG.md records 0.1.0, but there is no git tag v0.1.0.*pass --previous") as info:
        plan_release(pkg)  # no git, nothing published: said so, never a silent "first release"
    assert info.value.exit_code == 2
    shutil.copytree(pkg, tmp_path / "published", ignore=shutil.ignore_patterns("CHANGELOG.md"))
    (pkg / "dist" / "releases").mkdir(parents=True)
    shutil.move(tmp_path / "published", pkg / "dist" / "releases" / "0.1.0")  # what `c5data publish` left of 0.1.0
    append_row(pkg / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    plan = plan_release(pkg)
    assert (plan.previous_version, plan.previous_source, plan.level, plan.proposed) == ("0.1.0", "published dist/releases/0.1.0", "minor", "0.2.0")


def test_without_tags_the_commit_that_recorded_the_version_is_the_last_release(tmp_path):
    if shutil.which("git") is None:
        pytest.fail("git is needed to test releases found in the history")
    pkg = make_package(tmp_path / "pkg")
    (pkg / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2023-11-14\n\nFirst release.\n", encoding="utf-8")
    _git(pkg, "init", "-q")
    _git(pkg, "add", ".")
    _git(pkg, "commit", "-q", "-m", "release 0.1.0")
    edit(pkg / "data" / "meetings.csv", "2nd Foreign Ministers' Meeting", "Second Foreign Ministers' Meeting")
    plan = plan_release(pkg)
    assert plan.previous_version == "0.1.0" and plan.previous_source.startswith("commit ") and (plan.level, plan.proposed) == ("patch", "0.1.1")


_KILLED_RELEASE = """
import os, signal, sys
from c5data.releasing import versioning
point, package = sys.argv[1:3]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if point == "build":
    from c5data.building import builder
    from c5data.building.writers import LAST
    def killing(ctx):
        die()
    LAST.write = killing
elif point == "mid-write":  # CHANGELOG.md's temporary file written, not yet renamed into place
    from c5data.files import atomic
    replace = atomic.os.replace
    def killing_replace(src, dst):
        if str(dst).endswith("CHANGELOG.md"):
            die()
        return replace(src, dst)
    atomic.os.replace = killing_replace
else:  # after the build, once the given number of the package's files is written (0: none yet; 3: all of them)
    write, written = versioning.write_text, []
    def killing_write(path, text):
        if int(point) == 0:
            die()
        write(path, text)
        written.append(path)
        if len(written) == int(point):
            die()
    versioning.write_text = killing_write
versioning.release(package)
"""


@pytest.mark.slow
@pytest.mark.parametrize("point", ["build", "0", "mid-write", "1", "2", "3"])
def test_a_release_killed_at_any_step_is_redone_by_the_next_run(tmp_path, monkeypatch, point):
    import sys

    from c5data.releasing.publishing import verify

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo = tmp_path / "repo"
    make_package(repo / "package")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    _git(repo, "tag", "v0.1.0")
    append_row(repo / "package" / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    _git(repo, "commit", "-q", "-am", "a country")
    killed = subprocess.run([sys.executable, "-c", _KILLED_RELEASE, point, str(repo / "package")], capture_output=True, timeout=600)
    assert killed.returncode == -9, killed.stderr.decode()
    if point == "3":  # it had finished: its files are the release's to commit, and the re-run says so rather than redo it
        with pytest.raises(ReleaseError, match="uncommitted changes") as info:
            release(repo / "package")
        assert info.value.exit_code == 2
        assert verify(repo / "package" / "release").ok
    else:
        outcome = release(repo / "package")
        assert outcome.version == "0.2.0"
        assert verify(outcome.build.out).ok
    assert json.loads((repo / "package" / "datapackage.json").read_text(encoding="utf-8"))["version"] == "0.2.0"
    assert (repo / "package" / "CHANGELOG.md").read_text(encoding="utf-8").count("## [0.2.0]") == 1
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True, check=True).stdout
    changed = sorted(line[3:] for line in status.splitlines())
    assert [p for p in changed if not p.startswith("package/release/")] == ["package/CHANGELOG.md", "package/changes.json", "package/datapackage.json"]
