"""Gate scans (API.md, *Gate scans*): one batch of phone scans judged and recorded at once.

``record_scans(scans, actor)`` is the only code path that records scans. A batch is one
transaction (the request's). Each scan is judged on its own; a malformed one gets `rejected`
and the rest go on. Race safety comes from the database, never from reading first:

* the phone's UUID is unique: ``INSERT ... ON CONFLICT (client_id) DO NOTHING RETURNING``
  tells which scans are new; the others are answered with their stored first result;
* the first entry of a ticket at a site is unique (site, token): the scans whose
  ``first_entries`` row was inserted are `accepted`, every other valid entry is `reentry`.
"""

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from booths.models import Badge
from core.errors import BadRequest, DomainError
from core.extensions import db
from core.inputs import INT32_MAX, TEXT_MESSAGES, holds_unstorable
from core.timeutil import parse_iso, utc_now
from markets.models import Edition, RevokedToken, SigningKey
from markets.tokens import TokenInvalid, verify_token
from visitors.models import Scan
from visitors.services.recording import (
    CHUNK,
    count_entries,
    insert_scans,
    settle_first_entries,
    settle_workshop_doors,
)

MAX_SCANS = 1000
MAX_BATCH_BYTES = 1024 * 1024
KIND_NAMES = {"V": "visitor", "E": "exhibitor"}
WORKSHOP_CHECKPOINT = re.compile(r"^workshop:(\d{1,12})$")

REJECTION_MESSAGES = {
    "missing_id": _l("The scan has no id."),
    "not_an_object": _l("The scan is not a JSON object."),
    "missing_code": _l("The scan has no code."),
    "unknown_edition": _l("Unknown edition."),
    "unknown_site": _l("Unknown site for this edition."),
    "unknown_checkpoint": _l("Unknown checkpoint: use a gate of the site or workshop:<id>."),
    "bad_direction": _l("The direction is in or out."),
    "bad_time": _l("The scan time must be ISO 8601 with an offset."),
    "unknown_workshop": _l("Unknown workshop for this site."),
    "unstorable_text": TEXT_MESSAGES["unstorable_text"],
}


class TooLarge(DomainError):
    status = 413
    code = "too_large"


@dataclass
class JudgedScan:
    """One scan of the batch on its way through judging and recording."""

    index: int
    client_id: str | None
    values: dict = field(default_factory=dict)
    status: str | None = None
    kind: str | None = None
    error: str | None = None
    replayed: bool = False
    token: object = None
    site: object = None
    workshop_id: int | None = None
    new_to_edition: bool = False

    def result(self):
        result = {
            "id": self.client_id,
            "status": self.status,
            "kind": self.kind,
            "replayed": self.replayed,
        }
        if self.error:
            message = REJECTION_MESSAGES.get(self.error, self.error)
            result["error"] = {"code": self.error, "message": str(message)}
        return result


def check_batch_size(scans, kind="scans"):
    """The envelope of a batch of scans or tallies (the message names what was sent)."""
    if kind == "tallies":
        if not isinstance(scans, list):
            raise BadRequest(_('Send {"tallies": [...]}.'), code="invalid_request")
        if len(scans) > MAX_SCANS:
            raise TooLarge(
                _("At most %(count)d tallies per batch.", count=MAX_SCANS), code="too_large"
            )
        return
    if not isinstance(scans, list):
        raise BadRequest(_('Send {"scans": [...]}.'), code="invalid_request")
    if len(scans) > MAX_SCANS:
        raise TooLarge(_("At most %(count)d scans per batch.", count=MAX_SCANS), code="too_large")


def record_scans(scans, actor, received_at=None):
    """Judge and record a batch of scans; returns one result dict per scan, in order."""
    check_batch_size(scans)
    received_at = received_at or utc_now()
    judged = [read_scan(index, raw) for index, raw in enumerate(scans)]
    first_of_id = {}
    for scan in judged:
        if scan.client_id is not None:
            first_of_id.setdefault(scan.client_id, scan)
    stored = stored_scans(list(first_of_id))
    fresh = []
    for scan in judged:
        if scan.client_id is None:
            continue
        if scan.client_id in stored:
            answer_from_row(scan, stored[scan.client_id])
        elif first_of_id[scan.client_id] is scan:
            fresh.append(scan)
    context = JudgingContext(fresh)
    for scan in fresh:
        if scan.status is None:
            context.judge(scan)
    won = insert_scans(fresh, actor, received_at)
    lost = [scan for scan in fresh if scan.client_id not in won]
    raced = stored_scans([scan.client_id for scan in lost])
    for scan in lost:
        answer_from_row(scan, raced[scan.client_id])
    winners = [scan for scan in fresh if scan.client_id in won]
    settle_first_entries(winners)
    settle_workshop_doors(winners)
    count_entries(winners)
    for scan in judged:
        twin = first_of_id.get(scan.client_id)
        if twin is not None and twin is not scan:
            scan.status, scan.kind, scan.error, scan.replayed = (
                twin.status,
                twin.kind,
                twin.error,
                True,
            )
    return [scan.result() for scan in judged]


# ---------------------------------------------------------------- reading


