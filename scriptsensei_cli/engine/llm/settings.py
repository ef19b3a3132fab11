"""Which LLM providers the engine may call, in which order, read from the environment.

    SCRIPTSENSEI_LLM_PROVIDERS=gemini,openai,anthropic,deepseek   # the fallback order
    SCRIPTSENSEI_OPENAI_API_KEY=sk-…                                # per provider NAME:
    SCRIPTSENSEI_OPENAI_MODEL=gpt-4o-mini                           #   _API_KEY, _MODEL,
    SCRIPTSENSEI_OLLAMA_BASE_URL=http://127.0.0.1:11434/v1          #   _BASE_URL, _KIND

A name the engine knows (openai, anthropic, gemini, deepseek, groq, openrouter, ollama, lmstudio)
brings its wire format, base URL and a default model; any other name is an OpenAI-compatible server
that needs `_BASE_URL` and `_MODEL`. Without SCRIPTSENSEI_LLM_PROVIDERS, every known provider that
has a key is used, in the original ScriptSensei order: Gemini, OpenAI, Claude, DeepSeek, then the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..config import ENV_PREFIX, live_env

KINDS = ("openai", "anthropic", "gemini")


@dataclass(frozen=True)
class Known:
    kind: str
    base_url: str
    model: str | None
    needs_key: bool = True


KNOWN: dict[str, Known] = {
    "gemini": Known("gemini", "https://generativelanguage.googleapis.com", "gemini-2.0-flash"),
    "openai": Known("openai", "https://api.openai.com/v1", "gpt-4o-mini"),
    "anthropic": Known("anthropic", "https://api.anthropic.com", "claude-3-5-haiku-latest"),
    "deepseek": Known("openai", "https://api.deepseek.com/v1", "deepseek-chat"),
    "groq": Known("openai", "https://api.groq.com/openai/v1", "llama-3.1-8b-instant"),
    "openrouter": Known("openai", "https://openrouter.ai/api/v1", None),
    "ollama": Known("openai", "http://127.0.0.1:11434/v1", None, needs_key=False),
    "lmstudio": Known("openai", "http://127.0.0.1:1234/v1", None, needs_key=False),
}
DEFAULT_ORDER = ("gemini", "openai", "anthropic", "deepseek", "groq", "openrouter")
RESERVED = {"builtin"}


@dataclass(frozen=True)
class ProviderSettings:
    """One provider as configured. `problem` says why it cannot be used (missing key or model)."""

    name: str
    kind: str
    base_url: str
    model: str | None
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    problem: str | None = None

    @property
    def env_key(self) -> str:
        return f"{ENV_PREFIX}{self.name.upper()}_API_KEY"

    @property
    def usable(self) -> bool:
        return self.problem is None


def _env(env: Mapping[str, str], name: str, suffix: str) -> str | None:
    value = env.get(f"{ENV_PREFIX}{name.upper()}_{suffix}", "").strip()
    return value or None


def provider_settings(name: str, env: Mapping[str, str] | None = None) -> ProviderSettings:
    """The settings of provider `name`, usable or with the reason it is not."""
    env = live_env() if env is None else env
    known = KNOWN.get(name)
    kind = _env(env, name, "KIND") or (known.kind if known else "openai")
    base_url = _env(env, name, "BASE_URL") or (known.base_url if known else "")
    model = _env(env, name, "MODEL") or (known.model if known else None)
    key = _env(env, name, "API_KEY")
    timeout = float(env.get(f"{ENV_PREFIX}LLM_TIMEOUT", "") or 60)
    problem = None
    prefix = f"{ENV_PREFIX}{name.upper()}"
    if kind not in KINDS:
        problem = f"{prefix}_KIND must be one of {', '.join(KINDS)}, not {kind!r}"
    elif not base_url:
        problem = f"set {prefix}_BASE_URL (an OpenAI-compatible server) and {prefix}_MODEL"
    elif model is None:
        problem = f"set {prefix}_MODEL (which model to ask)"
    elif key is None and (known.needs_key if known else False):
        problem = f"set {prefix}_API_KEY"
    return ProviderSettings(name, kind, base_url.rstrip("/"), model, key, timeout, problem)


def configured_providers(env: Mapping[str, str] | None = None) -> list[ProviderSettings]:
    """The fallback chain: named in SCRIPTSENSEI_LLM_PROVIDERS, or every known provider with a key."""
    env = live_env() if env is None else env
    listed = [n.strip().lower() for n in env.get(f"{ENV_PREFIX}LLM_PROVIDERS", "").split(",") if n.strip()]
    if listed:
        return [provider_settings(name, env) for name in dict.fromkeys(listed) if name not in RESERVED]
    return [
        settings
        for name in DEFAULT_ORDER
        if _env(env, name, "API_KEY") and (settings := provider_settings(name, env)).usable
    ]
