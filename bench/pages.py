"""Page speed as ratios against a baseline measured in the same run.

    .venv/bin/python bench/pages.py [--rounds 200]

Builds a throwaway SQLite forum with many threads and posts, then times requests through the
WSGI app. The baseline is ``/healthz`` (one trivial query); each page's cost is reported as a
multiple of it, so the numbers mean the same on a fast or a slow machine. The targets below are
what the README promises; the script exits 1 when a page is slower than its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FORUM_SECRET_KEY", "bench-secret")

from flask_migrate import upgrade

from forum import create_app
from forum.accounts import services as accounts
from forum.accounts.models import Role
from forum.core import site
from forum.core.queries import active_settings
from forum.db import db
from forum.discussions import services
from forum.discussions.models import ThreadKind

# Page cost as a multiple of /healthz, measured the same way in the same run.
# /healthz is a bare query; a page renders a full template, so the targets leave room for that
# while catching a page that starts doing work per row (an extra query, a slow filter).
TARGETS = {
    "/": 15.0,
    "/werkveld/school": 20.0,
    "/werkveld/school?page=4": 20.0,
    "/gesprek/1": 30.0,
}
BODY = "Een *voorbeeld* met een [link](https://www.nji.nl) en een lijstje:\n\n- een\n- twee\n"


def build(app, threads: int, replies: int) -> None:
    with app.app_context():
        upgrade()
        settings = active_settings()
        author = accounts.create_user(
            "bench@example.org", "Bench", "bench-password-1", [Role.MODERATOR], settings[0]
        )
        for index in range(threads):
            opening = services.start_thread(
                author,
                settings[index % 3],
                list(ThreadKind)[index % 3],
                f"Gesprek nummer {index}",
                BODY,
            )
            for _ in range(replies if index == 0 else 2):
                services.reply(opening.thread, author, BODY)
        db.session.commit()


def time_page(client, path: str, rounds: int) -> float:
    for _ in range(5):
        client.get(path)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "RATELIMIT_ENABLED": False}
        )
        build(app, threads=300, replies=29)
        client = app.test_client()
        # Read as a visitor with public reading on: the same queries a member's page runs.
        with app.app_context():
            site.set_value("public_read", "1")
            db.session.commit()
        baseline = time_page(client, "/healthz", args.rounds)
        print(f"baseline /healthz: {baseline * 1000:.2f} ms (median of {args.rounds})")
        failed = False
        for path, target in TARGETS.items():
            ratio = time_page(client, path, args.rounds) / baseline
            verdict = "ok" if ratio <= target else "SLOWER THAN TARGET"
            failed |= ratio > target
            print(f"{path:<28} {ratio:6.1f} x baseline  (target ≤ {target:.0f}x)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
