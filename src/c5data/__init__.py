"""c5data: a versioned data package of China–Central Asia diplomacy, and the toolkit that checks and builds it.

Heavy libraries (polars, pandera, duckdb) load only when a function that needs
them is first used, so `import c5data` and `c5data --help` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "validate": "c5data.validation",
    "Report": "c5data.report",
    "Finding": "c5data.report",
    "build": "c5data.builder",
    "diff": "c5data.compare",
    "plan_release": "c5data.versioning",
    "release": "c5data.versioning",
    "publish": "c5data.publishing",
    "verify": "c5data.publishing",
    "connect": "c5data.database",
    "load": "c5data.database",
    "query": "c5data.querying",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'c5data' has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
