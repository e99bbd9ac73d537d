"""Rules of our own for what the libraries do not know: neighbourhoods, addresses, dates of birth
(also derivable ones) and an exact age with a class. Institutions: ``privacy_institutions``.

Each rule returns findings whose span is exactly the identifying words; a date with no person
attached (a studiedag, a deadline, "per 1 januari", a cohort "geboren tussen …") never matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from forum.privacy_institutions import institutions, named_without_a_cue
from forum.privacy_kinds import Finding, Kind
from forum.privacy_lists import lists, word_set

PEOPLE = (
    r"vader|moeder|ouders?|gezin|familie|jongen|jongetje|meisje|kind|kindje|kinderen|"
    r"leerling|leerlingen|broertje|zusje|oma|opa|tante|oom|buurman|buurvrouw|mensen|"
    r"families|gezinnen"
)
_PLACE_SUFFIX = (
    r"(?:wijk|buurt|dorp|veld|eiland|hoven|recht|dam|drecht|meer|zijl|horst|haven|berg|zand|"
    r"wold|hout|broek|kerk|kapelle|huizen|hoek|oord|stad|sluis|burg|land|kade|poort|park|"
    r"plein|vliet|waard|lo|loo|heim|heuvel|hof|mond|naarde|ende|ijk|rode|umer|um|zeel)"
)
PLACE_AFTER_CUE_RE = re.compile(
    rf"\b(?:(?i:woont|wonen|woonde|woonden|verhuisd|verhuizen|vertrokken|komt|komen)"
    rf"(?:[ \t]+\w+){{0,3}}?[ \t]+(?i:in|naar|uit|op|bij|van|vanuit)"
    rf"|(?i:uit|in)(?:[ \t]+(?i:de|het))?(?=[ \t]+[A-Z][a-z]+{_PLACE_SUFFIX}\b)"
    rf"|(?i:wijk|buurt|dorp|stadsdeel|azc|woonwagenkamp|camping)(?:[ \t]+(?i:in|van))?"
    rf"|\b(?i:{PEOPLE})[ \t]+(?i:uit|in|vanuit))"
    rf"[ \t]+(?:(?i:de|het)[ \t]+)?(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)"
)
# "(Kraaiennest)" right after a place: its neighbourhood.
PLACE_IN_BRACKETS_RE = re.compile(r"\((?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+)?)\)")
# "Zwolle-Zuid", "Amsterdam-Noord", "Lelystad-Haven", "Venlo-Blerick": a town and its part.
TOWN_PART_RE = re.compile(r"\b[A-Z][a-z]+-(?:[A-Z][a-z]+)\b")

# --- addresses ------------------------------------------------------------------------------

POSTCODE_RE = re.compile(r"\b[1-9]\d{3}(?:[ \t]?(?!SA|SD|SS)[A-Z]{2}|[a-z]{2}|[ \t][a-z]{2})\b")
STREET_SUFFIX = (
    r"(?:straat|weg|laan|plein|singel|gracht|kade|dijk|hof|pad|dreef|steeg|park|baan|ring|"
    r"erf|markt|wal|burgwal|plantsoen|boulevard|allee|gaarde|kamp|donk|zoom|wetering|vliet|"
    r"straatweg|dwarsstraat|hoven|veld|akker|weide|roos|horst|pleintje|wijk|haven)"
)
STREET_RE = re.compile(
    # Particles only after a capitalised word or a title: "burgemeester van der Veldestraat 62",
    # "Van Speijkstraat 22", never "de Dorpsstraat 12a" with its article.
    rf"\b(?:(?:[A-Z][\w'’-]*|burgemeester|dokter|prins|prinses|koning|koningin|graaf|sint|"
    rf"lange|korte|oude|nieuwe)[ \t]+(?:(?:van|de|der|den|het)[ \t]+)*){{0,3}}"
    rf"[A-Za-z][\w'’-]*{STREET_SUFFIX}[ \t]+\d{{1,4}}(?:[ \t]?[a-zA-Z]\b|-[IVX]+\b|-\d{{1,3}}\b)?"
    r"(?:[ \t]+(?:huis|hs|bis)\b)?"
)
HOUSE_NUMBER_RE = re.compile(r"\b(?i:huisnummer)[ \t]+\d{1,4}[a-zA-Z]?\b")

# --- dates of birth ---------------------------------------------------------------------------

MONTHS = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
)
_DAY_MONTH = rf"\d{{1,2}}(?:e|ste|de)?[ \t]+{MONTHS}"
NUMERIC_DATE = (
    r"\d{1,2}[-/.]\d{1,2}[-/.](?:(?:19|20)?\d{2}|'\d{2})|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}"
)
# "geboortedatum 20200612": an export's yyyymmdd, only after a birth cue.
_COMPACT_DATE = r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b"
HOLIDAYS = (
    r"(?i:koningsdag|(?:eerste[ \t]+|tweede[ \t]+)?(?:kerstdag|paasdag)|oudejaarsdag|"
    r"nieuwjaarsdag|valentijnsdag|bevrijdingsdag|sinterklaas|pakjesavond|pasen)"
)
DATE = rf"(?:{NUMERIC_DATE}|{_DAY_MONTH}(?:[ \t]+(?:19|20)\d{{2}})?|\d{{1,2}}/\d{{1,2}})"
# "geboren op eenentwintig april 2020": a day written out, only after a birth cue.
_DAY_WORD = (
    r"(?i:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:twintig|dertig)|een|twee|"
    r"drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\w+tien|twintig|dertig)(?:ste|de)?"
)
_YEAR = r"(?:[ \t]+(?:19|20)\d{2})?"
BIRTH_DATE = rf"(?:{DATE}|{_DAY_WORD}[ \t]+{MONTHS}{_YEAR}|{_COMPACT_DATE}|{HOLIDAYS}{_YEAR})"
FULL_DATE = rf"(?:{NUMERIC_DATE}|{_DAY_MONTH}[ \t]+(?:19|20)\d{{2}})"
BIRTH_CUE = (
    r"geboren|geb\.?[ \t]*dat\.?|geb\.?[ \t]*datum|geboortedatum|geboortedag|geb\.|geb|"
    r"d\.?o\.?b\.?|born|birthday|"
    r"date of birth|verjaardag|jarig"
)
BIRTH_RE = re.compile(
    rf"(?:\b(?i:{BIRTH_CUE})(?:[ \t]+(?!\d)[\w'’]+){{0,5}}?"
    rf"(?:[ \t]*(?i:is|was|van|op|heeft|:|\(|-|,))*|°)"
    rf"[ \t]*(?P<date>{BIRTH_DATE})",
)
# Cohorts and documents: "kinderen geboren tussen 1 oktober en 31 december", "geboren na 1 mei".
COHORT_RE = re.compile(r"(?i:geboren|jarig)[ \t]+(?i:tussen|na|voor|vóór|vanaf|tot|in de)\b")
# "kinderen geboren in 2019 gaan …": a cohort, many children.
COHORT_BEFORE_RE = re.compile(
    r"\b(?i:kinderen|leerlingen|peuters|kleuters|baby's|jongens|meisjes|alle|die)[ \t]+$"
)
# "de tweeling is van 8 augustus 2019", "zijn broertje van 2 januari 2018", "(12.12.2012)".
PERSON_NOUNS = (
    r"kind|kindje|kindjes|meisje|jongen|jongetje|leerling|leerlinge|tweeling|kleine|oudste|"
    r"jongste|middelste|broer|broertje|zus|zusje|peuter|kleuter|baby|zoon|dochter|hij|ze|zij|"
    r"pleegkind|pleegkindje|gastkind|dreumes|puber"
)
PERSON_DATE_RE = re.compile(
    rf"\b(?i:{PERSON_NOUNS})\b(?:[ \t]+(?i:is|was))?[ \t]+(?i:van)[ \t]+(?P<date>{FULL_DATE})"
    rf"|\b(?i:{PERSON_NOUNS})[ \t]*\([ \t]*(?P<paren>{FULL_DATE})[ \t]*\)"
)
# Derivable: "is op 14 mei jarig", "wordt op 3 maart 5", "werd afgelopen dinsdag 5", "wordt
# morgen 4", "is gisteren 10 geworden", "(21 juni) wordt ze 7".
DAY_REF = (
    r"(?:morgen|overmorgen|vandaag|gisteren|eergisteren|vannacht|binnenkort|straks|"
    r"over[ \t]+(?:een|twee|drie|vier|\d{1,2})[ \t]+(?:dag|dagen|week|weken|maand|maanden)|"
    rf"(?:in|eind|begin|half|medio)[ \t]+{MONTHS}|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"(?:afgelopen|vorige|komende|volgende|deze|aanstaande|a\.s\.)[ \t]+(?:week[ \t]+)?"
    r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|week|weekend|maand)"
    r"(?:[ \t]+(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag))?)"
)
_NOT_A_UNIT = (
    r"(?![.,:]\d|[ \t]*(?:uur|u\b|keer|minuten|min\b|euro|kinderen|leerlingen|ouders|%|procent|"
    r"dagen|weken|maanden))"
)
DAY_OR_DATE = rf"(?:{DAY_REF}|op[ \t]+{DATE})"
DERIVED_RE = re.compile(
    # A birthday with an age, or on a date; "is volgende week jarig" alone gives no birth date.
    rf"(?i:\b(?:wordt|werd|is|ben|was)[ \t]+(?:hij|ze|zij)?[ \t]*(?P<day>{DAY_OR_DATE})[ \t]+"
    rf"(?:(?:precies|al|pas)[ \t]+)?\d{{1,2}}\b{_NOT_A_UNIT}(?:[ \t]+jaar)?(?:[ \t]+geworden)?)"
    rf"|(?i:\bis[ \t]+(?:hij|ze|zij)?[ \t]*op[ \t]+(?P<day0>{DATE})[ \t]+jarig)"
    rf"|(?i:\b(?P<day2>{DAY_REF})[ \t]+(?:\([^)]{{0,20}}\)[ \t]+)?(?:werd|wordt)[ \t]+"
    rf"(?:hij|ze|zij|onze[ \t]+\w+|het[ \t]+kind|de[ \t]+\w+)[ \t]+\d{{1,2}}\b{_NOT_A_UNIT})"
    rf"|(?i:\((?P<day3>{DATE})\)[ \t]+(?:wordt|werd)[ \t]+(?:hij|ze|zij)[ \t]+\d{{1,2}}\b)"
    rf"|(?i:\b(?:hij|ze|zij|het[ \t]+kind)[ \t]+(?:is|werd)[ \t]+(?P<day4>{DAY_REF})[ \t]+"
    rf"(?:precies[ \t]+)?\d{{1,2}}(?:[ \t]+jaar)?[ \t]+geworden)"
    rf"|(?i:(?:\bop[ \t]+)?(?P<day9>{FULL_DATE})[ \t]+(?:(?:is|werd|ben)[ \t]+)?geboren)"
    rf"|(?i:(?P<day10>{FULL_DATE})[ \t]+(?:\w+[ \t]+){{0,2}}(?:als[ \t]+)?"
    rf"(?:geboortedatum|geb\.?[ \t]*datum))"
    rf"|(?i:\bjarig[ \t]+op[ \t]+(?P<day5>{DATE})|\bop[ \t]+(?P<day6>{DATE})[ \t]+jarig)"
    rf"|(?i:\bverjaardag[ \t]+(?:\w+[ \t]+){{0,2}}op[ \t]+(?P<day7>{DATE}))"
    # "ze is 4 geworden op 11 november", "is ze 6 geworden, op 1 mei", "13 maart jarig, dan 5"
    rf"|(?i:\b\d{{1,2}}[ \t]+(?:jaar[ \t]+)?geworden,?[ \t]+op[ \t]+(?P<day11>{DATE}))"
    rf"|(?i:(?<!\bop[ \t])\b(?P<day12>{_DAY_MONTH})[ \t]+jarig\b,?[ \t]+(?:en[ \t]+)?"
    rf"(?:dan|wordt|werd)\b)"
    rf"|(?i:\bgeboren[ \t]+op[ \t]+de[ \t]+(?P<day8>(?:eerste|tweede)[ \t]+\w+dag"
    rf"(?:[ \t]+(?:19|20)\d{{2}})?))"
)
BIRTH_YEAR_RE = re.compile(
    r"\b(?i:in)[ \t]+(?:(?i:januari|februari|maart|april|mei|juni|juli|augustus|september|"
    r"oktober|november|december)[ \t]+)?(?:19|20)\d{2}[ \t]+(?:(?i:is|werd)[ \t]+)?"
    r"(?i:geboren)\b|\b(?i:geboren)[ \t]+(?i:in)[ \t]+"
    r"(?:(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december)[ \t]+)?(?:19|20)\d{2}\b"
)

# --- an exact age with a class or group -------------------------------------------------------

_N = r"\d{1,2}"
_NUMBER_WORDS = (
    r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|"
    r"zestien|zeventien|achttien"
)
_CHILD = (
    r"jongens|meisjes|jongen|jongetje|meisje|meid|meidje|knul|kind|kindje|leerling|leerlinge|peuter|kleuter|"
    r"baby|dreumes|puber|tiener|zoon|dochter|broer|broertje|zus|zusje|neef|neefje|nicht|"
    r"nichtje|pleegkind|gastkind|nieuwkomer|mentorleerling|jongere|cliënt|oudste|jongste"
)
_NOT_AN_AGE_UNIT = (
    r"(?![ \t]*(?:tot|t/m|-|à|of|en[ \t]+\d|kinderen|leerlingen|euro|minuten|min|uur|procent|%|"
    r"keer|dagen|weken|meter|km|kilo|punten))"
)
AGE = (
    rf"\([ \t]*{_N}(?:[ \t]*(?:jaar|jr\.?))?[ \t]*(?:\)|,)"
    rf"|\b{_N}-jarige?\b|\b(?i:{_NUMBER_WORDS})jarige?\b|\b{_N}[ \t]*jr\b\.?"
    rf"|(?<=,)[ \t]*{_N}(?=[ \t]*,)"
    rf"|\b(?:{_CHILD})[ \t]+van[ \t]+{_N}\b{_NOT_AN_AGE_UNIT}(?:[ \t]+(?:jaar|maanden|mnd))?"
    rf"(?:[ \t]+en[ \t]+\d{{1,2}}[ \t]+(?:maanden|mnd))?"
    rf"|(?<=[,(])[ \t]*{_N}[ \t]+jaar(?:[ \t]+en[ \t]+\d{{1,2}}[ \t]+(?:maanden|mnd))?\b"
    # "het jongetje is 5 en zit in groep 2", "zij is pas 3", "is 4 jaar en 2 maanden"
    rf"|\b(?:is|wordt|werd)[ \t]+(?:(?:pas|al|net|bijna|ruim|nog[ \t]+maar)[ \t]+)?{_N}"
    rf"(?:[ \t]+jaar(?:[ \t]+oud)?(?:[ \t]+en[ \t]+\d{{1,2}}[ \t]+(?:maanden|mnd))?\b"
    rf"|(?=[ \t]*(?:en\b|,|\.|\)|$)))"
)
GROUP = (
    r"\b(?:groep|gr\.?|klas|leerjaar|jaargroep|combinatiegroep)[ \t]*\d(?:[a-c]|[-/]\d(?:/\d)?)?\b"
    r"|\b\d[ \t]*(?:havo|vwo|mavo|vmbo(?:-[a-z]+)?|gym|atheneum|tl|kader|basis)\b"
    r"|\b(?:brugklas|kleuterklas|kleuters|peuters|peutergroep|babygroep|verticale[ \t]+groep|"
    r"dreumesgroep|"
    r"mentorklas|(?:eerste|tweede|derde|vierde|vijfde|zesde)[ \t]+klas)\b"
    r"|\bgroep[ \t]+(?:de[ \t]+)?[A-Z]\w+|\b[A-Z][a-zà-ÿ]+groep\b"
)
AGE_THEN_GROUP_RE = re.compile(rf"(?P<age>{AGE})(?P<gap>[^.!?]{{0,45}}?)(?P<group>{GROUP})")
GROUP_THEN_AGE_RE = re.compile(rf"(?P<group>{GROUP})(?P<gap>[^.!?]{{0,30}}?)(?P<age>{AGE})")


def _spans(
    regex: re.Pattern[str], text: str, kind: Kind, group: str | int = 0
) -> Iterator[Finding]:
    for match in regex.finditer(text):
        if match.group(group) is not None:
            yield Finding(match.start(group), match.end(group), kind)


def places(text: str) -> Iterator[Finding]:
    not_names = lists().not_names
    for match in PLACE_AFTER_CUE_RE.finditer(text):
        name = match.group("name")
        first = name.split()[0]
        if (
            first.lower() in word_set("not_a_name")
            or not_names.fullmatch(name)
            or not_names.fullmatch(first)
        ):
            continue
        yield Finding(match.start("name"), match.end("name"), Kind.PLACE)
        after = PLACE_IN_BRACKETS_RE.match(text, match.end("name") + 1)
        if after and text[match.end("name") : match.end("name") + 1] == " ":
            yield Finding(after.start("name"), after.end("name"), Kind.PLACE)
    for match in TOWN_PART_RE.finditer(text):
        if match.group(0).split("-")[1].lower() in word_set("compass"):
            yield Finding(match.start(), match.end(), Kind.PLACE)


def addresses(text: str) -> Iterator[Finding]:
    for match in POSTCODE_RE.finditer(text):
        letters = match.group(0)[-2:]
        if letters.lower() in word_set("two_letter_words") and not letters.isupper():
            continue
        yield Finding(match.start(), match.end(), Kind.ADDRESS)
    yield from _spans(STREET_RE, text, Kind.ADDRESS)
    yield from _spans(HOUSE_NUMBER_RE, text, Kind.ADDRESS)


def birth_dates(text: str) -> Iterator[Finding]:
    for match in BIRTH_RE.finditer(text):
        if COHORT_RE.match(text, match.start()):
            continue
        if COHORT_BEFORE_RE.search(text, max(0, match.start() - 30), match.start()):
            continue
        yield Finding(match.start("date"), match.end("date"), Kind.BIRTH_DATE)
    for match in PERSON_DATE_RE.finditer(text):
        group = "date" if match.group("date") else "paren"
        yield Finding(match.start(group), match.end(group), Kind.BIRTH_DATE)
    for match in DERIVED_RE.finditer(text):
        # The whole "wordt op 3 maart 5": the date alone does not show it is a birthday.
        yield Finding(*_tidy(text, match.start(), match.end()), Kind.BIRTH_DATE)
    for match in BIRTH_YEAR_RE.finditer(text):
        if not COHORT_BEFORE_RE.search(text, max(0, match.start() - 30), match.start()):
            yield Finding(match.start(), match.end(), Kind.BIRTH_DATE)


def age_groups(text: str) -> Iterator[Finding]:
    for regex in (AGE_THEN_GROUP_RE, GROUP_THEN_AGE_RE):
        for match in regex.finditer(text):
            if "\n\n" in match.group("gap"):
                continue
            start = min(match.start("age"), match.start("group"))
            end = max(match.end("age"), match.end("group"))
            start, end = _tidy(text, start, end)
            yield Finding(start, end, Kind.AGE_GROUP)


def _tidy(text: str, start: int, end: int) -> tuple[int, int]:
    """No space, comma or stray bracket at the edges; "(7) uit groep 4" keeps its pair."""
    while start < end and text[start] in " \t,":
        start += 1
    while end > start and text[end - 1] in " \t,.":
        end -= 1
    piece = text[start:end]
    if piece.startswith("(") and ")" not in piece:
        start += 1
    elif piece.endswith(")") and "(" not in piece:
        end -= 1
    elif piece.count("(") > piece.count(")") and text[end : end + 1] == ")":
        end += 1
    return start, end


def rules(text: str) -> list[Finding]:
    return [
        *institutions(text),
        *named_without_a_cue(text),
        *places(text),
        *addresses(text),
        *birth_dates(text),
        *age_groups(text),
    ]
