"""`.kittify/config.yaml`: the tracker binding, checked against the contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from kitty_contracts import Provider
from kitty_origin import NoTrackerBindingError, TrackerConfigError, UnsupportedProviderError
from kitty_origin.tracker_config import resolve_tracker

from tests.client.fakes import LINEAR_CONFIG, write_config

NO_TRACKER = "No tracker bound. Run spec-kitty tracker bind first."


def test_bound_linear_tracker_is_resolved(tmp_path: Path) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    tracker = resolve_tracker(tmp_path, allow_github=False)
    assert (tracker.provider, tracker.project_slug) == (Provider.linear, "acme-web")
    assert tracker.project_uuid == "0f3c2b1a-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    "text",
    [None, "", "project: {slug: acme}\n", "tracker:\n", "tracker: {provider: linear}\n"],
    ids=["no-file", "empty-file", "no-tracker-block", "null-tracker", "no-routing-key"],
)
def test_missing_binding_is_a_hard_error_scenario_6(tmp_path: Path, text: str | None) -> None:
    if text is not None:
        write_config(tmp_path, text)
    with pytest.raises(NoTrackerBindingError) as caught:
        resolve_tracker(tmp_path, allow_github=False)
    assert caught.value.message == NO_TRACKER


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("tracker: {provider: linear, project_slug: 'acme web'}\n", "tracker.project_slug"),
        ("tracker: {provider: trello, project_slug: acme}\n", "tracker.provider"),
        ("tracker: [linear]\n", "tracker"),
        ("tracker: {provider: linear, project_slug: acme, provider_context: {a: 1}}\n",
         "tracker.provider_context.a"),
    ],
)  # fmt: skip
def test_malformed_binding_names_the_file_and_field(tmp_path: Path, text: str, field: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(TrackerConfigError) as caught:
        resolve_tracker(tmp_path, allow_github=False)
    assert caught.value.field == field
    assert str(tmp_path / ".kittify" / "config.yaml") in caught.value.message
    assert field in caught.value.message


def test_invalid_yaml_names_the_file_and_place_in_one_line(tmp_path: Path) -> None:
    write_config(tmp_path, "tracker: {provider: linear\n")
    with pytest.raises(TrackerConfigError, match="not valid YAML at line 2, column 1") as caught:
        resolve_tracker(tmp_path, allow_github=False)
    assert "\n" not in str(caught.value)
    assert str(tmp_path / ".kittify" / "config.yaml") in str(caught.value)


@pytest.mark.parametrize("provider", ["gitlab", "beads", "fp", "github"])
def test_only_jira_and_linear_are_origin_providers_c_001(tmp_path: Path, provider: str) -> None:
    write_config(tmp_path, f"tracker: {{provider: {provider}, project_slug: acme-web}}\n")
    with pytest.raises(UnsupportedProviderError):
        resolve_tracker(tmp_path, allow_github=False)


def test_github_needs_the_explicit_opt_in_c_001(tmp_path: Path) -> None:
    write_config(tmp_path, "tracker: {provider: github, project_slug: acme-web}\n")
    assert resolve_tracker(tmp_path, allow_github=True).provider == Provider.github


def test_binding_ref_alone_routes(tmp_path: Path) -> None:
    write_config(tmp_path, "tracker: {provider: jira, binding_ref: 'bnd:acme/iam'}\n")
    tracker = resolve_tracker(tmp_path, allow_github=False)
    assert (tracker.project_slug, tracker.binding_ref) == (None, "bnd:acme/iam")


def test_unknown_keys_are_accepted(tmp_path: Path) -> None:
    write_config(
        tmp_path, LINEAR_CONFIG + "  ownership: {mode: external_authoritative}\nsync: {}\n"
    )
    assert resolve_tracker(tmp_path, allow_github=False).project_slug == "acme-web"
