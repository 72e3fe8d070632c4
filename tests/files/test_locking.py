"""One lock per release folder: `build`, `site` and `release` of one folder never run at once.

Whether a second writer really waits is read from the kernel's lock table (/proc/locks lists a process blocked
on a lock with `->`), not from timing: the first writer holds the lock until the test has seen the second one
blocked, then lets it go.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from c5data.files.locking import release_lock
from c5data.releasing.publishing import verify

from releasekit import EPOCH, make_package

pytestmark = pytest.mark.skipif(not Path("/proc/locks").is_file(), reason="reads Linux's /proc/locks")

PATIENCE = 300.0  # seconds a step may take on a loaded machine before the test gives up (not a timed assertion)


def _blocked_on(folder: Path, pid: int | None = None) -> bool:
    """True when /proc/locks shows a process (`pid`, or any) waiting for the lock of `folder`'s parent."""
    inode = os.stat(folder.resolve().parent).st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        parts = line.split()  # "1: -> FLOCK  ADVISORY  WRITE <pid> <major:minor:inode> 0 EOF"
        waiting = "->" in parts and parts[parts.index("->") + 1] == "FLOCK" and parts[-3].endswith(f":{inode}")
        if waiting and (pid is None or parts[parts.index("->") + 4] == str(pid)):
            return True
    return False


def _wait_for(condition, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"{what}: the process ended first (exit {proc.returncode}): {out}{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not seen within {PATIENCE:.0f}s")
        time.sleep(0.05)


def test_two_threads_exclude_each_other_and_one_thread_may_re_enter(tmp_path):
    """A library user building and generating a site from two threads gets the same exclusion as two processes."""
    folder = tmp_path / "release"
    events: list[str] = []

    def second():
        with release_lock(folder):
            events.append("second in")

    with release_lock(folder):
        with release_lock(folder):  # re-entrant within the thread (release holds it around its build)
            events.append("first in")
        thread = threading.Thread(target=second)
        thread.start()
        _wait_for(lambda: _blocked_on(folder, os.getpid()), "the second thread waiting for the lock")
        events.append("first out")
    thread.join(PATIENCE)
    assert events == ["first in", "first out", "second in"]


_PAUSED_BUILD = """
import sys
from pathlib import Path
from c5data.building.writers import LAST
from c5data.pipeline import build

package, out, marker = sys.argv[1:4]
write = LAST.write


def paused(ctx):  # the last writer of the build, inside the lock: say so, then wait to be let go
    Path(marker).write_text("inside", encoding="utf-8")
    sys.stdin.readline()
    write(ctx)


LAST.write = paused
build(package, out)
"""


@pytest.mark.slow
def test_a_site_started_during_a_build_waits_for_it_and_the_release_verifies(tmp_path, monkeypatch):
    """`build` and `site` of one release at once once left a site of 256 of its 366 files under a rewritten SHA256SUMS."""
    from c5data.pipeline import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    package = make_package(tmp_path / "pkg")
    out = tmp_path / "release"
    build(package, out)  # a finished release for `site` to work on
    marker = tmp_path / "inside"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    builder = subprocess.Popen([sys.executable, "-c", _PAUSED_BUILD, str(package), str(out), str(marker)], stdin=subprocess.PIPE, text=True, env=env)
    site = None
    try:
        _wait_for(marker.exists, "the build inside its lock", builder)
        c5data = Path(sys.executable).with_name("c5data")
        site = subprocess.Popen([str(c5data), "site", str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        _wait_for(lambda: _blocked_on(out, site.pid), "the site waiting for the build's lock", site)
        assert site.poll() is None  # still waiting: it has written nothing into the release being built
        builder.stdin.write("go\n")
        builder.stdin.close()
        assert builder.wait(PATIENCE) == 0
        site_out, site_err = site.communicate(timeout=PATIENCE)
        assert site.returncode == 0, site_out + site_err
    finally:
        for proc in (builder, site):
            if proc is not None and proc.poll() is None:
                proc.kill()
    checked = verify(out)
    assert checked.ok, checked.problems
    listed = (out / "SHA256SUMS").read_text(encoding="utf-8")
    on_disk = sorted(p.relative_to(out).as_posix() for p in (out / "site").rglob("*") if p.is_file())
    assert on_disk and all(f"  {rel}\n" in listed for rel in on_disk)
