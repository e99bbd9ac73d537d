"""Discussions over HTTP, through the real forms: writing, waiting, approving, counters, lists,
pages, werkveld administration, public reading, bad input and double submits."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
import sqlalchemy as sa

from forum.accounts.models import User
from forum.audit import AuditEntry
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.discussions import services
from forum.discussions.models import Post, PostRevision, PostStatus, Thread, ThreadKind
from tests.helpers import csrf_token, login, submit

THREAD = {"setting": "1", "kind": "question", "title": "Een vader komt nooit", "body": "Tekst."}
KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([0-9a-f]{32})"')


def new_thread(client, **fields):
    return submit(client, "/gesprek/nieuw", {**THREAD, "submission_key": key(), **fields})


def reply(client, thread_id: int, body: str = "Herkenbaar!", **fields):
    data = {"body": body, "submission_key": key(), **fields}
    return submit(client, f"/gesprek/{thread_id}/reageren", data, form_url=f"/gesprek/{thread_id}")


def key() -> str:
    return secrets.token_hex(16)


def press(client, url: str, page: str):
    """Press a POST button (approve, delete, …) found on ``page``."""
    return submit(client, url, {}, form_url=page)


def approve(moderator_client, post_id: int):
    """Press Goedkeuren on the post's page in the review queue."""
    page = f"/moderatie/bericht/{post_id}"
    return submit(moderator_client, f"{page}/goedkeuren", {}, form_url=page)


def expect(response, status: int, *texts: str) -> None:
    assert (response.status_code, [t for t in texts if t not in response.text]) == (status, [])


def thread_id_of(response) -> int:
    assert response.status_code == 302, response.status_code
    return int(re.match(r"/gesprek/(\d+)", response.headers["Location"]).group(1))


def all_of(app, model) -> list:
    with app.app_context():
        rows = db.session.scalars(sa.select(model).order_by(model.id)).all()
        db.session.expunge_all()
    return rows


def get(app, model, ident):
    with app.app_context():
        row = db.session.get(model, ident)
        db.session.expunge_all()
    return row


def stored(app) -> tuple[int, int]:
    return len(all_of(app, Thread)), len(all_of(app, Post))


def titles(html: str) -> list[str]:
    return re.findall(r'class="thread-title"[^>]*>([^<]*)</a>', html)


def seed(app, author_id: int, count=1, setting_id=1, replies=0, backdate=True, pinned=False):
    """Approved threads written straight through the services (the author is a moderator)."""
    ids = []
    with app.app_context():
        author, setting = db.session.get(User, author_id), db.session.get(Setting, setting_id)
        for n in range(count):
            kind = list(ThreadKind)[n % 3]
            post = services.start_thread(author, setting, kind, f"Gesprek {n:02d}", "Tekst")
            for _ in range(replies):
                services.reply(post.thread, author, "Reactie")
            if backdate:  # a clear order: Gesprek 00 is the oldest
                post.thread.last_activity_at = utcnow() - timedelta(minutes=count - n)
            post.thread.pinned = pinned
            ids.append(post.thread_id)
        db.session.commit()
    return ids


def set_thread(app, thread_id: int, **values) -> None:
    with app.app_context():
        for name, value in values.items():
            setattr(db.session.get(Thread, thread_id), name, value)
        db.session.commit()


# --- writing, waiting, approving ---------------------------------------------------------------

KINDS = [("voorbeeld", "example", "Voorbeeld"), ("vraag", "question", "Vraag")]
KINDS.append(("dilemma", "dilemma", "Dilemma"))


@pytest.mark.parametrize(("slug", "value", "label"), KINDS)
def test_member_starts_a_thread_of_each_kind(app, client, member, slug, value, label):
    login(client, member.email)
    form = client.get(f"/gesprek/nieuw?soort={slug}")
    assert re.search(rf'checked[^>]*value="{value}"|value="{value}"[^>]*checked', form.text)
    expect(form, 200, "Wat het opleverde", "Wat ik wil weten", "Welke belangen botsen")
    page = client.get(new_thread(client, kind=value, title=f"Een {slug}").headers["Location"])
    expect(page, 200, f'badge-{value}">{label}</span>', f"<h1>Een {slug}</h1>")
    [thread] = all_of(app, Thread)
    assert (thread.kind, thread.title, thread.status) == (value, f"Een {slug}", "pending")


