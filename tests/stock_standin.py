# ruff: noqa: E501  (recorded answers keep their long URLs whole)
"""A loopback stand-in for the key-free stock sources we cannot reach from here (Openverse and the
Wikimedia Commons API) and their file servers.

It answers with bodies shaped like the real ones (Openverse's image serializer; the MediaWiki Action
API's `generator=search` with `imageinfo`/`videoinfo`, formatversion 2), records every request, and
misbehaves on request: rate limits with Retry-After, quotas used up, database lag, server errors,
slow answers. Only the HTTP boundary is stood in for; everything of ours runs for real.

    with StockStandIn() as stand_in:
        stand_in.plan("openverse", ["429"])      # the first Openverse search is rate limited
        provider = OpenverseProvider(base_url=stand_in.openverse_url)
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FILE_BYTES = b"\xff\xd8\xff\xe0 pretend jpeg " * 200
VIDEO_BYTES = b"\x1aE\xdf\xa3 pretend webm " * 200
PEXELS_KEY = "standin-pexels-key-0123456789"


@dataclass
class Seen:
    source: str  # "openverse", "wikimedia", "files"
    path: str
    params: dict[str, str]
    headers: dict[str, str]


def openverse_images(files: str) -> dict[str, Any]:
    """Openverse's answer to an image search: one usable result of each kind of licence, plus what
    must be dropped (non-commercial, no-derivatives, no size)."""

    def result(
        uid: str, title: str, licence: str, version: str, width: int | None, height: int | None
    ) -> dict[str, Any]:
        return {
            "id": uid,
            "title": title,
            "indexed_on": "2023-05-19T14:33:42Z",
            "foreign_landing_url": f"https://www.flickr.com/photos/someone/{uid[:8]}",
            "url": f"{files}/openverse/{uid}.jpg",
            "creator": "Ana Photographer",
            "creator_url": "https://www.flickr.com/photos/someone",
            "license": licence,
            "license_version": version,
            "license_url": f"https://creativecommons.org/licenses/{licence}/{version}/",
            "provider": "flickr",
            "source": "flickr",
            "category": "photograph",
            "filesize": None,
            "filetype": "jpg",
            "tags": [
                {"accuracy": None, "name": "cyclist", "unstable__provider": "flickr"},
                {"accuracy": 0.93, "name": "Rain", "unstable__provider": "clarifai"},
            ],
            "attribution": f'"{title}" by Ana Photographer is licensed under CC {licence.upper()} {version}.',
            "fields_matched": ["title"],
            "mature": False,
            "height": height,
            "width": width,
            "thumbnail": f"{files}/openverse/{uid}/thumb/",
            "detail_url": f"https://api.openverse.org/v1/images/{uid}/",
            "related_url": f"https://api.openverse.org/v1/images/{uid}/related/",
            "unstable__sensitivity": [],
        }

    return {
        "result_count": 240,
        "page_count": 12,
        "page_size": 20,
        "page": 1,
        "results": [
            result("4bc43a04-ef46-4544-a0c1-63c63f56e276", "Cyclist in the rain", "by", "2.0", 2000, 3000),
            result("0aff3595-8168-440b-83ff-7a80b65dea42", "Rainy street", "by-nc-sa", "2.0", 2000, 3000),
            result("1c2e1e66-1b6a-4ac3-a0e2-3f41d3b2b1a5", "Wet bicycle", "cc0", "1.0", 4000, 3000),
            result("2d3f2f77-2c7b-4bd4-b1f3-4052e4c3c2b6", "Old umbrella poster", "pdm", "1.0", 900, 1600),
            result("3e4a3a88-3d8c-4ce5-c2a4-5163f5d4d3c7", "Rain on glass", "by-nd", "4.0", 2000, 3000),
            result("5f5b4b99-4e9d-4df6-d3b5-6274a6e5e4d8", "Puddle", "by", "4.0", None, None),
        ],
        "warnings": [],
    }


def _meta(**values: str) -> dict[str, Any]:
    return {
        name: {"value": value, "source": "commons-desc-page", "hidden": ""} for name, value in values.items()
    }


def commons_images(files: str) -> dict[str, Any]:
    """The Commons API's answer to `generator=search&prop=imageinfo`: pages in no particular order
    (their `index` is the search rank), licences free and not."""
    upload = f"{files}/wikipedia/commons"
    return {
        "batchcomplete": True,
        "continue": {"gsroffset": 4, "continue": "gsroffset||"},
        "query": {
            "pages": [
                {
                    "pageid": 90211,
                    "ns": 6,
                    "title": "File:Amsterdam cyclist in rain 2019.jpg",
                    "index": 2,
                    "imagerepository": "local",
                    "imageinfo": [
                        {
                            "size": 5123456,
                            "width": 4000,
                            "height": 6000,
                            "thumburl": f"{upload}/thumb/a/ab/Amsterdam_cyclist.jpg/1280px-Amsterdam_cyclist.jpg",
                            "thumbwidth": 1280,
                            "thumbheight": 1920,
                            "url": f"{upload}/a/ab/Amsterdam_cyclist.jpg",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Amsterdam_cyclist_in_rain_2019.jpg",
                            "descriptionshorturl": "https://commons.wikimedia.org/w/index.php?curid=90211",
                            "mime": "image/jpeg",
                            "extmetadata": _meta(
                                ObjectName="Amsterdam cyclist in rain 2019",
                                ImageDescription="A cyclist rides through the rain on a <b>canal</b> street.",
                                Credit='<span class="int-own-work" lang="en">Own work</span>',
                                Artist='<a href="//commons.wikimedia.org/wiki/User:Jane_Doe" title="User:Jane Doe">Jane&nbsp;Doe</a>',
                                LicenseShortName="CC BY-SA 4.0",
                                LicenseUrl="https://creativecommons.org/licenses/by-sa/4.0",
                                AttributionRequired="true",
                                License="cc-by-sa-4.0",
                                Restrictions="",
                            ),
                        }
                    ],
                },
                {
                    "pageid": 90212,
                    "ns": 6,
                    "title": "File:GFDL bicycle.jpg",
                    "index": 1,
                    "imagerepository": "local",
                    "imageinfo": [
                        {
                            "size": 100000,
                            "width": 1600,
                            "height": 1200,
                            "thumburl": f"{upload}/thumb/b/bc/GFDL_bicycle.jpg/1280px-GFDL_bicycle.jpg",
                            "url": f"{upload}/b/bc/GFDL_bicycle.jpg",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:GFDL_bicycle.jpg",
                            "mime": "image/jpeg",
                            "extmetadata": _meta(
                                LicenseShortName="GFDL",
                                LicenseUrl="https://www.gnu.org/copyleft/fdl.html",
                                Artist="Someone",
                            ),
                        }
                    ],
                },
                {
                    "pageid": 90213,
                    "ns": 6,
                    "title": "File:Portrait of a cyclist.jpg",
                    "index": 3,
                    "imagerepository": "local",
                    "imageinfo": [
                        {
                            "size": 200000,
                            "width": 2000,
                            "height": 3000,
                            "thumburl": f"{upload}/thumb/c/cd/Portrait.jpg/1280px-Portrait.jpg",
                            "url": f"{upload}/c/cd/Portrait.jpg",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Portrait_of_a_cyclist.jpg",
                            "mime": "image/jpeg",
                            "extmetadata": _meta(
                                LicenseShortName="CC0",
                                License="cc0",
                                Artist="Bob",
                                Restrictions="personality",
                            ),
                        }
                    ],
                },
                {
                    "pageid": 90214,
                    "ns": 6,
                    "title": "File:Rain over the harbour (1890).tif",
                    "index": 4,
                    "imagerepository": "local",
                    "imageinfo": [
                        {
                            "size": 30000000,
                            "width": 6000,
                            "height": 4000,
                            "thumburl": f"{upload}/thumb/d/de/Rain.tif/lossy-page1-1280px-Rain.tif.jpg",
                            "url": f"{upload}/d/de/Rain.tif",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Rain_over_the_harbour_(1890).tif",
                            "mime": "image/tiff",
                            "extmetadata": _meta(
                                LicenseShortName="Public domain",
                                License="pd",
                                Artist="Unknown author",
                                Copyrighted="False",
                            ),
                        }
                    ],
                },
                {
                    "pageid": 90215,
                    "ns": 6,
                    "title": "File:Logo in rain.png",
                    "index": 5,
                    "imagerepository": "local",
                    "imageinfo": [
                        {
                            "size": 3000,
                            "width": 600,
                            "height": 600,
                            "thumburl": f"{upload}/e/ef/Logo.png",
                            "url": f"{upload}/e/ef/Logo.png",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Logo_in_rain.png",
                            "mime": "image/png",
                            "extmetadata": _meta(License="cc-by-4.0", NonFree="true", Artist="Acme"),
                        }
                    ],
                },
            ]
        },
    }


def commons_videos(files: str) -> dict[str, Any]:
    """The Commons API's answer to `generator=search&prop=videoinfo` with derivatives (transcodes)."""
    upload = f"{files}/wikipedia/commons"
    original = f"{upload}/f/f0/Rain_on_a_window.webm"
    webm = 'video/webm; codecs="vp9, opus"'
    return {
        "batchcomplete": True,
        "query": {
            "pages": [
                {
                    "pageid": 80001,
                    "ns": 6,
                    "title": "File:Rain on a window.webm",
                    "index": 1,
                    "videoinfo": [
                        {
                            "size": 40000000,
                            "width": 3840,
                            "height": 2160,
                            "duration": 12.5,
                            "thumburl": f"{upload}/thumb/f/f0/Rain_on_a_window.webm/1920px--Rain_on_a_window.webm.jpg",
                            "thumbwidth": 1920,
                            "thumbheight": 1080,
                            "url": original,
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Rain_on_a_window.webm",
                            "mime": "video/webm",
                            "extmetadata": _meta(
                                License="cc-by-3.0",
                                LicenseShortName="CC BY 3.0",
                                Artist='<a href="https://www.example.org/~filmer">A. Filmer</a>',
                            ),
                            "derivatives": [
                                {
                                    "src": original,
                                    "type": webm,
                                    "title": "Original WebM file, 3,840 × 2,160 (25 Mbps)",
                                    "shorttitle": "WebM source",
                                    "width": 3840,
                                    "height": 2160,
                                    "bandwidth": 25000000,
                                },
                                {
                                    "src": f"{upload}/transcoded/f/f0/Rain_on_a_window.webm/Rain_on_a_window.webm.720p.vp9.webm",
                                    "type": webm,
                                    "transcodekey": "720p.vp9.webm",
                                    "width": 1280,
                                    "height": 720,
                                },
                                {
                                    "src": f"{upload}/transcoded/f/f0/Rain_on_a_window.webm/Rain_on_a_window.webm.1080p.vp9.webm",
                                    "type": webm,
                                    "transcodekey": "1080p.vp9.webm",
                                    "width": 1920,
                                    "height": 1080,
                                },
                                {
                                    "src": f"{upload}/transcoded/f/f0/Rain_on_a_window.webm/Rain_on_a_window.webm.360p.mp4",
                                    "type": 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"',
                                    "transcodekey": "360p.mp4",
                                    "width": 640,
                                    "height": 360,
                                },
                            ],
                        }
                    ],
                },
                {
                    "pageid": 80002,
                    "ns": 6,
                    "title": "File:Thunder sound.ogg",
                    "index": 2,
                    "videoinfo": [
                        {
                            "size": 300000,
                            "width": 0,
                            "height": 0,
                            "duration": 30.0,
                            "url": f"{upload}/1/12/Thunder_sound.ogg",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Thunder_sound.ogg",
                            "mime": "application/ogg",
                            "extmetadata": _meta(License="cc0"),
                            "derivatives": [],
                        }
                    ],
                },
                {
                    "pageid": 80003,
                    "ns": 6,
                    "title": "File:Tram in the rain (1925).ogv",
                    "index": 3,
                    "videoinfo": [
                        {
                            "size": 9000000,
                            "width": 480,
                            "height": 360,
                            "duration": 61.2,
                            "url": f"{upload}/2/23/Tram_in_the_rain.ogv",
                            "descriptionurl": "https://commons.wikimedia.org/wiki/File:Tram_in_the_rain_(1925).ogv",
                            "mime": "application/ogg",
                            "extmetadata": _meta(License="pd", Artist="Unknown"),
                            "derivatives": [],
                        }
                    ],
                },
            ]
        },
    }


