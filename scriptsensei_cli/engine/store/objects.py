"""Where finished videos and media live: the data dir (default) or S3-compatible object storage.

`SCRIPTSENSEI_STORAGE_URL=s3://bucket/prefix` (docs/scale-out.md) moves them into a bucket (AWS,
or MinIO, R2, Ceph… through `SCRIPTSENSEI_S3_ENDPOINT_URL`); credentials and region come from
boto3's own environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_REGION…) and are never logged.
Object keys, under the prefix:

    videos/<user id>/<video id>/video.mp4 | video.jpg | video.srt | video.vtt
    media/<user id>/<media id>.<ext>, media/<user id>/<media id>.thumb.jpg

Workers render into their own scratch space and upload before the job is recorded completed; API
nodes serve the objects proxied (HTTP Range, streamed) or hand out presigned URLs. A media item
in the bucket is referenced as `storage:<key>` in its row and in the videos that use it; a render
fetches it into the worker's cache first (`local_path`). With local storage every hook is a no-op:
the files are already where they belong.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from ...common.atomic import atomic_path
from ...contract import ErrorCode
from ..errors import Conflict, UpstreamFailed

if TYPE_CHECKING:
    from ..config import EngineConfig

STORED = "storage:"  # the prefix of a reference to an object: "storage:media/<user>/<file>"
CHUNK_BYTES = 1024 * 1024
URL_SETTING = "SCRIPTSENSEI_STORAGE_URL"
ENDPOINT_SETTING = "SCRIPTSENSEI_S3_ENDPOINT_URL"
OUTPUT_TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".srt": "application/x-subrip", ".vtt": "text/vtt"}


class StorageError(UpstreamFailed):
    """Object storage failed or is misconfigured; the message names the bucket and what to fix.

    An API route that raises it answers 502 (UPSTREAM_ERROR); a render fails at stage `storage`."""


class MissingObject(StorageError):
    """The key is not in the bucket (404)."""

    code = ErrorCode.NOT_FOUND


def output_key(user_id: str, video_id: str, name: str) -> str:
    return f"videos/{user_id}/{video_id}/{name}"


def media_key(user_id: str, filename: str) -> str:
    return f"media/{user_id}/{filename}"


def stored_key(value: str | None) -> str | None:
    """The key of a `storage:` reference; None for a local path."""
    return value[len(STORED) :] if value and value.startswith(STORED) else None


@dataclass(frozen=True)
class StoredRange:
    """An object's bytes, or a byte range of them, ready to stream."""

    size: int  # of the whole object
    start: int
    end: int  # inclusive
    etag: str | None
    last_modified: datetime | None
    chunks: Generator[bytes, None, None]
    partial: bool


class Storage:
    """Local storage: files stay in the data dir where the renderer and the uploads put them."""

    remote = False

    def describe(self) -> str:
        return "the data dir"

    def check(self) -> None:
        """Raise StorageError unless the storage is reachable and usable."""

    def upload(self, key: str, path: Path, content_type: str | None = None) -> None:
        """Put a file at `key` (overwriting: a re-run of a job stores the same keys again)."""

    def delete(self, keys: list[str]) -> None:
        """Remove objects; keys that are already gone are fine."""

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object under `prefix`."""

    def local_path(self, value: str, cache_dir: Path) -> str:
        """A path the renderer can read for a scene's media: local paths as they are."""
        return value

    def read(self, key: str, byte_range: str | None = None) -> StoredRange:
        raise MissingObject(f"{key}: not in object storage (storage is the data dir)")

    def presigned_url(self, key: str, *, filename: str, content_type: str, expires_in: int) -> str:
        raise Conflict(
            f"presigned download URLs need object storage ({URL_SETTING}=s3://bucket); "
            "download through the API instead",
        )