def test_preview_shows_the_rendered_post_and_stores_nothing(app, client, member):
    login(client, member.email)
    response = new_thread(client, body="Dit is **vet** en <script>x</script>", preview="Bekijk")
    html = "<p>Dit is <strong>vet</strong> en &lt;script&gt;x&lt;/script&gt;</p>"
    expect(response, 200, "Zo ziet je bericht eruit", html, "Nog niet geplaatst")
    assert stored(app) == (0, 0)


def test_pending_post_is_seen_by_author_and_moderators_only_until_approved(
    app, client, member, moderator, users
):
    login(client, member.email)
    thread_id = thread_id_of(new_thread(client))
    mine = client.get(f"/gesprek/{thread_id}")
    expect(mine, 200, "Wacht op goedkeuring", "Alleen jij en de moderatoren", "Dank je!")
    expect(client.get("/werkveld/school"), 200, "nog niet zichtbaar", "Een vader komt nooit")
    other = app.test_client()
    login(other, users.make().email)
    assert other.get(f"/gesprek/{thread_id}").status_code == 404
    assert titles(other.get("/werkveld/school").text) == []
    assert "Een vader komt nooit" not in other.get("/").text

    mod = app.test_client()
    login(mod, moderator.email)
    [post] = all_of(app, Post)
    expect(
        mod.get(f"/gesprek/{thread_id}"),
        200,
        "Wacht op goedkeuring",
        f'href="/moderatie/bericht/{post.id}">Beoordelen</a>',
    )
    approved = approve(mod, post.id)
    assert approved.headers["Location"] == "/moderatie/"
    assert [(a.action, a.target_id) for a in all_of(app, AuditEntry)] == [
        ("post.approved", post.id)
    ]
    page = other.get(f"/gesprek/{thread_id}")
    assert (page.status_code, "Wacht op goedkeuring" in page.text) == (200, False)
    assert titles(other.get("/werkveld/school").text) == ["Een vader komt nooit"]


def test_counters_follow_approved_posts_only(app, client, member, moderator):
    login(client, member.email)
    thread_id = thread_id_of(new_thread(client))
    mod = app.test_client()
    login(mod, moderator.email)
    opening = all_of(app, Post)[0]
    approve(mod, opening.id)
    assert reply(client, thread_id).status_code == 302  # pending: not counted
    thread, school = get(app, Thread, thread_id), get(app, Setting, 1)
    assert (thread.reply_count, school.thread_count, school.post_count) == (0, 1, 1)
    approved_at = get(app, Post, opening.id).approved_at
    assert school.last_activity_at == thread.last_activity_at == approved_at

    waiting = all_of(app, Post)[1]
    assert waiting.status == "pending"
    approve(mod, waiting.id)
    thread, school = get(app, Thread, thread_id), get(app, Setting, 1)
    assert (thread.reply_count, school.thread_count, school.post_count) == (1, 1, 2)
    approved_at = get(app, Post, waiting.id).approved_at
    assert thread.last_activity_at == school.last_activity_at == approved_at
    expect(client.get(f"/gesprek/{thread_id}"), 200, "1 reactie")
    expect(client.get("/"), 200, "1 gesprek", "2 berichten")
    # Approving again changes nothing.
    again = approve(mod, waiting.id)
    expect(mod.get(again.headers["Location"]), 200, "al behandeld door Moderator Mo")
    assert (get(app, Thread, thread_id).reply_count, get(app, Setting, 1).post_count) == (1, 2)


def test_member_with_three_approved_posts_is_published_at_once(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id)
    login(client, member.email)
    mod = app.test_client()
    login(mod, moderator.email)
    for n in range(3):
        reply(client, thread_id, f"Reactie {n}")
        post = all_of(app, Post)[-1]
        assert post.status == "pending"
        approve(mod, post.id)
    response = reply(client, thread_id, "Nu meteen zichtbaar")
    expect(client.get(response.headers["Location"]), 200, "Je bericht is geplaatst.")
    assert (all_of(app, Post)[-1].status, get(app, Thread, thread_id).reply_count) == (
        "approved",
        4,
    )
    new_thread(client)
    assert all_of(app, Thread)[-1].status == "approved"


