"""One notion of a Semantic Version for the descriptor, tags, the changelog, release and publish."""

from __future__ import annotations

import pytest

from c5data import versions
from c5data.releasing.versioning import bump, parse_version


@pytest.mark.parametrize("text", ["0.2.0", "1.0.0-rc.1", "1.0.0-alpha.beta+build.7", "10.20.30"])
def test_semantic_versions_are_recognised(text):
    assert versions.is_version(text) and parse_version(text) is not None


@pytest.mark.parametrize("text", ["01.0.0", "1.0", "v1.0.0", "1.0.0-", "1.0.0-rc..1", "1.0.0-01", "", None, 1])
def test_what_is_not_one_is_refused_everywhere(text):
    assert not versions.is_version(text) and parse_version(text if isinstance(text, str) else None) is None


def test_a_pre_release_leads_to_its_release():
    assert [bump("1.0.0-rc.1", level) for level in ("patch", "minor", "major")] == ["1.0.0", "1.0.0", "1.0.0"]
    assert bump("0.3.0-rc.2", "major") == "0.3.0"  # before 1.0.0 a breaking change is a minor bump: 0.3.0 is next


def test_ordering_follows_semver_precedence_and_puts_non_versions_first():
    texts = ["1.0.0", "banana", "1.0.0-rc.1", "0.9.12", "1.0.0-alpha", "1.0.0-rc.10", "v2.0.0"]
    assert sorted(texts, key=versions.key) == ["banana", "0.9.12", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0-rc.10", "1.0.0", "v2.0.0"]


def test_a_descriptor_with_a_pre_release_version_is_valid(pkg):
    import json

    from c5data import validate

    descriptor = json.loads(pkg.read("datapackage.json"))
    descriptor["version"] = "1.0.0-rc.1"
    pkg.write("datapackage.json", json.dumps(descriptor))
    assert [f for f in validate(pkg.root).findings if f.code == "package-error"] == []
    descriptor["version"] = "1.0"
    pkg.write("datapackage.json", json.dumps(descriptor))
    assert [f.field for f in validate(pkg.root).findings if f.code == "package-error"] == ["version"]
