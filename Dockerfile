# Dorpsplein's image: the web app (default command) and, with another command, the worker and
# the migrations (see compose.yaml). Build: docker build -t dorpsplein .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# A fixed uid/gid, so volume permissions and "run as non-root" policies can name it.
RUN groupadd --system --gid 10001 dorpsplein \
 && useradd --system --uid 10001 --gid dorpsplein --home-dir /srv/dorpsplein --shell /usr/sbin/nologin dorpsplein

WORKDIR /srv/dorpsplein
COPY . .

# Editable: the app finds templates/, static/ and migrations/ beside the forum package, so it
# runs from this folder (the code stays root-owned and read-only to the forum).
# The privacy check's lookup tables are built now, not at every start (a few minutes, ~1 GB),
# and the catalogs compiled (.mo files are build output, never in the repository).
RUN pip install -e . \
 && python -m forum.privacy --build \
 && pybabel -q compile -d forum/translations \
 && mkdir -p instance /var/lib/dorpsplein/downloads /var/lib/dorpsplein/research-exports \
 && chown dorpsplein:dorpsplein instance /var/lib/dorpsplein /var/lib/dorpsplein/downloads \
      /var/lib/dorpsplein/research-exports \
 && chmod 0700 /var/lib/dorpsplein/downloads /var/lib/dorpsplein/research-exports

# gunicorn must listen beyond loopback inside a container; downloads go to the shared volume.
ENV FORUM_WEB_BIND=0.0.0.0:8000 \
    FORUM_DATA_DOWNLOAD_DIR=/var/lib/dorpsplein/downloads \
    FORUM_RESEARCH_EXPORT_DIR=/var/lib/dorpsplein/research-exports

USER 10001:10001
EXPOSE 8000

# /healthz with a trusted Host header (deploy/healthcheck.py); the first start loads ~1 GB.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "deploy/healthcheck.py"]

CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
