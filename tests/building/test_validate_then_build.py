"""Whatever validates also builds, and the build passes `verify`: a package is never told it is valid and then refused
(or, worse, met with an internal error) by `c5data build`.

The cases that once broke this are pinned one by one; a property-style test then generates small packages (field
types × constraints × dialects × missing values) and checks the implication on each.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from c5data import validate
from c5data.pipeline import build
from c5data.releasing.publishing import verify

pytestmark = pytest.mark.slow  # each example builds a release (a fraction of a second to a second)


def _write(folder: Path, fields: list, csv_text: str, schema: dict | None = None, resource: dict | None = None, raw: str | None = None) -> Path:
    """A one-table package with a version (a build needs one); `raw` replaces the descriptor's JSON text."""
    folder.mkdir(parents=True)
    (folder / "t.csv").write_text(csv_text, encoding="utf-8", newline="")
    desc = {"name": "p", "version": "1.0.0", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields, **(schema or {})}, **(resource or {})}]}
    (folder / "datapackage.json").write_text(raw if raw is not None else json.dumps(desc), encoding="utf-8")
    return folder


def _validate_ok_builds(folder: Path, out: Path) -> bool:
    """True when the package validates (and then it must build and verify); False when validation located a problem."""
    report = validate(folder)
    if report.exit_code() != 0:
        assert all(f.file for f in report.findings if f.severity == "error"), [str(f) for f in report.findings]
        return False
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = build(folder, out, report=report)
    checked = verify(result.out)
    assert checked.ok, checked.problems
    return True


NUMBER_CAP = json.dumps({"name": "x", "type": "number", "constraints": {"maximum": 12345}})


@pytest.mark.parametrize(
    ("fields", "csv_text", "schema", "builds"),
    [
        ([{"name": "t", "type": "time"}], "t\n12:00:00.1234567\n", None, True),  # read to the microsecond, as a datetime is
        ([{"name": "A", "type": "integer"}, {"name": "a", "type": "integer"}], "A,a\n1,2\n", None, False),
        ([{"name": "l", "type": "list"}], 'l\n"a,b"\n', {"primaryKey": ["l"]}, False),
        ([{"name": "i", "type": "integer"}], "i\n1\n", {"uniqueKeys": [[]]}, False),
        ([{"name": "x", "type": "number"}], "x\n1e400\n", None, False),  # a cell no float holds: a type error, not +inf
        ([{"name": "g", "type": "geopoint", "constraints": {"unique": True}}], 'g\n"1, 2"\n', None, True),  # checked, not a DuckDB index
        ([{"name": "g", "type": "geopoint"}], 'g\n"1, 2"\n', {"primaryKey": ["g"]}, False),  # no SQL key on a point
    ],
)
def test_the_cases_that_validated_and_then_failed_the_build(tmp_path, fields, csv_text, schema, builds):
    assert _validate_ok_builds(_write(tmp_path / "p", fields, csv_text, schema), tmp_path / "release") is builds


def test_a_bound_beyond_a_float_is_a_located_finding(tmp_path):
    """`"maximum": 1e400` is JSON that Python reads as infinity: it once validated, then DuckDB refused the CHECK."""
    desc = json.dumps({"name": "p", "version": "1.0.0", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [json.loads(NUMBER_CAP)]}}]})
    folder = _write(tmp_path / "p", [], "x\n5\n", raw=desc.replace("12345", "1e400"))
    findings = [f for f in validate(folder).findings if f.code == "field-error"]
    assert [(f.file, f.field) for f in findings] == [("datapackage.json", "x")]
    assert "/resources/0/schema/fields/0/constraints/maximum" in findings[0].message and "64-bit float" in findings[0].message
    assert not _validate_ok_builds(folder, tmp_path / "release")


# --- generated packages -------------------------------------------------------------------------------------------

#: Cells each type may meet: valid ones, edge cases, and a few that are not of the type at all.
CELLS = {
    "string": ["a", "Astana", "x y", "#tag", "'q'", '"dq"', "a;b", "a,b", "NA", "\\N", "é", "  pad", "12"],
    "integer": ["0", "7", "-3", "+4", "9223372036854775807", "9223372036854775808", "1.5", "x", "1e3"],
    "number": ["1.5", "-0", "1e3", "1e400", "-1e400", "1e-400", "INF", "-INF", "NaN", ".5", "5.", "x", "1,5"],
    "boolean": ["true", "false", "True", "0", "1", "yes"],
    "date": ["2020-02-29", "2021-02-29", "0001-01-01", "9999-12-31", "2020-1-1", "x"],
    "time": ["00:00:00", "23:59:59", "12:00:00.1234567", "12:00:00.999999999", "24:00:00", "12:00"],
    "datetime": ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00.1234567+05:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00", "2020-01-01 00:00:00"],
    "year": ["2020", "0001", "9999", "20", "x"],
    "yearmonth": ["2020-01", "2020-12", "2020-13", "x"],
    "duration": ["P1Y2M", "PT30M", "P", "PT", "x"],
    "list": ["a,b", "a", "a, b", ""],
    "geopoint": ["76.9, 43.2", "200, 1", "x", "1e400, 1"],
    "object": ['{"a": 1}', "[1]", '{"a": NaN}', '{"a": 1e400}', "x"],
    "array": ["[1, 2]", "[]", "{}", "[1e400]"],
    "geojson": ['{"type": "Point", "coordinates": [1, 2]}', '{"a": 1}'],
    "any": ["x", "", "1"],
}
BOUNDS = {
    "integer": [-5, 0, 7, 9223372036854775807],
    "number": [-1.5, 0, 2.5, 1e308],
    "date": ["2020-01-01", "0001-01-01", "9999-12-31"],
    "time": ["12:00:00", "00:00:00.5"],
    "datetime": ["2020-01-01T00:00:00Z", "2020-01-01T00:00:00+05:00"],
    "year": [2020, 1],
}


