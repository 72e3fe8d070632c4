"""c5data build: the release folder, its artifacts, reproducibility, and atomic replacement."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from c5data import build, validate, verify
from c5data.building.builder import BuildError, InvalidPackage, iso_utc
from c5data.catalogue import CATALOGUE
from c5data.cli import main
from c5data.diplomacy.rules import RULES
from c5data.files.staging import old_prefix, partial_prefix, swap_into_place, sweep
from c5data.reading.descriptor import load_package

from releasekit import EPOCH, EPOCH_ISO, ROOT, TABLES, digests, edit, make_package

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(fixture_release):
    """The fixture package with every table's rows reversed, built once per session (read-only)."""
    return fixture_release


def test_release_folder_holds_every_artifact(built):
    assert built.out.name == "release" and built.out.parent.name == "pkg"
    expected = {"SHA256SUMS", "c5data-0.1.0.zip", "c5data.duckdb", "codebook.md", "datapackage.json"}
    expected |= {f"data/{t}.csv" for t in TABLES} | {f"parquet/{t}.parquet" for t in TABLES}
    site = {f for f in built.files if f.startswith("site/")}
    assert {"site/index.html", "site/timeline.html", "site/pledges.html", "site/downloads.html"} <= site
    expected |= site
    assert set(built.files) == expected
    assert set(digests(built.out)) == expected  # nothing else, no leftovers


