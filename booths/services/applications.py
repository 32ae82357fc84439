"""Stall applications: a cooperative applies to a site; organisers decide."""

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from accounts.activity import record_activity
from accounts.messaging import page_link
from booths.models import APPLICATION_STATUSES, NEEDS, STALL_TYPES, Application, Cooperative, Stall
from booths.services.badges import issue_badges, revoke_application_badges
from booths.services.notices import tell_cooperative
from booths.services.registry import PHONE_PATTERN, cooperative_matches, get_cooperative
from core.errors import Conflict, Forbidden, NotFound, RuleBroken
from core.extensions import db
from core.timeutil import utc_now
from markets.models import Site

MAX_REPRESENTATIVES = 3
DECISIONS = ("approved", "waitlisted", "rejected")


def get_application(application_id):
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_("No such application."), code="unknown_application")
    return application


def check_may_act_for(cooperative, actor):
    """Organisers act for any cooperative; a cooperative user only for its own."""
    if actor is None:
        raise Forbidden(_("Sign in to do this."))
    if actor.role == "organiser":
        return
    if actor.role == "cooperative" and actor.cooperative_id == cooperative.id:
        return
    raise Forbidden(_("You may only act for your own cooperative."))


def acting_cooperative(actor, cooperative_id=None):
    """The cooperative an application is made for: the organiser names it, a cooperative user
    acts for its own (naming another one is refused)."""

    if actor is not None and actor.role == "organiser":
        if cooperative_id is None:
            raise Forbidden(
                _("Choose the cooperative."), code="cooperative_required", field="cooperative_id"
            )
        return get_cooperative(cooperative_id)
    if actor is None or actor.role != "cooperative" or actor.cooperative_id is None:
        raise Forbidden(_("Only a cooperative account can see this."))
    if cooperative_id not in (None, actor.cooperative_id):
        raise Forbidden(_("You may only act for your own cooperative."))
    return actor.cooperative


def check_site_takes_applications(site, now=None):
    if not site.edition.takes_applications:
        raise RuleBroken(
            _("This edition does not take applications."), code="edition_not_published"
        )
    if (now or utc_now()) >= site.first_opening:
        raise RuleBroken(
            _("Applications to this site closed when it opened."), code="applications_closed"
        )


def application_refusal(site, now=None):
    """Why the site cannot take an application now (the DomainError), or None when it can:
    pages offer the application form only when sending it can succeed."""
    try:
        check_site_takes_applications(site, now)
    except RuleBroken as error:
        return error
    return None


def clean_representatives(representatives):
    people = []
    for person in representatives or []:
        name = (person.get("name") or "").strip()
        phone = (person.get("phone") or "").strip()
        if not name and not phone:
            continue
        if not name or len(name) > 200:
            raise RuleBroken(_("Give each representative's name."), field="representatives")
        if not PHONE_PATTERN.match(phone):
            raise RuleBroken(
                _("Give a phone number for %(name)s, e.g. 0612345678.", name=name),
                field="representatives",
            )
        people.append({"name": name, "phone": phone})
    if not 1 <= len(people) <= MAX_REPRESENTATIVES:
        raise RuleBroken(
            _("Name between 1 and %(count)d representatives.", count=MAX_REPRESENTATIVES),
            field="representatives",
        )
    return people


def clean_application_values(values):
    stall_type = values.get("stall_type") or "standard"
    if stall_type not in STALL_TYPES:
        raise RuleBroken(_("Unknown stall type."), field="stall_type")
    needs = list(dict.fromkeys(values.get("needs") or []))
    unknown = [need for need in needs if need not in NEEDS]
    if unknown:
        raise RuleBroken(_("Unknown need: %(needs)s.", needs=", ".join(unknown)), field="needs")
    products = (values.get("products") or "").strip()
    if not products:
        raise RuleBroken(_("Say which products you will sell."), field="products")
    return {
        "stall_type": stall_type,
        "needs": [need for need in NEEDS if need in needs],
        "products": products,
        "representatives": clean_representatives(values.get("representatives")),
    }


