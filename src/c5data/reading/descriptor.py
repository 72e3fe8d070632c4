"""Load a Data Package safely: the descriptor, its resources and their Table Schemas.

Paths are resolved and confined to the package folder: an absolute path, `..`,
a hidden folder or a symlink that leads outside is refused (frictionless only
checks the path's spelling).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from c5data.files.paths import not_a_regular_file
from c5data.findings import Finding
from c5data.reading.dialect import Dialect, parse_dialect
from c5data.reading.profile import DIALECT, PACKAGE, stray_properties
from c5data.reading.standard import profile_problems
from c5data.reading.tableschema import TableSchema, parse_schema
from c5data.versions import SEMVER

DESCRIPTOR = "datapackage.json"
#: Package and resource names become file names of the release, so they must be plain slugs (Data Package v2 name rule).
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
#: A package version becomes part of file and folder names too: Semantic Versioning, nothing else.


#: Compressed data files this reader opens, by extension and by the resource's `compression` property.
COMPRESSION_SUFFIXES = {".gz": "gzip", ".zip": "zip"}
COMPRESSIONS = {"gz": "gzip", "gzip": "gzip", "zip": "zip"}


def compression_of(declared: str, property_value: Any) -> str | None:
    """The compression of a resource file, from its name's suffix or else its `compression` property; None if plain."""
    for suffix, kind in COMPRESSION_SUFFIXES.items():
        if declared.lower().endswith(suffix):
            return kind
    return COMPRESSIONS.get(property_value) if isinstance(property_value, str) else None


def _encoding_problem(res: dict[str, Any]) -> str | None:
    """Why the declared `encoding` cannot be read, or None (any encoding Python's codecs know is read)."""
    value = res.get("encoding", "utf-8")
    try:
        codecs.lookup(value)
    except LookupError:
        return f"encoding {value!r} is not a known character encoding; use a name such as utf-8, latin-1 or utf-16"
    return None


def _release_path_collisions(package: Package, shown: str) -> list[Finding]:
    """Two resources whose tables the release would write to one file (`a.tsv` and `a.csv`, `A.csv` and `a.csv` on a
    case-insensitive disk): the second would overwrite the first, so the package is refused before anything is built."""
    problems: list[Finding] = []
    first: dict[str, str] = {}
    for i, r in enumerate(package.resources):
        key = r.release_path.casefold()
        if key in first:
            problems.append(
                Finding(
                    "resource-error",
                    f"resource {r.name!r} would be released as {r.release_path}, the file of resource {first[key]!r}",
                    file=shown,
                    field=f"/resources/{i}/path",
                    value=r.path,
                    hint="a release writes each table as one plain .csv file; give the two resources paths that differ by more than case, extension or compression",
                )
            )
        else:
            first[key] = r.name
    return problems


def _compression_problem(res: dict[str, Any]) -> str | None:
    value = res.get("compression")
    if value is not None and value not in COMPRESSIONS and value not in ("none", ""):
        return f"compression {value!r} is not read; use gz or zip"
    return None


@dataclass
class Resource:
    name: str
    path: str  # as declared, relative to the package root (used in reports)
    file: Path  # resolved location on disk
    schema: TableSchema
    descriptor: dict[str, Any]
    dialect: Dialect = field(default_factory=Dialect)
    parts: list[tuple[str, Path]] = field(default_factory=list)  # (declared, resolved) of every file; several for `path: [..]`
    encoding: str = "utf-8"  # the declared `encoding` of the data files (checked to be one Python can read)

    def __post_init__(self) -> None:
        if not self.parts:
            self.parts = [(self.path, self.file)]

    def compression(self, declared: str) -> str | None:
        """How one part is compressed: by its extension, else the resource's `compression` property."""
        return compression_of(declared, self.descriptor.get("compression"))

    @property
    def release_path(self) -> str:
        """Where the release writes this table: one plain comma-separated `.csv` file (a compression suffix dropped,
        any other extension such as `.tsv` or `.txt` replaced, parts joined in one file named after the resource)."""
        if len(self.parts) > 1:
            return str(PurePosixPath(self.path).parent / f"{self.name}.csv")
        path = self.path
        for suffix in COMPRESSION_SUFFIXES:
            if path.lower().endswith(suffix):
                path = path[: -len(suffix)]
        pure = PurePosixPath(path)
        return path if pure.suffix == ".csv" else str(pure.with_suffix(".csv") if pure.suffix else pure.with_name(pure.name + ".csv"))


