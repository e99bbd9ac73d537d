"""``flask --app forum search reindex``: rebuild the search index from the posts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from forum.db import db
from forum.search import services

search_cli = AppGroup("search", help="The full-text search index.")


@search_cli.command("reindex")
@click.option("--batch-size", default=2000, show_default=True, help="Posts per transaction.")
def reindex(batch_size: int) -> None:
    """Index every post again (after a restore, or to compact the index)."""
    total = services.post_count()
    with click.progressbar(length=total, label="Indexing posts") as bar:

        def committed(count: int) -> None:
            # One transaction per batch: the forum keeps working while a large index rebuilds.
            db.session.commit()
            bar.update(count)

        done = services.reindex(batch_size=max(1, batch_size), after_batch=committed)
    db.session.commit()
    click.echo(f"Indexed {done} post(s).")
