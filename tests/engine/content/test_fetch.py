"""Fetching users' URLs: every resolved address is checked, on every hop, before any connection.

All real test servers live on loopback, so hosts here resolve through an injected resolver and
answers come from httpx's mock transport, which also shows where each request was pinned.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from scriptsensei_cli.engine.content.fetch import FetchPolicy, fetch, non_public_rule
from scriptsensei_cli.engine.errors import EngineError
from scriptsensei_cli.engine.outbound import USER_AGENT

PUBLIC = "93.184.215.14"
DNS = {
    "blog.example": [PUBLIC],
    "cdn.example": ["2606:4700::6810:85e5"],
    "intranet.example": ["10.0.0.7"],
    "sneaky.example": [PUBLIC, "127.0.0.1"],  # one bad answer among good ones is enough to refuse
    "metadata.example": ["169.254.169.254"],
}
PAGE = b"<html><body><p>Hello there.</p></body></html>"
POLICY = FetchPolicy(max_bytes=10_000)


def resolver(host: str, port: int) -> list[str]:
    if host in DNS:
        return DNS[host]
    if host.replace(".", "").isdigit() or ":" in host:
        return [host]
    raise OSError("Name or service not known")


def serve(
    handler: Callable[[httpx.Request], httpx.Response],
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return httpx.MockTransport(record), seen


def html(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Content-Type": "text/html; charset=utf-8"}, content=PAGE)


def refusal(
    url: str, handler: Callable[[httpx.Request], httpx.Response] = html, **policy: object
) -> EngineError:
    transport, _ = serve(handler)
    with pytest.raises(EngineError) as caught:
        fetch(url, FetchPolicy(**{"max_bytes": 10_000, **policy}), resolver=resolver, transport=transport)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("address", "rule"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT: shared, not global
        ("::ffff:127.0.0.1", "loopback"),  # an IPv4-mapped IPv6 address is checked as its IPv4 self
        (PUBLIC, None),
        ("2606:4700::6810:85e5", None),
    ],
)
def test_non_public_rules(address: str, rule: str | None) -> None:
    assert non_public_rule(address) == rule


def test_a_public_page_is_fetched_through_the_checked_address_with_its_real_host_name() -> None:
    transport, seen = serve(html)
    fetched = fetch("https://blog.example/post", POLICY, resolver=resolver, transport=transport)
    assert (fetched.body, fetched.content_type, fetched.charset) == (PAGE, "text/html", "utf-8")
    request = seen[0]
    assert request.url.host == PUBLIC  # pinned: no second DNS lookup can change the destination
    assert request.headers["Host"] == "blog.example"
    assert request.extensions["sni_hostname"] == "blog.example"
    assert request.headers["User-Agent"] == USER_AGENT, "the one user agent of every outbound call"


@pytest.mark.parametrize(
    ("url", "address", "rule"),
    [
        ("http://intranet.example/wiki", "10.0.0.7", "private"),
        ("http://sneaky.example/", "127.0.0.1", "loopback"),
        ("http://metadata.example/latest/meta-data/", "169.254.169.254", "link-local"),
        ("http://127.0.0.1:8080/admin", "127.0.0.1", "loopback"),
        ("http://[::1]/", "::1", "loopback"),
    ],
)
def test_non_public_destinations_are_refused_before_connecting(url: str, address: str, rule: str) -> None:
    transport, seen = serve(html)
    with pytest.raises(EngineError) as caught:
        fetch(url, POLICY, resolver=resolver, transport=transport)
    error = caught.value
    assert error.code == "VALIDATION_ERROR" and error.field == "url"
    assert f"resolves to {address}, a {rule} address" in error.message
    assert "SCRIPTSENSEI_ALLOW_PRIVATE_URLS=1" in error.message
    assert error.details == {
        "url": error.details["url"],
        "address": address,
        "rule": rule,
        "reason": "non_public",
    }  # type: ignore[index]
    assert seen == []


def test_a_redirect_from_a_public_host_to_a_private_one_is_refused() -> None:
    def redirect(request: httpx.Request) -> httpx.Response:
        if request.headers["Host"] == "blog.example":
            return httpx.Response(302, headers={"Location": "http://intranet.example/secrets"})
        return html(request)

    transport, seen = serve(redirect)
    with pytest.raises(EngineError) as caught:
        fetch("https://blog.example/post", POLICY, resolver=resolver, transport=transport)
    assert "intranet.example resolves to 10.0.0.7, a private address" in caught.value.message
    assert [r.headers["Host"] for r in seen] == ["blog.example"]  # the private host was never contacted


def test_redirects_are_followed_by_hand_and_limited() -> None:
    def hop(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://cdn.example/new"})
        return html(request)

    transport, seen = serve(hop)
    fetched = fetch("http://blog.example/old", POLICY, resolver=resolver, transport=transport)
    assert fetched.url == "https://cdn.example/new"
    assert seen[1].url.host == "2606:4700::6810:85e5"

    loop = refusal("http://blog.example/a", lambda r: httpx.Response(302, headers={"Location": "/a"}))
    assert loop.message == "could not fetch http://blog.example/a: more than 5 redirects"


def test_private_addresses_are_fetched_when_the_setting_allows_them() -> None:
    transport, _ = serve(html)
    policy = FetchPolicy(max_bytes=10_000, allow_private=True)
    assert fetch("http://intranet.example/wiki", policy, resolver=resolver, transport=transport).body == PAGE


def test_sizes_are_limited_whether_declared_or_streamed() -> None:
    def declared(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Type": "text/html", "Content-Length": "999999"}, content=b"x"
        )

    def streamed(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=iter([b"x" * 4096] * 10))

    for handler in (declared, streamed):
        error = refusal("http://blog.example/big", handler)
        assert error.code == "PAYLOAD_TOO_LARGE"
        assert "larger than the 0.00954 MB import limit" in error.message


def test_content_types_no_import_reads_are_415() -> None:
    error = refusal(
        "http://blog.example/cat.png", lambda r: httpx.Response(200, headers={"Content-Type": "image/png"})
    )
    assert error.code == "UNSUPPORTED_MEDIA_TYPE"
    assert error.message.startswith("http://blog.example/cat.png is image/png; import reads web pages (HTML)")


@pytest.mark.parametrize(
    ("url", "handler", "message"),
    [
        (
            "ftp://blog.example/x",
            html,
            "only http:// and https:// URLs can be imported, not 'ftp://blog.example/x'",
        ),
        ("http://user:pw@blog.example/", html, "URLs with a user name or password are not fetched"),
        (
            "http://nowhere.example/",
            html,
            "could not fetch http://nowhere.example/: the host 'nowhere.example' could not be resolved",
        ),
        (
            "http://blog.example/gone",
            lambda r: httpx.Response(404),
            "could not fetch http://blog.example/gone: the page answered 404 Not Found",
        ),
    ],
)
def test_bad_urls_and_failures_say_what_went_wrong(
    url: str, handler: Callable[[httpx.Request], httpx.Response], message: str
) -> None:
    error = refusal(url, handler)
    assert (error.code, error.field, error.message) == ("VALIDATION_ERROR", "url", message)


def test_timeouts_and_connection_failures_are_clear_errors() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    assert (
        refusal("http://blog.example/", slow).message
        == "could not fetch http://blog.example/: no answer within 10 s"
    )
    assert refusal("http://blog.example/", refused).message == (
        "could not fetch http://blog.example/: could not connect (Connection refused)"
    )
