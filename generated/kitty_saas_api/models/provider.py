# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

Provider = Literal["github", "jira", "linear"]

PROVIDER_VALUES: set[Provider] = {
    "github",
    "jira",
    "linear",
}


def check_provider(value: str) -> Provider:
    if value in PROVIDER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PROVIDER_VALUES!r}")
