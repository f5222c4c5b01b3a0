# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""Contains all the data models used in inputs/outputs"""

from .current_user import CurrentUser
from .current_user_team_membership import CurrentUserTeamMembership
from .current_user_team_membership_role import CurrentUserTeamMembershipRole
from .dossier_push_request import DossierPushRequest
from .dossier_push_response import DossierPushResponse
from .dossier_push_response_dossier_push_status import DossierPushResponseDossierPushStatus
from .error_category import ErrorCategory
from .error_code import ErrorCode
from .error_detail import ErrorDetail
from .error_envelope import ErrorEnvelope
from .error_envelope_effect_certainty import ErrorEnvelopeEffectCertainty
from .error_envelope_error_source import ErrorEnvelopeErrorSource
from .error_envelope_o_auth_error_code import ErrorEnvelopeOAuthErrorCode
from .event_batch_request import EventBatchRequest
from .event_batch_request_events_item import EventBatchRequestEventsItem
from .event_batch_response import EventBatchResponse
from .event_envelope import EventEnvelope
from .event_envelope_aggregate_type import EventEnvelopeAggregateType
from .event_envelope_payload import EventEnvelopePayload
from .event_result import EventResult
from .event_result_event_result_status import EventResultEventResultStatus
from .ingest_event_batch_content_encoding import IngestEventBatchContentEncoding
from .issue_search_request import IssueSearchRequest
from .issue_search_response import IssueSearchResponse
from .kittify_config import KittifyConfig
from .kittify_config_project_type_0 import KittifyConfigProjectType0
from .match_type import MatchType
from .mission_meta import MissionMeta
from .mission_origin_bound_payload import MissionOriginBoundPayload
from .mission_origin_unbound_payload import MissionOriginUnboundPayload
from .mission_type import MissionType
from .operation import Operation
from .operation_status import OperationStatus
from .origin_bind_request import OriginBindRequest
from .origin_bind_response import OriginBindResponse
from .origin_bind_response_bind_outcome import OriginBindResponseBindOutcome
from .origin_candidate import OriginCandidate
from .origin_link import OriginLink
from .origin_refresh_request import OriginRefreshRequest
from .origin_refresh_response import OriginRefreshResponse
from .origin_refresh_response_refreshed_field import OriginRefreshResponseRefreshedField
from .origin_status_response import OriginStatusResponse
from .origin_status_sync_request import OriginStatusSyncRequest
from .origin_status_sync_response import OriginStatusSyncResponse
from .origin_status_sync_response_status_sync_outcome import (
    OriginStatusSyncResponseStatusSyncOutcome,
)
from .origin_ticket import OriginTicket
from .origin_unbind_request import OriginUnbindRequest
from .origin_unbind_response import OriginUnbindResponse
from .origin_unbind_response_unbind_outcome import OriginUnbindResponseUnbindOutcome
from .provider import Provider
from .resource_type import ResourceType
from .spec_draft_request import SpecDraftRequest
from .spec_draft_response import SpecDraftResponse
from .status_category import StatusCategory
from .task_trackers_config import TaskTrackersConfig
from .task_trackers_config_task_trackers import TaskTrackersConfigTaskTrackers
from .task_trackers_config_task_trackers_github import TaskTrackersConfigTaskTrackersGithub
from .task_trackers_config_task_trackers_jira import TaskTrackersConfigTaskTrackersJira
from .task_trackers_config_task_trackers_linear import TaskTrackersConfigTaskTrackersLinear
from .ticket_missions_response import TicketMissionsResponse
from .token_refresh_request import TokenRefreshRequest
from .token_response import TokenResponse
from .tracker_binding import TrackerBinding
from .tracker_binding_egress_policy import TrackerBindingEgressPolicy
from .tracker_binding_provider_context_type_0 import TrackerBindingProviderContextType0
from .tracker_binding_tracker_provider import TrackerBindingTrackerProvider
from .work_package_lane import WorkPackageLane

__all__ = (
    "CurrentUser",
    "CurrentUserTeamMembership",
    "CurrentUserTeamMembershipRole",
    "DossierPushRequest",
    "DossierPushResponse",
    "DossierPushResponseDossierPushStatus",
    "ErrorCategory",
    "ErrorCode",
    "ErrorDetail",
    "ErrorEnvelope",
    "ErrorEnvelopeEffectCertainty",
    "ErrorEnvelopeErrorSource",
    "ErrorEnvelopeOAuthErrorCode",
    "EventBatchRequest",
    "EventBatchRequestEventsItem",
    "EventBatchResponse",
    "EventEnvelope",
    "EventEnvelopeAggregateType",
    "EventEnvelopePayload",
    "EventResult",
    "EventResultEventResultStatus",
    "IngestEventBatchContentEncoding",
    "IssueSearchRequest",
    "IssueSearchResponse",
    "KittifyConfig",
    "KittifyConfigProjectType0",
    "MatchType",
    "MissionMeta",
    "MissionOriginBoundPayload",
    "MissionOriginUnboundPayload",
    "MissionType",
    "Operation",
    "OperationStatus",
    "OriginBindRequest",
    "OriginBindResponse",
    "OriginBindResponseBindOutcome",
    "OriginCandidate",
    "OriginLink",
    "OriginRefreshRequest",
    "OriginRefreshResponse",
    "OriginRefreshResponseRefreshedField",
    "OriginStatusResponse",
    "OriginStatusSyncRequest",
    "OriginStatusSyncResponse",
    "OriginStatusSyncResponseStatusSyncOutcome",
    "OriginTicket",
    "OriginUnbindRequest",
    "OriginUnbindResponse",
    "OriginUnbindResponseUnbindOutcome",
    "Provider",
    "ResourceType",
    "SpecDraftRequest",
    "SpecDraftResponse",
    "StatusCategory",
    "TaskTrackersConfig",
    "TaskTrackersConfigTaskTrackers",
    "TaskTrackersConfigTaskTrackersGithub",
    "TaskTrackersConfigTaskTrackersJira",
    "TaskTrackersConfigTaskTrackersLinear",
    "TicketMissionsResponse",
    "TokenRefreshRequest",
    "TokenResponse",
    "TrackerBinding",
    "TrackerBindingEgressPolicy",
    "TrackerBindingProviderContextType0",
    "TrackerBindingTrackerProvider",
    "WorkPackageLane",
)
