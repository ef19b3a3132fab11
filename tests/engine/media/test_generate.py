"""Generated images: the procedural styles (real PNGs, decoded back with ffmpeg) and the image service
provider (tested only at the HTTP boundary: an httpx.MockTransport stands in for the remote API)."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import pytest

from scriptsensei_cli.engine.config import EngineConfig
from scriptsensei_cli.engine.media.generate import (
    STYLES,
    ImageProvider,
    ImageProviderError,
    OpenAIImageProvider,
    generate_image,
    image_provider_from_config,
    palette_for,
    request_size,
    styled_prompt,
)
from scriptsensei_cli.engine.render.ffmpeg import ffmpeg_exe, probe

KEY = "sk-test-0123456789abcdefSECRET"
INVALID = "invalid_request_error"


def decode(path: Path) -> np.ndarray:
    """The PNG's pixels as (height, width, 3) uint8, decoded by ffmpeg (not by our own code)."""
    info = probe(path)
    assert info.width and info.height
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(info.height, info.width, 3)


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference per channel value, 0..255."""
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


# ---------------------------------------------------------------------------------- built-in styles


@pytest.mark.parametrize("style", STYLES)
def test_every_style_renders_a_png_of_exactly_the_requested_size(style: str, tmp_path: Path) -> None:
    dest = generate_image("a quiet lake at dawn", style, 1080, 1920, tmp_path / "out" / "bg.png")

    assert dest == tmp_path / "out" / "bg.png"
    assert dest.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    info = probe(dest)
    assert (info.width, info.height) == (1080, 1920)
    pixels = decode(dest)
    assert pixels.std() > 2, "a style should draw something, not one flat colour"
    assert [p.name for p in dest.parent.iterdir()] == ["bg.png"], "no temporary file is left behind"


@pytest.mark.parametrize("size", [(64, 64), (333, 777), (1920, 1080), (4096, 64)])
def test_odd_and_extreme_sizes_come_out_exact(size: tuple[int, int], tmp_path: Path) -> None:
    dest = generate_image("ocean", "geometric", *size, tmp_path / "bg.png")
    info = probe(dest)
    assert (info.width, info.height) == size


@pytest.mark.parametrize("style", STYLES)
def test_the_same_request_gives_the_same_bytes(style: str, tmp_path: Path) -> None:
    first = generate_image("Neon city at night", style, 320, 568, tmp_path / "a.png")
    second = generate_image("Neon city at night", style, 320, 568, tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()


def test_case_and_spacing_of_the_prompt_do_not_matter(tmp_path: Path) -> None:
    first = generate_image("Ocean  Sunset", "bokeh", 200, 200, tmp_path / "a.png")
    second = generate_image("ocean sunset", "bokeh", 200, 200, tmp_path / "b.png")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("style", STYLES)
def test_different_prompts_give_visibly_different_pictures(style: str, tmp_path: Path) -> None:
    ocean = decode(generate_image("deep blue ocean", style, 270, 480, tmp_path / "ocean.png"))
    fire = decode(generate_image("red fire and flame", style, 270, 480, tmp_path / "fire.png"))
    assert difference(ocean, fire) > 12
    # Colour words steer the palette: the ocean is bluer than it is red, the fire redder than blue.
    ocean_mean, fire_mean = ocean.reshape(-1, 3).mean(axis=0), fire.reshape(-1, 3).mean(axis=0)
    assert ocean_mean[2] > ocean_mean[0]
    assert fire_mean[0] > fire_mean[2]


def test_prompts_without_colour_words_still_differ(tmp_path: Path) -> None:
    first = decode(generate_image("quarterly sales review", "gradient", 270, 480, tmp_path / "a.png"))
    second = decode(generate_image("how to bake bread", "gradient", 270, 480, tmp_path / "b.png"))
    assert difference(first, second) > 8


def test_styles_differ_from_each_other(tmp_path: Path) -> None:
    pictures = {
        style: decode(generate_image("forest in spring", style, 270, 480, tmp_path / f"{style}.png"))
        for style in STYLES
    }
    for i, a in enumerate(STYLES):
        for b in STYLES[i + 1 :]:
            assert difference(pictures[a], pictures[b]) > 5, (a, b)


def test_mood_words_change_brightness() -> None:
    def brightness(prompt: str) -> float:
        return float(np.mean(palette_for(prompt).colours))

    assert brightness("dark night forest") < brightness("forest") < brightness("bright pastel forest")


def test_unknown_style_is_refused_with_the_list_of_styles(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="gradient, bokeh, geometric, paper"):
        generate_image("ocean", "watercolour", 256, 256, tmp_path / "bg.png")
    assert not (tmp_path / "bg.png").exists()


@pytest.mark.parametrize("size", [(63, 256), (256, 4097), (0, 0), (-5, 100)])
def test_sizes_outside_the_limits_are_refused(size: tuple[int, int], tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="between 64 and 4096"):
        generate_image("ocean", "paper", *size, tmp_path / "bg.png")


def test_a_new_picture_replaces_the_old_one_in_place(tmp_path: Path) -> None:
    dest = tmp_path / "bg.png"
    dest.write_bytes(b"old")
    generate_image("ocean", "gradient", 128, 128, dest)
    assert dest.read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------------------- image service (HTTP boundary)


def png_bytes(width: int, height: int) -> bytes:
    """A real small PNG, as an image service would send."""
    source = f"color=c=red:s={width}x{height}"
    command = ["-f", "lavfi", "-i", source, "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-"]
    return subprocess.run([ffmpeg_exe(), "-v", "error", *command], capture_output=True, check=True).stdout


Handler = Callable[[httpx.Request], httpx.Response]


def service(handler: Handler, requests: list[httpx.Request]) -> httpx.Client:
    """A client whose transport stands in for the remote image API (and its file storage)."""

    def record(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return handler(request)

    return httpx.Client(transport=httpx.MockTransport(record))


def provider(
    handler: Handler, requests: list[httpx.Request], model: str = "gpt-image-1"
) -> OpenAIImageProvider:
    return OpenAIImageProvider("https://api.openai.com/v1", KEY, model, client=service(handler, requests))


def openai_error(status: int, message: str, code: str | None, kind: str, **headers: str) -> Handler:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return lambda request: httpx.Response(status, json=body, headers=headers)


def test_b64_image_is_requested_with_key_and_user_agent_and_cropped_to_size(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    image = base64.b64encode(png_bytes(64, 96)).decode()
    body = {"created": 1713833628, "data": [{"b64_json": image}], "usage": {"total_tokens": 100}}
    with provider(lambda request: httpx.Response(200, json=body), requests) as images:
        dest = images.generate("a lighthouse in fog", "paper", 300, 200, tmp_path / "gen.png")

    assert isinstance(images, ImageProvider)
    (request,) = requests
    assert request.method == "POST"
    assert str(request.url) == "https://api.openai.com/v1/images/generations"
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["User-Agent"].startswith("ScriptSensei-CLI/")
    sent = json.loads(request.content)
    assert sent["model"] == "gpt-image-1"
    assert sent["prompt"].startswith("a lighthouse in fog. Style: textured paper")
    assert sent["size"] == "1536x1024"
    assert "response_format" not in sent  # GPT image models refuse it
    info = probe(dest)
    assert (info.width, info.height) == (300, 200)


def test_a_link_is_downloaded_without_the_api_key(tmp_path: Path) -> None:
    requests: list[httpx.Request] = []
    picture = png_bytes(32, 32)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "files.example.net":
            return httpx.Response(200, content=picture, headers={"Content-Type": "image/png"})
        return httpx.Response(
            200, json={"created": 1, "data": [{"url": "https://files.example.net/img-1.png"}]}
        )

    with provider(handler, requests, model="dall-e-3") as images:
        dest = images.generate("a lighthouse", None, 128, 256, tmp_path / "gen.png")

    first, second = requests
    assert json.loads(first.content)["response_format"] == "b64_json"
    assert json.loads(first.content)["size"] == "1024x1792"
    assert "Authorization" not in second.headers
    assert probe(dest).height == 256


def test_base_url_without_v1_gets_the_versioned_path() -> None:
    assert (
        OpenAIImageProvider("http://localhost:8080/").endpoint
        == "http://localhost:8080/v1/images/generations"
    )
    assert OpenAIImageProvider("https://x.example/v1/").endpoint == "https://x.example/v1/images/generations"


@pytest.mark.parametrize(
    ("handler", "status", "expected"),
    [
        (
            openai_error(401, f"Incorrect API key provided: {KEY}.", "invalid_api_key", INVALID),
            401,
            "rejected the API key (HTTP 401): check SCRIPTSENSEI_IMAGE_API_KEY",
        ),
        (
            openai_error(429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota"),
            429,
            "out of credit or has no billing set up (insufficient_quota)",
        ),
        (
            openai_error(400, "Billing hard limit has been reached", "billing_hard_limit_reached", INVALID),
            400,
            "out of credit",
        ),
        (lambda request: httpx.Response(402, json={"error": "Payment required"}), 402, "out of credit"),
        (
            openai_error(
                400, "Your request was rejected by our safety system.", "content_policy_violation", INVALID
            ),
            400,
            "refused the prompt under its content policy: rephrase the prompt",
        ),
        (
            openai_error(
                429,
                "Rate limit reached for images per minute.",
                "rate_limit_exceeded",
                "requests",
                **{"Retry-After": "7"},
            ),
            429,
            "rate limit reached; retry after 7 s",
        ),
        (
            lambda request: httpx.Response(503, text="upstream connect error"),
            503,
            "unreachable or failing (HTTP 503)",
        ),
        (
            openai_error(404, "The model `gpt-image-9` does not exist", "model_not_found", INVALID),
            404,
            "SCRIPTSENSEI_IMAGE_MODEL",
        ),
    ],
)
def test_service_errors_say_what_happened_and_what_to_do(
    handler: Handler, status: int, expected: str, tmp_path: Path
) -> None:
    with provider(handler, []) as images, pytest.raises(ImageProviderError) as caught:
        images.generate("a lighthouse", "gradient", 256, 256, tmp_path / "gen.png")

    error = caught.value
    assert expected in error.message
    assert "api.openai.com" in error.message, "the error names the service"
    assert error.status == status
    assert error.provider == "openai"
    assert KEY not in str(error)
    assert not (tmp_path / "gen.png").exists()


def test_rate_limit_carries_retry_after(tmp_path: Path) -> None:
    handler = openai_error(429, "slow down", "rate_limit_exceeded", "requests", **{"Retry-After": "7"})
    with provider(handler, []) as images, pytest.raises(ImageProviderError) as caught:
        images.generate("a lighthouse", None, 256, 256, tmp_path / "gen.png")
    assert caught.value.retry_after == 7


def test_timeouts_and_connection_failures_are_unreachable(tmp_path: Path) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    for handler, detail in ((timeout, "timed out"), (refused, "connection failed: ConnectError")):
        with provider(handler, []) as images, pytest.raises(ImageProviderError) as caught:
            images.generate("a lighthouse", None, 256, 256, tmp_path / "gen.png")
        assert f"is unreachable or failing ({detail}); try again later" in caught.value.message
        assert caught.value.__cause__ is None, "httpx's exception holds the request; it is not chained"


def test_data_that_is_not_an_image_is_an_error(tmp_path: Path) -> None:
    body = {"created": 1, "data": [{"b64_json": base64.b64encode(b"<html>oops</html>").decode()}]}
    cases = [
        (lambda request: httpx.Response(200, json=body), "sent data that is not an image"),
        (lambda request: httpx.Response(200, text="<html>"), "answered with something other than JSON"),
        (lambda request: httpx.Response(200, json={"data": []}), "answered without an image"),
    ]
    for handler, message in cases:
        with provider(handler, []) as images, pytest.raises(ImageProviderError, match=message):
            images.generate("a lighthouse", None, 256, 256, tmp_path / "gen.png")
    assert list(tmp_path.iterdir()) == [], "nothing is left behind"


def test_request_size_picks_the_nearest_shape() -> None:
    assert request_size("gpt-image-1", 1080, 1920) == "1024x1536"
    assert request_size("gpt-image-1", 1920, 1080) == "1536x1024"
    assert request_size("gpt-image-1", 1080, 1080) == "1024x1024"
    assert request_size("dall-e-3", 1080, 1920) == "1024x1792"
    assert request_size("dall-e-2", 1080, 1920) == "1024x1024"


def test_styled_prompt_hints_the_style() -> None:
    hinted = "ocean. Style: soft out-of-focus bokeh lights. No text or lettering."
    assert styled_prompt(" ocean ", "bokeh") == hinted
    assert styled_prompt("ocean", None) == "ocean. No text or lettering."


def test_provider_comes_from_config_and_hides_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert image_provider_from_config(EngineConfig(data_dir=tmp_path)) is None

    monkeypatch.setenv("SCRIPTSENSEI_IMAGE_API_KEY", KEY)
    monkeypatch.setenv("SCRIPTSENSEI_IMAGE_MODEL", "dall-e-3")
    config = EngineConfig.from_env(tmp_path)
    images = image_provider_from_config(config)
    assert isinstance(images, OpenAIImageProvider)
    with images:
        assert images.model == "dall-e-3"
        assert images.endpoint == "https://api.openai.com/v1/images/generations"
        assert KEY not in repr(images)
    assert KEY not in repr(config)
