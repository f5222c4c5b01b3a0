"""The client on a hostile network: real sockets on 127.0.0.1, servers that misbehave on purpose.

Every call ends within its deadline + 0.5 s (the spec's promise, NFR-001, measured with that
margin) with a typed error from the `SpecKittySaaSError` tree, never a late success; answers
that would cost unbounded memory are refused at the cap (memory measured with tracemalloc).
"""

from __future__ import annotations

import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from kitty_contracts import MissionMeta
from kitty_origin import (
    APIConnectionError,
    APITimeoutError,
    ClientSettings,
    ContractViolationError,
    EventOutbox,
    InternalServerError,
    SaaSTrackerClient,
    SpecKittySaaSError,
    StaticTokenProvider,
    build_mission_origin_bound,
    flush_outbox,
)
from kitty_origin.deadline import DeadlineHTTPTransport

from bench.hostile_server import gzip_bomb, serving
from tests.client.test_meta_store import META, TICKET

DEADLINE = 2.0
MARGIN = 0.5


def client_for(url: str, **overrides: Any) -> SaaSTrackerClient:
    settings = ClientSettings.from_env(
        env={},
        base_url=url,
        team="acme",
        token_provider=StaticTokenProvider("tok-alice"),
        search_deadline_seconds=DEADLINE,
        write_deadline_seconds=DEADLINE,
        backoff_initial_seconds=0.05,
        **overrides,
    )
    return SaaSTrackerClient(settings)


def search(url: str, **overrides: Any) -> tuple[SpecKittySaaSError, float]:
    started = time.monotonic()
    with client_for(url, **overrides) as client, pytest.raises(SpecKittySaaSError) as caught:
        client.search_issues("linear", "acme-web", query_text="Clerk auth")
    return caught.value, time.monotonic() - started


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        ("never_answers", APITimeoutError),
        ("drips_headers", APITimeoutError),
        ("drips_body", APITimeoutError),
        ("claims_two_gigabytes", ContractViolationError),
        ("streams_without_length", ContractViolationError),
        ("gzip_bomb", ContractViolationError),
        ("nested_json_200", ContractViolationError),
        ("nested_json_500", InternalServerError),
        ("invalid_json", ContractViolationError),
        ("resets_mid_body", APIConnectionError),
    ],
)
def test_every_hostile_answer_ends_in_a_typed_error_within_the_deadline_issue_10(
    scenario: str, expected: type[SpecKittySaaSError]
) -> None:
    if scenario == "gzip_bomb":
        gzip_bomb()  # built before the clock starts
    with serving(scenario) as server:
        error, elapsed = search(server.url)
    print(f"{scenario}: {type(error).__name__} after {elapsed:.2f}s: {error}")
    assert isinstance(error, expected), repr(error)
    assert elapsed <= DEADLINE + MARGIN


def test_a_body_dripped_until_after_the_deadline_is_a_timeout_not_a_late_success() -> None:
    # The dripped body is a valid answer: waiting for it would return a success after ~10 s.
    with (
        serving("drips_body") as server,
        client_for(server.url) as client,
        pytest.raises(APITimeoutError, match="deadline"),
    ):
        client.search_issues("linear", "acme-web", query_text="Clerk auth")


@pytest.mark.parametrize("scenario", ["drips_headers", "accepts_then_stalls_the_poll"])
def test_the_bind_deadline_covers_dripped_answers_and_202_polling(scenario: str) -> None:
    started = time.monotonic()
    with (
        serving(scenario) as server,
        client_for(server.url) as client,
        pytest.raises(APITimeoutError),
    ):
        client.bind_mission_origin(
            "linear",
            "acme-web",
            feature_slug="061-web-123-add-clerk-auth",
            external_issue_id="lin_issue_123",
            external_issue_key="WEB-123",
            external_issue_url="https://linear.app/acme/issue/WEB-123/add-clerk-auth",
            title="Add Clerk auth",
            mission_id="01J9Z6Y1F6K5N3W0V4T8R2Q7PA",
        )
    assert time.monotonic() - started <= DEADLINE + MARGIN


@pytest.mark.parametrize(
    "scenario", ["gzip_bomb", "claims_two_gigabytes", "streams_without_length"]
)
def test_an_oversized_answer_costs_at_most_about_the_cap_in_memory(scenario: str) -> None:
    cap = 4 * 1024 * 1024
    gzip_bomb()
    with serving(scenario) as server:
        tracemalloc.start()
        try:
            error, _ = search(server.url, max_answer_bytes=cap)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    print(f"{scenario}: traced peak {peak / 2**20:.1f} MiB with a {cap / 2**20:.0f} MiB cap")
    assert isinstance(error, ContractViolationError)
    assert error.status_code == 200
    assert f"larger than {cap} bytes" in error.problems[0]
    assert peak < 4 * cap


def test_nested_json_on_an_error_status_is_an_error_of_the_tree_not_a_recursion_error() -> None:
    with serving("nested_json_500") as server:
        error, _ = search(server.url, max_retries=0)
    assert isinstance(error, InternalServerError)
    assert error.status_code == 500


def test_a_flush_with_a_budget_ends_within_it_and_keeps_the_events(tmp_path: Path) -> None:
    meta = MissionMeta.model_validate(META)
    with EventOutbox(tmp_path / "outbox.sqlite3") as outbox:
        event_id = outbox.enqueue(build_mission_origin_bound(meta, TICKET))
        started = time.monotonic()
        with serving("drips_headers") as server, client_for(server.url) as client:
            result = flush_outbox(outbox, client, budget_seconds=1.0)
        assert time.monotonic() - started <= 1.0 + MARGIN
        assert outbox.state_of(event_id) == "pending"
    assert result.pending == 1
    assert result.stopped_reason is not None


def test_a_name_lookup_that_hangs_ends_at_the_deadline() -> None:
    release = threading.Event()

    def hanging(host: str, port: int) -> list[str]:
        release.wait(30)  # a resolver that never answers in time
        return ["127.0.0.1"]

    settings = ClientSettings.from_env(
        env={},
        base_url="http://saas.example.invalid:9",
        team="acme",
        token_provider=StaticTokenProvider("tok-alice"),
        search_deadline_seconds=DEADLINE,
    )
    started = time.monotonic()
    try:
        with (
            SaaSTrackerClient(settings, transport=DeadlineHTTPTransport(hanging)) as client,
            pytest.raises(APITimeoutError),
        ):
            client.search_issues("linear", "acme-web", query_text="Clerk auth")
    finally:
        release.set()
    assert time.monotonic() - started <= DEADLINE + MARGIN


def test_a_host_name_is_tried_at_each_of_its_addresses() -> None:
    # "localhost" may resolve to ::1 first; the server listens on 127.0.0.1 only.
    with serving("invalid_json") as server:
        port = server.url.rsplit(":", 1)[1]
        transport = DeadlineHTTPTransport(lambda host, p: ["::1", "127.0.0.1"])
        settings = ClientSettings.from_env(
            env={},
            base_url=f"http://localhost:{port}",
            team="acme",
            token_provider=StaticTokenProvider("tok-alice"),
        )
        with (
            SaaSTrackerClient(settings, transport=transport) as client,
            pytest.raises(ContractViolationError),
        ):
            client.search_issues("linear", "acme-web", query_text="Clerk auth")
