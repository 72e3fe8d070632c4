"""Measure the site's SQL page in headless Chromium: what it transfers, and how long until the first result, cold and warm.

Serves a built release with `c5data serve`'s library on 127.0.0.1, then, `--runs` times, opens the SQL page with a
README example in its address in a fresh browser context (empty cache: cold) and once more in the same context
(a new page with the HTTP cache and compiled WebAssembly kept: warm), timing from navigation to the rows on the page. The baseline, in
the same run, is Python DuckDB opening `c5data.duckdb` and running the same SQL. It reports the bytes of every
response of the cold load (as sent by `c5data serve`, uncompressed, and as gzip -6 would send them, as a compressing
host such as GitHub Pages does), the medians, their ratios to the baseline, and the versions of DuckDB-WASM and of
the DuckDB inside it.

    python -m benchmarks.sql_page release --runs 5 --json sql-page.json
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from c5data.diplomacy.site.sql_page import EXAMPLES
from c5data.serving.server import running
from c5data.serving.wasm import find_engine

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update"]


def first_result(page: Page, url: str) -> float:
    """Seconds from navigation to the rows of the query in the address being on the page."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function("window.C5DATA_SQL && window.C5DATA_SQL.last() && document.querySelector('#sql-result tbody, #sql-error:not([hidden])')", timeout=120_000)
    elapsed = time.perf_counter() - started
    last = page.evaluate("window.C5DATA_SQL.last()")
    if "error" in last:
        raise SystemExit(f"the example failed in the browser: {last['error']}")
    return elapsed


def baseline(release: Path, sql: str) -> float:
    import duckdb

    started = time.perf_counter()
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    con.sql(sql).fetchall()
    con.close()
    return time.perf_counter() - started


def _count_response(sizes: dict[str, int], response: Response) -> None:
    """Bytes of each file a page fetched, from the Content-Length of its 200 responses."""
    if response.status == 200:
        sizes[response.url] = int(response.headers.get("content-length", "0"))


def measure(release: Path, runs: int, browser: Browser | None = None) -> dict[str, Any]:
    """The measurements, in a browser launched here or in `browser` (a Playwright browser already running)."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return measure(release, runs, launched)
            finally:
                launched.close()
    example = EXAMPLES[0]
    engine = find_engine()
    out: dict[str, Any] = {"example": example.sql, "runs": runs, "cold_s": [], "warm_s": [], "baseline_s": [], "files": {}}
    with running(release, engine=engine) as server:
        version = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["version"]
        url = server.url + "sql.html#" + urlencode({"v": version, "sql": example.sql})
        for i in range(runs):
            out["baseline_s"].append(baseline(release, example.sql))
            context = browser.new_context()
            page = context.new_page()
            sizes: dict[str, int] = {}
            page.on("response", functools.partial(_count_response, sizes))
            out["cold_s"].append(first_result(page, url))
            if i == 0:
                for address, size in sizes.items():
                    name = address.removeprefix(server.base)
                    local = server.layout.resolve(name.split("#")[0].split("?")[0])
                    body = local.read_bytes() if isinstance(local, Path) else local if isinstance(local, bytes) else b""
                    out["files"][name] = {"bytes": size, "gzip_bytes": len(gzip.compress(body, 6)) if body else size}
                out["duckdb"] = page.evaluate("window.C5DATA_SQL.run('SELECT version() AS v')")["rows"][0][0]
            page.close()
            out["warm_s"].append(first_result(context.new_page(), url))  # a new page, the same cache
            context.close()
    out["duckdb_wasm"] = engine.duckdb_wasm_version
    out["parquet_wasm"] = engine.parquet_wasm_version
    out["transfer_bytes"] = sum(f["bytes"] for f in out["files"].values())
    out["transfer_gzip_bytes"] = sum(f["gzip_bytes"] for f in out["files"].values())
    for kind in ("cold", "warm", "baseline"):
        out[f"{kind}_median_s"] = statistics.median(out[f"{kind}_s"])
    out["cold_over_baseline"] = out["cold_median_s"] / out["baseline_median_s"]
    out["warm_over_baseline"] = out["warm_median_s"] / out["baseline_median_s"]
    return out


def report(r: dict[str, Any]) -> str:

    def mb(n: float) -> str:
        return f"{n / 1e6:.1f} MB"

    lines = [
        f"DuckDB-WASM {r['duckdb_wasm']} (DuckDB {r['duckdb']} inside), parquet-wasm {r['parquet_wasm']}; query: {r['example']}",
        f"transfer of a cold load: {mb(r['transfer_bytes'])} uncompressed, {mb(r['transfer_gzip_bytes'])} with gzip -6, in {len(r['files'])} responses",
        f"first result, median of {r['runs']}: cold {r['cold_median_s']:.2f} s, warm {r['warm_median_s']:.2f} s; "
        f"Python DuckDB on c5data.duckdb {r['baseline_median_s'] * 1000:.1f} ms (cold {r['cold_over_baseline']:.0f}x, warm {r['warm_over_baseline']:.0f}x)",
    ]
    for name, f in sorted(r["files"].items(), key=lambda kv: -kv[1]["bytes"]):
        lines.append(f"  {f['bytes']:>11,} B  {f['gzip_bytes']:>11,} B gzip  {name}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("release", type=Path, nargs="?", default=Path("release"), help="a built release folder (default: release)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the measurements as JSON")
    args = ap.parse_args(argv)
    result = measure(args.release, args.runs)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
