"""Create or drop a throw-away PostgreSQL database for the test suite.

python -m tests.pg_database create   -> prints its SQLAlchemy URL (exit 1 if unreachable)
python -m tests.pg_database drop URL
"""

import os
import secrets
import sys

import psycopg

SERVER = os.environ.get("TEST_POSTGRES_SERVER", "postgresql://postgres@127.0.0.1:5432/postgres")


def create():
    name = f"souk_test_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


def drop(url):
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    try:
        if sys.argv[1] == "create":
            print(create())
        else:
            drop(sys.argv[2])
    except psycopg.OperationalError as error:
        print(f"PostgreSQL: {error}", file=sys.stderr)
        sys.exit(1)
