"""Demo: the attendance history of the reference edition (about 10,000 visitors over its days,
with the evening and weekend peaks of a market) and a little traffic on the live edition.

Deterministic (seeded random), and fast: tickets, scans, first entries and tallies go in with
bulk inserts; the hourly counters are computed from the same rows.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from core.database import bulk_insert
from core.extensions import db
from core.timeutil import local_to_utc_naive, to_local, utc_now
from markets.tokens import current_signing_key, sign_token
from visitors.models import EditionEntry, FirstEntry, Scan, Tally, Ticket
from visitors.services.counters import (
    CounterIncrements,
    add_ticket_counts,
    add_to_counters,
    ticket_increments,
)

FIRST_NAMES = [
    "Fatima", "Khadija", "Aicha", "Amina", "Meryem", "Salma", "Hanane", "Naima", "Zineb", "Sanae",
    "Mohamed", "Ahmed", "Youssef", "Hassan", "Omar", "Rachid", "Said", "Karim", "Hamza", "Driss",
]  # fmt: skip
CITIES = [
    "El Hajeb", "Meknès", "Azrou", "Ifrane", "Fès", "Sefrou", "Khénifra", "Boufakrane",
    "Agourai", "Aïn Taoujdate", "Sebaa Aioun", "Moulay Idriss Zerhoun",
]  # fmt: skip
# Share of a day's visitors per local hour from 10:00 to 21:00: a late-morning bump, a lull
# at lunch, and the evening peak after work and school.
HOUR_WEIGHTS = {
    10: 4,
    11: 6,
    12: 7,
    13: 5,
    14: 5,
    15: 7,
    16: 9,
    17: 12,
    18: 14,
    19: 13,
    20: 11,
    21: 7,
}
TICKET_SHARE = 0.72  # the rest come in without a ticket and are tallied at the gate
REENTRY_SHARE = 0.18
BOTH_SITES_SHARE = 0.04


class Generator:
    """Builds the rows of one edition's history; everything derives from one seeded random."""

    def __init__(self, edition, volunteer, seed):
        self.edition = edition
        self.volunteer_id = volunteer.id if volunteer else None
        self.random = random.Random(seed)
        self.key = current_signing_key(edition)
        self.tickets, self.scans, self.entries, self.tallies = [], [], [], []
        self.edition_entries = {}  # token id -> row: the ticket's first entry at any site
        self.counters = CounterIncrements()
        self.gates = {}  # site id -> gate codes (read once: a national salon makes 2,000,000 scans)
        self.hour_starts = {}  # (day, hour) -> the UTC start of that local hour

    def uid(self):
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def new_ticket(self, created_at):
        token_id = f"{self.random.getrandbits(64):016x}"
        token_id, code = sign_token(self.edition, "V", token_id=token_id, key=self.key)
        named = self.random.random() < 0.55
        ticket = {
            "edition_id": self.edition.id,
            "token_id": token_id,
            "code": code,
            "name": self.random.choice(FIRST_NAMES) if named else None,
            "phone": f"06{self.random.randrange(10**8):08d}" if named else None,
            "city": self.random.choice(CITIES) if self.random.random() < 0.7 else None,
            "consent": named and self.random.random() < 0.6,
            "source": self.random.choices(["public", "gate", "batch"], [70, 20, 10])[0],
            "created_at": created_at,
        }
        self.tickets.append(ticket)
        return ticket

    def moment(self, day, hour):
        """A moment in that local hour (the clock only changes at night, never inside 10–22 h)."""
        start = self.hour_starts.get((day, hour))
        if start is None:
            start = local_to_utc_naive(datetime.combine(day, time(hour)))
            self.hour_starts[(day, hour)] = start
        return start + timedelta(seconds=self.random.randrange(3600))

    def gate(self, site):
        gates = self.gates.get(site.id)
        if gates is None:
            gates = self.gates[site.id] = site.gates
        return self.random.choice(gates)

    def scan(self, site, ticket, scanned_at, status):
        delay = timedelta(seconds=self.random.choice([1, 2, 3, 5, 40, 600, 5400]))
        self.scans.append(
            {
                "client_id": self.uid(),
                "edition_id": self.edition.id,
                "site_id": site.id,
                "checkpoint": self.gate(site),
                "direction": "in",
                "code": ticket["code"] if ticket else "SK1.forged-or-damaged",
                "token_id": ticket["token_id"] if ticket else None,
                "kind": "visitor" if ticket else None,
                "status": status,
                "error": None,
                "scanned_at": scanned_at,
                "received_at": scanned_at + delay,
                "user_id": self.volunteer_id,
            }
        )
        return self.scans[-1]

    def visitor(self, site, ticket, day, hour):
        entered = self.moment(day, hour)
        first = self.scan(site, ticket, entered, "accepted")
        self.entries.append(
            {
                "edition_id": self.edition.id,
                "site_id": site.id,
                "token_id": ticket["token_id"],
                "scan_client_id": first["client_id"],
                "entered_at": entered,
            }
        )
        new_to_edition = ticket["token_id"] not in self.edition_entries
        if new_to_edition:
            self.edition_entries[ticket["token_id"]] = {
                "edition_id": self.edition.id,
                "token_id": ticket["token_id"],
                "entered_at": entered,
            }
        self.counters.add(
            self.edition.id,
            site.id,
            entered,
            visitors=1,
            entries=1,
            new_to_edition=int(new_to_edition),
        )
        if self.random.random() < REENTRY_SHARE and hour < 21:
            again = self.moment(day, self.random.randint(hour + 1, 21))
            self.scan(site, ticket, again, "reentry")
            self.counters.add(self.edition.id, site.id, again, entries=1)

    def tally(self, site, day, hour, count):
        while count > 0:
            taps = min(count, self.random.randint(1, 12))
            counted_at = self.moment(day, hour)
            self.tallies.append(
                {
                    "client_id": self.uid(),
                    "edition_id": self.edition.id,
                    "site_id": site.id,
                    "checkpoint": self.gate(site),
                    "count": taps,
                    "status": "accepted",
                    "error": None,
                    "counted_at": counted_at,
                    "received_at": counted_at + timedelta(seconds=self.random.randint(1, 900)),
                    "user_id": self.volunteer_id,
                }
            )
            self.counters.add(self.edition.id, site.id, counted_at, tallied=taps)
            count -= taps

    def save(self):
        for model, rows in (
            (Ticket, self.tickets),
            (Scan, self.scans),
            (FirstEntry, self.entries),
            (EditionEntry, list(self.edition_entries.values())),
            (Tally, self.tallies),
        ):
            bulk_insert(model, rows)
        add_to_counters(self.counters)
        add_ticket_counts(ticket_increments(self.tickets))


