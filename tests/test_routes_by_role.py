"""Every route, as every kind of person, by GET and by POST, against the table in
``tests/routes_by_role.py``.

Routes come from ``app.url_map``, so a new route without a line in the table fails
``test_every_route_has_a_line`` with the line to add. Each role gets a small forum of its own
(``seed``), signs in through the real form, then requests every route: all GETs, then every POST
without a CSRF token (400, or what the table says for an exempt view), then every POST with a
valid token from a form of the same session (``EVERY_ANSWER`` says which roles get which).
Objects that a POST changes or removes are used by that line alone, so the lines do not depend
on each other's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound

from forum.db import db
from tests.helpers import PASSWORD, PersonRef, UserFactory, csrf_token, login, set_site
from tests.routes_by_role import ROLES, Row, rows

METHODS = ("GET", "POST")
NOTICE_FOR_MEMBER = "Alleen voor het lid: reden 4711"


def rules_by_endpoint(app: Flask) -> dict[str, Any]:
    return {rule.endpoint: rule for rule in app.url_map.iter_rules()}


def test_every_route_has_a_line(app):
    table = rows()
    listed = {row.endpoint for row in table}
    rules = rules_by_endpoint(app)
    missing = [
        f"{rule.endpoint} ({rule.rule}, {'/'.join(sorted(rule.methods & set(METHODS)))}): "
        f'add Row("{rule.endpoint}", "<args>", get="…", post="…") to tests/routes_by_role.py'
        for endpoint, rule in sorted(rules.items())
        if endpoint not in listed
    ]
    assert not missing, "routes without a line in the table:\n" + "\n".join(missing)
    wrong = []
    for row in table:
        rule = rules.get(row.endpoint)
        if rule is None:
            wrong.append(f"{row.endpoint}: no such route any more")
            continue
        for method, cells in (("GET", row.get), ("POST", row.post)):
            if (method in rule.methods) != (cells is not None):
                wrong.append(f"{row.endpoint}: {method} is {method in rule.methods} for the route")
    assert not wrong, "\n".join(wrong)


# --- the seeded forum ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


@pytest.fixture
def quick_people(monkeypatch: pytest.MonkeyPatch, password_hash: str) -> None:
    """Everyone has the factory's password: hash it once, not ten times a role (signing in
    still checks it for real)."""
    from forum.accounts import services

    monkeypatch.setattr(services, "generate_password_hash", lambda _password: password_hash)


def seed(app: Flask, users: UserFactory) -> dict[str, Any]:
    """People of every role and one of each object the routes take, with their ids."""
    ids: dict[str, Any] = {}
    for name, roles in (
        ("member", ()),
        ("other", ()),
        ("suspended", ()),
        ("moderator", ("moderator",)),
        ("researcher", ("researcher",)),
        ("admin", ("admin",)),
        ("other_researcher", ("researcher",)),
        ("target", ()),
    ):
        ids[name] = users.make(email=f"{name}@example.org", name=name.title(), roles=roles)
    ids["applicant"] = users.make(email="aanvrager@example.org", approved=False)
    ids["unverified"] = users.make(email="nieuw@example.org")  # until seed_staff_things
    set_site(app, "trust_threshold", "0")  # published at once ...
    with app.test_request_context():
        seed_published(ids)
        seed_research(ids)
        db.session.commit()
    set_site(app, "trust_threshold", "99")  # ... and from here on waiting for a moderator
    with app.test_request_context():
        seed_waiting(ids)
        seed_staff_things(ids)
        db.session.commit()
    return ids


def person(ids: dict[str, Any], name: str):
    from forum.accounts.models import User

    return db.session.get(User, ids[name].id)


def seed_published(ids: dict[str, Any]) -> None:
    from forum.core.models import Setting
    from forum.discussions import services
    from forum.discussions.models import ThreadKind
    from forum.moderation import actions, reports
    from forum.moderation.models import ReportReason

    school = db.session.get(Setting, 1)
    member, other, moderator = (person(ids, n) for n in ("member", "other", "moderator"))
    opening = services.start_thread(
        member, school, ThreadKind.QUESTION, "Ouders bij het startgesprek", "Hoe begin je?"
    )
    thread = opening.thread
    managed = services.start_thread(
        other, school, ThreadKind.EXAMPLE, "Een gesprek om te beheren", "Zo deden wij het."
    )
    posts = {
        "reply": services.reply(thread, other, "Wij vragen eerst wat ouders willen."),
        "edited_post": services.reply(thread, member, "Wij beginnen met koffie."),
        "spare_edited_post": services.reply(thread, member, "Wij beginnen met water."),
        "anonymous_post": services.reply(thread, member, "Zonder naam.", anonymous=True),
        "hidden_post": services.reply(thread, other, "Dit wordt verborgen."),
        "reported_post": services.reply(thread, other, "Dit wordt voorgelegd."),
        "removal_post": services.reply(thread, other, "Hier wordt om verwijdering gevraagd."),
        "consenting_post": services.reply(
            thread,
            other,
            "Ouders vertrouwen de school meer na een huisbezoek.",
            research_consent=True,
        ),
    }
    db.session.flush()
    assert all(p.status.value == "approved" for p in [opening, managed, *posts.values()])
    actions.hide_post(posts["hidden_post"], moderator, "Test")
    reports.report_post(posts["reported_post"], member, ReportReason.OTHER, "Graag bekijken")
    removal = reports.request_removal(posts["removal_post"].id, "Mijn kind", None)
    db.session.flush()
    ids.update({name: post.id for name, post in posts.items()})
    ids.update(opening=opening.id, thread=thread.id, managed_thread=managed.thread_id)
    ids["removal_request"] = removal.id


def seed_research(ids: dict[str, Any]) -> None:
    from forum.discussions.models import Post, Thread
    from forum.research import codebook, coding, harvest, interest, projects
    from forum.research.models import InterestEntry

    researcher, other = person(ids, "researcher"), person(ids, "other_researcher")
    thread = db.session.get(Thread, ids["thread"])
    post = db.session.get(Post, ids["consenting_post"])
    code, spare, unused = (
        codebook.create_code(researcher, codebook.CodeData(name=name))
        for name in ("Vertrouwen", "Reserve", "Ongebruikt")
    )
    passages = [
        coding.code_passage(researcher, post, code, quote) for quote in ("Ouders", "huisbezoek")
    ]
    draft, spare_harvest, published = (
        harvest.create(researcher, title, "Wat we leerden.", [thread])
        for title in ("Concept", "Reserve", "Gepubliceerd")
    )
    harvest.publish(researcher, published)
    for name in ("Meedenker Een", "Meedenker Twee"):
        interest.sign_up(
            interest.SignUp(name, f"{name.split()[1]}@example.org", post.author.profession,
                            thread.setting, "Ouders", True)
        )  # fmt: skip
    db.session.flush()
    entries = db.session.execute(db.select(InterestEntry.id).order_by(InterestEntry.id)).scalars()
    ids["entry"], ids["spare_entry"] = list(entries)  # mark_contacted changes the spare
    ids.update(code=code.id, spare_code=spare.id, unused_code=unused.id)
    ids.update(passage=passages[0].id, spare_passage=passages[1].id)
    ids["thread_coding"] = coding.code_thread(researcher, thread, code).id
    ids["memo"] = coding.add_memo(researcher, "Mijn notitie", thread=thread).id
    ids["memo_of_other_researcher"] = coding.add_memo(other, "Niet van jou", thread=thread).id
    project = projects.create_project(researcher, projects.ProjectData("Project", "Wat werkt?"))
    ids.update(project=project.id, draft_harvest=draft.id, spare_harvest=spare_harvest.id)
    ids["published_harvest"] = published.id


def seed_waiting(ids: dict[str, Any]) -> None:
    from forum.core.models import Setting
    from forum.discussions import services
    from forum.discussions.models import Post, Thread, ThreadKind
    from forum.moderation.models import PendingEdit

    member, other = person(ids, "member"), person(ids, "other")
    thread = db.session.get(Thread, ids["thread"])
    for name in ("waiting_post", "pending_a", "deletable_post"):
        ids[name] = services.reply(thread, member, f"Een reactie die wacht ({name}).").id
    # Approving and trusting also approves the author's other waiting posts: someone else's.
    ids["pending_b"] = services.reply(thread, other, "Een reactie die wacht (pending_b).").id
    waiting = services.start_thread(
        member, db.session.get(Setting, 1), ThreadKind.DILEMMA, "Een gesprek dat wacht", "Tja."
    )
    ids["waiting_thread"] = waiting.thread_id
    for post, edit in (("edited_post", "pending_edit"), ("spare_edited_post", "spare_edit")):
        edited = db.session.get(Post, ids[post])
        assert services.edit_post(edited, member, "Wij beginnen met thee.").value == "waiting"
        db.session.flush()
        ids[edit] = db.session.execute(
            db.select(PendingEdit.id).where(PendingEdit.post_id == edited.id)
        ).scalar_one()
    for name in ("waiting_post", "pending_a", "pending_b", "deletable_post"):
        assert db.session.get(Post, ids[name]).status.value == "pending"


def seed_staff_things(ids: dict[str, Any]) -> None:
    from forum.accounts import tokens
    from forum.accounts.models import TokenPurpose
    from forum.accounts.rights import download
    from forum.admin.moderation_settings import add_watched_word
    from forum.moderation import actions, queue
    from forum.notifications import unsubscribe
    from forum.notifications.services import notify
    from forum.screening import WatchedAction

    admin, moderator = person(ids, "admin"), person(ids, "moderator")
    ids["download_token"] = download.ask(person(ids, "member"))  # small: built at once
    actions.suspend(person(ids, "suspended"), moderator, "Test", actions.Period.WEEK)
    ids["template"] = queue.add_template(admin, "Herleidbaar", "Er staan namen in.").id
    ids["spare_template"] = queue.add_template(admin, "Reserve", "Een reserve.").id
    ids["watched_word"] = add_watched_word("rookworst", True, WatchedAction.FLAG, admin).id
    unverified = person(ids, "unverified")
    unverified.email_verified_at = None
    ids["verify_token"] = tokens.issue(
        TokenPurpose.VERIFY, unverified.email_normalized, user=unverified
    )
    target = person(ids, "target")
    ids["reset_token"] = tokens.issue(TokenPurpose.RESET, target.email_normalized, user=target)
    ids["unsubscribe_token"] = unsubscribe.make_token(ids["member"].id, [unsubscribe.REPLIES])
    notify(
        ids["member"].id,
        "post_rejected",
        thread_id=ids["waiting_thread"],
        data={"reason": NOTICE_FOR_MEMBER},
    )


# --- requesting every route --------------------------------------------------------------------


@dataclass
class Request:
    row: Row
    method: str
    url: str
    data: dict[str, str]
    token: bool

    def describe(self, role: str) -> str:
        label = f" [{self.row.label}]" if self.row.label else ""
        token = "" if self.method == "GET" else (" with token" if self.token else " without token")
        return f"{role}: {self.method}{token} {self.url} ({self.row.endpoint}{label})"


def resolve(value: str, ids: dict[str, Any]) -> Any:
    found = ids.get(value, value)
    return found.id if isinstance(found, PersonRef) else found


def url_of(app: Flask, row: Row, ids: dict[str, Any]) -> str:
    from flask import url_for

    args = dict(part.split("=", 1) for part in row.args.split())
    with app.test_request_context():
        url = url_for(row.endpoint, **{key: resolve(value, ids) for key, value in args.items()})
    return f"{url}?{row.query}" if row.query else url


def other_rule_serves(app: Flask, url: str, method: str, endpoint: str) -> bool:
    """Another route answers this URL and method (``/account/taal``: GET and POST differ)."""
    adapter = app.url_map.bind("localhost")
    try:
        found, _args = adapter.match(url.split("?")[0], method=method)
    except (MethodNotAllowed, NotFound):
        return False
    return found != endpoint


def outcome(response) -> str:
    if response.status_code == 302 and response.headers["Location"].startswith("/account/inloggen"):
        return "L"
    return str(response.status_code)


def expectation(app: Flask, request: Request, role: str) -> str | None:
    """The table's cell, 405 for a method the route does not take, 400 without a token."""
    cells = request.row.get if request.method == "GET" else request.row.post
    if cells is None:
        serves = other_rule_serves(app, request.url, request.method, request.row.endpoint)
        return None if serves else "405"
    if request.method == "POST" and not request.token and request.row.csrf:
        return "400"
    return request.row.expected(request.method, role)