@st.composite
def fields_and_rows(draw):
    names = draw(st.lists(st.sampled_from(["id", "a", "b", "été", "x y"]), min_size=1, max_size=3, unique=True))
    fields, columns = [], []
    for name in names:
        ftype = draw(st.sampled_from(sorted(CELLS)))
        field: dict = {"name": name, "type": ftype}
        constraints: dict = {}
        if draw(st.booleans()):
            constraints["required"] = True
        if draw(st.booleans()):
            constraints["unique"] = True
        if ftype in BOUNDS and draw(st.booleans()):
            constraints[draw(st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]))] = draw(st.sampled_from(BOUNDS[ftype]))
        if ftype == "string" and draw(st.booleans()):
            constraints.update(draw(st.sampled_from([{"pattern": "[a-z]+"}, {"minLength": 2}, {"maxLength": 3}, {"enum": ["a", "NA", "Astana"]}])))
        if ftype == "number" and draw(st.booleans()):
            field.update(draw(st.sampled_from([{"groupChar": ","}, {"decimalChar": ",", "groupChar": "."}, {"bareNumber": False}])))
        if ftype in ("date", "time", "datetime") and draw(st.booleans()):
            field["format"] = draw(st.sampled_from(["any", "%d.%m.%Y", "%H:%M", "%Y-%m-%d %H:%M:%S%.f%z"]))
        if ftype == "integer" and draw(st.booleans()):
            constraints["enum"] = draw(st.sampled_from([[0, 7], ["0", "7"]]))
        if constraints:
            field["constraints"] = constraints
        if ftype == "list" and draw(st.booleans()):
            field["itemType"] = draw(st.sampled_from(["integer", "date", "string"]))
        fields.append(field)
        columns.append(CELLS[ftype])
    rows = draw(st.lists(st.tuples(*(st.sampled_from(c) for c in columns)), max_size=4))
    keys = draw(st.sampled_from([{}, {"primaryKey": [names[0]]}, {"uniqueKeys": [names[:2]]}]))
    return fields, [list(r) for r in rows], keys


DIALECTS = st.fixed_dictionaries(
    {},
    optional={
        "delimiter": st.sampled_from([",", ";", "\t", "|"]),
        "quoteChar": st.sampled_from(['"', "'"]),
        "header": st.booleans(),
        "headerRows": st.sampled_from([[1], [1, 2]]),
        "commentChar": st.sampled_from(["#", ",", "//"]),
        "skipInitialSpace": st.booleans(),
        "nullSequence": st.sampled_from(["\\N", "NA"]),
    },
)
MISSING = st.sampled_from([None, [""], ["", "NA"], [], ["-"]])


def _csv_text(names: list[str], rows: list[list[str]], dialect: dict) -> str:
    """The rows written the way the dialect says (a comment line too, when the dialect has comments)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.get("delimiter", ","), quotechar=dialect.get("quoteChar", '"'), lineterminator="\n")
    if dialect.get("header", True):
        if dialect.get("headerRows") == [1, 2]:
            writer.writerow(["h"] * len(names))  # joined with the second row by headerJoin (a space): "h id"
            writer.writerow(names)
        else:
            writer.writerow(names)
    if dialect.get("commentChar"):
        out.write(dialect["commentChar"] + " a comment line\n")
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(fields_and_rows(), DIALECTS, MISSING)
def test_a_generated_package_that_validates_builds_and_verifies(tmp_path_factory, generated, dialect, missing):
    fields, rows, keys = generated
    names = [f["name"] for f in fields]
    if dialect.get("headerRows") == [1, 2] and dialect.get("header", True):
        for f in fields:
            f["name"] = "h " + f["name"]
        keys = {k: ([f"h {n}" for n in v] if k == "primaryKey" else [[f"h {n}" for n in key] for key in v]) for k, v in keys.items()}
    schema = {**keys, **({"missingValues": missing} if missing is not None else {})}
    folder = tmp_path_factory.mktemp("generated") / "p"
    _write(folder, fields, _csv_text(names, rows, dialect), schema, {"dialect": dialect} if dialect else None)
    _validate_ok_builds(folder, folder.parent / "release")
