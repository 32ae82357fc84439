"""The cooperative portal: its own sales, stock left, what it is owed and was paid."""

from flask import render_template, request
from flask_login import current_user

from core.access import cooperative_of, roles_required
from core.timeutil import utc_now
from store import bp, services
from store.services.catalogue import block_reason
from store.services.reports import cooperative_editions, recent_cooperative_lines
from store.services.stock import cooperative_stock


@bp.get("/store/me")
@roles_required("cooperative")
def portal():
    cooperative = cooperative_of(current_user)
    editions = cooperative_editions(cooperative)
    chosen = request.args.get("edition")
    edition = next((e for e in editions if e.slug == chosen), editions[0] if editions else None)
    payouts = services.cooperative_payouts(cooperative)
    products = services.list_products(cooperative)
    context = {
        "cooperative": cooperative,
        "editions": editions,
        "edition": edition,
        "payouts": payouts,
        "now": utc_now(),
        "payout_status": services.payout_status,
        "blocked": [(p, block_reason(p)) for p in products if p.blocked],
    }
    if edition is not None:
        context.update(
            sales=services.cooperative_sales(cooperative, edition),
            stock=cooperative_stock(cooperative, edition),
            lines=recent_cooperative_lines(cooperative, edition, limit=30),
            edition_payouts=[p for p in payouts if p.edition_id == edition.id],
        )
    return render_template("store/portal.html", **context)
