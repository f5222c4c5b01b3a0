# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ErrorCode = Literal[
    "contract_violation",
    "forbidden",
    "idempotency_key_reused",
    "internal_error",
    "invalid_query",
    "malformed_request",
    "method_not_allowed",
    "not_found",
    "operation_not_found",
    "origin_already_bound",
    "origin_not_found",
    "payload_too_large",
    "protocol_mismatch",
    "provider_timeout",
    "provider_unavailable",
    "rate_limited",
    "refresh_token_invalid",
    "resource_mapping_not_found",
    "service_unavailable",
    "ticket_not_found",
    "ticket_out_of_scope",
    "unauthenticated",
    "unsupported_provider",
    "user_link_required",
    "validation_failed",
]

ERROR_CODE_VALUES: set[ErrorCode] = {
    "contract_violation",
    "forbidden",
    "idempotency_key_reused",
    "internal_error",
    "invalid_query",
    "malformed_request",
    "method_not_allowed",
    "not_found",
    "operation_not_found",
    "origin_already_bound",
    "origin_not_found",
    "payload_too_large",
    "protocol_mismatch",
    "provider_timeout",
    "provider_unavailable",
    "rate_limited",
    "refresh_token_invalid",
    "resource_mapping_not_found",
    "service_unavailable",
    "ticket_not_found",
    "ticket_out_of_scope",
    "unauthenticated",
    "unsupported_provider",
    "user_link_required",
    "validation_failed",
}


def check_error_code(value: str) -> ErrorCode:
    if value in ERROR_CODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ERROR_CODE_VALUES!r}")
