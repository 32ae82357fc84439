"""Data layer: migrations equal the models on both databases, SQLite pragmas, backups, demo."""

import sqlite3
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text

from app import create_app
from booths.models import Cooperative
from core.extensions import db
from store.models import Product


@pytest.fixture
def empty_database_uri(database_uri, tmp_path):
    """A database of its own for the migration run (SQLite file or throw-away PostgreSQL)."""
    if database_uri.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    from tests import pg_database

    url = pg_database.create()
    yield url
    pg_database.drop(url)


def test_migrations_produce_exactly_the_models_schema(app_config, empty_database_uri):
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_sqlite_runs_in_wal_with_foreign_keys(app, is_postgresql):
    if is_postgresql:
        assert db.session.execute(text("SHOW default_transaction_isolation")).scalar()
        return
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def test_backup_makes_a_consistent_copy(app, tmp_path, make_user, is_postgresql):
    runner = app.test_cli_runner()
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    if is_postgresql:
        assert result.exit_code == 1
        assert "pg_dump" in result.output
        return
    make_user("organiser", username="kept")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT username FROM users").fetchall() == [("kept",)]
    copy.close()


def test_demo_loads_once_and_refuses_other_data(app):
    from accounts.models import User
    from booths.models import Cooperative
    from core.cli import DemoRefused, load_demo
    from markets.models import Edition

    load_demo(date(2026, 11, 21))
    db.session.commit()
    reference = db.session.query(Edition).filter_by(slug="fes-meknes-2022").one()
    live = db.session.query(Edition).filter_by(slug="fes-meknes-live").one()
    assert (
        reference.status == "closed" and reference.number == 2 and reference.visitor_target == 10000
    )
    assert {s.slug: (s.opens_on, s.closes_on) for s in reference.sites} == {
        "el-hajeb": (date(2022, 11, 5), date(2022, 11, 12)),
        "meknes": (date(2022, 11, 6), date(2022, 11, 13)),
    }
    assert sum(site.area_m2 for site in reference.sites) == 1500
    assert sum(site.visitor_target for site in reference.sites) == 10000
    assert "في الإنتاج متعاونون وفي الشراء متضامنون" == reference.slogans["ar"]
    assert live.status == "open"
    assert (live.starts_on, live.ends_on) == (date(2026, 11, 20), date(2026, 11, 27))
    assert all((site.opens_minute, site.closes_minute) == (0, 1440) for site in live.sites)
    assert db.session.query(Cooperative).filter_by(agreement_status="signed").count() == 60
    provinces = {province for (province,) in db.session.query(Cooperative.province)}
    assert {"Meknès", "El Hajeb", "Fès", "Errachidia"} <= provinces
    users = {user.username: user.role for user in db.session.query(User)}
    assert {
        "organiser": "organiser",
        "volunteer": "volunteer",
        "cashier": "cashier",
        "coop": "cooperative",
    }.items() <= users.items()
    with pytest.raises(DemoRefused):
        load_demo(date(2026, 11, 21))


def test_demo_command_if_empty_leaves_other_data_alone(app, make_user):
    make_user("organiser", username="real")
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "only loaded into an empty database" in result.output
    refused = app.test_cli_runner().invoke(args=["demo"])
    assert refused.exit_code == 1


def test_engine_url_for_postgres_environment(monkeypatch):
    from core.config import load_environment

    config = {}
    monkeypatch.setenv("DATABASE_URL", "postgresql://souk@db/souk")
    load_environment(config)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://souk@db/souk"
    create_engine(config["SQLALCHEMY_DATABASE_URI"])  # the driver is installed


def test_an_upgrade_leaves_fresh_planner_statistics(app_config, empty_database_uri):
    """After migrations ran, ANALYZE: the rows already there are measured, new indexes too."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    with app.app_context():
        upgrade(revision="9e41c7a2d5b8")  # the head's parent: the last migration is still to run
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO editions (slug, number, names, slogans, organiser, partners, "
                    "visitor_target, commission_basis_points, starts_on, ends_on, status, "
                    "created_at) VALUES ('a', 1, '{}', '{}', '{}', '{}', 100, 0, '2026-01-01', "
                    "'2026-01-02', 'open', '2026-01-01')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                measured = connection.execute(
                    text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'editions'")
                ).all()
            else:
                measured = connection.execute(
                    text("SELECT attname FROM pg_stats WHERE tablename = 'editions'")
                ).all()
        db.engine.dispose()
    assert len(measured) >= 1


def test_an_upgrade_writes_escaped_product_names_with_their_letters(app_config, empty_database_uri):
    """Names written before json_text ("\\u0639\\u0633\\u0644") are rewritten as letters, so that
    the product search finds them; the JSON read back is the same."""
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": empty_database_uri})
    escaped = (
        '{"ar": "\\u0639\\u0633\\u0644 \\u0627\\u0644\\u0632\\u0639\\u062a\\u0631", "fr": "Miel"}'
    )
    with app.app_context():
        upgrade(revision="4c2f8e1b7a63")  # before the rewrite
        with db.engine.begin() as connection:
            cooperative = connection.execute(
                Cooperative.__table__.insert().values(
                    name_ar="تعاونية",
                    name_latin="Coopérative",
                    registration_number="T-1",
                    province="Meknès",
                    city="Meknès",
                    main_sector="honey",
                )
            ).inserted_primary_key[0]
            for sku in ("A-1", "A-2"):
                connection.execute(
                    Product.__table__.insert().values(
                        cooperative_id=cooperative,
                        sku=sku,
                        barcode=sku,
                        price_centimes=100,
                        sector="honey",
                    )
                )
            connection.execute(
                text(f"UPDATE store_products SET names = '{escaped}' WHERE sku = 'A-1'")
            )
        upgrade()
        with db.engine.connect() as connection:
            stored = dict(
                connection.execute(
                    text("SELECT sku, CAST(names AS TEXT) FROM store_products")
                ).all()
            )
            names = connection.execute(select(Product.names).where(Product.sku == "A-1")).scalar()
        db.engine.dispose()
    assert stored["A-1"] == '{"ar": "عسل الزعتر", "fr": "Miel"}'
    assert names == {"ar": "عسل الزعتر", "fr": "Miel"}
    assert stored["A-2"] == "{}"  # written as it is, nothing to rewrite
