"""/api/v1/auth: login, refresh, logout, me, registration (when open), personal API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ....contract import (
    DEFAULT_PAGE_LIMIT,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenList,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
)
from ....contract import ApiToken as ApiTokenOut
from ....contract import User as UserOut
from ...config import EngineConfig
from ...errors import Conflict, Forbidden, Unauthenticated, not_found
from ...services.security import (
    API_TOKEN_PREFIX,
    digest,
    expiry_in,
    hash_password,
    issue_access_token,
    new_secret,
    verify_password,
)
from ...store.db import page_of
from ...store.models import ApiToken, AuthSession, RefreshToken, User
from ..context import Context, CurrentUser, bearer_session_id
from ..paging import Limit, Page

router = APIRouter(prefix="/auth", tags=["auth"])


def user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


def issue_token_pair(
    session: Session, config: EngineConfig, user: User, login: AuthSession | None = None
) -> TokenPair:
    """A new pair for `login` (a new login when None): both stop working when it is revoked."""
    if login is None:
        login = AuthSession(user_id=user.id)
        session.add(login)
        session.flush()
    refresh = new_secret()
    session.add(
        RefreshToken(
            user_id=user.id,
            session_id=login.id,
            token_hash=digest(refresh),
            expires_at=expiry_in(config.refresh_token_ttl),
        )
    )
    return TokenPair(
        access_token=issue_access_token(
            user.id, login.id, config.resolved_secret_key(), config.access_token_ttl
        ),
        refresh_token=refresh,
        expires_in=config.access_token_ttl,
        user=user_out(user),
    )


@router.post("/login", response_model=TokenPair)
def login(body: LoginRequest, context: Context) -> TokenPair:
    with context.db.session() as session:
        user = session.scalar(select(User).where(User.email == body.email.strip().lower()))
        if not verify_password(user.password_hash if user else None, body.password) or user is None:
            raise Unauthenticated("wrong email or password")
        if user.disabled_at is not None:
            raise Unauthenticated("this account is disabled; ask the server's administrator")
        return issue_token_pair(session, context.config, user)


@router.post("/register", response_model=TokenPair, status_code=201)
def register(body: RegisterRequest, context: Context) -> TokenPair:
    if not context.config.signup_open:
        raise Forbidden(
            "sign-up is closed on this server; ask its administrator for an account (ss users add)"
        )
    email = body.email.strip().lower()
    with context.db.session() as session:
        if session.scalar(select(User).where(User.email == email)) is not None:
            raise Conflict(f"an account for {email} already exists", field="email")
        user = User(email=email, name=body.name, password_hash=hash_password(body.password))
        session.add(user)
        session.flush()
        return issue_token_pair(session, context.config, user)


@router.post("/refresh", response_model=TokenPair)
def refresh(body: RefreshRequest, context: Context) -> TokenPair:
    """Trade a refresh token for a new pair; the old refresh token is spent (rotation)."""
    now = datetime.now(UTC)
    with context.db.session() as session:
        stored = session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == digest(body.refresh_token))
        )
        if stored is None or stored.revoked_at is not None or stored.expires_at <= now:
            raise Unauthenticated("the refresh token is invalid, expired or already used; log in again")
        login = session.get(AuthSession, stored.session_id) if stored.session_id else None
        if login is not None and login.revoked_at is not None:
            raise Unauthenticated("this login has ended (logged out); log in again")
        stored.revoked_at = now
        user = session.get(User, stored.user_id)
        if user is None:
            raise Unauthenticated("the account behind this token no longer exists")
        if user.disabled_at is not None:
            raise Unauthenticated("this account is disabled; ask the server's administrator")
        return issue_token_pair(session, context.config, user, login)


@router.post("/logout", status_code=204)
def logout(body: LogoutRequest, request: Request, user: CurrentUser, context: Context) -> Response:
    """End the login: its access tokens stop working at once (every node checks the session row)."""
    now = datetime.now(UTC)
    with context.db.session() as session:
        session_ids: set[str] = set()
        sid = bearer_session_id(request, context.config)
        if sid:
            session_ids.add(sid)
        if body.refresh_token:
            stored = session.scalar(
                select(RefreshToken).where(
                    RefreshToken.token_hash == digest(body.refresh_token), RefreshToken.user_id == user.id
                )
            )
            if stored is not None:
                if stored.revoked_at is None:
                    stored.revoked_at = now
                if stored.session_id:
                    session_ids.add(stored.session_id)
        for login in session.scalars(
            select(AuthSession).where(AuthSession.id.in_(session_ids), AuthSession.user_id == user.id)
        ):
            login.revoked_at = login.revoked_at or now
        session.execute(
            update(RefreshToken)
            .where(RefreshToken.session_id.in_(session_ids), RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return Response(status_code=204)


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser) -> UserOut:
    return user_out(user)


def token_out(token: ApiToken) -> ApiTokenOut:
    return ApiTokenOut.model_validate(token, from_attributes=True)


@router.post("/tokens", response_model=ApiTokenCreated, status_code=201)
def create_token(body: ApiTokenCreate, user: CurrentUser, context: Context) -> ApiTokenCreated:
    secret = new_secret(API_TOKEN_PREFIX)
    expires_at = datetime.now(UTC) + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    with context.db.session() as session:
        token = ApiToken(
            user_id=user.id,
            name=body.name,
            prefix=secret[:10],
            token_hash=digest(secret),
            expires_at=expires_at,
        )
        session.add(token)
        session.flush()
        return ApiTokenCreated(**token_out(token).model_dump(), token=secret)


@router.get("/tokens", response_model=ApiTokenList)
def list_tokens(
    user: CurrentUser,
    context: Context,
    page: Page = 1,
    limit: Limit = DEFAULT_PAGE_LIMIT,
) -> ApiTokenList:
    live = (ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    query = select(ApiToken).where(*live).order_by(ApiToken.created_at.desc())
    with context.db.session() as session:
        rows, total = page_of(session, query, page=page, limit=limit)
        return ApiTokenList(
            tokens=[token_out(row) for row in rows.scalars()], total=total, page=page, limit=limit
        )


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: str, user: CurrentUser, context: Context) -> Response:
    with context.db.session() as session:
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id or token.revoked_at is not None:
            raise not_found("API token", token_id)
        token.revoked_at = datetime.now(UTC)
    return Response(status_code=204)
