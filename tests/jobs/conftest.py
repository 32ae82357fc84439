"""Jobs fixtures: the booths' factories, a site with badges, and the queue emptied between tests."""

import pytest

from booths import services
from core import queue
from core.extensions import db
from tests.booths.conftest import (  # noqa: F401
    future_edition,
    make_application,
    make_plan,
    organiser,
)


@pytest.fixture(autouse=True)
def empty_queue(app):
    queue.huey.flush()
    yield
    queue.huey.flush()


@pytest.fixture
def site_with_badges(  # noqa: F811
    app,
    future_edition,  # noqa: F811
    organiser,  # noqa: F811
    make_plan,  # noqa: F811
    make_application,  # noqa: F811
    make_cooperative,
):
    """A site whose approved applications hold `count` valid badges."""

    def make(count=10):
        edition = future_edition()
        site = edition.sites[0]
        cooperatives = max(1, (count + 2) // 3)
        make_plan(site, standard=cooperatives + 2, food_share=1.0)
        left = count
        for _ in range(cooperatives):
            people = min(3, left)
            if people <= 0:
                break
            make_application(make_cooperative(), site, people=people)
            left -= people
        services.allocate_stalls(site, organiser)
        db.session.commit()
        assert len(services.site_badges(site)) == count
        return site

    return make
