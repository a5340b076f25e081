"""The home page and a health check."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for
from sqlalchemy import text

from tracker.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    return redirect(url_for("requests.list_requests"))


@bp.get("/healthz")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
