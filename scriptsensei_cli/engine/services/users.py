"""Accounts: the first (admin) user of a server, and an administrator's account management."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ...contract.auth import User as UserOut
from ...contract.auth import UserCreate, UserList, UserPassword, UserUpdate
from ..config import EMBEDDED_USER_EMAIL, EngineConfig
from ..errors import Conflict, Invalid, not_found
from ..store.db import Database, page_of
from ..store.models import ApiToken, AuthSession, RefreshToken, User
from .security import hash_password, new_password

MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    pass


def create_user(
    db: Database, email: str, password: str, *, is_admin: bool = False, name: str | None = None
) -> User:
    email = email.strip().lower()
    if "@" not in email or email == EMBEDDED_USER_EMAIL:
        raise UserError(f"{email!r} is not a usable email address")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    with db.session() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise UserError(f"an account for {email} already exists")
        user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
        session.add(user)
        session.flush()
        return user


def count_login_users(db: Database) -> int:
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(User).where(User.password_hash.is_not(None))) or 0
        )


def ensure_first_user(config: EngineConfig, prompt: Callable[[], tuple[str, str]]) -> str | None:
    """Create the admin account on a server's first start; return its email, or None if one exists."""
    db = Database(config.resolved_database_url)
    try:
        db.migrate()
        if count_login_users(db) > 0:
            return None
        email, password = config.admin_email, config.admin_password
        if not (email and password):
            email, password = prompt()
        return create_user(db, email, password, is_admin=True).email
    finally:
        db.dispose()


# Account management by an administrator (/api/v1/users, `ss users`). Passwords are generated here
# and returned once; only their Argon2 hashes are stored.


def user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


def list_users(db: Database, *, page: int, limit: int) -> UserList:
    query = select(User).order_by(User.created_at, User.email)
    with db.session() as session:
        rows, total = page_of(session, query, page=page, limit=limit)
        return UserList(users=[user_out(row) for row in rows.scalars()], total=total, page=page, limit=limit)


def add_user(db: Database, body: UserCreate) -> UserPassword:
    email = body.email.strip().lower()
    if email == EMBEDDED_USER_EMAIL:
        raise Invalid(f"{email!r} is reserved for the embedded engine's local user", field="email")
    password = new_password()
    with db.session() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise Conflict(f"an account for {email} already exists", field="email")
        user = User(
            email=email, name=body.name, password_hash=hash_password(password), is_admin=body.is_admin
        )
        session.add(user)
        session.flush()
        return UserPassword(user=user_out(user), password=password)


def update_user(db: Database, ref: str, body: UserUpdate) -> UserOut:
    with db.session() as session:
        user = _find(session, ref)
        if body.is_admin is False and user.is_admin:
            _keep_an_admin(session, user, "remove the admin flag of")
        if body.is_admin is not None:
            user.is_admin = body.is_admin
        if "name" in body.model_fields_set:
            user.name = body.name
        return user_out(user)


def disable_user(db: Database, actor_id: str, ref: str) -> UserOut:
    """Disable an account: its logins, refresh tokens and API tokens are revoked in the same commit,
    and every request checks the flag, so its tokens are refused on every API node at once."""
    with db.session() as session:
        user = _find(session, ref)
        if user.is_admin:
            _keep_an_admin(session, user, "disable")
        if user.id == actor_id:
            raise Conflict("you cannot disable your own account; ask another administrator")
        if user.email == EMBEDDED_USER_EMAIL:
            raise Conflict("the embedded engine's local user cannot be disabled")
        now = datetime.now(UTC)
        user.disabled_at = user.disabled_at or now
        _revoke_logins(session, user.id, now)
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return user_out(user)


def enable_user(db: Database, ref: str) -> UserOut:
    """Let a disabled account log in again; its revoked tokens stay revoked."""
    with db.session() as session:
        user = _find(session, ref)
        user.disabled_at = None
        return user_out(user)


def reset_password(db: Database, ref: str) -> UserPassword:
    """A new generated password (returned once); the account's logins end, its API tokens stay."""
    with db.session() as session:
        user = _find(session, ref)
        if user.email == EMBEDDED_USER_EMAIL:
            raise Conflict("the embedded engine's local user has no password")
        password = new_password()
        user.password_hash = hash_password(password)
        _revoke_logins(session, user.id, datetime.now(UTC))
        return UserPassword(user=user_out(user), password=password)


def _find(session: Session, ref: str) -> User:
    """An account by id (usr_…) or email."""
    ref = ref.strip()
    user = session.get(User, ref) or session.scalar(select(User).where(User.email == ref.lower()))
    if user is None:
        raise not_found("user", ref)
    return user


def _keep_an_admin(session: Session, user: User, action: str) -> None:
    """Refuse to take away the last working admin account. The enabled admins' rows are locked
    (PostgreSQL), so two nodes cannot each remove one of the last two at the same moment."""
    admins = session.scalars(
        select(User.id).where(User.is_admin.is_(True), User.disabled_at.is_(None)).with_for_update()
    ).all()
    if set(admins) <= {user.id}:
        raise Conflict(
            f"cannot {action} {user.email}: it is the last administrator; make another account an "
            "administrator first (ss users add --admin, or ss users promote)"
        )


def _revoke_logins(session: Session, user_id: str, now: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
