"""The error catalogue: every finding code, declared once.

The text, JSON and GitHub reports, the docs (`docs/errors.md`) and the tests
all read this list. Codes reuse the frictionless-py names where the meaning
is the same; `rule` entries are the cross-table rules of the data model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Kind = Literal["descriptor", "file", "header", "row", "cell", "rule"]


@dataclass(frozen=True)
class Code:
    code: str
    kind: Kind
    severity: Severity
    title: str
    description: str
    hint: str = ""


_CODES = [
    # Descriptors and files: exit code 2, the package cannot be read as declared.
    Code(
        "package-error",
        "descriptor",
        "error",
        "Package error",
        "datapackage.json is missing, is not valid JSON, or breaks the Data Package rules.",
        "fix datapackage.json; `frictionless validate datapackage.json` explains descriptor problems in detail",
    ),
    Code(
        "resource-error",
        "descriptor",
        "error",
        "Resource error",
        "A resource is badly declared: no name or path, a path outside the package, a hidden or linked path, or a duplicate name.",
        "resources are relative paths inside the package folder, e.g. data/meetings.csv",
    ),
    Code(
        "schema-error",
        "descriptor",
        "error",
        "Schema error",
        "A Table Schema is missing, is not valid JSON, or declares keys over unknown fields or resources.",
        "see schemas/README.md and the Table Schema specification",
    ),
    Code(
        "field-error",
        "descriptor",
        "error",
        "Field error",
        "A field descriptor is invalid: unknown type, bad pattern, or a constraint that does not fit the type.",
        "field types are those of Table Schema v2: string, integer, number, boolean, date, time, datetime, year, yearmonth, duration, "
        "geopoint, geojson, object, array, list or any",
    ),
    Code(
        "misplaced-property",
        "descriptor",
        "error",
        "Misplaced property",
        "A property of the standard written at the wrong place, so it is ignored: a constraint beside a field instead of "
        "inside `constraints`, a dialect property on a resource instead of inside `dialect`.",
        'move it where the standard reads it, e.g. "constraints": {"required": true}',
    ),
    Code(
        "misspelt-property",
        "descriptor",
        "warning",
        "Misspelt property",
        "A property that is not one of the standard's but is close to one (`primarykey`, `missingValue`), so it is ignored; custom properties start with `x-`.",
        "spell it as the standard does, or prefix a custom property with x-",
    ),
    Code(
        "source-error",
        "file",
        "error",
        "Source error",
        "The data file cannot be read: missing, unreadable, or not a file.",
        "check the resource path in datapackage.json",
    ),
    Code(
        "format-error",
        "file",
        "error",
        "Format error",
        "The file is not parseable CSV, e.g. a quoted cell is never closed.",
        'every opening double quote needs a closing one; a quote inside a quoted cell is written twice ("")',
    ),
    Code("encoding-error", "file", "error", "Encoding error", "Bytes that are not valid UTF-8.", "save the file as UTF-8 (without BOM)"),
    Code(
        "wrong-delimiter",
        "file",
        "error",
        "Wrong delimiter",
        "The file is separated by semicolons or tabs, not commas (as some spreadsheets save it); it is read with that delimiter, so nothing else is blamed on it.",
        "`c5data fix` rewrites it with commas; or save it as CSV UTF-8 (comma delimited)",
    ),
    Code(
        "file-style",
        "file",
        "warning",
        "File style",
        "The file starts with a byte-order mark, or ends its lines with CRLF where the package's other files use LF: git would show every line changed.",
        "`c5data fix` writes it back as UTF-8 without BOM with the package's line endings",
    ),
    Code(
        "byte-count",
        "file",
        "error",
        "Byte count mismatch",
        "The file size differs from the `bytes` declared in the descriptor.",
        "the file changed after the release was built, or the download is incomplete",
    ),
    Code(
        "hash-count",
        "file",
        "error",
        "Hash mismatch",
        "The file's hash differs from the `hash` declared in the descriptor.",
        "the file changed after the release was built, or the download is corrupt",
    ),
    # Header
    Code("blank-header", "header", "error", "Blank header", "The file has no header row.", "the first line names the columns"),
    Code("blank-label", "header", "error", "Blank label", "A header cell is empty.", "name every column"),
    Code("duplicate-label", "header", "error", "Duplicate label", "Two header cells have the same name.", "each column name appears once"),
    Code(
        "missing-label",
        "header",
        "error",
        "Missing label",
        "A column the schema requires is not in the header.",
        "add the column (it may be left empty where not required)",
    ),
    Code("extra-label", "header", "error", "Extra label", "The header has a column the schema does not define.", "remove the column, or add it to the schema first"),
    Code("incorrect-label", "header", "error", "Incorrect label order", "The header names the right columns in the wrong order.", "keep the schema's column order"),
    # Rows
    Code("blank-row", "row", "error", "Blank row", "A row with no values.", "delete the empty line"),
    Code("extra-cell", "row", "error", "Extra cell", "A row has more cells than the header.", "a comma inside a value needs the value in double quotes"),
    Code("missing-cell", "row", "error", "Missing cell", "A row has fewer cells than the header.", "every row has one cell per column, empty ones included"),
    Code("primary-key", "row", "error", "Primary key violation", "Two rows share a primary key, or a key cell is empty.", "ids are unique; pick a new id"),
    Code("unique-key", "row", "error", "Unique key violation", "Two rows share the values of a declared unique key (Data Package v2 `uniqueKeys`).", ""),
    Code("foreign-key", "row", "error", "Foreign key violation", "A reference (or an item of a list reference) does not match any row of the referenced table.", ""),
    # Cells
    Code("type-error", "cell", "error", "Type error", "A value cannot be read as the field's type.", ""),
    Code("constraint-error", "cell", "error", "Constraint error", "A value breaks a field constraint: required, pattern, enum, minimum, maximum or length.", ""),
    Code("unique-error", "cell", "error", "Unique error", "A field declared unique has the same value in two rows.", ""),
    Code("category-error", "cell", "error", "Category error", "A value is not one of the field's `categories` (Data Package v2).", ""),
    Code("text-whitespace", "cell", "error", "Surrounding whitespace", "A text cell starts or ends with whitespace.", "trim the cell"),
    Code(
        "text-control",
        "cell",
        "error",
        "Control character",
        "A text cell holds a control character (tab, carriage return, NUL …).",
        "remove it: a cell holds one line of text, without tabs or line breaks",
    ),
    Code("text-nfc", "cell", "error", "Not Unicode NFC", "A text cell is not in Unicode normalisation form C.", "normalise the file to NFC (e.g. `uconv -x any-nfc`)"),
    Code(
        "text-formula",
        "cell",
        "error",
        "Formula-like cell",
        "A text cell starts with =, +, -, @, a tab or a carriage return, which spreadsheets may execute as a formula (CSV injection).",
        "reword the cell so it does not start with that character",
    ),
    Code(
        "text-invisible",
        "cell",
        "error",
        "Invisible character",
        "A text cell holds a bidirectional mark, override or isolate (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), "
        "a zero-width space, a word joiner, a byte-order mark or a tag character (U+E0000–U+E007F): the text shown is not the text stored.",
        "delete the character (zero-width joiners U+200C/U+200D are allowed)",
    ),
    Code(
        "text-script",
        "cell",
        "warning",
        "Letters of another script",
        "A cell of a field whose schema declares `x-script` (e.g. Latin for an English title) holds letters of another script, such as Cyrillic or Chinese.",
        "put the original-language text in its own column (e.g. title_original) and an English rendering here",
    ),
    # Cross-table rules of the data model (schemas/README.md)
    Code("date-order", "rule", "error", "End before start", "A meeting's end_date is before its start_date.", "end_date >= start_date; equal for a one-day meeting"),
    Code(
        "date-precision",
        "rule",
        "error",
        "Date precision mismatch",
        "A month-precision date is not the first of the month, or a year-precision date is not 1 January (meetings: "
        "start_date/end_date by date_precision; documents: date by date_precision; pledge_followups: as_of_date by "
        "as_of_date_precision; sources: published_date by published_date_precision).",
        "store a month-precision date as YYYY-MM-01 and a year-precision date as YYYY-01-01",
    ),
    Code(
        "meeting-id-form",
        "rule",
        "error",
        "Meeting id form",
        "A meeting_id is not {series_id}-{date}, where date is the start_date cut to its date_precision (YYYY-MM-DD for day, YYYY-MM for month, YYYY for year).",
        "ids are forever: fix this before the id is released, or record the change in data/id_changes.csv",
    ),
    Code("document-date", "rule", "error", "Document date outside meeting", "A document's date lies outside its meeting's start_date..end_date.", ""),
    Code(
        "participant-country",
        "rule",
        "error",
        "Participant country differs",
        "A participant's country is not the person's country and notes do not explain why.",
        "use the person's country, or explain the difference in notes",
    ),
    Code(
        "chair-count",
        "rule",
        "error",
        "More than one chair",
        "A meeting has two or more participants with role chair, or mixes chair and co-chair.",
        "one chair; or two or more co-chairs and no chair",
    ),
    Code("ordinal-order", "rule", "error", "Ordinals out of order", "Within a series, ordinals do not increase with start_date.", ""),
    Code(
        "quantity-unit",
        "rule",
        "error",
        "Quantity without unit",
        "A pledge has a quantity but no unit, or a financial pledge's unit is not an ISO 4217 currency code.",
        "",
    ),
    Code(
        "pledge-component",
        "rule",
        "error",
        "Inconsistent pledge component",
        "A component's pledger or unit differs from its headline pledge, or its components add up to more than the headline.",
        "components share the headline's pledger and unit and never exceed it",
    ),
    Code("pledge-restatement", "rule", "error", "Inconsistent restatement", "A restatement points to a pledge of another pledger, to a later pledge, or to itself.", ""),
    Code("pledge-cycle", "rule", "error", "Pledge points to itself", "parent_pledge_id or restates_pledge_id names the pledge's own id.", ""),
    Code("followup-date", "rule", "error", "Follow-up before pledge", "A follow-up's as_of_date is before the start of the meeting where the pledge was made.", ""),
    Code(
        "meeting-status",
        "rule",
        "error",
        "Held meeting incomplete",
        "A meeting whose meeting_status is held lacks its end_date or its format (only a meeting announced, postponed or cancelled may lack them).",
        "give the last day (equal to start_date for a one-day meeting) and the format, or set the meeting_status the sources give",
    ),
    Code(
        "followup-evidence",
        "rule",
        "error",
        "Delivery on the pledger's word",
        "A follow-up says fulfilled or partially-fulfilled, but its evidence is the pledger's own report.",
        "cite a beneficiary's or an independent report (and set evidence), or code the pledger's claim as claimed-fulfilled (in-progress for a partial delivery)",
    ),
    Code(
        "followup-reporter",
        "rule",
        "error",
        "Reporter country does not fit the evidence",
        "A follow-up's reporter_country is not the pledger although evidence is pledger-report, not a beneficiary although it is "
        "beneficiary-report, or the pledger or a beneficiary although it is independent.",
        "set evidence by who reports (the pledger's state, a beneficiary's state, or neither), or correct reporter_country",
    ),
    Code("certainty-notes", "rule", "error", "Disputed without notes", "certainty is disputed but notes is empty.", "say in notes who says what"),
    Code(
        "certainty-sources",
        "rule",
        "error",
        "Confirmed with one source",
        "certainty is confirmed but fewer than two source_ids are given.",
        "cite a second independent source, or use single-source",
    ),
    Code(
        "id-change-old",
        "rule",
        "error",
        "Old id still in use",
        "An id_changes row names as old_id an id that is still an id of its table.",
        "change the id everywhere in data/, or remove the id_changes row if the id did not change",
    ),
    Code(
        "id-change-new",
        "rule",
        "error",
        "New id missing",
        "An id_changes row names as new_id an id that is not an id of its table and is not the old_id of a later change.",
        "new_id is the id the row has now; when it changed again, add that later change too",
    ),
    Code(
        "id-change-loop",
        "rule",
        "error",
        "Id changes loop",
        "Following new_id → old_id through id_changes leads back to the row's own old_id.",
        "a chain of renames ends at a current id; remove the change that closes the loop",
    ),
    Code("unused-source", "rule", "warning", "Unused source", "A source is referenced by no row.", "cite it or remove it"),
]

CATALOGUE: dict[str, Code] = {c.code: c for c in _CODES}

#: Codes that mean "the package could not be read as declared" (exit code 2).
DESCRIPTOR_CODES = frozenset(c.code for c in _CODES if c.kind == "descriptor") | {"source-error"}


def lookup(code: str) -> Code:
    """Return the catalogue entry for `code` (KeyError if undeclared)."""
    return CATALOGUE[code]


def markdown() -> str:
    """The catalogue as a Markdown table, for docs/errors.md."""
    lines = [
        "# Error codes",
        "",
        "Every finding `c5data validate` can report. Generated by `c5data errors > docs/errors.md`; a test keeps it in sync with `src/c5data/catalogue.py`.",
        "",
        "| code | severity | kind | what it means | hint |",
        "|---|---|---|---|---|",
    ]
    for c in _CODES:
        lines.append(f"| `{c.code}` | {c.severity} | {c.kind} | {c.description} | {c.hint} |")
    return "\n".join(lines) + "\n"
