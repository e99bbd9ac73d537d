"""Public pages, language, /healthz, security headers, error pages and invalid text in forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask

from forum import create_app
from forum.accounts import services as accounts
from forum.db import db
from tests.helpers import PASSWORD, csrf_token, login, submit

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
PAGES = {
    "gespreksregels": ("Gespreksregels", "Community guidelines"),
    "privacy": ("Privacyverklaring", "Privacy statement"),
    "toegankelijkheid": ("Toegankelijkheidsverklaring", "Accessibility statement"),
}


def heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert match, "page without <h1>"
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


def assert_no_inline_code(html: str) -> None:
    for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER):
        found = pattern.search(html)
        assert found is None, f"inline script or style: {found.group(0)!r}"


@pytest.fixture
def other_app(app: Flask) -> Iterator:
    """Build a second app from overrides; its database engine is closed afterwards."""
    made: list[Flask] = []

    def make(**overrides) -> Flask:
        config = {"TESTING": True, "RATELIMIT_STORAGE_URI": "memory://", "FORUM_MAIL_URL": ""}
        made.append(create_app({**config, **overrides}))
        return made[-1]

    yield make
    for application in made:
        with application.app_context():
            db.engine.dispose()


# --- pages and language -----------------------------------------------------------------------


def test_landing_page_is_dutch_by_default(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "ouders" in page.text
    assert "pedagogisch professionals" in page.text
    assert "Aanmelden" in page.text
    assert_no_inline_code(page.text)


@pytest.mark.parametrize("slug", PAGES)
def test_statement_pages_in_dutch_and_after_switching_to_english(client, slug):
    dutch = client.get(f"/{slug}")
    assert dutch.status_code == 200
    assert heading(dutch.text) == PAGES[slug][0]
    assert 'action="/account/taal" class="language-switch"' in dutch.text  # a GET form
    switch = client.get(f"/account/taal?lang=en&next=/{slug}")
    assert switch.status_code == 302
    assert switch.headers["Location"] == f"/{slug}"
    english = client.get(f"/{slug}")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert heading(english.text) == PAGES[slug][1]
    assert_no_inline_code(english.text)


def test_privacy_statement_explains_consent_and_deletion(client):
    text = client.get("/privacy").text.lower()
    assert "toestemming" in text
    assert "intrekken" in text or "uitzetten" in text or "aanpassen" in text
    assert "verwijder" in text


def test_visitor_language_is_remembered_in_a_cookie(client):
    page = client.get("/account/inloggen")
    assert 'name="next" type="hidden" value="/account/inloggen"' in page.text or (
        'type="hidden" name="next" value="/account/inloggen"' in page.text
    )
    data = {"lang": "en", "next": "/account/inloggen"}
    answer = submit(client, "/account/taal", data, "/account/inloggen")
    assert answer.headers["Location"] == "/account/inloggen"
    assert client.get_cookie("lang").value == "en"
    assert '<html lang="en">' in client.get("/account/inloggen").text
    submit(client, "/account/taal", {**data, "lang": "nl"}, "/account/inloggen")
    assert '<html lang="nl">' in client.get("/account/inloggen").text


def test_member_language_is_stored_on_the_person(app, client, member):
    login(client, member.email)
    submit(client, "/account/taal", {"lang": "en", "next": "/account/profiel"}, "/account/profiel")
    with app.app_context():
        assert accounts.user_by_email(member.email).locale == "en"
    elsewhere = app.test_client()  # another device: no cookie, the person's choice wins
    assert '<html lang="nl">' in elsewhere.get("/account/inloggen").text
    login(elsewhere, member.email)
    assert '<html lang="en">' in elsewhere.get("/account/profiel").text


@pytest.mark.parametrize(("lang", "next_url"), [("xx", "/"), ("en", "//evil.com")])
def test_language_switch_refuses_unknown_languages_and_other_sites(client, lang, next_url):
    answer = submit(client, "/account/taal", {"lang": lang, "next": next_url}, "/account/inloggen")
    if lang == "xx":
        assert answer.status_code == 400
        assert client.get_cookie("lang") is None
    else:
        assert answer.headers["Location"] == "/"


def test_english_catalog_is_compiled(client):
    client.set_cookie("lang", "en")
    page = client.get("/account/inloggen")
    assert '<html lang="en">' in page.text
    assert "Wachtwoord vergeten?" not in page.text
    assert "Nog geen account?" not in page.text
    assert "password" in page.text.lower()


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_answers_json_when_the_database_answers(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=3",
        "sqlite:////nonexistent-directory/dorpsplein/forum.db",
    ],
)
def test_healthz_answers_503_when_the_database_does_not(other_app, url):
    broken = other_app(SQLALCHEMY_DATABASE_URI=url)
    answer = broken.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.json["status"] == "unavailable"


# --- headers and inline code ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/"),
        ("GET", "/account/inloggen"),
        ("GET", "/gespreksregels"),
        ("GET", "/healthz"),
        ("GET", "/bestaat-niet"),
        ("GET", "/static/css/forum.css"),
        ("POST", "/account/inloggen"),
        ("GET", "/account/uitloggen"),
    ],
)
def test_every_response_has_a_strict_content_security_policy(client, method, url):
    with client.open(url, method=method) as answer:
        policy = answer.headers.get("Content-Security-Policy", "")
        nosniff = answer.headers.get("X-Content-Type-Options")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ") if part}
    assert directives.get("script-src") == ["'self'"]
    assert directives.get("style-src") == ["'self'"]
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert nosniff == "nosniff"


def test_rendered_pages_have_no_inline_script_or_style(app, client, admin, member):
    visitor_pages = ["/account/inloggen", "/account/registreren", "/account/wachtwoord-vergeten"]
    pages = [client.get(url) for url in [*visitor_pages, "/bestaat-niet"]]
    pages.append(client.post("/account/inloggen", data={"email": "x"}))
    login(client, admin.email)
    admin_pages = ["/beheer/mensen", "/beheer/logboek", "/beheer/instellingen"]
    for url in [
        "/account/profiel",
        "/account/wachtwoord",
        f"/beheer/mensen/{member.id}",
        *admin_pages,
    ]:
        pages.append(client.get(url))
    for page in pages:
        assert page.mimetype == "text/html"
        assert "<html" in page.text
        assert_no_inline_code(page.text)


def test_templates_contain_no_inline_script_or_style():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER):
            name = path.relative_to(TEMPLATES)
            offenders += [f"{name}: {match.group(0)}" for match in pattern.finditer(text)]
    assert list(TEMPLATES.rglob("*.html")), "no templates found"
    assert offenders == []


# --- error pages ------------------------------------------------------------------------------


def test_404_page_is_our_own_in_dutch(client):
    answer = client.get("/bestaat-niet")
    assert answer.status_code == 404
    assert "Pagina niet gevonden" in answer.text
    assert 'class="error-page"' in answer.text
    assert re.search(r"/static/css/forum\.[0-9a-f]{8}\.css", answer.text)  # fingerprinted
    json = client.get("/bestaat-niet", headers={"Accept": "application/json"})
    assert json.status_code == 404
    assert json.json["error"] == 404


def test_405_page(client):
    answer = client.get("/account/uitloggen")
    assert answer.status_code == 405
    assert "Dat kan zo niet" in answer.text


def test_413_for_a_body_over_the_limit(app, client):
    client.get("/account/inloggen")
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    answer = client.post("/account/inloggen", data={"email": big, "password": "x"})
    assert answer.status_code == 413
    assert "Wat je stuurde is te groot." in answer.text


def test_400_for_a_missing_csrf_token(client, member):
    answer = client.post("/account/inloggen", data={"email": member.email, "password": PASSWORD})
    assert answer.status_code == 400
    assert "Het formulier was verlopen of onvolledig." in answer.text
    assert client.get("/account/profiel").status_code == 302


def test_429_after_too_many_login_attempts(client, member):
    data = {"email": member.email, "password": "fout-fout-fout"}
    answers = [submit(client, "/account/inloggen", data).status_code for _ in range(11)]
    assert answers == [400] * 10 + [429]
    page = submit(client, "/account/inloggen", data)
    assert page.status_code == 429
    assert "Even rustig aan" in page.text
    assert int(page.headers["Retry-After"]) > 0


def test_500_page_is_ours_and_keeps_the_headers(app, other_app):
    live = other_app(TESTING=False, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])

    def boom():
        raise RuntimeError("interne-details-die-niemand-mag-zien")

    live.add_url_rule("/kapot", view_func=boom)
    answer = live.test_client().get("/kapot")
    assert answer.status_code == 500
    assert "Er ging iets mis" in answer.text
    assert "interne-details" not in answer.text
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]


# --- invalid text: a form error, never a 500, nothing stored ----------------------------------

REGISTER_DATA = {
    "email": "anna@example.org",
    "display_name": "Anna",
    "password": PASSWORD,
    "profession": "docent",
    "main_setting": "1",
    "accept_guidelines": "y",
}
PROFILE_DATA = {
    "display_name": "Linda",
    "profession": "docent",
    "main_setting": "1",
    "locale": "nl",
}
BAD_TEXT = {
    "nul": ("\x00", "een nul-byte"),
    "control": ("\x07", "onzichtbaar stuurteken"),
    "invalid-utf8": (b"\xff\xfe", "niet goed gecodeerd"),  # sent as multipart, see post_bad
}


def post_bad(client, url: str, data: dict[str, str], field: str, problem: str):
    """Post the form at ``url`` with a bad value glued to ``field``, with its CSRF token.

    Invalid UTF-8 goes as multipart/form-data: Werkzeug decodes those parts with U+FFFD, while in
    a urlencoded body it keeps ``%FF`` as plain text (see the two tests below).
    """
    bad = BAD_TEXT[problem][0]
    fields = {**data, "csrf_token": csrf_token(client.get(url).text)}
    if isinstance(bad, str):
        return client.post(url, data={**fields, field: fields[field] + bad})
    body = b""
    for name, value in fields.items():
        raw = value.encode() + (bad if name == field else b"")
        body += b'--grens\r\nContent-Disposition: form-data; name="%s"\r\n\r\n' % name.encode()
        body += raw + b"\r\n"
    body += b"--grens--\r\n"
    return client.post(url, data=body, content_type="multipart/form-data; boundary=grens")


def no_people(app) -> bool:
    with app.app_context():
        return db.session.execute(db.select(accounts.User)).first() is None


@pytest.mark.parametrize("problem", BAD_TEXT)
@pytest.mark.parametrize("field", ["email", "display_name", "password"])
def test_bad_text_in_registration_is_a_form_error(app, client, problem, field):
    answer = post_bad(client, "/account/registreren", REGISTER_DATA, field, problem)
    assert answer.status_code == 400
    assert BAD_TEXT[problem][1] in answer.text
    assert "Er klopt nog iets niet" in answer.text
    assert no_people(app)


@pytest.mark.parametrize("problem", BAD_TEXT)
@pytest.mark.parametrize("field", ["email", "password"])
def test_bad_text_in_login_is_a_form_error(client, member, problem, field):
    data = {"email": member.email, "password": PASSWORD}
    answer = post_bad(client, "/account/inloggen", data, field, problem)
    assert answer.status_code == 400
    assert BAD_TEXT[problem][1] in answer.text
    assert client.get("/account/profiel").status_code == 302


@pytest.mark.parametrize("problem", BAD_TEXT)
def test_bad_text_in_profile_is_a_form_error(app, client, member, problem):
    login(client, member.email)
    answer = post_bad(client, "/account/profiel", PROFILE_DATA, "display_name", problem)
    assert answer.status_code == 400
    assert BAD_TEXT[problem][1] in answer.text
    with app.app_context():
        assert accounts.user_by_email(member.email).display_name == member.name


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        ("/account/registreren", REGISTER_DATA, "display_name"),
        ("/account/inloggen", {"email": "lid@example.org", "password": PASSWORD}, "email"),
        ("/account/profiel", PROFILE_DATA, "display_name"),
    ],
)
def test_raw_invalid_utf8_in_a_urlencoded_body_is_400(app, client, member, url, data, field):
    """Raw bytes make the whole body unreadable, CSRF token included: the form is refused."""
    if url == "/account/profiel":
        login(client, member.email)
    fields = {**data, "csrf_token": csrf_token(client.get(url).text)}
    body = urlencode(fields).encode() + b"&" + field.encode() + b"=Anna\xff\xfe"
    answer = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert "Het formulier was verlopen of onvolledig." in answer.text
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(accounts.User.id))).scalar() == 1
        assert accounts.user_by_email(member.email).display_name == member.name


def test_percent_encoded_invalid_utf8_is_kept_as_plain_text(app, client):
    """Werkzeug re-quotes undecodable %-escapes, so "%FF" arrives as three harmless characters."""
    token = csrf_token(client.get("/account/registreren").text)
    body = urlencode({**REGISTER_DATA, "display_name": "Anna%FF", "csrf_token": token})
    answer = client.post(
        "/account/registreren",
        data=body.replace("%25FF", "%FF"),
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    with app.app_context():
        assert accounts.user_by_email("anna@example.org").display_name == "Anna%FF"


@pytest.mark.parametrize("query", ["next=%00", "next=a%07b", "page=1%00", "q=%1B"])
def test_bad_text_in_a_query_string_is_400(client, query):
    answer = client.get(f"/account/inloggen?{query}")
    assert answer.status_code == 400
    assert "Dat ging niet goed" in answer.text


@pytest.mark.parametrize("url", ["/account/bevestigen/ab%00cd", "/account/nieuw-wachtwoord/%FF"])
def test_bad_text_in_a_link_token_is_not_a_500(client, url):
    assert client.get(url).status_code == 404


def test_nul_byte_in_a_query_string_key_is_a_400(client):
    assert client.get("/werkveld/school?so%00ort=vraag").status_code == 400
