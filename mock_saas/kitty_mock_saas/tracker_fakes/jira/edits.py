"""Reading what a client asks to change on an issue (`fields` and `update` of an edit, a create
or a transition), with Jira's per-field errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .adf_markdown import adf_to_markdown, is_adf_document
from .render import Call

__all__ = ["IssueChanges", "body_text", "read_changes"]

_CANNOT_SET = "Field '{}' cannot be set. It is not on the appropriate screen, or unknown."
_ADF_ONLY = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
_TEXT_ONLY = "Operation value must be a string"
_SUMMARY_MISSING = "You must specify a summary of the issue."
_SUMMARY_LENGTH = 255


@dataclass
class IssueChanges:
    """What a request changes; `values` holds only what it names (None clears a field)."""

    values: dict[str, Any] = field(default_factory=dict)
    label_ops: list[tuple[str, str]] = field(default_factory=list)  # ("add" | "remove", label)
    comments: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def read_changes(body: Any, call: Call, *, settable: frozenset[str]) -> IssueChanges:
    """The changes in an edit/create/transition body (`fields` set; `update` operations)."""
    changes = IssueChanges()
    if not isinstance(body, dict):
        changes.errors["request"] = "Invalid request payload."
        return changes
    fields = body.get("fields") or {}
    operations = body.get("update") or {}
    if not isinstance(fields, dict) or not isinstance(operations, dict):
        changes.errors["request"] = "Invalid request payload."
        return changes
    for name, value in fields.items():
        _set(changes, name, value, call, settable)
    for name, ops in operations.items():
        if not isinstance(ops, list):
            changes.errors[name] = "Invalid update operation."
            continue
        for op in ops:
            _operate(changes, name, op, call, settable)
    return changes


def _set(
    changes: IssueChanges, name: str, value: Any, call: Call, settable: frozenset[str]
) -> None:
    if name not in settable:
        changes.errors[name] = _CANNOT_SET.format(name)
    elif name == "summary":
        if not isinstance(value, str) or not value.strip():
            changes.errors[name] = _SUMMARY_MISSING
        elif len(value) > _SUMMARY_LENGTH:
            changes.errors[name] = "Summary must be less than 255 characters."
        else:
            changes.values[name] = value
    elif name == "description":
        text = body_text(value, call)
        if text is False:
            changes.errors[name] = _ADF_ONLY if call.adf else _TEXT_ONLY
        else:
            changes.values[name] = text
    elif name == "labels":
        _labels(changes, value)
    elif name in ("priority", "issuetype"):
        _named(changes, name, value)
    elif name in ("assignee", "reporter"):
        if value is None or (isinstance(value, dict) and value.get("accountId") is None):
            changes.values[name] = None
        elif isinstance(value, dict) and isinstance(value.get("accountId"), str):
            changes.values[name] = value["accountId"]
        else:
            changes.errors[name] = "Specify a valid value for " + name
    elif name in ("project", "parent"):
        if value is None and name == "parent":
            changes.values[name] = None
        elif isinstance(value, dict) and (value.get("key") or value.get("id")):
            changes.values[name] = str(value.get("key") or value.get("id"))
        else:
            changes.errors[name] = f"Specify a valid {name} ID or key"


def _operate(
    changes: IssueChanges, name: str, op: Any, call: Call, settable: frozenset[str]
) -> None:
    if not isinstance(op, dict) or len(op) != 1:
        changes.errors[name] = "Invalid update operation."
        return
    ((verb, value),) = op.items()
    if name == "comment" and verb == "add":
        text = body_text((value or {}).get("body") if isinstance(value, dict) else None, call)
        if not isinstance(text, str) or not text.strip():
            changes.errors["comment"] = "Comment body can not be empty!"
        else:
            changes.comments.append(text)
    elif name == "labels" and verb in ("add", "remove"):
        if not isinstance(value, str):
            changes.errors[name] = "Invalid label."
            return
        changes.label_ops.append((verb, value))
    elif verb == "set":
        _set(changes, name, value, call, settable)
    else:
        changes.errors[name] = _CANNOT_SET.format(name)


def _labels(changes: IssueChanges, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        changes.errors["labels"] = "Labels must be a list of strings."
        return
    for label in value:
        if " " in label:
            changes.errors["labels"] = f"The label '{label}' contains spaces which is invalid."
            return
    changes.values["labels"] = tuple(dict.fromkeys(value))


def _named(changes: IssueChanges, name: str, value: Any) -> None:
    if isinstance(value, dict) and isinstance(value.get("name") or value.get("id"), str):
        changes.values[name] = value
    elif value is None and name == "priority":
        changes.values[name] = None
    else:
        changes.errors[name] = f"Specify a valid {name}"


def body_text(value: Any, call: Call) -> str | bool | None:
    """The markdown of a description or comment body; False when the version refuses it."""
    if value is None:
        return None
    if call.adf:
        return adf_to_markdown(value) or None if is_adf_document(value) else False
    return value if isinstance(value, str) else False
