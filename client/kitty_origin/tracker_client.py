"""`SaaSTrackerClient`: issue search, origin bind, operation polling and event batches.

Every request goes through a generated `kitty_saas_api` endpoint function over the wire
`httpx.Client` (see `transport.py`); every answer is re-validated against the contract and
returned as a `kitty_contracts` model, or raised as a `SpecKittySaaSError`.
"""

from __future__ import annotations

import random as _random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from kitty_contracts import (
    EventBatchRequest,
    EventBatchResponse,
    IssueSearchRequest,
    IssueSearchResponse,
    Operation,
    OperationStatus,
    OriginBindRequest,
    OriginBindResponse,
    Provider,
)
from kitty_contracts.error_catalogue import error_spec
from kitty_contracts.validation import ComponentName, validator
from kitty_saas_api import models as wire
from kitty_saas_api.api.events import ingest_event_batch
from kitty_saas_api.api.tracker import bind_mission_origin as bind_api
from kitty_saas_api.api.tracker import get_operation as operation_api
from kitty_saas_api.api.tracker import search_issues as search_api
from kitty_saas_api.client import Client as ApiClient
from kitty_saas_api.types import UNSET, Response
from pydantic import MISSING, BaseModel, ValidationError

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ContractViolationError,
    InvalidRequestError,
    SpecKittySaaSError,
    error_from_envelope,
    parse_envelope,
)
from .retry import RETRYABLE_STATUSES, RetryPolicy, backoff_delay, retry_delay
from .settings import ClientSettings
from .transport import attempt_timeout, build_api_client, build_wire_client, parse_contract

SYNC_PROTOCOL = "2.0"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Answer:
    status_code: int
    content: bytes
    headers: Mapping[str, str]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _new_idempotency_key() -> str:
    return f"kitty-{uuid.uuid4().hex}"


