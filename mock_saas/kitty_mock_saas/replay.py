"""`serve --replay DIR`: recorded answers for recorded requests, behind the live mock's gate.

A recording is what `kitty-mock-saas proxy --record DIR` wrote (one JSON file per exchange). The
contract stage admits a request first (limits, parameters, body), exactly as for a live answer;
then a recorded answer is served only to a request the live mock would have let through to that
answer: on the default state (a sandbox answers from its own world), from a user the mock knows,
for a team that user belongs to, carrying the credentials the recorded request carried (their
salted fingerprint), with equal method, path, query, team and body (decoded, secrets masked, parsed).
Everything else is answered live. Requests that repeat get the recorded answers in order, then
the last one again (a 202 then its polls). Answers are served as recorded, drift included, so a
recording of the real SaaS reproduces what the client saw.

Every file is checked when the recording is loaded; one that is not what the recorder writes (or
would make a malformed HTTP answer) is refused with its name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import Scope, Send

from .proxy.recorder import same_caller
from .redaction import credential_values, header_of, parse_body, secrets_in
from .runtime import MockRuntime
from .sandboxes import RUNTIME
from .stage import contract_operations
from .stage.operations import Operation
from .state import directory

_MAX_BODY_BYTES = 16 * 1024 * 1024
_TEAM_HEADER = "x-team-slug"
# Framing and connection headers are the server's to write; a recording never carries them.
_FRAMING = frozenset(
    {
        "content-length",
        "transfer-encoding",
        "content-encoding",
        "connection",
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
        "proxy-connection",
    }
)
_NO_BODY_STATUSES = frozenset({204, 205, 304})
# The server writes these for the answer it sends now (the request id is the replay's own).
_WRITTEN_BY_SERVER = frozenset({"date", "server", "x-request-id"})
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_FIELD_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")


class RecordingError(ValueError):
    """A recording file is not what `proxy --record` writes; names the file."""


@dataclass(frozen=True)
class RecordedAnswer:
    caller: str | None
    status: int
    headers: dict[str, str]
    body: bytes


Recording = dict[str, list[RecordedAnswer]]


def _key(method: str, path: str, query: str, team: str | None, body: Any) -> str:
    return json.dumps([method.upper(), path, query, team, body], sort_keys=True)


def load_recording(directory: Path) -> Recording:
    """The answers of every recorded request, in recording order, keyed by the request.

    Raises:
        RecordingError: a file that cannot be read, is not JSON, lacks a field, or holds an
            answer that is not well-formed HTTP (framing headers, a body on a 204, ...).
    """
    answers: Recording = {}
    for path in sorted(directory.glob("*.json")):
        try:
            key, answer = _read(path)
        except RecordingError as exc:
            raise RecordingError(f"{path}: {exc}") from None
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            reason = f"{type(exc).__name__}: {exc}"[:300]
            raise RecordingError(f"{path}: not a recorded exchange ({reason})") from None
        answers.setdefault(key, []).append(answer)
    return answers


def _read(path: Path) -> tuple[str, RecordedAnswer]:
    record = json.loads(path.read_text(encoding="utf-8"))
    request, response = record["request"], record["response"]
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise RecordingError("not a recorded exchange (request and response must be objects)")
    method, target, query = request["method"], request["path"], request["query"]
    if not (isinstance(method, str) and _TOKEN.match(method)):
        raise RecordingError(f"request method {method!r} is not an HTTP method")
    if not (isinstance(target, str) and target.startswith("/")) or not isinstance(query, str):
        raise RecordingError("request path must be a string starting with '/', query a string")
    caller = request.get("caller")
    if caller is not None and not isinstance(caller, str):
        raise RecordingError("request caller must be a string")
    status = response["status"]
    if not isinstance(status, int) or isinstance(status, bool) or not 200 <= status <= 599:
        raise RecordingError(f"status {status!r} is not a final HTTP status (200-599)")
    headers = _answer_headers(response["headers"])
    body = _answer_body(response["body"])
    if body and (status in _NO_BODY_STATUSES or method.upper() == "HEAD"):
        raise RecordingError(f"a {status} answer to {method} carries no body, this one has one")
    route = contract_operations().route(method.upper(), target)
    operation = route.operation if route else None
    team = _team_of(request.get("headers") or {}) if operation and _takes_team(operation) else None
    key = _key(method, target, query, team, request["body"])
    return key, RecordedAnswer(caller, status, headers, body)


def _team_of(headers: Any) -> str | None:
    if not isinstance(headers, Mapping):
        raise RecordingError("request headers must be an object of names to values")
    team = {str(k).lower(): v for k, v in headers.items()}.get(_TEAM_HEADER)
    if team is not None and not isinstance(team, str):
        raise RecordingError(f"request header {_TEAM_HEADER!r} must be a string")
    return team


def _takes_team(operation: Operation) -> bool:
    return any(
        p.location == "header" and p.name.lower() == _TEAM_HEADER for p in operation.parameters
    )


def _answer_headers(raw: Any) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise RecordingError("response headers must be an object of names to values")
    headers: dict[str, str] = {}
    for name, value in raw.items():
        if not (isinstance(name, str) and _TOKEN.match(name)):
            raise RecordingError(f"response header name {name!r} is not an HTTP field name")
        if name.lower() in _FRAMING:
            raise RecordingError(
                f"response header {name!r} frames the message; the recorder never writes it"
            )
        if not (isinstance(value, str) and _FIELD_VALUE.match(value) and _latin1(value)):
            raise RecordingError(f"response header {name!r} has a value HTTP cannot carry")
        headers[name.lower()] = value
    return headers


def _latin1(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _answer_body(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, ensure_ascii=False).encode()


class Replay:
    """The contract stage's recorded answers: `serve` answers a request, or leaves it live."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self._served: dict[tuple[str, str | None], int] = {}

    async def serve(
        self, operation: Operation, scope: Scope, raw: bytes | None, send: Send
    ) -> bool:
        """Send the recorded answer for this admitted request; False to let the mock answer."""
        runtime: MockRuntime = scope["state"][RUNTIME]
        if not self.recording or runtime.sandbox is not None:
            return False
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if not _passes_the_gate(runtime, operation, headers, scope["state"]):
            return False
        body = parse_body(raw or b"", headers, _MAX_BODY_BYTES)
        content_type = header_of(headers, b"content-type")
        query = scope.get("query_string", b"").decode("latin-1")
        redaction = secrets_in(headers, query, [(body, content_type)])
        key = _key(
            scope["method"],
            redaction.text(scope["path"]),
            redaction.query(query),
            header_of(headers, _TEAM_HEADER.encode()) if _takes_team(operation) else None,
            redaction.body(body, content_type),
        )
        credentials = credential_values(headers, query, [(body, content_type)])
        answers = [a for a in self.recording.get(key, ()) if same_caller(a.caller, credentials)]
        if not answers:
            return False
        served = self._served.get((key, answers[0].caller), 0)
        self._served[(key, answers[0].caller)] = served + 1
        await _send(send, answers[min(served, len(answers) - 1)])
        return True


def _passes_the_gate(
    runtime: MockRuntime,
    operation: Operation,
    headers: list[tuple[bytes, bytes]],
    state: dict[str, Any],
) -> bool:
    """True when the live mock's authentication and team check would let the request through."""
    if not operation.credential_headers:
        return True  # a public operation: its credentials (if any) are matched by fingerprint
    if operation.credential_headers != {"authorization"}:
        return False  # the mock's own admin API is never replayed
    scheme, _, token = header_of(headers, b"authorization").partition(" ")
    user = (
        directory.user_by_token(runtime.db, token.strip()) if scheme.lower() == "bearer" else None
    )
    if user is None:
        return False
    if _takes_team(operation):
        team = header_of(headers, _TEAM_HEADER.encode())
        if directory.team_of_member(runtime.db, user.id, team) is None:
            return False
    state["user_id"] = user.id
    return True


async def _send(send: Send, answer: RecordedAnswer) -> None:
    headers = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in answer.headers.items()
        if name not in _WRITTEN_BY_SERVER
    ]
    if answer.status not in _NO_BODY_STATUSES:
        headers.append((b"content-length", str(len(answer.body)).encode()))
    headers.append((b"x-kitty-replayed", b"true"))
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
