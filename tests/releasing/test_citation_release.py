"""CITATION.cff and .zenodo.json are made from datapackage.json, checked against it, and kept in step by `c5data release`."""

from __future__ import annotations

import json
import zipfile

import pytest
from click.testing import CliRunner

from c5data import build
from c5data.cli import main
from c5data.releasing import citation

from releasekit import EPOCH, append_row

DESCRIPTOR = {
    "name": "demo",
    "title": "Demo: a {braced} title",
    "version": "1.2.3",
    "homepage": "https://example.org/demo",
    "id": "https://doi.org/10.5281/zenodo.123456",
    "description": 'A package "quoted" for tests.',
    "contributors": [
        {"title": "Demo authors", "roles": ["author"]},
        {"title": "Demo maintainers", "path": "https://github.com/example/demo/issues", "roles": ["maintainer"]},
    ],
    "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "keywords": ["one", "two"],
}


def _package(tmp_path, descriptor=DESCRIPTOR, changelog="## [1.2.3] - 2025-02-03\n\nx\n"):
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n" + changelog, encoding="utf-8")
    return tmp_path


def test_the_cff_says_what_the_descriptor_says():
    text = citation.render_cff(DESCRIPTOR, "2025-02-03")
    for line in (
        'title: "Demo: a {braced} title"',
        '  - name: "Demo authors"',
        'version: "1.2.3"',
        "date-released: 2025-02-03",
        'doi: "10.5281/zenodo.123456"',
        'license: "CC-BY-4.0"',
        'url: "https://example.org/demo/"',
        'repository-code: "https://github.com/example/demo"',
        'abstract: "A package \\"quoted\\" for tests."',
    ):
        assert line in text.splitlines(), line
    assert "Demo maintainers" not in text  # a maintainer is not an author


def test_zenodo_metadata_has_what_a_deposit_needs_and_keeps_what_the_descriptor_does_not_say():
    kept = {"communities": [{"identifier": "zenodo"}], "version": "0.0.1"}
    meta = json.loads(citation.render_zenodo(DESCRIPTOR, "2025-02-03", kept))
    assert meta["upload_type"] == "dataset" and meta["access_right"] == "open"
    assert (meta["title"], meta["version"], meta["publication_date"], meta["license"]) == ("Demo: a {braced} title", "1.2.3", "2025-02-03", "cc-by-4.0")
    assert meta["creators"] == [{"name": "Demo authors"}] and meta["keywords"] == ["one", "two"]
    assert meta["communities"] == [{"identifier": "zenodo"}]


def test_check_names_a_file_that_disagrees_and_the_command_fixes_it(tmp_path):
    root = _package(tmp_path)
    assert CliRunner().invoke(main, ["citation", str(root), "--create"]).exit_code == 0
    assert citation.check(root) == []
    (root / "CITATION.cff").write_text((root / "CITATION.cff").read_text().replace('"1.2.3"', '"1.2.2"'))
    result = CliRunner().invoke(main, ["citation", str(root), "--check"])
    assert result.exit_code == 1 and "CITATION.cff: differs from what datapackage.json (version 1.2.3)" in result.output
    assert CliRunner().invoke(main, ["citation", str(root)]).exit_code == 0
    checked = json.loads(CliRunner().invoke(main, ["citation", str(root), "--check", "--format", "json"]).output)
    assert checked["ok"] is True and checked["problems"] == []


def test_a_version_without_a_changelog_date_is_a_usage_error(tmp_path):
    root = _package(tmp_path, changelog="## [1.2.2] - 2025-01-01\n")
    result = CliRunner().invoke(main, ["citation", str(root), "--create"])
    assert result.exit_code == 2 and "no entry `## [1.2.3] - YYYY-MM-DD`" in result.output
    assert not (root / "CITATION.cff").exists()


@pytest.mark.slow  # builds a release
def test_release_moves_the_citation_files_to_the_new_version_and_ships_the_cff(pair, monkeypatch):
    old, new = pair
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    previous = build(old).out
    (new / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2023-11-14\n\nFirst release.\n")
    assert CliRunner().invoke(main, ["citation", str(new), "--create"]).exit_code == 0
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")
    result = CliRunner().invoke(main, ["release", str(new), "--previous", str(previous), "--allow-dirty"])
    assert result.exit_code == 0, result.output
    assert citation.check(new) == []
    assert 'version: "0.2.0"' in (new / "CITATION.cff").read_text()
    assert json.loads((new / ".zenodo.json").read_text())["version"] == "0.2.0"
    shipped = (new / "release" / "CITATION.cff").read_text()
    assert shipped == (new / "CITATION.cff").read_text()
    with zipfile.ZipFile(new / "release" / "c5data-0.2.0.zip") as zf:
        assert zf.read("CITATION.cff").decode() == shipped
