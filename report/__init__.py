"""The edition dashboard and the partners' report (PDF, ZIP of CSV files, API JSON).

The report sits on top of every feature: it composes the figure services each feature
publishes (booths, visitors, store, workshops) and imports them at module level.
"""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("report", __name__)
api_bp = APIBlueprint("report_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from report import api, jobs, views  # noqa: E402, F401
