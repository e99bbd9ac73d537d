"""Account rules: registration, verification, sign-in, passwords, profile, consent, roles.

Services take the actor explicitly, flush and never commit (the view commits once). They raise
``AccountError`` with a translatable message the view shows on the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel.speaklater import LazyString
from werkzeug.security import check_password_hash, generate_password_hash

from forum import audit
from forum.accounts import tokens
from forum.accounts.models import (
    ConsentRecord,
    EmailToken,
    Profession,
    Role,
    TokenPurpose,
    User,
    UserRole,
)
from forum.core.models import Setting
from forum.db import db, utcnow
from forum.i18n import _, _l
from forum.notifications import outbox
from forum.notifications.outbox import absolute_url

# Version of the research-consent information text shown at registration and on the profile.
CONSENT_TEXT_VERSION = "2026-11"
# Compared against when an address is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000")


class AccountError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class RegistrationInfo:
    email: str
    display_name: str
    password: str
    profession: Profession
    main_setting: Setting
    research_consent: bool
    locale: str = "nl"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(User.email_normalized == normalize_email(email))
    ).scalar_one_or_none()


def send_template_mail(
    to: str, locale: str | None, subject: LazyString, template: str, **context: object
) -> None:
    """Queue a mail written in the recipient's language (the current one when unknown).

    Rendered by the Jinja environment itself, not ``render_template``: the mail worker queues
    some of these too (a data download that is ready) and has no request for the page context
    processors, and a mail needs nothing from a request."""
    with force_locale(locale or str(get_locale() or "nl")):
        text = current_app.jinja_env.get_template(f"email/{template}.txt").render(context)
        outbox.enqueue(to, str(subject), text)


# --- registration and verification -------------------------------------------------------------


def register(info: RegistrationInfo, *, approved: bool, verified: bool = False) -> User | None:
    """Create a member and send the verification mail.

    Returns None when the address is already registered: the owner of that address gets a mail
    instead, and the person registering sees the same answer, so nobody learns who is a member.
    """
    existing = user_by_email(info.email)
    if existing is not None:
        send_template_mail(
            existing.email,
            existing.locale,
            _l("Iemand probeerde een account te maken met jouw e-mailadres"),
            "already_registered",
            user=existing,
            reset_url=absolute_url("accounts.reset_request"),
        )
        return None
    now = utcnow()
    user = User(
        email=info.email.strip(),
        email_normalized=normalize_email(info.email),
        display_name=info.display_name.strip(),
        password_hash=generate_password_hash(info.password),
        profession=info.profession,
        main_setting_id=info.main_setting.id,
        research_consent=info.research_consent,
        locale=info.locale,
        guidelines_accepted_at=now,
        email_verified_at=now if verified else None,
        approved=approved,
        created_at=now,
    )
    user.role_grants.append(UserRole(role=Role.MEMBER, granted_at=now))
    db.session.add(user)
    db.session.flush()
    record_consent(user, info.research_consent)
    if not verified:
        send_verification(user)
    return user


def send_verification(user: User) -> None:
    raw = tokens.issue(TokenPurpose.VERIFY, user.email_normalized, user=user)
    send_template_mail(
        user.email,
        user.locale,
        _l("Bevestig je e-mailadres voor Dorpsplein"),
        "verify",
        user=user,
        url=absolute_url("accounts.verify", token=raw),
    )


def verify_email(raw: str) -> User | None:
    token = tokens.find_valid(raw, TokenPurpose.VERIFY)
    if token is None or token.user is None or not tokens.consume(token):
        return None
    user = token.user
    if user.email_normalized != token.email_normalized:
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def verified_through_link(raw: str) -> bool:
    """Whether the address a verification link was sent to is verified by now, also when the
    link itself is used or expired (so its page can say there is nothing left to do). False for
    a link we do not know. Only whoever holds the link learns this."""
    if not raw or len(raw) > 200:
        return False
    token = db.session.execute(
        db.select(EmailToken).where(
            EmailToken.token_hash == tokens.hash_token(raw),
            EmailToken.purpose == TokenPurpose.VERIFY,
        )
    ).scalar_one_or_none()
    user = token.user if token is not None else None
    return bool(
        user is not None and user.email_verified and user.email_normalized == token.email_normalized
    )


# --- signing in and passwords ------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The person with this address and password, or None (same cost either way)."""
    user = user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address is known; do nothing visible otherwise."""
    user = user_by_email(email)
    if user is None:
        return
    raw = tokens.issue(TokenPurpose.RESET, user.email_normalized, user=user)
    send_template_mail(
        user.email,
        user.locale,
        _l("Nieuw wachtwoord voor Dorpsplein"),
        "reset",
        user=user,
        url=absolute_url("accounts.reset", token=raw),
    )


def reset_password(raw: str, new_password: str) -> User | None:
    token = tokens.find_valid(raw, TokenPurpose.RESET)
    if token is None or token.user is None or not tokens.consume(token):
        return None
    user = token.user
    set_password(user, new_password)
    # Following the link proves the person reads this mailbox.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def set_password(user: User, new_password: str) -> None:
    """Store a new password and end every other session of this person."""
    user.password_hash = generate_password_hash(new_password)
    user.session_version += 1


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise AccountError(_("Je huidige wachtwoord klopt niet."), field="current_password")
    set_password(user, new_password)


# --- profile and consent -----------------------------------------------------------------------


def update_profile(
    user: User,
    *,
    display_name: str,
    profession: Profession,
    main_setting: Setting,
    locale: str,
    research_consent: bool,
) -> None:
    user.display_name = display_name.strip()
    user.profession = profession
    user.main_setting_id = main_setting.id
    user.locale = locale
    if research_consent != user.research_consent:
        user.research_consent = research_consent
        record_consent(user, research_consent)


def record_consent(
    user: User, granted: bool, scope: str = "profile", post_id: int | None = None
) -> ConsentRecord:
    """Keep a grant or withdrawal with its time and the version of the information text shown.

    ``scope`` is "profile" (the default for new posts), "post" (one post, ``post_id``) or
    "all_posts" (one row per post changed by the "all my posts at once" action, ``post_id`` set).
    """
    record = ConsentRecord(
        user_id=user.id,
        granted=granted,
        scope=scope,
        post_id=post_id,
        text_version=CONSENT_TEXT_VERSION,
        created_at=utcnow(),
    )
    db.session.add(record)
    return record


# --- people managed by admins ------------------------------------------------------------------


def create_user(
    email: str,
    display_name: str,
    password: str,
    roles: Iterable[Role],
    main_setting: Setting,
    profession: Profession = Profession.ANDERS,
    research_consent: bool = False,
) -> User:
    """Create a verified, active person with the given roles (CLI and demo accounts)."""
    if user_by_email(email) is not None:
        raise AccountError(_("Dit e-mailadres is al in gebruik."), field="email")
    info = RegistrationInfo(
        email=email,
        display_name=display_name,
        password=password,
        profession=profession,
        main_setting=main_setting,
        research_consent=research_consent,
    )
    user = register(info, approved=True, verified=True)
    assert user is not None  # noqa: S101 (type narrowing: the address was checked free above)
    apply_roles(user, roles)
    return user


def apply_roles(user: User, roles: Iterable[Role]) -> tuple[set[Role], set[Role]]:
    """Make the person's roles exactly ``roles`` (member always stays); return (added, removed)."""
    wanted = {*roles, Role.MEMBER}
    current = set(user.roles)
    for grant in list(user.role_grants):
        if grant.role not in wanted:
            user.role_grants.remove(grant)
    for role in sorted(wanted - current):
        user.role_grants.append(UserRole(role=role, granted_at=utcnow()))
    db.session.flush()
    return wanted - current, current - wanted


