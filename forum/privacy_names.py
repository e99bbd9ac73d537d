"""Names and places: ``deduce`` finds them, context decides whether they are private.

A name tied to the writer's work (a relation such as "de moeder van", "mijn leerling", "juf",
"fam.", or "uit mijn groep", "(7)", "zijn vader" after it) is private and flagged, also when
deduce does not know it ("Kartosen", lowercase "daan"). A name with a public role, a quote, a
book or a theory ("Koning", "minister", "X schreef", "volgens X", "het boek van X") is a public
figure and passes; the list in ``privacy_data/public_figures.txt`` supports that, but a relation
always wins. Capitalised ordinary words (characters, methods, apps, holidays) are not names.
"""

from __future__ import annotations

import re
from typing import Any

from forum.privacy_kinds import Finding, Kind
from forum.privacy_lists import Spans, spans, word_set

DEDUCE_KINDS = {
    "persoon": Kind.PERSON,
    "patient": Kind.PERSON,
    "locatie": Kind.PLACE,
    "instelling": Kind.INSTITUTION,
    "ziekenhuis": Kind.INSTITUTION,
}
# Our own rules and libraries cover these; skipping them in deduce saves a third of its time.
DISABLED = {
    "dates",
    "ages",
    "identifiers",
    "phone_numbers",
    "email_addresses",
    "urls",
    "redactor",
}

