"""The one error tree of `kitty_origin`, and the one function that maps an answer to it.

SpecKittySaaSError
├── ConfigurationError                 (local: settings, .kittify/config.yaml)
│   ├── NoTrackerBindingError
│   ├── TrackerConfigError
│   └── UnsupportedProviderError
├── InvalidRequestError                (local: the call would break the contract)
├── MissionMetaError                   (local: meta.json missing or invalid)
├── MissionCreationError               (local: no free mission number, ...)
├── OutboxError                        (local: the event outbox cannot be opened or written)
├── ContractViolationError             (the SaaS answered outside the contract, or a
│                                      validating proxy refused its answer: 424 contract_violation)
├── APIConnectionError
│   └── APITimeoutError
└── APIStatusError                     (status_code, error_code, user_action_required, ...)
    ├── BadRequestError                400
    ├── AuthenticationError            401
    ├── PermissionDeniedError          403
    ├── NotFoundError                  404
    ├── ConflictError                  409
    ├── ProtocolMismatchError          412
    ├── PayloadTooLargeError           413
    ├── UnprocessableEntityError       422
    │   └── StatusNotSupportedError    the tracker cannot take that status (also a
    │                                  CapabilityNotSupportedError)
    ├── RateLimitError                 429
    ├── InternalServerError            500 and other 5xx
    │   └── SaaSUnavailableError       502 / 503 / 504
    └── DomainError                    (by error_code; raised under the catalogue's status class)
        ├── UserLinkRequiredError      user_link_required
        ├── ResourceMappingNotFoundError  resource_mapping_not_found
        ├── OperationNotFoundError     operation_not_found
        ├── OriginAlreadyBoundError    origin_already_bound
        ├── OriginNotFoundError        origin_not_found
        ├── TicketNotFoundError        ticket_not_found
        ├── TicketOutOfScopeError      ticket_out_of_scope
        ├── InvalidQueryError          invalid_query
        └── ProviderRejectedError      unsupported_provider (also an UnsupportedProviderError)

CapabilityNotSupportedError is the root of refusals a tracker cannot do (StatusNotSupportedError).

Which status each code travels with is the contract's error catalogue
(`kitty_contracts.error_catalogue`); README.md's and client/README.md's tables are generated
from it and from this module (`make generate`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from kitty_contracts import ErrorCode, ErrorEnvelope
from kitty_contracts.error_catalogue import error_spec
from kitty_contracts.validation import validator
from pydantic import MISSING, ValidationError

DASHBOARD_HINT = "Spec Kitty dashboard"


class SpecKittySaaSError(Exception):
    """Root of every error `kitty_origin` raises; structured fields are kept, never stringified."""

    status_code: int | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        user_action_required: bool = False,
        request_id: str | None = None,
        envelope: ErrorEnvelope | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.error_code = error_code
        self.user_action_required = user_action_required
        self.request_id = request_id
        self.envelope = envelope


class ConfigurationError(SpecKittySaaSError):
    """Local configuration is missing or wrong (settings, `.kittify/config.yaml`)."""


class NoTrackerBindingError(ConfigurationError):
    """The repo has no tracker bound; there is no fallback."""


class TrackerConfigError(ConfigurationError):
    """`.kittify/config.yaml` is unreadable or breaks the contract; names the file and field."""

    def __init__(self, message: str, *, path: str, field: str) -> None:
        super().__init__(message, error_code="invalid_tracker_config")
        self.path = path
        self.field = field


class UnsupportedProviderError(ConfigurationError):
    """The provider may not be used as a mission origin (Jira and Linear; GitHub on opt-in)."""


class InvalidRequestError(SpecKittySaaSError, ValueError):
    """The arguments would make a request that breaks the contract; nothing was sent."""


class MissionMetaError(SpecKittySaaSError):
    """A mission's `meta.json` is missing, unreadable or breaks the contract."""


class MissionCreationError(SpecKittySaaSError):
    """A mission directory could not be created."""


class OutboxError(SpecKittySaaSError):
    """The local event outbox cannot be opened, read or written (queued events are kept)."""


class ContractViolationError(SpecKittySaaSError):
    """The SaaS answered with a status or body the contract does not allow (found here, or by a
    validating proxy in front of it: a 424 `contract_violation`). Never retried."""

    def __init__(self, message: str, *, status_code: int | None = None, problems: list[str]):
        super().__init__(message, status_code=status_code, error_code="contract_violation")
        self.problems = problems


class APIConnectionError(SpecKittySaaSError):
    """The SaaS could not be reached (connection refused, reset, DNS)."""


class APITimeoutError(APIConnectionError):
    """An attempt timed out, or the operation's overall deadline passed."""


