"""The tracker: a Flask application for newsroom public-records requests about ICE OPR matters."""

from __future__ import annotations

from flask import Flask

from tracker.config import load_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app. `config` overrides settings (tests pass a database URL and a temporary folder)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            from tracker.config import engine_options

            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"])
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    configure_deadlines(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (every table known to the metadata, for migrations)
    from tracker.auth.loader import init_login
    from tracker.extensions import csrf, db, migrate

    db.init_app(app)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from tracker.core.statement_cache import widen

        widen()  # psycopg parses the board's and ledger's long statements once, not at every view
    else:
        from tracker.core.sqlite_connections import configure

        with app.app_context():
            configure(db.engine)  # memory-mapped reads on every connection
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    init_login(app)
    from tracker.core.storage import init_storage

    init_storage(app)
    from tracker.ledger.summaries import install_summary_listener
    from tracker.reminders.plans import install_plan_listener
    from tracker.requests import changes

    changes.install()  # every flush that changed requests sends requests_changed
    install_plan_listener()  # a changed request is looked at by the next reminder scan
    install_summary_listener()  # a changed request marks its matters' ledger summaries stale
    from tracker.board.tallies import install_tally_listener

    install_tally_listener()  # a changed request moves its count on the board's tallies
    from tracker.core.web_security import init_web_security

    init_web_security(app)  # trusted proxies, Cache-Control: no-store, database faults (teardown, commit state)
    from tracker.documents.services import install_search_listener

    install_search_listener()  # a communication written or changed is searchable in the same transaction
    from tracker.mail.proposals import install_proposal_listener

    install_proposal_listener()  # an agency letter filed on a request (mail.signals.letter_received) proposes


def register_blueprints(app: Flask) -> None:
    from tracker.core.converters import init_converters

    init_converters(app)  # an <int:...> id past 2**31 - 1 finds no row (404) rather than overflowing the database
    from tracker.agencies.views import bp as agencies_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.board.views import bp as board_bp
    from tracker.core.views import bp as core_bp
    from tracker.matters.views import bp as matters_bp
    from tracker.requests.documents_views import bp as documents_bp
    from tracker.requests.views import bp as requests_bp

    for bp in (core_bp, auth_bp, requests_bp, agencies_bp, matters_bp):
        app.register_blueprint(bp)
    for bp in (board_bp, documents_bp):
        app.register_blueprint(bp)
    from tracker.reminders.views import bp as reminders_bp

    app.register_blueprint(reminders_bp)
    from tracker.letters.views import bp as letters_bp

    app.register_blueprint(letters_bp)
    from tracker.documents.views import init_documents_views

    init_documents_views(app)  # the search page, documents opened at a page, the request pages' text pieces
    from tracker.api import bp as api_bp
    from tracker.auth.token_views import bp as tokens_bp
    from tracker.imports.views import bp as imports_bp

    for bp in (api_bp, tokens_bp, imports_bp):
        app.register_blueprint(bp)
    from tracker.mail.views import bp as mail_bp

    app.register_blueprint(mail_bp)
    from tracker.mail.proposal_views import bp as mail_out_bp

    app.register_blueprint(mail_out_bp)  # send letters by email; proposals read from agency letters
    from tracker.stories.views import init_stories_views

    init_stories_views(app)  # stories recorded on requests and matters; the panels on their pages
    from tracker.requests.overlap_views import init_overlap_views

    init_overlap_views(app)  # the warning on the draft form: colleagues' open requests that may overlap
    from tracker.batches.views import bp as batches_bp

    app.register_blueprint(batches_bp)  # one request to several agencies, side by side


def register_cli(app: Flask) -> None:
    from tracker.cli import register_commands

    register_commands(app)


def register_errorhandlers(app: Flask) -> None:
    from tracker.core.errorhandlers import init_errorhandlers
    from tracker.core.security_headers import init_security_headers
    from tracker.core.template_helpers import init_template_helpers

    init_errorhandlers(app)
    init_template_helpers(app)
    init_security_headers(app)


def configure_deadlines(app: Flask) -> None:
    """Load the newsroom's jurisdiction rules and extra closure days (settings, not code)."""
    from datetime import date

    from tracker import deadlines

    closures = [date.fromisoformat(d.strip()) for d in app.config["TRACKER_EXTRA_CLOSURES"].split(",") if d.strip()]
    deadlines.configure(rules_path=app.config["TRACKER_JURISDICTIONS_FILE"], extra_closures=closures)
