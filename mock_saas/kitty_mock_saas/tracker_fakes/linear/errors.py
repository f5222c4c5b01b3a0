"""Linear's error answers: the `errors` entries and HTTP statuses Linear's API gives.

Shapes as Linear answers (observed answers quoted by client projects and the official SDK's
error parsing): a document that does not validate is HTTP 400 with code
`GRAPHQL_VALIDATION_FAILED` and type "graphql error"; a missing or invisible entity is HTTP 200,
`data: null`, message "Entity not found: <Type>", code `INPUT_ERROR`, type "invalid input"; a
rejected argument is "Argument Validation Error" with the reason in `userPresentableMessage`;
an absent or unknown credential is HTTP 401 "Authentication required, not authenticated".
"""

from __future__ import annotations

from typing import Any

__all__ = ["LinearError", "error_entry"]


class LinearError(Exception):
    """An error a resolver raises; the fake reports it in the `errors` of the answer."""

    def __init__(self, message: str, *, code: str, kind: str, presentable: str | None) -> None:
        super().__init__(message)
        self.code, self.kind, self.presentable = code, kind, presentable

    @classmethod
    def not_found(cls, entity: str) -> LinearError:
        """What Linear answers for an id that names nothing the caller can see."""
        return cls(
            f"Entity not found: {entity}",
            code="INPUT_ERROR",
            kind="invalid input",
            presentable=f"Could not find referenced {entity}.",
        )

    @classmethod
    def referenced(cls, entity: str) -> LinearError:
        """What Linear answers for an input field naming an id that does not exist."""
        return cls(
            f"Entity not found: {entity} - Could not find referenced {entity}.",
            code="INVALID_INPUT",
            kind="invalid input",
            presentable=f"Could not find referenced {entity}.",
        )

    @classmethod
    def invalid_input(cls, reason: str) -> LinearError:
        """An argument Linear's input validation rejects."""
        return cls(
            "Argument Validation Error",
            code="INVALID_INPUT",
            kind="invalid input",
            presentable=reason,
        )

    def extensions(self) -> dict[str, Any]:
        """The `extensions` of this error's entry."""
        extensions: dict[str, Any] = {"type": self.kind, "code": self.code, "userError": True}
        if self.presentable is not None:
            extensions["userPresentableMessage"] = self.presentable
        return extensions


def error_entry(message: str, extensions: dict[str, Any], **located: Any) -> dict[str, Any]:
    """One entry of `errors`: the message, `locations`/`path` when known, the extensions."""
    entry: dict[str, Any] = {"message": message}
    entry.update({key: value for key, value in located.items() if value is not None})
    entry["extensions"] = extensions
    return entry
