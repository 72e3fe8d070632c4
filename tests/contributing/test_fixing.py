"""Safe fixes: a spreadsheet's save comes back byte for byte, and nothing that could change a meaning is touched."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from c5data.cli import main
from c5data.contributing.fixing import fix


def excel_save(path, delimiter=";") -> None:
    """What Excel's "CSV (semicolon)" save does on a European locale: `;` separators, a UTF-8 BOM, CRLF line endings."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def test_fix_turns_an_excel_saved_file_back_into_the_original_bytes(pkg):
    original = pkg.path("meetings.csv").read_bytes()
    excel_save(pkg.path("meetings.csv"))
    assert pkg.path("meetings.csv").read_bytes() != original
    result = CliRunner().invoke(main, ["validate", str(pkg.root), "--fix"])
    assert result.exit_code == 0, result.output
    assert pkg.path("meetings.csv").read_bytes() == original
    assert "fixed data/meetings.csv: removed the byte-order mark (utf-8); line endings CRLF → LF; semicolon-separated (';') → comma-separated" in result.output
    assert "-meeting_id;series_id;" in result.output and "+meeting_id,series_id," in result.output  # the diff is shown


def test_a_tab_separated_file_is_rewritten_with_commas(pkg):
    original = pkg.path("series.csv").read_bytes()
    excel_save(pkg.path("series.csv"), delimiter="\t")
    fix(pkg.root)
    assert pkg.path("series.csv").read_bytes() == original


def test_whitespace_nfc_and_case_fixed_only_where_one_value_matches(pkg):
    pkg.replace("meetings.csv", "Xi'an,CHN,in-person", "Xi'an   ,chn,In-Person")
    before = pkg.read("meetings.csv")
    result = fix(pkg.root)
    text = pkg.read("meetings.csv")
    assert "Xi'an,CHN,in-person" in text and text.count("\n") == before.count("\n")
    assert any("case of an enum or code value" in c for f in result.fixed for c in f.changes)
    assert any("trailing whitespace" in c for f in result.fixed for c in f.changes)


def test_nfc_composes_decomposed_letters(pkg):
    pkg.replace("persons.csv", "Wang Yi", "Wang Yi\u0065\u0301")
    fix(pkg.root)
    assert "Wang Yi\u00e9" in pkg.read("persons.csv")


def test_meaningful_problems_are_left_alone(pkg):
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "12/05/2021,2021-05-12,day")
    pkg.replace("meetings.csv", ",CHN,video,", ",XYZ,video,")
    before = {p.name: p.read_bytes() for p in (pkg.root / "data").iterdir()}
    result = fix(pkg.root)
    assert result.fixed == []
    assert {p.name: p.read_bytes() for p in (pkg.root / "data").iterdir()} == before


def test_untouched_records_keep_their_bytes_and_dry_run_writes_nothing(pkg):
    text = pkg.read("meetings.csv").replace('"Welcome on 18 May, session on 19 May"', '"Welcome on 18 May, session on 19 May "')
    text = text.replace("fmm-2020-07-16,fmm,1", '"fmm-2020-07-16",fmm,1')  # needless quotes on a record no fix touches stay
    pkg.write("meetings.csv", text)
    result = CliRunner().invoke(main, ["fix", str(pkg.root), "--dry-run", "--format", "json"])
    assert result.exit_code == 0, result.output
    (changed,) = json.loads(result.output)["fixed"]
    assert changed["path"] == "data/meetings.csv" and '19 May "' in changed["diff"]
    assert pkg.read("meetings.csv") == text
    fix(pkg.root)
    assert pkg.read("meetings.csv") == text.replace('19 May "', '19 May"')
    assert CliRunner().invoke(main, ["fix", str(pkg.root), "--check"]).exit_code == 0


def test_check_exits_1_when_a_fix_is_needed(pkg):
    excel_save(pkg.path("sources.csv"))
    result = CliRunner().invoke(main, ["fix", str(pkg.root), "--check"])
    assert result.exit_code == 1 and "would fix data/sources.csv" in result.output


def test_crlf_file_keeps_crlf_when_that_is_how_it_was_committed(pkg, tmp_path):
    import subprocess

    crlf = pkg.read("series.csv").replace("\n", "\r\n")
    pkg.path("series.csv").write_bytes(crlf.encode())
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-C", str(pkg.root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    pkg.path("series.csv").write_bytes(crlf.replace("mechanism,2020", "mechanism ,2020").encode())
    fix(pkg.root)
    assert pkg.path("series.csv").read_bytes() == crlf.encode()
