"""Stock media: the local library against real files made with ffmpeg, and Pexels and Pixabay tested
only at the HTTP boundary (an httpx.MockTransport stands in for the third-party API)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scriptsensei_cli.contract import media as contract
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media.stock import (
    LocalLibrary,
    OpenverseProvider,
    PexelsProvider,
    PixabayProvider,
    StockItem,
    StockProvider,
    StockProviderError,
    WikimediaProvider,
    fetch_stock,
    providers_from_config,
    search_stock,
    tokenize,
)
from scriptsensei_cli.engine.media.stock import local as stock_local
from tests.media_files import make_image, make_video

KEY = "test-key-563492ad6f91700001000001SECRET"


# ------------------------------------------------------------------------------------- test media


@pytest.fixture(scope="module")
def media_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small library of real files, made once; tests copy it so they can change it."""
    root = tmp_path_factory.mktemp("media") / "Library"
    make_image(root / "Beach" / "SunsetWaves_IMG_2034.jpg", 96, 64, "orange")
    make_image(root / "Beach" / "palm-tree.png", 64, 96, "green")
    make_image(root / "Plaza" / "square_fountain.png", 64, 64, "gray")
    make_video(
        root / "City" / "nightTraffic.mp4",
        64,
        112,
        title="Rush hour lights",
        comment="neon, rain",
        artist="Ana Filmer",
    )
    make_image(root / ".thumbnails" / "hidden.jpg", 32, 32)
    (root / "notes.txt").write_text("not media")
    (root / "City" / "broken.jpg").write_text("this is not a JPEG")
    return root


