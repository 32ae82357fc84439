"""Solidarity store: catalogue, stock, point of sale, payouts and cooperative portal."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("store", __name__)
api_bp = APIBlueprint("store_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from store import api, tasks, views  # noqa: E402, F401
