"""The HTTP seam: httpx wiring for the generated `kitty_saas_api` functions, and contract parsing.

Everything httpx-specific lives here, so a move to another HTTP stack touches one module. The
caller injects either an `httpx.Client` (e.g. Starlette's `TestClient`) or an
`httpx.BaseTransport` (e.g. `httpx.MockTransport`); the client always talks through its own
`WireClient`, which carries the auth headers, the per-attempt timeout and gzip.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from kitty_contracts.validation import ComponentName, validator
from pydantic import BaseModel, ValidationError

from .answer import AnswerLimits, decode_json
from .deadline import DeadlineHTTPTransport
from .errors import ContractViolationError
from .settings import ClientSettings
from .tracker_config import allowed_providers

ModelT = TypeVar("ModelT", bound=BaseModel)
_GZIP_MAGIC = b"\x1f\x8b"


class HttpClientTransport(httpx.BaseTransport):
    """Lets an injected `httpx.Client` (e.g. Starlette's `TestClient`) serve as a transport."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        # Streamed, so the raw (still encoded) body reaches `answer.read_body` untouched.
        inner = self._client.send(request, stream=True)
        return httpx.Response(
            inner.status_code,
            headers=inner.headers,
            stream=inner.stream,
            extensions=inner.extensions,
        )

    def close(self) -> None:
        """The injected client belongs to the caller; it is not closed here."""


class GzipRequestTransport(httpx.BaseTransport):
    """Compresses a request body whose `Content-Encoding: gzip` header is set but not yet applied.

    The generated endpoint functions only know JSON bodies; the events batch wants gzip on the
    wire, so the compression happens here, below them.
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("content-encoding", "").lower() == "gzip":
            body = request.read()
            if not body.startswith(_GZIP_MAGIC):
                headers = {k: v for k, v in request.headers.items() if k != "content-length"}
                request = httpx.Request(
                    request.method,
                    request.url,
                    headers=headers,
                    content=gzip.compress(body, mtime=0),
                    extensions=request.extensions,
                )
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


ORIGIN_PROVIDERS_HEADER = "X-Kitty-Origin-Providers"
# Distinct request paths remembered as absolute URLs (ids in paths make them many in a long run).
_URLS = 256


class WireClient:
    """Sends the generated requests: built by an `httpx.Client` (base URL, default headers, the
    per-attempt timeout), then handed straight to its transport.

    Between the two sits none of `httpx.Client.send`'s cookie jar, auth flow or redirect loop:
    the SaaS is called with a bearer token, redirects are not followed, and a cookie an answer
    sets is never sent back.
    """

    def __init__(self, client: httpx.Client, transport: httpx.BaseTransport) -> None:
        self.client = client
        self._transport = transport
        self._urls: dict[str, httpx.URL] = {}

    def send(self, request: Mapping[str, Any]) -> httpx.Response:
        """The answer to one generated request (`_get_kwargs` output), its body still streaming.

        Raises: an `httpx.HTTPError` when the transport fails; RuntimeError once closed.
        """
        if self.client.is_closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        built = self.client.build_request(**{**request, "url": self._absolute(request["url"])})
        return self._transport.handle_request(built)

    def close(self) -> None:
        """Close the transport (an injected `httpx.Client` stays open: it is the caller's)."""
        self.client.close()

    def _absolute(self, url: str) -> httpx.URL:
        # The URL `build_request` would merge with the base URL: parsing it is most of what
        # building a request costs, and the paths repeat.
        absolute = self._urls.get(url)
        if absolute is None:
            relative = httpx.URL(url)
            absolute = relative
            if relative.is_relative_url:
                base = self.client.base_url
                absolute = base.copy_with(raw_path=base.raw_path + relative.raw_path.lstrip(b"/"))
            if len(self._urls) >= _URLS:
                self._urls.clear()
            self._urls[url] = absolute
        return absolute


def build_wire_client(
    settings: ClientSettings,
    *,
    http_client: httpx.Client | None = None,
    transport: httpx.BaseTransport | None = None,
) -> WireClient:
    """The wire the generated functions use: base URL, user agent, timeouts, gzip."""
    if http_client is not None and transport is not None:
        raise ValueError("inject either http_client or transport, not both")
    inner: httpx.BaseTransport
    if http_client is not None:
        inner = HttpClientTransport(http_client)
    elif transport is not None:
        inner = transport
    else:
        inner = DeadlineHTTPTransport()
    sending = GzipRequestTransport(inner)
    client = httpx.Client(
        base_url=settings.base_url,
        transport=sending,
        # Only the encodings `answer.read_body` inflates itself, under its cap.
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "gzip, deflate",
            # The client's origin opt-in on every request: the SaaS refuses an operation on any
            # other provider, also one that names only a mission.
            ORIGIN_PROVIDERS_HEADER: ",".join(
                sorted(p.value for p in allowed_providers(allow_github=settings.allow_github))
            ),
        },
        timeout=attempt_timeout(settings, settings.timeout_seconds),
        follow_redirects=False,
    )
    return WireClient(client, sending)


def attempt_timeout(settings: ClientSettings, remaining: float) -> httpx.Timeout:
    """The timeout of one attempt: the configured one, capped by what is left of the deadline."""
    total = max(0.001, min(settings.timeout_seconds, remaining))
    return httpx.Timeout(total, connect=min(total, settings.connect_timeout_seconds))


def parse_contract(
    model: type[ModelT],
    component: ComponentName,
    content: bytes,
    status_code: int,
    limits: AnswerLimits | None = None,
) -> ModelT:
    """Validate decoded response bytes against the contract component and build the model.

    Raises:
        ContractViolationError: the body is not JSON, is nested too deep, or breaks the schema.
    """
    raw = decode_json(content, status_code, limits or AnswerLimits())
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator(component).iter_errors(raw)
    ]
    if problems:
        raise ContractViolationError(
            f"HTTP {status_code} answer breaks {component}: {problems[0]}",
            status_code=status_code,
            problems=problems,
        )
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise ContractViolationError(
            f"HTTP {status_code} answer breaks {component}",
            status_code=status_code,
            problems=[str(exc)],
        ) from exc
