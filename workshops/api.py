"""Field API: the programme (API.md, *Workshops*), member registration and attendance lists.

Door scans are not here: they go through POST /api/v1/scans with the checkpoint
``workshop:<id>`` (the visitors feature), which calls workshops.services.record_door_scan.
"""

from apiflask import Schema
from apiflask.fields import Boolean, String
from apiflask.validators import Length, OneOf
from flask_babel import gettext as _

from core.access import api_roles, bearer_user, cooperative_of
from core.apidoc import answers
from core.errors import NotFound
from core.i18n import localized
from core.timeutil import iso_utc
from markets.services import get_edition
from workshops import api_bp as api
from workshops import services
from workshops.models import GENDERS
from workshops.services.programme import seats_taken

WORKSHOP = {
    "id": "integer",
    "title": "string?",
    "titles": "object",
    "description": "string?",
    "topic": "string?",
    "format": "string?",
    "site": "string",
    "room": "string?",
    "starts_at": "string",
    "ends_at": "string",
    "capacity": "integer?",
    "registered": "integer",
    "audience": "string?",
    "checkpoint": "string",
    "speakers": [{"name": "string?", "organisation": "string?", "bio": "string?"}],
}
REGISTRATION = {
    "id": "integer",
    "workshop": "integer",
    "person_name": "string?",
    "status": "string",
    "created_at": "string?",
}


def workshop_json(workshop, registered):
    return {
        "id": workshop.id,
        "title": localized(workshop.titles),
        "titles": workshop.titles,
        "description": localized(workshop.descriptions),
        "topic": workshop.topic,
        "format": workshop.format,
        "site": workshop.site.slug,
        "room": workshop.room,
        "starts_at": iso_utc(workshop.starts_at),
        "ends_at": iso_utc(workshop.ends_at),
        "capacity": workshop.capacity,
        "registered": registered,
        "audience": workshop.audience,
        "checkpoint": f"workshop:{workshop.id}",
        "speakers": [
            {"name": s.name, "organisation": s.organisation, "bio": s.bio}
            for s in workshop.speakers
        ],
    }


@api.get("/editions/<slug>/workshops")
@api.doc(
    summary="The workshop programme of an edition (public)",
    responses=answers(200, {"workshops": [WORKSHOP]}, 404),
)
def list_workshops(slug):
    edition = get_edition(slug)
    if not edition.is_public:
        raise NotFound(_("No edition called %(slug)s.", slug=slug), code="unknown_edition")
    workshops = services.list_workshops(edition)
    seats = seats_taken([w.id for w in workshops])
    return {"workshops": [workshop_json(w, seats.get(w.id, 0)) for w in workshops]}


class MemberRegistration(Schema):
    person_name = String(required=True, validate=Length(1, 200))
    phone = String(required=True, validate=Length(1, 40))
    gender = String(required=True, validate=OneOf(GENDERS))
    under_35 = Boolean(required=True)


def registration_json(registration):
    return {
        "id": registration.id,
        "workshop": registration.workshop_id,
        "person_name": registration.person_name,
        "status": registration.status,
        "created_at": iso_utc(registration.created_at),
    }


@api.post("/workshops/<int:workshop_id>/registrations")
@api_roles("cooperative")  # before the input: an anonymous caller gets 401, never 400
@api.input(MemberRegistration, arg_name="member")
@api.doc(
    summary="A cooperative registers one of its members (seat or waiting list)",
    responses=answers(201, {"registration": REGISTRATION}, 400, 401, 403, 404, 409, 422),
)
def register_member(workshop_id, member):
    workshop = services.get_workshop(workshop_id)
    if not workshop.edition.is_public:
        raise NotFound(_("No such workshop."), code="unknown_workshop")
    user = bearer_user()
    registration = services.register_member(workshop, cooperative_of(user), member, user)
    return {"registration": registration_json(registration)}, 201


@api.get("/workshops/<int:workshop_id>/attendance")
@api.doc(
    summary="Who attended a workshop",
    responses=answers(
        200,
        {
            "workshop": "integer",
            "capacity": "integer?",
            "attendance": "integer",
            "people": [
                {"name": "string?", "source": "string", "kind": "string?", "attended_at": "string?"}
            ],
        },
        401,
        403,
        404,
    ),
)
@api_roles("organiser", "volunteer")
def workshop_attendance(workshop_id):
    workshop = services.get_workshop(workshop_id)
    attendances = services.attendance_list(workshop)
    return {
        "workshop": workshop.id,
        "capacity": workshop.capacity,
        "attendance": len(attendances),
        "people": [
            {
                "name": a.person_name,
                "source": a.source,
                "kind": {"V": "visitor", "E": "exhibitor"}.get(a.token_kind),
                "attended_at": iso_utc(a.attended_at),
            }
            for a in attendances
        ],
    }
