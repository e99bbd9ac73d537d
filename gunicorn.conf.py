"""gunicorn settings for Dorpsplein (``gunicorn -c gunicorn.conf.py wsgi:app``).

Each setting can be overridden from the environment, so ``make bench`` serves the forum and the
limit page with the same settings and the operator can change them without editing this file:

- ``FORUM_WEB_BIND`` (default ``127.0.0.1:8000``), ``FORUM_WEB_WORKERS`` (2),
  ``FORUM_WEB_WORKER_CLASS`` (``sync``), ``FORUM_WEB_THREADS`` (1, for ``gthread``),
  ``FORUM_WEB_TIMEOUT`` (30 s), ``FORUM_WEB_PRELOAD`` (on).

With preloading on, ``wsgi.py`` loads the privacy check's tables (deduce, about 1 GB) once in the
master; ``pre_fork`` freezes the garbage collector right before each fork, so the objects the
master made are never touched by a collection in a worker and their pages stay shared between
workers instead of being copied into each one.
"""

from __future__ import annotations

import gc
import os


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on", "ja"}


bind = os.environ.get("FORUM_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FORUM_WEB_WORKERS", "2"))
worker_class = os.environ.get("FORUM_WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("FORUM_WEB_THREADS", "1"))
timeout = int(os.environ.get("FORUM_WEB_TIMEOUT", "30"))
preload_app = _flag("FORUM_WEB_PRELOAD", True)
# gunicorn's control socket has one default path per user: two servers (the forum and the limit
# page in `make bench`) would fight over it, and nothing here uses it.
control_socket_disable = True


def pre_fork(server, worker) -> None:
    """Freeze what the master holds, just before each worker is forked (see the docstring)."""
    gc.freeze()
