"""The key-free stock sources (Openverse, Wikimedia Commons) and what every online source shares:
licence filtering, the search cache, cool-downs after rate limits and failures, base URL settings and
the switch that turns online media off.

Every test here talks HTTP to a stand-in on loopback (tests/stock_standin.py) that answers like the
real services: only the HTTP boundary is stood in for, nothing of ours is patched.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from scriptsensei_cli import __version__
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media.stock import (
    COOL_DOWNS,
    LocalLibrary,
    OpenverseProvider,
    PexelsProvider,
    PixabayProvider,
    SearchCache,
    StockProvider,
    StockProviderError,
    WikimediaProvider,
    fetch_stock,
    parse_licence,
    providers_from_config,
    search_stock,
)
from scriptsensei_cli.engine.media.stock.wikimedia import STANDARD_WIDTHS
from scriptsensei_cli.engine.outbound import USER_AGENT
from tests.stock_standin import FILE_BYTES, VIDEO_BYTES, StockStandIn

KEY = "test-key-563492ad6f91700001000001SECRET"


@pytest.fixture
def stand_in() -> Iterator[StockStandIn]:
    with StockStandIn() as server:
        yield server


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    providers: list[Any] = []
    yield providers
    for provider in providers:
        provider.close()


@pytest.fixture
def openverse(stand_in: StockStandIn, opened: list[Any]) -> OpenverseProvider:
    provider = OpenverseProvider(base_url=stand_in.openverse_url)
    opened.append(provider)
    return provider


@pytest.fixture
def wikimedia(stand_in: StockStandIn, opened: list[Any]) -> WikimediaProvider:
    provider = WikimediaProvider(base_url=stand_in.wikimedia_url)
    opened.append(provider)
    return provider


# ---------------------------------------------------------------------------------------- licences


@pytest.mark.parametrize(
    ("code", "version", "name", "commercial", "modification"),
    [
        ("by", "4.0", "CC BY 4.0", True, True),
        ("by-sa", "2.0", "CC BY-SA 2.0", True, True),
        ("by-nc-sa", "3.0", "CC BY-NC-SA 3.0", False, True),
        ("by-nd", "4.0", "CC BY-ND 4.0", True, False),
        ("by-nc-nd", "4.0", "CC BY-NC-ND 4.0", False, False),
        ("cc0", "1.0", "CC0", True, True),
        ("pdm", "1.0", "Public Domain", True, True),
        ("cc-by-sa-4.0", None, "CC BY-SA 4.0", True, True),
        ("cc-by-sa-2.5-nl", None, "CC BY-SA 2.5 NL", True, True),
        ("cc-by-3.0", None, "CC BY 3.0", True, True),
        ("pd", None, "Public Domain", True, True),
        ("cc-pd", None, "Public Domain", True, True),
        ("CC-BY-4.0", None, "CC BY 4.0", True, True),
    ],
)
def test_licences_are_normalised_with_what_they_allow(
    code: str, version: str | None, name: str, commercial: bool, modification: bool
) -> None:
    licence = parse_licence(code, version)
    assert licence is not None
    assert (licence.name, licence.commercial, licence.modification) == (name, commercial, modification)


@pytest.mark.parametrize("code", ["", None, "gfdl", "sampling+", "nc-sampling+", "fal", "by-xx"])
def test_other_licences_are_unknown(code: str | None) -> None:
    assert parse_licence(code) is None


def test_a_video_never_uses_no_derivatives_and_non_commercial_only_when_allowed() -> None:
    nc, nd, by = parse_licence("by-nc"), parse_licence("by-nd"), parse_licence("by")
    assert nc is not None and nd is not None and by is not None
    assert by.usable(allow_noncommercial=False)
    assert not nc.usable(allow_noncommercial=False) and nc.usable(allow_noncommercial=True)
    assert not nd.usable(allow_noncommercial=True)


# --------------------------------------------------------------------------------------- Openverse


def test_openverse_maps_images_with_credit_and_keeps_only_usable_licences(
    openverse: OpenverseProvider, stand_in: StockStandIn
) -> None:
    page = openverse.search("cyclist rain", kind="image", orientation="portrait", limit=6)

    assert isinstance(openverse, StockProvider)
    (request,) = stand_in.calls("openverse")
    assert request.path == "/openverse/v1/images/"
    assert request.params == {
        "q": "cyclist rain",
        "page": "1",
        "page_size": "6",
        "license_type": "commercial,modification",
        "mature": "false",
        "aspect_ratio": "tall",
    }
    assert request.headers["User-Agent"] == USER_AGENT
    assert f"/{__version__} (" in USER_AGENT and "https://" in USER_AGENT, "product, version, contact"
    # NC and ND are dropped, so is the one without a size; the landscape photo is not portrait.
    assert [item.title for item in page.items] == ["Cyclist in the rain", "Old umbrella poster"]
    cyclist, poster = page.items
    assert cyclist.id == "openverse:4bc43a04-ef46-4544-a0c1-63c63f56e276"
    assert (cyclist.provider, cyclist.type, cyclist.licence) == ("openverse", "image", "CC BY 2.0")
    assert (cyclist.width, cyclist.height, cyclist.duration) == (2000, 3000, None)
    assert (cyclist.author, cyclist.author_url) == (
        "Ana Photographer",
        "https://www.flickr.com/photos/someone",
    )
    assert cyclist.page_url == "https://www.flickr.com/photos/someone/4bc43a04"
    assert cyclist.download_url == f"{stand_in.files_url}/openverse/4bc43a04-ef46-4544-a0c1-63c63f56e276.jpg"
    assert (
        cyclist.preview_url == f"{stand_in.files_url}/openverse/4bc43a04-ef46-4544-a0c1-63c63f56e276/thumb/"
    )
    assert cyclist.tags == ["cyclist", "rain"]
    assert poster.licence == "Public Domain"
    assert page.total == 240


def test_openverse_any_orientation_keeps_cc0(openverse: OpenverseProvider) -> None:
    licences = [item.licence for item in openverse.search("rain", limit=20).items]
    assert licences == ["CC BY 2.0", "CC0", "Public Domain"]


def test_openverse_allows_non_commercial_licences_when_configured_but_never_no_derivatives(
    stand_in: StockStandIn, opened: list[Any]
) -> None:
    provider = OpenverseProvider(base_url=stand_in.openverse_url, allow_noncommercial=True)
    opened.append(provider)

    page = provider.search("rain", kind="image", limit=20)

    assert stand_in.calls("openverse")[0].params["license_type"] == "modification"
    assert [item.licence for item in page.items] == ["CC BY 2.0", "CC BY-NC-SA 2.0", "CC0", "Public Domain"]


def test_openverse_has_no_video_and_an_empty_query_asks_nothing(
    openverse: OpenverseProvider, stand_in: StockStandIn
) -> None:
    assert openverse.search("rain", kind="video").items == []
    assert openverse.search("   ", kind="image").items == []
    assert openverse.search("rain", kind="image", page=21, limit=20).items == [], "anonymous: 20 pages"
    assert stand_in.calls("openverse") == []


def test_openverse_asks_for_at_most_20_a_page(openverse: OpenverseProvider, stand_in: StockStandIn) -> None:
    openverse.search("rain", kind="image", limit=50)
    assert stand_in.calls("openverse")[0].params["page_size"] == "20", "anonymous: 21 is refused (401)"


# ------------------------------------------------------------------------------------------ Commons


def test_commons_maps_free_images_in_search_order_at_a_standard_thumbnail_width(
    wikimedia: WikimediaProvider, stand_in: StockStandIn
) -> None:
    page = wikimedia.search("cyclist rain", kind="image", limit=5)

    (request,) = stand_in.calls("wikimedia")
    assert request.path == "/wikimedia/w/api.php"
    params = request.params
    assert (params["action"], params["format"], params["formatversion"]) == ("query", "json", "2")
    assert (params["generator"], params["gsrnamespace"], params["gsrlimit"]) == ("search", "6", "5")
    assert params["gsrsearch"] == "cyclist rain filetype:bitmap"
    assert params["prop"] == "imageinfo" and "extmetadata" in params["iiprop"]
    assert int(params["iiurlwidth"]) in STANDARD_WIDTHS, "any other width is answered 429 by the CDN"
    assert params["maxlag"] == "5"
    assert request.headers["User-Agent"] == USER_AGENT

    # GFDL (no machine licence), a "personality" restriction and a non-free file are dropped.
    assert [item.id for item in page.items] == ["wikimedia:90211", "wikimedia:90214"]
    cyclist, harbour = page.items
    assert cyclist.title == "Amsterdam cyclist in rain 2019"
    assert (cyclist.provider, cyclist.type, cyclist.licence) == ("wikimedia", "image", "CC BY-SA 4.0")
    assert (cyclist.author, cyclist.author_url) == (
        "Jane Doe",
        "https://commons.wikimedia.org/wiki/User:Jane_Doe",
    )
    assert (cyclist.width, cyclist.height, cyclist.orientation) == (4000, 6000, "portrait")
    assert cyclist.page_url == "https://commons.wikimedia.org/wiki/File:Amsterdam_cyclist_in_rain_2019.jpg"
    assert cyclist.download_url is not None and "/1280px-" in cyclist.download_url, "the API's thumbnail"
    assert {"amsterdam", "cyclist", "rain"} <= set(cyclist.tags)
    assert harbour.title == "Rain over the harbour (1890)", "no ObjectName: the file name"
    assert (harbour.licence, harbour.author) == ("Public Domain", "Unknown author")
    assert page.total == 5 + 5, "no total from the search generator: this page, and one more to come"


def test_commons_landscape_asks_for_1920_px_thumbnails(
    wikimedia: WikimediaProvider, stand_in: StockStandIn
) -> None:
    page = wikimedia.search("rain", kind="image", orientation="landscape", limit=5)
    assert stand_in.calls("wikimedia")[0].params["iiurlwidth"] == "1920"
    assert [item.id for item in page.items] == ["wikimedia:90214"]


def test_commons_restricted_files_are_kept_when_non_commercial_use_is_allowed(
    stand_in: StockStandIn, opened: list[Any]
) -> None:
    provider = WikimediaProvider(base_url=stand_in.wikimedia_url, allow_noncommercial=True)
    opened.append(provider)
    page = provider.search("cyclist", kind="image", limit=5)
    assert [item.id for item in page.items] == ["wikimedia:90211", "wikimedia:90213", "wikimedia:90214"]


def test_commons_videos_take_the_webm_transcode_nearest_1080p(
    wikimedia: WikimediaProvider, stand_in: StockStandIn
) -> None:
    page = wikimedia.search("rain", kind="video", limit=3)

    params = stand_in.calls("wikimedia")[0].params
    assert params["prop"] == "videoinfo" and "derivatives" in params["viprop"]
    assert params["gsrsearch"] == "rain filetype:video"
    assert int(params["viurlwidth"]) in STANDARD_WIDTHS
    # The audio-only Ogg file is dropped; the Ogg Theora film has no transcodes: its original.
    window, tram = page.items
    assert window.download_url is not None and window.download_url.endswith(".1080p.vp9.webm")
    assert (window.type, window.width, window.height, window.duration) == ("video", 3840, 2160, 12.5)
    assert (window.licence, window.author, window.author_url) == (
        "CC BY 3.0",
        "A. Filmer",
        "https://www.example.org/~filmer",
    )
    assert window.preview_url is not None and window.preview_url.endswith(".webm.jpg")
    assert tram.download_url is not None and tram.download_url.endswith("/Tram_in_the_rain.ogv")
    assert (tram.licence, tram.duration) == ("Public Domain", 61.2)


def test_commons_any_kind_shares_the_page_between_photos_and_videos(
    wikimedia: WikimediaProvider, stand_in: StockStandIn
) -> None:
    page = wikimedia.search("rain", limit=6)
    assert [call.params["prop"] for call in stand_in.calls("wikimedia")] == ["imageinfo", "videoinfo"]
    assert {item.type for item in page.items} == {"image", "video"}


def test_downloads_are_cached_with_our_user_agent(
    wikimedia: WikimediaProvider, stand_in: StockStandIn, tmp_path: Path
) -> None:
    video = wikimedia.search("rain", kind="video", limit=3).items[0]

    first = fetch_stock([wikimedia], video, tmp_path / "cache")
    second = wikimedia.fetch(video, tmp_path / "cache")

    assert first == second and first.read_bytes() == VIDEO_BYTES
    assert first.parent == tmp_path / "cache" / "wikimedia" and first.suffix == ".webm"
    (download,) = stand_in.calls("files")
    assert download.headers["User-Agent"] == USER_AGENT


def test_openverse_downloads_the_original(
    openverse: OpenverseProvider, stand_in: StockStandIn, tmp_path: Path
) -> None:
    item = openverse.search("rain", kind="image", limit=1).items[0]
    assert openverse.fetch(item, tmp_path).read_bytes() == FILE_BYTES


# ------------------------------------------------------------------------ rate limits, cool-downs


def test_a_429_cools_the_source_down_for_its_retry_after(
    openverse: OpenverseProvider, stand_in: StockStandIn, tmp_path: Path
) -> None:
    stand_in.plan("openverse", ["429"])

    with pytest.raises(StockProviderError) as caught:
        openverse.search("rain", kind="image")
    assert caught.value.message == "Openverse rate limit reached; retry after 30 s"
    assert (caught.value.status, caught.value.retry_after) == (429, 30)

    # Any search, by any provider object for the same source, is now skipped without a request.
    started = time.monotonic()
    library = LocalLibrary([], tmp_path / "library.json")
    again = OpenverseProvider(base_url=stand_in.openverse_url)
    try:
        result = search_stock([library, again], "something else", kind="image")
    finally:
        again.close()
    assert time.monotonic() - started < 1
    assert len(stand_in.calls("openverse")) == 1
    (warning,) = result.warnings
    assert warning.startswith("Openverse skipped for ") and "after a rate limit" in warning


def test_a_source_cools_down_only_for_the_base_url_that_failed(
    stand_in: StockStandIn, opened: list[Any]
) -> None:
    stand_in.plan("openverse", ["429"])
    failing = OpenverseProvider(base_url=stand_in.openverse_url)
    other = OpenverseProvider(base_url=stand_in.openverse_url.rstrip("/") + "//")
    opened.extend([failing, other])
    with pytest.raises(StockProviderError):
        failing.search("rain", kind="image")
    assert other.search("rain", kind="image").items


def test_a_cool_down_ends(openverse: OpenverseProvider, stand_in: StockStandIn) -> None:
    stand_in.retry_after = "0.3"
    stand_in.plan("openverse", ["429"])
    with pytest.raises(StockProviderError):
        openverse.search("rain", kind="image")
    with pytest.raises(StockProviderError, match="skipped for"):
        openverse.search("rain", kind="image")
    time.sleep(0.4)
    assert openverse.search("rain", kind="image").items
    assert len(stand_in.calls("openverse")) == 2


def test_a_used_up_openverse_quota_cools_it_down_before_a_429(
    openverse: OpenverseProvider, stand_in: StockStandIn
) -> None:
    stand_in.plan("openverse", ["exhausted"])

    assert openverse.search("rain", kind="image").items, "this answer still counts"
    with pytest.raises(
        StockProviderError, match=r"Openverse skipped for (59|60) s more after its rate limit"
    ):
        openverse.search("umbrella", kind="image")
    assert len(stand_in.calls("openverse")) == 1


def test_commons_database_lag_cools_it_down(wikimedia: WikimediaProvider, stand_in: StockStandIn) -> None:
    stand_in.plan("wikimedia", ["maxlag"])
    with pytest.raises(StockProviderError, match="databases lag"):
        wikimedia.search("rain", kind="image")
    cool_down = COOL_DOWNS.get(("wikimedia", stand_in.wikimedia_url))
    assert cool_down is not None and 6 < cool_down.remaining() <= 7, "its Retry-After: 7"


def test_a_timeout_moves_on_to_the_next_source_and_is_not_waited_on_again(
    stand_in: StockStandIn, opened: list[Any], tmp_path: Path
) -> None:
    stand_in.slow_seconds = 3
    stand_in.plan("openverse", ["slow"])
    slow = OpenverseProvider(base_url=stand_in.openverse_url, timeout=0.3)
    commons = WikimediaProvider(base_url=stand_in.wikimedia_url)
    opened.extend([slow, commons])

    started = time.monotonic()
    result = search_stock([slow, commons], "rain", kind="image", limit=10)
    assert time.monotonic() - started < 2.5
    assert [item.provider for item in result.items] == ["wikimedia", "wikimedia"]
    assert result.warnings == ["Openverse is unreachable or failing (timed out); try again later"]

    started = time.monotonic()
    again = search_stock([slow, commons], "umbrella", kind="image", limit=10)
    assert time.monotonic() - started < 1, "a source that did not answer is skipped for a while"
    assert again.warnings[0].startswith("Openverse skipped for ") and "after no answer" in again.warnings[0]
    assert len(stand_in.calls("openverse")) == 1


def test_an_unreachable_source_fails_fast_and_cools_down(tmp_path: Path, opened: list[Any]) -> None:
    provider = WikimediaProvider(base_url="http://127.0.0.1:9/w/api.php")  # nothing listens on port 9
    opened.append(provider)
    with pytest.raises(StockProviderError, match="Wikimedia Commons is unreachable or failing \\(connection"):
        provider.search("rain", kind="image")
    with pytest.raises(StockProviderError, match="Wikimedia Commons skipped for"):
        provider.search("rain", kind="image")


def test_a_server_error_cools_down_too(openverse: OpenverseProvider, stand_in: StockStandIn) -> None:
    stand_in.plan("openverse", ["500"])
    with pytest.raises(StockProviderError, match="HTTP 500"):
        openverse.search("rain", kind="image")
    with pytest.raises(StockProviderError, match=r"skipped for .* after a failure"):
        openverse.search("rain", kind="image")


def test_keyed_sources_cool_down_as_well(stand_in: StockStandIn, opened: list[Any]) -> None:
    stand_in.plan("openverse", ["429"])  # the stand-in's 429 is the same for any path
    pexels = PexelsProvider(KEY, base_url=f"{stand_in.url}/openverse/")
    opened.append(pexels)
    with pytest.raises(StockProviderError, match="Pexels rate limit reached; retry after 30 s"):
        pexels.search("rain", kind="image")
    with pytest.raises(StockProviderError, match="Pexels skipped for"):
        pexels.search("rain", kind="image")
    assert len(stand_in.calls("openverse")) == 1


# ----------------------------------------------------------------------------------- search cache


def test_the_same_search_is_asked_once_across_providers_and_renders(
    stand_in: StockStandIn, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    for _ in range(3):  # three renders, each with its own providers
        with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=cache) as provider:
            page = provider.search("Cyclist  rain", kind="image", limit=6)
            assert [item.licence for item in page.items] == ["CC BY 2.0", "CC0", "Public Domain"]
    with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=cache) as provider:
        provider.search("cyclist rain", kind="image", limit=6)  # case and spaces do not matter
        provider.search("cyclist rain", kind="image", limit=6, orientation="portrait")
        provider.search("umbrella", kind="image", limit=6)

    assert [call.params["q"] for call in stand_in.calls("openverse")] == [
        "Cyclist  rain",
        "cyclist rain",
        "umbrella",
    ]
    assert len(list((cache / "searches").glob("openverse-*.json"))) == 3


def test_a_cached_search_is_answered_even_while_the_source_cools_down(
    stand_in: StockStandIn, tmp_path: Path
) -> None:
    with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=tmp_path) as provider:
        provider.search("rain", kind="image")
        stand_in.plan("openverse", ["429"])
        with pytest.raises(StockProviderError):
            provider.search("umbrella", kind="image")
        assert provider.search("rain", kind="image").items


def test_the_cache_expires_and_depends_on_the_licence_setting(stand_in: StockStandIn, tmp_path: Path) -> None:
    with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=tmp_path) as provider:
        provider.search("rain", kind="image")
    with OpenverseProvider(
        base_url=stand_in.openverse_url, cache_dir=tmp_path, allow_noncommercial=True
    ) as provider:
        provider.search("rain", kind="image")
    assert len(stand_in.calls("openverse")) == 2

    for path in (tmp_path / "searches").glob("*.json"):  # a day later
        data = json.loads(path.read_text())
        data["saved"] -= 24 * 3600 + 1
        path.write_text(json.dumps(data))
    with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=tmp_path) as provider:
        provider.search("rain", kind="image")
    assert len(stand_in.calls("openverse")) == 3


def test_a_corrupt_cache_file_is_a_miss(tmp_path: Path) -> None:
    cache = SearchCache(tmp_path)
    key = cache.key("openverse", "x", query="rain")
    (tmp_path / f"{key}.json").write_text("{not json")
    assert cache.get(key) is None


# ------------------------------------------------------------------------------------- settings


def test_online_sources_follow_the_keyed_ones_and_take_their_base_urls_from_settings(
    stand_in: StockStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRIPTSENSEI_ONLINE_MEDIA", "on")
    monkeypatch.setenv("SCRIPTSENSEI_PEXELS_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_PIXABAY_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_PEXELS_URL", f"{stand_in.url}/pexels/")
    monkeypatch.setenv("SCRIPTSENSEI_PIXABAY_URL", f"{stand_in.url}/pixabay/api/")
    monkeypatch.setenv("SCRIPTSENSEI_OPENVERSE_URL", stand_in.openverse_url)
    monkeypatch.setenv("SCRIPTSENSEI_WIKIMEDIA_URL", stand_in.wikimedia_url)
    config = EngineConfig.from_env(tmp_path)
    assert (config.online_media, config.allow_noncommercial_media) == (True, False)

    providers = providers_from_config(config, tmp_path / "cache")
    try:
        assert [p.name for p in providers] == ["local", "pexels", "pixabay", "openverse", "wikimedia"]
        result = search_stock(providers, "rain", kind="image", limit=12)
        assert {item.provider for item in result.items} == {"openverse", "wikimedia"}
        # The keyed stand-ins are not Pexels and Pixabay: what matters is where they were asked.
        assert {seen.path for seen in stand_in.seen if seen.source in ("pexels", "pixabay")} == {
            "/pexels/v1/search",
            "/pixabay/api/",
        }
        assert len(result.warnings) == 2
        assert all(KEY not in warning for warning in result.warnings)
        assert (tmp_path / "cache" / "searches").is_dir()
    finally:
        for provider in providers[1:]:
            provider.close()  # type: ignore[attr-defined]


def test_non_commercial_licences_are_a_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRIPTSENSEI_ONLINE_MEDIA", "1")
    monkeypatch.setenv("SCRIPTSENSEI_ALLOW_NONCOMMERCIAL_MEDIA", "yes")
    providers = providers_from_config(EngineConfig.from_env(tmp_path), tmp_path)
    try:
        online = [p for p in providers if isinstance(p, OpenverseProvider | WikimediaProvider)]
        assert [p.allow_noncommercial for p in online] == [True, True]
        assert [p.base_url for p in online] == [
            "https://api.openverse.org/v1/",
            "https://commons.wikimedia.org/w/api.php",
        ], "the real services by default"
    finally:
        for provider in providers[1:]:
            provider.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_online_media_off_leaves_only_the_local_library(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCRIPTSENSEI_ONLINE_MEDIA", value)
    monkeypatch.setenv("SCRIPTSENSEI_PEXELS_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_PIXABAY_API_KEY", KEY)
    config = EngineConfig.from_env(tmp_path)
    assert not config.online_media
    (local,) = providers_from_config(config, tmp_path)
    assert isinstance(local, LocalLibrary)
    assert not EngineConfig(data_dir=tmp_path).online_media, "a configuration built in code too"


def test_the_test_suite_keeps_online_media_off() -> None:
    assert os.environ["SCRIPTSENSEI_ONLINE_MEDIA"] == "off"
    assert not EngineConfig(data_dir=Path("unused")).online_media


def test_online_media_is_on_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCRIPTSENSEI_ONLINE_MEDIA")
    assert EngineConfig.from_env(tmp_path).online_media
    providers = providers_from_config(EngineConfig(data_dir=tmp_path), tmp_path)
    try:
        assert [p.name for p in providers] == ["local", "openverse", "wikimedia"]
        assert all(
            isinstance(
                p, LocalLibrary | OpenverseProvider | WikimediaProvider | PexelsProvider | PixabayProvider
            )
            for p in providers
        )
    finally:
        for provider in providers[1:]:
            provider.close()  # type: ignore[attr-defined]


def test_renders_asking_the_same_search_at_once_share_one_request(
    stand_in: StockStandIn, tmp_path: Path
) -> None:
    stand_in.slow_seconds = 0.3
    stand_in.plan("openverse", ["slow"])

    def render() -> int:
        with OpenverseProvider(base_url=stand_in.openverse_url, cache_dir=tmp_path) as provider:
            return len(provider.search("rain", kind="image").items)

    with ThreadPoolExecutor(max_workers=4) as pool:
        counts = list(pool.map(lambda _: render(), range(4)))
    assert counts == [3, 3, 3, 3]
    assert len(stand_in.calls("openverse")) == 1
