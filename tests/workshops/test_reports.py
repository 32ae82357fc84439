"""Figures: attendance by workshop/topic/site, fill rates, women and young participants."""

from types import SimpleNamespace

import pytest

from core.extensions import db
from markets import tokens
from workshops import services


def scan(edition, workshop, holder=None, kind="E"):
    _, code = tokens.sign_token(edition, kind)
    token = tokens.verify_token(code)
    site = edition.site("meknes") if workshop.site.slug == "meknes" else edition.site("el-hajeb")
    return services.record_door_scan(workshop.id, site, token, holder, workshop.starts_at)


def test_empty_edition(future_edition):
    assert services.edition_workshop_figures(future_edition) == {
        "workshops": 0,
        "attendance": 0,
        "capacity": 0,
        "fill_rate": None,
        "average_rating": None,
        "by_topic": {},
        "women_share": None,
        "young_share": None,
    }


def test_edition_figures(future_edition, make_workshop, make_user, organiser, person):
    online = make_workshop(future_edition, topic="online_selling", capacity=10)
    management = make_workshop(
        future_edition, topic="management", capacity=30, site_slug="el-hajeb"
    )
    user = make_user("cooperative")
    cooperative = user.cooperative
    women = [
        services.register_member(online, cooperative, person(gender="female", under_35=young), user)
        for young in (True, True, False)
    ]
    man = services.register_member(online, cooperative, person(gender="male", under_35=False), user)
    for registration in women + [man]:
        badge = SimpleNamespace(
            person_name=registration.person_name,
            person_phone=registration.phone,
            cooperative_id=cooperative.id,
        )
        assert scan(future_edition, online, badge) == "accepted"
    scan(future_edition, online, SimpleNamespace(name="Visitor", phone="0700000009"), kind="V")
    attendance = services.add_walk_in(management, {"person_name": "Driss"}, organiser)
    services.submit_feedback(attendance, {"rating": 4}, now=management.ends_at)
    db.session.commit()

    figures = services.edition_workshop_figures(future_edition)
    assert figures["workshops"] == 2
    assert figures["attendance"] == 6
    assert figures["capacity"] == 40
    assert figures["fill_rate"] == pytest.approx(6 / 40)
    assert figures["average_rating"] == 4
    assert figures["women_share"] == pytest.approx(3 / 4)
    assert figures["young_share"] == pytest.approx(2 / 4)
    assert figures["by_topic"] == {
        "online_selling": {"sessions": 1, "attendance": 5, "capacity": 10},
        "management": {"sessions": 1, "attendance": 1, "capacity": 30},
    }
    rows = {row["workshop"].id: row for row in services.workshop_report_rows(future_edition)}
    assert rows[online.id]["registered"] == 4
    assert rows[online.id]["cooperative"] == 4
    assert rows[management.id]["site"] == "el-hajeb"


def test_report_page_and_csv(client, login, organiser, future_edition, make_workshop):
    workshop = make_workshop(future_edition, titles={"fr": "Vente en ligne", "ar": "البيع"})
    services.add_walk_in(workshop, {"person_name": "Amal"}, organiser)
    db.session.commit()
    login(organiser)
    page = client.get(f"/editions/{future_edition.slug}/workshops/report")
    assert page.status_code == 200
    assert "Vente en ligne" in page.get_data(as_text=True)
    response = client.get(f"/editions/{future_edition.slug}/workshops/report.csv")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("workshop_id,title,topic")
    assert lines[1].split(",")[2] == "online_selling"
    assert ",0.050," in lines[1]  # 1 present out of 20 seats
