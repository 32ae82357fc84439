"""Visitors: tickets, gate scans, tallies, attendance and the scanner page."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("visitors", __name__)
api_bp = APIBlueprint("visitors_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from visitors import api, jobs, views  # noqa: E402, F401
