"""c5data: a versioned data package of China–Central Asia diplomacy, and the toolkit that checks and builds it.

Heavy libraries (polars, pandera, duckdb) load only when a function that needs
them is first used, so `import c5data` and `c5data --help` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "validate": "c5data.validation.validator",
    "Report": "c5data.findings",
    "Finding": "c5data.findings",
    "build": "c5data.pipeline",
    "diff": "c5data.releasing.diff",
    "plan_release": "c5data.releasing.versioning",
    "release": "c5data.releasing.versioning",
    "publish": "c5data.releasing.publishing",
    "verify": "c5data.releasing.publishing",
    "connect": "c5data.querying.connection",
    "load": "c5data.querying.connection",
    "query": "c5data.querying.run",
    "pandera_schema": "c5data.validation.frame_schema",
}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'c5data' has no attribute {name!r}")


__all__ = sorted(_EXPORTS)