@pytest.fixture
def library_dir(media_source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "Library"
    shutil.copytree(media_source, target)
    return target


@pytest.fixture
def library(library_dir: Path, tmp_path: Path) -> LocalLibrary:
    return LocalLibrary([library_dir], tmp_path / "index" / "library.json")


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the library probes (the real probe still runs)."""
    calls: list[Path] = []
    real = stock_local.probe

    def counting(path: Path, **kwargs: Any) -> Any:
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(stock_local, "probe", counting)
    return calls


def by_name(items: list[StockItem]) -> list[str]:
    return [item.path.name for item in items if item.path]


# ---------------------------------------------------------------------------------- local library


def test_tokenize_splits_names_and_drops_noise() -> None:
    assert tokenize("SunsetBeach_IMG_2034 (final copy)") == ["sunset", "beach"]
    assert tokenize("HDRSkyline-2024.night") == ["hdr", "skyline", "night"]
    assert tokenize("Café au lait, café") == ["café", "au", "lait"]
    assert tokenize("東京 タワー") == ["東京", "タワー"]
    assert tokenize("the a of") == []


def test_index_holds_size_duration_and_tags_from_names_folders_and_metadata(library: LocalLibrary) -> None:
    entries = {Path(path).name: entry for path, entry in library.entries().items()}

    assert set(entries) == {
        "SunsetWaves_IMG_2034.jpg",
        "palm-tree.png",
        "square_fountain.png",
        "nightTraffic.mp4",
        "broken.jpg",
    }, "hidden folders and non-media files are not indexed"
    photo = entries["SunsetWaves_IMG_2034.jpg"]
    assert (photo.kind, photo.width, photo.height, photo.duration) == ("image", 96, 64, None)
    assert photo.tags == ["sunset", "waves", "library", "beach"]
    assert photo.title == "SunsetWaves IMG 2034"

    clip = entries["nightTraffic.mp4"]
    assert (clip.kind, clip.width, clip.height) == ("video", 64, 112)
    assert clip.duration == pytest.approx(0.5, abs=0.1)
    assert clip.title == "Rush hour lights"
    assert clip.author == "Ana Filmer"
    assert {"night", "traffic", "city", "rush", "hour", "lights", "neon", "rain"} <= set(clip.tags)

    assert not entries["broken.jpg"].usable


def test_search_ranks_exact_tags_over_prefixes_over_substrings(library_dir: Path, tmp_path: Path) -> None:
    for name in ("palmtree.png", "treehouse.png", "tree.png"):
        make_image(library_dir / "Garden" / name, 64, 64)
    library = LocalLibrary([library_dir], tmp_path / "library.json")

    page = library.search("tree")

    # Exact tags first, the file with fewer other words (Garden/tree: "tree garden library") before
    # Beach/palm-tree ("palm tree beach library"); then a prefix, then a substring.
    assert by_name(page.items) == ["tree.png", "palm-tree.png", "treehouse.png", "palmtree.png"]


def test_every_query_word_counts(library: LocalLibrary) -> None:
    page = library.search("beach sunset")
    assert by_name(page.items) == ["SunsetWaves_IMG_2034.jpg", "palm-tree.png"]
    assert page.total == 2


def test_ties_are_broken_by_path_so_pages_are_stable(library: LocalLibrary) -> None:
    page = library.search("beach")
    assert by_name(page.items) == ["SunsetWaves_IMG_2034.jpg", "palm-tree.png"]


def test_metadata_makes_a_file_findable(library: LocalLibrary) -> None:
    (item,) = library.search("neon rain").items
    assert item.path is not None and item.path.name == "nightTraffic.mp4"
    assert item.id.startswith("local:")
    assert (item.provider, item.type, item.licence, item.author) == ("local", "video", "local", "Ana Filmer")
    assert item.download_url is None


def test_empty_query_lists_every_usable_file(library: LocalLibrary) -> None:
    page = library.search("")
    assert sorted(by_name(page.items)) == [
        "SunsetWaves_IMG_2034.jpg",
        "nightTraffic.mp4",
        "palm-tree.png",
        "square_fountain.png",
    ]
    assert page.total == 4


def test_kind_and_orientation_filter(library: LocalLibrary) -> None:
    assert by_name(library.search("", kind="video").items) == ["nightTraffic.mp4"]
    assert "nightTraffic.mp4" not in by_name(library.search("", kind="image").items)
    assert sorted(by_name(library.search("", orientation="portrait").items)) == [
        "nightTraffic.mp4",
        "palm-tree.png",
    ]
    assert by_name(library.search("", orientation="landscape").items) == ["SunsetWaves_IMG_2034.jpg"]
    assert by_name(library.search("", orientation="square").items) == ["square_fountain.png"]
    assert by_name(library.search("", kind="image", orientation="portrait").items) == ["palm-tree.png"]


def test_pages_cover_every_match_once(library: LocalLibrary) -> None:
    pages = [library.search("", page=number, limit=3) for number in (1, 2, 3)]
    assert [len(page.items) for page in pages] == [3, 1, 0]
    assert {page.total for page in pages} == {4}
    names = [name for page in pages for name in by_name(page.items)]
    assert sorted(names) == sorted(set(names)) and len(names) == 4


def test_bad_search_arguments_are_refused(library: LocalLibrary) -> None:
    with pytest.raises(ValueError, match="kind must be one of image, video"):
        library.search("", kind="audio")
    with pytest.raises(ValueError, match="orientation must be one of portrait, landscape, square"):
        library.search("", orientation="diagonal")
    with pytest.raises(ValueError, match="page must be 1 or more"):
        library.search("", page=0)


def test_reindex_probes_only_new_and_changed_files_and_drops_deleted_ones(
    library: LocalLibrary, library_dir: Path, probes: list[Path]
) -> None:
    first = library.refresh()
    assert (first.files, first.probed, first.removed) == (5, 5, 0)
    saved = json.loads(library.index_path.read_text())["entries"]

    probes.clear()
    again = library.refresh()
    assert (again.files, again.probed, again.removed) == (5, 0, 0)
    assert probes == []

    # A fresh library on the same index (a new process) trusts it too.
    reopened = LocalLibrary([library_dir], library.index_path)
    assert reopened.refresh().probed == 0
    assert probes == []

    palm = library_dir / "Beach" / "palm-tree.png"
    make_image(palm, 64, 128, "yellow")  # same path, new content
    os.utime(palm, ns=(1, 1))  # so the mtime surely differs from the copy's
    (library_dir / "Plaza" / "square_fountain.png").unlink()
    make_image(library_dir / "Beach" / "shells.png", 80, 80)

    changed = library.refresh()
    assert (changed.files, changed.probed, changed.removed) == (5, 2, 1)
    assert sorted(path.name for path in probes) == ["palm-tree.png", "shells.png"]
    now = json.loads(library.index_path.read_text())["entries"]
    assert now[str(palm)]["height"] == 128
    assert not any(path.endswith("square_fountain.png") for path in now)
    unchanged = str(library_dir / "City" / "nightTraffic.mp4")
    assert now[unchanged] == saved[unchanged]


def test_unreadable_files_are_not_probed_again_until_they_change(
    library: LocalLibrary, probes: list[Path]
) -> None:
    library.refresh()
    probes.clear()
    library.refresh()
    assert not any(path.name == "broken.jpg" for path in probes)


def test_a_corrupt_index_is_rebuilt(library: LocalLibrary, library_dir: Path) -> None:
    library.index_path.parent.mkdir(parents=True, exist_ok=True)
    library.index_path.write_text("{not json")
    reopened = LocalLibrary([library_dir], library.index_path)
    assert reopened.refresh().probed == 5
    assert json.loads(library.index_path.read_text())["version"] == stock_local.INDEX_VERSION


def test_index_is_written_atomically(library: LocalLibrary) -> None:
    library.refresh()
    assert [path.name for path in library.index_path.parent.iterdir()] == ["library.json"]


def test_fetch_returns_the_file_itself_and_get_finds_it_by_id(library: LocalLibrary, tmp_path: Path) -> None:
    (item,) = library.search("fountain").items
    assert library.fetch(item, tmp_path / "cache") == item.path
    assert library.get(item.id) == item
    assert LocalLibrary(library.folders, tmp_path / "other.json").get(item.id) == item, "ids are stable"

    assert item.path is not None
    item.path.unlink()
    with pytest.raises(StockProviderError, match="no longer in the media library"):
        library.fetch(item, tmp_path / "cache")
    assert library.get(item.id) is None


# -------------------------------------------------------------- third-party APIs (HTTP boundary)

# Response bodies shaped like the providers' documented responses.
PEXELS_PHOTOS = {
    "total_results": 10000,
    "page": 1,
    "per_page": 2,
    "photos": [
        {
            "id": 2014422,
            "width": 3024,
            "height": 3024,
            "url": "https://www.pexels.com/photo/brown-rocks-during-golden-hour-2014422/",
            "photographer": "Joey Farina",
            "photographer_url": "https://www.pexels.com/@joey",
            "photographer_id": 680589,
            "avg_color": "#978E82",
            "src": {
                "original": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg",
                "large2x": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&dpr=2&h=650&w=940",
                "large": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&h=650&w=940",
                "medium": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&h=350",
                "small": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&h=130",
                "portrait": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&fit=crop&h=1200&w=800",
                "landscape": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&fit=crop&h=627&w=1200",
                "tiny": "https://images.pexels.com/photos/2014422/pexels-photo-2014422.jpeg?auto=compress&cs=tinysrgb&dpr=1&fit=crop&h=200&w=280",
            },
            "liked": False,
            "alt": "Brown Rocks During Golden Hour",
        },
        {
            "id": 1563356,
            "width": 3200,
            "height": 4800,
            "url": "https://www.pexels.com/photo/thoughtful-woman-on-a-beach-1563356/",
            "photographer": "Vlada Karpovich",
            "photographer_url": "https://www.pexels.com/@vlada",
            "photographer_id": 1,
            "avg_color": "#6B5E55",
            "src": {
                "original": "https://images.pexels.com/photos/1563356/pexels-photo-1563356.jpeg",
                "large2x": "https://images.pexels.com/photos/1563356/pexels-photo-1563356.jpeg?auto=compress&cs=tinysrgb&dpr=2&h=650&w=940",
                "medium": "https://images.pexels.com/photos/1563356/pexels-photo-1563356.jpeg?auto=compress&cs=tinysrgb&h=350",
                "portrait": "https://images.pexels.com/photos/1563356/pexels-photo-1563356.jpeg?auto=compress&cs=tinysrgb&fit=crop&h=1200&w=800",
            },
            "liked": False,
            "alt": "",
        },
    ],
    "next_page": "https://api.pexels.com/v1/search/?page=2&per_page=2&query=nature",
}

PEXELS_VIDEOS = {
    "page": 1,
    "per_page": 1,
    "total_results": 2543,
    "url": "https://www.pexels.com/videos/",
    "videos": [
        {
            "id": 1526909,
            "width": 1920,
            "height": 1080,
            "duration": 10,
            "full_res": None,
            "tags": [],
            "url": "https://www.pexels.com/video/seal-on-the-beach-1526909/",
            "image": "https://images.pexels.com/videos/1526909/free-video-1526909.jpg?auto=compress&cs=tinysrgb&fit=crop&h=630&w=1200",
            "avg_color": None,
            "user": {"id": 574687, "name": "Ruvim Miksanskiy", "url": "https://www.pexels.com/@digitech"},
            "video_files": [
                {
                    "id": 61368,
                    "quality": "hd",
                    "file_type": "video/mp4",
                    "width": 1920,
                    "height": 1080,
                    "fps": 23.98,
                    "link": "https://videos.pexels.com/video-files/1526909/1526909-hd_1920_1080_24fps.mp4",
                },
                {
                    "id": 61369,
                    "quality": "sd",
                    "file_type": "video/mp4",
                    "width": 960,
                    "height": 540,
                    "fps": 23.98,
                    "link": "https://videos.pexels.com/video-files/1526909/1526909-sd_960_540_24fps.mp4",
                },
                {
                    "id": 61371,
                    "quality": "uhd",
                    "file_type": "video/mp4",
                    "width": 3840,
                    "height": 2160,
                    "fps": 23.98,
                    "link": "https://videos.pexels.com/video-files/1526909/1526909-uhd_3840_2160_24fps.mp4",
                },
                {
                    "id": 61372,
                    "quality": "hls",
                    "file_type": "hls",
                    "width": None,
                    "height": None,
                    "fps": None,
                    "link": "https://player.vimeo.com/external/296210754.m3u8?s=abc",
                },
            ],
            "video_pictures": [
                {
                    "id": 133236,
                    "picture": "https://images.pexels.com/videos/1526909/pictures/preview-0.jpg",
                    "nr": 0,
                }
            ],
        }
    ],
}

PIXABAY_IMAGES = {
    "total": 4692,
    "totalHits": 500,
    "hits": [
        {
            "id": 195893,
            "pageURL": "https://pixabay.com/photos/blossom-bloom-flower-195893/",
            "type": "photo",
            "tags": "blossom, bloom, flower",
            "previewURL": "https://cdn.pixabay.com/photo/2013/10/15/09/12/flower-195893_150.jpg",
            "previewWidth": 150,
            "previewHeight": 84,
            "webformatURL": "https://pixabay.com/get/35bbf209e13e39d2_640.jpg",
            "webformatWidth": 640,
            "webformatHeight": 360,
            "largeImageURL": "https://pixabay.com/get/ed6a99fd0a76647_1280.jpg",
            "imageWidth": 4000,
            "imageHeight": 2250,
            "imageSize": 4731420,
            "views": 7671,
            "downloads": 6439,
            "collections": 1,
            "likes": 5,
            "comments": 2,
            "user_id": 48777,
            "user": "Josch13",
            "userImageURL": "https://cdn.pixabay.com/user/2013/11/05/02-10-23-764_250x250.jpg",
        },
        {
            "id": 2,
            "pageURL": "https://pixabay.com/photos/x-2/",
            "type": "photo",
            "tags": "a",
            "previewURL": "p",
            "webformatURL": "w2",
            "largeImageURL": "l2",
            "imageWidth": 10,
            "imageHeight": 10,
            "user": "u",
            "user_id": 1,
        },
        {
            "id": 3,
            "pageURL": "https://pixabay.com/photos/y-3/",
            "type": "photo",
            "tags": "b",
            "previewURL": "p",
            "webformatURL": "w3",
            "largeImageURL": "l3",
            "imageWidth": 10,
            "imageHeight": 10,
            "user": "u",
            "user_id": 1,
        },
    ],
}

PIXABAY_VIDEOS = {
    "total": 4692,
    "totalHits": 500,
    "hits": [
        {
            "id": 27669,
            "pageURL": "https://pixabay.com/videos/id-27669/",
            "type": "animation",
            "tags": "particles, plexus, network, glowing, city lights",
            "duration": 10,
            "videos": {
                "large": {
                    "url": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_large.mp4",
                    "width": 3840,
                    "height": 2160,
                    "size": 12954851,
                    "thumbnail": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_large.jpg",
                },
                "medium": {
                    "url": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_medium.mp4",
                    "width": 2560,
                    "height": 1440,
                    "size": 6984827,
                    "thumbnail": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_medium.jpg",
                },
                "small": {
                    "url": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_small.mp4",
                    "width": 1920,
                    "height": 1080,
                    "size": 4897014,
                    "thumbnail": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_small.jpg",
                },
                "tiny": {
                    "url": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_tiny.mp4",
                    "width": 1280,
                    "height": 720,
                    "size": 2911535,
                    "thumbnail": "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_tiny.jpg",
                },
            },
            "views": 618802,
            "downloads": 329298,
            "likes": 2049,
            "comments": 300,
            "user_id": 13298494,
            "user": "motionstock",
            "userImageURL": "https://cdn.pixabay.com/user/2021/07/13/12-34-53-812_250x250.jpg",
        }
    ],
}

Handler = Callable[[httpx.Request], httpx.Response]


class FakeAPI:
    """Stands in for a third-party API and its CDN: answers with `handler`, records every request."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


@pytest.fixture
def closing() -> Iterator[Callable[[Any], Any]]:
    opened: list[Any] = []
    yield lambda provider: opened.append(provider) or provider
    for provider in opened:
        provider.close()


def pexels(api: FakeAPI) -> PexelsProvider:
    return PexelsProvider(KEY, client=api.client())


def pixabay(api: FakeAPI) -> PixabayProvider:
    return PixabayProvider(KEY, client=api.client())


def by_path(bodies: dict[str, Any]) -> Handler:
    return lambda request: httpx.Response(200, json=bodies[request.url.path])


def test_pexels_photos_map_to_items_with_credit(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PEXELS_PHOTOS))
    provider = closing(pexels(api))

    page = provider.search("golden rocks", kind="image", page=1, limit=2)

    assert isinstance(provider, StockProvider)
    (request,) = api.requests
    assert str(request.url).startswith("https://api.pexels.com/v1/search?")
    assert dict(request.url.params) == {"query": "golden rocks", "page": "1", "per_page": "2"}
    assert request.headers["Authorization"] == KEY
    assert request.headers["User-Agent"].startswith("ScriptSensei-CLI/0.")
    assert (page.total, page.page, page.limit) == (10000, 1, 2)
    rocks, woman = page.items
    assert rocks.id == "pexels:2014422"
    assert (rocks.provider, rocks.type, rocks.licence) == ("pexels", "image", "Pexels License")
    assert rocks.title == "Brown Rocks During Golden Hour"
    assert rocks.tags == ["brown", "rocks", "during", "golden", "hour"]
    assert (rocks.width, rocks.height, rocks.duration, rocks.orientation) == (3024, 3024, None, "square")
    assert (rocks.author, rocks.author_url) == ("Joey Farina", "https://www.pexels.com/@joey")
    assert rocks.page_url == "https://www.pexels.com/photo/brown-rocks-during-golden-hour-2014422/"
    assert rocks.download_url is not None and "dpr=2&h=650&w=940" in rocks.download_url
    assert rocks.preview_url is not None and "h=350" in rocks.preview_url
    assert rocks.path is None
    assert woman.title == "thoughtful woman on a beach", "no alt text: the title comes from the page URL"


