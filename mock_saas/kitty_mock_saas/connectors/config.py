"""`config/task_trackers.yaml`: loading and validation against the contract schema.

The file is validated with the contract's `TaskTrackersConfig` JSON Schema, then parsed into
the generated model. Credentials stay `env:NAME` references until a connector is built.
Error messages name the file and the field, and never echo a value (it could be a secret
pasted where a reference belongs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from kitty_contracts import Provider, TaskTrackersConfig
from kitty_contracts.validation import validator
from pydantic import MISSING

from .errors import TrackerConfigError

__all__ = ["TrackerEndpointConfig", "enabled_trackers", "load_task_trackers_config"]

_DEFAULT_API_URLS = {
    Provider.linear: "https://api.linear.app/graphql",
    Provider.github: "https://api.github.com",
}
# Messages of these validators quote the offending value; we print the rule instead.
_VALUE_QUOTING = {
    "pattern",
    "format",
    "type",
    "enum",
    "const",
    "maxLength",
    "minLength",
    "maximum",
    "minimum",
    "exclusiveMinimum",
    "exclusiveMaximum",
}


@dataclass(frozen=True, slots=True)
class TrackerEndpointConfig:
    """One enabled tracker from the file: where its API is and which env var holds the key."""

    provider: Provider
    api_url: str
    credential_reference: str
    credential_field: str
    email: str | None = None
    timeout_seconds: float | None = None


def load_task_trackers_config(path: str | Path) -> TaskTrackersConfig:
    """Read and validate `path`.

    Raises: TrackerConfigError with `path` and `field` (e.g. `task_trackers.jira.credentials`)
    when the file is missing, is not YAML, or breaks the contract schema.
    """
    location = str(path)
    try:
        data: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TrackerConfigError(
            f"{location}: cannot read ({exc.strerror})", path=location
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise TrackerConfigError(
            f"{location}: not valid YAML{where}: {problem}", path=location
        ) from exc
    errors = sorted(
        validator("TaskTrackersConfig").iter_errors(data),
        key=lambda error: list(error.absolute_path),
    )
    if errors:
        error = errors[0]
        field = ".".join(str(step) for step in error.absolute_path) or "(document)"
        if error.validator in _VALUE_QUOTING:
            rule = f"{error.validator} {error.validator_value}"
            message = f"{location}: {field}: invalid value (must satisfy {rule})"
        else:
            message = f"{location}: {field}: {error.message}"
        raise TrackerConfigError(message, path=location, field=field)
    return TaskTrackersConfig.model_validate(data)


def enabled_trackers(config: TaskTrackersConfig) -> list[TrackerEndpointConfig]:
    """The enabled trackers, each with its API URL and credential reference."""
    trackers = config.task_trackers
    found: list[TrackerEndpointConfig] = []
    jira, linear, github = trackers.jira, trackers.linear, trackers.github
    if jira is not MISSING and jira.enabled:
        found.append(
            TrackerEndpointConfig(
                Provider.jira,
                jira.server_url,
                jira.credentials,
                "task_trackers.jira.credentials",
                email=_given(jira.email),
                timeout_seconds=_given(jira.timeout_seconds),
            )
        )
    if linear is not MISSING and linear.enabled:
        found.append(
            TrackerEndpointConfig(
                Provider.linear,
                _given(linear.api_url) or _DEFAULT_API_URLS[Provider.linear],
                linear.api_key,
                "task_trackers.linear.api_key",
                timeout_seconds=_given(linear.timeout_seconds),
            )
        )
    if github is not MISSING and github.enabled:
        found.append(
            TrackerEndpointConfig(
                Provider.github,
                _given(github.api_url) or _DEFAULT_API_URLS[Provider.github],
                github.token,
                "task_trackers.github.token",
                timeout_seconds=_given(github.timeout_seconds),
            )
        )
    return found


def _given(value: Any) -> Any:
    return None if value is MISSING else value
