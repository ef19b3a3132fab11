"""`ScriptSensei`: the API client, one attribute per service."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from ..contract import Health
from ._base import Credentials, HTTPClient, TokensChanged
from ._config import DEFAULT_MAX_RETRIES, Timeouts

if TYPE_CHECKING:
    import httpx

    from .resources.analytics import AnalyticsResource
    from .resources.auth import AuthResource
    from .resources.content import ContentResource
    from .resources.media import MediaResource
    from .resources.scripts import ScriptsResource
    from .resources.trends import TrendsResource
    from .resources.users import UsersResource
    from .resources.videos import BulkResource, VideosResource
    from .resources.voices import VoicesResource


class ScriptSensei:
    """A client of one ScriptSensei server.

    with ScriptSensei("http://127.0.0.1:8765", token=token) as api:
        script = api.scripts.generate(GenerateScriptRequest(topic="AI in healthcare"))
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        refresh_token: str | None = None,
        on_tokens_changed: TokensChanged | None = None,
        timeouts: Timeouts | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        extra = {"sleep": sleep} if sleep is not None else {}
        self.http = HTTPClient(
            base_url,
            credentials=Credentials(token, refresh_token, on_tokens_changed),
            timeouts=timeouts,
            max_retries=max_retries,
            transport=transport,
            **extra,
        )

    @property
    def base_url(self) -> str:
        return self.http.base_url

    @cached_property
    def auth(self) -> AuthResource:
        from .resources.auth import AuthResource

        return AuthResource(self.http)

    @cached_property
    def videos(self) -> VideosResource:
        from .resources.videos import VideosResource

        return VideosResource(self.http)

    @cached_property
    def bulk(self) -> BulkResource:
        from .resources.videos import BulkResource

        return BulkResource(self.http)

    @cached_property
    def voices(self) -> VoicesResource:
        from .resources.voices import VoicesResource

        return VoicesResource(self.http)

    @cached_property
    def media(self) -> MediaResource:
        from .resources.media import MediaResource

        return MediaResource(self.http)

    @cached_property
    def scripts(self) -> ScriptsResource:
        from .resources.scripts import ScriptsResource

        return ScriptsResource(self.http)

    @cached_property
    def content(self) -> ContentResource:
        from .resources.content import ContentResource

        return ContentResource(self.http)

    @cached_property
    def analytics(self) -> AnalyticsResource:
        from .resources.analytics import AnalyticsResource

        return AnalyticsResource(self.http)

    @cached_property
    def trends(self) -> TrendsResource:
        from .resources.trends import TrendsResource

        return TrendsResource(self.http)

    @cached_property
    def users(self) -> UsersResource:
        from .resources.users import UsersResource

        return UsersResource(self.http)

    def health(self) -> Health:
        return self.http.request_model(Health, "GET", "/health", authenticated=False)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ScriptSensei:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
