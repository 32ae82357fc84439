"""booths: JSON field API (a cooperative's badges and applications, floor plans, decisions)."""

from apiflask import Schema
from apiflask.fields import Integer, List, Nested, String
from apiflask.validators import Length, OneOf
from flask import url_for
from flask_babel import gettext as _

from booths import api_bp as api
from booths import services
from booths.models import NEEDS, STALL_TYPES, Badge
from booths.services.badges import check_badge_access
from core.access import api_roles, bearer_user, cooperative_of
from core.apidoc import JOB, PDF, answers
from core.downloads import download_name
from core.errors import NotFound
from core.extensions import db
from core.i18n import current_language, localized
from core.inputs import existing_id
from core.jobs_views import api_json as api_job_json
from core.pdf import pdf_response
from core.timeutil import iso_utc
from markets.services import get_edition, get_site


class RepresentativeIn(Schema):
    name = String(required=True, validate=Length(1, 200))
    phone = String(required=True, validate=Length(1, 40))


class ApplicationIn(Schema):
    cooperative_id = Integer(load_default=None)  # organisers only; a cooperative applies for itself
    stall_type = String(load_default="standard", validate=OneOf(STALL_TYPES))
    needs = List(String(validate=OneOf(NEEDS)), load_default=list)
    products = String(required=True, validate=Length(1, 2000))
    representatives = List(Nested(RepresentativeIn), required=True, validate=Length(1, 3))


class BadgeBatchIn(Schema):
    site = String(required=True, allow_none=True, validate=Length(1, 80))  # null: every site
    layout = String(load_default="a6", validate=OneOf(("a6", "sheet")))
    badges = List(Integer(), load_default=list, validate=Length(0, 5000))  # reprints only


APPLICATION = {
    "id": "integer",
    "cooperative_id": "integer",
    "cooperative": "string?",
    "edition": "string",
    "site": "string",
    "stall_type": "string",
    "needs": ["string"],
    "products": "string?",
    "representatives": ["any"],
    "status": "string",
    "reason": "string?",
    "stall": "string?",
    "created_at": "string?",
    "decided_at": "string?",
}
BADGE = {
    "id": "integer",
    "edition": "string",
    "site": "string",
    "person": "string?",
    "role": "string?",
    "cooperative": "string?",
    "stall": "string?",
    "code": "string",
    "token_id": "string",
    "pdf_url": "string",
    "revoked": "boolean",
    "revoked_at": "string?",
}
STALL = {
    "id": "integer",
    "code": "string",
    "x_m": "number",
    "y_m": "number",
    "width_m": "number",
    "depth_m": "number",
    "zone": "string?",
    "type": "string?",
    "amenities": ["any"],
    "pinned": "boolean?",
    "cooperative": "string?",
    "cooperative_id": "integer?",
}


class DecisionIn(Schema):
    decision = String(required=True, validate=OneOf(("approved", "waitlisted", "rejected")))
    reason = String(load_default="", validate=Length(0, 500))


def badge_json(badge):
    return {
        "id": badge.id,
        "edition": badge.edition.slug,
        "site": badge.site.slug,
        "person": badge.person_name,
        "role": badge.role,
        "cooperative": badge.cooperative.name_latin,
        "stall": badge.stall.code if badge.stall else None,
        "code": badge.code,
        "token_id": badge.token_id,
        "pdf_url": url_for("booths_api.my_badge_pdf", badge_id=badge.id, _external=True),
        "revoked": badge.revoked,
        "revoked_at": iso_utc(badge.revoked_at),
    }


def application_json(application):
    return {
        "id": application.id,
        "cooperative_id": application.cooperative_id,
        "cooperative": application.cooperative.name_latin,
        "edition": application.site.edition.slug,
        "site": application.site.slug,
        "stall_type": application.stall_type,
        "needs": list(application.needs),
        "products": application.products,
        "representatives": list(application.representatives),
        "status": application.status,
        "reason": application.reason,
        "stall": application.stall.code if application.stall else None,
        "created_at": iso_utc(application.created_at),
        "decided_at": iso_utc(application.decided_at),
    }


def stall_json(stall):
    application = stall.application
    return {
        "id": stall.id,
        "code": stall.code,
        "x_m": stall.x_m,
        "y_m": stall.y_m,
        "width_m": stall.width_m,
        "depth_m": stall.depth_m,
        "zone": stall.zone,
        "type": stall.stall_type,
        "amenities": list(stall.amenities),
        "pinned": stall.pinned,
        "cooperative": application.cooperative.name_latin if application else None,
        "cooperative_id": application.cooperative_id if application else None,
    }


@api.get("/me/badges")
@api_roles("cooperative")
@api.doc(
    summary="The caller's cooperative's badges",
    responses=answers(200, {"badges": [BADGE]}, 401, 403),
)
def my_badges():
    cooperative = cooperative_of(bearer_user())
    badges = (
        db.session.query(Badge)
        .filter(Badge.cooperative_id == cooperative.id)
        .options(
            db.joinedload(Badge.edition),
            db.joinedload(Badge.site),
            db.joinedload(Badge.stall),
            db.joinedload(Badge.cooperative),
        )
        .order_by(Badge.edition_id.desc(), Badge.site_id, Badge.id)
        .all()
    )
    return {"badges": [badge_json(badge) for badge in badges]}