class APIStatusError(SpecKittySaaSError):
    """The SaaS answered with an error status and (normally) an `ErrorEnvelope`."""

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_code: str | None = None,
        user_action_required: bool = False,
        request_id: str | None = None,
        envelope: ErrorEnvelope | None = None,
        retry_after_seconds: float | None = None,
    ) -> None:
        super().__init__(
            message,
            status_code=status_code,
            error_code=error_code,
            user_action_required=user_action_required,
            request_id=request_id,
            envelope=envelope,
        )
        self.retry_after_seconds = retry_after_seconds


class BadRequestError(APIStatusError):
    """400: the body was not JSON (or not valid gzip)."""


class AuthenticationError(APIStatusError):
    """401: missing, unknown or expired token, also after one refresh."""


class PermissionDeniedError(APIStatusError):
    """403: not a member of the team, or another refusal."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class ProtocolMismatchError(APIStatusError):
    """412: the SaaS does not speak this sync protocol version."""


class PayloadTooLargeError(APIStatusError):
    """413: the batch is too large; split it."""


class UnprocessableEntityError(APIStatusError):
    """422: the request breaks the contract or is not valid for the provider."""


class RateLimitError(APIStatusError):
    """429: rate limited beyond the retry budget or the deadline."""


class InternalServerError(APIStatusError):
    """5xx."""


class CapabilityNotSupportedError(SpecKittySaaSError):
    """The mission's tracker cannot do what was asked (e.g. represent a status)."""


class StatusNotSupportedError(UnprocessableEntityError, CapabilityNotSupportedError):
    """The origin ticket's tracker cannot represent the status (GitHub has no "in progress").

    The SaaS answers it as a 422 `validation_failed` on `body.status` (contract 2.1 keeps
    `ErrorCode` unchanged); `allowed` is what the tracker can take, as the SaaS named it.
    """

    def __init__(self, message: str, *, allowed: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.allowed = allowed


def status_refusal(error: APIStatusError) -> StatusNotSupportedError | None:
    """The `StatusNotSupportedError` a status write's 422 stands for, or None.

    A request the client sent has passed the contract's checks, so a `validation_failed` on
    `body.status` can only be the tracker's refusal.
    """
    envelope = error.envelope
    if error.status_code != 422 or error.error_code != "validation_failed" or envelope is None:
        return None
    details = envelope.details if isinstance(envelope.details, list) else []
    issue = next((d.issue for d in details if d.field == "body.status"), None)
    if issue is None:
        return None
    return StatusNotSupportedError(
        error.message,
        allowed=issue,
        status_code=422,
        error_code=error.error_code,
        request_id=error.request_id,
        envelope=envelope,
    )


class SaaSUnavailableError(InternalServerError):
    """502/503/504: the SaaS or the tracker behind it is unavailable."""


# The status layer: which class an answer's status gets (the client's own design, as openai's).
_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: ProtocolMismatchError,
    413: PayloadTooLargeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: SaaSUnavailableError,
    503: SaaSUnavailableError,
    504: SaaSUnavailableError,
}


class DomainError(APIStatusError):
    """An error the client tells apart by its `error_code`.

    The status class it is raised as comes from the contract's error catalogue: an
    `OriginAlreadyBoundError` is also a `ConflictError` because the catalogue gives
    `origin_already_bound` the status 409. Catch either.
    """

    catalogue_code: ClassVar[ErrorCode]


class UserLinkRequiredError(DomainError):
    """`user_link_required`: link the tracker account in the Spec Kitty dashboard."""

    catalogue_code = ErrorCode.user_link_required


class ResourceMappingNotFoundError(DomainError):
    """`resource_mapping_not_found`: no tracker container is mapped to the project."""

    catalogue_code = ErrorCode.resource_mapping_not_found


class OperationNotFoundError(DomainError):
    """`operation_not_found`."""

    catalogue_code = ErrorCode.operation_not_found


class OriginAlreadyBoundError(DomainError):
    """`origin_already_bound`: the mission already has a different origin ticket."""

    catalogue_code = ErrorCode.origin_already_bound


class OriginNotFoundError(DomainError):
    """`origin_not_found`: the mission has no origin link on the SaaS."""

    catalogue_code = ErrorCode.origin_not_found


class TicketNotFoundError(DomainError):
    """`ticket_not_found`: the tracker has no such ticket the user can see (missing, deleted,
    restricted) in the mapped container; nothing was stored."""

    catalogue_code = ErrorCode.ticket_not_found


class TicketOutOfScopeError(DomainError):
    """`ticket_out_of_scope`: the ticket lives outside the container mapped to the project."""

    catalogue_code = ErrorCode.ticket_out_of_scope


class InvalidQueryError(DomainError):
    """`invalid_query`: the query is not valid for this provider."""

    catalogue_code = ErrorCode.invalid_query


class ProviderRejectedError(DomainError, UnsupportedProviderError):
    """`unsupported_provider`: the SaaS refused the provider."""

    catalogue_code = ErrorCode.unsupported_provider