class S3Storage(Storage):
    """A bucket of S3-compatible object storage, through boto3 (imported on first use)."""

    remote = True

    def __init__(self, url: str, endpoint_url: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise StorageError(f"{URL_SETTING}={url!r}: expected s3://bucket or s3://bucket/prefix")
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.endpoint_url = endpoint_url
        self._client: Any = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"s3://{self.bucket}" + (f"/{self.prefix}" if self.prefix else "") + self._at()

    @property
    def client(self) -> Any:
        with self._lock:  # boto3's session setup is not thread-safe; its clients are
            if self._client is None:
                try:
                    import boto3
                    from botocore.config import Config
                except ImportError as exc:
                    raise StorageError(
                        f"{URL_SETTING} names a bucket, but boto3 is not installed: "
                        "pip install 'scriptsensei-cli[s3]'"
                    ) from exc

                self._client = boto3.session.Session().client(
                    "s3",
                    endpoint_url=self.endpoint_url,
                    config=Config(
                        connect_timeout=5,
                        read_timeout=60,
                        retries={"max_attempts": 3, "mode": "standard"},
                        # MinIO, Ceph and most self-hosted stores want path-style addressing.
                        s3={"addressing_style": "path" if self.endpoint_url else "auto"},
                    ),
                )
            return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _explain(self, exc: BaseException, key: str | None = None) -> StorageError:
        """A message a person can act on, naming the bucket and the setting to fix."""
        from botocore.exceptions import ClientError, NoCredentialsError, PartialCredentialsError
        from botocore.exceptions import ConnectionError as EndpointUnreachable

        if isinstance(exc, StorageError):
            return exc
        exc = _botocore_cause(exc)
        bucket = f"bucket {self.bucket!r}"
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchKey", "404") and key is not None:
                return MissingObject(f"{key} is missing from {bucket}")
            if code in ("NoSuchBucket", "404"):
                return StorageError(
                    f"the {bucket} does not exist{self._at()}: create it, or fix {URL_SETTING}"
                )
            if code in (
                "AccessDenied",
                "403",
                "InvalidAccessKeyId",
                "SignatureDoesNotMatch",
                "AllAccessDisabled",
            ):
                return StorageError(
                    f"access to the {bucket}{self._at()} was denied ({code}): check the credentials "
                    "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and the bucket's policy"
                )
            return StorageError(f"the {bucket}{self._at()} answered {code or 'an error'}: {exc}")
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return StorageError(
                f"no credentials for the {bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE)"
            )
        if isinstance(exc, EndpointUnreachable):
            return StorageError(
                f"cannot reach the object storage{self._at()} for the {bucket}: check {ENDPOINT_SETTING}"
                + ("" if self.endpoint_url else " (unset: AWS) and the network")
            )
        return StorageError(
            f"object storage failed for the {bucket}{self._at()}: {type(exc).__name__}: {exc}"
        )

    def _at(self) -> str:
        return f" at {self.endpoint_url}" if self.endpoint_url else ""

    def check(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception as exc:
            raise self._explain(exc) from exc

    def upload(self, key: str, path: Path, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else None
        try:
            self.client.upload_file(str(path), self.bucket, self._key(key), ExtraArgs=extra)
        except Exception as exc:
            raise self._explain(exc) from exc

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes up to 1000 keys
            batch = [{"Key": self._key(k)} for k in keys[start : start + 1000]]
            try:
                answer = self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
            except Exception as exc:
                raise self._explain(exc) from exc
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise StorageError(
                    f"could not delete {first.get('Key')} from the bucket {self.bucket!r}: "
                    f"{first.get('Message')}"
                )

    def delete_prefix(self, prefix: str) -> None:
        keys: list[str] = []
        strip = len(self._key(""))
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self._key(prefix)
            )
            for page in pages:
                keys += [item["Key"][strip:] for item in page.get("Contents", [])]
        except Exception as exc:
            raise self._explain(exc) from exc
        if keys:
            self.delete(keys)

    def local_path(self, value: str, cache_dir: Path) -> str:
        """Fetch a `storage:` reference into `cache_dir` once (keys never change content: a media
        id is never reused), and return the cached path."""
        key = stored_key(value)
        if key is None:
            return value
        path = cache_dir / key
        if not path.is_file():
            try:
                with atomic_path(path) as partial:
                    self.client.download_file(self.bucket, self._key(key), str(partial))
            except Exception as exc:
                raise self._explain(exc, key) from exc
        return str(path)

    def read(self, key: str, byte_range: str | None = None) -> StoredRange:
        """The object, or the single byte range `bytes=a-b`, `bytes=a-` or `bytes=-n` of it."""
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key)}
        if byte_range:
            params["Range"] = byte_range
        try:
            answer = self.client.get_object(**params)
        except Exception as exc:
            from botocore.exceptions import ClientError

            if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") == "InvalidRange":
                raise RangeNotSatisfiable(self._size(key)) from exc
            raise self._explain(exc, key) from exc
        length = int(answer["ContentLength"])
        content_range = answer.get("ContentRange")  # "bytes 0-99/12345"
        if content_range:
            span, _, total = content_range.removeprefix("bytes ").partition("/")
            first, _, last = span.partition("-")
            start, end, size = int(first), int(last), int(total)
        else:
            start, end, size = 0, length - 1, length
        body = answer["Body"]

        def chunks() -> Generator[bytes, None, None]:
            try:
                yield from body.iter_chunks(CHUNK_BYTES)
            finally:
                body.close()

        return StoredRange(
            size=size,
            start=start,
            end=end,
            etag=answer.get("ETag"),
            last_modified=answer.get("LastModified"),
            chunks=chunks(),
            partial=content_range is not None,
        )

    def _size(self, key: str) -> int:
        try:
            return int(self.client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"])
        except Exception as exc:
            raise self._explain(exc, key) from exc

    def presigned_url(self, key: str, *, filename: str, content_type: str, expires_in: int) -> str:
        self._size(key)  # a missing object is a 404 now, not an XML error in the user's browser
        try:
            url: str = self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self.bucket,
                    "Key": self._key(key),
                    "ResponseContentType": content_type,
                    "ResponseContentDisposition": content_disposition(filename),
                },
                ExpiresIn=expires_in,
            )
        except Exception as exc:
            raise self._explain(exc, key) from exc
        return url


def _botocore_cause(exc: BaseException) -> BaseException:
    """The botocore error behind boto3's transfer wrappers (S3UploadFailedError and the like)."""
    from botocore.exceptions import BotoCoreError, ClientError

    seen = exc
    while seen is not None and not isinstance(seen, ClientError | BotoCoreError):
        seen = getattr(seen, "last_exception", None) or seen.__cause__ or seen.__context__  # type: ignore[assignment]
    return seen or exc


class RangeNotSatisfiable(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"range not satisfiable (size {size})")
        self.size = size


_opened: dict[tuple[str, str | None], S3Storage] = {}
_opened_lock = threading.Lock()
LOCAL = Storage()


def open_storage(config: EngineConfig) -> Storage:
    """The storage `config` selects; one S3 client per bucket and endpoint in a process."""
    if not config.storage_url:
        return LOCAL
    with _opened_lock:
        key = (config.storage_url, config.s3_endpoint_url)
        if key not in _opened:
            _opened[key] = S3Storage(config.storage_url, config.s3_endpoint_url)
        return _opened[key]


def content_disposition(filename: str) -> str:
    """As Starlette's FileResponse writes it, so proxied and local downloads name files alike."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'
