"""Client fuzzing: answers generated from the contract, valid and broken, through a MockTransport.

Valid answers parse into the typed models; broken ones raise `ContractViolationError` (or the
typed status error an error status maps to). No other exception type ever escapes the client.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from kitty_contracts import IssueSearchResponse, OriginBindResponse
from kitty_contracts.validation import ComponentName, openapi_document, validator
from kitty_origin import (
    APIStatusError,
    ClientSettings,
    ContractViolationError,
    SaaSTrackerClient,
    SpecKittySaaSError,
    StaticTokenProvider,
)

from tests.client.fakes import FakeClock

FORMATS: dict[str, st.SearchStrategy[str]] = {"uuid": st.uuids().map(str)}
ERROR_STATUSES = [400, 401, 403, 404, 409, 412, 413, 422, 429, 500, 502, 503, 504]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def component(name: ComponentName) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}", "components": openapi_document()["components"]}


def valid(name: ComponentName) -> st.SearchStrategy[Any]:
    return from_schema(component(name), custom_formats=FORMATS).filter(
        lambda value: validator(name).is_valid(value)
    )


def _drop_field(value: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    if not value:
        return {"unexpected": 1}
    key = data.draw(st.sampled_from(sorted(value)))
    return {k: v for k, v in value.items() if k != key}


def broken(name: ComponentName, data: st.DataObject) -> bytes:
    """A body that breaks the component (checked against the contract's own validator)."""
    base = data.draw(valid(name))
    kind = data.draw(
        st.sampled_from(
            ["missing", "wrong_type", "huge", "enum", "not_json", "truncated_gzip", "array"]
        )
    )
    if kind == "not_json":
        return data.draw(st.sampled_from([b"", b"<html>502</html>", b"{", b"\xff\xfe", b"nan"]))
    if kind == "truncated_gzip":
        return gzip.compress(json.dumps(base).encode())[:-8]
    if kind == "array":
        return json.dumps([base]).encode()
    mutated = dict(base)
    key = data.draw(st.sampled_from(sorted(mutated)))
    if kind == "missing":
        mutated = _drop_field(mutated, data)
    elif kind == "wrong_type":
        mutated[key] = data.draw(st.sampled_from([None, 12345, [], {"x": 1}, True]))
    elif kind == "huge":
        mutated[key] = "x" * 300_000
    else:
        mutated[key] = "surely-not-in-any-enum"
    if validator(name).is_valid(mutated):
        mutated["not_in_the_contract"] = True  # additionalProperties is false everywhere here
    assert not validator(name).is_valid(mutated)
    return json.dumps(mutated).encode()


def client_for(handler: Callable[[httpx.Request], httpx.Response]) -> SaaSTrackerClient:
    clock = FakeClock()
    settings_ = ClientSettings.from_env(
        env={},
        base_url="http://saas.invalid",
        team="acme",
        token_provider=StaticTokenProvider("tok-alice"),
    )
    return SaaSTrackerClient(
        settings_,
        transport=httpx.MockTransport(handler),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        now=clock.now,
    )


def answer(status: int, body: bytes, content_type: str = "application/json") -> httpx.Response:
    headers = {"content-type": content_type}
    if status == 429:
        headers["retry-after"] = "1"
    return httpx.Response(status, content=body, headers=headers)


def search(client: SaaSTrackerClient) -> IssueSearchResponse:
    return client.search_issues("linear", "acme-web", query_text="Clerk auth").model


def bind(client: SaaSTrackerClient, response: dict[str, Any] | None = None) -> OriginBindResponse:
    # The client checks that the answer names the mission and issue it asked for.
    mission = response["mission_id"] if response else "01JD8X4ZQK5M7N9P2R3S4T5V6W"
    issue = response["external_issue_id"] if response else "5b1e8a2c"
    return client.bind_mission_origin(
        "linear",
        "acme-web",
        feature_slug="061-web-123-add-clerk-auth",
        external_issue_id=issue,
        external_issue_key="WEB-123",
        external_issue_url="https://linear.app/acme/issue/WEB-123",
        title="Add Clerk auth",
        mission_id=mission,
    ).model


@FUZZ
@given(body=valid("IssueSearchResponse"))
def test_valid_search_answers_parse(body: dict[str, Any]) -> None:
    client = client_for(lambda _: answer(200, json.dumps(body).encode()))
    result = search(client)
    assert isinstance(result, IssueSearchResponse)
    assert result.model_dump(mode="json", exclude_unset=True) == body


@FUZZ
@given(body=valid("OriginBindResponse"))
def test_valid_bind_answers_parse(body: dict[str, Any]) -> None:
    client = client_for(lambda _: answer(200, json.dumps(body).encode()))
    assert bind(client, body).origin_link_id == body["origin_link_id"]


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize(
    ("name", "call"),
    [("IssueSearchResponse", search), ("OriginBindResponse", bind)],
    ids=["search", "bind"],
)
def test_broken_success_answers_raise_contract_violation(
    name: ComponentName, call: Callable[[SaaSTrackerClient], object], data: st.DataObject
) -> None:
    body = broken(name, data)
    content_type = data.draw(st.sampled_from(["application/json", "text/html", "text/plain"]))
    client = client_for(lambda _: answer(200, body, content_type))
    with pytest.raises(SpecKittySaaSError) as caught:
        call(client)
    assert isinstance(caught.value, ContractViolationError), repr(caught.value)


@FUZZ
@given(data=st.data(), status=st.sampled_from(ERROR_STATUSES))
def test_error_answers_raise_typed_errors_only(data: st.DataObject, status: int) -> None:
    if data.draw(st.booleans()):
        body = json.dumps(data.draw(valid("ErrorEnvelope"))).encode()
    else:
        body = broken("ErrorEnvelope", data)
    client = client_for(lambda _: answer(status, body))
    with pytest.raises(SpecKittySaaSError) as caught:
        search(client)
    error = caught.value
    assert isinstance(error, APIStatusError | ContractViolationError), repr(error)
    if isinstance(error, APIStatusError):
        assert error.status_code == status


def hostile(data: st.DataObject) -> tuple[bytes, dict[str, str]]:
    """A body built to hurt a parser: deep nesting, over the cap, bad UTF-8, broken gzip."""
    kind = data.draw(
        st.sampled_from(["nested", "huge", "bad_utf8", "truncated_gzip", "gzip_bomb", "unknown"])
    )
    depth = data.draw(st.integers(min_value=65, max_value=50_000))
    headers: dict[str, str] = {}
    if kind == "nested":
        opener, closer = data.draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        body = (opener * depth + "1" + closer * depth).encode()
    elif kind == "huge":
        body = b'{"candidates": "' + b"x" * (HOSTILE_CAP + 1) + b'"}'
    elif kind == "bad_utf8":
        body = (
            b'{"message": "'
            + data.draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80"]))
            + b'"}'
        )
    elif kind == "truncated_gzip":
        body = gzip.compress(b'{"candidates": []}')[: data.draw(st.integers(1, 20))]
        headers["content-encoding"] = "gzip"
    elif kind == "gzip_bomb":
        body = gzip.compress(bytes(HOSTILE_CAP * 4))
        headers["content-encoding"] = "gzip"
    else:
        body = b"{}"
        headers["content-encoding"] = data.draw(st.sampled_from(["br", "zstd", "gzip, gzip"]))
    headers["content-type"] = data.draw(
        st.sampled_from(["application/json", "text/html", "application/octet-stream"])
    )
    return body, headers


HOSTILE_CAP = 256 * 1024


@FUZZ
@given(data=st.data(), status=st.sampled_from([200, 202, *ERROR_STATUSES]))
def test_hostile_bodies_raise_only_errors_of_the_tree(data: st.DataObject, status: int) -> None:
    body, headers = hostile(data)
    clock = FakeClock()
    client = SaaSTrackerClient(
        ClientSettings.from_env(
            env={},
            base_url="http://saas.invalid",
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
            max_answer_bytes=HOSTILE_CAP,
        ),
        # The raw bytes on the wire: httpx must not decode them before the client does.
        transport=httpx.MockTransport(
            lambda _: httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))
        ),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
        now=clock.now,
    )
    call: Callable[[SaaSTrackerClient], object] = search if data.draw(st.booleans()) else bind
    with pytest.raises(SpecKittySaaSError) as caught:
        call(client)
    assert type(caught.value).__module__ == "kitty_origin.errors", repr(caught.value)
