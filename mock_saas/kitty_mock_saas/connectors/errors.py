"""One error taxonomy for every tracker connector.

    ConnectorError
    ├── NotFoundError                 the issue does not exist, or this credential cannot see it
    ├── OutOfScopeError               it exists, but outside the bound project / team / repo
    ├── InvalidQueryError             the key or text is not valid for this provider
    ├── AuthenticationFailedError     the credential was rejected
    ├── PermissionDeniedError         the credential is valid but lacks access
    ├── RateLimitedError              the provider's budget is exhausted (`retry_after` seconds)
    ├── ProviderUnavailableError      connection failures and 5xx answers
    │   └── ProviderTimeoutError      the provider did not answer in time
    ├── ProviderProtocolError         the provider answered something we cannot read
    ├── CapabilityNotSupportedError   the tracker (or this connector) cannot do that
    └── TrackerConfigError            `config/task_trackers.yaml` or a credential is unusable

Messages never carry credentials or whole provider bodies; structured fields carry the details.
"""

from __future__ import annotations

from kitty_contracts import Provider

__all__ = [
    "AuthenticationFailedError",
    "CapabilityNotSupportedError",
    "ConnectorError",
    "InvalidQueryError",
    "NotFoundError",
    "OutOfScopeError",
    "PermissionDeniedError",
    "ProviderProtocolError",
    "ProviderTimeoutError",
    "ProviderUnavailableError",
    "RateLimitedError",
    "TrackerConfigError",
]


class ConnectorError(Exception):
    """Root of every error a tracker connector raises.

    `provider` names the tracker, `status_code` the HTTP status when one was received and
    `provider_code` the provider's own error code (e.g. Linear's `extensions.code`).
    """

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        provider: Provider | None = None,
        status_code: int | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.status_code = status_code
        self.provider_code = provider_code

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, provider={self.provider}, "
            f"status_code={self.status_code}, provider_code={self.provider_code!r})"
        )


class NotFoundError(ConnectorError):
    """The issue does not exist or is invisible to this credential (`gone` when deleted)."""

    def __init__(
        self,
        message: str,
        *,
        gone: bool = False,
        provider: Provider | None = None,
        status_code: int | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, status_code=status_code, provider_code=provider_code
        )
        self.gone = gone


class OutOfScopeError(ConnectorError):
    """The issue lives outside the bound container; `moved_to` is its new key when known."""

    def __init__(
        self,
        message: str,
        *,
        moved_to: str | None = None,
        provider: Provider | None = None,
        status_code: int | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, status_code=status_code, provider_code=provider_code
        )
        self.moved_to = moved_to


class InvalidQueryError(ConnectorError):
    """The key is malformed for this provider, or the provider rejected the query."""


class AuthenticationFailedError(ConnectorError):
    """The provider rejected the credential (HTTP 401 or an authentication GraphQL error)."""


class PermissionDeniedError(ConnectorError):
    """The credential is valid but may not do this (HTTP 403 that is not a rate limit)."""


class RateLimitedError(ConnectorError):
    """The provider's rate limit is exhausted; wait `retry_after` seconds (None when unknown)."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        provider: Provider | None = None,
        status_code: int | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, status_code=status_code, provider_code=provider_code
        )
        self.retry_after = retry_after


class ProviderUnavailableError(ConnectorError):
    """The provider could not be reached or answered with a server error."""

    retryable = True


class ProviderTimeoutError(ProviderUnavailableError):
    """The provider did not answer within the timeout or the retry deadline."""


class ProviderProtocolError(ConnectorError):
    """The provider answered with a status or body this connector cannot interpret."""


class CapabilityNotSupportedError(ConnectorError):
    """The operation is declared unsupported in the connector's `Capabilities`."""

    def __init__(
        self,
        message: str,
        *,
        capability: str,
        provider: Provider | None = None,
        status_code: int | None = None,
        provider_code: str | None = None,
    ) -> None:
        super().__init__(
            message, provider=provider, status_code=status_code, provider_code=provider_code
        )
        self.capability = capability


class TrackerConfigError(ConnectorError):
    """The tracker configuration is unusable; `path` and `field` say where."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.field = field
