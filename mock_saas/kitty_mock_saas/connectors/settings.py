"""The connector layer's only reader of the process environment.

Credentials in `config/task_trackers.yaml` are `env:NAME` references; they are resolved here,
lazily (when a connector is built), and come back wrapped in a `Credential` whose
representation never shows the secret.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from kitty_contracts.validation import validator

from .errors import TrackerConfigError

__all__ = ["Credential", "resolve_env_reference"]

ENV_PREFIX = "env:"


@dataclass(frozen=True, slots=True)
class Credential:
    """A resolved secret and where it came from; `repr` and `str` are redacted."""

    source: str
    _secret: str = field(repr=False)

    def reveal(self) -> str:
        """The secret itself, for building the request header only."""
        return self._secret

    def __repr__(self) -> str:
        return f"Credential(source={self.source!r}, secret='***')"

    __str__ = __repr__


def resolve_env_reference(
    reference: str, *, environ: Mapping[str, str] | None = None, field_path: str | None = None
) -> Credential:
    """The secret named by `env:NAME`, read from `environ` (default: the process environment).

    Raises: TrackerConfigError naming `field_path` when the reference is malformed or the
    variable is unset or empty (the error never contains a secret).
    """
    if not validator("EnvReference").is_valid(reference):
        raise TrackerConfigError(
            f"{field_path or 'credential'} must be an env:NAME reference", field=field_path
        )
    name = reference.removeprefix(ENV_PREFIX)
    source = os.environ if environ is None else environ  # noqa: TID251 - the settings module
    value = source.get(name, "")
    if not value:
        raise TrackerConfigError(
            f"{field_path or 'credential'}: environment variable {name} is not set",
            field=field_path,
        )
    return Credential(source=reference, _secret=value)
