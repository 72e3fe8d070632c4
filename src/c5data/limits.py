"""The bounds that keep memory and time finite on hostile input, each overridable by an environment variable.

A pull request can bring any file to a validation job, so every input whose cost
is not proportional to its size on disk (a compressed file, a query) is bounded
here, once. The README's "Limits" section lists the same table.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class LimitError(ValueError):
    """An override that is not a positive number."""


@dataclass(frozen=True)
class Limit:
    env: str
    default: float
    what: str

    def value(self) -> float:
        """The override from the environment, or the default."""
        text = os.environ.get(self.env, "").strip()
        if not text:
            return self.default
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            number = -1.0
        if not number > 0 or number != number or number == float("inf"):
            raise LimitError(f"{self.env} must be a positive number ({self.what}), got {text!r}")
        return number

    def int_value(self) -> int:
        return int(self.value())


MiB = 2**20
GiB = 2**30

#: Bytes all parts of one compressed resource may decompress to, together.
DECOMPRESSED_PER_RESOURCE = Limit("C5DATA_MAX_DECOMPRESSED_RESOURCE", 1 * GiB, "bytes the compressed parts of one resource may decompress to")
#: Bytes all compressed files of one package may decompress to, together.
DECOMPRESSED_PER_PACKAGE = Limit("C5DATA_MAX_DECOMPRESSED_PACKAGE", 2 * GiB, "bytes the compressed files of one package may decompress to")
#: Most bytes out per compressed byte read, once a part is past RATIO_FLOOR (plain CSV compresses 3-20 times).
DECOMPRESSION_RATIO = Limit("C5DATA_MAX_DECOMPRESSION_RATIO", 50, "decompressed bytes per compressed byte")
#: A part may always decompress to this much, whatever its ratio (a tiny file of one repeated value is no bomb).
RATIO_FLOOR = Limit("C5DATA_DECOMPRESSION_RATIO_FLOOR", 16 * MiB, "bytes a part may decompress to before the ratio applies")
#: Characters one CSV cell may hold (Python's csv module's own default), the same on every parse path.
CELL_CHARACTERS = Limit("C5DATA_MAX_CELL_CHARACTERS", 131_072, "characters one CSV cell may hold")
#: Seconds a `c5data query` may run before it is interrupted.
QUERY_SECONDS = Limit("C5DATA_QUERY_TIMEOUT", 60, "seconds a query may run")
#: Rows a `c5data query` returns at most (the rest are counted, not fetched).
QUERY_ROWS = Limit("C5DATA_QUERY_MAX_ROWS", 100_000, "rows a query returns")

ALL = (DECOMPRESSED_PER_RESOURCE, DECOMPRESSED_PER_PACKAGE, DECOMPRESSION_RATIO, RATIO_FLOOR, CELL_CHARACTERS, QUERY_SECONDS, QUERY_ROWS)