def pexels_answer(path: str, params: dict[str, str], files: str, per_page: int) -> dict[str, Any]:
    """Pexels' answer to a photo or video search: `per_page` results about the query in the asked
    orientation (ids differ per query, so scenes about different things get different files), shaped
    as its API documents them."""
    query = params.get("query", "")
    portrait = params.get("orientation") == "portrait"
    slug = "-".join(query.casefold().split()) or "popular"
    base = int.from_bytes(slug.encode()[:6].ljust(6, b"_"), "big") % 10**7 * 10
    photographer = {"photographer": "Ana Pexels", "photographer_url": "https://www.pexels.com/@ana"}
    if path.startswith("/pexels/videos/"):
        videos = [
            {
                "id": base + i,
                "width": 1080 if portrait else 1920,
                "height": 1920 if portrait else 1080,
                "duration": 4,
                "url": f"https://www.pexels.com/video/{slug}-{base + i}/",
                "image": f"https://images.pexels.com/videos/{base + i}/pictures/preview-0.jpg",
                "tags": query.casefold().split(),
                "user": {"id": 1, "name": "Ana Pexels", "url": "https://www.pexels.com/@ana"},
                "video_files": [
                    {
                        "id": 1,
                        "quality": "sd",
                        "file_type": "video/mp4",
                        "width": 640,
                        "height": 360,
                        "fps": 25,
                        "link": f"{files}/pexels/{base + i}-sd.mp4",
                    },
                    {
                        "id": 2,
                        "quality": "hd",
                        "file_type": "video/mp4",
                        "width": 1280,
                        "height": 720,
                        "fps": 25,
                        "link": f"{files}/pexels/{base + i}-hd.mp4",
                    },
                ],
            }
            for i in range(per_page)
        ]
        return {"page": 1, "per_page": per_page, "total_results": 40, "videos": videos}
    photos = [
        {
            "id": base + i,
            "width": 4000,
            "height": 6000,
            "url": f"https://www.pexels.com/photo/{slug}-{base + i}/",
            **photographer,
            "alt": f"{query} ({i + 1})",
            "src": {
                "original": f"{files}/pexels/{base + i}.jpeg",
                "large2x": f"{files}/pexels/{base + i}-large2x.jpeg",
                "portrait": f"{files}/pexels/{base + i}-portrait.jpeg",
                "medium": f"{files}/pexels/{base + i}-medium.jpeg",
            },
        }
        for i in range(per_page)
    ]
    return {"page": 1, "per_page": per_page, "total_results": 40, "photos": photos}


