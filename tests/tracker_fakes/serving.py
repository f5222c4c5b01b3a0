"""A fake on a real 127.0.0.1 socket, served by uvicorn in a thread of the test process, so a
third-party client talks HTTP to it while the suite still sees (and holds to the provider's
contract) every exchange."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

__all__ = ["serving"]

_START_SECONDS = 10.0


@contextmanager
def serving(app: ASGIApp) -> Iterator[str]:
    """`app` listening on a free 127.0.0.1 port for the block; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_SECONDS
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.01)
    try:
        if not server.started:
            raise RuntimeError("the fake did not start listening")
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(_START_SECONDS)
        listener.close()
