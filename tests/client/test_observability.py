"""Request ids in log records and typed errors; stdlib logging; never a credential in a log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from kitty_origin import (
    ContractViolationError,
    ResourceMappingNotFoundError,
    SaaSTrackerClient,
)
from kitty_origin.logs import LOGGER_NAME

from tests.client.fakes import FakeClock, envelope, example, make_client, settings

SECRET = "tok-very-secret"


def scripted(*answers: httpx.Response) -> SaaSTrackerClient:
    queue = list(answers)
    return make_client(
        httpx.MockTransport(lambda _: queue.pop(0)),
        FakeClock(),
        token_provider=_Token(SECRET),
    )


class _Token:
    def __init__(self, value: str) -> None:
        self.value = value

    def token(self) -> str:
        return self.value

    def refresh(self) -> str:
        return self.value


def search(client: SaaSTrackerClient) -> object:
    return client.search_issues("linear", "acme-web", query_text="Clerk auth")


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.DEBUG, logger=LOGGER_NAME):
        yield caplog


def test_request_ids_reach_log_records_and_typed_errors_issue_10(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    ok = example("searchIssues", 200, "text_search")
    client = scripted(
        httpx.Response(
            503, json=envelope("service_unavailable"), headers={"x-request-id": "req_1"}
        ),
        httpx.Response(200, json=ok, headers={"x-request-id": "req_2"}),
    )
    search(client)
    ids = [getattr(record, "request_id", None) for record in debug_logs.records]
    assert "req_1" in ids
    assert "req_2" in ids
    assert any("req_1" in record.getMessage() for record in debug_logs.records)
    assert SECRET not in debug_logs.text


def test_typed_errors_carry_the_request_id_issue_10() -> None:
    missing = example("searchIssues", 404, "no_resource_mapping")
    missing.pop("request_id", None)
    client = scripted(httpx.Response(404, json=missing, headers={"x-request-id": "req_404"}))
    with pytest.raises(ResourceMappingNotFoundError) as not_found:
        search(client)
    assert not_found.value.request_id == "req_404"

    client = scripted(httpx.Response(200, content=b"{", headers={"x-request-id": "req_bad"}))
    with pytest.raises(ContractViolationError) as broken:
        search(client)
    assert broken.value.request_id == "req_bad"


def test_spec_kitty_log_attaches_one_handler_at_that_level() -> None:
    logger = logging.getLogger(LOGGER_NAME)
    before = (logger.level, list(logger.handlers))
    try:
        for _ in range(2):
            SaaSTrackerClient(
                settings(log_level="debug"),
                transport=httpx.MockTransport(lambda _: httpx.Response(500)),
            ).close()
        added = [h for h in logger.handlers if h not in before[1]]
        assert len(added) == 1
        assert logger.level == logging.DEBUG
    finally:
        logger.setLevel(before[0])
        logger.handlers[:] = before[1]
