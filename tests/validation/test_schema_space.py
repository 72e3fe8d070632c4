"""A fuzz of the schema space: whatever a Table Schema declares, `validate` reports findings and never fails itself.

Schemas are drawn from types × formats × constraints × missingValues × keys, with values of the wrong type and
out of range among them, each with a small CSV whose cells are of every type. Any exception out of `validate`
would reach a user as "internal error … a bug in c5data"; a schema mistake must be a located finding instead.
The examples are derandomised (see conftest.py), so a failure in CI is the same failure on any machine;
HYPOTHESIS_PROFILE=explore draws new ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c5data import validate
from c5data.catalogue import lookup
from c5data.reading.tableschema import TYPES

pytestmark = pytest.mark.slow

NAMES = ["a", "b", "c", "d"]
#: Values of every type, written as a descriptor would (and at the edges of what they can hold).
LITERALS = st.sampled_from(
    [
        0,
        1,
        -1,
        2**62,
        2**63,
        1.5,
        -0.0,
        1e308,
        True,
        False,
        None,
        "",
        "x",
        "1",
        "1.5",
        "true",
        "2020",
        "2020-01",
        "2020-01-01",
        "31.01.2020",
        "0001-01-01",
        "9999-12-31",
        "2020-01-01T00:00:00Z",
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "10:00:00",
        "10:00:00.1234567",
        "P1D",
        "PT1.5S",
        "[1, 2]",
        "1, 2",
        '{"a": 1}',
        "a;b",
        [],
        [1],
        {},
        {"value": 1},
    ]
)
FORMATS = st.sampled_from(["default", "any", "email", "uri", "uuid", "binary", "array", "object", "wkt", "%d.%m.%Y", "%Y", "%H:%M", "%Q", "fmt:%Y-%m-%d", "", 3])
PATTERNS = st.sampled_from(["[a-z]+", "[0-9]{4}", ".*", "(?=x)", "(", "\\p{Latin}+", 5])
MISSING = st.sampled_from([[""], ["NA", ""], ["-"], [{"value": "-", "label": "not known"}], [], [1], "NA", [{"label": "x"}]])
CONSTRAINT_KEYS = ["required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "enum", "pattern", "jsonSchema", "x-own"]


@st.composite
def constraints(draw: st.DrawFn) -> object:
    if draw(st.integers(0, 20)) == 0:
        return draw(LITERALS)  # not an object
    out: dict[str, object] = {}
    for key in draw(st.lists(st.sampled_from(CONSTRAINT_KEYS), max_size=3, unique=True)):
        if key in ("required", "unique"):
            out[key] = draw(st.one_of(st.booleans(), LITERALS))
        elif key == "enum":
            out[key] = draw(st.one_of(st.lists(LITERALS, min_size=1, max_size=3), LITERALS))
        elif key == "pattern":
            out[key] = draw(PATTERNS)
        elif key in ("minLength", "maxLength"):
            out[key] = draw(st.one_of(st.integers(-1, 5), LITERALS))
        else:
            out[key] = draw(LITERALS)
    return out


@st.composite
def field(draw: st.DrawFn, name: str, depth: int = 0) -> dict[str, object]:
    fld: dict[str, object] = {"name": name}
    if draw(st.integers(0, 9)):
        fld["type"] = draw(st.one_of(st.sampled_from(sorted(TYPES)), st.sampled_from(["text", "", 1])))
    extras = {
        "format": FORMATS,
        "constraints": constraints(),
        "missingValues": MISSING,
        "categories": st.one_of(st.lists(LITERALS, max_size=3), st.just([{"value": "x", "label": "X"}]), LITERALS),
        "x-script": st.sampled_from(["Latin", "Cyrillic", "Klingon", "latin", 5, ""]),
        "trueValues": st.sampled_from([["yes"], ["1"], [1], "yes"]),
        "itemType": st.sampled_from(["string", "integer", "date", "datetime", "list", "geojson", 5]),
        "delimiter": st.sampled_from([";", ",", "", "ab", 1]),
        "groupChar": st.sampled_from([",", ".", " ", "", 1]),
        "decimalChar": st.sampled_from([",", ".", "", "ab"]),
        "bareNumber": st.sampled_from([True, False, "no"]),
        "arrayItem": st.one_of(field("item", depth + 1) if depth == 0 else st.just({"type": "integer"}), LITERALS),
    }
    for key in draw(st.lists(st.sampled_from(sorted(extras)), max_size=4, unique=True)):
        fld[key] = draw(extras[key])
    return fld


KEY = st.one_of(st.sampled_from(NAMES), st.lists(st.sampled_from([*NAMES, "zz"]), max_size=2), LITERALS)


@st.composite
def schema(draw: st.DrawFn, names: list[str]) -> dict[str, object]:
    out: dict[str, object] = {"fields": [draw(field(name)) for name in names]}
    if draw(st.booleans()):
        out["missingValues"] = draw(MISSING)
    if draw(st.integers(0, 2)) == 0:
        out["primaryKey"] = draw(KEY)
    if draw(st.integers(0, 3)) == 0:
        out["uniqueKeys"] = draw(st.one_of(st.lists(KEY, max_size=2), LITERALS))
    for prop in ("foreignKeys", "x-listForeignKeys"):
        if draw(st.integers(0, 2)) == 0:
            reference = st.fixed_dictionaries({"resource": st.sampled_from(["", "t", "u", "v", "none", 5]), "fields": KEY})
            entry = st.one_of(st.fixed_dictionaries({"fields": KEY, "reference": reference}), LITERALS)
            out[prop] = draw(st.one_of(st.lists(entry, max_size=2), LITERALS))
    if draw(st.integers(0, 5)) == 0:
        out["fieldsMatch"] = draw(st.sampled_from(["exact", "equal", "subset", "superset", "partial", "bogus"]))
    return out


CELLS = st.sampled_from(
    ["", "1", "-2", "1.5", "1,000", "NaN", "1e400", "true", "x", "NA", "-", "2020", "2020-01", "2020-01-01", "31.01.2020", "2020-01-01T10:00:00Z"]
    + ["10:00:00", "10:00:00.1234567", "P1D", '"[1, 2]"', '"{""a"": 1}"', '"1, 2"', "a;b", "Ab", "Привет", "x@example.org", "aGVsbG8="]
)


@st.composite
def package(draw: st.DrawFn) -> dict[str, object]:
    """A descriptor of one to three tables and the CSV text of each (header and three rows)."""
    resources, files = [], {}
    for table in draw(st.sampled_from([["t"], ["t", "u"], ["t", "u", "v"]])):
        names = NAMES[: draw(st.integers(1, len(NAMES)))]
        resources.append({"name": table, "path": f"{table}.csv", "schema": draw(schema(names))})
        rows = [",".join(draw(CELLS) for _ in names) for _ in range(3)]
        files[f"{table}.csv"] = "\n".join([",".join(names), *rows]) + "\n"
    return {"descriptor": {"name": draw(st.sampled_from(["p", "c5data"])), "resources": resources}, "files": files}


#: 1,000 packages of one to three tables: about 2,000 schemas (a minute on one core).
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(package())
def test_no_schema_makes_validate_fail(tmp_path: Path, package: dict) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, text in package["files"].items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(package["descriptor"]), encoding="utf-8")
    report = validate(folder)  # raises on a failure of its own, which a user would see as an internal error
    for finding in report.findings:
        assert lookup(finding.code).code == finding.code and finding.file, finding
        if finding.code in ("field-error", "schema-error"):
            assert "internal error" not in finding.message and "bug in c5data" not in finding.message, finding
            # the readers' and the validator's safety nets turn an unforeseen exception into a finding: the fuzz must
            # still see one, for a mistake the readers do not name is a bug all the same
            assert not finding.message.startswith(("cannot be read:", "the checks this field declares cannot run")), finding
