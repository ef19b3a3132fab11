"""What every route needs: the config, the database and the writer, kept on `app.state`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import EMBEDDED_USER_EMAIL, EngineConfig
from ..errors import Forbidden, Unauthenticated
from ..services.security import digest, looks_like_jwt, read_access_token, same_secret
from ..store.db import Database
from ..store.models import ApiToken, AuthSession, User
from ..writer import ScriptWriter

if TYPE_CHECKING:
    from ..jobs.runtime import JobRuntime
    from ..store.objects import Storage


@dataclass
class EngineContext:
    config: EngineConfig
    db: Database
    writer: ScriptWriter
    jobs: JobRuntime

    @property
    def storage(self) -> Storage:
        return self.jobs.storage


def engine_context(request: Request) -> EngineContext:
    context: EngineContext = request.app.state.engine
    return context


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "authentication required: send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def current_user(request: Request, context: Annotated[EngineContext, Depends(engine_context)]) -> User:
    token = _bearer(request)
    with context.db.session() as session:
        user = authenticate(session, context.config, token)
    if user is None:
        raise Unauthenticated(
            "the token is invalid, expired or revoked",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return user


def current_admin(user: Annotated[User, Depends(current_user)]) -> User:
    if not user.is_admin:
        raise Forbidden("managing accounts needs an administrator account")
    return user


def authenticate(session: Session, config: EngineConfig, token: str) -> User | None:
    """The working account behind `token`, or None; a disabled account's tokens are all refused."""
    user = _token_owner(session, config, token)
    return user if user is not None and user.disabled_at is None else None


def _token_owner(session: Session, config: EngineConfig, token: str) -> User | None:
    if config.embedded_token and same_secret(token, config.embedded_token):
        return session.scalar(select(User).where(User.email == EMBEDDED_USER_EMAIL))
    if looks_like_jwt(token):
        claims = read_access_token(token, config.resolved_secret_key())
        if claims is None:
            return None
        # One indexed lookup: the token's login must still be live (logout revokes it on every node).
        return session.scalar(
            select(User)
            .join(AuthSession, AuthSession.user_id == User.id)
            .where(
                AuthSession.id == claims["sid"], AuthSession.revoked_at.is_(None), User.id == claims["sub"]
            )
        )
    api_token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    now = datetime.now(UTC)
    if api_token is None or api_token.revoked_at is not None:
        return None
    if api_token.expires_at is not None and api_token.expires_at <= now:
        return None
    api_token.last_used_at = now
    return session.get(User, api_token.user_id)


def bearer_session_id(request: Request, config: EngineConfig) -> str | None:
    """The login (`sid`) behind the request's access token; None for API and embedded tokens."""
    token = _bearer(request)
    if not looks_like_jwt(token):
        return None
    claims = read_access_token(token, config.resolved_secret_key())
    return str(claims["sid"]) if claims else None


CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(current_admin)]
Context = Annotated[EngineContext, Depends(engine_context)]
