"""Solidarity store: catalogue, stock, point of sale, payouts and cooperative portal."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("store", __name__)
api_bp = APIBlueprint("store_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from core.cli import add_demo_step, add_national_step  # noqa: E402
from store import api, api_stock, commands, demo, import_jobs, national, tasks, views  # noqa: E402, F401

add_demo_step(40, demo.load)
add_national_step(40, national.load)
