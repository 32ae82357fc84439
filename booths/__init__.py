"""Booths: cooperative registry, stall applications, floor plans, allocation and badges."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("booths", __name__)
api_bp = APIBlueprint("booths_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from accounts.cooperatives import register_cooperative_lookups  # noqa: E402
from booths import api, demo, import_jobs, jobs, national, views  # noqa: E402, F401
from booths.models import Cooperative  # noqa: E402
from booths.services.registry import (  # noqa: E402
    cooperative_choices,
    find_cooperative,
    find_cooperative_by_registration_number,
)
from core.cli import add_demo_guard, add_demo_step, add_national_step  # noqa: E402

register_cooperative_lookups(
    choices=cooperative_choices,
    by_id=find_cooperative,
    by_registration_number=find_cooperative_by_registration_number,
)
add_demo_guard(Cooperative)
add_demo_step(20, demo.load)
add_national_step(20, national.load)
