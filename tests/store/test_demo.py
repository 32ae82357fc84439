"""The store's part of `flask demo`, run on the test database."""

from datetime import date

from core.cli import load_demo
from core.extensions import db
from markets.models import Edition
from store import services
from store.models import Product, StockLevel, StockMovement
from store.services.stock import ledger_balance


def test_demo_builds_catalogue_stock_history_and_payouts(app):
    summary = load_demo(date(2026, 11, 21))
    assert "store products" in summary
    reference = db.session.query(Edition).filter_by(slug="fes-meknes-2022").one()
    live = db.session.query(Edition).filter_by(slug="fes-meknes-live").one()
    from booths.models import Cooperative

    cooperatives = db.session.query(Cooperative).filter_by(agreement_status="signed").all()
    assert len(cooperatives) == 60  # the exhibitors; applicants under review sell nothing
    for site in live.sites:
        stocked = {p.cooperative_id for p, quantity in services.site_stock(site) if quantity > 0}
        assert stocked == {c.id for c in cooperatives}
    figures = services.edition_sales_figures(reference)
    assert figures["lines"] > 2000 and figures["sales_centimes"] > 0
    assert figures["owed_centimes"] + figures["commission_centimes"] == figures["sales_centimes"]
    assert set(figures["by_channel"]) == {"store", "online", "retail"}
    assert 0.8 < figures["paid_on_time_share"] < 1
    assert figures["paid_centimes"] == figures["owed_centimes"]
    assert services.edition_sales_figures(live)["lines"] > 0
    # the ledger adds up to every stock level
    for level in db.session.query(StockLevel).limit(50):
        assert ledger_balance(level.product_id, level.site_id) == level.quantity
    assert db.session.query(StockMovement).filter(StockMovement.quantity == 0).count() == 0
    assert db.session.query(Product).filter_by(blocked=True).count() == 1


def test_demo_is_deterministic(app):
    load_demo(date(2026, 11, 21))
    reference = db.session.query(Edition).filter_by(slug="fes-meknes-2022").one()
    first = services.edition_sales_figures(reference)
    from tests.conftest import empty_all_tables

    db.session.remove()
    empty_all_tables()
    load_demo(date(2026, 11, 21))
    reference = db.session.query(Edition).filter_by(slug="fes-meknes-2022").one()
    again = services.edition_sales_figures(reference)
    for key in ("sales_centimes", "by_day", "by_channel", "lines", "paid_on_time_share"):
        assert first[key] == again[key]
