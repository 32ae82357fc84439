"""Field API: editions and their sites (API.md, *Editions*)."""

from core.apidoc import EDITION, answers
from core.i18n import current_language
from markets import api_bp as api
from markets import services, territory
from markets.serializers import edition_json


@api.get("/editions")
@api.doc(
    summary="Published editions with their sites (names in the request's language)",
    responses=answers(200, {"editions": [EDITION]}),
)
def list_editions():
    return {
        "editions": [edition_json(edition) for edition in services.list_editions(public_only=True)]
    }


@api.get("/editions/<slug>")
@api.doc(summary="One edition with its sites", responses=answers(200, EDITION, 404))
def get_edition(slug):
    return edition_json(services.get_visible_edition(slug))


TERRITORY = {
    "regions": [
        {
            "code": "string",
            "name": "string",
            "provinces": [{"code": "string", "name": "string", "seat": "string"}],
        }
    ]
}


@api.get("/territory")
@api.doc(
    summary="Morocco's 12 regions and 75 prefectures and provinces (names in the request's "
    "language, ISO 3166-2:MA codes)",
    responses=answers(200, TERRITORY),
)
def get_territory():
    return territory.territory(current_language())
