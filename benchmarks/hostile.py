"""Hostile inputs for the memory and time bounds: a gzip bomb, an all-invalid package and very wide tables.

Each generator writes a small Data Package into a folder you name; `measure` runs
`c5data validate` on it under GNU `time -v` and reports wall time and peak RSS.

    python -m benchmarks.hostile bomb ~/c5bench/bomb --mb 5
    python -m benchmarks.hostile invalid ~/c5bench/invalid --rows 250000
    python -m benchmarks.hostile wide ~/c5bench/wide --fields 2000
    python -m benchmarks.hostile measure ~/c5bench/bomb ~/c5bench/invalid --timeout 900
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

#: Fields of the all-invalid package: each value breaks one check (about a dozen failing checks per row).
INVALID_FIELDS = 12


def _descriptor(root: Path, fields: list[dict[str, Any]], path: str | list[str], extra: dict[str, Any] | None = None) -> None:
    root.mkdir(parents=True, exist_ok=True)
    resource = {"name": "t", "path": path, "schema": {"fields": fields}} | (extra or {})
    (root / "datapackage.json").write_text(json.dumps({"name": "hostile", "version": "0.1.0", "resources": [resource]}, indent=1), encoding="utf-8")


def bomb(root: Path, mb: float = 5, parts: int = 1) -> Path:
    """A `.csv.gz` of about `mb` MB that decompresses to about a thousand times more (one short cell per row).

    Built from one compressed gzip member repeated: gzip readers concatenate members, so the file costs
    seconds to write whatever it expands to.
    """
    _descriptor(root, [{"name": "a", "type": "string"}], [f"data/t{k}.csv.gz" for k in range(parts)] if parts > 1 else "data/t.csv.gz")
    (root / "data").mkdir(exist_ok=True)
    member = gzip.compress(b"x\n" * (32 << 20), compresslevel=9)  # 64 MiB of rows
    for k in range(parts):
        repeats = max(1, int(mb * 1e6 / len(member)))
        with open(root / "data" / (f"t{k}.csv.gz" if parts > 1 else "t.csv.gz"), "wb") as fh:
            if k == 0:
                fh.write(gzip.compress(b"a\n"))
            for _ in range(repeats):
                fh.write(member)
    return root


def invalid(root: Path, rows: int = 250_000) -> Path:
    """`rows` rows, every one breaking about a dozen checks (types, bounds, lengths, enums, patterns)."""
    fields: list[dict[str, Any]] = []
    for j in range(INVALID_FIELDS):
        kind = j % 4
        if kind == 0:
            fields.append({"name": f"f{j}", "type": "integer"})
        elif kind == 1:
            fields.append({"name": f"f{j}", "type": "string", "constraints": {"enum": ["a", "b"]}})
        elif kind == 2:
            fields.append({"name": f"f{j}", "type": "string", "constraints": {"pattern": "[0-9]+", "maxLength": 2}})
        else:
            fields.append({"name": f"f{j}", "type": "number", "constraints": {"minimum": 10}})
    _descriptor(root, fields, "data/t.csv")
    (root / "data").mkdir(exist_ok=True)
    bad = ["x", "zz", "abc", "1"] * (INVALID_FIELDS // 4)
    line = ",".join(bad[:INVALID_FIELDS]) + "\n"
    with open(root / "data" / "t.csv", "w", encoding="utf-8") as fh:
        fh.write(",".join(f["name"] for f in fields) + "\n")
        fh.write(line * rows)
    return root


def wide(root: Path, fields: int = 2000, rows: int = 100) -> Path:
    """A valid table of `fields` string and integer fields and `rows` rows."""
    schema = [{"name": f"c{j}", "type": "integer" if j % 2 else "string"} for j in range(fields)]
    _descriptor(root, schema, "data/t.csv")
    (root / "data").mkdir(exist_ok=True)
    line = ",".join(str(j) if j % 2 else f"v{j}" for j in range(fields)) + "\n"
    with open(root / "data" / "t.csv", "w", encoding="utf-8") as fh:
        fh.write(",".join(f["name"] for f in schema) + "\n")
        fh.write(line * rows)
    return root


def measure(package: Path, timeout: float = 900, command: str = "validate") -> dict[str, Any]:
    """Wall seconds, peak RSS (MB) and exit code of `c5data <command> PACKAGE` under GNU time."""
    args = ["/usr/bin/time", "-v", sys.executable, "-m", "c5data", command, str(package)]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"package": str(package), "timed_out": timeout}
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    seconds = None
    if wall:
        seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    last = [line for line in proc.stdout.splitlines() + proc.stderr.splitlines() if line.strip() and not line.startswith("\t")]
    return {"package": str(package), "exit": proc.returncode, "seconds": seconds, "peak_mb": int(rss.group(1)) / 1024 if rss else None, "said": last[:2]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["bomb", "invalid", "wide", "measure"])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--fields", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    if args.what == "measure":
        for path in args.paths:
            print(json.dumps(measure(path, args.timeout)), flush=True)
        return 0
    for path in args.paths:
        if path.exists():
            shutil.rmtree(path)
        if args.what == "bomb":
            bomb(path, args.mb, args.parts)
        elif args.what == "invalid":
            invalid(path, args.rows or 250_000)
        else:
            wide(path, args.fields, args.rows or 100)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
