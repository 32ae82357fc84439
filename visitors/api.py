"""Field API of the visitors feature (API.md: *Tickets*, *Gate scans*, *Tallies*,
*Attendance*, and the edition's keys). Thin handlers: parse, call a service, serialise."""

from functools import wraps

from apiflask import Schema
from apiflask.fields import Boolean, Dict, List, Raw, String
from apiflask.validators import Length
from flask import current_app, request, url_for
from flask_babel import gettext as _

from accounts.devices import device_of, note_device_scans, record_device_report
from accounts.models import Device
from core.access import api_roles, bearer_user
from core.apidoc import answers
from core.errors import Forbidden
from core.extensions import db, limiter
from core.timeutil import parse_iso
from markets import tokens
from markets.services import get_edition
from visitors import api_bp as api
from visitors import services
from visitors.services.field import describe_results, edition_for_scanner, scanner_editions

STAFF = ("volunteer", "organiser")
COUNTS = {"visitors": "integer", "entries": "integer", "tallied": "integer"}
ATTENDANCE = {
    "edition": "string",
    "target": "integer?",
    **COUNTS,
    "sites": [
        {
            "site": "string",
            "target": "integer?",
            **COUNTS,
            "days": [{"date": "string", **COUNTS}],
            "projection": {"expected_total": "number", "on_track": "boolean"},
        }
    ],
    "projection": {"expected_total": "number", "on_track": "boolean"},
}


class TicketRequest(Schema):
    edition = String(required=True, validate=Length(1, 80))
    name = String(load_default=None, allow_none=True)
    phone = String(load_default=None, allow_none=True)
    city = String(load_default=None, allow_none=True)
    consent = Boolean(load_default=False)


class ScanBatch(Schema):
    # Each scan is judged on its own (a malformed one is `rejected`, the rest go on), so the
    # schema only checks the envelope; see API.md for the fields of one scan.
    scans = List(
        Raw(allow_none=True), required=True, metadata={"description": "Up to 1,000 scans, 1 MiB"}
    )


class TallyBatch(Schema):
    tallies = List(
        Raw(allow_none=True), required=True, metadata={"description": "Up to 1,000 tallies"}
    )


class BatchResults(Schema):
    results = List(Dict(), required=True)


def staff_caller():
    user = bearer_user()
    return user is not None and user.role in STAFF