def read_scan(index, raw):
    """Check the shape of one scan; a malformed one is settled as `rejected` here."""
    if not isinstance(raw, dict):
        return JudgedScan(index, None, status="rejected", error="not_an_object")
    client_id = raw.get("id")
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > 64:
        return JudgedScan(index, None, status="rejected", error="missing_id")
    if holds_unstorable(raw):
        # Nothing of it can be stored; the id too when it is the culprit.
        storable_id = None if holds_unstorable(client_id) else client_id.strip()
        return JudgedScan(index, storable_id, status="rejected", error="unstorable_text")
    scan = JudgedScan(index, client_id.strip())
    code = raw.get("code")
    direction = raw.get("direction") or "in"
    scan.values = {
        "code": code.strip()[:200] if isinstance(code, str) else None,
        "edition": text_or_none(raw.get("edition")),
        "site": text_or_none(raw.get("site")),
        "checkpoint": raw.get("checkpoint"),
        "direction": direction if direction in ("in", "out") else "in",
        "scanned_at": None,
    }
    if isinstance(scan.values["checkpoint"], str):
        scan.values["checkpoint"] = scan.values["checkpoint"].strip()[:80]
    else:
        scan.values["checkpoint"] = None
    try:
        scan.values["scanned_at"] = parse_iso(raw.get("scanned_at"))
    except (ValueError, TypeError, OverflowError):
        return reject(scan, "bad_time")
    if direction not in ("in", "out"):
        return reject(scan, "bad_direction")
    if not scan.values["code"]:
        return reject(scan, "missing_code")
    return scan


def text_or_none(value):
    return value if isinstance(value, str) else None


def reject(scan, error):
    scan.status, scan.error = "rejected", error
    return scan


def stored_scans(client_ids):
    found = {}
    for start in range(0, len(client_ids), CHUNK):
        chunk = client_ids[start : start + CHUNK]
        rows = db.session.execute(
            db.select(Scan.client_id, Scan.status, Scan.kind, Scan.error).where(
                Scan.client_id.in_(chunk)
            )
        ).all()
        found.update({row.client_id: row for row in rows})
    return found


def answer_from_row(scan, row):
    scan.status, scan.kind, scan.error, scan.replayed = row.status, row.kind, row.error, True


# ---------------------------------------------------------------- judging


class JudgingContext:
    """What judging a batch needs, loaded with one query per table (never one per scan)."""

    def __init__(self, scans):
        slugs = {s.values.get("edition") for s in scans if isinstance(s.values.get("edition"), str)}
        editions = db.session.query(Edition).filter(Edition.slug.in_(slugs)).all() if slugs else []
        self.editions = {edition.slug: edition for edition in editions}
        self.keys = {key.kid: key for key in db.session.query(SigningKey).all()}
        self.tokens = {}
        for scan in scans:
            if scan.status is None:
                try:
                    self.tokens[scan.index] = verify_token(scan.values["code"], self.keys)
                except TokenInvalid:
                    self.tokens[scan.index] = None
        token_ids = sorted({t.token_id for t in self.tokens.values() if t is not None})
        self.revoked = set(in_chunks(RevokedToken.token_id, token_ids))
        exhibitor_ids = sorted(
            {t.token_id for t in self.tokens.values() if t is not None and t.kind == "E"}
        )
        self.badges = load_badges(exhibitor_ids)

    def judge(self, scan):
        edition = self.editions.get(scan.values["edition"])
        if edition is None:
            return reject(scan, "unknown_edition")
        site = edition.site(scan.values["site"]) if isinstance(scan.values["site"], str) else None
        if site is None:
            return reject(scan, "unknown_site")
        scan.site = site
        checkpoint = scan.values["checkpoint"]
        door = WORKSHOP_CHECKPOINT.match(checkpoint or "")
        if door:
            scan.workshop_id = int(door.group(1))
            if scan.workshop_id > INT32_MAX:
                return reject(scan, "unknown_workshop")
        elif checkpoint not in site.gates:
            return reject(scan, "unknown_checkpoint")
        token = self.tokens.get(scan.index)
        scan.token = token
        if token is None or token.kind not in KIND_NAMES:
            scan.status = "invalid"
            return scan
        scan.kind = KIND_NAMES[token.kind]
        scan.status = self.status_of(scan, edition, site, token)
        return scan

    def status_of(self, scan, edition, site, token):
        if token.edition_id != edition.id:
            return "wrong_edition"
        if token.token_id in self.revoked:
            return "revoked"
        if not edition.takes_field_work:
            return "not_open"
        if scan.workshop_id is not None:
            return "rejected"  # provisional: the workshop's door decides (settle_workshop_doors)
        if not site.is_open_at(scan.values["scanned_at"]):
            return "not_open"
        if token.kind == "E":
            badge = self.badges.get(token.token_id)
            if badge is None:
                return "invalid"
            if badge.revoked_at is not None:
                return "revoked"
            return "exhibitor" if badge.site_id == site.id else "wrong_site"
        if scan.values["direction"] == "out":
            return "accepted"  # a valid ticket going out: answered, never counted
        return "reentry"  # provisional: `accepted` if this scan wins the first entry


def in_chunks(column, values):
    found = []
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        found.extend(db.session.scalars(db.select(column).where(column.in_(chunk))).all())
    return found


def load_badges(token_ids):
    if not token_ids:
        return {}
    badges = {}
    for start in range(0, len(token_ids), CHUNK):
        chunk = token_ids[start : start + CHUNK]
        for badge in db.session.query(Badge).filter(Badge.token_id.in_(chunk)):
            badges[badge.token_id] = badge
    return badges
