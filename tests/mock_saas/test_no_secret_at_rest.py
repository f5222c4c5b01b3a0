"""No credential at rest: every shape a client or a SaaS sends one in, through every place an
exchange is stored or shown (recordings, the proxy's journal, page, report and log, the mock's
request journal, its dashboard and its state file), gzip-encoded or not.

The proxy runs in front of an upstream in process that answers the way a live SaaS may: its token
answer gzip-encoded, a credential echoed back, a cookie set. The whole output tree is then
searched for each credential, as text and URL-encoded.
"""

from __future__ import annotations

import gzip
import json
import logging
import stat
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest
from fastapi.testclient import TestClient
from kitty_mock_saas.app import create_app
from kitty_mock_saas.proxy import ValidatingProxy
from kitty_mock_saas.proxy.findings import Exchange
from kitty_mock_saas.proxy.recorder import Recorder
from kitty_mock_saas.redaction import contract_secret_names, is_secret_name
from kitty_mock_saas.settings import MockSettings, ProxySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.mock_saas.conftest import ADMIN, ALICE

ACCESS = "acc-7Hq2ZxLw9Pe4Rt"
NEW_REFRESH = "rfr-" + "N" * 4100  # over the contract's 4,096: a finding quotes it
OLD_REFRESH = "rfr-old-K8s2Jd0Qm5"
QUERY_TOKEN = "qtok-Vb3Nm7Xc1Z"
HEADER_KEY = "xkey-Lp9Oi8Uy7T"
BODY_KEY = "bkey-Gh5Jk4Ll3M"
BEARER = "bear-Qw2Er3Ty4U"
COOKIE = "cook-Zx9Cv8Bn7M"
SET_COOKIE = "sess-As1Df2Gh3J"
CLIENT_SECRET = "csec-Po0Iu9Yt8R"
SECRETS = (
    ACCESS,
    NEW_REFRESH,
    OLD_REFRESH,
    QUERY_TOKEN,
    HEADER_KEY,
    BODY_KEY,
    BEARER,
    COOKIE,
    SET_COOKIE,
    CLIENT_SECRET,
)


async def _token(request: Request) -> Response:
    await request.body()
    answer = {
        "access_token": ACCESS,
        "token_type": "Bearer",
        "expires_in": 3600,
        "refresh_token": NEW_REFRESH,
    }
    return Response(
        gzip.compress(json.dumps(answer).encode()),
        headers={"Content-Encoding": "gzip", "Set-Cookie": f"session={SET_COOKIE}; HttpOnly"},
        media_type="application/json",
    )


async def _echo(request: Request) -> Response:
    """A careless SaaS: it repeats what it was sent, credentials included."""
    return JSONResponse(
        {
            "query": str(request.url.query),
            "key": request.headers.get("x-api-key"),
            "body": (await request.body()).decode(),
        }
    )


UPSTREAM = Starlette(
    routes=[
        Route("/oauth/token", _token, methods=["POST"]),
        Route("/api/v1/me", _echo, methods=["GET"]),
        Route("/api/v1/keys", _echo, methods=["POST"]),
    ]
)


def _traces(text: str) -> list[str]:
    """Each credential `text` quotes (its first 12 characters are enough), URL-encoded or not."""
    return [
        secret[:12]
        for secret in SECRETS
        if any(form[:12] in text for form in (secret, quote(secret, safe=""), quote_plus(secret)))
    ]


def _tree(root: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("latin-1") for path in sorted(root.rglob("*")) if path.is_file()
    )


