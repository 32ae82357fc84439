"""Stall applications: who may apply, when, what; decisions and their effects."""

from datetime import timedelta

import pytest

from booths import services
from booths.models import Application, Badge, Stall
from core.errors import Conflict, Forbidden, RuleBroken
from core.extensions import db
from markets import tokens

REQUEST = {
    "stall_type": "double",
    "needs": ["water", "electricity", "water"],
    "products": "huile d'olive",
    "representatives": [
        {"name": "Fatima Zahra", "phone": "0612345678"},
        {"name": "", "phone": ""},
        {"name": "محمد بناني", "phone": "+212 661 000 000"},
    ],
}


@pytest.fixture
def edition(future_edition):
    return future_edition()


def test_a_cooperative_applies_once_per_site(app, edition, make_user):
    user = make_user("cooperative")
    cooperative = user.cooperative
    site = edition.sites[0]
    application = services.apply_for_stall(cooperative, site, REQUEST, user)
    db.session.commit()
    assert application.status == "pending"
    assert application.needs == ["electricity", "water"]
    assert [person["name"] for person in application.representatives] == [
        "Fatima Zahra",
        "محمد بناني",
    ]
    with pytest.raises(Conflict) as caught:
        services.apply_for_stall(cooperative, site, REQUEST, user)
    assert caught.value.code == "already_applied"
    # The other site of the edition is another application.
    services.apply_for_stall(cooperative, edition.sites[1], REQUEST, user)


def test_an_organiser_applies_on_behalf_of_a_cooperative(app, edition, organiser, make_cooperative):
    application = services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    assert application.id


def test_a_cooperative_user_may_not_apply_for_another(app, edition, make_user, make_cooperative):
    user = make_user("cooperative")
    with pytest.raises(Forbidden):
        services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, user)
    with pytest.raises(Forbidden):
        services.apply_for_stall(
            make_cooperative(), edition.sites[0], REQUEST, make_user("volunteer")
        )


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_no_application_to_an_unpublished_or_closed_edition(
    app, future_edition, organiser, make_cooperative, status
):
    edition = future_edition(status=status)
    with pytest.raises(RuleBroken) as caught:
        services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    assert caught.value.code == "edition_not_published"


def test_applications_close_when_the_site_opens(app, edition, organiser, make_cooperative):
    site = edition.sites[0]
    opening = site.first_opening
    services.apply_for_stall(
        make_cooperative(), site, REQUEST, organiser, now=opening - timedelta(minutes=1)
    )
    with pytest.raises(RuleBroken) as caught:
        services.apply_for_stall(make_cooperative(), site, REQUEST, organiser, now=opening)
    assert caught.value.code == "applications_closed"


def test_a_suspended_cooperative_cannot_apply(app, edition, organiser, make_cooperative):
    with pytest.raises(Forbidden):
        services.apply_for_stall(
            make_cooperative(agreement_status="suspended"), edition.sites[0], REQUEST, organiser
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"stall_type": "palace"}, "stall_type"),
        ({"needs": ["helicopter"]}, "needs"),
        ({"products": "  "}, "products"),
        ({"representatives": []}, "representatives"),
        (
            {"representatives": [{"name": f"P{n}", "phone": "0612345678"} for n in range(4)]},
            "representatives",
        ),
        ({"representatives": [{"name": "Sans téléphone", "phone": ""}]}, "representatives"),
        ({"representatives": [{"name": "", "phone": "0612345678"}]}, "representatives"),
    ],
)
def test_bad_requests_are_refused(app, edition, organiser, make_cooperative, overrides, field):
    with pytest.raises(RuleBroken) as caught:
        services.apply_for_stall(
            make_cooperative(), edition.sites[0], {**REQUEST, **overrides}, organiser
        )
    assert caught.value.field == field
    assert db.session.query(Application).count() == 0


def test_a_pending_application_can_be_changed_until_decided(
    app, edition, organiser, make_cooperative
):
    application = services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    services.update_application(application, {**REQUEST, "stall_type": "standard"}, organiser)
    assert application.stall_type == "standard"
    services.decide_application(application, "approved", "", organiser)
    with pytest.raises(RuleBroken):
        services.update_application(application, REQUEST, organiser)


def test_approval_issues_a_signed_badge_per_representative(
    app, edition, organiser, make_cooperative
):
    application = services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    services.decide_application(application, "approved", "", organiser)
    db.session.commit()
    badges = db.session.query(Badge).order_by(Badge.id).all()
    assert [badge.person_name for badge in badges] == ["Fatima Zahra", "محمد بناني"]
    for badge in badges:
        token = tokens.verify_token(badge.code)
        assert token.kind == "E" and token.token_id == badge.token_id
        assert token.edition_id == edition.id
    assert application.decided_at is not None and application.decided_by_id == organiser.id
    # Approving again issues nothing new.
    services.decide_application(application, "approved", "", organiser)
    assert db.session.query(Badge).count() == 2


@pytest.mark.parametrize("decision", ["waitlisted", "rejected"])
def test_waitlist_and_rejection_need_a_reason(app, edition, organiser, make_cooperative, decision):
    application = services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    with pytest.raises(RuleBroken) as caught:
        services.decide_application(application, decision, " ", organiser)
    assert caught.value.field == "reason"
    services.decide_application(application, decision, "Pas de place", organiser)
    assert application.status == decision and application.reason == "Pas de place"


def test_rejecting_an_approved_application_frees_its_stall_and_revokes_its_badges(
    app, edition, organiser, make_cooperative, make_application, make_plan
):
    site = edition.sites[0]
    make_plan(site, standard=4)
    application = make_application(make_cooperative(), site, people=2)
    services.allocate_stalls(site, organiser)
    db.session.commit()
    assert application.stall is not None
    services.decide_application(application, "rejected", "Produits non conformes", organiser)
    db.session.commit()
    assert db.session.query(Stall).filter(Stall.application_id.isnot(None)).count() == 0
    badges = db.session.query(Badge).all()
    assert len(badges) == 2 and all(badge.revoked for badge in badges)
    assert all(tokens.is_revoked(badge.token_id) for badge in badges)


def test_unknown_decision(app, edition, organiser, make_cooperative):
    application = services.apply_for_stall(make_cooperative(), edition.sites[0], REQUEST, organiser)
    with pytest.raises(RuleBroken):
        services.decide_application(application, "maybe", "", organiser)
