"""pandera, the validation engine, loaded for the command-line tool without pandas.

pandera imports pandas whenever pandas is installed, which costs about half a
second at every start, although c5data uses only pandera's polars API. The
`c5data` command owns its process, so it validates with pandas hidden from
the import system for the duration of the command's work: pandera then takes
the polars-only path it takes where pandas is not installed. Library users
(`import c5data`) get pandera's normal import; nothing is hidden from them.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType


class _PandasHidden(importlib.abc.MetaPathFinder):
    """Answers `import pandas` as an environment without pandas would."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname == "pandas" or fullname.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


@contextlib.contextmanager
def pandas_hidden_from_pandera() -> Iterator[None]:
    """Within the block, pandera is imported and run as where pandas is not installed.

    pandera imports pandas when it is first imported and again when it first
    registers its check backends, so the whole validation runs inside the
    block. Nothing is hidden when pandas or pandera is loaded already (a
    program that uses them keeps them as they are).
    """
    if "pandera" in sys.modules or "pandas" in sys.modules:
        yield
        return
    finder = _PandasHidden()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
