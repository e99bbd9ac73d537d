"""After an account deletion, nothing in the database names the person: every column of every
table (reflected from the database itself, so the search index's tables are included) is read as
text and searched for their address and name, and every column with a foreign key to
``users.id``, plus the few that hold a person's id without one, for their id.

The person is everywhere a member and a staff member can be: posts, follows, notices, settings,
links, mails, consent, the interest list, a removal request sent as a visitor, and as moderator
and researcher in decisions, reports, codes, codings, memos, projects, exports, kennisoogst and
the audit log (as actor, as subject, by address in an invitation, by id in a coding's data)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from forum import audit
from forum.accounts import services as accounts
from forum.accounts import tokens
from forum.accounts.models import TokenPurpose, User
from forum.accounts.rights.deletion import PostChoice, delete_account
from forum.db import db, utcnow
from forum.discussions.models import Post, PostRevision, PostStatus
from forum.moderation.models import (
    FindingDecision,
    PendingEdit,
    RemovalRequest,
    RemovalStatus,
    Report,
    ReportReason,
    WatchedWord,
)
from forum.notifications.digests import DigestRun
from forum.notifications.models import (
    Notification,
    NotificationSettings,
    SettingFollow,
)
from forum.notifications.outbox import OutboxMessage, enqueue
from forum.research import coding
from forum.research.models import (
    Code,
    ExportFormat,
    ExportRecord,
    Harvest,
    InterestEntry,
    PassageCoding,
    ResearchProject,
)
from forum.screening import WatchedAction
from tests.helpers import PASSWORD, set_site, write_reply, write_thread
from tests.test_exports import force

NAME, EMAIL = "Zwanette Quirijnsdochter", "zwanette.q@example.org"
# Columns that hold a person's id without a foreign key: (table, column, extra condition).
ID_COLUMNS = [
    ("audit_log", "target_id", "target_type = 'user'"),
    ("page_version_changes", "user_id", None),
]


def places_naming(app, user_id: int) -> set[str]:
    """Every "table.column" where the person's address, name or id is found."""
    found: set[str] = set()
    with app.app_context():
        with db.engine.connect() as connection:
            tables = sa.MetaData()
            tables.reflect(connection)
            for table in tables.sorted_tables:
                for column in table.columns:
                    text = sa.func.lower(sa.cast(column, sa.Text))
                    hits = [
                        text.contains(EMAIL, autoescape=True),
                        text.contains(NAME.lower(), autoescape=True),
                    ]
                    if any(fk.column.table.name == "users" for fk in column.foreign_keys):
                        hits.append(column == user_id)
                    where = sa.or_(*hits)
                    if table.name == "users" and column.name == "id":
                        where = column == user_id
                    count = sa.select(sa.func.count()).select_from(table).where(where)
                    if connection.execute(count).scalar():
                        found.add(f"{table.name}.{column.name}")
            for table, column, extra in ID_COLUMNS:
                condition = f" AND {extra}" if extra else ""
                sql = f"SELECT count(*) FROM {table} WHERE {column} = :id{condition}"  # noqa: S608
                if connection.execute(sa.text(sql), {"id": user_id}).scalar():
                    found.add(f"{table}.{column}")
            data = sa.text("SELECT data FROM audit_log")
            for (value,) in connection.execute(data):
                parsed = json.loads(value) if isinstance(value, str) else value
                if user_id in {v for k, v in audit_items(parsed) if k.endswith("_id")}:
                    found.add("audit_log.data")
        db.session.remove()
    return found


def audit_items(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from audit_items(item)
    elif isinstance(value, list):
        for item in value:
            yield from audit_items(item)


@dataclass
class Scene:
    person: User
    admin: User
    own: int  # their thread's opening post, with a member's reply
    reply: int  # that reply
    theirs: int  # a member's opening post, with a reply of the person
    mine: int  # that reply
    now: datetime


def everywhere(app, users, admin, member) -> int:
    """Make the person, and put them in every place a person can be; returns their id."""
    set_site(app, "trust_threshold", "0")
    with app.test_request_context():
        accounts.invite(EMAIL, db.session.get(User, admin.id))  # an invitation to their address
        db.session.commit()
    person = users.make(email=EMAIL, name=NAME, roles=["moderator", "researcher"])
    own = write_thread(app, person, title="Ouderavond", body="Hoe krijg je vaders naar school?")
    reply = write_reply(app, member, own.thread_id, "Wij nodigen ze persoonlijk uit.")
    theirs = write_thread(app, member, title="Rapportgesprek", body="Wie bereidt het voor?")
    mine = write_reply(app, person, theirs.thread_id, "Het kind zelf, bij ons.")
    for post in (own, mine, reply, theirs):
        force(app, post.id, PostStatus.APPROVED, consent=True)
    with app.test_request_context():
        scene = Scene(
            db.session.get(User, person.id),
            db.session.get(User, admin.id),
            own.id,
            reply.id,
            theirs.id,
            mine.id,
            utcnow(),
        )
        own_rows(scene)
        as_visitor_and_member(scene, member.id)
        as_staff(scene)
        db.session.commit()
        db.session.remove()
    return person.id


def own_rows(scene: Scene) -> None:
    """Writing followed and marked read both threads already; the rest of what is theirs."""
    person = scene.person
    tokens.issue(TokenPurpose.RESET, EMAIL, user=person)
    accounts.invite("vriend@example.org", person)  # mails to others that name them
    accounts.invite("collega@example.org", person)
    sent = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "vriend@example.org")
    ).one()
    sent.sent_at = scene.now
    enqueue(EMAIL, "Over je account", f"Hallo {NAME}", recipient_id=person.id)
    accounts.record_consent(person, True, scope="post", post_id=scene.own)
    db.session.add_all(
        [
            Notification(user_id=person.id, event="followed_thread_reply", data={}),
            SettingFollow(user_id=person.id, setting_id=1),
            NotificationSettings(user_id=person.id, auto_follow=False),
            DigestRun(user_id=person.id, kind="daily", period="2026-12-01", built_at=scene.now),
            PendingEdit(
                post_id=scene.mine,
                editor_id=person.id,
                body_source="Nieuwe tekst",
                body_html="<p>Nieuwe tekst</p>",
                body_text="Nieuwe tekst",
            ),
            InterestEntry(
                name=NAME,
                email=EMAIL,
                email_normalized=EMAIL,
                profession="leerkracht",
                topic="Ouders",
                consent_to_contact=True,
            ),
        ]
    )


