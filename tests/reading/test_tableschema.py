"""Table Schemas read into fields: every property of the standard applied, or refused with a located error."""

from __future__ import annotations

import pytest

from c5data import validate


def test_a_pattern_the_readers_cannot_apply_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "date", "format": "%Q-%m"}], "a\nx\n")).findings
    refused = [f for f in findings if f.code == "field-error"]
    assert len(refused) == 1 and refused[0].field == "a" and "%Q" in refused[0].message and "%d.%m.%Y" in refused[0].message


def test_an_unknown_string_format_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "string", "format": "ipv4"}], "a\nx\n")).findings
    assert [(f.code, f.field) for f in findings if f.code == "field-error"] == [("field-error", "a")]


def test_an_unknown_fields_match_is_a_located_schema_error(one_table):
    findings = validate(one_table([{"name": "a"}], "a\nx\n", schema={"fieldsMatch": "bogus"})).findings
    assert [(f.code, f.file, f.field) for f in findings] == [("schema-error", "datapackage.json", "/resources/0/schema/fieldsMatch")]
    assert "exact" in findings[0].message


def test_object_missing_values(one_table, frictionless_valid):
    fields = [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer", "missingValues": [{"value": "n/a", "label": "not asked"}]}]
    folder = one_table(fields, "a,b\n-,n/a\n1,2\n", schema={"missingValues": [{"value": "-", "label": "not known"}]})
    assert one_table.located(folder) == []
    bad = one_table(fields, "a,b\n-,-\n", schema={"missingValues": [{"value": "-", "label": "not known"}]})
    assert one_table.located(bad) == [("type-error", 2, "b")]  # a field's own missingValues replace the schema's


def test_enum_values_written_as_strings_cast_to_the_type(one_table, frictionless_valid):
    folder = one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["1", "2"]}}], "a\n1\n2\n3\n")
    assert one_table.located(folder) == [("constraint-error", 4, "a")]
    ok = one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["1", "2"]}}], "a\n1\n2\n")
    assert one_table.located(ok) == [] and frictionless_valid(ok)
    dated = one_table([{"name": "a", "type": "date", "format": "%d.%m.%Y", "constraints": {"enum": ["31.01.2024"]}}], "a\n31.01.2024\n01.02.2024\n")
    assert one_table.located(dated) == [("constraint-error", 3, "a")]


def test_an_enum_string_that_does_not_cast_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["one"]}}], "a\n1\n")).findings
    assert [(f.code, f.field) for f in findings] == [("field-error", "a")]


def test_a_field_without_a_type_is_any(one_table, frictionless_valid):
    folder = one_table([{"name": "a"}, {"name": "b", "type": "integer"}], "a,b\n1,1\nanything at all,2\n")
    assert one_table.located(folder) == [] and frictionless_valid(folder)
    from c5data.reading.descriptor import load_package

    package, _ = load_package(folder)
    assert package is not None and package.resources[0].schema.fields[0].type == "any"


def test_an_array_item_that_is_an_array_is_refused(one_table):
    findings = validate(one_table([{"name": "a", "type": "array", "arrayItem": {"type": "list"}}], "a\n[]\n")).findings
    assert [(f.code, f.field) for f in findings if f.code == "field-error"] == [("field-error", "a")]


def _refused(descriptor: dict) -> list[tuple[str, str | None, str]]:
    from c5data.reading.tableschema import parse_schema

    _, problems = parse_schema(descriptor, "t.schema.json")
    return [(p.code, p.field, p.message) for p in problems]


