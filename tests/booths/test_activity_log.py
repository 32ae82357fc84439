"""Confirm, then act; undo; and an activity entry with the acting user for every change."""
# ruff: noqa: F811 - the `world` fixture is imported from test_views

import pytest
from sqlalchemy import select

from accounts.models import ActivityEntry, OutboundMessage
from booths import services
from booths.models import Badge, Stall
from core import queue
from core.extensions import db
from tests.booths.test_views import world  # noqa: F401 - the shared little world of a site


def entries(action):
    return db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.action == action).order_by(ActivityEntry.id)
    ).all()


def test_revoking_a_badge_asks_first_then_records_and_tells(
    app,
    client,
    world,
    organiser,
    login,
):
    login(organiser)
    badge = world["other_badge"]
    url = f"/badges/{badge.id}/revoke"
    page = client.post(url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ce badge se lira révoqué à chaque entrée ; il faudra en imprimer un nouveau." in text
    assert db.session.get(Badge, badge.id).revoked_at is None
    assert client.post(url, data={"confirmed": "1"}).status_code == 422  # a reason is needed
    assert db.session.get(Badge, badge.id).revoked_at is None

    assert client.post(url, data={"confirmed": "1", "reason": "Lost"}).status_code == 302
    assert db.session.get(Badge, badge.id).revoked_at is not None
    [entry] = entries("badge.revoke")
    assert (entry.actor_id, entry.reason, entry.cooperative_id, entry.edition_id) == (
        organiser.id,
        "Lost",
        world["other"].id,
        world["edition"].id,
    )
    db.session.rollback()
    assert queue.run_pending() == 1  # the request only queued it: a worker sends it
    told = db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == "badge_revoked")
    ).all()
    assert [(m.address, m.state) for m in told] == [(world["other"].email, "sent")]
    assert "http://localhost/my/cooperative" in told[0].body_text

    # Undo: the revoked badge is reissued with a new code, once.
    assert client.post(f"/badges/{badge.id}/reissue", data={"person_name": "X"}).status_code == 302
    [reissue] = entries("badge.reissue")
    assert reissue.actor_id == organiser.id
    client.post(f"/badges/{badge.id}/reissue", data={"person_name": "X"})
    assert len(entries("badge.reissue")) == 1


def test_deleting_a_stall_without_confirmation_does_nothing(
    app,
    client,
    world,
    organiser,
    login,
):
    login(organiser)
    stall = db.session.scalars(
        select(Stall).where(Stall.site_id == world["site"].id, Stall.application_id.is_(None))
    ).first()
    url = f"/editions/{world['edition'].slug}/sites/{world['site'].slug}/stalls/{stall.id}/delete"
    page = client.post(url)
    assert page.status_code == 200 and 'name="confirmed"' in page.get_data(as_text=True)
    assert db.session.get(Stall, stall.id) is not None
    assert entries("stall.delete") == []
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Stall, stall.id) is None
    [entry] = entries("stall.delete")
    assert (entry.actor_id, entry.subject_label) == (organiser.id, stall.code)


def test_a_cleared_allocation_is_restored_from_its_snapshot(
    app,
    client,
    world,
    organiser,
    login,
):
    login(organiser)
    site = world["site"]
    before = dict(
        db.session.execute(
            select(Stall.id, Stall.application_id).where(
                Stall.site_id == site.id, Stall.application_id.isnot(None)
            )
        ).all()
    )
    assert len(before) == 2
    base = f"/editions/{world['edition'].slug}/sites/{site.slug}/allocation"
    assert client.post(f"{base}/clear", data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Stall.id).where(Stall.application_id.isnot(None))) is None
    assert client.post(f"{base}/restore").status_code == 200  # asks first
    assert client.post(f"{base}/restore", data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    after = dict(
        db.session.execute(
            select(Stall.id, Stall.application_id).where(
                Stall.site_id == site.id, Stall.application_id.isnot(None)
            )
        ).all()
    )
    assert after == before
    actions = [
        (entry.action, entry.actor_id)
        for entry in db.session.scalars(select(ActivityEntry).order_by(ActivityEntry.id))
    ]
    assert actions[-2:] == [
        ("allocation.clear", organiser.id),
        ("allocation.restore", organiser.id),
    ]
    assert ("allocation.run", organiser.id) in actions  # the world's own allocation


def test_decisions_hand_edits_are_logged_and_the_cooperative_told(
    app,
    world,
    organiser,
):
    application = world["other_application"]
    services.decide_application(application, "rejected", "Dossier incomplet", organiser)
    db.session.commit()
    [entry] = entries("application.decision")
    assert (entry.actor_id, entry.reason, entry.details) == (
        organiser.id,
        "Dossier incomplet",
        {"decision": "rejected"},
    )
    message = db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.event == "application_decision")
    ).one()
    assert message.address == world["other"].email
    assert "Dossier incomplet" in message.body_text
    assert "http://localhost/my/cooperative" in message.body_text


def test_activity_pages_filter_export_and_keep_cooperatives_to_themselves(
    app,
    client,
    world,
    organiser,
    login,
    make_user,
):
    services.revoke_badge(world["other_badge"], organiser, "Lost")
    db.session.commit()
    login(organiser)
    slug = world["edition"].slug
    page = client.get(f"/editions/{slug}/activity?lang=en").get_data(as_text=True)
    assert (
        '<div class="cell-value">Badge revoked</div>' in page
        and '<div class="cell-value">Stalls allocated</div>' in page
    )
    filtered = client.get(f"/editions/{slug}/activity?lang=en&action=badge.revoke")
    assert '<div class="cell-value">Stalls allocated</div>' not in filtered.get_data(as_text=True)
    csv = client.get(f"/editions/{slug}/activity?lang=en&format=csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "When,Who,What,To what,Why,Details"
    assert len(lines) == 1 + len(db.session.scalars(select(ActivityEntry)).all())
    client.post("/logout")

    login(make_user("cooperative", cooperative=world["mine"]))
    mine = client.get("/my/activity?lang=en").get_data(as_text=True)
    assert (
        '<div class="cell-value">Badge revoked</div>' not in mine
    )  # the revoked badge was another cooperative's
    assert client.get(f"/editions/{slug}/activity").status_code == 403


def test_the_log_is_append_only(app, world, organiser):
    entry = db.session.scalars(select(ActivityEntry)).first()
    entry.reason = "rewritten"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


def test_a_cooperative_changes_the_name_on_its_badge(app, client, world, make_user, login):
    member = make_user("cooperative", cooperative=world["mine"])
    login(member)
    mine = db.session.scalars(select(Badge).where(Badge.cooperative_id == world["mine"].id)).one()
    url = f"/my/badges/{mine.id}/name"
    assert client.post(url, data={"person_name": "Khadija"}).status_code == 200  # asks first
    assert db.session.get(Badge, mine.id).revoked_at is None
    data = {"person_name": "Khadija", "confirmed": "1"}
    assert client.post(url, data=data).status_code == 302
    new = db.session.scalars(select(Badge).where(Badge.replaces_id == mine.id)).one()
    assert new.person_name == "Khadija" and db.session.get(Badge, mine.id).revoked_at
    [entry] = entries("badge.reissue")
    assert entry.actor_id == member.id
    other = f"/my/badges/{world['other_badge'].id}/name"
    assert client.post(other, data=data).status_code == 403
