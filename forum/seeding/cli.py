"""``flask --app forum seed``: fill the database with a generated forum for benchmarks."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from forum.seeding import bulk, people


@click.command("seed")
@click.option("--threads", type=click.IntRange(min=1), required=True, help="Threads to add.")
@click.option(
    "--posts",
    type=click.IntRange(min=1),
    required=True,
    help="Posts to add, opening posts included (at least --threads).",
)
@click.option(
    "--seed", "seed_value", type=int, default=1, show_default=True, help="Same seed, same forum."
)
@click.option(
    "--password",
    default=None,
    help="Password of every seed account (default: a random one, printed at the end).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Run on a database with accounts the seed did not make, or one seeded before (adds).",
)
@with_appcontext
def seed(threads: int, posts: int, seed_value: int, password: str | None, force: bool) -> None:
    """Add a generated forum (accounts, threads, posts, research codes) with fast bulk inserts.

    Refuses a database that holds people it did not make, and one it seeded before, unless
    --force is given. Exits 1 when it refuses.
    """
    if posts < threads:
        raise click.BadParameter("needs at least one post per thread", param_hint="--posts")
    reason = people.refusal(force)
    if reason is not None:
        raise click.ClickException(reason)
    password = password or secrets.token_urlsafe(12)
    # One hash for every account: hashing thousands of passwords would dominate a small seed.
    password_hash = generate_password_hash(password)
    with click.progressbar(length=posts, label="Seeding posts") as bar:
        summary = bulk.seed(threads, posts, seed_value, password_hash, progress=bar.update)
    rate = summary.posts / summary.seconds if summary.seconds else 0.0
    click.echo(
        f"Seeded {summary.threads} threads, {summary.posts} posts, {summary.users} accounts, "
        f"{summary.codings} thread codings in {summary.seconds:.1f} s "
        f"({rate:,.0f} posts/s; search index {summary.index_seconds:.1f} s)."
    )
    accounts = ", ".join(f"{role} {email}" for role, email in sorted(summary.emails.items()))
    click.echo(f"Accounts (password {password}): {accounts}")
