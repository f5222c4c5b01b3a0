"""One tracker fake on a real 127.0.0.1 socket, in a thread of the test process (so the suite's
contract check sees its exchanges), for client libraries that open their own connections."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from kitty_contracts import Provider
from kitty_mock_saas.tracker_fakes.server import create_tracker_fake

__all__ = ["serve_fake"]

_START_TIMEOUT_S = 10.0


@contextmanager
def serve_fake(provider: Provider) -> Iterator[str]:
    """`provider`'s fake over a fresh default world; yields `http://127.0.0.1:<port>`."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_tracker_fake(provider), lifespan="off", log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(int(_START_TIMEOUT_S / 0.01)):
        if server.started:
            started.set()
            break
        started.wait(0.01)
    try:
        if not started.is_set():
            raise RuntimeError(f"the {provider.value} fake did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT_S)
        sock.close()
