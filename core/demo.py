"""The demo: the reference edition (Fès-Meknès 2022) and a live edition open now.

Each feature adds its part in its own `demo.py` (a `load(context)` function), in this order, so
that later parts can use what earlier ones made. Everything is deterministic for the same day.
"""

import importlib

from core.extensions import db

DEMO_STEPS = ("markets.demo", "booths.demo", "visitors.demo", "store.demo", "workshops.demo")
NATIONAL_STEPS = ("markets.national", "booths.national", "visitors.national", "store.national")
DEMO_PASSWORD = "demo-pass-2026"


class DemoRefused(Exception):
    pass


def database_is_empty():
    from accounts.models import User
    from booths.models import Cooperative
    from markets.models import Edition

    return not any(db.session.query(model.id).first() for model in (User, Edition, Cooperative))


def load_demo(today, if_empty=False):
    if not database_is_empty():
        raise DemoRefused(
            "The database already holds data; the demo is only loaded into an empty database."
        )
    context = {"today": today, "password": DEMO_PASSWORD, "summary": []}
    for step in DEMO_STEPS:
        try:
            module = importlib.import_module(step)
        except ModuleNotFoundError as error:
            if error.name == step:
                continue
            raise
        module.load(context)
        db.session.flush()
    close_reference_edition(context)
    return "Demo loaded: " + "; ".join(context["summary"])


def load_national(today, scale=1.0):
    """The national salon at `scale` (1.0: the Agadir scale) into an empty database."""
    if not database_is_empty():
        raise DemoRefused(
            "The database already holds data; the national salon is only loaded into an empty one."
        )
    context = {"today": today, "password": DEMO_PASSWORD, "summary": [], "scale": scale}
    for step in NATIONAL_STEPS:
        importlib.import_module(step).load(context)
        db.session.flush()
    return "National salon loaded: " + "; ".join(context["summary"])


def close_reference_edition(context):
    """The reference edition ran in 2022: closed once every feature loaded its history."""
    from markets.services import change_status

    change_status(context["reference"], "closed", context["organiser"])
