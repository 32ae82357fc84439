"""The cooperative registry: registration rules, agreement history and accounts, search."""

import pytest

from accounts.models import User
from booths import services
from booths.models import AgreementChange, Application
from core.errors import Conflict, RuleBroken
from core.extensions import db


def values(**overrides):
    record = {
        "name_ar": "تعاونية النحلة للعسل",
        "name_latin": "Coopérative Annahla du Miel",
        "legal_form": "cooperative",
        "registration_number": "coop-meк-001".replace("к", "k"),
        "city": "el hajeb",
        "sectors": ["honey", "medicinal_herbs"],
        "products": "miel de thym",
        "members": 20,
        "women_members": 12,
        "young_members": 5,
        "contact_name": "Khadija Tazi",
        "phone": "0612345678",
        "email": "Contact@Annahla.ma",
    }
    record.update(overrides)
    return record


def test_register_puts_a_cooperative_in_applicant_with_its_place_and_history(app):
    cooperative = services.register_cooperative(values(), actor=None)
    db.session.commit()
    assert cooperative.agreement_status == "applicant"
    assert cooperative.registration_number == "COOP-MEK-001"
    assert cooperative.city == "El Hajeb" and cooperative.province == "El Hajeb"
    assert cooperative.latitude and cooperative.longitude
    assert cooperative.main_sector == "honey"
    assert cooperative.email == "contact@annahla.ma"
    history = cooperative.agreement_history
    assert [(step.from_status, step.to_status) for step in history] == [(None, "applicant")]


def test_duplicate_registration_number_is_a_conflict_on_its_field(app, make_cooperative):
    make_cooperative(registration_number="COOP-MEK-001")
    with pytest.raises(Conflict) as caught:
        services.register_cooperative(values(), actor=None)
    assert caught.value.field == "registration_number"
    assert caught.value.code == "duplicate_registration_number"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name_latin": ""}, "name_latin"),
        ({"name_ar": "Annahla"}, "name_ar"),
        ({"legal_form": "company"}, "legal_form"),
        ({"registration_number": ""}, "registration_number"),
        ({"city": "Atlantis"}, "city"),
        ({"sectors": []}, "sectors"),
        ({"sectors": ["honey", "spaceships"]}, "sectors"),
        ({"women_members": 21}, "women_members"),
        ({"young_members": 21}, "young_members"),
        ({"members": -1}, "members"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_values_are_refused_on_their_field(app, overrides, field):
    with pytest.raises(RuleBroken) as caught:
        services.register_cooperative(values(**overrides), actor=None)
    assert caught.value.field == field
    db.session.rollback()
    assert db.session.query(AgreementChange).count() == 0


def test_update_keeps_its_own_registration_number_but_refuses_another(app, make_cooperative):
    other = make_cooperative(registration_number="TAKEN-1")
    cooperative = make_cooperative()
    services.update_cooperative(cooperative, {"products": "figues"}, None)
    assert cooperative.products == "figues"
    with pytest.raises(Conflict):
        services.update_cooperative(cooperative, {"registration_number": "taken-1"}, None)
    assert other.registration_number == "TAKEN-1"


def test_signing_the_agreement_creates_one_cooperative_account(app, make_user):
    organiser = make_user("organiser")
    cooperative = services.register_cooperative(values(), actor=None)
    assert services.change_agreement_status(cooperative, "under_review", organiser) is None
    username, password = services.change_agreement_status(
        cooperative, "signed", organiser, note="convention n° 12"
    )
    db.session.commit()
    user = db.session.query(User).filter_by(username=username).one()
    assert user.role == "cooperative" and user.cooperative_id == cooperative.id
    from accounts.services import authenticate

    assert authenticate(username, password) == user
    steps = [(step.from_status, step.to_status) for step in cooperative.agreement_history]
    assert steps == [(None, "applicant"), ("applicant", "under_review"), ("under_review", "signed")]
    assert cooperative.agreement_history[-1].note == "convention n° 12"
    assert cooperative.agreement_history[-1].actor_id == organiser.id
    # Suspended then signed again: no second account.
    services.change_agreement_status(cooperative, "suspended", organiser)
    assert services.change_agreement_status(cooperative, "signed", organiser) is None
    assert db.session.query(User).filter_by(cooperative_id=cooperative.id).count() == 1


@pytest.mark.parametrize(
    ("start", "target"),
    [("applicant", "signed"), ("applicant", "suspended"), ("signed", "applicant"), ("x", "signed")],
)
def test_agreement_moves_follow_the_workflow(app, make_cooperative, make_user, start, target):
    cooperative = make_cooperative(agreement_status=start)
    with pytest.raises(RuleBroken) as caught:
        services.change_agreement_status(cooperative, target, make_user("organiser"))
    assert caught.value.code == "bad_agreement_move"


def test_search_filters_by_text_sector_province_status_and_edition(
    app, make_cooperative, make_edition
):
    honey = make_cooperative(name_latin="Miel de Azrou", province="Ifrane", city="Azrou")
    oil = make_cooperative(
        name_latin="Zit Zitoun",
        sectors=["olive_oil", "honey"],
        main_sector="olive_oil",
        agreement_status="applicant",
    )
    wood = make_cooperative(
        name_latin="Bois du Cèdre", sectors=["carpentry_wood"], main_sector="carpentry_wood"
    )
    edition = make_edition()
    db.session.add(Application(cooperative=wood, site=edition.sites[0], products="tables"))
    db.session.commit()

    def found(**filters):
        return [c.id for c in services.search_cooperatives(**filters)]

    assert found(text="azrou") == [honey.id]
    assert found(text="ZIT") == [oil.id]
    assert found(sector="honey") == [honey.id, oil.id]
    assert found(province="Ifrane") == [honey.id]
    assert found(status="applicant") == [oil.id]
    assert found(edition=edition) == [wood.id]
    assert found(sector="honey", status="signed") == [honey.id]
