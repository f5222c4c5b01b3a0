"""Mission creation: slugs, numbers (also with concurrent creators), meta.json, spec.md."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from kitty_contracts import OriginCandidate
from kitty_contracts.validation import validator
from kitty_origin import MissionCreationError, derive_mission_slug, read_meta
from kitty_origin.missions import MAX_SLUG_LENGTH, create_mission_from_candidate, is_mission_slug

from tests.client.fakes import example

# A mission created without the SaaS (the tests bind it themselves).
SPEC_DRAFT = "# A mission\n"

WEB_123 = OriginCandidate.model_validate(
    example("searchIssues", 200, "text_search")["candidates"][0]
)


@pytest.mark.parametrize(
    ("number", "key", "title", "slug"),
    [
        (61, "WEB-123", "Add Clerk auth", "061-web-123-add-clerk-auth"),
        (62, "IAM-42", "IAM-42: Rotate signing keys for SSO", "062-iam-42-rotate-signing-keys-for-sso"),
        (3, "acme/web#42", "Fix the  Ünïcode — title!", "003-acme-web-42-fix-the-unicode-title"),
        (4, "X-1", "???", "004-x-1"),
    ],
)  # fmt: skip
def test_slug_is_number_key_and_title_in_kebab_case(
    number: int, key: str, title: str, slug: str
) -> None:
    assert derive_mission_slug(number, key, title) == slug


def test_slug_is_bounded_and_matches_the_contract_pattern() -> None:
    slug = derive_mission_slug(999, "WEB-123", "word " * 100)
    assert len(slug) <= MAX_SLUG_LENGTH
    assert is_mission_slug(slug)
    assert not list(
        validator("MissionOriginBoundPayload").iter_errors(
            {
                "mission_slug": slug, "provider": "linear", "external_issue_id": "1",
                "external_issue_key": "WEB-123", "external_issue_url": "https://x.test/1",
                "title": "t",
            }
        )
    )  # fmt: skip


def test_number_out_of_range_is_refused() -> None:
    with pytest.raises(MissionCreationError):
        derive_mission_slug(1000, "WEB-1", "x")


def test_mission_gets_the_next_free_number_and_a_valid_meta(tmp_path: Path) -> None:
    (tmp_path / "kitty-specs" / "060-older-mission").mkdir(parents=True)
    draft = "# Add Clerk auth\n\nThe SaaS's draft, written as it came.\n"
    created = create_mission_from_candidate(tmp_path, WEB_123, spec_markdown=draft)
    assert created.feature_dir == tmp_path / "kitty-specs" / "061-web-123-add-clerk-auth"
    meta = read_meta(created.feature_dir)
    assert (meta.mission_number, meta.slug, meta.mission_slug) == (
        61,
        created.feature_dir.name,
        created.feature_dir.name,
    )
    assert (meta.mission_type, meta.friendly_name, meta.target_branch) == (
        "software-dev",
        "Add Clerk auth",
        "main",
    )
    assert len(meta.mission_id) == 26
    assert (created.feature_dir / "spec.md").read_text(encoding="utf-8") == draft


def _create_many(repo: str, count: int, out: str) -> None:
    names = [
        create_mission_from_candidate(
            Path(repo), WEB_123, spec_markdown=SPEC_DRAFT
        ).feature_dir.name
        for _ in range(count)
    ]
    Path(out).write_text("\n".join(names), encoding="utf-8")
    os._exit(0)


def test_concurrent_creators_get_unique_numbers(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    outs = [tmp_path / f"out-{n}.txt" for n in range(6)]
    children = [
        context.Process(target=_create_many, args=(str(tmp_path), 4, str(out))) for out in outs
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
        assert child.exitcode == 0
    names = [name for out in outs for name in out.read_text(encoding="utf-8").split("\n")]
    numbers = sorted(int(name[:3]) for name in names)
    assert numbers == list(range(1, 25))
    for name in names:
        assert read_meta(tmp_path / "kitty-specs" / name).mission_number == int(name[:3])
