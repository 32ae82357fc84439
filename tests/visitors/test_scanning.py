"""record_scans: every status, replay, mixed batches, counters."""

import pytest

from core.checkpoints import checkpoint_kind
from core.extensions import db
from markets.tokens import revoke_token, sign_token
from visitors.services import attendance_summary, record_scans


def scan_once(scan, actor):
    results = record_scans([scan], actor)
    db.session.commit()
    return results[0]


def test_first_entry_is_accepted_then_reentry(ticket, volunteer, make_scan, edition):
    first = scan_once(make_scan(ticket.code), volunteer)
    second = scan_once(make_scan(ticket.code, checkpoint="gate-south"), volunteer)
    assert (first["status"], first["kind"], first["replayed"]) == ("accepted", "visitor", False)
    assert (second["status"], second["kind"]) == ("reentry", "visitor")
    summary = attendance_summary(edition)
    meknes = summary["sites"][0] if summary["sites"][0]["site"] == "meknes" else summary["sites"][1]
    assert (meknes["visitors"], meknes["entries"]) == (1, 2)
    assert (summary["visitors"], summary["entries"]) == (1, 2)


def test_same_ticket_first_entry_at_each_site(ticket, volunteer, make_scan, edition):
    assert scan_once(make_scan(ticket.code), volunteer)["status"] == "accepted"
    other = make_scan(ticket.code, site="el-hajeb", checkpoint="gate-north")
    assert scan_once(other, volunteer)["status"] == "accepted"
    summary = attendance_summary(edition)
    assert [site["visitors"] for site in summary["sites"]] == [1, 1]
    assert (summary["visitors"], summary["entries"]) == (1, 2)  # one person for the edition


def test_replay_returns_first_result(ticket, volunteer, make_scan, edition):
    scan = make_scan(ticket.code)
    assert scan_once(scan, volunteer)["status"] == "accepted"
    again = scan_once(scan, volunteer)
    assert again == {"id": scan["id"], "status": "accepted", "kind": "visitor", "replayed": True}
    assert attendance_summary(edition)["entries"] == 1


def test_duplicate_id_inside_one_batch_counts_once(ticket, volunteer, make_scan, edition):
    scan = make_scan(ticket.code)
    results = record_scans([scan, dict(scan)], volunteer)
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert [r["replayed"] for r in results] == [False, True]
    assert attendance_summary(edition)["entries"] == 1


def test_forged_and_altered_codes_are_invalid(ticket, volunteer, make_scan):
    altered = ticket.code[:-3] + ("AAA" if not ticket.code.endswith("AAA") else "BBB")
    for code in (altered, "hello", "SK1.!!!", "SK1." + "A" * 107):
        result = scan_once(make_scan(code), volunteer)
        assert (result["status"], result["kind"]) == ("invalid", None), code


def test_revoked_ticket(ticket, volunteer, make_scan, edition):
    revoke_token(edition, ticket.token_id, "lost")
    db.session.commit()
    assert scan_once(make_scan(ticket.code), volunteer)["status"] == "revoked"


def test_ticket_of_another_edition(make_edition, volunteer, make_scan):
    other = make_edition(status="open")
    _token_id, code = sign_token(other, "V")
    db.session.commit()
    assert scan_once(make_scan(code), volunteer)["status"] == "wrong_edition"


@pytest.mark.parametrize(
    "scanned_at",
    ["2022-11-06T08:59:00+01:00", "2022-11-06T22:00:00+01:00", "2022-11-20T12:00:00+01:00"],
)
def test_outside_opening_hours_is_not_open(ticket, volunteer, make_scan, scanned_at):
    assert scan_once(make_scan(ticket.code, scanned_at=scanned_at), volunteer)["status"] == (
        "not_open"
    )


