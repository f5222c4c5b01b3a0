# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.operation_status import OperationStatus, check_operation_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_envelope import ErrorEnvelope
    from ..models.origin_bind_response import OriginBindResponse


T = TypeVar("T", bound="Operation")


@_attrs_define
class Operation:
    """An asynchronous write accepted with 202. Poll until `completed` (then `result` holds the bind response) or `failed`
    (then `error` holds the envelope).

    """

    operation_id: str
    status: OperationStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    poll_after_seconds: float | Unset = UNSET
    result: OriginBindResponse | Unset = UNSET
    """ The stored MissionOriginLink. `outcome` says whether this call created it or found the same origin already
    bound. Key, URL, title and status are the tracker's canonical values, resolved by the SaaS through the mapped
    container's connector, never the client's claim. """
    error: ErrorEnvelope | Unset = UNSET
    """ The one error body of every non-2xx answer. """

    def to_dict(self) -> dict[str, Any]:
        operation_id = self.operation_id

        status: str = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        poll_after_seconds = self.poll_after_seconds

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "operation_id": operation_id,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if poll_after_seconds is not UNSET:
            field_dict["poll_after_seconds"] = poll_after_seconds
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_envelope import ErrorEnvelope
        from ..models.origin_bind_response import OriginBindResponse

        d = dict(src_dict)
        operation_id = d.pop("operation_id")

        status = check_operation_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        poll_after_seconds = d.pop("poll_after_seconds", UNSET)

        _result = d.pop("result", UNSET)
        result: OriginBindResponse | Unset
        if isinstance(_result, Unset):
            result = UNSET
        else:
            result = OriginBindResponse.from_dict(_result)

        _error = d.pop("error", UNSET)
        error: ErrorEnvelope | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = ErrorEnvelope.from_dict(_error)

        operation = cls(
            operation_id=operation_id,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            poll_after_seconds=poll_after_seconds,
            result=result,
            error=error,
        )

        return operation
