"""The visitors' part of `flask demo`: the reference edition's attendance history."""

from datetime import date

from core.cli import DEMO_PASSWORD
from core.extensions import db
from core.timeutil import to_local
from visitors.models import FirstEntry, Scan, Tally, Ticket
from visitors.services import attendance_summary, count_tickets


def load_markets_and_visitors(today):
    import markets.demo
    import visitors.demo

    context = {"today": today, "password": DEMO_PASSWORD, "summary": []}
    markets.demo.load(context)
    visitors.demo.load(context)
    db.session.commit()
    return context


def test_reference_history_reaches_about_ten_thousand_visitors(app):
    context = load_markets_and_visitors(date(2026, 11, 21))
    reference = context["reference"]
    summary = attendance_summary(reference)
    assert 9500 <= summary["visitors"] <= 10500
    assert summary["entries"] > summary["visitors"]
    assert 2000 <= summary["tallied"] <= 3500
    by_site = {site["site"]: site for site in summary["sites"]}
    assert abs(by_site["el-hajeb"]["visitors"] - 4150) <= 5
    assert abs(by_site["meknes"]["visitors"] - 6050) <= 5
    # Some ticket holders visited both sites: the edition counts them once.
    both = by_site["el-hajeb"]["visitors"] + by_site["meknes"]["visitors"] - summary["visitors"]
    assert 50 <= both <= 400
    # Counters agree with the rows they summarise.
    scans = db.session.query(Scan).filter_by(edition_id=reference.id)
    accepted = scans.filter_by(status="accepted").count()
    reentries = scans.filter_by(status="reentry").count()
    tallied = sum(t.count for t in db.session.query(Tally).filter_by(edition_id=reference.id))
    assert summary["tallied"] == tallied
    assert summary["entries"] == accepted + reentries + tallied
    assert accepted == db.session.query(FirstEntry).filter_by(edition_id=reference.id).count()
    assert db.session.query(Ticket).filter_by(edition_id=reference.id).count() > 6000
    for edition in (reference, context["live"]):  # the bulk-loaded tickets are counted too
        rows = db.session.query(Ticket.source, db.func.count()).filter_by(edition_id=edition.id)
        assert count_tickets(edition) == dict(rows.group_by(Ticket.source).all())
    assert "visitor tickets" in context["summary"][-1]


def test_weekends_and_evenings_peak(app):
    context = load_markets_and_visitors(date(2026, 11, 21))
    summary = attendance_summary(context["reference"])
    meknes = next(site for site in summary["sites"] if site["site"] == "meknes")
    days = {day["date"]: day["visitors"] for day in meknes["days"]}
    weekday = days["2022-11-09"]  # a Wednesday
    assert days["2022-11-12"] > 1.3 * weekday  # Saturday
    hours = {}
    for day in meknes["days"]:
        for hour in day["hours"]:
            hours[hour["hour"]] = hours.get(hour["hour"], 0) + hour["entries"]
    assert max(hours, key=hours.get) in (17, 18, 19)
    assert hours[18] > 2 * hours[10]
    first_scan = db.session.query(Scan).filter_by(status="accepted").first()
    assert 10 <= to_local(first_scan.scanned_at).hour <= 21


def test_live_edition_has_yesterdays_traffic(app):
    context = load_markets_and_visitors(date.today())
    live = attendance_summary(context["live"])
    assert live["visitors"] > 100
    yesterday = (date.today().toordinal() - 1, date.today().toordinal())
    days_with_visitors = {
        date.fromisoformat(day["date"]).toordinal()
        for site in live["sites"]
        for day in site["days"]
        if day["visitors"]
    }
    assert yesterday[0] in days_with_visitors
    assert days_with_visitors <= set(yesterday)
