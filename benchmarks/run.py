"""Time `c5data validate`, `frictionless validate`, the plain-DuckDB floor and `c5data build` in one run.

Generates a synthetic package of N rows with K injected defects of each kind
(benchmarks/generate.py) in a temporary folder, runs each tool as a subprocess
`--runs` times (interleaved, so drift hits every tool alike), and reports the
median wall time, the median peak RSS of the process (os.wait4), the ratios
computed within this run, and whether each tool reported every injected defect
at its (file, line, code). It also times `c5data validate` on the shipped
package and `c5data --help`, and checks the results against the targets.

    python -m benchmarks.run --rows 1000000 --defects 3 --runs 3
    python -m benchmarks.run --rows 100000 --skip frictionless      # while iterating

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
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # where c5data and frictionless are looked for first (--bin changes it)
TOOLS = ("c5data", "frictionless", "duckdb", "build")

TARGETS = {  # at 1,000,000 rows (validate, build) and on the shipped package (shipped, help)
    "c5data_vs_duckdb_max": 2.0,
    "frictionless_vs_c5data_min": 15.0,
    "c5data_rss_max_mb": 1536.0,
    "build_max_s": 10.0,
    "shipped_max_s": 1.0,
    "help_max_s": 0.3,
}


@dataclass
class Sample:
    seconds: float
    rss_mb: float
    exit_code: int
    stdout: str
    timed_out: bool = False


@dataclass
class ToolResult:
    name: str
    command: list[str]
    samples: list[Sample] = field(default_factory=list)
    available: bool = True
    note: str = ""
    found: int | None = None
    checkable: int | None = None
    missed: list[dict] = field(default_factory=list)
    other_findings: int | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    @property
    def rss_mb(self) -> float | None:
        return statistics.median(s.rss_mb for s in self.samples) if self.samples else None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "command": " ".join(shlex.quote(c) for c in self.command),
            "available": self.available,
            "note": self.note,
            "median_seconds": self.seconds,
            "median_rss_mb": self.rss_mb,
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
    return Sample(seconds, rss_kb / 1024, proc.returncode, text, timed_out)


def _kill_tree(pid: int) -> None:
    """End the command we started and, under GNU time, the command it runs."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(x) for x in children.read_text().split()] if children.exists() else []
    for p in kids + [pid]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, 9)


def generate_package(out: Path, rows: int, defects: int) -> dict:
    """Write the synthetic package in a subprocess (keeps this process small), return its manifest."""
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(out), "--rows", str(rows), "--defects", str(defects)], check=True, stdout=subprocess.DEVNULL
    )
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


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


def score(result: ToolResult, findings: list[tuple[str, int, str]], manifest: dict, code_key: str = "code") -> None:
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
    log=print,
) -> dict:
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
            tool = tools.get(key)
            if tool is None or not tool.samples:
                continue
            try:
                score(tool, parse(tool.samples[-1].stdout), manifest, code_key)
            except (ValueError, KeyError, TypeError) as exc:
                tool.note = f"could not read its output: {exc}"

        extra = {}
        if shipped is not None and "shipped" not in skip:
            samples = [measure([c5data_bin(), "validate", str(shipped)]) for _ in range(max(runs, 3))]
            extra["shipped"] = {
                "median_seconds": statistics.median(s.seconds for s in samples),
                "seconds": [round(s.seconds, 3) for s in samples],
                "exit_code": samples[-1].exit_code,
                "summary": samples[-1].stdout.strip().splitlines()[-1] if samples[-1].stdout.strip() else "",
            }
        if "help" not in skip:
            samples = [measure([c5data_bin(), "--help"]) for _ in range(max(runs, 5))]
            extra["help"] = {"median_seconds": statistics.median(s.seconds for s in samples), "seconds": [round(s.seconds, 3) for s in samples]}
        return summarise(rows, defects, runs, manifest, tools, extra)
    finally:
        if keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def summarise(rows: int, defects: int, runs: int, manifest: dict, tools: dict[str, ToolResult], extra: dict) -> dict:
    c5, fl, dk, bd = (tools.get(k) for k in ("c5data", "frictionless", "duckdb", "build"))
    ratios = {
        "c5data_vs_duckdb": _ratio(c5 and c5.seconds, dk and dk.seconds),
        "frictionless_vs_c5data": _ratio(fl and fl.seconds, c5 and c5.seconds),
    }
    checks = {}
    if ratios["c5data_vs_duckdb"] is not None:
        checks["c5data validate within 2x the DuckDB baseline"] = ratios["c5data_vs_duckdb"] <= TARGETS["c5data_vs_duckdb_max"]
    if ratios["frictionless_vs_c5data"] is not None:
        checks["c5data validate at least 15x faster than frictionless"] = ratios["frictionless_vs_c5data"] >= TARGETS["frictionless_vs_c5data_min"]
    if c5 and c5.rss_mb is not None:
        checks["c5data validate peak RSS <= 1.5 GB"] = c5.rss_mb <= TARGETS["c5data_rss_max_mb"]
    if c5 and c5.found is not None:
        checks["c5data found every injected defect at its line"] = c5.found == len(manifest["defects"])
    if bd and bd.available and bd.seconds is not None:
        checks["c5data build <= 10 s"] = bd.seconds <= TARGETS["build_max_s"] and not bd.note
    if "shipped" in extra:
        checks["c5data validate on the shipped package <= 1 s"] = extra["shipped"]["median_seconds"] <= TARGETS["shipped_max_s"]
    if "help" in extra:
        checks["c5data --help <= 0.3 s"] = extra["help"]["median_seconds"] <= TARGETS["help_max_s"]
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