# A POST without a token (400) and a method a route does not take (405) are answered before
# anything looks at who asks: checked as a visitor and as an admin (whom a forged request would
# most want to be), for every route; the other roles get the table's own cells.
EVERY_ANSWER = ("visitor", "admin")


def plan(app: Flask, ids: dict[str, Any], role: str) -> list[Request]:
    table = rows()
    urls = {id(row): url_of(app, row, ids) for row in table}
    every = role in EVERY_ANSWER
    gets = [Request(row, "GET", urls[id(row)], {}, False) for row in table if every or row.get]
    no_token = [
        Request(row, "POST", urls[id(row)], {}, False)
        for row in table
        if (every and row.csrf) or (row.post and not row.csrf)
    ]
    with_token = [
        Request(row, "POST", urls[id(row)], {k: str(resolve(v, ids)) for k, v in row.data.items()},
                True)
        for row in sorted(table, key=lambda row: row.last)
        if every or row.post
    ]  # fmt: skip
    return gets + no_token + with_token


def send(client: FlaskClient, request: Request, token: str) -> tuple[str, str | None]:
    """The answer in the table's terms, and where a redirect leads."""
    if request.method == "GET":
        response = client.get(request.url)
    else:
        data = {**request.data, "csrf_token": token} if request.token else request.data
        response = client.post(request.url, data=data)
    response.close()  # a file sent from static/ is closed only then
    return outcome(response), response.headers.get("Location")


