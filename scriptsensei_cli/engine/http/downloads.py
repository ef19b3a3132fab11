"""Serving a stored object over HTTP: 200, or 206 with Content-Range for one `bytes=` range, streamed."""

from __future__ import annotations

from datetime import UTC

from starlette.responses import Response, StreamingResponse

from ..store.objects import RangeNotSatisfiable, Storage, content_disposition


def single_range(header: str | None) -> str | None:
    """One `bytes=` range passed on to the store; several ranges or a malformed header are ignored
    (the whole object is served, as HTTP allows)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, sep, last = header[len("bytes=") :].strip().partition("-")
    if (
        not sep
        or not (first or last)
        or not (first.isdigit() or not first)
        or not (last.isdigit() or not last)
    ):
        return None
    if first and last and int(last) < int(first):
        return None
    return f"bytes={first}-{last}"


def stored_response(
    storage: Storage,
    key: str,
    *,
    range_header: str | None,
    if_range: str | None = None,
    media_type: str,
    filename: str | None = None,
) -> Response:
    """Proxy an object: 200 or 206 with Content-Range, streamed in chunks (constant memory)."""
    try:
        found = storage.read(key, single_range(range_header))
    except RangeNotSatisfiable as exc:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{exc.size}"})
    if found.partial and if_range is not None and if_range.strip() != found.etag:
        found.chunks.close()  # If-Range names another version (or a date): the whole object, then
        found = storage.read(key)
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(found.end - found.start + 1)}
    if found.partial:
        headers["Content-Range"] = f"bytes {found.start}-{found.end}/{found.size}"
    if found.etag:
        headers["ETag"] = found.etag
    if found.last_modified is not None:
        from email.utils import format_datetime

        headers["Last-Modified"] = format_datetime(found.last_modified.astimezone(UTC), usegmt=True)
    if filename:
        headers["Content-Disposition"] = content_disposition(filename)
    return StreamingResponse(
        found.chunks, status_code=206 if found.partial else 200, media_type=media_type, headers=headers
    )
