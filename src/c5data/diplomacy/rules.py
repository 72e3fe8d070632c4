"""The data model's rules beyond single columns, each named by its catalogue code.

A rule states which tables and columns it reads; it is skipped (never
crashes) when one of them is absent, because the missing column is already
reported. Each rule returns `CheckSpec`s whose expressions run on one table's
frame; values from other tables are brought in by vectorised key lookups,
never by a loop over rows. The rules are documented in schemas/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from c5data.validation.checks import CheckSpec, typed_column

Frames = dict[str, pl.DataFrame]


@dataclass(frozen=True)
class Rule:
    code: str
    table: str  # the table whose rows are reported ("*" = every table that has the columns)
    needs: dict[str, tuple[str, ...]]  # table -> columns read ("*" = the reported table)
    build: Callable[[Frames, str], list[CheckSpec]]
    description: str


def fetch(keys: pl.Series, frames: Frames, table: str, key: str, values: tuple[str, ...]) -> pl.DataFrame:
    """For each of `keys`, the typed `values` of the `table` row with that `key` (nulls if none): one hash join.

    When fewer keys are asked for than the table has rows (a column that is
    mostly empty, such as a parent id), the table is first cut to the rows
    asked for, so the join hashes the few, not the many.
    """
    ref = frames[table].select(pl.col(typed_column(key)).alias("__key__"), *[pl.col(typed_column(c)).alias(c) for c in values]).drop_nulls("__key__")
    wanted = keys.drop_nulls()
    if wanted.len() < ref.height:
        ref = ref.filter(pl.col("__key__").is_in(wanted.cast(ref.schema["__key__"]).unique().implode()))
    ref = ref.filter(pl.col("__key__").is_first_distinct())
    left = keys.cast(ref.schema["__key__"]).alias("__key__").to_frame()
    return left.join(ref, on="__key__", how="left", maintain_order="left").drop("__key__")


def attach(frames: Frames, at: str, prefix: str, fetched: pl.DataFrame) -> list[pl.Expr]:
    """Add the `fetched` columns to table `at` as `{prefix}.{column}` and return references to them.

    Values brought in from other tables become ordinary columns of the frame
    the checks run on, so an expression never carries a table-long literal.
    """
    named = fetched.rename({c: f"{prefix}.{c}" for c in fetched.columns})
    new = [c for c in named.columns if c not in frames[at].columns]
    if new:
        frames[at] = frames[at].with_columns(named.select(new))
    return [pl.col(c) for c in named.columns]


def lookup(key_col: str, frames: Frames, table: str, key: str, values: tuple[str, ...], at: str) -> list[pl.Expr]:
    """The typed `values` of the `table` row whose `key` equals `key_col` of each row of table `at` (null if none)."""
    fetched = fetch(frames[at].get_column(key_col), frames, table, key, values)
    return attach(frames, at, f"{key_col}->{table}", fetched)


def _present(col: str) -> pl.Expr:
    return pl.col(typed_column(col)).is_not_null()


def _date_order(frames: Frames, t: str) -> list[CheckSpec]:
    ok = ~(_present("start_date") & _present("end_date")) | (pl.col(typed_column("end_date")) >= pl.col(typed_column("start_date")))
    return [CheckSpec("date-order", "end_date", "is before start_date", ok)]


#: The tables whose dates carry a precision: date column(s) -> the precision column.
DATE_PRECISION = {
    "meetings": (("start_date", "end_date"), "date_precision"),
    "documents": (("date",), "date_precision"),
    "pledge_followups": (("as_of_date",), "as_of_date_precision"),
    "sources": (("published_date",), "published_date_precision"),
}


def _date_precision(frames: Frames, t: str) -> list[CheckSpec]:
    dates, precision = DATE_PRECISION[t]
    prec = pl.col(typed_column(precision))
    specs = []
    for col in dates:
        d = pl.col(typed_column(col))
        bad = ((prec == "month") & (d.dt.day() != 1)) | ((prec == "year") & ((d.dt.day() != 1) | (d.dt.month() != 1)))
        specs.append(CheckSpec("date-precision", col, f"does not fit {precision} (month: YYYY-MM-01; year: YYYY-01-01)", ~bad.fill_null(False)))
    return specs


def id_date(date: pl.Expr, precision: pl.Expr) -> pl.Expr:
    """The date as an id carries it: YYYY-MM-DD, YYYY-MM or YYYY by precision (day when the precision is not given)."""
    text = date.dt.strftime("%Y-%m-%d")
    return pl.when(precision == "year").then(text.str.slice(0, 4)).when(precision == "month").then(text.str.slice(0, 7)).otherwise(text)


def _meeting_id_form(frames: Frames, t: str) -> list[CheckSpec]:
    date = id_date(pl.col(typed_column("start_date")), pl.col(typed_column("date_precision")))
    expected = pl.concat_str([pl.col(typed_column("series_id")), date], separator="-")
    ok = expected.is_null() | pl.col(typed_column("meeting_id")).is_null() | (pl.col(typed_column("meeting_id")) == expected)
    return [CheckSpec("meeting-id-form", "meeting_id", "is not {series_id}-{start_date cut to date_precision}", ok, detail=pl.format("expected {}", expected))]


def _document_date(frames: Frames, t: str) -> list[CheckSpec]:
    start, end = lookup(typed_column("meeting_id"), frames, "meetings", "meeting_id", ("start_date", "end_date"), at=t)
    d = pl.col(typed_column("date"))
    ok = d.is_null() | start.is_null() | end.is_null() | ((d >= start) & (d <= end))
    return [CheckSpec("document-date", "date", "lies outside its meeting's dates", ok, detail=pl.format("meeting runs {} to {}", start, end))]


def _participant_country(frames: Frames, t: str) -> list[CheckSpec]:
    (person_country,) = lookup(typed_column("person_id"), frames, "persons", "person_id", ("country",), at=t)
    c = pl.col(typed_column("country"))
    explained = pl.col(typed_column("notes")).is_not_null()
    ok = c.is_null() | person_country.is_null() | (c == person_country) | explained
    return [CheckSpec("participant-country", "country", "differs from the person's country", ok, detail=pl.format("persons.csv gives {}", person_country))]


def _chair_count(frames: Frames, t: str) -> list[CheckSpec]:
    role, meeting = pl.col(typed_column("role")), pl.col(typed_column("meeting_id"))
    is_chair = (role == "chair").fill_null(False)
    is_co = (role == "co-chair").fill_null(False)
    nth_chair = is_chair.cast(pl.Int32).cum_sum().over(meeting)
    chairs = is_chair.sum().over(meeting)
    cos = is_co.sum().over(meeting)
    bad = (is_chair & (nth_chair > 1)) | (is_co & ((chairs > 0) | (cos < 2)))
    return [CheckSpec("chair-count", "role", "makes more than one chair for this meeting (or a co-chair beside a chair, or a lone co-chair)", ~bad.fill_null(False))]


def _ordinal_order(frames: Frames, t: str) -> list[CheckSpec]:
    ordinal = pl.col(typed_column("ordinal"))
    order = [pl.col(typed_column("start_date")), ordinal]
    previous = ordinal.shift(1).forward_fill().over(pl.col(typed_column("series_id")), order_by=order)
    bad = ordinal.is_not_null() & previous.is_not_null() & (ordinal < previous)
    return [
        CheckSpec(
            "ordinal-order",
            "ordinal",
            "is lower than the ordinal of an earlier meeting of the same series",
            ~bad.fill_null(False),
            detail=pl.format("an earlier meeting has ordinal {}", previous),
        )
    ]


def _quantity_unit(frames: Frames, t: str) -> list[CheckSpec]:
    qty, unit = pl.col(typed_column("quantity")), pl.col(typed_column("unit"))
    financial = (pl.col(typed_column("commitment_type")) == "financial").fill_null(False)
    return [
        CheckSpec("quantity-unit", "unit", "is empty although quantity is given", qty.is_null() | unit.is_not_null()),
        CheckSpec(
            "quantity-unit",
            "unit",
            "is not an ISO 4217 currency code although the pledge is financial",
            ~(financial & qty.is_not_null() & unit.is_not_null()) | unit.str.contains(r"^[A-Z]{3}$"),
        ),
    ]


def _pledge_component(frames: Frames, t: str) -> list[CheckSpec]:
    parent = pl.col(typed_column("parent_pledge_id"))
    has_parent = parent.is_not_null()
    p_pledger, p_unit, p_qty = lookup(typed_column("parent_pledge_id"), frames, "pledges", "pledge_id", ("pledger", "unit", "quantity"), at=t)
    total = pl.col(typed_column("quantity")).sum().over(parent)
    return [
        CheckSpec(
            "pledge-component",
            "pledger",
            "differs from the headline pledge's pledger",
            ~has_parent | p_pledger.is_null() | (pl.col(typed_column("pledger")) == p_pledger),
            detail=pl.format("headline: {}", p_pledger),
        ),
        CheckSpec(
            "pledge-component",
            "unit",
            "differs from the headline pledge's unit",
            ~has_parent | p_unit.is_null() | pl.col(typed_column("unit")).is_null() | (pl.col(typed_column("unit")) == p_unit),
            detail=pl.format("headline: {}", p_unit),
        ),
        CheckSpec(
            "pledge-component",
            "quantity",
            "makes the components add up to more than the headline pledge",
            ~has_parent | p_qty.is_null() | (total <= p_qty),
            detail=pl.format("components {} > headline {}", total, p_qty),
        ),
    ]


def _pledge_restatement(frames: Frames, t: str) -> list[CheckSpec]:
    restated = pl.col(typed_column("restates_pledge_id"))
    restated_row = fetch(frames[t].get_column(typed_column("restates_pledge_id")), frames, "pledges", "pledge_id", ("pledger", "meeting_id"))
    (r_pledger,) = attach(frames, t, "restates_pledge_id->pledges", restated_row.select("pledger"))
    (r_date,) = attach(
        frames, t, "restates_pledge_id->pledges->meetings", fetch(restated_row.get_column("meeting_id"), frames, "meetings", "meeting_id", ("start_date",))
    )
    (own_date,) = lookup(typed_column("meeting_id"), frames, "meetings", "meeting_id", ("start_date",), at=t)
    return [
        CheckSpec(
            "pledge-restatement",
            "restates_pledge_id",
            "restates a pledge of another pledger",
            restated.is_null() | r_pledger.is_null() | (r_pledger == pl.col(typed_column("pledger"))),
            detail=pl.format("that pledger: {}", r_pledger),
        ),
        CheckSpec(
            "pledge-restatement",
            "restates_pledge_id",
            "restates a pledge made after this one",
            restated.is_null() | r_date.is_null() | own_date.is_null() | (r_date <= own_date),
            detail=pl.format("restated pledge dated {}", r_date),
        ),
    ]


def _pledge_cycle(frames: Frames, t: str) -> list[CheckSpec]:
    me = pl.col(typed_column("pledge_id"))
    return [
        CheckSpec("pledge-cycle", col, "names the pledge itself", (pl.col(typed_column(col)) != me).fill_null(True)) for col in ("parent_pledge_id", "restates_pledge_id")
    ]


def _followup_date(frames: Frames, t: str) -> list[CheckSpec]:
    meeting = fetch(frames[t].get_column(typed_column("pledge_id")), frames, "pledges", "pledge_id", ("meeting_id",)).to_series()
    (start,) = attach(frames, t, "pledge_id->pledges->meetings", fetch(meeting, frames, "meetings", "meeting_id", ("start_date",)))
    d = pl.col(typed_column("as_of_date"))
    return [
        CheckSpec(
            "followup-date",
            "as_of_date",
            "is before the meeting where the pledge was made",
            d.is_null() | start.is_null() | (d >= start),
            detail=pl.format("pledge made on {}", start),
        )
    ]


def _certainty_notes(frames: Frames, t: str) -> list[CheckSpec]:
    disputed = (pl.col(typed_column("certainty")) == "disputed").fill_null(False)
    return [CheckSpec("certainty-notes", "notes", "is empty although certainty is disputed", ~disputed | pl.col(typed_column("notes")).is_not_null())]


def _certainty_sources(frames: Frames, t: str) -> list[CheckSpec]:
    confirmed = (pl.col(typed_column("certainty")) == "confirmed").fill_null(False)
    ids = pl.col(typed_column("source_ids"))
    return [
        CheckSpec(
            "certainty-sources",
            "source_ids",
            "names fewer than two sources although certainty is confirmed",
            ~confirmed | ids.is_null() | (ids.list.unique().list.len() >= 2),
        )
    ]


def _unused_source(frames: Frames, t: str) -> list[CheckSpec]:
    cited = [
        frames[name].get_column(typed_column("source_ids")).explode().drop_nulls()
        for name in frames
        if name != "sources" and typed_column("source_ids") in frames[name].columns
    ]
    used = pl.concat(cited).unique() if cited else pl.Series([], dtype=pl.String)
    return [
        CheckSpec(
            "unused-source", "source_id", "is cited by no row", pl.col(typed_column("source_id")).is_null() | pl.col(typed_column("source_id")).is_in(used.implode())
        )
    ]


#: The id column of each table whose rows have a one-column id (the tables an id_changes row can name and check).
ID_COLUMNS = {
    "countries": "iso3",
    "series": "series_id",
    "meetings": "meeting_id",
    "persons": "person_id",
    "documents": "document_id",
    "pledges": "pledge_id",
    "pledge_followups": "followup_id",
    "sources": "source_id",
}
_SEP = "\x1f"


def _existing(keys: pl.Series, frames: Frames) -> pl.Series:
    """For each `table{_SEP}id` key, whether that table has a row with that id.

    Each table's id column is scanned for the few ids named (a hash of those
    few), rather than every id of every table being hashed for a handful of
    lookups.
    """
    wanted = keys.drop_nulls().unique()
    found = [pl.Series("k", [], dtype=pl.String)]
    for name, col in ID_COLUMNS.items():
        prefix = name + _SEP
        ids = wanted.filter(wanted.str.starts_with(prefix)).str.slice(len(prefix))
        if ids.is_empty() or name not in frames or typed_column(col) not in frames[name].columns:
            continue
        column = frames[name].get_column(typed_column(col)).cast(pl.String)
        found.append((prefix + column.filter(column.is_in(ids.implode())).unique()).alias("k"))
    return keys.is_in(pl.concat(found).implode()).fill_null(False)


def _id_changes(frames: Frames, t: str) -> list[CheckSpec]:
    frame = frames[t]
    table, old, new = (pl.col(typed_column(c)) for c in ("table_name", "old_id", "new_id"))
    checked = table.is_in(list(ID_COLUMNS)).fill_null(False)
    old_key, new_key = (pl.concat_str([table, c], separator=_SEP) for c in (old, new))
    named = frame.select(old_key.alias("old"), new_key.alias("new"))
    exists = pl.DataFrame({"old_exists": _existing(named.get_column("old"), frames), "new_exists": _existing(named.get_column("new"), frames)})
    old_exists, new_exists = attach(frames, t, "id_changes", exists)
    # the changed_on of the change whose old_id is this row's new_id (a later rename in a chain), if any
    keys = frame.select(old_key.alias("__key__"), pl.col(typed_column("changed_on")).alias("changed_on"), new_key.alias("__next__"))
    later = (
        keys.select(new_key_col=pl.col("__next__"))
        .rename({"new_key_col": "__key__"})
        .join(keys.drop_nulls("__key__").unique("__key__", keep="first").select("__key__", "changed_on"), on="__key__", how="left", maintain_order="left")
        .select(pl.col("changed_on"))
    )
    (next_changed_on,) = attach(frames, t, "new_id->id_changes", later)
    # follow every chain of renames one step at a time (each step one join over all rows): back at the start = a loop
    mapping = keys.drop_nulls("__key__").unique("__key__", keep="first").select("__key__", pl.col("__next__").alias("__to__"))
    start, cur = keys.get_column("__key__"), keys.get_column("__next__")
    loop = (cur == start).fill_null(False)
    for _ in range(frame.height):
        cur = cur.alias("__key__").to_frame().join(mapping, on="__key__", how="left", maintain_order="left").get_column("__to__")
        loop = loop | (cur == start).fill_null(False)
        if cur.null_count() == len(cur):
            break
    (in_loop,) = attach(frames, t, "id_changes", loop.alias("in_loop").to_frame())
    own_date = pl.col(typed_column("changed_on"))
    renamed_again = next_changed_on.is_not_null() & (own_date.is_null() | (next_changed_on >= own_date))
    return [
        CheckSpec(
            "id-change-old",
            "old_id",
            "is still an id of its table",
            ~checked | old.is_null() | ~old_exists,
            detail=pl.format("{} has a row with this id", table),
        ),
        CheckSpec(
            "id-change-new",
            "new_id",
            "is not an id of its table nor the old_id of a later change",
            ~checked | new.is_null() | new_exists | renamed_again,
            detail=pl.format("no row of {} has this id", table),
        ),
        CheckSpec("id-change-loop", "new_id", "leads through a chain of changes back to this row's old_id", ~in_loop),
    ]


RULES: list[Rule] = [
    Rule("date-order", "*", {"*": ("start_date", "end_date")}, _date_order, "end_date >= start_date."),
    *[
        Rule(
            "date-precision",
            table,
            {table: (*dates, precision)},
            _date_precision,
            "A month-precision date is the first of the month; a year-precision date is 1 January.",
        )
        for table, (dates, precision) in DATE_PRECISION.items()
    ],
    Rule(
        "meeting-id-form",
        "meetings",
        {"meetings": ("meeting_id", "series_id", "start_date", "date_precision")},
        _meeting_id_form,
        "meeting_id is {series_id}-{date}, the start_date cut to its date_precision: YYYY-MM-DD, YYYY-MM or YYYY (warning).",
    ),
    Rule(
        "document-date",
        "documents",
        {"documents": ("meeting_id", "date"), "meetings": ("meeting_id", "start_date", "end_date")},
        _document_date,
        "A document's date lies within its meeting's dates.",
    ),
    Rule(
        "participant-country",
        "participants",
        {"participants": ("person_id", "country", "notes"), "persons": ("person_id", "country")},
        _participant_country,
        "A participant's country is the person's country unless notes explain.",
    ),
    Rule(
        "chair-count",
        "participants",
        {"participants": ("meeting_id", "role")},
        _chair_count,
        "At most one chair per meeting, or two or more co-chairs and then no chair.",
    ),
    Rule(
        "ordinal-order",
        "meetings",
        {"meetings": ("series_id", "ordinal", "start_date")},
        _ordinal_order,
        "Within a series, ordinals increase with start_date (their uniqueness is the schema's uniqueKeys).",
    ),
    Rule(
        "quantity-unit",
        "pledges",
        {"pledges": ("quantity", "unit", "commitment_type")},
        _quantity_unit,
        "A quantity needs a unit; a financial pledge's unit is an ISO 4217 code. quantity > 0 is the schema's exclusiveMinimum.",
    ),
    Rule(
        "pledge-component",
        "pledges",
        {"pledges": ("pledge_id", "parent_pledge_id", "pledger", "unit", "quantity")},
        _pledge_component,
        "A component shares its headline's pledger and unit; components never add up to more than the headline.",
    ),
    Rule(
        "pledge-restatement",
        "pledges",
        {"pledges": ("pledge_id", "restates_pledge_id", "pledger", "meeting_id"), "meetings": ("meeting_id", "start_date")},
        _pledge_restatement,
        "A restatement points to an earlier-or-same-date pledge of the same pledger.",
    ),
    Rule(
        "pledge-cycle",
        "pledges",
        {"pledges": ("pledge_id", "parent_pledge_id", "restates_pledge_id")},
        _pledge_cycle,
        "A pledge is neither its own component nor its own restatement.",
    ),
    Rule(
        "followup-date",
        "pledge_followups",
        {"pledge_followups": ("pledge_id", "as_of_date"), "pledges": ("pledge_id", "meeting_id"), "meetings": ("meeting_id", "start_date")},
        _followup_date,
        "A follow-up is dated on or after its pledge's meeting.",
    ),
    Rule("certainty-notes", "*", {"*": ("certainty", "notes")}, _certainty_notes, "certainty = disputed needs notes."),
    Rule("certainty-sources", "*", {"*": ("certainty", "source_ids")}, _certainty_sources, "certainty = confirmed needs at least two source_ids."),
    Rule(
        "id-change-old",
        "id_changes",
        {"id_changes": ("table_name", "old_id", "new_id", "changed_on")},
        _id_changes,
        "An old_id is no longer an id of its table; a new_id is an id of its table or the old_id of a later change; "
        "chains of changes never loop (id-change-old, id-change-new, id-change-loop).",
    ),
    Rule("unused-source", "sources", {"sources": ("source_id",)}, _unused_source, "Every source is cited by some row (warning; fails only under --strict)."),
]


def applicable(frames: Frames, table: str) -> list[Rule]:
    """Rules that report on `table` and whose every needed column is present."""
    out = []
    for rule in RULES:
        if rule.table not in ("*", table):
            continue
        needs_ok = True
        for t, cols in rule.needs.items():
            name = table if t == "*" else t
            if name not in frames or any(typed_column(c) not in frames[name].columns for c in cols):
                needs_ok = False
        if needs_ok:
            out.append(rule)
    return out


def table_checks(frames: Frames, table: str) -> list[CheckSpec]:
    """The checks of every rule that reports on `table` and finds the columns it reads."""
    return [spec for rule in applicable(frames, table) for spec in rule.build(frames, table)]
