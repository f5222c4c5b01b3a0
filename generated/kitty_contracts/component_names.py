# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""The names of the contract's `components.schemas`, as a type."""

from typing import Literal

ComponentName = Literal[
    "Provider",
    "ResourceType",
    "MatchType",
    "StatusCategory",
    "OriginCandidate",
    "IssueSearchRequest",
    "IssueSearchResponse",
    "OriginBindRequest",
    "OriginBindResponse",
    "OperationStatus",
    "Operation",
    "ErrorCode",
    "ErrorCategory",
    "ErrorDetail",
    "ErrorEnvelope",
    "MissionOriginBoundPayload",
    "EventEnvelope",
    "EventBatchRequest",
    "EventResult",
    "EventBatchResponse",
    "DossierPushRequest",
    "DossierPushResponse",
    "OriginTicket",
    "MissionMeta",
    "TrackerBinding",
    "KittifyConfig",
    "TaskTrackersConfig",
    "TokenRefreshRequest",
    "TokenResponse",
    "CurrentUser",
]