_NAME_WORD = r"(?:[A-ZÀ-Ý][\w'’-]*[a-zà-ÿ\d]|[a-zà-ÿ][a-zà-ÿ'’-]+)"
_PARTICLE = r"(?:van|de|der|den|het|te|ter|ten|el|al|ben|bin|da|di|du|le|la|op|in|'t)"
NAME = rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,3}}[A-ZÀ-Ý][\w'’-]+)?"
RELATIVES = (
    r"moeder|vader|mama|papa|mams|paps|ouders?|oma|opa|broer(?:tje)?|zus(?:je)?|zoon(?:tje)?|"
    r"dochter(?:tje)?|tante|oom|neef(?:je)?|nicht(?:je)?|stiefvader|stiefmoeder|pleegmoeder|"
    r"pleegvader|pleegouders?|voogd|vriend(?:je|in|innetje)?|buurman|buurvrouw|oppas|familie|"
    r"gezin|klasgeno(?:ot|te)(?:je)?|teamgeno(?:ot|te)(?:je)?|trainer|coach|opvang|begeleider"
)
TITLES = (
    r"juf|juffrouw|meester|meneer|mevrouw|mevr\.|mw\.|dhr\.|mr\.|fam\.|familie|gezin|"
    r"leerling|leerlinge|collega|duo|duo-collega|duopartner|stagiair|stagiaire|mentorleerling|"
    r"mentorkind|gastouder|gastkind|pedagogisch[ \t]+medewerker|pm'er|ib'er|intern[ \t]+"
    r"begeleider|directeur|directrice|teamleider|invaller|kleuter|peuter|pupil|cliënt|"
    r"nieuwkomer|buurjongen|buurmeisje|jongen|meisje|kindje|kind|" + RELATIVES
)
# "de moeder van Daan", "ouders van Quinty Verhoeven".
RELATION_OF_RE = re.compile(rf"\b(?i:{RELATIVES}|opvang|klas|groep)[ \t]+van[ \t]+(?P<name>{NAME})")
# "juf Anouk", "mijn leerling Sem", "Fam. de Vries", "een leerling, Ilyas El Amrani,".
TITLE_RE = re.compile(
    rf"\b(?i:{TITLES})[ \t]*,?[ \t]+"
    rf"(?P<name>(?:(?:de|van|van[ \t]+de|van[ \t]+der|el|al)[ \t]+)?{NAME})"
)
# After the name: "Lieke uit mijn groep", "Daan (8)", "Storm (groep 3)", "Mees zijn vader",
# "Noor haar ouders", "Roos en haar broertje", "Hatice, de oma van", "Sem's moeder".
AFTER_RE = re.compile(
    r"[ \t]*(?:"
    r"\([ \t]*(?:\d{1,2}[ \t]*(?:jaar|jr\.?|mnd)?[ \t]*[),]|groep|klas|tweeling|mijn|onze|"
    r"zo[ \t]+noemt|vader|moeder|zoon|dochter)"
    r"|(?:uit|in|van)[ \t]+(?:mijn|onze|m'n|de[ \t]+(?:klas|groep)|groep|klas|\d[a-z]?\b)"
    r"|(?:zijn|haar|z'n|d'r|hun|'s|’s)[ \t]+(?:\w+[ \t]+)?(?:" + RELATIVES + r")\b"
    r"|en[ \t]+(?:zijn|haar|z'n|d'r)[ \t]+(?:\w+[ \t]+)?(?:broer|zus|vriend|neef|nicht)\w*"
    r"|,[ \t]+(?:de|mijn|onze|een)[ \t]+(?:\w+[ \t]+)?(?:" + TITLES + r")\b)",
    re.IGNORECASE,
)
CAPITALISED_NAME_RE = re.compile(r"(?<![\w@.])[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\b")
# A public role or title before the name, or a reference to their work around it.
PUBLIC_BEFORE_RE = re.compile(
    r"(?i:\b(?:koning|koningin|prins|prinses|minister|staatssecretaris|premier|"
    r"minister-president|president|kamerlid|professor|prof\.|hoogleraar|pedagoog|psycholoog|"
    r"orthopedagoog|onderzoeker|auteur|schrijver|schrijfster|dichter|dichteres|illustrator|"
    r"kinderboekenschrijver|kinderboekenschrijfster|filosoof|presentator|presentatrice|"
    r"zanger|zangeres|voetballer|voetbalster|youtuber|wetenschapper|neurowetenschapper|"
    r"hersenonderzoeker|socioloog|cabaretier|rapper|artiest|burgemeester|wethouder)\b|"
    r"\b(?:volgens|aldus)\b|"
    r"\b(?:boek|boeken|boekje|theorie|model|methode|visie|stadia|fasen|levensfasen|piramide|"
    r"pyramide|lezing|podcast|column|artikel|citaat|quote|filmpje|ted[- ]?talk|werk|ideeën|"
    r"gedachtegoed|aanpak|werkwijze|principes|inzichten|onderzoek|gedichten|versjes|"
    r"verhalen|liedjes|programma|show|workshop|training|cursus|webinar|masterclass|"
    r"studiedag|keynote|interview|documentaire|uitzending|video)[ \t]+(?:\w+[ \t]+){0,6}?"
    r"(?:van|door))[ \t]+$"
)
PUBLIC_AFTER_RE = re.compile(
    r"^[ \t]*(?:\([^)]*\)[ \t]*)?(?:(?i:ooit|al|eens|ook|toen|vaak|altijd|nog|zelf|"
    r"terecht|mooi|prachtig)[ \t]+)?(?i:schreef|schrijft|zei|zegt|stelt|stelde|beschrijft|"
    r"beschreef|bedacht|ontwikkelde|noemt|noemde|betoogt|pleit|pleitte|legt[ \t]+uit|laat[ \t]+"
    r"zien|liet|toonde|onderzocht|introduceerde|heeft[ \t]+het[ \t]+over|had[ \t]+het[ \t]+over|"
    r"presenteert|presenteerde|opende|kwam[ \t]+op|over[ \t]+de|en[ \t]+(?:zijn|haar)[ \t]+"
    r"(?:theorie|boek|boeken|levensfasen|fasen|model|ideeën|piramide)|heeft[ \t]+(?:een|zoveel|"
    r"veel)|is[ \t]+(?:de|een|nog|echt)[ \t]+(?:held|reden|voorbeeld|favoriet|inspiratie))"
)
# A sentence about books, theories or television makes a full name public, when nothing ties it
# to the writer's work.
PUBLIC_TOPIC_RE = re.compile(
    r"(?i:\b(?:boek|boeken|theorie|lezing|podcast|quote|citaat|onderzoek|tv|televisie|"
    r"jeugdjournaal|instagram|schoolbieb|bibliotheek|voorlezen|voorgelezen|leest|lezen|"
    r"schrijver|schrijfster|auteur|wetenschap|hoogleraar|opleiding|pabo|stadia|fasen|mindset|"
    r"hechting|theorieën|inspirerend|held|idool|fan|race|wedstrijd|concert|film|serie)\b)"
)
WORK_TIE_RE = re.compile(
    r"(?i:\b(?:mijn|onze|m'n)[ \t]+(?:groep|klas|leerling\w*|collega\w*|kdv|bso|school|"
    r"opvang|kleuters?|peuters?)|\bbij[ \t]+(?:mij|ons)[ \t]+(?:in|op)\b|\bouders[ \t]+van\b|"
    r"\bmoeder[ \t]+van\b|\bvader[ \t]+van\b|\bzijn[ \t]+(?:moeder|vader)|\bhaar[ \t]+"
    r"(?:moeder|vader))"
)
SENTENCE_END_RE = re.compile(r"[.!?\n]")


# After a name, a verb shows that a lowercase first name is meant ("daan komt", "dat ayoub
# vaker huilt"); before it, a sentence start or a conjunction.
PERSON_VERBS = (
    r"komt|kwam|zit|zat|is|was|heeft|had|huilt|huilde|wil|wilde|zegt|zei|vertelt|vertelde|"
    r"doet|deed|speelt|speelde|slaat|sloeg|loopt|liep|wordt|werd|gaat|ging|mag|kan|kon|moet|"
    r"moest|blijft|bleef|vindt|vond|weigert|weigerde|praat|reageert|krijgt|kreeg|heeft|"
    r"vaker|steeds|altijd|nooit|weer|ook|al|niet|en"
)
LOWERCASE_NAME_RE = re.compile(
    rf"(?:^|[.!?]\s+|\n[-*>\s]*|\b(?:dat|en|want|omdat|of|maar|toen|als|met|bij|voor|aan|"
    rf"naast)\s+)(?P<name>[a-zà-ÿ]{{3,}})(?=[ \t]+(?:{PERSON_VERBS})\b)",
    re.MULTILINE,
)
# A capitalised word at the start of a sentence followed by an article or pronoun is a verb
# ("Hang het nummer op", "Bel de huisarts"), not a name.
IMPERATIVE_AFTER_RE = re.compile(
    r"[ \t]+(?:het|de|een|dan|maar|toch|ook|eens|even|je|jij|jullie|ze|hem|haar|mij|me|ons|"
    r"gewoon|altijd|nooit|niet)\b"
)
SENTENCE_START_RE = re.compile(r"(?:^|[.!?:]\s+|\n[-*>\s]*|\d\.\s+)$")


class Names:
    """deduce with the lists it needs, loaded once per process."""

    def __init__(self) -> None:
        from deduce import Deduce

        self.deduce: Any = Deduce()
        structs = self.deduce.lookup_structs
        self.first_names = structs["first_name"]
        self.ordinary = {
            word
            for key in ("whitelist", "common_word", "stop_word")
            for word in structs[key].items()
        } | word_set("not_identifying")
        self.findings("Sanne woont in Zwolle.")  # warm deduce's caches before forking

    def is_first_name(self, word: str) -> bool:
        """In deduce's list of first names, and not also an ordinary Dutch word."""
        return word.lower() not in self.ordinary and self.in_first_names(word)

    def in_first_names(self, word: str) -> bool:
        return self.first_names.longest_matching_prefix([word[:1].upper() + word[1:]]) is not None

    def findings(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        document = self.deduce.deidentify(text, disabled=DISABLED)
        for annotation in document.annotations:
            kind = DEDUCE_KINDS.get(annotation.tag)
            if kind is None:
                continue
            start, end = self.trim(text, annotation.start_char, annotation.end_char)
            if start < end and self.keep(text, start, end, kind):
                found.append(Finding(start, end, kind))
        found.extend(self.related_names(text))
        return found

    def keep(self, text: str, start: int, end: int, kind: Kind) -> bool:
        """Whether a deduce finding is private, by its context."""
        if in_public_body(text, start, end) or in_public_figure(text, start, end):
            return False
        if text[start:end].lower() in word_set("not_a_name"):
            return False
        # "Juf Roos" (a television character) takes its relation word along: not a relation.
        if any(s < start and e >= end for s, e in spans(text).not_names):
            return False
        if kind is Kind.PERSON and self.from_a_story(text, end):
            return False
        if re.match(r"-[a-z]", text[end : end + 2]):
            return False  # "Ted-talk", "Gordon-methode": part of a compound noun
        if kind is Kind.PERSON and related(text, start, end):
            return True
        if in_not_name(text, start, end):
            return False
        if kind is Kind.PERSON:
            if " " not in text[start:end] and self.imperative(text, start, end):
                return False
            if " " not in text[start:end] and THING_RE.search(sentence_around(text, start, end)[0]):
                return False  # "Jade is een edelsteen", "zijn knuffel, Beer": a word, no child
            if self.a_public_figures_work(text, start):
                return False
            return not self.is_public_figure(text, start, end)
        if kind is Kind.PLACE:
            return self.keep_place(text, start, end)
        return True

    def keep_place(self, text: str, start: int, end: int) -> bool:
        """A place in a sentence about a public figure is part of their story, not a family's;
        a place right after a public body is its region ("GGD Gelderland-Zuid")."""
        if any(e in (start - 1, start) for _s, e in spans(text).public_bodies):
            return False
        sentence, offset = sentence_around(text, start, end)
        for match in CAPITALISED_PAIR_RE.finditer(sentence):
            first, begin, finish = (
                match.group(0).split()[0],
                offset + match.start(),
                offset + match.end(),
            )
            if begin == start or first.lower() in word_set("not_a_name"):
                continue
            if " " not in match.group(0) and first.lower() in self.ordinary:
                continue
            if in_public_figure(text, begin, finish) or (
                " " in match.group(0) and self.is_public_figure(text, begin, finish)
            ):
                return False
        return True

    def a_public_figures_work(self, text: str, start: int) -> bool:
        """ "Jan Terlouw schreef Koning van Katoren": a title, not a child called Katoren."""
        _sentence, offset = sentence_around(text, start, start)
        before = text[offset:start]
        if not WORK_BEFORE_RE.search(before):
            return False
        return any(offset <= s and e <= start for s, e in spans(text).public_figures)

    def from_a_story(self, text: str, end: int) -> bool:
        after = FROM_A_STORY_RE.match(text, end)
        return after is not None and any(s == after.end() for s, _e in spans(text).not_names)

    def imperative(self, text: str, start: int, end: int) -> bool:
        return bool(
            SENTENCE_START_RE.search(text[max(0, start - 6) : start])
            and IMPERATIVE_AFTER_RE.match(text, end)
        )

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Drop ordinary words that deduce took for (the start of) a name: "Mooi. Sanne" →
        "Sanne", "Volgens Maria Montessori" → "Maria Montessori"; "Mooi" alone → nothing."""
        while start < end:
            piece = text[start:end]
            if piece.strip(" .,!?:;").lower() in word_set("not_identifying"):
                return start, start
            leading = LEADING_WORD_RE.match(piece)
            if leading is None:
                break
            word = leading.group(1)
            a_name = word.lower() not in self.ordinary or self.in_first_names(word)
            if a_name and word.lower() not in {"van", "volgens", "bij", "met"}:
                break
            start += leading.end()
        while end > start and text[end - 1] in " \t.,;:!?'\"’)*_":
            end -= 1
        while start < end and text[start] in " \t('\"‘*_":
            start += 1
        return start, end

    def related_names(self, text: str) -> list[Finding]:
        """Names that a relation ties to the writer's work, whether deduce knows them or not."""
        found = []
        for regex in (RELATION_OF_RE, TITLE_RE):
            for match in regex.finditer(text):
                start, end = self.name_span(text, match.start("name"), match.end("name"))
                if match.group("name").startswith("van ") and any(
                    s < end and e > start for s, e in spans(text).public_figures
                ):
                    continue  # "het kind van Loris Malaguzzi": a public figure's work
                if start < end and not in_not_name(text, match.start(), end):
                    found.append(Finding(start, end, Kind.PERSON))
        for match in CAPITALISED_NAME_RE.finditer(text):
            word = match.group(0)
            first = word.split("-")[0]
            if word.lower() in word_set("not_a_name") or not (
                self.is_first_name(first) or first.lower() in word_set("names_that_are_words")
            ):
                continue
            if AFTER_RE.match(text, match.end()) and not in_not_name(text, *match.span()):
                found.append(Finding(match.start(), match.end(), Kind.PERSON))
        found.extend(self.names_by_their_form(text))
        for match in LOWERCASE_NAME_RE.finditer(text):
            if self.is_first_name(match.group("name")):
                found.append(Finding(match.start("name"), match.end("name"), Kind.PERSON))
        return found

    def names_by_their_form(self, text: str) -> list[Finding]:
        """ "Sara-Lynn" (two first names), "Loetje (3)" (a name with an age), "Storm heeft …
        en zijn moeder" (a name that is a word, doing something, with a parent)."""
        found = []
        for match in CAPITALISED_NAME_RE.finditer(text):
            word, (start, end) = match.group(0), match.span()
            parts = word.split("-")
            if word.lower() in word_set("not_a_name") or in_not_name(text, start, end):
                continue
            if in_public_figure(text, start, end) or PUBLIC_BEFORE_RE.search(text[:start][-60:]):
                continue
            double = len(parts) == 2 and all(self.in_first_names(p) for p in parts)
            aged = AGE_AFTER_RE.match(text, end) and word.lower() not in self.ordinary
            acting = (
                parts[0].lower() in word_set("names_that_are_words")
                and SENTENCE_START_RE.search(text[max(0, start - 6) : start])
                and re.match(rf"[ \t]+(?:{PERSON_VERBS})\b", text[end:])
                and PARENT_LATER_RE.search(sentence_around(text, start, end)[0])
            )
            if double or aged or acting:
                found.append(Finding(start, end, Kind.PERSON))
        return found

    def name_span(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The name itself: capitalised words, or one lowercase word that is a first name."""
        words = list(re.finditer(r"[\w'’-]+", text[start:end]))
        if not words:
            return start, start
        first = words[0].group(0)
        if first == "van" and len(words) == 2 and self.in_first_names(words[1].group(0)):
            # "de moeder van Daan": "van" is not part of the name here
            return self.name_span(text, start + words[1].start(), end)
        if first in {"de", "van", "el", "al"} and len(words) > 1:
            pass  # "Fam. de Vries", "El Amrani"
        elif first[0].islower():
            if not self.is_first_name(first):
                return start, start
            return start + words[0].start(), start + words[0].end()  # "daan", alone
        elif first.lower() in word_set("not_a_name") or first.lower() in word_set(
            "not_identifying"
        ):
            return start, start
        while len(words) > 1 and not words[-1].group(0)[0].isupper():
            words.pop()
        if not words[-1].group(0)[0].isupper():
            return start, start  # "een peuter van een jaar": particles without a name
        return start + words[0].start(), start + words[-1].end()

    def is_public_figure(self, text: str, start: int, end: int) -> bool:
        if in_public_figure(text, start, end):
            return True
        role = ROLE_AT_START_RE.match(text, start, end)
        if role and role.end() < end:
            return True  # "Burgemeester Halsema", deduce's span took the role along
        if PUBLIC_BEFORE_RE.search(text[max(0, start - 60) : start]):
            return True
        words = text[start:end].split()
        full_name = len(words) >= 2 and not self.is_first_name(words[-1])
        surname_only = len(words) == 1 and not self.in_first_names(words[0])
        if (full_name or surname_only) and PUBLIC_AFTER_RE.match(text[end : end + 60]):
            return True
        if full_name:
            sentence, _offset = sentence_around(text, start, end)
            return bool(PUBLIC_TOPIC_RE.search(sentence)) and not WORK_TIE_RE.search(sentence)
        return False


ROLE_AT_START_RE = re.compile(
    r"(?i:koning|koningin|prins|prinses|minister|staatssecretaris|premier|burgemeester|"
    r"wethouder|professor|prof\.|dr\.|hoogleraar|psycholoog|pedagoog|schrijver|schrijfster|"
    r"auteur|presentator|presentatrice)[ \t]+"
)
# "Elsa en Anna uit Frozen": characters of a story named right after them.
FROM_A_STORY_RE = re.compile(
    r"(?:[ \t]+en[ \t]+[A-ZÀ-Ý][\w'’-]+)?[ \t]+(?:uit|van|in)[ \t]+(?:de[ \t]+|het[ \t]+)?"
)
WORK_BEFORE_RE = re.compile(
    r"(?i:\b(?:schreef|schrijft|geschreven|bedacht|tekende|maakte|boek|boeken|film|serie|"
    r"(?:voor)?lezen[ \t]+uit|las[ \t]+uit|lees[ \t]+uit))[ \t]+(?:[\w'’]+[ \t]+){0,3}$"
)
CAPITALISED_PAIR_RE = re.compile(
    r"\b[A-ZÀ-Ý][\w'’-]+(?:[ \t]+(?:van|de|der)?[ \t]*[A-ZÀ-Ý][\w'’-]+)*"
)
# A sentence about things, animals and themes: a name-like word in it is the thing itself.
THING_RE = re.compile(
    r"(?i:\b\w*(?:bloem|bloemen|steen|stenen|vogel|vogels|knuffel|knuffels|dier|dieren|thema|"
    r"mandje|nestkast|plant|planten|mineralen)\b)"
)
AGE_AFTER_RE = re.compile(r"[ \t]*\([ \t]*\d{1,2}[ \t]*(?:jaar|jr\.?|mnd)?[ \t]*[),]")
PARENT_LATER_RE = re.compile(rf"(?i:\b(?:zijn|haar|z'n|d'r)[ \t]+(?:{RELATIVES})\b)")
LEADING_WORD_RE = re.compile(r"^(\w+)[.,!?:;]*\s+")


def related(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    if re.search(rf"\b(?i:{TITLES})[ \t]*,?[ \t]+$", before):
        return True
    if re.search(rf"\b(?i:{RELATIVES})[ \t]+van[ \t]+$", before):
        return True
    return AFTER_RE.match(text, end) is not None


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    left = max((m.end() for m in SENTENCE_END_RE.finditer(text, 0, start)), default=0)
    right = SENTENCE_END_RE.search(text, end)
    return text[left : right.start() if right else len(text)], left


def in_not_name(text: str, start: int, end: int) -> bool:
    """Inside a capitalised ordinary phrase ("Dikkie Dik", "Kanjertraining", "Juf Roos")."""
    return Spans.covers(spans(text).not_names, start, end)


def in_public_body(text: str, start: int, end: int) -> bool:
    return Spans.covers(spans(text).public_bodies, start, end)


def in_public_figure(text: str, start: int, end: int) -> bool:
    return Spans.covers(spans(text).public_figures, start, end)
