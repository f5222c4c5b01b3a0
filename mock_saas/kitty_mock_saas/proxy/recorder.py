"""`--record DIR`: every exchange as one JSON file, secrets redacted, in the order it happened.

Each file holds the operation, the request (method, path, query, headers, body, and who asked:
a salted fingerprint of the caller's credential, never the credential) and the answer (status,
headers, body). Bodies are stored decoded, JSON parsed, others as text, all through the one
redaction step (`kitty_mock_saas.redaction`), so a recording can be committed as a fixture and
served again by `kitty-mock-saas serve --replay DIR` (`kitty_mock_saas.replay`). The directory
and the files are created owner-only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitty_mock_saas.redaction import (
    Headers,
    Redaction,
    credential_values,
    header_of,
    parse_body,
    secrets_in,
)

from .findings import Exchange

# Headers that describe the connection, not the exchange.
# Bodies are stored decoded, so their encoding goes too.
_SKIPPED = frozenset(
    {"content-length", "content-encoding", "connection", "date", "server", "transfer-encoding"}
)
_FINGERPRINT_HEX = 32
_NAME_ATTEMPTS = 100_000


@dataclass(frozen=True)
class RedactedExchange:
    """An exchange's secrets, and its bodies decoded, parsed and masked."""

    redaction: Redaction
    request_body: Any
    response_body: Any
    # What the request authenticated with (headers, query, body fields), for its fingerprint.
    request_credentials: list[str]


def redact(exchange: Exchange, limit: int) -> RedactedExchange:
    """The exchange as it may be stored or shown: secrets found in the decoded bodies too."""
    request = parse_body(exchange.request_body, exchange.request_headers, limit)
    response = parse_body(exchange.response_body, exchange.response_headers, limit)
    request_type = header_of(exchange.request_headers, b"content-type")
    response_type = header_of(exchange.response_headers, b"content-type")
    query = exchange.query.decode("latin-1")
    credentials = credential_values(exchange.request_headers, query, [(request, request_type)])
    redaction = secrets_in(
        [*exchange.request_headers, *exchange.response_headers],
        query,
        [(request, request_type), (response, response_type)],
    )
    return RedactedExchange(
        redaction,
        redaction.body(request, request_type),
        redaction.body(response, response_type),
        credentials,
    )


def caller_fingerprint(credentials: list[str], salt: str) -> str | None:
    """Who sent a request: a salted SHA-256 of the credentials it carried (None without any).

    Replay serves a recorded answer only to a request with the same credentials; the salt, new
    for every record, keeps equal tokens from showing as equal fingerprints across files.
    """
    if not credentials:
        return None
    material = "\n".join([salt, *sorted(credentials)]).encode()
    return f"{salt}:{hashlib.sha256(material).hexdigest()[:_FINGERPRINT_HEX]}"


def same_caller(recorded: str | None, credentials: list[str]) -> bool:
    """True when `credentials` are those the recorded request carried; a record without a
    caller (written by hand) is for anyone the mock lets through."""
    if recorded is None:
        return True
    salt, _, _ = recorded.partition(":")
    return caller_fingerprint(credentials, salt) == recorded


def _headers(headers: Headers, redaction: Redaction) -> dict[str, str]:
    shown = redaction.headers(headers)
    return {name: value for name, value in shown.items() if name not in _SKIPPED}


def write_private(path: Path, text: str) -> None:
    """Write `text` to a new file only its owner can read."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text)


class Recorder:
    """Writes `NNNNN-<operationId>.json` files into `directory` (created owner-only)."""

    def __init__(self, directory: Path, *, max_body_bytes: int) -> None:
        self.directory = directory
        self.max_body_bytes = max_body_bytes
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        start = len(list(directory.glob("*.json")))
        self._numbers = itertools.count(start + 1)
        self._lock = threading.Lock()

    def write(self, exchange: Exchange, operation_id: str | None) -> Path:
        shown = redact(exchange, self.max_body_bytes)
        redaction = shown.redaction
        request: dict[str, Any] = {
            "method": exchange.method,
            "path": redaction.text(exchange.path),
            "query": redaction.query(exchange.query.decode("latin-1")),
            "headers": _headers(exchange.request_headers, redaction),
            "body": shown.request_body,
        }
        caller = caller_fingerprint(shown.request_credentials, secrets.token_hex(8))
        if caller is not None:
            request["caller"] = caller
        record = {
            "operation_id": operation_id,
            "request": request,
            "response": {
                "status": exchange.status,
                "headers": _headers(exchange.response_headers, redaction),
                "body": shown.response_body,
            },
        }
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        with self._lock:
            for _ in range(_NAME_ATTEMPTS):
                path = (
                    self.directory / f"{next(self._numbers):05d}-{operation_id or 'unmatched'}.json"
                )
                try:
                    write_private(path, text)
                except FileExistsError:
                    continue  # another proxy writes into the same directory
                return path
        raise FileExistsError(f"{self.directory}: no free recording name left")
