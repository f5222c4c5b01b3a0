"""The state of one comparison: both documents, the operation in hand and the findings so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .findings import Direction, Finding


@dataclass
class Comparison:
    """Collects findings while the old and new documents are walked side by side.

    Rules describe a change by whether it narrows what the new side accepts; the direction of the
    data decides whether that breaks clients (a request narrowed, a response widened).
    """

    old: Document
    new: Document
    # Clients ignore response properties they do not know, even under a closed object.
    tolerant_readers: bool = False
    findings: dict[tuple[str, str, str, str], Finding] = field(default_factory=dict)
    operation: str = ""
    # Schema pairs on the current path, so recursive schemas are compared once.
    active: set[tuple[str, str, Direction]] = field(default_factory=set)

    def report(
        self, rule: str, new_pointer: str, old_pointer: str, old: Any = None, new: Any = None
    ) -> None:
        """Record a breaking change (the first report of one rule at one place wins)."""
        key = (rule, self.operation, new_pointer, old_pointer)
        self.findings.setdefault(
            key, Finding(rule, self.operation, new_pointer, old_pointer, old, new)
        )

    def change(
        self,
        direction: Direction,
        what: str,
        narrows: bool | None,
        new_pointer: str,
        old_pointer: str,
        old: Any = None,
        new: Any = None,
    ) -> None:
        """A change that narrows (True), widens (False) or does both (None) what is accepted.

        Reported as `<direction>.<what>` when it breaks that direction's clients.
        """
        breaks = narrows is None or narrows == (direction == "request")
        if breaks:
            self.report(f"{direction}.{what}", new_pointer, old_pointer, old, new)

    def sorted_findings(self) -> list[Finding]:
        return [self.findings[key] for key in sorted(self.findings)]
