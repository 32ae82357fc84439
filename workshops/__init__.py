"""Workshops: programme, registration, attendance, certificates and feedback."""

from apiflask import APIBlueprint
from flask import Blueprint

bp = Blueprint("workshops", __name__)
api_bp = APIBlueprint("workshops_api", __name__, url_prefix="/api/v1", enable_openapi=True)

from core.checkpoints import register_checkpoint_kind  # noqa: E402
from core.cli import add_demo_step, add_national_step  # noqa: E402
from workshops import api, demo, jobs, national, views  # noqa: E402, F401
from workshops.services.attendance import record_door_scan  # noqa: E402
from workshops.services.programme import workshop_doors  # noqa: E402

register_checkpoint_kind("workshop", record_scan=record_door_scan, list_doors=workshop_doors)
add_demo_step(50, demo.load)
add_national_step(50, national.load)
