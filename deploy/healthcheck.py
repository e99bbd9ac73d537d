"""Container health check: exit 0 when this host's /healthz answers 200, else 1.

Standard library only (the image has no curl). The Host header is the first of
FORUM_TRUSTED_HOSTS: the forum refuses any other host, which would look like a dead
container. The port is FORUM_WEB_BIND's.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main() -> int:
    port = os.environ.get("FORUM_WEB_BIND", "127.0.0.1:8000").rpartition(":")[2] or "8000"
    hosts = [h.strip() for h in os.environ.get("FORUM_TRUSTED_HOSTS", "").split(",") if h.strip()]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": hosts[0] if hosts else "localhost"}
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed loopback URL)
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthz: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
