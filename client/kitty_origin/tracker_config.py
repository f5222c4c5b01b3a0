"""The repo's tracker binding: the `tracker:` block of `.kittify/config.yaml`, read and checked."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from jsonschema.exceptions import best_match
from kitty_contracts import KittifyConfig, Provider, TrackerBinding
from kitty_contracts.validation import validator
from pydantic import MISSING, ValidationError

from .errors import NoTrackerBindingError, TrackerConfigError, UnsupportedProviderError

CONFIG_RELATIVE_PATH = Path(".kittify") / "config.yaml"
NO_TRACKER_MESSAGE = "No tracker bound. Run spec-kitty tracker bind first."
ORIGIN_PROVIDERS = frozenset({Provider.jira, Provider.linear})


@dataclass(frozen=True)
class ResolvedTracker:
    """The routing a search or bind needs: provider plus project slug and/or binding ref."""

    provider: Provider
    project_slug: str | None
    binding_ref: str | None
    project_uuid: str | None
    repo_project_slug: str | None


def config_path(repo_root: Path) -> Path:
    """Where the repo's `.kittify/config.yaml` lives."""
    return repo_root / CONFIG_RELATIVE_PATH


def load_kittify_config(repo_root: Path) -> KittifyConfig:
    """Read `.kittify/config.yaml` and check it against the contract's `KittifyConfig`.

    Raises:
        NoTrackerBindingError: the file does not exist.
        TrackerConfigError: the file is not YAML or breaks the contract (names file and field).
    """
    path = config_path(repo_root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NoTrackerBindingError(NO_TRACKER_MESSAGE, error_code="no_tracker_binding") from None
    except OSError as exc:
        raise TrackerConfigError(
            f"{path}: cannot be read ({exc.strerror})", path=str(path), field="<file>"
        ) from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise TrackerConfigError(
            f"{path}: not valid YAML{where}: {problem}; fix the file or rerun spec-kitty tracker bind",
            path=str(path),
            field="<file>",
        ) from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise TrackerConfigError(
            f"{path}: the top level must be a mapping", path=str(path), field="<root>"
        )
    first = best_match(validator("KittifyConfig").iter_errors(raw))
    if first is not None:
        field = ".".join(str(p) for p in first.absolute_path) or "<root>"
        raise TrackerConfigError(
            f"{path}: field `{field}` is invalid: {first.message}", path=str(path), field=field
        )
    try:
        return KittifyConfig.model_validate(raw)
    except ValidationError as exc:
        location = exc.errors()[0]["loc"] if exc.errors() else ()
        field = ".".join(str(p) for p in location) or "<root>"
        raise TrackerConfigError(
            f"{path}: field `{field}` is invalid", path=str(path), field=field
        ) from exc


def allowed_providers(*, allow_github: bool) -> frozenset[Provider]:
    """Jira and Linear always; GitHub only behind the explicit opt-in."""
    return ORIGIN_PROVIDERS | {Provider.github} if allow_github else ORIGIN_PROVIDERS


@functools.cache
def _allowed_values(allow_github: bool) -> frozenset[str]:
    return frozenset(p.value for p in allowed_providers(allow_github=allow_github))


def ensure_origin_provider(provider: str, *, allow_github: bool) -> Provider:
    """The provider as the contract's enum, if it may be a mission origin.

    Raises:
        UnsupportedProviderError: any other provider (GitHub without the opt-in included).
    """
    if provider not in _allowed_values(allow_github):
        names = ", ".join(sorted(_allowed_values(allow_github)))
        hint = (
            " (GitHub needs allow_github / SPEC_KITTY_ALLOW_GITHUB=1)"
            if provider == "github"
            else ""
        )
        raise UnsupportedProviderError(
            f"Provider {provider!r} cannot be a mission origin; supported: {names}{hint}.",
            error_code="unsupported_provider",
        )
    return Provider(provider)


def resolve_tracker(repo_root: Path, *, allow_github: bool) -> ResolvedTracker:
    """The repo's bound tracker, ready for search and bind.

    Raises:
        NoTrackerBindingError: no `tracker:` block, or neither `project_slug` nor `binding_ref`.
        TrackerConfigError: the file is malformed.
        UnsupportedProviderError: the bound provider cannot be a mission origin.
    """
    config = load_kittify_config(repo_root)
    tracker = config.tracker
    if tracker is MISSING or tracker is None:
        raise NoTrackerBindingError(NO_TRACKER_MESSAGE, error_code="no_tracker_binding")
    assert isinstance(tracker, TrackerBinding)
    project_slug = _root_text(tracker.project_slug)
    binding_ref = _root_text(tracker.binding_ref)
    if project_slug is None and binding_ref is None:
        raise NoTrackerBindingError(NO_TRACKER_MESSAGE, error_code="no_tracker_binding")
    provider = ensure_origin_provider(tracker.provider.value, allow_github=allow_github)
    project = config.project
    project_uuid = repo_project_slug = None
    if project is not MISSING and project is not None:
        uuid_value, slug_value = getattr(project, "uuid", None), getattr(project, "slug", None)
        project_uuid = uuid_value if isinstance(uuid_value, str) else None
        repo_project_slug = slug_value if isinstance(slug_value, str) else None
    return ResolvedTracker(provider, project_slug, binding_ref, project_uuid, repo_project_slug)


def _root_text(value: object) -> str | None:
    text = getattr(value, "root", None)
    return text if isinstance(text, str) and text.strip() else None
