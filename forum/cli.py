"""Command-line interface: ``flask --app forum users …``, ``demo``, ``outbox …``, ``worker``,
``purge``, ``backup`` (forum.core.backup)."""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from forum.accounts import services as accounts
from forum.accounts.models import Role, User
from forum.accounts.rights import retention
from forum.core.queries import active_settings
from forum.db import db, utcnow
from forum.notifications import outbox, worker

users_cli = AppGroup("users", help="People and their roles.")
outbox_cli = AppGroup("outbox", help="Outgoing e-mail.")
ROLE_CHOICE = click.Choice([role.value for role in Role])


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--role", "roles", multiple=True, type=ROLE_CHOICE, help="Repeat for more roles.")
def create_user(email: str, name: str, password: str, roles: tuple[str, ...]) -> None:
    """Create a verified, active person (member plus the given roles)."""
    if len(password) < 10:
        raise click.ClickException("The password needs at least 10 characters.")
    settings = active_settings()
    if not settings:
        raise click.ClickException("No werkvelden found: run 'flask --app forum db upgrade' first.")
    # Checked before the service: its error message is translated, which needs a request.
    if accounts.user_by_email(email) is not None:
        raise click.ClickException(f"{email}: address already in use.")
    user = accounts.create_user(email, name, password, [Role(r) for r in roles], settings[0])
    db.session.commit()
    click.echo(f"Created {user.email} ({', '.join(sorted(user.roles))}).")


@users_cli.command("set-roles")
@click.argument("email")
@click.argument("roles", nargs=-1, type=ROLE_CHOICE)
def set_roles(email: str, roles: tuple[str, ...]) -> None:
    """Make EMAIL's roles exactly ROLES (member is always kept)."""
    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No person with address {email}.")
    accounts.set_roles(user, [Role(r) for r in roles], actor=None, reason="command line")
    db.session.commit()
    click.echo(f"{user.email}: {', '.join(sorted(user.roles))}")


@users_cli.command("list")
def list_users() -> None:
    """Everyone, with roles and status."""
    for user in db.session.execute(db.select(User).order_by(User.id)).scalars():
        state = []
        if not user.email_verified:
            state.append("unverified")
        if not user.approved:
            state.append("awaiting approval")
        if user.two_factor_since is not None:
            state.append("two-factor")
        click.echo(
            f"{user.id:>5}  {user.email:<40} {user.display_name:<25} "
            f"{','.join(sorted(user.roles)):<35} {' '.join(state)}"
        )


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send every queued mail whose next try has come (the worker does this too)."""
    click.echo(f"Sent {worker.send_outbox()} message(s).")


@outbox_cli.command("status")
def outbox_status() -> None:
    """How many mails wait, have used up their tries, and went out."""
    counts = outbox.counts()
    click.echo(
        f"{counts['waiting']} waiting, {counts['given_up']} given up "
        f"(after {outbox.MAX_ATTEMPTS} tries), {counts['sent']} sent."
    )


@outbox_cli.command("retry")
def outbox_retry() -> None:
    """Give mails that used up their tries (a long outage) a fresh start."""
    count = outbox.retry_given_up()
    db.session.commit()
    click.echo(f"{count} message(s) will be tried again.")


@click.command("worker")
@click.option("--once", is_flag=True, help="One round, then stop (for cron).")
@with_appcontext
def run_worker(once: bool) -> None:
    """Send the outbox and build digests: a loop until SIGTERM/SIGINT, or one round."""
    mail_worker = worker.Worker(current_app._get_current_object())  # type: ignore[attr-defined]
    if once:
        result = mail_worker.run_once()
        click.echo(result.summary())
        if result.failures:
            raise SystemExit(1)
        return
    stop = threading.Event()
    worker.stop_on_signals(stop)
    mail_worker.run(stop)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would go; change nothing.")
@with_appcontext
def purge(dry_run: bool) -> None:
    """Delete what is past its retention period (FORUM_RETAIN_*); prints how many per kind."""
    counts = retention.purge(utcnow(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    periods = {step.kind: current_app.config[step.setting] for step in retention.STEPS}
    verb = "would purge" if dry_run else "purged"
    for kind, count in counts.items():
        click.echo(f"{kind}: {verb} {count} (kept {periods[kind]} days)")


def quiet_library_logs() -> None:
    """Keep libraries' INFO lines out of the terminal (deduce writes "Please wait…" to the root
    logger), so what a person needs stands out. The forum's own INFO lines stay (mail written
    to the log), and so does every warning and error."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("forum").setLevel(logging.INFO)


@click.command("demo")
@with_appcontext  # like the AppGroup commands, so it runs from any click runner
def demo() -> None:
    """Load demo accounts (and demo content); safe to run again."""
    from forum.demo import load_demo, load_demo_content

    quiet_library_logs()
    load_demo(echo=click.echo)
    load_demo_content(echo=click.echo)


@click.command("demo-codes")
@with_appcontext
def demo_codes() -> None:
    """Show the current sign-in codes of the demo staff accounts (keys from instance/)."""
    from forum.demo import demo_codes as current_codes

    codes = current_codes()
    if not codes:
        raise click.ClickException("No demo staff keys here: run 'flask --app forum demo' first.")
    for email, code in codes.items():
        click.echo(f"{email:<28} {code}")


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Take EMAIL's two-factor sign-in away (lost phone and recovery codes). Staff then set it
    up again when they next sign in; the audit log keeps that it happened."""
    from forum.accounts.twofactor import services as twofactor

    user = accounts.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No person with address {email}.")
    twofactor.reset(user, reason="command line")
    db.session.commit()
    click.echo(f"{user.email}: two-factor sign-in removed; signed out everywhere.")


@click.command("recount")
@with_appcontext
def recount() -> None:
    """Rebuild reply counts, last activity and werkveld counters from the posts."""
    from forum.discussions.services import recount as rebuild

    rebuild()
    db.session.commit()
    click.echo("Counters rebuilt.")


def register_cli(app: Flask) -> None:
    from forum.core.backup import backup_command
    from forum.search.cli import search_cli
    from forum.seeding.cli import seed

    app.cli.add_command(recount)
    app.cli.add_command(seed)
    app.cli.add_command(search_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(run_worker)
    app.cli.add_command(purge)
    app.cli.add_command(demo)
    app.cli.add_command(demo_codes)
    app.cli.add_command(backup_command)