def test_pexels_portrait_search_asks_for_portrait_and_downloads_the_portrait_crop(
    closing: Callable[[Any], Any],
) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PEXELS_PHOTOS))
    page = closing(pexels(api)).search("woman", kind="image", orientation="portrait", limit=2)

    assert api.requests[0].url.params["orientation"] == "portrait"
    (woman,) = page.items  # the square photo is dropped: it is not portrait
    assert woman.download_url is not None and "fit=crop&h=1200&w=800" in woman.download_url


def test_pexels_videos_pick_the_file_nearest_1080p(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PEXELS_VIDEOS))
    (video,) = closing(pexels(api)).search("seal", kind="video", limit=1).items

    assert str(api.requests[0].url).startswith("https://api.pexels.com/videos/search?")
    assert video.id == "pexels:1526909"
    assert (video.type, video.width, video.height, video.duration) == ("video", 1920, 1080, 10.0)
    assert (
        video.download_url == "https://videos.pexels.com/video-files/1526909/1526909-hd_1920_1080_24fps.mp4"
    )
    assert (video.author, video.author_url) == ("Ruvim Miksanskiy", "https://www.pexels.com/@digitech")
    assert video.title == "seal on the beach"
    assert video.preview_url is not None and "free-video-1526909.jpg" in video.preview_url


