"""Exact tests of visitors/services/scanning.py: its limits at their boundaries, every message
and code, how a scan's fields are read and stored, and the paths a plain batch rarely takes
(a duplicate of a rejected scan, an insert lost to a concurrent request). Written to kill the
mutants mutmut made of the module (README, *Architecture*: mutation testing)."""

import pytest
from flask_babel import force_locale

from core.errors import BadRequest
from core.extensions import db
from markets.tokens import sign_token
from visitors.models import Scan
from visitors.services import record_scans, scanning
from visitors.services.scanning import (
    MAX_BATCH_BYTES,
    MAX_SCANS,
    JudgedScan,
    TooLarge,
    check_batch_size,
    read_scan,
)

MESSAGES = {
    "missing_id": "The scan has no id.",
    "not_an_object": "The scan is not a JSON object.",
    "missing_code": "The scan has no code.",
    "unknown_edition": "Unknown edition.",
    "unknown_site": "Unknown site for this edition.",
    "unknown_checkpoint": "Unknown checkpoint: use a gate of the site or workshop:<id>.",
    "bad_direction": "The direction is in or out.",
    "bad_time": "The scan time must be ISO 8601 with an offset.",
    "unknown_workshop": "Unknown workshop for this site.",
}


@pytest.fixture(autouse=True)
def english(app):
    """Messages compared word for word, in English (the app's default language is French)."""
    with force_locale("en"):
        yield


def stored(scan):
    return db.session.query(Scan).filter_by(client_id=scan["id"]).one()


def test_the_limits():
    assert (MAX_SCANS, MAX_BATCH_BYTES) == (1000, 1_048_576)
    assert (TooLarge.status, TooLarge.code) == (413, "too_large")


@pytest.mark.parametrize(("kind", "name"), [("scans", "scans"), ("tallies", "tallies")])
def test_a_batch_of_exactly_1000_passes_and_1001_is_too_large(app, kind, name):
    check_batch_size([{}] * 1000, kind)
    with pytest.raises(TooLarge) as refused:
        check_batch_size([{}] * 1001, kind)
    assert refused.value.code == "too_large"
    assert str(refused.value.message) == f"At most 1000 {name} per batch."


@pytest.mark.parametrize(
    ("kind", "message"),
    [("scans", 'Send {"scans": [...]}.'), ("tallies", 'Send {"tallies": [...]}.')],
)
def test_a_batch_that_is_not_a_list_is_a_bad_request(app, kind, message):
    with pytest.raises(BadRequest) as refused:
        check_batch_size({"scans": []}, kind)
    assert (refused.value.code, str(refused.value.message)) == ("invalid_request", message)


def test_a_result_carries_an_error_only_when_there_is_one(app):
    assert JudgedScan(0, "a", status="accepted", kind="visitor").result() == {
        "id": "a",
        "status": "accepted",
        "kind": "visitor",
        "replayed": False,
    }
    for code, message in MESSAGES.items():
        result = JudgedScan(0, "b", status="rejected", error=code).result()
        assert result["error"] == {"code": code, "message": message}
    # An error code without a message of its own (e.g. an older row) is shown as it is.
    assert JudgedScan(0, "c", status="rejected", error="other").result()["error"] == {
        "code": "other",
        "message": "other",
    }


def test_a_new_judged_scan_starts_empty():
    scan = JudgedScan(3, "x")
    assert (scan.index, scan.client_id, scan.values, scan.status, scan.kind) == (
        3,
        "x",
        {},
        None,
        None,
    )
    assert (scan.error, scan.replayed, scan.token, scan.site) == (None, False, None, None)
    assert (scan.workshop_id, scan.new_to_edition) == (None, False)
    assert JudgedScan(0, "y").values is not scan.values


def test_reading_a_scan_keeps_its_fields_trimmed_and_bounded(app):
    raw = {
        "id": "  id-1  ",
        "code": "  " + "C" * 250 + "  ",
        "edition": "e",
        "site": "s",
        "checkpoint": "  " + "g" * 90 + "  ",
        "scanned_at": "2022-11-06T11:15:00+01:00",
    }
    scan = read_scan(7, raw)
    assert (scan.index, scan.client_id, scan.status) == (7, "id-1", None)
    assert scan.values["code"] == "C" * 200
    assert scan.values["checkpoint"] == "g" * 80
    assert scan.values["direction"] == "in"  # missing: coming in
    assert scan.values["scanned_at"].isoformat() == "2022-11-06T10:15:00"
    assert (scan.values["edition"], scan.values["site"]) == ("e", "s")
    odd = read_scan(0, {**raw, "edition": 5, "site": ["s"], "checkpoint": 12, "code": 3})
    assert (odd.values["edition"], odd.values["site"], odd.values["checkpoint"]) == (
        None,
        None,
        None,
    )
    assert (odd.status, odd.error) == ("rejected", "missing_code")


