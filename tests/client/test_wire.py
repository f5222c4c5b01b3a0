"""The client's wire: requests built against the base URL (remembered per path, within a bound),
sent straight to the transport (no cookie jar), and answers bounded in nesting."""

from __future__ import annotations

import json

import httpx
import pytest
from kitty_origin import ContractViolationError
from kitty_origin.answer import AnswerLimits, decode_json
from kitty_origin.transport import build_wire_client
from kitty_saas_api.api.tracker import get_mission_origin as read_origin_api

from tests.client.fakes import FakeSaaS, make_client, settings

ULID = "01J9ZQ4W6V7X8Y9Z0A1B2C3D4E"


def _ulid(index: int) -> str:
    return ULID[:-4] + f"{index:04d}".translate(str.maketrans("0123456789", "ABCDEFGHJK"))


def test_a_cookie_the_saas_sets_is_never_sent_back() -> None:
    saas = FakeSaaS()

    def with_cookie(request: httpx.Request) -> httpx.Response:
        answer = saas.forward(request)
        answer.headers["Set-Cookie"] = "session=stolen; Path=/"
        return answer

    saas.script = [with_cookie]
    client = make_client(saas, base_url="http://127.0.0.1:8765")
    client.search_issues("linear", "acme-web", query_text="Clerk")
    client.search_issues("linear", "acme-web", query_text="Clerk")
    assert [r.headers.get("cookie") for r in saas.requests] == [None, None]


@pytest.mark.parametrize("base_url", ["http://saas.test", "http://saas.test/prefix/"])
def test_every_request_goes_to_the_base_url_joined_with_its_path(base_url: str) -> None:
    prefix = httpx.URL(base_url).raw_path.decode().rstrip("/")
    saas = FakeSaaS()

    def unprefixed(request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(prefix)
        return saas.forward(
            httpx.Request(request.method, request.url.copy_with(path=path),
                          headers=request.headers, content=request.content)
        )  # fmt: skip

    saas.script = [unprefixed, unprefixed]
    client = make_client(saas, base_url=base_url)
    client.search_issues("linear", "acme-web", query_text="Clerk")
    client.search_issues("linear", "acme-web", query_text="Clerk")
    assert [str(r.url) for r in saas.requests] == [
        f"http://saas.test{prefix}/api/v1/tracker/issue-search/"
    ] * 2


def test_urls_of_many_paths_stay_right_and_the_remembered_ones_bounded() -> None:
    sent: list[httpx.URL] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.url)
        return httpx.Response(404)

    wire = build_wire_client(
        settings(base_url="http://saas.test/v/"), transport=httpx.MockTransport(answer)
    )
    ids = [_ulid(index) for index in range(600)]
    for mission_id in ids + ids[:3]:
        wire.send(read_origin_api._get_kwargs(mission_id, x_team_slug="acme")).close()
    assert [url.path for url in sent] == [
        f"/v/api/v1/tracker/missions/{mission_id}/origin/" for mission_id in ids + ids[:3]
    ]
    assert len(wire._urls) <= 256
    wire.close()
    with pytest.raises(RuntimeError, match="closed"):
        wire.send(read_origin_api._get_kwargs(ids[0], x_team_slug="acme"))


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_an_answer_nested_one_deeper_than_the_limit_is_refused(opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    limits = AnswerLimits(max_depth=8)
    fits = (opening * 8 + "1" + closing * 8).encode()
    assert decode_json(fits, 200, limits) is not None
    with pytest.raises(ContractViolationError, match="nested deeper than 8"):
        decode_json((opening * 9 + "1" + closing * 9).encode(), 200, limits)


def test_many_brackets_at_a_shallow_depth_are_not_too_deep() -> None:
    limits = AnswerLimits(max_depth=3)
    wide = json.dumps({"items": [{"name": "[[[{{{"} for _ in range(50)]}).encode()
    assert len(decode_json(wide, 200, limits)["items"]) == 50
    deep = json.dumps({"items": [{"nested": [1]}]}).encode()
    with pytest.raises(ContractViolationError, match="nested deeper than 3"):
        decode_json(deep, 200, limits)
