"""Market planning: editions, their status rules and their sites in several cities."""

from datetime import date

import pytest

from core.errors import Conflict, Forbidden, RuleBroken
from core.extensions import db
from markets import services
from markets.models import Edition, Site


def edition_values(**values):
    record = {
        "slug": "fes-meknes-2030",
        "number": 4,
        "names": {"fr": "4e édition", "ar": "الدورة الرابعة"},
        "visitor_target": 8000,
        "starts_on": date(2030, 5, 1),
        "ends_on": date(2030, 5, 10),
    }
    record.update(values)
    return record


def site_values(**values):
    record = {
        "slug": "meknes",
        "city": "Meknès",
        "names": {"fr": "Meknès"},
        "venue": "Place Lahdim",
        "area_m2": 800,
        "opens_on": date(2030, 5, 2),
        "closes_on": date(2030, 5, 9),
        "opens_minute": 600,
        "closes_minute": 1320,
        "visitor_target": 5000,
        "gates": "gate-north, gate-south",
    }
    record.update(values)
    return record


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


def test_edition_gets_a_signing_key_and_starts_as_draft(app, organiser):
    from markets.models import SigningKey

    edition = services.create_edition(edition_values(), organiser)
    assert edition.status == "draft"
    assert db.session.query(SigningKey).filter_by(edition_id=edition.id).count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"ends_on": date(2030, 4, 1)}, "ends_on"),
        ({"visitor_target": 0}, "visitor_target"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"names": {"fr": "  "}}, "names"),
        ({"commission_basis_points": 12000}, "commission_basis_points"),
    ],
)
def test_edition_rules(app, organiser, values, field):
    with pytest.raises(RuleBroken) as error:
        services.create_edition(edition_values(**values), organiser)
    assert error.value.field == field


def test_duplicate_edition_slug(app, organiser):
    services.create_edition(edition_values(), organiser)
    with pytest.raises(Conflict):
        services.create_edition(edition_values(), organiser)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"closes_on": date(2030, 5, 1)}, "closes_on"),
        ({"opens_on": date(2030, 4, 28)}, "opens_on"),
        ({"closes_on": date(2030, 5, 11)}, "opens_on"),
        ({"area_m2": 0}, "area_m2"),
        ({"visitor_target": -5}, "visitor_target"),
        ({"city": "Atlantis"}, "city"),
        ({"opens_minute": 1320, "closes_minute": 600}, "closes_minute"),
        ({"gates": ""}, "gates"),
    ],
)
def test_site_rules(app, organiser, values, field):
    edition = services.create_edition(edition_values(), organiser)
    with pytest.raises(RuleBroken) as error:
        services.create_site(edition, site_values(**values), organiser)
    assert error.value.field == field
    assert db.session.query(Site).count() == 0


