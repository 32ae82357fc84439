"""core.database.bulk_insert: the loaders' bulk rows, one statement per chunk (COPY on PostgreSQL)."""

from datetime import datetime

from sqlalchemy import event, select

from core.database import bulk_insert, copy_applies
from core.extensions import db
from markets.models import Gate
from visitors.models import Ticket


def ticket_rows(edition, count):
    """Tickets whose optional values differ from row to row (None or a value)."""
    return [
        {
            "edition_id": edition.id,
            "token_id": f"{number:016x}",
            "code": f"SK1.code-{number}",
            "name": "Fatima" if number % 2 else None,
            "phone": None if number % 3 else f"06{number:08d}",
            "city": "Meknès" if number % 5 == 0 else None,
            "consent": number % 4 == 0,
            "source": ("public", "gate", "batch")[number % 3],
            "created_at": datetime(2022, 11, 5, 9, number % 60),
        }
        for number in range(count)
    ]


class Statements:
    def __init__(self):
        self.sent = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith("BEGIN"):  # SQLite's transaction opening
            self.sent.append(statement.split("(")[0].strip())


def written(edition):
    return db.session.scalars(
        select(Ticket).where(Ticket.edition_id == edition.id).order_by(Ticket.token_id)
    ).all()


def test_rows_with_and_without_optional_values_go_in_whole(app, make_edition, is_postgresql):
    edition = make_edition()
    rows = ticket_rows(edition, 120)
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    try:
        bulk_insert(Ticket, rows, chunk=50)
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)
    tickets = written(edition)
    assert [
        (t.token_id, t.name, t.phone, t.city, t.consent, t.source, t.created_at) for t in tickets
    ] == [
        (
            row["token_id"],
            row["name"],
            row["phone"],
            row["city"],
            row["consent"],
            row["source"],
            row["created_at"],
        )
        for row in rows
    ]
    if is_postgresql:
        assert statements.sent == []  # one COPY through the driver, no INSERT at all
    else:
        assert statements.sent == ["INSERT INTO tickets"] * 3  # 120 rows in chunks of 50


def test_copy_only_where_every_defaulted_column_is_named_and_no_json(app, is_postgresql):
    full = {
        "edition_id": 1,
        "token_id": "a",
        "code": "c",
        "consent": False,
        "source": "gate",
        "created_at": datetime(2022, 11, 5),
    }
    without_default = {key: value for key, value in full.items() if key != "created_at"}
    assert copy_applies(Ticket.__table__, full) is is_postgresql
    assert copy_applies(Ticket.__table__, without_default) is False
    gate = {"site_id": 1, "code": "g", "names": {"fr": "Porte"}, "role": "both", "position": 0}
    assert copy_applies(Gate.__table__, gate) is False


def test_missing_defaulted_columns_take_their_defaults(app, make_edition):
    edition = make_edition()
    rows = [
        {
            "edition_id": edition.id,
            "token_id": f"d{number:015x}",
            "code": f"SK1.d-{number}",
            "name": None,
            "phone": None,
            "city": None,
        }
        for number in range(3)
    ]
    bulk_insert(Ticket, rows)
    tickets = written(edition)
    assert [(t.consent, t.source) for t in tickets] == [(False, "public")] * 3
    assert all(t.created_at is not None for t in tickets)


def test_nothing_to_write_sends_nothing(app):
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    try:
        bulk_insert(Ticket, [])
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)
    assert statements.sent == []
