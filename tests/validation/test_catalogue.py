"""The error catalogue is the one list that docs, reports and tests read."""

from __future__ import annotations

import pytest

from c5data.catalogue import CATALOGUE, markdown
from c5data.diplomacy.rules import RULES
from c5data.findings import Finding

from releasekit import ROOT


def test_docs_page_is_generated_from_the_catalogue():
    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == markdown()


def test_every_rule_is_a_declared_rule_code():
    for rule in RULES:
        assert CATALOGUE[rule.code].kind == "rule"


def test_an_undeclared_code_cannot_be_reported():
    with pytest.raises(KeyError):
        Finding("made-up-code", "x")


def test_severity_comes_from_the_catalogue():
    assert Finding("unused-source", "x").severity == "warning"
    assert Finding("foreign-key", "x").severity == "error"
