"""Findings and the report that collects them: the vocabulary every stage reports problems in (renderers: `validation.report`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from c5data.catalogue import DESCRIPTOR_CODES, lookup


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as the input allows (line and column are 1-based)."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    table: str | None = None
    severity: str = ""

    def __post_init__(self) -> None:
        entry = lookup(self.code)  # an undeclared code is a programming error
        if not self.severity:
            object.__setattr__(self, "severity", entry.severity)
        if self.hint is None and entry.hint:
            object.__setattr__(self, "hint", entry.hint)

    @property
    def location(self) -> str:
        parts = [self.file or "<package>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.value or "")


@dataclass(frozen=True)
class Omitted:
    """Findings of one code in one file beyond the cap: counted, not kept (a million bad rows must not cost gigabytes)."""

    code: str
    file: str | None
    severity: str
    count: int
    cap: int  # how many of this code and file were kept


@dataclass
class Report:
    """Everything one validation run found, plus what it looked at."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    omitted: list[Omitted] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        """Every error, kept or omitted beyond the cap."""
        return len(self.errors) + sum(o.count for o in self.omitted if o.severity == "error")

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + sum(o.count for o in self.omitted if o.severity == "warning")

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def descriptor_failed(self) -> bool:
        """True when the package itself could not be read (exit code 2, not 1)."""
        return any(f.code in DESCRIPTOR_CODES for f in self.errors)

    def exit_code(self, strict: bool = False) -> int:
        if self.descriptor_failed:
            return 2
        if self.error_count or (strict and self.warning_count):
            return 1
        return 0

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def counts_by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        for o in self.omitted:
            counts[o.code] = counts.get(o.code, 0) + o.count
        return dict(sorted(counts.items()))

    def to_dict(self, strict: bool = False) -> dict[str, Any]:
        return {
            "path": self.path,
            "valid": self.exit_code(strict) == 0,
            "strict": strict,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "counts_by_code": self.counts_by_code(),
            "row_counts": self.row_counts,
            "seconds": round(self.seconds, 3),
            "findings": [asdict(f) for f in self.sorted()],
            "omitted": [asdict(o) for o in self.omitted],
        }