def test_pexels_any_kind_shares_the_page_between_photos_and_videos(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(by_path({"/v1/search": PEXELS_PHOTOS, "/videos/search": PEXELS_VIDEOS}))
    page = closing(pexels(api)).search("beach", limit=3)

    assert [request.url.params["per_page"] for request in api.requests] == ["2", "1"]
    assert [item.type for item in page.items] == ["image", "image", "video"]
    assert page.total == 10000 + 2543


def test_pexels_empty_query_lists_curated_and_popular(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(by_path({"/v1/curated": PEXELS_PHOTOS, "/videos/popular": PEXELS_VIDEOS}))
    page = closing(pexels(api)).search("  ", limit=2)
    assert [request.url.path for request in api.requests] == ["/v1/curated", "/videos/popular"]
    assert "query" not in api.requests[0].url.params
    assert len(page.items) == 2


def test_pixabay_images_map_to_items_with_credit(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PIXABAY_IMAGES))
    page = closing(pixabay(api)).search("flower", kind="image", orientation="landscape", limit=3)

    (request,) = api.requests
    assert request.url.host == "pixabay.com" and request.url.path == "/api/"
    assert request.url.params["key"] == KEY
    assert request.url.params["q"] == "flower"
    assert request.url.params["orientation"] == "horizontal"
    assert request.url.params["safesearch"] == "true"
    assert request.headers["User-Agent"].startswith("ScriptSensei-CLI/")
    assert page.total == 500, "totalHits: what the API lets us page through"
    (flower,) = page.items  # the two square hits are not landscape
    assert flower.id == "pixabay:195893"
    assert (flower.provider, flower.licence) == ("pixabay", "Pixabay Content License")
    assert flower.tags == ["blossom", "bloom", "flower"]
    assert flower.title == "blossom bloom flower"
    assert (flower.width, flower.height) == (4000, 2250)
    assert (flower.author, flower.author_url) == ("Josch13", "https://pixabay.com/users/Josch13-48777/")
    assert flower.page_url == "https://pixabay.com/photos/blossom-bloom-flower-195893/"
    assert flower.download_url == "https://pixabay.com/get/ed6a99fd0a76647_1280.jpg"
    assert flower.preview_url == "https://pixabay.com/get/35bbf209e13e39d2_640.jpg"


def test_pixabay_videos_pick_the_rendition_nearest_1080p(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PIXABAY_VIDEOS))
    (video,) = closing(pixabay(api)).search("city lights", kind="video", limit=5).items

    assert api.requests[0].url.path == "/api/videos/"
    assert video.download_url == "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_small.mp4"
    assert (video.width, video.height, video.duration) == (3840, 2160, 10.0)
    assert "city lights" in video.tags
    assert video.title == "particles, plexus, network", "its page URL has no words: the tags name it"
    assert video.author == "motionstock"