class StockStandIn:
    """Openverse under /openverse/v1/, the Commons API at /wikimedia/w/api.php, files under /files/;
    /pexels/ answers searches made with `PEXELS_KEY` (and refuses other keys); /pixabay/ refuses every key."""

    def __init__(self) -> None:
        self.plans: dict[str, deque[str]] = defaultdict(deque)
        self.seen: list[Seen] = []
        self.slow_seconds = 2.0
        self.retry_after = "30"
        self.openverse_body: dict[str, Any] | None = None
        self.image_bytes = FILE_BYTES  # what image downloads get (a real JPEG where it is imported)
        self.clip_bytes = VIDEO_BYTES  # what .mp4 downloads get (a real MP4 where one is rendered)
        self._lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                split = urlsplit(self.path)
                source = split.path.strip("/").split("/")[0]
                params = {key: values[-1] for key, values in parse_qs(split.query).items()}
                with stand_in._lock:
                    stand_in.seen.append(Seen(source, split.path, params, dict(self.headers)))
                stand_in._respond(self, source, split.path, params)

            def send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.openverse_url = f"{self.url}/openverse/v1/"
        self.wikimedia_url = f"{self.url}/wikimedia/w/api.php"
        self.files_url = f"{self.url}/files"

    def __enter__(self) -> StockStandIn:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def plan(self, source: str, behaviours: list[str]) -> None:
        """What the next requests to `source` get: "429", "429-date", "500", "slow", "exhausted"
        (Openverse: 200, quota used up), "maxlag" (Commons), "ok" (the default once the plan is used)."""
        self.plans[source].extend(behaviours)

    def calls(self, source: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.source == source]

    def _next(self, source: str) -> str:
        with self._lock:
            return self.plans[source].popleft() if self.plans[source] else "ok"

    def _respond(self, handler: Any, source: str, path: str, params: dict[str, str]) -> None:
        behaviour = self._next(source)
        if behaviour == "slow":
            time.sleep(self.slow_seconds)
        if behaviour == "429":
            body = json.dumps({"detail": "Request was throttled. Expected available in 30 seconds."})
            handler.send(429, body.encode(), "application/json", {"Retry-After": self.retry_after})
            return
        if behaviour == "500":
            handler.send(500, b"<html>Internal error</html>", "text/html", {})
            return
        if source == "pexels" and handler.headers.get("Authorization") == PEXELS_KEY:
            per_page = int(params.get("per_page") or 15)
            body = pexels_answer(path, params, self.files_url, min(per_page, 6))
            handler.send(200, json.dumps(body).encode(), "application/json", {})
            return
        if source in ("pexels", "pixabay"):  # keyed sources, asked with a key the stand-in refuses
            handler.send(401, b'{"error": "Invalid API key"}', "application/json", {})
            return
        if source == "files":
            content = (
                VIDEO_BYTES
                if path.endswith((".webm", ".ogv"))
                else self.clip_bytes
                if path.endswith(".mp4")
                else self.image_bytes
            )
            handler.send(200, content, "application/octet-stream", {})
            return
        headers: dict[str, str] = {}
        if source == "openverse":
            body_data = self.openverse_body or openverse_images(self.files_url)
            available = "0" if behaviour == "exhausted" else "17"
            headers = {
                "X-RateLimit-Limit-anon_burst": "20/min",
                "X-RateLimit-Available-anon_burst": available,
                "X-RateLimit-Limit-anon_sustained": "200/day",
                "X-RateLimit-Available-anon_sustained": "180",
            }
        elif behaviour == "maxlag":
            body_data = {
                "error": {
                    "code": "maxlag",
                    "info": "Waiting for 10.64.16.27: 7 seconds lagged.",
                    "host": "10.64.16.27",
                    "lag": 7,
                    "type": "db",
                },
                "servedby": "mw1234",
            }
            headers = {"Retry-After": "7", "X-Database-Lag": "7"}
        elif params.get("prop") == "videoinfo":
            body_data = commons_videos(self.files_url)
        else:
            body_data = commons_images(self.files_url)
        handler.send(200, json.dumps(body_data).encode(), "application/json", headers)
