"""Visitors: tickets, gate scans, tallies, attendance and the scanner page."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("visitors", __name__)
api_bp = APIBlueprint("visitors_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from core.cli import add_demo_step, add_national_step  # noqa: E402
from visitors import api, demo, devices, field, jobs, national, views  # noqa: E402, F401

add_demo_step(30, demo.load)
add_national_step(30, national.load)
