"""`GET /scripts/providers`: what is configured, what is usable, and (on request) what answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ...contract.scripts import ProviderList, ProviderStatus
from ..config import ENV_PREFIX, live_env
from .clients import client_for
from .errors import LLMError
from .settings import KNOWN, ProviderSettings, configured_providers, provider_settings


def _mentioned() -> list[ProviderSettings]:
    """Providers in the chain, then known ones the environment mentions at all (a half-done setup
    is worth showing: it says what is missing)."""
    env = live_env()
    chain = configured_providers(env)
    names = {settings.name for settings in chain}
    extra = [
        provider_settings(name, env)
        for name in KNOWN
        if name not in names and any(key.startswith(f"{ENV_PREFIX}{name.upper()}_") for key in env)
    ]
    return chain + extra


def _status(settings: ProviderSettings, check: bool) -> ProviderStatus:
    reachable, problem = None, settings.problem
    if check and settings.usable:
        client = client_for(settings)
        try:
            client.check()
            reachable = True
        except LLMError as exc:
            reachable, problem = False, exc.message
        finally:
            client.close()
    return ProviderStatus(
        name=settings.name,
        kind=settings.kind,
        model=settings.model,
        base_url=settings.base_url,
        key_set=settings.api_key is not None,
        usable=settings.usable,
        problem=problem,
        reachable=reachable,
    )


def provider_list(*, check: bool) -> ProviderList:
    mentioned = _mentioned()
    with ThreadPoolExecutor(max_workers=max(len(mentioned), 1)) as pool:
        statuses = list(pool.map(lambda settings: _status(settings, check), mentioned))
    builtin = ProviderStatus(
        name="builtin",
        kind="builtin",
        model=None,
        base_url="",
        key_set=False,
        usable=True,
        problem=None,
        reachable=True if check else None,
    )
    chain = [s.name for s in statuses if s.usable and s.name in {c.name for c in configured_providers()}]
    return ProviderList(providers=[*statuses, builtin], chain=chain or ["builtin"])
