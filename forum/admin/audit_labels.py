"""How the audit log reads: a label for every action and target type that services record.

``tests/test_audit_log.py`` reads every ``audit.record(...)`` call in ``forum/`` and fails when an
action or target type recorded there has no label here, so a new action cannot show up raw.
"""

from __future__ import annotations

from flask_babel.speaklater import LazyString

from forum.i18n import _l

ACTION_LABELS: dict[str, LazyString] = {
    "code.created": _l("Code aangemaakt"),
    "code.changed": _l("Code gewijzigd"),
    "code.archived": _l("Code gearchiveerd"),
    "code.unarchived": _l("Code teruggezet"),
    "code.deleted": _l("Code verwijderd"),
    "code.starters_loaded": _l("Startcodes geladen"),
    "code.imported": _l("Codes geïmporteerd uit een codeboekbestand"),
    "coding.thread_added": _l("Gesprek gecodeerd"),
    "coding.thread_removed": _l("Code van gesprek gehaald"),
    "coding.passage_added": _l("Passage gecodeerd"),
    "coding.passage_removed": _l("Code van passage gehaald"),
    "memo.added": _l("Notitie geschreven"),
    "memo.changed": _l("Notitie gewijzigd"),
    "research_project.created": _l("Onderzoeksproject aangemaakt"),
    "research_project.changed": _l("Onderzoeksproject gewijzigd"),
    "research_export.created": _l("Onderzoeksexport gemaakt"),
    "research_export.downloaded": _l("Onderzoeksexport gedownload"),
    "research_project.linkage_approved": _l("Koppelen van bijdragen zonder naam goedgekeurd"),
    "research_project.linkage_withdrawn": _l("Koppelen van bijdragen zonder naam ingetrokken"),
    "harvest.created": _l("Kennisoogst aangemaakt"),
    "harvest.edited": _l("Kennisoogst gewijzigd"),
    "harvest.published": _l("Kennisoogst gepubliceerd"),
    "interest.contacted": _l("Meedenker benaderd"),
    "interest.removed": _l("Meedenker verwijderd"),
    "interest.exported": _l("Lijst van meedenkers geëxporteerd"),
    "post.approved": _l("Bericht goedgekeurd"),
    "post.edited_and_approved": _l("Bericht aangepast en goedgekeurd"),
    "post.returned": _l("Bericht teruggestuurd ter aanpassing"),
    "post.rejected": _l("Bericht afgewezen"),
    "post.hidden": _l("Bericht verborgen"),
    "post.restored": _l("Bericht teruggezet"),
    "post.redacted": _l("Gegevens uit bericht gehaald"),
    "post.author_revealed": _l("Schrijver van bericht zonder naam bekeken"),
    "post.flagged_by_watched_word": _l("Bericht voorgelegd door een gevolgd woord"),
    "edit.approved": _l("Wijziging goedgekeurd"),
    "edit.rejected": _l("Wijziging afgewezen"),
    "finding.marked_not_identifying": _l("Vondst als niet herleidbaar gemarkeerd"),
    "finding.unmarked": _l("Markering ‘niet herleidbaar’ ongedaan gemaakt"),
    "post.hidden_by_reports": _l("Bericht verborgen na voorleggingen"),
    "post.hidden_by_removal_request": _l("Bericht verborgen na verzoek tot verwijdering"),
    "reports.kept": _l("Voorlegging: bericht blijft staan"),
    "reports.hidden": _l("Voorlegging: bericht verborgen"),
    "reports.edited": _l("Voorlegging: bericht aangepast"),
    "reports.dismissed": _l("Voorlegging terzijde gelegd"),
    "removal_request.removed": _l("Verzoek tot verwijdering: bericht verwijderd"),
    "removal_request.edited": _l("Verzoek tot verwijdering: bericht aangepast"),
    "removal_request.restored": _l("Verzoek tot verwijdering: bericht teruggezet"),
    "thread.locked": _l("Gesprek gesloten"),
    "thread.unlocked": _l("Gesprek weer geopend"),
    "thread.pinned": _l("Gesprek vastgezet"),
    "thread.unpinned": _l("Gesprek losgemaakt"),
    "thread.moved": _l("Gesprek verplaatst"),
    "user.suspended": _l("Persoon geschorst"),
    "user.unsuspended": _l("Schorsing opgeheven"),
    "user.always_moderate_on": _l("Persoon altijd laten beoordelen"),
    "user.always_moderate_off": _l("Persoon niet meer altijd laten beoordelen"),
    "user.roles_changed": _l("Rollen gewijzigd"),
    "user.registration_approved": _l("Aanmelding goedgekeurd"),
    "user.trusted": _l("Schrijver vertrouwd (voortaan zonder beoordeling)"),
    "user.invited": _l("Uitgenodigd"),
    "two_factor.enabled": _l("Tweestapsverificatie aangezet"),
    "two_factor.disabled": _l("Tweestapsverificatie uitgezet"),
    "two_factor.recovery_code_used": _l("Ingelogd met een herstelcode"),
    "two_factor.recovery_codes_renewed": _l("Nieuwe herstelcodes gemaakt"),
    "two_factor.reset": _l("Tweestapsverificatie weggehaald door een beheerder"),
    "user.deleted": _l("Account verwijderd"),
    "site.settings_changed": _l("Instellingen gewijzigd"),
    "retention.purged": _l("Verlopen gegevens gewist (bewaartermijnen)"),
    "setting.added": _l("Werkveld toegevoegd"),
    "setting.renamed": _l("Werkveld hernoemd"),
    "setting.moved": _l("Werkveld verschoven"),
    "setting.archived": _l("Werkveld gearchiveerd"),
    "setting.unarchived": _l("Werkveld teruggezet"),
    "setting.premoderated_on": _l("Werkveld: elk bericht eerst beoordelen"),
    "setting.premoderated_off": _l("Werkveld: niet meer elk bericht eerst beoordelen"),
    "watched_word.added": _l("Gevolgd woord toegevoegd"),
    "watched_word.deleted": _l("Gevolgd woord verwijderd"),
    "rejection_template.added": _l("Afwijsreden toegevoegd"),
    "rejection_template.changed": _l("Afwijsreden gewijzigd"),
    "rejection_template.deleted": _l("Afwijsreden verwijderd"),
}

TARGET_LABELS: dict[str, LazyString] = {
    "post": _l("bericht"),
    "thread": _l("gesprek"),
    "user": _l("persoon"),
    "setting": _l("werkveld"),
    "site": _l("site"),
    "watched_word": _l("gevolgd woord"),
    "rejection_template": _l("afwijsreden"),
    "removal_request": _l("verzoek tot verwijdering"),
    "report": _l("voorlegging"),
    "research_project": _l("onderzoeksproject"),
    "research_export": _l("export"),
    "harvest": _l("kennisoogst"),
    "interest_entry": _l("meedenker"),
    "interest_list": _l("lijst van meedenkers"),
    "code": _l("code"),
    "memo": _l("notitie"),
    "passage": _l("passage"),
    "invitation": _l("uitnodiging"),
}


def action_label(action: str) -> str:
    """The action in words; an action from before its label existed shows its raw name."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def target_label(target_type: str) -> str:
    label = TARGET_LABELS.get(target_type)
    return str(label) if label is not None else target_type
