"""Stock pages: a site's consignment stock, handovers (deposits and returns), adjustments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths.models import Cooperative
from core.access import roles_required
from core.downloads import download_name
from core.errors import DomainError
from core.extensions import db
from core.i18n import current_language, localized
from core.pdf import pdf_response, render_pdf
from core.views import copy_error_to_form
from store import bp, services
from store.forms import AdjustmentForm, HandoverForm, StockFilterForm
from store.services.stock import get_deposit, handover_refusal, recent_movements
from store.views.common import edition_and_site, posted_quantities

PAGE_SIZE = 50  # products a page (a national salon's site holds thousands)


def stock_page(edition, site, adjustment_form=None, status=200):
    cooperatives = db.session.query(Cooperative).order_by(Cooperative.name_latin).all()
    language = current_language()
    filters = StockFilterForm(request.args)
    filters.cooperative.choices = [("", "—")] + [
        (str(c.id), c.display_name(language)) for c in cooperatives
    ]
    filters.validate()  # a wrong value filters nothing: the page still answers
    chosen = filters.cooperative.data or ""
    page = services.site_stock_query(
        site,
        cooperative_id=int(chosen) if chosen.isdigit() else None,
        state=None if filters.state.errors else filters.state.data,
        search=None if filters.q.errors else filters.q.data,
    ).paginate(per_page=PAGE_SIZE, error_out=False)
    adjustment_form = adjustment_form or AdjustmentForm()
    adjustment_form.product_id.choices = [
        (product.id, f"{product.sku} · {localized(product.names)}") for product, _q in page.items
    ]
    products, low = services.site_stock_counts(site)
    return render_template(
        "store/stock.html",
        edition=edition,
        site=site,
        page=page,
        filters=filters,
        products=products,
        low=low,
        adjustment_form=adjustment_form,
        cooperatives=cooperatives,
        movements=recent_movements(site, limit=30),
        handover_refusal=handover_refusal(site),
    ), status


@bp.get("/store/editions/<slug>/sites/<site_slug>/stock")
@roles_required("organiser", "cashier")
def site_stock(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    return stock_page(edition, site)


@bp.route("/store/editions/<slug>/sites/<site_slug>/handover", methods=["GET", "POST"])
@roles_required("organiser", "cashier")
def handover(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    cooperative = db.session.get(Cooperative, request.args.get("cooperative", type=int) or 0)
    if cooperative is None:
        abort(404)
    form = HandoverForm()
    form.cooperative_id.choices = [(cooperative.id, cooperative.name_latin)]
    products = services.list_products(cooperative)
    levels = {product.id: quantity for product, quantity in services.site_stock(site, cooperative)}
    if form.validate_on_submit():
        try:
            quantities = posted_quantities(request.form, "qty-")
            by_id = {product.id: product for product in products}
            items = [(by_id[pid], quantity) for pid, quantity in quantities.items() if pid in by_id]
            action = (
                services.deposit_products
                if form.kind.data == "deposit"
                else services.return_products
            )
            note = action(
                cooperative, site, items, form.handed_by.data, current_user, form.notes.data
            )
            flash(_("Recorded. Print the note for both sides to sign."), "success")
            return redirect(url_for("store.deposit_note", deposit_id=note.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "store/handover.html",
        edition=edition,
        site=site,
        form=form,
        cooperative=cooperative,
        products=products,
        refusal=handover_refusal(site),
        levels=levels,
    ), status


@bp.post("/store/editions/<slug>/sites/<site_slug>/adjust")
@roles_required("organiser")
def adjust(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    form = AdjustmentForm()
    if form.validate_on_submit():
        try:
            product = services.get_product(form.product_id.data)
            services.adjust_stock(
                product, site, form.quantity.data, form.reason.data, form.comment.data, current_user
            )
            flash(_("Stock adjusted."), "success")
            return redirect(url_for("store.site_stock", slug=slug, site_slug=site_slug))
        except DomainError as error:
            copy_error_to_form(form, error)
    return stock_page(edition, site, form, status=422)


@bp.get("/store/deposits/<int:deposit_id>")
@roles_required("organiser", "cashier", "cooperative")
def deposit_note(deposit_id):
    deposit = get_deposit(deposit_id, current_user)
    return render_template("store/deposit.html", deposit=deposit)


@bp.get("/store/deposits/<int:deposit_id>.pdf")
@roles_required("organiser", "cashier", "cooperative")
def deposit_pdf(deposit_id):
    deposit = get_deposit(deposit_id, current_user)
    pdf = render_pdf("pdf/store_delivery_note.html", deposit=deposit)
    return pdf_response(
        pdf, download_name(_("Delivery note %(number)s", number=deposit.id), extension="pdf")
    )
