"""CITATION.cff names the version the package is at, with the date its CHANGELOG gives that version."""

from __future__ import annotations

import json
import re

from releasekit import ROOT


def _field(text: str, key: str) -> str:
    match = re.search(rf"^{key}:\s*\"?([^\"\n]+)\"?\s*$", text, flags=re.M)
    assert match, f"CITATION.cff has no {key}"
    return match.group(1).strip()


def test_citation_agrees_with_the_descriptor_and_the_changelog():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert _field(citation, "version") == version
    released = re.search(rf"^## \[{re.escape(version)}\] - (\d{{4}}-\d{{2}}-\d{{2}})", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), flags=re.M)
    assert released, f"CHANGELOG.md has no entry for {version}"
    assert _field(citation, "date-released") == released.group(1)
