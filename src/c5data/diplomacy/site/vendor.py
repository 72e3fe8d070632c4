"""The search library the site ships (MiniSearch), kept as a copy of the file `npm ci` installs.

The site must search from disk with no network and be built wherever c5data is installed, including the release job,
which installs no npm packages; so the library is a package file (`static/minisearch.js`), copied into every site with
the other static files, rather than read from `node_modules/` at build time as the SQL page's engine is. `package.json`
and `package-lock.json` pin its version and hash, and a test keeps the copy identical to what they install
(`vendored_copy` is how the copy is made: the UMD build without its source-map comment).
"""

from __future__ import annotations

from pathlib import Path

from c5data.serving.wasm import without_source_map

PACKAGE = "minisearch"
BUILD = "dist/umd/index.js"  # the UMD build: a plain <script> defines window.MiniSearch, which file:// pages allow
SCRIPT = "minisearch.js"
LICENCE = "LICENSE-minisearch.txt"


def vendored_copy(node_modules: Path) -> dict[str, bytes]:
    """The files `static/` holds for MiniSearch, made from an npm install: the script and its licence."""
    package = node_modules / PACKAGE
    return {SCRIPT: without_source_map((package / BUILD).read_bytes()), LICENCE: (package / "LICENSE.txt").read_bytes()}
