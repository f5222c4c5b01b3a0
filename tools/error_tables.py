"""The README's and client/README.md's error tables, rendered from the contract's error catalogue.

`make generate` runs this after generating `generated/`, in a fresh process so it reads the new
catalogue; the drift gate then fails when a README's table is not what the catalogue renders.
Each table sits between `<!-- error-table:begin -->` and `<!-- error-table:end -->`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitty_contracts.error_catalogue import ErrorSpec

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- error-table:begin (generated from contracts/schemas/error_code.json) -->"
END = "<!-- error-table:end -->"
TABLES = {ROOT / "README.md": "overview", ROOT / "client" / "README.md": "client"}

# What the client does without an envelope to read: facts of the client, not of the catalogue.
_CLIENT_ONLY_ROWS = (
    ("2xx / error body outside the contract", "ContractViolationError", "no"),
    ("no answer (connect error, reset)", "APIConnectionError", "yes: backoff with jitter"),
    ("attempt or deadline timed out", "APITimeoutError", "yes, within the deadline"),
)


def _exception(spec: ErrorSpec) -> str:
    from kitty_origin.errors import raised_class_for, status_class_for

    raised = raised_class_for(spec.status, spec.code.value)
    status_class = status_class_for(spec.status)
    if raised is status_class or not issubclass(raised, status_class):
        return f"`{raised.__name__}`"
    return f"`{raised.__name__}` (a `{status_class.__name__}`)"


def _retried(spec: ErrorSpec) -> str:
    if spec.code.value == "unauthenticated":
        return "once, after one token refresh"
    if not spec.retryable:
        return "no"
    if spec.status == 429:
        return "yes: `Retry-After` / `retry_after_seconds`"
    return "yes: backoff with jitter, within the deadline"


def render(kind: str) -> str:
    """The table for one README: `overview` (with category and hint) or `client`."""
    # Imported here: the drift gate imports this module before it knows generated/ is sound.
    from kitty_contracts.error_catalogue import error_catalogue

    specs = sorted(error_catalogue().values(), key=lambda spec: spec.status)
    if kind == "overview":
        lines = [
            "| status | error_code | category | exception | retried | what to do |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {s.status} | `{s.code.value}` | {s.category.value} | {_exception(s)} "
            f"| {_retried(s)} | {s.hint} |"
            for s in specs
        ]
        lines += [
            f"| {what} | | | `{cls}` | {retried} | |" for what, cls, retried in _CLIENT_ONLY_ROWS
        ]
    else:
        lines = ["| status | error_code | exception | retried |", "|---|---|---|---|"]
        lines += [
            f"| {s.status} | `{s.code.value}` | {_exception(s)} | {_retried(s)} |" for s in specs
        ]
        lines += [f"| {what} | | `{cls}` | {retried} |" for what, cls, retried in _CLIENT_ONLY_ROWS]
    return "\n".join(lines)


def rewrite(text: str, kind: str, where: Path) -> str:
    """`text` with the table between the markers replaced by the rendered one."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise SystemExit(f"{where}: needs exactly one {BEGIN!r} ... {END!r} block")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{render(kind)}\n{END}{tail}"


def main() -> None:
    for path, kind in TABLES.items():
        text = path.read_text(encoding="utf-8")
        updated = rewrite(text, kind, path)
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"error table rewritten: {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
