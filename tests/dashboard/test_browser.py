"""The dashboard and the API reference in a real browser, against the mock as a live server."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx
from kitty_origin import ClientSettings, SaaSTrackerClient, StaticTokenProvider

from .conftest import OffHostRequests

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

MISSION_ID = "01JD8X4ZQK5M7N9P2R3S4T5V6W"
MISSION_SLUG = "061-web-123-add-clerk-auth"
WEB_123 = {
    "provider": "linear",
    "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
    "external_issue_key": "WEB-123",
    "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
}
ORIGIN_BOUND_EVENT = {
    "event_id": "01JD8X6B7C8D9E0F1G2H3J4K5M",
    "event_type": "MissionOriginBound",
    "aggregate_id": MISSION_ID,
    "aggregate_type": "Mission",
    "schema_version": "3.0.0",
    "timestamp": "2026-04-01T09:30:01Z",
    "payload": {
        **WEB_123,
        "mission_slug": MISSION_SLUG,
        "mission_id": MISSION_ID,
        "title": "Add Clerk auth",
    },
}


def _client(base_url: str) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        base_url=base_url, team="acme", token_provider=StaticTokenProvider("tok-alice")
    )
    return SaaSTrackerClient(settings)


def _bind_web_123(base_url: str) -> str:
    with _client(base_url) as client:
        answer = client.bind_mission_origin(
            "linear",
            "acme-web",
            feature_slug=MISSION_SLUG,
            external_issue_id="5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
            external_issue_key="WEB-123",
            external_issue_url="https://linear.app/acme/issue/WEB-123/add-clerk-auth",
            title="Add Clerk auth",
            mission_id=MISSION_ID,
            external_status="In Progress",
        )
    return str(answer.origin_link_id)


def test_a_binding_made_through_the_client_appears_without_a_reload(
    mock_url: str,
    offline_context: tuple[BrowserContext, OffHostRequests],
    output_dir: Path,
) -> None:
    context, attempted = offline_context
    page = context.new_page()
    page.goto(f"{mock_url}/")
    for section in ("summary", "origin-links", "events", "requests", "faults", "tickets"):
        assert page.locator(f"section#{section}").count() == 1, section
    assert page.locator("section#directory").count() == 1
    assert page.locator("section#mappings").count() == 1
    # A marker on the window survives swaps but not a reload.
    page.evaluate("window.__sameDocument = true")

    link_id = _bind_web_123(mock_url)

    row = page.locator(f'#origin-links tr[data-key="{link_id}"]')
    row.wait_for(state="visible", timeout=10_000)
    assert "WEB-123" in row.inner_text()
    assert "061-web-123-add-clerk-auth" in row.inner_text()
    assert page.evaluate("window.__sameDocument === true")
    # The client's request shows up in the log too (the page's own polling does not).
    page.locator("#requests", has_text="/api/v1/tracker/mission-origin/bind/").wait_for()
    assert "/dashboard/fragments" not in page.locator("#requests").inner_text()
    assert attempted == []


def test_events_and_faults_appear_without_a_reload(
    mock_url: str,
    offline_context: tuple[BrowserContext, OffHostRequests],
    output_dir: Path,
) -> None:
    context, attempted = offline_context
    page = context.new_page()
    page.goto(f"{mock_url}/")
    page.evaluate("window.__sameDocument = true")

    with _client(mock_url) as client:
        client.send_event_batch([ORIGIN_BOUND_EVENT])
        client.send_event_batch([ORIGIN_BOUND_EVENT])  # delivered twice: a duplicate
    httpx.post(
        f"{mock_url}/__admin/faults",
        json={"latency": {"count": 50, "ms": 5}},
        headers={"X-Admin-Token": "admin-secret"},
    ).raise_for_status()

    events = page.locator("#events")
    events.locator("tr", has_text="duplicate").wait_for()
    assert events.locator("tr", has_text="accepted").count() == 1
    assert MISSION_SLUG in events.inner_text()
    page.locator("#faults tr", has_text="latency").wait_for()
    assert page.evaluate("window.__sameDocument === true")
    page.wait_for_timeout(300)  # the new rows' highlight, for the screenshot
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=True)
    httpx.delete(
        f"{mock_url}/__admin/faults", headers={"X-Admin-Token": "admin-secret"}
    ).raise_for_status()
    assert attempted == []


def test_api_reference_renders_offline(
    mock_url: str,
    offline_context: tuple[BrowserContext, OffHostRequests],
    output_dir: Path,
) -> None:
    context, attempted = offline_context
    page = context.new_page()
    page.goto(f"{mock_url}/docs", wait_until="load")
    assert page.locator("#op-bindMissionOrigin").is_visible()
    assert page.locator("#op-searchIssues").is_visible()
    assert page.locator("#schema-ErrorEnvelope").count() == 1
    # The stylesheet really applied (a failed asset load would leave the default layout).
    display = page.evaluate("getComputedStyle(document.querySelector('.docs-layout')).display")
    assert display == "grid"
    page.screenshot(path=str(output_dir / "docs.png"))
    page.locator("#op-bindMissionOrigin").scroll_into_view_if_needed()
    page.locator("#op-bindMissionOrigin details.example").first.locator("summary").click()
    page.screenshot(path=str(output_dir / "docs-operation.png"))
    assert attempted == []
