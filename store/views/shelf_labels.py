"""Shelf labels (per product, per cooperative) and the food list an ONSSA inspector reads."""

from flask import redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from booths.services.registry import get_cooperative
from core.access import roles_required
from core.downloads import download_name
from core.errors import NotFound
from core.i18n import current_language, localized
from core.pdf import pdf_response, render_pdf
from core.timeutil import utc_now
from core.views import search_words
from store import bp, services
from store.services.shelf_labels import label_products, shelf_labels_pdf
from store.views.common import edition_and_site

PAGE_SIZE = 50  # food products a page of the inspector's list (the PDF prints them all)
LABEL_LANGUAGES = ("ar", "fr")  # the two languages of a Moroccan shelf label


def label_language():
    """?language=ar|fr, else the page's language when it is one of them, else French."""
    language = request.args.get("language") or current_language()
    return language if language in LABEL_LANGUAGES else "fr"


@bp.get("/store/products/<int:product_id>/label.pdf")
@roles_required("organiser", "cashier", "cooperative")
def product_label(product_id):
    product = services.product_for_cooperative_user(product_id, current_user)
    language = label_language()
    with force_locale(language):
        pdf = shelf_labels_pdf([product], language, single=True)
        filename = download_name(_("Shelf label"), product.sku, extension="pdf")
    return pdf_response(pdf, filename)


@bp.get("/store/cooperatives/<int:cooperative_id>/labels.pdf")
@roles_required("organiser", "cashier", "cooperative")
def cooperative_labels(cooperative_id):
    if current_user.role == "cooperative" and current_user.cooperative_id != cooperative_id:
        raise NotFound(_("No such cooperative."), code="unknown_cooperative")
    cooperative = get_cooperative(cooperative_id)
    language = label_language()
    with force_locale(language):
        pdf = shelf_labels_pdf(label_products(cooperative.id), language)
        filename = download_name(
            _("Shelf labels"), cooperative.display_name(language), extension="pdf"
        )
    return pdf_response(pdf, filename)


@bp.get("/store/labels")
@roles_required("organiser", "cashier", "cooperative")
def labels_for():
    """The stock page's picker: ?cooperative=<id>&language=ar|fr, to that cooperative's PDF."""
    cooperative_id = request.args.get("cooperative", type=int)
    if cooperative_id is None:
        raise NotFound(_("No such cooperative."), code="unknown_cooperative")
    return redirect(
        url_for(
            "store.cooperative_labels", cooperative_id=cooperative_id, language=label_language()
        )
    )


@bp.get("/store/editions/<slug>/sites/<site_slug>/food")
@roles_required("organiser")
def food_list(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    search, missing_only = search_words(), request.args.get("missing") == "1"
    page = services.food_on_sale_query(site, search, missing_only).paginate(
        per_page=PAGE_SIZE, error_out=False
    )
    return render_template(
        "store/food_list.html",
        edition=edition,
        site=site,
        page=page,
        search=search,
        missing_only=missing_only,
        missing=services.food_on_sale_query(site, missing_only=True).count(),
    )


@bp.get("/store/editions/<slug>/sites/<site_slug>/food.pdf")
@roles_required("organiser")
def food_list_pdf(slug, site_slug):
    edition, site = edition_and_site(slug, site_slug)
    pdf = render_pdf(
        "pdf/store_food_list.html",
        edition=edition,
        site=site,
        rows=services.food_on_sale(site),
        printed_at=utc_now(),
    )
    filename = download_name(
        _("Food on sale"), localized(site.names), localized(edition.names), extension="pdf"
    )
    return pdf_response(pdf, filename)
