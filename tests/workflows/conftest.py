"""A fake `gh` on PATH for the workflow scripts: it keeps releases as folders and records every call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from releasekit import ROOT

SCRIPTS = ROOT / "scripts"

FAKE_GH = """#!{python}
import json, os, shutil, sys
from pathlib import Path

state = Path(os.environ["FAKE_GH_STATE"])
args = sys.argv[1:]
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as fh:
    fh.write(json.dumps(args) + "\\n")
if os.environ.get("FAKE_GH_FAIL"):
    print(os.environ["FAKE_GH_FAIL"], file=sys.stderr)
    sys.exit(1)


def option(name):
    return args[args.index(name) + 1]


if args[:2] == ["release", "view"]:
    if (state / args[2]).is_dir():
        print(json.dumps({{"tagName": args[2]}}))
        sys.exit(0)
    print("release not found", file=sys.stderr)
    sys.exit(1)
if args[:2] == ["release", "create"]:
    tag = args[2]
    if (state / tag).exists():
        print("a release with the same tag name already exists: " + tag, file=sys.stderr)
        sys.exit(1)
    files = []
    for a in args[3:]:
        if a.startswith("--"):
            break
        files.append(a)
    (state / tag).mkdir(parents=True)
    for f in files:
        shutil.copy(f, state / tag)
    sys.exit(0)
if args[:2] == ["release", "download"]:
    tag = args[2]
    if not (state / tag).is_dir():
        print("release not found", file=sys.stderr)
        sys.exit(1)
    matches = sorted((state / tag).glob(option("--pattern")))
    if not matches:
        print("no assets match the file pattern", file=sys.stderr)
        sys.exit(1)
    dest = Path(option("--dir"))
    dest.mkdir(parents=True, exist_ok=True)
    for m in matches:
        shutil.copy(m, dest)
    sys.exit(0)
if args[:2] == ["release", "list"]:
    print(json.dumps([{{"tagName": p.name, "isDraft": False, "isPrerelease": False}} for p in sorted(state.iterdir())]))
    sys.exit(0)
print("fake gh: unsupported call " + " ".join(args), file=sys.stderr)
sys.exit(3)
"""


@dataclass
class FakeGh:
    """Releases as folders under `state` (one per tag, holding its assets); `calls()` lists every gh command line."""

    state: Path
    log: Path
    env: dict[str, str]

    def calls(self) -> list[list[str]]:
        if not self.log.is_file():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def verbs(self) -> list[str]:
        return [" ".join(c[:2]) for c in self.calls()]

    def run(self, *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if command[0].endswith(".py"):
            command = [sys.executable, *command]
        elif command[0].endswith(".sh"):
            command = ["bash", *command]
        return subprocess.run(command, cwd=cwd, env={**self.env, **(env or {})}, capture_output=True, text=True, timeout=300)


@pytest.fixture
def fake_gh(tmp_path: Path) -> FakeGh:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    state = tmp_path / "github-releases"
    state.mkdir()
    log = tmp_path / "gh-calls.jsonl"
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "FAKE_GH_STATE": str(state),
        "FAKE_GH_LOG": str(log),
        "GH_REPO": "example/c5data",
        "GH_TOKEN": "not-a-token",
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    return FakeGh(state, log, env)
