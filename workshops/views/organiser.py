"""The organiser's pages: the programme editor, registrations and waiting list, attendance
with walk-ins, certificates, survey results, the message outbox and the reports."""

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from booths.models import Cooperative
from core.access import roles_required
from core.confirm import confirmation_needed
from core.downloads import download_name
from core.errors import DomainError, NotFound
from core.extensions import db
from core.i18n import localized
from core.jobs_views import launch_job
from core.menu import add_edition_link
from core.pdf import pdf_response
from core.timeutil import local_to_utc_naive, show_datetime, to_local
from core.views import copy_error_to_form
from markets.services import get_edition
from workshops import bp, documents, services
from workshops.forms import (
    LANGUAGE_LABELS,
    ActionForm,
    WalkInForm,
    WithdrawCertificateForm,
    WorkshopForm,
    collect_translations,
    fill_translations,
    parse_speakers,
    speakers_text,
)
from workshops.models import Attendance, Message, Registration
from workshops.services.feedback import feedback_for_workshop
from workshops.services.registration import outbox, registrations_of

add_edition_link("workshops.manage", _l("Workshops"), order=60)
add_edition_link("workshops.outbox_page", _l("Workshop messages"), order=61)


@bp.get("/editions/<slug>/workshops/manage")
@roles_required("organiser")
def manage(slug):
    edition = get_edition(slug)
    rows = services.workshop_report_rows(edition)
    pending = len(outbox(edition, pending_only=True))
    return render_template("workshops/manage.html", edition=edition, rows=rows, pending=pending)


def room_rows(site):
    """The rows the rooms form posted for one site: [{"code", "names", "remove"}]."""
    rows = []
    for index in range(int(request.form.get(f"count-{site.id}", 0) or 0) + 1):
        prefix = f"room-{site.id}-{index}"
        rows.append(
            {
                "code": request.form.get(f"{prefix}-code") or None,
                "names": {
                    code: request.form.get(f"{prefix}-{code}", "") for code in LANGUAGE_LABELS
                },
                "remove": bool(request.form.get(f"{prefix}-remove")),
            }
        )
    return rows


@bp.route("/editions/<slug>/workshops/rooms", methods=["GET", "POST"])
@roles_required("organiser")
def rooms_page(slug):
    """The rooms and tents of each site, named in every language (their codes stay internal)."""
    edition = get_edition(slug)
    form = FlaskForm()
    error = None
    if form.validate_on_submit():
        try:
            for site in edition.sites:
                services.update_rooms(site, room_rows(site), current_user)
        except DomainError as problem:
            db.session.rollback()
            error = problem.message
        else:
            flash(_("Rooms saved."), "success")
            return redirect(url_for("workshops.rooms_page", slug=edition.slug))
    sites = [(site, services.site_rooms(site)) for site in edition.sites]
    return render_template(
        "workshops/rooms.html",
        edition=edition,
        form=form,
        sites=sites,
        languages=LANGUAGE_LABELS,
        error=error,
    ), (422 if error else 200)


def workshop_form(edition, workshop=None):
    form = WorkshopForm(obj=workshop)
    form.site.choices = [(site.slug, localized(site.names) or site.city) for site in edition.sites]
    form.room.choices = room_choices(edition)
    if workshop is not None and request.method == "GET":
        form.room.data = str(workshop.room_id)
        fill_translations(form, "title", workshop.titles)
        fill_translations(form, "description", workshop.descriptions)
        form.site.data = workshop.site.slug
        start, end = to_local(workshop.starts_at), to_local(workshop.ends_at)
        form.day.data, form.start_time.data, form.end_time.data = (
            start.date(),
            start.time(),
            end.time(),
        )
        form.speakers.data = speakers_text(workshop.speakers)
    return form


def room_choices(edition):
    """{site name: [(room id, room name)]}: the select shows each site's rooms in a group,
    named in the reader's language."""
    return {
        localized(site.names) or site.city: [
            (str(room.id), room.name) for room in services.site_rooms(site)
        ]
        for site in edition.sites
    }


def workshop_values(edition, form):
    return {
        "site": edition.site(form.site.data),
        "titles": collect_translations(form, "title"),
        "descriptions": collect_translations(form, "description"),
        "topic": form.topic.data,
        "format": form.format.data,
        "audience": form.audience.data,
        "room": services.edition_room(edition, form.room.data),
        "capacity": form.capacity.data,
        "starts_at": local_to_utc_naive(datetime.combine(form.day.data, form.start_time.data)),
        "ends_at": local_to_utc_naive(datetime.combine(form.day.data, form.end_time.data)),
        "speakers": parse_speakers(form.speakers.data),
    }