def test_edit_keeps_the_old_source_and_marks_the_edit(app, client, member):
    login(client, member.email)
    thread_id = thread_id_of(new_thread(client, body="Eerste versie"))
    [post] = all_of(app, Post)
    url = f"/bericht/{post.id}/bewerken"
    expect(client.get(url), 200, "Eerste versie</textarea>", 'value="Een vader komt nooit"')
    edit = {"title": "Een moeder komt nooit", "body": "Tweede *versie*"}
    expect(submit(client, url, {**edit, "preview": "Bekijk"}), 200, "<em>versie</em>")
    assert get(app, Post, post.id).body_source == "Eerste versie"
    response = submit(client, url, {**edit, "submit": "Opslaan"})
    assert response.headers["Location"] == f"/gesprek/{thread_id}#bericht-{post.id}"
    edited = get(app, Post, post.id)
    assert edited.body_html == "<p>Tweede <em>versie</em></p>"
    assert edited.edited_at > edited.created_at
    [revision] = all_of(app, PostRevision)
    assert (revision.body_source, revision.title, revision.editor_id) == (
        "Eerste versie",
        "Een vader komt nooit",
        member.id,
    )
    expect(client.get(f"/gesprek/{thread_id}"), 200, "<h1>Een moeder komt nooit</h1>", "bewerkt")


def test_others_cannot_edit_or_delete(app, client, member, users, moderator):
    [approved] = seed(app, moderator.id)
    login(client, member.email)
    pending = thread_id_of(new_thread(client))
    posts = {p.thread_id: p.id for p in all_of(app, Post)}
    other = app.test_client()
    login(other, users.make().email)
    assert other.get(f"/bericht/{posts[pending]}/bewerken").status_code == 404
    expect(other.get(f"/bericht/{posts[approved]}/bewerken"), 403, "alleen je eigen berichten")
    assert press(other, f"/bericht/{posts[pending]}/verwijderen", "/").status_code == 404
    assert press(other, f"/bericht/{posts[approved]}/verwijderen", "/").status_code == 403
    assert stored(app) == (2, 2)


def test_delete_own_pending_posts_but_not_approved_ones(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id)
    login(client, member.email)
    reply(client, thread_id, "Oeps")
    waiting = all_of(app, Post)[-1]
    response = press(client, f"/bericht/{waiting.id}/verwijderen", f"/gesprek/{thread_id}")
    assert (response.headers["Location"], get(app, Post, waiting.id)) == (
        f"/gesprek/{thread_id}",
        None,
    )
    own = thread_id_of(new_thread(client))
    opening = all_of(app, Post)[-1]
    response = press(client, f"/bericht/{opening.id}/verwijderen", f"/gesprek/{own}")
    assert response.headers["Location"] == "/"
    assert (get(app, Thread, own), get(app, Post, opening.id)) == (None, None)
    mine = thread_id_of(new_thread(client, title="Goedgekeurd"))
    with app.app_context():
        post = db.session.scalars(sa.select(Post).where(Post.thread_id == mine)).one()
        services.set_status(post, PostStatus.APPROVED)
        db.session.commit()
        post_id = post.id
    denied = press(client, f"/bericht/{post_id}/verwijderen", f"/gesprek/{mine}")
    expect(denied, 403, "nog niet is goedgekeurd")
    assert get(app, Post, post_id) is not None


def test_locked_thread_says_so_and_takes_no_replies(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id)
    login(client, member.email)
    page = client.get(f"/gesprek/{thread_id}").text
    assert f"/gesprek/{thread_id}/reageren" in page
    set_thread(app, thread_id, locked=True)
    locked = client.get(f"/gesprek/{thread_id}")
    expect(locked, 200, "Dit gesprek is gesloten")
    assert f"/gesprek/{thread_id}/reageren" not in locked.text
    data = {"body": "Toch", "submission_key": key(), "csrf_token": csrf_token(page)}
    expect(client.post(f"/gesprek/{thread_id}/reageren", data=data), 403, "gesloten")
    assert stored(app) == (1, 1)


# --- lists and pages ----------------------------------------------------------------------------


def test_werkveld_list_pinned_first_then_by_activity_and_filtered_by_kind(
    app, client, member, moderator
):
    ids = seed(app, moderator.id, count=4)  # kinds: example, question, dilemma, example
    set_thread(app, ids[1], pinned=True)
    login(client, member.email)
    page = client.get("/werkveld/school")
    assert titles(page.text) == ["Gesprek 01", "Gesprek 03", "Gesprek 02", "Gesprek 00"]
    expect(page, 200, "Vastgezet")
    by_kind = {"voorbeeld": ["Gesprek 03", "Gesprek 00"], "vraag": ["Gesprek 01"]}
    by_kind["dilemma"] = ["Gesprek 02"]
    for slug, expected in by_kind.items():
        assert titles(client.get(f"/werkveld/school?soort={slug}").text) == expected
    assert titles(client.get("/werkveld/childcare").text) == []
    home = client.get("/")
    assert titles(home.text) == ["Gesprek 03", "Gesprek 02", "Gesprek 01", "Gesprek 00"]
    expect(home, 200, "4 gesprekken")


