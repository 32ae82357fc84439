"""Database set-up: SQLite pragmas, immediate write transactions, one commit per request."""

import json
import sqlite3

from flask import current_app, request
from sqlalchemy import String, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from core.extensions import db


def json_text(value):
    """JSON columns as written in the database: Arabic and Tifinagh letters as themselves, so
    that a search inside them (a product's names) finds "عسل"; json.dumps' default wrote
    "\\u0639\\u0633\\u0644", which no pattern typed by a person matches."""
    return json.dumps(value, ensure_ascii=False)


def configure_engine(app):
    """Engine options for both databases; on SQLite, a busy timeout and threads sharing it."""
    options = {**app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "json_serializer": json_text}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options = sqlite_options(options)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def sqlite_options(options):
    """A busy timeout, threads sharing connections (the pragmas are set on connect, below)."""
    options = {**options, "connect_args": {"timeout": 30, "check_same_thread": False}}
    options.pop("pool_pre_ping", None)
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 32 MB of page cache (the default is 2 MB): the indexes of a national salon's two million
    # scans and the bulk loader's large transaction otherwise go back to the file page by page
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(connection):
    # Writers queue on the database lock at BEGIN instead of failing with
    # "database is locked" when they try to upgrade a read lock mid-transaction.
    # A request that only reads (`read_only` views) begins deferred: a reader beside the writer.
    if connection.dialect.name == "sqlite":
        reader = connection.get_execution_options().get(READ_ONLY_OPTION)
        connection.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")


READ_ONLY_OPTION = "souk_read_only"


def read_only(view):
    """Mark a view that never writes (the job bar's polls): on SQLite its transaction is a plain
    reader, which WAL lets read beside the one writer, instead of waiting for the write lock
    behind a long import. Put it above the view's other decorators."""
    view.souk_read_only = True
    return view


def begin_read_only_request():
    """before_request, registered first: a `read_only` view's transaction begins as a reader."""
    view = current_app.view_functions.get(request.endpoint)
    # (a session already in a transaction keeps it: the tests' app context spans requests)
    if getattr(view, "souk_read_only", False) and not db.session().in_transaction():
        db.session.connection(execution_options={READ_ONLY_OPTION: True})


def is_postgresql():
    return db.engine.dialect.name == "postgresql"


def commit_or_rollback(response):
    """One commit per request: keep the work of successful requests, drop the rest."""
    if response.status_code < 400 and not current_app.config.get("READ_ONLY_REQUEST"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def rollback_on_teardown(exception=None):
    if exception is not None:
        db.session.rollback()


def conflict_insert(table):
    """INSERT of the database's own dialect, which has ON CONFLICT DO NOTHING / DO UPDATE.

    Pass a model or a Core table; executed with a list of rows, SQLAlchemy sends them as
    multi-row VALUES with one compiled statement.
    """
    if db.engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def bulk_insert(model, rows, chunk=5000):
    """INSERT many rows of a model, each row naming the same columns.

    On PostgreSQL through COPY (several times faster than multi-row INSERTs for the national
    salon's two million scans) when the rows name every column that has a Python default and
    hold no JSON; otherwise in chunks of one executemany each, through the model's table (Core),
    not the ORM: the ORM splits a batch into one statement per combination of present values
    (one per row, for tickets) and spends longer on each row than the database does.
    """
    if not rows:
        return
    if copy_applies(model.__table__, rows[0]):
        copy_rows(model.__table__, rows)
        return
    statement = insert(model.__table__)
    for start in range(0, len(rows), chunk):
        db.session.execute(statement, rows[start : start + chunk])


def copy_applies(table, first_row):
    if db.engine.dialect.name != "postgresql":
        return False
    missing_defaults = [
        column.name
        for column in table.columns
        if column.default is not None and column.name not in first_row
    ]
    json_values = [value for value in first_row.values() if isinstance(value, (dict, list))]
    return not missing_defaults and not json_values


def copy_rows(table, rows):
    """COPY the rows into the table, in the session's transaction."""
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    driver = db.session.connection().connection.driver_connection
    with driver.cursor() as cursor:
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[name] for name in names])


def add_to_counter_rows(table, keys, counts, rows):
    """Add `rows` ({column: value}) to a table of counters: one INSERT ... ON CONFLICT (keys)
    DO UPDATE SET n = n + excluded.n for each column of `counts`, race-safe without a lock taken
    by hand. The rows are sorted by their keys so that two transactions always lock the same
    counter rows in the same order (no deadlock)."""
    if not rows:
        return
    statement = conflict_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in counts},
    )
    ordered = sorted(rows, key=lambda row: tuple(row[key] for key in keys))
    db.session.execute(statement, ordered)


def analyze_tables():
    """Refresh the planner's statistics after a bulk load (ANALYZE on both databases): fresh
    millions of rows the planner has never measured make it choose scans over indexes."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


class hour_key_column(FunctionElement):
    """SQL of core.timeutil.hour_key: a naive UTC time column's hour as text (2026-11-29T14)."""

    type = String()
    inherit_cache = True
    name = "hour_key"


@compiles(hour_key_column, "sqlite")
def _hour_key_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%dT%H', {compiler.process(element.clauses, **kw)})"


@compiles(hour_key_column, "postgresql")
def _hour_key_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD\"T\"HH24')"
