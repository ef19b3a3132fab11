"""Seeded choices for the built-in writer: the same request always picks the same phrases."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TypeVar

from .base import WriterRequest

T = TypeVar("T")


class Picker:
    """Stable choices from a seed: sha256, never the global `random` state or the clock."""

    def __init__(self, request: WriterRequest) -> None:
        template = request.template
        key = [
            " ".join(request.topic.split()).lower(),
            request.platform,
            request.language.lower(),
            request.tone,
            request.duration,
            [template.id, template.content] if template else None,
            sorted(request.variables.items()),
        ]
        self._seed = json.dumps(key, ensure_ascii=False)

    def number(self, salt: str) -> int:
        digest = hashlib.sha256(f"{self._seed}|{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def pick(self, items: Sequence[T], salt: str) -> T:
        return items[self.number(salt) % len(items)]

    def shuffled(self, items: Sequence[T], salt: str) -> list[T]:
        order = sorted(range(len(items)), key=lambda i: self.number(f"{salt}#{i}"))
        return [items[i] for i in order]
