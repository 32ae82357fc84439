"""Field API: the key figures of an edition's partners' report (API.md, *Edition report*)."""

from core.access import api_roles
from core.apidoc import answers
from markets.services import get_edition
from report import api_bp as api
from report.figures import edition_report
from report.serializers import report_json


@api.get("/editions/<slug>/report")
@api.doc(
    summary="Key figures of the partners' report (the same numbers as the dashboard and PDF)",
    responses=answers(
        200,
        {
            "edition": "string",
            "visitors": "integer",
            "entries": "integer",
            "target": "integer?",
            "cooperatives": "integer",
            "stall_area_m2": "number",
            "sales_centimes": "integer",
            "owed_centimes": "integer",
            "paid_on_time_share": "number?",
            "workshops": "integer",
            "workshop_attendance": "integer",
            "provinces": [
                {
                    "province": "string?",
                    "applicants": "integer",
                    "admitted": "integer",
                    "stall_area_m2": "number",
                    "sales_centimes": "integer",
                }
            ],
            "women_members": "integer",
            "young_members": "integer",
        },
        401,
        403,
        404,
    ),
)
@api_roles("organiser")
def edition_report_json(slug):
    return report_json(edition_report(get_edition(slug)))
