"""This package's own layer on the generic toolkit: the C+C5 diplomacy data's rules, text policy, views, counting and site.

Declared as an `Extension` (see `c5data.extensions`) that serves the package
named `c5data`; any other Data Package is validated and built by the
standard alone. Each hook imports its module when first called, so matching
a package against this extension costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from c5data.extensions import Extension, RuleInfo

if TYPE_CHECKING:
    import polars as pl

    from c5data.building.sql import View
    from c5data.reading.descriptor import Resource
    from c5data.reading.tableschema import Field
    from c5data.validation.checks import CheckSpec

PACKAGE_NAME = "c5data"


def _field_checks(fld: Field) -> list[CheckSpec]:
    from c5data.diplomacy.hygiene import field_checks

    return field_checks(fld)


def _text_checks() -> list[CheckSpec]:
    from c5data.diplomacy.hygiene import text_checks

    return text_checks()


def _table_checks(frames: dict[str, pl.DataFrame], table: str) -> list[CheckSpec]:
    from c5data.diplomacy.rules import table_checks

    return table_checks(frames, table)


def _rules() -> Sequence[RuleInfo]:
    from c5data.diplomacy.rules import RULES

    return [RuleInfo(rule.code, rule.table, rule.description) for rule in RULES]


def _views(resources: Mapping[str, Resource], as_of: dt.date | None = None) -> list[View]:
    from c5data.diplomacy.views import available

    return available(resources, as_of)


def _codebook(resources: Mapping[str, Resource], extra_files: Mapping[str, bytes]) -> list[str]:
    from c5data.diplomacy.counting import codebook_sections

    return codebook_sections(resources, extra_files)


def _writers() -> Sequence[Any]:
    from c5data.diplomacy.site import writer

    return [writer]


def _kinds() -> Sequence[Any]:
    from c5data.diplomacy.scaffold import KINDS

    return list(KINDS.values())


EXTENSION = Extension(
    name="diplomacy",
    packages=frozenset({PACKAGE_NAME}),
    field_checks=_field_checks,
    text_checks=_text_checks,
    table_checks=_table_checks,
    rules=_rules,
    views=_views,
    codebook=_codebook,
    writers=_writers,
    kinds=_kinds,
    description="China–Central Asia diplomacy: cross-table rules, text policy, documented views, counting recipes, the readers' site and the rows `c5data new` makes.",
)
