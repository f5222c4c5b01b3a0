# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_envelope_aggregate_type import (
    EventEnvelopeAggregateType,
    check_event_envelope_aggregate_type,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.event_envelope_payload import EventEnvelopePayload


T = TypeVar("T", bound="EventEnvelope")


@_attrs_define
class EventEnvelope:
    """One event as delivered in a batch (spec-kitty event envelope 3.x plus delivery fields). Other event types pass with
    any object payload; the payload of an event type named in `x-event-payloads` must match that schema
    (MissionOriginBound's is also checked by the `if`/`then` below). Aggregate of the origin events: the mission,
    `aggregate_type: Mission` with `aggregate_id` = its `mission_id` (ULID), not spec 061's `Feature`/`feature_slug`:
    C-004 keeps "Feature" out of product language, upstream's AggregateType has no Feature, and a slug can be renumbered
    while the ULID never changes; the slug travels in `payload.mission_slug`.

    """

    event_id: str
    """ A ULID: 48-bit millisecond time and 80 random bits in upper-case Crockford base32 (26 characters). """
    event_type: str
    aggregate_id: str
    payload: EventEnvelopePayload
    timestamp: datetime.datetime
    aggregate_type: EventEnvelopeAggregateType | Unset = UNSET
    schema_version: str | Unset = UNSET
    build_id: str | Unset | None = UNSET
    node_id: str | Unset | None = UNSET
    lamport_clock: int | Unset | None = UNSET
    causation_id: str | Unset | None = UNSET
    correlation_id: str | Unset | None = UNSET
    team_slug: str | Unset | None = UNSET
    project_uuid: str | Unset | None = UNSET
    project_slug: str | Unset | None = UNSET
    git_branch: str | Unset | None = UNSET
    head_commit_sha: str | Unset | None = UNSET
    repo_slug: str | Unset | None = UNSET
    drain_blocked_reason: str | Unset | None = UNSET
    type_: Literal["event"] | Unset = UNSET
    spec_kitty_delivery_identity: str | Unset | None = UNSET
    admission_generation: int | Unset | None = UNSET
    binding_audience: str | Unset | None = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_id = self.event_id

        event_type = self.event_type

        aggregate_id = self.aggregate_id

        payload = self.payload.to_dict()

        timestamp = self.timestamp.isoformat()

        aggregate_type: str | Unset = UNSET
        if not isinstance(self.aggregate_type, Unset):
            aggregate_type = self.aggregate_type

        schema_version = self.schema_version

        build_id: str | Unset | None
        if isinstance(self.build_id, Unset):
            build_id = UNSET
        else:
            build_id = self.build_id

        node_id: str | Unset | None
        if isinstance(self.node_id, Unset):
            node_id = UNSET
        else:
            node_id = self.node_id

        lamport_clock: int | Unset | None
        if isinstance(self.lamport_clock, Unset):
            lamport_clock = UNSET
        else:
            lamport_clock = self.lamport_clock

        causation_id: str | Unset | None
        if isinstance(self.causation_id, Unset):
            causation_id = UNSET
        else:
            causation_id = self.causation_id

        correlation_id: str | Unset | None
        if isinstance(self.correlation_id, Unset):
            correlation_id = UNSET
        else:
            correlation_id = self.correlation_id

        team_slug: str | Unset | None
        if isinstance(self.team_slug, Unset):
            team_slug = UNSET
        else:
            team_slug = self.team_slug

        project_uuid: str | Unset | None
        if isinstance(self.project_uuid, Unset):
            project_uuid = UNSET
        else:
            project_uuid = self.project_uuid

        project_slug: str | Unset | None
        if isinstance(self.project_slug, Unset):
            project_slug = UNSET
        else:
            project_slug = self.project_slug

        git_branch: str | Unset | None
        if isinstance(self.git_branch, Unset):
            git_branch = UNSET
        else:
            git_branch = self.git_branch

        head_commit_sha: str | Unset | None
        if isinstance(self.head_commit_sha, Unset):
            head_commit_sha = UNSET
        else:
            head_commit_sha = self.head_commit_sha

        repo_slug: str | Unset | None
        if isinstance(self.repo_slug, Unset):
            repo_slug = UNSET
        else:
            repo_slug = self.repo_slug

        drain_blocked_reason: str | Unset | None
        if isinstance(self.drain_blocked_reason, Unset):
            drain_blocked_reason = UNSET
        else:
            drain_blocked_reason = self.drain_blocked_reason

        type_ = self.type_

        spec_kitty_delivery_identity: str | Unset | None
        if isinstance(self.spec_kitty_delivery_identity, Unset):
            spec_kitty_delivery_identity = UNSET
        else:
            spec_kitty_delivery_identity = self.spec_kitty_delivery_identity

        admission_generation: int | Unset | None
        if isinstance(self.admission_generation, Unset):
            admission_generation = UNSET
        else:
            admission_generation = self.admission_generation

        binding_audience: str | Unset | None
        if isinstance(self.binding_audience, Unset):
            binding_audience = UNSET
        else:
            binding_audience = self.binding_audience

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_id": event_id,
                "event_type": event_type,
                "aggregate_id": aggregate_id,
                "payload": payload,
                "timestamp": timestamp,
            }
        )
        if aggregate_type is not UNSET:
            field_dict["aggregate_type"] = aggregate_type
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version
        if build_id is not UNSET:
            field_dict["build_id"] = build_id
        if node_id is not UNSET:
            field_dict["node_id"] = node_id
        if lamport_clock is not UNSET:
            field_dict["lamport_clock"] = lamport_clock
        if causation_id is not UNSET:
            field_dict["causation_id"] = causation_id
        if correlation_id is not UNSET:
            field_dict["correlation_id"] = correlation_id
        if team_slug is not UNSET:
            field_dict["team_slug"] = team_slug
        if project_uuid is not UNSET:
            field_dict["project_uuid"] = project_uuid
        if project_slug is not UNSET:
            field_dict["project_slug"] = project_slug
        if git_branch is not UNSET:
            field_dict["git_branch"] = git_branch
        if head_commit_sha is not UNSET:
            field_dict["head_commit_sha"] = head_commit_sha
        if repo_slug is not UNSET:
            field_dict["repo_slug"] = repo_slug
        if drain_blocked_reason is not UNSET:
            field_dict["drain_blocked_reason"] = drain_blocked_reason
        if type_ is not UNSET:
            field_dict["type"] = type_
        if spec_kitty_delivery_identity is not UNSET:
            field_dict["spec_kitty_delivery_identity"] = spec_kitty_delivery_identity
        if admission_generation is not UNSET:
            field_dict["admission_generation"] = admission_generation
        if binding_audience is not UNSET:
            field_dict["binding_audience"] = binding_audience

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_envelope_payload import EventEnvelopePayload

        d = dict(src_dict)
        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        aggregate_id = d.pop("aggregate_id")

        payload = EventEnvelopePayload.from_dict(d.pop("payload"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        _aggregate_type = d.pop("aggregate_type", UNSET)
        aggregate_type: EventEnvelopeAggregateType | Unset
        if isinstance(_aggregate_type, Unset):
            aggregate_type = UNSET
        else:
            aggregate_type = check_event_envelope_aggregate_type(_aggregate_type)

        schema_version = d.pop("schema_version", UNSET)

        def _parse_build_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        build_id = _parse_build_id(d.pop("build_id", UNSET))

        def _parse_node_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        node_id = _parse_node_id(d.pop("node_id", UNSET))

        def _parse_lamport_clock(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        lamport_clock = _parse_lamport_clock(d.pop("lamport_clock", UNSET))

        def _parse_causation_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        causation_id = _parse_causation_id(d.pop("causation_id", UNSET))

        def _parse_correlation_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        correlation_id = _parse_correlation_id(d.pop("correlation_id", UNSET))

        def _parse_team_slug(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        team_slug = _parse_team_slug(d.pop("team_slug", UNSET))

        def _parse_project_uuid(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_uuid = _parse_project_uuid(d.pop("project_uuid", UNSET))

        def _parse_project_slug(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        project_slug = _parse_project_slug(d.pop("project_slug", UNSET))

        def _parse_git_branch(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        git_branch = _parse_git_branch(d.pop("git_branch", UNSET))

        def _parse_head_commit_sha(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        head_commit_sha = _parse_head_commit_sha(d.pop("head_commit_sha", UNSET))

        def _parse_repo_slug(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        repo_slug = _parse_repo_slug(d.pop("repo_slug", UNSET))

        def _parse_drain_blocked_reason(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        drain_blocked_reason = _parse_drain_blocked_reason(d.pop("drain_blocked_reason", UNSET))

        type_ = cast(Literal["event"] | Unset, d.pop("type", UNSET))
        if type_ != "event" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'event', got '{type_}'")

        def _parse_spec_kitty_delivery_identity(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        spec_kitty_delivery_identity = _parse_spec_kitty_delivery_identity(
            d.pop("spec_kitty_delivery_identity", UNSET)
        )

        def _parse_admission_generation(data: object) -> int | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        admission_generation = _parse_admission_generation(d.pop("admission_generation", UNSET))

        def _parse_binding_audience(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        binding_audience = _parse_binding_audience(d.pop("binding_audience", UNSET))

        event_envelope = cls(
            event_id=event_id,
            event_type=event_type,
            aggregate_id=aggregate_id,
            payload=payload,
            timestamp=timestamp,
            aggregate_type=aggregate_type,
            schema_version=schema_version,
            build_id=build_id,
            node_id=node_id,
            lamport_clock=lamport_clock,
            causation_id=causation_id,
            correlation_id=correlation_id,
            team_slug=team_slug,
            project_uuid=project_uuid,
            project_slug=project_slug,
            git_branch=git_branch,
            head_commit_sha=head_commit_sha,
            repo_slug=repo_slug,
            drain_blocked_reason=drain_blocked_reason,
            type_=type_,
            spec_kitty_delivery_identity=spec_kitty_delivery_identity,
            admission_generation=admission_generation,
            binding_audience=binding_audience,
        )

        event_envelope.additional_properties = d
        return event_envelope

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