def as_visitor_and_member(scene: Scene, member_id: int) -> None:
    """A removal request they sent as a visitor, reports they made and resolved."""
    person_id = scene.person.id
    db.session.add_all(
        [
            RemovalRequest(
                post_id=scene.theirs,
                reason="Dit gaat over mijn kind.",
                contact=EMAIL.upper(),
                previous_status="approved",
                status=RemovalStatus.RESTORED,
                resolved_by_id=person_id,
            ),
            Report(post_id=scene.reply, reporter_id=person_id, reason=ReportReason.OFF_TOPIC),
            Report(
                post_id=scene.theirs,
                reporter_id=member_id,
                reason=ReportReason.SPAM,
                resolved_by_id=person_id,
            ),
        ]
    )


def as_staff(scene: Scene) -> None:
    """What they did as moderator and researcher, and the audit log about and by them."""
    person, person_id = scene.person, scene.person.id
    post = db.session.get(Post, scene.reply)
    post.handled_by_id = person_id
    code = Code(name="Betrokkenheid", created_by_id=person_id)
    project = ResearchProject(name="Vaders", question="Hoe?", created_by_id=person_id)
    db.session.add_all([code, project])
    db.session.flush()
    thread_code = coding.code_thread(person, post.thread, code)
    coding.uncode_thread(scene.admin, thread_code)  # the audit keeps their id as coder
    passage = PassageCoding(
        post_id=scene.reply,
        code_id=code.id,
        start_offset=0,
        end_offset=3,
        quote="Wij",
        coder_id=person_id,
    )
    db.session.add(passage)
    db.session.flush()
    coding.add_memo(person, "Mooi voorbeeld.", passage=passage)
    db.session.add_all(
        [
            PostRevision(post_id=scene.reply, editor_id=person_id, body_source="Eerder"),
            WatchedWord(phrase="rechtszaak", action=WatchedAction.FLAG, created_by_id=person_id),
            FindingDecision(
                post_id=scene.reply,
                kind="name",
                span_start=0,
                span_end=3,
                span_text="Wij",
                context="Wij nodigen",
                moderator_id=person_id,
            ),
            ExportRecord(
                project_id=project.id,
                requester_id=person_id,
                format=ExportFormat.CSV,
                file_hash="0" * 64,
            ),
            Harvest(title="Oogst", body_source="x", body_html="x", author_id=person_id),
            InterestEntry(
                name="Iemand Anders",
                email="anders@example.org",
                email_normalized="anders@example.org",
                profession="docent",
                topic="Vaders",
                consent_to_contact=True,
                contacted_at=scene.now - timedelta(days=1),
                contacted_by_id=person_id,
            ),
        ]
    )
    accounts.set_roles(person, ["moderator"], scene.admin, reason=f"Gevraagd door {NAME}")
    audit.record(person, "post.hidden", "post", scene.reply, reason="Niet over het onderwerp")


@pytest.mark.parametrize("choice", [PostChoice.KEEP, PostChoice.REMOVE])
def test_nothing_names_a_deleted_person_in_any_column_of_any_table(
    app, users, admin, member, choice
):
    user_id = everywhere(app, users, admin, member)
    before = places_naming(app, user_id)
    expected = {
        "users.id",
        "users.email",
        "users.display_name",
        "user_roles.user_id",
        "email_tokens.user_id",
        "email_tokens.email_normalized",
        "email_tokens.created_by_id",
        "consent_records.user_id",
        "notifications.user_id",
        "thread_follows.user_id",
        "setting_follows.user_id",
        "thread_reads.user_id",
        "notification_settings.user_id",
        "mail_digest_runs.user_id",
        "page_versions.user_id",
        "pending_edits.editor_id",
        "outbox.recipient_id",
        "outbox.to_address",
        "outbox.body",
        "research_interest.email",
        "research_interest.name",
        "research_interest.contacted_by_id",
        "removal_requests.contact",
        "removal_requests.resolved_by_id",
        "reports.reporter_id",
        "reports.resolved_by_id",
        "threads.author_id",
        "posts.author_id",
        "posts.handled_by_id",
        "post_revisions.editor_id",
        "watched_words.created_by_id",
        "finding_decisions.moderator_id",
        "research_codes.created_by_id",
        "research_passage_codings.coder_id",
        "research_memos.author_id",
        "research_projects.created_by_id",
        "research_exports.requester_id",
        "research_harvests.author_id",
        "audit_log.actor_id",
        "audit_log.target_id",
        "audit_log.reason",
        "audit_log.data",
    }
    assert expected <= before, expected - before  # the search finds what is there

    with app.test_request_context():
        person = db.session.get(User, user_id)
        delete_account(person, person, choice, PASSWORD)
        db.session.commit()
        db.session.remove()

    assert places_naming(app, user_id) == set()
    with app.app_context():
        left = db.session.scalars(sa.select(OutboxMessage.body)).all()
        assert any("oud-lid" in body for body in left)  # the waiting invitation, scrubbed
        db.session.remove()