@pytest.mark.parametrize(
    ("client_id", "kept"),
    [("i" * 64, "i" * 64), ("i" * 65, None), ("   ", None), (" a ", "a")],
)
def test_the_scan_id_is_at_most_64_characters_and_not_blank(app, client_id, kept):
    scan = read_scan(0, {"id": client_id, "code": "x", "scanned_at": "2022-11-06T10:15:00Z"})
    if kept is None:
        assert (scan.client_id, scan.status, scan.error) == (None, "rejected", "missing_id")
    else:
        assert (scan.client_id, scan.status) == (kept, None)


def test_an_unstorable_text_keeps_the_id_unless_the_id_is_the_culprit(app):
    good_id = read_scan(0, {"id": "ok", "code": "a\x00b"})
    assert (good_id.client_id, good_id.status, good_id.error) == (
        "ok",
        "rejected",
        "unstorable_text",
    )
    bad_id = read_scan(0, {"id": "o\x00k", "code": "ab"})
    assert (bad_id.client_id, bad_id.status, bad_id.error) == (None, "rejected", "unstorable_text")


def test_direction_out_is_kept_and_a_missing_one_means_in(ticket, volunteer, make_scan):
    coming = make_scan(ticket.code)
    del coming["direction"]
    going = make_scan(ticket.code, direction="out")
    empty = make_scan(ticket.code, direction="")
    results = record_scans([coming, going, empty], volunteer)
    db.session.commit()
    assert [r["status"] for r in results] == ["accepted", "accepted", "reentry"]
    assert [stored(s).direction for s in (coming, going, empty)] == ["in", "out", "in"]


def test_what_is_stored_of_a_scan(ticket, volunteer, make_scan, edition):
    from datetime import datetime

    scan = make_scan(ticket.code, checkpoint=" gate-north ", id="  row-1 ")
    received = datetime(2022, 11, 6, 10, 20, 5)
    [result] = record_scans([scan], volunteer, received_at=received)
    db.session.commit()
    assert result == {"id": "row-1", "status": "accepted", "kind": "visitor", "replayed": False}
    row = db.session.query(Scan).filter_by(client_id="row-1").one()
    assert (row.checkpoint, row.code, row.token_id, row.kind) == (
        "gate-north",
        ticket.code,
        ticket.token_id,
        "visitor",
    )
    assert (row.received_at, row.edition_id, row.user_id) == (received, edition.id, volunteer.id)


def test_scans_without_an_id_never_stop_the_ones_after_them(ticket, volunteer, make_scan):
    results = record_scans(["not a scan", {"code": "x"}, make_scan(ticket.code)], volunteer)
    assert [(r["id"], r["status"]) for r in results][:2] == [(None, "rejected"), (None, "rejected")]
    assert [r["error"]["code"] for r in results[:2]] == ["not_an_object", "missing_id"]
    assert results[2]["status"] == "accepted"


def test_a_copy_of_a_rejected_scan_in_the_same_batch_answers_the_same(ticket, volunteer, make_scan):
    bad = make_scan(ticket.code, checkpoint="gate-west")
    results = record_scans([bad, dict(bad)], volunteer)
    error = {"code": "unknown_checkpoint", "message": MESSAGES["unknown_checkpoint"]}
    assert results == [
        {"id": bad["id"], "status": "rejected", "kind": None, "replayed": False, "error": error},
        {"id": bad["id"], "status": "rejected", "kind": None, "replayed": True, "error": error},
    ]
    assert db.session.query(Scan).filter_by(client_id=bad["id"]).count() == 1


def test_a_copy_of_an_exhibitor_scan_in_the_same_batch_keeps_its_kind(
    make_badge, volunteer, make_scan
):
    badge = make_badge("meknes")
    scan = make_scan(badge.code)
    results = record_scans([scan, dict(scan)], volunteer)
    assert [(r["status"], r["kind"], r["replayed"]) for r in results] == [
        ("exhibitor", "exhibitor", False),
        ("exhibitor", "exhibitor", True),
    ]


def test_a_scan_another_request_stored_first_is_answered_from_its_row(
    ticket, volunteer, make_scan, monkeypatch
):
    """The insert lost the race: the row stored meanwhile answers, marked replayed."""
    scan = make_scan(ticket.code)
    first = record_scans([scan], volunteer)[0]
    db.session.commit()
    real = scanning.stored_scans
    calls = []

    def not_yet_then_real(client_ids):
        calls.append(list(client_ids))
        return {} if len(calls) == 1 else real(client_ids)  # the other request was not done yet

    monkeypatch.setattr(scanning, "stored_scans", not_yet_then_real)
    again = record_scans([dict(scan, checkpoint="gate-south")], volunteer)[0]
    assert calls == [[scan["id"]], [scan["id"]]]
    assert again == {**first, "replayed": True}
    assert db.session.query(Scan).filter_by(client_id=scan["id"]).count() == 1


