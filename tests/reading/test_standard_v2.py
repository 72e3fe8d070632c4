"""Table Schema v2, Table Dialect v2 and Data Resource v2 properties for CSV: each one applied or refused.

Every case writes a one-table package and compares c5data's verdict with frictionless-py's, the reference
implementation, where frictionless-py applies the property; the findings say where and what.
"""

from __future__ import annotations

import pytest

from c5data import validate


def codes(folder):
    return sorted((f.code, f.line, f.field) for f in validate(folder).findings)


NUMBERS = [
    # (field, csv, c5data findings as (code, line)) — the verdict matches frictionless-py's
    ({"name": "a", "type": "number", "groupChar": " ", "decimalChar": ","}, 'a\n"1 000,5"\n"1,5"\n', []),
    ({"name": "a", "type": "number", "groupChar": " ", "decimalChar": ","}, 'a\n"1 000,5"\nabc\n', [("type-error", 3)]),
    # v2 gives integer a groupChar too; frictionless-py 5 reads it only for number (not compared below)
    ({"name": "a", "type": "integer", "groupChar": ","}, 'a\n"1,000,000"\n12\n', []),
    ({"name": "a", "type": "integer", "bareNumber": False}, "a\n€95\n95%\nEUR 95\n", []),
    ({"name": "a", "type": "number", "bareNumber": False}, "a\n€9.5\n9.5%\n", []),
    ({"name": "a", "type": "integer"}, "a\n€95\n", [("type-error", 2)]),
    ({"name": "a", "type": "number"}, "a\nNaN\nINF\n-INF\ninf\n1e3\n", []),
    ({"name": "a", "type": "number"}, "a\nNaN\nINFINITE\n", [("type-error", 3)]),
]


@pytest.mark.parametrize(("field", "csv", "expected"), NUMBERS)
def test_number_properties_and_special_values(one_table, frictionless_valid, field, csv, expected):
    folder = one_table([field], csv)
    assert [(c, line) for c, line, _ in codes(folder)] == expected
    if not (field["type"] == "integer" and "groupChar" in field):
        assert frictionless_valid(folder) == (expected == [])


TEMPORAL = [
    ({"name": "a", "type": "date", "format": "%d.%m.%Y"}, "a\n31.01.2024\n", []),
    ({"name": "a", "type": "date", "format": "%d.%m.%Y"}, "a\n31.01.2024\n2024-01-31\n", [("type-error", 3)]),
    ({"name": "a", "type": "date", "format": "fmt:%d/%m/%Y"}, "a\n31/01/2024\n", []),
    ({"name": "a", "type": "time", "format": "%H.%M"}, "a\n10.30\n10:30:00\n", [("type-error", 3)]),
    ({"name": "a", "type": "datetime", "format": "%d/%m/%Y %H:%M"}, "a\n31/01/2024 10:30\n2024-01-31T10:30:00Z\n", [("type-error", 3)]),
    ({"name": "a", "type": "date", "format": "any"}, "a\n2024-01-31\n31 January 2024\n", []),
    ({"name": "a", "type": "date", "format": "any"}, "a\nnot a date\n", [("type-error", 2)]),
]


@pytest.mark.parametrize(("field", "csv", "expected"), TEMPORAL)
def test_temporal_format_patterns(one_table, frictionless_valid, field, csv, expected):
    folder = one_table([field], csv)
    assert [(c, line) for c, line, _ in codes(folder)] == expected
    assert frictionless_valid(folder) == (expected == [])


def test_a_pattern_the_readers_cannot_apply_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "date", "format": "%Q-%m"}], "a\nx\n")).findings
    refused = [f for f in findings if f.code == "field-error"]
    assert len(refused) == 1 and refused[0].field == "a" and "%Q" in refused[0].message and "%d.%m.%Y" in refused[0].message


def test_an_unknown_string_format_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "string", "format": "ipv4"}], "a\nx\n")).findings
    assert [(f.code, f.field) for f in findings if f.code == "field-error"] == [("field-error", "a")]


