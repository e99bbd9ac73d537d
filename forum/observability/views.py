"""/readyz (may this host get traffic?) and /metrics (Prometheus).

/healthz (``forum.core.views``) says the process answers; /readyz also asks the database and,
when rate limits are kept in Redis, Redis: a load balancer takes a host out while either is
away. Both answer without the database being up, and neither is cached or rate limited.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from forum.db import db
from forum.extensions import limiter
from forum.observability import metrics

bp = Blueprint("observability", __name__)
REDIS_TIMEOUT_SECONDS = 2


def database_state() -> str:
    try:
        db.session.execute(db.text("SELECT 1"))
    except SQLAlchemyError:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session().invalidate()  # dropped by the pool; the next request connects anew
        return "unreachable"
    return "ok"


def redis_state() -> str:
    """PING the rate limits' Redis, with a short time-out ("not used" when they are elsewhere).
    Its own connection to this app's URL: the limiter's storage is shared by every app made in
    one process (tests), and its pool has no time-out."""
    url: str = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    scheme = url.partition("://")[0]
    if not scheme.startswith("redis"):
        return "not used"
    if scheme not in ("redis", "rediss", "redis+unix"):  # sentinel, cluster: ask the limiter
        return "ok" if limiter.storage.check() else "unreachable"
    import redis

    client = redis.Redis.from_url(
        url.replace("redis+unix://", "unix://", 1),
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    finally:
        client.close()
    return "ok"


@bp.get("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    states = {"database": database_state(), "redis": redis_state()}
    ready = all(state in ("ok", "not used") for state in states.values())
    response = jsonify(status="ok" if ready else "unavailable", **states)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if ready else 503


@bp.get("/metrics", endpoint="metrics")
@limiter.exempt
def scrape() -> Response:
    if not metrics.allowed():
        abort(404)
    response = Response(metrics.exposition(), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response
