"""Voice service: built-in and custom voices, previews, voice matching from a sample."""

from __future__ import annotations

import builtins
from pathlib import Path

from ...contract import Voice, VoiceList
from .._base import HTTPClient
from .._multipart import MultipartFile, Progress


class VoicesResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def list(
        self,
        *,
        language: str | None = None,
        gender: str | None = None,
        style: str | None = None,
        quality: str | None = None,
        page: int = 1,
        limit: int = 100,
    ) -> VoiceList:
        params = {
            "language": language,
            "gender": gender,
            "style": style,
            "quality": quality,
            "page": page,
            "limit": limit,
        }
        return self._http.request_model(VoiceList, "GET", "/voices", params=params)

    def all(
        self,
        *,
        language: str | None = None,
        gender: str | None = None,
        style: str | None = None,
        quality: str | None = None,
    ) -> builtins.list[Voice]:
        """Every voice matching the filters, page after page."""
        voices: builtins.list[Voice] = []
        page = 1
        while True:
            result = self.list(
                language=language, gender=gender, style=style, quality=quality, page=page, limit=100
            )
            voices.extend(result.voices)
            if not result.voices or len(voices) >= result.total:
                return voices
            page += 1

    def get(self, voice_id: str) -> Voice:
        return self._http.request_model(Voice, "GET", f"/voices/{voice_id}")

    def delete(self, voice_id: str) -> None:
        self._http.request("DELETE", f"/voices/{voice_id}")

    def preview(self, voice_id: str, destination: Path, *, text: str | None = None) -> Path:
        """Save the voice saying `text` (or its greeting) as a WAV file at `destination`."""
        body = {"text": text} if text else None
        return self._http.download_to("POST", f"/voices/{voice_id}/preview", destination, json_body=body)

    def clone(
        self,
        name: str,
        sample: Path,
        *,
        description: str | None = None,
        language: str | None = None,
        method: str | None = None,
        on_progress: Progress | None = None,
    ) -> Voice:
        """Upload a speech sample; the server measures it and returns the new voice."""
        fields = {"name": name}
        if description:
            fields["description"] = description
        if language:
            fields["language"] = language
        if method:
            fields["method"] = method
        body = MultipartFile(sample, fields, on_progress)
        return self._http.request_model(Voice, "POST", "/voices/clone", body=body)