def test_the_proxy_keeps_no_credential_in_any_file_page_report_or_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    settings = ProxySettings(
        upstream_url="http://upstream.invalid",
        record_dir=out / "recorded",
        report_path=out / "report.json",
    )
    proxy = ValidatingProxy(settings, transport=httpx.ASGITransport(app=UPSTREAM))
    caplog.set_level(logging.DEBUG)
    with TestClient(proxy) as client:
        token = client.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": OLD_REFRESH,
                  "client_id": "cli", "client_secret": CLIENT_SECRET},
            headers={"Cookie": f"session={COOKIE}; theme=dark"},
        )  # fmt: skip
        me = client.get(
            f"/api/v1/me?access_token={QUERY_TOKEN}",
            headers={"Authorization": f"Bearer {BEARER}", "X-Api-Key": HEADER_KEY},
        )
        keys = client.post("/api/v1/keys", json={"api_key": BODY_KEY, "note": "rotate"})
        # The client still gets everything, unchanged: the proxy hides nothing from it.
        assert token.json()["access_token"] == ACCESS
        assert me.json()["key"] == HEADER_KEY
        assert BODY_KEY in keys.text
        journal = client.get("/__proxy/journal").text
        page = client.get("/__proxy/").text
    assert NEW_REFRESH[:20] in token.text

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["violating_exchanges"] >= 1  # the over-long refresh token is a finding
    files = sorted((out / "recorded").glob("*.json"))
    assert len(files) == 3
    token_record = json.loads(files[0].read_text(encoding="utf-8"))
    assert token_record["response"]["body"]["token_type"] == "Bearer"  # decoded, not bytes
    assert token_record["response"]["body"]["access_token"] == "<redacted>"
    assert token_record["request"]["headers"]["cookie"] == "session=<redacted>; theme=<redacted>"

    assert _traces(_tree(out)) == []
    assert _traces(journal) == []
    assert _traces(page) == []
    assert _traces(caplog.text) == []


def test_recordings_and_the_report_are_owner_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = ProxySettings(
        upstream_url="http://upstream.invalid",
        record_dir=out / "recorded",
        report_path=out / "report.json",
    )
    proxy = ValidatingProxy(settings, transport=httpx.ASGITransport(app=UPSTREAM))
    with TestClient(proxy) as client:
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {BEARER}"})
    created = [out / "recorded", *(out / "recorded").iterdir(), out / "report.json"]
    assert len(created) == 3
    for path in created:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_the_mock_keeps_no_credential_in_its_journal_dashboard_or_state_file(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    settings = MockSettings(state_path=str(out / "mock.db"))
    with TestClient(create_app(settings)) as mock:
        refused = mock.post(
            "/oauth/token",
            data={"grant_type": "refresh_token", "refresh_token": OLD_REFRESH},
            headers={"Cookie": f"session={COOKIE}"},
        )
        assert refused.status_code == 400  # an unknown refresh token, journalled all the same
        me = mock.get(
            f"/api/v1/me?access_token={QUERY_TOKEN}",
            headers={**ALICE, "X-Api-Key": HEADER_KEY},
        )
        assert me.status_code == 200
        mock.post("/api/v1/tracker/issue-search/", json={"api_key": BODY_KEY}, headers=ALICE)
        found = mock.post("/__admin/journal/find", json={}, headers=ADMIN)
        assert found.json()["count"] >= 3
        dashboard = (
            mock.get("/", headers=ADMIN).text + mock.get("/dashboard/fragments", headers=ADMIN).text
        )
    rows = found.text
    assert '"refresh_token":"<redacted>"' in rows.replace(" ", "")
    assert _traces(rows) == []
    assert "tok-alice" not in rows
    assert _traces(dashboard) == []
    assert "tok-alice" not in dashboard
    assert _traces(_tree(out)) == []  # the SQLite file and its WAL


def test_the_contracts_mark_their_credentials() -> None:
    marked = contract_secret_names()
    # x-secret on the token fields; the security schemes' header names.
    assert {"refresh_token", "access_token", "authorization", "x_admin_token"} <= marked
    assert not is_secret_name("token_type")
    assert not is_secret_name("Idempotency-Key")
    assert is_secret_name("X-Api-Key")


def test_a_deeply_nested_answer_is_recorded_as_a_marker_not_a_crash(tmp_path: Path) -> None:
    """Redacting walks the body; one nested past any contract's depth is not walked at all."""
    deep = ("[" * 5000 + "]" * 5000).encode()
    exchange = Exchange(
        "GET", "/api/v1/me", b"", [(b"authorization", f"Bearer {BEARER}".encode())], b"",
        200, [(b"content-type", b"application/json")], deep,
    )  # fmt: skip
    recorded = Recorder(tmp_path / "rec", max_body_bytes=1 << 20).write(exchange, "getCurrentUser")
    record = json.loads(recorded.read_text(encoding="utf-8"))
    assert record["response"]["body"] == {"unparsed": "nested too deeply", "bytes": len(deep)}
    assert _traces(recorded.read_text(encoding="utf-8")) == []
