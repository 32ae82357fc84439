"""Recording a judged batch of scans: the rows, the first entries, the workshop doors, the counters.

Everything here is set-based (one statement per table and batch) except the workshop doors,
which the workshops feature judges one scan at a time (few per batch).
"""

from booths.models import Badge
from core.checkpoints import checkpoint_kind
from core.database import conflict_insert
from core.extensions import db
from visitors.models import EditionEntry, FirstEntry, Scan, Ticket
from visitors.services.counters import CounterIncrements, add_to_counters

CHUNK = 400  # values per IN (...) list


def scan_row(scan, actor, received_at):
    values = scan.values
    return {
        "client_id": scan.client_id,
        "edition_id": scan.site.edition_id if scan.site is not None else None,
        "site_id": scan.site.id if scan.site is not None else None,
        "checkpoint": values.get("checkpoint"),
        "direction": values.get("direction") or "in",
        "code": values.get("code"),
        "token_id": scan.token.token_id if scan.token is not None else None,
        "kind": scan.kind,
        "status": scan.status,
        "error": scan.error,
        "scanned_at": values.get("scanned_at"),
        "received_at": received_at,
        "user_id": actor.id if actor is not None else None,
    }


def insert_scans(scans, actor, received_at):
    """Insert the new scans; returns the client ids this transaction recorded."""
    rows = [scan_row(scan, actor, received_at) for scan in scans]
    if not rows:
        return set()
    table = Scan.__table__
    statement = (
        conflict_insert(table)
        .on_conflict_do_nothing(index_elements=["client_id"])
        .returning(table.c.client_id)
    )
    return set(db.session.scalars(statement, rows).all())


def is_gate_entry(scan):
    return (
        scan.kind == "visitor"
        and scan.status == "reentry"
        and scan.workshop_id is None
        and scan.values["direction"] == "in"
    )


def settle_first_entries(scans):
    """Turn the scans that win a first entry per (site, token) into `accepted`."""
    candidates = {}
    for scan in scans:
        if is_gate_entry(scan):
            candidates.setdefault((scan.site.id, scan.token.token_id), scan)
    if not candidates:
        return
    rows = [
        {
            "edition_id": scan.site.edition_id,
            "site_id": site_id,
            "token_id": token_id,
            "scan_client_id": scan.client_id,
            "entered_at": scan.values["scanned_at"],
        }
        for (site_id, token_id), scan in sorted(candidates.items())
    ]
    table = FirstEntry.__table__
    statement = (
        conflict_insert(table)
        .on_conflict_do_nothing(index_elements=["site_id", "token_id"])
        .returning(table.c.scan_client_id)
    )
    accepted = sorted(db.session.scalars(statement, rows).all())
    for start in range(0, len(accepted), CHUNK):
        chunk = accepted[start : start + CHUNK]
        db.session.execute(
            db.update(Scan).where(Scan.client_id.in_(chunk)).values(status="accepted")
        )
    accepted = set(accepted)
    for scan in candidates.values():
        if scan.client_id in accepted:
            scan.status = "accepted"
    settle_edition_entries([scan for scan in candidates.values() if scan.status == "accepted"])


def settle_edition_entries(scans):
    """Mark the first entries that are also the ticket's first at any site of the edition."""
    firsts = {}
    for scan in scans:
        firsts.setdefault((scan.site.edition_id, scan.token.token_id), scan)
    if not firsts:
        return
    rows = [
        {"edition_id": edition_id, "token_id": token_id, "entered_at": scan.values["scanned_at"]}
        for (edition_id, token_id), scan in sorted(firsts.items())
    ]
    table = EditionEntry.__table__
    statement = (
        conflict_insert(table)
        .on_conflict_do_nothing(index_elements=["edition_id", "token_id"])
        .returning(table.c.token_id)
    )
    new = set(db.session.scalars(statement, rows).all())
    for (_edition_id, token_id), scan in firsts.items():
        scan.new_to_edition = token_id in new


def holder_of(token):
    """The Ticket or Badge row of a token, or None for an unknown but validly signed token."""
    if token.kind == "V":
        return db.session.query(Ticket).filter_by(token_id=token.token_id).first()
    if token.kind == "E":
        return db.session.query(Badge).filter_by(token_id=token.token_id).first()
    return None


def settle_workshop_doors(scans):
    """Hand the valid scans at `workshop:<id>` to the workshops feature (few per batch; see
    core/checkpoints.py)."""
    doors = [
        s
        for s in scans
        if s.workshop_id is not None
        and s.token is not None
        and s.status == "rejected"
        and s.error is None
    ]
    if not doors:
        return
    record_door_scan = checkpoint_kind("workshop")["record_scan"]
    for scan in doors:
        scan.status = record_door_scan(
            scan.workshop_id,
            scan.site,
            scan.token,
            holder_of(scan.token),
            scan.values["scanned_at"],
        )
        if scan.status == "rejected":
            scan.error = "unknown_workshop"  # API.md: a rejected scan carries its error
        db.session.execute(
            db.update(Scan)
            .where(Scan.client_id == scan.client_id)
            .values(status=scan.status, error=scan.error)
        )


def count_entries(scans):
    increments = CounterIncrements()
    for scan in scans:
        if scan.workshop_id is not None or scan.kind != "visitor":
            continue
        if scan.values["direction"] != "in" or scan.status not in ("accepted", "reentry"):
            continue
        increments.add(
            scan.site.edition_id,
            scan.site.id,
            scan.values["scanned_at"],
            visitors=1 if scan.status == "accepted" else 0,
            entries=1,
            new_to_edition=1 if scan.new_to_edition else 0,
        )
    add_to_counters(increments)
