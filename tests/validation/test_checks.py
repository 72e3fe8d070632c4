"""Checks derived from Table Schemas run through pandera and catch what the schema says."""

from __future__ import annotations

import pandera.polars as pa
import pytest

from c5data import validate
from c5data.reading.tableschema import parse_schema
from c5data.validation.checks import field_checks, key_checks, to_pandera

from releasekit import checked_frame


def _derived(descriptor, columns):
    schema, problems = parse_schema(descriptor, "t")
    assert problems == []
    specs = [s for f in schema.fields for s in field_checks(f, f.name in schema.primary_key)]
    specs += key_checks(schema, set(schema.field_names))
    return to_pandera("t", specs, schema.fields), checked_frame(schema, columns)


def test_lazyframe_values_are_checked_at_data_depth():
    from pandera.config import ValidationDepth, config_context

    derived, frame = _derived({"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 5}}]}, {"n": ["1", "9"]})
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA), pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame.lazy(), lazy=True)
    assert caught.value.failure_cases.get_column("index").to_list() == [0]


def test_integer_enum_read_from_csv_strings():
    derived, frame = _derived({"fields": [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}]}, {"n": ["1", "3", ""]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert caught.value.failure_cases.get_column("index").to_list() == [1]


@pytest.mark.parametrize(
    "constraint,values,failing",
    [
        ({"exclusiveMinimum": 0}, ["0", "1"], [0]),
        ({"exclusiveMaximum": 10}, ["10", "9"], [0]),
        ({"minimum": 1, "maximum": 3}, ["0", "2", "4"], [0, 2]),
    ],
)
def test_bounds_including_exclusive_ones(constraint, values, failing):
    derived, frame = _derived({"fields": [{"name": "n", "type": "number", "constraints": constraint}]}, {"n": values})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert sorted(caught.value.failure_cases.get_column("index").unique().to_list()) == failing


def test_unique_keys_and_categories_are_enforced():
    descriptor = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string", "categories": ["x", "y"]}], "uniqueKeys": [["a", "b"]]}
    derived, frame = _derived(descriptor, {"a": ["1", "1", "2"], "b": ["x", "x", "z"]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert sorted(caught.value.failure_cases.get_column("index").to_list()) == [1, 2]


def test_datetime_bounds_are_compared_as_datetimes():
    """A datetime field with minimum/maximum used to crash (a string bound compared with datetimes)."""
    descriptor = {"fields": [{"name": "t", "type": "datetime", "constraints": {"minimum": "2024-01-01T00:00:00Z", "maximum": "2024-12-31T23:59:59"}}]}
    derived, frame = _derived(descriptor, {"t": ["2024-06-01T12:00:00Z", "2023-12-31T23:00:00Z", "2025-01-01T00:00:00+02:00", ""]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert sorted(set(caught.value.failure_cases.get_column("index").to_list())) == [1]
    # 2025-01-01T00:00:00+02:00 is 2024-12-31T22:00:00Z: inside the maximum


def test_array_items(one_table, frictionless_valid):
    field = {"name": "a", "type": "array", "arrayItem": {"type": "integer", "constraints": {"minimum": 2}}}
    ok = one_table([field], 'a\n"[2, 3]"\n[]\n')
    assert one_table.located(ok) == [] and frictionless_valid(ok)
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


def test_lengths_of_arrays_and_objects(one_table, frictionless_valid):
    """minLength/maxLength count an array's items and an object's properties, as frictionless-py does."""
    fields = [{"name": "a", "type": "array", "constraints": {"minLength": 1, "maxLength": 2}}, {"name": "o", "type": "object", "constraints": {"maxLength": 1}}]
    ok = one_table(fields, 'a,o\n"[1]","{""k"": 1}"\n"[1, 2]",\n')
    assert one_table.located(ok) == [] and frictionless_valid(ok)
    bad = one_table(fields, 'a,o\n[],"{""k"": 1}"\n"[1, 2, 3]","{""k"": 1, ""j"": 2}"\n')
    assert one_table.located(bad) == [("constraint-error", 2, "a"), ("constraint-error", 3, "a"), ("constraint-error", 3, "o")]
    assert not frictionless_valid(bad)


def test_json_schema_of_objects_and_arrays(one_table):
    """Table Schema v2's jsonSchema constraint applies to each value (frictionless-py 5 refuses it on objects)."""
    fields = [
        {"name": "o", "type": "object", "constraints": {"jsonSchema": {"type": "object", "required": ["k"]}}},
        {"name": "a", "type": "array", "constraints": {"jsonSchema": {"items": {"type": "integer"}}}},
    ]
    folder = one_table(fields, 'o,a\n"{""k"": 1}","[1, 2]"\n"{""j"": 1}","[1, ""x""]"\n')
    assert one_table.located(folder) == [("constraint-error", 3, "a"), ("constraint-error", 3, "o")]