def test_descriptor_has_version_created_bytes_and_sha256(built):
    desc = json.loads((built.out / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["version"] == "0.1.0"
    assert desc["created"] == EPOCH_ISO
    assert [r["name"] for r in desc["resources"]] == TABLES
    for res in desc["resources"]:
        data = (built.out / res["path"]).read_bytes()
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert isinstance(res["schema"], dict) and res["schema"]["fields"]  # inlined: the release stands alone


def test_release_validates_and_verifies(built):
    report = validate(built.out)  # also checks the declared bytes and hash against the files
    assert report.findings == [] and report.exit_code(strict=True) == 0
    assert verify(built.out).ok


def test_csv_rows_sorted_by_primary_key_with_text_kept(built):
    package, _ = load_package(built.out.parent)
    for res in package.resources:
        source = res.file.read_text(encoding="utf-8").splitlines()
        released = (built.out / res.path).read_text(encoding="utf-8").splitlines()
        assert released[0] == source[0]
        assert sorted(released[1:]) == sorted(source[1:])  # same cells, same text
        rows = list(csv.reader(released[1:]))
        keys = [tuple(row[res.schema.field_names.index(k)] for k in res.schema.primary_key) for row in rows]
        assert keys == sorted(keys), res.name
    pledges = (built.out / "data/pledges.csv").read_text(encoding="utf-8")
    assert ",26000000000,CNY," in pledges  # a number stays as written


def test_parquet_columns_are_typed_and_described(built):
    schema = pq.read_schema(built.out / "parquet/meetings.parquet")
    assert str(schema.field("start_date").type) == "date32[day]"
    assert str(schema.field("ordinal").type) == "int64"
    assert pa.types.is_list(schema.field("source_ids").type) and schema.field("source_ids").type.value_type == pa.string()
    assert schema.field("start_date").metadata[b"description"].startswith(b"First day of the meeting")
    countries = pl.read_parquet(built.out / "parquet/countries.parquet")
    assert countries.schema["is_member"] == pl.Boolean
    pledges = pl.read_parquet(built.out / "parquet/pledges.parquet")
    assert pledges.get_column("pledge_id").to_list() == sorted(pledges.get_column("pledge_id").to_list())
    assert pledges.filter(pl.col("pledge_id") == "summit-2023-05-18-grants").get_column("beneficiaries").to_list() == [["KAZ", "UZB"]]
    assert pledges.schema["quantity"] == pl.Float64


def test_duckdb_has_types_keys_and_comments_from_the_schemas(built):
    package, _ = load_package(built.out.parent)
    con = duckdb.connect(str(built.out / "c5data.duckdb"), read_only=True)
    try:
        types = dict(con.execute("SELECT table_name || '.' || column_name, data_type FROM duckdb_columns()").fetchall())
        assert types["meetings.start_date"] == "DATE"
        assert types["pledges.beneficiaries"] == "VARCHAR[]"
        assert types["meetings.ordinal"] == "BIGINT"
        assert types["countries.is_member"] == "BOOLEAN"
        constraints = set(con.execute("SELECT table_name, constraint_text FROM duckdb_constraints()").fetchall())
        assert ("participants", "PRIMARY KEY(meeting_id, person_id)") in constraints
        assert ("pledges", "FOREIGN KEY (meeting_id) REFERENCES meetings(meeting_id)") in constraints
        assert ("pledges", "FOREIGN KEY (parent_pledge_id) REFERENCES pledges(pledge_id)") in constraints
        comments = dict(con.execute("SELECT table_name || '.' || column_name, comment FROM duckdb_columns()").fetchall())
        for res in package.resources:
            for f in res.schema.fields:
                assert comments[f"{res.name}.{f.name}"].startswith(f.description), (res.name, f.name)
        assert "not a DuckDB constraint" in comments["pledges.source_ids"]  # list references are documented instead
        table_comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'pledges'").fetchone()[0]
        assert table_comment == package.resource("pledges").schema.description
        assert con.execute("SELECT count(*) FROM pledges").fetchone()[0] == 4
    finally:
        con.close()


def test_duckdb_constraints_are_enforced(built, tmp_path):
    copy = tmp_path / "copy.duckdb"
    shutil.copy(built.out / "c5data.duckdb", copy)
    con = duckdb.connect(str(copy))
    try:
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO pledges (pledge_id, meeting_id, pledger, beneficiaries, sector, commitment_type, "
                "commitment, certainty, source_ids) VALUES ('x', 'no-such-meeting', 'CHN', ['KAZ'], 'trade', "
                "'policy', 'd', 'single-source', ['mfa-2020-07-17'])"
            )
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO countries VALUES ('CHN', 'CX', 'Again', NULL, true, ['s'])")  # duplicate key
        with pytest.raises(duckdb.ConstraintException):
            con.execute("UPDATE meetings SET format = 'telepathy'")  # categories become a CHECK
    finally:
        con.close()


def test_views_never_double_count_packages_or_restatements(built):
    con = duckdb.connect(str(built.out / "c5data.duckdb"), read_only=True)
    try:
        totals = con.execute("SELECT sector, unit, pledges, total_quantity FROM pledges_by_country_sector WHERE pledger = 'CHN' ORDER BY sector").fetchall()
        # financing (26bn CNY headline) counts once; its grants component and the restated vaccines pledge do not
        assert totals == [("finance", "CNY", 1, 26e9), ("health", None, 1, None)]
        names = con.execute("SELECT person_name, country_name, role FROM meeting_participants WHERE meeting_id = 'fmm-2020-07-16' ORDER BY person_id").fetchall()
        assert names == [("Mukhtar Tleuberdi", "Kazakhstan", "attendee"), ("Wang Yi", "China", "chair")]
        timeline = con.execute("SELECT date_sort, kind, id FROM timeline").fetchall()
        assert [row[0] for row in timeline] == sorted(row[0] for row in timeline)
        assert timeline[0][1:] == ("meeting", "fmm-2020-07-16")
        assert {row[1] for row in timeline} == {"meeting", "document", "pledge", "followup"}
        status = dict(con.execute("SELECT pledge_id, status FROM pledge_status").fetchall())
        assert status["summit-2023-05-18-grants"] == "announced" and status["fmm-2021-05-12-vaccines"] is None
        view_comment = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'timeline'").fetchone()[0]
        assert view_comment.startswith("Everything dated")
    finally:
        con.close()


def test_codebook_is_generated_from_schemas_rules_and_catalogue(built):
    text = (built.out / "codebook.md").read_text(encoding="utf-8")
    assert "## Table `meetings`" in text and "## Table `pledge_followups`" in text
    assert "| `start_date` | date | DATE | yes |" in text
    assert "`in-person` — In person" in text  # categories with labels
    assert "`development-aid`" in text  # enum values
    assert "- Primary key: `meeting_id`, `person_id`" in text
    assert "- Foreign key: `series_id` → `series.series_id`" in text
    assert "- List reference: every item of `source_ids` → `sources.source_id`" in text
    assert "### `pledges_by_country_sector`" in text
    for rule in RULES:
        assert f"| `{rule.code}` |" in text
    for code in CATALOGUE:
        assert f"`{code}`" in text


def test_zip_is_deterministic_and_holds_the_csv_package(built):
    with zipfile.ZipFile(built.out / "c5data-0.1.0.zip") as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert set(names) == {"c5data-0.1.0/datapackage.json", "c5data-0.1.0/codebook.md"} | {f"c5data-0.1.0/data/{t}.csv" for t in TABLES}
        assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert zf.read("c5data-0.1.0/data/meetings.csv") == (built.out / "data/meetings.csv").read_bytes()


def test_sha256sums_list_every_other_file(built):
    lines = (built.out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
    assert set(listed) == set(built.files) - {"SHA256SUMS"}
    for rel, digest in listed.items():
        assert hashlib.sha256((built.out / rel).read_bytes()).hexdigest() == digest


def test_two_builds_are_byte_identical(built, tmp_path):
    """A second build, by the CLI in a fresh process into another folder, gives the same bytes, DuckDB file included."""
    other = tmp_path / "elsewhere" / "second-release"
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    proc = subprocess.run([sys.executable, "-m", "c5data.cli", "build", str(built.out.parent), "--out", str(other)], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    first, second = digests(built.out), digests(other)
    assert first.keys() == second.keys()
    different = [rel for rel in first if first[rel] != second[rel]]
    if sys.platform.startswith("linux"):
        assert different == []
    else:  # DuckDB's allocator differs off Linux: content equal, bytes may not be (see c5data.duckfile)
        assert different in ([], ["c5data.duckdb"])
        assert _duckdb_content(built.out) == _duckdb_content(other)


def _duckdb_content(release: Path) -> list:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        out = con.execute("SELECT table_name, sql FROM duckdb_tables() ORDER BY 1").fetchall()
        for name, _ in out[:]:
            out.append(con.execute(f'SELECT * FROM "{name}"').fetchall())
        return out
    finally:
        con.close()


def test_invalid_data_is_refused_and_nothing_is_written(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    edit(pkg / "data" / "participants.csv", "fmm-2021-05-12,wang-yi", "fmm-2021-05-12,wang-yii")
    with pytest.raises(InvalidPackage) as info:
        build(pkg)
    assert info.value.exit_code == 1
    assert not (pkg / "release").exists()
    result = CliRunner().invoke(main, ["build", str(pkg)])
    assert result.exit_code == 1
    assert "[foreign-key]" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in pkg.iterdir()) == ["data", "datapackage.json", "schemas"]


def test_missing_package_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def _previous_release(built, tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """A package whose release/ holds the module's build, and whose data has changed since."""
    pkg = tmp_path / "pkg"
    shutil.copytree(built.out.parent, pkg, ignore=shutil.ignore_patterns("release"))
    shutil.copytree(built.out, pkg / "release")
    edit(pkg / "data" / "meetings.csv", "2nd Foreign Ministers' Meeting", "Second Foreign Ministers' Meeting")
    return pkg, pkg / "release", digests(pkg / "release")


def test_a_failing_writer_leaves_the_previous_release_and_no_partial_folder(built, tmp_path, monkeypatch):
    from c5data.building.writers import zip_package

    pkg, release, before = _previous_release(built, tmp_path)
    written = {}

    def explode(ctx):
        written.update(digests(ctx.out))
        raise RuntimeError("disk full")

    monkeypatch.setattr(zip_package, "write", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        build(pkg)
    assert "c5data.duckdb" in written and "data/meetings.csv" in written  # it died midway, after real writing
    assert digests(release) == before
    assert sorted(p.name for p in pkg.iterdir()) == ["data", "datapackage.json", "release", "schemas"]


def test_a_killed_build_leaves_the_previous_release_intact(built, tmp_path):
    """SIGKILL in the middle of writing: release/ is untouched; the hidden partial folder is swept by the next build."""
    pkg, release, before = _previous_release(built, tmp_path)
    script = (
        "import os, signal, sys\n"
        "from c5data.building.writers import zip_package\n"
        "zip_package.write = lambda ctx: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from c5data import build\n"
        "build(sys.argv[1])\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, str(pkg)], env=dict(os.environ, SOURCE_DATE_EPOCH=EPOCH), capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert digests(release) == before
    leftovers = [p for p in pkg.iterdir() if p.name.startswith(partial_prefix(release))]
    assert len(leftovers) == 1 and (leftovers[0] / "c5data.duckdb").is_file()  # killed after writing had started
    sweep(release)  # what the next build does first
    assert sorted(p.name for p in pkg.iterdir()) == ["data", "datapackage.json", "release", "schemas"]
    assert digests(release) == before


def test_sweep_restores_a_release_renamed_aside_by_a_dead_build(tmp_path):
    target = tmp_path / "release"
    aside = tmp_path / f"{old_prefix(target)}99999-x"
    aside.mkdir()
    (aside / "SHA256SUMS").write_text("x")
    sweep(target)
    assert (target / "SHA256SUMS").read_text() == "x" and not aside.exists()


def test_swap_replaces_the_whole_folder(tmp_path):
    target, new = tmp_path / "release", tmp_path / "new"
    target.mkdir(), new.mkdir()
    (target / "old-only.txt").write_text("old")
    (new / "SHA256SUMS").write_text("new")
    swap_into_place(new, target)
    assert sorted(p.name for p in target.iterdir()) == ["SHA256SUMS"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_output_folder_guards(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious")
    for out in (foreign, pkg, tmp_path):
        with pytest.raises(BuildError) as info:
            build(pkg, out)
        assert info.value.exit_code == 2
    assert (foreign / "thesis.txt").read_text() == "precious"


def test_the_real_package_builds_from_a_fresh_clone(tmp_path):
    """The main job: `c5data build` in a fresh clone of the repository (committed files only)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and the repository")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    proc = subprocess.run([sys.executable, "-m", "c5data.cli", "build"], cwd=clone, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    release = clone / "release"
    assert verify(release).ok
    desc = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    commit_time = subprocess.run(["git", "-C", str(clone), "log", "-1", "--format=%ct"], capture_output=True, text=True).stdout
    assert desc["created"] == iso_utc(int(commit_time))  # the last commit's time, not the clock
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM meetings").fetchone()[0] > 0
    finally:
        con.close()


def test_each_csv_is_read_once_per_build(tmp_path, monkeypatch):
    """Validation, the artifacts and the site share one read of each input CSV."""
    pkg = make_package(tmp_path / "pkg")
    data = (pkg / "data").resolve()
    reads: dict[str, int] = {}
    original = Path.read_bytes

    def counting(self):
        if self.suffix == ".csv" and self.resolve().parent == data:
            reads[self.name] = reads.get(self.name, 0) + 1
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    steps: list[str] = []
    result = build(pkg, on_step=lambda name, seconds: steps.append(name))
    assert "site/index.html" in result.files
    assert reads == {f"{t}.csv": 1 for t in TABLES}
    assert steps[:2] == ["read", "validate"] and steps[-3:] == ["site", "checksums", "verify"]


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        ("version", "../../../escaped", "package-error"),
        ("version", "0.1", "package-error"),
        ("name", "../../x", "package-error"),
        ("resource", "../../../../outside/PWNED", "resource-error"),
        ("resource", "Meetings", "resource-error"),
    ],
)
def test_names_that_become_file_names_are_checked_before_any_build(tmp_path, where, value, code):
    """A resource name, package name or version that would leave the release folder is refused by validate itself."""
    pkg = make_package(tmp_path / "pkg")
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    if where == "resource":
        descriptor["resources"][0]["name"] = value
    else:
        descriptor[where] = value
    (pkg / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(pkg)
    assert report.exit_code() == 2 and any(f.code == code and value in (f.value or "") for f in report.findings)
    out = tmp_path / "out" / "release"
    result = CliRunner().invoke(main, ["build", str(pkg), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) in (["pkg"], ["out", "pkg"])


@pytest.mark.parametrize("epoch", ["99999999999999", "4354819199", "4102444800000"])  # far off, one second past 2107-12-31T23:59:58, year 2100 in ms
def test_an_out_of_range_source_date_epoch_is_a_usage_error(tmp_path, monkeypatch, epoch):
    pkg = make_package(tmp_path / "pkg")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = CliRunner().invoke(main, ["build", str(pkg)])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.output and "2107" in result.output and "internal error" not in result.output


def test_the_last_time_a_zip_can_record_builds(tmp_path, monkeypatch):
    pkg = make_package(tmp_path / "pkg")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "4354819198")
    result = CliRunner().invoke(main, ["build", str(pkg), "--quiet"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(next((pkg / "release").glob("*.zip"))) as zf:
        assert {info.date_time for info in zf.infolist()} == {(2107, 12, 31, 23, 59, 58)}


def test_a_commit_past_2107_is_refused_with_what_to_do(tmp_path, monkeypatch):
    from c5data.building import builder

    pkg = make_package(tmp_path / "pkg")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(builder, "_git_epoch", lambda root: 4354819199)
    with pytest.raises(BuildError, match="set SOURCE_DATE_EPOCH"):
        builder.build(pkg)


def test_a_derived_path_outside_the_release_is_refused(tmp_path):
    from c5data.building.writers.context import BuildContext, OutsideRelease

    ctx = BuildContext(package=None, tables={}, out=tmp_path / "rel", version="0.1.0", created="", epoch=0)  # type: ignore[arg-type]
    for rel in ("../x.parquet", "/abs/x", "parquet/../../x"):
        with pytest.raises(OutsideRelease):
            ctx.path(rel)
    assert ctx.path("parquet/meetings.parquet") == tmp_path / "rel" / "parquet" / "meetings.parquet"


def test_build_never_writes_into_a_published_version(tmp_path):
    pkg = make_package(tmp_path / "pkg")
    dest = tmp_path / "dist"
    (dest / "releases" / "0.1.0").mkdir(parents=True)
    (dest / "releases.json").write_text('{"latest": "0.1.0", "releases": []}')
    result = CliRunner().invoke(main, ["build", str(pkg), "--out", str(dest / "releases" / "0.1.0")])
    assert result.exit_code == 2 and "published" in result.output
    assert list((dest / "releases" / "0.1.0").iterdir()) == []


def test_a_disk_failure_while_writing_duckdb_is_not_blamed_on_the_data():
    from c5data.building.duckdb_file import DatabaseError

    assert DatabaseError('IO Error: Could not write file "x": No space left on device').io_error
    assert not DatabaseError("Constraint Error: duplicate key").io_error
