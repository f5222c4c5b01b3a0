"""The metadata writers: additive on legacy files, held to the contract's provider pairing; and
the client-level bind finds its mission from an explicit repo root."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kitty_origin import MissionMetaError, read_meta, set_origin_ticket
from kitty_origin.feature_metadata import mission_meta_for_write

from tests.client.fakes import LINEAR_CONFIG, FakeSaaS, make_client, write_config
from tests.client.test_meta_store import META, TICKET

LEGACY = {key: value for key, value in META.items() if key != "mission_id"}
WEB_123 = {
    "external_issue_id": "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
    "external_issue_key": "WEB-123",
    "external_issue_url": "https://linear.app/acme/issue/WEB-123/add-clerk-auth",
    "title": "Add Clerk auth",
}


def legacy_mission(root: Path, slug: str = "061-web-123-add-clerk-auth") -> Path:
    feature_dir = root / "kitty-specs" / slug
    feature_dir.mkdir(parents=True)
    (feature_dir / "meta.json").write_text(json.dumps(LEGACY), encoding="utf-8")
    return feature_dir


def test_set_origin_ticket_is_additive_on_a_legacy_meta_json(tmp_path: Path) -> None:
    feature_dir = legacy_mission(tmp_path)
    meta = set_origin_ticket(feature_dir, TICKET, mission_id="01JD8X4ZQK5M7N9P2R3S4T5V6W")
    assert meta.mission_id == "01JD8X4ZQK5M7N9P2R3S4T5V6W"
    stored = json.loads((feature_dir / "meta.json").read_text(encoding="utf-8"))
    assert stored == {
        **LEGACY,
        "mission_id": meta.mission_id,
        "origin_ticket": TICKET.model_dump(mode="json"),
    }


def test_set_origin_ticket_refuses_a_provider_with_another_providers_container(
    tmp_path: Path,
) -> None:
    feature_dir = legacy_mission(tmp_path)
    before = (feature_dir / "meta.json").read_bytes()
    jira_in_linear: dict[str, Any] = {**TICKET.model_dump(mode="json"), "provider": "jira"}
    with pytest.raises(
        MissionMetaError, match="linear_team belongs to linear, not to provider jira"
    ):
        set_origin_ticket(feature_dir, jira_in_linear)
    assert (feature_dir / "meta.json").read_bytes() == before


def test_reading_for_a_write_mints_in_memory_only(tmp_path: Path) -> None:
    feature_dir = legacy_mission(tmp_path)
    before = (feature_dir / "meta.json").read_bytes()
    assert mission_meta_for_write(feature_dir).mission_id
    assert (feature_dir / "meta.json").read_bytes() == before


def test_the_client_bind_finds_the_mission_from_an_explicit_repo_root(tmp_path: Path) -> None:
    write_config(tmp_path, LINEAR_CONFIG)
    feature_dir = legacy_mission(tmp_path)
    saas = FakeSaaS()
    client = make_client(saas)  # the current directory is not the repo
    with pytest.raises(MissionMetaError, match="No mission named '062-nope'"):
        client.bind_mission_origin(
            "linear", "acme-web", feature_slug="062-nope", repo_root=tmp_path, **WEB_123
        )
    assert saas.requests == []
    bound = client.bind_mission_origin(
        "linear", "acme-web", feature_slug=feature_dir.name, repo_root=tmp_path, **WEB_123
    )
    # The id minted for the legacy file is written once the SaaS said yes.
    assert read_meta(feature_dir).mission_id == bound["mission_id"]
