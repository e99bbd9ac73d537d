"""The privacy check: unit tests of its rules, and precision and recall on a corpus of realistic
forum sentences (tests/privacy_corpus/) that must or must not be flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum import privacy
from forum.privacy import Finding, Kind

CORPUS = Path(__file__).parent / "privacy_corpus"
# The floors the README states; the measured figures are printed by test_corpus_figures.
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.95


def lines(name: str) -> list[str]:
    return [line for line in (CORPUS / name).read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    privacy.load_model()


def kinds(text: str) -> set[Kind]:
    return {finding.kind for finding in privacy.screen(text)}


def flagged_text(text: str) -> list[str]:
    return [text[f.start : f.end] for f in privacy.screen(text)]


def test_corpus_meets_precision_and_recall_floors() -> None:
    must_flag, must_pass = lines("must_flag.txt"), lines("must_pass.txt")
    assert len(must_flag) >= 150
    assert len(must_pass) >= 150
    true_positives = sum(1 for line in must_flag if privacy.screen(line))
    false_positives = [line for line in must_pass if privacy.screen(line)]
    recall = true_positives / len(must_flag)
    precision = true_positives / (true_positives + len(false_positives))
    print(f"privacy check: recall {recall:.3f}, precision {precision:.3f}")
    assert recall >= RECALL_FLOOR, f"recall {recall:.3f}"
    assert precision >= PRECISION_FLOOR, f"precision {precision:.3f}; flagged: {false_positives}"


@pytest.mark.parametrize(
    ("text", "kind", "piece"),
    [
        ("Sanne (7) uit groep 4 huilt vaak bij het brengen.", Kind.AGE_GROUP, "(7) uit groep 4"),
        ("Ik sprak de moeder van Daan bij het hek.", Kind.PERSON, "Daan"),
        ("Hij zit op basisschool De Regenboog.", Kind.INSTITUTION, "basisschool De Regenboog"),
        ("Bel me op 06-12345678.", Kind.PHONE, "06-12345678"),
        ("Mail naar juf.anouk@example.nl graag.", Kind.EMAIL, "juf.anouk@example.nl"),
        ("Haar BSN is 123456782.", Kind.BSN, "123456782"),
        ("Ze woont op de Dorpsstraat 12.", Kind.ADDRESS, "Dorpsstraat 12"),
        ("Postcode 1234 AB dus.", Kind.ADDRESS, "1234 AB"),
        ("Hij is geboren op 12-03-2018.", Kind.BIRTH_DATE, "12-03-2018"),
        ("Volg haar op @sanne_2015 als je wilt.", Kind.HANDLE, "@sanne_2015"),
        ("Zie https://example.nl/klas4 voor foto's.", Kind.URL, "https://example.nl/klas4"),
    ],
)
def test_flags_identifying_details(text: str, kind: Kind, piece: str) -> None:
    findings = privacy.screen(text)
    assert any(f.kind is kind and text[f.start : f.end] == piece for f in findings), findings


@pytest.mark.parametrize(
    "text",
    [
        "Een meisje uit groep 4 huilt vaak bij het brengen.",
        "Mag ik vragen hoe jullie dat doen?",
        "Groep 8 heeft dit jaar 28 leerlingen.",
        "Kinderen van 4 tot 12 jaar komen naar de bso.",
        "Op maandag om 8.30 uur hebben we overleg.",
        "Zorgen? Bel Veilig Thuis en volg de meldcode.",
        "Onderwijs, Kinderopvang en Wijk zijn de werkvelden.",
        "Wil je dat ik meekom naar het gesprek?",
    ],
)
def test_ordinary_sentences_are_not_flagged(text: str) -> None:
    assert privacy.screen(text) == []


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


def test_nine_digits_that_fail_the_eleven_test_are_not_a_bsn() -> None:
    assert Kind.BSN not in kinds("Het ordernummer was 123456789.")


def test_offsets_count_code_points_in_the_given_text() -> None:
    text = "Één moeder, Zoë, belde over Noah."
    for finding in privacy.screen(text):
        assert text[finding.start : finding.end].strip() == text[finding.start : finding.end]
    assert "Noah" in flagged_text(text)


def test_segments_cover_the_text_exactly_once() -> None:
    text = "Daan (7) uit groep 4 woont op de Dorpsstraat 12 in Zwolle."
    parts = privacy.segments(text, privacy.screen(text))
    assert "".join(piece for piece, _kind in parts) == text
    assert {kind for _piece, kind in parts if kind} >= {Kind.PERSON, Kind.ADDRESS, Kind.PLACE}


def test_overlapping_findings_merge_into_one() -> None:
    merged = privacy.merge([Finding(0, 5, Kind.PERSON), Finding(3, 9, Kind.PLACE)])
    assert merged == [Finding(0, 9, Kind.PERSON)]


def test_findings_round_trip_through_json() -> None:
    finding = Finding(3, 8, Kind.PHONE)
    assert Finding.from_dict(finding.as_dict()) == finding


def test_a_request_never_loads_the_model(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "_model", None)
    with app.test_request_context("/"), pytest.raises(privacy.CheckUnavailable):
        privacy.screen("Daan belde.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mooi. Sanne was blij met de tekening.", ["Sanne"]),
        ("Zie www.bsdeboomhut.nl/team.", ["www.bsdeboomhut.nl/team"]),
        ("Lees https://www.nji.nl/ouders en https://kdvzon.nl.", ["https://kdvzon.nl"]),
        ("Ze zit in de peutergroep\n\nDe ouders kwamen samen.", []),
    ],
)
def test_findings_cover_exactly_what_identifies(text, expected):
    assert [text[f.start : f.end] for f in privacy.screen(text)] == expected