@dataclass
class Package:
    root: Path
    descriptor: dict[str, Any]
    resources: list[Resource] = field(default_factory=list)

    def resource(self, name: str) -> Resource | None:
        for r in self.resources:
            if r.name == name:
                return r
        return None


def locate(path: str | os.PathLike[str] | None) -> Path:
    """The datapackage.json for a folder or descriptor path (default: the current folder)."""
    p = Path(path) if path else Path(".")
    return p / DESCRIPTOR if p.is_dir() else p


MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024  # a descriptor or schema larger than this is not one


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object (JSON keeps only the last; say it once)")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number; write a finite number")


def _read_json(file: Path, code: str, shown: str) -> tuple[Any, list[Finding]]:
    refused = not_a_regular_file(file)
    if refused:
        return None, [Finding(code, f"{shown} {refused}", file=shown)]
    try:
        if file.stat().st_size > MAX_DESCRIPTOR_BYTES:
            return None, [Finding(code, f"{shown} is larger than {MAX_DESCRIPTOR_BYTES // 2**20} MiB: not a descriptor", file=shown)]
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Finding(code, f"{shown} not found", file=shown)]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding(code, f"cannot read {shown}: {exc}", file=shown)]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant), []
    except json.JSONDecodeError as exc:
        return None, [Finding(code, f"invalid JSON: {exc.msg}", file=shown, line=exc.lineno, column=exc.colno)]
    except (ValueError, RecursionError) as exc:
        return None, [Finding(code, f"invalid JSON: {exc}", file=shown)]


def safe_path(root: Path, declared: Any) -> tuple[Path | None, str | None]:
    """Resolve a declared resource path inside `root`, or say why it is refused."""
    if not isinstance(declared, str) or not declared:
        return None, "path must be a non-empty string (one file per resource)"
    if "://" in declared:
        return None, "remote paths are not supported; data files live in the package"
    rel = Path(declared)
    if rel.is_absolute() or declared.startswith(("/", "\\")):
        return None, "path must be relative to the package folder"
    if any(part == ".." for part in rel.parts):
        return None, "path must not contain '..'"
    if any(part.startswith(".") for part in rel.parts):
        return None, "path must not go through a hidden file or folder"
    real_root = root.resolve()
    target = (root / rel).resolve()
    if real_root != target and real_root not in target.parents:
        return None, "path resolves outside the package folder (symbolic link?)"
    return target, None


def _load_dialect(root: Path, declared: Any, name: str, shown: str, index: int) -> tuple[Dialect | None, list[Finding]]:
    """A resource's Table Dialect, inline or in a file of the package; None when it cannot be used."""
    if declared is None:
        return Dialect(), []
    where, pointer = shown, f"/resources/{index}/dialect"
    problems: list[Finding] = []
    if isinstance(declared, str):
        dialect_file, why = safe_path(root, declared)
        if dialect_file is None:
            return None, [Finding("resource-error", f"resource {name!r}: dialect {why}", file=shown, field=pointer, value=declared)]
        where, pointer = declared, ""
        declared, problems = _read_json(dialect_file, "resource-error", declared)
        if problems:
            return None, problems
        if not isinstance(declared, dict):
            return None, [Finding("resource-error", f"resource {name!r}: a dialect is an object", file=where)]
        wrong = profile_problems(declared, "dialect")
        if wrong:
            return None, [Finding("resource-error", f"{pointer}{p}: {m}", file=where, field=f"{pointer}{p}") for p, m in wrong]
        problems = [Finding(code, message, file=where, field=p, hint=hint) for p, code, message, hint in stray_properties(declared, DIALECT)]
    elif not isinstance(declared, dict):
        return None, [Finding("resource-error", f"resource {name!r}: a dialect is an object or the path of a JSON file", file=shown, field=pointer)]
    else:
        wrong = profile_problems(declared, "dialect", pointer)
        if wrong:
            return None, [Finding("resource-error", f"{p}: {m}", file=shown, field=p) for p, m in wrong]
    dialect, wrong_values = parse_dialect(declared)
    if wrong_values:
        return None, problems + [Finding("resource-error", f"resource {name!r}: dialect `{k}` {m}", file=where, field=f"{pointer}/{k}") for k, m in wrong_values]
    return dialect, problems


