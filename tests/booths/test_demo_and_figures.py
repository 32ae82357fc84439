"""The booths' part of `flask demo`, and the booth figures of an edition."""

from datetime import date

import pytest

from booths.models import AgreementChange, Application, Badge, Stall
from booths.services import edition_booth_figures
from core.cli import DEMO_PASSWORD
from core.extensions import db
from markets import tokens


def load_markets_and_booths(today):
    import booths.demo
    import markets.demo

    context = {"today": today, "password": DEMO_PASSWORD, "summary": []}
    markets.demo.load(context)
    booths.demo.load(context)
    db.session.commit()
    return context


def test_demo_gives_the_60_cooperatives_stalls_and_badges_in_both_editions(app):
    # No request context: `flask demo` runs from the command line.
    context = load_markets_and_booths(date(2026, 11, 21))
    cooperatives = context["cooperatives"]
    assert len(cooperatives) == 60
    for edition in (context["reference"], context["live"]):
        figures = edition_booth_figures(edition)
        assert figures["applicants"] == figures["admitted"] == 60
        assert figures["stall_area_m2"] <= figures["site_area_m2"] == 1500
        for site in edition.sites:
            placed = (
                db.session.query(Stall)
                .filter(Stall.site_id == site.id, Stall.application_id.isnot(None))
                .count()
            )
            assert placed == 30
    assert db.session.query(Application).filter(Application.status != "approved").count() == 0
    coop = context["coop"]
    assert context["coop_user"].cooperative_id == coop.id
    coop_stalls = (
        db.session.query(Stall)
        .join(Application, Stall.application_id == Application.id)
        .filter(Application.cooperative_id == coop.id)
        .all()
    )
    assert len({stall.site.edition_id for stall in coop_stalls}) == 2
    badges = context["badges"]
    assert len(badges) == 240 and all(isinstance(badge, Badge) for badge in badges)
    assert {badge.edition_id for badge in badges if badge.cooperative_id == coop.id} == {
        context["reference"].id,
        context["live"].id,
    }
    assert all(badge.stall_id for badge in badges)
    sample = badges[::37]
    assert all(tokens.verify_token(badge.code).token_id == badge.token_id for badge in sample)
    assert any("\u0600" <= char <= "\u06ff" for badge in badges for char in badge.person_name)
    exhibitors = [cooperative.id for cooperative in cooperatives]
    history = db.session.query(AgreementChange).filter(
        AgreementChange.cooperative_id.in_(exhibitors)
    )
    assert history.count() == 180  # applicant, under review, signed for each exhibitor
    assert "240 exhibitor badges" in context["summary"][-1]


def test_demo_is_deterministic(app):
    with app.test_request_context():
        load_markets_and_booths(date(2026, 11, 21))
    first = sorted(
        (stall.site_id, stall.code, stall.application.cooperative.registration_number)
        for stall in db.session.query(Stall).filter(Stall.application_id.isnot(None))
    )
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    with app.test_request_context():
        load_markets_and_booths(date(2026, 11, 21))
    second = sorted(
        (stall.site_id, stall.code, stall.application.cooperative.registration_number)
        for stall in db.session.query(Stall).filter(Stall.application_id.isnot(None))
    )
    assert [row[1:] for row in first] == [row[1:] for row in second]


@pytest.fixture
def edition_with_booths(future_edition, organiser, make_plan, make_application, make_cooperative):
    from booths import services

    edition = future_edition()
    first, second = sorted(edition.sites, key=lambda site: site.slug)
    make_plan(first, standard=3, double=1, food_share=1.0)
    fes = make_cooperative(province="Fès", city="Fès")
    taza = make_cooperative(province="Taza", city="Taza")
    make_application(fes, first, stall_type="double")
    make_application(taza, first)
    make_application(fes, second, status="pending")
    make_application(make_cooperative(province="Taza", city="Taza"), second, status="rejected")
    services.allocate_stalls(first, organiser)
    db.session.commit()
    return edition, fes, taza


def test_edition_booth_figures(app, edition_with_booths):
    edition, fes, taza = edition_with_booths
    figures = edition_booth_figures(edition)
    assert figures["applicants"] == 3
    assert figures["admitted"] == 2
    assert figures["admitted_cooperative_ids"] == sorted([fes.id, taza.id])
    assert figures["stall_area_m2"] == 18 + 9
    assert figures["site_area_m2"] == 1500
    assert figures["stalls"] == 4 and figures["stalls_empty"] == 2
    assert figures["by_province"] == {
        "Fès": {"applicants": 1, "admitted": 1, "stall_area_m2": 18.0},
        "Taza": {"applicants": 2, "admitted": 1, "stall_area_m2": 9.0},
    }


def test_figures_of_an_edition_without_booths(app, make_edition):
    figures = edition_booth_figures(make_edition())
    assert figures["applicants"] == 0 and figures["stalls"] == 0
    assert figures["stall_area_m2"] == 0.0 and figures["by_province"] == {}


def test_demo_leaves_cooperatives_to_review_in_the_registry(app):
    from booths.models import Cooperative
    from booths.services import search_cooperatives

    context = load_markets_and_booths(date(2026, 11, 21))
    waiting = search_cooperatives(status="applicant").all()
    reviewing = search_cooperatives(status="under_review").all()
    assert len(waiting) == 5 and len(reviewing) == 3
    queue = {cooperative.id for cooperative in waiting + reviewing}
    assert not queue & {cooperative.id for cooperative in context["cooperatives"]}
    assert db.session.query(Application).filter(Application.cooperative_id.in_(queue)).count() == 0
    for cooperative in waiting + reviewing:
        steps = [change.to_status for change in cooperative.agreement_history]
        assert steps[-1] == cooperative.agreement_status and steps[0] == "applicant"
        assert cooperative.created_at.date() <= date(2026, 11, 21)
        assert cooperative.products and cooperative.province
    assert db.session.query(Cooperative).count() == 68
