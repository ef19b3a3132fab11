"""Analytics service: import exports, push points, the overview, one video, the streamed export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from ...contract.analytics import (
    AnalyticsData,
    ImportResult,
    MetricPoint,
    TrackRequest,
    TrackResult,
    VideoAnalytics,
)
from .._base import HTTPClient
from .._multipart import MultipartFile, Progress

# The engine answers an import once every row is stored: allow for ~10k rows/s at ~55 bytes a row.
IMPORT_SECONDS_PER_MB = 3.0
MIN_IMPORT_TIMEOUT = 60.0


def import_timeout(size_bytes: int) -> float:
    return max(MIN_IMPORT_TIMEOUT, size_bytes / 1e6 * IMPORT_SECONDS_PER_MB)


class AnalyticsResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def import_file(
        self,
        path: Path,
        *,
        source: str | None = None,
        period: str | None = None,
        on_progress: Progress | None = None,
    ) -> ImportResult:
        """Upload a platform export (CSV, or YouTube Studio's .zip). The name sent along includes the
        folder it sits in, because YouTube Studio puts the period in the folder's name."""
        fields = {"name": f"{path.parent.name}/{path.name}" if path.parent.name else path.name}
        fields |= {key: value for key, value in (("source", source), ("period", period)) if value}
        return self._http.request_model(
            ImportResult,
            "POST",
            "/analytics/import",
            body=MultipartFile(path, fields=fields, on_progress=on_progress),
            read_timeout=import_timeout(path.stat().st_size),
        )

    def track(self, points: Sequence[MetricPoint], *, idempotency_key: str | None = None) -> TrackResult:
        body = TrackRequest(metrics=list(points)).model_dump(mode="json", by_alias=False)
        return self._http.request_model(
            TrackResult, "POST", "/analytics/track", json_body=body, idempotency_key=idempotency_key
        )

    def overview(self, date_range: str = "7d", *, end: date | None = None) -> AnalyticsData:
        params = {"date_range": date_range, "end": end.isoformat() if end else None}
        return self._http.request_model(AnalyticsData, "GET", "/analytics/overview", params=params)

    def video(self, video_id: str, date_range: str = "all", *, end: date | None = None) -> VideoAnalytics:
        params = {"date_range": date_range, "end": end.isoformat() if end else None}
        return self._http.request_model(VideoAnalytics, "GET", f"/analytics/videos/{video_id}", params=params)

    def export(
        self, date_range: str = "30d", format: str = "csv", *, end: date | None = None
    ) -> Iterator[bytes]:
        """The export's bytes as they arrive (the server streams it; nothing is held in memory)."""
        with self._http.stream_bytes(
            "GET", "/analytics/export", params=_export_params(date_range, format, end)
        ) as (
            _,
            chunks,
        ):
            yield from chunks

    def export_to(
        self, destination: Path, date_range: str = "30d", format: str = "csv", *, end: date | None = None
    ) -> Path:
        """Write the export to `destination`, renamed into place only when complete."""
        params = _export_params(date_range, format, end)
        return self._http.download_to("GET", "/analytics/export", destination, params=params)


def _export_params(date_range: str, format: str, end: date | None) -> dict[str, str | None]:
    return {"date_range": date_range, "format": format, "end": end.isoformat() if end else None}