@pytest.mark.parametrize(
    ("fields", "name", "says"),
    [
        # names
        ([{"type": "string"}], None, "field #1 has no name"),
        ([{"name": "a"}, {"name": "a"}], "a", "declared twice"),
        ([{"name": "a"}, {"name": "A"}], "A", "only by case"),
        ([{"name": "__part__"}], "__part__", "reserved"),
        # type and form
        ([{"name": "a", "type": "text"}], "a", "unknown type 'text'"),
        ([{"name": "a", "type": "geopoint", "format": "wkt"}], "a", "wkt"),
        ([{"name": "a", "type": "number", "groupChar": ".", "decimalChar": "."}], "a", "groupChar and decimalChar must differ"),
        ([{"name": "a", "type": "number", "decimalChar": ""}], "a", "decimalChar must not be empty"),
        ([{"name": "a", "type": "date", "format": "%Y-%m-%d-%Q"}], "a", "%Q"),
        ([{"name": "a", "type": "list", "delimiter": ";;"}], "a", "list delimiter must be one character"),
        # constraints, per type
        ([{"name": "a", "type": "string", "constraints": {"minimum": "b"}}], "a", "constraint minimum is not supported for type string"),
        ([{"name": "a", "type": "boolean", "constraints": {"maximum": True}}], "a", "constraint maximum is not supported for type boolean"),
        ([{"name": "a", "type": "integer", "constraints": {"pattern": "[0-9]+"}}], "a", "constraint pattern is not supported for type integer"),
        ([{"name": "a", "type": "list", "constraints": {"minimum": 1}}], "a", "constraint minimum is not supported for type list"),
        ([{"name": "a", "type": "geojson", "constraints": {"maxLength": 2}}], "a", "constraint maxLength is not supported for type geojson"),
        ([{"name": "a", "type": "object", "constraints": {"jsonSchema": {"type": "nothing"}}}], "a", "constraint jsonSchema is not a valid JSON Schema"),
        ([{"name": "a", "type": "string", "constraints": {"pattern": "(?=x)"}}], "a", "regex engine"),
        ([{"name": "a", "type": "string", "constraints": {"pattern": "("}}], "a", "does not compile"),
        ([{"name": "a", "type": "any", "constraints": {"enum": ["x", 1]}}], "a", "must list strings for a any field"),
        ([{"name": "a", "type": "year", "constraints": {"enum": ["x"]}}], "a", "do not fit type year"),
        ([{"name": "a", "type": "duration", "constraints": {"enum": ["5 days"]}}], "a", "do not fit type duration"),
        ([{"name": "a", "type": "datetime", "constraints": {"enum": ["0001-01-01T00:00:00+05:00"]}}], "a", "do not fit type datetime"),
        ([{"name": "a", "type": "list", "itemType": "integer", "constraints": {"enum": ["one"]}}], "a", "do not fit type list"),
        ([{"name": "a", "type": "date", "constraints": {"minimum": "2020-02-30"}}], "a", "constraint minimum '2020-02-30' does not fit type date"),
        # x-script, categories, arrayItem
        ([{"name": "a", "type": "string", "x-script": "Klingon"}], "a", "x-script must name a Unicode script"),
        ([{"name": "a", "type": "string", "x-script": "latin"}], "a", "x-script must name a Unicode script"),
        ([{"name": "a", "type": "date", "categories": ["2020-01-01"]}], "a", "categories are for string and integer fields, not date"),
        ([{"name": "a", "type": "object", "arrayItem": {"type": "integer"}, "categories": ["x"]}], "a", "categories are for string and integer fields"),
        ([{"name": "a", "type": "array", "arrayItem": {"type": "nope"}}], "a", "arrayItem: /fields/0/type: unknown type 'nope'"),
    ],
)
def test_each_field_mistake_is_a_field_error_at_its_field(fields, name, says):
    found = _refused({"fields": fields})
    assert [(code, field) for code, field, _ in found] == [("field-error", name)], found
    assert says in found[0][2]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"primaryKey": ["a", "zz"]}, "primaryKey names unknown field 'zz'"),
        ({"primaryKey": "l"}, "cannot be a key"),
        ({"uniqueKeys": [["l"]]}, "cannot be a key"),
        ({"uniqueKeys": [["zz"]]}, "names an unknown field"),
        ({"x-listForeignKeys": "l"}, "must be a list of references"),
        ({"x-listForeignKeys": [5]}, "entry 5 is malformed"),
        ({"x-listForeignKeys": [{"fields": [], "reference": {"resource": "", "fields": []}}]}, "names no field"),
        ({"x-listForeignKeys": [{"fields": "l", "reference": "t"}]}, "is malformed"),
        ({"x-listForeignKeys": [{"fields": 5, "reference": {"resource": "t", "fields": "a"}}]}, "expected a field name or a list of field names"),
        ({"foreignKeys": [{"fields": ["a", "l"], "reference": {"resource": "t", "fields": ["a"]}}]}, "length mismatch"),
        ({"foreignKeys": [{"fields": ["a", "l"], "reference": {"resource": "t", "fields": ["a", "b"]}}]}, "from a list field must have one field"),
    ],
)
def test_each_key_mistake_is_a_schema_error(extra, says):
    found = _refused({"fields": [{"name": "a"}, {"name": "l", "type": "list"}], **extra})
    assert [code for code, _, _ in found] == ["schema-error"] and says in found[0][2], found


def test_a_custom_constraint_property_is_left_alone_and_a_good_schema_is_read_whole():
    from c5data.reading.tableschema import parse_schema

    descriptor = {
        "fields": [
            {"name": "id", "type": "integer", "constraints": {"minimum": 1, "x-own": "kept"}},
            {"name": "kind", "type": "string", "categories": [{"value": "a", "label": "Alpha"}, {"value": "b"}], "x-script": "Latin"},
            {"name": "tags", "type": "list", "constraints": {"minLength": 1}},
        ],
        "primaryKey": "id",
        "uniqueKeys": [["kind"]],
        "x-listForeignKeys": [{"fields": "tags", "reference": {"resource": "other", "fields": "id"}}],
    }
    schema, problems = parse_schema(descriptor, "t")
    assert problems == [] and schema is not None
    assert schema.primary_key == ("id",) and schema.unique_keys == [("kind",)]
    assert schema.fields[0].constraints == {"minimum": 1, "x-own": "kept"}
    assert (schema.fields[1].categories, schema.fields[1].category_labels, schema.fields[1].script) == (["a", "b"], {"a": "Alpha"}, "Latin")
    assert [(fk.fields, fk.resource, fk.from_list) for fk in schema.foreign_keys] == [(("tags",), "other", True)]


