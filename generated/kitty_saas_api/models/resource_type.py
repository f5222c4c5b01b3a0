# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
from typing import Literal

ResourceType = Literal["github_repo", "jira_project", "linear_team"]

RESOURCE_TYPE_VALUES: set[ResourceType] = {
    "github_repo",
    "jira_project",
    "linear_team",
}


def check_resource_type(value: str) -> ResourceType:
    if value in RESOURCE_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESOURCE_TYPE_VALUES!r}")
