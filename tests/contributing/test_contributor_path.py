"""The contributor path, end to end, on a copy of the repository: add a meeting with `c5data new`, then everything passes.

The copy is committed as a clone would be, with CHANGELOG.md recording the current version and no
`vX.Y.Z` tag: `c5data release --dry-run` must still find that release and propose the minor bump.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from c5data.releasing.versioning import bump

from releasekit import ROOT

pytestmark = pytest.mark.slow  # copies the repository and runs the command and a part of the suite in subprocesses

IGNORE = shutil.ignore_patterns(".git", ".venv", "release", "dist", "__pycache__", ".*_cache", "*.egg-info", "test-artifacts", ".benchmarks", ".coverage*")


def _c5data(copy, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "c5data", *args], cwd=copy, capture_output=True, text=True, timeout=600)


@pytest.fixture
def copy(tmp_path):
    copy = tmp_path / "clone"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    git = ["git", "-c", "user.email=contributor@example.org", "-c", "user.name=Contributor", "-C", str(copy)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "the package as released"], check=True)
    return copy


def test_a_meeting_added_with_c5data_new_passes_validation_the_suite_and_proposes_the_minor_bump(copy):
    with (copy / "data" / "meetings.csv").open(encoding="utf-8", newline="") as fh:
        fmm = [row for row in csv.DictReader(fh) if row["series_id"] == "fmm"]
    ordinal = max(int(r["ordinal"]) for r in fmm if r["ordinal"]) + 1
    day = dt.date.fromisoformat(max(r["start_date"] for r in fmm)) + dt.timedelta(days=400)  # after every meeting of the series

    source = _c5data(copy, "new", "source", "--url", "https://www.mfa.example/release", "--headline", "Foreign ministers meet",
                     "--publisher", "Ministry of Foreign Affairs", "--publisher-slug", "mfa", "--published-date", day.isoformat(),
                     "--published-date-precision", "day", "--language", "en", "--source-type", "official", "--format", "json")  # fmt: skip
    assert source.returncode == 0, source.stderr
    source_id = json.loads(source.stdout)["id"]
    meeting = _c5data(copy, "new", "meeting", "--series-id", "fmm", "--start-date", day.isoformat(), "--date-precision", "day",
                      "--ordinal", str(ordinal), "--meeting-type", "regular", "--meeting-name", f"{ordinal}th China–Central Asia Foreign Ministers' Meeting",
                      "--city", "Bishkek", "--host-country", "KGZ", "--meeting-format", "in-person", "--certainty", "single-source",
                      "--source-ids", source_id)  # fmt: skip
    assert meeting.returncode == 0, meeting.stderr
    meeting_id = f"fmm-{day.isoformat()}"
    assert f": {meeting_id}" in meeting.stdout
    participant = _c5data(copy, "new", "participant", "--meeting-id", meeting_id, "--person-id", "wang-yi", "--country", "CHN", "--role", "attendee",
                          "--position", "minister", "--portfolio", "foreign-affairs", "--title-as-given", "Minister of Foreign Affairs",
                          "--certainty", "single-source", "--source-ids", source_id)  # fmt: skip
    assert participant.returncode == 0, participant.stderr
    assert subprocess.run(["git", "-C", str(copy), "diff", "--numstat"], capture_output=True, text=True).stdout.split() == [
        "1", "0", "data/meetings.csv", "1", "0", "data/participants.csv", "1", "0", "data/sources.csv",
    ]  # fmt: skip  # one line added per file, nothing else touched

    validated = _c5data(copy, "validate", "--strict")
    assert validated.returncode == 0, validated.stdout[-3000:]
    counts = subprocess.run([sys.executable, "scripts/readme_counts.py"], cwd=copy, capture_output=True, text=True, timeout=300)
    assert counts.returncode == 0, counts.stderr
    assert subprocess.run([sys.executable, "scripts/readme_counts.py", "--check"], cwd=copy, capture_output=True, timeout=300).returncode == 0

    current = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))["version"]
    planned = _c5data(copy, "release", "--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert f"since {current} (commit" in planned.stdout and f"minor change; proposed {bump(current, 'minor')}" in planned.stdout
    assert "`meetings`: 1 row(s) added (minor)" in planned.stdout

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    pieces = ["tests/data", "tests/docs", "tests/contributing/test_scaffold.py", "tests/diplomacy/test_rules.py"]
    suite = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *pieces], cwd=copy, capture_output=True, text=True, timeout=900, env=env
    )
    assert suite.returncode == 0, suite.stdout[-4000:]
