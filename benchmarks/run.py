"""Time `c5data validate`, `frictionless validate`, the plain-DuckDB floor and `c5data build`, at one size or several.

Generates a synthetic package of N rows with K injected defects of each kind
(benchmarks/generate.py) in a temporary folder, runs each tool as a subprocess
`--runs` times (interleaved, so drift hits every tool alike), and reports the
median wall time, CPU time and peak RSS of each, the ratios computed within
the same run, and whether each tool reported every injected defect at its
(file, line, code). It also times `c5data validate` and `frictionless
validate` on the shipped package and `c5data --help`, and checks the results
against the targets of TARGETS.

    python -m benchmarks.run --sizes 10000,100000,300000,1000000 --svg benchmarks/scaling.svg   # the scaling curve
    python -m benchmarks.run --quick                                                           # under two minutes
    python -m benchmarks.run --rows 100000 --skip frictionless                                 # one size, while iterating

`c5data build` is timed on a defect-free copy of the package when
`c5data build --help` succeeds; otherwise its line says "not available".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # where c5data and frictionless are looked for first (--bin changes it)
TOOLS = ("c5data", "frictionless", "duckdb", "build")

#: The targets, as ratios measured within one run. "at scale" means at 300,000 rows and more.
TARGETS = {
    "c5data_vs_duckdb_max": 1.5,  # at scale
    "frictionless_vs_c5data_min": 15.0,  # at scale
    "c5data_rss_max_mb": 1200.0,  # at 1,000,000 rows
    "build_vs_validate_max": 3.0,  # at scale
    "shipped_max_s": 0.5,  # c5data validate on the shipped package, wall
    "shipped_cpu_vs_frictionless_min": 3.0,  # frictionless CPU / c5data CPU on the shipped package
    "help_max_s": 0.3,
}
AT_SCALE = 300_000
QUICK_SIZES = (10_000, 100_000)


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    exit_code: int
    stdout: str
    timed_out: bool = False
    cpu_seconds: float = 0.0  # user + system, of the command and the processes it waited for


@dataclass
class ToolResult:
    name: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    available: bool = True
    note: str = ""
    found: int | None = None
    checkable: int | None = None
    missed: list[dict[str, Any]] = field(default_factory=list)
    other_findings: int | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    @property
    def rss_mb(self) -> float | None:
        return statistics.median(s.rss_mb for s in self.samples) if self.samples else None

    @property
    def cpu_seconds(self) -> float | None:
        return statistics.median(s.cpu_seconds for s in self.samples) if self.samples else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "command": " ".join(shlex.quote(c) for c in self.command),
            "available": self.available,
            "note": self.note,
            "median_seconds": self.seconds,
            "median_rss_mb": self.rss_mb,
            "median_cpu_seconds": self.cpu_seconds,
            "seconds": [round(s.seconds, 3) for s in self.samples],
            "rss_mb": [round(s.rss_mb, 1) for s in self.samples],
            "exit_codes": [s.exit_code for s in self.samples],
            "found": self.found,
            "checkable": self.checkable,
            "missed": self.missed,
            "other_findings": self.other_findings,
        }


def _gnu_time() -> str | None:
    """GNU time, if installed: it reports the peak RSS of the command alone."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if path is None:
        return None
    try:
        probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def measure(cmd: list[str], cwd: Path | None = None, timeout: float = 3600) -> Sample:
    """Run `cmd`: wall time, peak RSS and stdout.

    The peak RSS comes from GNU time (`%M`) when it is installed. Without it, it is the child's
    ru_maxrss from wait4, which on Linux is at least the RSS of this process at fork time (the
    high-water mark survives exec), so this process keeps itself small: the package is generated
    in a subprocess.
    """
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = started + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                _kill_tree(proc.pid)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
        rss_kb = usage.ru_maxrss
        if GNU_TIME:
            reported = [x for x in rss.read().split() if x.isdigit()]
            rss_kb = int(reported[-1]) if reported else rss_kb
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return Sample(seconds, rss_kb / 1024, proc.returncode, text, timed_out, usage.ru_utime + usage.ru_stime)