@bp.route("/editions/<slug>/workshops/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_workshop(slug):
    edition = get_edition(slug)
    form = workshop_form(edition)
    if form.validate_on_submit():
        try:
            workshop = services.create_workshop(
                edition, workshop_values(edition, form), current_user
            )
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("Workshop added to the programme."), "success")
            return redirect(url_for("workshops.attendance_page", workshop_id=workshop.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "workshops/workshop_form.html", form=form, edition=edition, workshop=None
    ), status


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@roles_required("organiser")
def edit_workshop(workshop_id):
    workshop = services.get_workshop(workshop_id)
    edition = workshop.edition
    form = workshop_form(edition, workshop)
    if form.validate_on_submit():
        try:
            promoted_before = db.session.query(Message).filter_by(workshop_id=workshop.id).count()
            services.update_workshop(workshop, workshop_values(edition, form), current_user)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(_("Workshop saved."), "success")
            if (
                db.session.query(Message).filter_by(workshop_id=workshop.id).count()
                > promoted_before
            ):
                flash(
                    _("People from the waiting list got a seat: see the messages to send."),
                    "warning",
                )
            return redirect(url_for("workshops.attendance_page", workshop_id=workshop.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "workshops/workshop_form.html", form=form, edition=edition, workshop=workshop
    ), status


@bp.post("/workshops/<int:workshop_id>/delete")
@roles_required("organiser")
def delete_workshop(workshop_id):
    workshop = services.get_workshop(workshop_id)
    slug = workshop.edition.slug
    if ActionForm().validate_on_submit():
        services.delete_workshop(workshop, current_user)
        flash(_("Workshop removed from the programme."), "success")
    return redirect(url_for("workshops.manage", slug=slug))


def walk_in_form(workshop, present_ids):
    form = WalkInForm()
    waiting = [r for r in registrations_of(workshop) if r.id not in present_ids]
    form.registration.choices = [("", "—")] + [
        (str(r.id), f"{r.person_name} ({r.phone})") for r in waiting
    ]
    cooperatives = db.session.execute(
        select(Cooperative.id, Cooperative.name_latin).order_by(Cooperative.name_latin)
    ).all()
    form.cooperative.choices = [("", "—")] + [(str(i), name) for i, name in cooperatives]
    return form


@bp.get("/workshops/<int:workshop_id>/attendance")
@roles_required("organiser")
def attendance_page(workshop_id, form=None, status=200):
    workshop = services.get_workshop(workshop_id)
    attendances = services.attendance_list(workshop)
    present = {a.registration_id for a in attendances if a.registration_id}
    return render_template(
        "workshops/attendance.html",
        workshop=workshop,
        registrations=registrations_of(workshop, ("registered", "waitlisted", "cancelled")),
        attendances=attendances,
        present=present,
        form=form or walk_in_form(workshop, present),
        action_form=ActionForm(),
        withdraw_form=WithdrawCertificateForm(),
        withdrawals=services.withdrawals_for_workshop(workshop),
        feedback=feedback_for_workshop(workshop),
    ), status


def chosen_row(model, value):
    value = (value or "").strip()
    return db.session.get(model, int(value)) if value.isdigit() else None


@bp.post("/workshops/<int:workshop_id>/walk-ins")
@roles_required("organiser")
def add_walk_in(workshop_id):
    workshop = services.get_workshop(workshop_id)
    present = {a.registration_id for a in services.attendance_list(workshop) if a.registration_id}
    form = walk_in_form(workshop, present)
    if form.validate_on_submit():
        registration = chosen_row(Registration, form.registration.data)
        cooperative = chosen_row(Cooperative, form.cooperative.data)
        values = {
            "registration": registration,
            "person_name": form.person_name.data,
            "cooperative": cooperative,
            "gender": form.gender.data or None,
            "under_35": {"yes": True, "no": False}.get(form.under_35.data),
        }
        try:
            attendance = services.add_walk_in(workshop, values, current_user)
        except DomainError as error:
            copy_error_to_form(form, error)
        else:
            flash(
                _("%(name)s added to the attendance list.", name=attendance.person_name), "success"
            )
            return redirect(url_for("workshops.attendance_page", workshop_id=workshop.id))
    return attendance_page(workshop_id, form=form, status=422)


@bp.post("/workshops/registrations/<int:registration_id>/cancel")
@roles_required("organiser", "cooperative")
def cancel_registration(registration_id):
    registration = db.session.get(Registration, registration_id)
    organiser = current_user.role == "organiser"
    if registration is None or not (
        organiser or registration.cooperative_id == current_user.cooperative_id
    ):
        raise NotFound(_("No such registration."), code="unknown_registration")
    if ActionForm().validate_on_submit():
        try:
            promoted = services.cancel_registration(
                registration, current_user, by="organiser" if organiser else "cooperative"
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(_("Registration cancelled."), "success")
            for other in promoted:
                flash(
                    _("%(name)s moves up from the waiting list.", name=other.person_name), "warning"
                )
    if organiser:
        return redirect(url_for("workshops.attendance_page", workshop_id=registration.workshop_id))
    return redirect(url_for("workshops.cooperative_page", slug=registration.workshop.edition.slug))


@bp.get("/workshops/<int:workshop_id>/certificates.pdf")
@roles_required("organiser")
def workshop_certificates(workshop_id):
    workshop = services.get_workshop(workshop_id)
    certificates = services.certificates_for_workshop(workshop)
    return pdf_response(
        documents.certificates_pdf(certificates),
        download_name(_("Certificate of attendance"), localized(workshop.titles), extension="pdf"),
    )


@bp.post("/workshops/<int:workshop_id>/certificates/print")
@roles_required("organiser")
def workshop_certificates_job(workshop_id):
    """Every certificate of the workshop as one PDF, drawn in the background."""
    workshop = services.get_workshop(workshop_id)
    back = url_for("workshops.attendance_page", workshop_id=workshop.id)
    return launch_job("certificate_batch", workshop.edition, {"workshop_id": workshop.id}, back)


@bp.get("/workshops/attendance/<int:attendance_id>/certificate.pdf")
@roles_required("organiser")
def attendance_certificate(attendance_id):
    attendance = get_attendance(attendance_id)
    certificate = services.issuable_certificate(attendance)
    return pdf_response(
        documents.certificates_pdf([certificate]),
        download_name(_("Certificate of attendance"), attendance.person_name, extension="pdf"),
    )


@bp.post("/workshops/attendance/<int:attendance_id>/certificate/withdraw")
@roles_required("organiser")
def withdraw_certificate(attendance_id):
    attendance = get_attendance(attendance_id)
    form = WithdrawCertificateForm()
    if form.validate_on_submit():
        page = confirmation_needed(
            _("Withdraw the certificate of %(name)s?", name=attendance.person_name),
            _(
                "Its QR code will check as withdrawn for good; the person can no longer "
                "download it. This cannot be undone."
            ),
            reason_required=True,
            cancel_url=url_for("workshops.attendance_page", workshop_id=attendance.workshop_id),
            button=_("Withdraw the certificate"),
        )
        if page:
            return page
        try:
            services.withdraw_certificate(attendance, form.reason.data, current_user)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                _("The certificate of %(name)s was withdrawn.", name=attendance.person_name),
                "success",
            )
    else:
        flash(_("Say why the certificate is withdrawn."), "error")
    return redirect(url_for("workshops.attendance_page", workshop_id=attendance.workshop_id))


def get_attendance(attendance_id):
    attendance = db.session.get(Attendance, attendance_id)
    if attendance is None:
        raise NotFound(_("No such attendance."), code="unknown_attendance")
    return attendance


@bp.get("/editions/<slug>/workshops/outbox")
@roles_required("organiser")
def outbox_page(slug):
    edition = get_edition(slug)
    messages = outbox(edition)
    return render_template(
        "workshops/outbox.html",
        edition=edition,
        messages=[(message, message_text(message)) for message in messages],
        form=ActionForm(),
    )


def message_text(message):
    """The text to send, in the language the person used when the message was queued."""

    workshop = message.workshop
    link = url_for("workshops.my_registration", key=message.registration.key, _external=True)
    with force_locale(message.language):
        title = localized(workshop.titles, message.language)
        when = show_datetime(workshop.starts_at, "short")
        if message.kind == "promotion":
            return _(
                "Good news: a seat is free for you at the workshop «%(title)s» (%(when)s, %(room)s). Your registration: %(link)s",
                title=title,
                when=when,
                room=workshop.room,
                link=link,
            )
        return _(
            "Your registration for the workshop «%(title)s» (%(when)s) was cancelled by the organiser. %(link)s",
            title=title,
            when=when,
            link=link,
        )


@bp.post("/workshops/messages/<int:message_id>/sent")
@roles_required("organiser")
def mark_sent(message_id):
    message = db.session.get(Message, message_id)
    if message is None:
        raise NotFound(_("No such message."), code="unknown_message")
    if ActionForm().validate_on_submit():
        services.mark_message_sent(message, current_user)
    return redirect(url_for("workshops.outbox_page", slug=message.workshop.edition.slug))
