"""Findings of the "Hardening" sweep: requests any signed-in user can send, answered 400/404, never 500."""

from __future__ import annotations

import httpx
import pytest

from scriptsensei_cli.contract import ErrorBody

HUGE = "9223372036854775808"  # 2**63: past a 64-bit OFFSET


@pytest.fixture
def http(engine, register):  # type: ignore[no-untyped-def]
    account = register()
    with httpx.Client(
        base_url=engine.url + "/api/v1", headers={"Authorization": f"Bearer {account.access_token}"}
    ) as client:
        yield client


def error_of(response: httpx.Response) -> ErrorBody:
    return ErrorBody.model_validate(response.json())


@pytest.mark.parametrize("path", ["/scripts", "/media/user", "/videos", "/voices", "/scripts/templates"])
@pytest.mark.parametrize("page", [HUGE, "1000001"])
def test_a_page_past_the_last_possible_is_a_400_naming_page(http: httpx.Client, path: str, page: str) -> None:
    response = http.get(path, params={"page": page})
    assert response.status_code == 400, response.text
    assert error_of(response).field == "page"


def test_the_largest_page_allowed_is_an_empty_page(http: httpx.Client) -> None:
    response = http.get("/scripts", params={"page": 1_000_000, "limit": 100})
    assert response.status_code == 200 and response.json()["scripts"] == []


def bulk_row(row: int, key: str, script_id: str) -> dict:  # type: ignore[type-arg]
    return {
        "row": row,
        "key": key,
        "output_name": f"row-{row}",
        "request": {"script_id": script_id, "platform": "tiktok"},
    }


def test_a_bulk_batch_with_a_repeated_row_key_is_a_400_naming_the_row_and_key(http: httpx.Client) -> None:
    script = http.post("/scripts", json={"title": "x", "content": "Hook.\n\nPoint.\n\nFollow."}).json()
    rows = [bulk_row(2, "k" * 16, script["id"]), bulk_row(3, "k" * 16, script["id"])]
    response = http.post("/videos/bulk", json={"name": "dupes", "key": "b" * 16, "rows": rows})
    assert response.status_code == 400, response.text
    body = error_of(response)
    assert body.field == "rows" and "row 3" in body.message and "k" * 16 in body.message
    assert http.get("/videos").json()["total"] == 0


@pytest.mark.parametrize("blank", ["   ", "\n\n\t", "\u3000"])
def test_blank_script_content_is_a_400_naming_content(http: httpx.Client, blank: str) -> None:
    created = http.post("/scripts", json={"title": "x", "content": blank})
    assert created.status_code == 400, created.text
    assert error_of(created).field == "content"
    script = http.post("/scripts", json={"title": "x", "content": "Something to say."}).json()
    updated = http.patch(f"/scripts/{script['id']}", json={"content": blank})
    assert updated.status_code == 400, updated.text
    assert error_of(updated).field == "content"


def test_script_content_is_saved_without_surrounding_whitespace(http: httpx.Client) -> None:
    script = http.post("/scripts", json={"title": "x", "content": "\n  Just this.  \n"}).json()
    assert script["content"] == "Just this."


@pytest.mark.parametrize("voice_id", ["vc_doesnotexist", "doesnotexist"])
def test_previewing_an_unknown_voice_is_a_404(http: httpx.Client, voice_id: str) -> None:
    response = http.post(f"/voices/{voice_id}/preview")
    assert response.status_code == 404, response.text
    assert error_of(response).error == "NOT_FOUND"


@pytest.mark.parametrize("end", ["8294335245650470.0", "0", "-1", "1700000000", "2026-1-5", "tomorrow"])
@pytest.mark.parametrize("path", ["/analytics/overview", "/analytics/export"])
def test_an_end_that_is_not_a_calendar_date_is_a_400_naming_end(
    http: httpx.Client, path: str, end: str
) -> None:
    response = http.get(path, params={"end": end})
    assert response.status_code == 400, response.text
    assert error_of(response).field == "end"


def test_an_iso_end_date_is_accepted(http: httpx.Client) -> None:
    response = http.get("/analytics/overview", params={"end": "2026-01-05"})
    assert response.status_code == 200, response.text
    assert response.json()["period"]["end"] == "2026-01-05"
