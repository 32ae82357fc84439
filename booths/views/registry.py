"""The cooperative registry: public registration, list and filters, review, CSV in and out."""

import uuid

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import User
from booths import bp, services
from booths.forms import (
    ActionForm,
    AgreementForm,
    CooperativeForm,
    ImportConfirmForm,
    ImportForm,
    RegistrationForm,
    RegistryFilterForm,
)
from booths.import_jobs import KIND
from booths.models import COOPERATIVE_FILE_COLUMNS, COOPERATIVE_FORM_FIELDS
from booths.services.registry import (
    AGREEMENT_MOVES,
    cooperative_export_rows,
)
from core.access import roles_required
from core.csvio import csv_response
from core.downloads import download_name
from core.errors import DomainError, RuleBroken
from core.extensions import db, limiter
from core.i18n import current_language, localized
from core.import_jobs import is_large, start_import, start_preview, store_upload
from core.views import copy_error_to_form
from markets import gazetteer, territory
from markets.services import get_edition, list_editions

PAGE_SIZE = 50


def cooperative_values(form):
    values = {name: getattr(form, name).data for name in COOPERATIVE_FORM_FIELDS}
    return values | {"chosen_province": form.province_code.data}


def city_names():
    return [place.name for place in gazetteer.places()]


def render_cooperative_form(template, form, **context):
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, cities=city_names(), **context), status


def public_form_limit():
    return current_app.config["PUBLIC_FORM_LIMIT"]


@bp.route("/cooperatives/register", methods=["GET", "POST"])
@limiter.limit(public_form_limit, methods=["POST"])
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            cooperative = services.register_cooperative(cooperative_values(form), actor=None)
            return render_template("booths/registered.html", cooperative=cooperative)
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_cooperative_form("booths/register.html", form)


def registry_filters():
    form = RegistryFilterForm(request.args)
    form.province.choices = {"": [("", "—")]} | dict(territory.province_choices(current_language()))
    form.edition.choices = [("", "—")] + [
        (e.slug, localized(e.names) or e.slug) for e in list_editions()
    ]
    edition = get_edition(form.edition.data) if form.edition.data else None
    query = services.search_cooperatives(
        text=form.q.data,
        sector=form.sector.data or None,
        province=form.province.data or None,
        status=form.status.data or None,
        edition=edition,
    )
    return form, query


@bp.get("/cooperatives")
@roles_required("organiser")
def registry():
    form, query = registry_filters()
    page = query.paginate(per_page=PAGE_SIZE, error_out=False)
    return render_template("booths/registry.html", form=form, page=page)


@bp.get("/cooperatives.csv")
@roles_required("organiser")
def registry_csv():
    _form, query = registry_filters()
    return csv_response(
        download_name(_("Cooperatives"), extension="csv"),
        COOPERATIVE_FILE_COLUMNS,
        cooperative_export_rows(query.all()),
    )


@bp.route("/cooperatives/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_cooperative():
    form = CooperativeForm()
    if form.validate_on_submit():
        try:
            cooperative = services.register_cooperative(cooperative_values(form), current_user)
            flash(_("Cooperative registered."), "success")
            return redirect(url_for("booths.cooperative", cooperative_id=cooperative.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_cooperative_form("booths/cooperative_form.html", form, cooperative=None)


@bp.get("/cooperatives/<int:cooperative_id>")
@roles_required("organiser")
def cooperative(cooperative_id):
    cooperative = services.get_cooperative(cooperative_id)
    return render_template(
        "booths/cooperative.html",
        cooperative=cooperative,
        agreement_form=agreement_form_for(cooperative),
        action_form=ActionForm(),
        applications=services.cooperative_applications(cooperative),
        badges=services.cooperative_badges(cooperative),
        accounts=db.session.query(User).filter_by(cooperative_id=cooperative.id).all(),
    )


def agreement_form_for(cooperative):
    """The review form offers only the moves the workflow allows from the current status."""
    form = AgreementForm()
    allowed = AGREEMENT_MOVES.get(cooperative.agreement_status, set())
    form.status.choices = [(code, label) for code, label in form.status.choices if code in allowed]
    return form


@bp.route("/cooperatives/<int:cooperative_id>/edit", methods=["GET", "POST"])
@roles_required("organiser")
def edit_cooperative(cooperative_id):
    cooperative = services.get_cooperative(cooperative_id)
    form = CooperativeForm(obj=cooperative)
    if form.validate_on_submit():
        try:
            services.update_cooperative(cooperative, cooperative_values(form), current_user)
            flash(_("Saved."), "success")
            return redirect(url_for("booths.cooperative", cooperative_id=cooperative.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_cooperative_form("booths/cooperative_form.html", form, cooperative=cooperative)


@bp.post("/cooperatives/<int:cooperative_id>/agreement")
@roles_required("organiser")
def change_agreement(cooperative_id):
    cooperative = services.get_cooperative(cooperative_id)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            account = services.change_agreement_status(
                cooperative, form.status.data, current_user, form.note.data
            )
            flash(_("The agreement status was changed."), "success")
            flash_new_account(account)
        except DomainError as error:
            flash(error.message, "error")
    return redirect(url_for("booths.cooperative", cooperative_id=cooperative.id))


@bp.post("/cooperatives/<int:cooperative_id>/account")
@roles_required("organiser")
def create_account(cooperative_id):
    cooperative = services.get_cooperative(cooperative_id)
    if ActionForm().validate_on_submit():
        if cooperative.agreement_status != "signed":
            flash(_("Only a cooperative with a signed agreement gets an account."), "error")
        else:
            flash_new_account(services.ensure_cooperative_account(cooperative))
    return redirect(url_for("booths.cooperative", cooperative_id=cooperative.id))


def flash_new_account(account):
    if account:
        username, password = account
        flash(
            _(
                "Account created: username %(username)s, password %(password)s. "
                "Give them to the cooperative now; the password is not shown again.",
                username=username,
                password=password,
            ),
            "warning",
        )


@bp.route("/cooperatives/import", methods=["GET", "POST"])
@roles_required("organiser")
def import_cooperatives():
    """Upload: a small file is previewed here, a large one by a job (its page offers the import)."""
    form = ImportForm()
    preview = error = None
    confirm_form = ImportConfirmForm()
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            if is_large(raw):
                job = start_preview(
                    KIND, current_user, None, raw, current_language(), "booths.confirm_import"
                )
                return redirect(url_for("jobs.job_page", job_id=job.id))
            preview = services.preview_import(raw)
            confirm_form = ImportConfirmForm(
                upload=store_upload(raw, current_user), once=uuid.uuid4().hex
            )
        except DomainError as domain_error:
            error = domain_error.message
    status = 422 if error or form.errors else 200
    return render_template(
        "booths/import.html",
        form=form,
        preview=preview,
        error=error,
        confirm_form=confirm_form,
    ), status


@bp.post("/cooperatives/import/confirm")
@roles_required("organiser")
def confirm_import():
    """The import runs as a job; the same confirmation posted twice finds the same job."""
    form = ImportConfirmForm()
    try:
        if not form.validate_on_submit():
            raise RuleBroken(_("Upload the file again."), code="bad_upload")
        job = start_import(
            KIND, current_user, None, form.upload.data, form.once.data, current_language()
        )
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("booths.import_cooperatives"))
    return redirect(url_for("jobs.job_page", job_id=job.id))
