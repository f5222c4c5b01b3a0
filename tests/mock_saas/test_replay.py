"""`serve --replay`: a recording answers only whom the live mock would have answered with it.

Recordings are made by the real proxy in front of an upstream in process (the real mock, or a
drifting SaaS); replay runs in the real mock. Damaged recording files are refused at load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from kitty_mock_saas.app import create_app
from kitty_mock_saas.cli import main
from kitty_mock_saas.proxy import ValidatingProxy
from kitty_mock_saas.redaction import MASK
from kitty_mock_saas.replay import RecordingError
from kitty_mock_saas.settings import MockSettings, ProxySettings
from starlette.testclient import TestClient

from tests.client.fakes import EXAMPLES
from tests.mock_saas.conftest import ALICE, BIND, BOB, SEARCH, bind_body
from tests.mock_saas.test_proxy import DEVIATING

CAROL_IN_ACME = {"Authorization": "Bearer tok-carol", "X-Team-Slug": "acme"}
REQUEST = EXAMPLES["searchIssues:request:text_search"]
REFRESH = {"grant_type": "refresh_token", "refresh_token": "refresh-alice", "client_id": "cli"}


def _record(upstream: Any, directory: Path) -> TestClient:
    proxy = ValidatingProxy(
        ProxySettings(upstream_url="http://upstream.invalid", record_dir=directory),
        transport=httpx.ASGITransport(app=upstream),
    )
    return TestClient(proxy)


def _replaying(recorded: Path) -> TestClient:
    return TestClient(create_app(MockSettings(replay_dir=recorded)))


def _without_id(response: httpx.Response) -> Any:
    body = response.json()
    return {k: v for k, v in body.items() if k != "request_id"} if isinstance(body, dict) else body


def _live() -> TestClient:
    return TestClient(create_app(MockSettings()))


def test_a_recording_is_served_again_by_the_mock_drift_included(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    with _record(DEVIATING, recorded) as proxy:
        original = proxy.post(SEARCH, json=REQUEST, headers=ALICE)
    with _replaying(recorded) as mock:
        replayed = mock.post(SEARCH, json=REQUEST, headers=ALICE)
        other = mock.post(SEARCH, json={**REQUEST, "query_text": "Clerk"}, headers=ALICE)
    assert replayed.headers["x-kitty-replayed"] == "true"
    assert (replayed.status_code, replayed.json()) == (200, original.json())
    assert replayed.json()["surprise"] == 1  # what the recorded SaaS said, as it said it
    assert replayed.headers.get_list("content-length") == [str(len(replayed.content))]
    assert len(replayed.headers.get_list("x-request-id")) == 1
    assert "x-kitty-replayed" not in other.headers
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("who", "headers"),
    [
        ("no token", {"X-Team-Slug": "acme"}),
        ("a bad token", {"Authorization": "Bearer tok-nobody", "X-Team-Slug": "acme"}),
        ("carol of globex", CAROL_IN_ACME),
        ("bob of acme", BOB),
        ("alice in another sandbox", {**ALICE, "X-Kitty-Sandbox": "elsewhere"}),
        ("alice in another team of hers", {**ALICE, "X-Team-Slug": "alice-private"}),
    ],
)
def test_anyone_but_the_recorded_caller_gets_what_the_live_mock_answers(
    tmp_path: Path, who: str, headers: dict[str, str]
) -> None:
    recorded = tmp_path / "recorded"
    with _record(DEVIATING, recorded) as proxy:
        assert proxy.post(SEARCH, json=REQUEST, headers=ALICE).json()["surprise"] == 1
    with _live() as live:
        expected = live.post(SEARCH, json=REQUEST, headers=headers)
    with _replaying(recorded) as mock:
        answer = mock.post(SEARCH, json=REQUEST, headers=headers)
    assert "x-kitty-replayed" not in answer.headers, who
    assert (answer.status_code, _without_id(answer)) == (
        expected.status_code,
        _without_id(expected),
    ), who
    if who in ("no token", "a bad token"):
        assert answer.status_code == 401
    if who == "carol of globex":
        assert answer.status_code == 403


def test_a_bad_request_is_refused_by_the_contract_stage_before_any_recording(
    tmp_path: Path,
) -> None:
    recorded = tmp_path / "recorded"
    bad = {**REQUEST, "limit": 0}
    with _record(DEVIATING, recorded) as proxy:
        proxy.post(SEARCH, json=bad, headers=ALICE)  # the drifting SaaS answers it anyway
    with _replaying(recorded) as mock:
        answer = mock.post(SEARCH, json=bad, headers=ALICE)
    assert "x-kitty-replayed" not in answer.headers
    assert (answer.status_code, answer.json()["error_code"]) == (422, "validation_failed")


def test_a_replayed_sequence_keeps_its_order_then_repeats_the_last_answer(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    body = bind_body()
    with _record(create_app(MockSettings()), recorded) as proxy:
        accepted = proxy.post(BIND, json=body, headers={**ALICE, "Prefer": "respond-async"})
        poll = f"/api/v1/tracker/operations/{accepted.json()['operation_id']}/"
        statuses = [proxy.get(poll, headers=ALICE).json()["status"] for _ in range(3)]
        proxy.post("/oauth/token", data=REFRESH)
    assert statuses[-1] == "completed"
    assert len(set(statuses)) > 1
    with _replaying(recorded) as mock:
        again = mock.post(BIND, json=body, headers={**ALICE, "Prefer": "respond-async"})
        replayed = [mock.get(poll, headers=ALICE).json()["status"] for _ in range(4)]
        token = mock.post("/oauth/token", data=REFRESH)
        bobs = mock.post("/oauth/token", data={**REFRESH, "refresh_token": "refresh-bob"})
    assert again.json() == accepted.json()
    assert replayed == [*statuses, "completed"]
    assert token.headers["x-kitty-replayed"] == "true"  # the same refresh token, masked on disk
    assert token.json()["access_token"] == MASK
    # Another refresh token matches the masked body, but not the recorded caller: answered live.
    assert "x-kitty-replayed" not in bobs.headers
    assert bobs.json()["access_token"] == "tok-bob"


def _valid_record() -> dict[str, Any]:
    return {
        "operation_id": "getCurrentUser",
        "request": {
            "method": "GET",
            "path": "/api/v1/me",
            "query": "",
            "headers": {},
            "body": None,
        },
        "response": {
            "status": 200,
            "headers": {"content-type": "application/json"},
            "body": {"id": "u"},
        },
    }


def _damaged(change: str) -> dict[str, Any]:
    record = _valid_record()
    response = record["response"]
    if change == "two content-length":
        response["headers"] = {"content-length": "5", "Content-Length": "7"}
    elif change == "transfer-encoding with content-length":
        response["headers"] = {"transfer-encoding": "chunked", "content-length": "5"}
    elif change == "204 with a body":
        response["status"] = 204
    elif change == "status 99":
        response["status"] = 99
    elif change == "status as text":
        response["status"] = "200"
    elif change == "header value with a line break":
        response["headers"] = {"x-note": "a\r\nset-cookie: x=y"}
    elif change == "header value beyond latin-1":
        response["headers"] = {"x-note": "snow ☃"}
    elif change == "no response":
        del record["response"]
    elif change == "path without a slash":
        record["request"]["path"] = "api/v1/me"
    return record


@pytest.mark.parametrize(
    "damage",
    [
        "two content-length",
        "transfer-encoding with content-length",
        "204 with a body",
        "status 99",
        "status as text",
        "header value with a line break",
        "header value beyond latin-1",
        "no response",
        "path without a slash",
        "empty file",
        "not utf-8",
        "a JSON list",
        "deeply nested",
        "a directory",
    ],
)
def test_a_damaged_recording_is_refused_with_its_file_name(tmp_path: Path, damage: str) -> None:
    (tmp_path / "00001-fine.json").write_text(json.dumps(_valid_record()), encoding="utf-8")
    damaged = tmp_path / "00002-damaged.json"
    if damage == "empty file":
        damaged.write_bytes(b"")
    elif damage == "not utf-8":
        damaged.write_bytes(b'{"request": "\xff\xfe"}')
    elif damage == "a JSON list":
        damaged.write_text("[]", encoding="utf-8")
    elif damage == "deeply nested":
        damaged.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif damage == "a directory":
        damaged.mkdir()
    else:
        damaged.write_text(json.dumps(_damaged(damage)), encoding="utf-8")
    with pytest.raises(RecordingError, match=r"00002-damaged\.json: "):
        create_app(MockSettings(replay_dir=tmp_path))


def test_serve_exits_2_naming_the_damaged_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _damaged("transfer-encoding with content-length")
    (tmp_path / "00001-bad.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["serve", "--port", "0", "--replay", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "00001-bad.json" in error
    assert "Traceback" not in error


def test_an_intact_recording_is_served_as_well_formed_http(tmp_path: Path) -> None:
    (tmp_path / "00001-me.json").write_text(json.dumps(_valid_record()), encoding="utf-8")
    with _replaying(tmp_path) as mock:
        answer = mock.get("/api/v1/me", headers=ALICE)
    assert answer.headers["x-kitty-replayed"] == "true"
    assert answer.headers.get_list("content-length") == [str(len(answer.content))]
    assert "transfer-encoding" not in answer.headers
    assert answer.json() == {"id": "u"}


def test_a_recording_the_loader_accepts_is_what_the_recorder_writes(tmp_path: Path) -> None:
    recorded = tmp_path / "recorded"
    with _record(create_app(MockSettings()), recorded) as proxy:
        proxy.get("/api/v1/me", headers=ALICE)
        proxy.post(SEARCH, json=REQUEST, headers={**ALICE, "Accept-Encoding": "gzip"})
    create_app(MockSettings(replay_dir=recorded))  # no RecordingError