def test_binary_is_base64(one_table, frictionless_valid):
    good = one_table([{"name": "a", "type": "string", "format": "binary"}], "a\naGVsbG8=\nAAEC\n")
    bad = one_table([{"name": "a", "type": "string", "format": "binary"}], "a\naGVsbG8=\nnot base64!\n")
    assert codes(good) == [] and frictionless_valid(good)
    assert codes(bad) == [("type-error", 3, "a")]


@pytest.mark.parametrize(
    ("match", "header", "findings"),
    [
        ("exact", "a,b", []),
        ("exact", "b,a", ["incorrect-label"]),
        ("equal", "b,a", []),
        ("equal", "a", ["missing-label"]),
        ("equal", "a,b,c", ["extra-label"]),
        ("subset", "c,b,a", []),
        ("subset", "a,c", ["missing-label"]),
        ("superset", "b", []),
        ("superset", "a,c", ["extra-label"]),
        ("partial", "c,a", []),
        ("partial", "c,d", ["missing-label"]),
    ],
)
def test_fields_match(one_table, frictionless_valid, match, header, findings):
    width = header.count(",") + 1
    folder = one_table([{"name": "a", "type": "string"}, {"name": "b", "type": "string"}], f"{header}\n{','.join(['x'] * width)}\n", schema={"fieldsMatch": match})
    assert [f.code for f in validate(folder).findings] == findings
    assert frictionless_valid(folder) == (findings == [])


def test_an_unknown_fields_match_is_a_located_schema_error(one_table):
    findings = validate(one_table([{"name": "a"}], "a\nx\n", schema={"fieldsMatch": "bogus"})).findings
    assert [(f.code, f.file, f.field) for f in findings] == [("schema-error", "datapackage.json", "/resources/0/schema/fieldsMatch")]
    assert "exact" in findings[0].message


@pytest.mark.parametrize(("encoding", "city", "name"), [("latin-1", "São Paulo", "Zoë"), ("cp1251", "Москва", "Иван"), ("utf-16", "Москва", "Zoë")])
def test_declared_encoding_is_read(one_table, frictionless_valid, encoding, city, name):
    folder = one_table(
        [{"name": "a", "type": "string", "constraints": {"maxLength": 9}}, {"name": "b", "type": "string", "constraints": {"enum": [name]}}],
        f"a,b\n{city},{name}\n".encode(encoding),
        resource={"encoding": encoding},
    )
    assert codes(folder) == []
    assert frictionless_valid(folder)


def test_bytes_the_declared_encoding_cannot_read_are_located(one_table):
    folder = one_table([{"name": "a", "type": "string"}], b"a\nok\n\xff\xfe\xfd\n", resource={"encoding": "ascii"})
    assert [(f.code, f.line) for f in validate(folder).findings] == [("encoding-error", 3)]


def test_an_unknown_encoding_is_a_located_resource_error(one_table):
    findings = validate(one_table([{"name": "a"}], "a\nx\n", resource={"encoding": "bad"})).findings
    assert [(f.code, f.field, f.value) for f in findings] == [("resource-error", "/resources/0/encoding", "bad")]


def test_multi_character_comment_char(one_table, frictionless_valid):
    folder = one_table([{"name": "a", "type": "integer"}], "a\n// note\n1\n/ 2\n", resource={"dialect": {"commentChar": "//"}})
    assert codes(folder) == [("type-error", 4, "a")]  # a single slash does not start a comment
    fine = one_table([{"name": "a", "type": "integer"}], "a\n// note\n1\n", resource={"dialect": {"commentChar": "//"}})
    assert codes(fine) == [] and frictionless_valid(fine)


