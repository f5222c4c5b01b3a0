"""The dashboard and API reference rendered in-process: sections, escaping, fragments, no CDN."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from kitty_contracts import Provider
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings

from tests.mock_saas.conftest import ADMIN, ALICE, BIND, EVENTS, bind_body

SECTION_IDS = (
    "summary",
    "origin-links",
    "events",
    "faults",
    "requests",
    "tickets",
    "directory",
    "mappings",
)
# Anything that would make the browser fetch from another host.
EXTERNAL_LOAD = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//"""
    r"""|//cdn|fonts\.googleapis|fonts\.gstatic""",
    re.IGNORECASE,
)


@pytest.fixture
def mock() -> Iterator[TestClient]:
    # On the loopback interface, as a browser beside the mock would be.
    with TestClient(create_app(MockSettings()), client=("127.0.0.1", 50000)) as client:
        yield client


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section id="{section_id}"')
    return page[start : page.index("</section>", start)]


def test_dashboard_has_every_section_and_needs_no_token(mock: TestClient) -> None:
    response = mock.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for section_id in SECTION_IDS:
        assert f'<section id="{section_id}"' in response.text, section_id
    assert 'data-poll="/dashboard/fragments"' in response.text


def test_dashboard_shows_the_seeded_directory_and_tickets(mock: TestClient) -> None:
    page = mock.get("/").text
    directory = _section(page, "directory")
    assert "Alice Archer" in directory
    assert "alice-private" in directory
    # Bob has linked Linear only: Jira and GitHub show as not linked.
    assert 'title="no linked jira identity"' in directory
    mappings = _section(page, "mappings")
    assert "bnd_acme_web" in mappings
    assert "linear_team" in mappings
    tickets = page[page.index('<section id="tickets"') :]
    assert "Identity and Access" in tickets
    assert "IAM-42" in tickets
    assert "13 tickets" in tickets  # the full count, though only the newest are listed
    assert "… and 5 more" in tickets


def test_a_bind_shows_as_an_origin_link_with_its_idempotency_key(mock: TestClient) -> None:
    headers = {**ALICE, "Idempotency-Key": "dash-key-0001"}
    assert mock.post(BIND, json=bind_body(), headers=headers).status_code == 200
    links = mock.get("/dashboard/fragments/origin-links").text
    assert "061-web-123-add-clerk-auth" in links
    assert "WEB-123" in links
    assert "dash-key-0001" in links
    requests = mock.get("/dashboard/fragments/requests").text
    assert "/api/v1/tracker/mission-origin/bind/" in requests
    # The dashboard's own page and polls stay out of the request log.
    assert "/dashboard/fragments" not in requests


def test_ticket_titles_and_other_data_are_escaped(mock: TestClient) -> None:
    # The SaaS stores the tracker's title, not the client's: the hostile title is the ticket's.
    title = '<script>alert("x")</script> & <b>bold</b>'
    world = mock.app.state.runtime.trackers.world  # type: ignore[attr-defined]
    web_123 = world.ticket(Provider.linear, "WEB-123")
    world.add_tickets(
        [dataclasses.replace(web_123, id="hostile-1", key="WEB-901", number=901, title=title)]
    )
    body = bind_body(external_issue_id="hostile-1", external_issue_key="WEB-901")
    assert mock.post(BIND, json=body, headers=ALICE).status_code == 200
    links = mock.get("/dashboard/fragments/origin-links").text
    assert "<script>alert" not in links
    assert "<b>bold" not in links
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold" in links


def test_events_show_accepted_duplicate_and_rejected_with_reason(mock: TestClient) -> None:
    event = {
        "event_id": "01JD8X6B7C8D9E0F1G2H3J4K5M",
        "event_type": "MissionCreated",
        "aggregate_id": "01JD8X4ZQK5M7N9P2R3S4T5V6W",
        "payload": {"mission_slug": "061-web-123-add-clerk-auth"},
        "timestamp": "2026-04-01T09:30:01Z",
    }
    broken = {"event_id": "01JD8X6B7C8D9E0F1G2H3J4K5N", "event_type": "MissionCreated"}
    answer = mock.post(
        EVENTS,
        json={"events": [event, event, broken]},
        headers={**ALICE, "X-Spec-Kitty-Sync-Protocol": "2.0"},
    )
    assert answer.status_code == 200, answer.text
    events = mock.get("/dashboard/fragments/events").text
    for status in ("accepted", "duplicate", "rejected"):
        assert f">{status}</span>" in events, status
    assert "061-web-123-add-clerk-auth" in events
    assert "is a required property" in events  # the rejection reason


