"""Point of sale: the till page, receipts (80 mm page and PDF), refunds, voids and till closes."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.views import field_page_token
from core.access import roles_required
from core.errors import DomainError, NotFound
from core.extensions import db
from core.pdf import pdf_response, render_pdf
from core.timeutil import to_local, utc_now
from core.views import copy_error_to_form
from markets.models import Edition
from store import bp, services
from store.forms import RefundForm, TillCloseForm, VoidForm
from store.models import Sale
from store.services.sales import refundable_quantities
from store.services.tills import get_till_close, register_day_summary, registers_of, till_closes
from store.views.common import edition_and_site, mad_field, posted_quantities

RECEIPT_LANGUAGES = ("ar", "fr", "zgh")


@bp.get("/store/pos")
@roles_required("cashier", "organiser")
def cashier_home():
    editions = db.session.query(Edition).filter(Edition.takes_field_work).all()
    return render_template("store/cashier_home.html", editions=editions)


@bp.get("/store/editions/<slug>/sites/<site_slug>/pos")
@roles_required("cashier", "organiser")
def pos(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    token, expires_at = field_page_token()
    # The visitors feature serves the shared field service worker (offline reloads of the page).
    worker = "visitors.field_worker"
    response = render_template(
        "store/pos.html",
        edition=edition,
        site=site,
        api_token=token,
        token_expires_at=expires_at,
        register=request.args.get("register", "till-1")[:40],
        service_worker_url=url_for(worker) if worker in current_app.view_functions else "",
    )
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/store/editions/<slug>/sites/<site_slug>/sales")
@roles_required("cashier", "organiser")
def site_sales(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    sales = (
        db.session.query(Sale)
        .filter(Sale.site_id == site.id)
        .order_by(Sale.sold_at.desc())
        .limit(200)
        .all()
    )
    return render_template("store/sales.html", edition=edition, site=site, sales=sales)


def sale_page(sale, refund_form=None, void_form=None, status=200):
    return render_template(
        "store/sale.html",
        sale=sale,
        refund_form=refund_form or RefundForm(),
        void_form=void_form or VoidForm(),
        refundable=refundable_quantities(sale),
    ), status


@bp.get("/store/sales/<int:sale_id>")
@roles_required("cashier", "organiser")
def sale(sale_id):
    return sale_page(services.get_sale(sale_id, current_user))


@bp.post("/store/sales/<int:sale_id>/refund")
@roles_required("cashier", "organiser")
def refund(sale_id):
    sale = services.get_sale(sale_id, current_user)
    form = RefundForm()
    if form.validate_on_submit():
        try:
            quantities = posted_quantities(request.form, "refund-")
            services.refund_sale(
                sale, quantities, form.reason.data, current_user, restock=form.restock.data
            )
            flash(_("Refund recorded."), "success")
            return redirect(url_for("store.sale", sale_id=sale.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return sale_page(sale, refund_form=form, status=422)


@bp.post("/store/sales/<int:sale_id>/void")
@roles_required("cashier", "organiser")
def void(sale_id):
    sale = services.get_sale(sale_id, current_user)
    form = VoidForm()
    if form.validate_on_submit():
        try:
            services.void_sale(sale, form.reason.data, current_user)
            flash(_("Sale voided."), "success")
            return redirect(url_for("store.sale", sale_id=sale.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return sale_page(sale, void_form=form, status=422)


def receipt_sale(client_id):
    sale = db.session.query(Sale).filter(Sale.client_id == client_id).one_or_none()
    if sale is None:
        raise NotFound(_("No such sale."), code="unknown_sale")
    return sale


def receipt_language():
    language = request.args.get("lang", "fr")
    return language if language in RECEIPT_LANGUAGES else "fr"


@bp.get("/store/receipts/<client_id>")
@roles_required("cashier", "organiser")
def receipt(client_id):
    sale = receipt_sale(client_id)
    language = receipt_language()
    with force_locale(language):
        return render_template(
            "store/receipt.html",
            sale=sale,
            language=language,
            direction="rtl" if language == "ar" else "ltr",
        )


@bp.get("/store/receipts/<client_id>.pdf")
@roles_required("cashier", "organiser")
def receipt_pdf(client_id):
    sale = receipt_sale(client_id)
    language = receipt_language()
    with force_locale(language):
        pdf = render_pdf(
            "pdf/store_receipt.html",
            sale=sale,
            language=language,
            direction="rtl" if language == "ar" else "ltr",
        )
    return pdf_response(pdf, f"receipt-{sale.id}-{language}.pdf")


@bp.route("/store/editions/<slug>/sites/<site_slug>/tills", methods=["GET", "POST"])
@roles_required("cashier", "organiser")
def tills(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    form = TillCloseForm()
    if request.method == "GET":
        form.day.data = to_local(utc_now()).date()
        form.register.data = request.args.get("register", "till-1")
    if form.validate_on_submit():
        counted = mad_field(form, "counted_cash")
        if counted is not None:
            try:
                close = services.close_till(
                    site,
                    form.register.data,
                    form.day.data,
                    counted,
                    form.comment.data,
                    current_user,
                )
                flash(_("Till closed."), "success")
                return redirect(url_for("store.z_report", close_id=close.id))
            except DomainError as error:
                copy_error_to_form(form, error)
    summary = None
    if form.register.data and form.day.data:
        summary = register_day_summary(site, form.register.data.strip(), form.day.data)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "store/tills.html",
        edition=edition,
        site=site,
        form=form,
        summary=summary,
        closes=till_closes(site),
        registers=registers_of(site),
    ), status


@bp.get("/store/tills/<int:close_id>/z.pdf")
@roles_required("cashier", "organiser")
def z_report(close_id):
    close = get_till_close(close_id, current_user)
    pdf = render_pdf("pdf/store_z_report.html", close=close)
    return pdf_response(pdf, f"z-report-{close.register}-{close.day.isoformat()}.pdf")
