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
from c5data.validation.checks import CELL_TEXT, TEXT_TYPES, CheckSpec

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


#: Cells looked at together by `_text_flags`: its bytes are joined once per slice, so memory stays bounded however
#: many text cells a table has.
FLAGS_SLICE = 200_000


def _text_flags(s: pl.Series) -> pl.Series:
    """Control characters, invisible characters and NFC for every cell of a column of text, as a struct (see `_slice_flags`)."""
    if s.len() <= FLAGS_SLICE:
        return _slice_flags(s)
    return pl.concat([_slice_flags(s.slice(start, FLAGS_SLICE)) for start in range(0, s.len(), FLAGS_SLICE)])


def _slice_flags(s: pl.Series) -> pl.Series:
    """Control characters, invisible characters and NFC for every cell of some text cells, as a struct.

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


TEXT_FLAGS_COLUMN = "__text_flags__"  # computed once per table by the first check that reads it, shared by the others


def text_checks() -> list[CheckSpec]:
    """The text policy's checks of every given cell of a table's string and list fields (see `c5data.validation.checks.text_cells`)."""
    text = pl.col(CELL_TEXT)
    prepared = (text.map_batches(_text_flags, return_dtype=_TEXT_FLAGS_TYPE).alias(TEXT_FLAGS_COLUMN),)
    flag = pl.col(TEXT_FLAGS_COLUMN).struct.field
    return [
        CheckSpec("text-whitespace", None, "has leading or trailing whitespace", text == text.str.strip_chars(), value=text),
        CheckSpec("text-control", None, "contains a control character", flag("control"), needs=prepared, value=text),
        CheckSpec("text-nfc", None, "is not in Unicode NFC", flag("nfc"), needs=prepared, value=text),
        CheckSpec("text-formula", None, "starts like a spreadsheet formula", ~text.str.contains(FORMULA), value=text),
        CheckSpec("text-invisible", None, "holds an invisible or text-direction character", flag("invisible"), needs=prepared, value=text),
    ]


def field_checks(fld: Field) -> list[CheckSpec]:
    """A field's `x-script`: its letters are of the script it declares (text fields only)."""
    if fld.type not in TEXT_TYPES or not fld.script:
        return []
    raw = pl.col(fld.name)
    given = raw.is_not_null() & ~is_missing(fld)
    return [CheckSpec("text-script", fld.name, f"holds letters outside the {fld.script} script", ~given | ~raw.str.contains(rf"[\p{{L}}--\p{{{fld.script}}}]"))]
