"""Reading CSV: the fast path and the exact fallback agree on rows and lines."""

from __future__ import annotations

from c5data.reading.csv_scan import _scan, _slow_parse


def test_scan_counts_records_lines_and_cells_outside_quotes():
    data = b'a,b,c\n1,"x,\ny",3\n\n4,5\n6,7,8,9\n'
    _starts, lines, cells, balanced = _scan(data)
    assert balanced
    assert lines.tolist() == [1, 2, 4, 5, 6]
    assert cells.tolist() == [3, 3, 0, 2, 4]


def test_scan_and_csv_module_agree_on_lines():
    text = 'a,b\n"multi\nline\nvalue",1\nplain,2\n"say ""hi""",3\n'
    _, lines, _, _ = _scan(text.encode())
    rows, slow_lines, problem = _slow_parse(text, "t.csv")
    assert problem is None
    assert lines.tolist() == slow_lines
    assert rows[3] == ['say "hi"', "3"]


def test_unclosed_quote_is_a_format_error_with_its_line():
    _, _, problem = _slow_parse('a,b\n1,2\n3,"open\n', "t.csv")
    assert problem is not None and problem.code == "format-error" and problem.line == 3


def test_quote_inside_an_unquoted_cell_is_read_as_text(pkg):
    from c5data import validate

    pkg.replace("persons.csv", ",Wang Yi,", ',Wang "Yi",')
    report = validate(pkg.root)
    assert report.row_counts["persons"] == 3
    assert report.findings == []


def test_a_file_polars_refuses_goes_to_the_exact_parser(pkg, monkeypatch):
    """Text after a closing quote (`"x"y`) makes polars raise; the csv module then locates the problem."""
    import polars as pl

    from c5data import validate

    refused = []
    real = pl.read_csv

    def spy(*args, **kwargs):
        try:
            return real(*args, **kwargs)
        except Exception:
            refused.append(True)
            raise

    monkeypatch.setattr(pl, "read_csv", spy)
    text = pkg.read("persons.csv").splitlines()
    text[2] = text[2].replace(",Wang Yi,", ',"Wang"Yi,', 1)
    pkg.write("persons.csv", "\n".join(text) + "\n")
    report = validate(pkg.root)
    assert refused == [True]
    problems = [(f.code, f.file, f.line) for f in report.findings]
    assert ("format-error", "data/persons.csv", 3) in problems, problems


def test_crlf_line_endings_are_read(pkg):
    from c5data import validate

    for name in [p.name for p in (pkg.root / "data").glob("*.csv")]:  # a package written with CRLF throughout is fine
        pkg.path(name).write_bytes(pkg.path(name).read_bytes().replace(b"\n", b"\r\n"))
    report = validate(pkg.root)
    assert report.findings == [] and report.row_counts["series"] == 2


def test_one_crlf_file_among_lf_files_is_read_and_flagged_once(pkg):
    from c5data import validate

    pkg.path("series.csv").write_bytes(pkg.path("series.csv").read_bytes().replace(b"\n", b"\r\n"))
    report = validate(pkg.root)
    assert [(f.code, f.file, f.severity) for f in report.findings] == [("file-style", "data/series.csv", "warning")]
    assert report.row_counts["series"] == 2
