"""WSGI entry point for gunicorn: ``gunicorn --preload wsgi:app``.

The privacy check's model is loaded here, once, before gunicorn forks its workers; freezing the
garbage collector afterwards keeps those pages shared between workers instead of copied.
"""

import gc

from forum import create_app, privacy
from forum.cli import quiet_library_logs

app = create_app()
quiet_library_logs()  # before the model loads: deduce logs "Please wait…" at INFO
privacy.load_model()
gc.freeze()
