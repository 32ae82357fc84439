"""Market planning: editions, sites, calendar and gazetteer."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("markets", __name__)
api_bp = APIBlueprint("markets_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from core.cli import add_demo_guard, add_demo_step, add_national_step  # noqa: E402
from core.i18n import current_language  # noqa: E402
from markets import api, demo, gazetteer, national, services, territory, views  # noqa: E402, F401
from markets.models import EDITION_STATUSES, Edition  # noqa: E402

add_demo_guard(Edition)
add_demo_step(10, demo.load)
add_demo_step(90, demo.close_reference_edition)  # after every feature loaded its history
add_national_step(10, national.load)


@bp.app_context_processor
def market_labels():
    language = current_language()
    return {
        "status_labels": {status: services.status_label(status) for status in EDITION_STATUSES},
        "city_label": lambda city: gazetteer.city_label(city, language),
        "province_label": lambda province: gazetteer.province_label(province, language),
        "region_label": lambda code: region_label(code, language),
    }


def region_label(province_code, language):
    region = territory.region_of(province_code)
    return region.name(language) if region else ""
