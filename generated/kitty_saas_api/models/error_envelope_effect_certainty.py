# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ErrorEnvelopeEffectCertainty = Literal["no_effect", "unknown"]

ERROR_ENVELOPE_EFFECT_CERTAINTY_VALUES: set[ErrorEnvelopeEffectCertainty] = {
    "no_effect",
    "unknown",
}


def check_error_envelope_effect_certainty(value: str) -> ErrorEnvelopeEffectCertainty:
    if value in ERROR_ENVELOPE_EFFECT_CERTAINTY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ERROR_ENVELOPE_EFFECT_CERTAINTY_VALUES!r}"
    )
