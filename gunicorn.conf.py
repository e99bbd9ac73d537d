"""gunicorn settings for Dorpsplein (``gunicorn -c gunicorn.conf.py wsgi:app``, or ``make serve``).

Each setting can be overridden from the environment, so ``make bench`` serves the forum and the
limit page with the same settings and the operator can change them without editing this file:

- ``FORUM_WEB_BIND`` (default ``127.0.0.1:8000``), ``FORUM_WEB_WORKERS`` (2 per CPU + 1, at
  most 12), ``FORUM_WEB_WORKER_CLASS`` (``sync``), ``FORUM_WEB_THREADS`` (1, for ``gthread``),
  ``FORUM_WEB_TIMEOUT`` (30 s), ``FORUM_WEB_GRACEFUL_TIMEOUT`` (30 s),
  ``FORUM_WEB_KEEPALIVE`` (5 s), ``FORUM_WEB_PRELOAD`` (on), ``FORUM_WEB_ACCESS_LOG`` (``-``:
  stdout; a file, or ``off``).

With preloading on, ``wsgi.py`` loads the privacy check's tables (deduce, about 1 GB) once in the
master; ``pre_fork`` freezes the garbage collector right before each fork, so the objects the
master made are never touched by a collection in a worker and their pages stay shared between
workers instead of being copied into each one.

The access log goes to stdout, as JSON lines when ``FORUM_LOG_FORMAT`` is json (the default with
``FORUM_ENV=production``). /metrics adds up every worker's counts through prometheus_client's
multi-process files in ``PROMETHEUS_MULTIPROC_DIR``: a fresh temporary directory unless the
operator names one (then it must be emptied before each start, e.g. a systemd RuntimeDirectory).
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on", "ja"}


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers, taskset)
    except AttributeError:
        return os.cpu_count() or 1


# Sync workers wait for the database and the mail server with a CPU idle, so two per CPU (plus
# one) keep the CPUs busy. Memory allows it: the privacy tables are shared through preloading, so
# a worker adds about 55 MB (1.25 GB for 2 workers, 1.36 GB for 4). The cap keeps the database
# connections (a pool per worker) well inside PostgreSQL's default max_connections per host.
DEFAULT_WORKERS = min(2 * _cpus() + 1, 12)

bind = os.environ.get("FORUM_WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("FORUM_WEB_WORKERS", "") or DEFAULT_WORKERS)
worker_class = os.environ.get("FORUM_WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("FORUM_WEB_THREADS", "1"))
# A request still running after this is killed (the worker restarts); then a stop or reload
# lets requests in progress finish for up to graceful_timeout. Keep-alive: the proxy's
# connections are reused for a few seconds (longer would hold sync workers).
timeout = int(os.environ.get("FORUM_WEB_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("FORUM_WEB_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("FORUM_WEB_KEEPALIVE", "5"))
preload_app = _flag("FORUM_WEB_PRELOAD", True)
# gunicorn's control socket has one default path per user: two servers (the forum and the limit
# page in `make bench`) would fight over it, and nothing here uses it.
control_socket_disable = True

# The access log: stdout by default, a file path, or "off" (e.g. for a benchmark's own runs).
_access_log = os.environ.get("FORUM_WEB_ACCESS_LOG", "").strip() or "-"
accesslog = None if _access_log.lower() == "off" else _access_log
_production = os.environ.get("FORUM_ENV", "").strip().lower() == "production"
_log_format = os.environ.get("FORUM_LOG_FORMAT", "").strip().lower()
if _log_format == "json" or (not _log_format and _production):
    logger_class = "forum.observability.gunicorn_log.JsonAccessLogger"

# Set before the app is imported (preloading happens after this file is read): prometheus_client
# picks its multi-process storage when the metrics are made.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _own_metrics_dir = tempfile.mkdtemp(prefix="dorpsplein-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _own_metrics_dir
    _master = os.getpid()

    def _remove_metrics_dir() -> None:
        # Workers leave through sys.exit too, which runs this in them: only the master removes.
        if os.getpid() == _master:
            shutil.rmtree(_own_metrics_dir, ignore_errors=True)

    atexit.register(_remove_metrics_dir)


def pre_fork(server, worker) -> None:
    """Freeze what the master holds, just before each worker is forked (see the docstring)."""
    gc.freeze()


def child_exit(server, worker) -> None:
    """A worker's live gauges go with it; its counters stay in the files and keep counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