def test_a_lost_rejected_scan_answers_its_stored_error(ticket, volunteer, make_scan, monkeypatch):
    scan = make_scan(ticket.code, scanned_at="yesterday")
    record_scans([scan], volunteer)
    db.session.commit()
    real = scanning.stored_scans
    calls = []
    monkeypatch.setattr(
        scanning,
        "stored_scans",
        lambda ids: calls.append(1) or ({} if len(calls) == 1 else real(ids)),
    )
    [again] = record_scans([scan], volunteer)
    assert (again["status"], again["replayed"], again["error"]["code"]) == (
        "rejected",
        True,
        "bad_time",
    )


@pytest.mark.parametrize(
    ("checkpoint", "status", "error", "kind"),
    [
        ("workshop:2147483647", "rejected", "unknown_workshop", "visitor"),  # judged, then no door
        ("workshop:2147483648", "rejected", "unknown_workshop", None),  # over an id: at once
        ("workshop:123456789012", "rejected", "unknown_workshop", None),
        ("workshop:1234567890123", "rejected", "unknown_checkpoint", None),  # not a door at all
        ("workshop:12x", "rejected", "unknown_checkpoint", None),
        ("xworkshop:12", "rejected", "unknown_checkpoint", None),
        ("workshop:", "rejected", "unknown_checkpoint", None),
    ],
)
def test_workshop_doors_are_read_exactly(
    ticket, volunteer, make_scan, checkpoint, status, error, kind
):
    [result] = record_scans([make_scan(ticket.code, checkpoint=checkpoint)], volunteer)
    assert (result["status"], result["error"]["code"], result["kind"]) == (status, error, kind)


def test_an_edition_or_site_that_is_not_text_is_unknown(ticket, volunteer, make_scan):
    results = record_scans(
        [make_scan(ticket.code, edition=7), make_scan(ticket.code, site=["meknes"])], volunteer
    )
    assert [r["error"]["code"] for r in results] == ["unknown_edition", "unknown_site"]


def test_a_signed_exhibitor_code_without_a_badge_is_invalid(edition, volunteer, make_scan):
    _token_id, code = sign_token(edition, "E")
    db.session.commit()
    [result] = record_scans([make_scan(code)], volunteer)
    assert (result["status"], result["kind"]) == ("invalid", "exhibitor")


def test_a_batch_holding_only_rejected_scans_records_them(volunteer, make_scan):
    scans = [make_scan("x", edition=None), make_scan("y", scanned_at=None)]
    results = record_scans(scans, volunteer)
    assert [r["error"]["code"] for r in results] == ["unknown_edition", "bad_time"]
    assert db.session.query(Scan).count() == 2


def test_revocations_and_badges_are_read_past_one_chunk(edition, volunteer, make_scan, make_badge):
    """More tokens than one IN (...) list holds (CHUNK): the revoked and badged ones are found
    wherever they fall."""
    from markets.tokens import revoke_token

    tickets = [make_scan(sign_token(edition, "V")[1]) for _ in range(scanning.CHUNK + 5)]
    badge = make_badge("meknes")
    last_token, last_code = sign_token(edition, "V")
    revoke_token(edition, last_token, "lost")
    db.session.commit()
    batch = [*tickets, make_scan(badge.code), make_scan(last_code)]
    results = record_scans(batch, volunteer)
    assert results[-2]["status"] == "exhibitor"
    assert results[-1]["status"] == "revoked"
    assert all(r["status"] in ("accepted", "reentry") for r in results[:-2])


@pytest.fixture
def statements(app):
    """The SQL statements run while the test watches (to pin "one query per table")."""
    from sqlalchemy import event

    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", keep)
    yield seen
    event.remove(db.engine, "before_cursor_execute", keep)


def test_a_batch_reads_each_table_once_never_once_per_scan(
    edition, volunteer, make_scan, statements
):
    codes = [sign_token(edition, "V")[1] for _ in range(3)]
    db.session.commit()
    statements.clear()
    record_scans([make_scan(code) for code in codes], volunteer)
    selects = [s for s in statements if s.startswith("select")]
    assert len([s for s in selects if "from signing_keys" in s]) == 1
    assert len([s for s in selects if "from scans" in s and "client_id in" in s]) == 1
    assert len([s for s in selects if "from editions" in s]) == 1
    assert len([s for s in selects if "from revoked_tokens" in s]) == 1


def test_a_batch_naming_no_edition_never_queries_editions(volunteer, make_scan, statements):
    statements.clear()
    results = record_scans([make_scan("x", edition=5), make_scan("y", edition=None)], volunteer)
    assert [r["error"]["code"] for r in results] == ["unknown_edition", "unknown_edition"]
    assert not [s for s in statements if s.startswith("select") and "from editions" in s]


def test_the_badges_of_a_batch_are_read_once(make_badge, volunteer, make_scan, statements):
    badges = [make_badge("meknes"), make_badge("el-hajeb")]
    statements.clear()
    results = record_scans([make_scan(badge.code) for badge in badges], volunteer)
    assert [r["status"] for r in results] == ["exhibitor", "wrong_site"]
    selects = [s for s in statements if s.startswith("select") and "from badges" in s]
    assert len(selects) == 1