def load_package(path: str | os.PathLike[str] | None = None) -> tuple[Package | None, list[Finding]]:
    """Read datapackage.json and every schema; findings say what could not be read."""
    descriptor_file = locate(path)
    shown = descriptor_file.name
    descriptor, problems = _package_descriptor(descriptor_file)
    if descriptor is None:
        return None, problems
    package = Package(root=descriptor_file.parent, descriptor=descriptor)
    seen: set[str] = set()
    for i, res in enumerate(descriptor["resources"], start=1):
        name, problem = _resource_name(res, i, seen, shown)
        if name is None:
            problems += problem
            continue
        seen.add(name)
        resource, errs = _resource(package.root, res, name, i - 1, shown)
        problems += errs
        if resource is not None:
            package.resources.append(resource)
    problems += _release_path_collisions(package, shown)
    return package, problems + _reference_problems(package, seen, shown)


def _package_descriptor(descriptor_file: Path) -> tuple[dict[str, Any] | None, list[Finding]]:
    """datapackage.json read and checked against the standard's profile (None: it cannot be used at all)."""
    shown = descriptor_file.name
    descriptor, problems = _read_json(descriptor_file, "package-error", shown)
    if descriptor is None:  # unreadable, or the JSON value null
        return None, problems or [Finding("package-error", f"{shown} holds null; a descriptor is an object with `resources`", file=shown)]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list) or not descriptor["resources"]:
        return None, [Finding("package-error", "the descriptor must be an object with a non-empty `resources` array", file=shown)]
    problems += [Finding("package-error", f"{pointer}: {message}", file=shown, field=pointer) for pointer, message in profile_problems(descriptor, "package")]
    for key, pattern, rule in (("name", NAME_PATTERN, "lower-case letters, digits, '.', '_' and '-'"), ("version", SEMVER, "a Semantic Version such as 0.2.0")):
        value = descriptor.get(key)
        if value is not None and (not isinstance(value, str) or not pattern.match(value)):
            problems.append(Finding("package-error", f"`{key}` {value!r} is not {rule}; it becomes part of file names", file=shown, field=key, value=str(value)))
    if problems:
        return None, problems
    return descriptor, [Finding(code, message, file=shown, field=pointer, hint=hint) for pointer, code, message, hint in stray_properties(descriptor, PACKAGE)]


def _resource_name(res: Any, i: int, seen: set[str], shown: str) -> tuple[str | None, list[Finding]]:
    """A resource's name, or None with a resource-error when it has none, a name unfit for file names, or a taken one."""
    if not isinstance(res, dict) or not isinstance(res.get("name"), str):
        return None, [Finding("resource-error", f"resource #{i} has no name", file=shown)]
    name: str = res["name"]
    if not NAME_PATTERN.match(name):
        why = f"resource name {name!r} is not lower-case letters, digits, '.', '_' and '-'; it becomes part of file names"
        return None, [Finding("resource-error", why, file=shown, value=name)]
    if name in seen:
        return None, [Finding("resource-error", f"resource name {name!r} is used twice", file=shown)]
    return name, []


def _resource(root: Path, res: dict[str, Any], name: str, index: int, shown: str) -> tuple[Resource | None, list[Finding]]:
    """One resource with its files, schema and dialect (None: refused, with the findings that say why)."""
    parts, problems = _parts(root, res, name, index, shown)
    if not parts or problems:
        return None, problems
    schema_desc, where, problems = _schema_descriptor(root, res, name, index, shown)
    if where is None:
        return None, problems
    dialect, errs = _load_dialect(root, res.get("dialect"), name, shown, index)
    problems += errs
    if dialect is None:
        return None, problems
    schema, errs = parse_schema(schema_desc, where, "" if where != shown else f"/resources/{index}/schema")
    problems += errs
    if schema is None:
        return None, problems
    no_missing = [f.name for f in schema.fields if not f.missing_values] if dialect.null_sequence is not None else []
    if no_missing:  # a null cell of such a field could only be read as a value, one the file does not hold
        refused = Finding(
            "resource-error",
            f"resource {name!r}: dialect `nullSequence` {dialect.null_sequence!r} marks a cell as null, but field(s) "
            f"{', '.join(no_missing)} declare no missing value (`missingValues: []`), so such a cell could not be null",
            file=shown,
            field=f"/resources/{index}/dialect/nullSequence",
            value=dialect.null_sequence,
            hint='give those fields a missing value (e.g. `"missingValues": [""]`), or remove `nullSequence`',
        )
        return None, [*problems, refused]
    resource = Resource(name=name, path=parts[0][0], file=parts[0][1], schema=schema, descriptor=res, dialect=dialect, parts=parts, encoding=res.get("encoding", "utf-8"))
    return resource, problems


