"""The version rule: a contract change names a new `info.version` in the changelog, and a
breaking change bumps its major number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")
# A changelog entry is a second-level heading naming the version: `## 1.2.0` (optionally dated),
# after the document's heading prefix (`## Admin contract 3.0.0` for the admin contract).
_ENTRY = r"^##\s+{prefix}\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?"


@dataclass(frozen=True)
class VersionProblem:
    """Why the versioning of a contract change is not acceptable."""

    rule: str
    message: str

    def line(self) -> str:
        return f"{self.rule}: {self.message}"


def changelog_versions(text: str, heading: str = "") -> set[str]:
    """The versions that have an entry (a `## <heading><version>` heading) in a changelog."""
    return set(re.findall(_ENTRY.format(prefix=re.escape(heading)), text, re.MULTILINE))


def version_problems(
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    breaking: bool,
    new_changelog: str | None,
    old_changelog: str | None = None,
    heading: str = "",
) -> list[VersionProblem]:
    """What is wrong with the version and changelog of the change from `old` to `new`.

    No change, no problem. Any change needs a new `info.version` with an entry in `new_changelog`
    that `old_changelog` did not have (the changelog is not checked when `new_changelog` is None),
    headed `## <heading><version>`; a breaking change also needs a higher major number.
    """
    if old == new:
        return []
    was, now = _version(old), _version(new)
    problems: list[VersionProblem] = []
    was_parts, now_parts = _SEMVER.match(was), _SEMVER.match(now)
    if now_parts is None:
        return [VersionProblem("version.invalid", f"info.version {now!r} is not semver X.Y.Z")]
    if now == was:
        problems.append(
            VersionProblem(
                "version.not_bumped", f"the contract changed but info.version is still {now}"
            )
        )
    elif was_parts is not None and _triple(now_parts) <= _triple(was_parts):
        problems.append(
            VersionProblem("version.not_increased", f"info.version went from {was} to {now}")
        )
    if breaking and was_parts is not None and int(now_parts[1]) <= int(was_parts[1]):
        problems.append(
            VersionProblem(
                "version.major_not_bumped",
                f"a breaking change needs a major bump of info.version ({was} -> {now}; "
                f"expected {int(was_parts[1]) + 1}.0.0)",
            )
        )
    if new_changelog is not None:
        if now not in changelog_versions(new_changelog, heading):
            problems.append(
                VersionProblem(
                    "changelog.missing_entry",
                    f"contracts/CHANGELOG.md has no `## {heading}{now}` entry",
                )
            )
        elif old_changelog is not None and now in changelog_versions(old_changelog, heading):
            problems.append(
                VersionProblem(
                    "changelog.entry_not_new",
                    f"the `## {heading}{now}` entry was already there before",
                )
            )
    return problems


def _version(doc: dict[str, Any]) -> str:
    info = doc.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    return str(version) if version is not None else ""


def _triple(match: re.Match[str]) -> tuple[int, int, int]:
    return int(match[1]), int(match[2]), int(match[3])
