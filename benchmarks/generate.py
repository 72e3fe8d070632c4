"""Write a synthetic c5data package at N rows, optionally with K injected defects of each kind.

The package uses the repository's own `schemas/` and `datapackage.json`. The
small referenced tables (countries, series, meetings, persons, sources) and the
small other tables (person_aliases, documents, pledge_followups) are sized to
fit; `participants` and `pledges` share the N rows. Without defects the package
is valid against every schema and every cross-table rule (one chair per meeting,
confirmed => two sources, components within their headline, ...).

Each defect replaces one data row in place, so no line moves: a defect's line is
its row index + 2. The manifest (`manifest.json` beside `datapackage.json`, and
the return value of `generate`) lists every injected defect as (file, line,
code) plus the code frictionless reports for it, or null where frictionless
cannot see it (list references and cross-table rules are c5data's own).

    python -m benchmarks.generate OUT_DIR --rows 1000000 --defects 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

#: kind -> (table, c5data code, frictionless code or None, what is done)
DEFECT_KINDS: dict[str, tuple[str, str, str | None, str]] = {
    "bad-date": ("pledge_followups", "type-error", "type-error", "as_of_date is 2021-02-30"),
    "unknown-country": ("pledges", "foreign-key", "foreign-key", "pledger is ZZZ (not in countries)"),
    "duplicate-key": ("participants", "primary-key", "primary-key", "the row repeats the row above (same meeting_id, person_id)"),
    "dangling-source": ("pledges", "foreign-key", None, "source_ids names a source that does not exist (x-listForeignKeys)"),
    "bad-enum": ("pledges", "constraint-error", "constraint-error", "sector is not in the enum"),
    "blank-row": ("participants", "blank-row", "blank-row", "the row has only empty cells"),
    "extra-cell": ("participants", "extra-cell", "extra-cell", "the row has one cell more than the header"),
    "two-chairs": ("participants", "chair-count", None, "an attendee becomes a second chair of the meeting"),
}

COUNTRIES = [  # iso3, iso2, name, member
    ("CHN", "CN", "China", True),
    ("KAZ", "KZ", "Kazakhstan", True),
    ("KGZ", "KG", "Kyrgyzstan", True),
    ("TJK", "TJ", "Tajikistan", True),
    ("TKM", "TM", "Turkmenistan", True),
    ("UZB", "UZ", "Uzbekistan", True),
    ("RUS", "RU", "Russia", False),
    ("MNG", "MN", "Mongolia", False),
    ("AFG", "AF", "Afghanistan", False),
    ("PAK", "PK", "Pakistan", False),
    ("IRN", "IR", "Iran", False),
    ("TUR", "TR", "Turkey", False),
]
MEMBERS = [c[0] for c in COUNTRIES if c[3]]
SECTORS = [
    "development-aid",
    "trade",
    "investment",
    "finance",
    "health",
    "education-training",
    "agriculture",
    "transport",
    "energy",
    "security",
    "culture-tourism",
    "environment",
    "science-technology",
    "digital",
]
ROLES = ["attendee", "host", "representative", "observer", "guest"]
PARTICIPANTS_PER_MEETING = 50
EPOCH = dt.date(2000, 1, 3)


def _clamp(x: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, x))


def _csv_line(cells: Sequence[object]) -> str:
    out = []
    for c in cells:
        s = "" if c is None else str(c)
        if any(ch in s for ch in ',"\n\r'):
            s = '"' + s.replace('"', '""') + '"'
        out.append(s)
    return ",".join(out)


def _write(path: Path, header: list[str], rows: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        fh.write("\n".join(rows))
        if rows:
            fh.write("\n")


def _spread(count: int, total: int, avoid_last: int = 0) -> list[int]:
    """`count` distinct indexes spread evenly over range(total - avoid_last)."""
    usable = total - avoid_last
    if count > usable:
        raise ValueError(f"cannot place {count} defects among {usable} candidates; use more rows or fewer defects")
    return [int((i + 0.5) * usable / count) for i in range(count)]


def _pledge_row(pid: str, mid: str, m: int, j: int, year: int, restated: str | None, certainty: str, ids: str) -> list[object]:
    """Pledge `j` of meeting `m`: 0 a financial headline, 1 its component, 2 a restatement of the series' previous
    headline (when there is one), the others standalone scholarships or training."""
    if j == 0:
        return [
            pid,
            mid,
            "CHN",
            "KAZ;UZB",
            "finance",
            "financial",
            "Financing package",
            1000000,
            "CNY",
            "exact",
            "over three years",
            3,
            year + 3,
            "",
            "",
            certainty,
            ids,
            "",
        ]
    if j == 1:
        return [
            pid,
            mid,
            "CHN",
            "KAZ",
            "development-aid",
            "financial",
            "Grant part of the package",
            250000,
            "CNY",
            "at-least",
            "",
            "",
            "",
            f"{mid}-p0",
            "",
            certainty,
            ids,
            "",
        ]
    if j == 2 and restated is not None:
        return [pid, mid, "CHN", "KGZ;TJK", "trade", "policy", "Restated trade commitment", "", "", "", "", "", "", "", restated, certainty, ids, ""]
    pledger = MEMBERS[(m + j) % len(MEMBERS)]
    if j % 2:
        beneficiary = MEMBERS[(m + j + 1) % len(MEMBERS)]
        sector = SECTORS[j % len(SECTORS)]
        return [
            pid,
            mid,
            pledger,
            beneficiary,
            sector,
            "scholarships-training",
            "Scholarships for students",
            100 + j,
            "scholarships",
            "approximately",
            "",
            "",
            "",
            "",
            "",
            certainty,
            ids,
            "",
        ]
    sector = SECTORS[j % len(SECTORS)]
    return [pid, mid, pledger, "KAZ;KGZ;TJK;TKM;UZB", sector, "capacity-building", "Training and exchange", "", "", "", "", "", "", "", "", certainty, ids, ""]


def _inject_defects(
    defects: int, part_cells: list[list[object]], width: int, pledge_cells: list[list[object]], follow_cells: list[list[object]], n_meet: int, q: int
) -> tuple[dict[int, str], list[dict[str, object]]]:
    """`defects` of each kind, each replacing a row in place: the participants rows replaced (by index) and the manifest's list.

    Pledge and follow-up cells are changed where they are."""
    manifest_defects: list[dict[str, object]] = []
    k = PARTICIPANTS_PER_MEETING

    def record(kind: str, table: str, row: int, field: str | None) -> None:
        _, code, fl_code, what = DEFECT_KINDS[kind]
        manifest_defects.append({"kind": kind, "file": f"data/{table}.csv", "line": row + 2, "code": code, "frictionless_code": fl_code, "field": field, "what": what})

    part_replace: dict[int, str] = {}
    if not defects:
        return part_replace, manifest_defects
    part_kinds = ["duplicate-key", "blank-row", "extra-cell", "two-chairs"]
    for n, m in enumerate(_spread(defects * len(part_kinds), n_meet, avoid_last=1)):
        kind = part_kinds[n % len(part_kinds)]
        r = m * k + 2 + (m % (k - 2))
        cells = part_cells[r]
        replaced = {
            "duplicate-key": (_csv_line(part_cells[r - 1]), "meeting_id"),
            "blank-row": ("," * (width - 1), None),
            "extra-cell": (_csv_line([*cells, "extra"]), None),
            "two-chairs": (_csv_line([*cells[:3], "chair", *cells[4:]]), "role"),
        }
        part_replace[r], field = replaced[kind]
        record(kind, "participants", r, field)
    pl_kinds = [("unknown-country", 2, "pledger"), ("dangling-source", 16, "source_ids"), ("bad-enum", 4, "sector")]
    for n, m in enumerate(_spread(defects * len(pl_kinds), n_meet, avoid_last=1)):
        kind, column, field = pl_kinds[n % len(pl_kinds)]
        r = m * q + 3 + (m % (q - 3))
        if r >= len(pledge_cells):
            raise ValueError("defect falls past the last pledge; use more rows")
        cells = pledge_cells[r]
        cells[column] = {"unknown-country": "ZZZ", "dangling-source": f"{cells[16]};src-missing-{n}", "bad-enum": "space-tourism"}[kind]
        record(kind, "pledges", r, field)
    for r in _spread(defects, len(follow_cells)):
        follow_cells[r][2] = "2021-02-30"
        record("bad-date", "pledge_followups", r, "as_of_date")
    return part_replace, manifest_defects


def generate(out: str | Path, rows: int = 1_000_000, defects: int = 0, copy_schemas: bool = True) -> dict[str, Any]:
    """Write the package into `out` (created; emptied first if it holds a previous package) and return the manifest."""
    out = Path(out)
    if rows < 200:
        raise ValueError("rows must be at least 200")
    if (out / "datapackage.json").exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True, exist_ok=True)
    if copy_schemas:
        shutil.copytree(REPO / "schemas", out / "schemas", dirs_exist_ok=True)
    shutil.copy(REPO / "datapackage.json", out / "datapackage.json")

    n_part = rows // 2
    n_pl = rows - n_part
    k = PARTICIPANTS_PER_MEETING
    n_meet = math.ceil(n_part / k)
    q = math.ceil(n_pl / n_meet)  # pledges per meeting
    n_persons = _clamp(n_part // 50, 60, 2000)
    n_sources = _clamp(n_persons // 10, 20, 200)
    n_series = _clamp(n_meet // 20, 1, 50)
    n_follow = _clamp(n_pl // 100, 20, 10_000)
    n_docs = min(n_meet, 500)
    n_alias = min(n_persons, 200)
    if q < 8:
        raise ValueError("too few pledges per meeting")

    src = [f"src-{i:04d}" for i in range(n_sources)]
    country_iso = [c[0] for c in COUNTRIES]

    def cite(i: int, confirmed: bool) -> tuple[str, str]:
        if confirmed:
            return "confirmed", f"{src[i % n_sources]};{src[(i + 1) % n_sources]}"
        return "single-source", src[i % n_sources]

    tables: dict[str, tuple[list[str], list[str]]] = {}

    # sources, countries, series
    tables["sources"] = (
        ["source_id", "url", "headline", "publisher", "published_date", "published_date_precision", "language", "source_type", "machine_translated", "notes"],
        [
            _csv_line(
                [
                    s,
                    f"https://example.org/report/{i}",
                    f"Report {i}",
                    "Ministry of Foreign Affairs",
                    (EPOCH + dt.timedelta(days=i)).isoformat(),
                    "day",
                    "en",
                    "official",
                    "false",
                    "",
                ]
            )
            for i, s in enumerate(src)
        ],
    )
    tables["countries"] = (
        ["iso3", "iso2", "country_name", "wikidata_qid", "is_member", "source_ids"],
        [_csv_line([a3, a2, name, "", "true" if m else "false", src[i % n_sources]]) for i, (a3, a2, name, m) in enumerate(COUNTRIES)],
    )
    series = [f"track{s:02d}" for s in range(n_series)]
    tables["series"] = (
        ["series_id", "series_name", "level", "series_type", "established", "source_ids", "notes"],
        [_csv_line([s, f"Track {i}", "ministerial", "mechanism", EPOCH.isoformat(), src[i % n_sources], ""]) for i, s in enumerate(series)],
    )

    # meetings: series s holds meetings m = s, s + n_series, ...; one a week, ordinals in date order
    meeting_id, meeting_date, prev_in_series = [], [], []
    last_of: dict[int, int] = {}
    meeting_rows = []
    for m in range(n_meet):
        s, t = m % n_series, m // n_series
        day = EPOCH + dt.timedelta(days=7 * t)
        mid = f"{series[s]}-{day.isoformat()}"
        meeting_id.append(mid)
        meeting_date.append(day)
        prev_in_series.append(last_of.get(s))
        last_of[s] = m
        certainty, ids = cite(m, m % 3 == 0)
        meeting_rows.append(
            _csv_line(
                [
                    mid,
                    series[s],
                    t + 1,
                    "regular",
                    f"Meeting {t + 1} of track {s}",
                    day.isoformat(),
                    day.isoformat(),
                    "day",
                    "Astana",
                    MEMBERS[m % len(MEMBERS)],
                    "in-person",
                    "held",
                    certainty,
                    ids,
                    "",
                ]
            )
        )
    tables["meetings"] = (
        [
            "meeting_id",
            "series_id",
            "ordinal",
            "meeting_type",
            "meeting_name",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "host_country",
            "format",
            "meeting_status",
            "certainty",
            "source_ids",
            "notes",
        ],
        meeting_rows,
    )

    # persons and their aliases
    person_id = [f"person-{i:05d}" for i in range(n_persons)]
    person_country = [country_iso[i % len(country_iso)] for i in range(n_persons)]
    tables["persons"] = (
        ["person_id", "person_name", "country", "wikidata_qid", "source_ids", "notes"],
        [_csv_line([p, f"Person {i}", person_country[i], "", src[i % n_sources], ""]) for i, p in enumerate(person_id)],
    )
    tables["person_aliases"] = (["person_id", "alias", "source_ids"], [_csv_line([person_id[i], f"P. {i}", src[i % n_sources]]) for i in range(n_alias)])

    # participants: meeting m has rows i = 0 (the chair) .. k-1, persons (37m + i) mod n_persons
    part_rows = []
    part_cells: list[list[object]] = []
    for r in range(n_part):
        m, i = divmod(r, k)
        p = (37 * m + i) % n_persons
        certainty, ids = cite(r, r % 4 == 0)
        cells: list[object] = [
            meeting_id[m],
            person_id[p],
            person_country[p],
            "chair" if i == 0 else ROLES[i % len(ROLES)],
            "minister" if i == 0 else "deputy-minister",
            "foreign-affairs",
            "Foreign Minister" if i == 0 else "Deputy Minister",
            certainty,
            ids,
            "",
        ]
        part_cells.append(cells)
        part_rows.append(_csv_line(cells))
    part_header = ["meeting_id", "person_id", "country", "role", "position", "portfolio", "title_as_given", "certainty", "source_ids", "notes"]

    # pledges: per meeting j = 0 headline (financial), 1 its component, 2 restates the series' previous headline, 3.. standalone
    pledge_header = [
        "pledge_id",
        "meeting_id",
        "pledger",
        "beneficiaries",
        "sector",
        "commitment_type",
        "commitment",
        "quantity",
        "unit",
        "amount_bound",
        "timeframe_text",
        "timeframe_years",
        "due_year",
        "parent_pledge_id",
        "restates_pledge_id",
        "certainty",
        "source_ids",
        "notes",
    ]
    pledge_cells: list[list[object]] = []
    pledge_ids = []
    for r in range(n_pl):
        m, j = divmod(r, q)
        mid = meeting_id[m]
        pid = f"{mid}-p{j}"
        pledge_ids.append(pid)
        certainty, ids = cite(r, r % 5 == 0)
        prev = prev_in_series[m]
        restated = f"{meeting_id[prev]}-p0" if prev is not None else None
        cells = _pledge_row(pid, mid, m, j, meeting_date[m].year, restated, certainty, ids)
        pledge_cells.append(cells)

    # pledge follow-ups: every pledge_step-th pledge, 30 days after its meeting
    step = max(1, n_pl // n_follow)
    follow_cells: list[list[object]] = []
    for f in range(n_follow):
        r = (f * step) % n_pl
        m = r // q
        certainty, ids = cite(f, f % 2 == 0)
        follow_cells.append(
            [
                f"{pledge_ids[r]}-f{f}",
                pledge_ids[r],
                (meeting_date[m] + dt.timedelta(days=30)).isoformat(),
                "day",
                "in-progress",
                "pledger-report",
                "Ministry of Foreign Affairs",
                "",
                "Work under way",
                certainty,
                ids,
                "",
            ]
        )
    follow_header = [
        "followup_id",
        "pledge_id",
        "as_of_date",
        "as_of_date_precision",
        "status",
        "evidence",
        "reported_by",
        "reporter_country",
        "observation",
        "certainty",
        "source_ids",
        "notes",
    ]

    tables["documents"] = (
        [
            "document_id",
            "meeting_id",
            "title",
            "title_is_translation",
            "title_original",
            "title_original_language",
            "document_type",
            "action",
            "date",
            "date_precision",
            "parties",
            "certainty",
            "source_ids",
            "notes",
        ],
        [
            _csv_line(
                [
                    f"{meeting_id[m]}-statement",
                    meeting_id[m],
                    f"Joint Statement {m}",
                    "false",
                    "",
                    "",
                    "joint-statement",
                    "adopted",
                    meeting_date[m].isoformat(),
                    "day",
                    "CHN;KAZ;UZB",
                    *cite(m, False),
                    "",
                ]
            )
            for m in range(n_docs)
        ],
    )
    # the host city's former name, as the package records other names of host cities
    tables["place_names"] = (["city", "name", "name_kind", "language", "source_ids", "notes"], [_csv_line(["Astana", "Nur-Sultan", "former-name", "en", src[0], ""])])
    # one id change: the first meeting's id once carried only the month
    tables["id_changes"] = (
        ["table_name", "old_id", "new_id", "changed_on", "reason", "source_ids", "notes"],
        [_csv_line(["meetings", meeting_id[0][:-3], meeting_id[0], EPOCH.isoformat(), "The day became known.", src[0], ""])],
    )

    part_replace, manifest_defects = _inject_defects(defects, part_cells, len(part_header), pledge_cells, follow_cells, n_meet, q)

    tables["participants"] = (part_header, [part_replace.get(r, line) for r, line in enumerate(part_rows)])
    tables["pledges"] = (pledge_header, [_csv_line(c) for c in pledge_cells])
    tables["pledge_followups"] = (follow_header, [_csv_line(c) for c in follow_cells])

    for name, (header, body) in tables.items():
        _write(out / "data" / f"{name}.csv", header, body)

    manifest_defects.sort(key=lambda d: (d["file"], d["line"]))
    manifest = {
        "rows": rows,
        "defects_per_kind": defects,
        "row_counts": {name: len(body) for name, (_, body) in tables.items()},
        "defects": manifest_defects,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write the package into (outside the repository)")
    ap.add_argument("--rows", "-n", type=int, default=1_000_000, help="rows of participants + pledges (default 1,000,000)")
    ap.add_argument("--defects", "-k", type=int, default=0, help="defects injected of each kind (default 0: a valid package)")
    args = ap.parse_args(argv)
    manifest = generate(args.out, args.rows, args.defects)
    total = sum(manifest["row_counts"].values())
    print(f"wrote {total:,} rows ({', '.join(f'{k} {v:,}' for k, v in manifest['row_counts'].items())}) with {len(manifest['defects'])} defect(s) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
