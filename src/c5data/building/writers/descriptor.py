"""datapackage.json of the release: the source descriptor with version, created, inline schemas, bytes and sha256 hash.

The CSVs are rewritten in the default dialect (see `csv_files`), so a source's `dialect` and `compression` are
dropped and a multi-part or compressed resource gets the one plain CSV path the release holds. Schemas are inlined so the release is one self-describing descriptor that
`c5data validate` (which checks `bytes` and `hash`) and frictionless can read
without the repository's schemas/ folder.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from c5data.building.writers.context import BuildContext
from c5data.reading.descriptor import safe_path

FILE = "datapackage.json"


def sha256(data: bytes) -> str:
    """Hex SHA-256 digest of some bytes, for the descriptor's `hash` properties."""
    return hashlib.sha256(data).hexdigest()


def _schema(ctx: BuildContext, declared: Any) -> Any:
    if isinstance(declared, str):
        file, why = safe_path(ctx.package.root, declared)
        if file is None:
            raise ValueError(f"schema {declared}: {why}")
        return json.loads(file.read_text(encoding="utf-8"))
    return declared


def release_descriptor(ctx: BuildContext) -> dict[str, Any]:
    """The release's datapackage.json: the source descriptor with version, created, inline schemas and each file's size and hash."""
    out: dict[str, Any] = {}
    source = ctx.package.descriptor
    for key, value in source.items():
        if key in ("version", "created"):
            continue
        out[key] = value
        if key == "name":
            out["version"] = ctx.version
            out["created"] = ctx.created
    out.setdefault("version", ctx.version)
    out.setdefault("created", ctx.created)
    resources = []
    for name, table in ctx.tables.items():
        # The release's CSV is written in the default dialect, uncompressed, in one file: what said otherwise goes.
        res = {k: v for k, v in table.resource.descriptor.items() if k not in ("bytes", "hash", "dialect", "compression")}
        res["path"] = ctx.csv_path(name)
        res.update(format="csv", mediatype="text/csv", encoding="utf-8")  # what the release writes, whatever the source was
        data = (ctx.out / ctx.csv_path(name)).read_bytes()
        res["schema"] = _schema(ctx, res.get("schema"))
        res["bytes"] = len(data)
        res["hash"] = f"sha256:{sha256(data)}"
        resources.append(res)
    out["resources"] = resources
    return out


def write(ctx: BuildContext) -> None:
    """Write the release's datapackage.json and keep it on the context for later writers."""
    ctx.descriptor = release_descriptor(ctx)
    text = json.dumps(ctx.descriptor, indent=2, ensure_ascii=False) + "\n"
    ctx.write(FILE, text.encode("utf-8"))
