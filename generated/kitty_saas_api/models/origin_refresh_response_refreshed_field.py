# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

OriginRefreshResponseRefreshedField = Literal[
    "external_issue_key",
    "external_issue_url",
    "external_status",
    "external_status_category",
    "external_title",
]

ORIGIN_REFRESH_RESPONSE_REFRESHED_FIELD_VALUES: set[OriginRefreshResponseRefreshedField] = {
    "external_issue_key",
    "external_issue_url",
    "external_status",
    "external_status_category",
    "external_title",
}


def check_origin_refresh_response_refreshed_field(
    value: str,
) -> OriginRefreshResponseRefreshedField:
    if value in ORIGIN_REFRESH_RESPONSE_REFRESHED_FIELD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {ORIGIN_REFRESH_RESPONSE_REFRESHED_FIELD_VALUES!r}"
    )
