"""The codebook's "How to count" recipes run on the shipped data and give the counts they promise; coverage.md ships."""

from __future__ import annotations

import zipfile

import duckdb
import pytest

from c5data.diplomacy.counting import RECIPES

from releasekit import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def con(shipped_release):
    connection = duckdb.connect(str(shipped_release.out / "c5data.duckdb"), read_only=True)
    yield connection
    connection.close()


def _recipe(name: str) -> str:
    return next(r.sql for r in RECIPES if r.name == name)


def test_counting_summits_with_the_recipe_gives_two_the_highest_ordinal(con):
    (summits,) = con.execute(_recipe("Summits")).fetchone()
    (highest,) = con.execute("SELECT max(ordinal) FROM meetings WHERE series_id = 'summit'").fetchone()
    (rows,) = con.execute("SELECT count(*) FROM meetings WHERE series_id = 'summit'").fetchone()
    assert summits == 2 == highest
    assert rows == 3  # the special 2022 virtual summit is a row, but not a summit to count


def test_foreign_ministers_meetings_match_their_ordinals(con):
    (fmm,) = con.execute(_recipe("Foreign ministers' meetings")).fetchone()
    (highest,) = con.execute("SELECT max(ordinal) FROM meetings WHERE series_id = 'fmm'").fetchone()
    assert fmm == highest == 6


def test_every_recipe_runs_and_related_events_are_left_out(con):
    for recipe in RECIPES:
        assert con.execute(recipe.sql).fetchall(), recipe.name
    ministerial = dict(con.execute(_recipe("Ministerial meetings")).fetchall())
    assert "fmm" in ministerial and "cca-cooperation-forum" not in ministerial
    by_type = dict(con.execute(_recipe("Every meeting of the mechanism")).fetchall())
    (related,) = con.execute("SELECT count(*) FROM meetings JOIN series USING (series_id) WHERE series_type = 'related'").fetchone()
    (everything,) = con.execute("SELECT count(*) FROM meetings").fetchone()
    assert related > 0 and sum(by_type.values()) == everything - related


def test_codebook_has_how_to_count_and_coverage_and_the_release_ships_coverage(shipped_release):
    out = shipped_release.out
    codebook = (out / "codebook.md").read_text(encoding="utf-8")
    assert "## How to count" in codebook and "## Coverage" in codebook
    assert codebook.index("## How to count") < codebook.index("## Coverage") < codebook.index("## Rules beyond single columns")
    assert "WHERE series_id = 'summit' AND meeting_type = 'regular'" in codebook
    assert "### What is covered" in codebook and "### Known gaps" in codebook
    assert "# Coverage of c5data" not in codebook  # coverage.md's own title gives way to the codebook's heading
    assert (out / "coverage.md").read_bytes() == (ROOT / "coverage.md").read_bytes()
    assert "coverage.md" in (out / "SHA256SUMS").read_text(encoding="utf-8")
    with zipfile.ZipFile(next(out.glob("c5data-*.zip"))) as zf:
        assert any(n.endswith("/coverage.md") for n in zf.namelist())


def test_a_package_without_coverage_md_builds_without_the_section(fixture_release):
    codebook = (fixture_release.out / "codebook.md").read_text(encoding="utf-8")
    assert "## How to count" in codebook and "## Coverage" not in codebook
    assert not (fixture_release.out / "coverage.md").exists()
