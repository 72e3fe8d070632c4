"""Cross-table rules beyond the one-defect fixtures: the allowed cases pass, the edge cases fail."""

from __future__ import annotations

from c5data import validate


def _codes(pkg):
    return [(f.code, f.file, f.line) for f in validate(pkg.root).findings]


def test_two_co_chairs_and_no_chair_is_allowed(pkg):
    pkg.replace("participants.csv", "mukhtar-tleuberdi,KAZ,attendee", "mukhtar-tleuberdi,KAZ,co-chair")
    pkg.replace("participants.csv", "fmm-2020-07-16,wang-yi,CHN,chair", "fmm-2020-07-16,wang-yi,CHN,co-chair")
    assert _codes(pkg) == []


def test_a_lone_co_chair_or_a_co_chair_beside_a_chair_is_not(pkg):
    pkg.replace("participants.csv", "mukhtar-tleuberdi,KAZ,attendee", "mukhtar-tleuberdi,KAZ,co-chair")
    assert ("chair-count", "data/participants.csv", 2) in _codes(pkg)


def test_components_adding_up_to_more_than_the_headline(pkg):
    pkg.write(
        "pledges.csv",
        pkg.read("pledges.csv") + "summit-2023-05-18-loans,summit-2023-05-18,CHN,KAZ;UZB,finance,financial,Loans part,25500000000,CNY,exact,,,,"
        "summit-2023-05-18-financing,,single-source,nca-2023-05-20,\n",
    )
    codes = _codes(pkg)
    assert ("pledge-component", "data/pledges.csv", 4) in codes and ("pledge-component", "data/pledges.csv", 6) in codes


def test_a_restatement_may_share_the_date_of_the_pledge_it_restates(pkg):
    pkg.write(
        "pledges.csv",
        pkg.read("pledges.csv") + "summit-2023-05-18-financing-again,summit-2023-05-18,CHN,KAZ;UZB,finance,financial,Same package,26000000000,CNY,exact,,,,,"
        "summit-2023-05-18-financing,single-source,nca-2023-05-20,\n",
    )
    assert _codes(pkg) == []


def test_participant_country_difference_explained_in_notes_is_allowed(pkg):
    pkg.replace(
        "participants.csv",
        "summit-2023-05-18,xi-jinping,CHN,chair,head-of-state,general,President,single-source,nca-2023-05-20,",
        "summit-2023-05-18,xi-jinping,KAZ,chair,head-of-state,general,President,single-source,nca-2023-05-20,Seated with the host delegation",
    )
    assert _codes(pkg) == []


def test_month_precision_first_of_month_is_allowed(pkg):
    for name in ("meetings.csv", "participants.csv", "pledges.csv"):
        pkg.write(name, pkg.read(name).replace("fmm-2021-05-12", "fmm-2021-05"))
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-01,2021-05-01,month")
    assert _codes(pkg) == []


def test_near_miss_enum_gets_a_hint(pkg):
    pkg.replace("participants.csv", "mukhtar-tleuberdi,KAZ,attendee", "mukhtar-tleuberdi,KAZ,atendee")
    finding = next(f for f in validate(pkg.root).findings if f.code == "constraint-error")
    assert finding.hint == "did you mean `attendee`?" and finding.column == 4


def test_confirmed_needs_two_distinct_sources(pkg):
    pkg.replace("meetings.csv", "confirmed,mfa-2020-07-17;tellerreport-nd", "confirmed,mfa-2020-07-17;mfa-2020-07-17")
    assert ("certainty-sources", "data/meetings.csv", 2) in _codes(pkg)


def test_a_chain_of_id_changes_ending_at_a_current_id_is_allowed(pkg):
    pkg.write("id_changes.csv", pkg.read("id_changes.csv") + "meetings,summit-2023,summit-2023-05,2023-12-01,The month became known.,nca-2023-05-20,\n")
    assert _codes(pkg) == []


def test_a_new_id_renamed_again_only_by_an_earlier_change_is_missing(pkg):
    pkg.write("id_changes.csv", pkg.read("id_changes.csv") + "meetings,summit-2023,summit-2023-05,2024-06-01,The month became known.,nca-2023-05-20,\n")
    assert _codes(pkg) == [("id-change-new", "data/id_changes.csv", 3)]


def test_every_row_of_a_loop_of_id_changes_is_reported(pkg):
    pkg.write(
        "id_changes.csv",
        pkg.read("id_changes.csv") + "meetings,summit-2023-04,summit-2023-03,2024-01-15,Renamed,nca-2023-05-20,\n"
        "meetings,summit-2023-03,summit-2023-02,2024-01-15,Renamed,nca-2023-05-20,\n"
        "meetings,summit-2023-02,summit-2023-04,2024-01-15,Renamed,nca-2023-05-20,\n",
    )
    assert _codes(pkg) == [("id-change-loop", "data/id_changes.csv", n) for n in (3, 4, 5)]


def test_an_id_change_to_itself_is_a_loop_and_its_old_id_still_in_use(pkg):
    pkg.replace("id_changes.csv", "meetings,summit-2023-05,", "meetings,summit-2023-05-18,")
    assert sorted(_codes(pkg)) == [("id-change-loop", "data/id_changes.csv", 2), ("id-change-old", "data/id_changes.csv", 2)]


def test_id_changes_of_other_tables_are_checked_against_their_own_ids(pkg):
    pkg.write(
        "id_changes.csv",
        pkg.read("id_changes.csv") + "persons,mukhtar-tleuberdiev,mukhtar-tleuberdi,2024-01-15,Spelling,mfa-2020-07-17,\n"
        "sources,nca-2023-05-21,nca-2023-05-20,2024-01-15,Date of the page,nca-2023-05-20,\n"
        "persons,wang-yi-2,summit-2023-05-18,2024-01-15,Wrong table,mfa-2020-07-17,\n",
    )
    assert _codes(pkg) == [("id-change-new", "data/id_changes.csv", 5)]