def test_werkveld_pages_hold_25_threads(app, client, member, moderator):
    seed(app, moderator.id, count=26)
    login(client, member.email)
    first = client.get("/werkveld/school")
    assert titles(first.text) == [f"Gesprek {n:02d}" for n in range(25, 0, -1)]
    expect(first, 200, "Pagina 1 van 2", 'href="/werkveld/school?page=2"')
    assert titles(client.get("/werkveld/school?page=2").text) == ["Gesprek 00"]
    assert client.get("/werkveld/school?page=3").status_code == 404


def test_thread_pages_hold_30_posts_and_link_to_the_newest(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id, replies=30)
    login(client, member.email)
    first = client.get(f"/gesprek/{thread_id}")
    assert first.text.count('<article class="post') == 30
    expect(first, 200, "Pagina 1 van 2", f'href="/gesprek/{thread_id}/nieuwste"')
    assert client.get(f"/gesprek/{thread_id}?page=2").text.count('<article class="post') == 1
    newest = max(p.id for p in all_of(app, Post))
    response = client.get(f"/gesprek/{thread_id}/nieuwste")
    assert (response.status_code, response.headers["Location"]) == (
        302,
        f"/gesprek/{thread_id}?page=2#bericht-{newest}",
    )


def test_recount_restores_corrupted_counters(app, client, member, moderator):
    seed(app, moderator.id, count=3, replies=2, backdate=False)
    seed(app, moderator.id, count=2, setting_id=2, backdate=False)
    login(client, member.email)
    new_thread(client)  # pending: not counted

    def counters():
        threads = [(t.id, t.reply_count, t.last_activity_at) for t in all_of(app, Thread)]
        settings = all_of(app, Setting)
        return threads, [(s.thread_count, s.post_count, s.last_activity_at) for s in settings]

    before = counters()
    assert [row[:2] for row in before[1]] == [(3, 9), (2, 2), (0, 0)]
    with app.app_context():
        db.session.execute(sa.update(Thread).values(reply_count=99, last_activity_at=utcnow()))
        db.session.execute(sa.update(Setting).values(thread_count=7, post_count=-1))
        db.session.commit()
    assert counters() != before
    result = app.test_cli_runner().invoke(args=["recount"])
    assert (result.exit_code, result.output) == (0, "Counters rebuilt.\n")
    assert counters() == before


# --- werkvelden, managed by admins ---------------------------------------------------------------


def test_admin_adds_renames_reorders_and_archives_werkvelden(app, client, admin, member):
    login(client, admin.email)
    index = "/beheer/werkvelden/"
    names = {"new-slug": "jeugdzorg", "new-name_nl": "Jeugdzorg", "new-name_en": "Youth care"}
    assert submit(client, index, names).status_code == 302
    new = all_of(app, Setting)[-1]
    assert (new.slug, new.name_nl, new.position, new.archived) == ("jeugdzorg", "Jeugdzorg", 4, 0)
    sid = new.id
    names = {f"s{sid}-name_nl": "Jeugdhulp", f"s{sid}-name_en": "Youth"}
    assert submit(client, f"{index}{sid}/naam", names, form_url=index).status_code == 302
    assert get(app, Setting, sid).name_nl == "Jeugdhulp"
    assert press(client, f"{index}{sid}/omhoog", index).status_code == 302
    order = [s.slug for s in sorted(all_of(app, Setting), key=lambda s: s.position)]
    assert order == ["school", "childcare", "jeugdzorg", "neighbourhood"]
    expect(client.get("/werkveld/jeugdzorg"), 200, "<h1>Jeugdhulp</h1>")
    assert press(client, f"{index}{sid}/archiveren", index).status_code == 302
    assert get(app, Setting, sid).archived
    assert client.get("/werkveld/jeugdzorg").status_code == 404
    audit = [(a.action, a.actor_id, a.target_id) for a in all_of(app, AuditEntry)]
    actions = ["setting.added", "setting.renamed", "setting.moved", "setting.archived"]
    assert audit == [(action, admin.id, sid) for action in actions]
    other = app.test_client()
    login(other, member.email)
    assert f'value="{sid}"' not in other.get("/gesprek/nieuw").text
    expect(new_thread(other, setting=str(sid)), 400, "Ongeldige keuze")
    assert stored(app) == (0, 0)
    assert other.get(index).status_code == 403


