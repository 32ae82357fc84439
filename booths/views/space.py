"""The cooperative's own space: profile, applications and decisions, stall, badges."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from booths import bp, services
from booths.models import Application, Stall
from core.access import cooperative_of, roles_required
from core.downloads import download_name
from core.errors import NotFound
from core.extensions import db
from core.pdf import pdf_response
from core.timeutil import utc_now
from markets.models import Edition, Site


def open_sites(cooperative):
    """Sites the cooperative may still apply to (the form's own rule) and has not applied to."""
    applied = db.session.query(Application.site_id).filter_by(cooperative_id=cooperative.id)
    candidates = (
        db.session.query(Site)
        .join(Edition, Site.edition_id == Edition.id)
        .filter(Edition.takes_applications, Site.id.not_in(applied))
        .order_by(Site.opens_on, Site.slug)
        .all()
    )
    now = utc_now()
    return [site for site in candidates if site.takes_applications_at(now)]


def stall_plans(applications):
    """For each placed application: its site's plan and stalls, to draw where the stall is."""
    plans = []
    for application in applications:
        if application.stall is None:
            continue
        site = application.site
        stalls = db.session.query(Stall).filter_by(site_id=site.id).order_by(Stall.code).all()
        plans.append(
            {
                "application": application,
                "site": site,
                "plan": services.get_floor_plan(site),
                "stalls": stalls,
            }
        )
    return plans


@bp.get("/my/cooperative")
@roles_required("cooperative")
def my_cooperative():
    cooperative = cooperative_of(current_user)
    applications = services.cooperative_applications(cooperative)
    return render_template(
        "booths/my_cooperative.html",
        cooperative=cooperative,
        applications=applications,
        plans=stall_plans(applications),
        badges=services.cooperative_badges(cooperative),
        open_sites=[(site, services.application_refusal(site)) for site in open_sites(cooperative)],
    )


@bp.get("/my/badges.pdf")
@roles_required("cooperative")
def my_badges_pdf():
    """All the cooperative's valid badges, or those of one site (?site=<id>)."""
    cooperative = cooperative_of(current_user)
    badges = services.cooperative_badges(cooperative, include_revoked=False)
    site_id = request.args.get("site", type=int)
    if site_id is not None:
        badges = [badge for badge in badges if badge.site_id == site_id]
        if not badges:
            raise NotFound(_("No badge for this site."))
    layout = "sheet" if request.args.get("layout") == "sheet" else "single"
    return pdf_response(
        services.badges_pdf(badges, layout=layout),
        download_name(_("Badges"), cooperative.name_latin, extension="pdf"),
    )
