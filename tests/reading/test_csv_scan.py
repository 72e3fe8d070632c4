"""Reading CSV: the fast path and the exact fallback agree on rows and lines."""

from __future__ import annotations

import pytest

from c5data import validate
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


@pytest.mark.parametrize(("encoding", "city", "name"), [("latin-1", "São Paulo", "Zoë"), ("cp1251", "Москва", "Иван"), ("utf-16", "Москва", "Zoë")])
def test_declared_encoding_is_read(one_table, frictionless_valid, encoding, city, name):
    folder = one_table(
        [{"name": "a", "type": "string", "constraints": {"maxLength": 9}}, {"name": "b", "type": "string", "constraints": {"enum": [name]}}],
        f"a,b\n{city},{name}\n".encode(encoding),
        resource={"encoding": encoding},
    )
    assert one_table.located(folder) == []
    assert frictionless_valid(folder)


def test_bytes_the_declared_encoding_cannot_read_are_located(one_table):
    folder = one_table([{"name": "a", "type": "string"}], b"a\nok\n\xff\xfe\xfd\n", resource={"encoding": "ascii"})
    assert [(f.code, f.line) for f in validate(folder).findings] == [("encoding-error", 3)]


def test_later_parts_may_repeat_the_header(one_table, frictionless_valid):
    folder = one_table(
        [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}],
        "a,b\n1,x\n",
        resource={"path": ["t.csv", "t2.csv", "t3.csv"]},
        parts={"t2.csv": "a,b\n2,y\n", "t3.csv": "3,z\n"},
    )
    report = validate(folder)
    assert report.findings == [] and report.row_counts["t"] == 3
    assert frictionless_valid(folder)


def test_one_crlf_file_among_lf_files_is_read_and_flagged_once(pkg):
    from c5data import validate

    pkg.path("series.csv").write_bytes(pkg.path("series.csv").read_bytes().replace(b"\n", b"\r\n"))
    report = validate(pkg.root)
    assert [(f.code, f.file, f.severity) for f in report.findings] == [("file-style", "data/series.csv", "warning")]
    assert report.row_counts["series"] == 2


@pytest.mark.parametrize("path", ["fast", "fallback", "dialect"])
def test_one_limit_on_cell_characters_on_every_parse_path(one_table, monkeypatch, path):
    """A cell past the limit is the same located format-error whichever parser reads the file; the limit's own
    default (131,072) is Python's csv module's, which would otherwise refuse the whole file on its paths only."""
    import polars as pl

    from c5data.reading import csv_scan

    taken: list[str] = []
    for name in ("_slow_parse", "_dialect_parse"):
        real = getattr(csv_scan, name)
        monkeypatch.setattr(csv_scan, name, lambda *a, _real=real, _name=name: taken.append(_name) or _real(*a))
    if path == "fallback":
        monkeypatch.setattr(pl, "read_csv", lambda *a, **k: (_ for _ in ()).throw(pl.exceptions.ComputeError("refused")))
    long = "x" * 131_073
    sep = ";" if path == "dialect" else ","
    fields = [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}]
    folder = one_table(fields, f"a{sep}b\n1{sep}{'x' * 131_072}\n2{sep}{long}\n", resource={"dialect": {"delimiter": ";"}} if path == "dialect" else None)
    findings = validate(folder).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("format-error", 3, 2)]
    assert "131,073 characters" in findings[0].message and "C5DATA_MAX_CELL_CHARACTERS" in findings[0].message
    assert taken == {"fast": [], "fallback": ["_slow_parse"], "dialect": ["_dialect_parse"]}[path]


def test_the_cell_limit_is_overridable_and_covers_the_header_and_later_parts(one_table, monkeypatch):
    monkeypatch.setenv("C5DATA_MAX_CELL_CHARACTERS", "5")
    folder = one_table([{"name": "a"}, {"name": "bb"}], "a,bb\n123456,1\n", resource={"path": ["t.csv", "u.csv"]}, parts={"u.csv": "2,abcdefg\n"})
    findings = validate(folder).findings
    assert sorted((f.code, f.file, f.line, f.column) for f in findings) == [("format-error", "t.csv", 2, 1), ("format-error", "u.csv", 1, 2)]
    wide = one_table([{"name": "abcdef"}], "abcdef\n1\n")
    assert [(f.code, f.line, f.column) for f in validate(wide).findings] == [("format-error", 1, 1)]
