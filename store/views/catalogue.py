"""Catalogue pages: products, their photo, and quality checks."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booths.models import Cooperative
from core.access import roles_required
from core.errors import DomainError
from core.extensions import db
from core.money import plain_amount
from core.views import copy_error_to_form, search_words
from store import bp, services
from store.forms import LANGUAGE_LABELS, ProductForm, QualityCheckForm
from store.services.catalogue import block_reason
from store.views.common import mad_field

FORM_FIELDS = {"names": "name_fr", "price_centimes": "price"}  # service field → form field
PAGE_SIZE = 50  # products a page of the catalogue (a national salon's holds thousands)


@bp.get("/store/products")
@roles_required("organiser", "cooperative")
def products():
    """The catalogue; an organiser may narrow it to one cooperative (and print its labels)."""
    cooperatives = []
    if current_user.role == "cooperative":
        cooperative = current_user.cooperative
    else:
        cooperatives = db.session.query(Cooperative).order_by(Cooperative.name_latin).all()
        chosen = request.args.get("cooperative", type=int)
        cooperative = next((c for c in cooperatives if c.id == chosen), None)
    search = search_words()
    return render_template(
        "store/products.html",
        page=services.products_query(cooperative, search).paginate(
            per_page=PAGE_SIZE, error_out=False
        ),
        search=search,
        cooperative=cooperative,
        cooperatives=cooperatives,
    )


def product_form(product=None):
    form = ProductForm(obj=product)
    if current_user.role == "organiser":
        cooperatives = db.session.query(Cooperative).order_by(Cooperative.name_latin).all()
        form.cooperative_id.choices = [(c.id, c.name_latin) for c in cooperatives]
    else:
        form.cooperative_id.choices = [
            (current_user.cooperative_id, current_user.cooperative.name_latin)
        ]
    if product is not None and request.method == "GET":
        for code in LANGUAGE_LABELS:
            getattr(form, f"name_{code}").data = product.names.get(code, "")
        form.price.data = plain_amount(product.price_centimes)
        form.food.data = "yes" if product.food else "no"
    return form


def product_values(form):
    return {
        "sku": form.sku.data,
        "barcode": form.barcode.data,
        "names": form.names(),
        "unit": form.unit.data,
        "price_centimes": mad_field(form, "price"),
        "sector": form.sector.data,
        "low_stock_at": form.low_stock_at.data,
        "food": {"yes": True, "no": False}.get(form.food.data),
        "prepacked": form.prepacked.data,
        "onssa_number": form.onssa_number.data,
        "onssa_kind": form.onssa_kind.data or None,
    }


def uploaded_photo(form):
    upload = form.photo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.read(), upload.mimetype


def save_product(form, product):
    values = product_values(form)
    if values["price_centimes"] is None:
        return None
    try:
        if product is None:
            cooperative = db.session.get(Cooperative, form.cooperative_id.data)
            if cooperative is None:
                abort(404)
            return services.create_product(cooperative, values, current_user, uploaded_photo(form))
        return services.update_product(product, values, current_user, uploaded_photo(form))
    except DomainError as error:
        error.field = FORM_FIELDS.get(error.field, error.field)
        copy_error_to_form(form, error)
        return None


@bp.route("/store/products/new", methods=["GET", "POST"])
@roles_required("organiser", "cooperative")
def new_product():
    form = product_form()
    if form.validate_on_submit():
        product = save_product(form, None)
        if product is not None:
            flash(_("Product added."), "success")
            return redirect(url_for("store.product", product_id=product.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("store/product_form.html", form=form, product=None), status


@bp.route("/store/products/<int:product_id>/edit", methods=["GET", "POST"])
@roles_required("organiser", "cooperative")
def edit_product(product_id):
    product = services.product_for_cooperative_user(product_id, current_user)
    form = product_form(product)
    if form.validate_on_submit():
        if save_product(form, product) is not None:
            flash(_("Product saved."), "success")
            return redirect(url_for("store.product", product_id=product.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("store/product_form.html", form=form, product=product), status


@bp.get("/store/products/<int:product_id>")
@roles_required("organiser", "cooperative", "cashier")
def product(product_id):
    product = services.product_for_cooperative_user(product_id, current_user)
    return render_template(
        "store/product.html",
        product=product,
        form=QualityCheckForm(),
        reason=block_reason(product),
        stock=services.product_stock(product),
    )


@bp.post("/store/products/<int:product_id>/checks")
@roles_required("organiser")
def record_check(product_id):
    product = services.get_product(product_id)
    form = QualityCheckForm()
    if form.validate_on_submit():
        try:
            services.record_quality_check(
                product,
                form.checked_on.data,
                form.inspector.data,
                form.result.data,
                form.notes.data,
                current_user,
            )
            flash(_("Quality check recorded."), "success")
            return redirect(url_for("store.product", product_id=product.id))
        except DomainError as error:
            copy_error_to_form(form, error)
    return render_template(
        "store/product.html",
        product=product,
        form=form,
        reason=block_reason(product),
        stock=services.product_stock(product),
    ), 422


@bp.get("/store/products/<int:product_id>/photo")
@roles_required("organiser", "cooperative", "cashier")
def product_photo(product_id):
    product = services.product_for_cooperative_user(product_id, current_user)
    if not product.photo:
        abort(404)
    response = Response(product.photo, mimetype=product.photo_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
