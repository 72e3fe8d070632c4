"""Checks derived from Table Schemas run through pandera and catch what the schema says."""

from __future__ import annotations

import pandera.polars as pa
import pytest

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
