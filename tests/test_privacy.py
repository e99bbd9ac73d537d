"""The privacy check: exact spans of every kind, what passes, and floors on the corpora.

Corpora (tests/privacy_corpus/README.md): the development part is tuned against; the held-back
part never is, so its floors say how the check does on text it has not seen. Assertions about
the held-back part report figures only, never a line. Speed is measured by bench/privacy.py,
not here (no timed assertion on a shared machine).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

# The bench's loader and counting, so the floors here and its figures are the same numbers.
from bench.privacy import (
    DEVELOPMENT_PARTS,
    HELD_BACK,
    POSITIVE,
    Figures,
    evaluate,
    load_development,
    load_own,
    load_tsv,
)
from forum import privacy, privacy_web
from forum.privacy import Finding, Kind

RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.90
CATEGORY_RECALL_FLOOR = 0.85
# The own corpus was tuned to; it stays as a regression set with the floors it always had.
OWN_FLOOR = 0.95


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    privacy.load_model()


def pieces(text: str) -> list[tuple[Kind, str]]:
    return [(f.kind, text[f.start : f.end]) for f in privacy.screen(text)]


# --- the corpora ------------------------------------------------------------------------------


def test_the_corpus_has_the_required_size() -> None:
    development, held_back = load_development(), load_tsv(HELD_BACK)
    lines = development + held_back
    assert len(lines) >= 1000
    assert sum(e.flag for e in lines) >= len(lines) / 2
    assert len(held_back) >= 400, "the held-back part must stay large enough to mean something"


def floors_reached(figures: Figures) -> list[str]:
    """What falls short, in figures only (safe to print for the held-back part)."""
    short = []
    if figures.recall < RECALL_FLOOR:
        short.append(f"recall {figures.recall:.3f} < {RECALL_FLOOR}")
    if figures.precision < PRECISION_FLOOR:
        short.append(f"precision {figures.precision:.3f} < {PRECISION_FLOOR}")
    for category in POSITIVE:
        if category in figures.by_category and figures.rate(category) < CATEGORY_RECALL_FLOOR:
            short.append(f"{category} recall {figures.rate(category):.3f}")
    return short


@pytest.mark.parametrize("path", DEVELOPMENT_PARTS, ids=lambda path: path.name)
def test_each_development_batch_meets_the_floors(path: Path) -> None:
    figures = evaluate(load_tsv(path))
    print(f"{path.name}: P {figures.precision:.3f} R {figures.recall:.3f} F1 {figures.f1:.3f}")
    assert floors_reached(figures) == []


def test_there_is_more_than_one_development_batch() -> None:
    # Every development*.tsv counts; a missing batch would silently shrink what is measured.
    assert [path.name for path in DEVELOPMENT_PARTS][:2] == [
        "development.tsv",
        "development_2.tsv",
    ]


def test_held_back_part_meets_the_floors() -> None:
    figures = evaluate(load_tsv(HELD_BACK))
    print(f"held-back: P {figures.precision:.3f} R {figures.recall:.3f} F1 {figures.f1:.3f}")
    assert floors_reached(figures) == []


def test_own_corpus_still_meets_its_floors() -> None:
    figures = evaluate(load_own(), keep_misses=True)
    missed = [e.text for e in figures.misses]
    assert figures.recall >= OWN_FLOOR, missed
    assert figures.precision >= OWN_FLOOR, missed


@pytest.mark.parametrize("part", ["development", "own"])
def test_spans_never_start_or_end_with_space_or_punctuation(part: str) -> None:
    examples = load_development() if part == "development" else load_own()
    untidy = []
    for example in examples:
        for finding in privacy.screen(example.text):
            piece = example.text[finding.start : finding.end]
            if piece != piece.strip(" \t\n.,;:!?*_\"'‘’“”") or not piece:
                untidy.append(piece)
    assert untidy == []


# --- spans of every kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "piece"),
    [
        ("Ik sprak de moeder van Daan bij het hek.", Kind.PERSON, "Daan"),
        ("mijn leerling Sem weigert te gymmen.", Kind.PERSON, "Sem"),
        ("Juf Anouk en ik verschillen van mening.", Kind.PERSON, "Anouk"),
        ("Fam. de Vries wil een gesprek.", Kind.PERSON, "de Vries"),
        ("daan komt zonder ontbijt binnen.", Kind.PERSON, "daan"),
        ("Storm (groep 3) slaat andere kinderen.", Kind.PERSON, "Storm"),
        ("Meneer Kartosen wil niet dat zijn dochter meegaat.", Kind.PERSON, "Kartosen"),
        ("Anna-Sophie heeft een nieuwe stiefvader.", Kind.PERSON, "Anna-Sophie"),
        ("Pietje (3) heeft weer luiers nodig.", Kind.PERSON, "Pietje"),
        ("Ze woont in Kanaleneiland met haar moeder.", Kind.PLACE, "Kanaleneiland"),
        ("Een gezin uit Zwolle-Zuid meldde zich.", Kind.PLACE, "Zwolle-Zuid"),
        ("Ik werk op obs De Regenboog.", Kind.INSTITUTION, "obs De Regenboog"),
        ("Hij zit op basisschool De Regenboog.", Kind.INSTITUTION, "basisschool De Regenboog"),
        ("Bij de Kees Boekeschool is het rustig.", Kind.INSTITUTION, "Kees Boekeschool"),
        # named without a cue word: an article name, a chain with its location, a bare name
        ("Ik werk op De Klimop, groep 6.", Kind.INSTITUTION, "Klimop"),
        ("Hij zit nu op 't Kompas.", Kind.INSTITUTION, "Kompas"),
        ("Ik loop stage bij Partou Dennenlaan.", Kind.INSTITUTION, "Partou Dennenlaan"),
        ("Wij zijn kc Het Palet, net overgestapt.", Kind.INSTITUTION, "kc Het Palet"),
        ("Hij zat bij Hummeltje, een voorschoolse opvang.", Kind.INSTITUTION, "Hummeltje"),
        ("Ik werk bij zwemvereniging De Dolfijn.", Kind.INSTITUTION, "zwemvereniging De Dolfijn"),
        ("Ze woont op de Dorpsstraat 12a.", Kind.ADDRESS, "Dorpsstraat 12a"),
        ("postcode 3514ab, huisnummer 88", Kind.ADDRESS, "3514ab"),
        ("Postcode 1234 AB dus.", Kind.ADDRESS, "1234 AB"),
        ("Hij is geboren op 12-03-2018.", Kind.BIRTH_DATE, "12-03-2018"),
        ("geboortedatum 2018-11-07, in het OPP?", Kind.BIRTH_DATE, "2018-11-07"),
        ("DOB: 3/4/2017, woont bij vader.", Kind.BIRTH_DATE, "3/4/2017"),
        ("Er staat: geboren 2018/06/12.", Kind.BIRTH_DATE, "2018/06/12"),
        ("geboortedatum 20200612 in de export", Kind.BIRTH_DATE, "20200612"),
        ("Hij is 4 geworden op 11 november.", Kind.BIRTH_DATE, "4 geworden op 11 november"),
        ("Ze is op 14 mei jarig en wordt 6.", Kind.BIRTH_DATE, "is op 14 mei jarig"),
        ("hij werd afgelopen dinsdag 5 en", Kind.BIRTH_DATE, "werd afgelopen dinsdag 5"),
        ("Sanne (7) uit groep 4 huilt vaak.", Kind.AGE_GROUP, "(7) uit groep 4"),
        ("Een jongen van 9 in groep 5 leest niet.", Kind.AGE_GROUP, "jongen van 9 in groep 5"),
        ("De enige 13-jarige in 1 havo.", Kind.AGE_GROUP, "13-jarige in 1 havo"),
        ("Een elfjarige in groep 7 krijgt berichtjes.", Kind.AGE_GROUP, "elfjarige in groep 7"),
        ("8jr uit gr.5 komt zonder jas.", Kind.AGE_GROUP, "8jr uit gr.5"),
        ("Bel me op 06-12345678.", Kind.PHONE, "06-12345678"),
        ("Vast: 030.123.45.67 of (010) 123 45 67", Kind.PHONE, "030.123.45.67"),
        ("Vader: +32 470 12 34 56.", Kind.PHONE, "+32 470 12 34 56"),
        ("Mail naar juf.anouk@example.nl graag.", Kind.EMAIL, "juf.anouk@example.nl"),
        ("mail r.ouali [at] gmail [punt] com", Kind.EMAIL, "r.ouali [at] gmail [punt] com"),
        ("j.devries(at)school.nl reageert niet", Kind.EMAIL, "j.devries(at)school.nl"),
        ("Haar BSN is 123456782.", Kind.BSN, "123456782"),
        ("BSN 1234.56.782 op de lijst", Kind.BSN, "1234.56.782"),
        ("sofinummer 12345672 (oud)", Kind.BSN, "12345672"),
        ("Maak het over op NL91 ABNA 0417 1643 00 graag.", Kind.IBAN, "NL91 ABNA 0417 1643 00"),
        ("Zie https://example.nl/klas4 voor foto's.", Kind.URL, "https://example.nl/klas4"),
        ("Onze school: www.obs-denieuwewereld.nl, daar.", Kind.URL, "www.obs-denieuwewereld.nl"),
        ("Volg haar op @sanne_2015 als je wilt.", Kind.HANDLE, "@sanne_2015"),
        ("zie tiktok.com/@yassin_0812 en", Kind.HANDLE, "tiktok.com/@yassin_0812"),
        ("Snap: jaydenn2012. Zo begon het.", Kind.HANDLE, "jaydenn2012"),
        ("Zijn Roblox-naam is Ruben_Speedy2014, zegt hij.", Kind.HANDLE, "Ruben_Speedy2014"),
    ],
)
def test_each_kind_is_found_with_its_exact_span(text: str, kind: Kind, piece: str) -> None:
    assert (kind, piece) in pieces(text), pieces(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mooi. Sanne was blij met de tekening.", ["Sanne"]),
        ("Zie www.bsdeboomhut.nl/team.", ["www.bsdeboomhut.nl/team"]),
        ("Lees https://www.nji.nl/ouders en https://kdvzon.nl.", ["https://kdvzon.nl"]),
        ("Ze zit in de peutergroep\n\nDe ouders kwamen samen.", []),
        ("**Daan** huilt (zie _Lieke_).", ["Daan"]),
    ],
)
def test_findings_cover_exactly_what_identifies(text: str, expected: list[str]) -> None:
    assert [piece for _kind, piece in pieces(text)] == expected


def test_every_kind_has_a_label_and_a_suggestion() -> None:
    for kind in Kind:
        assert str(privacy.LABELS[kind])
        assert str(privacy.SUGGESTIONS[kind])


# --- what passes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Een meisje uit groep 4 huilt vaak bij het brengen.",
        "Groep 8 heeft dit jaar 28 leerlingen.",
        "Kinderen van 4 tot 12 jaar komen naar de bso.",
        "Op maandag om 8.30 uur hebben we overleg.",
        "Onderwijs, Kinderopvang en Wijk zijn de werkvelden.",
        # public figures: a quote, a book, a theory, a role
        "Jesper Juul schreef dat kinderen competent zijn.",
        "Volgens Maria Montessori moet je het kind volgen.",
        "De hechtingstheorie van Bowlby is de basis van ons wenbeleid.",
        "Koning Willem-Alexander opende een school.",
        "Prinses Amalia is een voorbeeld voor veel meisjes.",
        # helplines and national bodies
        "Bel 112 bij nood, of 113 (0800-0113).",
        "Hang het nummer van de Kindertelefoon (0800-0432) in de klas.",
        "Twijfel je? Bel Veilig Thuis op 0800-2000.",
        "Op nji.nl en thuisarts.nl staat goede informatie.",
        "DUO, via duo.nl of bellen met 050-599 7755.",
        # dates with no person
        "Op 14 mei is onze studiedag.",
        "Per 1 januari gaat de ouderbijdrage omhoog.",
        "Kinderen geboren tussen 1 oktober en 31 december stromen later door.",
        "Het verslag van de vergadering (d.d. 07-11-2024) staat op de server.",
        "Voor het schooljaar 2025-2026 krijgen we een nieuwe methode.",
        # capitalised ordinary words
        "De kinderen zijn gek op Dikkie Dik, Nijntje en Paw Patrol.",
        "We werken met Kanjertraining en De Vreedzame School.",
        "Ouders lezen Parro niet, wel WhatsApp.",
        "Met Sinterklaas en het Suikerfeest is het druk.",
        # a chain alone, a model or law after an article, a name that is a thing
        "Ik werk bij Partou, een grote kinderopvang.",
        "De Pyramide van Maslow leggen we aan ouders uit.",
        "De Wet kinderopvang geldt sinds 2005.",
        "Jade is een edelsteen, leerden we bij het thema stenen.",
        # numbers that are not identifiers
        "Het factuurnummer is 202403118, het bedrag €1.245,60.",
        "Het ordernummer was 123456789.",
        "Artikel 7:2 gaat over de meldcode.",
    ],
)
def test_ordinary_and_public_text_is_not_flagged(text: str) -> None:
    assert privacy.screen(text) == [], pieces(text)


def test_a_relation_wins_over_a_public_name() -> None:
    assert (Kind.PERSON, "Amalia") in pieces("Mijn leerling Amalia zei dat ze niet wil.")


# --- the pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123456789", False),
        ("000000000", False),
        ("12345678", False),
        ("1234567890", False),
        ("abcdefghi", False),
    ],
)
def test_bsn_eleven_test(number: str, valid: bool) -> None:
    assert privacy.passes_eleven_test(number) is valid


def test_offsets_count_code_points_in_the_given_text() -> None:
    text = "Één moeder, Zoë, belde over Noah."
    for finding in privacy.screen(text):
        assert text[finding.start : finding.end].strip() == text[finding.start : finding.end]
    assert (Kind.PERSON, "Noah") in pieces(text)


def test_segments_cover_the_text_exactly_once() -> None:
    text = "Daan (7) uit groep 4 woont op de Dorpsstraat 12 in Zwolle."
    parts = privacy.segments(text, privacy.screen(text))
    assert "".join(piece for piece, _kind in parts) == text
    assert {kind for _piece, kind in parts if kind} >= {Kind.PERSON, Kind.ADDRESS, Kind.PLACE}


def test_overlapping_findings_merge_into_one() -> None:
    merged = privacy.merge([Finding(0, 5, Kind.PERSON), Finding(3, 9, Kind.PLACE)])
    assert merged == [Finding(0, 9, Kind.PERSON)]


def test_findings_round_trip_through_json() -> None:
    finding = Finding(3, 8, Kind.IBAN)
    assert Finding.from_dict(finding.as_dict()) == finding


def test_a_request_never_loads_the_model(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "_model", None)
    with app.test_request_context("/"), pytest.raises(privacy.CheckUnavailable):
        privacy.screen("Daan belde.")


def test_links_are_found_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """urlextract uses the TLD list it ships; loading and screening never open a connection."""

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the privacy check opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    privacy_web.load()
    assert (Kind.URL, "www.obs-zon.nl/team") in pieces("Zie www.obs-zon.nl/team voor foto's.")


def test_the_research_export_still_finds_its_masks() -> None:
    # forum.research.export masks with these three regexes.
    assert privacy.EMAIL_RE.search("mail a.b@example.nl")
    assert privacy.PHONE_RE.search("bel 06-12345678")
    assert privacy.HANDLE_RE.search("volg @sanne_2015")
