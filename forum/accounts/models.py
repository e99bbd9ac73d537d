"""People, their roles, single-use e-mail tokens and the history of their research consent."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, lazyload, load_only, mapped_column, relationship

from forum.core.models import Setting
from forum.db import db, enum_column, utcnow


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    RESEARCHER = "researcher"
    ADMIN = "admin"


class Profession(enum.StrEnum):
    LEERKRACHT = "leerkracht"
    DOCENT = "docent"
    INTERN_BEGELEIDER = "intern_begeleider"
    PEDAGOGISCH_MEDEWERKER = "pedagogisch_medewerker"
    GASTOUDER = "gastouder"
    JONGERENWERKER = "jongerenwerker"
    OPBOUWWERKER = "opbouwwerker"
    ANDERS = "anders"


class TokenPurpose(enum.StrEnum):
    VERIFY = "verify"
    RESET = "reset"
    INVITE = "invite"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # An id is never given twice, also on SQLite (migration 0015): a deleted person's research
    # pseudonym, cookies and links must never come to belong to someone else.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    # Lower-cased address: the unique key, so Anna@X.nl and anna@x.nl are one person.
    email_normalized: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(60))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    profession: Mapped[Profession] = mapped_column(enum_column(Profession, 30))
    main_setting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("settings.id"))
    research_consent: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    guidelines_accepted_at: Mapped[datetime]
    email_verified_at: Mapped[datetime | None]
    # False while an admin has yet to approve the registration (registration mode "approval").
    approved: Mapped[bool] = mapped_column(default=True)
    suspended_until: Mapped[datetime | None]
    suspended_indefinitely: Mapped[bool] = mapped_column(default=False)
    suspension_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # A moderator set this person's posts to wait for review, whatever their history.
    always_moderate: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # A moderator trusted this person ("goedkeuren en vertrouwen"): being new no longer makes
    # their posts wait; what is in the text still can.
    trusted_at: Mapped[datetime | None]
    # Part of the login cookie: bumping it ends every session of this person (password change).
    session_version: Mapped[int] = mapped_column(default=1)
    # When two-factor sign-in was turned on (None: off). The secret and recovery codes live in
    # forum.accounts.twofactor; this flag sits on the person so that the sign-in gate, which runs
    # on every signed-in request, needs no query of its own.
    two_factor_since: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    main_setting: Mapped[Setting | None] = relationship(lazy="joined")
    role_grants: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.role_grants)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_active(self) -> bool:
        # Flask-Login refuses inactive people: a registration waiting for approval cannot log in.
        return self.approved

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.display_name!r}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants")


class EmailToken(db.Model):
    """A single-use link for verifying an address, resetting a password or accepting an invitation.

    Only a SHA-256 of the token is stored, so a database leak does not hand out working links.
    """

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email_normalized: Mapped[str] = mapped_column(sa.String(254))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class ConsentRecord(db.Model):
    """Every grant or withdrawal of research consent, with the information text version shown."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    granted: Mapped[bool]
    # "profile" (the default for new posts), "post" (one post), "all_posts" (every post at once)
    scope: Mapped[str] = mapped_column(sa.String(20), default="profile")
    post_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    text_version: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# Loader options for a person shown by name on a page (a post's author, a thread's starter):
# the id and name only, none of their werkveld and roles, which cost a join and a query.
NAME_ONLY = (
    load_only(User.id, User.display_name),
    lazyload(User.main_setting),
    lazyload(User.role_grants),
)
