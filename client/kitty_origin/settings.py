"""Client settings: one frozen object, built explicitly (arguments > `SPEC_KITTY_*` env > defaults).

This is the only module of `kitty_origin` that reads the process environment, and it only does
so inside `ClientSettings.from_env()`.

| variable | field | default |
|---|---|---|
| `SPEC_KITTY_SAAS_URL` | `base_url` | `http://127.0.0.1:8765` |
| `SPEC_KITTY_API_TOKEN` | `token_provider` (a `StaticTokenProvider`) | none |
| `SPEC_KITTY_TEAM` | `team` (sent as `X-Team-Slug`) | none |
| `SPEC_KITTY_TIMEOUT` | `timeout_seconds` (one HTTP attempt) | 10 |
| `SPEC_KITTY_MAX_RETRIES` | `max_retries` | 2 |
| `SPEC_KITTY_SEARCH_DEADLINE` | `search_deadline_seconds` (at most 10 from the env) | 10 |
| `SPEC_KITTY_WRITE_DEADLINE` | `write_deadline_seconds` | 30 |
| `SPEC_KITTY_ALLOW_GITHUB` | `allow_github` | false |
| `SPEC_KITTY_OUTBOX_PATH` | `outbox_path` | `<repo>/.kittify/outbox.sqlite3` (git-ignored) |
| `SPEC_KITTY_LOG` | `log_level` (`debug`, `info`, `warning`) | none: no handler added |

A search deadline above the spec's 10 s search bound needs the explicit
`search_deadline_seconds=` argument; the environment alone cannot lift it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

ENV_PREFIX = "SPEC_KITTY_"
DEFAULT_BASE_URL = "http://127.0.0.1:8765"
SPEC_SEARCH_DEADLINE_SECONDS = 10.0
LOG_LEVELS = ("debug", "info", "warning", "error")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


@runtime_checkable
class TokenProvider(Protocol):
    """Where the Spec Kitty access token comes from. Never a Jira/Linear/GitHub credential."""

    def token(self) -> str:
        """The current access token."""
        ...

    def refresh(self) -> str:
        """Force a refresh (called once after a 401) and return the new token."""
        ...


@dataclass(frozen=True)
class StaticTokenProvider:
    """A fixed token; `refresh()` returns it unchanged, so a second 401 is final.

    >>> StaticTokenProvider("tok-alice").token()
    'tok-alice'
    """

    value: str = field(repr=False)

    def token(self) -> str:
        return self.value

    def refresh(self) -> str:
        return self.value


@dataclass(frozen=True)
class ClientSettings:
    """Everything `SaaSTrackerClient` and the service layer need.

    >>> settings = ClientSettings.from_env(base_url="http://127.0.0.1:8765", team="acme",
    ...                                    token_provider=StaticTokenProvider("tok-alice"), env={})
    >>> settings.team
    'acme'
    """

    base_url: str = DEFAULT_BASE_URL
    token_provider: TokenProvider | None = field(default=None, repr=False)
    team: str | None = None
    timeout_seconds: float = 10.0
    connect_timeout_seconds: float = 3.0
    max_retries: int = 2
    backoff_initial_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    # A Retry-After beyond this cap is not waited for: the caller gets the RateLimitError.
    retry_after_cap_seconds: float = 30.0
    search_deadline_seconds: float = 10.0
    write_deadline_seconds: float = 30.0
    events_deadline_seconds: float = 15.0
    # The most one answer may cost once decoded, and how deep its JSON may nest.
    max_answer_bytes: int = 8 * 1024 * 1024
    max_json_depth: int = 64
    # After a bind, queued events get this long to reach the SaaS (0: leave them to a flush).
    deliver_after_bind_seconds: float = 2.0
    allow_github: bool = False
    outbox_path: Path | None = None
    user_agent: str = "kitty-origin/0.1"
    log_level: str | None = None

    def with_overrides(self, **overrides: Any) -> ClientSettings:
        """A copy with the non-None `overrides` applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, *, env: Mapping[str, str] | None = None, **overrides: Any) -> ClientSettings:
        """Defaults, then `SPEC_KITTY_*` variables, then explicit `overrides` (non-None only).

        Raises:
            ValueError: a variable holds a value of the wrong type, or an override is unknown.
        """
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown ClientSettings field(s): {sorted(unknown)}")
        source = os.environ if env is None else env  # noqa: TID251 - the settings module
        return cls().with_overrides(**_from_environment(source)).with_overrides(**overrides)


def _from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    def get(name: str) -> str | None:
        value = env.get(ENV_PREFIX + name)
        return value.strip() if value is not None and value.strip() else None

    search_deadline = _number(get("SEARCH_DEADLINE"), "SEARCH_DEADLINE")
    if search_deadline is not None and search_deadline > SPEC_SEARCH_DEADLINE_SECONDS:
        raise ValueError(
            f"{ENV_PREFIX}SEARCH_DEADLINE={search_deadline:g} is above the spec's "
            f"{SPEC_SEARCH_DEADLINE_SECONDS:g} s bound; pass search_deadline_seconds= explicitly"
        )
    log_level = get("LOG")
    if log_level is not None and log_level.lower() not in LOG_LEVELS:
        raise ValueError(
            f"{ENV_PREFIX}LOG must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}"
        )
    values: dict[str, Any] = {
        "base_url": get("SAAS_URL"),
        "log_level": log_level.lower() if log_level is not None else None,
        "team": get("TEAM"),
        "timeout_seconds": _number(get("TIMEOUT"), "TIMEOUT"),
        "search_deadline_seconds": search_deadline,
        "write_deadline_seconds": _number(get("WRITE_DEADLINE"), "WRITE_DEADLINE"),
    }
    token = get("API_TOKEN")
    if token is not None:
        values["token_provider"] = StaticTokenProvider(token)
    retries = get("MAX_RETRIES")
    if retries is not None:
        values["max_retries"] = int(retries)
    github = get("ALLOW_GITHUB")
    if github is not None:
        values["allow_github"] = _flag(github, "ALLOW_GITHUB")
    outbox = get("OUTBOX_PATH")
    if outbox is not None:
        values["outbox_path"] = Path(outbox)
    return values


def _number(raw: str | None, name: str) -> float | None:
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name} must be a number of seconds, got {raw!r}") from None


def _flag(raw: str, name: str) -> bool:
    lowered = raw.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{ENV_PREFIX}{name} must be a boolean (1/0, true/false), got {raw!r}")
