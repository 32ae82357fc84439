"""Tallies: visitors without a ticket counted with the +1 button (API.md, *Tallies*).

Idempotent the same way as scans: the phone's UUID is unique, a tally sent again is answered
with its first result and ``replayed: true``.
"""

from flask_babel import lazy_gettext as _l

from core.database import conflict_insert
from core.extensions import db
from core.inputs import TEXT_MESSAGES, holds_unstorable
from core.timeutil import parse_iso, utc_now
from markets.models import Edition
from visitors.models import Tally
from visitors.services.counters import CounterIncrements, add_to_counters
from visitors.services.scanning import CHUNK, check_batch_size

MAX_TALLY = 500
TALLY_MESSAGES = {
    "missing_id": _l("The tally has no id."),
    "not_an_object": _l("The tally is not a JSON object."),
    "bad_count": _l("The count is a whole number from 1 to 500."),
    "bad_time": _l("The time must be ISO 8601 with an offset."),
    "unknown_edition": _l("Unknown edition."),
    "unknown_site": _l("Unknown site for this edition."),
    "unknown_checkpoint": _l("Unknown checkpoint: use a gate of the site."),
    "not_open": _l("The site is not open at this time."),
    "unstorable_text": TEXT_MESSAGES["unstorable_text"],
}


def tally_result(client_id, status, error, replayed):
    result = {"id": client_id, "status": status, "replayed": replayed}
    if error:
        result["error"] = {"code": error, "message": str(TALLY_MESSAGES.get(error, error))}
    return result


def judge_tally(raw, editions):
    """(row values, error code or None) for one tally."""
    count, checkpoint = raw.get("count"), raw.get("checkpoint")
    values = {
        "edition_id": None,
        "site_id": None,
        "checkpoint": checkpoint[:80] if isinstance(checkpoint, str) else None,
        "count": 0,
        "counted_at": None,
    }
    if holds_unstorable(raw):
        values["checkpoint"] = None
        return values, "unstorable_text"
    try:
        values["counted_at"] = parse_iso(raw.get("counted_at"))
    except (ValueError, TypeError, OverflowError):
        return values, "bad_time"
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TALLY:
        return values, "bad_count"
    edition = editions.get(raw.get("edition")) if isinstance(raw.get("edition"), str) else None
    if edition is None:
        return values, "unknown_edition"
    site = edition.site(raw.get("site")) if isinstance(raw.get("site"), str) else None
    if site is None:
        return values, "unknown_site"
    values.update(edition_id=edition.id, site_id=site.id)
    if values["checkpoint"] not in site.gates:
        return values, "unknown_checkpoint"
    if not edition.takes_field_work or not site.is_open_at(values["counted_at"]):
        return values, "not_open"
    values["count"] = count
    return values, None


def record_tallies(tallies, actor, received_at=None):
    """Record a batch of tallies; one result per tally, in order."""
    check_batch_size(tallies, kind="tallies")
    received_at = received_at or utc_now()
    slugs = {
        t["edition"] for t in tallies if isinstance(t, dict) and isinstance(t.get("edition"), str)
    }
    editions = {
        e.slug: e
        for e in (db.session.query(Edition).filter(Edition.slug.in_(slugs)) if slugs else [])
    }
    results, rows, seen = [None] * len(tallies), [], {}
    for index, raw in enumerate(tallies):
        client_id = raw.get("id") if isinstance(raw, dict) else None
        if (
            not isinstance(client_id, str)
            or not client_id.strip()
            or len(client_id) > 64
            or holds_unstorable(client_id)
        ):
            error = "not_an_object" if not isinstance(raw, dict) else "missing_id"
            results[index] = tally_result(None, "rejected", error, False)
            continue
        client_id = client_id.strip()
        if client_id in seen:
            continue
        values, error = judge_tally(raw, editions)
        seen[client_id] = index
        rows.append(
            {
                **values,
                "client_id": client_id,
                "status": "rejected" if error else "accepted",
                "error": error,
                "received_at": received_at,
                "user_id": actor.id if actor is not None else None,
            }
        )
    won = insert_tallies(rows)
    stored = stored_tallies(list(seen))
    increments = CounterIncrements()
    for row in rows:
        if row["client_id"] in won and row["status"] == "accepted":
            increments.add(
                row["edition_id"], row["site_id"], row["counted_at"], tallied=row["count"]
            )
    add_to_counters(increments)
    for index, raw in enumerate(tallies):
        if results[index] is not None:
            continue
        client_id = raw["id"].strip()
        row = stored[client_id]
        first = seen[client_id] == index and client_id in won
        results[index] = tally_result(client_id, row.status, row.error, not first)
    return results


def insert_tallies(rows):
    if not rows:
        return set()
    table = Tally.__table__
    statement = (
        conflict_insert(table)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(table.c.client_id)
    )
    return set(db.session.scalars(statement, rows).all())


def stored_tallies(client_ids):
    found = {}
    for start in range(0, len(client_ids), CHUNK):
        chunk = client_ids[start : start + CHUNK]
        rows = db.session.execute(
            db.select(Tally.client_id, Tally.status, Tally.error).where(Tally.client_id.in_(chunk))
        ).all()
        found.update({row.client_id: row for row in rows})
    return found
