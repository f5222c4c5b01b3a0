"""Schemathesis over the in-process mock SaaS, with the contracts (not FastAPI's document) as schema.

Both contracts, the SaaS's (contracts/openapi.yaml) and the mock's admin API (contracts/admin.yaml):
every operation with positive and negative data, then a stateful run over each contract's links
(search → bind → re-bind → poll; add faults → list → clear), all checks on. The last test proves
the run was real: every operation was exercised and answered 2xx at least once, so a broken token
or a skipped operation fails instead of passing on 401s.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from kitty_contracts.validation import admin_document, openapi_document
from kitty_mock_saas.app import create_app
from kitty_mock_saas.settings import MockSettings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from starlette.types import Receive, Scope, Send

from tests.contract import fuzz_hooks
from tests.contract.fuzz_hooks import Case

ROOT = Path(__file__).resolve().parents[2]
CONFIG = SchemathesisConfig.from_path(ROOT / "schemathesis.toml")
# A copy: schemathesis hands the contract's example bodies to the hooks, which adjust them in
# place; the shared cached document must stay as the contract says for every other test.
SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(openapi_document()), config=CONFIG)
# The admin contract runs against its own mock: the faults it injects must not reach the SaaS runs.
ADMIN_SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(admin_document()), config=CONFIG)


def _operation_ids(schema: Any) -> set[str]:
    ids = set()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the contract has an unusable operation: {result!r}"
        ids.add(str(result.ok().definition.raw["operationId"]))
    return ids


OPERATIONS = _operation_ids(SCHEMA)
ADMIN_OPERATIONS = _operation_ids(ADMIN_SCHEMA)


class SwappableApp:
    """The ASGI app schemathesis calls; `fresh_mock()` swaps the mock behind it."""

    def __init__(self) -> None:
        self.current: FastAPI | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.current is not None
        if scope["type"] == "lifespan":
            # schemathesis starts and stops the app around each operation's test; the mock's
            # shutdown would close its tracker clients for the operations after it.
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await self.current(scope, receive, send)


MOCK = SwappableApp()
SCHEMA.app = MOCK
ADMIN_MOCK = SwappableApp()
ADMIN_SCHEMA.app = ADMIN_MOCK


def fresh_mock(count: int = 4) -> None:
    """A new seeded mock for the schema, plus async binds that positive getOperation cases poll
    and bound missions that positive getMissionOrigin cases read."""
    app = create_app(MockSettings())
    ids, missions = [], []
    # No `with`: leaving the block would run the app's shutdown and close its tracker clients.
    client = TestClient(app)
    issue_id, key = fuzz_hooks.LIVE_TICKETS["linear"][0]
    for n in range(2 * count):
        mission_id = f"01JFXZZ{n:019d}"
        answer = client.post(
            "/api/v1/tracker/mission-origin/bind/",
            headers={
                "Authorization": "Bearer tok-alice",
                "X-Team-Slug": "acme",
                **({"Prefer": "respond-async"} if n < count else {}),
            },
            json={
                "provider": "linear",
                "mission_id": mission_id,
                "external_issue_id": issue_id,
                "external_issue_key": key,
                "external_issue_url": f"https://linear.app/acme/issue/{key}",
                "external_title": "Fuzz seed",
                "project_slug": "acme-web",
            },
        )
        assert answer.status_code == (202 if n < count else 200), answer.text
        if n < count:
            ids.append(answer.json()["operation_id"])
        else:
            missions.append(mission_id)
    MOCK.current = app
    fuzz_hooks.OPERATION_POOL[:] = ids
    fuzz_hooks.MISSION_POOL[:] = missions


fresh_mock()


def fresh_admin_mock() -> None:
    """A new mock with the snapshot positive restore cases name, in the default state and the
    fuzz sandbox. The fuzz sends wrong admin tokens by the thousand on purpose: the limit on them
    has its own tests (tests/mock_saas/test_auth_and_errors.py)."""
    app = create_app(MockSettings(admin_auth_failures_burst=1_000_000))
    client = TestClient(app)  # no `with`: see fresh_mock
    for sandbox in ({}, {"X-Kitty-Sandbox": fuzz_hooks.FUZZ_SANDBOX}):
        saved = client.put(
            f"/__admin/snapshots/{fuzz_hooks.FUZZ_SNAPSHOT}",
            headers={"X-Admin-Token": "admin-secret", **sandbox},
        )
        assert saved.status_code == 201, saved.text
    ADMIN_MOCK.current = app


fresh_admin_mock()


@SCHEMA.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_mock_conforms_to_the_contract(case: Case) -> None:
    case.call_and_validate()


class _Workflow(SCHEMA.as_state_machine()):  # type: ignore[misc]
    """Links: search → bind the first candidate → re-bind the same origin → poll an operation.

    Each scenario starts on a fresh mock: the contract's bind link names one fixed mission, so a
    shared store would make a replayed scenario take other links (and hypothesis call it flaky).
    """

    def setup(self) -> None:
        fresh_mock()


TestStatefulWorkflow = _Workflow.TestCase
TestStatefulWorkflow.settings = settings(
    max_examples=25,
    stateful_step_count=10,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@ADMIN_SCHEMA.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_mock_conforms_to_the_admin_contract(case: Case) -> None:
    case.call_and_validate()


class _AdminWorkflow(ADMIN_SCHEMA.as_state_machine()):  # type: ignore[misc]
    """Links: add faults → list them → clear them, each scenario on a fresh mock."""

    def setup(self) -> None:
        fresh_admin_mock()


TestAdminStatefulWorkflow = _AdminWorkflow.TestCase
TestAdminStatefulWorkflow.settings = settings(
    max_examples=15,
    stateful_step_count=6,
    phases=[Phase.generate],
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_every_operation_was_exercised_and_answered_2xx() -> None:
    seen = fuzz_hooks.SEEN
    everything = OPERATIONS | ADMIN_OPERATIONS
    exercised = {op for op, _ in seen}
    succeeded = {op for op, status in seen if 200 <= status < 300}
    assert exercised == everything, f"never called: {sorted(everything - exercised)}"
    assert succeeded == everything, f"never answered 2xx: {sorted(everything - succeeded)}"
    assert not any(status >= 500 for _, status in seen), seen
