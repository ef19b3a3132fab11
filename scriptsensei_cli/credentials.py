"""Where tokens live: SCRIPTSENSEI_TOKEN, else the OS keyring, else a 0600 file.

Keyring calls run in a worker thread bounded by a timeout: a locked or absent desktop keyring (every
headless Linux box) must cost a second at most, never a hang.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from .common.atomic import atomic_write_text

TOKEN_ENV = "SCRIPTSENSEI_TOKEN"
KEYRING_ENV = "SCRIPTSENSEI_KEYRING"
KEYRING_SERVICE = "scriptsensei-cli"
KEYRING_TIMEOUT = 3.0
FILE_NAME = "credentials.json"

T = TypeVar("T")
Warn = Callable[[str], None]


@dataclass(frozen=True)
class StoredCredentials:
    api_url: str
    access_token: str
    refresh_token: str | None = None
    kind: Literal["session", "api_token", "env"] = "session"
    email: str | None = None


@dataclass(frozen=True)
class Loaded:
    credentials: StoredCredentials
    source: str


class KeyringUnavailable(Exception):
    pass


def mask(token: str) -> str:
    """Enough of a token to recognise it, never enough to use it."""
    if len(token) <= 12:
        return "****"
    return f"{token[:6]}…{token[-4:]}"


def jwt_expiry(token: str) -> float | None:
    """The `exp` claim of a JWT, read without verifying it (the server verifies); None if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, json.JSONDecodeError):
        return None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    return float(exp) if isinstance(exp, int | float) else None


class CredentialStore:
    def __init__(
        self, directory: Path, *, warn: Warn | None = None, timeout: float = KEYRING_TIMEOUT
    ) -> None:
        self.directory = directory
        self.file = directory / FILE_NAME
        self._warn = warn or (lambda message: None)
        self._timeout = timeout

    # -- public -----------------------------------------------------------------------------------

    def load(self, api_url: str) -> Loaded | None:
        env_token = os.environ.get(TOKEN_ENV)
        if env_token:
            return Loaded(StoredCredentials(api_url, env_token, kind="env"), f"env {TOKEN_ENV}")
        try:
            secret = self._keyring(lambda kr: kr.get_password(KEYRING_SERVICE, api_url))
        except KeyringUnavailable:
            secret = None
        if secret:
            return Loaded(_decode(api_url, secret), f"keyring ({self._backend_name()})")
        stored = self._read_file().get(api_url)
        if isinstance(stored, dict):
            return Loaded(_from_dict(api_url, stored), f"file {self.file}")
        return None

    def save(self, credentials: StoredCredentials) -> str:
        """Store credentials; return where they went."""
        secret = json.dumps(asdict(credentials))
        try:
            self._keyring(lambda kr: kr.set_password(KEYRING_SERVICE, credentials.api_url, secret))
        except KeyringUnavailable:
            pass
        else:
            self._remove_from_file(credentials.api_url)
            return f"keyring ({self._backend_name()})"
        first_time = not self.file.exists()
        entries = self._read_file()
        entries[credentials.api_url] = asdict(credentials)
        self._write_file(entries)
        if first_time:
            self._warn(
                f"No usable OS keyring here, so the token is stored in {self.file} (readable by you only). "
                f"Set {TOKEN_ENV} instead to keep it off disk."
            )
        return f"file {self.file}"

    def delete(self, api_url: str) -> bool:
        removed = False
        try:
            if self._keyring(lambda kr: kr.get_password(KEYRING_SERVICE, api_url)):
                self._keyring(lambda kr: kr.delete_password(KEYRING_SERVICE, api_url))
                removed = True
        except KeyringUnavailable:
            pass
        return self._remove_from_file(api_url) or removed

    # -- keyring ----------------------------------------------------------------------------------

    def _keyring(self, call: Callable[[Any], T]) -> T:
        if os.environ.get(KEYRING_ENV, "").lower() in {"0", "off", "no", "false"}:
            raise KeyringUnavailable
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                import keyring
                from keyring.backends import fail

                backend = keyring.get_keyring()
                if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
                    raise KeyringUnavailable
                box["value"] = call(keyring)
            except Exception as exc:
                box["error"] = exc

        thread = threading.Thread(target=work, name="keyring", daemon=True)
        thread.start()
        thread.join(self._timeout)
        if thread.is_alive() or "error" in box:
            raise KeyringUnavailable
        value: T = box["value"]
        return value

    def _backend_name(self) -> str:
        try:
            return self._keyring(lambda kr: type(kr.get_keyring()).__name__)
        except KeyringUnavailable:
            return "unavailable"

    # -- file fallback ----------------------------------------------------------------------------

    def _read_file(self) -> dict[str, Any]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, json.JSONDecodeError):
            self._warn(f"Ignoring unreadable credentials file {self.file}.")
            return {}
        return data if isinstance(data, dict) else {}

    def _write_file(self, entries: dict[str, Any]) -> None:
        atomic_write_text(self.file, json.dumps(entries, indent=2), permissions=0o600, fsync=True)

    def _remove_from_file(self, api_url: str) -> bool:
        entries = self._read_file()
        if api_url not in entries:
            return False
        del entries[api_url]
        self._write_file(entries)
        return True


def _decode(api_url: str, secret: str) -> StoredCredentials:
    try:
        data = json.loads(secret)
    except json.JSONDecodeError:
        return StoredCredentials(api_url, secret, kind="api_token")
    return _from_dict(api_url, data) if isinstance(data, dict) else StoredCredentials(api_url, secret)


def _from_dict(api_url: str, data: dict[str, Any]) -> StoredCredentials:
    kind = data.get("kind", "session")
    return StoredCredentials(
        api_url=api_url,
        access_token=str(data.get("access_token", "")),
        refresh_token=data.get("refresh_token"),
        kind=kind if kind in ("session", "api_token", "env") else "session",
        email=data.get("email"),
    )