class SaaSTrackerClient:
    """The client of the SaaS tracker API. Holds no Jira, Linear or GitHub credential.

    Transport, clocks, sleep and randomness are injected, so tests run instantly::

        http = httpx.Client(transport=httpx.MockTransport(handler))
        with SaaSTrackerClient(settings, http_client=http, sleep=lambda _: None) as client:
            found = client.search_issues("linear", "acme-web", query_text="Clerk auth")
    """

    def __init__(
        self,
        settings: ClientSettings | None = None,
        *,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
        now: Callable[[], datetime] = _utcnow,
        new_idempotency_key: Callable[[], str] = _new_idempotency_key,
    ) -> None:
        self.settings = settings if settings is not None else ClientSettings.from_env()
        self._wire = build_wire_client(self.settings, http_client=http_client, transport=transport)
        self._wire.event_hooks["response"].append(self._remember_response)
        self._api = build_api_client(self._wire, self.settings.base_url)
        self._monotonic = monotonic
        self._sleep = sleep
        self._random = random
        self._now = now
        self._new_key = new_idempotency_key
        self._policy = RetryPolicy(
            max_retries=self.settings.max_retries,
            backoff_initial_seconds=self.settings.backoff_initial_seconds,
            backoff_max_seconds=self.settings.backoff_max_seconds,
            retry_after_cap_seconds=self.settings.retry_after_cap_seconds,
        )
        self._token: str | None = None
        self._last_response: httpx.Response | None = None

    def __enter__(self) -> SaaSTrackerClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the wire client (an injected `httpx.Client` stays open: it is the caller's)."""
        self._wire.close()

    # -- public operations -------------------------------------------------------------------

    def search_issues(
        self,
        provider: Provider | str,
        project_slug: str | None,
        *,
        query_text: str | None = None,
        query_key: str | None = None,
        limit: int = 10,
        binding_ref: str | None = None,
        prefer: str | None = None,
    ) -> IssueSearchResponse:
        """Search the tracker container mapped to the project with the user's linked identity.

        `query_key` takes precedence: when given, `query_text` is not sent.

        Raises:
            InvalidRequestError: no query, a bad limit or routing key (nothing is sent).
            UserLinkRequiredError, ResourceMappingNotFoundError, InvalidQueryError,
            RateLimitError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        fields: dict[str, Any] = {"provider": str(provider), "limit": limit}
        if project_slug is not None:
            fields["project_slug"] = project_slug
        if binding_ref is not None:
            fields["binding_ref"] = binding_ref
        if query_key is not None:
            fields["query_key"] = query_key
        elif query_text is not None:
            fields["query_text"] = query_text
        request = _request_model(IssueSearchRequest, "IssueSearchRequest", fields)
        body = _wire_body(wire.IssueSearchRequest, request)
        team = self._team()
        answer = self._exchange(
            "issue search",
            lambda api: search_api.sync_detailed(
                client=api, body=body, x_team_slug=team, prefer=_unset(prefer)
            ),
            deadline=self._monotonic() + self.settings.search_deadline_seconds,
        )
        _expect(answer, {200})
        return parse_contract(IssueSearchResponse, "IssueSearchResponse", answer.content, 200)

    def bind_mission_origin(
        self,
        provider: Provider | str,
        project_slug: str | None,
        *,
        feature_slug: str,
        external_issue_id: str,
        external_issue_key: str,
        external_issue_url: str,
        title: str,
        mission_id: str,
        external_status: str = "",
        binding_ref: str | None = None,
        idempotency_key: str | None = None,
        prefer: str | None = None,
    ) -> OriginBindResponse:
        """Create (or find) the authoritative MissionOriginLink on the SaaS.

        One `Idempotency-Key` is used for every retry of this call; a 202 is polled until the
        operation completes, fails, or the write deadline passes. The same origin again answers
        with the same `origin_link_id`.

        Raises:
            OriginAlreadyBoundError: the mission has a different origin.
            InvalidRequestError, APIStatusError, APIConnectionError, ContractViolationError.
        """
        fields: dict[str, Any] = {
            "provider": str(provider),
            "mission_id": mission_id,
            "external_issue_id": external_issue_id,
            "external_issue_key": external_issue_key,
            "external_issue_url": external_issue_url,
            "external_title": title,
            "external_status": external_status,
            "mission_slug": feature_slug,
        }
        if binding_ref is not None:
            fields["binding_ref"] = binding_ref
        if project_slug is not None:
            fields["project_slug"] = project_slug
        request = _request_model(OriginBindRequest, "OriginBindRequest", fields)
        body = _wire_body(wire.OriginBindRequest, request)
        key = idempotency_key or self._new_key()
        team = self._team()
        deadline = self._monotonic() + self.settings.write_deadline_seconds
        answer = self._exchange(
            "origin bind",
            lambda api: bind_api.sync_detailed(
                client=api,
                body=body,
                x_team_slug=team,
                idempotency_key=key,
                prefer=_unset(prefer),
            ),
            deadline=deadline,
        )
        _expect(answer, {200, 202})
        if answer.status_code == 202:
            operation = parse_contract(Operation, "Operation", answer.content, 202)
            result = self._await_operation(operation, deadline)
        else:
            result = parse_contract(OriginBindResponse, "OriginBindResponse", answer.content, 200)
        if result.mission_id != mission_id or result.external_issue_id != external_issue_id:
            raise ContractViolationError(
                "the bind answer names another mission or issue than the request",
                status_code=answer.status_code,
                problems=[f"mission_id={result.mission_id} issue={result.external_issue_id}"],
            )
        return result

    def get_operation(self, operation_id: str, *, deadline: float | None = None) -> Operation:
        """The current state of an asynchronous operation."""
        team = self._team()
        answer = self._exchange(
            "operation poll",
            lambda api: operation_api.sync_detailed(operation_id, client=api, x_team_slug=team),
            deadline=deadline or self._monotonic() + self.settings.search_deadline_seconds,
        )
        _expect(answer, {200})
        return parse_contract(Operation, "Operation", answer.content, 200)

    def send_event_batch(
        self, events: EventBatchRequest | Sequence[Mapping[str, Any]]
    ) -> EventBatchResponse:
        """Deliver one batch (gzip JSON, sync protocol 2.0); one result per event, in order."""
        if not isinstance(events, EventBatchRequest):
            events = _request_model(
                EventBatchRequest, "EventBatchRequest", {"events": [dict(e) for e in events]}
            )
        body = _wire_body(wire.EventBatchRequest, events)
        answer = self._exchange(
            "event batch",
            lambda api: ingest_event_batch.sync_detailed(
                client=api,
                body=body,
                x_spec_kitty_sync_protocol=SYNC_PROTOCOL,
                content_encoding="gzip",
            ),
            deadline=self._monotonic() + self.settings.events_deadline_seconds,
        )
        _expect(answer, {200})
        return parse_contract(EventBatchResponse, "EventBatchResponse", answer.content, 200)

    # -- internals ---------------------------------------------------------------------------

    def _team(self) -> str:
        if not self.settings.team:
            raise ConfigurationError(
                "No Spec Kitty team configured: set SPEC_KITTY_TEAM or pass team= in the settings."
            )
        return self.settings.team

    def _bearer(self, *, refresh: bool = False) -> str:
        provider = self.settings.token_provider
        if provider is None:
            raise ConfigurationError(
                "No Spec Kitty access token: run `spec-kitty auth login` or set SPEC_KITTY_API_TOKEN."
            )
        if refresh or self._token is None:
            self._token = provider.refresh() if refresh else provider.token()
        return self._token

    def _remember_response(self, response: httpx.Response) -> None:
        self._last_response = response

    def _await_operation(self, operation: Operation, deadline: float) -> OriginBindResponse:
        polls = 0
        while True:
            if operation.status == OperationStatus.completed:
                if operation.result is MISSING:
                    raise ContractViolationError(
                        "completed operation has no result", status_code=200, problems=["result"]
                    )
                return operation.result
            if operation.status == OperationStatus.failed:
                if operation.error is MISSING:
                    raise ContractViolationError(
                        "failed operation has no error", status_code=200, problems=["error"]
                    )
                error = operation.error
                assert not isinstance(error, type(MISSING))
                status = error_spec(error.error_code).status
                raise error_from_envelope(error, status_code=status)
            wait = operation.poll_after_seconds
            if wait is MISSING:
                wait = backoff_delay(polls, self._policy, self._random)
            assert isinstance(wait, float | int)
            if self._monotonic() + wait >= deadline:
                raise APITimeoutError(
                    f"operation {operation.operation_id} still {operation.status.value} "
                    "at the deadline; bind again later (the same origin is a no-op)"
                )
            self._sleep(float(wait))
            polls += 1
            polled = self.get_operation(operation.operation_id, deadline=deadline)
            if polled.operation_id != operation.operation_id:
                raise ContractViolationError(
                    "poll answered another operation", status_code=200, problems=["operation_id"]
                )
            operation = polled

    def _exchange(
        self, what: str, send: Callable[[ApiClient], Response[Any]], *, deadline: float
    ) -> _Answer:
        """One logical call: attempts, one token refresh, retries, all within `deadline`."""
        attempt = 0
        refreshed = False
        while True:
            remaining = deadline - self._monotonic()
            if remaining <= 0:
                raise APITimeoutError(f"{what}: the deadline passed before an answer")
            self._wire.timeout = attempt_timeout(self.settings, remaining)
            self._wire.headers["Authorization"] = f"Bearer {self._bearer()}"
            answer, failure = self._attempt(what, send)
            if answer is not None and 200 <= answer.status_code < 300:
                return answer
            if answer is not None and answer.status_code == 401 and not refreshed:
                refreshed = True
                self._refresh_token(failure)
                continue
            assert failure is not None
            status = answer.status_code if answer is not None else None
            body_wait = failure.retry_after_seconds if isinstance(failure, APIStatusError) else None
            delay = retry_delay(
                attempt=attempt,
                status_code=status,
                headers=answer.headers if answer is not None else {},
                body_retry_after=body_wait,
                policy=self._policy,
                now=self._now(),
                random=self._random,
            )
            if delay is None or self._monotonic() + delay >= deadline:
                raise failure
            self._sleep(delay)
            attempt += 1

    def _attempt(
        self, what: str, send: Callable[[ApiClient], Response[Any]]
    ) -> tuple[_Answer | None, SpecKittySaaSError | None]:
        self._last_response = None
        try:
            response = send(self._api)
            answer = _Answer(int(response.status_code), response.content, response.headers)
        except httpx.TimeoutException as exc:
            return None, _wrap(APITimeoutError(f"{what}: timed out talking to the SaaS"), exc)
        except httpx.TransportError as exc:
            url = self.settings.base_url
            return None, _wrap(APIConnectionError(f"{what}: cannot reach the SaaS at {url}"), exc)
        except (ValueError, KeyError, TypeError) as exc:
            # The generated parser refused the body; judge the raw answer ourselves.
            raw = self._last_response
            if raw is None:
                raise ContractViolationError(
                    f"{what}: the generated client failed: {exc!r}",
                    problems=[repr(exc)],
                ) from exc
            answer = _Answer(raw.status_code, raw.content, raw.headers)
        if 200 <= answer.status_code < 300:
            return answer, None
        envelope = parse_envelope(answer.content)
        if envelope is None and answer.status_code not in RETRYABLE_STATUSES | {401}:
            raise ContractViolationError(
                f"{what}: HTTP {answer.status_code} without the contract's error envelope",
                status_code=answer.status_code,
                problems=["body is not an ErrorEnvelope"],
            )
        error = error_from_envelope(
            envelope, status_code=answer.status_code, headers=answer.headers
        )
        return answer, error

    def _refresh_token(self, failure: SpecKittySaaSError | None) -> None:
        try:
            self._bearer(refresh=True)
        except SpecKittySaaSError:
            raise
        except Exception as exc:
            error = failure if isinstance(failure, AuthenticationError) else None
            raise AuthenticationError(
                "The Spec Kitty session expired and could not be refreshed: "
                "run `spec-kitty auth login`.",
                status_code=401,
                error_code="unauthenticated",
                user_action_required=True,
                envelope=error.envelope if error is not None else None,
            ) from exc


def _wrap(error: SpecKittySaaSError, cause: BaseException) -> SpecKittySaaSError:
    error.__cause__ = cause
    return error


def _unset(value: str | None) -> Any:
    return UNSET if value is None else value


def _expect(answer: _Answer, statuses: set[int]) -> None:
    if answer.status_code not in statuses:
        raise ContractViolationError(
            f"HTTP {answer.status_code} is not a documented success status here",
            status_code=answer.status_code,
            problems=[f"expected one of {sorted(statuses)}"],
        )


def _request_model(model: type[M], component: ComponentName, fields: dict[str, Any]) -> M:
    problems = [error.message for error in validator(component).iter_errors(fields)]
    if problems:
        raise InvalidRequestError(f"invalid {component}: {'; '.join(problems)}")
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidRequestError(f"invalid {component}: {exc}") from exc


def _wire_body(wire_model: Any, request: BaseModel) -> Any:
    try:
        return wire_model.from_dict(request.model_dump(mode="json"))
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidRequestError(f"the generated client refused the request: {exc!r}") from exc
