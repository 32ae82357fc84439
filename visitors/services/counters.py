"""The hourly attendance counters and the ticket counts: incremented set-wise, in the
transaction of the scans and tickets that feed them."""

from collections import Counter

from core.database import add_to_counter_rows
from visitors.models import AttendanceHour, TicketCount

COUNTER_COLUMNS = ("visitors", "entries", "tallied", "edition_visitors")


def hour_of(moment):
    """The start of the UTC hour of a naive UTC datetime."""
    return moment.replace(minute=0, second=0, microsecond=0)


def add_to_counters(increments):
    """Add {(edition_id, site_id, hour): (visitors, entries, tallied, edition_visitors)}.

    One INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n (core.database.add_to_counter_rows).
    """
    rows = [
        {
            "edition_id": edition_id,
            "site_id": site_id,
            "hour": hour,
            "visitors": visitors,
            "entries": entries,
            "tallied": tallied,
            "edition_visitors": edition_visitors,
        }
        for (edition_id, site_id, hour), (
            visitors,
            entries,
            tallied,
            edition_visitors,
        ) in increments.items()
        if visitors or entries or tallied or edition_visitors
    ]
    add_to_counter_rows(AttendanceHour.__table__, ("site_id", "hour"), COUNTER_COLUMNS, rows)


def add_ticket_counts(increments):
    """Add {(edition_id, source): tickets made} to the editions' ticket counts, in the
    transaction of the tickets themselves."""
    rows = [
        {"edition_id": edition_id, "source": source, "count": count}
        for (edition_id, source), count in increments.items()
        if count
    ]
    add_to_counter_rows(TicketCount.__table__, ("edition_id", "source"), ("count",), rows)


def ticket_increments(tickets):
    """The ticket counts of rows about to be inserted ({"edition_id", "source", ...} each)."""
    return Counter((ticket["edition_id"], ticket["source"]) for ticket in tickets)


class CounterIncrements(dict):
    """Collects increments per (edition, site, hour) before one add_to_counters call."""

    def add(self, edition_id, site_id, moment, visitors=0, entries=0, tallied=0, new_to_edition=0):
        key = (edition_id, site_id, hour_of(moment))
        old = self.get(key, (0, 0, 0, 0))
        self[key] = (
            old[0] + visitors,
            old[1] + entries,
            old[2] + tallied,
            old[3] + new_to_edition,
        )
