"""Field API of the visitors feature (API.md: *Tickets*, *Gate scans*, *Tallies*,
*Attendance*, and the edition's keys). Thin handlers: parse, call a service, serialise."""

from functools import wraps

from apiflask import Schema
from apiflask.fields import Boolean, Dict, List, Raw, String
from apiflask.validators import Length
from flask import current_app, request, url_for
from flask_babel import gettext as _

from core.access import api_roles, bearer_user
from core.apidoc import answers
from core.extensions import limiter
from markets import tokens
from markets.services import get_edition
from visitors import api_bp as api
from visitors import services

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
    return {"results": services.record_scans(batch["scans"], bearer_user())}


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