@api.post("/editions/<slug>/badge-batches")
@api_roles("organiser")
@api.input(BadgeBatchIn)
@api.doc(
    summary="Print every valid badge of a site (or these reprints) as one PDF, in the background",
    responses=answers(202, JOB, 400, 401, 403, 404, 422),
)
def create_badge_batch(slug, json_data):
    edition = get_edition(slug)
    site = get_site(edition, json_data["site"]) if json_data["site"] else None
    layout = "sheet" if json_data["layout"] == "sheet" else "single"
    job = services.request_badge_batch(
        site,
        layout,
        bearer_user(),
        json_data["badges"] or None,
        locale=current_language(),
        edition=edition,
    )
    return {"job": api_job_json(job)}, 202


@api.get("/me/badges/<int:badge_id>.pdf")
@api_roles("cooperative")
@api.doc(
    summary="One of the caller's badges as a PDF (A6)", responses=answers(200, PDF, 401, 403, 404)
)
def my_badge_pdf(badge_id):
    badge = services.get_badge(badge_id)
    check_badge_access(badge, bearer_user())
    if badge.revoked:
        raise NotFound(_("This badge was revoked; print its replacement."), code="revoked")
    return pdf_response(
        services.badges_pdf([badge]), download_name(_("Badge"), badge.person_name, extension="pdf")
    )


@api.get("/me/applications")
@api_roles("cooperative")
@api.doc(
    summary="The caller's cooperative's stall applications and decisions",
    responses=answers(200, {"applications": [APPLICATION]}, 401, 403),
)
def my_applications():
    cooperative = cooperative_of(bearer_user())
    return {
        "applications": [
            application_json(application)
            for application in services.cooperative_applications(cooperative)
        ]
    }


@api.post("/editions/<slug>/sites/<site_slug>/applications")
@api_roles("cooperative", "organiser")
@api.input(ApplicationIn, arg_name="body")
@api.doc(
    summary="Apply for a stall (a cooperative for itself, an organiser for a cooperative)",
    responses=answers(201, {"application": APPLICATION}, 400, 401, 403, 404, 409, 422),
)
def apply(slug, site_slug, body):
    user = bearer_user()
    site = get_site(get_edition(slug), site_slug)
    cooperative = services.acting_cooperative(user, existing_id(body["cooperative_id"]))
    application = services.apply_for_stall(cooperative, site, body, user)
    return {"application": application_json(application)}, 201


@api.post("/applications/<int:application_id>/decision")
@api_roles("organiser")
@api.input(DecisionIn, arg_name="body")
@api.doc(
    summary="Approve, waitlist or reject an application",
    responses=answers(200, {"application": APPLICATION}, 401, 403, 404, 422),
)
def decide(application_id, body):
    application = services.get_application(application_id)
    services.decide_application(application, body["decision"], body["reason"], bearer_user())
    return {"application": application_json(application)}


@api.get("/editions/<slug>/sites/<site_slug>/stalls")
@api_roles("organiser", "volunteer")
@api.doc(
    summary="The site's floor plan: ground size and stalls",
    responses=answers(
        200,
        {
            "edition": "string",
            "site": "string",
            "name": "string?",
            "ground": "object?",
            "stalls": [STALL],
        },
        401,
        403,
        404,
    ),
)
def site_stalls(slug, site_slug):
    edition = get_edition(slug)
    site = get_site(edition, site_slug)
    plan = services.get_floor_plan(site)
    return {
        "edition": edition.slug,
        "site": site.slug,
        "name": localized(site.names),
        "ground": {"width_m": plan.width_m, "depth_m": plan.depth_m, "aisle_m": plan.aisle_m}
        if plan
        else None,
        "stalls": [stall_json(stall) for stall in services.site_stalls(site)],
    }


@api.post("/editions/<slug>/sites/<site_slug>/allocation")
@api_roles("organiser")
@api.doc(
    summary="Allocate the site's stalls to approved applications",
    responses=answers(
        200,
        {
            "placed": "integer",
            "kept": "integer",
            "waitlisted": [{"application": "integer", "reason": "string?"}],
        },
        401,
        403,
        404,
    ),
)
def allocate(slug, site_slug):
    site = get_site(get_edition(slug), site_slug)
    result = services.allocate_stalls(site, bearer_user())
    return {
        "placed": len(result.assignments),
        "kept": len(result.kept),
        "waitlisted": [
            {"application": application_id, "reason": reason}
            for application_id, reason in sorted(result.waitlist.items())
        ],
    }


@api.get("/editions/<slug>/booths")
@api_roles("organiser")
@api.doc(
    summary="Booth figures of an edition (applicants, admitted, stall area by province)",
    responses=answers(
        200,
        {
            "applicants": "integer",
            "admitted": "integer",
            "stall_area_m2": "number",
            "site_area_m2": "integer",
            "stalls": "integer",
            "stalls_empty": "integer",
            "by_province": "object",
            "admitted_cooperative_ids": ["integer"],
            "by_site": "any",
        },
        401,
        403,
        404,
    ),
)
def booth_figures(slug):
    return services.edition_booth_figures(get_edition(slug))
