"""``make load``: 20 members post through gunicorn for 30 s while things break; nothing is lost.

    .venv/bin/python -m bench.load [--only NAME,…] [--seconds 30] [--writers 20]

Each scenario serves the forum with the settings of gunicorn.conf.py and 4 sync workers
(bench/http_servers.py) on a free loopback port, signs in 20 trusted members through the real
login form, and lets each post threads and replies through the real forms, with CSRF, for 30 s
(bench/load_writers.py). Every post carries a unique marker; a post answered with a redirect is
acknowledged, and afterwards every acknowledged marker must be in the database.

- ``load-sqlite``, ``load-postgresql``: just the load.
- ``kill-sqlite``, ``kill-postgresql``: after 10 s the gunicorn master and its workers get
  SIGKILL; gunicorn is started again on the same port and the writers go on. SQLite's
  ``PRAGMA integrity_check`` must then say ok.
- ``restart-postgresql``: on a throwaway PostgreSQL cluster of its own (the shared server on
  5432 is never touched), stopped hard (``pg_ctl -m immediate``, a crash) after 10 s and started
  again 5 s later: the forum must answer 503 meanwhile and recover without a restart.
- ``redis-down``: rate limits on, in a Redis of its own, killed after 10 s: no 500s, and the
  limits still hold (429s) from each worker's memory.
- ``mail-down``: the mail server is a closed port; a member who follows every thread written in
  wants mail about replies at once, and the mail worker runs: posting goes on, the mails wait in
  the outbox, and every one is delivered once an SMTP server listens on that port.

A refused connection or a 503 counts as expected only while the scenario has something down;
any other failure, a 5xx included, is an error. One line per scenario, ending in
"N errors, N lost"; exit status 1 unless every line says 0 and 0. Results are also written to
instance/bench/load-results.txt.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: bench/ must not hide the stdlib's http
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != here]
    sys.path.insert(0, str(Path(here).parent))

from bench import http_data, http_plan, http_servers, load_services
from bench.http_client import Client
from bench.load_scenarios import SCENARIOS, Run, Scenario
from bench.load_writers import Writer, run_writers


def sign_in(scenario: Scenario, port: int, emails: list[str]) -> list[Client]:
    clients = []
    for number, email in enumerate(emails):
        headers = {"X-Forwarded-For": f"127.0.1.{number + 1}"} if scenario.forwarded else {}
        client = Client(port, headers)
        client.login(email, http_plan.PASSWORD)
        clients.append(client)
    return clients


def play(scenario: Scenario, seconds: float, count: int) -> Run:
    url = scenario.database()
    try:
        emails, target, scenario.reader = load_services.prepare(url, count)
        server = http_servers.start(
            scenario.name, "wsgi:app", url, workers=4, env_overrides=scenario.env()
        )
        run = Run(scenario.name, url, server, target, seconds)
        try:
            scenario.begin(run)
            writers = [
                Writer(client, number, run.run_id, target, run.tally)
                for number, client in enumerate(sign_in(scenario, server.port, emails))
            ]
            run.started = time.monotonic()
            run.stop_at[0] = run.started + seconds
            threads = run_writers(writers, run.stop_at, run.outages, run.phase)
            scenario.disrupt(run)
            for thread in threads:
                thread.join()
            run.seconds = run.at()
        finally:
            run.server.stop()
        scenario.finish(run)
        compare(run)
    finally:
        scenario.cleanup()
    return run


def compare(run: Run) -> None:
    """Every acknowledged marker must be in the database, once; posting went on afterwards."""
    if run.phase[0] == "after" and not run.tally.acknowledged_in["after"]:
        run.errors.append("no post acknowledged after the recovery")
    stored = load_services.stored_markers(run.url, run.run_id)
    acknowledged = run.tally.acknowledged
    run.lost += len(acknowledged - set(stored))
    twice = sum(count - 1 for count in stored.values() if count > 1)
    if twice:
        run.errors.append(f"{twice} posts stored twice")
    run.stored = len(stored)
    run.unanswered = len(set(stored) - acknowledged)
    off = load_services.counters_off(run.url, run.target.thread_ids)
    if off:
        run.errors.append(f"{off} threads whose reply counter disagrees with their replies")


def line(run: Run) -> str:
    tally = run.tally
    expected = sum(tally.expected.values())
    parts = [
        f"{len(tally.acknowledged)} posts acknowledged in {run.seconds:.0f} s "
        f"({len(tally.acknowledged) / run.seconds:.0f}/s), {run.stored} in the database"
        + (f" ({run.unanswered} of them stored without an answer)" if run.unanswered else ""),
        *run.notes,
    ]
    if expected:
        parts.append(f"{expected} refusals while down, as expected")
    if run.phase[0] == "after":
        parts.append(f"{tally.acknowledged_in['after']} posts acknowledged after it came back")
    errors = len(tally.errors) + len(run.errors)
    return f"{run.name:<19} " + "; ".join(parts) + f"; {errors} errors, {run.lost} lost"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="every answer's count too")
    args = parser.parse_args()
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(SCENARIOS)
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise SystemExit(f"load: unknown scenario {unknown}; choose from {list(SCENARIOS)}")
    lines, ok = [], True
    for name in names:
        print(f"== {name} ==", flush=True)
        run = play(SCENARIOS[name], args.seconds, args.writers)
        lines.append(line(run))
        print(lines[-1], flush=True)
        for error in [*run.errors, *run.tally.errors][:10]:
            print(f"    {error}")
        if args.verbose:
            print(f"    answers {dict(run.tally.answers)}; expected {dict(run.tally.expected)}")
        ok = ok and not run.errors and not run.tally.errors and run.lost == 0
    summary = "\n".join(lines)
    (http_data.OUT / "load-results.txt").write_text(summary + "\n")
    print("\n" + summary)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
