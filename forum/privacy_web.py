"""Addresses on the internet: e-mail (plain and spelled out), links (``urlextract``), accounts.

``urlextract`` decides what a link is, with the list of top-level domains it ships; it never
looks anything up (``check_dns`` stays off) and never downloads a newer list (``update`` is
never called). Links to public bodies pass; links to social platforms are accounts.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from forum.privacy_kinds import Finding, Kind
from forum.privacy_lists import is_public_host

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# "naam [at] gmail [punt] com", "j.devries(at)school.nl", "lisa92 @ hotmail . com",
# "marian punt vos at ziggo punt nl": the at and the dots spelled out or spaced.
_AT = (
    r"(?:\s*[\[({<]\s*(?:at|apenstaartje|@)\s*[\])}>]\s*|\s+(?:at|AT|apenstaartje)\s+"
    r"|\s+@\s*|\s*@\s+)"
)
_DOT = r"(?:\s*[\[({<]\s*(?:punt|dot|\.)\s*[\])}>]\s*|\s+(?:punt|dot|DOT)\s+|\s*\.\s*)"
_LOCAL = r"[\w+-]+(?:(?:\.|\s+punt\s+|_)[\w+-]+)*"
SPELLED_EMAIL_RE = re.compile(
    rf"(?<![\w.])({_LOCAL}{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?:com|nl|be|de|net|org|eu|me|pl|"
    rf"fr|uk|info|nu|tr|ma))\b",
)
HANDLE_RE = re.compile(
    r"(?<![\w.@/])@[A-Za-z0-9_][A-Za-z0-9_.-]{1,29}[A-Za-z0-9_]"
    r"|\b(?i:insta(?:gram)?|tiktok|snap(?:chat)?|facebook|twitter|discord|telegram|twitch)"
    r"[ \t]*:[ \t]*[\w.]{2,30}"
)
# A platform's name, then what the person is called there: "Snap: jaydenn2012", "zijn
# Roblox-naam is Ruben_Speedy2014", "gamertag op Xbox is KingMilan2013", "snap mij op tygo.vd".
PLATFORMS = (
    r"insta(?:gram)?|ig|tiktok|snap(?:chat)?|facebook|fb|twitter|x|threads|discord|telegram|"
    r"twitch|youtube|yt|roblox|fortnite|minecraft|xbox|psn|playstation|steam|epic|bluesky|"
    r"pinterest|linkedin|whatsapp|signal|bereal|kick|brawl ?stars|clash|gamertag|gebruikersnaam|"
    r"username|accountnaam|schermnaam|vinted|marktplaats|strava|reddit|tumblr|soundcloud|"
    r"spotify|wattpad|onlyfans|patreon"
)
_LABEL = (
    rf"\b(?i:{PLATFORMS})(?:[-\s]?(?i:naam|name|account|username|gebruikersnaam|id|tag|"
    r"kanaal|profiel))?"
)
_NOT_AN_ACCOUNT = r"(?!(?i:een|de|het|niet|ook|echt|nog|al|heel|dat|die|zo|geen|super|mij|me)\b)"
_ACCOUNT = r"(?P<name>@?[A-Za-z0-9][\w.#-]{2,31})"
# "Snap: jaydenn2012", "snapchat van het meisje uit groep 8: nina_ww"
COLON_ACCOUNT_RE = re.compile(
    rf"{_LABEL}(?:[ \t]+[^\s:.!?]+){{0,8}}?[ \t]*:[ \t]*(?:\"|'|‘|“)?{_NOT_AN_ACCOUNT}{_ACCOUNT}"
)
_CONNECTOR = (
    r"[ \t]+(?i:is|heet|=|als|naar|mij[ \t]+op|me[ \t]+op|met[ \t]+de[ \t]+naam|"
    r"onder[ \t]+de[ \t]+naam)(?:[ \t]+(?i:hij|ze|zij|die))?"
)
NAMED_ACCOUNT_RE = re.compile(
    # "zijn Roblox-naam is Ruben_Speedy2014", "op TikTok staat ze als zoe.danst.2013",
    # "met de naam xX_Marit_Xx", and directly: "Discord-naam Sm0keyBear#4412"
    rf"{_LABEL}(?:(?:[ \t]+(?![\w'’]*\d)[\w'’]+){{0,3}}?{_CONNECTOR})?[ \t]+(?:\"|'|‘|“)?"
    rf"{_NOT_AN_ACCOUNT}(?!(?i:{PLATFORMS})\b){_ACCOUNT}"
)
# A username has a digit, an underscore, a dot or a #, or mixes case inside the word; a plain
# word after "is" ("zijn Roblox-naam is geheim") is not one.
USERNAME_SHAPE_RE = re.compile(r"[\d_.#]|[a-z][A-Z]")
# Without a label, only a strong username shape counts, in a sentence about a platform:
# "op Roblox een groep gemaakt, "Groep7DeLinde"".
STRONG_USERNAME_RE = re.compile(
    r"(?<![\w@./-])(?=[\w#-]*[A-Za-z][\w#-]*[A-Za-z])"
    r"(?:[A-Za-z0-9]+_[\w-]*|[A-Za-z]+\d+[A-Za-z\d]*|\d+[A-Za-z]{2,}[A-Za-z\d_]*|"
    r"[A-Za-z]+[A-Z][a-z]+[A-Z][\w]*|[\w]+#\d{4}|[A-Za-z]+(?:\.[A-Za-z]+)*\.\d+)"
    r"(?![\w@/-]|\.\w)"
)
PLATFORM_RE = re.compile(rf"\b(?i:{PLATFORMS})\b")
SENTENCE_RE = re.compile(r"[^!?\n]+")

SOCIAL_HOSTS = {
    "instagram.com": r"/[\w.]+",
    "instagr.am": r"/[\w.]+",
    "tiktok.com": r"/@[\w.]+",
    "snapchat.com": r"/(?:add|t)/[\w.-]+",
    "facebook.com": r"/(?!(?:share|sharer|events|help|policies)\b)[\w./?=&-]+",
    "fb.com": r"/[\w./?=&-]+",
    "fb.me": r"/[\w.-]+",
    "linkedin.com": r"/(?:in|company|pub)/[\w%-]+",
    "x.com": r"/\w+",
    "twitter.com": r"/\w+",
    "pinterest.com": r"/[\w.-]+",
    "pinterest.nl": r"/[\w.-]+",
    "t.me": r"/[\w+]+",
    "twitch.tv": r"/\w+",
    "youtube.com": r"/(?:@|c/|channel/|user/)[\w.-]+",
    "threads.net": r"/@[\w.]+",
    "bsky.app": r"/profile/[\w.-]+",
    "discord.gg": r"/\w+",
    "roblox.com": r"/(?:users|groups)/\d+",
    "gofundme.com": r"/[\w/-]+",
    "doneeractie.nl": r"/[\w/-]+",
    "whydonate.nl": r"/[\w/-]+",
    "whydonate.com": r"/[\w/-]+",
    "geef.nl": r"/[\w/-]+",
    "tikkie.me": r"/[\w/-]+",
    "kickstarter.com": r"/[\w/-]+",
}
SOCIAL_PATH_RES = {host: re.compile(rf"^{path}") for host, path in SOCIAL_HOSTS.items()}
# Bare names without scheme or www. are links only with these endings: "script.py",
# "gedaan.Nu" and "bijv.de" are not.
BARE_TLDS = {"nl", "be", "com", "org", "net", "eu", "de", "info", "io", "me", "social", "app"}
NOT_HOSTS = {"bijv", "bv", "evt", "enz", "etc", "ca", "o.a", "m.b.t", "i.p.v", "d.w.z", "z.s.m"}
# Candidates for the extractor: runs of non-space text with a dot between word characters.
CANDIDATE_RE = re.compile(r"[^\s<>\"“”‘’]*\w\.[^\W\d_][^\s<>\"“”‘’]*")
TRAILING = ".,;:!?'\")]}*_’”"

_extractor: Any = None  # urlextract.URLExtract, built by load()


def load() -> None:
    """Build the link extractor from the TLD list that ships with ``urlextract``.

    Without a cache directory of its own, urlextract writes a lock file beside its bundled list
    in site-packages, or else in ~/.cache/urlextract or the temp directory. Given an empty
    directory, it reads the bundled list and writes only its lock there; the directory is
    removed again, as nothing needs it after loading (``update()``, which would download, is
    never called). So a read-only site-packages and a missing home directory are fine.
    """
    global _extractor
    from urlextract import URLExtract

    with tempfile.TemporaryDirectory(prefix="dorpsplein-urlextract-") as cache:
        _extractor = URLExtract(
            cache_dir=cache, cache_dns=False, allow_mixed_case_hostname=False, extract_email=False
        )


def emails(text: str) -> Iterator[Finding]:
    for regex in (EMAIL_RE, SPELLED_EMAIL_RE):
        for match in regex.finditer(text):
            start, end = trimmed(text, match.start(), match.end())
            yield Finding(start, end, Kind.EMAIL)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    while start < end and text[start] in "(*_[‘“'\"":
        start += 1
    return start, end


def links(text: str) -> Iterator[Finding]:
    """Links (Kind.URL) and profile links on social platforms (Kind.HANDLE)."""
    if _extractor is None:
        load()
    # The extractor tries its whole TLD list at every dot; handing it only the words that
    # contain a dot keeps a long post fast.
    for candidate in CANDIDATE_RE.finditer(text):
        word = candidate.group(0)
        if "@" in word and "/" not in word:
            continue  # an e-mail address
        probe = re.sub(r"^(?i:www\.|https?://)", lambda m: m.group(0).lower(), word)
        for _url, (start, end) in _extractor.find_urls(probe, get_indices=True):
            start, end = trimmed(text, candidate.start() + start, candidate.start() + end)
            kind = link_kind(text[start:end])
            if kind is not None:
                yield Finding(start, end, kind)


def link_kind(url: str) -> Kind | None:
    explicit = re.match(r"(?i:https?://|www\.)", url) is not None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    if not host or "." not in host:
        return None
    labels = host.split(".")
    if not explicit and not path and (labels[-1] not in BARE_TLDS or labels[0] in NOT_HOSTS):
        return None
    for social, path_re in SOCIAL_PATH_RES.items():
        if host == social or host.endswith("." + social):
            return Kind.HANDLE if path_re.match(path) else None
    if host.endswith(".bsky.social"):
        return Kind.HANDLE
    if is_public_host(host):
        return None
    return Kind.URL


def accounts(text: str) -> Iterator[Finding]:
    for match in HANDLE_RE.finditer(text):
        start, end = trimmed(text, match.start(), match.end())
        if text[start] == "@":  # the labelled form is found below, without its label
            yield Finding(start, end, Kind.HANDLE)
    # The labelled forms only where a platform is named: one cheap search first.
    for sentence in SENTENCE_RE.finditer(text):
        if not PLATFORM_RE.search(sentence.group(0)):
            continue
        begin, finish = sentence.start(), sentence.end()
        for regex in (COLON_ACCOUNT_RE, NAMED_ACCOUNT_RE):
            for match in regex.finditer(text, begin, finish):
                start, end = trimmed(text, match.start("name"), match.end("name"))
                name = text[start:end]
                if len(name) < 3:
                    continue
                if regex is COLON_ACCOUNT_RE or name[0] == "@" or USERNAME_SHAPE_RE.search(name):
                    yield Finding(start, end, Kind.HANDLE)
        for match in STRONG_USERNAME_RE.finditer(text, begin, finish):
            if len(match.group(0)) >= 5:
                yield Finding(match.start(), match.end(), Kind.HANDLE)


def web(text: str) -> list[Finding]:
    return [*emails(text), *links(text), *accounts(text)]
