"""Findings and the report that collects them, with text, JSON and GitHub renderers."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from .catalogue import DESCRIPTOR_CODES, lookup


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

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.column or 0, self.code, self.value or "")


@dataclass
class Report:
    """Everything one validation run found, plus what it looked at."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

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
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)

    def counts_by_code(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.code] = counts.get(f.code, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self, strict: bool = False) -> dict:
        return {
            "path": self.path,
            "valid": self.exit_code(strict) == 0,
            "strict": strict,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "counts_by_code": self.counts_by_code(),
            "row_counts": self.row_counts,
            "seconds": round(self.seconds, 3),
            "findings": [asdict(f) for f in self.sorted()],
        }


def _quote(value: str | None, limit: int = 60) -> str:
    if value is None:
        return ""
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def render_text(report: Report, limit: int | None = None, strict: bool = False) -> str:
    """Human-readable lines `file:line:column: severity [code] field: message (value) — hint`."""
    lines = []
    findings = report.sorted()
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        where = f" {f.field}:" if f.field else ""
        value = f" (value {_quote(f.value)})" if f.value is not None else ""
        hint = f"; {f.hint}" if f.hint else ""
        lines.append(f"{f.location}: {f.severity} [{f.code}]{where} {f.message}{value}{hint}")
    if limit is not None and len(findings) > limit:
        lines.append(f"… {len(findings) - limit} more not shown (use --max-errors 0 to show all)")
    lines.append(summary_line(report, strict))
    return "\n".join(lines)


def summary_line(report: Report, strict: bool = False) -> str:
    rows = sum(report.row_counts.values())
    verdict = "valid" if report.exit_code(strict) == 0 else "INVALID"
    return (f"{report.path}: {verdict}: {len(report.errors)} error(s), {len(report.warnings)} warning(s) "
            f"in {len(report.row_counts)} table(s), {rows} row(s), {report.seconds:.2f}s")


def render_json(report: Report, strict: bool = False) -> str:
    return json.dumps(report.to_dict(strict), ensure_ascii=False, indent=2)


def _escape_annotation(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_annotation(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, limit: int = 10, strict: bool = False) -> str:
    """Workflow-command annotations for the first `limit` findings (GitHub shows at most 10 per step)."""
    lines = []
    for f in report.sorted()[:limit]:
        level = "error" if f.severity == "error" or strict else "warning"
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.code)}")
        value = f" (value {_quote(f.value)})" if f.value is not None else ""
        hint = f" — {f.hint}" if f.hint else ""
        where = f"{f.field}: " if f.field else ""
        lines.append(f"::{level} {','.join(props)}::{_escape_annotation(where + f.message + value + hint)}")
    lines.append(summary_line(report, strict))
    return "\n".join(lines)


def _cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def render_markdown_table(report: Report, strict: bool = False, max_bytes: int = 900_000) -> str:
    """All findings as a Markdown table, for $GITHUB_STEP_SUMMARY (capped below its 1 MiB limit)."""
    out = [f"### c5data validate: {summary_line(report, strict)}", "",
           "| severity | code | file | line | column | field | value | message |",
           "|---|---|---|---|---|---|---|---|"]
    size = sum(len(x) + 1 for x in out)
    findings = report.sorted()
    for i, f in enumerate(findings):
        row = (f"| {f.severity} | `{f.code}` | {_cell(f.file)} | {_cell(f.line)} | {_cell(f.column)} | "
               f"{_cell(f.field)} | {_cell(_quote(f.value))} | {_cell(f.message)} |")
        if size + len(row) > max_bytes:
            out.append(f"\n… {len(findings) - i} more findings not shown here; run `c5data validate --format json` for all.")
            break
        out.append(row)
        size += len(row) + 1
    return "\n".join(out) + "\n"


def append_step_summary(report: Report, strict: bool = False) -> bool:
    """Append the Markdown table to $GITHUB_STEP_SUMMARY when that is set; return whether it was."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(render_markdown_table(report, strict))
    return True
