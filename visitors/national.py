"""The national salon's gates: 200,000 visitors over ten days and three sites, and about
2,000,000 scans (visitors come back through the gates several times a day), in bulk."""

from datetime import timedelta

from accounts.devices import create_device
from core.database import bulk_insert
from core.extensions import db
from core.timeutil import utc_now
from visitors.demo import HOUR_WEIGHTS, Generator, exhibitor_scans, site_history
from visitors.models import Scan
from visitors.services.counters import CounterIncrements, add_to_counters

SCANS_PER_VISITOR = 10
DEVICES = 40  # a phone at each of the 30 gates, and ten cashiers' phones
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
                    "checkpoint": generator.gate(site),
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
        bulk_insert(Scan, rows)
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
    devices = lend_devices(edition, context["organiser"], max(1, round(DEVICES * scale)))
    context["summary"].append(f"{tickets} tickets and {scans} gate scans, {devices} phones")


def lend_devices(edition, organiser, count):
    """The phones of the salon: one per gate, the rest cashiers' phones spread over the sites,
    made by the device service (its rules and journal), all provisioned and seen at opening."""
    gates = [(site, gate) for site in edition.sites for gate in site.gates]
    sites = list(edition.sites)
    now = utc_now()
    for number in range(count):
        if number < len(gates):
            site, gate = gates[number]
            values = {"name": f"Porte {gate}", "role": "volunteer", "site": site, "gate": gate}
        else:
            site = sites[number % len(sites)]
            values = {"name": f"Caisse {number - len(gates) + 1}", "role": "cashier", "site": site}
        device, _link = create_device(
            edition, {**values, "lent_to": f"Bénévole {number + 1}"}, organiser
        )
        device.provisioned_at = device.last_seen_at = now
        device.link_hash = None
    db.session.flush()
    return count
