"""Any string a person can type is a valid search: a clear page, never a 500 or a syntax error
from the database. Characters no form accepts (NUL, invalid UTF-8) get the forum's 400 page."""

from __future__ import annotations

import pytest

from tests.helpers import login, set_site
from tests.search.helpers import found, search, write

TYPED = [
    '"',
    '""',
    '"ouders',
    'ouders"',
    '"ouders" "school',
    "NEAR(",
    "NEAR(ouders school)",
    'NEAR("ouders" "school", 2)',
    "*",
    "**",
    "ouders*",
    "*ouders",
    "-",
    "--",
    "- -",
    "-ouders",
    "ouders -",
    "ouders --school",
    "ouders-school",
    "e-mail",
    "OR",
    "AND",
    "NOT",
    "ouders OR",
    "OR ouders",
    "AND ouders AND",
    "NOT ouders",
    "ouders NOT school",
    "ouders AND NOT",
    "ouders | school",
    "ouders & school",
    "!ouders",
    "ouders <-> school",
    "ouders:*",
    "'ouders':*",
    ":",
    "title:ouders",
    "body : ouders",
    "{title body}: ouders",
    "^",
    "^ouders",
    "ouders^2",
    "(",
    ")",
    "(ouders",
    "ouders)",
    "((()))",
    "(ouders OR) AND (",
    "' OR 1=1 --",
    "'; DROP TABLE posts; --",
    '" OR ""="',
    "1; SELECT * FROM users",
    "ouders' UNION SELECT password_hash FROM users --",
    "%",
    "%%",
    "_",
    "\\",
    "\\\\'",
    "%(name)s",
    "{0}",
    "{{ 7*7 }}",
    "${7*7}",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "null",
    "ouders " * 25,
    "a" * 150,
    "🙂",
    "👨‍👩‍👧 ouders",
    "ouders🙂school",
    "שלום עליכם",
    "مرحبا بالعالم",
    "\u202eouders",
    "ouders\u200b",
    "\u0301",
    "ﬁets",
    "ÀÉÎÕÜ",
    "İstanbul",
    "straße",
    "Ωμέγα",
    "日本語のテキスト",
    "   ",
    "\t\n ",
    "ouders\tschool",
    "0",
    "-1",
    "1e309",
]
# Too long for the form: a form error, not a search.
TOO_LONG = ["a" * 201, "ouders " * 1500, "x" * 10_000]
# Refused before any view runs (forum.security): NUL bytes, control characters, and U+FFFD,
# which is what a browser sends for a lone surrogate it cannot encode.
REFUSED_RAW = ["%00", "ouders%00", "%01", "%7F", "%EF%BF%BD"]
# Bytes that are not UTF-8 (a lone surrogate written as UTF-8, "%ED%A0%80", among them): the
# server keeps them percent-encoded, so they arrive as the literal text "%ED%A0%80".
NOT_UTF8_RAW = ["%ED%A0%80", "ouders%ED%B0%80", "%FF", "%C0%AF", "%E2%82", "%", "%%41"]


# What the page says, one of these, for any text.
ANSWERS = (
    "resultaat voor",
    "resultaten voor",
    "Niets gevonden",
    "Typ een of meer",
    "geen woorden om op te zoeken",
    "zonder minteken",
)


@pytest.fixture
def reader(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    author = users.make(name="Schrijver Sam")
    write(app, author, "Ouders en school werken samen aan een goede start.")
    login(client, member.email)
    return client


def assert_clear_page(answer) -> None:
    assert answer.status_code == 200
    assert "Er ging iets mis" not in answer.text
    assert "<script>alert(1)</script>" not in answer.text


@pytest.mark.parametrize("typed", TYPED, ids=range(len(TYPED)))
def test_typed_text_gives_a_clear_page(reader, typed):
    answer = search(reader, typed)
    assert_clear_page(answer)
    assert any(phrase in answer.text for phrase in ANSWERS), typed


@pytest.mark.parametrize("typed", TOO_LONG, ids=["201", "words", "10000"])
def test_too_long_text_is_a_form_error(reader, typed):
    answer = search(reader, typed)
    assert_clear_page(answer)
    assert "Je zoekvraag is te lang" in answer.text
    assert 'aria-invalid="true"' in answer.text


@pytest.mark.parametrize("raw", REFUSED_RAW)
def test_characters_no_form_accepts_are_refused_with_400(reader, raw):
    answer = reader.get(f"/zoeken?q={raw}")
    assert answer.status_code == 400
    assert "Dat ging niet goed" in answer.text


@pytest.mark.parametrize("raw", NOT_UTF8_RAW)
def test_bytes_that_are_not_utf8_give_a_clear_page(reader, raw):
    answer = reader.get(f"/zoeken?q={raw}")
    assert_clear_page(answer)


@pytest.mark.parametrize(
    "typed",
    [
        "ouders(",
        '"ouders',
        "ouders*",
        "(ouders)",
        "ouders:",
        "^ouders",
        "ouders OR",
        "AND ouders",
        "ouders' --",
        "🙂ouders🙂",
        "\u202eouders",
        "OUDERS",
        "ouders -zwemles",
        "zwemles or ouders",
    ],
)
def test_the_words_inside_odd_text_still_find_the_post(reader, typed):
    assert len(found(reader, typed)) == 1, typed


def test_the_query_is_shown_escaped_and_isolated_for_right_to_left_text(reader):
    page = search(reader, "<b>ouders</b> שלום").text
    assert "<bdi>&lt;b&gt;ouders&lt;/b&gt; שלום</bdi>" in page
    assert "<b>ouders</b>" not in page


def test_post_text_in_snippets_is_escaped(app, reader, users):
    author = users.make(name="Schrijver Tim")
    write(app, author, "Wie schrijft er `<img src=x onerror=alert(1)>` in een klassenbrief?")
    page = search(reader, "klassenbrief").text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<mark>klassenbrief</mark>" in page


def test_more_terms_than_the_limit_are_left_out_and_the_page_says_so(reader):
    page = search(reader, "ouders " * 25).text
    assert "1 resultaat voor" in page
    assert "Alleen de eerste 10 woorden zijn gebruikt." in page
