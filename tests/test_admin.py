"""The admin pages: who may open them, roles and the audit log, filters, page numbers, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.security import generate_password_hash

from forum.accounts import services as accounts
from forum.accounts.models import Profession, Role, User, UserRole
from forum.audit import AuditEntry
from forum.core.models import Setting, SiteConfig
from forum.db import db, utcnow
from tests.helpers import count_queries, csrf_token, login, set_site, submit, write_thread

PAGES = [
    "/beheer/mensen",
    "/beheer/mensen/{member}",
    "/beheer/instellingen",
    "/beheer/logboek",
    "/beheer/werkvelden/",
]
FAST_HASH = generate_password_hash("snel-gemaakt", method="pbkdf2:sha256:1")
POSTS = [
    "/beheer/mensen/{member}",
    "/beheer/mensen/{member}/goedkeuren",
    "/beheer/uitnodigen",
    "/beheer/werkvelden/",
    "/beheer/werkvelden/1/omlaag",
]


def audit_entries(app, action: str | None = None) -> list[tuple]:
    with app.app_context():
        stmt = db.select(AuditEntry).order_by(AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return [
            (e.actor_id, e.action, e.target_type, e.target_id, e.reason, e.data)
            for e in db.session.execute(stmt).scalars()
        ]


def add_people(app, count: int, roles: tuple[Role, ...] = ()) -> None:
    """Many people at once, sharing one password hash (hashing each would take seconds)."""
    with app.app_context():
        start = db.session.execute(db.select(db.func.count(User.id))).scalar_one()
        for number in range(start, start + count):
            user = User(
                email=f"massa{number}@example.org",
                email_normalized=f"massa{number}@example.org",
                display_name=f"Massa {number}",
                password_hash=FAST_HASH,
                profession=Profession.DOCENT,
                main_setting_id=1 + number % 3,
                guidelines_accepted_at=utcnow(),
                created_at=utcnow(),
            )
            user.role_grants = [UserRole(role=role) for role in (Role.MEMBER, *roles)]
            db.session.add(user)
        db.session.commit()


def roles_of(app, email: str) -> set[Role]:
    with app.app_context():
        return set(accounts.user_by_email(email).roles)


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    login(client, admin.email)
    return client


# --- who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_visitor_is_sent_to_log_in(client, member, page):
    url = page.format(member=member.id)
    answer = client.get(url)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/account/inloggen?next=")
    assert "beheer" in answer.headers["Location"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("person", ["member", "moderator", "researcher"])
def test_other_roles_get_403(request, client, member, page, person):
    login(client, request.getfixturevalue(person).email)
    answer = client.get(page.format(member=member.id))
    assert answer.status_code == 403
    assert "Geen toegang" in answer.text
    assert "Alleen beheerders kunnen dit." in answer.text


@pytest.mark.parametrize("page", PAGES)
def test_admin_opens_every_page(admin_client, member, page):
    answer = admin_client.get(page.format(member=member.id))
    assert answer.status_code == 200
    assert 'aria-label="Beheer"' in answer.text


@pytest.mark.parametrize("action", POSTS)
def test_posts_with_a_valid_token_are_refused_to_non_admins(app, client, member, moderator, action):
    url = action.format(member=member.id)
    visitor = submit(app.test_client(), url, {"email": "x@example.org"}, "/account/inloggen")
    assert visitor.status_code == 302
    assert visitor.headers["Location"].startswith("/account/inloggen")
    login(client, moderator.email)
    answer = submit(client, url, {"roles": "admin", "email": "x@example.org"}, "/account/profiel")
    assert answer.status_code == 403
    assert roles_of(app, member.email) == {Role.MEMBER}
    assert audit_entries(app) == []


def test_admin_link_shows_only_for_admins(app, client, moderator, admin):
    login(client, moderator.email)
    assert 'href="/beheer/mensen"' not in client.get("/account/profiel").text
    other = app.test_client()
    login(other, admin.email)
    assert 'href="/beheer/mensen"' in other.get("/account/profiel").text


# --- roles ------------------------------------------------------------------------------------


def test_role_change_through_the_form_is_audited(app, admin_client, admin, member):
    url = f"/beheer/mensen/{member.id}"
    form = admin_client.get(url)
    assert 'name="roles" type="checkbox" value="moderator"' in form.text
    data = {"roles": ["moderator", "researcher"], "reason": "Helpt mee in de wijk"}
    answer = submit(admin_client, url, data)
    assert answer.status_code == 302
    assert answer.headers["Location"] == url
    assert roles_of(app, member.email) == {Role.MEMBER, Role.MODERATOR, Role.RESEARCHER}
    [entry] = audit_entries(app)
    assert entry[:5] == (admin.id, "user.roles_changed", "user", member.id, "Helpt mee in de wijk")
    assert entry[5] == {"added": ["moderator", "researcher"], "removed": []}

    assert "De rollen van Lid Linda zijn opgeslagen." in admin_client.get(url).text
    submit(admin_client, url, {"roles": "moderator", "reason": ""})
    assert roles_of(app, member.email) == {Role.MEMBER, Role.MODERATOR}
    assert audit_entries(app)[-1][5] == {"added": [], "removed": ["researcher"]}


def test_saving_unchanged_roles_writes_no_audit_entry(app, admin_client, member):
    assert (
        submit(admin_client, f"/beheer/mensen/{member.id}", {"reason": "niets"}).status_code == 302
    )
    assert audit_entries(app) == []


def test_unknown_role_is_a_form_error(app, admin_client, member):
    answer = submit(admin_client, f"/beheer/mensen/{member.id}", {"roles": "superuser"})
    assert answer.status_code == 400
    assert roles_of(app, member.email) == {Role.MEMBER}


def test_admin_cannot_remove_their_own_admin_role(app, admin_client, admin):
    answer = submit(admin_client, f"/beheer/mensen/{admin.id}", {"roles": "moderator"})
    assert answer.status_code == 400
    assert "Je kunt je eigen beheerdersrol niet afnemen." in answer.text
    assert Role.ADMIN in roles_of(app, admin.email)
    assert audit_entries(app) == []
    assert admin_client.get("/beheer/mensen").status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/beheer/mensen/{id}"),
        ("POST", "/beheer/mensen/{id}/goedkeuren"),
        ("POST", "/beheer/werkvelden/{id}/naam"),
        ("POST", "/beheer/werkvelden/{id}/archiveren"),
    ],
)
@pytest.mark.parametrize("number", ["424242", "2147483648", "99999999999999999999"])
def test_unknown_or_huge_ids_are_404(admin_client, method, url, number):
    url = url.format(id=number)
    answer = (
        admin_client.get(url)
        if method == "GET"
        else submit(admin_client, url, {}, "/beheer/mensen")
    )
    assert answer.status_code == 404
    assert "Pagina niet gevonden" in answer.text


# --- lists: filters, page numbers, query counts -----------------------------------------------


def test_people_filter_by_text_and_role(users, admin_client):
    users.make(name="Fatima Yilmaz", email="fatima@school.example")
    users.make(name="Joost Bakker", email="joost@opvang.example", roles=["moderator"])
    users.make(name="Noor 100%", email="noor@wijk.example")

    def names(query: str) -> set[str]:
        answer = admin_client.get(f"/beheer/mensen?{query}")
        assert answer.status_code == 200
        return {n for n in ("Fatima", "Joost", "Noor", "Beheerder Bea") if n in answer.text}

    assert names("") == {"Fatima", "Joost", "Noor", "Beheerder Bea"}
    assert names("q=YILMAZ") == {"Fatima"}
    assert names("q=opvang.example") == {"Joost"}
    assert names("q=100%25") == {"Noor"}
    assert names("q=%25") == {"Noor"}  # % is a character to find, not a wildcard
    assert names("q=_") == set()
    assert names("role=moderator") == {"Joost"}
    assert names("role=admin") == {"Beheerder Bea"}
    assert names("q=noor&role=moderator") == set()
    assert "Niemand gevonden." in admin_client.get("/beheer/mensen?q=onbekend").text


def test_people_filter_shows_who_waits_for_approval(users, admin_client):
    users.make(name="Wachtende Wim", approved=False)
    users.make(name="Actieve Anna")
    answer = admin_client.get("/beheer/mensen?waiting=1")
    assert "Wachtende Wim" in answer.text
    assert "Actieve Anna" not in answer.text
    assert "Wacht op goedkeuring" in answer.text


@pytest.mark.parametrize("url", ["/beheer/mensen", "/beheer/logboek"])
@pytest.mark.parametrize(
    "page", ["abc", "-1", "0", "99999999999999999999", "1.5", "2", "1e3", "%EF%BC%91"]
)
def test_bad_page_numbers_are_404(admin_client, url, page):
    answer = admin_client.get(f"{url}?page={page}")
    assert answer.status_code == 404
    assert "Pagina niet gevonden" in answer.text


@pytest.mark.parametrize("url", ["/beheer/mensen", "/beheer/logboek"])
def test_first_page_and_empty_page_number_work(admin_client, url):
    assert admin_client.get(f"{url}?page=1").status_code == 200
    assert admin_client.get(f"{url}?page=").status_code == 200


def test_second_page_of_people_exists_when_there_are_enough(app, admin_client):
    add_people(app, 50)
    first = admin_client.get("/beheer/mensen")
    assert "Pagina 1 van 2" in first.text
    assert admin_client.get("/beheer/mensen?page=2").status_code == 200
    assert admin_client.get("/beheer/mensen?page=3").status_code == 404


def test_people_list_query_count_does_not_grow_with_people(app, admin_client):
    add_people(app, 2, (Role.MODERATOR,))
    admin_client.get("/beheer/mensen")  # warm up: caches, first connection
    with count_queries(app) as few:
        assert admin_client.get("/beheer/mensen").text.count("<tr>") == 1 + 3
    add_people(app, 14, (Role.RESEARCHER, Role.MODERATOR))
    add_people(app, 13)
    with count_queries(app) as many:
        assert admin_client.get("/beheer/mensen").text.count("<tr>") == 1 + 30
    assert len(few) == len(many), many


def test_audit_log_lists_and_filters_entries(app, admin_client, admin, member, moderator):
    submit(admin_client, f"/beheer/mensen/{member.id}", {"roles": "researcher", "reason": "NJi"})
    data = {"registration_mode": "approval", "public_read": "0", "reason": "Drukte"}
    submit(admin_client, "/beheer/instellingen", data)
    with app.app_context():
        db.session.add(AuditEntry(actor_id=moderator.id, action="post.hidden", target_type="post"))
        db.session.commit()

    def shown(query: str) -> set[str]:
        answer = admin_client.get(f"/beheer/logboek?{query}")
        assert answer.status_code == 200
        actions = ("user.roles_changed", "site.settings_changed", "post.hidden")
        return {a for a in actions if f'<tr data-action="{a}">' in answer.text}

    assert shown("") == {"user.roles_changed", "site.settings_changed", "post.hidden"}
    assert shown("action=roles") == {"user.roles_changed"}
    assert shown("action=site.") == {"site.settings_changed"}
    assert shown("actor=moderator") == {"post.hidden"}
    assert shown("actor=BEHEERDER") == {"user.roles_changed", "site.settings_changed"}
    assert shown("action=%25") == set()
    page = admin_client.get("/beheer/logboek?action=roles").text
    assert "Beheerder Bea" in page
    assert "NJi" in page


# --- site settings ----------------------------------------------------------------------------


def test_site_settings_change_is_stored_and_audited(app, admin_client, admin):
    form = admin_client.get("/beheer/instellingen")
    assert '<option selected value="open">' in form.text
    data = {"registration_mode": "invite", "public_read": "1", "reason": "Pilot met één school"}
    answer = submit(admin_client, "/beheer/instellingen", data)
    assert answer.status_code == 302
    with app.app_context():
        stored = {row.key: row.value for row in db.session.execute(db.select(SiteConfig)).scalars()}
    assert stored == {"registration_mode": "invite", "public_read": "1"}
    [entry] = audit_entries(app)
    assert entry[:5] == (admin.id, "site.settings_changed", "site", None, "Pilot met één school")
    assert entry[5]["changed"] == {"registration_mode": "invite", "public_read": "1"}
    assert entry[5]["before"] == {"registration_mode": "open", "public_read": "0"}
    assert '<option selected value="invite">' in admin_client.get("/beheer/instellingen").text

    submit(admin_client, "/beheer/instellingen", data)  # nothing changed: nothing logged
    assert len(audit_entries(app)) == 1


def test_unknown_registration_mode_is_a_form_error(app, admin_client):
    data = {"registration_mode": "closed", "public_read": "0"}
    assert submit(admin_client, "/beheer/instellingen", data).status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(SiteConfig)).first() is None
    assert audit_entries(app) == []


# --- moderation settings: trust threshold, report limit, pre-moderated werkvelden -------------


def test_moderation_numbers_are_stored_used_and_audited(app, admin_client, admin, member):
    form = admin_client.get("/beheer/instellingen").text
    assert "Aantal goedgekeurde berichten voordat iemand zonder beoordeling plaatst" in form
    assert "Aantal voorleggingen waarna een bericht verborgen wordt" in form
    assert 'name="trust_threshold" type="number" value="3"' in form
    data = {
        "registration_mode": "open",
        "public_read": "0",
        "trust_threshold": "0",
        "report_limit": "5",
        "reason": "Kleine groep",
    }
    assert submit(admin_client, "/beheer/instellingen", data).status_code == 302
    with app.test_request_context():
        from forum.core import site

        assert (site.trust_threshold(), site.report_limit()) == (0, 5)
    [entry] = audit_entries(app)
    assert entry[1:5] == ("site.settings_changed", "site", None, "Kleine groep")
    assert entry[5]["changed"] == {"trust_threshold": "0", "report_limit": "5"}
    assert entry[5]["before"] == {"trust_threshold": "3", "report_limit": "3"}
    # A new member now posts at once.
    assert write_thread(app, member).status == "approved"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trust_threshold", "-1"),
        ("trust_threshold", "101"),
        ("trust_threshold", "drie"),
        ("report_limit", "0"),
        ("report_limit", "51"),
        ("report_limit", "1.5"),
    ],
)
def test_moderation_numbers_out_of_range_are_form_errors(app, admin_client, field, value):
    data = {"registration_mode": "open", "public_read": "0", field: value}
    answer = submit(admin_client, "/beheer/instellingen", data)
    assert answer.status_code == 400
    assert 'class="error"' in answer.text
    with app.app_context():
        assert db.session.execute(db.select(SiteConfig)).first() is None
    assert audit_entries(app) == []


def test_premoderated_werkveld_makes_every_post_wait(app, admin_client, admin, member):
    set_site(app, "trust_threshold", "0")
    page = admin_client.get("/beheer/werkvelden/").text
    assert "Elk bericht eerst laten beoordelen" in page
    assert 'name="p1-premoderated"' in page
    data = {"p1-premoderated": "y"}
    answer = submit(admin_client, "/beheer/werkvelden/1/beoordelen", data, "/beheer/werkvelden/")
    assert answer.status_code == 302
    assert write_thread(app, member, setting_id=1).status == "pending"
    assert write_thread(app, member, setting_id=2).status == "approved"

    submit(admin_client, "/beheer/werkvelden/1/beoordelen", {}, "/beheer/werkvelden/")
    assert write_thread(app, member, setting_id=1).status == "approved"
    assert [e[:4] for e in audit_entries(app)] == [
        (admin.id, "setting.premoderated_on", "setting", 1),
        (admin.id, "setting.premoderated_off", "setting", 1),
    ]


def test_moderator_cannot_switch_premoderation(app, client, moderator):
    login(client, moderator.email)
    token = csrf_token(client.get("/").text)
    data = {"p1-premoderated": "y", "csrf_token": token}
    assert client.post("/beheer/werkvelden/1/beoordelen", data=data).status_code == 403
    with app.app_context():
        assert db.session.get(Setting, 1).premoderated is False


def test_admin_nav_links_to_the_moderation_pages(admin_client):
    page = admin_client.get("/beheer/instellingen").text
    assert 'href="/beheer/woorden"' in page
    assert "Afwijsredenen" in page


# --- the audit log: readable names, filters by action and period --------------------------


def test_audit_log_reads_well_and_filters_by_label_and_period(app, admin_client, admin, moderator):
    long_ago = utcnow() - timedelta(days=40)
    with app.app_context():
        db.session.add_all(
            [
                AuditEntry(
                    actor_id=moderator.id,
                    action="thread.locked",
                    target_type="thread",
                    target_id=7,
                    created_at=utcnow(),
                ),
                AuditEntry(
                    actor_id=moderator.id,
                    action="user.suspended",
                    target_type="user",
                    target_id=admin.id,
                    reason="Oud voorval",
                    created_at=long_ago,
                ),
                AuditEntry(actor_id=None, action="iets.nieuws", target_type="site"),
            ]
        )
        db.session.commit()

    def shown(query: str) -> set[str]:
        answer = admin_client.get(f"/beheer/logboek?{query}")
        assert answer.status_code == 200
        names = ("thread.locked", "user.suspended", "iets.nieuws")
        return {a for a in names if f'<tr data-action="{a}">' in answer.text}

    page = admin_client.get("/beheer/logboek").text
    assert "<td>Gesprek gesloten</td>" in page  # the label, without the raw name
    assert "<td>Persoon geschorst</td>" in page
    assert "<td><code>iets.nieuws</code></td>" in page  # no label (yet): the raw name
    assert 'href="/gesprek/7"' in page
    assert "Oud voorval" in page
    assert '<option value="thread.locked">Gesprek gesloten</option>' in page
    assert '<option value="iets.nieuws">iets.nieuws</option>' in page
    assert shown("action=thread.locked") == {"thread.locked"}
    assert shown("action=user.suspended&actor=moderator") == {"user.suspended"}
    today = utcnow().date()
    assert shown(f"since={today - timedelta(days=2)}") == {"thread.locked", "iets.nieuws"}
    assert shown(f"until={today - timedelta(days=30)}") == {"user.suspended"}
    tomorrow = today + timedelta(days=1)  # the site's day may already be tomorrow in UTC terms
    assert shown(f"since={long_ago.date() - timedelta(days=1)}&until={tomorrow}") == {
        "thread.locked",
        "user.suspended",
        "iets.nieuws",
    }
    assert (
        "ligt voor de begindatum"
        in admin_client.get(f"/beheer/logboek?since={today}&until={today - timedelta(days=1)}").text
    )
    for bad in ("since=gisteren", "until=9999-12-31", "since=0001-01-01"):
        assert admin_client.get(f"/beheer/logboek?{bad}").status_code == 200
