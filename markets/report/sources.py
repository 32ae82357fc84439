"""Where the report's figures come from: each feature's own figure service.

The report never repeats another feature's queries. It calls the figure function each feature
publishes (the cross-feature contract); a feature that is not installed in this deployment adds
nothing, like the menu and the demo do. Two small figures that no feature service publishes are
read here, clearly named, from the booths tables (see `applicant_cooperative_ids` and
`stall_area_by_cooperative`).
"""

import importlib

from sqlalchemy import func, select

from core.extensions import db

FIGURE_SERVICES = {
    "booths": ("booths.services", "edition_booth_figures"),
    "visitors": ("visitors.services", "attendance_summary"),
    "store": ("store.services", "edition_sales_figures"),
    "workshops": ("workshops.services", "edition_workshop_figures"),
}


def figure_service(feature):
    """The feature's figure function, or None when the feature is not installed."""
    module_name, function_name = FIGURE_SERVICES[feature]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module_name == missing or module_name.startswith(missing + "."):
            return None  # the feature (or its services module) is not installed
        raise  # the feature is there but something it imports is missing: a real error
    return getattr(module, function_name, None)


def feature_figures(feature, edition):
    """What the feature reports for the edition (plain dicts), or None without the feature."""
    service = figure_service(feature)
    return None if service is None else service(edition)


def booth_models():
    """(Application, Stall) from booths.models, or None before the booths feature exists."""
    from booths import models

    application = getattr(models, "Application", None)
    stall = getattr(models, "Stall", None)
    if application is None or stall is None:
        return None
    return application, stall


def applicant_cooperative_ids(edition):
    """Report-only query: ids of the cooperatives that applied to any site of the edition.

    edition_booth_figures gives the applicants' count (in total and per province) but not who
    they are; the fairness table for women-led and youth-led cooperatives needs the list.
    """
    from markets.models import Site

    models = booth_models()
    if models is None:
        return []
    application, _ = models
    query = (
        select(application.cooperative_id)
        .join(Site, Site.id == application.site_id)
        .where(Site.edition_id == edition.id)
        .distinct()
    )
    return sorted(db.session.scalars(query))


def stall_area_by_cooperative(edition):
    """Report-only query: {cooperative id: m² of stalls allocated to it in the edition}.

    edition_booth_figures gives the allocated area per province, not per cooperative; the
    fairness table for women-led and youth-led cooperatives needs it per cooperative.
    """
    from markets.models import Site

    models = booth_models()
    if models is None:
        return {}
    application, stall = models
    query = (
        select(application.cooperative_id, func.sum(stall.width_m * stall.depth_m))
        .join(stall, stall.application_id == application.id)
        .join(Site, Site.id == stall.site_id)
        .where(Site.edition_id == edition.id)
        .group_by(application.cooperative_id)
    )
    return {cooperative_id: float(area or 0) for cooperative_id, area in db.session.execute(query)}


def sales_by_product_sector(edition):
    """Sales by the products' sector, from the store's report service (edition_sales_figures
    gives sales by cooperative, not by sector; a cooperative may sell in several sectors)."""
    from store.services import reports

    return reports.sales_by_sector(edition)


def topic_labels():
    """The workshops' translated topic names ({} without the workshops feature)."""
    try:
        from workshops.labels import TOPIC_LABELS
    except ModuleNotFoundError as error:
        if error.name not in ("workshops", "workshops.labels"):
            raise
        return {}
    return TOPIC_LABELS


def code_labels():
    """The names of the cooperatives' and the store's codes, from the features that own them
    (booths.labels and store.labels): {"sector": ..., "legal_form": ..., "channel": ..., "payment": ...}."""
    from booths.labels import LEGAL_FORM_LABELS, SECTOR_LABELS
    from store.labels import CHANNEL_LABELS, PAYMENT_LABELS

    return {
        "sector": SECTOR_LABELS,
        "legal_form": LEGAL_FORM_LABELS,
        "channel": CHANNEL_LABELS,
        "payment": PAYMENT_LABELS,
    }
