"""`c5data serve` and its library: the Pages layout on 127.0.0.1, nothing outside the served folders, a clean stop."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from c5data.serving.server import HOST, ServeError, layout, running


def make_release(folder: Path, version: str = "1.2.3") -> Path:
    (folder / "site").mkdir(parents=True)
    (folder / "parquet").mkdir()
    (folder / "datapackage.json").write_text(json.dumps({"name": "x", "version": version, "resources": []}), encoding="utf-8")
    (folder / "site" / "index.html").write_text("<p>home</p>\n", encoding="utf-8")
    (folder / "parquet" / "x.parquet").write_bytes(b"PAR1data")
    return folder


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def raw_status(server, path: str) -> int:
    """The status of a request sent as written (urllib would normalise `..` away)."""
    conn = http.client.HTTPConnection(HOST, server.server_address[1], timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_release_is_served_where_pages_puts_it_with_the_engine_beside(tmp_path: Path, node_modules: Path) -> None:
    release = make_release(tmp_path / "release")
    with running(release) as server:
        assert server.url == f"http://{HOST}:{server.server_address[1]}/releases/1.2.3/site/"
        status, headers, body = get(server.url)
        assert (status, body) == (200, b"<p>home</p>\n") and headers["Content-Type"].startswith("text/html")
        assert get(server.base + "/")[2] == b"<p>home</p>\n"  # the address alone leads to the site
        assert get(server.base + "/releases/1.2.3/parquet/x.parquet")[2] == b"PAR1data"
        status, headers, body = get(server.base + "/duckdb-wasm/duckdb-eh.wasm")
        assert (status, headers["Content-Type"], body) == (200, "application/wasm", b"\0asm-eh")
        assert get(server.base + "/duckdb-wasm/engine.json")[1]["Content-Type"] == "application/json"
        assert get(server.base + "/duckdb-wasm/duckdb-browser.mjs")[1]["Content-Type"] == "text/javascript"


def test_nothing_outside_the_served_folders_is_answered(tmp_path: Path, node_modules: Path) -> None:
    release = make_release(tmp_path / "release")
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    (release / "site" / "link.txt").symlink_to(tmp_path / "secret.txt")
    with running(release) as server:
        for path in ("/releases/1.2.3/../secret.txt", "/releases/1.2.3/%2e%2e/secret.txt", "/releases/1.2.3/site/link.txt", "/secret.txt", "/duckdb-wasm/../secret.txt"):
            assert raw_status(server, path) == 404, path
        assert get(server.base + "/releases/9.9.9/site/")[0] == 404
        assert get(server.base + "/duckdb-wasm/package.json")[0] == 404


def test_a_file_is_revalidated_rather_than_sent_again(tmp_path: Path, node_modules: Path) -> None:
    with running(make_release(tmp_path / "release")) as server:
        _, headers, _ = get(server.url)
        status, _, body = get(server.url, {"If-Modified-Since": headers["Last-Modified"]})
        assert (status, body) == (304, b"")


def test_a_published_tree_is_served_as_it_is_with_its_own_engine(tmp_path: Path, node_modules: Path) -> None:
    tree = tmp_path / "pages"
    make_release(tree / "releases" / "2.0.0", "2.0.0")
    (tree / "releases.json").write_text(json.dumps({"latest": "2.0.0", "releases": []}), encoding="utf-8")
    (tree / "duckdb-wasm").mkdir()
    (tree / "duckdb-wasm" / "duckdb-eh.wasm").write_bytes(b"\0asm-tree")
    with running(tree) as server:
        assert server.url.endswith("/releases/2.0.0/site/")
        assert get(server.base + "/duckdb-wasm/duckdb-eh.wasm")[2] == b"\0asm-tree"
        assert get(server.base + "/releases.json")[0] == 200


def test_without_the_engine_the_site_is_served_and_the_reason_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C5DATA_NODE_MODULES", str(tmp_path / "none"))
    served = layout(make_release(tmp_path / "release"))
    assert served.engine == {} and "npm ci" in served.engine_problem


@pytest.mark.parametrize("make, message", [(lambda p: p / "missing", "no such folder"), (lambda p: p, "neither a release")])
def test_what_cannot_be_served_is_refused_with_a_reason(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(ServeError, match=message):
        layout(make(tmp_path))


def test_a_version_that_is_not_an_address_part_is_refused(tmp_path: Path) -> None:
    release = make_release(tmp_path / "release", "../x")
    with pytest.raises(ServeError, match="cannot be part of an address"):
        layout(release)


@pytest.mark.slow
def test_the_command_prints_the_address_and_stops_cleanly_on_ctrl_c(tmp_path: Path, node_modules: Path) -> None:
    release = make_release(tmp_path / "release")
    env = {**os.environ, "C5DATA_NODE_MODULES": str(node_modules)}
    proc = subprocess.Popen([sys.executable, "-m", "c5data", "serve", str(release)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = proc.stdout.readline() if proc.stdout else ""
        url = re.search(r"http://127\.0\.0\.1:\d+/releases/1\.2\.3/site/", first)
        assert url, first
        assert get(url.group(0))[0] == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill() if proc.poll() is None else None
    assert proc.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err and err == ""


def test_the_command_refuses_a_folder_that_is_not_a_release(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from c5data.cli import main

    result = CliRunner().invoke(main, ["serve", str(tmp_path / "missing")])
    assert result.exit_code == 2  # the commands' one convention: a missing path is a usage error that names it
    assert "missing" in result.output and "does not exist" in result.output and "Traceback" not in result.output
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "c5data serve:" in result.output and "Traceback" not in result.output
