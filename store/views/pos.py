"""Point of sale: the till page, receipts (80 mm page and PDF), refunds, voids and till closes."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.views import field_page_token
from booths.forms import SECTOR_CHOICES
from core.access import roles_required
from core.confirm import confirmation_needed
from core.downloads import day_part, download_name
from core.errors import DomainError, NotFound
from core.extensions import db
from core.i18n import localized
from core.pdf import pdf_response, render_pdf
from core.timeutil import to_local, utc_now
from core.views import copy_error_to_form
from markets.models import Edition
from store import bp, services
from store.forms import RefundForm, TillCloseForm, VoidForm
from store.models import Sale
from store.services.sales import refundable_quantities
from store.services.shifts import ensure_till, open_shift_of
from store.services.tills import get_till_close, register_day_summary, registers_of, till_closes
from store.views.common import edition_and_site, mad_field, posted_quantities

RECEIPT_LANGUAGES = ("ar", "fr", "zgh")
SALES_PAGE_SIZE = 50  # a site's sales a page, latest first (a national salon sells thousands a day)


@bp.get("/store/pos")
@roles_required("cashier", "organiser")
def cashier_home():
    editions = db.session.query(Edition).filter(Edition.takes_field_work).all()
    return render_template("store/cashier_home.html", editions=editions)


@bp.get("/store/editions/<slug>/sites/<site_slug>/pos")
@roles_required("cashier", "organiser")
def pos(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    till = ensure_till(site, request.args.get("register", "till-1"))
    token, expires_at = field_page_token()
    # The visitors feature serves the shared field service worker and the npm libraries.
    worker, vendor = "visitors.field_worker", "visitors.vendor"
    has_vendor = vendor in current_app.view_functions
    response = render_template(
        "store/pos.html",
        edition=edition,
        site=site,
        till=till,
        shift=open_shift_of(till),
        api_token=token,
        token_expires_at=expires_at,
        sectors=SECTOR_CHOICES,
        zxing={
            "module": url_for(vendor, package="zxing-wasm", filename="dist/es/writer/index.js")
            if has_vendor
            else "",
            "wasm": url_for(vendor, package="zxing-wasm", filename="dist/writer/")
            if has_vendor
            else "",
        },
        pos_text=pos_messages(),
        receipt_text=receipt_messages(edition, site, till),
        service_worker_url=url_for(worker) if worker in current_app.view_functions else "",
    )
    return response, 200, {"Cache-Control": "no-store"}


def pos_messages():
    """The point of sale's texts, in the cashier's language."""
    return {
        "products_from": _("Products as of %(time)s", time="%(time)s"),
        "in_stock": _("%(count)s in stock", count="%(count)s"),
        "shown": _("%(shown)s of %(total)s", shown="%(shown)s", total="%(total)s"),
        "blocked": _("blocked"),
        "unknown_product": _("No product with the code %(code)s.", code="%(code)s"),
        "blocked_product": _("This product is blocked by a quality check."),
        "not_enough": _("Not enough %(sku)s in stock.", sku="%(sku)s"),
        "less": _("One less"),
        "more": _("One more"),
        "short": _("The cash received is less than the total."),
        "session_expired": _("Your session expired: reload the page to keep sending sales."),
        "refused": _("refused"),
        "sale_refused": _("A sale was refused: %(reason)s", reason="%(reason)s"),
        "recorded": _("recorded"),
        "waiting": _("waiting for the network"),
        "receipt": _("receipt"),
        "sale_done": _("Sale finished."),
        "no_camera": _("The camera is not available."),
        "online": _("online"),
        "offline": _("offline"),
        "remove": _("remove"),
        "bad_amount": _("Each payment must be an amount above zero."),
        "too_much": _("This is more than is left to pay."),
        "mismatch": _("The payments must add up to the total of the sale."),
        "approval_required": _("A card payment needs the terminal's approval code."),
        "bad_phone": _("The payer's phone number is not valid."),
        "pin_device": _("Favourite on this device"),
        "pinned_site": _("Pinned for the whole site by the organiser"),
        "pin_site": _("Pin for the site"),
        "unpin_site": _("Unpin for the site"),
        "pin_failed": _("The favourite could not be saved: try again online."),
        "methods": {
            "cash": _("Cash"),
            "card": _("Card (CMI)"),
            "mobile": _("Mobile wallet"),
        },
    }


def receipt_messages(edition, site, till):
    """The receipt's texts in each receipt language (chosen per receipt, not the interface's)."""
    texts = {}
    for language in RECEIPT_LANGUAGES:
        with force_locale(language):
            texts[language] = {
                "store": _("Solidarity store"),
                "edition": localized(edition.names, language),
                "site": localized(site.names, language),
                "till": localized(till.names, language),
                "total": _("Total"),
                "cash_received": _("Cash received"),
                "change": _("Change given"),
                "approval": _("approval code"),
                "reference": _("reference"),
                "scan": _("Scan for the digital receipt"),
                "being_synced": _("Digital receipt: being synced, it opens once the sale is sent"),
                "thanks": _("Thank you for buying in solidarity."),
                "methods": {
                    "cash": _("Cash"),
                    "card": _("Card (CMI)"),
                    "mobile": _("Mobile wallet"),
                },
            }
    return texts


@bp.get("/store/editions/<slug>/sites/<site_slug>/sales")
@roles_required("cashier", "organiser")
def site_sales(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    page = (
        db.session.query(Sale)
        .filter(Sale.site_id == site.id)
        .order_by(Sale.sold_at.desc(), Sale.id.desc())
        .paginate(per_page=SALES_PAGE_SIZE, error_out=False)
    )
    return render_template("store/sales.html", edition=edition, site=site, page=page)


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
        page = confirmation_needed(
            _("Refund these items?"),
            _(
                "The money is given back to the customer, the cooperatives are no longer owed "
                "for the refunded items and, if you chose so, the products go back to stock. "
                "A refund cannot be undone."
            ),
            reason_required=True,
            cancel_url=url_for("store.sale", sale_id=sale.id),
            button=_("Refund"),
        )
        if page:
            return page
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
        page = confirmation_needed(
            _("Void this sale?"),
            _(
                "Every line still standing on the sale is cancelled, its products go back to "
                "stock and the cooperatives are no longer owed for them. A void cannot be undone."
            ),
            reason_required=True,
            cancel_url=url_for("store.sale", sale_id=sale.id),
            button=_("Void the sale"),
        )
        if page:
            return page
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
    """The receipt's own language, from ?language= (never ?lang=, which would switch the
    interface's language for the rest of the session)."""
    language = request.args.get("language") or request.args.get("lang") or "fr"
    return language if language in RECEIPT_LANGUAGES else "fr"


@bp.get("/store/r/<client_id>")
def public_receipt(client_id):
    """The digital receipt a visitor opens from the QR code (the client UUID is unguessable);
    before the sale reaches the server it says that the receipt is being synced."""
    language = receipt_language()
    sale = db.session.query(Sale).filter(Sale.client_id == client_id[:64]).one_or_none()
    with force_locale(language):
        page = render_template(
            "store/receipt.html",
            sale=sale,
            language=language,
            direction="rtl" if language == "ar" else "ltr",
            public=True,
            client_id=client_id[:64],
        )
    return page, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


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
        filename = download_name(
            _("Receipt no. %(number)s", number=sale.id),
            localized(sale.site.names, language) if sale.site else "",
            day_part(to_local(sale.sold_at).date()),
            extension="pdf",
        )
    return pdf_response(pdf, filename)


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
    return pdf_response(
        pdf,
        download_name(
            _("Z report"), localized(close.site.names), day_part(close.day), extension="pdf"
        ),
    )
