"""Exhibitor badges: the site's list, PDFs (A6 per person, A4 print sheets), revoke, reissue."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths import bp, services
from booths.forms import ActionForm, ReissueForm
from booths.services.badges import check_badge_access
from core.access import roles_required
from core.confirm import confirmation_needed, confirmed_reason
from core.downloads import download_name
from core.errors import DomainError, RuleBroken
from core.i18n import current_language, localized
from core.pdf import pdf_response
from core.views import search_words
from markets.services import load_edition_site

PAGE_SIZE = 50  # badges a page (a national salon's site has more than a thousand)


def layout_arg():
    return "sheet" if request.args.get("layout") == "sheet" else "single"


@bp.get("/editions/<slug>/sites/<site_slug>/badges")
@roles_required("organiser")
def site_badges_page(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    search = search_words()
    page = services.site_badges_query(site, include_revoked=True, search=search).paginate(
        per_page=PAGE_SIZE, error_out=False
    )
    return render_template(
        "booths/badges.html",
        edition=edition,
        site=site,
        search=search,
        page=page,
        action_form=ActionForm(),
        reissue_form=ReissueForm(),
    )


@bp.post("/editions/<slug>/sites/<site_slug>/badges/issue")
@roles_required("organiser")
def issue_site_badges(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    if ActionForm().validate_on_submit():
        badges = services.issue_site_badges(site, current_user)
        flash(_("%(count)d badges issued.", count=len(badges)), "success")
    return redirect(url_for("booths.site_badges_page", slug=slug, site_slug=site_slug))


@bp.get("/editions/<slug>/sites/<site_slug>/badges.pdf")
@roles_required("organiser")
def site_badges_pdf(slug, site_slug):
    edition, site = load_edition_site(slug, site_slug)
    pdf = services.badges_pdf(services.site_badges(site), layout=layout_arg())
    return pdf_response(
        pdf,
        download_name(
            _("Badges"), localized(site.names), localized(edition.names), extension="pdf"
        ),
    )


@bp.post("/editions/<slug>/sites/<site_slug>/badges/batch")
@roles_required("organiser")
def site_badges_batch(slug, site_slug):
    """Print the site's badges in the background; the job page shows the progress."""
    edition, site = load_edition_site(slug, site_slug)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("booths.site_badges_page", slug=slug, site_slug=site_slug))
    try:
        job = services.request_badge_batch(
            site, request.form.get("layout", "single"), current_user, locale=current_language()
        )
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("booths.site_badges_page", slug=slug, site_slug=site_slug))
    return redirect(url_for("jobs.job_page", job_id=job.id))


@bp.get("/badges/<int:badge_id>.pdf")
@roles_required("organiser", "cooperative")
def badge_pdf(badge_id):
    badge = services.get_badge(badge_id)
    check_badge_access(badge, current_user)
    if badge.revoked:
        raise RuleBroken(_("This badge was revoked; print its replacement."), code="revoked")
    return pdf_response(
        services.badges_pdf([badge]), download_name(_("Badge"), badge.person_name, extension="pdf")
    )


@bp.post("/badges/<int:badge_id>/revoke")
@roles_required("organiser")
def revoke_badge(badge_id):
    badge = services.get_badge(badge_id)
    if ActionForm().validate_on_submit():
        page = confirmation_needed(
            _("Revoke the badge of %(name)s?", name=badge.person_name),
            _("This badge will read revoked at every gate; a new one must be printed."),
            reason_required=True,
            undo=_("To undo, reissue the badge: the new one gets a new code."),
            cancel_url=site_badges_url(badge),
            button=_("Revoke the badge"),
        )
        if page:
            return page
        try:
            services.revoke_badge(badge, current_user, confirmed_reason())
            flash(_("Badge revoked: its code now scans as revoked."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect_to_site_badges(badge)


@bp.post("/badges/<int:badge_id>/reissue")
@roles_required("organiser")
def reissue_badge(badge_id):
    badge = services.get_badge(badge_id)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            services.reissue_badge(
                badge,
                current_user,
                person_name=form.person_name.data or None,
                person_phone=form.person_phone.data or None,
            )
            flash(_("New badge issued; the old code now scans as revoked."), "success")
        except DomainError as error:
            flash(error.message, "error")
    return redirect_to_site_badges(badge)


@bp.post("/my/badges/<int:badge_id>/name")
@roles_required("cooperative")
def rename_my_badge(badge_id):
    """A cooperative puts another member's name on one of its badges (a new badge is made)."""
    badge = services.get_badge(badge_id)
    check_badge_access(badge, current_user)
    name = (request.form.get("person_name") or "").strip()[:200]
    if not name:
        flash(_("Give the name to print on the badge."), "error")
        return redirect(url_for("booths.my_cooperative"))
    page = confirmation_needed(
        _("Put %(name)s on this badge?", name=name),
        _(
            "The badge of %(old)s will read revoked at every gate; print the new one.",
            old=badge.person_name,
        ),
        cancel_url=url_for("booths.my_cooperative"),
    )
    if page:
        return page
    try:
        services.reissue_badge(badge, current_user, person_name=name)
        flash(_("New badge ready: download and print it."), "success")
    except DomainError as error:
        flash(error.message, "error")
    return redirect(url_for("booths.my_cooperative"))


def site_badges_url(badge):
    return url_for("booths.site_badges_page", slug=badge.edition.slug, site_slug=badge.site.slug)


def redirect_to_site_badges(badge):
    return redirect(site_badges_url(badge))
