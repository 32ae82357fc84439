"""Booths fixtures: an edition taking applications, applications, floor plans."""

from datetime import date, timedelta

import pytest

from core.extensions import db


@pytest.fixture
def future_edition(make_edition):
    """A published edition whose sites open in a month (applications are open)."""

    def make(status="published", sites=("meknes", "el-hajeb")):
        start = date.today() + timedelta(days=30)
        return make_edition(
            status=status, sites=sites, starts_on=start, ends_on=start + timedelta(days=7)
        )

    return make


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


@pytest.fixture
def make_application(app, organiser):
    """An application inserted directly (any status), bypassing the opening-date rule."""
    from booths.models import Application

    def make(cooperative, site, status="approved", stall_type="standard", needs=(), people=1):
        application = Application(
            cooperative=cooperative,
            site=site,
            stall_type=stall_type,
            needs=list(needs),
            products="miel",
            representatives=[
                {"name": f"{cooperative.contact_name} {n}", "phone": "0612345678"}
                for n in range(people)
            ],
            status=status,
        )
        db.session.add(application)
        db.session.commit()
        return application

    return make


@pytest.fixture
def make_plan(app, organiser):
    from booths.services import LayoutRule, generate_floor_plan

    def make(site, **rule):
        plan = generate_floor_plan(site, LayoutRule(**rule), organiser)
        db.session.commit()
        return plan

    return make


@pytest.fixture
def coop_login(client, make_user, login):
    """Sign in as a cooperative user of a given cooperative; returns the user."""

    def sign_in(cooperative):
        user = make_user("cooperative", cooperative=cooperative)
        login(user)
        return user

    return sign_in
