"""A package's release/ older than its data/ is noticed: query, connect() and load() read data/ and say so in one line."""

from __future__ import annotations

import warnings

import pytest
from click.testing import CliRunner

from c5data import connect, load
from c5data.cli import main
from c5data.pipeline import build
from c5data.querying.connection import StaleRelease

pytestmark = pytest.mark.slow  # builds a release


@pytest.fixture
def built(pkg, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(pkg.root)
    return pkg


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM persons").fetchone()[0]


def test_a_current_release_is_read_without_a_warning(built):
    with warnings.catch_warnings():
        warnings.simplefilter("error", StaleRelease)
        con = connect(built.root)
        try:
            assert _count(con) == len(built.read("persons.csv").splitlines()) - 1
        finally:
            con.close()


def test_a_stale_release_gives_way_to_data_with_one_line(built):
    rows = len(built.read("persons.csv").splitlines()) - 1
    built.write("persons.csv", built.read("persons.csv") + "zhang-ming,Zhang Ming,CHN,,mfa-2020-07-17,\n")
    with pytest.warns(StaleRelease, match=r"release is older than data/ \(persons changed since it was built\): reading data/ instead"):
        con = connect(built.root)
    try:
        assert _count(con) == rows + 1
    finally:
        con.close()
    with pytest.warns(StaleRelease):
        assert load("persons", built.root).height == rows + 1
    result = CliRunner().invoke(main, ["query", "SELECT count(*) AS n FROM persons", str(built.root), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("]") and f'"n": {rows + 1}' in result.stdout
    (line,) = [x for x in result.stderr.splitlines() if x]
    assert line.startswith("c5data query: ") and "reading data/ instead" in line
