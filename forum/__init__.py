"""Dorpsplein: a moderated forum for pedagogical professionals. ``create_app`` builds the app."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import errors, i18n, observability, policy, production, security
from forum.config import build_config
from forum.core import assets, pagecache, replica
from forum.extensions import csrf, db, limiter, login_manager, migrate
from forum.i18n import LANGUAGES, _l
from forum.notifications import outbox
from forum.pagination import IdConverter

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    environment = production.check()  # before anything is made up for a missing setting
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    app.config.update(build_config(Path(app.instance_path)))
    app.jinja_env.add_extension("jinja2.ext.do")
    app.url_map.converters["id"] = IdConverter
    if config_overrides:
        app.config.update(config_overrides)
    if app.config["FORUM_PROXY_HOPS"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=app.config["FORUM_PROXY_HOPS"],
            x_proto=app.config["FORUM_PROXY_HOPS"],
            x_host=app.config["FORUM_PROXY_HOPS"],
        )
    observability.init_app(app, production=environment == production.PRODUCTION)

    db.init_app(app)
    from forum.search.services import include_name as search_index_names

    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
        # The search index's tables are made by their migration, not described by models.
        include_name=search_index_names,
    )
    csrf.init_app(app)
    i18n.init_app(app)
    limiter.init_app(app)
    init_login(app)
    security.init_app(app)
    errors.init_app(app)
    register_sqlite_pragmas(app)
    assets.init_app(app)  # static URLs carry a content hash (forum.core.assets)

    import forum.accounts.twofactor.models
    import forum.research.models  # noqa: F401  (every table known to the migrations)
    from forum.accounts.rights.deletion_views import bp as account_deletion_bp
    from forum.accounts.views import bp as accounts_bp
    from forum.admin.moderation_settings import bp as moderation_settings_bp
    from forum.admin.views import bp as admin_bp
    from forum.admin.werkvelden import bp as werkvelden_bp
    from forum.core.views import bp as core_bp
    from forum.discussions.views import bp as discussions_bp
    from forum.discussions.views import home
    from forum.moderation.action_views import bp as moderation_actions_bp
    from forum.moderation.report_views import bp as reports_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.notifications.unsubscribe_views import bp as unsubscribe_bp
    from forum.notifications.views import bp as notifications_bp
    from forum.research.codebook_views import bp as research_codebook_bp
    from forum.research.consent_views import bp as consent_bp
    from forum.research.export_views import bp as research_exports_bp
    from forum.research.harvest_views import bp as harvest_bp
    from forum.research.interest_views import bp as interest_bp
    from forum.research.linkage import bp as research_linkage_bp
    from forum.research.views import bp as research_bp
    from forum.search.views import bp as search_bp

    for blueprint in (
        core_bp,
        accounts_bp,
        account_deletion_bp,
        admin_bp,
        werkvelden_bp,
        moderation_settings_bp,
        discussions_bp,
        moderation_bp,
        moderation_actions_bp,
        reports_bp,
        notifications_bp,
        unsubscribe_bp,
        research_bp,
        research_exports_bp,
        research_codebook_bp,
        research_linkage_bp,
        harvest_bp,
        interest_bp,
        consent_bp,
        search_bp,
    ):
        app.register_blueprint(blueprint)
    from forum.research.queries import CODE_SEARCH_FILTER
    from forum.search.services import register_filter

    register_filter(app, CODE_SEARCH_FILTER)  # researchers filter search results by code
    register_own_data(app)
    from forum.accounts.rights import retention
    from forum.notifications import daily

    daily.register(app, "retention", retention.daily_purge)  # the worker purges once a day
    from forum.research import export_jobs

    export_jobs.register(app)  # the worker builds large research exports and purges them
    replica.init_app(app)  # before the page cache: see forum.core.replica.init_app
    pagecache.init_app(app)  # after the rate limits, so a cached page still counts against them
    from forum.accounts.twofactor import gate

    gate.init_app(app)  # after the page cache: see forum.accounts.twofactor.gate
    # The old name of the home page, still used by some templates and views.
    app.add_url_rule("/", endpoint="core.index", view_func=home)

    @app.after_request
    def send_committed_mail(response):
        outbox.deliver_committed()
        return response

    from forum.accounts.forms import PROFESSION_LABELS
    from forum.discussions.fragments import rendered_post, rendered_thread_row
    from forum.moderation.actions import suspension_notice
    from forum.moderation.counts import moderation_counts, waiting_count
    from forum.notifications.services import unread_count_for_current
    from forum.screening import REASON_LABELS

    # Globals (not a context processor) so that imported macros see them too.
    app.jinja_env.globals.update(
        can=policy.can,
        get_locale=get_locale,
        LANGUAGES=LANGUAGES,
        profession_label=PROFESSION_LABELS.get,
        rendered_post=rendered_post,
        rendered_thread_row=rendered_thread_row,
        moderation_counts=moderation_counts,
        moderation_waiting=waiting_count,
        suspension_notice=suspension_notice,
        unread_notifications=unread_count_for_current,
        wait_reason_label=lambda value: REASON_LABELS.get(value, value),
    )

    @app.context_processor
    def template_helpers() -> dict[str, Any]:
        return {"current_path": request.full_path.rstrip("?")}

    from forum.cli import register_cli

    register_cli(app)
    return app


def init_login(app: Flask) -> None:
    from forum.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _sep, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user


def register_own_data(app: Flask) -> None:
    """What each room holds about a person, for their data download: the rooms' collectors,
    wired here so that accounts (where the download lives) imports none of them."""
    from forum.accounts.rights import account_data, archive
    from forum.discussions import own_data as discussions
    from forum.moderation import own_data as moderation
    from forum.notifications import own_data as notifications
    from forum.research import own_data as research

    archive.register(
        app,
        (
            account_data.sections,
            discussions.sections,
            moderation.sections,
            notifications.sections,
            research.sections,
        ),
        measure=discussions.post_count,
    )


def register_sqlite_pragmas(app: Flask) -> None:
    """WAL, foreign keys and a busy timeout for SQLite, and savepoints inside the transaction;
    PostgreSQL needs none of this."""
    import sqlite3

    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            cursor = dbapi_connection.cursor()
            for pragma in (
                "journal_mode=WAL",
                "busy_timeout=5000",
                "foreign_keys=ON",
                "synchronous=NORMAL",
            ):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

    @event.listens_for(engine, "savepoint")
    def begin_before_savepoint(connection, _name):
        # Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE. A SAVEPOINT
        # outside one (the writing services guard double submits with one) is a transaction of
        # its own, and releasing it commits at once: a post would be stored before, and without,
        # its counters. Open the request's transaction first, so the savepoint nests in it.
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            dbapi_connection.execute("BEGIN")
