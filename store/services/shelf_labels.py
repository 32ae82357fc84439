"""Shelf labels: name, cooperative, price, ONSSA number and a scannable barcode, as a PDF.

Barcodes are drawn by python-barcode as SVG (pure Python, no image library, vector so it stays
sharp at any printer resolution; WeasyPrint draws inline SVG). A barcode that is a valid EAN-13
is printed as EAN-13, as on the jar; anything else as Code 128 of the same text, which the
tills' scanners read too.
"""

import io

import barcode
from barcode.writer import SVGWriter
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import defer

from core.errors import NotFound
from core.extensions import db
from core.pdf import render_pdf
from store.models import Product

LABELS_PER_SHEET = 10  # 2 columns × 5 rows of 105 × 57 mm on A4
SVG_OPTIONS = {
    "module_width": 0.33,  # mm: EAN-13's nominal bar width
    "module_height": 12.0,
    "quiet_zone": 3.0,
    "write_text": False,  # the digits are printed by the page, in its font
}


def barcode_kind(code):
    """'ean13' when the code is 13 digits with the right check digit, else 'code128'."""
    if len(code) == 13 and code.isascii() and code.isdigit():
        if barcode.get("ean13", code).get_fullcode() == code:
            return "ean13"
    return "code128"


def barcode_svg(code):
    """Inline SVG markup of the code (safe to place in a template)."""
    symbol = barcode.get(barcode_kind(code), code, writer=SVGWriter())
    buffer = io.BytesIO()
    symbol.write(buffer, options=SVG_OPTIONS)
    svg = buffer.getvalue().decode("utf-8")
    # Fills as attributes: WeasyPrint ignores `fill` inside a style attribute (and warns).
    svg = svg.replace('style="fill:black;"', 'fill="black"').replace(
        'style="fill:white"', 'fill="white"'
    )
    return Markup(svg[svg.index("<svg") :])


def label_products(cooperative_id=None, product=None):
    """The products to label: one, or the active ones of a cooperative (by SKU)."""
    if product is not None:
        return [product]
    products = (
        db.session.query(Product)
        .options(defer(Product.photo))
        .filter(Product.cooperative_id == cooperative_id, Product.active.is_(True))
        .order_by(Product.sku)
        .all()
    )
    if not products:
        raise NotFound(_("This cooperative has no product to label."), code="no_products")
    return products


def shelf_labels_pdf(products, language, single=False):
    """The PDF: one label-sized page for a single product, else A4 sheets of ten labels."""
    labels = [(product, barcode_svg(product.barcode or product.sku)) for product in products]
    sheets = [
        labels[start : start + LABELS_PER_SHEET]
        for start in range(0, len(labels), LABELS_PER_SHEET)
    ]
    return render_pdf(
        "pdf/store_shelf_labels.html",
        sheets=sheets,
        single=single,
        language=language,
        other_language="fr" if language == "ar" else "ar",
        direction="rtl" if language == "ar" else "ltr",
    )
