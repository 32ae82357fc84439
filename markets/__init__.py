"""Market planning: editions, sites, calendar, gazetteer, dashboard and report."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("markets", __name__)
api_bp = APIBlueprint("markets_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from markets import api, report, views  # noqa: E402, F401


@bp.app_context_processor
def market_labels():
    from core.i18n import current_language
    from markets import gazetteer, services

    language = current_language()
    return {
        "status_labels": {
            status: services.status_label(status)
            for status in ("draft", "published", "open", "closed")
        },
        "city_label": lambda city: gazetteer.city_label(city, language),
        "province_label": lambda province: gazetteer.province_label(province, language),
    }
