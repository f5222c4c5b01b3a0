"""Settings: one object, arguments > SPEC_KITTY_* environment > defaults."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kitty_origin import ClientSettings, StaticTokenProvider

CLIENT = Path(__file__).resolve().parents[2] / "client" / "kitty_origin"


def test_defaults_without_environment() -> None:
    settings = ClientSettings.from_env(env={})
    assert settings == ClientSettings()
    assert settings.allow_github is False
    assert settings.token_provider is None


def test_environment_overrides_defaults() -> None:
    settings = ClientSettings.from_env(
        env={
            "SPEC_KITTY_SAAS_URL": "http://127.0.0.1:9999",
            "SPEC_KITTY_API_TOKEN": "tok-env",
            "SPEC_KITTY_TEAM": "acme",
            "SPEC_KITTY_TIMEOUT": "4",
            "SPEC_KITTY_MAX_RETRIES": "5",
            "SPEC_KITTY_SEARCH_DEADLINE": "8",
            "SPEC_KITTY_ALLOW_GITHUB": "yes",
            "SPEC_KITTY_OUTBOX_PATH": "/tmp/o.sqlite3",
        }
    )
    assert settings.base_url == "http://127.0.0.1:9999"
    assert settings.token_provider is not None
    assert settings.token_provider.token() == "tok-env"
    assert (settings.team, settings.timeout_seconds, settings.max_retries) == ("acme", 4.0, 5)
    assert settings.search_deadline_seconds == 8.0
    assert settings.allow_github is True
    assert settings.outbox_path == Path("/tmp/o.sqlite3")


def test_explicit_arguments_override_environment() -> None:
    settings = ClientSettings.from_env(
        env={"SPEC_KITTY_TEAM": "globex", "SPEC_KITTY_API_TOKEN": "tok-env"},
        team="acme",
        token_provider=StaticTokenProvider("tok-arg"),
        allow_github=False,
    )
    assert settings.team == "acme"
    assert settings.token_provider is not None
    assert settings.token_provider.token() == "tok-arg"


def test_none_arguments_do_not_override() -> None:
    assert ClientSettings.from_env(env={"SPEC_KITTY_TEAM": "acme"}, team=None).team == "acme"


@pytest.mark.parametrize(
    ("name", "value"),
    [("SPEC_KITTY_TIMEOUT", "ten"), ("SPEC_KITTY_ALLOW_GITHUB", "maybe")],
)
def test_malformed_environment_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        ClientSettings.from_env(env={name: value})


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        ClientSettings.from_env(env={}, jira_token="x")


def test_token_is_not_shown_in_repr() -> None:
    settings = ClientSettings(token_provider=StaticTokenProvider("tok-secret"))
    assert "tok-secret" not in repr(settings)


def test_only_the_settings_module_reads_the_environment() -> None:
    readers = {
        path.name
        for path in CLIENT.glob("*.py")
        if re.search(r"os\.environ|getenv", path.read_text(encoding="utf-8"))
    }
    assert readers == {"settings.py"}


def test_settings_hold_no_tracker_credentials_c_002() -> None:
    fields = set(ClientSettings.__dataclass_fields__)
    assert not {f for f in fields if re.search(r"jira|linear|github_(token|key)|password", f)}


def test_the_env_alone_cannot_lift_the_search_deadline_above_the_spec_bound_issue_10() -> None:
    with pytest.raises(ValueError, match="search_deadline_seconds= explicitly"):
        ClientSettings.from_env(env={"SPEC_KITTY_SEARCH_DEADLINE": "30"})
    assert (
        ClientSettings.from_env(env={"SPEC_KITTY_SEARCH_DEADLINE": "7"}).search_deadline_seconds
        == 7
    )
    explicit = ClientSettings.from_env(env={}, search_deadline_seconds=30.0)
    assert explicit.search_deadline_seconds == 30.0


def test_spec_kitty_log_switches_the_log_level_issue_10() -> None:
    assert ClientSettings.from_env(env={"SPEC_KITTY_LOG": "DEBUG"}).log_level == "debug"
    assert ClientSettings.from_env(env={}).log_level is None
    with pytest.raises(ValueError, match="SPEC_KITTY_LOG"):
        ClientSettings.from_env(env={"SPEC_KITTY_LOG": "loud"})
