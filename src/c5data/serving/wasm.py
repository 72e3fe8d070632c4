"""The browser SQL engine: DuckDB-WASM's files, taken from `node_modules/` (installed by `npm ci`) and laid out once.

The site's SQL page loads the engine from `duckdb-wasm/` beside the `releases/` folder (three levels above a
release's `site/` folder), so every version of the Pages tree shares one copy, and `c5data serve` gives the same
address. Only the `eh` bundle is shipped: it is the smallest one (WebAssembly exceptions, no threads) that current
Chromium, Firefox and Safari run; the `mvp` bundle would add ~39 MB for browsers older than those, and the
threaded `coi` bundle needs cross-origin isolation headers that GitHub Pages cannot send.

DuckDB-WASM's npm builds read Parquet only through DuckDB's `parquet` extension, which they download from the
DuckDB extension site at run time. The page installs no extension, so Parquet files are decoded by `parquet-wasm`
(also from npm, pinned) into Arrow, which DuckDB-WASM takes in as tables with the same column types.

DuckDB-WASM's main-thread module imports `apache-arrow` by its bare package name, which a browser cannot resolve
without a bundler. Rather than add one, the layout rewrites that one specifier to `./apache-arrow.mjs`, a module
made here from Arrow's own single-file UMD build, exporting the names Arrow's browser entry point exports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

ENGINE_DIRNAME = "duckdb-wasm"
DUCKDB_WASM = "@duckdb/duckdb-wasm"
ARROW = "apache-arrow"
PARQUET_WASM = "parquet-wasm"
BUNDLE = "eh"
#: The page reads these; `engine.json` says which versions they are.
MAIN_MODULE = "duckdb-browser.mjs"
WORKER = f"duckdb-browser-{BUNDLE}.worker.js"
WASM = f"duckdb-{BUNDLE}.wasm"
ARROW_MODULE = "apache-arrow.mjs"
PARQUET_MODULE = "parquet_wasm.js"
PARQUET_WASM_FILE = "parquet_wasm_bg.wasm"
MANIFEST = "engine.json"
BARE_IMPORT = b'from"apache-arrow"'
ENV = "C5DATA_NODE_MODULES"


class EngineMissing(Exception):
    """The DuckDB-WASM files are not installed (or not as this version of c5data expects them)."""


@dataclass(frozen=True)
class Engine:
    node_modules: Path
    duckdb_wasm_version: str
    arrow_version: str
    parquet_wasm_version: str

    @property
    def dist(self) -> Path:
        return self.node_modules / DUCKDB_WASM / "dist"

    def files(self) -> dict[str, Path | bytes]:
        """Each file of the engine folder: a file to copy as it is, or the bytes made here."""
        main = (self.dist / MAIN_MODULE).read_bytes()
        if main.count(BARE_IMPORT) == 0:
            raise EngineMissing(f"{self.dist / MAIN_MODULE}: no import of apache-arrow; not the DuckDB-WASM that package-lock.json pins (run npm ci)")
        arrow = self.node_modules / ARROW
        return {
            MAIN_MODULE: without_source_map(main.replace(BARE_IMPORT, b'from"./' + ARROW_MODULE.encode() + b'"')),
            WORKER: without_source_map((self.dist / WORKER).read_bytes()),
            WASM: self.dist / WASM,
            ARROW_MODULE: arrow_module(arrow),
            MANIFEST: (json.dumps(self.manifest(), indent=2, sort_keys=True) + "\n").encode(),
            PARQUET_MODULE: self.node_modules / PARQUET_WASM / "esm" / PARQUET_MODULE,
            PARQUET_WASM_FILE: self.node_modules / PARQUET_WASM / "esm" / PARQUET_WASM_FILE,
            "LICENSE-duckdb-wasm.txt": _mit_notice(self),
            "LICENSE-parquet-wasm.txt": self.node_modules / PARQUET_WASM / "LICENSE_MIT",
            "LICENSE-apache-arrow.txt": arrow / "LICENSE.txt",
            "NOTICE-apache-arrow.txt": arrow / "NOTICE.txt",
        }

    def manifest(self) -> dict[str, str]:
        """What the page shows and cites: the package versions and the bundle."""
        return {"duckdb-wasm": self.duckdb_wasm_version, "apache-arrow": self.arrow_version, "parquet-wasm": self.parquet_wasm_version, "bundle": BUNDLE}


_SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")


def without_source_map(script: bytes) -> bytes:
    """The script without its closing source-map comment: the maps are not shipped, and a browser's developer
    tools asking for one would only meet a 404."""
    return _SOURCE_MAP.sub(b"\n", script)


def _mit_notice(engine: Engine) -> bytes:
    """DuckDB-WASM's npm package carries no LICENSE file; its package.json declares MIT."""
    return f"{DUCKDB_WASM} {engine.duckdb_wasm_version}: MIT License, Copyright (c) DuckDB Labs and contributors.\nhttps://github.com/duckdb/duckdb-wasm\n".encode()