@pytest.mark.parametrize("slug", ["Met Spaties", "school", "", "x"])
def test_admin_werkveld_form_errors_store_nothing(app, client, admin, slug):
    login(client, admin.email)
    names = {"new-slug": slug, "new-name_nl": "Naam", "new-name_en": "Name"}
    expect(submit(client, "/beheer/werkvelden/", names), 400, "Er klopt nog iets niet")
    assert (len(all_of(app, Setting)), all_of(app, AuditEntry)) == (3, [])


# --- bad input: a 4xx or a form error, never a 500, nothing stored --------------------------------

BAD_THREADS = {
    "empty title": ({"title": ""}, "Geef je gesprek een titel"),
    "white space title": ({"title": "   \t  "}, "Geef je gesprek een titel"),
    "title of 4": ({"title": "  abcd  "}, "5 tot 150 tekens"),
    "title of 151": ({"title": "x" * 151}, "5 tot 150 tekens"),
    "empty body": ({"body": " \n "}, "Schrijf eerst je bericht"),
    "100,000 characters": ({"body": "lang " * 20_000}, "hoogstens 20.000 tekens"),
    "NUL in title": ({"title": "Een\x00titel"}, "nul-byte"),
    "NUL in body": ({"body": "Tekst\x00"}, "nul-byte"),
    "control character": ({"body": "Tekst\x1b[31m"}, "stuurteken"),
    "replacement character": ({"title": "Kapot \ufffd teken"}, "geen geldige UTF-8"),
    "setting 99": ({"setting": "99"}, "Ongeldige keuze"),
    "setting abc": ({"setting": "abc"}, "Ongeldige keuze"),
    "setting 10**20": ({"setting": "1" + "0" * 20}, "Ongeldige keuze"),
    "unknown kind": ({"kind": "onbekend"}, "Ongeldige keuze"),
    "no kind": ({"kind": ""}, "Kies wat voor bijdrage"),
    "bad submission key": ({"submission_key": "'; DROP TABLE posts;--"}, "Er klopt nog iets"),
}


@pytest.mark.parametrize("case", BAD_THREADS)
def test_bad_thread_input_is_a_form_error(app, client, member, case):
    fields, message = BAD_THREADS[case]
    login(client, member.email)
    expect(new_thread(client, **fields), 400, message)
    assert stored(app) == (0, 0)


def test_invalid_utf8_is_refused_or_kept_as_harmless_text(app, client, member):
    login(client, member.email)

    def post_raw(title: bytes):
        token = csrf_token(client.get("/gesprek/nieuw").text).encode()
        fields = [b"csrf_token=" + token, b"setting=1", b"kind=question", b"title=" + title]
        body = b"&".join([*fields, b"body=Tekst", b"submission_key=" + key().encode()])
        kind = "application/x-www-form-urlencoded"
        return client.post("/gesprek/nieuw", data=body, content_type=kind)

    # Raw invalid bytes: Werkzeug drops the whole form, so the CSRF check refuses it.
    expect(post_raw(b"Titel+met+\xff\xfe+bytes"), 400, "Het formulier was verlopen")
    assert stored(app) == (0, 0)
    # %-escapes that are not UTF-8 stay as the literal characters that were sent.
    assert post_raw(b"Titel+%C3%28+%FF+kapot").status_code == 302
    assert [t.title for t in all_of(app, Thread)] == ["Titel %C3( %FF kapot"]


def test_missing_csrf_token_is_refused(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id)
    post_id = all_of(app, Post)[0].id
    login(client, member.email)
    for url, data in (
        ("/gesprek/nieuw", {**THREAD, "submission_key": key()}),
        (f"/gesprek/{thread_id}/reageren", {"body": "x", "submission_key": key()}),
        (f"/bericht/{post_id}/bewerken", {"body": "x", "title": "Een titel"}),
    ):
        expect(client.post(url, data=data), 400, "Het formulier was verlopen")
    assert stored(app) == (1, 1)
    assert get(app, Post, post_id).edited_at is None