def _kill_tree(pid: int) -> None:
    """End the command we started and, under GNU time, the command it runs."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(x) for x in children.read_text().split()] if children.exists() else []
    for p in kids + [pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, 9)


def generate_package(out: Path, rows: int, defects: int) -> dict[str, Any]:
    """Write the synthetic package in a subprocess (keeps this process small), return its manifest."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(out), "--rows", str(rows), "--defects", str(defects)], check=True, stdout=subprocess.DEVNULL
    )
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


# ---- which defects each tool reported -----------------------------------------------------------------


def c5data_findings(stdout: str) -> list[tuple[str, int, str]]:
    report = json.loads(stdout)
    return [(f["file"], f["line"], f["code"]) for f in report["findings"] if f.get("severity") == "error"]


def frictionless_findings(stdout: str) -> list[tuple[str, int, str]]:
    report = json.loads(stdout)
    out = []
    for task in report.get("tasks", []):
        path = task.get("place") or task.get("resource", {}).get("path") or task.get("name")
        for e in task.get("errors", []):
            out.append((path, e.get("rowNumber") or 0, e.get("type")))
    return out


def duckdb_findings(stdout: str) -> list[tuple[str, int, str]]:
    return [(f["file"], f["line"], f["code"]) for f in json.loads(stdout)["findings"]]


def score(result: ToolResult, findings: list[tuple[str, int, str]], manifest: dict[str, Any], code_key: str = "code") -> None:
    """How many injected defects the tool reported at their (file, line, code)."""
    reported = set(findings)
    expected = manifest["defects"]
    checkable = [d for d in expected if d.get(code_key)]
    result.checkable = len(checkable)
    result.found = sum((d["file"], d["line"], d[code_key]) in reported for d in checkable)
    result.missed = [
        {"kind": d["kind"], "file": d["file"], "line": d["line"], "code": d.get(code_key) or "(not checkable)"}
        for d in expected
        if not d.get(code_key) or (d["file"], d["line"], d[code_key]) not in reported
    ]
    wanted = {(d["file"], d["line"], d[code_key]) for d in checkable}
    result.other_findings = len([f for f in findings if f not in wanted])


# ---- the run ------------------------------------------------------------------------------------------


def c5data_bin() -> str:
    found = BIN / "c5data"
    return str(found) if found.exists() else shutil.which("c5data") or "c5data"


def frictionless_bin() -> str:
    found = BIN / "frictionless"
    return str(found) if found.exists() else shutil.which("frictionless") or "frictionless"


