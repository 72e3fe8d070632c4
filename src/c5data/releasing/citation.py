"""The package's citation files, `CITATION.cff` and `.zenodo.json`, made from its datapackage.json.

They restate what the descriptor says (title, version, authors, licence, home page, keywords) and the date the
version was released, so they are generated rather than edited: `c5data release` rewrites the ones a package has
with the new version and date, and `c5data citation --check` (run by the tests) says where they disagree.
`.zenodo.json` keeps any property Zenodo reads that the descriptor has no word for (communities, related
identifiers…); the ones the descriptor gives are always replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from c5data.reading.changelog import released_on
from c5data.reading.metadata import Metadata, metadata

CFF = "CITATION.cff"
ZENODO = ".zenodo.json"
FILES = (CFF, ZENODO)


class CitationError(Exception):
    """The citation files cannot be made or read (exit code 2)."""

    exit_code = 2


def _q(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def render_cff(descriptor: dict[str, Any], date: str) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the descriptor's version, released on `date` (YYYY-MM-DD)."""
    meta = metadata(descriptor)
    lines = [
        "# Generated from datapackage.json by `c5data citation` (and `c5data release`); edit the descriptor, not this file.",
        "cff-version: 1.2.0",
        'message: "If you use this data package, please cite it as below."',
        f"title: {_q(meta.title)}",
        "type: dataset",
        "authors:",
        *(f"  - name: {_q(a)}" for a in meta.authors),
        f"version: {_q(meta.version)}",
        f"date-released: {date}",
    ]
    if meta.doi:
        lines.append(f"doi: {_q(meta.doi)}")
    licence = meta.licence_id
    if licence:
        lines.append(f"license: {_q(licence)}")
    if meta.homepage:
        lines.append(f"url: {_q(meta.homepage)}")
    if meta.repository:
        lines.append(f"repository-code: {_q(meta.repository)}")
    if meta.keywords:
        lines += ["keywords:", *(f"  - {_q(k)}" for k in meta.keywords)]
    if meta.description:
        lines.append(f"abstract: {_q(meta.description)}")
    return "\n".join(lines) + "\n"


def render_zenodo(descriptor: dict[str, Any], date: str, existing: dict[str, Any] | None = None) -> str:
    """.zenodo.json (Zenodo's deposit metadata) for the descriptor's version, released on `date`."""
    meta: Metadata = metadata(descriptor)
    out: dict[str, Any] = dict(existing or {})
    out.update(
        title=meta.title,
        upload_type="dataset",
        description=meta.description or meta.title,
        creators=[{"name": a} for a in meta.authors],
        version=meta.version,
        publication_date=date,
        access_right="open",
        keywords=list(meta.keywords),
    )
    licence = meta.licence_id
    if licence:
        out["license"] = licence.lower()  # Zenodo's licence ids are the SPDX ids in lower case (cc-by-4.0)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CitationError(f"{path}: not readable as JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise CitationError(f"{path}: expected a JSON object")
    return value


def expected(root: Path, descriptor: dict[str, Any], date: str, *, create: bool = False) -> dict[str, str]:
    """name -> text of each citation file the package at `root` has (every one when `create`), for `date`."""
    out = {}
    if create or (root / CFF).is_file():
        out[CFF] = render_cff(descriptor, date)
    zenodo = root / ZENODO
    if create or zenodo.is_file():
        out[ZENODO] = render_zenodo(descriptor, date, _read_json(zenodo) if zenodo.is_file() else None)
    return out


def release_date(root: Path, descriptor: dict[str, Any]) -> str:
    """The date the descriptor's version was released, from the package's CHANGELOG.md."""
    version = descriptor.get("version")
    changelog = root / "CHANGELOG.md"
    date = released_on(changelog.read_text(encoding="utf-8"), version) if isinstance(version, str) and changelog.is_file() else None
    if date is None:
        raise CitationError(f"{changelog}: no entry `## [{version}] - YYYY-MM-DD` gives the date version {version} was released; release it with `c5data release`")
    return date


def check(root: Path) -> list[str]:
    """Where the package's citation files differ from what its datapackage.json and CHANGELOG.md say (empty: they agree)."""
    descriptor = _read_json(root / "datapackage.json")
    date = release_date(root, descriptor)
    problems = []
    for name, text in expected(root, descriptor, date).items():
        now = (root / name).read_text(encoding="utf-8")
        if now != text:
            said = f"datapackage.json (version {descriptor.get('version')}) and CHANGELOG.md ({date})"
            problems.append(f"{root / name}: differs from what {said} say; run `c5data citation`")
    return problems


def write(root: Path, *, create: bool = False) -> list[Path]:
    """Rewrite the package's citation files (both when `create`) from its datapackage.json; returns those that changed."""
    from c5data.files.atomic import write_text

    descriptor = _read_json(root / "datapackage.json")
    changed = []
    for name, text in expected(root, descriptor, release_date(root, descriptor), create=create).items():
        path = root / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            changed.append(path)
    return changed
