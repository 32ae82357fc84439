"""`flask store daily-messages`: the day's sales summaries and overdue payout reminders."""

from datetime import date, timedelta

import click

from accounts import messaging
from core.extensions import db
from core.timeutil import to_local, utc_now
from store import bp
from store.services.notices import tell_overdue_payouts
from store.tasks import send_daily_sales


@bp.cli.command("daily-messages")
@click.option("--day", default=None, help="Local day of the sales (YYYY-MM-DD); yesterday.")
def daily_messages_command(day):
    """Queue and send the daily sales summaries and the overdue payout reminders."""
    chosen = date.fromisoformat(day) if day else to_local(utc_now()).date() - timedelta(days=1)
    summaries = send_daily_sales(chosen, utc_now())  # never twice for the same day
    reminders = tell_overdue_payouts()
    db.session.commit()
    sent = messaging.send_committed()
    click.secho(
        f"{summaries} sales summaries and {reminders} overdue reminders queued, {sent} handed to the queue.",
        fg="green",
    )
