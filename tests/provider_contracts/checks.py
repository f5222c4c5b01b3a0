"""Each provider's check of one fake exchange against its published contract (the autouse
fixture in tests/conftest.py runs them on every exchange of every test)."""

from __future__ import annotations

import json
from collections.abc import Callable

from kitty_mock_saas.provider_contracts import UNDESCRIBED_PATHS, openapi_contract
from kitty_mock_saas.provider_contracts.sdl import answer_problems, document_problems
from kitty_mock_saas.tracker_fakes.observe import FakeExchange

__all__ = ["CHECKS", "exchange_problems"]


def openapi_problems(exchange: FakeExchange) -> list[str]:
    """The answer against the operation's documented responses; a connector's request too."""
    if exchange.path in UNDESCRIBED_PATHS.get(exchange.provider, ()):
        return []
    contract = openapi_contract(exchange.provider)
    problems = contract.response_problems(
        exchange.method, exchange.path, exchange.status, exchange.content_type, exchange.body
    )
    if exchange.client == "connector":
        problems += contract.request_problems(
            exchange.method,
            exchange.path,
            exchange.query,
            exchange.request_content_type,
            exchange.request_body,
        )
    return problems


def graphql_problems(exchange: FakeExchange) -> list[str]:
    """The answer against Linear's schema for the document asked; a connector's document too."""
    try:
        sent = json.loads(exchange.request_body)
        answer = json.loads(exchange.body)
    except ValueError:
        return [f"{exchange.method} {exchange.path}: a body that is not JSON"]
    if not isinstance(sent, dict) or not isinstance(sent.get("query"), str):
        # Linear's own 400 for a request without a document: errors only.
        return answer_problems("", None, answer) if exchange.status == 400 else ["no document"]
    query, variables = sent["query"], sent.get("variables")
    problems = answer_problems(query, variables, answer, sent.get("operationName"))
    if exchange.client == "connector":
        problems += document_problems(query)
    return problems


CHECKS: dict[str, Callable[[FakeExchange], list[str]]] = {
    "github": openapi_problems,
    "jira": openapi_problems,
    "linear": graphql_problems,
}


def exchange_problems(exchange: FakeExchange) -> list[str]:
    """What is off-contract in `exchange` (providers without a check pass)."""
    check = CHECKS.get(exchange.provider)
    return [f"{exchange.provider}: {p}" for p in check(exchange)] if check else []
