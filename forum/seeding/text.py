"""Generated Dutch text for the seed: thread titles, Markdown post bodies and names.

Everything comes from a ``random.Random`` the caller passes, so the same seed gives the same
text. Bodies vary from one sentence to several paragraphs with lists, emphasis, links and quotes;
the seed renders a pool of them once (``body_pool``) and reuses it.
"""

from __future__ import annotations

import random

from forum.discussions.checks import Rendered, render

SUBJECTS = [
    "Een collega van mij",
    "De ouders van een leerling",
    "Mijn teamleider",
    "Een kind in mijn groep",
    "De buurtcoach",
    "Een vader bij het hek",
    "Onze intern begeleider",
    "Een moeder op de opvang",
    "Het jongerenwerk",
    "Een stagiaire",
    "De gastouder naast ons",
    "Iemand uit de wijk",
]
VERBS = [
    "vroeg me gisteren",
    "wil graag weten",
    "maakt zich zorgen over",
    "begon opnieuw over",
    "had een goed idee over",
    "twijfelt over",
    "zocht hulp bij",
    "vertelde eerlijk over",
]
OBJECTS = [
    "het oudergesprek van volgende week",
    "ruzie op het schoolplein",
    "de overdracht aan het eind van de dag",
    "pesten in de groepsapp",
    "een kind dat steeds te laat komt",
    "de wachtlijst voor de opvang",
    "het speelveld achter de flat",
    "samenwerking met de wijkagent",
    "een leerling die niet meer praat",
    "de regels rond telefoons",
    "afspraken over het buitenspelen",
    "een lastige mail van ouders",
    "de drukte bij het ophalen",
    "een reünie van oud-leerlingen",
    "het budget voor uitjes",
]
CLOSERS = [
    "Hoe pakken jullie dat aan?",
    "Ik ben benieuwd hoe dat bij jullie gaat.",
    "Wie heeft hier ervaring mee?",
    "Ik weet het echt even niet meer.",
    "Tips zijn welkom.",
    "Dat werkte bij ons verrassend goed.",
    "Achteraf had ik het anders gedaan.",
    "We gaan het na de vakantie opnieuw proberen.",
]
FILLERS = [
    "Bij ons op school is dat al jaren een punt van gesprek.",
    "We hebben het in het team besproken, maar er kwam weinig uit.",
    "Eerlijk gezegd vond ik het lastig om er iets van te zeggen.",
    "De kinderen merken het ook, dat zie je aan hun gedrag.",
    "In de wijk speelt dit al langer, iedereen kent het wel.",
    "Ouders reageren heel verschillend, de een boos en de ander opgelucht.",
    "Het kost veel tijd, en die tijd is er eigenlijk niet.",
    "Gelukkig denkt mijn collega mee en staan we er niet alleen voor.",
    "Soms helpt het om eerst gewoon te luisteren.",
    "Een vaste plek en een vast moment maken het voor iedereen rustiger.",
    "We schrijven nu kort op wat er gebeurt, dan kunnen we het later terugzien.",
    "De gemeente heeft er een folder over, maar die leest bijna niemand.",
]
TIPS = [
    "maak vooraf een korte lijst met vragen",
    "spreek af wie het gesprek leidt",
    "vraag de ouders wat zij zelf zien",
    "kijk samen naar een oplossing voor deze week",
    "plan een tweede gesprek na twee weken",
    "betrek de intern begeleider op tijd",
    "houd het klein en concreet",
    "schrijf de afspraken op en deel ze",
]
LINKS = [
    ("de gespreksregels", "https://dorpsplein.example.org/gespreksregels"),
    ("het protocol van de gemeente", "https://www.example.nl/protocol-pesten"),
    ("deze handreiking", "https://www.example.nl/handreiking-oudergesprek"),
    ("het artikel van het NJi", "https://www.example.nl/artikel/samenwerken-met-ouders"),
]
TITLE_TOPICS = [
    "oudergesprek",
    "pesten in de groep",
    "overdracht bij het ophalen",
    "telefoons in de klas",
    "buitenspelen na school",
    "een stille leerling",
    "samenwerken met de wijk",
    "ruzie tussen ouders",
    "de wachtlijst",
    "een nieuwe collega inwerken",
    "grenzen stellen bij pubers",
    "vrijwilligers in het buurthuis",
    "te laat komen",
    "een moeilijke mail",
    "de groepsapp van ouders",
]
TITLE_FORMS = {
    "question": ["Hoe ga je om met {t}?", "Wie heeft tips voor {t}?", "Vraag over {t}"],
    "example": ["Zo pakten wij {t} aan", "Ervaring met {t}", "Wat werkte bij {t}"],
    "dilemma": ["Dilemma: {t}", "Wel of niet ingrijpen bij {t}?", "Twijfel over {t}"],
}
# Rare words for search benchmarks: they appear in a few titles only.
RARE_TITLE_WORDS = ["zandbakfestival", "knikkerbaan", "wolkenkrabbertje"]
FIRST_NAMES = [
    "Anna", "Bram", "Chaima", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Iris", "Joost",
    "Kim", "Lars", "Mila", "Noah", "Olga", "Pim", "Quinten", "Rosa", "Sem", "Tess",
    "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Lotte", "Mohamed", "Sanne", "Thijs", "Amira",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Yilmaz", "El Amrani", "van Dijk",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}."


def emphasise(text: str, rng: random.Random) -> str:
    """Put *emphasis* or **strong** on one word now and then."""
    words = text.split(" ")
    if len(words) > 3 and rng.random() < 0.35:
        at = rng.randrange(1, len(words) - 1)
        mark = "**" if rng.random() < 0.4 else "*"
        words[at] = f"{mark}{words[at]}{mark}"
    return " ".join(words)


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng)]
    parts += [rng.choice(FILLERS) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.12:
        label, url = rng.choice(LINKS)
        parts.append(f"Zie ook [{label}]({url}).")
    elif rng.random() < 0.04:
        parts.append(f"Meer op {rng.choice(LINKS)[1]} staat het ook.")
    if rng.random() < 0.5:
        parts.append(rng.choice(CLOSERS))
    return emphasise(" ".join(parts), rng)


def block(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "\n".join(f"- {tip}" for tip in rng.sample(TIPS, rng.randint(2, 4)))
    if roll < 0.18:
        return "\n".join(
            f"{n}. {tip}" for n, tip in enumerate(rng.sample(TIPS, rng.randint(2, 4)), 1)
        )
    if roll < 0.26:
        return "> " + sentence(rng) + " " + rng.choice(FILLERS)
    return paragraph(rng)


def body(rng: random.Random) -> str:
    """Markdown for one post: mostly one or two paragraphs, now and then a long story."""
    roll = rng.random()
    if roll < 0.2:
        return emphasise(f"{sentence(rng)} {rng.choice(CLOSERS)}", rng)
    count = rng.randint(1, 2) if roll < 0.7 else rng.randint(3, 7)
    return "\n\n".join([paragraph(rng)] + [block(rng) for _ in range(count - 1)])


def body_pool(rng: random.Random, size: int) -> list[Rendered]:
    """``size`` distinct bodies, each rendered once by the write path's own renderer."""
    seen: dict[str, Rendered] = {}
    while len(seen) < size:
        source = body(rng)
        if source not in seen:
            seen[source] = render(source)
    return list(seen.values())


def title(rng: random.Random, kind: str) -> str:
    text = rng.choice(TITLE_FORMS[kind]).format(t=rng.choice(TITLE_TOPICS))
    if rng.random() < 0.002:
        text = f"{text} ({rng.choice(RARE_TITLE_WORDS)})"
    return text[:150]


def display_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
