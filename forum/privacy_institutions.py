"""Named schools, daycare, clubs and care providers: with a cue word ("obs De Regenboog"), a
chain with its location ("Partou Dennenlaan"), or a proper name where the sentence is about work,
school or care ("ik werk op De Wereldwijzer"). Split from ``privacy_rules`` to keep both short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from forum.privacy_kinds import Finding, Kind
from forum.privacy_lists import lists, spans, word_set

# --- named places of work and play -----------------------------------------------------------

INSTITUTION_WORDS = (
    r"basisschool|vrije school|vrijeschool|montessorischool|daltonschool|jenaplanschool|"
    r"kinderopvang|kinderdagverblijf|school|obs|cbs|pcbs|rkbs|kbs|sbo|so|vso|ikc|kindcentrum|"
    r"kdv|bso|buitenschoolse opvang|peuterspeelzaal|peuteropvang|voorschool|gastouderbureau|"
    r"college|lyceum|gymnasium|scholengemeenschap|mavo|roc|buurthuis|jongerencentrum|"
    r"wijkcentrum|speeltuin|sportvereniging|vereniging|voetbalclub|hockeyclub|zwemclub|"
    r"tennisclub|judoclub|turnvereniging|korfbalvereniging|muziekschool|dansschool|scouting|"
    r"schaakclub|club|kerk|moskee|jeugdzorgaanbieder|zorgaanbieder|zorginstelling|"
    r"locatie|vestiging|stichting|vv|sv|hc|kv|rkvv|zaalvoetbalclub|kc|psz|csg|rsg|osg|"
    r"buurtteam|wijkteam|jeugdteam|logeerhuis|\w*vereniging|\w+club|\w+opvang"
)
# Places of one chain, told apart by a location word: "Partou Dennenlaan", "Smallsteps Het
# Zonnetje"; the chain alone names thousands of places and passes.
CHAINS = (
    r"(?i:partou|smallsteps|kindergarden|kids[ \t]+first|(?:kinderopvang[ \t]+)?humanitas|"
    r"kinderrijk|skon|sinne|wasko|spring|compananny|ska|kibeo|norlandia|"
    r"(?:kinderopvang[ \t]+)?2samen|doomijn|quadrant|samenwerkende[ \t]+kinderopvang)"
)
CHAIN_RE = re.compile(
    rf"\b{CHAINS}"
    r"[ \t]+(?:(?i:de|het|'t)[ \t]+)?(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)"
)
# A proper name with an article where the sentence is about school, childcare or care: "ik
# werk op De Wereldwijzer, groep 6", "bij 'De Kameleon'", "De Piramide en de Zonnewijzer
# fuseren", "naar het CLZ".
_OPEN_QUOTE = r"(?:[\"'‘“][ \t]?)?"
ARTICLE_NAME_RE = re.compile(
    rf"(?:\b(?i:op|bij|naar|van|met|aan|en)|,|^|[.!?>\n])[ \t]*{_OPEN_QUOTE}"
    rf"(?P<name>(?i:de|het|'t)[ \t]+(?:[A-Z][a-z]{{0,3}}\.[ \t]+)?[A-Z][\w'’-]+"
    rf"(?:[ \t]+[A-Z][\w'’-]+)?)",
    re.MULTILINE,
)
# "zat eerst bij Pippeloentje … voorschoolse opvang": a bare name in a sentence about childcare.
BARE_NAME_RE = re.compile(
    r"\b(?i:bij|naar)[ \t]+(?P<name>[A-Z][a-z][\w'’-]+(?:[ \t]+en[ \t]+[A-Z][\w'’-]+)?)\b"
)
DAYCARE_CONTEXT_RE = re.compile(
    r"(?i:\b(?:\w*opvang|kdv|bso|peutergroep|peuterspeelzaal|psz|voorschool|gastouder)\b)"
)
_ARTICLE_FIRST_RE = re.compile(r"(?i:de|het|'t)[ \t]+")
INSTITUTION_CONTEXT_RE = re.compile(
    r"(?i:\b(?:werk|werkt|werkte|werken|stage|stagekind|school|scholen|opvang|\w+opvang|kdv|bso|"
    r"locatie|juf|meester|groep|klas|leerlingen?|kinderen|ouders|directeur|directie|mentor|team|"
    r"collega's|collega|ingeschreven|wachtlijst|peutergroep|overblijf|fuseren|samenwerken|"
    r"gebouw|plein|dagbehandeling|behandeling|jeugdzorg|zorgvraag|doorverwezen|afgewezen|"
    r"oudercontact|ouderportaal|rapportgesprekken|kindgesprekken|zit|zat|zitten|gaat|ging|"
    r"zat|vorige|oud-leerling)\b)"
)
# A proper name of up to five words, with Dutch particles inside ("Jan van Hoof Groep").
_CAP = r"(?:[A-Z0-9À-Ý][\w'’.&-]*|'t|’t)"
_PARTICLES = r"(?:van|de|der|den|het|la|le|al|el|op|aan|in|&|en)"
PROPER_NAME = rf"{_CAP}(?:[ \t]+(?:{_PARTICLES}[ \t]+)*{_CAP}){{0,4}}"
INSTITUTION_RE = re.compile(
    rf"\b(?i:{INSTITUTION_WORDS})"
    rf"(?:[ \t]+(?:\(|‘|'|\"|“)?|[ \t]*,[ \t]+(?=(?i:de|het|'t)[ \t]+[A-Z]))"
    rf"(?P<name>(?:(?i:de|het)[ \t]+)?{PROPER_NAME})"
)
# "bij de Triangel, een basisschool in het noorden": a name, then what kind of place it is.
APPOSITION_RE = re.compile(
    rf"\b(?i:de|het|'t)[ \t]+(?P<name>{PROPER_NAME})[ \t]*,[ \t]+(?i:een|onze|mijn|de)[ \t]+"
    rf"(?:\w+[ \t]+)?(?i:{INSTITUTION_WORDS})\b"
)
# "de Kees Boekeschool", "de Al Ummah basisschool", "het Stedelijk Lyceum", "Dr. Nassau College".
NAMED_SCHOOL_RE = re.compile(
    rf"\b(?:{_CAP}[ \t]+){{1,3}}(?:[a-z]*school|basisschool|College|Lyceum|Gymnasium)\b"
    rf"(?:[ \t]+{_CAP})?|\b[A-Z][a-z]+\.?[ \t]+[A-Z][a-z]+school\b"
    # "de Rehobothschool": one word, unless it only says the kind ("de Jenaplanschool")
    r"|(?<=\b[dD]e[ \t])[A-Z][a-zà-ÿ]+school\b"
)


def institutions(text: str) -> Iterator[Finding]:
    not_names = lists().not_names
    bodies = lists().public_bodies
    for match in INSTITUTION_RE.finditer(text):
        name = match.group("name").rstrip(".,;:'’&-")
        words = [w for w in re.split(r"[ \t]+", name) if w.lower() not in word_set("not_a_name")]
        # "peuteropvang De Rupsjes" names the place, though "de Rupsjes" alone is a group.
        kind_of_place = match.group(0)[: match.start("name") - match.start()].strip(" \t('\"‘“")
        # "peuteropvang Pinkeltje" names the place, though "Pinkeltje" alone is a book.
        generic = (
            not_names.fullmatch(name)
            and not re.match(r"(?i:de|het|'t)\s", name)
            and kind_of_place.lower() not in word_set("daycare_kinds")
        )
        if not words or generic or bodies.fullmatch(name):
            continue
        if words[0][0].isdigit():
            continue  # "groep 5", "school 2024"
        # The span: the kind of place with its name ("kdv Het Kikkertje"), no trailing comma.
        end = match.start("name") + len(name)
        yield Finding(match.start(), end, Kind.INSTITUTION)
    for match in APPOSITION_RE.finditer(text):
        if match.group("name").split()[0].lower() not in word_set("not_a_name"):
            yield Finding(match.start("name"), match.end("name"), Kind.INSTITUTION)
    for match in NAMED_SCHOOL_RE.finditer(text):
        words = match.group(0).split()
        if all(
            word.lower() in word_set("generic_school_words")
            or word.lower() in word_set("not_a_name")
            for word in words
        ):
            continue
        if words[0].lower() in word_set("not_a_name"):
            continue
        yield Finding(match.start(), match.end(), Kind.INSTITUTION)


def named_without_a_cue(text: str) -> Iterator[Finding]:
    """Chains with a location, and article names in a sentence about school or care."""
    for match in CHAIN_RE.finditer(text):
        if match.group("name").split()[0].lower() not in word_set("not_a_name"):
            yield Finding(match.start(), match.end("name"), Kind.INSTITUTION)
    not_names, bodies = lists().not_names, lists().public_bodies
    for match in BARE_NAME_RE.finditer(text):
        name, first = match.group("name"), match.group("name").split()[0].lower()
        if first in word_set("not_a_name") or first in word_set("not_an_institution"):
            continue
        if (
            re.fullmatch(CHAINS, name)  # the chain alone names thousands of places
            or not_names.fullmatch(name)
            or bodies.fullmatch(name)
            or lists().public_figures.fullmatch(name)
        ):
            continue
        if DAYCARE_CONTEXT_RE.search(_sentence_without(text, match.start(), match.end())):
            yield Finding(match.start("name"), match.end("name"), Kind.INSTITUTION)
    for match in ARTICLE_NAME_RE.finditer(text):
        name = match.group("name").rstrip(".,;:'’-")
        bare = _ARTICLE_FIRST_RE.sub("", name, count=1)
        first = bare.split()[0]
        if bare.isupper() and (
            bare.lower() in word_set("kind_acronyms") or not name.lower().startswith("het")
        ):
            continue  # "het CLZ" names a school; "de GVR" is a book, "het KDV" a kind
        if first.lower().rstrip(".") in word_set("not_a_name") or first.lower() in word_set(
            "not_an_institution"
        ):
            continue
        if not_names.fullmatch(name) or not_names.fullmatch(bare) or bodies.fullmatch(bare):
            continue
        if any(
            s <= match.start("name") < e or match.start("name") <= s < match.end("name")
            for s, e in (*spans(text).not_names, *spans(text).public_bodies)
        ):
            continue
        if re.match(r"[ \t]+van[ \t]+[A-Z]", text[match.end() :]):
            continue  # "De Pyramide van Maslow": a work of someone
        sentence = _sentence_without(text, match.start(), match.end())
        if INSTITUTION_CONTEXT_RE.search(sentence):
            start = match.start("name") + len(name) - len(bare)
            yield Finding(start, match.start("name") + len(name), Kind.INSTITUTION)


def _sentence_without(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], without that piece."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n")
    ends = [i for i in (text.find(mark, end) for mark in ".!?\n") if i >= 0]
    return text[left + 1 : start] + " " + text[end : min(ends, default=len(text))]
