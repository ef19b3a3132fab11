"""Passwords (Argon2), JWT access tokens, refresh tokens and personal API tokens.

Refresh and API tokens are random secrets stored only as SHA-256 hashes; a leaked database gives
nobody a usable token. Heavy crypto imports wait until a request actually needs them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

API_TOKEN_PREFIX = "sst_"
JWT_ALGORITHM = "HS256"


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    if not password_hash:
        # Spend the same time as a real check, so timing does not reveal which emails exist.
        hash_password(password)
        return False
    try:
        return PasswordHasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def new_password() -> str:
    """A generated password (about 144 random bits), for an account an administrator creates or resets."""
    return secrets.token_urlsafe(18)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def issue_access_token(user_id: str, session_id: str, secret_key: str, ttl: int) -> str:
    """A signed access token for one login (`sid`): it works while that session is not revoked."""
    import jwt

    now = int(time.time())
    claims = {
        "sub": user_id,
        "sid": session_id,
        "iat": now,
        "exp": now + ttl,
        "typ": "access",
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret_key, algorithm=JWT_ALGORITHM)


def read_access_token(token: str, secret_key: str) -> dict[str, Any] | None:
    """The claims of a valid, unexpired access token that names its session; None otherwise.

    Whether the session is still live is the caller's check (it needs the database).
    """
    import jwt

    try:
        claims: dict[str, Any] = jwt.decode(token, secret_key, algorithms=[JWT_ALGORITHM])
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != "access" or not isinstance(claims.get("sid"), str):
        return None
    return claims


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith(API_TOKEN_PREFIX)


def expiry_in(seconds: int) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
