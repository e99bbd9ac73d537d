#!/usr/bin/env bash
# Checks the deployment files (deploy/, Dockerfile, compose.yaml). With a Docker daemon: build the
# image, start compose, wait for /healthz, stop. Without one, lint what this machine can:
# `docker compose config`, nginx's own `nginx -t` and a real nginx serving the static files,
# `systemd-analyze verify` on the units. Always: every FORUM_* name in those files is one the app
# reads or the README documents. Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
WORK=$(mktemp -d /tmp/deploy-check.XXXX)
CREATED_ENV=""
STARTED=""
cleanup() {
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  if [ -n "$STARTED" ]; then docker compose -p dorpsplein-check down -v >/dev/null 2>&1 || true; fi
  if [ -n "$CREATED_ENV" ]; then rm -f dorpsplein.env; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
say() { printf -- '--> %s\n' "$*"; }
free_port() { "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

say "FORUM_* names in the deployment files are ones the app knows"
"$VENV/bin/python" - <<'PY'
import re, sys
from pathlib import Path
files = [*Path("deploy").rglob("*"), Path("Dockerfile"), Path("compose.yaml")]
used = {n for f in files if f.is_file() for n in re.findall(r"\bFORUM_[A-Z0-9_]+", f.read_text())}
code = "".join(p.read_text() for p in [*Path("forum").rglob("*.py"), Path("gunicorn.conf.py")])
readme = Path("README.md").read_text()
unknown = sorted(n for n in used if n not in code and n not in readme)
if unknown:
    sys.exit(f"not read by the app nor in the README: {', '.join(unknown)}")
print(f"    {len(used)} names; only in the README so far: "
      f"{', '.join(sorted(n for n in used if n not in code)) or 'none'}")
PY

if docker info >/dev/null 2>&1; then
  say "Docker: build the image, start compose, wait for /healthz"
  if [ ! -e dorpsplein.env ]; then
    CREATED_ENV=1
    key() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))'; }
    pw=$(key)
    sed -e "s#^FORUM_SECRET_KEY=.*#FORUM_SECRET_KEY=$(key)#" \
        -e "s#^FORUM_RESEARCH_KEY=.*#FORUM_RESEARCH_KEY=$(key)#" \
        -e "s#^FORUM_TRUSTED_HOSTS=.*#FORUM_TRUSTED_HOSTS=localhost#" \
        -e "s#^FORUM_SECURE_COOKIES=.*#FORUM_SECURE_COOKIES=0#" \
        -e "s#^FORUM_MAIL_URL=.*#FORUM_MAIL_URL=#" \
        -e "s#CHANGE-ME@postgres#$pw@postgres#" -e "s#^POSTGRES_PASSWORD=.*#POSTGRES_PASSWORD=$pw#" \
        deploy/env.example > dorpsplein.env
  fi
  STARTED=1
  docker compose -p dorpsplein-check up -d --build
  # The first start loads the privacy tables (about 10 s) after postgres and migrate.
  for _ in $(seq 150); do
    if curl -fs -H 'Host: localhost' http://127.0.0.1:8000/healthz; then echo; exit 0; fi
    sleep 2
  done
  docker compose -p dorpsplein-check logs --tail 50 >&2
  echo "the app did not answer /healthz within 5 minutes" >&2
  exit 1
fi

say "No Docker daemon: linting instead"
if docker compose version >/dev/null 2>&1; then
  cp compose.yaml "$WORK/" && cp deploy/env.example "$WORK/dorpsplein.env"
  (cd "$WORK" && docker compose config -q) && echo "    docker compose config: ok"
elif python3 -c 'import yaml' 2>/dev/null; then
  python3 -c 'import sys, yaml; yaml.safe_load(open("compose.yaml"))' && echo "    compose.yaml parses (no compose plugin here; tests/test_deploy_files.py checks its services)"
else
  echo "    no compose plugin and no PyYAML: compose.yaml is checked by tests/test_deploy_files.py only"
fi

say "nginx: nginx -t, then a real nginx on free ports in front of a stub host"
if ! command -v nginx >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=forum.example.nl \
  -keyout "$WORK/privkey.pem" -out "$WORK/fullchain.pem" 2>/dev/null
cp -r static "$WORK/static" && chmod -R a+rX "$WORK"
HTTP=$(free_port); HTTPS=$(free_port); STUB=$(free_port)
sed -e "s#/etc/ssl/dorpsplein/#$WORK/#g" -e "s#/var/log/nginx/#$WORK/#g" \
    -e "s#/srv/dorpsplein/static/#$WORK/static/#g" \
    -e "s#listen 80;#listen 127.0.0.1:$HTTP;#" -e "s#listen 443 ssl#listen 127.0.0.1:$HTTPS ssl#" \
    -e "/listen \[::\]/d" -e "/server 10\.0\.0\.12/d" -e "s#server 10\.0\.0\.11:8000#server 127.0.0.1:$STUB#" \
    deploy/nginx/dorpsplein.conf > "$WORK/dorpsplein.conf"
cat > "$WORK/nginx.conf" <<EOF
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    include $WORK/dorpsplein.conf;
}
EOF
nginx -t -q -e "$WORK/error.log" -p "$WORK" -c "$WORK/nginx.conf"
echo "    nginx -t: ok"
nginx -e "$WORK/error.log" -p "$WORK" -c "$WORK/nginx.conf"
"$VENV/bin/python" .ci/deploy_probe.py "$HTTP" "$HTTPS" "$STUB" "$WORK/static" "$WORK/fullchain.pem"

say "systemd-analyze verify on the units"
if command -v systemd-analyze >/dev/null 2>&1; then
  mkdir "$WORK/units"
  for unit in deploy/systemd/*.service; do
    sed "s#/srv/dorpsplein/.venv/#$(cd "$VENV" && pwd)/#" "$unit" > "$WORK/units/$(basename "$unit")"
  done
  systemd-analyze verify "$WORK"/units/*.service
  echo "    systemd-analyze verify: ok"
else
  echo "    systemd-analyze not installed: units not verified"
fi
