"""Table Schemas read into fields: every property of the standard applied, or refused with a located error."""

from __future__ import annotations

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
