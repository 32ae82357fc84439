"""Public pages: programme, timetable (page, PDF, iCalendar), public registration, the person's
own page (status, news of a freed seat, cancellation, certificate), the survey, verification."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.downloads import content_disposition, download_name
from core.errors import DomainError
from core.extensions import db, limiter
from core.i18n import localized
from core.menu import add_site_link
from core.pdf import pdf_response
from core.timeutil import to_local
from core.views import copy_error_to_form
from workshops import bp, documents, services
from workshops.forms import ActionForm, FeedbackForm, VisitorForm
from workshops.models import Registration
from workshops.services.attendance import attendance_list
from workshops.services.certificates import certificate_for_registration
from workshops.services.feedback import get_attendance, has_answered
from workshops.services.programme import seats_taken
from workshops.views.common import (
    chosen_day,
    remember_registration,
    remembered_keys,
    visible_edition,
    visible_site,
    visible_workshop,
)

add_site_link("workshops.timetable", _l("Timetable"), order=60)


@bp.get("/editions/<slug>/workshops")
def programme(slug):
    edition = visible_edition(slug)
    workshops = services.list_workshops(edition)
    return render_template(
        "workshops/programme.html",
        edition=edition,
        workshops=workshops,
        seats=seats_taken([w.id for w in workshops]),
    )


@bp.get("/editions/<slug>/sites/<site_slug>/timetable")
def timetable(slug, site_slug):
    edition, site = visible_site(slug, site_slug)
    days = site.days
    busy_days = {to_local(w.starts_at).date() for w in services.list_workshops(edition, site=site)}
    day = chosen_day(days, busy_days)
    workshops = services.list_workshops(edition, site=site, day=day)
    grid = documents.timetable_grid(site, day, workshops, seats_taken([w.id for w in workshops]))
    return render_template(
        "workshops/timetable.html", edition=edition, site=site, days=days, day=day, grid=grid
    )


@bp.get("/editions/<slug>/sites/<site_slug>/timetable.pdf")
def timetable_pdf(slug, site_slug):
    edition, site = visible_site(slug, site_slug)
    days = site.days
    if request.args.get("day"):
        days = [chosen_day(days)]
    workshops = services.list_workshops(edition, site=site)
    pdf = documents.timetable_pdf(
        edition, site, days, workshops, seats_taken([w.id for w in workshops])
    )
    return pdf_response(
        pdf,
        download_name(
            _("Timetable"), localized(site.names), localized(edition.names), extension="pdf"
        ),
    )


def ics_response(body, filename):
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = content_disposition(filename, inline=True)
    return response


@bp.get("/editions/<slug>/workshops.ics")
def edition_calendar(slug):
    edition = visible_edition(slug)
    name = _("Workshops · %(edition)s", edition=localized(edition.names))
    body = documents.calendar_feed(edition, services.list_workshops(edition), name)
    return ics_response(
        body, download_name(_("Workshops"), localized(edition.names), extension="ics")
    )


@bp.get("/editions/<slug>/sites/<site_slug>/workshops.ics")
def site_calendar(slug, site_slug):
    edition, site = visible_site(slug, site_slug)
    name = _(
        "Workshops · %(edition)s · %(site)s",
        edition=localized(edition.names),
        site=localized(site.names) or site.city,
    )
    body = documents.calendar_feed(edition, services.list_workshops(edition, site=site), name)
    return ics_response(
        body,
        download_name(
            _("Workshops"), localized(site.names), localized(edition.names), extension="ics"
        ),
    )


@bp.get("/workshops/<int:workshop_id>")
def workshop_page(workshop_id):
    workshop = visible_workshop(workshop_id)
    return render_workshop(workshop, VisitorForm())


def render_workshop(workshop, form, status=200):
    taken = seats_taken([workshop.id]).get(workshop.id, 0)
    return render_template(
        "workshops/workshop.html",
        workshop=workshop,
        form=form,
        taken=taken,
        local_day=to_local(workshop.starts_at).date().isoformat(),
        is_coop=current_user.is_authenticated and current_user.role == "cooperative",
        refusal=services.registration_refusal(workshop),
    ), status


def public_form_limit():
    return current_app.config["PUBLIC_FORM_LIMIT"]


@bp.post("/workshops/<int:workshop_id>/register")
@limiter.limit(public_form_limit, methods=["POST"])
def register(workshop_id):
    workshop = visible_workshop(workshop_id)
    form = VisitorForm()
    if form.validate_on_submit():
        try:
            registration = services.register_visitor(
                workshop,
                {"person_name": form.person_name.data, "phone": form.phone.data},
                current_user if current_user.is_authenticated else None,
            )
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            remember_registration(registration)
            if registration.status == "registered":
                flash(_("You are registered. Keep this page: it is your registration."), "success")
            else:
                flash(
                    _(
                        "The workshop is full: you are on the waiting list. We will tell you here if a seat frees up."
                    ),
                    "warning",
                )
            return redirect(url_for("workshops.my_registration", key=registration.key))
    return render_workshop(workshop, form, 422)


@bp.get("/workshops/r/<key>")
def my_registration(key):
    registration = services.get_registration(key)
    news = registration.promotion_unseen
    services.seen_promotion(registration)
    remember_registration(registration)
    attendance = next(
        (a for a in attendance_list(registration.workshop) if a.registration_id == registration.id),
        None,
    )
    return render_template(
        "workshops/my_registration.html",
        registration=registration,
        workshop=registration.workshop,
        news=news,
        attendance=attendance,
        answered=attendance is not None and has_answered(attendance),
        form=ActionForm(),
    )


@bp.post("/workshops/r/<key>/cancel")
def cancel_my_registration(key):
    registration = services.get_registration(key)
    if ActionForm().validate_on_submit():
        services.cancel_registration(registration, None, by="person")
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("workshops.my_registration", key=key))


@bp.get("/workshops/r/<key>/certificate.pdf")
def my_certificate(key):
    registration = services.get_registration(key)
    certificate = certificate_for_registration(registration)
    return pdf_response(
        documents.certificates_pdf([certificate]), download_name(_("Certificate"), extension="pdf")
    )


@bp.get("/workshops/mine")
def my_workshops():
    keys = remembered_keys()
    registrations = (
        db.session.scalars(select(Registration).where(Registration.key.in_(keys))).all()
        if keys
        else []
    )
    registrations.sort(key=lambda r: r.workshop.starts_at)
    return render_template("workshops/mine.html", registrations=registrations)


@bp.route("/workshops/survey/<key>", methods=["GET", "POST"])
def survey(key):
    attendance = get_attendance(key)
    form = FeedbackForm()
    if has_answered(attendance):
        status = 409 if request.method == "POST" else 200
        return render_template("workshops/survey.html", attendance=attendance, form=None), status
    if form.validate_on_submit():
        try:
            services.submit_feedback(
                attendance,
                {
                    "rating": form.rating.data,
                    "useful": form.useful.data,
                    "improve": form.improve.data,
                },
            )
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("Thank you for your answers."), "success")
            return redirect(url_for("workshops.survey", key=key))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("workshops/survey.html", attendance=attendance, form=form), status


@bp.get("/certificates/verify")
def verify_certificate():
    certificate, verdict = services.verify_certificate(request.args.get("code", ""))
    return render_template("workshops/verify.html", certificate=certificate, verdict=verdict), (
        200 if verdict == "genuine" else 404 if certificate is None else 410
    )
