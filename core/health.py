"""Health endpoints: /healthz never touches the database, /readyz checks that it answers."""

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(
            {
                "status": "unavailable",
                "error": {"code": "unavailable", "message": "database unreachable"},
            }
        ), 503
    return jsonify({"status": "ok"})
