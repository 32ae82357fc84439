"""Thin `flask` commands: they call services, commit explicitly, and fail loudly in red."""

import sqlite3
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core import queue
from core.database import analyze_tables
from core.extensions import db
from core.timeutil import utc_now

COMMANDS = []  # click commands and groups each feature adds (see add_command)
DEMO_STEPS = []  # (order, load): each feature's demo part, run in order on one shared context
DEMO_GUARDS = []  # models whose rows mean the database is not empty (the demo refuses it)
NATIONAL_STEPS = []  # (order, load): each feature's part of the national salon (`--national`)
DEMO_PASSWORD = "demo-pass-2026"


def add_command(command):
    """A feature adds its `flask` commands here (as it adds its links to core.menu)."""
    if command not in COMMANDS:
        COMMANDS.append(command)


def add_demo_step(order, load):
    """A feature adds its demo part: `load(context)`, run after the steps of lower order so that
    later parts can use what earlier ones made (context holds today, password, summary, ...)."""
    if all(step[1] is not load for step in DEMO_STEPS):
        DEMO_STEPS.append((order, load))
        DEMO_STEPS.sort(key=lambda step: step[0])


def add_national_step(order, load):
    """A feature adds its part of the national salon: `load(context)`, context holding `scale`."""
    if all(step[1] is not load for step in NATIONAL_STEPS):
        NATIONAL_STEPS.append((order, load))
        NATIONAL_STEPS.sort(key=lambda step: step[0])


def add_demo_guard(model):
    """A feature names a table whose rows mean `flask demo` must refuse the database."""
    if model not in DEMO_GUARDS:
        DEMO_GUARDS.append(model)


class DemoRefused(Exception):
    pass


def database_is_empty():
    return not any(db.session.query(model).first() for model in DEMO_GUARDS)


def load_demo(today, if_empty=False):
    """The demo: the reference edition (Fès-Meknès 2022) and a live edition open now.

    Everything is deterministic for the same day."""
    if not database_is_empty():
        raise DemoRefused(
            "The database already holds data; the demo is only loaded into an empty database."
        )
    context = {"today": today, "password": DEMO_PASSWORD, "summary": []}
    for _order, load in DEMO_STEPS:
        load(context)
        db.session.flush()
    return "Demo loaded: " + "; ".join(context["summary"])


def load_national(today, scale=1.0):
    """The national salon at `scale` (1.0: the Agadir scale) into an empty database."""
    if not database_is_empty():
        raise DemoRefused(
            "The database already holds data; the national salon is only loaded into an empty one."
        )
    context = {"today": today, "password": DEMO_PASSWORD, "summary": [], "scale": scale}
    for _order, load in NATIONAL_STEPS:
        load(context)
        db.session.flush()
    return "National salon loaded: " + "; ".join(context["summary"])


def fail(message):
    click.secho(str(message), fg="red", err=True)
    raise SystemExit(1)


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
    day = today.date() if today else utc_now().date()
    try:
        if national:
            summary = load_national(day, scale)
        else:
            summary = load_demo(day, if_empty=if_empty)
        db.session.commit()
        if national:
            analyze_tables()
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
    db.session.commit()
    click.echo(f"Queued again: {len(revived)} job(s).")


def register_commands(app):
    """Core's commands and those the features added (call after the features are imported)."""
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(jobs_cli)
    for command in COMMANDS:
        app.cli.add_command(command)
