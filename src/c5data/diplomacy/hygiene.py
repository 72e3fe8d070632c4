"""The package's policy for text in its cells: what a cell may hold beyond what its Table Schema says.

The Table Schema standard accepts any text in a string field; this package
asks more of the rows people read and paste into spreadsheets: no padding
whitespace, no control or invisible characters, Unicode NFC, nothing a
spreadsheet would run as a formula, and letters of the script a field
declares (`x-script`). Another package gets none of this unless it opts in.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from c5data.reading.fields import is_missing
from c5data.reading.tableschema import Field
from c5data.validation.checks import CheckSpec

CONTROL = r"[\x00-\x1f\x7f]"
FORMULA = r"^[=+\-@\t\r]"  # what spreadsheets start evaluating; only text fields are checked, so -5 in a number field is fine

# Characters that change how text is displayed without being seen: bidirectional marks, overrides and isolates (the
# Arabic letter mark U+061C among them), zero-width spaces, word joiners, a stray byte-order mark, and the tag
# characters U+E0000-E007F (invisible, and able to carry hidden text). Zero-width (non-)joiners (U+200C, U+200D) stay
# allowed: scripts such as Persian need them.
INVISIBLE = "[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
#: The first UTF-8 byte of every character INVISIBLE lists: D8 (U+061C), E2 (U+2xxx), EF (U+FEFF), F3 (U+E00xx).
_INVISIBLE_LEAD_BYTES = (0xD8, 0xE2, 0xEF, 0xF3)


def _is_nfc(s: pl.Series) -> pl.Series:
    """True where the text is in NFC; only the rows with a non-ASCII character are normalised (ASCII is always NFC)."""
    out = s.str.len_bytes() == s.str.len_chars()
    todo = (~out).fill_null(False).arg_true()
    if len(todo):
        sub = s.gather(todo)
        out = out.scatter(todo, sub == sub.str.normalize("NFC"))
    return out


#: The per-cell text checks computed in one pass over a column (True where the cell passes).
TEXT_FLAGS = ("control", "invisible", "nfc")
_TEXT_FLAGS_TYPE = pl.Struct({name: pl.Boolean for name in TEXT_FLAGS})


def _text_flags(s: pl.Series) -> pl.Series:
    """Control characters, invisible characters and NFC for every cell of one text column, as a struct.

    The whole column's bytes are looked at once first: a column with no
    control byte needs no per-cell search for one, and an ASCII column can hold
    neither an invisible character nor text outside NFC. Only what that cannot
    rule out is searched cell by cell, so the cost follows the text there is.
    """
    passing = pl.repeat(True, s.len(), eager=True, dtype=pl.Boolean)
    joined = s.str.join("").cast(pl.Binary).item() if s.len() else b""
    data = np.frombuffer(joined or b"", np.uint8)
    low, high = (int(data.min()), int(data.max())) if len(data) else (0x20, 0)  # two reductions, no array made
    has_control = low < 0x20 or (high >= 0x7F and bool((data == 0x7F).any()))
    non_ascii = high >= 0x80
    may_be_invisible = non_ascii and bool(np.isin(data, _INVISIBLE_LEAD_BYTES).any())
    flags = {
        "control": (~s.str.contains(CONTROL)).fill_null(True) if has_control else passing,
        "invisible": (~s.str.contains(INVISIBLE)).fill_null(True) if may_be_invisible else passing,
        "nfc": _is_nfc(s).fill_null(True) if non_ascii else passing,
    }
    return pl.DataFrame(flags).to_struct(s.name)


def text_flags_column(name: str) -> str:
    """Column holding the text flags of field `name` (computed by the check, shared by the specs that read it)."""
    return f"{name}::text"


def field_checks(fld: Field) -> list[CheckSpec]:
    """The text policy's checks of one string or list field (none for other types)."""
    if fld.type not in ("string", "list"):
        return []
    raw = pl.col(fld.name)
    given = raw.is_not_null() & ~is_missing(fld)
    prepared = (raw.map_batches(_text_flags, return_dtype=_TEXT_FLAGS_TYPE).alias(text_flags_column(fld.name)),)
    flag = pl.col(text_flags_column(fld.name)).struct.field
    checks = [
        CheckSpec("text-whitespace", fld.name, "has leading or trailing whitespace", ~given | (raw == raw.str.strip_chars())),
        CheckSpec("text-control", fld.name, "contains a control character", ~given | flag("control"), needs=prepared),
        CheckSpec("text-nfc", fld.name, "is not in Unicode NFC", ~given | flag("nfc"), needs=prepared),
        CheckSpec("text-formula", fld.name, "starts like a spreadsheet formula", ~given | ~raw.str.contains(FORMULA)),
        CheckSpec("text-invisible", fld.name, "holds an invisible or text-direction character", ~given | flag("invisible"), needs=prepared),
    ]
    if fld.script:
        checks.append(
            CheckSpec(
                "text-script",
                fld.name,
                f"holds letters outside the {fld.script} script",
                ~given | ~raw.str.contains(rf"[\p{{L}}--\p{{{fld.script}}}]"),
            )
        )
    return checks