def test_pixabay_small_pages_respect_its_minimum_page_size(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PIXABAY_IMAGES))
    page = closing(pixabay(api)).search("flower", kind="image", page=2, limit=1)

    assert (api.requests[0].url.params["page"], api.requests[0].url.params["per_page"]) == ("1", "3")
    assert [item.id for item in page.items] == ["pixabay:2"], "our page 2 of 1 is its second hit"


def test_pixabay_past_the_last_page_is_an_empty_page(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(400, text='[ERROR 400] "page" is out of valid range.'))
    page = closing(pixabay(api)).search("flower", kind="image", page=99)
    assert (page.items, page.total) == ([], 0)


def test_pixabay_key_is_redacted_from_httpx_request_log(
    closing: Callable[[Any], Any], caplog: pytest.LogCaptureFixture
) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PIXABAY_IMAGES))
    with caplog.at_level(logging.INFO, logger="httpx"):
        closing(pixabay(api)).search("flower", kind="image")
    assert "HTTP Request: GET https://pixabay.com/api/?key=***" in caplog.text
    assert KEY not in caplog.text


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def refused(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("[Errno 111] Connection refused", request=request)


ERRORS: list[tuple[str, Handler, int | None, str]] = [
    ("pexels", lambda r: httpx.Response(401, json={"error": "Invalid API key"}), 401,
     "Pexels rejected the API key: check SCRIPTSENSEI_PEXELS_API_KEY"),
    ("pexels", lambda r: httpx.Response(403, text="Forbidden"), 403, "Pexels rejected the API key"),
    ("pexels", lambda r: httpx.Response(429, text="Too Many Requests", headers={"Retry-After": "30"}), 429,
     "Pexels rate limit reached; retry after 30 s"),
    ("pexels", lambda r: httpx.Response(429, text="Too Many Requests"), 429,
     "Pexels rate limit reached; try again later"),
    ("pexels", lambda r: httpx.Response(500, text="Internal Server Error"), 500,
     "Pexels is unreachable or failing (HTTP 500); try again later"),
    ("pexels", timeout, None, "Pexels is unreachable or failing (timed out); try again later"),
    ("pexels", refused, None, "Pexels is unreachable or failing (connection failed: ConnectError)"),
    ("pexels", lambda r: httpx.Response(200, text="<html>maintenance</html>"), 200,
     "Pexels answered with something other than a JSON object (HTTP 200)"),
    ("pixabay", lambda r: httpx.Response(400, text="[ERROR 400] Invalid or missing API key"), 400,
     "Pixabay rejected the API key: check SCRIPTSENSEI_PIXABAY_API_KEY"),
    ("pixabay", lambda r: httpx.Response(429, text="[ERROR 429] Too many requests",
                                         headers={"X-RateLimit-Reset": "12"}), 429,
     "Pixabay rate limit reached; retry after 12 s"),
    ("pixabay", lambda r: httpx.Response(502, text="Bad Gateway"), 502, "Pixabay is unreachable or failing"),
    ("pixabay", timeout, None, "Pixabay is unreachable or failing (timed out)"),
    ("pixabay", lambda r: httpx.Response(400, text=f"[ERROR 400] bad per_page for key {KEY}"), 400,
     "Pixabay refused the request (HTTP 400): [ERROR 400] bad per_page for key ***"),
    # The key straddles the 200-character cut: it is taken out before the message is shortened.
    ("pixabay", lambda r: httpx.Response(400, text=f"[ERROR 400] {'x' * 170} {KEY}"), 400,
     "Pixabay refused the request (HTTP 400): [ERROR 400] xxx"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "handler", "status", "message"), ERRORS)
def test_errors_say_which_provider_and_what_to_do_without_the_key(
    name: str, handler: Handler, status: int | None, message: str, closing: Callable[[Any], Any]
) -> None:
    api = FakeAPI(handler)
    provider = closing(pexels(api) if name == "pexels" else pixabay(api))

    with pytest.raises(StockProviderError) as caught:
        provider.search("ocean", kind="image")

    error = caught.value
    assert message in error.message
    assert (error.provider, error.status) == (name, status)
    assert KEY not in str(error) and KEY not in repr(error.args)
    assert KEY[:12] not in str(error), "no part of the key either"
    assert error.__cause__ is None, "httpx's exception holds the request URL (with Pixabay's key)"
    assert KEY not in repr(provider)


def test_retry_after_is_kept_on_the_error(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda r: httpx.Response(429, headers={"Retry-After": "30"}))
    with pytest.raises(StockProviderError) as caught:
        closing(pexels(api)).search("ocean", kind="image")
    assert caught.value.retry_after == 30


def test_only_pixabay_reads_its_rate_limit_reset_header(closing: Callable[[Any], Any]) -> None:
    # Pexels' X-Ratelimit-Reset is a Unix time (when the monthly quota renews), not a wait.
    api = FakeAPI(lambda r: httpx.Response(429, headers={"X-Ratelimit-Reset": "1767225600"}))
    with pytest.raises(StockProviderError) as caught:
        closing(pexels(api)).search("ocean", kind="image")
    assert caught.value.retry_after is None and "try again later" in caught.value.message


def test_a_retry_after_date_counts_from_the_services_clock(closing: Callable[[Any], Any]) -> None:
    headers = {"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT", "Date": "Wed, 21 Oct 2015 07:28:00 GMT"}
    api = FakeAPI(lambda r: httpx.Response(429, headers=headers))
    with pytest.raises(StockProviderError) as caught:
        closing(pexels(api)).search("ocean", kind="image")
    assert caught.value.retry_after == 30


def test_an_item_is_the_apis_stock_item_plus_how_to_fetch_it(closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PEXELS_PHOTOS))
    item = closing(pexels(api)).search("golden rocks", kind="image", limit=1).items[0]

    public = item.public()
    assert type(public) is contract.StockItem
    assert public.model_dump() == item.model_dump(exclude={"download_url", "path"})
    assert set(contract.StockItem.model_fields) | {"download_url", "path"} == set(type(item).model_fields)

    # The import cache keeps items as records; those written before hold the type as `kind`.
    assert StockItem.from_record(json.loads(json.dumps(item.record()))) == item
    legacy = {("kind" if key == "type" else key): value for key, value in item.record().items()}
    assert StockItem.from_record(legacy) == item


