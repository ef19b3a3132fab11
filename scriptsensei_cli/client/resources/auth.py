"""Auth service: login, refresh, who am I, personal API tokens."""

from __future__ import annotations

from ...contract import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenList,
    LoginRequest,
    LogoutRequest,
    RegisterRequest,
    TokenPair,
    User,
)
from .._base import HTTPClient


class AuthResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def login(self, email: str, password: str) -> TokenPair:
        body = LoginRequest(email=email, password=password).model_dump()
        return self._http.request_model(TokenPair, "POST", "/auth/login", json_body=body, authenticated=False)

    def register(self, email: str, password: str, name: str | None = None) -> TokenPair:
        body = RegisterRequest(email=email, password=password, name=name).model_dump()
        return self._http.request_model(
            TokenPair, "POST", "/auth/register", json_body=body, authenticated=False
        )

    def logout(self, refresh_token: str | None) -> None:
        self._http.request(
            "POST", "/auth/logout", json_body=LogoutRequest(refresh_token=refresh_token).model_dump()
        )

    def me(self) -> User:
        return self._http.request_model(User, "GET", "/auth/me")

    def create_token(self, name: str, expires_in_days: int | None = None) -> ApiTokenCreated:
        body = ApiTokenCreate(name=name, expires_in_days=expires_in_days).model_dump()
        return self._http.request_model(ApiTokenCreated, "POST", "/auth/tokens", json_body=body)

    def list_tokens(self, page: int = 1, limit: int = 20) -> ApiTokenList:
        return self._http.request_model(
            ApiTokenList, "GET", "/auth/tokens", params={"page": page, "limit": limit}
        )

    def revoke_token(self, token_id: str) -> None:
        self._http.request("DELETE", f"/auth/tokens/{token_id}")
