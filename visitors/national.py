"""The national salon's gates: 200,000 visitors over ten days and three sites, and about
2,000,000 scans (visitors come back through the gates several times a day), in bulk."""

from datetime import timedelta

from sqlalchemy import insert

from core.extensions import db
from visitors.demo import HOUR_WEIGHTS, Generator, exhibitor_scans, site_history
from visitors.models import Scan
from visitors.services.counters import CounterIncrements, add_to_counters

SCANS_PER_VISITOR = 10
CHUNK = 20_000


def extra_reentries(generator, site, tickets, count, seed_day):
    """`count` more re-entry scans of these tickets at this site, written in chunks."""
    rng = generator.random
    written = 0
    while written < count:
        rows, counters = [], CounterIncrements()
        for _index in range(min(CHUNK, count - written)):
            ticket = tickets[rng.randrange(len(tickets))]
            day = site.opens_on + timedelta(
                days=rng.randrange((site.closes_on - seed_day).days + 1)
            )
            scanned_at = generator.moment(day, rng.randint(10, 21))
            rows.append(
                {
                    "client_id": generator.uid(),
                    "edition_id": generator.edition.id,
                    "site_id": site.id,
                    "checkpoint": rng.choice(site.gates),
                    "direction": "in",
                    "code": ticket["code"],
                    "token_id": ticket["token_id"],
                    "kind": "visitor",
                    "status": "reentry",
                    "error": None,
                    "scanned_at": scanned_at,
                    "received_at": scanned_at + timedelta(seconds=rng.randint(1, 60)),
                    "user_id": generator.volunteer_id,
                }
            )
            counters.add(generator.edition.id, site.id, scanned_at, entries=1)
        db.session.execute(insert(Scan), rows)
        add_to_counters(counters)
        written += len(rows)
    return written


def load(context):
    scale, edition = context["scale"], context["national"]
    volunteer = context["users"]["volunteer"]
    visitors = max(30, round(200_000 * scale))
    wanted_scans = round(2_000_000 * scale)
    scans = tickets = 0
    for number, site in enumerate(edition.sites):
        generator = Generator(edition, volunteer, seed=700 + number)
        site_history(generator, site, visitors // len(edition.sites), HOUR_WEIGHTS, [])
        exhibitor_scans(generator, site, [b for b in context["badges"] if b.site_id == site.id])
        generator.save()
        site_tickets = generator.tickets
        scans += len(generator.scans)
        tickets += len(site_tickets)
        share = max(0, wanted_scans // len(edition.sites) - len(generator.scans))
        if site_tickets:
            scans += extra_reentries(generator, site, site_tickets, share, site.opens_on)
        db.session.flush()
    context["summary"].append(f"{tickets} tickets and {scans} gate scans")
