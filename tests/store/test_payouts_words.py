"""The payouts page at a laptop's width in French: words wrap between words, never inside one
("payé", "Relevé" and an amount in MAD each on one line; main's overflow-wrap: anywhere once let
the table squeeze its columns and the figures' cards break inside "MAD")."""

from datetime import timedelta

from core.extensions import db
from core.timeutil import utc_now
from store import services
from store.models import Payout
from tests.store.test_browser import sign_in


def test_status_link_and_amounts_are_never_cut_inside_a_word(
    live_server, chromium, store_edition, make_product, make_cooperative, make_user, stock, sell
):
    site = store_edition.sites[0]
    product = make_product(make_cooperative(name_latin="Coopérative Annahla du Miel"), price=9999)
    stock(product, site, 900)
    sell(store_edition, site, [(product, 800)], sold_at=utc_now() - timedelta(hours=80))
    organiser = make_user("organiser", username="salma")
    services.compute_payouts(store_edition)
    payout = db.session.query(Payout).one()
    services.mark_payout_paid(payout, utc_now(), "VIR-2026-00073", organiser)
    db.session.commit()
    slug = store_edition.slug
    db.session.rollback()  # hold no transaction while the live server reads (SQLite)

    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()
    base = live_server.url()
    sign_in(page, base, "salma")
    page.goto(f"{base}/store/editions/{slug}/payouts?lang=fr")

    def lines_of(locator):
        """How many lines the element's text takes (its height over its line height)."""
        return locator.evaluate(
            "e => Math.round(e.getBoundingClientRect().height /"
            " parseFloat(getComputedStyle(e).lineHeight))"
        )

    row = page.locator("table tbody tr").first
    status = row.locator(".badge").first
    assert status.inner_text().strip() == "payé"
    assert lines_of(status) == 1
    statement = row.locator("a", has_text="Relevé").first
    assert lines_of(statement) == 1
    amounts = page.locator(".figure strong", has_text="MAD")
    assert amounts.count() == 4
    paid = amounts.nth(3)
    assert "MAD" in paid.inner_text() and lines_of(paid) == 1
    context.close()
