"""Accounts: the first (admin) user of a server, and creating users."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from ..config import EMBEDDED_USER_EMAIL, EngineConfig
from ..store.db import Database
from ..store.models import User
from .security import hash_password

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
