"""The names of the standard's properties at each place: Data Package v2, Data Resource, Table Schema, Field, Dialect.

Whether a descriptor follows the standard is decided by the standard's own JSON Schema profiles
(`standard.py`). These shapes serve what a profile cannot say: `stray_properties` looks up a property the
standard does not define at that place among the ones it does. A constraint written beside a field instead of
inside `constraints`, or a dialect property on a resource instead of inside `dialect`, would be silently ignored
(an error); a near-miss spelling of a standard name (`primarykey`, `missingValue`) is a warning with a "did you
mean". Custom properties (`x-…`, or names not close to a standard one) stay allowed.
"""

from __future__ import annotations

import difflib
from typing import Any

INT64 = 2**63
ANY = object()  # any JSON value
TEXT, NUMBER, INTEGER, BOOLEAN, OBJECT = str, "number", "integer", bool, dict


def one_of(*shapes: Any) -> tuple[Any, ...]:
    """A shape that accepts a value of any of the given shapes."""
    return shapes


def list_of(shape: Any) -> list[Any]:
    """A shape that accepts a list whose items all have the given shape."""
    return [shape]


NAMES = one_of(TEXT, list_of(TEXT))
MISSING_VALUES = one_of(list_of(TEXT), list_of({"value": TEXT, "label": TEXT}))  # v2: strings, or values with labels
LICENSE = {"name": TEXT, "path": TEXT, "title": TEXT}
SOURCE = {"title": TEXT, "path": TEXT, "email": TEXT, "version": TEXT}
CONTRIBUTOR = {
    "title": TEXT,
    "givenName": TEXT,
    "familyName": TEXT,
    "path": TEXT,
    "email": TEXT,
    "roles": list_of(TEXT),
    "role": TEXT,
    "organization": TEXT,
}
CONSTRAINTS = {
    "required": BOOLEAN,
    "unique": BOOLEAN,
    "minLength": INTEGER,
    "maxLength": INTEGER,
    "pattern": TEXT,
    "enum": list_of(ANY),
    "minimum": ANY,
    "maximum": ANY,
    "exclusiveMinimum": ANY,
    "exclusiveMaximum": ANY,
    "jsonSchema": OBJECT,
}
FIELD = {
    "name": TEXT,
    "title": TEXT,
    "description": TEXT,
    "type": TEXT,
    "format": TEXT,
    "example": ANY,
    "constraints": CONSTRAINTS,
    "missingValues": MISSING_VALUES,
    "trueValues": list_of(TEXT),
    "falseValues": list_of(TEXT),
    "categories": one_of(list_of(one_of(TEXT, INTEGER)), list_of({"value": ANY, "label": TEXT})),
    "categoriesOrdered": BOOLEAN,
    "itemType": TEXT,
    "delimiter": TEXT,
    "groupChar": TEXT,
    "decimalChar": TEXT,
    "bareNumber": BOOLEAN,
    "arrayItem": OBJECT,
    "rdfType": TEXT,
    "profile": TEXT,  # v1
}
TABLE_SCHEMA = {
    "$schema": TEXT,
    "fields": list_of(FIELD),
    "primaryKey": NAMES,
    "uniqueKeys": list_of(list_of(TEXT)),
    "foreignKeys": list_of({"fields": NAMES, "reference": {"resource": TEXT, "fields": NAMES}}),
    "missingValues": MISSING_VALUES,
    "fieldsMatch": TEXT,
    "title": TEXT,
    "description": TEXT,
}
#: Table Dialect v2 (CSV properties; the others are accepted and ignored).
DIALECT = {
    "$schema": TEXT,
    "name": TEXT,
    "title": TEXT,
    "description": TEXT,
    "header": BOOLEAN,
    "headerRows": list_of(INTEGER),
    "headerJoin": TEXT,
    "commentRows": list_of(INTEGER),
    "commentChar": TEXT,
    "delimiter": TEXT,
    "lineTerminator": TEXT,
    "quoteChar": TEXT,
    "doubleQuote": BOOLEAN,
    "escapeChar": TEXT,
    "nullSequence": TEXT,
    "skipInitialSpace": BOOLEAN,
    "property": TEXT,
    "itemType": TEXT,
    "itemKeys": list_of(TEXT),
    "sheetNumber": INTEGER,
    "sheetName": TEXT,
    "table": TEXT,
    "caseSensitiveHeader": BOOLEAN,  # v1
    "csvddfVersion": ANY,  # v1
}
RESOURCE = {
    "$schema": TEXT,
    "name": TEXT,
    "path": NAMES,
    "type": TEXT,
    "title": TEXT,
    "description": TEXT,
    "format": TEXT,
    "mediatype": TEXT,
    "encoding": TEXT,
    "bytes": INTEGER,
    "hash": TEXT,
    "sources": list_of(SOURCE),
    "licenses": list_of(LICENSE),
    "schema": one_of(TEXT, OBJECT),
    "dialect": one_of(TEXT, DIALECT),
    "compression": TEXT,
    "profile": TEXT,  # v1
    "data": ANY,
}
PACKAGE = {
    "$schema": TEXT,
    "name": TEXT,
    "id": TEXT,
    "title": TEXT,
    "description": TEXT,
    "homepage": TEXT,
    "version": TEXT,
    "created": TEXT,
    "keywords": list_of(TEXT),
    "image": TEXT,
    "licenses": list_of(LICENSE),
    "sources": list_of(SOURCE),
    "contributors": list_of(CONTRIBUTOR),
    "resources": list_of(RESOURCE),
    "profile": TEXT,  # v1
}


