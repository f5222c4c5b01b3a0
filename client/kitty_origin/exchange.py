"""One logical call to the SaaS: attempts, one token refresh, retries and 202 polling, in a deadline.

Requests are the generated `kitty_saas_api` endpoint builders' output (method, path, headers,
typed body); answers are streamed through `answer.read_body` (deadline, byte cap) and judged
here once: a 2xx is returned for the caller to parse against the contract, anything else
becomes the typed error of the `SpecKittySaaSError` tree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import httpx
from kitty_contracts import Operation, OperationStatus, OriginBindResponse
from kitty_contracts.error_catalogue import error_spec
from kitty_contracts.validation import ComponentName
from pydantic import MISSING, BaseModel

from .answer import AnswerLimits, decode_json, read_body
from .deadline import wall_clock_deadline
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    ContractViolationError,
    SpecKittySaaSError,
    error_from_envelope,
    parse_envelope,
)
from .logs import LOGGER_NAME
from .retry import RETRYABLE_STATUSES, RetryPolicy, backoff_delay, retry_delay
from .settings import ClientSettings
from .transport import WireClient, attempt_timeout, parse_contract

logger = logging.getLogger(LOGGER_NAME)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Answer:
    """A decoded answer: status, body bytes (inflated, within the cap), headers, request id."""

    status_code: int
    content: bytes
    headers: Mapping[str, str]
    request_id: str | None


class Exchange:
    """Sends generated requests over the wire client and judges the answers (see module doc)."""

    def __init__(
        self,
        settings: ClientSettings,
        wire: WireClient,
        *,
        monotonic: Callable[[], float],
        sleep: Callable[[float], None],
        random: Callable[[], float],
        now: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.policy = RetryPolicy(
            max_retries=settings.max_retries,
            backoff_initial_seconds=settings.backoff_initial_seconds,
            backoff_max_seconds=settings.backoff_max_seconds,
            retry_after_cap_seconds=settings.retry_after_cap_seconds,
        )
        self.limits = AnswerLimits(settings.max_answer_bytes, settings.max_json_depth)
        self.monotonic = monotonic
        self.sleep = sleep
        self.random = random
        self._wire = wire
        self._now = now
        self._token: str | None = None
        self._sent_bearer: str | None = None  # the Authorization the wire carries now

    def parse(self, model: type[M], component: ComponentName, answer: Answer) -> M:
        """The answer as the contract's model, or a ContractViolationError naming its request."""
        try:
            return parse_contract(model, component, answer.content, answer.status_code, self.limits)
        except ContractViolationError as exc:
            exc.request_id = answer.request_id
            raise

    def call(self, what: str, request: Mapping[str, Any], *, deadline: float) -> Answer:
        """One logical call of a generated request (`_get_kwargs` output) within `deadline`.

        Raises:
            APITimeoutError: the deadline passed (also mid-body); never a late success.
            APIStatusError (typed by status and code), APIConnectionError,
            ContractViolationError, ConfigurationError.
        """
        attempt = 0
        refreshed = False
        answered: APIStatusError | None = None  # the last error answer, for a later timeout
        while True:
            left = deadline - self.monotonic()
            if left <= 0:
                raise _after(
                    APITimeoutError(f"{what}: the deadline passed before an answer"), answered
                )
            self._wire.client.timeout = attempt_timeout(self.settings, left)
            bearer = f"Bearer {self._bearer()}"
            if bearer != self._sent_bearer:  # httpx re-encodes every header on a set
                self._wire.client.headers["Authorization"] = self._sent_bearer = bearer
            answer, failure = self._attempt(what, request, deadline)
            if failure is None:
                assert answer is not None
                return answer
            if isinstance(failure, APITimeoutError):
                failure = _after(failure, answered)
            elif isinstance(failure, APIStatusError):
                answered = failure
            if answer is not None and answer.status_code == 401 and not refreshed:
                refreshed = True
                self._refresh_token(failure)
                continue
            status = answer.status_code if answer is not None else None
            body_wait = failure.retry_after_seconds if isinstance(failure, APIStatusError) else None
            delay = retry_delay(
                attempt=attempt,
                status_code=status,
                headers=answer.headers if answer is not None else {},
                body_retry_after=body_wait,
                policy=self.policy,
                now=self._now(),
                random=self.random,
            )
            if delay is None or self.monotonic() + delay >= deadline:
                raise failure
            logger.info(
                "%s: retry %d in %.2fs after %s (request_id=%s)",
                what,
                attempt + 1,
                delay,
                type(failure).__name__,
                failure.request_id,
                extra={"request_id": failure.request_id},
            )
            self.sleep(delay)
            attempt += 1

    def await_operation(
        self, operation: Operation, deadline: float, poll: Callable[[str], Operation]
    ) -> OriginBindResponse:
        """Poll an accepted (202) operation until it completes, fails, or the deadline passes.

        Raises:
            APITimeoutError: still running at the deadline (binding again later is a no-op).
            The typed error of a failed operation; ContractViolationError for a broken one.
        """
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
                wait = backoff_delay(polls, self.policy, self.random)
            assert isinstance(wait, float | int)
            if self.monotonic() + wait >= deadline:
                raise APITimeoutError(
                    f"operation {operation.operation_id} still {operation.status.value} "
                    "at the deadline; bind again later (the same origin is a no-op)"
                )
            self.sleep(float(wait))
            polls += 1
            polled = poll(operation.operation_id)
            if polled.operation_id != operation.operation_id:
                raise ContractViolationError(
                    "poll answered another operation", status_code=200, problems=["operation_id"]
                )
            operation = polled

    def _attempt(
        self, what: str, request: Mapping[str, Any], deadline: float
    ) -> tuple[Answer | None, SpecKittySaaSError | None]:
        def seconds_left() -> float:
            return deadline - self.monotonic()

        try:
            with wall_clock_deadline(seconds_left()):
                response = self._wire.send(request)
                try:
                    request_id = response.headers.get("x-request-id")
                    try:
                        content = read_body(
                            response, self.limits, seconds_left=seconds_left, what=what
                        )
                    except SpecKittySaaSError as exc:
                        exc.request_id = request_id
                        raise
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            if seconds_left() <= 0:
                message = f"{what}: no complete answer before the call's deadline"
            else:
                message = f"{what}: an attempt timed out talking to the SaaS"
            return None, _caused(APITimeoutError(message), exc)
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            url = self.settings.base_url
            error = APIConnectionError(f"{what}: cannot reach the SaaS at {url} ({exc!r})")
            return None, _caused(error, exc)
        answer = Answer(response.status_code, content, response.headers, request_id)
        logger.debug(
            "%s: HTTP %d, %d bytes (request_id=%s)",
            what,
            answer.status_code,
            len(content),
            request_id,
            extra={"request_id": request_id},
        )
        if 200 <= answer.status_code < 300:
            return answer, None
        return answer, self._status_error(what, answer)

    def _status_error(self, what: str, answer: Answer) -> SpecKittySaaSError:
        status = answer.status_code
        try:
            decode_json(answer.content, status, self.limits)  # bounded before any other parse
            envelope = parse_envelope(answer.content)
        except ContractViolationError:
            envelope = None
        if envelope is None and status not in RETRYABLE_STATUSES | {401}:
            error: SpecKittySaaSError = ContractViolationError(
                f"{what}: HTTP {status} without the contract's error envelope",
                status_code=status,
                problems=["body is not an ErrorEnvelope"],
            )
            error.request_id = answer.request_id
            raise error
        error = error_from_envelope(envelope, status_code=status, headers=answer.headers)
        if error.request_id is None:
            error.request_id = answer.request_id
        return error

    def _bearer(self, *, refresh: bool = False) -> str:
        provider = self.settings.token_provider
        if provider is None:
            raise ConfigurationError(
                "No Spec Kitty access token: run `spec-kitty auth login` or set SPEC_KITTY_API_TOKEN."
            )
        if refresh or self._token is None:
            try:
                self._token = provider.refresh() if refresh else provider.token()
            except SpecKittySaaSError:
                raise
            except Exception as exc:
                raise AuthenticationError(
                    "The Spec Kitty access token could not be obtained: "
                    "run `spec-kitty auth login`.",
                    status_code=401,
                    error_code="unauthenticated",
                    user_action_required=True,
                ) from exc
        return self._token

    def _refresh_token(self, failure: SpecKittySaaSError) -> None:
        try:
            self._bearer(refresh=True)
        except AuthenticationError as exc:
            envelope = failure.envelope if isinstance(failure, AuthenticationError) else None
            raise AuthenticationError(
                "The Spec Kitty session expired and could not be refreshed: "
                "run `spec-kitty auth login`.",
                status_code=401,
                error_code="unauthenticated",
                user_action_required=True,
                request_id=failure.request_id,
                envelope=envelope,
            ) from exc.__cause__


def _caused(error: SpecKittySaaSError, cause: BaseException) -> SpecKittySaaSError:
    error.__cause__ = cause
    return error


def _after(timeout: APITimeoutError, answered: APIStatusError | None) -> APITimeoutError:
    """`timeout`, naming the error answer of the attempt before it (a retry ran out of time):
    a hung tracker's 504 `provider_timeout` is what the caller needs to read."""
    if answered is None:
        return timeout
    timeout.message = (
        f"{timeout.message}; the attempt before was HTTP {answered.status_code} "
        f"{answered.error_code}: {answered.message}"
    )
    timeout.args = (timeout.message,)
    timeout.__cause__ = answered
    return timeout
