"""`flask demo --national` at a reduced scale: the counts follow the scale, the edition is open,
and the dashboard, attendance and report API answer on it."""

from datetime import date

import pytest

from accounts.models import Device, User
from booths.models import Badge, Cooperative
from core.cli import DemoRefused, load_national
from core.extensions import db
from markets.models import Edition
from store.models import Payout, Product, SaleLine
from store.services import edition_sales_figures
from visitors.models import Scan, Ticket
from visitors.services import count_tickets
from workshops.models import Registration, Workshop


def test_the_national_salon_at_one_hundredth_scale(app, client, login, api_headers):
    summary = load_national(date(2026, 11, 29), scale=0.01)
    db.session.commit()
    assert summary.startswith("National salon loaded")
    edition = db.session.query(Edition).one()
    assert (edition.slug, edition.status, len(edition.sites)) == (
        "salon-national-agadir",
        "open",
        3,
    )
    assert (edition.ends_on - edition.starts_on).days == 9
    assert sum(len(site.gates) for site in edition.sites) == 30
    assert db.session.query(Cooperative).count() == 10
    assert db.session.query(Badge).count() == 12  # 6 exhibitors, two people each
    assert 1000 <= db.session.query(Ticket).count() <= 2000
    by_source = db.session.query(Ticket.source, db.func.count()).group_by(Ticket.source).all()
    assert count_tickets(edition) == dict(by_source)  # the loader keeps the ticket counts
    assert 19_000 <= db.session.query(Scan).count() <= 21_000
    assert 1_800 <= db.session.query(SaleLine).count() <= 2_200
    assert db.session.query(Payout).count() > 0
    assert db.session.query(Product).count() == 50  # 5,000 at full scale
    assert db.session.query(Workshop).count() == 3  # 120 (at least three)
    assert db.session.query(Registration).count() == 60  # 6,000
    assert db.session.query(Device).filter(Device.provisioned_at.isnot(None)).count() == 1  # 40
    # the bulk-loaded lines are in the tallies the reports read
    lines = db.session.query(SaleLine).filter(SaleLine.edition_id == edition.id).all()
    figures = edition_sales_figures(edition)
    assert figures["lines"] == len(lines)
    assert figures["sales_centimes"] == sum(line.amount_centimes for line in lines)
    with pytest.raises(DemoRefused):
        load_national(date(2026, 11, 29), scale=0.01)
    db.session.rollback()
    organiser = db.session.query(User).filter_by(username="organiser").one()
    headers = api_headers(organiser)
    report = client.get(f"/api/v1/editions/{edition.slug}/report", headers=headers)
    assert report.status_code == 200 and report.get_json()["visitors"] > 1000
    attendance = client.get(f"/api/v1/editions/{edition.slug}/attendance", headers=headers)
    assert attendance.status_code == 200


def test_the_command_refuses_a_database_that_is_not_empty(app, make_user):
    make_user("organiser")
    result = app.test_cli_runner().invoke(args=["demo", "--national", "--scale", "0.01"])
    assert result.exit_code == 1
    assert "already holds data" in result.output


def test_the_command_loads_then_measures_the_tables_for_the_planner(app, is_postgresql):
    result = app.test_cli_runner().invoke(args=["demo", "--national", "--scale", "0.005"])
    assert result.exit_code == 0, result.output
    assert "National salon loaded" in result.output
    if is_postgresql:  # reltuples is -1 until a table is first analysed
        measured = db.session.execute(
            db.text("SELECT reltuples FROM pg_class WHERE relname = 'scans'")
        ).scalar()
        assert measured > 5000
    else:
        statistics = db.session.execute(
            db.text(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'scans' "
                "AND idx = 'ix_scans_site_status_scanned'"
            )
        ).scalar()
        assert int(statistics.split()[0]) > 5000  # the row count SQLite's planner reads