def limited_batch(view):
    """413 for a body over 1 MiB, before it is parsed (API.md, *Gate scans*)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        length = request.content_length
        if length is None:
            length = len(request.get_data(cache=True))
        if length > services.MAX_BATCH_BYTES:
            raise services.TooLarge(_("A batch may weigh at most 1 MiB."))
        return view(*args, **kwargs)

    return wrapped


def ticket_json(ticket):
    return {
        "id": ticket.token_id,
        "code": ticket.code,
        "png_url": url_for("visitors.ticket_png", token_id=ticket.token_id, _external=True),
        "pdf_url": url_for("visitors.ticket_pdf", token_id=ticket.token_id, _external=True),
        "page_url": url_for("visitors.ticket", token_id=ticket.token_id, _external=True),
    }


@api.post("/tickets")
@limiter.limit(
    lambda: current_app.config["PUBLIC_FORM_LIMIT"], exempt_when=staff_caller, methods=["POST"]
)
@api.input(TicketRequest, arg_name="values")
@api.doc(
    summary="A free visitor ticket (public, rate-limited for anonymous callers)",
    responses=answers(
        201,
        {
            "ticket": {
                "id": "string",
                "code": "string",
                "png_url": "string",
                "pdf_url": "string",
                "page_url": "string",
            }
        },
        400,
        404,
        422,
        429,
    ),
)
def create_ticket(values):
    edition = get_edition(values["edition"])
    actor = bearer_user()
    source = "gate" if staff_caller() else "public"
    ticket = services.create_ticket(edition, values, actor if source == "gate" else None, source)
    return {"ticket": ticket_json(ticket)}, 201


@api.post("/scans")
@api_roles(*STAFF)
@limited_batch
@api.input(ScanBatch, arg_name="batch")
@api.output(BatchResults)
@api.doc(
    summary="Record a batch of gate or workshop scans (idempotent by scan id)",
    responses=[200, 400, 401, 403, 413],
)
def record_scans(batch):
    scans = batch["scans"]
    device = check_device_scope(item.get("edition") for item in scans if isinstance(item, dict))
    scans, refused = judge_device_scans(scans)
    results = services.record_scans(scans, bearer_user()) if scans else []
    if device is not None:
        note_device_scans(device, latest_scan(scans))
    describe_results(results)
    if refused:  # put the refusals back at their places in the batch
        recorded = iter(results)
        results = [
            refused[index] if index in refused else next(recorded)
            for index in range(len(batch["scans"]))
        ]
    return {"results": results}


# ---------------------------------------------------------------- provisioned phones


def check_device_scope(edition_slugs):
    """A device token works for its own edition only (403 for another one)."""
    device = device_of(bearer_user())
    if device is not None and any(slug != device.edition.slug for slug in edition_slugs):
        raise Forbidden(
            _("This phone is set up for another market: ask an organiser for a new QR code."),
            code="wrong_edition_device",
        )
    return device


def judge_device_scans(scans):
    """Hand-over rule (accounts/devices.py): scans a revoked phone made after its revocation
    are refused; those made before it are recorded as usual. Returns (kept, {index: result})."""
    ids = {item.get("device") for item in scans if isinstance(item, dict) and item.get("device")}
    ids = {value for value in ids if isinstance(value, int) and not isinstance(value, bool)}
    if not ids:
        return scans, {}
    revoked = {
        device.id: device.revoked_at
        for device in db.session.query(Device).filter(Device.id.in_(ids))
        if device.revoked_at is not None
    }
    kept, refused = [], {}
    for index, item in enumerate(scans):
        cut = revoked.get(item.get("device")) if isinstance(item, dict) else None
        if cut is not None and scanned_after(item, cut):
            refused[index] = {
                "id": item.get("id"),
                "status": "rejected",
                "kind": None,
                "replayed": False,
                "error": {
                    "code": "after_device_revoked",
                    "message": _("Scanned after this phone's access was withdrawn."),
                },
            }
        else:
            kept.append(item)
    return kept, refused


def scanned_after(item, moment):
    try:
        return parse_iso(item.get("scanned_at")) > moment
    except (TypeError, ValueError):
        return False  # a malformed time is judged (rejected) by record_scans


def latest_scan(scans):
    times = []
    for item in scans:
        try:
            times.append(parse_iso(item.get("scanned_at")))
        except (AttributeError, TypeError, ValueError):
            continue
    return max(times, default=None)


@api.get("/field/session")
@api_roles(*STAFF)
@api.doc(
    summary="What the gate scanner keeps offline: the caller's editions, sites, gates and keys",
    responses=answers(
        200,
        {
            "user": "string",
            "device": "object?",
            "editions": [
                {
                    "slug": "string",
                    "names": "object",
                    "keys": [{"kid": "string", "alg": "string", "public_key": "string"}],
                    "revoked": ["string"],
                    "sites": [
                        {
                            "slug": "string",
                            "names": "object",
                            "gates": [{"code": "string", "names": "object", "role": "string"}],
                            "doors": ["object"],
                            "opens_on": "string",
                            "closes_on": "string",
                            "opens_minute": "integer",
                            "closes_minute": "integer",
                            "windows": [["string"]],
                        }
                    ],
                }
            ],
        },
        401,
        403,
    ),
)
def field_session():
    user = bearer_user()
    device = device_of(user)
    if device is not None:
        editions = [edition_for_scanner(device.edition)] if device.edition.takes_field_work else []
    else:
        editions = scanner_editions()
    return {"user": user.full_name or "", "device": device_json(device), "editions": editions}


def device_json(device):
    if device is None:
        return None
    return {
        "id": device.id,
        "name": device.name,
        "edition": device.edition.slug,
        "site": device.site.slug if device.site is not None else None,
        "gate": device.gate_code,
        "role": device.role,
    }


@api.post("/field/heartbeat")
@api_roles(*STAFF, "cashier")
@api.doc(
    summary="A provisioned phone reports its app version and queue after each sync",
    responses=answers(200, {"recorded": "boolean"}, 400, 401, 403, 422),
)
def field_heartbeat():
    device = device_of(bearer_user())
    report = request.get_json(silent=True)
    if not isinstance(report, dict):
        report = {}
    if device is not None:
        record_device_report(device, report)
    return {"recorded": device is not None}


@api.post("/tallies")
@api_roles(*STAFF)
@limited_batch
@api.input(TallyBatch, arg_name="batch")
@api.output(BatchResults)
@api.doc(
    summary="Record tap-counter tallies of visitors without a ticket (idempotent by id)",
    responses=[200, 400, 401, 403, 413],
)
def record_tallies(batch):
    check_device_scope(item.get("edition") for item in batch["tallies"] if isinstance(item, dict))
    return {"results": services.record_tallies(batch["tallies"], bearer_user())}


@api.get("/editions/<slug>/keys")
@api_roles(*STAFF)
@api.doc(
    summary="Public keys of the edition's QR codes and the revoked token ids",
    responses=answers(
        200,
        {
            "edition": "string",
            "keys": [{"kid": "string", "alg": "string", "public_key": "string"}],
            "revoked": ["string"],
        },
        401,
        403,
        404,
    ),
)
def edition_keys(slug):
    check_device_scope([slug])
    edition = get_edition(slug)
    return {
        "edition": edition.slug,
        "keys": tokens.public_keys(edition),
        "revoked": tokens.revoked_token_ids(edition),
    }


@api.get("/editions/<slug>/attendance")
@api_roles(*STAFF)
@api.doc(
    summary="Unique visitors and entries per site and day, and the projection",
    responses=answers(200, ATTENDANCE, 401, 403, 404),
)
def edition_attendance(slug):
    return services.attendance_summary(get_edition(slug))
