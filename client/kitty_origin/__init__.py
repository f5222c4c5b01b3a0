"""Spec Kitty ticket-first origin binding: the hand-written client layer over the SaaS contract.

Importing this package has no side effect: no file, socket, thread or environment access.
`CONTRACT_VERSION` is the contract's `info.version` this SDK was generated from; the SDK's major
version follows the contract's major.
"""

from kitty_contracts.contract_version import CONTRACT_VERSION

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CapabilityNotSupportedError,
    ConfigurationError,
    ConflictError,
    ContractViolationError,
    InternalServerError,
    InvalidQueryError,
    InvalidRequestError,
    MissionCreationError,
    MissionMetaError,
    NotFoundError,
    NoTrackerBindingError,
    OperationNotFoundError,
    OriginAlreadyBoundError,
    OriginNotFoundError,
    OutboxError,
    PayloadTooLargeError,
    PermissionDeniedError,
    ProtocolMismatchError,
    ProviderRejectedError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSUnavailableError,
    SpecKittySaaSError,
    StatusNotSupportedError,
    TicketNotFoundError,
    TicketOutOfScopeError,
    TrackerConfigError,
    UnprocessableEntityError,
    UnsupportedProviderError,
    UserLinkRequiredError,
)
from .events import build_mission_origin_bound
from .feature_metadata import clear_origin_ticket, set_origin_ticket
from .meta_store import read_meta, write_meta
from .missions import derive_mission_slug
from .origin import (
    bind_mission_origin,
    bind_origin,
    flush_events,
    search_origin_candidates,
    start_mission_from_ticket,
)
from .origin_link import (
    get_mission_origin,
    read_origin_status,
    refresh_mission_origin,
    sync_mission_status_to_origin,
    unbind_mission_origin,
)
from .outbox import EventOutbox, FlushResult, RejectedEvent, flush_outbox
from .results import (
    BindOriginResult,
    MissionFromTicketResult,
    RefreshOriginResult,
    SearchOriginResult,
    UnbindOriginResult,
)
from .settings import ClientSettings, StaticTokenProvider, TokenProvider
from .tracker_client import SaaSTrackerClient
from .ulid import new_ulid

__all__ = [
    "CONTRACT_VERSION",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BindOriginResult",
    "CapabilityNotSupportedError",
    "ClientSettings",
    "ConfigurationError",
    "ConflictError",
    "ContractViolationError",
    "EventOutbox",
    "FlushResult",
    "InternalServerError",
    "InvalidQueryError",
    "InvalidRequestError",
    "MissionCreationError",
    "MissionFromTicketResult",
    "MissionMetaError",
    "NoTrackerBindingError",
    "NotFoundError",
    "OperationNotFoundError",
    "OriginAlreadyBoundError",
    "OriginNotFoundError",
    "OutboxError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ProtocolMismatchError",
    "ProviderRejectedError",
    "RateLimitError",
    "RefreshOriginResult",
    "RejectedEvent",
    "ResourceMappingNotFoundError",
    "SaaSTrackerClient",
    "SaaSUnavailableError",
    "SearchOriginResult",
    "SpecKittySaaSError",
    "StaticTokenProvider",
    "StatusNotSupportedError",
    "TicketNotFoundError",
    "TicketOutOfScopeError",
    "TokenProvider",
    "TrackerConfigError",
    "UnbindOriginResult",
    "UnprocessableEntityError",
    "UnsupportedProviderError",
    "UserLinkRequiredError",
    "bind_mission_origin",
    "bind_origin",
    "build_mission_origin_bound",
    "clear_origin_ticket",
    "derive_mission_slug",
    "flush_events",
    "flush_outbox",
    "get_mission_origin",
    "new_ulid",
    "read_meta",
    "read_origin_status",
    "refresh_mission_origin",
    "search_origin_candidates",
    "set_origin_ticket",
    "start_mission_from_ticket",
    "sync_mission_status_to_origin",
    "unbind_mission_origin",
    "write_meta",
]