def set_roles(user: User, roles: Iterable[Role], actor: User | None, reason: str = "") -> None:
    added, removed = apply_roles(user, roles)
    if added or removed:
        audit.record(
            actor,
            "user.roles_changed",
            "user",
            user.id,
            reason=reason,
            data={"added": sorted(added), "removed": sorted(removed)},
        )


def approve_registration(user: User, actor: User) -> None:
    if user.approved:
        return
    user.approved = True
    audit.record(actor, "user.registration_approved", "user", user.id)
    send_template_mail(
        user.email,
        user.locale,
        _l("Je account op Dorpsplein is goedgekeurd"),
        "approved",
        user=user,
        url=absolute_url("accounts.login"),
    )


def invite(email: str, actor: User) -> None:
    """Send an invitation link; an address that already has an account gets none."""
    normalized = normalize_email(email)
    if user_by_email(normalized) is not None:
        raise AccountError(_("Dit e-mailadres heeft al een account."), field="email")
    raw = tokens.issue(TokenPurpose.INVITE, normalized, created_by=actor)
    audit.record(actor, "user.invited", "invitation", None, data={"email": normalized})
    send_template_mail(
        email.strip(),
        None,
        _l("Je bent uitgenodigd voor Dorpsplein"),
        "invite",
        url=absolute_url("accounts.register", invite=raw),
        inviter=actor,
    )
