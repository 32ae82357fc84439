"""`flask users ...`: thin commands over the accounts services."""

import click
from flask.cli import AppGroup

from accounts.cooperatives import cooperative_by_registration_number
from accounts.messaging import send_due_messages
from accounts.services import create_user
from core.cli import fail
from core.errors import DomainError
from core.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    default="organiser",
    show_default=True,
    type=click.Choice(["organiser", "volunteer", "cashier", "cooperative"]),
)
@click.option("--full-name", default="")
@click.option("--email", default=None)
@click.option(
    "--cooperative",
    "registration_number",
    default=None,
    help="Registration number of the cooperative (for the cooperative role).",
)
@click.password_option()
def create_user_command(username, role, full_name, email, registration_number, password):
    """Create a user (the first organiser of a real deployment)."""
    cooperative = None
    if registration_number:
        cooperative = cooperative_by_registration_number(registration_number)
        if cooperative is None:
            fail(f"No cooperative with registration number {registration_number}.")
    try:
        user = create_user(
            username, password, role, full_name=full_name, email=email, cooperative=cooperative
        )
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        fail(error.message)
    click.secho(f"Created {user.role} {user.username}.", fg="green")


messages_cli = AppGroup("messages", help="The outbox of e-mails and SMS.")


@messages_cli.command("send")
def send_messages_command():
    """Send the queued messages and retry those whose next try is due (run it every minute)."""
    sent = send_due_messages()
    click.secho(f"{sent} messages sent.", fg="green")
