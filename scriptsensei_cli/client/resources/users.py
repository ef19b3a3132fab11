"""Users service: account management for administrators (403 for everyone else)."""

from __future__ import annotations

from urllib.parse import quote

from ...contract import User, UserCreate, UserList, UserPassword, UserUpdate
from .._base import HTTPClient


def _path(user: str) -> str:
    return f"/users/{quote(user, safe='@')}"


class UsersResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def list(self, page: int = 1, limit: int = 100) -> UserList:
        return self._http.request_model(UserList, "GET", "/users", params={"page": page, "limit": limit})

    def create(self, email: str, name: str | None = None, *, is_admin: bool = False) -> UserPassword:
        """Create an account; the result carries its generated first password, shown this once."""
        body = UserCreate(email=email, name=name, is_admin=is_admin).model_dump()
        return self._http.request_model(UserPassword, "POST", "/users", json_body=body)

    def update(self, user: str, update: UserUpdate) -> User:
        """`user` is an id (usr_…) or an email."""
        body = update.model_dump(exclude_unset=True)
        return self._http.request_model(User, "PATCH", _path(user), json_body=body)

    def disable(self, user: str) -> User:
        return self._http.request_model(User, "POST", f"{_path(user)}/disable")

    def enable(self, user: str) -> User:
        return self._http.request_model(User, "POST", f"{_path(user)}/enable")

    def reset_password(self, user: str) -> UserPassword:
        return self._http.request_model(UserPassword, "POST", f"{_path(user)}/reset-password")
