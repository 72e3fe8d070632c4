"""Report rendering: located text lines, JSON, GitHub annotations and the step summary."""

from __future__ import annotations

import json

from c5data.findings import Finding, Report
from c5data.validation.report import append_step_summary, render_github, render_json, render_markdown_table, render_text


def _report(n=15):
    findings = [
        Finding("type-error", "is not an ISO date YYYY-MM-DD", file="data/meetings.csv", line=i + 2, column=5, field="start_date", value=f"2020-13-{i:02d}")
        for i in range(n)
    ]
    findings.append(Finding("unused-source", "is cited by no row", file="data/sources.csv", line=3, column=1, field="source_id", value="x"))
    return Report(path="pkg", findings=findings, row_counts={"meetings": n})


def test_text_lines_are_file_line_column_and_totals_survive_a_cap():
    text = render_text(_report(), limit=3)
    lines = text.splitlines()
    assert lines[0].startswith("data/meetings.csv:2:5: error [type-error] start_date:")
    assert "13 more not shown" in text
    assert "15 error(s), 1 warning(s)" in lines[-1]


def test_github_annotations_are_capped_and_escaped():
    out = render_github(_report(), limit=10).splitlines()
    annotations = [l for l in out if l.startswith("::")]
    assert len(annotations) == 10
    assert annotations[0].startswith("::error file=data/meetings.csv,line=2,col=5,title=type-error::")


def test_step_summary_lists_every_finding(tmp_path, monkeypatch):
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    assert append_step_summary(_report())
    table_rows = [l for l in target.read_text().splitlines() if l.startswith("| error") or l.startswith("| warning")]
    assert len(table_rows) == 16


def test_markdown_table_is_capped_below_the_summary_limit():
    big = _report(20000)
    out = render_markdown_table(big, max_bytes=50_000)
    assert len(out.encode()) < 60_000 and "more findings not shown" in out


def test_json_has_totals_and_every_finding():
    data = json.loads(render_json(_report()))
    assert data["errors"] == 15 and data["warnings"] == 1 and len(data["findings"]) == 16
    assert data["counts_by_code"] == {"type-error": 15, "unused-source": 1}
    assert data["valid"] is False


def test_exit_codes_distinguish_invalid_data_from_unreadable_package():
    assert _report().exit_code() == 1
    assert Report("p", [Finding("package-error", "broken")]).exit_code() == 2
    warn_only = Report("p", [Finding("unused-source", "x")])
    assert warn_only.exit_code() == 0 and warn_only.exit_code(strict=True) == 1


def test_step_summary_cells_cannot_break_the_table_or_write_markdown():
    """A field name and a message quote the data (a header cell, a CSV value): a CR or `|` in them used to end the row."""
    from markdown_it import MarkdownIt

    forged = Finding("extra-label", "column 'x\r# Approved' is not in the schema", file="data/a.csv", line=1, column=2, field="x\r| **ok** |<b>", value="x\r# Approved")
    text = render_markdown_table(Report(path="pkg", findings=[forged], row_counts={}))
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    types = [t.type for t in tokens] + [c.type for t in tokens for c in (t.children or [])]
    assert types.count("tr_open") == 2 and types.count("heading_open") == 1  # the header row and one finding; the "###" title
    assert not {"strong_open", "html_inline", "html_block"} & set(types)
    assert "\r" not in text