def test_object_missing_values(one_table, frictionless_valid):
    fields = [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer", "missingValues": [{"value": "n/a", "label": "not asked"}]}]
    folder = one_table(fields, "a,b\n-,n/a\n1,2\n", schema={"missingValues": [{"value": "-", "label": "not known"}]})
    assert codes(folder) == []
    bad = one_table(fields, "a,b\n-,-\n", schema={"missingValues": [{"value": "-", "label": "not known"}]})
    assert codes(bad) == [("type-error", 2, "b")]  # a field's own missingValues replace the schema's


def test_enum_values_written_as_strings_cast_to_the_type(one_table, frictionless_valid):
    folder = one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["1", "2"]}}], "a\n1\n2\n3\n")
    assert codes(folder) == [("constraint-error", 4, "a")]
    ok = one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["1", "2"]}}], "a\n1\n2\n")
    assert codes(ok) == [] and frictionless_valid(ok)
    dated = one_table([{"name": "a", "type": "date", "format": "%d.%m.%Y", "constraints": {"enum": ["31.01.2024"]}}], "a\n31.01.2024\n01.02.2024\n")
    assert codes(dated) == [("constraint-error", 3, "a")]


def test_an_enum_string_that_does_not_cast_is_a_field_error(one_table):
    findings = validate(one_table([{"name": "a", "type": "integer", "constraints": {"enum": ["one"]}}], "a\n1\n")).findings
    assert [(f.code, f.field) for f in findings] == [("field-error", "a")]


def test_a_field_without_a_type_is_any(one_table, frictionless_valid):
    folder = one_table([{"name": "a"}, {"name": "b", "type": "integer"}], "a,b\n1,1\nanything at all,2\n")
    assert codes(folder) == [] and frictionless_valid(folder)
    from c5data.reading.descriptor import load_package

    package, _ = load_package(folder)
    assert package is not None and package.resources[0].schema.fields[0].type == "any"


def test_array_items(one_table, frictionless_valid):
    field = {"name": "a", "type": "array", "arrayItem": {"type": "integer", "constraints": {"minimum": 2}}}
    ok = one_table([field], 'a\n"[2, 3]"\n[]\n')
    assert codes(ok) == [] and frictionless_valid(ok)
    bad = one_table([field], 'a\n"[2, 3]"\n"[1, 2]"\n"[""x""]"\n')
    assert [(f.code, f.line, f.message) for f in validate(bad).findings] == [
        ("type-error", 4, "has an item that is not a whole number such as 3"),
        ("constraint-error", 3, "has an item that is below the minimum 2"),
    ]
    assert not frictionless_valid(bad)


def test_array_item_of_dates_with_a_pattern(one_table):
    field = {"name": "a", "type": "array", "arrayItem": {"type": "date", "format": "%d.%m.%Y", "constraints": {"required": True}}}
    folder = one_table([field], 'a\n"[""31.01.2024""]"\n"[""2024-01-31""]"\n"[null]"\n')
    assert [(f.code, f.line) for f in validate(folder).findings] == [("constraint-error", 4), ("type-error", 3)]


def test_an_array_item_that_is_an_array_is_refused(one_table):
    findings = validate(one_table([{"name": "a", "type": "array", "arrayItem": {"type": "list"}}], "a\n[]\n")).findings
    assert [(f.code, f.field) for f in findings if f.code == "field-error"] == [("field-error", "a")]


def test_list_items_of_type_time(one_table):
    folder = one_table([{"name": "a", "type": "list", "itemType": "time"}], 'a\n"10:00:00,11:30:00"\n"10:00:00,later"\n')
    assert codes(folder) == [("type-error", 3, "a")]


def test_later_parts_may_repeat_the_header(one_table, frictionless_valid):
    folder = one_table(
        [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}],
        "a,b\n1,x\n",
        resource={"path": ["t.csv", "t2.csv", "t3.csv"]},
        parts={"t2.csv": "a,b\n2,y\n", "t3.csv": "3,z\n"},
    )
    report = validate(folder)
    assert report.findings == [] and report.row_counts["t"] == 3
    assert frictionless_valid(folder)
