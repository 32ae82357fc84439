"""The survey: once per attendee, after the start; results per workshop and per topic."""

from datetime import timedelta

import pytest

from core.errors import Conflict, RuleBroken
from core.extensions import db
from workshops import services
from workshops.models import Feedback


@pytest.fixture
def workshop(future_edition, make_workshop):
    return make_workshop(future_edition, topic="marketing")


@pytest.fixture
def attendance(workshop, organiser):
    attendance = services.add_walk_in(workshop, {"person_name": "Amina"}, organiser)
    db.session.commit()
    return attendance


def after(workshop):
    return workshop.ends_at + timedelta(minutes=5)


def test_one_answer_per_attendee(attendance, workshop):
    services.submit_feedback(attendance, {"rating": "4", "useful": "Photos"}, now=after(workshop))
    with pytest.raises(Conflict) as error:
        services.submit_feedback(attendance, {"rating": 5}, now=after(workshop))
    assert error.value.code == "already_answered"
    assert db.session.query(Feedback).count() == 1


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_rating_must_be_1_to_5(attendance, workshop, rating):
    with pytest.raises(RuleBroken):
        services.submit_feedback(attendance, {"rating": rating}, now=after(workshop))


def test_not_before_the_workshop(attendance, workshop):
    with pytest.raises(RuleBroken):
        services.submit_feedback(
            attendance, {"rating": 3}, now=workshop.starts_at - timedelta(minutes=1)
        )


def test_results_per_workshop_and_topic(workshop, organiser, future_edition):
    for name, rating in (("A", 5), ("B", 4), ("C", 2)):
        attendance = services.add_walk_in(workshop, {"person_name": name}, organiser)
        services.submit_feedback(
            attendance,
            {"rating": rating, "improve": "Plus long" if rating < 3 else ""},
            now=after(workshop),
        )
    results = services.feedback_for_workshop(workshop)
    assert results["answers"] == 3
    assert results["average"] == pytest.approx(11 / 3)
    assert results["distribution"] == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert results["improve"] == ["Plus long"]
    topics = services.feedback_by_topic(future_edition)
    assert topics["marketing"]["answers"] == 3
    assert topics["marketing"]["average"] == pytest.approx(11 / 3)


def test_survey_page(client, attendance, workshop, monkeypatch):
    from workshops.services import feedback

    monkeypatch.setattr(feedback, "utc_now", lambda: after(workshop))
    page = client.get(f"/workshops/survey/{attendance.key}")
    assert page.status_code == 200
    response = client.post(
        f"/workshops/survey/{attendance.key}", data={"rating": "5", "useful": "Tout"}
    )
    assert response.status_code == 302
    again = client.post(f"/workshops/survey/{attendance.key}", data={"rating": "1"})
    assert again.status_code == 409
    assert 'id="survey-done"' in again.get_data(as_text=True)
    assert db.session.query(Feedback).one().rating == 5


def test_survey_page_bad_rating(client, attendance, workshop, monkeypatch):
    from workshops.services import feedback

    monkeypatch.setattr(feedback, "utc_now", lambda: after(workshop))
    response = client.post(f"/workshops/survey/{attendance.key}", data={"rating": "9"})
    assert response.status_code == 422
    assert db.session.query(Feedback).count() == 0
