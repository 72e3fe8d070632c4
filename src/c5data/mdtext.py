"""Text from a package's cells and names shown in Markdown as the text it is, never as Markdown.

A pull request's summary and CHANGELOG.md quote cell values, keys and column names that anyone proposing a change
chooses. Left as they are, a line break in a value starts a new paragraph or heading in the reviewer's summary, and
`**`, `[..](..)` or `<img>` format it: a value could write "approved" where the diff should be. Every line break
becomes a visible ↵, every other control character U+FFFD, and the rest is escaped (`text`) or fenced (`code`).
"""

from __future__ import annotations

import re

#: What Markdown (CommonMark, GitHub's) reads as a line break: CommonMark's \n, \r; and \v, \f, NEL, U+2028 and
#: U+2029, which some renderers break lines at too.
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: ASCII punctuation that can start formatting, a link, an HTML tag, an entity, a table cell or a mention mid-line
#: (CommonMark lets a backslash escape any of them); an underscore between two letters or digits (`start_date`)
#: can neither open nor close emphasis, so it is left as it is.
_SPECIAL = re.compile(r"([\\`*\[\]<>!|~&@]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def _one_line(value: object) -> str:
    return _CONTROL.sub("\ufffd", _BREAKS.sub("↵", str(value)))


def text(value: object) -> str:
    """`value` as plain text inside a Markdown line: on one line, every character shown as itself."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), _one_line(value))


def code(value: object) -> str:
    """`value` as an inline code span on one line: fenced by more backticks than it holds in a row, so nothing in it
    closes the span."""
    shown = _one_line(value)
    runs = [len(r) for r in re.findall("`+", shown)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") or (shown.startswith(" ") and shown.endswith(" ") and shown.strip()) else ""
    return f"{fence}{pad}{shown}{pad}{fence}"
