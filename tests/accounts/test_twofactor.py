"""Two-factor sign-in through the real forms, CSRF on: a real TOTP code computed by pyotp from the
secret, wrong and replayed codes, recovery codes (once each, stored hashed), staff held back
from every page until they have it, rate limits, turning it off with password and code."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from forum.accounts import services as accounts
from forum.accounts.models import Role, User
from forum.accounts.twofactor import gate
from forum.accounts.twofactor.models import RecoveryCode, TwoFactorSecret
from forum.audit import AuditEntry
from forum.db import db
from forum.security import CONTENT_SECURITY_POLICY
from tests.helpers import (
    CODE_PATH,
    PASSWORD,
    SECRET_RE,
    SETUP_PATH,
    TOTP_SECRET,
    csrf_token,
    login,
    set_up_two_factor,
    submit,
    write_thread,
)
from tests.test_memberpages import kept

LOGIN = "/account/inloggen"
OVERVIEW = "/account/tweestapsverificatie/"
DISABLE = "/account/tweestapsverificatie/uitzetten"
RENEW = "/account/tweestapsverificatie/herstelcodes"
CODE_RE = re.compile(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")
TOTP = pyotp.TOTP(TOTP_SECRET)


def password_step(client, email: str, password: str = PASSWORD, **extra):
    return submit(client, LOGIN, {"email": email, "password": password, **extra})


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def give_code(client, code: str):
    return submit(client, CODE_PATH, {"code": code})


def signed_in(client) -> bool:
    """Whether the profile page opens (it needs a finished sign-in)."""
    return client.get("/account/profiel").status_code == 200


def actions(app, user_id: int) -> list[str]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.target_id == user_id, AuditEntry.action.like("two_factor.%"))
            .order_by(AuditEntry.id)
        )
        return list(rows)


def turn_on(client) -> list[str]:
    """Turn it on from the profile as a member does; returns the recovery codes shown."""
    codes = CODE_RE.findall(set_up_two_factor(client).text)
    assert len(codes) == 10
    return codes


def secret_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(TwoFactorSecret, user_id).secret


def test_staff_sign_in_with_a_real_totp_code(app, client, moderator):
    response = password_step(client, moderator.email)
    assert response.headers["Location"].endswith(CODE_PATH)
    # Halfway: not signed in, and every page leads back to the code.
    assert client.get("/moderatie/").headers["Location"].endswith(CODE_PATH)
    assert client.get("/").headers["Location"].endswith(CODE_PATH)
    assert not signed_in(client)
    page = client.get(CODE_PATH)
    assert "Uitloggen" not in page.text
    assert "Te beoordelen" not in page.text

    response = give_code(client, TOTP.now())
    assert response.status_code == 302
    assert client.get("/moderatie/").status_code == 200
    assert signed_in(client)


def test_the_code_step_returns_to_where_the_person_was_going(client, moderator):
    client.get("/moderatie/")  # sent to the login page with next=/moderatie/
    response = submit(
        client,
        f"{LOGIN}?next=/moderatie/",
        {"email": moderator.email, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith(CODE_PATH)
    assert give_code(client, TOTP.now()).headers["Location"] == "/moderatie/"


def test_a_wrong_code_signs_nobody_in(client, moderator):
    password_step(client, moderator.email)
    wrong = f"{(int(TOTP.now()) + 1) % 1_000_000:06d}"
    response = give_code(client, wrong)
    assert response.status_code == 400
    assert "Deze code klopt niet" in response.text
    assert not signed_in(client)
    assert give_code(client, "").status_code == 400
    assert give_code(client, "geen-herstelcode").status_code == 400
    assert not signed_in(client)


def test_a_code_is_taken_once(app, moderator):
    first, second = app.test_client(), app.test_client()
    password_step(first, moderator.email)
    password_step(second, moderator.email)
    code = TOTP.now()
    assert give_code(first, code).status_code == 302
    replayed = give_code(second, code)
    assert replayed.status_code == 400
    assert "Deze code is al gebruikt" in replayed.text
    assert not signed_in(second)
    # An earlier code than the last one used is refused too.
    earlier = TOTP.at(time.time() - 30)
    assert give_code(second, earlier).status_code == 400
    # The next code (a phone clock a little ahead) still works.
    assert give_code(second, TOTP.at(time.time() + 30)).status_code == 302


def test_a_member_turns_it_on_with_a_code_and_signs_in_with_it(app, client, member):
    login(client, member.email)
    assert "Tweestapsverificatie staat uit" in client.get(OVERVIEW).text
    page = client.get(SETUP_PATH)
    assert page.headers["Cache-Control"] == "no-store"
    # The QR code is inline SVG drawn on the server: no script, no image from elsewhere.
    svg = re.search(r"<svg[^>]*>.*?</svg>", page.text, re.S)
    assert svg
    assert "<path" in svg.group(0)
    assert "<script" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    secret = SECRET_RE.search(page.text).group(1).replace(" ", "")
    assert secret == secret_of(app, member.id)
    # A wrong code does not turn it on.
    wrong_code = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    wrong = submit(client, SETUP_PATH, {"code": wrong_code})
    assert wrong.status_code == 400
    assert "Tweestapsverificatie staat uit" in client.get(OVERVIEW).text

    codes = turn_on(client)
    assert len(set(codes)) == 10
    assert "Tweestapsverificatie staat aan" in client.get(OVERVIEW).text
    assert actions(app, member.id) == ["two_factor.enabled"]

    submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    response = password_step(client, member.email)
    assert response.headers["Location"].endswith(CODE_PATH)
    code = pyotp.TOTP(secret_of(app, member.id)).at(time.time() + 30)  # setup used this one
    assert give_code(client, code).status_code == 302
    assert signed_in(client)


def test_recovery_codes_are_stored_hashed_and_each_works_once(app, client, member):
    login(client, member.email)
    codes = turn_on(client)
    with app.app_context():
        stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    for code in codes:
        assert all(code not in value and code.replace("-", "") not in value for value in stored)

    submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    password_step(client, member.email)
    response = give_code(client, codes[3].upper().replace("-", " "))  # typed loosely
    assert response.status_code == 302
    assert "nog 9 over" in client.get("/").text
    assert actions(app, member.id) == ["two_factor.enabled", "two_factor.recovery_code_used"]

    submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    password_step(client, member.email)
    again = give_code(client, codes[3])
    assert again.status_code == 400
    assert not signed_in(client)
    assert give_code(client, codes[4]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(app, client, member):
    login(client, member.email)
    old = turn_on(client)
    secret = secret_of(app, member.id)
    page = submit(client, RENEW, {"code": pyotp.TOTP(secret).at(time.time() + 30)})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    new = CODE_RE.findall(page.text)
    assert len(new) == 10
    assert not set(new) & set(old)
    submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    password_step(client, member.email)
    assert give_code(client, old[0]).status_code == 400
    assert give_code(client, new[0]).status_code == 302
    assert "two_factor.recovery_codes_renewed" in actions(app, member.id)


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        ("moderator", ["/moderatie/", "/moderatie/voorgelegd", "/gesprek/nieuw", "/"]),
        ("researcher", ["/onderzoek/gesprekken", "/onderzoek/codes", "/"]),
        ("admin", ["/beheer/mensen", "/beheer/logboek", "/moderatie/", "/"]),
    ],
)
def test_staff_without_it_set_it_up_before_any_page(app, client, users, role, pages):
    person = users.make(roles=[role], two_factor=False)
    response = password_step(client, person.email)
    assert response.headers["Location"].endswith(SETUP_PATH)
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith(SETUP_PATH)
    assert not signed_in(client)
    codes_page = set_up_two_factor(client)
    assert len(CODE_RE.findall(codes_page.text)) == 10
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert actions(app, person.id) == ["two_factor.enabled"]


def test_a_member_made_moderator_is_held_until_set_up(app, client, member):
    login(client, member.email)
    assert client.get("/moderatie/").status_code == 403
    with app.test_request_context():
        user = db.session.get(User, member.id)
        accounts.set_roles(user, [Role.MODERATOR], actor=None)
        db.session.commit()
    response = client.get("/moderatie/")
    assert response.headers["Location"].endswith(SETUP_PATH)
    assert not signed_in(client)
    set_up_two_factor(client)
    assert client.get("/moderatie/").status_code == 200


def test_turning_it_on_elsewhere_asks_other_sessions_for_the_code(app, users, member):
    author = users.make(roles=["moderator"])
    url = f"/gesprek/{write_thread(app, author).thread_id}"
    other = app.test_client()
    login(other, member.email)
    other.get("/")
    kept(other, url)  # a kept page, served before the gate

    here = app.test_client()
    login(here, member.email)
    turn_on(here)
    response = other.get(url)
    assert response.headers["Location"].endswith(CODE_PATH)
    assert signed_in(here)


def test_a_member_with_it_keeps_their_kept_pages(app, users, member):
    author = users.make(roles=["moderator"])
    url = f"/gesprek/{write_thread(app, author).thread_id}"
    client = app.test_client()
    login(client, member.email)
    turn_on(client)
    client.get("/")
    assert kept(client, url).status_code == 200


def test_remember_me_still_asks_for_the_code(app, moderator):
    client = app.test_client()
    password_step(client, moderator.email, remember="y")
    give_code(client, TOTP.now())
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    response = fresh.get("/moderatie/")
    assert response.headers["Location"].endswith(CODE_PATH)
    assert not signed_in(fresh)
    assert give_code(fresh, TOTP.at(time.time() + 30)).headers["Location"] == "/moderatie/"
    assert fresh.get("/moderatie/").status_code == 200
    assert fresh.get_cookie("remember_token") is not None


def test_the_half_signed_in_state_expires(client, moderator, monkeypatch):
    password_step(client, moderator.email)
    later = time.time() + gate.PENDING_SECONDS + 1
    monkeypatch.setattr(gate.time, "time", lambda: later)
    assert client.get(CODE_PATH).headers["Location"].endswith(LOGIN)
    assert client.get("/").status_code == 200  # a visitor again


def test_stopping_halfway_forgets_the_password_step(client, moderator):
    password_step(client, moderator.email)
    submit(client, "/account/tweestapsverificatie/stoppen", {}, form_url=CODE_PATH)
    assert client.get("/").status_code == 200
    assert client.get(CODE_PATH).headers["Location"].endswith(LOGIN)


def test_a_password_change_ends_the_half_signed_in_state(app, client, moderator):
    password_step(client, moderator.email)
    with app.app_context():
        accounts.set_password(db.session.get(User, moderator.id), "een-ander-wachtwoord")
        db.session.commit()
    assert client.get(CODE_PATH).headers["Location"].endswith(LOGIN)
    assert not signed_in(client)


def test_wrong_codes_are_limited_per_account(app, moderator):
    wrong = "000000" if TOTP.now() != "000000" else "111111"
    for number in range(5):
        client = client_at(app, f"10.0.0.{number}")
        password_step(client, moderator.email)
        assert give_code(client, wrong).status_code == 400
    client = client_at(app, "10.0.1.1")
    password_step(client, moderator.email)
    assert give_code(client, TOTP.now()).status_code == 429  # even the right one, for now
    assert not signed_in(client)


def test_wrong_codes_are_limited_per_address(app, users):
    people = [users.make(roles=["moderator"]) for _ in range(7)]
    client = client_at(app, "10.0.2.1")
    refused = 0
    for person in people[:6]:
        password_step(client, person.email)
        for _ in range(5):
            refused += give_code(client, "abcde-abcde").status_code == 400
        submit(client, "/account/tweestapsverificatie/stoppen", {}, form_url=CODE_PATH)
    assert refused == 30
    password_step(client, people[6].email)
    assert give_code(client, TOTP.now()).status_code == 429
    # Another address signs the same person in.
    elsewhere = client_at(app, "10.0.2.2")
    password_step(elsewhere, people[6].email)
    assert give_code(elsewhere, TOTP.now()).status_code == 302


def test_turning_it_off_needs_password_and_code(app, client, member):
    login(client, member.email)
    codes = turn_on(client)
    secret = secret_of(app, member.id)
    fresh = pyotp.TOTP(secret).at(time.time() + 30)
    wrong_password = submit(client, DISABLE, {"password": "niet-mijn-wachtwoord", "code": fresh})
    assert wrong_password.status_code == 400
    assert "Je wachtwoord klopt niet" in wrong_password.text
    wrong_code = submit(client, DISABLE, {"password": PASSWORD, "code": "123-456"})
    assert wrong_code.status_code == 400
    no_code = submit(client, DISABLE, {"password": PASSWORD, "code": ""})
    assert no_code.status_code == 400
    assert "Tweestapsverificatie staat aan" in client.get(OVERVIEW).text

    response = submit(client, DISABLE, {"password": PASSWORD, "code": fresh})
    assert response.status_code == 302
    assert "Tweestapsverificatie staat uit" in client.get(OVERVIEW).text
    with app.app_context():
        assert db.session.get(TwoFactorSecret, member.id) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert actions(app, member.id) == ["two_factor.enabled", "two_factor.disabled"]
    submit(client, "/account/uitloggen", {}, form_url="/account/profiel")
    assert password_step(client, member.email).headers["Location"] == "/"
    assert codes  # shown once, gone with it


def test_staff_who_turn_it_off_set_it_up_again(app, client, moderator):
    login(client, moderator.email)
    response = submit(client, DISABLE, {"password": PASSWORD, "code": TOTP.at(time.time() + 30)})
    assert response.status_code == 302
    answer = client.get("/moderatie/")
    assert answer.headers["Location"].endswith(SETUP_PATH)
    set_up_two_factor(client)
    assert client.get("/moderatie/").status_code == 200


def test_every_two_factor_form_needs_its_csrf_token(app, client, member, moderator):
    password_step(client, moderator.email)
    response = client.post(CODE_PATH, data={"code": TOTP.now()})
    assert response.status_code == 400
    assert not signed_in(client)
    assert give_code(client, TOTP.now()).status_code == 302

    other = app.test_client()
    login(other, member.email)
    other.get(SETUP_PATH)
    secret = secret_of(app, member.id)
    assert other.post(SETUP_PATH, data={"code": pyotp.TOTP(secret).now()}).status_code == 400
    assert "staat uit" in other.get(OVERVIEW).text
    turn_on(other)
    fresh = pyotp.TOTP(secret_of(app, member.id)).at(time.time() + 30)
    for url, data in (
        (DISABLE, {"password": PASSWORD, "code": fresh}),
        (RENEW, {"code": fresh}),
    ):
        assert other.post(url, data=data).status_code == 400
    assert "staat aan" in other.get(OVERVIEW).text


def test_the_code_page_is_not_a_way_in_without_a_password(client, moderator):
    assert client.get(CODE_PATH).headers["Location"].endswith(LOGIN)
    page = client.get(LOGIN)
    token = csrf_token(page.text)
    response = client.post(CODE_PATH, data={"code": TOTP.now(), "csrf_token": token})
    assert response.headers["Location"].endswith(LOGIN)
    assert not signed_in(client)
