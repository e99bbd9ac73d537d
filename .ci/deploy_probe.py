"""Ask a running nginx with deploy/nginx/dorpsplein.conf what an operator would: does port 80
redirect, are fingerprinted files served from disk for a year, is /metrics closed, does a page
reach the host with the proxy headers, is a too-large body refused?

Usage (from .ci/deploy-check.sh): deploy_probe.py HTTP_PORT HTTPS_PORT STUB_PORT STATIC CERT.
A stub host on STUB_PORT answers every proxied request with the headers it received.
"""

from __future__ import annotations

import http.client
import json
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from forum.core.assets import build_manifest

HOST = "forum.example.nl"


class EchoHost(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({key.lower(): value for key, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Strict-Transport-Security", "max-age=1")  # nginx must hide this one
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def ask(connection: http.client.HTTPConnection, method: str, path: str):
    connection.request(method, path, headers={"Host": HOST})
    response = connection.getresponse()
    return response, response.read()


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"nginx: {what}")
    print(f"    ok: {what}")


def main(http_port: int, https_port: int, stub_port: int, static: Path, cert: str) -> None:
    stub = ThreadingHTTPServer(("127.0.0.1", stub_port), EchoHost)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    context = ssl.create_default_context(cafile=cert)
    context.check_hostname = False  # the self-signed certificate names HOST, not 127.0.0.1

    response, _ = ask(http.client.HTTPConnection("127.0.0.1", http_port, timeout=5), "GET", "/a")
    check(response.status == 301, "port 80 redirects")
    check(response.getheader("Location") == f"https://{HOST}/a", "to the same path on https")

    tls = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=5, context=context)
    for name, fingerprinted in build_manifest(static).names.items():
        response, data = ask(tls, "GET", f"/static/{fingerprinted}")
        check(response.status == 200 and data == (static / name).read_bytes(), f"{fingerprinted}")
        cache = response.getheader("Cache-Control", "")
        check("max-age=31536000" in cache and "immutable" in cache, "  cached for a year")
        check(response.getheader("Strict-Transport-Security") is not None, "  with HSTS")
    response, _ = ask(tls, "GET", "/static/css/forum.css")
    check(response.getheader("Cache-Control") == "public, max-age=300", "plain name: 5 minutes")
    response, _ = ask(tls, "GET", "/metrics")
    check(response.status == 403, "/metrics is closed from outside")

    response, data = ask(tls, "GET", "/discussies")
    sent = json.loads(data)
    check(response.status == 200 and sent["host"] == HOST, "a page reaches the host")
    check(sent["x-forwarded-proto"] == "https", "  with X-Forwarded-Proto https")
    check(sent["x-forwarded-for"] == "127.0.0.1", "  with the client in X-Forwarded-For")
    check(len(sent.get("x-request-id", "")) == 32, "  with nginx's X-Request-Id")
    hsts = [value for key, value in response.getheaders() if key == "Strict-Transport-Security"]
    check(hsts == ["max-age=31536000"], "  and one HSTS header, the proxy's")
    # Only the announced length: nginx answers from the headers, before any body is sent.
    big = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=5, context=context)
    big.putrequest("POST", "/discussies", skip_host=True)
    big.putheader("Host", HOST)
    big.putheader("Content-Length", str(1024 * 1024 + 1))
    big.endheaders()
    check(big.getresponse().status == 413, "a body over 1 MiB (the app's limit) is refused")
    stub.shutdown()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
