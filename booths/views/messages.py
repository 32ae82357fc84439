"""Messages from the organisers to many cooperatives: an edition's exhibitors, or the registry's
cooperatives by agreement status. Writing is here; sending is a job (booths/jobs.py)."""

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField

from booths import bp
from booths.labels import AGREEMENT_LABELS
from booths.services.bulk_messages import (
    MAX_BODY,
    MAX_SUBJECT,
    exhibitor_ids,
    registry_ids,
    send_bulk_message,
)
from core.access import roles_required
from core.errors import DomainError
from core.i18n import current_language, localized
from core.views import copy_error_to_form
from markets.services import get_edition, get_site


class BulkMessageForm(FlaskForm):
    audience = SelectField(_l("To"), choices=[], validate_choice=False)
    subject = StringField(_l("Subject"), render_kw={"maxlength": MAX_SUBJECT})
    body = TextAreaField(_l("Message"), render_kw={"rows": 8, "maxlength": MAX_BODY})
    subject_ar = StringField(
        _l("Subject in Arabic (optional)"), render_kw={"maxlength": MAX_SUBJECT, "dir": "rtl"}
    )
    body_ar = TextAreaField(
        _l("Message in Arabic (optional)"),
        render_kw={"rows": 8, "maxlength": MAX_BODY, "dir": "rtl", "lang": "ar"},
    )


def write_and_send(form, **audience):
    """On a valid POST, queue the job (once the request commits) and go to its page."""
    if form.validate_on_submit():
        try:
            job = send_bulk_message(form.data, current_user, current_language(), **audience)
            return redirect(url_for("jobs.job_page", job_id=job.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return None


@bp.route("/editions/<slug>/messages", methods=["GET", "POST"])
@roles_required("organiser")
def edition_message(slug):
    edition = get_edition(slug)
    form = BulkMessageForm()
    form.audience.choices = [("", _l("The exhibitors of every site"))] + [
        (site.slug, localized(site.names) or site.city) for site in edition.sites
    ]
    site = get_site(edition, form.audience.data) if form.audience.data else None
    sent = write_and_send(form, edition=edition, site=site)
    if sent is not None:
        return sent
    counts = {
        choice: len(exhibitor_ids(edition, get_site(edition, choice) if choice else None))
        for choice, _label in form.audience.choices
    }
    return render_template(
        "booths/bulk_message.html", form=form, edition=edition, counts=counts
    ), 422 if form.errors or request.method == "POST" else 200


@bp.route("/cooperatives/messages", methods=["GET", "POST"])
@roles_required("organiser")
def registry_message():
    form = BulkMessageForm()
    form.audience.choices = [("", _l("Every cooperative of the registry"))] + [
        (status, label) for status, label in AGREEMENT_LABELS.items()
    ]
    sent = write_and_send(form, agreement_status=form.audience.data or None)
    if sent is not None:
        return sent
    counts = {choice: len(registry_ids(choice or None)) for choice, _label in form.audience.choices}
    return render_template(
        "booths/bulk_message.html", form=form, edition=None, counts=counts
    ), 422 if form.errors or request.method == "POST" else 200