def apply_for_stall(cooperative, site, values, actor, now=None):
    """A cooperative's application to one site (once per site, before the site opens)."""
    check_may_act_for(cooperative, actor)
    if cooperative.agreement_status == "suspended":
        raise Forbidden(
            _("A suspended cooperative cannot apply for a stall."), code="cooperative_suspended"
        )
    check_site_takes_applications(site, now)
    values = clean_application_values(values)
    if (
        db.session.query(Application.id)
        .filter_by(cooperative_id=cooperative.id, site_id=site.id)
        .first()
    ):
        raise Conflict(_("This cooperative already applied to this site."), code="already_applied")
    application = Application(cooperative=cooperative, site=site, status="pending", **values)
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError as error:
        raise Conflict(
            _("This cooperative already applied to this site."), code="already_applied"
        ) from error
    return application


def update_application(application, values, actor, now=None):
    """Change a pending application (its cooperative, before the site opens)."""
    check_may_act_for(application.cooperative, actor)
    if application.status != "pending":
        raise RuleBroken(
            _("Only a pending application can be changed."), code="application_decided"
        )
    check_site_takes_applications(application.site, now)
    for key, value in clean_application_values(values).items():
        setattr(application, key, value)
    db.session.flush()
    return application


def decide_application(application, decision, reason, actor):
    """Approve, waitlist or reject; a waitlist or a rejection says why."""
    if decision not in DECISIONS:
        raise RuleBroken(_("Unknown decision."), field="decision")
    reason = (reason or "").strip()
    if decision != "approved" and not reason:
        raise RuleBroken(_("Give the cooperative a reason."), field="reason")
    locked = db.session.query(Application).filter_by(id=application.id).with_for_update().one()
    if locked.site.edition.is_closed:
        raise Forbidden(_("A closed edition can no longer be changed."))
    if decision != "approved":
        release_application(locked, actor, reason)
    locked.status = decision
    locked.reason = reason
    locked.decided_at = utc_now()
    locked.decided_by_id = actor.id
    locked.waitlisted_by_allocation = False
    db.session.flush()
    if decision == "approved":
        issue_badges(locked, actor)
    record_activity(
        actor,
        "application.decision",
        locked,
        label=locked.cooperative.name_latin,
        reason=reason,
        edition_id=locked.site.edition_id,
        decision=decision,
    )
    tell_cooperative(
        "application_decision",
        locked.cooperative,
        {
            "decision": decision,
            "site": locked.site,
            "note": reason,
            "link": page_link("booths.my_cooperative"),
        },
        edition_id=locked.site.edition_id,
    )
    return locked


def release_application(application, actor, reason=""):
    """Free the application's stall and revoke its badges (it no longer exhibits)."""

    db.session.query(Stall).filter_by(application_id=application.id).update(
        {"application_id": None, "pinned": False}, synchronize_session="fetch"
    )
    db.session.expire(application, ["stall"])
    revoke_application_badges(application, actor, reason or "application withdrawn")


def list_applications(edition, site=None, status=None, cooperative=None, search=None):
    query = (
        db.session.query(Application)
        .join(Site, Application.site_id == Site.id)
        .filter(Site.edition_id == edition.id)
    )
    if search and search.strip():
        query = query.join(Cooperative, Application.cooperative_id == Cooperative.id).filter(
            cooperative_matches(search)
        )
    if site is not None:
        query = query.filter(Application.site_id == site.id)
    if status in APPLICATION_STATUSES:
        query = query.filter(Application.status == status)
    if cooperative is not None:
        query = query.filter(Application.cooperative_id == cooperative.id)
    return query.order_by(Site.opens_on, Site.slug, Application.created_at, Application.id)


def cooperative_applications(cooperative):
    return (
        db.session.query(Application)
        .filter_by(cooperative_id=cooperative.id)
        .order_by(Application.created_at.desc(), Application.id.desc())
        .all()
    )


def application_status_label(status):
    labels = {
        "pending": _("pending"),
        "approved": _("approved"),
        "waitlisted": _("waitlisted"),
        "rejected": _("rejected"),
    }
    return labels.get(status, status)
