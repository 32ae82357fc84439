"""Stall applications: applying (a cooperative or an organiser for it) and deciding."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths import bp, services
from booths.forms import ApplicationForm, DecisionForm
from booths.models import APPLICATION_STATUSES, Application, Cooperative
from core.access import roles_required
from core.errors import DomainError
from core.extensions import db
from core.views import copy_error_to_form, return_url, search_words
from markets.services import get_edition, get_site, load_edition_site

PAGE_SIZE = 50  # applications a page (a national salon has more than 640 exhibitors)


@bp.get("/editions/<slug>/applications")
@roles_required("organiser")
def edition_applications(slug):
    edition = get_edition(slug)
    site = get_site(edition, request.args["site"]) if request.args.get("site") else None
    status = (
        request.args.get("status") if request.args.get("status") in APPLICATION_STATUSES else None
    )
    search = search_words()
    page = (
        services.list_applications(edition, site=site, status=status, search=search)
        .options(
            db.joinedload(Application.cooperative),
            db.joinedload(Application.site),
            db.joinedload(Application.stall),
        )
        .paginate(per_page=PAGE_SIZE, error_out=False)
    )
    return render_template(
        "booths/applications.html",
        edition=edition,
        site=site,
        status=status,
        search=search,
        page=page,
        figures=services.edition_booth_figures(edition),
        decision_form=DecisionForm(),
    )


@bp.post("/applications/<int:application_id>/decision")
@roles_required("organiser")
def decide(application_id):
    application = services.get_application(application_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide_application(
                application, form.decision.data, form.reason.data, current_user
            )
            flash(
                _(
                    "%(cooperative)s: application %(status)s.",
                    cooperative=application.cooperative.name_latin,
                    status=services.applications.application_status_label(application.status),
                ),
                "success",
            )
        except DomainError as error:
            flash(error.message, "error")
    edition = application.site.edition
    return redirect(return_url(url_for("booths.edition_applications", slug=edition.slug)))


def cooperative_choices():
    rows = (
        db.session.query(Cooperative.id, Cooperative.name_latin, Cooperative.registration_number)
        .filter(Cooperative.agreement_status != "suspended")
        .order_by(Cooperative.name_latin)
        .all()
    )
    return [(str(id_), f"{name} ({number})") for id_, name, number in rows]


@bp.route("/editions/<slug>/sites/<site_slug>/apply", methods=["GET", "POST"])
@roles_required("organiser", "cooperative")
def apply(slug, site_slug):
    """A cooperative applies for itself; an organiser picks the cooperative it applies for."""
    edition, site = load_edition_site(slug, site_slug)
    form = ApplicationForm()
    organiser = current_user.role == "organiser"
    refusal = services.application_refusal(site)
    if refusal is not None:
        return render_template(
            "booths/apply.html",
            edition=edition,
            site=site,
            refusal=refusal,
            opening=site.first_opening,
        ), 409 if request.method == "POST" else 200
    if organiser:
        form.cooperative_id.choices = cooperative_choices()
    if form.validate_on_submit():
        try:
            # The cooperative field is the organiser's; a cooperative applies for itself.
            chosen = (form.cooperative_id.data or "") if organiser else ""
            cooperative = services.acting_cooperative(
                current_user, int(chosen) if chosen.isdigit() else None
            )
            services.apply_for_stall(cooperative, site, form.values(), current_user)
            flash(_("Application sent. The organisers will decide soon."), "success")
            if organiser:
                return redirect(url_for("booths.edition_applications", slug=edition.slug))
            return redirect(url_for("booths.my_cooperative"))
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "booths/apply.html",
        form=form,
        edition=edition,
        site=site,
        organiser=organiser,
        opening=site.first_opening,
    ), status


def fill_application_form(form, application):
    """Pre-fill the application form with what the cooperative asked for."""
    form.stall_type.data = application.stall_type
    form.needs.data = list(application.needs)
    form.products.data = application.products
    for number, person in enumerate(application.representatives[:3], start=1):
        getattr(form, f"representative_{number}_name").data = person.get("name", "")
        getattr(form, f"representative_{number}_phone").data = person.get("phone", "")


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@roles_required("organiser", "cooperative")
def edit_application(application_id):
    """Change a pending application (its cooperative, or an organiser on its behalf)."""
    application = services.get_application(application_id)
    services.check_may_act_for(application.cooperative, current_user)
    site = application.site
    form = ApplicationForm()
    if request.method == "GET":
        fill_application_form(form, application)
    if form.validate_on_submit():
        try:
            services.update_application(application, form.values(), current_user)
            flash(_("Application updated."), "success")
            if current_user.role == "organiser":
                return redirect(url_for("booths.edition_applications", slug=site.edition.slug))
            return redirect(url_for("booths.my_cooperative"))
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "booths/apply.html",
        form=form,
        edition=site.edition,
        site=site,
        organiser=False,
        application=application,
    ), status
