"""Prometheus metrics: requests and their latency per endpoint, and at scrape time the waiting
moderation queue and the unsent mails.

Under gunicorn every worker counts its own requests; with ``PROMETHEUS_MULTIPROC_DIR`` set (by
``gunicorn.conf.py``) prometheus_client keeps the counts in files there and a scrape, answered by
any one worker, adds up all of them. The two gauges are counted from the database by the worker
that answers, so they need no sharing.

Who may scrape: an address in ``FORUM_METRICS_NETWORKS`` (after ProxyFix, so the client's own
address behind a proxy), or a request with ``Authorization: Bearer <FORUM_METRICS_TOKEN>``.
Anyone else gets a 404, as if there were no such page.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from forum.db import db
from forum.discussions.models import Post, PostStatus
from forum.notifications.outbox import MAX_ATTEMPTS, OutboxMessage
from forum.observability.logs import elapsed_ms

DEFAULT_NETWORKS = "127.0.0.1/32,::1/128"
REQUESTS = Counter(
    "forum_http_requests_total", "Requests answered", ("endpoint", "method", "status")
)
LATENCY = Histogram(
    "forum_http_request_duration_seconds",
    "Time from the first request hook to the response, per endpoint",
    ("endpoint",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Any other method is counted as "other": a scanner's made-up methods must not add series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def networks(value: str | None) -> tuple[Network, ...]:
    """``FORUM_METRICS_NETWORKS``: comma-separated CIDRs; a wrong one stops the start."""
    text = DEFAULT_NETWORKS if value is None else value
    try:
        return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise ValueError(f"FORUM_METRICS_NETWORKS holds a wrong network: {error}") from None


def allowed() -> bool:
    token = current_app.config["FORUM_METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # a server bound to [::] sees IPv4 clients this way
    return any(address in network for network in current_app.config["FORUM_METRICS_NETWORKS"])


class DatabaseGauges(Collector):
    """Counted at each scrape: two small COUNT queries on indexed columns. While the database is
    away they are left out (the request counts still answer) and ``forum_database_up`` is 0."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            pending = Post.status == PostStatus.PENDING
            waiting = db.session.execute(
                sa.select(sa.func.count()).select_from(Post).where(pending)
            ).scalar_one()
            unsent = db.session.execute(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
            ).scalar_one()
        except SQLAlchemyError:
            db.session.rollback()
            yield GaugeMetricFamily("forum_database_up", "The database answered", value=0)
            return
        yield GaugeMetricFamily("forum_database_up", "The database answered", value=1)
        yield GaugeMetricFamily(
            "forum_moderation_queue_waiting", "Posts waiting for a moderator", value=waiting
        )
        yield GaugeMetricFamily(
            "forum_outbox_unsent", "Mails not sent yet that will still be tried", value=unsent
        )


def exposition() -> bytes:
    """This process's metrics, or every worker's in multi-process mode, and the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        multiprocess.MultiProcessCollector(shared)
        counted = generate_latest(shared)
    else:
        counted = generate_latest(REGISTRY)
    gauges = CollectorRegistry(auto_describe=False)
    gauges.register(DatabaseGauges())
    return counted + generate_latest(gauges)


def count_request(response: Response) -> Response:
    # The rule's endpoint, never the path: one series per page, not one per thread id.
    endpoint = request.endpoint or "unmatched"
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    if g.get("request_started") is not None:
        LATENCY.labels(endpoint).observe(elapsed_ms() / 1000)
    return response


def init_app(app: Flask) -> None:
    """Read the access settings (a test may pass them to create_app, networks as text)."""
    config = app.config
    config.setdefault("FORUM_METRICS_TOKEN", os.environ.get("FORUM_METRICS_TOKEN", "").strip())
    given = config.get("FORUM_METRICS_NETWORKS", os.environ.get("FORUM_METRICS_NETWORKS"))
    if given is None or isinstance(given, str):
        config["FORUM_METRICS_NETWORKS"] = networks(given)
    app.after_request(count_request)
