"""The national salon's cooperatives: 1,000 in the registry, 640 exhibiting over three sites with
two representatives each (about 1,300 badges), stalls laid out and allocated per site."""

from sqlalchemy import insert, select

from accounts.services import create_user
from booths.demo import HELPERS_AR, SECTOR_NEEDS, demo_cooperatives, record_agreement_history
from booths.models import FOOD_SECTORS, Application, Badge, Cooperative
from booths.services import LayoutRule, allocate_stalls, generate_floor_plan
from core.extensions import db


def load_cooperatives(count):
    rows = demo_cooperatives(count=count, seed=7)
    db.session.execute(insert(Cooperative), rows)
    return db.session.scalars(select(Cooperative).order_by(Cooperative.id)).all()


def exhibit_nationally(edition, cooperatives, organiser):
    sites = list(edition.sites)
    rows = []
    for index, cooperative in enumerate(cooperatives):
        site = sites[index % len(sites)]
        rows.append(
            {
                "cooperative_id": cooperative.id,
                "site_id": site.id,
                "stall_type": "standard",
                "needs": SECTOR_NEEDS.get(cooperative.main_sector, []),
                "products": cooperative.products,
                "representatives": [
                    {"name": cooperative.contact_name, "phone": cooperative.phone},
                    {"name": HELPERS_AR[index % len(HELPERS_AR)], "phone": f"0662{index:06d}"},
                ],
                "status": "approved",
                "reason": "",
                "decided_by_id": organiser.id,
                "waitlisted_by_allocation": False,
            }
        )
    db.session.execute(insert(Application), rows)
    placed = 0
    sector_of = {cooperative.id: cooperative.main_sector for cooperative in cooperatives}
    for site in sites:
        here = [row for row in rows if row["site_id"] == site.id]
        food = sum(1 for row in here if sector_of[row["cooperative_id"]] in FOOD_SECTORS)
        # Enough stalls in each zone (food together, crafts together) for every exhibitor.
        stalls = len(here) + max(4, len(here) // 10)
        share = min(1.0, round(food / max(1, len(here)) + 0.02, 3))
        rule = LayoutRule(standard=stalls, food_share=share)
        generate_floor_plan(site, rule, organiser)
        result = allocate_stalls(site, organiser)
        placed += len(result.assignments) + len(result.kept)
    return placed


def load(context):
    scale, organiser, edition = context["scale"], context["organiser"], context["national"]
    cooperatives = load_cooperatives(max(3, round(1000 * scale)))
    record_agreement_history(cooperatives, organiser)
    exhibitors = cooperatives[: max(3, round(640 * scale))]
    placed = exhibit_nationally(edition, exhibitors, organiser)
    badges = db.session.scalars(select(Badge).where(Badge.edition_id == edition.id)).all()
    create_user(
        "coop",
        context["password"],
        "cooperative",
        full_name=exhibitors[0].contact_name,
        cooperative=exhibitors[0],
    )
    context.update(cooperatives=cooperatives, exhibitors=exhibitors, badges=badges)
    context["summary"].append(
        f"{len(cooperatives)} cooperatives, {placed} exhibiting, {len(badges)} badges"
    )