def test_active_faults_are_listed(mock: TestClient) -> None:
    empty = mock.get("/dashboard/fragments/faults").text
    assert "None: every request is answered normally." in empty
    mock.post("/__admin/faults", json={"rate_limit": {"count": 2}}, headers=ADMIN)
    faults = mock.get("/dashboard/fragments/faults").text
    assert "rate_limit" in faults
    assert "2 more" in faults


def test_fragments_return_every_section_or_one(mock: TestClient) -> None:
    everything = mock.get("/dashboard/fragments")
    assert everything.status_code == 200
    assert everything.headers["cache-control"] == "no-store"
    assert [m for m in re.findall(r'<section id="([a-z-]+)"', everything.text)] == list(SECTION_IDS)
    one = mock.get("/dashboard/fragments/faults").text
    assert one.startswith('<section id="faults"')
    assert one.count("<section") == 1
    unknown = mock.get("/dashboard/fragments/nope")
    assert unknown.status_code == 404
    assert unknown.json()["error_code"] == "not_found"


def test_assets_are_served_locally(mock: TestClient) -> None:
    css = mock.get("/dashboard/static/dashboard.css")
    js = mock.get("/dashboard/static/dashboard.js")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert mock.get("/dashboard/static/../routes.py").status_code == 404
    assert mock.get("/dashboard/static/secret.txt").status_code == 404


@pytest.mark.parametrize(
    "path", ["/", "/docs", "/dashboard/static/dashboard.css", "/dashboard/static/dashboard.js"]
)
def test_nothing_is_loaded_from_another_host(mock: TestClient, path: str) -> None:
    text = mock.get(path).text
    assert EXTERNAL_LOAD.search(text) is None
    if path.startswith("/dashboard/static/"):
        assert "http://" not in text
        assert "https://" not in text


def test_the_page_shell_has_a_restrictive_content_security_policy(mock: TestClient) -> None:
    page = mock.get("/").text
    assert "default-src 'self'" in page
    assert "script-src 'self'" in page
    assert "<script>" not in page  # no inline script: the CSP would block it


def test_api_reference_covers_the_contract(mock: TestClient) -> None:
    contract = mock.get("/openapi.json").json()
    docs = mock.get("/docs")
    assert docs.status_code == 200
    text = docs.text
    for item in contract["paths"].values():
        for operation in item.values():
            assert f'id="op-{operation["operationId"]}"' in text
    for name in contract["components"]["schemas"]:
        assert f'id="schema-{name}"' in text
    for code in contract["components"]["schemas"]["ErrorCode"]["enum"]:
        assert f"<code>{code}</code>" in text
    # Named examples, parameters and the error envelope are all there.
    for needle in ("already_bound", "bind_async", "X-Team-Slug", "Idempotency-Key", "Retry-After"):
        assert needle in text, needle
    assert "Every non-2xx answer carries one" in text


def test_pages_are_not_api_routes_of_the_contract(mock: TestClient) -> None:
    # The contract's document stays the contract: no page appears in /openapi.json.
    paths = mock.get("/openapi.json").json()["paths"]
    assert not any(p in paths for p in ("/", "/docs", "/dashboard/fragments"))


def test_the_admin_reference_covers_the_admin_contract(mock: TestClient) -> None:
    contract = mock.get("/__admin/openapi.json").json()
    docs = mock.get("/docs/admin")
    assert docs.status_code == 200
    for item in contract["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                assert f'id="op-{operation["operationId"]}"' in docs.text
    assert 'href="/docs/admin"' in mock.get("/").text  # the top bar links it


@pytest.mark.parametrize("path", ["/docs", "/docs/admin"])
def test_the_references_name_the_server_the_caller_reached(mock: TestClient, path: str) -> None:
    text = mock.get(path, headers={"Host": "127.0.0.1:40123"}).text
    assert "<code>http://127.0.0.1:40123</code>" in text
    assert "127.0.0.1:8765" not in text


def test_a_sandbox_page_names_its_sandbox(mock: TestClient) -> None:
    mock.post("/__admin/sandboxes", headers=ADMIN, json={"name": "ci-job-7"})
    page = mock.get("/?sandbox=ci-job-7").text
    assert "<title>Spec Kitty SaaS mock — dashboard — sandbox ci-job-7</title>" in page
    assert "sandbox ci-job-7</span>" in page
    assert "sandbox ci-job-7" not in mock.get("/").text
