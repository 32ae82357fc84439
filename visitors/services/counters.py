"""The hourly attendance counters: incremented set-wise, in the transaction of the scans."""

from core.database import conflict_insert
from core.extensions import db
from visitors.models import AttendanceHour


def hour_of(moment):
    """The start of the UTC hour of a naive UTC datetime."""
    return moment.replace(minute=0, second=0, microsecond=0)


def add_to_counters(increments):
    """Add {(edition_id, site_id, hour): (visitors, entries, tallied, edition_visitors)}.

    One INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n; keys are sorted so that two
    transactions always lock the counter rows in the same order (no deadlock).
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
        ) in sorted(increments.items())
        if visitors or entries or tallied or edition_visitors
    ]
    if not rows:
        return
    table = AttendanceHour.__table__
    statement = conflict_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["site_id", "hour"],
        set_={
            "visitors": table.c.visitors + statement.excluded.visitors,
            "entries": table.c.entries + statement.excluded.entries,
            "tallied": table.c.tallied + statement.excluded.tallied,
            "edition_visitors": table.c.edition_visitors + statement.excluded.edition_visitors,
        },
    )
    db.session.execute(statement, rows)


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
