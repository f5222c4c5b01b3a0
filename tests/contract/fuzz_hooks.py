"""Schemathesis hooks shared by the in-process fuzz tests and `make fuzz` (the CLI).

Importing this module registers them globally. Positive cases are steered into the seeded world
so they reach the 2xx paths (the acting team, a mapped project, a live operation id, the sync
protocol the mock speaks); negative cases are left exactly as generated. Every answer is counted
per operation, so a test can prove that each operation was exercised and answered 2xx.
"""

from __future__ import annotations

import os
import uuid
import zlib
from collections import Counter
from typing import Any

import schemathesis
from requests.structures import CaseInsensitiveDict
from schemathesis import Case as _Case
from schemathesis import CheckContext, HookContext, Response

Case = _Case[Any]
# `make fuzz URL=... ARGS="--team T"` checks another implementation as team T.
TEAM = os.environ.get("KITTY_FUZZ_TEAM") or "acme"  # noqa: TID251 - test configuration
# provider -> (project_slug, binding_ref) of the seeded acme mappings.
MAPPED = {
    "jira": ("acme-iam", "bnd_acme_iam"),
    "linear": ("acme-web", "bnd_acme_web"),
    "github": ("acme-web", "bnd_acme_web_gh"),
}
# Live tickets of those containers, (external_issue_id, external_issue_key): the SaaS resolves
# every bind with the tracker, so a positive bind names a ticket that exists.
LIVE_TICKETS = {
    "jira": (("10342", "IAM-42"), ("10341", "IAM-41")),
    "linear": (
        ("5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d", "WEB-123"),
        ("9c2d4e6f-1a3b-4c5d-8e7f-2b4c6d8e0f1a", "WEB-127"),
    ),
    "github": (("3000000003", "acme/web#3"), ("3000000010", "acme/web#10")),
}
TEAM_SCOPED = {
    "searchIssues",
    "bindMissionOrigin",
    "getOperation",
    "unbindMissionOrigin",
    "refreshMissionOrigin",
    "getMissionOrigin",
    "listTicketMissions",
    "syncMissionOriginStatus",
    "getMissionOriginStatus",
    "draftSpecFromIssue",
}
WRITES = {"bindMissionOrigin", "unbindMissionOrigin"}


def _pool(variable: str) -> list[str]:
    return [v for v in os.environ.get(variable, "").split(",") if v]  # noqa: TID251 - test config


# Live operation ids for positive getOperation cases, and missions bound before the run for
# positive getMissionOrigin, refreshMissionOrigin and the status cases; the CLI run passes them in the
# environment.
OPERATION_POOL: list[str] = _pool("KITTY_FUZZ_OPERATIONS")
MISSION_POOL: list[str] = _pool("KITTY_FUZZ_MISSIONS")
# The one sandbox and snapshot positive admin cases use (a random name per case would fill the
# mock's sandboxes and find no snapshot to restore); `fresh_admin_mock()` saves the snapshot.
FUZZ_SANDBOX = "fuzz"
FUZZ_SNAPSHOT = "fuzz"
# (operationId, status) of every answer seen in this process.
SEEN: Counter[tuple[str, int]] = Counter()


def operation_id(case: Case) -> str:
    value = case.operation.definition.raw.get("operationId")
    return str(value)