def someone_elses(client: FlaskClient, ids: dict[str, Any], role: str) -> list[str]:
    """Object-level checks the statuses cannot show: another person's notifications and waiting
    thread, and a research memo (shared with researchers, changed only by its author)."""
    wrong = []
    if role != "visitor":
        shown = NOTICE_FOR_MEMBER in client.get("/meldingen").text
        if shown is not (role == "member"):
            wrong.append(f"{role}: the member's notification {'is' if shown else 'is not'} shown")
        shown = "Een gesprek dat wacht" in client.get("/werkveld/school").text
        if shown is not (role == "member"):
            wrong.append(
                f"{role}: the member's waiting thread {'is' if shown else 'is not'} listed"
            )
    if role in ("researcher", "admin"):
        page = client.get(f"/onderzoek/gesprek/{ids['thread']}").text
        editable = {
            name: f'name="m{ids[name]}-text"' in page
            for name in ("memo", "memo_of_other_researcher")
        }
        if "Niet van jou" not in page or editable != {
            "memo": role == "researcher",
            "memo_of_other_researcher": False,
        }:
            wrong.append(f"{role}: memos shown or editable wrongly: {editable}")
    return wrong


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.usefixtures("quick_people")
def test_every_route_answers_each_role_as_the_table_says(app, users, role):
    ids = seed(app, users)
    client = app.test_client()
    if role != "visitor":
        login(client, ids[role].email)
    wrong = someone_elses(client, ids, role)
    # A valid token of this session, from a real form (this page has one for everyone).
    token = csrf_token(client.get("/account/wachtwoord-vergeten").text)
    for request in plan(app, ids, role):
        expected = expectation(app, request, role)
        if expected is None:
            continue
        got, location = send(client, request, token)
        if got != expected:
            where = f" → {location}" if got == "302" else ""
            wrong.append(f"{request.describe(role)}: expected {expected}, got {got}{where}")
    assert not wrong, f"{len(wrong)} answers differ from the table:\n" + "\n".join(wrong)
