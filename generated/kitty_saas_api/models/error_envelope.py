# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.error_category import ErrorCategory, check_error_category
from ..models.error_code import ErrorCode, check_error_code
from ..models.error_envelope_effect_certainty import (
    ErrorEnvelopeEffectCertainty,
    check_error_envelope_effect_certainty,
)
from ..models.error_envelope_error_source import (
    ErrorEnvelopeErrorSource,
    check_error_envelope_error_source,
)
from ..models.error_envelope_o_auth_error_code import (
    ErrorEnvelopeOAuthErrorCode,
    check_error_envelope_o_auth_error_code,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_detail import ErrorDetail


T = TypeVar("T", bound="ErrorEnvelope")


@_attrs_define
class ErrorEnvelope:
    """The one error body of every non-2xx answer."""

    error_code: ErrorCode
    """ Stable machine code of an error. `x-error-catalogue` is the error catalogue, the one place these facts live:
    per code its HTTP `status`, `category` (an `ErrorCategory`), whether a retry may succeed (`retryable`), whether
    only the user can fix it (`user_action_required`), whether a bare status stands for this code (`status_default`,
    one per status) and a one-line `hint`. `make generate` refuses a catalogue whose codes differ from `enum`, and
    turns it into both runtimes' error tables and the README's. """
    message: str
    """ Human-readable; says what to do. """
    retryable: bool
    user_action_required: bool
    """ True when only the user can fix it (e.g. link an account in the dashboard). """
    error_category: ErrorCategory | Unset | None = UNSET
    code: ErrorCode | Unset = UNSET
    """ Stable machine code of an error. `x-error-catalogue` is the error catalogue, the one place these facts live:
    per code its HTTP `status`, `category` (an `ErrorCategory`), whether a retry may succeed (`retryable`), whether
    only the user can fix it (`user_action_required`), whether a bare status stands for this code (`status_default`,
    one per status) and a one-line `hint`. `make generate` refuses a catalogue whose codes differ from `enum`, and
    turns it into both runtimes' error tables and the README's. """
    category: ErrorCategory | Unset | None = UNSET
    """ The same value as `error_category`. """
    retry_after_seconds: float | Unset | None = UNSET
    source: ErrorEnvelopeErrorSource | Unset | None = UNSET
    """ Which side produced the error. """
    effect_certainty: ErrorEnvelopeEffectCertainty | Unset | None = UNSET
    """ `no_effect`: nothing was changed, the call may be repeated safely. """
    idempotency_key: str | Unset | None = UNSET
    """ Echo of the request's Idempotency-Key, when it had one. """
    operation_id: str | Unset | None = UNSET
    request_id: str | Unset | None = UNSET
    details: list[ErrorDetail] | Unset = UNSET
    error: ErrorEnvelopeOAuthErrorCode | Unset = UNSET
    """ RFC 6749 §5.2 error code, on `/oauth/token` answers only (clients of the OAuth flow read it). """

    def to_dict(self) -> dict[str, Any]:
        error_code: str = self.error_code

        message = self.message

        retryable = self.retryable

        user_action_required = self.user_action_required

        error_category: str | Unset | None
        if isinstance(self.error_category, Unset):
            error_category = UNSET
        elif isinstance(self.error_category, str):
            error_category = self.error_category
        else:
            error_category = self.error_category

        code: str | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code

        category: str | Unset | None
        if isinstance(self.category, Unset):
            category = UNSET
        elif isinstance(self.category, str):
            category = self.category
        else:
            category = self.category

        retry_after_seconds: float | Unset | None
        if isinstance(self.retry_after_seconds, Unset):
            retry_after_seconds = UNSET
        else:
            retry_after_seconds = self.retry_after_seconds

        source: str | Unset | None
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, str):
            source = self.source
        else:
            source = self.source

        effect_certainty: str | Unset | None
        if isinstance(self.effect_certainty, Unset):
            effect_certainty = UNSET
        elif isinstance(self.effect_certainty, str):
            effect_certainty = self.effect_certainty
        else:
            effect_certainty = self.effect_certainty

        idempotency_key: str | Unset | None
        if isinstance(self.idempotency_key, Unset):
            idempotency_key = UNSET
        else:
            idempotency_key = self.idempotency_key

        operation_id: str | Unset | None
        if isinstance(self.operation_id, Unset):
            operation_id = UNSET
        else:
            operation_id = self.operation_id

        request_id: str | Unset | None
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        details: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = []
            for details_item_data in self.details:
                details_item = details_item_data.to_dict()
                details.append(details_item)

        error: str | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "error_code": error_code,
                "message": message,
                "retryable": retryable,
                "user_action_required": user_action_required,
            }
        )
        if error_category is not UNSET:
            field_dict["error_category"] = error_category
        if code is not UNSET:
            field_dict["code"] = code
        if category is not UNSET:
            field_dict["category"] = category
        if retry_after_seconds is not UNSET:
            field_dict["retry_after_seconds"] = retry_after_seconds
        if source is not UNSET:
            field_dict["source"] = source
        if effect_certainty is not UNSET:
            field_dict["effect_certainty"] = effect_certainty
        if idempotency_key is not UNSET:
            field_dict["idempotency_key"] = idempotency_key
        if operation_id is not UNSET:
            field_dict["operation_id"] = operation_id
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if details is not UNSET:
            field_dict["details"] = details
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail import ErrorDetail

        d = dict(src_dict)
        error_code = check_error_code(d.pop("error_code"))

        message = d.pop("message")

        retryable = d.pop("retryable")

        user_action_required = d.pop("user_action_required")

        def _parse_error_category(data: object) -> ErrorCategory | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                error_category_type_0 = check_error_category(data)

                return error_category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorCategory | None | Unset, data)

        error_category = _parse_error_category(d.pop("error_category", UNSET))

        _code = d.pop("code", UNSET)
        code: ErrorCode | Unset
        if isinstance(_code, Unset):
            code = UNSET
        else:
            code = check_error_code(_code)

        def _parse_category(data: object) -> ErrorCategory | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                category_type_0 = check_error_category(data)

                return category_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorCategory | None | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_retry_after_seconds(data: object) -> float | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        retry_after_seconds = _parse_retry_after_seconds(d.pop("retry_after_seconds", UNSET))

        def _parse_source(data: object) -> ErrorEnvelopeErrorSource | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_error_source = check_error_envelope_error_source(data)

                return source_error_source
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorEnvelopeErrorSource | None | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_effect_certainty(data: object) -> ErrorEnvelopeEffectCertainty | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effect_certainty_effect_certainty = check_error_envelope_effect_certainty(data)

                return effect_certainty_effect_certainty
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorEnvelopeEffectCertainty | None | Unset, data)

        effect_certainty = _parse_effect_certainty(d.pop("effect_certainty", UNSET))

        def _parse_idempotency_key(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        idempotency_key = _parse_idempotency_key(d.pop("idempotency_key", UNSET))

        def _parse_operation_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        operation_id = _parse_operation_id(d.pop("operation_id", UNSET))

        def _parse_request_id(data: object) -> str | Unset | None:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        _details = d.pop("details", UNSET)
        details: list[ErrorDetail] | Unset = UNSET
        if _details is not UNSET:
            details = []
            for details_item_data in _details:
                details_item = ErrorDetail.from_dict(details_item_data)

                details.append(details_item)

        _error = d.pop("error", UNSET)
        error: ErrorEnvelopeOAuthErrorCode | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = check_error_envelope_o_auth_error_code(_error)

        error_envelope = cls(
            error_code=error_code,
            message=message,
            retryable=retryable,
            user_action_required=user_action_required,
            error_category=error_category,
            code=code,
            category=category,
            retry_after_seconds=retry_after_seconds,
            source=source,
            effect_certainty=effect_certainty,
            idempotency_key=idempotency_key,
            operation_id=operation_id,
            request_id=request_id,
            details=details,
            error=error,
        )

        return error_envelope
