"""The demo loads the workshop programme of both editions and the reference edition's history."""

from datetime import date

from sqlalchemy import func, select

from core.cli import load_demo
from core.extensions import db
from markets.services import get_edition
from workshops import services
from workshops.models import TOPICS, Attendance, Feedback, Registration, Workshop


def test_demo_programme_and_history(app):
    summary = load_demo(date(2026, 11, 21))
    db.session.commit()
    assert "workshops" in summary
    reference, live = get_edition("fes-meknes-2022"), get_edition("fes-meknes-live")
    for edition in (reference, live):
        workshops = services.list_workshops(edition)
        assert len(workshops) >= 8
        assert {w.site.slug for w in workshops} == {"meknes", "el-hajeb"}
        assert {w.topic for w in workshops} == set(TOPICS)
    figures = services.edition_workshop_figures(reference)
    assert figures["attendance"] > 100
    assert 0 < figures["fill_rate"] <= 1.2
    assert 3 <= figures["average_rating"] <= 5
    assert 0.3 < figures["women_share"] < 0.9
    assert figures["young_share"] is not None
    scanned = db.session.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.source == "scan")
    )
    assert scanned > 0
    assert db.session.scalar(select(func.count()).select_from(Feedback)) > 50
    # Never over capacity.
    over = db.session.execute(
        select(Workshop.id)
        .join(Registration, Registration.workshop_id == Workshop.id)
        .where(Registration.status == "registered")
        .group_by(Workshop.id, Workshop.capacity)
        .having(func.count() > Workshop.capacity)
    ).all()
    assert over == []
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.status == "waitlisted")
        )
        > 0
    )
