"""Which host names a local server's own pages answer to: a defence against DNS rebinding.

A page of another site can point its own name at 127.0.0.1 and have the browser read what the
server shows; the browser then sends that site's name as `Host`. Pages that show state (the
dashboard, the proxy's journal) answer only to the address the server is bound to, the loopback
names, and any names the operator adds.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import Scope

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_name(host: str) -> str:
    """The name of a `Host` header value: the port and IPv6 brackets left out, lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def foreign_host(scope: Scope, extra: Iterable[str] = ()) -> str | None:
    """The request's host name when the server does not answer to it; None when it does."""
    allowed = {*LOCAL_NAMES, *(name.lower() for name in extra)}
    server = scope.get("server")
    if server:
        allowed.add(str(server[0]).lower())
    raw = next((v for k, v in scope["headers"] if k.lower() == b"host"), b"")
    name = host_name(raw.decode("latin-1"))
    return None if name in allowed else name
