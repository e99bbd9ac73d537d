"""Searching Dutch words finds the right posts on both databases: case and diacritics fold,
plural and singular find each other, titles count most, and snippets mark what matched."""

from __future__ import annotations

import pytest

from forum.discussions.models import ThreadKind
from tests.helpers import login, set_site
from tests.search.helpers import found, search, shown_count, write


@pytest.fixture
def reader(app, client, users, member):
    set_site(app, "trust_threshold", "0")
    login(client, member.email)
    return client


@pytest.fixture
def author(users):
    return users.make(name="Schrijver Sam")


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ruzie", "Er was ruzie op het plein."),
        ("RUZIE", "Er was ruzie op het plein."),
        ("ruzie", "Ruzie op het plein, wat nu?"),
        ("reunie", "Op de reünie van de klas kwamen veel ouders."),
        ("reünie", "Op de reunie van de klas kwamen veel ouders."),
        ("ideeen", "Wie heeft ideeën voor de ouderavond?"),
        ("coordinator", "De coördinator belde terug."),
        ("ouders", "Een ouder kwam boos binnen."),
        ("ouder", "De ouders kwamen samen binnen."),
        ("gesprekken", "Het gesprek ging over slapen."),
        ("gesprek", "Die gesprekken kosten veel tijd."),
        ("kinderen", "Hoeveel kinderen zitten er in de groep?"),
        ("afspraken", "We maakten afspraken over het halen en brengen."),
    ],
)
def test_dutch_words_find_their_forms(app, reader, author, typed, written):
    post = write(app, author, written)
    unrelated = write(app, author, "Iets heel anders over de pauze.", title="Over de pauze")
    links = found(reader, typed)
    assert post.href in links
    assert unrelated.href not in links


def test_thread_titles_are_searched_and_count_most(app, reader, author):
    in_title = write(app, author, "Wat doen jullie als het misgaat?", title="Voorlezen thuis")
    in_text = write(app, author, "Bij ons is voorlezen in de klas vast onderdeel van de dag.")
    assert found(reader, "voorlezen") == [in_title.href, in_text.href]


def test_replies_are_found_and_link_to_the_post(app, reader, author):
    opening = write(app, author, "Hoe ga je om met een huilend kind bij het afscheid?")
    reply = write(app, author, "Een knuffel van thuis helpt vaak.", thread_id=opening.thread_id)
    answer = search(reader, "knuffel")
    assert [reply.href] == found(reader, "knuffel")
    # A reply's result names the thread it belongs to.
    assert "Reactie in: Een gesprek over ouders" in answer.text


def test_snippets_mark_the_matched_words(app, reader, author):
    write(app, author, "Gisteren was er weer ruzie bij het hek na schooltijd.")
    answer = search(reader, "ruzie")
    assert "<mark>ruzie</mark>" in answer.text
    assert "1 resultaat voor" in answer.text


def test_phrases_exclusions_and_or(app, reader, author):
    side_by_side = write(app, author, "Het gaat over lange dagen op de opvang.")
    apart = write(app, author, "Lange wachtlijsten, en dagen vol zorgen.")
    other = write(app, author, "Korte dagen zijn fijn voor jonge kinderen.")
    assert found(reader, '"lange dagen"') == [side_by_side.href]
    assert set(found(reader, "lange dagen")) == {side_by_side.href, apart.href}
    assert set(found(reader, "dagen -lange")) == {other.href}
    assert set(found(reader, "wachtlijsten or korte")) == {apart.href, other.href}
    assert set(found(reader, 'dagen -"lange dagen"')) == {apart.href, other.href}


def test_filters_by_werkveld_kind_period_and_scope(app, reader, author):
    school = write(app, author, "Een stappenplan voor pesten.", setting_id=1)
    opvang = write(
        app, author, "Een stappenplan bij de opvang.", setting_id=2, kind=ThreadKind.EXAMPLE
    )
    reply = write(app, author, "Ons stappenplan werkt ook.", thread_id=school.thread_id)
    assert set(found(reader, "stappenplan")) == {school.href, opvang.href, reply.href}
    assert set(found(reader, "stappenplan", werkveld="childcare")) == {opvang.href}
    assert set(found(reader, "stappenplan", soort="voorbeeld")) == {opvang.href}
    assert set(found(reader, "stappenplan", wat="gesprekken")) == {school.href, opvang.href}
    assert set(found(reader, "stappenplan", wat="reacties")) == {reply.href}
    assert found(reader, "stappenplan", vanaf="2000-01", tot="2001-12-31") == []
    assert len(found(reader, "stappenplan", vanaf="2000-01-01", tot="2999-12")) == 3
    later = search(reader, "stappenplan", vanaf="2026-05-01", tot="2026-04-01")
    assert "Deze datum ligt voor de begindatum." in later.text
    assert "Geef een datum" in search(reader, "stappenplan", vanaf="gisteren").text


def test_results_are_paged(app, reader, author, monkeypatch):
    from forum.search import services

    monkeypatch.setattr(services, "PER_PAGE", 2)
    posts = [write(app, author, f"Over de overdracht, deel {n}.") for n in range(5)]
    first, second, third = (found(reader, "overdracht", page=str(n)) for n in (1, 2, 3))
    assert len(first) == len(second) == 2
    assert len(third) == 1
    assert set(first + second + third) == {p.href for p in posts}
    assert 'rel="next"' in search(reader, "overdracht").text
    for silly in ("4", "0", "-1", "abc", "99999999999999999999", "1e3", "½"):
        assert search(reader, "overdracht", page=silly).status_code == 404, silly


def test_the_count_stops_at_the_cap(app, reader, author, monkeypatch):
    from forum.search import services

    monkeypatch.setattr(services, "MAX_COUNTED", 3)
    monkeypatch.setattr(services, "PER_PAGE", 2)
    for n in range(5):
        write(app, author, f"Een vraag over inschrijven, nummer {n}.")
    answer = search(reader, "inschrijven")
    assert "Meer dan 3 resultaten" in answer.text
    assert "Pagina 1 van 2" in answer.text
    assert search(reader, "inschrijven", page="3").status_code == 404


def test_an_empty_search_asks_for_words(reader):
    for typed in ("", "   ", "-ouders", "!!!", "🙂"):
        answer = search(reader, typed)
        assert answer.status_code == 200
        assert shown_count(answer.text) == 0
        assert "resultaat" not in answer.text
    assert "Typ een of meer woorden" in search(reader, "  ").text
    assert "zonder minteken" in search(reader, "-ouders").text
    assert "geen woorden om op te zoeken" in search(reader, "🙂").text