def day_weight(day, site):
    """Weekends draw more; the opening day and the last day a little less and more."""
    weight = 1.6 if day.weekday() >= 5 else 1.0
    if day == site.opens_on:
        weight *= 0.8
    if day == site.closes_on:
        weight *= 1.15
    return weight


def split(total, weights, rng):
    """Split a total over weighted keys, with a little noise, summing exactly to the total."""
    noisy = {key: weight * rng.uniform(0.85, 1.15) for key, weight in weights.items()}
    scale = total / sum(noisy.values())
    shares = {key: int(value * scale) for key, value in noisy.items()}
    for key in sorted(noisy, key=lambda k: noisy[k] * scale - shares[k], reverse=True):
        if sum(shares.values()) >= total:
            break
        shares[key] += 1
    return shares


def site_history(generator, site, visitors, hours, shared):
    """One site's days: ticket holders (some also seen at the other site) and tallies."""
    rng = generator.random
    days = {}
    day = site.opens_on
    while day <= site.closes_on:
        days[day] = day_weight(day, site)
        day += timedelta(days=1)
    for day, day_total in split(visitors, days, rng).items():
        for hour, count in split(day_total, hours, rng).items():
            holders = round(count * TICKET_SHARE)
            for _index in range(holders):
                if shared and rng.random() < BOTH_SITES_SHARE:
                    ticket = shared.pop(rng.randrange(len(shared)))
                else:
                    created = local_to_utc_naive(datetime.combine(day, time(8))) - timedelta(
                        hours=rng.randint(0, 24 * 12)
                    )
                    ticket = generator.new_ticket(created)
                generator.visitor(site, ticket, day, hour)
            generator.tally(site, day, hour, count - holders)
            if rng.random() < 0.05:
                generator.scan(site, None, generator.moment(day, hour), "invalid")


def exhibitor_scans(generator, site, badges):
    """Each exhibitor of the site comes in once a morning before the crowd."""
    for badge in badges:
        day = site.opens_on
        while day <= site.closes_on:
            scanned_at = generator.moment(day, 10)
            row = generator.scan(site, None, scanned_at, "exhibitor")
            row.update(code=badge.code, token_id=badge.token_id, kind="exhibitor")
            day += timedelta(days=1)


def load_history(edition, volunteer, site_totals, badges, seed, hours=None):
    generator = Generator(edition, volunteer, seed)
    for site in edition.sites:
        shared = list(generator.tickets)
        site_history(generator, site, site_totals[site.slug], hours or HOUR_WEIGHTS, shared)
        exhibitor_scans(generator, site, [b for b in badges if b.site_id == site.id])
    generator.save()
    return generator


def load_live(edition, volunteer, badges, today):
    """The live edition: yesterday's full day and today's scans until now."""
    now_local = to_local(utc_now())
    site_totals = {site.slug: 0 for site in edition.sites}
    generator = Generator(edition, volunteer, seed=3)
    for site in edition.sites:
        for day, hour_limit in ((today - timedelta(days=1), 22), (today, now_local.hour)):
            if not site.opens_on <= day <= site.closes_on:
                continue
            hours = {h: w for h, w in HOUR_WEIGHTS.items() if h < hour_limit}
            if not hours:
                continue
            total = 60 + round(3 * sum(hours.values()))
            site_totals[site.slug] += total
            for hour, count in split(total, hours, generator.random).items():
                holders = round(count * TICKET_SHARE)
                for _index in range(holders):
                    created = local_to_utc_naive(datetime.combine(day, time(8)))
                    generator.visitor(site, generator.new_ticket(created), day, hour)
                generator.tally(site, day, hour, count - holders)
    generator.save()
    return sum(site_totals.values())


def load(context):
    reference, live = context["reference"], context["live"]
    volunteer = context.get("users", {}).get("volunteer")
    badges = context.get("badges") or []
    reference_badges = [badge for badge in badges if badge.edition_id == reference.id]
    totals = {"el-hajeb": 4150, "meknes": 6050}
    generator = load_history(reference, volunteer, totals, reference_badges, seed=2022)
    today = context.get("today") or date.today()
    live_visitors = load_live(live, volunteer, [], today)
    db.session.flush()
    context["tickets"] = generator.tickets
    context["summary"].append(
        f"{len(generator.tickets)} visitor tickets, {len(generator.scans)} gate scans and "
        f"{sum(t['count'] for t in generator.tallies)} tallied visitors for fes-meknes-2022; "
        f"{live_visitors} visitors so far on fes-meknes-live"
    )
