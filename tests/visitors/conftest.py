"""Fixtures of the visitors tests: an open edition, signed codes, and scan builders."""

import uuid
from datetime import date, datetime, timedelta

import pytest

from core.extensions import db

# Sunday 6 November 2022, 11:15 in Morocco (UTC+1 that day): both demo sites are open.
OPEN_TIME = "2022-11-06T11:15:00+01:00"


@pytest.fixture
def edition(make_edition):
    return make_edition(status="open", starts_on=date(2022, 11, 5), ends_on=date(2022, 11, 13))


@pytest.fixture
def ticket(edition):
    from visitors.services import create_ticket

    ticket = create_ticket(edition, {"name": "Amina", "phone": "0612345678"}, None)
    db.session.commit()
    return ticket


@pytest.fixture
def volunteer(make_user):
    return make_user("volunteer")


@pytest.fixture
def make_scan(edition):
    def make(code, site="meknes", checkpoint="gate-north", scanned_at=OPEN_TIME, **values):
        scan = {
            "id": str(uuid.uuid4()),
            "code": code,
            "edition": edition.slug,
            "site": site,
            "checkpoint": checkpoint,
            "direction": "in",
            "scanned_at": scanned_at,
        }
        scan.update(values)
        return scan

    return make


@pytest.fixture
def make_badge(edition, make_cooperative):
    """An exhibitor badge (booths.models.Badge) for a site of the edition."""
    from booths.models import Badge
    from markets.tokens import sign_token

    def make(site_slug="meknes", for_edition=None):
        target = for_edition or edition
        site = target.site(site_slug)
        cooperative = make_cooperative()
        token_id, code = sign_token(target, "E")
        badge = Badge(
            edition_id=target.id,
            site_id=site.id,
            cooperative_id=cooperative.id,
            person_name="Fatima",
            person_phone="0611111111",
            token_id=token_id,
            code=code,
        )
        db.session.add(badge)
        db.session.commit()
        return badge

    return make


def at(text):
    return datetime.fromisoformat(text)


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_edition(make_edition):
    """An edition open from yesterday to in three days, its sites open all day."""
    today = date.today()
    return make_edition(
        status="open",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
        hours=(0, 1440),
    )


@pytest.fixture
def phone(chromium):
    """A phone-sized page in French (390x844, touch), patient with a busy machine."""
    context = chromium.new_context(
        viewport=PHONE, locale="fr-FR", timezone_id="Africa/Casablanca", has_touch=True
    )
    context.set_default_navigation_timeout(90_000)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()
