"""HTTP for the benchmark: a tiny cookie-keeping client, the real login, page checks, wrk, replies.

The client uses ``http.client`` and never follows a redirect by itself: a page that answers 302 to
the login page, or 404, would be a fake fast page, so every benchmarked URL is fetched first and
must answer 200 with the content it is expected to hold.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlencode, urlsplit

import pyotp

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
# Staff sign in with a second step; the plan enrols the benchmark's staff with this secret.
CODE_PATH = "/account/tweestapsverificatie/code"
TOTP_SECRET = "BENCHBENCHBENCHBENCHBENCHBENCH23"  # noqa: S105 (a benchmark copy only)
SUBMISSION_KEY = re.compile(r'name="submission_key"[^>]*value="([0-9a-f]{32})"')


class BenchError(SystemExit):
    """Stops the benchmark with a message: a wrong page or a failed request is never timed."""


class Client:
    """One browser: keeps its cookies, one connection to one host:port."""

    def __init__(self, port: int, headers: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})  # sent with every request (e.g. X-Forwarded-For)
        self.last_headers: http.client.HTTPMessage | None = None  # of the latest answer

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location header, body) of one request."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}", **self.headers}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            self.last_headers = response.headers
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, response.headers.get("Location", ""), text
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def get_ok(self, path: str, expect: list[str] = ()) -> str:
        """GET that must answer 200 and hold every expected string; the body."""
        status, location, text = self.request("GET", path)
        if status != 200:
            raise BenchError(f"bench: GET {path} answered {status} {location}, not 200")
        missing = [item for item in expect if item not in text]
        if missing:
            raise BenchError(f"bench: GET {path} answered 200 but lacks {missing}")
        return text

    def login(self, email: str, password: str) -> None:
        """Log in through the real form (CSRF token included), as a browser would."""
        page = self.get_ok("/account/inloggen")
        status, location, _text = self.request(
            "POST",
            "/account/inloggen",
            {"csrf_token": csrf_token(page), "email": email, "password": password},
        )
        if status not in (302, 303) or "inloggen" in location:
            raise BenchError(f"bench: login as {email} answered {status} {location}")
        if location.endswith(CODE_PATH):
            self.second_step(email)

    def second_step(self, email: str) -> None:
        """Staff give the code from their app (the secret the plan enrolled them with). A code
        is taken once: when this time step's was used already, wait for the next one."""
        totp = pyotp.TOTP(TOTP_SECRET)
        for _attempt in range(2):
            page = self.get_ok(CODE_PATH)
            status, location, _text = self.request(
                "POST", CODE_PATH, {"csrf_token": csrf_token(page), "code": totp.now()}
            )
            if status in (302, 303) and not location.endswith(CODE_PATH):
                return
            time.sleep(totp.interval - time.time() % totp.interval + 0.5)
        raise BenchError(f"bench: the code step for {email} answered {status} {location}")


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    if match is None:
        raise BenchError("bench: no CSRF token on the page")
    return unescape(match.group(1) or match.group(2))


def wait_healthy(port: int, seconds: float = 120.0) -> None:
    """Wait until /healthz answers 200 (the forum loads the privacy model first: ~10 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise BenchError(f"bench: nothing answered /healthz on port {port} in {seconds:.0f} s")


def wait_idle(port: int, workers: int = 2, seconds: float = 180.0) -> float:
    """Wait until every worker is free again; the seconds waited.

    wrk stops at its deadline, but sync workers still answer the requests already sent: after a
    slow page, that backlog would be timed as part of the next page. One /healthz per worker at
    once, all answered within half a second, means none is busy.
    """
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        answers: list[float] = []

        def probe(answers: list[float] = answers) -> None:
            begun = time.monotonic()
            Client(port).request("GET", "/healthz")
            answers.append(time.monotonic() - begun)

        probes = [threading.Thread(target=probe) for _ in range(workers)]
        for thread in probes:
            thread.start()
        for thread in probes:
            thread.join()
        if len(answers) == workers and max(answers) < 0.5:
            return time.monotonic() - started
    raise BenchError(f"bench: the server on port {port} stayed busy for {seconds:.0f} s")


# --- wrk -----------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value).group(0))
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
        if value.endswith(unit):
            return number * factor
    return number


def parse_wrk(output: str) -> WrkResult:
    """req/s, p50 and p99 from ``wrk --latency``; a non-2xx/3xx answer or socket error fails."""
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    if bad or errors:
        raise BenchError(f"bench: wrk saw failed requests:\n{output}")
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"bench: could not read wrk's output:\n{output}")
    return WrkResult(float(rps.group(1)), _ms(p50.group(1)), _ms(p99.group(1)), int(total.group(1)))


def wrk(
    url: str, seconds: float, cookie: str = "", header: str = "", connections: int = 8
) -> WrkResult:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if header:
        command += ["-H", header]
    result = subprocess.run(  # noqa: S603 (fixed command line, our own URL)
        [*command, url], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BenchError(f"bench: wrk failed on {url}:\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


# --- the write path ------------------------------------------------------------------------------


@dataclass
class WriteResult:
    replies: int
    errors: list[str]
    seconds: float

    @property
    def per_second(self) -> float:
        return self.replies / self.seconds if self.seconds else 0.0


def reply_once(client: Client, thread_id: int, number: int) -> str | None:
    """Fetch the thread, post a reply through its form, follow the redirect; None when stored."""
    path = f"/gesprek/{thread_id}"
    status, location, page = client.request("GET", path)
    if status != 200:
        return f"GET {path}: {status} {location}"
    form_start = page.find(f'action="/gesprek/{thread_id}/reageren"')
    key = SUBMISSION_KEY.search(page, form_start)
    if form_start < 0 or key is None:
        return f"GET {path}: no reply form"
    body = (
        f"Reactie {number} uit de benchmark. Bij ons werkt het goed om ouders eerst te laten "
        "vertellen wat zij thuis zien, en pas daarna samen te kijken wat de groep kan doen."
    )
    form = {
        "csrf_token": csrf_token(page[form_start:]),
        "submission_key": key.group(1),
        "body": body,
        "submit": "Plaatsen",
    }
    status, location, text = client.request("POST", f"{path}/reageren", form)
    if status not in (302, 303):
        snippet = re.sub(r"\s+", " ", text)[:300]
        return f"POST {path}/reageren: {status} {snippet}"
    target = urlsplit(location)
    status, _location, _text = client.request(
        "GET", target.path + (f"?{target.query}" * bool(target.query))
    )
    if status != 200:
        return f"GET {location} after the reply: {status}"
    return None


def write_bench(
    port: int, logins: list[tuple[str, str]], thread_id: int, seconds: float
) -> WriteResult:
    """One thread per login posts replies for ``seconds``; every failure is kept."""
    clients = []
    for email, password in logins:
        client = Client(port)
        client.login(email, password)
        clients.append(client)
    lock = threading.Lock()
    done: list[int] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def work(client: Client, offset: int) -> None:
        number = offset
        while time.monotonic() < stop:
            try:
                error = reply_once(client, thread_id, number)
            except (OSError, http.client.HTTPException) as failure:
                error = f"{type(failure).__name__}: {failure}"
            with lock:
                (errors.append(error) if error else done.append(number))
            number += len(clients)

    started = time.monotonic()
    workers = [
        threading.Thread(target=work, args=(client, index)) for index, client in enumerate(clients)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return WriteResult(len(done), errors, time.monotonic() - started)
