"""Till shifts: open with a counted float, cash in and out, close or hand over with a count per
denomination; the organiser's view of the open tills and their running totals."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.models import User
from core.access import roles_required
from core.errors import DomainError
from core.extensions import db
from core.views import copy_error_to_form
from store import bp
from store.forms import CashMovementForm, CloseShiftForm, OpenShiftForm, TillForm
from store.models import DENOMINATIONS
from store.services import shifts as shift_services
from store.views.common import edition_and_site, mad_field

LANGUAGES = ("ar", "fr", "en", "es")


def shift_page(edition, site, till, forms=None, status=200):
    shift = shift_services.open_shift_of(till)
    forms = forms or {}
    close_form = forms.get("close") or CloseShiftForm()
    close_form.next_cashier.choices = [(0, _("Nobody: close the till"))] + [
        (user.id, user.username)
        for user in db.session.query(User)
        .filter(User.role.in_(("cashier", "organiser")), User.active.is_(True))
        .order_by(User.username)
        .limit(200)
    ]
    return render_template(
        "store/shifts.html",
        edition=edition,
        site=site,
        till=till,
        tills=shift_services.tills_of(site),
        shift=shift,
        figures=shift_services.shift_figures(shift) if shift else None,
        open_form=forms.get("open") or OpenShiftForm(),
        movement_form=forms.get("movement") or CashMovementForm(),
        close_form=close_form,
        denominations=DENOMINATIONS,
        open_shifts=shift_services.open_shifts(site) if current_user.role == "organiser" else [],
        till_form=forms.get("till") or TillForm(),
    ), status


def till_of(site):
    return shift_services.ensure_till(site, request.args.get("till", "till-1"))


@bp.get("/store/editions/<slug>/sites/<site_slug>/shifts")
@roles_required("cashier", "organiser")
def shifts(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    return shift_page(edition, site, till_of(site))


@bp.post("/store/editions/<slug>/sites/<site_slug>/shifts/open")
@roles_required("cashier", "organiser")
def open_shift(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    till, form = till_of(site), OpenShiftForm()
    if form.validate_on_submit():
        amount = mad_field(form, "float_cash")
        if amount is not None:
            try:
                shift_services.open_shift(till, amount, current_user)
                flash(_("Till opened."), "success")
                return redirect(
                    url_for("store.shifts", slug=slug, site_slug=site_slug, till=till.code)
                )
            except DomainError as error:
                copy_error_to_form(form, error)
    return shift_page(edition, site, till, {"open": form}, 422)


@bp.post("/store/editions/<slug>/sites/<site_slug>/shifts/<int:shift_id>/cash")
@roles_required("cashier", "organiser")
def cash_movement(slug, site_slug, shift_id):
    edition, site = edition_and_site(slug, site_slug)
    shift = shift_services.get_shift(shift_id, current_user)
    form = CashMovementForm()
    if form.validate_on_submit():
        amount = mad_field(form, "amount")
        if amount is not None:
            try:
                shift_services.record_cash_movement(
                    shift, form.kind.data, amount, form.reason.data, current_user
                )
                flash(_("Cash movement recorded."), "success")
                return redirect(
                    url_for("store.shifts", slug=slug, site_slug=site_slug, till=shift.till.code)
                )
            except DomainError as error:
                copy_error_to_form(form, error)
    return shift_page(edition, site, shift.till, {"movement": form}, 422)


def posted_counts(form_data):
    counts = {}
    for denomination in DENOMINATIONS:
        value = (form_data.get(f"count-{denomination}") or "").strip()
        counts[denomination] = int(value) if value.isdigit() else (0 if not value else -1)
    return counts


@bp.post("/store/editions/<slug>/sites/<site_slug>/shifts/<int:shift_id>/close")
@roles_required("cashier", "organiser")
def close_shift(slug, site_slug, shift_id):
    edition, site = edition_and_site(slug, site_slug)
    shift = shift_services.get_shift(shift_id, current_user)
    form = CloseShiftForm()
    form.next_cashier.choices = []
    if form.validate_on_submit():
        try:
            counts = posted_counts(request.form)
            if form.next_cashier.data:
                next_cashier = db.session.get(User, form.next_cashier.data)
                shift_services.hand_over(
                    shift, counts, form.comment.data, current_user, next_cashier
                )
                flash(_("Till handed over."), "success")
            else:
                shift_services.close_shift(shift, counts, form.comment.data, current_user)
                flash(_("Shift closed."), "success")
            return redirect(
                url_for("store.shifts", slug=slug, site_slug=site_slug, till=shift.till.code)
            )
        except DomainError as error:
            copy_error_to_form(form, error)
    return shift_page(edition, site, shift.till, {"close": form}, 422)


@bp.post("/store/editions/<slug>/sites/<site_slug>/tills/new")
@roles_required("organiser")
def add_till(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    form = TillForm()
    if form.validate_on_submit():
        names = {language: getattr(form, f"name_{language}").data for language in LANGUAGES}
        try:
            till = shift_services.create_till(site, names, current_user)
            flash(_("Till added."), "success")
            return redirect(url_for("store.shifts", slug=slug, site_slug=site_slug, till=till.code))
        except DomainError as error:
            copy_error_to_form(form, error)
    return shift_page(edition, site, till_of(site), {"till": form}, 422)
