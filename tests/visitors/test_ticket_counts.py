"""An edition's tickets per source are kept in ticket_counts by every write that makes tickets
(SET count = count + n) and read from there by the attendance pages, never by counting tickets;
the migration fills the table from the tickets already there."""

import re
import threading
from collections import Counter

from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, inspect, text

from core.errors import DomainError
from core.extensions import db
from tests.core.test_data_layer import empty_database_uri  # noqa: F401 (fixture)
from visitors.models import Ticket, TicketCount
from visitors.services import count_tickets, create_ticket, create_ticket_batch
from visitors.services.counters import add_ticket_counts, ticket_increments

BEFORE = "b7d2e4f61a93"


def counted_by_rows(edition):
    """The oracle: GROUP BY over the edition's tickets."""
    rows = db.session.execute(
        db.select(Ticket.source, db.func.count())
        .where(Ticket.edition_id == edition.id)
        .group_by(Ticket.source)
    ).all()
    return dict(rows)


WRITE = st.one_of(
    st.tuples(st.just("ticket"), st.integers(0, 1), st.sampled_from(["public", "gate", "batch"])),
    st.tuples(st.just("batch"), st.integers(0, 1), st.integers(-1, 5)),  # 0 and -1 are refused
    st.tuples(st.just("rolled back"), st.integers(0, 1), st.integers(1, 3)),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WRITE, min_size=1, max_size=8))
def test_after_any_ticket_writes_the_counts_equal_the_rows(make_edition, make_user, writes):
    editions, organiser = two_editions(make_edition), make_user("organiser")
    for kind, which, value in writes:
        edition = editions[which]
        if kind == "ticket":
            create_ticket(edition, {"name": "Amina"}, None, source=value)
        elif kind == "batch":
            try:
                create_ticket_batch(edition, value, organiser)
            except DomainError:
                db.session.rollback()
                continue
        else:  # a request that made tickets then failed: neither the tickets nor their counts
            create_ticket_batch(edition, value, organiser)
            create_ticket(edition, {}, None, source="gate")
            db.session.rollback()
            continue
        db.session.commit()
        for each in editions:
            assert count_tickets(each) == counted_by_rows(each)
    for each in editions:
        assert count_tickets(each) == counted_by_rows(each)


def two_editions(make_edition):
    """Two open editions and no tickets at all (each example of the property starts afresh)."""
    db.session.query(TicketCount).delete()
    db.session.query(Ticket).delete()
    db.session.commit()
    return [make_edition(status="open"), make_edition(status="open")]


def test_count_tickets_reads_one_row_per_source_and_never_the_tickets(edition, make_user):
    create_ticket_batch(edition, 3, make_user("organiser"))
    create_ticket(edition, {}, None, source="gate")
    db.session.commit()
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        counts = count_tickets(edition)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert counts == {"batch": 3, "gate": 1}
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1
    assert "FROM ticket_counts" in reads[0] and not re.search(r"\btickets\b", reads[0])


def test_the_attendance_pages_show_the_same_figures_as_the_rows(client, login, make_user, edition):
    organiser = make_user("organiser")
    for source in ("public", "public", "gate"):
        create_ticket(edition, {}, None, source=source)
    create_ticket_batch(edition, 4, organiser)
    db.session.commit()
    assert counted_by_rows(edition) == {"public": 2, "gate": 1, "batch": 4}
    login(organiser)
    page = client.get(f"/editions/{edition.slug}/attendance?lang=en").get_data(as_text=True)
    assert "Tickets: 2 online, 1 at the gates, 4 printed blank." in page
    batch = client.get(f"/editions/{edition.slug}/tickets/batch?lang=en").get_data(as_text=True)
    figures = [" ".join(cell.split()) for cell in batch.split('<td class="num">')[1:4]]
    assert [figure.split("<")[0] for figure in figures] == ["2", "1", "4"]
    response = client.post(f"/editions/{edition.slug}/tickets/batch", data={"count": 2})
    assert response.status_code == 302  # the batch's PDF is a job; its tickets exist now
    page = client.get(f"/editions/{edition.slug}/attendance?lang=en").get_data(as_text=True)
    assert "Tickets: 2 online, 1 at the gates, 6 printed blank." in page


def test_tickets_made_at_once_by_four_connections_are_all_counted(app, edition):
    """Transactions add to the same counter row at once: no increment is lost (on SQLite each
    waits for the database's lock, on PostgreSQL for the row)."""

    barrier, errors = threading.Barrier(4), []

    def make_tickets():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                for _ in range(5):
                    create_ticket(db.session.merge(edition), {}, None, source="public")
                    db.session.commit()
            except Exception as error:  # reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=make_tickets) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    assert count_tickets(edition) == counted_by_rows(edition) == {"public": 20}


def test_bulk_loaded_tickets_are_counted_like_the_others(edition):
    rows = [{"edition_id": edition.id, "source": source} for source in "public gate gate".split()]
    add_ticket_counts(ticket_increments(rows))
    add_ticket_counts({(edition.id, "gate"): 0})  # nothing to add: no row written
    db.session.commit()
    assert count_tickets(edition) == {"public": 1, "gate": 2}
    assert db.session.query(TicketCount).count() == 2


EDITION = (
    "INSERT INTO editions (slug, number, names, slogans, organiser, partners, visitor_target, "
    "commission_basis_points, starts_on, ends_on, status, created_at) VALUES (:slug, :number, "
    "'{}', '{}', '{}', '{}', 100, 0, '2026-01-01', '2026-01-02', 'open', '2026-01-01')"
)
TICKET = (
    "INSERT INTO tickets (edition_id, token_id, code, consent, source, created_at) "
    "SELECT id, :token, 'SK1.x', false, :source, '2026-01-01' FROM editions WHERE slug = :slug"
)


def test_the_migration_counts_the_tickets_already_there_and_goes_back(
    app_config,
    empty_database_uri,  # noqa: F811
):
    from app import create_app

    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    tickets = [("a", "public")] * 3 + [("a", "batch")] * 2 + [("b", "gate")]
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            for number, slug in enumerate(("a", "b"), start=1):
                connection.execute(text(EDITION), {"slug": slug, "number": number})
            for index, (slug, source) in enumerate(tickets):
                token = f"{index:016x}"
                connection.execute(text(TICKET), {"token": token, "source": source, "slug": slug})
        upgrade()
        query = (
            "SELECT e.slug, c.source, c.count FROM ticket_counts c "
            "JOIN editions e ON e.id = c.edition_id"
        )
        with db.engine.connect() as connection:
            counted = {(slug, source): n for slug, source, n in connection.execute(text(query))}
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            after_downgrade = inspect(connection).get_table_names()
        upgrade()
        db.engine.dispose()
    assert counted == dict(Counter(tickets))
    assert "ticket_counts" not in after_downgrade and "tickets" in after_downgrade
