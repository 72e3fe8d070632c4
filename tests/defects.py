"""One defect per catalogue code: how to inject it into the valid fixture, and where it must be reported.

Each entry: code -> (mutation, file, line, column). `file` is the path the
report names (relative to the package root); None for line/column means the
finding has no such location (e.g. a missing file).
"""

from __future__ import annotations

import json


def _json_edit(pkg, name, edit):
    data = json.loads(pkg.read(name))
    edit(data)
    pkg.write(name, json.dumps(data, indent=2))


def _resource(name):
    def edit(data):
        return next(r for r in data["resources"] if r["name"] == name)

    return edit


def _swap_first_two_columns(pkg):
    lines = pkg.read("series.csv").splitlines()
    out = []
    for line in lines:
        cells = line.split(",")
        cells[0], cells[1] = cells[1], cells[0]
        out.append(",".join(cells))
    pkg.write("series.csv", "\n".join(out) + "\n")


DEFECTS = {
    "package-error": (lambda p: p.write("datapackage.json", '{"name": "c5data",\n  "resources": [,]}'), "datapackage.json", 2, 17),
    "resource-error": (lambda p: _json_edit(p, "datapackage.json", lambda d: _resource("series")(d).update(path="../series.csv")), "datapackage.json", None, None),
    "schema-error": (lambda p: p.write("schemas/series.schema.json", "{ not json"), "schemas/series.schema.json", 1, 3),
    "field-error": (lambda p: p.replace("schemas/series.schema.json", '"type": "date"', '"type": "calendar-date"'), "schemas/series.schema.json", None, None),
    "misplaced-property": (
        lambda p: _json_edit(p, "schemas/series.schema.json", lambda d: d["fields"][1].update(required=True)),
        "schemas/series.schema.json",
        None,
        None,
    ),
    "misspelt-property": (lambda p: _json_edit(p, "datapackage.json", lambda d: _resource("series")(d).update(mediaTyp="text/csv")), "datapackage.json", None, None),
    "source-error": (lambda p: p.path("series.csv").unlink(), "data/series.csv", None, None),
    "format-error": (lambda p: p.replace("series.csv", "fmm,Foreign", 'fmm,"Foreign'), "data/series.csv", 2, None),
    "encoding-error": (lambda p: p.path("series.csv").write_bytes(p.path("series.csv").read_bytes().replace(b"Summit", b"Sum\xe9mit")), "data/series.csv", 3, None),
    "byte-count": (lambda p: _json_edit(p, "datapackage.json", lambda d: _resource("series")(d).update(bytes=1)), "data/series.csv", None, None),
    "hash-count": (lambda p: _json_edit(p, "datapackage.json", lambda d: _resource("series")(d).update(hash="sha256:" + "0" * 64)), "data/series.csv", None, None),
    "blank-header": (lambda p: p.write("series.csv", ""), "data/series.csv", 1, None),
    "blank-label": (lambda p: p.replace("series.csv", ",notes\n", ",notes,\n"), "data/series.csv", 1, 8),
    "duplicate-label": (lambda p: p.replace("series.csv", ",notes\n", ",notes,series_name\n"), "data/series.csv", 1, 8),
    "missing-label": (lambda p: p.write("series.csv", "\n".join(l.rsplit(",", 1)[0] for l in p.read("series.csv").splitlines()) + "\n"), "data/series.csv", 1, None),
    "extra-label": (
        lambda p: p.write("series.csv", "\n".join(l + ("," + "extra" if i == 0 else ",") for i, l in enumerate(p.read("series.csv").splitlines())) + "\n"),
        "data/series.csv",
        1,
        8,
    ),
    "incorrect-label": (_swap_first_two_columns, "data/series.csv", 1, 1),
    "blank-row": (lambda p: p.replace("series.csv", "\nsummit,", "\n\nsummit,"), "data/series.csv", 3, None),
    "extra-cell": (lambda p: p.replace("series.csv", "mfa-2020-07-17,\n", "mfa-2020-07-17,,surplus\n"), "data/series.csv", 2, 8),
    "missing-cell": (lambda p: p.replace("series.csv", "mfa-2020-07-17,\n", "mfa-2020-07-17\n"), "data/series.csv", 2, 7),
    "primary-key": (lambda p: p.replace("series.csv", "summit,China", "fmm,China"), "data/series.csv", 3, 1),
    "unique-key": (lambda p: p.replace("meetings.csv", "fmm-2021-05-12,fmm,2,", "fmm-2021-05-12,fmm,1,"), "data/meetings.csv", 3, 2),
    "foreign-key": (lambda p: p.replace("persons.csv", "xi-jinping,Xi Jinping,CHN", "xi-jinping,Xi Jinping,KAX"), "data/persons.csv", 4, 3),
    "type-error": (lambda p: p.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-12,2021-13-01,day"), "data/meetings.csv", 3, 7),
    "constraint-error": (lambda p: p.replace("series.csv", "ministerial,mechanism", "ministers,mechanism"), "data/series.csv", 2, 3),
    "unique-error": (lambda p: p.replace("countries.csv", "UZB,UZ,", "UZB,KZ,"), "data/countries.csv", 4, 2),
    "category-error": (lambda p: p.replace("meetings.csv", ",video,held,confirmed", ",online,held,confirmed"), "data/meetings.csv", 2, 11),
    "text-whitespace": (lambda p: p.replace("persons.csv", ",Wang Yi,", ",Wang Yi ,"), "data/persons.csv", 3, 2),
    "text-control": (lambda p: p.replace("persons.csv", ",Wang Yi,", ",Wang\tYi,"), "data/persons.csv", 3, 2),
    "text-nfc": (lambda p: p.replace("persons.csv", ",Wang Yi,", ",Wang Yi\u0301,"), "data/persons.csv", 3, 2),
    "text-formula": (lambda p: p.replace("persons.csv", ",Wang Yi,", ",=HYPERLINK(1),"), "data/persons.csv", 3, 2),
    "text-invisible": (lambda p: p.replace("persons.csv", ",Wang Yi,", ",Wang \u202eiY,"), "data/persons.csv", 3, 2),
    "text-script": (
        lambda p: p.replace("documents.csv", ",Xi'an Declaration of the China-Central Asia Summit,", ",Сианьская декларация,"),
        "data/documents.csv",
        3,
        3,
    ),
    "date-order": (lambda p: p.replace("meetings.csv", "2023-05-18,2023-05-19,day", "2023-05-18,2023-05-17,day"), "data/meetings.csv", 4, 7),
    "date-precision": (lambda p: p.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-12,2021-05-12,month"), "data/meetings.csv", 3, 6),
    "meeting-id-form": (
        lambda p: [p.write(n, p.read(n).replace("fmm-2021-05-12", "fmm-2021-05-13")) for n in ("meetings.csv", "participants.csv", "pledges.csv")],
        "data/meetings.csv",
        3,
        1,
    ),
    "document-date": (lambda p: p.replace("documents.csv", ",signed,2023-05-19,", ",signed,2023-05-21,"), "data/documents.csv", 3, 9),
    "participant-country": (
        lambda p: p.replace("participants.csv", "summit-2023-05-18,xi-jinping,CHN", "summit-2023-05-18,xi-jinping,KAZ"),
        "data/participants.csv",
        5,
        3,
    ),
    "chair-count": (lambda p: p.replace("participants.csv", "mukhtar-tleuberdi,KAZ,attendee", "mukhtar-tleuberdi,KAZ,chair"), "data/participants.csv", 3, 4),
    "ordinal-order": (lambda p: p.replace("meetings.csv", "fmm-2020-07-16,fmm,1,", "fmm-2020-07-16,fmm,3,"), "data/meetings.csv", 3, 3),
    "quantity-unit": (lambda p: p.replace("pledges.csv", "26000000000,CNY,", "26000000000,,"), "data/pledges.csv", 3, 9),
    "pledge-component": (lambda p: p.replace("pledges.csv", "1000000000,CNY,at-least", "1000000000,USD,at-least"), "data/pledges.csv", 4, 9),
    "pledge-restatement": (
        lambda p: p.replace("pledges.csv", "fmm-2021-05-12-vaccines,fmm-2021-05-12,CHN", "fmm-2021-05-12-vaccines,fmm-2021-05-12,KAZ"),
        "data/pledges.csv",
        5,
        15,
    ),
    "pledge-cycle": (lambda p: p.replace("pledges.csv", ",,fmm-2021-05-12-vaccines,", ",,summit-2023-05-18-vaccines-again,"), "data/pledges.csv", 5, 15),
    "followup-date": (lambda p: p.replace("pledge_followups.csv", ",2023-05-20,", ",2023-05-01,"), "data/pledge_followups.csv", 2, 3),
    "meeting-status": (
        lambda p: p.replace("meetings.csv", "2021-05-12,2021-05-12,day,Xi'an,CHN,in-person,held", "2021-05-12,,day,Xi'an,CHN,in-person,held"),
        "data/meetings.csv",
        3,
        7,
    ),
    "followup-evidence": (lambda p: p.replace("pledge_followups.csv", ",announced,pledger-report,", ",fulfilled,pledger-report,"), "data/pledge_followups.csv", 2, 5),
    "followup-reporter": (
        lambda p: p.replace(
            "pledge_followups.csv", ",pledger-report,Ministry of Foreign Affairs of China,CHN,", ",pledger-report,Ministry of Foreign Affairs of China,KAZ,"
        ),
        "data/pledge_followups.csv",
        2,
        8,
    ),
    "certainty-notes": (lambda p: p.replace("meetings.csv", ',"Welcome on 18 May, session on 19 May"', ","), "data/meetings.csv", 4, 15),
    "certainty-sources": (lambda p: p.replace("meetings.csv", "confirmed,mfa-2020-07-17;tellerreport-nd", "confirmed,mfa-2020-07-17"), "data/meetings.csv", 2, 14),
    "id-change-old": (lambda p: p.replace("id_changes.csv", "meetings,summit-2023-05,", "meetings,fmm-2020-07-16,"), "data/id_changes.csv", 2, 2),
    "id-change-new": (lambda p: p.replace("id_changes.csv", ",summit-2023-05-18,2024-01-15,", ",summit-2023-05-17,2024-01-15,"), "data/id_changes.csv", 2, 3),
    "id-change-loop": (
        lambda p: p.write(
            "id_changes.csv",
            p.read("id_changes.csv").splitlines()[0] + "\n"
            "meetings,summit-2023-03,summit-2023-04,2024-01-15,Renamed,nca-2023-05-20,\n"
            "meetings,summit-2023-04,summit-2023-03,2024-01-16,Renamed back,nca-2023-05-20,\n",
        ),
        "data/id_changes.csv",
        2,
        3,
    ),
    "unused-source": (
        lambda p: p.write("sources.csv", p.read("sources.csv") + "spare-nd,https://example.org/spare,Spare,Nobody,,,en,news,false,\n"),
        "data/sources.csv",
        6,
        1,
    ),
}