BAD_URLS = [
    "/werkveld/school?page=-1", "/werkveld/school?page=abc", "/werkveld/school?page=0",
    "/werkveld/school?page=100000000000000000000", "/werkveld/school?page=1.5",
    "/werkveld/school?soort=onbekend", "/werkveld/onbekend", "/werkveld/school?page=%00",
    "/gesprek/{t}?page=-1", "/gesprek/{t}?page=abc", "/gesprek/{t}?page=100000000000000000000",
    "/gesprek/999999", "/gesprek/0", "/gesprek/100000000000000000000", "/gesprek/-1",
    "/gesprek/100000000000000000000/nieuwste", "/gesprek/999999/nieuwste", "/gesprek/abc",
    "/bericht/999999/bewerken", "/bericht/100000000000000000000/bewerken",
    "/gesprek/nieuw?werkveld=onbekend", "/gesprek/nieuw?werkveld=%00",
]  # fmt: skip


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_urls_answer_4xx(app, client, member, moderator, url):
    [thread_id] = seed(app, moderator.id)
    login(client, member.email)
    assert client.get(url.format(t=thread_id)).status_code in (400, 404)


@pytest.mark.parametrize(
    "action",
    [
        "/bericht/{}/verwijderen",
        "/bericht/{}/schrijver",
        "/moderatie/bericht/{}/goedkeuren",
        "/moderatie/bericht/{}/vertrouwen",
        "/moderatie/bericht/{}/verbergen",
        "/moderatie/bericht/{}/terugzetten",
    ],
)
@pytest.mark.parametrize("post_id", ["999999", "100000000000000000000"])
def test_buttons_for_unknown_posts_answer_404(client, moderator, action, post_id):
    login(client, moderator.email)
    assert press(client, action.format(post_id), "/").status_code == 404


def test_bad_replies_are_refused(app, client, member, moderator):
    [thread_id] = seed(app, moderator.id)
    login(client, member.email)
    for thread in ("999999", "100000000000000000000"):
        url, page = f"/gesprek/{thread}/reageren", f"/gesprek/{thread_id}"
        assert submit(client, url, {"body": "x"}, form_url=page).status_code == 404
    bad = {"   ": "Schrijf eerst je bericht", "a\x00b": "nul-byte", "x" * 20_001: "hoogstens"}
    for body, message in bad.items():
        expect(reply(client, thread_id, body), 400, message)
    assert stored(app) == (1, 1)


def test_titles_of_5_and_150_characters_are_fine(app, client, member):
    login(client, member.email)
    assert new_thread(client, title="abcde").status_code == 302
    assert new_thread(client, title="é" * 150).status_code == 302
    assert [t.title for t in all_of(app, Thread)] == ["abcde", "é" * 150]


def test_double_submit_stores_one_thread_and_one_reply(app, client, member, moderator):
    login(client, member.email)
    page = client.get("/gesprek/nieuw").text
    data = {**THREAD, "submission_key": KEY_RE.search(page)[1], "csrf_token": csrf_token(page)}
    first, second = (client.post("/gesprek/nieuw", data=data) for _ in range(2))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert stored(app) == (1, 1)
    [thread_id] = seed(app, moderator.id)
    page = client.get(f"/gesprek/{thread_id}").text
    data = {"body": "Eén keer", "submission_key": KEY_RE.search(page)[1]}
    first, second = (
        client.post(f"/gesprek/{thread_id}/reageren", data={**data, "csrf_token": csrf_token(page)})
        for _ in range(2)
    )
    assert first.headers["Location"] == second.headers["Location"]
    assert [p.body_source for p in all_of(app, Post)].count("Eén keer") == 1


def test_simultaneous_double_submit_stores_one_thread(app, member, monkeypatch):
    """Two requests with the same form both pass the "already stored?" check at the same moment:
    the unique key stops the second insert and the first post is returned."""
    from forum.accounts.models import User
    from forum.core.models import Setting as WerkveldModel
    from forum.discussions import services
    from forum.discussions.models import Post, Thread, ThreadKind

    with app.test_request_context():
        author = db.session.get(User, member.id)
        werkveld = db.session.get(WerkveldModel, 1)
        first = services.start_thread(
            author, werkveld, ThreadKind.QUESTION, "Eerste keer", "Tekst.", submission_key="b" * 32
        )
        db.session.commit()
        real = services.existing_submission
        calls = []

        def check_too_early(user, key):
            # The second request's check ran before the first one committed: it saw nothing.
            calls.append(key)
            return None if len(calls) == 1 else real(user, key)

        monkeypatch.setattr(services, "existing_submission", check_too_early)
        second = services.start_thread(
            author, werkveld, ThreadKind.QUESTION, "Eerste keer", "Tekst.", submission_key="b" * 32
        )
        db.session.commit()
        assert second.id == first.id
        assert db.session.execute(sa.select(sa.func.count(Thread.id))).scalar_one() == 1
        assert db.session.execute(sa.select(sa.func.count(Post.id))).scalar_one() == 1
