"""The workflow every fake Linear team has: its states, their types, ids and colours."""

from __future__ import annotations

import uuid
from typing import NamedTuple

from kitty_contracts import StatusCategory

__all__ = ["WORKFLOW", "State", "state_for", "state_id"]


class State(NamedTuple):
    """A workflow state: name, Linear state type, position, colour, and the world's category."""

    name: str
    type: str
    position: float
    color: str
    category: StatusCategory


WORKFLOW = (
    State("Triage", "triage", 0.0, "#FC7840", StatusCategory.todo),
    State("Backlog", "backlog", 1.0, "#bec2c8", StatusCategory.todo),
    State("Todo", "unstarted", 2.0, "#e2e2e2", StatusCategory.todo),
    State("In Progress", "started", 3.0, "#f2c94c", StatusCategory.in_progress),
    State("In Review", "started", 4.0, "#0f783c", StatusCategory.in_progress),
    State("Done", "completed", 5.0, "#5e6ad2", StatusCategory.done),
    State("Canceled", "canceled", 6.0, "#95a2b3", StatusCategory.canceled),
    State("Duplicate", "duplicate", 7.0, "#95a2b3", StatusCategory.canceled),
)
_BY_NAME = {state.name: state for state in WORKFLOW}
# A ticket whose status name is not a state of the workflow (written by another provider's
# vocabulary): the first state of its category.
_BY_CATEGORY = {
    StatusCategory.todo: _BY_NAME["Todo"],
    StatusCategory.in_progress: _BY_NAME["In Progress"],
    StatusCategory.done: _BY_NAME["Done"],
    StatusCategory.canceled: _BY_NAME["Canceled"],
}
_NAMESPACE = uuid.UUID("0b7f3c1a-52d4-4e8f-9a61-7c2d5e8f1b34")


def state_for(status_name: str, category: StatusCategory) -> State:
    """The workflow state a ticket with this status is in."""
    return _BY_NAME.get(status_name) or _BY_CATEGORY[category]


def state_id(team_id: str, name: str) -> str:
    """A state's id: stable per team and state name, as Linear's UUIDs are."""
    return str(uuid.uuid5(_NAMESPACE, f"{team_id}/{name}"))
