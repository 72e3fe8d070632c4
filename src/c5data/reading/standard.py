"""Descriptors checked against the official Data Package v2 profiles (JSON Schemas, vendored in `profiles/`).

Each descriptor (the package, a Table Schema, a Table Dialect) is validated with `jsonschema` against its
profile as published with the standard, and every violation is returned with the JSON pointer of the value
that breaks it. Where the profile offers alternatives (a field is a string field, or a number field, …), the
violations reported are those of the alternative the descriptor chose by its `type`, so a wrong constraint on
a date field is reported as such and not as "not valid under any of the given schemas".

jsonschema is imported on first use: commands that read no descriptor (`c5data --help`) do not load it.
`profiles/README.md` says where the files come from and which errata of the published files are applied here.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

PROFILES = Path(__file__).parent / "profiles"
KINDS = {"package": "datapackage.json", "schema": "tableschema.json", "dialect": "tabledialect.json"}
#: A resource's properties checked elsewhere: its schema and dialect against their own profiles; its path
#: (`_PATH`) by the path confinement of `descriptor.py`, which refuses all the profile's pattern does and says why.
LEFT_TO_OTHERS = ("schema", "dialect")
_PATH = re.compile(r"^/resources/[0-9]+/path(/|$)")


def _list_field(fields: dict[str, Any]) -> dict[str, Any]:
    """The `list` field type of Table Schema v2 (items of one type joined by a delimiter), shaped as the
    profile's other field types."""
    string = next(alt for alt in fields["oneOf"] if alt["properties"]["type"].get("enum") == ["string"])
    alt: dict[str, Any] = copy.deepcopy(string)
    alt["title"] = "List Field"
    alt["required"] = ["name", "type"]
    alt["properties"]["type"] = {"enum": ["list"]}
    alt["properties"]["format"] = {"enum": ["default"], "default": "default"}
    alt["properties"]["delimiter"] = {"type": "string", "default": ","}
    alt["properties"]["itemType"] = {"type": "string", "enum": ["string", "integer", "number", "boolean", "date", "time", "datetime"]}
    alt["properties"].pop("categories", None)
    alt["properties"].pop("categoriesOrdered", None)
    return alt


def _errata(node: Any) -> None:
    """Corrections of the published 2.0 files where they contradict the standard's text (see profiles/README.md)."""
    if isinstance(node, dict):
        match = node.get("properties", {}).get("fieldsMatch")
        if isinstance(match, dict) and match.get("type") == "array":  # the text: a string, one of five values
            node["properties"]["fieldsMatch"] = match["item"]
        fields = node.get("properties", {}).get("fields", {}).get("items")
        if isinstance(fields, dict) and "oneOf" in fields and not any(alt["properties"]["type"].get("enum") == ["list"] for alt in fields["oneOf"]):
            fields["oneOf"].append(_list_field(fields))
        for value in node.values():
            _errata(value)
    elif isinstance(node, list):
        for value in node:
            _errata(value)


@functools.cache
def _validator(kind: str) -> Any:
    import jsonschema

    profile = json.loads((PROFILES / KINDS[kind]).read_text(encoding="utf-8"))
    _errata(profile)
    cls = jsonschema.validators.validator_for(profile)
    return cls(profile)


def _types(alternatives: list[Any]) -> list[str]:
    return [t for alt in alternatives if isinstance(alt, dict) for t in alt.get("properties", {}).get("type", {}).get("enum") or ()]


