"""scripts/pr-summary.sh: the pull request's data diff and SemVer bump in the job summary, capped, with the full JSON beside it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from releasekit import ROOT, append_row, edit, make_package

SCRIPTS = ROOT / "scripts"

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args], check=True, capture_output=True, text=True)


def two_commits(tmp_path, change):
    """A git repository with the fixture package in its first commit and `change` applied in its second; base/ and head/ checked out."""
    repo = tmp_path / "repo"
    make_package(repo)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    change(repo)
    git(repo, "commit", "-q", "-am", "head")
    for side, rev in (("base", "HEAD~1"), ("head", "HEAD")):
        git(repo, "worktree", "add", "-q", "--detach", str(tmp_path / side), rev)
    return tmp_path / "base", tmp_path / "head"


def run_summary(fake_gh, tmp_path, base, head, **env):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    proc = fake_gh.run(SCRIPTS / "pr-summary.sh", base, head, tmp_path / "pr-diff", env={"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_RUN_ID": "42", **env})
    return proc, summary.read_text(encoding="utf-8")


def add_and_correct(repo):
    append_row(repo / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    edit(repo / "data" / "sources.csv", "Second meeting report", "2nd meeting report")


def test_summary_has_the_rows_and_the_bump(fake_gh, tmp_path):
    base, head = two_commits(tmp_path, add_and_correct)
    proc, text = run_summary(fake_gh, tmp_path, base, head)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert text.startswith("earlier step\n# Data changes")  # appended, not overwritten
    assert "**SemVer bump needed: minor**" in text
    assert "proposed 0.2.0" in text
    assert "- Added: `KGZ`" in text  # the added row
    assert '`xinhua-2021-05-13`: headline: "Second meeting report" → "2nd meeting report"' in text  # the changed row
    assert "truncated" not in text
    assert "`pr-diff` artifact of [this run](https://github.com/" in text and "/actions/runs/42)" in text
    full = json.loads((tmp_path / "pr-diff" / "diff.json").read_text(encoding="utf-8"))
    assert full["level"] == "minor"
    assert full["tables"]["countries"]["rows_added"] == [{"iso3": "KGZ"}]


def test_no_change_says_none(fake_gh, tmp_path):
    def docs_only(repo):
        (repo / "README.md").write_text("docs only\n", encoding="utf-8")
        git(repo, "add", "README.md")

    base, head = two_commits(tmp_path, docs_only)
    proc, text = run_summary(fake_gh, tmp_path, base, head)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "**SemVer bump needed: none**" in text


def many_sources(repo):
    for i in range(400):
        append_row(repo / "data" / "sources.csv", f"extra-{i:04d},https://example.org/extra/{i},T,P,,,en,news,false,")
    edit(repo / "data" / "sources.csv", "Second meeting report", "2nd meeting report")


def test_a_huge_diff_is_truncated_with_a_pointer_to_the_json(fake_gh, tmp_path):
    base, head = two_commits(tmp_path, many_sources)
    cap = 3000
    proc, text = run_summary(fake_gh, tmp_path, base, head, SUMMARY_MAX_BYTES=str(cap))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    appended = text[len("earlier step\n") :]
    assert len(appended.encode("utf-8")) <= cap
    assert "**SemVer bump needed: minor**" in appended
    assert "**The diff is shortened** to at most" in appended
    assert "`extra-0000`" in appended and "`extra-0399`" not in appended and " more" in appended
    assert '"Second meeting report" → "2nd meeting report"' in appended
    assert appended.rstrip().endswith("`pr-diff` artifact of [this run](https://github.com//actions/runs/42).")
    full = json.loads((tmp_path / "pr-diff" / "diff.json").read_text(encoding="utf-8"))
    assert len(full["tables"]["sources"]["rows_added"]) == 400  # every row is in the artifact


def test_an_unreadable_side_fails_and_says_so(fake_gh, tmp_path):
    base, head = two_commits(tmp_path, add_and_correct)
    (base / "datapackage.json").write_text("{not json", encoding="utf-8")
    proc, text = run_summary(fake_gh, tmp_path, base, head)
    assert proc.returncode == 2
    assert "`c5data diff` failed" in text


def test_a_diff_that_cannot_be_shortened_enough_is_cut(fake_gh, tmp_path):
    base, head = two_commits(tmp_path, many_sources)
    cap = 1000
    proc, text = run_summary(fake_gh, tmp_path, base, head, SUMMARY_MAX_BYTES=str(cap))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    appended = text[len("earlier step\n") :]
    assert len(appended.encode("utf-8")) <= cap
    assert "**SemVer bump needed: minor**" in appended
    assert "**The diff is truncated here**" in appended
    assert appended.rstrip().endswith("/actions/runs/42).")


def test_cell_values_cannot_forge_the_summary(fake_gh, tmp_path):
    """A value with line breaks (CR alone too) and Markdown stays on its row's line, escaped; the bump's output, which
    quotes column names, is an indented code block that none of its lines can close."""

    def forged(repo):
        edit(repo / "data" / "sources.csv", "Second meeting report", '"Second\r\n\r\n# Approved\r**LGTM** <b>x</b>"')
        append_row(repo / "data" / "countries.csv", '"K\r\n```\r\n# Merged",KG,Kyrgyzstan,,true,mfa-2020-07-17')

    base, head = two_commits(tmp_path, forged)
    proc, text = run_summary(fake_gh, tmp_path, base, head)
    assert proc.returncode == 1  # the release check refuses the control characters; the diff is summarised all the same
    lines = text.splitlines()
    assert not [line for line in lines if line.startswith(("# Approved", "# Merged", "```", "**LGTM"))]
    assert "\r" not in text
    bump = next(i for i, line in enumerate(lines) if line.startswith("**SemVer bump needed")) + 2
    block = lines[bump : lines.index("", bump)]
    assert any("does not match the pattern" in line for line in block) and all(line.startswith("    ") for line in block)
    assert any('"Second↵↵# Approved↵\\*\\*LGTM\\*\\* \\<b\\>x\\</b\\>"' in line for line in lines)
