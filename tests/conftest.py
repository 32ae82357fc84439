"""Shared fixtures: the app on SQLite (default) or PostgreSQL (TEST_DATABASE_URL), and factories."""

import multiprocessing
import os
from datetime import date

import pytest
from sqlalchemy import text

from app import create_app
from core.extensions import db

PASSWORD = "correct-horse-battery"
_schema_ready = set()


def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.getbasetemp() / 'souk-test.db'}"


def pytest_collection_modifyitems(config, items):
    # Tests that drive Chromium are marked so that `make test` runs them once (on SQLite): the
    # database-specific rules they touch are tested through the API on both databases.
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    return database_url(tmp_path_factory)


@pytest.fixture
def app_config(database_uri, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "ARGON2_PROFILE": "CHEAPEST",
        "QUEUE_URL": os.environ.get("TEST_QUEUE_URL") or f"sqlite:///{tmp_path / 'queue.db'}",
        "STORAGE_ROOT": str(tmp_path / "files"),
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        if app_config["SQLALCHEMY_DATABASE_URI"] not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(app_config["SQLALCHEMY_DATABASE_URI"])
        db.engine.dispose()  # no pooled connection may cross into live_server's forked process
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def empty_all_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def is_postgresql(app):
    return db.engine.dialect.name == "postgresql"


# ---------------------------------------------------------------- factories


@pytest.fixture
def make_cooperative(app):
    from booths.models import Cooperative
    from markets.territory import province_code_for

    counter = {"n": 0}

    def make(**values):
        counter["n"] += 1
        n = counter["n"]
        record = {
            "name_ar": f"تعاونية رقم {n}",
            "name_latin": f"Coopérative Test {n}",
            "legal_form": "cooperative",
            "registration_number": f"TEST-{n:04d}",
            "province": "Meknès",
            "city": "Meknès",
            "latitude": 33.89,
            "longitude": -5.55,
            "sectors": ["honey"],
            "main_sector": "honey",
            "products": "miel",
            "members": 10,
            "women_members": 6,
            "young_members": 3,
            "contact_name": f"Contact {n}",
            "phone": "0600000000",
            "email": f"coop{n}@example.ma",
            "agreement_status": "signed",
        }
        record.update(values)
        record.setdefault("province_code", province_code_for(record["province"]))
        cooperative = Cooperative(**record)
        db.session.add(cooperative)
        db.session.commit()
        return cooperative

    return make


@pytest.fixture
def make_user(app, make_cooperative):
    from accounts.services import create_user

    counter = {"n": 0}

    def make(role="organiser", username=None, cooperative=None, password=PASSWORD):
        counter["n"] += 1
        if role == "cooperative" and cooperative is None:
            cooperative = make_cooperative()
        user = create_user(
            username or f"{role}{counter['n']}",
            password,
            role,
            full_name=f"Test {role}",
            cooperative=cooperative,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_edition(app, make_user):
    from markets import services

    counter = {"n": 0}

    def make(
        status="open",
        sites=("meknes", "el-hajeb"),
        starts_on=date(2022, 11, 5),
        ends_on=date(2022, 11, 13),
        hours=(600, 1320),
        **values,
    ):
        counter["n"] += 1
        organiser = make_user("organiser")
        record = {
            "slug": f"edition-{counter['n']}",
            "number": counter["n"],
            "names": {"fr": f"Édition {counter['n']}", "ar": f"الدورة {counter['n']}"},
            "visitor_target": 10000,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        record.update(values)
        edition = services.create_edition(record, organiser)
        cities = {"meknes": "Meknès", "el-hajeb": "El Hajeb", "fes": "Fès"}
        for slug in sites:
            services.create_site(
                edition,
                {
                    "slug": slug,
                    "city": cities.get(slug, "Fès"),
                    "names": {"fr": slug.title()},
                    "venue": f"Venue {counter['n']}-{slug}",
                    "area_m2": 750,
                    "opens_on": starts_on,
                    "closes_on": ends_on,
                    "opens_minute": hours[0],
                    "closes_minute": hours[1],
                    "visitor_target": 5000,
                    "gates": ["gate-north", "gate-south"],
                },
                organiser,
            )
        for step in {
            "draft": [],
            "published": ["published"],
            "open": ["published", "open"],
            "closed": ["published", "open", "closed"],
        }[status]:
            services.change_status(edition, step, organiser)
        db.session.commit()
        return edition

    return make


@pytest.fixture
def login(client):
    def sign_in(user, password=PASSWORD):
        response = client.post("/login", data={"username": user.username, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return client

    return sign_in


@pytest.fixture
def api_headers(app):
    from accounts.services import issue_api_token

    def headers(user):
        token, _ = issue_api_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return headers


# ---------------------------------------------------------------- browser

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        # A process forked while the browser ran (a live server a failed test left running) holds
        # the Playwright driver's pipe open, and stopping the driver would wait for it forever.
        for child in multiprocessing.active_children():
            child.kill()
            child.join(10)
        browser.close()


@pytest.fixture
def page(chromium):
    # Playwright's polling wait_for_function evaluates its predicate as a string, which the
    # app's Content-Security-Policy refuses (no 'unsafe-eval'): the tests' own page bypasses it.
    # tests/store/test_browser_attention.py opens a context that keeps the policy and checks it.
    context = chromium.new_context(locale="fr-FR", timezone_id="Africa/Casablanca", bypass_csp=True)
    # A busy CI machine can take long over the first page of a new server: wait, don't fail.
    context.set_default_navigation_timeout(90_000)
    page = context.new_page()
    yield page
    context.close()


# ---------------------------------------------------------------- mail


class SmtpInbox:
    """A real SMTP server (aiosmtpd) on a free port that keeps what it receives."""

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_inbox():
    inbox = SmtpInbox()
    inbox.start()
    yield inbox
    inbox.stop()


@pytest.fixture
def mail_config(smtp_inbox):
    return {
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_inbox.port,
        "MAIL_TIMEOUT": 5,
        "MAIL_DEFAULT_SENDER": "Souk <no-reply@souk.test>",
        "SERVER_NAME": None,
    }
