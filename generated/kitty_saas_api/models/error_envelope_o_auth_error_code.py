# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ErrorEnvelopeOAuthErrorCode = Literal[
    "invalid_grant", "invalid_request", "session_invalid", "unsupported_grant_type"
]

ERROR_ENVELOPE_O_AUTH_ERROR_CODE_VALUES: set[ErrorEnvelopeOAuthErrorCode] = {
    "invalid_grant",
    "invalid_request",
    "session_invalid",
    "unsupported_grant_type",
}


def check_error_envelope_o_auth_error_code(value: str) -> ErrorEnvelopeOAuthErrorCode:
    if value in ERROR_ENVELOPE_O_AUTH_ERROR_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ERROR_ENVELOPE_O_AUTH_ERROR_CODE_VALUES!r}"
    )