def build_command(pkg: Path, out: Path) -> tuple[list[str] | None, str]:
    """`c5data build` for `pkg` into `out`, or None with the reason when the command does not exist."""
    try:
        probe = subprocess.run([c5data_bin(), "build", "--help"], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"not available ({exc})"
    if probe.returncode != 0:
        return None, "not available (`c5data build --help` failed)"
    text = probe.stdout
    cmd = [c5data_bin(), "build", str(pkg)]
    for option in ("--out", "--output", "--dest", "--output-dir", "--out-dir"):
        if f"{option} " in text or f"{option}," in text or f"{option}=" in text or text.rstrip().endswith(option):
            cmd += [option, str(out)]
            break
    return cmd, ""


def benchmark(
    rows: int = 1_000_000,
    defects: int = 3,
    runs: int = 3,
    skip: tuple[str, ...] = (),
    workdir: str | Path | None = None,
    keep: bool = False,
    shipped: str | Path | None = REPO,
    build_args: str | None = None,
    timeout: float = 900,
    log: Callable[[str], object] = print,
) -> dict[str, Any]:
    """Run the whole benchmark; return the results as a dict (see `report` for the text form)."""
    tmp = Path(tempfile.mkdtemp(prefix="c5bench-", dir=workdir))
    try:
        pkg = tmp / "package"
        t0 = time.perf_counter()
        manifest = generate_package(pkg, rows, defects)
        log(f"generated {sum(manifest['row_counts'].values()):,} rows, {len(manifest['defects'])} defects in {time.perf_counter() - t0:.1f}s")

        tools: dict[str, ToolResult] = {}
        if "c5data" not in skip:
            tools["c5data"] = ToolResult("c5data validate", [c5data_bin(), "validate", str(pkg), "--format", "json"])
        if "frictionless" not in skip:
            tools["frictionless"] = ToolResult("frictionless validate", [frictionless_bin(), "validate", "datapackage.json", "--json"])
        if "duckdb" not in skip:
            tools["duckdb"] = ToolResult("duckdb baseline", [sys.executable, str(REPO / "benchmarks" / "duckdb_baseline.py"), str(pkg)])
        build_pkg = None
        if "build" not in skip:
            out = tmp / "release"
            cmd: list[str] | None
            if build_args:
                cmd, why = [c5data_bin(), *shlex.split(build_args.format(package=tmp / "valid", out=out))], ""
            else:
                cmd, why = build_command(tmp / "valid", out)
            if cmd is None:
                tools["build"] = ToolResult("c5data build", [c5data_bin(), "build"], available=False, note=why)
            else:
                build_pkg = tmp / "valid"
                if defects:
                    generate_package(build_pkg, rows, 0)
                else:
                    shutil.copytree(pkg, build_pkg)
                tools["build"] = ToolResult("c5data build", cmd)

        warm_up(tools, Path(shipped) if shipped is not None else None)
        for i in range(runs):
            for key, tool in tools.items():
                if not tool.available:
                    continue
                if key == "build":
                    shutil.rmtree(tmp / "release", ignore_errors=True)
                sample = measure(tool.command, cwd=pkg if key != "build" else build_pkg, timeout=timeout)
                tool.samples.append(sample)
                log(
                    f"run {i + 1}/{runs} {tool.name}: {sample.seconds:.2f}s, {sample.rss_mb:.0f} MB, exit {sample.exit_code}"
                    + (" (timed out)" if sample.timed_out else "")
                )
                if sample.timed_out:
                    tool.note = f"stopped after {timeout:.0f} s"
                elif key == "build" and sample.exit_code != 0:
                    tool.note = f"exit code {sample.exit_code}"

        parsers = {"c5data": (c5data_findings, "code"), "frictionless": (frictionless_findings, "frictionless_code"), "duckdb": (duckdb_findings, "code")}
        for key, (parse, code_key) in parsers.items():
            parsed = tools.get(key)
            if parsed is None or not parsed.samples:
                continue
            tool = parsed
            try:
                score(tool, parse(tool.samples[-1].stdout), manifest, code_key)
            except (ValueError, KeyError, TypeError) as exc:
                tool.note = f"could not read its output: {exc}"

        extra = {}
        if shipped is not None and "shipped" not in skip:
            extra["shipped"] = shipped_package(Path(shipped), max(runs, 3), with_frictionless="frictionless" not in skip)
        if "help" not in skip:
            samples = [measure([c5data_bin(), "--help"]) for _ in range(max(runs, 5))]
            extra["help"] = {"median_seconds": statistics.median(s.seconds for s in samples), "seconds": [round(s.seconds, 3) for s in samples]}
        return summarise(rows, defects, runs, manifest, tools, extra)
    finally:
        if keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def warm_up(tools: dict[str, ToolResult], shipped: Path | None) -> None:
    """Run each tool once, untimed, on the small shipped package: the libraries are then in the page cache.

    On a disk whose cache is reclaimed quickly the first start of polars or
    DuckDB can take seconds longer than the next; without this the first
    timed run of every size pays for it.
    """
    if shipped is None or not (shipped / "datapackage.json").is_file():
        return
    warm = {
        "c5data": [c5data_bin(), "validate", str(shipped)],
        "build": [c5data_bin(), "validate", str(shipped)],  # the same libraries as validate
        "frictionless": [frictionless_bin(), "validate", "datapackage.json"],
        "duckdb": [sys.executable, "-c", "import duckdb, polars"],
    }
    commands = {tuple(warm[key]) for key, tool in tools.items() if tool.available}
    for command in sorted(commands):
        measure(list(command), cwd=shipped, timeout=300)


def shipped_package(root: Path, runs: int, with_frictionless: bool = True) -> dict[str, Any]:
    """`c5data validate` (and `frictionless validate`, interleaved) on a real package: wall and CPU medians."""
    ours: list[Sample] = []
    theirs: list[Sample] = []
    for _ in range(runs):
        ours.append(measure([c5data_bin(), "validate", str(root)]))
        if with_frictionless:
            theirs.append(measure([frictionless_bin(), "validate", "datapackage.json"], cwd=root))
    out = {
        "median_seconds": statistics.median(s.seconds for s in ours),
        "median_cpu_seconds": statistics.median(s.cpu_seconds for s in ours),
        "seconds": [round(s.seconds, 3) for s in ours],
        "cpu_seconds": [round(s.cpu_seconds, 3) for s in ours],
        "exit_code": ours[-1].exit_code,
        "summary": ours[-1].stdout.strip().splitlines()[-1] if ours[-1].stdout.strip() else "",
    }
    if theirs:
        out["frictionless"] = {
            "median_seconds": statistics.median(s.seconds for s in theirs),
            "median_cpu_seconds": statistics.median(s.cpu_seconds for s in theirs),
            "seconds": [round(s.seconds, 3) for s in theirs],
            "cpu_seconds": [round(s.cpu_seconds, 3) for s in theirs],
        }
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def summarise(rows: int, defects: int, runs: int, manifest: dict[str, Any], tools: dict[str, ToolResult], extra: dict[str, Any]) -> dict[str, Any]:
    c5, fl, dk, bd = (tools.get(k) for k in ("c5data", "frictionless", "duckdb", "build"))

    def seconds(tool: ToolResult | None) -> float | None:
        return tool.seconds if tool is not None else None

    built = seconds(bd) if bd is not None and bd.available and not bd.note else None
    ratios = {
        "c5data_vs_duckdb": _ratio(seconds(c5), seconds(dk)),
        "frictionless_vs_c5data": _ratio(seconds(fl), seconds(c5)),
        "build_vs_validate": _ratio(built, seconds(c5)),
    }
    checks = {}
    if c5 and c5.found is not None:
        checks["c5data found every injected defect at its line"] = c5.found == len(manifest["defects"])
    if rows >= AT_SCALE:
        if ratios["c5data_vs_duckdb"] is not None:
            checks[f"c5data validate within {TARGETS['c5data_vs_duckdb_max']:g}x the DuckDB floor"] = ratios["c5data_vs_duckdb"] <= TARGETS["c5data_vs_duckdb_max"]
        if ratios["frictionless_vs_c5data"] is not None:
            checks[f"c5data validate at least {TARGETS['frictionless_vs_c5data_min']:g}x faster than frictionless"] = (
                ratios["frictionless_vs_c5data"] >= TARGETS["frictionless_vs_c5data_min"]
            )
        if bd and bd.available:
            checks[f"c5data build within {TARGETS['build_vs_validate_max']:g}x c5data validate"] = (
                ratios["build_vs_validate"] is not None and ratios["build_vs_validate"] <= TARGETS["build_vs_validate_max"]
            )
    if rows >= 1_000_000 and c5 and c5.rss_mb is not None:
        checks[f"c5data validate peak RSS <= {TARGETS['c5data_rss_max_mb']:g} MB"] = c5.rss_mb <= TARGETS["c5data_rss_max_mb"]
    if "shipped" in extra:
        shipped = extra["shipped"]
        checks[f"c5data validate on the shipped package <= {TARGETS['shipped_max_s']:g} s"] = shipped["median_seconds"] <= TARGETS["shipped_max_s"]
        if "frictionless" in shipped:
            ratio = _ratio(shipped["frictionless"]["median_cpu_seconds"], shipped["median_cpu_seconds"])
            shipped["frictionless_cpu_vs_c5data"] = ratio
            checks[f"on the shipped package, frictionless uses at least {TARGETS['shipped_cpu_vs_frictionless_min']:g}x the CPU of c5data"] = (
                ratio is not None and ratio >= TARGETS["shipped_cpu_vs_frictionless_min"]
            )
    if "help" in extra:
        checks[f"c5data --help <= {TARGETS['help_max_s']:g} s"] = extra["help"]["median_seconds"] <= TARGETS["help_max_s"]
    return {
        "rows": rows,
        "defects_per_kind": defects,
        "runs": runs,
        "row_counts": manifest["row_counts"],
        "injected": len(manifest["defects"]),
        "manifest": manifest["defects"],
        "tools": {k: t.to_dict() for k, t in tools.items()},
        "ratios": ratios,
        "targets": checks,
        **extra,
        "machine": machine(),
    }


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = {"python": platform.python_version()}
    # pandas is no dependency of c5data, but pandera imports it whenever it is installed (+0.5 s per start)
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("c5data", "polars", "pandera", "numpy", "duckdb", "frictionless", "pandas"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = "not installed"
    return {"cpu": cpu, "nproc": os.cpu_count(), "memory": mem, "os": platform.platform(), "versions": versions}


def report(results: dict[str, Any]) -> str:
    """The results as Markdown: a table of medians, the ratios and the targets."""
    lines = [
        f"{results['rows']:,} rows (participants + pledges; {sum(results['row_counts'].values()):,} rows in all), "
        f"{results['injected']} injected defects ({results['defects_per_kind']} of each kind), "
        f"median of {results['runs']} run(s)",
        "",
        "| tool | median wall (s) | runs (s) | median CPU (s) | median peak RSS (MB) | defects found | other errors |",
        "|---|---:|---|---:|---:|---|---:|",
    ]
    for _key, t in results["tools"].items():
        if not t["available"]:
            lines.append(f"| {t['name']} | {t['note']} | | | | | |")
            continue
        found = ""
        if t["found"] is not None:
            found = f"{t['found']}/{results['injected']}"
            not_checkable = sorted({m["kind"] for m in t["missed"] if m["code"] == "(not checkable)"})
            if not_checkable:
                found += f" (cannot check: {', '.join(not_checkable)})"
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(
            f"| {t['name']}{note} | {t['median_seconds']:.2f} | {', '.join(f'{s:.2f}' for s in t['seconds'])} | {t['median_cpu_seconds']:.2f} | "
            f"{t['median_rss_mb']:.0f} | {found} | {'' if t['other_findings'] is None else t['other_findings']} |"
        )
    lines.append("")
    r = results["ratios"]
    if r["c5data_vs_duckdb"] is not None:
        lines.append(f"- c5data validate / DuckDB floor: **{r['c5data_vs_duckdb']:.2f}×** (target ≤ {TARGETS['c5data_vs_duckdb_max']:g}× at scale)")
    if r["frictionless_vs_c5data"] is not None:
        lines.append(f"- frictionless validate / c5data validate: **{r['frictionless_vs_c5data']:.1f}×** (target ≥ {TARGETS['frictionless_vs_c5data_min']:g}× at scale)")
    if r.get("build_vs_validate") is not None:
        lines.append(f"- c5data build / c5data validate: **{r['build_vs_validate']:.1f}×** (target ≤ {TARGETS['build_vs_validate_max']:g}× at scale)")
    if "shipped" in results:
        s = results["shipped"]
        lines.append(
            f"- c5data validate on the shipped package: {s['median_seconds']:.2f} s wall, {s['median_cpu_seconds']:.2f} s CPU "
            f"(runs {', '.join(map(str, s['seconds']))}; exit {s['exit_code']}; `{s['summary'].split(': ', 1)[-1]}`)"
        )
        if "frictionless" in s:
            f = s["frictionless"]
            lines.append(
                f"- frictionless validate on the shipped package: {f['median_seconds']:.2f} s wall, {f['median_cpu_seconds']:.2f} s CPU: "
                f"**{s['frictionless_cpu_vs_c5data']:.2f}×** the CPU of c5data (target ≥ {TARGETS['shipped_cpu_vs_frictionless_min']:g}×)"
            )
    if "help" in results:
        lines.append(f"- c5data --help: {results['help']['median_seconds']:.3f}s")
    lines += ["", "| target | met |", "|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in results["targets"].items()]
    missed = [(t["name"], m) for t in results["tools"].values() for m in t["missed"] if m["code"] != "(not checkable)"]
    if missed:
        lines += ["", "Missed defects:"] + [f"- {name}: {m['kind']} at {m['file']}:{m['line']} ({m['code']})" for name, m in missed]
    return "\n".join(lines)


def scaling(sizes: tuple[int, ...], log: Callable[[str], object] = print, **options: Any) -> dict[str, Any]:
    """`benchmark` at each size (the shipped package and --help once, with the largest); the medians by size."""
    by_size = []
    skip = tuple(options.pop("skip", ()))
    ordered = sorted(sizes)
    for rows in ordered:
        log(f"== {rows:,} rows")
        by_size.append(benchmark(rows, skip=skip if rows == ordered[-1] else (*skip, "shipped", "help"), log=log, **options))
    series: dict[str, list[tuple[int, float]]] = {}
    for result in by_size:
        for key, tool in result["tools"].items():
            if tool["available"] and tool["median_seconds"] and not tool["note"]:
                series.setdefault(key, []).append((result["rows"], tool["median_seconds"]))
    return {"sizes": by_size, "series": series}


def scaling_report(results: dict[str, Any]) -> str:
    """One table over all sizes (wall medians and ratios), then each size's own report."""
    lines = [
        "| rows | c5data validate (s) | DuckDB floor (s) | frictionless (s) | c5data build (s) "
        "| validate / floor | frictionless / validate | build / validate | validate RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def cell(value: float | None, form: str) -> str:
        return format(value, form) if value is not None else "–"

    for result in results["sizes"]:
        t, r = result["tools"], result["ratios"]

        def wall(key: str, tools: dict[str, Any] = t) -> float | None:
            tool = tools.get(key)
            return tool["median_seconds"] if tool and tool["available"] and not tool["note"] else None

        c5 = t.get("c5data") or {}
        lines.append(
            f"| {result['rows']:,} | {cell(wall('c5data'), '.2f')} | {cell(wall('duckdb'), '.2f')} | {cell(wall('frictionless'), '.2f')} | "
            f"{cell(wall('build'), '.2f')} | {cell(r['c5data_vs_duckdb'], '.2f')}× | {cell(r['frictionless_vs_c5data'], '.1f')}× | "
            f"{cell(r.get('build_vs_validate'), '.1f')}× | {cell(c5.get('median_rss_mb'), '.0f')} |"
        )
    for result in results["sizes"]:
        lines += ["", f"### {result['rows']:,} rows", "", report(result)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", "-n", type=int, default=1_000_000, help="rows of participants + pledges (default 1,000,000)")
    ap.add_argument("--sizes", default=None, help="comma-separated row counts to run in turn, e.g. 10000,100000,300000,1000000 (overrides --rows)")
    ap.add_argument("--quick", action="store_true", help=f"sizes {', '.join(f'{n:,}' for n in QUICK_SIZES)}, one run each: under two minutes")
    ap.add_argument("--svg", default=None, help="with --sizes or --quick: write the log-log plot of time against rows to this file")
    ap.add_argument("--defects", "-k", type=int, default=3, help="defects injected of each kind (default 3)")
    ap.add_argument("--runs", "-r", type=int, default=3, help="runs of each tool; the median is reported (default 3)")
    ap.add_argument("--skip", default="", help=f"comma-separated parts to skip: {', '.join(TOOLS)}, shipped, help")
    ap.add_argument("--shipped", default=str(REPO), help="package whose validation time is checked against 1 s (default: this repository)")
    ap.add_argument(
        "--build-args",
        default=None,
        help="arguments after `c5data` for the build, with {package} and {out}, e.g. 'build {package} --out {out}' (default: read from `c5data build --help`)",
    )
    ap.add_argument("--bin", default=None, help="folder holding the c5data and frictionless commands to time (default: beside this Python)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds after which one run of a tool is stopped (default 900)")
    ap.add_argument("--workdir", default=None, help="where to make the temporary package (default: the system temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the generated package")
    ap.add_argument("--json", dest="json_out", default=None, help="also write the full results as JSON to this file")
    args = ap.parse_args(argv)
    if args.bin:
        global BIN
        BIN = Path(args.bin)
    skip = tuple(s.strip() for s in args.skip.split(",") if s.strip())
    log = lambda msg: print(msg, file=sys.stderr, flush=True)
    options = {"workdir": args.workdir, "keep": args.keep, "shipped": args.shipped, "build_args": args.build_args, "timeout": args.timeout}
    if args.quick or args.sizes:
        sizes = QUICK_SIZES if args.quick else tuple(int(x) for x in args.sizes.split(","))
        runs = 1 if args.quick else args.runs
        results = scaling(sizes, log=log, defects=args.defects, runs=runs, skip=skip, **options)
        print(scaling_report(results))
        if args.svg:
            from benchmarks.plot import scaling_svg

            title = f"Time against rows, medians of {runs} run(s), {os.cpu_count()} cores"
            Path(args.svg).write_text(scaling_svg(results["series"], title), encoding="utf-8")
    else:
        results = benchmark(args.rows, args.defects, args.runs, skip, log=log, **options)
        print(report(results))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
