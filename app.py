"""Application factory: `create_app()` assembled from small register_* steps."""

from pathlib import Path

import flask_babel
from apiflask import APIFlask
from flask import g, request
from werkzeug.middleware.proxy_fix import ProxyFix

import accounts
import booths
import markets
import report
import store
import visitors
import workshops
from accounts import messaging
from accounts.services import user_for_session
from core import cli, database, errors, headers, i18n, inputs, money, queue, tables, timeutil
from core import config as config_module
from core.assets import register_assets
from core.bidi import as_list, bdi, isolated
from core.config import DefaultConfig, load_environment
from core.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from core.health import bp as health_bp
from core.i18n import format_number, localized
from core.jobs_views import api_bp as jobs_api_bp
from core.jobs_views import bp as jobs_bp
from core.menu import link_globals, menu_globals

FEATURES = (accounts, markets, booths, visitors, workshops, store, report)


def create_app(config=None):
    app = APIFlask(
        __name__,
        title="Souk field API",
        version="1",
        spec_path="/api/v1/openapi.json",
        docs_path="/api/v1/docs",
        json_errors=False,
        instance_relative_config=True,
    )
    load_config(app, config)
    inputs.register_input_rules(app)
    register_extensions(app)
    register_assets(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    cli.register_commands(app)
    return app


def load_config(app, config):
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    load_environment(app.config)
    app.config.update(config or {})
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        database_file = Path(app.instance_path) / "souk.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database_file}"
    config_module.load_secret_key(app)
    config_module.check_limiter_storage(app)
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # Client address and scheme from the trusted proxies' X-Forwarded-For/-Proto.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    database.configure_engine(app)
    queue.configure_queue(app)


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path) / "migrations"))
    babel.init_app(
        app, locale_selector=i18n.select_locale, timezone_selector=lambda: "Africa/Casablanca"
    )
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # "basic": a changed User-Agent or address only marks the session not fresh (Android's
    # "Desktop site" toggle must not sign anyone out); revocation is the session version's job.
    login_manager.session_protection = "basic"

    login_manager.user_loader(user_for_session)


def register_blueprints(app):
    # Each feature package imports its models, views and API, so importing it (above) made the
    # whole schema known to migrations and create_all.
    app.register_blueprint(health_bp)
    app.register_blueprint(jobs_bp)
    csrf.exempt(jobs_api_bp)  # bearer tokens, no cookies: nothing to forge
    app.register_blueprint(jobs_api_bp)
    for package in FEATURES:
        app.register_blueprint(package.bp)
        csrf.exempt(package.api_bp)  # bearer tokens, no cookies: nothing to forge
        app.register_blueprint(package.api_bp)


def register_error_handlers(app):
    errors.register_error_handlers(app)

    @app.error_processor
    def api_validation_error(error):
        message = errors.HTTP_MESSAGES.get(error.status_code, error.message)
        detail = errors.describe_validation(error.detail)
        if detail:
            message = f"{message} {detail}"
        code = (
            "invalid_request"
            if error.status_code == 400
            else errors.HTTP_CODES.get(error.status_code, "error")
        )
        return errors.error_response(error.status_code, code, message)


def register_request_hooks(app):
    app.before_request(database.begin_read_only_request)  # before any hook reads the database

    @app.before_request
    def remember_language():
        # Forget a locale cached on g (g outlives a request when an app context is already pushed).
        flask_babel.refresh()
        g.pop("_login_user", None)  # the same for Flask-Login's user: load it per request
        i18n.remember_language()

    app.before_request(inputs.judge_request)

    @app.after_request
    def finish_request(response):
        response = database.commit_or_rollback(response)
        messaging.send_committed()  # messages of this request leave only now, once saved
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            response.set_cookie(
                "lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
            )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Vary", "Accept-Language, Cookie")
        return response

    app.session_interface = headers.SessionCookies()
    # Runs after every other after_request hook (Flask-Login's remember cookie included).
    app.after_request_funcs.setdefault(None, []).insert(0, headers.protect_response)

    app.teardown_request(database.rollback_on_teardown)


def register_template_helpers(app):
    app.context_processor(i18n.template_globals)
    app.context_processor(menu_globals)
    app.context_processor(link_globals)
    # Figures are isolated on right-to-left pages and PDFs (core/bidi.py); `bdi` does it for codes.
    app.add_template_filter(isolated(money.format_mad), "mad")
    app.add_template_filter(isolated(timeutil.show_datetime), "datetime")
    app.add_template_filter(isolated(timeutil.show_time), "time")
    app.add_template_filter(timeutil.page_date, "date")
    app.add_template_filter(localized, "localized")
    app.add_template_filter(isolated(format_number), "number")
    app.add_template_filter(bdi, "bdi")
    app.add_template_filter(as_list, "as_list")
    # Tables through templates/_table.html: captions, and cards on phones (core/tables.py).
    app.add_template_global(tables.next_table_id, "next_table_id")
    app.add_template_global(tables.stack_cells, "stack_cells")
