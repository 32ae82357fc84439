"""Thin `flask` commands: they call services, commit explicitly, and fail loudly in red."""

import sqlite3
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core import queue
from core.errors import DomainError
from core.extensions import db
from core.timeutil import utc_now

users_cli = AppGroup("users", help="Manage user accounts.")


def fail(message):
    click.secho(str(message), fg="red", err=True)
    raise SystemExit(1)


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
    from accounts.services import create_user
    from booths.models import Cooperative

    cooperative = None
    if registration_number:
        cooperative = (
            db.session.query(Cooperative).filter_by(registration_number=registration_number).first()
        )
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


@click.command("demo")
@click.option(
    "--if-empty", is_flag=True, help="Load only into an empty database; otherwise do nothing."
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend the load happens on this day (the live edition is dated from it).",
)
@click.option("--national", is_flag=True, help="Load the national salon (Agadir scale) instead.")
@click.option("--scale", default=1.0, show_default=True, help="Scale of the national salon.")
def demo_command(if_empty, today, national, scale):
    """Load the demo editions (refuses a database that holds anything else)."""
    from core.demo import DemoRefused, load_demo, load_national

    day = today.date() if today else utc_now().date()
    try:
        if national:
            summary = load_national(day, scale)
        else:
            summary = load_demo(day, if_empty=if_empty)
        db.session.commit()
    except DemoRefused as error:
        db.session.rollback()
        if if_empty:
            click.echo(str(error))
            return
        fail(error)
    click.secho(summary, fg="green")


@click.command("backup")
@click.argument("destination", required=False)
def backup_command(destination):
    """Make a consistent copy of the SQLite database, even while the app runs."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        fail("Only the SQLite database is copied this way; use pg_dump for PostgreSQL.")
    source_path = Path(url.database)
    target = Path(
        destination
        or Path(current_app.instance_path)
        / "backups"
        / f"souk-{date.today():%Y%m%d}-{utc_now():%H%M%S}.db"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # SQLite's online backup API: a consistent snapshot
    finally:
        copy.close()
        source.close()
    click.secho(f"Backed up to {target}", fg="green")


jobs_cli = AppGroup("jobs", help="Run the background workers of the task queue.")


@jobs_cli.command("worker")
@click.option("-w", "--workers", default=2, show_default=True, help="Worker processes.")
@click.option(
    "--scheduler/--no-scheduler",
    default=False,
    help="Also run the periodic tasks (exactly one running worker command should).",
)
def worker_command(workers, scheduler):
    """Take jobs from the queue (Redis when QUEUE_URL is set, else instance/queue.db)."""
    queue.run_worker(workers=workers, periodic_tasks=scheduler)


@jobs_cli.command("scheduler")
def scheduler_command():
    """Run the periodic tasks (overdue payouts, reminders, expiry, clean-up) with one worker."""
    queue.run_worker(workers=1, periodic_tasks=True)


@jobs_cli.command("reap")
def reap_command():
    """Queue again the jobs a killed worker or a stopped broker left behind."""
    revived = queue.reap_jobs()
    click.echo(f"Queued again: {len(revived)} job(s).")


def register_commands(app):
    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
