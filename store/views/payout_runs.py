"""Payout run pages: build a run (preview), post it once, its bank file, the bank statement's
reconciliation, and the cooperative's choice of RIB or mobile wallet."""

import base64
import binascii
from datetime import datetime, time

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths.models import Cooperative
from core.access import cooperative_of, roles_required
from core.csvio import csv_response
from core.downloads import download_name
from core.errors import DomainError, RuleBroken
from core.extensions import db
from core.i18n import localized
from core.money import parse_mad, plain_amount
from core.timeutil import local_to_utc_naive, to_local, utc_now
from core.views import copy_error_to_form
from markets.services import get_edition
from store import bp
from store.forms import BuildRunForm, PayeeForm, PostRunForm, StatementForm
from store.payout_models import Payee
from store.services.payout_runs import (
    LEFT_OUT_LABELS,
    PAYEE_LABELS,
    TRANSFER_FILE_HEADER,
    build_payout_run,
    get_payout_run,
    list_payout_runs,
    payee_of,
    post_payout_run,
    run_lines,
    set_payee,
    transfer_file_rows,
)
from store.services.reconciliation import confirm_reconciliation, reconcile_statement

DEFAULT_MINIMUM = 5000  # 50.00 MAD unless PAYOUT_MINIMUM_CENTIMES says otherwise


def flash_form_errors(form):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")


@bp.route("/store/editions/<slug>/payout-runs", methods=["GET", "POST"])
@roles_required("organiser")
def payout_runs(slug):
    edition = get_edition(slug)
    form = BuildRunForm()
    if request.method == "GET":
        form.up_to.data = to_local(utc_now()).date()
        minimum = current_app.config.get("PAYOUT_MINIMUM_CENTIMES", DEFAULT_MINIMUM)
        form.minimum.data = plain_amount(minimum)
    status = 200
    if form.validate_on_submit():
        try:
            run = build_payout_run(
                edition, form.up_to.data, minimum_of(form.minimum.data), current_user
            )
            return redirect(url_for("store.payout_run", run_id=run.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    if request.method == "POST":
        status = 422
    return render_template(
        "store/payout_runs.html", edition=edition, form=form, runs=list_payout_runs(edition)
    ), status


def minimum_of(text):
    try:
        return parse_mad(text)
    except ValueError:
        raise RuleBroken(
            _("The minimum must be an amount in MAD, such as 50 or 50.00."),
            field="minimum",
            code="bad_minimum",
        ) from None


def run_page(run, form=None, status=200):
    cooperatives = {
        coop.id: coop
        for coop in db.session.query(Cooperative).filter(
            Cooperative.id.in_([item["cooperative_id"] for item in run.left_out])
        )
    }
    return render_template(
        "store/payout_run.html",
        run=run,
        edition=run.edition,
        form=form or PostRunForm(),
        lines_of=run_lines,
        left_out=[(cooperatives[item["cooperative_id"]], item) for item in run.left_out],
        payee_labels=PAYEE_LABELS,
        left_out_labels=LEFT_OUT_LABELS,
    ), status


@bp.get("/store/payout-runs/<int:run_id>")
@roles_required("organiser")
def payout_run(run_id):
    return run_page(get_payout_run(run_id, current_user))


@bp.post("/store/payout-runs/<int:run_id>/post")
@roles_required("organiser")
def post_run(run_id):
    run = get_payout_run(run_id, current_user)
    form = PostRunForm()
    if form.validate_on_submit():
        moment = datetime.combine(form.paid_on.data, form.paid_time.data or noon_or_now(form))
        try:
            run, replayed = post_payout_run(
                run, local_to_utc_naive(moment), form.reference.data, current_user
            )
            if replayed:
                flash(_("This run was already posted: nothing was paid twice."), "warning")
            else:
                flash(_("Run posted: its payouts are paid and the cooperatives told."), "success")
            return redirect(url_for("store.payout_run", run_id=run.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    flash_form_errors(form)
    for message in form.form_errors:
        flash(message, "error")
    return run_page(run, form, status=422)


def noon_or_now(form):
    """A payment date without a time: noon, or now when posted on the morning of that day."""
    now = to_local(utc_now()).replace(tzinfo=None)
    return min(time(12, 0), now.time()) if form.paid_on.data == now.date() else time(12, 0)


@bp.get("/store/payout-runs/<int:run_id>/transfers.csv")
@roles_required("organiser")
def run_transfer_file(run_id):
    run = get_payout_run(run_id, current_user)
    return csv_response(
        download_name(
            _("Bank transfers"), localized(run.edition.names), str(run.id), extension="csv"
        ),
        TRANSFER_FILE_HEADER,
        transfer_file_rows(run),
    )


def statement_bytes(form):
    if request.form.get("content"):
        try:
            return base64.b64decode(request.form["content"], validate=True)
        except (binascii.Error, ValueError):
            raise RuleBroken(_("The file could not be read."), code="bad_file") from None
    upload = form.file.data
    if not upload or not getattr(upload, "filename", ""):
        raise RuleBroken(_("Choose a CSV file."), field="file", code="no_file")
    return upload.read()


def posted_choices():
    """{statement line number: transfer id} from the radio buttons of the lines to choose."""
    choices = {}
    for key, value in request.form.items():
        if key.startswith("choice-") and key[7:].isdigit() and value.isdigit():
            choices[int(key[7:])] = int(value)
    return choices


@bp.route("/store/editions/<slug>/bank-statement", methods=["GET", "POST"])
@roles_required("organiser")
def bank_statement(slug):
    edition = get_edition(slug)
    form = StatementForm()
    result, content, status = None, None, 200
    if form.validate_on_submit():
        try:
            raw = statement_bytes(form)
            if request.form.get("confirm"):
                done = confirm_reconciliation(edition, raw, posted_choices(), current_user)
                flash(_("%(count)d transfers reconciled.", count=done), "success")
                return redirect(url_for("store.bank_statement", slug=edition.slug))
            result = reconcile_statement(edition, raw)
            content = base64.b64encode(raw).decode()
        except DomainError as error:
            copy_error_to_form(form, error)
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template(
        "store/payout_statement.html",
        edition=edition,
        form=form,
        result=result,
        content=content,
    ), status


@bp.route("/store/me/payee", methods=["GET", "POST"])
@roles_required("cooperative")
def my_payee():
    cooperative = cooperative_of(current_user)
    payee = db.session.get(Payee, cooperative.id)
    form = PayeeForm()
    if request.method == "GET" and payee is not None:
        form.method.data, form.wallet_phone.data = payee.method, payee.wallet_phone
    status = 200
    if form.validate_on_submit():
        try:
            set_payee(cooperative, form.method.data, form.wallet_phone.data, current_user)
            flash(_("Saved: this is where your next payouts go."), "success")
            return redirect(url_for("store.my_payee"))
        except DomainError as error:
            copy_error_to_form(form, error)
    if request.method == "POST":
        status = 422
    return render_template(
        "store/payout_payee.html",
        cooperative=cooperative,
        form=form,
        current=payee_of(cooperative),
        payee_labels=PAYEE_LABELS,
    ), status
