"""Mission creation: slugs from tickets, unique mission numbers, `kitty-specs/NNN-slug/`.

Numbers are handed out under an exclusive `flock` on `kitty-specs/`, and each directory is
created with `mkdir` (atomic: exactly one creator wins a name), so concurrent creators in
several processes always get distinct numbers.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kitty_contracts import MissionMeta, OriginCandidate
from kitty_contracts.validation import validator

from .errors import MissionCreationError
from .meta_store import mission_lock, write_meta
from .ulid import new_ulid

SPECS_DIRNAME = "kitty-specs"
MAX_MISSION_NUMBER = 999
# Long enough to read, short enough for branch names and paths; the contract allows 200.
MAX_SLUG_LENGTH = 60
_NUMBERED_DIR = re.compile(r"^(\d{3})-")


def is_mission_slug(slug: str) -> bool:
    """Whether `slug` is a `MissionSlug` of the contract."""
    return validator("MissionSlug").is_valid(slug)


@dataclass(frozen=True)
class CreatedMission:
    """A mission directory with its validated `meta.json`."""

    feature_dir: Path
    meta: MissionMeta


def kebab(text: str) -> str:
    """Lower-case ASCII words joined by `-` (`"Add Clerk auth!"` → `"add-clerk-auth"`)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_mission_slug(number: int, issue_key: str, title: str) -> str:
    """`NNN-<key>-<title>` in kebab case, cut at a word boundary to a bounded length.

    >>> derive_mission_slug(61, "WEB-123", "Add Clerk auth")
    '061-web-123-add-clerk-auth'
    """
    if not 1 <= number <= MAX_MISSION_NUMBER:
        raise MissionCreationError(f"mission number {number} is outside 1..{MAX_MISSION_NUMBER}")
    key = kebab(issue_key)
    words = kebab(title)
    if key and words.startswith(key):
        # Titles like "WEB-123: Add auth" would repeat the key.
        words = words[len(key) :].strip("-")
    slug = f"{number:03d}-{key}"[:MAX_SLUG_LENGTH].rstrip("-")
    for word in words.split("-"):
        if not word:
            continue
        if len(slug) + 1 + len(word) > MAX_SLUG_LENGTH:
            break
        slug = f"{slug}-{word}"
    if not is_mission_slug(slug):
        raise MissionCreationError(f"cannot derive a valid mission slug from {issue_key!r}")
    return slug


def specs_dir(repo_root: Path) -> Path:
    """The repo's `kitty-specs/` directory."""
    return repo_root / SPECS_DIRNAME


def mission_dir(repo_root: Path, mission_slug: str) -> Path:
    """The directory of the mission with this slug."""
    return specs_dir(repo_root) / mission_slug


def find_repo_root(start: Path) -> Path | None:
    """The nearest directory at or above `start` with a `.kittify/` directory, if any."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".kittify").is_dir():
            return candidate
    return None


def used_numbers(specs: Path) -> set[int]:
    """Mission numbers already taken by `NNN-*` directories."""
    if not specs.is_dir():
        return set()
    numbers = set()
    for entry in specs.iterdir():
        match = _NUMBERED_DIR.match(entry.name)
        if match and entry.is_dir():
            numbers.add(int(match.group(1)))
    return numbers


def create_mission_from_candidate(
    repo_root: Path,
    candidate: OriginCandidate,
    *,
    spec_markdown: str,
    mission_type: str = "software-dev",
    target_branch: str = "main",
    now: Callable[[], datetime] | None = None,
) -> CreatedMission:
    """Create `kitty-specs/NNN-slug/` with `meta.json` and `spec.md` (the SaaS's draft of the
    ticket, `SaaSTrackerClient.draft_spec`).

    Raises:
        MissionCreationError: no free number, or the directory cannot be made.
    """
    specs = specs_dir(repo_root)
    try:
        specs.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MissionCreationError(f"{specs}: cannot be created ({exc})") from exc
    created_at = (now or _utcnow)().astimezone(UTC)
    with mission_lock(specs):
        number = max(used_numbers(specs), default=0) + 1
        while True:
            slug = derive_mission_slug(number, candidate.external_issue_key, candidate.title)
            feature_dir = specs / slug
            try:
                feature_dir.mkdir()
                break
            except FileExistsError:
                number += 1
            except OSError as exc:
                raise MissionCreationError(f"{feature_dir}: cannot be created ({exc})") from exc
        try:
            meta = write_meta(
                feature_dir,
                _initial_meta(slug, number, candidate, mission_type, target_branch, created_at),
            )
            (feature_dir / "spec.md").write_text(spec_markdown, encoding="utf-8")
        except OSError as exc:
            discard_mission(feature_dir)
            raise MissionCreationError(f"{feature_dir}: cannot be written ({exc})") from exc
        except BaseException:
            discard_mission(feature_dir)
            raise
    return CreatedMission(feature_dir, meta)


def discard_mission(feature_dir: Path) -> None:
    """Remove a mission directory this process created (used when the bind fails)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(feature_dir)


def _initial_meta(
    slug: str,
    number: int,
    candidate: OriginCandidate,
    mission_type: str,
    target_branch: str,
    created_at: datetime,
) -> dict[str, Any]:
    return {
        "mission_id": new_ulid(int(created_at.timestamp() * 1000)),
        "slug": slug,
        "mission_slug": slug,
        "mission_number": number,
        "mission_type": mission_type,
        "friendly_name": candidate.title,
        "created_at": created_at.isoformat().replace("+00:00", "Z"),
        "target_branch": target_branch,
    }


def _utcnow() -> datetime:
    return datetime.now(UTC)