def _is_positive(case: Case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


def steer_positive(case: Case) -> None:
    """Rewrite a positive case's context-dependent values to ones the seeded mock knows."""
    op = operation_id(case)
    # Choices derive from the case itself: stateful runs replay scenarios and must stay stable.
    n = zlib.crc32(repr((case.body, case.path_parameters)).encode())
    if case.headers is None:
        case.headers = CaseInsensitiveDict()
    headers = case.headers
    if op in TEAM_SCOPED:
        headers["X-Team-Slug"] = TEAM
    headers.pop("Prefer", None)
    if op in WRITES:
        # Fresh keys: hypothesis repeats small values, and a reused key with another body is a
        # documented 422 (idempotency_key_reused), which tests/mock_saas covers on purpose.
        headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4().hex}"
    if op == "bindMissionOrigin" and n % 4 == 0:
        headers["Prefer"] = "respond-async"
    if "X-Kitty-Origin-Providers" in headers:
        # A client's narrowing is its own refusal (tests/integration covers it): allow them all.
        headers["X-Kitty-Origin-Providers"] = "github,jira,linear"
    if op in {"ingestEventBatch", "pushDossierContent"}:
        # The body is sent as plain JSON, so only `identity` describes it truthfully.
        headers.pop("Content-Encoding", None)
        protocol = headers.get("X-Spec-Kitty-Sync-Protocol")
        if isinstance(protocol, str):
            headers["X-Spec-Kitty-Sync-Protocol"] = "2." + protocol.partition(".")[2]
    if op in {"searchIssues", "bindMissionOrigin", "draftSpecFromIssue"} and isinstance(
        case.body, dict
    ):
        provider = case.body.get("provider")
        if provider in MAPPED:
            slug, ref = MAPPED[provider]
            case.body["project_slug"] = slug
            if "binding_ref" in case.body:
                case.body["binding_ref"] = ref
    if op in {"bindMissionOrigin", "draftSpecFromIssue"} and isinstance(case.body, dict):
        tickets = LIVE_TICKETS.get(str(case.body.get("provider")))
        if tickets:
            issue_id, key = tickets[n % len(tickets)]
            case.body.update(external_issue_id=issue_id, external_issue_key=key)
    if op == "getMissionOrigin" and MISSION_POOL:
        case.path_parameters = {"mission_id": MISSION_POOL[n % len(MISSION_POOL)]}
    if (
        op in {"refreshMissionOrigin", "syncMissionOriginStatus"}
        and MISSION_POOL
        and isinstance(case.body, dict)
    ):
        case.body["mission_id"] = MISSION_POOL[n % len(MISSION_POOL)]
    if op == "getMissionOriginStatus" and MISSION_POOL and isinstance(case.query, dict):
        case.query["mission_id"] = MISSION_POOL[n % len(MISSION_POOL)]
    if op == "listTicketMissions" and n % 2 and isinstance(case.query, dict):
        issue_id, _ = LIVE_TICKETS["linear"][0]
        case.query.update(provider="linear", external_issue_id=issue_id)
    if op in {"adminGetTicket", "adminUpdateTicket", "adminDeleteTicket"} and isinstance(
        case.query, dict
    ):
        tickets = LIVE_TICKETS.get(str(case.query.get("provider")))
        if tickets:
            pick = zlib.crc32(repr((n, case.query.get("ticket"))).encode())
            issue_id, key = tickets[pick % len(tickets)]
            case.query["ticket"] = key if pick % 3 else issue_id  # by key and by stable id
    if op == "refreshAccessToken" and isinstance(case.body, dict):
        case.body["refresh_token"] = "refresh-alice"  # the seeded grant of tok-alice
    if "X-Kitty-Sandbox" in headers:
        headers["X-Kitty-Sandbox"] = FUZZ_SANDBOX
    if op in {"adminRestoreSnapshot", "adminDeleteSnapshot"}:
        case.path_parameters = {"name": FUZZ_SNAPSHOT}
    if op == "adminSaveSnapshot":
        case.path_parameters = {"name": f"{FUZZ_SNAPSHOT}-{n % 8}"}
    if op == "adminSetOriginProviders":
        case.path_parameters = {"team": ("acme", "globex", "team_acme")[n % 3]}
    if op == "adminDeleteSandbox":
        case.path_parameters = {"name": FUZZ_SANDBOX}
    if op == "adminCreateSandbox" and isinstance(case.body, dict):
        # Unnamed creates get random names and would fill the registry's cap (then 503).
        case.body["name"] = FUZZ_SANDBOX
    if op == "getOperation" and OPERATION_POOL:
        case.path_parameters = {"operation_id": OPERATION_POOL[n % len(OPERATION_POOL)]}


def _patch_root_transitions() -> None:
    """Let a stateful scenario continue when a link's source *bundle* is empty.

    schemathesis 4.32.5 refuses a root step while any link out of an operation already seen is
    under its budget, judging by the operation alone. bindMissionOrigin has links on two
    statuses (200: RebindSameOrigin, 202: PollOperation); after a few 200s with no 202, the
    poll link looks open but its bundle is empty, so no rule is valid and hypothesis stops with
    "No progress can be made". Here a link only blocks the roots when its own bundle
    (`<source> -> <status>`) holds a response to follow.
    """
    from schemathesis.generation.stateful.control import MAX_ROOT_SOURCES, TransitionController

    original = TransitionController.allow_root_transition
    if getattr(original, "_kitty_patched", False):
        return

    def allow_root_transition(
        self: TransitionController, source: str, bundles: dict[str, Any]
    ) -> bool:
        if self._is_skipped(source):
            return False
        if self._root_calls(source) < MAX_ROOT_SOURCES:
            return True
        filled = {name for name, values in bundles.items() if values}
        for transitions in self.transitions.operations.values():
            for link in transitions.incoming:
                bundle = f"{link.source.label} -> {link.status_code}"  # type: ignore[attr-defined]
                if bundle in filled and self.allow_transition(link.source.label, link.target.label):
                    return False  # a link can still be followed: take it first
        if source in self.productive_roots:
            return True
        available = [root for root in self.roots if not self._is_skipped(root)]
        if any(
            self._root_calls(root) < MAX_ROOT_SOURCES or root in self.productive_roots
            for root in available
        ):
            return False
        return self._root_calls(source) == min(self._root_calls(root) for root in available)

    allow_root_transition._kitty_patched = True  # type: ignore[attr-defined]
    TransitionController.allow_root_transition = allow_root_transition  # type: ignore[method-assign]


_patch_root_transitions()


@schemathesis.hook
def before_call(context: HookContext, case: Case, kwargs: dict[str, Any]) -> None:
    if _is_positive(case):
        steer_positive(case)


@schemathesis.hook
def after_call(context: HookContext, case: Case, response: Response) -> None:
    SEEN[(operation_id(case), response.status_code)] += 1


# Documented refusals of schema-valid requests: (operationId, status) -> allowed error codes.
_VALID_REFUSALS = {
    ("searchIssues", 422): {"invalid_query"},
    ("bindMissionOrigin", 409): {"origin_already_bound"},
}


@schemathesis.check
def valid_requests_refused_only_for_documented_reasons(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    """A positive case answered 409/422 must carry the one error code that explains it."""
    if not _is_positive(case) or response.status_code not in {409, 422}:
        return None  # positive_data_acceptance judges every other status
    allowed = _VALID_REFUSALS.get((operation_id(case), response.status_code), set())
    code = response.json().get("error_code")
    assert code in allowed, (
        f"valid request to {operation_id(case)} refused with {response.status_code} {code}; "
        f"only {sorted(allowed)} may refuse schema-valid input"
    )
    return True