def test_site_coordinates_come_from_the_gazetteer(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    site = services.create_site(edition, site_values(city="meknes"), organiser)
    assert site.city == "Meknès"
    assert site.province == "Meknès"
    assert site.latitude == pytest.approx(33.89, abs=0.01)
    assert site.gates == ["gate-north", "gate-south"]


def test_two_editions_cannot_overlap_at_one_venue(app, organiser):
    first = services.create_edition(edition_values(), organiser)
    services.create_site(first, site_values(), organiser)
    second = services.create_edition(edition_values(slug="other-2030"), organiser)
    with pytest.raises(Conflict) as error:
        services.create_site(second, site_values(), organiser)
    assert error.value.field == "venue"
    # Another venue in the same city, or the same venue on other days, is fine.
    services.create_site(second, site_values(venue="Bab Mansour"), organiser)


def test_duplicate_site_slug_in_an_edition(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    services.create_site(edition, site_values(), organiser)
    with pytest.raises(Conflict):
        services.create_site(edition, site_values(venue="Elsewhere"), organiser)


def test_status_moves(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    with pytest.raises(RuleBroken):
        services.change_status(edition, "published", organiser)  # no site yet
    services.create_site(edition, site_values(), organiser)
    with pytest.raises(RuleBroken):
        services.change_status(edition, "open", organiser)  # draft cannot jump to open
    for status in ("published", "open", "closed"):
        services.change_status(edition, status, organiser)
    with pytest.raises(RuleBroken):
        services.change_status(edition, "open", organiser)  # closed is final


def test_closed_edition_is_read_only(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    site = services.create_site(edition, site_values(), organiser)
    for status in ("published", "open", "closed"):
        services.change_status(edition, status, organiser)
    with pytest.raises(Forbidden):
        services.update_edition(edition, {"visitor_target": 1}, organiser)
    with pytest.raises(Forbidden):
        services.update_site(site, {"area_m2": 5}, organiser)


def test_open_edition_keeps_slug_and_start(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    services.create_site(edition, site_values(), organiser)
    services.change_status(edition, "published", organiser)
    services.change_status(edition, "open", organiser)
    with pytest.raises(Forbidden):
        services.update_edition(edition, {"slug": "renamed"}, organiser)
    services.update_edition(edition, {"visitor_target": 12000}, organiser)
    assert edition.visitor_target == 12000


def test_edition_dates_cannot_shrink_past_its_sites(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    services.create_site(edition, site_values(), organiser)
    with pytest.raises(RuleBroken):
        services.update_edition(edition, {"ends_on": date(2030, 5, 5)}, organiser)


def test_distance_between_meknes_and_el_hajeb(app, organiser):
    edition = services.create_edition(edition_values(), organiser)
    services.create_site(edition, site_values(), organiser)
    services.create_site(
        edition, site_values(slug="el-hajeb", city="El Hajeb", venue="Centre"), organiser
    )
    [(first, second, km)] = services.site_distances(edition)
    assert {first.slug, second.slug} == {"meknes", "el-hajeb"}
    assert 25 < km < 30  # geodesic distance between the two towns


def test_site_is_open_by_moroccan_time(app, organiser):
    from datetime import datetime

    from core.timeutil import local_to_utc_naive

    edition = services.create_edition(edition_values(), organiser)
    site = services.create_site(edition, site_values(), organiser)
    assert site.is_open_at(local_to_utc_naive(datetime(2030, 5, 3, 10, 30)))
    assert not site.is_open_at(local_to_utc_naive(datetime(2030, 5, 3, 9, 30)))
    assert not site.is_open_at(local_to_utc_naive(datetime(2030, 5, 3, 22, 0)))
    assert not site.is_open_at(local_to_utc_naive(datetime(2030, 5, 10, 12, 0)))


def test_opening_hours_follow_the_moroccan_offset_of_the_day(app, organiser):
    """In 2022 Morocco was UTC+1: 09:30 UTC was 10:30 local, inside 10:00–22:00."""
    from datetime import datetime

    edition = services.create_edition(
        edition_values(starts_on=date(2022, 11, 1), ends_on=date(2022, 11, 9), slug="old-2022"),
        organiser,
    )
    site = services.create_site(
        edition, site_values(opens_on=date(2022, 11, 2), closes_on=date(2022, 11, 8)), organiser
    )
    assert site.is_open_at(datetime(2022, 11, 3, 9, 30))
    assert not site.is_open_at(datetime(2022, 11, 3, 8, 30))


def test_localized_names_fall_back(app, organiser):
    from core.i18n import localized

    assert localized({"fr": "Meknès", "ar": "مكناس"}, "ar") == "مكناس"
    assert localized({"fr": "Meknès"}, "es") == "Meknès"
    assert localized({"en": "Meknes"}, "ar") == "Meknes"
    assert localized({}, "fr") == ""


def test_edition_rows_are_saved(app, organiser):
    services.create_edition(edition_values(), organiser)
    db.session.commit()
    assert (
        db.session.query(Edition).filter_by(slug="fes-meknes-2030").one().names["ar"]
        == "الدورة الرابعة"
    )
