"""Every Table Schema v2 field type: how a cell is read (fields.py) and which constraints apply."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from c5data import validate
from c5data.reading.fields import type_ok, typed
from c5data.reading.tableschema import Field, parse_schema

FIXTURE = Path(__file__).parent.parent / "fixtures" / "field-types"


def test_fixture_reports_each_bad_cell_and_bound():
    report = validate(FIXTURE)
    assert sorted((f.code, f.line, f.field) for f in report.findings) == [
        ("constraint-error", 3, "opens"),
        ("constraint-error", 3, "since"),
        *[("type-error", 4, name) for name in ("aliases", "opens", "shape", "since", "tags", "visit", "where", "where_array", "where_object")],
    ]


@pytest.mark.parametrize(
    ("ftype", "fmt", "good", "bad"),
    [
        ("time", "default", ["00:00:00", "23:59:59", "12:30:00.25"], ["24:00:00", "12:30", "1:02:03", "12:30:00Z"]),
        ("yearmonth", "default", ["2024-01", "1991-12"], ["2024-13", "2024-1", "2024"]),
        ("duration", "default", ["P1Y", "P1Y2M3DT4H5M6S", "PT0.5S", "P2W"], ["P", "PT", "1Y", "P1H", "PT1D"]),
        ("geopoint", "default", ["76.9, 43.2", "-180,-90"], ["181, 0", "0, 91", "76.9", "a, b", "[1, 2]"]),
        ("geopoint", "array", ["[76.9, 43.2]", "[0, 0]"], ["[1]", "[1, 2, 3]", '["1", 2]', "1, 2", "[200, 0]"]),
        ("geopoint", "object", ['{"lon": 1, "lat": 2}'], ['{"lon": 1}', '{"lon": 1, "lat": 2, "z": 3}', "[1, 2]"]),
        ("geojson", "default", ['{"type": "Point", "coordinates": [1, 2]}', '{"type": "FeatureCollection", "features": []}'], ["{}", "[]", '{"type": 1}', "nope"]),
        ("object", "default", ["{}", '{"a": [1]}'], ["[]", "1", '"text"', "{"]),
        ("array", "default", ["[]", '[1, "a"]'], ["{}", "1", "[", "NaN"]),
    ],
)
def test_cells_of_each_type(ftype, fmt, good, bad):
    fld = Field("v", type=ftype, format=fmt)
    frame = pl.DataFrame({"v": good + bad})
    assert frame.select(type_ok(fld)).to_series().to_list() == [True] * len(good) + [False] * len(bad)


def test_typed_values():
    frame = pl.DataFrame({"t": ["06:30:00"], "g": ["76.9, 43.2"]})
    row = frame.select(typed(Field("t", type="time")), typed(Field("g", type="geopoint"))).row(0)
    assert str(row[0]) == "06:30:00" and row[1] == {"lon": 76.9, "lat": 43.2}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"name": "g", "type": "geopoint", "constraints": {"minimum": "0, 0"}}, "minimum is not supported for type geopoint"),
        ({"name": "o", "type": "object", "constraints": {"enum": [{}]}}, "enum is not supported for type object"),
        ({"name": "d", "type": "duration", "constraints": {"maximum": "P1D"}}, "maximum is not supported for type duration"),
        ({"name": "t", "type": "time", "constraints": {"minimum": "6am"}}, "does not fit type time"),
        ({"name": "g", "type": "geopoint", "format": "wkt"}, "'wkt' is not one of 'default', 'array', 'object'"),
    ],
)
def test_constraints_that_do_not_apply_are_field_errors(field, message):
    _, problems = parse_schema({"fields": [field]}, "schema.json")
    assert [p.code for p in problems] == ["field-error"] and message in problems[0].message
