"""The seam: a package gets this package's own layer only when an installed extension serves its name."""

from __future__ import annotations

import json
import sys

import pytest

from c5data import extensions, validate
from c5data.diplomacy import EXTENSION
from c5data.extensions import Extension, RuleInfo, for_descriptor


def _rename(pkg, name: str) -> None:
    descriptor = json.loads(pkg.read("datapackage.json"))
    descriptor["name"] = name
    pkg.write("datapackage.json", json.dumps(descriptor))


def test_the_package_layer_serves_this_package_only():
    assert for_descriptor({"name": "c5data"}) == (EXTENSION,)
    assert for_descriptor({"name": "another-package"}) == ()
    assert for_descriptor({}) == ()
    assert for_descriptor({"name": ["c5data"]}) == ()  # a name that is not text names nothing


def test_a_descriptor_cannot_make_the_toolkit_import_code(monkeypatch):
    before = set(sys.modules)
    for name in ("json.tool:main", "c5data.diplomacy:EXTENSION", "antigravity", "os:system"):
        assert for_descriptor({"name": name}) == ()
    assert {m for m in sys.modules if m not in before and "antigravity" in m} == set()


@pytest.mark.parametrize("cell", ["-", " |##", "=1+1"])
def test_cells_the_standard_accepts_are_valid_without_the_layer(pkg, cell):
    """A plain '-' or padded text is valid Table Schema text; only this package's text policy refuses it."""
    old = "Foreign Ministers' Meeting"
    pkg.replace("series.csv", old, cell if "," not in cell else f'"{cell}"')
    codes = {f.code for f in validate(pkg.root).findings}
    assert codes & {"text-formula", "text-whitespace"}, codes  # named c5data: the policy applies
    _rename(pkg, "another-package")
    report = validate(pkg.root)
    assert [f.code for f in report.findings if f.code.startswith("text-")] == []
    assert report.exit_code() == 0, report.findings


def test_rules_across_tables_apply_only_through_the_layer(pkg):
    text = pkg.read("meetings.csv").splitlines()
    header, first = text[0].split(","), text[1].split(",")
    start, end = header.index("start_date"), header.index("end_date")
    first[end] = "1999-01-01"  # before its start: the package's date-order rule, no constraint of the standard
    pkg.write("meetings.csv", "\n".join([text[0], ",".join(first), *text[2:]]) + "\n")
    assert "date-order" in {f.code for f in validate(pkg.root).findings}
    _rename(pkg, "another-package")
    assert "date-order" not in {f.code for f in validate(pkg.root).findings}
    assert first[start] != first[end]


def test_an_installed_distribution_registers_an_extension_by_entry_point(monkeypatch):
    mine = Extension(name="mine", packages=frozenset({"my-package"}), rules=lambda: [RuleInfo("date-order", "t", "dates in order")])

    class Entry:
        def load(self):
            return mine

    monkeypatch.setattr(extensions, "entry_points", lambda group: [Entry()] if group == extensions.ENTRY_POINT_GROUP else [])
    extensions.registered.cache_clear()
    try:
        assert for_descriptor({"name": "my-package"}) == (mine,)
        assert extensions.rules(for_descriptor({"name": "my-package"})) == [RuleInfo("date-order", "t", "dates in order")]
        assert EXTENSION in extensions.registered()  # the built-in layer stays registered beside it
    finally:
        extensions.registered.cache_clear()
