"""The workshop row lock, shared by the programme and the registrations (which both change seats)."""

from flask_babel import gettext as _
from sqlalchemy import select

from core.errors import NotFound
from core.extensions import db
from workshops.models import Workshop


def lock_workshop(workshop_id):
    """Reload a workshop with its row locked until the end of the transaction."""
    workshop = db.session.execute(
        select(Workshop)
        .where(Workshop.id == workshop_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if workshop is None:
        raise NotFound(_("No such workshop."), code="unknown_workshop")
    return workshop