def machine() -> dict:
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
    for dist in ("c5data", "polars", "pandera", "numpy", "duckdb", "frictionless", "pandas"):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            pass
    return {"cpu": cpu, "nproc": os.cpu_count(), "memory": mem, "os": platform.platform(), "versions": versions}


def report(results: dict) -> str:
    """The results as Markdown: a table of medians, the ratios and the targets."""
    lines = [
        f"{results['rows']:,} rows (participants + pledges; {sum(results['row_counts'].values()):,} rows in all), "
        f"{results['injected']} injected defects ({results['defects_per_kind']} of each kind), "
        f"median of {results['runs']} run(s)",
        "",
        "| tool | median wall (s) | runs (s) | median peak RSS (MB) | defects found | other errors |",
        "|---|---:|---|---:|---|---:|",
    ]
    for _key, t in results["tools"].items():
        if not t["available"]:
            lines.append(f"| {t['name']} | {t['note']} | | | | |")
            continue
        found = ""
        if t["found"] is not None:
            found = f"{t['found']}/{results['injected']}"
            not_checkable = sorted({m["kind"] for m in t["missed"] if m["code"] == "(not checkable)"})
            if not_checkable:
                found += f" (cannot check: {', '.join(not_checkable)})"
        note = f" ({t['note']})" if t["note"] else ""
        lines.append(
            f"| {t['name']}{note} | {t['median_seconds']:.2f} | {', '.join(f'{s:.2f}' for s in t['seconds'])} | "
            f"{t['median_rss_mb']:.0f} | {found} | {'' if t['other_findings'] is None else t['other_findings']} |"
        )
    lines.append("")
    r = results["ratios"]
    if r["c5data_vs_duckdb"] is not None:
        lines.append(f"- c5data validate / DuckDB baseline: **{r['c5data_vs_duckdb']:.2f}×** (target ≤ 2×)")
    if r["frictionless_vs_c5data"] is not None:
        lines.append(f"- frictionless validate / c5data validate: **{r['frictionless_vs_c5data']:.1f}×** (target ≥ 15×)")
    if "shipped" in results:
        s = results["shipped"]
        lines.append(
            f"- c5data validate on the shipped package: {s['median_seconds']:.2f}s (runs {', '.join(map(str, s['seconds']))}; "
            f"exit {s['exit_code']}; `{s['summary'].split(': ', 1)[-1]}`)"
        )
    if "help" in results:
        lines.append(f"- c5data --help: {results['help']['median_seconds']:.3f}s")
    lines += ["", "| target | met |", "|---|---|"]
    lines += [f"| {name} | {'yes' if ok else '**no**'} |" for name, ok in results["targets"].items()]
    missed = [(t["name"], m) for t in results["tools"].values() for m in t["missed"] if m["code"] != "(not checkable)"]
    if missed:
        lines += ["", "Missed defects:"] + [f"- {name}: {m['kind']} at {m['file']}:{m['line']} ({m['code']})" for name, m in missed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", "-n", type=int, default=1_000_000, help="rows of participants + pledges (default 1,000,000)")
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
    results = benchmark(
        args.rows,
        args.defects,
        args.runs,
        skip,
        args.workdir,
        args.keep,
        args.shipped,
        args.build_args,
        args.timeout,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    print(report(results))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
