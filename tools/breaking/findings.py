"""What a breaking-change check reports: one finding per rule, operation and place."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

Direction = Literal["request", "response"]


@dataclass(frozen=True)
class Finding:
    """One change that breaks clients of the old document.

    `rule` is `<direction>.<keyword>.<change>` (e.g. `request.maximum.lowered`); the pointers are
    RFC 6901 JSON pointers into each bundled document (the nearest existing parent when one side
    has no such place).
    """

    rule: str
    operation: str
    new_pointer: str
    old_pointer: str
    old: Any = None
    new: Any = None

    def line(self) -> str:
        """The finding as one line of text."""
        return (
            f"{self.rule} {self.operation}: {_show(self.old)} -> {_show(self.new)} "
            f"at {self.new_pointer or '/'} (old {self.old_pointer or '/'})"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def child(pointer: str, *tokens: str | int) -> str:
    """`pointer` extended by `tokens`, escaped as RFC 6901 requires (`~` -> `~0`, `/` -> `~1`)."""
    for token in tokens:
        pointer += "/" + str(token).replace("~", "~0").replace("/", "~1")
    return pointer


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
