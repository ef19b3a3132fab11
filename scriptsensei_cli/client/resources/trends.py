"""Trend service: current trends, by platform, search, forecasts; import and collect observations."""

from __future__ import annotations

from pathlib import Path

from ...contract.trends import CollectRequest, Prediction, PredictRequest, TrendImportResult, TrendList
from .._base import HTTPClient
from .._multipart import MultipartFile


class TrendsResource:
    def __init__(self, http: HTTPClient) -> None:
        self._http = http

    def current(
        self,
        *,
        platform: str | None = None,
        region: str | None = None,
        category: str | None = None,
        time_range: str = "24h",
        page: int = 1,
        limit: int = 20,
    ) -> TrendList:
        params = {
            "platform": platform,
            "region": region,
            "category": category,
            "time_range": time_range,
            "page": page,
            "limit": limit,
        }
        return self._http.request_model(TrendList, "GET", "/trends/current", params=params)

    def by_platform(self, platform: str, *, time_range: str = "24h", limit: int = 20) -> TrendList:
        params = {"time_range": time_range, "limit": limit}
        return self._http.request_model(TrendList, "GET", f"/trends/platform/{platform}", params=params)

    def search(
        self, query: str, *, platform: str | None = None, time_range: str = "7d", limit: int = 20
    ) -> TrendList:
        params = {"q": query, "platform": platform, "time_range": time_range, "limit": limit}
        return self._http.request_model(TrendList, "GET", "/trends/search", params=params)

    def predict(self, request: PredictRequest) -> Prediction:
        body = request.model_dump(mode="json", exclude_none=True)
        return self._http.request_model(Prediction, "POST", "/trends/predict", json_body=body)

    def import_file(self, path: Path) -> TrendImportResult:
        body = MultipartFile(path, fields={"name": path.name})
        return self._http.request_model(TrendImportResult, "POST", "/trends/import", body=body)

    def collect(self, request: CollectRequest) -> TrendImportResult:
        body = request.model_dump(mode="json")
        return self._http.request_model(TrendImportResult, "POST", "/trends/collect", json_body=body)
