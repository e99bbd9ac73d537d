"""WSGI entry point for gunicorn: ``gunicorn --preload wsgi:app``.

The privacy check's model is loaded here, once, before gunicorn forks its workers; freezing the
garbage collector afterwards keeps those pages shared between workers instead of copied.
"""

import gc

from forum import create_app, privacy

app = create_app()
privacy.load_model()
gc.freeze()
