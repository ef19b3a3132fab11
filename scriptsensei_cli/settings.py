"""Layered settings: flags > SCRIPTSENSEI_* environment > profile in the config file > defaults.

Every value remembers where it came from, so `ss config list --show-source` can say why a value is
what it is. Reading settings imports nothing heavy: it runs before every command.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "SCRIPTSENSEI_"
DEFAULT_PROFILE = "default"
APP_NAME = "scriptsensei"
OUTPUT_FORMATS = ("table", "json", "ndjson", "csv", "tsv")


class SettingsError(ValueError):
    """A bad key or value; `key` names the setting and `origin` where the bad value came from."""

    def __init__(self, message: str, *, key: str | None = None, origin: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.origin = origin


def _parse_url(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.rstrip("/")


def _parse_positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError("must be greater than 0")
    return number


def _parse_retries(value: str) -> int:
    number = int(value)
    if not 0 <= number <= 10:
        raise ValueError("must be between 0 and 10")
    return number


def _parse_output(value: str) -> str | None:
    value = value.strip().lower()
    if value in ("", "auto"):
        return None
    if value not in OUTPUT_FORMATS:
        raise ValueError(f"must be one of {', '.join(OUTPUT_FORMATS)} (or auto)")
    return value


def _parse_path(value: str) -> Path | None:
    return Path(value).expanduser() if value.strip() else None


@dataclass(frozen=True)
class SettingSpec:
    key: str
    parse: Callable[[str], Any]
    default: Any
    help: str

    @property
    def env_var(self) -> str:
        return ENV_PREFIX + self.key.upper()


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("api_url", _parse_url, None, "Server to talk to; unset starts the embedded engine."),
        SettingSpec("output", _parse_output, None, "Default output format (table, json, ndjson, csv, tsv)."),
        SettingSpec("connect_timeout", _parse_positive_float, 5.0, "Seconds to wait for a connection."),
        SettingSpec("read_timeout", _parse_positive_float, 30.0, "Seconds to wait for a response."),
        SettingSpec("max_retries", _parse_retries, 2, "Retries of idempotent requests on transient errors."),
        SettingSpec("data_dir", _parse_path, None, "Where the embedded engine keeps its data."),
    )
}


def config_dir() -> Path:
    """The user config dir (`SCRIPTSENSEI_CONFIG_DIR` overrides platformdirs)."""
    override = os.environ.get(ENV_PREFIX + "CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Value:
    value: Any
    source: str


class Settings:
    """Resolved settings for one profile: `settings.api_url`, `settings.source("api_url")`."""

    def __init__(self, profile: str, values: Mapping[str, Value]) -> None:
        self.profile = profile
        self._values = dict(values)

    def get(self, key: str) -> Any:
        return self._values[check_key(key)].value

    def source(self, key: str) -> str:
        return self._values[check_key(key)].source

    def items(self) -> list[tuple[str, Value]]:
        return list(self._values.items())

    @property
    def api_url(self) -> str | None:
        value: str | None = self.get("api_url")
        return value

    @property
    def output(self) -> str | None:
        value: str | None = self.get("output")
        return value

    @property
    def connect_timeout(self) -> float:
        return float(self.get("connect_timeout"))

    @property
    def read_timeout(self) -> float:
        return float(self.get("read_timeout"))

    @property
    def max_retries(self) -> int:
        return int(self.get("max_retries"))

    @property
    def data_dir(self) -> Path:
        value: Path | None = self.get("data_dir")
        return value or default_data_dir()


def check_key(key: str) -> str:
    if key in SPECS:
        return key
    close = difflib.get_close_matches(key, SPECS, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise SettingsError(f"unknown setting {key!r}{hint}; known: {', '.join(SPECS)}", key=key)


def parse_value(key: str, raw: str, origin: str) -> Any:
    spec = SPECS[check_key(key)]
    try:
        return spec.parse(raw)
    except ValueError as exc:
        reason = str(exc) if "must" in str(exc) else f"is not a valid value ({exc})"
        raise SettingsError(f"{key} from {origin} {reason}: {raw!r}", key=key, origin=origin) from exc


def read_config(path: Path | None = None) -> dict[str, Any]:
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"the config file {path} is not valid TOML: {exc}", origin=str(path)) from exc


def profile_table(config: Mapping[str, Any], profile: str) -> dict[str, Any]:
    profiles = config.get("profiles", {})
    table = profiles.get(profile, {}) if isinstance(profiles, dict) else {}
    return dict(table) if isinstance(table, dict) else {}


def load_settings(
    flags: Mapping[str, Any] | None = None,
    *,
    profile: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting; `flags` hold values already given on the command line (None = not given)."""
    env = os.environ if environ is None else environ
    profile = profile or env.get(ENV_PREFIX + "PROFILE") or DEFAULT_PROFILE
    path = config_path()
    table = profile_table(read_config(path), profile)
    unknown = sorted(set(table) - set(SPECS))
    if unknown:
        check_key(unknown[0])
    flags = flags or {}
    values: dict[str, Value] = {}
    for key, spec in SPECS.items():
        if flags.get(key) is not None:
            values[key] = Value(parse_value(key, str(flags[key]), f"--{key.replace('_', '-')}"), "flag")
        elif spec.env_var in env:
            values[key] = Value(parse_value(key, env[spec.env_var], spec.env_var), f"env {spec.env_var}")
        elif key in table:
            origin = f"{path} [profiles.{profile}]"
            values[key] = Value(parse_value(key, str(table[key]), origin), f"profile {profile} ({path})")
        else:
            values[key] = Value(spec.default, "default")
    return Settings(profile, values)


def set_value(key: str, raw: str, *, profile: str = DEFAULT_PROFILE) -> Any:
    """Validate and store `key = raw` in the profile; the file is replaced atomically."""
    import tomli_w

    from .common.atomic import atomic_write_text

    value = parse_value(key, raw, "the command line")
    path = config_path()
    config = read_config(path)
    profiles = config.setdefault("profiles", {})
    table = profiles.setdefault(profile, {})
    if value is None:
        table.pop(key, None)
    else:
        table[key] = str(value) if isinstance(value, Path) else value
    atomic_write_text(path, tomli_w.dumps(config), fsync=True)
    return value