def test_fetch_downloads_once_without_the_key_then_reuses_the_file(
    closing: Callable[[Any], Any], tmp_path: Path
) -> None:
    content = b"\xff\xd8 pretend jpeg " * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.pexels.com":
            return httpx.Response(200, json=PEXELS_PHOTOS)
        return httpx.Response(200, content=content, headers={"Content-Type": "image/jpeg"})

    api = FakeAPI(handler)
    provider = closing(pexels(api))
    item = provider.search("rocks", kind="image", limit=1).items[0]
    api.requests.clear()

    first = provider.fetch(item, tmp_path / "cache")
    second = provider.fetch(item, tmp_path / "cache")

    assert first == second
    assert first.read_bytes() == content
    assert first.parent == tmp_path / "cache" / "pexels" and first.suffix == ".jpeg"
    (download,) = api.requests
    assert download.url.host == "images.pexels.com"
    assert "Authorization" not in download.headers, "the CDN never sees the key"
    assert download.headers["User-Agent"].startswith("ScriptSensei-CLI/")
    assert [path.name for path in first.parent.iterdir()] == [first.name], "no partial file is left"


def test_failed_download_leaves_nothing_behind(closing: Callable[[Any], Any], tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "pixabay.com" and request.url.path == "/api/":
            return httpx.Response(200, json=PIXABAY_IMAGES)
        return httpx.Response(404, text="Not Found")

    provider = closing(pixabay(FakeAPI(handler)))
    item = provider.search("flower", kind="image", limit=3).items[0]

    with pytest.raises(
        StockProviderError, match="download link no longer works \\(HTTP 404\\); search again"
    ):
        provider.fetch(item, tmp_path / "cache")
    assert list((tmp_path / "cache" / "pixabay").iterdir()) == []


# ------------------------------------------------------------------------------------ all sources


def test_a_failing_remote_provider_does_not_hide_local_results(
    library: LocalLibrary, closing: Callable[[Any], Any]
) -> None:
    failing = closing(pexels(FakeAPI(lambda r: httpx.Response(503, text="down"))))

    result = search_stock([failing, library], "beach", limit=6)

    assert by_name(result.items) == ["SunsetWaves_IMG_2034.jpg", "palm-tree.png"]
    assert result.total == 2
    assert result.warnings == ["Pexels is unreachable or failing (HTTP 503); try again later"]


def test_sources_share_the_page_local_first(library: LocalLibrary, closing: Callable[[Any], Any]) -> None:
    api = FakeAPI(lambda request: httpx.Response(200, json=PEXELS_PHOTOS))
    remote = closing(pexels(api))

    result = search_stock([remote, library], "", kind="image", page=1, limit=4)

    assert [item.provider for item in result.items] == ["local", "local", "pexels", "pexels"]
    assert api.requests[0].url.params["per_page"] == "2"
    assert result.total == 3 + 10000
    assert (result.page, result.limit, result.warnings) == (1, 4, [])


def test_fetch_stock_asks_the_item_s_own_provider(
    library: LocalLibrary, closing: Callable[[Any], Any], tmp_path: Path
) -> None:
    remote = closing(pexels(FakeAPI(lambda r: httpx.Response(500))))
    (item,) = library.search("fountain").items
    assert fetch_stock([remote, library], item, tmp_path) == item.path
    with pytest.raises(ValueError, match="'local' is not configured"):
        fetch_stock([remote], item, tmp_path)


def test_missing_library_folder_is_a_warning(tmp_path: Path) -> None:
    library = LocalLibrary([tmp_path / "nowhere"], tmp_path / "library.json")
    result = search_stock([library], "beach")
    assert result.items == []
    assert result.warnings == [f"media library folder not found: {tmp_path / 'nowhere'}"]


def test_providers_come_from_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, library_dir: Path
) -> None:
    (local,) = providers_from_config(EngineConfig(data_dir=tmp_path), tmp_path / "cache")
    assert isinstance(local, LocalLibrary) and local.folders == []

    monkeypatch.setenv("SCRIPTSENSEI_MEDIA_LIBRARY", os.pathsep.join([str(library_dir), str(tmp_path / "b")]))
    monkeypatch.setenv("SCRIPTSENSEI_PEXELS_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_PIXABAY_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_ONLINE_MEDIA", "on")
    config = EngineConfig.from_env(tmp_path)
    providers = providers_from_config(config, tmp_path / "cache")

    assert [provider.name for provider in providers] == [
        "local",
        "pexels",
        "pixabay",
        "openverse",
        "wikimedia",
    ]
    library = providers[0]
    assert isinstance(library, LocalLibrary)
    assert library.folders == [library_dir, tmp_path / "b"]
    assert library.index_path == tmp_path / "cache" / "local-library.json"
    assert KEY not in repr(config) and KEY not in repr(providers)
    for provider in providers[1:]:
        assert isinstance(provider, PexelsProvider | PixabayProvider | OpenverseProvider | WikimediaProvider)
        provider.close()