_EXPORT_LIST = re.compile(r"export\s*\{([^}]*)\}\s*from\s*['\"]\./Arrow\.mjs['\"]")


def arrow_module(arrow: Path) -> bytes:
    """An ES module of Arrow's UMD build (`Arrow.esnext.min.js`) with the named exports of `Arrow.dom.mjs`.

    The UMD wrapper fills `module.exports` when `exports` and `module` exist, so the module declares them first.
    """
    names: list[str] = []
    for group in _EXPORT_LIST.findall((arrow / "Arrow.dom.mjs").read_text(encoding="utf-8")):
        names += [n.strip() for n in group.split(",") if n.strip()]
    if not names or not all(re.fullmatch(r"[A-Za-z_$][\w$]*", n) for n in names):
        raise EngineMissing(f"{arrow / 'Arrow.dom.mjs'}: its export list was not found; this apache-arrow version is not the one package-lock.json pins (run npm ci)")
    umd = (arrow / "Arrow.esnext.min.js").read_text(encoding="utf-8")
    umd = without_source_map(umd.encode("utf-8")).decode("utf-8")
    head = "// apache-arrow's UMD build as an ES module (made by c5data.serving.wasm).\nconst module = { exports: {} };\nconst exports = module.exports;\n"
    tail = f"\nexport const {{ {', '.join(names)} }} = module.exports;\n"
    return (head + umd + tail).encode("utf-8")


def _version(package_dir: Path) -> str:
    try:
        return str(json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError) as exc:
        raise EngineMissing(f"{package_dir}: not an installed npm package ({exc})") from exc


def candidates(start: Path | None = None) -> list[Path]:
    """Where `node_modules/` may be: $C5DATA_NODE_MODULES alone when it is set, else the current folder and its
    parents, then the source checkout."""
    if os.environ.get(ENV):
        return [Path(os.environ[ENV])]
    out = []
    here = (start or Path.cwd()).resolve()
    out += [p / "node_modules" for p in (here, *here.parents)]
    checkout = Path(__file__).resolve().parents[3]  # an editable install: <checkout>/src/c5data/serving/wasm.py
    out.append(checkout / "node_modules")
    return out


def find_engine(start: Path | None = None) -> Engine:
    """The installed engine; EngineMissing says how to install it when none is found."""
    for node_modules in candidates(start):
        if all((node_modules / name / "package.json").is_file() for name in (DUCKDB_WASM, ARROW, PARQUET_WASM)):
            return Engine(node_modules, *(_version(node_modules / name) for name in (DUCKDB_WASM, ARROW, PARQUET_WASM)))
    raise EngineMissing(f"the browser SQL engine is not installed: run `npm ci` in the c5data repository (or set {ENV} to a node_modules folder holding {DUCKDB_WASM})")


def copy_engine(engine: Engine, out: Path) -> Path:
    """Write the engine folder `out/duckdb-wasm/`, replaced as a whole (a reader never sees half of it)."""
    from c5data.files.atomic import write_bytes
    from c5data.files.staging import staged_folder

    target = out / ENGINE_DIRNAME
    with staged_folder(target) as staging:
        for name, content in engine.files().items():
            if isinstance(content, Path):
                shutil.copyfile(content, staging / name)
            else:
                write_bytes(staging / name, content)
    return target