def _leaves(error: Any) -> list[tuple[list[Any], str]]:
    """(path, message) of each violation. Under a oneOf/anyOf, the violations of the alternative the value chose
    by its `type` (an unknown type is said so), else of the alternative it came closest to (fewest violations)."""
    if not error.context:
        return [(list(error.absolute_path), _message(error))]
    groups: dict[int, list[Any]] = defaultdict(list)
    for sub in error.context:
        groups[sub.relative_schema_path[0]].append(sub)
    alternatives = error.schema.get(error.validator, [])
    value = error.instance
    chosen = min(groups.values(), key=len) if groups else []
    if isinstance(value, dict) and isinstance(value.get("type"), str) and _types(alternatives):
        known = _types(alternatives)
        if value["type"] not in known:
            return [([*error.absolute_path, "type"], f"unknown type {value['type']!r}; expected one of {', '.join(sorted(known))}")]
        chosen = next((groups.get(i, []) for i, alt in enumerate(alternatives) if value["type"] in _types([alt])), chosen)
    if not chosen:  # e.g. valid under more than one alternative of a oneOf
        return [(list(error.absolute_path), _message(error))]
    return [leaf for sub in chosen for leaf in _leaves(sub)]


def _message(error: Any) -> str:
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    if error.validator == "pattern" and error.schema.get("title") == "Path":
        return f"{error.instance!r} is not a path the standard allows: a relative POSIX path (not starting with '.', '/' or '~', no '..') or an http(s) or ftp URL"
    if error.validator == "type":
        return f"must be of type {error.validator_value}, not {type(error.instance).__name__} {str(error.instance)[:40]!r}"
    return str(error.message)


#: Whole numbers beyond 64 bits fit JSON and the profiles but no reader's integers (a `maxLength` of 10**400);
#: a number such as 1e400 fits JSON but no 64-bit float (Python reads it as infinity, which JSON cannot write back).
INT64 = 2**63


def _huge(value: Any, pointer: str) -> list[tuple[str, str]]:
    if isinstance(value, int) and not isinstance(value, bool) and not -INT64 < value < INT64:
        return [(pointer or "/", "is a whole number beyond 64 bits, larger than any reader can hold")]
    if isinstance(value, float) and not math.isfinite(value):
        return [(pointer or "/", "is a number beyond a 64-bit float's range (about ±1.8e308), which no reader can hold")]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [found for key, sub in items for found in _huge(sub, f"{pointer}/{key}")]


#: Verdicts already given in this process, by the descriptor's JSON text: the profiles' `oneOf` of field types
#: makes checking a schema cost tens of milliseconds, and a process that validates a package again (a server,
#: a notebook, `build` after `validate`) should not pay it twice for the same schema.
_VERDICTS: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
_VERDICTS_KEPT = 256


def profile_problems(descriptor: Any, kind: str, pointer: str = "") -> list[tuple[str, str]]:
    """(JSON pointer, what is wrong) for every value that breaks the standard's profile of `kind`
    (package, schema or dialect). A package's resources are checked without `LEFT_TO_OTHERS`."""
    try:
        key: tuple[str, str, str] | None = (json.dumps(descriptor, sort_keys=True), kind, pointer)
    except (TypeError, ValueError):  # not as JSON reads it (a key that is not text, say): checked, not remembered
        key = None
    if key is not None and key in _VERDICTS:
        return list(_VERDICTS[key])
    problems = _profile_problems(descriptor, kind, pointer)
    if key is not None:
        if len(_VERDICTS) >= _VERDICTS_KEPT:
            _VERDICTS.clear()
        _VERDICTS[key] = problems
    return list(problems)


def _profile_problems(descriptor: Any, kind: str, pointer: str) -> list[tuple[str, str]]:
    if kind == "package" and isinstance(descriptor, dict) and isinstance(descriptor.get("resources"), list):
        descriptor = dict(descriptor)
        descriptor["resources"] = [{k: v for k, v in r.items() if k not in LEFT_TO_OTHERS} if isinstance(r, dict) else r for r in descriptor["resources"]]
    found: dict[str, str] = dict(_huge(descriptor, pointer))
    for error in _validator(kind).iter_errors(descriptor):
        for path, message in _leaves(error):
            where = pointer + "".join(f"/{p}" for p in path) or "/"
            if not (kind == "package" and _PATH.match(where)):
                found.setdefault(where, message)
    return sorted(found.items())
