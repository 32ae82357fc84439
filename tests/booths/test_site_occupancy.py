"""Stall occupancy per site, for the dashboard: m² allocated against each site's m²."""

from booths.models import Application, Stall
from booths.services import edition_booth_figures
from core.extensions import db


def stall(site, code, x, width, depth, application=None):
    return Stall(
        site_id=site.id,
        code=code,
        x_m=x,
        y_m=0,
        width_m=width,
        depth_m=depth,
        zone="food",
        amenities=[],
        pinned=False,
        application_id=application.id if application else None,
    )


def test_occupancy_per_site(app, make_edition, make_cooperative):
    edition = make_edition(status="published")
    meknes, el_hajeb = edition.site("meknes"), edition.site("el-hajeb")
    application = Application(
        cooperative_id=make_cooperative().id,
        site_id=meknes.id,
        stall_type="double",
        needs=[],
        products="miel",
        representatives=[{"name": "A", "phone": "06"}],
        status="approved",
    )
    db.session.add(application)
    db.session.flush()
    db.session.add_all(
        [
            stall(meknes, "A-01", 0, 6, 3, application),
            stall(meknes, "A-02", 7, 3, 3),
            stall(el_hajeb, "A-01", 0, 3, 3),
        ]
    )
    db.session.commit()
    figures = edition_booth_figures(edition)["by_site"]
    assert figures["meknes"] == {
        "site_area_m2": 750,
        "stall_area_m2": 18.0,
        "stalls": 2,
        "stalls_empty": 1,
    }
    assert figures["el-hajeb"] == {
        "site_area_m2": 750,
        "stall_area_m2": 0.0,
        "stalls": 1,
        "stalls_empty": 1,
    }


def test_dashboard_shows_occupancy_per_site(client, login, make_user, make_edition):
    edition = make_edition(status="published")
    login(make_user("organiser"))
    page = client.get(f"/editions/{edition.slug}/dashboard?lang=en").get_data(as_text=True)
    assert 'data-site="meknes"' in page and 'data-site="el-hajeb"' in page
