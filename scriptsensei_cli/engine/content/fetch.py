"""Fetching a user's URL without turning the server into a window on its own network.

A URL named by a user is fetched by the engine, which may sit next to databases, admin panels and
cloud metadata services (169.254.169.254). So, unless `allow_private_urls` is set:

- the host is resolved here and *every* address it resolves to must be public (not loopback,
  private, link-local, shared, multicast, reserved or unspecified); the connection then goes to
  the checked address, with the real host name in `Host` and in TLS SNI, so a DNS answer that
  changes between the check and the connection (DNS rebinding) cannot slip past;
- redirects are followed by hand, at most `MAX_REDIRECTS`, and each hop is checked the same way;
- proxies from the environment are ignored (they would connect on our behalf, unchecked).

Every fetch has connect/read timeouts and an overall deadline, refuses a declared or streamed body
over `max_bytes` (counted after decompression), and refuses content types no import can read.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from ..errors import EngineError, Invalid, TooLarge, Unsupported
from ..outbound import USER_AGENT

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
# Under the client's default 30 s read timeout, with time left to parse and save.
DEADLINE_SECONDS = 20.0
MAX_REDIRECTS = 5
READABLE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "text/markdown",
        "text/x-markdown",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
)
PRIVATE_URLS_SETTING = "SCRIPTSENSEI_ALLOW_PRIVATE_URLS=1"

Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def non_public_rule(address: str) -> str | None:
    """Why `address` is not a public internet address ("loopback", "private", ...), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for rule, matches in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if matches:
            return rule
    return None if ip.is_global else "non-public"


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int
    allow_private: bool = False
    max_redirects: int = MAX_REDIRECTS
    deadline_seconds: float = DEADLINE_SECONDS


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str | None
    charset: str | None
    body: bytes


def fetch(
    url: str,
    policy: FetchPolicy,
    *,
    resolver: Resolver = system_resolver,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """GET `url` under `policy`; every refusal or failure is an `EngineError` that names the reason."""
    deadline = time.monotonic() + policy.deadline_seconds
    current = _parse(url)
    timeout = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
    with httpx.Client(
        transport=transport, timeout=timeout, trust_env=False, follow_redirects=False
    ) as client:
        for _ in range(policy.max_redirects + 1):
            _check_deadline(current, policy, deadline)
            address = _checked_address(current, policy, resolver)
            request = _pinned_request(client, current, address)
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise _failed(current, f"no answer within {READ_TIMEOUT:.0f} s", "timeout") from exc
            except httpx.TransportError as exc:
                raise _failed(
                    current, f"could not connect ({exc or type(exc).__name__})", "unreachable"
                ) from exc
            try:
                location = _redirect(current, response)
                if location is None:
                    return _read(current, response, policy, deadline)
            finally:
                response.close()
            current = location
    raise _failed(url, f"more than {policy.max_redirects} redirects", "redirects")


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise Invalid(f"not a valid URL: {url!r}", field="url") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise Invalid(f"only http:// and https:// URLs can be imported, not {url!r}", field="url")
    if parsed.userinfo:
        raise Invalid("URLs with a user name or password are not fetched", field="url")
    return parsed


def _checked_address(url: httpx.URL, policy: FetchPolicy, resolver: Resolver) -> str:
    """The address to connect to: the first one `url`'s host resolves to, after checking them all."""
    host = url.host
    try:
        addresses = resolver(host, url.port or (443 if url.scheme == "https" else 80))
    except (OSError, UnicodeError) as exc:
        raise _failed(url, f"the host {host!r} could not be resolved", "dns") from exc
    if not addresses:
        raise _failed(url, f"the host {host!r} has no address", "dns")
    if not policy.allow_private:
        for address in addresses:
            rule = non_public_rule(address)
            if rule is not None:
                raise Invalid(
                    f"{host} resolves to {address}, a {rule} address; the engine does not fetch "
                    f"loopback, private, link-local or other non-public addresses (a server admin can "
                    f"allow them with {PRIVATE_URLS_SETTING})",
                    field="url",
                    details={"url": str(url), "address": address, "rule": rule, "reason": "non_public"},
                )
    return addresses[0]


def _pinned_request(client: httpx.Client, url: httpx.URL, address: str) -> httpx.Request:
    """A request to `address` that still names `url`'s host (Host header, TLS SNI and certificate)."""
    return client.build_request(
        "GET",
        url.copy_with(host=address),
        headers={"Host": url.netloc.decode("ascii"), "User-Agent": USER_AGENT, "Accept": _ACCEPT},
        extensions={"sni_hostname": url.host},
    )


_ACCEPT = "text/html,application/xhtml+xml,application/pdf,text/markdown,text/plain;q=0.8,*/*;q=0.1"


def _redirect(url: httpx.URL, response: httpx.Response) -> httpx.URL | None:
    """The next hop of a redirect, checked like the first URL; None for any other answer."""
    if response.status_code not in _REDIRECTS:
        return None
    location = response.headers.get("location", "")
    if not location:
        raise _failed(url, f"a {response.status_code} redirect without a Location", "redirects")
    return _parse(str(url.join(location)))


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def _check_deadline(url: httpx.URL, policy: FetchPolicy, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _failed(url, f"it took longer than {policy.deadline_seconds:.0f} s", "timeout")


def _read(url: httpx.URL, response: httpx.Response, policy: FetchPolicy, deadline: float) -> Fetched:
    if not 200 <= response.status_code < 300:
        phrase = response.reason_phrase or "error"
        raise _failed(url, f"the page answered {response.status_code} {phrase}", "http_status")
    content_type, charset = _content_type(response)
    if content_type and content_type not in READABLE_TYPES:
        raise Unsupported(
            f"{url} is {content_type}; import reads web pages (HTML) and PDF, DOCX, Markdown or text",
            field="url",
            details={"url": str(url), "content_type": content_type},
        )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise _too_large(url, policy.max_bytes)
    body = bytearray()
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > policy.max_bytes:
                raise _too_large(url, policy.max_bytes)
            _check_deadline(url, policy, deadline)
    except httpx.TimeoutException as exc:
        raise _failed(url, f"the download stalled for {READ_TIMEOUT:.0f} s", "timeout") from exc
    except httpx.TransportError as exc:
        raise _failed(url, f"the download broke off ({exc})", "unreachable") from exc
    return Fetched(str(url), content_type, charset, bytes(body))


def _content_type(response: httpx.Response) -> tuple[str | None, str | None]:
    header = response.headers.get("content-type", "")
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media_type.strip().lower() or None, charset


def _too_large(url: httpx.URL, limit: int) -> EngineError:
    megabytes = limit / (1024 * 1024)
    return TooLarge(
        f"{url} is larger than the {megabytes:.3g} MB import limit",
        field="url",
        details={"url": str(url), "max_bytes": limit},
    )


def _failed(url: httpx.URL | str, why: str, reason: str) -> EngineError:
    """The URL could not be fetched: the user's input to fix or retry (400), with the reason."""
    return Invalid(f"could not fetch {url}: {why}", field="url", details={"url": str(url), "reason": reason})
