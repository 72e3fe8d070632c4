"""A validation report rendered for people (text), tools (JSON) and GitHub (annotations and a step summary)."""

from __future__ import annotations

import json
import os

from c5data import mdtext
from c5data.findings import Report


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
    for o in report.omitted:
        lines.append(
            f"{o.file or report.path}: {o.severity} [{o.code}] … and {o.count} more like this, counted but not listed "
            f"(each code is listed at most {o.cap} times per file)"
        )
    lines.append(summary_line(report, strict))
    return "\n".join(lines)


def summary_line(report: Report, strict: bool = False) -> str:
    """One line saying whether the package is valid, with error, warning, table and row counts and the time taken."""
    rows = sum(report.row_counts.values())
    verdict = "valid" if report.exit_code(strict) == 0 else "INVALID"
    return (
        f"{report.path}: {verdict}: {report.error_count} error(s), {report.warning_count} warning(s) "
        f"in {len(report.row_counts)} table(s), {rows} row(s), {report.seconds:.2f}s"
    )


def render_json(report: Report, strict: bool = False) -> str:
    """The validation report as JSON, for tools."""
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
    """A table cell of the step summary: values, fields and messages quote the data, so none of it acts as Markdown."""
    return mdtext.text(text if text is not None else "")


def render_markdown_table(report: Report, strict: bool = False, max_bytes: int = 900_000) -> str:
    """All findings as a Markdown table, for $GITHUB_STEP_SUMMARY (capped below its 1 MiB limit)."""
    out = [
        f"### c5data validate: {summary_line(report, strict)}",
        "",
        "| severity | code | file | line | column | field | value | message |",
        "|---|---|---|---|---|---|---|---|",
    ]
    size = sum(len(x) + 1 for x in out)
    findings = report.sorted()
    for i, f in enumerate(findings):
        row = f"| {f.severity} | `{f.code}` | {_cell(f.file)} | {_cell(f.line)} | {_cell(f.column)} | {_cell(f.field)} | {_cell(_quote(f.value))} | {_cell(f.message)} |"
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
