"""The ceiling of the search benchmark: a bare ASGI app answering every request with one constant
body (the contract's `text_search` example, the same bytes Prism serves), no routing, no parsing.

`uvicorn --factory bench.ceiling:create_app` serves it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

CONTRACT = Path(__file__).resolve().parent.parent / "generated" / "kitty_contracts" / "openapi.json"
SEARCH_PATH = "/api/v1/tracker/issue-search/"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def example_body(example: str = "text_search") -> bytes:
    """The named 200 example of `searchIssues`, compact JSON."""
    document = json.loads(CONTRACT.read_text(encoding="utf-8"))
    content = document["paths"][SEARCH_PATH]["post"]["responses"]["200"]["content"]
    value = content["application/json"]["examples"][example]["value"]
    return json.dumps(value, separators=(",", ":")).encode()


def create_app() -> ASGIApp:
    """The constant-body app (reads the request body so keep-alive stays correct)."""
    body = example_body()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # Lifespan and anything else: acknowledge and carry on.
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
                message = await receive()
            if message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
            return
        more = True
        while more:
            more = bool((await receive()).get("more_body", False))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app
