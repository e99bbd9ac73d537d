"""The scenarios of ``bench/load.py`` (its docstring says what each does) and the state of one
run that the writers share with the scenario disturbing them (``Run``)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import http_data, http_servers, load_services
from bench.http_client import Client, csrf_token
from bench.load_writers import Outages, Tally, Target

SEED = ["--threads", "300", "--posts", "8000", "--seed", "1"]  # 29 plain members
DISRUPT_AT = 10.0  # seconds into the run
AFTER_RECOVERY = 10.0  # the run goes on at least this long once all is back


@dataclass
class Run:
    """One scenario in progress: what the writers share with the scenario that disturbs them."""

    name: str
    url: str
    server: http_servers.Server
    target: Target
    seconds: float
    tally: Tally = field(default_factory=Tally)
    outages: Outages = field(default_factory=Outages)
    phase: list[str] = field(default_factory=lambda: ["before"])
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # found by the checks afterwards
    lost: int = 0
    started: float = field(default_factory=time.monotonic)
    run_id: str = field(default_factory=lambda: secrets.token_hex(3))  # in every marker
    stored: int = 0  # markers found in the database
    unanswered: int = 0  # of those, posts the writer got no redirect for (a cut connection)

    def __post_init__(self) -> None:
        self.stop_at = [self.started + self.seconds]

    def wait_until(self, offset: float) -> None:
        time.sleep(max(0.0, self.started + offset - time.monotonic()))

    def go_on_after_recovery(self) -> None:
        """Everything is back: the writers go on for a while, and must get posts through."""
        self.phase[0] = "after"
        self.stop_at[0] = max(self.stop_at[0], time.monotonic() + AFTER_RECOVERY)

    def at(self) -> float:
        return time.monotonic() - self.started


class Scenario:
    name = ""
    engine = "sqlite"
    forwarded = False  # each writer its own X-Forwarded-For (rate limits on: login is per address)
    reader = 0  # the id of a member who only reads (the mail scenario's recipient)

    def database(self) -> str:
        """A fresh copy of the load dataset for this scenario."""
        dataset = http_data.Dataset("load", self.engine, SEED)
        http_data.ensure(dataset, echo=lambda text: print(text, flush=True))
        self.dataset = dataset
        return http_data.work_copy(dataset)

    def cleanup(self) -> None:
        http_data.drop_work_copy(self.dataset)

    def env(self) -> dict[str, str]:
        return {}

    def begin(self, run: Run) -> None:
        """After the forum is up, before the writers start."""

    def disrupt(self, run: Run) -> None:
        """While the writers write (the main thread)."""

    def finish(self, run: Run) -> None:
        """After the writers stopped and the forum was stopped: extra checks."""
        if self.engine == "sqlite":
            check = load_services.integrity(run.url)
            run.notes.append(f"integrity_check {check}")
            if check != "ok":
                run.errors.append(f"PRAGMA integrity_check: {check}")


class Load(Scenario):
    def __init__(self, engine: str) -> None:
        self.engine, self.name = engine, f"load-{engine}"


class Kill(Scenario):
    def __init__(self, engine: str) -> None:
        self.engine, self.name = engine, f"kill-{engine}"

    def disrupt(self, run: Run) -> None:
        run.wait_until(DISRUPT_AT)
        run.outages.begin()
        run.phase[0] = "down"
        old = run.server
        for pid in [*old.worker_pids(), old.process.pid]:
            os.kill(pid, signal.SIGKILL)
        old.process.wait()
        killed_at = run.at()
        run.server = http_servers.start(
            f"{self.name}-restarted",
            "wsgi:app",
            run.url,
            workers=4,
            port=old.port,
            env_overrides=self.env(),
        )
        run.outages.end()
        run.notes.append(
            f"master and workers SIGKILLed at {killed_at:.0f} s, serving again after "
            f"{run.at() - killed_at:.0f} s"
        )
        run.go_on_after_recovery()


class RestartPostgres(Scenario):
    name, engine = "restart-postgresql", "postgresql"
    DOWN_FOR = 5.0

    def database(self) -> str:
        print("  a throwaway PostgreSQL cluster for this scenario (initdb, pg_ctl) ...", flush=True)
        self.cluster = load_services.PrivatePostgres()
        url = self.cluster.create_database("forum_load")
        http_data.flask(["db", "upgrade"], url, quiet=True)
        http_data.flask(["seed", *SEED, "--force"], url, quiet=True)
        return url

    def cleanup(self) -> None:
        self.cluster.remove()

    def disrupt(self, run: Run) -> None:
        run.wait_until(DISRUPT_AT)
        run.outages.begin()
        run.phase[0] = "down"
        self.cluster.stop("immediate")  # a crash: no checkpoint, recovery from the WAL
        down_at = run.at()
        time.sleep(self.DOWN_FOR)
        self.cluster.start()
        up_at = run.at()
        probe, deadline = Client(run.server.port), time.monotonic() + 120
        while probe.request("GET", "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("load: the forum did not recover within 120 s")
            time.sleep(0.1)
        healthy_at = run.at()
        run.outages.end()
        run.notes.append(
            f"PostgreSQL down {down_at:.0f}-{up_at:.0f} s, the forum healthy again "
            f"{healthy_at - up_at:.1f} s after it was back, without a restart"
        )
        run.go_on_after_recovery()

    def finish(self, run: Run) -> None:
        super().finish(run)
        answered = sum(run.tally.expected[k] for k in ("GET 503", "POST 503"))
        run.notes.append(f"{answered} answers 503 while it was down")
        if answered == 0:
            run.errors.append("no 503 page while PostgreSQL was down")


class RedisDown(Scenario):
    name, forwarded = "redis-down", True
    PROBES = 60  # wrong logins from one address until the login limit (10 a minute) answers

    def database(self) -> str:
        self.redis = load_services.PrivateRedis()
        return super().database()

    def env(self) -> dict[str, str]:
        return {
            "FORUM_RATELIMIT_ENABLED": "1",
            "FORUM_RATELIMIT_STORAGE_URL": self.redis.url,
            "FORUM_PROXY_HOPS": "1",
        }

    def disrupt(self, run: Run) -> None:
        run.wait_until(DISRUPT_AT / 2)
        before = self.probe(run, "127.0.2.1")
        run.wait_until(DISRUPT_AT)
        self.redis.kill()
        killed_at = run.at()
        run.go_on_after_recovery()  # the writers go on without Redis for a while
        after = self.probe(run, "127.0.2.2")
        run.notes.append(
            f"Redis killed at {killed_at:.0f} s; the login limit answered 429 at wrong login "
            f"{before} with Redis and at {after} without (each worker counts in memory then); "
            f"posting limits: {run.tally.limited_after['before']} answers 429 before, "
            f"{run.tally.limited_after['after']} after"
        )
        if before is None or after is None:
            run.errors.append("the login limit did not hold")

    def probe(self, run: Run, address: str) -> int | None:
        """Wrong logins from one address: the number of the first that was refused with 429."""
        client = Client(run.server.port, {"X-Forwarded-For": address})
        token = csrf_token(client.get_ok("/account/inloggen"))
        form = {"csrf_token": token, "email": "niemand@example.org", "password": "fout-fout-fout"}
        for number in range(1, self.PROBES + 1):
            status = client.request("POST", "/account/inloggen", form)[0]
            if status == 429:
                return number
            if status >= 500:
                run.errors.append(f"wrong login {number} answered {status}")
        return None

    def cleanup(self) -> None:
        self.redis.kill()
        super().cleanup()


class MailDown(Scenario):
    name = "mail-down"
    WAIT_FOR_DELIVERY = 120.0

    def __init__(self) -> None:
        self.mail_port = http_servers.free_port()  # nothing listens: the mail server is down

    def env(self) -> dict[str, str]:
        return {"FORUM_MAIL_URL": f"smtp://127.0.0.1:{self.mail_port}"}

    def begin(self, run: Run) -> None:
        load_services.mail_at_once(run.url, self.reader, run.target)
        env = {
            **os.environ,
            **http_servers.BENCH_ENV,
            **self.env(),
            "FORUM_DATABASE_URL": run.url,
            "FORUM_WORKER_INTERVAL": "1",
            "FORUM_MAIL_RETRY_SECONDS": "1",
        }
        log = http_data.OUT / f"worker-{self.name}.log"
        with log.open("w") as handle:
            self.worker = subprocess.Popen(  # noqa: S603 (our own command line)
                [str(Path(sys.executable).parent / "flask"), "--app", "forum", "worker"],
                cwd=http_data.ROOT,
                env=env,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )

    def finish(self, run: Run) -> None:
        super().finish(run)
        time.sleep(3)  # the worker's last rounds over the last posts
        waited = load_services.outbox_state(run.url)
        sink = load_services.MailSink(self.mail_port)
        deadline = time.monotonic() + self.WAIT_FOR_DELIVERY
        state = waited
        while state["sent"] < state["mails"] and time.monotonic() < deadline:
            time.sleep(1)
            state = load_services.outbox_state(run.url)
        self.worker.send_signal(signal.SIGTERM)
        self.worker.wait(timeout=60)
        sink.stop()
        run.notes.append(
            f"{waited['mails']} mails waited in the outbox ({waited['sent']} sent, up to "
            f"{waited['most_tries']} tries each), {state['sent']} delivered once the mail server "
            f"was back ({len(sink.received)} received)"
        )
        run.lost += state["mails"] - state["sent"]
        if waited["mails"] == 0 or waited["sent"] > 0:
            run.errors.append("the outage produced no waiting mail to check")
        if len(sink.received) != state["sent"]:
            run.errors.append(f"{len(sink.received)} mails received for {state['sent']} sent")


SCENARIOS = {
    s.name: s
    for s in (
        Load("sqlite"),
        Load("postgresql"),
        Kill("sqlite"),
        Kill("postgresql"),
        RestartPostgres(),
        RedisDown(),
        MailDown(),
    )
}
