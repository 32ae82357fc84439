"""Accounts: users, roles, login and API tokens."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("accounts", __name__)
api_bp = APIBlueprint("accounts_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from accounts import api, tasks, views  # noqa: E402, F401
