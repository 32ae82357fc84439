"""Payout pages: due, due-soon, overdue and paid payouts; marking paid; statements; imports."""

import uuid
from datetime import datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import roles_required
from core.csvio import csv_response
from core.downloads import download_name
from core.errors import DomainError, RuleBroken
from core.i18n import current_language, localized
from core.import_jobs import is_large, start_import, start_preview, store_upload
from core.pdf import pdf_response, render_pdf
from core.timeutil import local_to_utc_naive, utc_now
from core.views import copy_error_to_form
from markets.services import get_edition
from store import bp, services
from store.forms import ImportForm, MarkPaidForm
from store.import_jobs import KIND as SALES_IMPORT
from store.services.imports import check_edition, import_refusal, preview_sales_import
from store.services.payouts import (
    TRANSFER_HEADER,
    payout_lines,
    payout_totals,
    payouts_query,
    transfer_rows,
    transfers_without_bank_account,
)

PAGE_SIZE = 50  # payouts a page (a national salon has about ten thousand)


def payouts_page(edition, form=None, status=200):
    chosen = request.args.get("status") or None
    return render_template(
        "store/payouts.html",
        edition=edition,
        chosen=chosen,
        form=form or MarkPaidForm(),
        page=payouts_query(edition, chosen).paginate(per_page=PAGE_SIZE, error_out=False),
        totals=payout_totals(edition),
        now=utc_now(),
        payout_status=services.payout_status,
        without_rib=transfers_without_bank_account(edition),
    ), status


@bp.get("/store/editions/<slug>/payouts")
@roles_required("organiser")
def payouts(slug):
    return payouts_page(get_edition(slug))


@bp.post("/store/payouts/<int:payout_id>/paid")
@roles_required("organiser")
def mark_paid(payout_id):
    payout = services.get_payout(payout_id, current_user)
    form = MarkPaidForm()
    if form.validate_on_submit():
        moment = datetime.combine(form.paid_on.data, form.paid_time.data or time(12, 0))
        try:
            services.mark_payout_paid(
                payout, local_to_utc_naive(moment), form.reference.data, current_user
            )
            flash(_("Payout marked paid."), "success")
            return redirect(url_for("store.payouts", slug=payout.edition.slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")
    for message in form.form_errors:
        flash(message, "error")
    return payouts_page(payout.edition, form, status=422)


@bp.get("/store/payouts/<int:payout_id>/statement.pdf")
@roles_required("organiser", "cooperative")
def statement(payout_id):
    payout = services.get_payout(payout_id, current_user)
    pdf = render_pdf(
        "pdf/store_statement.html",
        payout=payout,
        lines=payout_lines(payout),
        status=services.payout_status(payout),
        generated_at=utc_now(),
    )
    return pdf_response(
        pdf,
        download_name(
            _("Statement"),
            payout.cooperative.name_latin,
            localized(payout.edition.names),
            extension="pdf",
        ),
    )


@bp.get("/store/editions/<slug>/payouts.csv")
@roles_required("organiser")
def payouts_csv(slug):
    """A bank transfer sheet of the unpaid payouts, earliest due first."""
    edition = get_edition(slug)
    rows = transfer_rows(edition)
    return csv_response(
        download_name(_("Bank transfer"), localized(edition.names), extension="csv"),
        TRANSFER_HEADER,
        rows,
    )


def posted_file(form):
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        raise RuleBroken(_("Choose a CSV file."), field="file", code="no_file")
    return upload.read()


@bp.route("/store/editions/<slug>/import", methods=["GET", "POST"])
@roles_required("organiser")
def import_sales(slug):
    """A small file is previewed here, a large one by a job; the import itself is a job,
    once per preview (store/import_jobs.py)."""
    edition = get_edition(slug)
    form = ImportForm()
    preview, upload, once, status = None, None, None, 200
    if form.validate_on_submit():
        try:
            if request.values.get("confirm"):
                job = start_import(
                    SALES_IMPORT,
                    current_user,
                    edition,
                    request.form.get("upload"),
                    request.form.get("once"),
                    current_language(),
                )
                return redirect(url_for("jobs.job_page", job_id=job.id))
            raw = posted_file(form)
            if is_large(raw):
                check_edition(edition)
                job = start_preview(
                    SALES_IMPORT,
                    current_user,
                    edition,
                    raw,
                    current_language(),
                    "store.import_sales",
                    {"slug": edition.slug, "confirm": 1},
                )
                return redirect(url_for("jobs.job_page", job_id=job.id))
            preview = preview_sales_import(edition, raw, current_user)
            upload, once = store_upload(raw, current_user), uuid.uuid4().hex
            status = 200 if preview.importable else 422
        except DomainError as error:
            copy_error_to_form(form, error)
            status = 422
    return render_template(
        "store/import.html",
        edition=edition,
        form=form,
        preview=preview,
        upload=upload,
        once=once,
        refusal=import_refusal(edition),
    ), status
