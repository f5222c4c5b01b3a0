"""The one place connectors touch httpx: send, classify, retry inside a deadline.

Every transport failure and error status leaves this module as a `ConnectorError`; connectors
add provider rules through a `classify` hook (e.g. GitHub's rate-limit 403, Linear's errors
on HTTP 200) and may claim statuses they interpret themselves (`handled`, e.g. 301/404/410).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

import httpx
from kitty_contracts import Provider

from .errors import (
    AuthenticationFailedError,
    ConnectorError,
    InvalidQueryError,
    NotFoundError,
    PermissionDeniedError,
    ProviderProtocolError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from .retry import Clock, RetryPolicy, backoff_delay, rate_limit_delay

__all__ = ["Classifier", "ProviderClient", "classify_status", "json_body"]

log = logging.getLogger(__name__)
_PARSED_URLS = 256

# Provider rules run before the default mapping; `now` is the clock's UTC time.
Classifier = Callable[[httpx.Response, datetime], ConnectorError | None]


class ProviderClient:
    """A provider's shared `httpx.AsyncClient` plus the auth, policy and clock of one binding."""

    def __init__(
        self,
        provider: Provider,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        headers: Mapping[str, str],
        policy: RetryPolicy,
        clock: Clock,
        timeout: float | None = None,
        in_process: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self._http = http
        self._headers = dict(headers)
        self._policy = policy
        self._clock = clock
        self._timeout = timeout
        self._in_process = in_process
        # What `http` would send: its default headers updated with ours, as httpx merges them.
        self._sent_headers = http.headers.copy()
        self._sent_headers.update(self._headers)
        # Parsing a URL costs more than the rest of building the request; paths repeat.
        self._parsed_urls: dict[str, httpx.URL] = {}

    def __repr__(self) -> str:
        # Headers hold the credential: never part of the representation.
        return f"ProviderClient(provider={self.provider}, base_url={self.base_url!r})"

    def url(self, path: str) -> str:
        """An absolute URL for `path` (absolute URLs pass through, e.g. a redirect Location)."""
        if path.startswith(("http://", "https://")):
            return path
        if not path:
            return self.base_url
        return f"{self.base_url}/{path.lstrip('/')}"

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        classify: Classifier | None = None,
        handled: Collection[int] = (),
    ) -> httpx.Response:
        """Send one logical request, retrying transient failures within the policy's deadline.

        Returns the response when it is a 2xx or its status is in `handled`.
        Raises: a `ConnectorError` subclass for everything else.
        """
        started = self._clock.monotonic()
        attempt = 0
        while True:
            attempt += 1
            left = self._policy.deadline - (self._clock.monotonic() - started)
            error = await self._attempt(method, path, params, json, classify, handled, left)
            if isinstance(error, httpx.Response):
                return error
            if not error.retryable or attempt >= self._policy.max_attempts:
                raise error
            wait = (
                error.retry_after
                if isinstance(error, RateLimitedError) and error.retry_after is not None
                else backoff_delay(attempt, self._policy, self._clock)
            )
            remaining = self._policy.deadline - (self._clock.monotonic() - started)
            if wait > remaining:
                log.debug("%s: no retry, wait %.2fs exceeds the deadline", self.provider, wait)
                raise error
            log.debug("%s: retry %d in %.2fs after %r", self.provider, attempt, wait, error)
            await self._clock.sleep(wait)

    async def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json: Any,
        classify: Classifier | None,
        handled: Collection[int],
        left: float,
    ) -> httpx.Response | ConnectorError:
        try:
            response = await self._exchange(method, path, params, json, left)
        except httpx.TimeoutException as exc:
            return ProviderTimeoutError(
                f"{self.provider} did not answer in time ({type(exc).__name__})",
                provider=self.provider,
            )
        except httpx.TransportError as exc:
            return ProviderUnavailableError(
                f"{self.provider} could not be reached ({type(exc).__name__})",
                provider=self.provider,
            )
        error = classify(response, self._clock.now()) if classify is not None else None
        if error is not None:
            return error
        if response.is_success or response.status_code in handled:
            return response
        return classify_status(self.provider, response, self._clock)

    async def _exchange(
        self,
        method: str,
        path: str,
        params: Mapping[str, str | int] | None,
        json: Any,
        left: float,
    ) -> httpx.Response:
        if self._in_process is None:
            # No attempt outlives the call's deadline: a tracker that hangs costs at most what
            # is left of it, whatever `timeout_seconds` or the client's default allow.
            base = self._http.timeout if self._timeout is None else httpx.Timeout(self._timeout)
            timeout = httpx.Timeout(
                connect=_capped(base.connect, left),
                read=_capped(base.read, left),
                write=_capped(base.write, left),
                pool=_capped(base.pool, left),
            )
            return await self._http.request(
                method,
                self.url(path),
                params=params,
                json=json,
                headers=self._headers,
                timeout=timeout,
            )
        # A fake in this process: the same request (method, URL, headers, body), handed to its
        # transport without the client's cookie jar, auth flow and redirect loop, which a fake
        # never needs; there is no network to time out.
        url = self._parsed_urls.get(path)
        if url is None:
            if len(self._parsed_urls) >= _PARSED_URLS:
                self._parsed_urls.clear()
            url = self._parsed_urls[path] = httpx.URL(self.url(path))
        request = httpx.Request(method, url, params=params, json=json, headers=self._sent_headers)
        response = await self._in_process.handle_async_request(request)
        await response.aread()
        return response


def _capped(seconds: float | None, left: float) -> float:
    """An httpx timeout part, at most `left` seconds (None, no limit, becomes `left`)."""
    return max(0.001, left if seconds is None else min(seconds, left))


def classify_status(provider: Provider, response: httpx.Response, clock: Clock) -> ConnectorError:
    """The default mapping of an error status to the taxonomy."""
    status = response.status_code
    kwargs: dict[str, Any] = {"provider": provider, "status_code": status}
    if status == 401:
        return AuthenticationFailedError(f"{provider} rejected the credential", **kwargs)
    if status == 403:
        return PermissionDeniedError(f"{provider} denied access", **kwargs)
    if status in (404, 410):
        return NotFoundError(f"{provider} has no such resource", gone=status == 410, **kwargs)
    if status == 408:
        return ProviderTimeoutError(f"{provider} timed out the request", **kwargs)
    if status == 429:
        delay = rate_limit_delay(response.headers, clock.now())
        return RateLimitedError(f"{provider} rate limit exhausted", retry_after=delay, **kwargs)
    if status >= 500:
        return ProviderUnavailableError(f"{provider} answered {status}", **kwargs)
    if status in (400, 422):
        return InvalidQueryError(f"{provider} rejected the query ({status})", **kwargs)
    return ProviderProtocolError(f"{provider} answered an unexpected {status}", **kwargs)


def json_body(provider: Provider, response: httpx.Response) -> Any:
    """The decoded JSON body; ProviderProtocolError when it is not JSON."""
    try:
        return response.json()
    except ValueError as exc:
        raise ProviderProtocolError(
            f"{provider} answered {response.status_code} with a body that is not JSON",
            provider=provider,
            status_code=response.status_code,
        ) from exc
