# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.event_batch_request_events_item import EventBatchRequestEventsItem


T = TypeVar("T", bound="EventBatchRequest")


@_attrs_define
class EventBatchRequest:
    """A batch of events, sent as JSON or gzip-compressed JSON (`Content-Encoding: gzip`). Each item is checked on its own
    against EventEnvelope, so one bad event is rejected in `results` without failing the batch.

    """

    events: list[EventBatchRequestEventsItem]

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_batch_request_events_item import EventBatchRequestEventsItem

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = EventBatchRequestEventsItem.from_dict(events_item_data)

            events.append(events_item)

        event_batch_request = cls(
            events=events,
        )

        return event_batch_request
