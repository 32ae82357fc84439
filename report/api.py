"""Field API: the key figures of an edition's partners' report (API.md, *Edition report*)."""

from core.access import api_roles
from markets.services import get_edition
from report import api_bp as api
from report.figures import edition_report
from report.serializers import report_json


@api.get("/editions/<slug>/report")
@api.doc(
    summary="Key figures of the partners' report (the same numbers as the dashboard and PDF)",
    responses=[200, 401, 403, 404],
)
@api_roles("organiser")
def edition_report_json(slug):
    return report_json(edition_report(get_edition(slug)))
