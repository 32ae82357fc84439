"""Accounts: users, roles, login and API tokens; reset, invitations, messages, activity log."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("accounts", __name__)
api_bp = APIBlueprint("accounts_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from accounts import api, outbox_views, self_views, tasks, views  # noqa: E402, F401
from accounts.cli import messages_cli, users_cli  # noqa: E402
from accounts.messaging import mute_messages, unmute_messages  # noqa: E402
from accounts.models import User  # noqa: E402
from accounts.services import user_for_token  # noqa: E402
from core.access import register_token_lookup  # noqa: E402
from core.cli import add_command, add_demo_guard, add_demo_step  # noqa: E402

register_token_lookup(user_for_token)
add_command(users_cli)
add_command(messages_cli)
add_demo_guard(User)
# The demo's history (decisions, revocations, payouts of 2022) tells nobody.
add_demo_step(0, mute_messages)
add_demo_step(99, unmute_messages)