_DOMAIN: dict[ErrorCode, type[DomainError]] = {
    cls.catalogue_code: cls
    for cls in (
        UserLinkRequiredError,
        ResourceMappingNotFoundError,
        OperationNotFoundError,
        OriginAlreadyBoundError,
        OriginNotFoundError,
        TicketNotFoundError,
        TicketOutOfScopeError,
        InvalidQueryError,
        ProviderRejectedError,
    )
}


def status_class_for(status_code: int) -> type[APIStatusError]:
    """The status layer's class for a status."""
    if status_code in _BY_STATUS:
        return _BY_STATUS[status_code]
    return InternalServerError if status_code >= 500 else APIStatusError


_RAISED_AS: dict[tuple[type[DomainError], type[APIStatusError]], type[APIStatusError]] = {}


def _raised_as(domain: type[DomainError], status: type[APIStatusError]) -> type[APIStatusError]:
    # The class actually raised: the domain class under the status class the catalogue names.
    key = (domain, status)
    if key not in _RAISED_AS:
        namespace = {"__module__": __name__, "__qualname__": domain.__qualname__}
        _RAISED_AS[key] = type(
            domain.__name__, (domain, status), {**namespace, "__doc__": domain.__doc__}
        )
    return _RAISED_AS[key]


def error_class_for(status_code: int, error_code: str | None) -> type[APIStatusError]:
    """The most specific class for a status and error code.

    A code gets its domain class only with the status the catalogue gives it; otherwise the
    answer is classed by its status alone.
    """
    try:
        code = ErrorCode(error_code) if error_code is not None else None
    except ValueError:
        code = None
    status_class = status_class_for(status_code)
    if code in _DOMAIN and error_spec(code).status == status_code:
        return _raised_as(_DOMAIN[code], status_class)
    return status_class


def raised_class_for(status_code: int, error_code: str | None) -> type[SpecKittySaaSError]:
    """The class an error answer is raised as: `error_class_for`, except that a validating
    proxy's refusal (`contract_violation`) is a `ContractViolationError`, like one found here."""
    if error_code == ErrorCode.contract_violation.value:
        return ContractViolationError
    return error_class_for(status_code, error_code)


def error_for_code(code: ErrorCode, message: str, **fields: Any) -> APIStatusError:
    """The exception the SaaS's answer with `code` would raise, for a refusal decided locally."""
    status = error_spec(code).status
    return error_class_for(status, code.value)(
        message, status_code=status, error_code=code.value, **fields
    )


def parse_envelope(content: bytes) -> ErrorEnvelope | None:
    """The contract's `ErrorEnvelope` in `content`, or None when the body is not one."""
    try:
        raw = json.loads(content)
    except ValueError:
        return None
    if not isinstance(raw, dict) or any(True for _ in validator("ErrorEnvelope").iter_errors(raw)):
        return None
    try:
        return ErrorEnvelope.model_validate(raw)
    except ValidationError:
        return None


def error_from_envelope(
    envelope: ErrorEnvelope | None,
    *,
    status_code: int,
    headers: Mapping[str, str] | None = None,
    retry_after_seconds: float | None = None,
) -> APIStatusError | ContractViolationError:
    """The exception for an error answer (or a failed operation's `error`).

    The message is the envelope's; when only the user can fix the problem it says to go to the
    Spec Kitty dashboard. A validating proxy's refusal (`contract_violation`) is a
    `ContractViolationError` naming its findings.
    """
    request_id = (headers or {}).get("x-request-id")
    if envelope is None:
        cls = error_class_for(status_code, None)
        return cls(
            f"HTTP {status_code}",
            status_code=status_code,
            request_id=request_id,
            retry_after_seconds=retry_after_seconds,
        )
    # `code` is what the SaaS's frozen envelope names it; `error_code` is what 3.2.x reads.
    code = (envelope.error_code if envelope.code is MISSING else envelope.code).value
    message = envelope.message
    if (envelope.user_action_required or code == "user_link_required") and (
        DASHBOARD_HINT.lower() not in message.lower()
    ):
        message = f"{message} (action required: check the {DASHBOARD_HINT})"
    if isinstance(envelope.request_id, str):
        request_id = envelope.request_id
    body_wait = envelope.retry_after_seconds
    if retry_after_seconds is None and body_wait is not MISSING and body_wait is not None:
        retry_after_seconds = float(body_wait)
    if raised_class_for(status_code, code) is ContractViolationError:
        details = envelope.details if isinstance(envelope.details, list) else []
        refused = ContractViolationError(
            message,
            status_code=status_code,
            problems=[f"{d.field}: {d.issue}" for d in details] or [message],
        )
        refused.request_id = request_id
        refused.envelope = envelope
        return refused
    cls = error_class_for(status_code, code)
    return cls(
        message,
        status_code=status_code,
        error_code=code,
        user_action_required=envelope.user_action_required,
        request_id=request_id,
        envelope=envelope,
        retry_after_seconds=retry_after_seconds,
    )
