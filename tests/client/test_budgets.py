"""The SaaS's budget for a tracker call and the SDK's deadlines, read together.

A hung tracker must reach the caller as the SaaS's 504 `provider_timeout`, not as the client's
own timeout: the SaaS gives one tracker call less time than the SDK's shortest default deadline,
and a retry that then runs out of time still names the 504 it followed.
"""

from __future__ import annotations

import httpx
import pytest
from kitty_mock_saas.connectors.retry import RetryPolicy
from kitty_origin import APITimeoutError, ClientSettings, SaaSUnavailableError

from tests.client.fakes import FakeSaaS, envelope, make_client

# What an answer needs to travel back from the SaaS on a loaded machine.
MARGIN_SECONDS = 1.0


def test_the_saas_gives_a_tracker_call_less_than_the_sdks_shortest_default_deadline() -> None:
    defaults = ClientSettings.from_env(env={})
    shortest = min(
        defaults.search_deadline_seconds,
        defaults.write_deadline_seconds,
        defaults.events_deadline_seconds,
    )
    assert RetryPolicy().deadline + MARGIN_SECONDS <= shortest


def test_a_retry_that_runs_out_of_time_names_the_504_before_it() -> None:
    hung = httpx.Response(
        504, json=envelope("provider_timeout", "Linear did not answer in time. Retry shortly.")
    )
    saas = FakeSaaS(script=[hung, httpx.ReadTimeout("no answer"), httpx.ReadTimeout("none")])
    with pytest.raises(APITimeoutError) as raised:
        make_client(saas).search_issues("linear", "acme-web", query_text="Clerk")
    assert "HTTP 504 provider_timeout: Linear did not answer in time" in str(raised.value)
    assert isinstance(raised.value.__cause__, SaaSUnavailableError)
    assert len(saas.requests) == 3
