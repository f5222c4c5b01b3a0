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
    OutboxError,
    PayloadTooLargeError,
    PermissionDeniedError,
    ProtocolMismatchError,
    ProviderRejectedError,
    RateLimitError,
    ResourceMappingNotFoundError,
    SaaSUnavailableError,
    SpecKittySaaSError,
    TrackerConfigError,
    UnprocessableEntityError,
    UnsupportedProviderError,
    UserLinkRequiredError,
)
from .events import build_mission_origin_bound
from .meta_store import read_meta, set_origin_ticket, write_meta
from .missions import derive_mission_slug
from .origin import (
    bind_mission_origin,
    bind_origin,
    flush_events,
    search_origin_candidates,
    start_mission_from_ticket,
)
from .outbox import EventOutbox, FlushResult, RejectedEvent, flush_outbox
from .results import BindOriginResult, MissionFromTicketResult, SearchOriginResult
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
    "OutboxError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ProtocolMismatchError",
    "ProviderRejectedError",
    "RateLimitError",
    "RejectedEvent",
    "ResourceMappingNotFoundError",
    "SaaSTrackerClient",
    "SaaSUnavailableError",
    "SearchOriginResult",
    "SpecKittySaaSError",
    "StaticTokenProvider",
    "TokenProvider",
    "TrackerConfigError",
    "UnprocessableEntityError",
    "UnsupportedProviderError",
    "UserLinkRequiredError",
    "bind_mission_origin",
    "bind_origin",
    "build_mission_origin_bound",
    "derive_mission_slug",
    "flush_events",
    "flush_outbox",
    "new_ulid",
    "read_meta",
    "search_origin_candidates",
    "set_origin_ticket",
    "start_mission_from_ticket",
    "write_meta",
]
