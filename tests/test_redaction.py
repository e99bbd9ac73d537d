"""Redaction really removes: after a moderator edits identifying details out of a post, the
removed text is in no table of the database, while the audit log says that a redaction happened."""

from __future__ import annotations

import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostRevision
from forum.moderation import diff, redaction
from forum.moderation.models import PendingEdit, Report, ReportReason
from forum.notifications import outbox
from forum.notifications.outbox import OutboxMessage
from tests.helpers import login, post_status, submit, write_thread

SECRET = "Sanne Jansen 06-12345678"
PIECES = (SECRET, "Sanne", "Jansen", "06-12345678")
FIRST = f"Ik maak me zorgen om {SECRET}. Ze zit bij mij in de klas en is vaak stil."
CLEAN = "Ik maak me zorgen om een meisje uit mijn klas. Ze is vaak stil."


def where_is(app, piece: str) -> list[str]:
    """Every table.column of the database whose value, as text, contains ``piece``."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                as_text = sa.cast(column, sa.Text)
                stmt = sa.select(sa.func.count()).select_from(table).where(as_text.contains(piece))
                if db.session.execute(stmt).scalar_one():
                    found.append(f"{table.name}.{column.name}")
        db.session.remove()
    return found


def test_redaction_leaves_the_removed_text_in_no_table(app, users, member, moderator):
    # The text passes through: the post, an earlier version (revision), a waiting edit, a
    # moderator's note and the notification about it, a report, a queued and a sent mail, a
    # waiting edit.
    post = write_thread(app, member, body=FIRST, title="Een stil meisje")
    reporter = users.make(name="Bezorgd Lid")
    with app.test_request_context():
        author = db.session.get(User, member.id)
        services.edit_post(
            db.session.get(Post, post.id), author, FIRST + " Wat kan ik doen?", "Een stil meisje"
        )
        db.session.add(
            Report(
                post_id=post.id,
                reporter_id=reporter.id,
                reason=ReportReason.IDENTIFIABLE,
                text="De naam Sanne Jansen staat erin.",
            )
        )
        outbox.enqueue("lid@example.org", "Nieuw in je gesprek", f"Iemand schreef: {SECRET}")
        sent = outbox.enqueue("ander@example.org", "Over Jansen", "Bericht over Sanne.")
        sent.sent_at = utcnow()
        unrelated = outbox.enqueue("iemand@example.org", "Welkom", "Welkom op Dorpsplein, Anna!")
        db.session.commit()
        sent_id, unrelated_id = sent.id, unrelated.id
        db.session.remove()
    with app.app_context():
        assert db.session.execute(sa.select(PostRevision)).first() is not None
        db.session.remove()
    mod = app.test_client()
    login(mod, moderator.email)
    item = f"/moderatie/bericht/{post.id}"
    note = "Haal Sanne Jansen en het nummer 06-12345678 weg."
    submit(mod, f"{item}/terugsturen", {"note": note}, form_url=item)
    writer = app.test_client()
    login(writer, member.email)
    submit(
        writer,
        f"/bericht/{post.id}/bewerken",
        {"title": "Een stil meisje", "body": FIRST + " Sanne is acht."},
    )
    assert post_status(app, post.id) == "pending"
    with app.app_context():  # an edit still waiting (stored directly: no form makes one here)
        db.session.add(
            PendingEdit(
                post_id=post.id,
                editor_id=member.id,
                title="Een stil meisje",
                body_source=f"Over {SECRET}.",
                body_html=f"<p>Over {SECRET}.</p>",
                body_text=f"Over {SECRET}.",
                wait_reasons=["new_member"],
                created_at=utcnow(),
            )
        )
        db.session.commit()
        db.session.remove()
    assert where_is(app, SECRET)  # the search finds it before the redaction

    redacted = submit(
        mod, f"{item}/aanpassen", {"title": "Een stil meisje", "body": CLEAN}, form_url=item
    )

    assert redacted.status_code == 302
    assert post_status(app, post.id) == "approved"
    for piece in PIECES:
        assert where_is(app, piece) == [], piece
    with app.app_context():
        assert db.session.get(Post, post.id).body_source == CLEAN
        assert db.session.execute(sa.select(PostRevision)).first() is None
        assert db.session.execute(sa.select(PendingEdit)).first() is None
        # The unrelated queued mail is still there; the queued one that quoted the text is gone.
        assert sorted(db.session.execute(sa.select(OutboxMessage.id)).scalars()) == [
            sent_id,
            unrelated_id,
        ]
        entry = db.session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "post.redacted")
        ).scalar_one()
        assert (entry.actor_id, entry.target_id, entry.reason) == (moderator.id, post.id, None)
        assert set(entry.data) == {"revisions", "pending_edits", "mails_deleted", "rows_scrubbed"}
        assert entry.data["revisions"] >= 2
        assert entry.data["pending_edits"] == 1
        db.session.remove()
    # The author still learns what changed, and the post reads as the moderator wrote it.
    assert CLEAN in mod.get(f"/gesprek/{post.thread_id}").text


def test_passages_are_identifying_runs_and_findings_not_common_words():
    old = "Ik zag Sanne (7) gisteren heel erg huilen bij de poort."
    new = "Ik zag een meisje gisteren huilen bij de poort."
    findings = [{"start": 7, "end": 12, "kind": "person"}]

    found = redaction.passages([(old, findings)], new)

    assert "Sanne" in found
    assert "Sanne (7)" in found
    assert "heel erg" not in found  # ordinary words are not hunted for in mails


def test_change_segments_never_carry_removed_text():
    old = "Sanne (7) uit groep 4 huilt. Bel 06-12345678."
    new = "Een meisje uit groep 4 huilt."

    changes = diff.change_segments(old, new)

    assert ["removed", ""] in changes
    assert all(text == "" for op, text in changes if op == "removed")
    assert "".join(text for op, text in changes if op != "removed") == new
    shown = diff.display_segments(old, new)
    assert "".join(text for op, text in shown if op != "added") == old


def test_redacting_a_published_post_also_scrubs_research_quotes_and_memos(
    app, users, moderator, researcher
):
    from forum.research.models import Code, Memo, PassageCoding
    from tests.helpers import set_site

    set_site(app, "trust_threshold", "0")
    author = users.make(name="Auteur Ad", roles=["moderator"])  # published at once, findings kept
    post = write_thread(app, author, body=FIRST, title="Een stil meisje")
    assert post.status == "approved"
    with app.app_context():
        code = Code(name="zorgen delen")
        db.session.add(code)
        db.session.flush()
        body = db.session.get(Post, post.id).body_text
        start = body.index(SECRET)
        coding = PassageCoding(
            post_id=post.id,
            code_id=code.id,
            start_offset=start,
            end_offset=start + len(SECRET),
            quote=SECRET,
            coder_id=researcher.id,
        )
        db.session.add(coding)
        db.session.flush()
        db.session.add(Memo(author_id=researcher.id, passage_id=coding.id, text=f"Over {SECRET}"))
        db.session.add(Memo(author_id=researcher.id, thread_id=post.thread_id, text="Sanne?"))
        db.session.commit()
        db.session.remove()
    assert where_is(app, "Sanne")

    mod = app.test_client()
    login(mod, moderator.email)
    item = f"/moderatie/bericht/{post.id}"
    data = {"title": "Een stil meisje", "body": CLEAN}
    assert submit(mod, f"{item}/gegevens-weghalen", data, form_url=item).status_code == 302

    assert post_status(app, post.id) == "approved"
    for piece in PIECES:
        assert where_is(app, piece) == [], piece
