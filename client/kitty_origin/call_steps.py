"""The steps every call of `SaaSTrackerClient` shares: its request body is checked against the
contract and built as the generated wire model once, and its answer's status is checked before
the one parse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, Self, TypeVar

from kitty_contracts.validation import ComponentName, validator
from kitty_saas_api.types import UNSET

from .errors import ContractViolationError, InvalidRequestError
from .exchange import Answer

__all__ = ["check", "expect", "request_body", "same_mission", "unset"]


class _WireModel(Protocol):
    """A generated `kitty_saas_api` model: built from, and sent as, a JSON-shaped dict."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...

    def to_dict(self) -> dict[str, Any]: ...


W = TypeVar("W", bound=_WireModel)


def unset(value: str | None) -> Any:
    return UNSET if value is None else value


def expect(answer: Answer, statuses: set[int]) -> None:
    if answer.status_code not in statuses:
        error = ContractViolationError(
            f"HTTP {answer.status_code} is not a documented success status here",
            status_code=answer.status_code,
            problems=[f"expected one of {sorted(statuses)}"],
        )
        error.request_id = answer.request_id
        raise error


def same_mission(answered: str, asked: str, answer: Answer) -> None:
    if answered != asked:
        raise ContractViolationError(
            "the answer names another mission than the request",
            status_code=answer.status_code,
            problems=[f"mission_id={answered}"],
        )


def check(component: ComponentName, value: str, name: str) -> None:
    if any(True for _ in validator(component).iter_errors(value)):
        raise InvalidRequestError(f"{name} {value[:100]!r} is not a valid {component}")


def request_body(wire_model: type[W], component: ComponentName, fields: dict[str, Any]) -> W:
    """The request body, checked once against the contract and built once as the wire model.

    Raises:
        InvalidRequestError: the fields break the contract (nothing is sent).
    """
    try:
        problems = [error.message for error in validator(component).iter_errors(fields)]
        if problems:
            raise InvalidRequestError(f"invalid {component}: {'; '.join(problems)}")
        return wire_model.from_dict(fields)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        if isinstance(exc, InvalidRequestError):
            raise
        raise InvalidRequestError(f"invalid {component}: {str(exc)[:500]}") from exc
