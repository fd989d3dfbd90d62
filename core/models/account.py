"""People who sign in: users, their roles in organisations, web sessions, API tokens, lockouts.

These tables are global (a user may belong to several organisations); access to an
organisation's data always goes through a :class:`Membership`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.base import created_at_column

ROLES = ("viewer", "staff", "org_admin")
# Grants held on a membership besides its role (each is a boolean column of Membership).
GRANTS = ("equality_analyst",)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol. The id stored in the cookie is the session token, not the user id,
    # so revoking the session row signs that browser out.
    session_token = None
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("sign in through core.auth.start_session")
        return self.session_token

    def role_in(self, organisation_id: int) -> str | None:
        """The user's role in the organisation; None when not a member or deactivated there."""
        for membership in self.memberships:
            if membership.organisation_id == organisation_id and membership.deactivated_at is None:
                return membership.role
        return None

    def holds_grant(self, organisation_id: int, grant: str) -> bool:
        """Whether the user's membership of the organisation carries ``grant`` (see GRANTS)."""
        for membership in self.memberships:
            if membership.organisation_id == organisation_id and membership.deactivated_at is None:
                return bool(getattr(membership, grant))
        return False

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role in one organisation: ``viewer`` < ``staff`` < ``org_admin``."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        CheckConstraint("role IN ('viewer', 'staff', 'org_admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    # A grant apart from the role: may read equality monitoring aggregates (and, to keep duties
    # apart, may then not record anyone's answers). Given by the command line, never by a role.
    equality_analyst: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()
    # Set when an org admin deactivates the account in this organisation (core/services/staff.py):
    # the membership then gives no access at all, and is kept so it can be reactivated.
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="memberships")

    @classmethod
    def in_force(cls):
        """SQL condition: the membership gives access (it is not deactivated)."""
        return cls.deactivated_at.is_(None)


# What an account token is for: joining an organisation, or choosing a new password.
TOKEN_PURPOSES = ("invite", "password_reset")


class AccountToken(db.Model):
    """A one-time link sent by e-mail (an invitation or a password reset); only its hash is kept.

    An invitation names the organisation, the role and the name the inviter typed; the membership
    is made only when the link is used. A global table like ``memberships``: the links are opened
    by people who are not signed in, before any organisation scope exists.
    """

    __tablename__ = "account_tokens"
    __table_args__ = (CheckConstraint("purpose IN ('invite', 'password_reset')", name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200), default="")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class UserSession(db.Model):
    """A signed-in browser. The cookie holds the token; only its hash is stored here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    """A bearer token: shown once at creation, stored as a SHA-256 hash, revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """A sign-in attempt counter (``account:<email>`` or ``address:<ip>``); see core/throttle.py.

    Times are seconds since the epoch, so the one atomic UPDATE that counts an attempt can do its
    arithmetic the same way on SQLite and PostgreSQL.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_started: Mapped[float] = mapped_column(Float)
    locked_until: Mapped[float] = mapped_column(Float, default=0.0)
    lock_seconds: Mapped[int] = mapped_column(Integer)
