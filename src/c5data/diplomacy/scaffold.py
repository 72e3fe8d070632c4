"""The kinds of row `c5data new` makes for the C+C5 package, with their ids formed as CONTRIBUTING.md states them.

A meeting is `{series_id}-{date}` with the date cut to its precision (`fmm-2026-05-19`,
`deputy-fm-2025`), a source `{publisher-slug}-{date or nd}` with `-2`, `-3`... for a second page
of the same publisher and day, a document or pledge `{meeting_id}-{slug}`, a follow-up
`{pledge_id}-{date}`, a person the slug of the name; a participant is keyed by meeting and person.
"""

from __future__ import annotations

from collections.abc import Callable

from c5data.contributing.scaffold import Kind, id_date, slug


def _meeting_id(v: dict[str, str], taken: set[str]) -> str:
    return f"{v['series_id']}-{id_date(v['start_date'], v.get('date_precision'))}"


def _source_id(v: dict[str, str], taken: set[str]) -> str:
    date = v.get("published_date")
    base = f"{v.get('publisher_slug') or slug(v['publisher'])}-{id_date(date, v.get('published_date_precision')) if date else 'nd'}"
    n, candidate = 1, base
    while candidate in taken:  # a second page of the same publisher and day
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _child_id(parent: str) -> Callable[[dict[str, str], set[str]], str]:
    def make(v: dict[str, str], taken: set[str]) -> str:
        return f"{v[parent]}-{v['slug']}" if v.get(parent) else v["slug"]

    return make


def _person_id(v: dict[str, str], taken: set[str]) -> str:
    return slug(v["person_name"])


def _followup_id(v: dict[str, str], taken: set[str]) -> str:
    return f"{v['pledge_id']}-{id_date(v['as_of_date'], v.get('as_of_date_precision'))}"


KINDS = {
    k.name: k
    for k in [
        Kind(
            "meeting",
            "meetings",
            (
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
            ),
            "meeting_id",
            _meeting_id,
            ("series_id", "start_date", "date_precision"),
            defaults=(("end_date", "start_date"), ("meeting_status", "=held")),
            also_required=("format",),  # a held meeting says how its principals met (rule meeting-status)
        ),
        Kind(
            "person", "persons", ("person_name", "country", "wikidata_qid", "source_ids", "notes"), "person_id", lambda v, taken: slug(v["person_name"]), ("person_name",)
        ),
        Kind(
            "participant",
            "participants",
            ("meeting_id", "person_id", "country", "role", "position", "portfolio", "title_as_given", "certainty", "source_ids", "notes"),
            None,
            None,
        ),
        Kind(
            "source",
            "sources",
            ("url", "headline", "publisher", "published_date", "published_date_precision", "language", "source_type", "machine_translated", "notes"),
            "source_id",
            _source_id,
            ("publisher",),
            extra=("publisher_slug",),
            defaults=(("machine_translated", "=false"),),
        ),
        Kind(
            "document",
            "documents",
            (
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
            ),
            "document_id",
            _child_id("meeting_id"),
            ("slug",),
            extra=("slug",),
            defaults=(("title_is_translation", "=false"),),
        ),
        Kind(
            "pledge",
            "pledges",
            (
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
            ),
            "pledge_id",
            _child_id("meeting_id"),
            ("meeting_id", "slug"),
            extra=("slug",),
        ),
        Kind(
            "followup",
            "pledge_followups",
            (
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
            ),
            "followup_id",
            _followup_id,
            ("pledge_id", "as_of_date", "as_of_date_precision"),
        ),
    ]
}