def test_an_unforeseen_failure_while_reading_a_field_is_a_field_error(monkeypatch):
    """The net under the reader's own checks: whatever a field holds, reading it never raises."""
    from c5data.reading import tableschema

    def broken(*_args: object) -> None:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(tableschema, "_categories", broken)
    assert _refused({"fields": [{"name": "a", "type": "string"}]}) == [("field-error", "a", "cannot be read: unhashable type: 'dict'")]


@pytest.mark.parametrize(
    ("fields", "extra", "code", "name"),
    [
        ([{"name": "a", "type": "any", "constraints": {"enum": [1, "a"]}}], {}, "field-error", "c5data"),
        ([{"name": "a", "type": "year", "constraints": {"enum": ["x"]}}], {}, "field-error", "p"),
        ([{"name": "a", "type": "string", "constraints": {"minimum": 3}}], {}, "field-error", "p"),
        ([{"name": "a", "constraints": {"minimum": 3}}], {}, "field-error", "p"),
        ([{"name": "a", "type": "datetime", "constraints": {"enum": ["0001-01-01T00:00:00+05:00"]}}], {}, "field-error", "p"),
        ([{"name": "a", "type": "string", "x-script": "Klingon"}], {}, "field-error", "c5data"),
        ([{"name": "a", "type": "list"}], {"x-listForeignKeys": 5}, "schema-error", "p"),
        (
            [{"name": "a", "type": "date"}, {"name": "b", "type": "string"}],
            {"foreignKeys": [{"fields": "a", "reference": {"resource": "", "fields": "b"}}]},
            "schema-error",
            "p",
        ),
    ],
)
def test_schema_inputs_that_crashed_validate_are_located_findings(one_table, fields, extra, code, name):
    """Each of these was "internal error … a bug in c5data" (exit 2): now the schema's mistake, located, exit 2."""
    import json

    from click.testing import CliRunner

    from c5data.cli import main

    folder = one_table(fields, ",".join(f["name"] for f in fields) + "\n" + ",".join("2020-01-01" for _ in fields) + "\n", schema=extra)
    descriptor = json.loads((folder / "datapackage.json").read_text())
    (folder / "datapackage.json").write_text(json.dumps({**descriptor, "name": name}))  # "c5data": its text policy reads x-script
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2 and f"[{code}]" in result.output and "internal error" not in result.output, result.output


def test_the_readers_refuse_on_their_own_what_the_profile_refuses_first():
    """parse_schema applies the standard's profile before its readers; each reader still refuses a wrong value
    itself (a value of the wrong JSON type, an empty list), so a gap in the profile cannot make it crash."""
    from c5data.reading import tableschema as ts

    problems = ts._Problems("t", "")
    fld = ts.Field("a", "integer")
    assert ts._constraints(fld, ["required"], problems) == {} and problems[-1].message == "`constraints` must be an object"
    assert ts._constraints(fld, {"required": True, "unique": True}, problems) == {"required": True, "unique": True}
    assert ts._enum_problem(fld, "1") == "constraint enum must be a list"
    assert ts._pattern_problem(5) == "must be a string"
    assert ts._form_problem({}, "text") is not None and "unknown type 'text'" in ts._form_problem({}, "text")
    assert ts._form_problem({"format": "ipv4"}, "string") is not None
    assert ts._missing_values("NA") is None and ts._missing_values([{"value": "-"}]) == ["-"]
    assert ts._categories(ts.Field("c", "string"), {"categories": []}, problems) is None and problems[-1].message == "`categories` must be a non-empty list"
    assert ts._categories(ts.Field("c", "integer"), {"categories": [1, 2]}, problems) == ["1", "2"]
    assert ts._field({"type": "string", "missingValues": "NA"}, "m", [""], problems) is None and problems[-1].message == ts._MISSING_VALUES
    schema, found = ts.parse_schema({"fields": [{"name": "a"}], "primaryKey": 5}, "t")
    assert schema is None and found[0].code == "schema-error"
    keyed = ts.TableSchema([ts.Field("a")])
    ts._keys({"primaryKey": 5}, keyed, problems)
    assert problems[-1].code == "schema-error" and "expected a field name or a list of field names" in problems[-1].message
    assert ts.parse_schema([], "t")[0] is None and ts.parse_schema({"fields": []}, "t")[0] is None


@pytest.mark.parametrize(
    ("field", "value", "fits"),
    [
        ({"type": "boolean"}, True, True),
        ({"type": "boolean"}, "yes", False),
        ({"type": "date", "format": "%d.%m.%Y"}, "31.01.2020", True),
        ({"type": "number"}, "1.5", True),
        ({"type": "number"}, [1], False),
        ({"type": "number", "decimalChar": ","}, "1,5", True),
        ({"type": "string"}, 1, False),
        ({"type": "integer"}, "2", True),
    ],
)
def test_a_constraint_value_is_a_json_value_of_the_type_or_a_cell_of_the_field(field, value, fits):
    from c5data.reading.tableschema import parse_schema

    _, problems = parse_schema({"fields": [{"name": "a", **field, "constraints": {"enum": [value]}}]}, "t")
    assert (problems == []) == fits, problems
