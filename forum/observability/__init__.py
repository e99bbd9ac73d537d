"""Operating the forum: structured logs with a request id, /readyz and /metrics.

``init_app`` is called early in ``create_app``: its first request hook (the request id and the
start time) must run before every other, and its last response hooks after every other, so the
access line and the metrics see the final status and the whole time.
"""

from __future__ import annotations

import os

from flask import Flask

from forum.observability import logs, metrics


def init_app(app: Flask, *, production: bool) -> None:
    kind = logs.log_format(production, os.environ.get("FORUM_LOG_FORMAT"))
    app.config["FORUM_LOG_FORMAT"] = kind
    # Registered first: Flask runs response hooks in reverse, so these run last.
    logs.init_app(app, kind)
    metrics.init_app(app)
    from forum.observability.views import bp

    app.register_blueprint(bp)