def test_edition_not_open_is_not_open(make_edition, volunteer, make_scan):
    from visitors.services import create_ticket

    closed = make_edition(status="closed")
    published = make_edition(status="published")
    for edition in (closed, published):
        token_id, code = sign_token(edition, "V")
        db.session.commit()
        scan = make_scan(code, edition=edition.slug)
        assert scan_once(scan, volunteer)["status"] == "not_open"
    assert create_ticket(published, {}, None).source == "public"


def test_exhibitor_badges(make_badge, volunteer, make_scan, edition):
    badge = make_badge("meknes")
    result = scan_once(make_scan(badge.code), volunteer)
    assert (result["status"], result["kind"]) == ("exhibitor", "exhibitor")
    elsewhere = scan_once(make_scan(badge.code, site="el-hajeb"), volunteer)
    assert (elsewhere["status"], elsewhere["kind"]) == ("wrong_site", "exhibitor")
    revoke_token(edition, badge.token_id, "reissued")
    db.session.commit()
    assert scan_once(make_scan(badge.code), volunteer)["status"] == "revoked"
    summary = attendance_summary(edition)
    assert (summary["visitors"], summary["entries"]) == (0, 0)


def test_badge_revoked_on_its_row_only(make_badge, volunteer, make_scan):
    from core.timeutil import utc_now

    badge = make_badge("meknes")
    badge.revoked_at = utc_now()
    db.session.commit()
    assert scan_once(make_scan(badge.code), volunteer)["status"] == "revoked"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"id": None}, "missing_id"),
        ({"id": ""}, "missing_id"),
        ({"id": 12}, "missing_id"),
        ({"scanned_at": "yesterday"}, "bad_time"),
        ({"scanned_at": "2022-11-06T11:15:00"}, "bad_time"),
        ({"scanned_at": None}, "bad_time"),
        ({"code": None}, "missing_code"),
        ({"code": ""}, "missing_code"),
        ({"edition": "nope"}, "unknown_edition"),
        ({"site": "rabat"}, "unknown_site"),
        ({"checkpoint": "gate-west"}, "unknown_checkpoint"),
        ({"checkpoint": None}, "unknown_checkpoint"),
        ({"direction": "sideways"}, "bad_direction"),
    ],
)
def test_malformed_scan_is_rejected_without_stopping_the_batch(
    ticket, volunteer, make_scan, change, error
):
    bad = make_scan(ticket.code)
    bad.update(change)
    good = make_scan(ticket.code)
    results = record_scans([bad, good, "not a scan"], volunteer)
    assert results[0]["status"] == "rejected"
    assert results[0]["error"]["code"] == error
    assert results[0]["error"]["message"]
    assert results[1]["status"] == "accepted"
    assert results[2]["status"] == "rejected"
    assert results[2]["id"] is None


def test_rejected_scan_with_id_replays_rejected(ticket, volunteer, make_scan):
    bad = make_scan(ticket.code, scanned_at="nonsense")
    assert scan_once(bad, volunteer)["status"] == "rejected"
    again = scan_once(bad, volunteer)
    assert (again["status"], again["replayed"], again["error"]["code"]) == (
        "rejected",
        True,
        "bad_time",
    )


def test_device_and_server_times_are_kept(ticket, volunteer, make_scan):
    from visitors.models import Scan

    scan = make_scan(ticket.code)
    scan_once(scan, volunteer)
    row = db.session.query(Scan).filter_by(client_id=scan["id"]).one()
    assert row.scanned_at.isoformat() == "2022-11-06T10:15:00"
    assert row.received_at.year >= 2026
    assert row.user_id == volunteer.id


def test_out_scan_is_answered_but_not_counted(ticket, volunteer, make_scan, edition):
    result = scan_once(make_scan(ticket.code, direction="out"), volunteer)
    assert result["status"] == "accepted"
    assert attendance_summary(edition)["entries"] == 0
    assert scan_once(make_scan(ticket.code), volunteer)["status"] == "accepted"


