"""Strict readers for provider JSON: a missing or mistyped field is a ProviderProtocolError.

Connectors read payloads only through these, so a provider (or fake) that drifts fails loudly
instead of producing a half-empty candidate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from kitty_contracts import Provider

from .errors import ProviderProtocolError

__all__ = ["field", "mapping", "optional_str", "text"]

T = TypeVar("T")


def field(provider: Provider, data: Any, *path: str | int, kind: type[T]) -> T:
    """`data[path...]` checked to be a `kind`."""
    value: Any = data
    for step in path:
        # Decoded JSON is dicts and lists: the exact-type test spares the Mapping ABC check.
        if (type(value) is dict or isinstance(value, Mapping)) and isinstance(step, str):
            if step in value:
                value = value[step]
                continue
        elif isinstance(value, list) and isinstance(step, int) and -len(value) <= step < len(value):
            value = value[step]
            continue
        raise _missing(provider, path)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProviderProtocolError(
            f"{provider} payload field {_dotted(path)} is not a {kind.__name__}", provider=provider
        )
    return value


def text(provider: Provider, data: Any, *path: str | int) -> str:
    """A required, non-empty string field."""
    value = field(provider, data, *path, kind=str)
    if not value:
        raise ProviderProtocolError(
            f"{provider} payload field {_dotted(path)} is empty", provider=provider
        )
    return value


def mapping(provider: Provider, data: Any, *path: str | int) -> Mapping[str, Any]:
    """A required object field."""
    return field(provider, data, *path, kind=Mapping)  # type: ignore[type-abstract]


def optional_str(provider: Provider, data: Any, *path: str | int) -> str | None:
    """A string field that may be absent or null."""
    value: Any = data
    for step in path:
        if not (type(value) is dict or isinstance(value, Mapping)) or value.get(step) is None:
            return None
        value = value[step]
    if not isinstance(value, str):
        raise ProviderProtocolError(
            f"{provider} payload field {_dotted(path)} is not a string", provider=provider
        )
    return value


def _missing(provider: Provider, path: tuple[str | int, ...]) -> ProviderProtocolError:
    return ProviderProtocolError(f"{provider} payload lacks {_dotted(path)}", provider=provider)


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(step) for step in path)
