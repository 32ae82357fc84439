"""Programme rules: rooms and speakers never double-booked, inside the site's dates and hours."""

from datetime import timedelta

import pytest

from core.errors import Forbidden, RuleBroken
from core.extensions import db
from tests.workshops.conftest import local
from workshops import services
from workshops.models import Workshop


def test_create_workshop_with_speakers(future_edition, make_workshop):
    workshop = make_workshop(
        future_edition,
        titles={"ar": "البيع عبر الإنترنت", "fr": "Vendre en ligne", "en": "", "es": " "},
        speakers=[{"name": " Salma  Idrissi ", "organisation": "ODCo", "bio": "Formatrice"}],
    )
    assert workshop.titles == {"ar": "البيع عبر الإنترنت", "fr": "Vendre en ligne"}
    assert [(s.name, s.organisation, s.name_key) for s in workshop.speakers] == [
        ("Salma Idrissi", "ODCo", "salma idrissi")
    ]


def test_same_room_same_time_is_refused(future_edition, make_workshop):
    make_workshop(future_edition, room="Tente A", start=(11, 0), end=(12, 30))
    with pytest.raises(RuleBroken) as error:
        make_workshop(future_edition, room="tente  a", start=(12, 0), end=(13, 0))
    assert error.value.code == "room_booked" and error.value.field == "room"
    db.session.rollback()
    assert db.session.query(Workshop).count() == 1


def test_same_room_back_to_back_is_fine(future_edition, make_workshop):
    first = make_workshop(future_edition, room="Tente A", start=(11, 0), end=(12, 30))
    second = make_workshop(future_edition, room="Tente A", start=(12, 30), end=(13, 30))
    assert first.ends_at == second.starts_at and first.room == second.room == "Tente A"
    assert db.session.query(Workshop).count() == 2


def test_same_room_name_at_another_site_is_fine(future_edition, make_workshop):
    first = make_workshop(future_edition, room="Tente A")
    second = make_workshop(future_edition, site_slug="el-hajeb", room="Tente A")
    assert (first.starts_at, first.ends_at) == (second.starts_at, second.ends_at)
    assert {first.site.slug, second.site.slug} == {"meknes", "el-hajeb"}
    assert db.session.query(Workshop).count() == 2


def test_speaker_in_two_places_at_once_is_refused(future_edition, make_workshop):
    speaker = {"name": "Karim Bennani", "organisation": "", "bio": ""}
    make_workshop(future_edition, speakers=[speaker], start=(11, 0), end=(12, 0))
    with pytest.raises(RuleBroken) as error:
        make_workshop(
            future_edition,
            site_slug="el-hajeb",
            speakers=[{"name": "karim  BENNANI"}],
            start=(11, 30),
            end=(12, 30),
        )
    assert error.value.code == "speaker_booked"


def test_speaker_listed_twice_is_refused(future_edition, make_workshop):
    with pytest.raises(RuleBroken):
        make_workshop(future_edition, speakers=[{"name": "A B"}, {"name": "a b"}])


@pytest.mark.parametrize(
    "start, end",
    [((9, 0), (10, 30)), ((21, 0), (22, 30)), ((9, 59), (11, 0)), ((21, 30), (22, 1))],
)
def test_outside_daily_hours_is_refused(future_edition, make_workshop, start, end):
    with pytest.raises(RuleBroken) as error:
        make_workshop(future_edition, start=start, end=end)
    assert error.value.code == "outside_opening_hours"


def test_exactly_the_opening_hours_is_fine(future_edition, make_workshop):
    workshop = make_workshop(future_edition, start=(10, 0), end=(22, 0))
    assert workshop.ends_at - workshop.starts_at == timedelta(hours=12)
    assert db.session.query(Workshop).count() == 1


@pytest.mark.parametrize("days", [-1, 5])
def test_outside_site_dates_is_refused(future_edition, make_workshop, days):
    with pytest.raises(RuleBroken) as error:
        make_workshop(future_edition, day=future_edition.starts_on + timedelta(days=days))
    assert error.value.code == "outside_opening_hours"


def test_end_before_start_is_refused(future_edition, make_workshop):
    with pytest.raises(RuleBroken):
        make_workshop(future_edition, start=(12, 0), end=(11, 0))


@pytest.mark.parametrize(
    "field, value",
    [
        ("titles", {}),
        ("topic", "cooking"),
        ("format", "party"),
        ("audience", "everyone"),
        ("room", "  "),
        ("capacity", 0),
    ],
)
def test_bad_values_are_refused(future_edition, make_workshop, field, value):
    with pytest.raises(RuleBroken):
        make_workshop(future_edition, **{field: value})


def test_site_of_another_edition_is_refused(future_edition, make_edition, make_workshop):
    other = make_edition()
    with pytest.raises(RuleBroken):
        make_workshop(future_edition, site=other.site("meknes"))


def test_closed_edition_cannot_change(make_edition, make_workshop):
    edition = make_edition(status="closed")
    with pytest.raises(Forbidden):
        make_workshop(edition)


def test_update_checks_clashes_but_not_against_itself(future_edition, make_workshop, organiser):
    first = make_workshop(future_edition, room="Tente A", start=(11, 0), end=(12, 0))
    second = make_workshop(future_edition, room="Tente B", start=(11, 0), end=(12, 0))
    services.update_workshop(first, {"ends_at": local(future_edition.starts_on, 12, 30)}, organiser)
    with pytest.raises(RuleBroken):
        services.update_workshop(second, {"room": "Tente A"}, organiser)


def test_delete_workshop_without_registrations(future_edition, make_workshop, organiser):
    workshop = make_workshop(future_edition)
    services.delete_workshop(workshop, organiser)
    assert db.session.query(Workshop).count() == 0


def test_list_workshops_by_site_and_day(future_edition, make_workshop):
    first = make_workshop(future_edition, start=(15, 0), end=(16, 0))
    second = make_workshop(future_edition, start=(11, 0), end=(12, 0))
    make_workshop(future_edition, site_slug="el-hajeb")
    make_workshop(future_edition, day=future_edition.starts_on + timedelta(days=1))
    site = future_edition.site("meknes")
    day = future_edition.starts_on
    assert services.list_workshops(future_edition, site=site, day=day) == [second, first]
    assert len(services.list_workshops(future_edition)) == 4
