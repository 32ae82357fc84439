"""Booths: cooperative registry, stall applications, floor plans, allocation and badges."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("booths", __name__)
api_bp = APIBlueprint("booths_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from booths import api, jobs, views  # noqa: E402, F401
