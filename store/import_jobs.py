"""The store's sales import as jobs, around store.services.imports (which report their progress)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.models import User
from core.downloads import download_name
from core.errors import RuleBroken
from core.extensions import db
from core.i18n import localized
from core.import_jobs import Outcome, register_import_kinds
from markets.models import Edition
from store.services.imports import import_sales, preview_sales_import

KIND = "sales_import"


def orders_outcome(preview, imported=0):
    """One row per order, at the line of its first sale line."""
    rows = [
        (
            order.lines[0][0] if order.lines else "",
            order.reference,
            not order.errors,
            "; ".join(order.errors),
        )
        for order in preview.orders
    ]
    already = sum(1 for order in preview.orders if order.already)
    return Outcome(rows=rows, imported=imported, already=already)


def job_edition_and_actor(job):
    return db.session.get(Edition, job.edition_id), db.session.get(User, job.owner_id)


def preview_sales(job, raw, progress):
    edition, actor = job_edition_and_actor(job)
    return orders_outcome(preview_sales_import(edition, raw, actor, progress))


def run_sales_import(job, raw, progress):
    """Record every new order or none; refused orders are reported, not raised."""
    edition, actor = job_edition_and_actor(job)
    try:
        done = import_sales(edition, raw, actor, progress)
    except RuleBroken as error:
        if error.code != "import_errors":
            raise
        return orders_outcome(preview_sales_import(edition, raw, actor))
    return orders_outcome(done, imported=len(done.new_orders))


def sales_import_filename(job):
    edition = db.session.get(Edition, job.edition_id)
    return download_name(_("Sales import"), localized(edition.names), extension="csv")


register_import_kinds(
    KIND,
    (_l("Preview of a sales import"), _l("Import of sales")),
    preview_sales,
    run_sales_import,
    sales_import_filename,
)
