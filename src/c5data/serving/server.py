"""A static HTTP server for a release on 127.0.0.1, laid out as the Pages site is, with the SQL engine beside it.

    with running("release") as server:      # a free port; server.url is the site's address
        ...

A release folder (one with datapackage.json) is served at `/releases/<version>/`, a published tree (one with
releases.json, as `c5data publish` or the Pages workflow writes it) at `/`; either way `/duckdb-wasm/` holds the
browser SQL engine (the tree's own copy if it has one, else the files npm installed), so the site's relative links
to it are the ones the hosted site uses. Only GET and HEAD, only files inside the served folders, and only on the
loopback interface: it is a reading room for one person's browser, not a web server for others.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import mimetypes
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from c5data.files.paths import inside
from c5data.serving.wasm import ENGINE_DIRNAME, Engine, EngineMissing, find_engine

HOST = "127.0.0.1"
RELEASES = "releases"
TYPES = {
    ".wasm": "application/wasm",  # what WebAssembly.instantiateStreaming requires
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".parquet": "application/vnd.apache.parquet",
    ".duckdb": "application/octet-stream",
}


class Redirect(str):
    """The address a folder's URL without its closing slash moves to (so the page's relative links work)."""


class ServeError(Exception):
    """The folder cannot be served (exit code 2)."""

    exit_code = 2


@dataclass
class Layout:
    """What the server answers: URL path prefixes mapped to folders, and the engine's files."""

    root: Path
    mounts: dict[str, Path]  # "releases/0.2.0" -> the release folder; "" -> a published tree
    start: str  # the path of the site's home page
    engine: dict[str, Path | bytes] = field(default_factory=dict)
    engine_problem: str = ""

    def resolve(self, url_path: str) -> Path | bytes | Redirect | None:
        """The file (or the engine's bytes) a URL path names, or None; never anything outside the served folders."""
        parts = [p for p in PurePosixPath(url_path).parts if p not in ("/", "")]
        if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
            return None
        rel = "/".join(parts)
        if parts[:1] == [ENGINE_DIRNAME] and len(parts) == 2 and parts[1] in self.engine:
            return self.engine[parts[1]]
        if not parts and self.start != "/":
            return Redirect(self.start)
        for prefix, folder in sorted(self.mounts.items(), key=lambda kv: -len(kv[0])):
            if prefix and rel != prefix and not rel.startswith(prefix + "/"):
                continue
            target = folder.joinpath(*parts[len(PurePosixPath(prefix).parts) :])
            if target.is_dir():
                if not url_path.endswith("/"):
                    return Redirect(url_path + "/")
                target = target / "index.html"
            if target.is_file() and inside(target.resolve(), folder.resolve()):
                return target
            return None
        return None


def _version(release: Path) -> str:
    try:
        version = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ServeError(f"{release / 'datapackage.json'}: no version could be read ({exc}); serve a built release (c5data build)") from exc
    if not isinstance(version, str) or not version or "/" in version or version.startswith("."):
        raise ServeError(f"{release / 'datapackage.json'}: version {version!r} cannot be part of an address")
    return version


def layout(folder: str | Path, engine: Engine | None = None) -> Layout:
    """How `folder` is served: a release under /releases/<version>/, a published tree at /; with the engine found."""
    root = Path(folder)
    if not root.is_dir():
        raise ServeError(f"{folder}: no such folder; build a release first (c5data build) or name one")
    if (root / "datapackage.json").is_file():
        prefix = f"{RELEASES}/{_version(root)}"
        out = Layout(root, {prefix: root}, f"/{prefix}/site/")
    elif (root / "releases.json").is_file():
        try:
            latest = json.loads((root / "releases.json").read_text(encoding="utf-8")).get("latest")
        except (OSError, ValueError, AttributeError) as exc:
            raise ServeError(f"{root / 'releases.json'}: not readable ({exc})") from exc
        out = Layout(root, {"": root}, f"/{RELEASES}/{latest}/site/" if latest else "/")
    else:
        raise ServeError(f"{folder}: neither a release (no datapackage.json) nor a published tree (no releases.json)")
    if (root / ENGINE_DIRNAME).is_dir() and "" in out.mounts:
        out.engine = {p.name: p for p in (root / ENGINE_DIRNAME).iterdir() if p.is_file()}
        return out
    try:
        out.engine = (engine or find_engine()).files()
    except (EngineMissing, OSError) as exc:
        out.engine_problem = str(exc)
    return out


class _Handler(BaseHTTPRequestHandler):
    server_version = "c5data"
    layout: Layout

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        found = self.layout.resolve(path)
        if found is None:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return
        if isinstance(found, Redirect):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", found)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        name = found.name if isinstance(found, Path) else path.rsplit("/", 1)[-1]
        suffix = PurePosixPath(name).suffix
        kind = TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
        modified = None
        if isinstance(found, Path):
            stamp = found.stat().st_mtime
            modified = email.utils.formatdate(stamp, usegmt=True)
            since = self.headers.get("If-Modified-Since")
            if since and since == modified:
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("Last-Modified", modified)
                self.end_headers()
                return
        data = found.read_bytes() if isinstance(found, Path) else found
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")  # cached, but revalidated: a rebuilt release is seen at once
        if modified:
            self.send_header("Last-Modified", modified)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # one line per request would drown the URL
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, served: Layout, port: int = 0) -> None:
        handler = type("Handler", (_Handler,), {"layout": served})
        try:
            super().__init__((HOST, port), handler)
        except OSError as exc:
            raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from exc
        self.layout = served

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    @property
    def url(self) -> str:
        """The address of the site's home page."""
        return self.base + self.layout.start

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early (a reload, a cancelled download) is not an error worth a traceback."""


def serve(folder: str | Path, port: int = 0, engine: Engine | None = None) -> Server:
    """A server bound to 127.0.0.1 (a free port when `port` is 0), not yet serving: call `serve_forever()`."""
    return Server(layout(folder, engine), port)


@contextlib.contextmanager
def running(folder: str | Path, port: int = 0, engine: Engine | None = None) -> Iterator[Server]:
    """`serve` in a background thread for the duration of the block (tests, benchmarks)."""
    server = serve(folder, port, engine)
    thread = threading.Thread(target=server.serve_forever, name="c5data-serve", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
