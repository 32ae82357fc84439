"""Workshops: programme, registration, attendance, certificates and feedback."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("workshops", __name__)
api_bp = APIBlueprint("workshops_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from workshops import api, jobs, views  # noqa: E402, F401