def _parts(root: Path, res: dict[str, Any], name: str, index: int, shown: str) -> tuple[list[tuple[str, Path]], list[Finding]]:
    """Each data file as (declared path, file confined to the package), or the refusals of its paths, compression and encoding."""
    declared_paths = res.get("path")
    if isinstance(declared_paths, list) and not declared_paths:
        return [], [Finding("resource-error", f"resource {name!r}: path is an empty list", file=shown)]
    parts: list[tuple[str, Path]] = []
    refusals = []
    for declared_path in declared_paths if isinstance(declared_paths, list) else [declared_paths]:
        file, why = safe_path(root, declared_path)
        if file is None:
            refusals.append(Finding("resource-error", f"resource {name!r}: {why}", file=shown, value=str(declared_path)))
        else:
            parts.append((str(declared_path), file))
    why = _compression_problem(res)
    if why:
        refusals.append(Finding("resource-error", f"resource {name!r}: {why}", file=shown, field="compression", value=str(res.get("compression"))))
    why = _encoding_problem(res)
    if why:
        refusals.append(Finding("resource-error", f"resource {name!r}: {why}", file=shown, field=f"/resources/{index}/encoding", value=str(res.get("encoding"))))
    return parts, refusals


def _schema_descriptor(root: Path, res: dict[str, Any], name: str, index: int, shown: str) -> tuple[Any, str | None, list[Finding]]:
    """The resource's Table Schema as JSON and the file it is read from (None: no schema to read, with why)."""
    schema_desc = res.get("schema")
    if isinstance(schema_desc, str):
        schema_file, why = safe_path(root, schema_desc)
        if schema_file is None:
            return None, None, [Finding("schema-error", f"resource {name!r}: schema {why}", file=shown, value=schema_desc)]
        loaded, errs = _read_json(schema_file, "schema-error", schema_desc)
        # unreadable: refused; a schema file holding null goes on to parse_schema, which says what a schema is
        return loaded, None if errs else schema_desc, errs
    if schema_desc is None:
        # Refused, never inferred: a schema guessed from the rows would pass whatever they hold and change type with them.
        # One finding, and no cascade: the table is not read, and references to it are not reported again.
        refused = Finding(
            "schema-error",
            f"resource {name!r} declares no schema; c5data checks data against a declared Table Schema and never infers one",
            file=shown,
            field=f"/resources/{index}/schema",
            hint=f"add a `schema` (`frictionless describe {res.get('path')}` drafts one to review)",
        )
        return None, None, [refused]
    return schema_desc, shown, []


def _reference_problems(package: Package, declared: set[str], shown: str) -> list[Finding]:
    """Foreign keys to a resource or fields that do not exist. `declared` holds every named resource, so a resource
    refused above (already reported) is not reported again through the references to it."""
    problems = []
    for r in package.resources:
        where = r.descriptor.get("schema") if isinstance(r.descriptor.get("schema"), str) else shown
        for fk in r.schema.foreign_keys:
            target = package.resource(fk.resource) if fk.resource else r
            if fk.resource and fk.resource not in declared:
                problems.append(Finding("schema-error", f"{r.name}: foreign key {list(fk.fields)} references unknown resource {fk.resource!r}", file=where))
            elif target is not None and any(target.schema.get(n) is None for n in fk.ref_fields):
                problems.append(Finding("schema-error", f"{r.name}: foreign key {list(fk.fields)} references unknown fields {list(fk.ref_fields)}", file=where))
    return problems
