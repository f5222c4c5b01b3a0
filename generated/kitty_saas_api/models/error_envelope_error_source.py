# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ErrorEnvelopeErrorSource = Literal["provider", "saas"]

ERROR_ENVELOPE_ERROR_SOURCE_VALUES: set[ErrorEnvelopeErrorSource] = {
    "provider",
    "saas",
}


def check_error_envelope_error_source(value: str) -> ErrorEnvelopeErrorSource:
    if value in ERROR_ENVELOPE_ERROR_SOURCE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ERROR_ENVELOPE_ERROR_SOURCE_VALUES!r}"
    )
