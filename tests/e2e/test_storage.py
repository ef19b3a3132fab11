"""Outputs and media in S3-compatible object storage, end to end with the real engine.

No object store can be reached from CI, so moto's in-process S3 server (`ThreadedMotoServer`, real
HTTP on loopback) stands in for one: the engine talks to it through boto3 exactly as it would to
MinIO or AWS, with `SCRIPTSENSEI_S3_ENDPOINT_URL` pointing at it. What the stand-in cannot show is
a real store's permissions model; the error mapping for those answers is the same code path.
"""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scriptsensei_cli.client import NotFoundError, ScriptSensei
from scriptsensei_cli.client.realtime import follow_job
from scriptsensei_cli.contract import GenerateVideoRequest
from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.server import EngineServer
from scriptsensei_cli.engine.store.objects import S3Storage, StorageError
from tests.conftest import CLI, PASSWORD, SAMPLES

SHORT = "Tiny videos render fast. Captions follow every word."
MEDIA_SAMPLES = SAMPLES / "media"
BUCKET, PREFIX = "ss-outputs", "studio"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS_ENV.items():
            patch.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        try:
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture(scope="module")
def bucket(s3_endpoint: str) -> Any:
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(scope="module")
def s3_engine(
    tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str, bucket: Any
) -> Iterator[EngineServer]:
    config = EngineConfig(
        data_dir=tmp_path_factory.mktemp("s3-engine"),
        signup_open=True,
        storage_url=f"s3://{BUCKET}/{PREFIX}",
        s3_endpoint_url=s3_endpoint,
    )
    with EngineServer(config) as server:
        yield server


def sign_up(server: EngineServer) -> tuple[str, str]:
    """(user id, access token) of a new user."""
    email = f"s3-{os.urandom(4).hex()}@example.com"
    with ScriptSensei(server.url) as client:
        pair = client.auth.register(email, PASSWORD)
    return pair.user.id, pair.access_token


def keys(bucket: Any, prefix: str) -> dict[str, bytes]:
    listed = bucket.list_objects_v2(Bucket=BUCKET, Prefix=f"{PREFIX}/{prefix}").get("Contents", [])
    return {
        item["Key"].rsplit("/", 1)[-1]: bucket.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listed
    }


@pytest.fixture(scope="module")
def rendered(s3_engine: EngineServer) -> tuple[str, str, str]:
    """(user id, token, video id) of one finished draft render."""
    user_id, token = sign_up(s3_engine)
    with ScriptSensei(s3_engine.url, token=token) as client:
        job = client.videos.generate(GenerateVideoRequest(script=SHORT, quality="draft", title="Range test"))
        events = list(follow_job(client, job.video_id, timeout=120))
    assert events[-1][0] == "processing_completed", events[-1]
    return user_id, token, job.video_id


def test_outputs_are_in_the_bucket_and_not_on_the_worker(
    rendered: tuple[str, str, str], s3_engine: EngineServer, bucket: Any
) -> None:
    user_id, _, video_id = rendered
    stored = keys(bucket, f"videos/{user_id}/{video_id}/")
    assert set(stored) == {"video.mp4", "video.jpg", "video.srt", "video.vtt"}
    assert stored["video.mp4"][4:8] == b"ftyp" and stored["video.vtt"].startswith(b"WEBVTT")
    data_dir = s3_engine.config.data_dir
    assert not (data_dir / "videos" / user_id / video_id).exists()
    assert not any((data_dir / "work").glob("*"))  # the render's scratch space is gone too


def test_ss_video_download_is_byte_identical_with_ranges(
    rendered: tuple[str, str, str], s3_engine: EngineServer, bucket: Any, tmp_path: Path
) -> None:
    user_id, token, video_id = rendered
    stored = keys(bucket, f"videos/{user_id}/{video_id}/")
    cli = CLI({"SCRIPTSENSEI_API_URL": s3_engine.url, "SCRIPTSENSEI_TOKEN": token})
    result = cli("video", "download", video_id, "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    downloaded = {Path(line).suffix: Path(line).read_bytes() for line in result.stdout.split()}
    assert downloaded == {f".{name.split('.')[1]}": data for name, data in stored.items()}
    with ScriptSensei(s3_engine.url, token=token) as client:
        assert client.videos.get(video_id).sha256 == hashlib.sha256(downloaded[".mp4"]).hexdigest()

    mp4, size = stored["video.mp4"], len(stored["video.mp4"])
    url, auth = f"{s3_engine.url}/api/v1/videos/{video_id}/download", {"Authorization": f"Bearer {token}"}
    whole = httpx.get(url, headers=auth)
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"] == "video/mp4"
    assert 'filename="Range-test.mp4"' in whole.headers["content-disposition"]
    assert int(whole.headers["content-length"]) == size
    for header, first, last in [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, size - 1),
        ("bytes=-10", size - 10, size - 1),
    ]:
        part = httpx.get(url, headers={**auth, "Range": header})
        assert part.status_code == 206 and part.content == mp4[first : last + 1], header
        assert part.headers["content-range"] == f"bytes {first}-{last}/{size}"
    assert httpx.get(url, headers={**auth, "Range": f"bytes={size}-"}).status_code == 416
    stale = httpx.get(url, headers={**auth, "Range": "bytes=0-99", "If-Range": '"another-version"'})
    assert stale.status_code == 200 and stale.content == mp4
    srt = httpx.get(f"{s3_engine.url}/api/v1/videos/{video_id}/captions", headers=auth)
    assert (
        srt.headers["content-type"].startswith("application/x-subrip") and srt.content == stored["video.srt"]
    )


