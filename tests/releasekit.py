"""Helpers for the build, query, diff, release and publish tests: throwaway packages and folder fingerprints."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "tests" / "fixtures" / "valid"
TABLES = ["countries", "series", "meetings", "persons", "person_aliases", "participants", "documents", "pledges", "pledge_followups", "sources", "id_changes"]
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
EPOCH_ISO = "2023-11-14T22:13:20Z"


def make_package(dest: Path) -> Path:
    """A copy of the valid fixture package with the repository's schemas, at `dest`."""
    shutil.copytree(VALID, dest)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    return dest


def digests(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder` (hidden ones included)."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_row(file: Path, row: str) -> None:
    with open(file, "a", encoding="utf-8") as fh:
        fh.write(row + "\n")


def drop_row(file: Path, startswith: str) -> None:
    lines = file.read_text(encoding="utf-8").splitlines()
    kept = [l for l in lines if not l.startswith(startswith)]
    assert len(kept) == len(lines) - 1, f"no single row starting with {startswith!r} in {file}"
    file.write_text("\n".join(kept) + "\n", encoding="utf-8")


def drop_column(package: Path, table: str, column: str) -> None:
    """Remove a column from a table's CSV and from its schema (the last column only, to keep CSV editing trivial)."""
    schema_file = package / "schemas" / f"{table}.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["fields"][-1]["name"] == column, "drop_column handles the last column only"
    schema["fields"] = schema["fields"][:-1]
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    csv = package / "data" / f"{table}.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join(l.rsplit(",", 1)[0] for l in lines) + "\n", encoding="utf-8")


def reverse_rows(file: Path) -> None:
    """Put the data rows in reverse order (header first), so a build has to sort them."""
    lines = file.read_text(encoding="utf-8").splitlines()
    file.write_text("\n".join([lines[0]] + lines[1:][::-1]) + "\n", encoding="utf-8")


def checked_frame(schema, columns: dict[str, list[str]]):
    """The validator's working frame for a parsed Table Schema: text per field, typed values, a line per row."""
    import polars as pl

    from c5data.reading.fields import typed
    from c5data.validation.checks import typed_column

    frame = pl.DataFrame(columns, schema={k: pl.String for k in columns})
    frame = frame.with_columns(pl.int_range(2, frame.height + 2).alias("__line__"))
    return frame.with_columns([typed(f).alias(typed_column(f.name)) for f in schema.fields])


def make_node_modules(root: Path, duckdb_wasm: str = "9.9.9") -> Path:
    """A tiny stand-in for what `npm ci` installs: the files `c5data.serving.wasm` lays out, a few bytes each."""
    files = {
        "@duckdb/duckdb-wasm/package.json": f'{{"name": "@duckdb/duckdb-wasm", "version": "{duckdb_wasm}"}}',
        "@duckdb/duckdb-wasm/dist/duckdb-browser.mjs": 'import*as u from"apache-arrow";export const x=1;\n//# sourceMappingURL=duckdb-browser.mjs.map\n',
        "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js": '"use strict";self.x=1;\n//# sourceMappingURL=duckdb-browser-eh.worker.js.map\n',
        "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm": "\0asm-eh",
        "apache-arrow/package.json": '{"name": "apache-arrow", "version": "17.0.0"}',
        "apache-arrow/Arrow.dom.mjs": "export { Type, Table } from './Arrow.mjs';\nexport { IntBuilder } from './Arrow.mjs';\n",
        "apache-arrow/Arrow.esnext.min.js": (
            "(function(g,f){typeof exports==='object'&&typeof module!=='undefined'?f(exports):f(g.Arrow={})})(this,function(e){e.Type={};e.Table=1;e.IntBuilder=2;});\n"
        ),
        "apache-arrow/LICENSE.txt": "Apache License 2.0",
        "apache-arrow/NOTICE.txt": "Apache Arrow",
        "parquet-wasm/package.json": '{"name": "parquet-wasm", "version": "0.8.0"}',
        "parquet-wasm/esm/parquet_wasm.js": "export default async function init() {}\n",
        "parquet-wasm/esm/parquet_wasm_bg.wasm": "\0asm-pq",
        "parquet-wasm/LICENSE_MIT": "MIT",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def release_rows(release: Path, table: str) -> list[dict[str, str]]:
    """The rows of a table of a built release as its CSV file writes them (text, by column name)."""
    import csv

    with open(release / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