def _fits(value: Any, shape: Any) -> bool:
    if shape is ANY:
        return True
    if isinstance(shape, tuple):
        return any(_fits(value, s) for s in shape)
    if isinstance(shape, list):
        return isinstance(value, list)
    if isinstance(shape, dict) or shape is dict:
        return isinstance(value, dict)
    if shape == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool) and -INT64 < value < INT64
    if shape == NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, shape)


#: Where a property found at the wrong place belongs: (the shape it was found in, the properties of the shape it
#: belongs to, the property that holds them).
MISPLACED: dict[int, tuple[dict[str, Any], str]] = {id(FIELD): (CONSTRAINTS, "constraints"), id(RESOURCE): (DIALECT, "dialect")}
#: How close (difflib ratio, case ignored) an unknown name must be to a standard one to be called a misspelling.
NEAR_MISS = 0.8


def _near(key: str, known: list[str]) -> str | None:
    lowered = {k.lower(): k for k in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=NEAR_MISS)
    return lowered[close[0]] if close else None


def _alternative(value: Any, shapes: tuple[Any, ...]) -> Any:
    fitting = [s for s in shapes if _fits(value, s)]
    items = [s for s in fitting if isinstance(s, list) and isinstance(value, list) and all(_fits(v, s[0]) for v in value)]
    return (items or fitting or [None])[0]


def stray_properties(value: Any, shape: Any, pointer: str = "") -> list[tuple[str, str, str, str]]:
    """(JSON pointer, code, message, hint) for every property that is misplaced or a near miss of a standard name."""
    if isinstance(shape, tuple):
        chosen = _alternative(value, shape)
        return stray_properties(value, chosen, pointer) if chosen is not None else []
    out: list[tuple[str, str, str, str]] = []
    if isinstance(shape, list) and isinstance(value, list):
        for i, item in enumerate(value):
            out += stray_properties(item, shape[0], f"{pointer}/{i}")
    elif isinstance(shape, dict) and isinstance(value, dict):
        home = MISPLACED.get(id(shape))
        for key, sub in value.items():
            if key in shape:
                out += stray_properties(sub, shape[key], f"{pointer}/{key}")
                continue
            if not isinstance(key, str) or key.startswith(("x-", "x_")):
                continue
            where = f"{pointer}/{key}"
            if home is not None and key in home[0]:
                out.append(
                    (where, "misplaced-property", f"`{key}` is not a property here and is ignored: it belongs inside `{home[1]}`", f'write "{home[1]}": {{"{key}": …}}')
                )
                continue
            near = _near(key, [k for k in shape if not k.startswith("$")])
            if near is not None:
                out.append((where, "misspelt-property", f"`{key}` is not a property of the standard and is ignored", f"did you mean `{near}`?"))
            elif home is not None and (inner := _near(key, list(home[0]))) is not None:
                out.append((where, "misspelt-property", f"`{key}` is not a property of the standard and is ignored", f"did you mean `{inner}` inside `{home[1]}`?"))
    return out
