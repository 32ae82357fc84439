"""Accounts: users, roles, login and API tokens."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("accounts", __name__)
api_bp = APIBlueprint("accounts_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from accounts import api, views  # noqa: E402, F401
from accounts.cli import users_cli  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import user_for_token  # noqa: E402
from core.access import register_token_lookup  # noqa: E402
from core.cli import add_command, add_demo_guard  # noqa: E402

register_token_lookup(user_for_token)
add_command(users_cli)
add_demo_guard(User)