def test_mixed_batch_keeps_order(ticket, volunteer, make_scan, make_badge):
    badge = make_badge("meknes")
    scans = [
        make_scan(ticket.code),
        make_scan("garbage"),
        make_scan(badge.code),
        make_scan(ticket.code),
        {"code": ticket.code},
    ]
    results = record_scans(scans, volunteer)
    assert [r["status"] for r in results] == [
        "accepted",
        "invalid",
        "exhibitor",
        "reentry",
        "rejected",
    ]
    assert [r["id"] for r in results[:4]] == [s["id"] for s in scans[:4]]


def test_too_many_scans(volunteer, make_scan, ticket):
    from visitors.services import TooLarge

    with pytest.raises(TooLarge):
        record_scans([make_scan(ticket.code)] * 1001, volunteer)


def test_workshop_checkpoint_without_workshop_is_rejected(ticket, volunteer, make_scan):
    result = scan_once(make_scan(ticket.code, checkpoint="workshop:999999"), volunteer)
    assert result["status"] == "rejected"
    assert result["kind"] == "visitor"


def test_workshop_checkpoint_judges_code_first(ticket, volunteer, make_scan):
    assert scan_once(make_scan("forged", checkpoint="workshop:1"), volunteer)["status"] == (
        "invalid"
    )


def test_workshop_checkpoint_is_delegated_with_the_contract(
    ticket, volunteer, make_scan, edition, monkeypatch
):
    calls = []

    def record_door_scan(workshop_id, site, token, holder, scanned_at):
        calls.append((workshop_id, site.slug, token.token_id, token.kind, holder, scanned_at))
        return "accepted" if len(calls) == 1 else "reentry"

    monkeypatch.setitem(checkpoint_kind("workshop"), "record_scan", record_door_scan)
    scan = make_scan(ticket.code, checkpoint="workshop:42")
    first = scan_once(scan, volunteer)
    second = scan_once(make_scan(ticket.code, checkpoint="workshop:42"), volunteer)
    assert (first["status"], first["kind"], second["status"]) == ("accepted", "visitor", "reentry")
    workshop_id, site, token_id, kind, holder, scanned_at = calls[0]
    assert (workshop_id, site, token_id, kind) == (42, "meknes", ticket.token_id, "V")
    assert holder.id == ticket.id
    assert scanned_at.isoformat() == "2022-11-06T10:15:00"
    # A resent scan is answered from the stored result, without asking the workshop again.
    assert scan_once(scan, volunteer) == {**first, "replayed": True}
    assert len(calls) == 2
    # Workshop doors never count as site entries.
    assert attendance_summary(edition)["entries"] == 0


def test_workshop_checkpoint_judges_revocation_and_edition_status_first(
    ticket, volunteer, make_scan, edition, monkeypatch
):
    monkeypatch.setitem(checkpoint_kind("workshop"), "record_scan", lambda *args: "accepted")
    revoke_token(edition, ticket.token_id, "cancelled")
    db.session.commit()
    assert scan_once(make_scan(ticket.code, checkpoint="workshop:1"), volunteer)["status"] == (
        "revoked"
    )


def test_projection_extends_the_pace_over_the_opening_hours(ticket, volunteer, make_scan, edition):
    from datetime import datetime

    scan_once(make_scan(ticket.code), volunteer)
    # Meknès opens 10:00-22:00 from 5 to 13 November (9 days, 108 hours). At 16:00 (local) on
    # the 5th, 6 hours have passed: 1 visitor so far projects to 18 at closing.
    early = attendance_summary(edition, now=datetime(2022, 11, 5, 15, 0))
    meknes = next(site for site in early["sites"] if site["site"] == "meknes")
    assert meknes["projection"] == {"expected_total": 18, "on_track": False}
    assert early["projection"]["expected_total"] == 18
    assert early["projection"]["on_track"] is False
    # After closing, the projection is what was counted.
    late = attendance_summary(edition, now=datetime(2022, 12, 1))
    assert late["projection"]["expected_total"] == 1
    # Before opening nothing is extrapolated.
    before = attendance_summary(edition, now=datetime(2022, 11, 1))
    assert before["projection"]["expected_total"] == 1
