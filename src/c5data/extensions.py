"""The seam between the generic Frictionless toolkit and a data package's own policies.

The toolkit's stages (reading, validation, building, releasing, querying)
apply the Data Package and Table Schema standards and nothing more. What a
particular package adds on top — rules across its tables, a policy for the
text in its cells, documented SQL views, codebook sections, a site — comes
from an `Extension` that declares which packages it serves.

Which code runs is decided by what is installed, never by the descriptor: an
extension is either built into the toolkit (`BUILTIN`) or registered by an
installed distribution under the entry-point group `c5data.extensions`
(in the manner of frictionless-py's plugins or Datasette's hooks). A
descriptor only names its package (`name`), and an extension applies when it
lists that name, so no descriptor can make the toolkit import anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the hooks' types only: importing them here would pull polars into `c5data --help`
    import polars as pl

    from c5data.building.sql import View
    from c5data.reading.descriptor import Package, Resource
    from c5data.reading.tableschema import Field
    from c5data.validation.checks import CheckSpec

ENTRY_POINT_GROUP = "c5data.extensions"

#: Extensions shipped with the toolkit, as `module:attribute`, imported only when a package is matched against them.
BUILTIN = ("c5data.diplomacy:EXTENSION",)


@dataclass(frozen=True)
class RuleInfo:
    """What the codebook says of one rule an extension checks."""

    code: str
    table: str  # the table whose rows are reported ("*" = every table that has the columns)
    description: str


@dataclass(frozen=True)
class Extension:
    """A package's own layer: every hook is optional, and each one adds to what the standard asks, never replaces it.

    - `field_checks(field)`: checks of one field's cells beyond its Table Schema constraints;
    - `text_checks()`: checks of every text cell (the given cells of string and list fields) beyond the standard (a
      text policy, say), as expressions over `c5data.validation.checks.CELL_TEXT`; they run once per table over
      all its text cells, not once per field, and a failing cell is reported in its own field;
    - `table_checks(frames, table)`: checks of one table's rows that read other tables (the frames are the
      validator's working frames, text and typed values; a check may attach looked-up columns to `frames[table]`);
    - `rules()`: what the codebook says of the rules `table_checks` applies;
    - `views(resources, as_of)`: documented SQL views, created in the built database and in `c5data query`; `as_of`
      is the day a view may judge "passed" against (the release date in a build, None for the day the query runs);
    - `codebook(resources, extra_files)`: Markdown sections for the codebook (counting recipes, coverage), given the
      package's extra files as shipped in the release;
    - `writers()`: build writers run after the toolkit's artifacts (a site), each a module-like object with
      `write(ctx)` taking the build context, as `c5data.building.builder.build` runs its own writers;
    - `kinds()`: the kinds of row `c5data new` makes (`c5data.contributing.scaffold.Kind`: table, columns, how the
      id is formed).
    """

    name: str
    packages: frozenset[str]
    field_checks: Callable[[Field], list[CheckSpec]] | None = None
    text_checks: Callable[[], list[CheckSpec]] | None = None
    table_checks: Callable[[dict[str, pl.DataFrame], str], list[CheckSpec]] | None = None
    rules: Callable[[], Sequence[RuleInfo]] | None = None
    views: Callable[[Mapping[str, Resource], dt.date | None], list[View]] | None = None
    codebook: Callable[[Mapping[str, Resource], Mapping[str, bytes]], list[str]] | None = None
    writers: Callable[[], Sequence[Any]] | None = None
    kinds: Callable[[], Sequence[Any]] | None = None
    description: str = field(default="", compare=False)

    def applies_to(self, package_name: str | None) -> bool:
        return package_name is not None and package_name in self.packages


def _load(reference: str) -> Extension:
    module, _, attribute = reference.partition(":")
    found = getattr(import_module(module), attribute)
    if not isinstance(found, Extension):
        raise TypeError(f"{reference} is not a c5data Extension")
    return found


@cache
def registered() -> tuple[Extension, ...]:
    """Every extension the toolkit knows: the built-in ones, then those installed distributions register."""
    found = [_load(reference) for reference in BUILTIN]
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        if isinstance(loaded, Extension) and loaded not in found:
            found.append(loaded)
    return tuple(found)


def package_name(descriptor: Mapping[str, Any] | None) -> str | None:
    """The name a descriptor gives its package (None when it gives none or not as text)."""
    name = (descriptor or {}).get("name")
    return name if isinstance(name, str) else None


def for_descriptor(descriptor: Mapping[str, Any] | None) -> tuple[Extension, ...]:
    """The extensions that serve the package a descriptor names (none for a package no extension lists)."""
    name = package_name(descriptor)
    return tuple(ext for ext in registered() if ext.applies_to(name))


def for_package(package: Package | None) -> tuple[Extension, ...]:
    """The extensions that serve a loaded package."""
    return for_descriptor(package.descriptor if package is not None else None)


def views(extensions: Sequence[Extension], resources: Mapping[str, Resource], as_of: dt.date | None = None) -> list[View]:
    """The views of every extension, in order (a view whose tables or columns the package lacks is left out by the hook)."""
    return [view for ext in extensions if ext.views for view in ext.views(resources, as_of)]


def rules(extensions: Sequence[Extension]) -> list[RuleInfo]:
    """What the codebook says of the extensions' rules."""
    return [rule for ext in extensions if ext.rules for rule in ext.rules()]
