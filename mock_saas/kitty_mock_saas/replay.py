"""`serve --replay DIR`: answer requests a recording holds with the answers recorded for them.

A recording is what `kitty-mock-saas proxy --record DIR` wrote (one JSON file per exchange). A
request matches a recorded one when method, path, query and body (decoded, secrets masked, parsed)
are equal; requests that repeat get the recorded answers in order, then the last one again (a
202 then its polls). Anything else goes to the mock as usual. Replayed answers are served as
recorded, drift included, so a recording of the real SaaS reproduces what the client saw; this
sits outside the contract stage for that reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import ApiError, send_api_error
from .proxy.findings import Exchange
from .proxy.journal import secrets_of
from .proxy.recorder import recorded_body
from .stage.body import ClientDisconnected, read_body
from .stage.middleware import replay_body

_MAX_BODY_BYTES = 16 * 1024 * 1024


class RecordingError(ValueError):
    """A recording file is not what `proxy --record` writes; names the file."""


@dataclass(frozen=True)
class RecordedAnswer:
    status: int
    headers: dict[str, str]
    body: Any


def _key(method: str, path: str, query: str, body: Any) -> str:
    return json.dumps([method.upper(), path, query, body], sort_keys=True)


def load_recording(directory: Path) -> dict[str, list[RecordedAnswer]]:
    """The answers of every recorded request, in recording order, keyed by the request.

    Raises:
        RecordingError: a file that is not JSON or lacks the request/response fields.
    """
    answers: dict[str, list[RecordedAnswer]] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            request, response = record["request"], record["response"]
            key = _key(request["method"], request["path"], request["query"], request["body"])
            answer = RecordedAnswer(
                int(response["status"]), dict(response["headers"]), response["body"]
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise RecordingError(f"{path}: not a recorded exchange ({exc})") from None
        answers.setdefault(key, []).append(answer)
    return answers


class ReplayStage:
    """ASGI middleware: recorded answers for recorded requests, the app for everything else."""

    def __init__(self, app: ASGIApp, *, recording: dict[str, list[RecordedAnswer]]) -> None:
        self.app = app
        self.recording = recording
        self._served: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.recording:
            await self.app(scope, receive, send)
            return
        try:
            raw = await read_body(
                receive, limit=_MAX_BODY_BYTES, content_length=None, deadline_seconds=30.0
            )
        except ClientDisconnected:
            return
        except ApiError as error:
            await send_api_error(scope, send, error)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        incoming = Exchange(scope["method"], scope["path"], b"", headers, raw, 0, [], b"")
        body = recorded_body(raw, headers, secrets_of(incoming), _MAX_BODY_BYTES)
        query = scope.get("query_string", b"").decode("latin-1")
        key = _key(scope["method"], scope["path"], query, body)
        answers = self.recording.get(key)
        if not answers:
            await self.app(scope, replay_body(raw, receive), send)
            return
        served = self._served.get(key, 0)
        self._served[key] = served + 1
        await _send(send, answers[min(served, len(answers) - 1)])


async def _send(send: Send, answer: RecordedAnswer) -> None:
    if answer.body is None:
        data = b""
    elif isinstance(answer.body, str):
        data = answer.body.encode()
    else:
        data = json.dumps(answer.body).encode()
    headers: Iterable[tuple[bytes, bytes]] = [
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers.items()
    ]
    out = [*headers, (b"content-length", str(len(data)).encode()), (b"x-kitty-replayed", b"true")]
    await send({"type": "http.response.start", "status": answer.status, "headers": out})
    await send({"type": "http.response.body", "body": data})
