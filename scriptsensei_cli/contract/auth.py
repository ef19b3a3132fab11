"""Authentication: users, JWT access/refresh pairs and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from .common import ListEnvelope


class User(BaseModel):
    id: str
    email: str
    name: str | None = None
    is_admin: bool = False
    disabled_at: datetime | None = Field(
        default=None, description="When an administrator disabled the account; None while it works."
    )
    created_at: datetime


class LoginRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class RegisterRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8, max_length=1024)
    name: str | None = Field(default=None, max_length=200)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1)


class LogoutRequest(BaseModel):
    refresh_token: str | None = None


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    user: User


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiToken(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it by.")
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None


class ApiTokenCreated(ApiToken):
    token: str = Field(description="The secret itself; shown once, never again.")


class ApiTokenList(ListEnvelope):
    tokens: list[ApiToken]


# Account management (administrators only): /api/v1/users


class UserCreate(BaseModel):
    """A new account; the server generates its first password and returns it once."""

    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    name: str | None = Field(default=None, max_length=200)
    is_admin: bool = False


class UserUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    is_admin: bool | None = None


class UserPassword(BaseModel):
    """An account and a password the server generated for it: shown once, never stored in clear."""

    user: User
    password: str = Field(description="The generated password; shown once, never again.")


class UserList(ListEnvelope):
    users: list[User]
