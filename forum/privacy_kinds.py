"""What the privacy check reports: the kinds of finding, their labels and suggestions, a finding.

Kept apart from ``forum.privacy`` so the rule modules can build findings without importing the
module that runs them; ``forum.privacy`` re-exports every name here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from forum.i18n import _l


class Kind(enum.StrEnum):
    PERSON = "person"
    PLACE = "place"
    INSTITUTION = "institution"
    ADDRESS = "address"
    BIRTH_DATE = "birth_date"
    AGE_GROUP = "age_group"
    PHONE = "phone"
    EMAIL = "email"
    BSN = "bsn"
    IBAN = "iban"
    URL = "url"
    HANDLE = "handle"


LABELS = {
    Kind.PERSON: _l("naam"),
    Kind.PLACE: _l("plaats"),
    Kind.INSTITUTION: _l("naam van een school of organisatie"),
    Kind.ADDRESS: _l("adres of postcode"),
    Kind.BIRTH_DATE: _l("geboortedatum"),
    Kind.AGE_GROUP: _l("leeftijd met groep of klas"),
    Kind.PHONE: _l("telefoonnummer"),
    Kind.EMAIL: _l("e-mailadres"),
    Kind.BSN: _l("burgerservicenummer"),
    Kind.IBAN: _l("bankrekeningnummer"),
    Kind.URL: _l("link"),
    Kind.HANDLE: _l("account op sociale media"),
}

SUGGESTIONS = {
    Kind.PERSON: _l(
        "Vervang de naam, bijvoorbeeld door ‘een meisje uit groep 4’, ‘een moeder’ "
        "of ‘een collega’."
    ),
    Kind.PLACE: _l("Laat de plaats weg, of schrijf ‘in een grote stad’ of ‘in een dorp’."),
    Kind.INSTITUTION: _l(
        "Noem de naam van de school of opvang niet; schrijf ‘onze school’ of "
        "‘een kinderdagverblijf’."
    ),
    Kind.ADDRESS: _l("Laat het adres en de postcode weg."),
    Kind.BIRTH_DATE: _l(
        "Laat de geboortedatum weg; ‘een kleuter’ of ‘een meisje van 6’ is genoeg."
    ),
    Kind.AGE_GROUP: _l("Noem leeftijd en groep niet samen; ‘een meisje uit groep 4’ is genoeg."),
    Kind.PHONE: _l("Haal het telefoonnummer weg."),
    Kind.EMAIL: _l("Haal het e-mailadres weg."),
    Kind.BSN: _l("Haal het burgerservicenummer weg."),
    Kind.IBAN: _l("Haal het rekeningnummer weg; schrijf ‘ouders maken het bedrag over’."),
    Kind.URL: _l("Haal de link weg als die naar een persoon, school of organisatie leidt."),
    Kind.HANDLE: _l("Haal de accountnaam weg."),
}


@dataclass(frozen=True, order=True)
class Finding:
    """``text[start:end]`` identifies someone; offsets count code points in the checked text."""

    start: int
    end: int
    kind: Kind

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind.value}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(int(data["start"]), int(data["end"]), Kind(data["kind"]))


class CheckUnavailable(RuntimeError):
    """The deduce model is not loaded (yet) in this process."""
