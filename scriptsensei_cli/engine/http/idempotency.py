"""`Idempotency-Key`: a repeat of a mutating request gets the first response, not a second resource."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict, Invalid
from ..store.db import Database
from ..store.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


def fingerprint(request: Request, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.url.path}\n{canonical}".encode()).hexdigest()


def idempotent(
    request: Request,
    db: Database,
    user_id: str,
    body: Any,
    create: Callable[[], tuple[int, dict[str, Any]]],
) -> JSONResponse:
    """Run `create` once per (user, key); replay its stored response for repeats of the same request."""
    key = request.headers.get(HEADER)
    if not key:
        status, payload = create()
        return JSONResponse(payload, status_code=status)
    if len(key) > MAX_KEY_LENGTH:
        raise Invalid(f"{HEADER} is longer than {MAX_KEY_LENGTH} characters", field=HEADER)
    request_fingerprint = fingerprint(request, body)
    replay = _stored(db, user_id, key, request_fingerprint)
    if replay is not None:
        return replay
    status, payload = create()
    try:
        with db.session() as session:
            session.add(
                IdempotencyRecord(
                    user_id=user_id,
                    key=key,
                    fingerprint=request_fingerprint,
                    status_code=status,
                    body=payload,
                )
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as it did.
        replay = _stored(db, user_id, key, request_fingerprint)
        if replay is not None:
            return replay
        raise
    return JSONResponse(payload, status_code=status)


def _stored(db: Database, user_id: str, key: str, request_fingerprint: str) -> JSONResponse | None:
    with db.session() as session:
        record = session.scalar(
            select(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
            )
        )
        if record is None:
            return None
        if record.fingerprint != request_fingerprint:
            raise Conflict(
                f"{HEADER} {key!r} was already used for a different request",
                field=HEADER,
            )
        return JSONResponse(
            record.body, status_code=record.status_code, headers={"Idempotent-Replayed": "true"}
        )