def test_presigned_url_fetches_the_object_for_its_owner_only(
    rendered: tuple[str, str, str], s3_engine: EngineServer, bucket: Any
) -> None:
    user_id, token, video_id = rendered
    with ScriptSensei(s3_engine.url, token=token) as client:
        link = client.videos.download_url(video_id)
        thumb = client.videos.download_url(video_id, file="jpg", expires_in=60)
    fetched = httpx.get(link.url)  # no token: the signature is the authorization
    assert fetched.status_code == 200 and fetched.content == keys(bucket, f"videos/{user_id}/")["video.mp4"]
    assert 'filename="Range-test.mp4"' in fetched.headers["content-disposition"]
    assert httpx.get(thumb.url).headers["content-type"] == "image/jpeg"
    assert link.expires_at > thumb.expires_at

    _, other_token = sign_up(s3_engine)
    with ScriptSensei(s3_engine.url, token=other_token) as other, pytest.raises(NotFoundError):
        other.videos.download_url(video_id)
    assert (
        httpx.get(
            f"{s3_engine.url}/api/v1/videos/{video_id}/download",
            headers={"Authorization": f"Bearer {other_token}"},
        ).status_code
        == 404
    )


def test_media_goes_to_the_bucket_and_renders_from_it(
    s3_engine: EngineServer, bucket: Any, tmp_path: Path
) -> None:
    user_id, token = sign_up(s3_engine)
    picture = MEDIA_SAMPLES / "deep-sea.jpg"
    with ScriptSensei(s3_engine.url, token=token) as client:
        item = client.media.upload(picture)
        stored = keys(bucket, f"media/{user_id}/")
        assert set(stored) == {f"{item.id}.jpg", f"{item.id}.thumb.jpg"}
        assert stored[f"{item.id}.jpg"] == picture.read_bytes()
        assert not list((s3_engine.config.data_dir / "media" / user_id).glob("*"))
        assert client.media.download(item.id, tmp_path / "back.jpg").read_bytes() == picture.read_bytes()
        assert (
            client.media.download(item.id, tmp_path / "t.jpg", thumbnail=True).read_bytes()[:2] == b"\xff\xd8"
        )

        job = client.videos.generate(GenerateVideoRequest(script=SHORT, quality="draft", media=[item.id]))
        events = list(follow_job(client, job.video_id, timeout=120))
        assert events[-1][0] == "processing_completed", events[-1]
        scenes = client.videos.scenes(job.video_id)
        assert scenes and all(s.media == f"storage:media/{user_id}/{item.id}.jpg" for s in scenes)
        cached = s3_engine.config.data_dir / "cache" / "storage" / "media" / user_id / f"{item.id}.jpg"
        assert cached.read_bytes() == picture.read_bytes()  # fetched from the bucket for the render

        client.videos.delete(job.video_id)
        assert keys(bucket, f"videos/{user_id}/{job.video_id}/") == {}
        client.media.delete(item.id)
        assert keys(bucket, f"media/{user_id}/") == {}


def test_a_missing_bucket_is_named_with_the_setting_to_fix(
    tmp_path: Path, s3_endpoint: str, cli: CLI
) -> None:
    config = EngineConfig(
        data_dir=tmp_path / "data",
        signup_open=True,
        storage_url="s3://no-such-bucket/x",
        s3_endpoint_url=s3_endpoint,
    )
    with EngineServer(config) as server:
        _, token = sign_up(server)
        with ScriptSensei(server.url, token=token) as client:
            job = client.videos.generate(GenerateVideoRequest(script="One short line.", quality="draft"))
            events = list(follow_job(client, job.video_id, timeout=120))
            assert events[-1][0] == "processing_failed"
            video = client.videos.get(job.video_id)
    assert video.status == "failed" and video.error is not None and video.error.stage == "storage"
    assert "'no-such-bucket'" in video.error.message and "SCRIPTSENSEI_STORAGE_URL" in video.error.message

    result = cli(
        "server", "start", "--port", str(free_port()), "--open-signup",
        env={"SCRIPTSENSEI_STORAGE_URL": "s3://no-such-bucket", "SCRIPTSENSEI_S3_ENDPOINT_URL": s3_endpoint},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no-such-bucket" in result.stderr and "SCRIPTSENSEI_STORAGE_URL" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed on return: nothing listens there


def test_an_unreachable_endpoint_is_named(s3_endpoint: str) -> None:
    storage = S3Storage("s3://ss-outputs", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StorageError) as caught:
        storage.check()
    assert "SCRIPTSENSEI_S3_ENDPOINT_URL" in caught.value.message and "ss-outputs" in caught.value.message
    with pytest.raises(StorageError, match="expected s3://bucket"):
        S3Storage("https://bucket.example/x")


def test_storage_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SCRIPTSENSEI_STORAGE_URL", "s3://studio-renders/prod")
    monkeypatch.setenv("SCRIPTSENSEI_S3_ENDPOINT_URL", "http://minio:9000")
    config = EngineConfig.from_env(tmp_path)
    assert (config.storage_url, config.s3_endpoint_url) == ("s3://studio-renders/prod", "http://minio:9000")
    from scriptsensei_cli.engine.store.objects import open_storage

    storage = open_storage(config)
    assert storage.remote and storage.describe() == "s3://studio-renders/prod at http://minio:9000"
    assert not open_storage(EngineConfig(data_dir=tmp_path)).remote
