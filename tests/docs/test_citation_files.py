"""The repository's CITATION.cff and .zenodo.json say what its datapackage.json and CHANGELOG.md say."""

from __future__ import annotations

import json
import re

from c5data.releasing import citation

from releasekit import ROOT


def test_the_citation_files_agree_with_the_descriptor_and_the_changelog():
    assert citation.check(ROOT) == []


def test_citation_cff_names_the_version_and_its_release_date():
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    date = citation.released_on((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), descriptor["version"])
    assert re.search(rf'^version: "{re.escape(descriptor["version"])}"$', text, flags=re.M)
    assert re.search(rf"^date-released: {date}$", text, flags=re.M)
    assert re.search(rf'^url: "{re.escape(descriptor["homepage"])}"$', text, flags=re.M)


def test_zenodo_metadata_is_a_deposit_zenodo_accepts():
    meta = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    # the fields Zenodo requires of a deposit, with values from its vocabularies
    assert meta["upload_type"] == "dataset" and meta["access_right"] == "open"
    assert meta["title"] == descriptor["title"] and meta["description"]
    assert meta["creators"] and all(isinstance(c.get("name"), str) and c["name"] for c in meta["creators"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["publication_date"])
    assert meta["license"] == descriptor["licenses"][0]["name"].lower()
    assert meta["version"] == descriptor["version"]
