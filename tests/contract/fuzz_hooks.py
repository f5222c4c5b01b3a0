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
TEAM = "acme"
# provider -> (project_slug, binding_ref) of the seeded acme mappings.
MAPPED = {
    "jira": ("acme-iam", "bnd_acme_iam"),
    "linear": ("acme-web", "bnd_acme_web"),
    "github": ("acme-web", "bnd_acme_web_gh"),
}
TEAM_SCOPED = {"searchIssues", "bindMissionOrigin", "getOperation"}
# Live operation ids for positive getOperation cases; the CLI run passes them in the environment.
OPERATION_POOL: list[str] = [
    op
    for op in os.environ.get("KITTY_FUZZ_OPERATIONS", "").split(",")  # noqa: TID251 - test config
    if op
]
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
    if op == "bindMissionOrigin":
        # Fresh keys: hypothesis repeats small values, and a reused key with another body is a
        # documented 422 (idempotency_key_reused), which tests/mock_saas covers on purpose.
        headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4().hex}"
        if n % 4 == 0:
            headers["Prefer"] = "respond-async"
    if op in {"ingestEventBatch", "pushDossierContent"}:
        # The body is sent as plain JSON, so only `identity` describes it truthfully.
        headers.pop("Content-Encoding", None)
        protocol = headers.get("X-Spec-Kitty-Sync-Protocol")
        if isinstance(protocol, str):
            headers["X-Spec-Kitty-Sync-Protocol"] = "2." + protocol.partition(".")[2]
    if op in {"searchIssues", "bindMissionOrigin"} and isinstance(case.body, dict):
        provider = case.body.get("provider")
        if provider in MAPPED:
            slug, ref = MAPPED[provider]
            case.body["project_slug"] = slug
            if "binding_ref" in case.body:
                case.body["binding_ref"] = ref
    if op == "refreshAccessToken" and isinstance(case.body, dict):
        case.body["refresh_token"] = "refresh-alice"  # the seeded grant of tok-alice
    if op == "getOperation" and OPERATION_POOL:
        case.path_parameters = {"operation_id": OPERATION_POOL[n % len(OPERATION_POOL)]}


# Whitespace on which JSON Schema's ECMA-262 `\s` and Python's `re` (the validators' engine)
# disagree; a `^\S+$` pattern judges these differently on the two sides. Reported, not fuzzed.
_DIALECT_WHITESPACE = frozenset("\x1c\x1d\x1e\x1f\x85\ufeff")


def _has_dialect_whitespace(value: Any) -> bool:
    if isinstance(value, str):
        return not _DIALECT_WHITESPACE.isdisjoint(value)
    if isinstance(value, dict):
        return any(
            _has_dialect_whitespace(k) or _has_dialect_whitespace(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(_has_dialect_whitespace(v) for v in value)
    return False


@schemathesis.hook
def filter_body(context: HookContext, body: Any) -> bool:
    return not _has_dialect_whitespace(body)


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
