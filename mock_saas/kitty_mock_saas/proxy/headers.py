"""Header fields across the proxy, as RFC 9110 asks of an intermediary.

Hop-by-hop fields (the fixed list and every field `Connection` names, §7.6.1) are not forwarded
either way; the answer's own `Date` and `Server` are kept (the ASGI server adds none of its own
for the proxy) and a `Date` is added only to an answer without one (§6.6.1); `Via` names the
proxy on both legs (§7.6.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formatdate

Headers = Sequence[tuple[bytes, bytes]]
VIA = b"1.1 kitty-proxy"
_HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
# Set again for the next hop by httpx (requests) or by the proxy (answers).
_RESET = frozenset({b"host", b"content-length"})


def _dropped(headers: Headers) -> frozenset[bytes]:
    named = {
        token.strip().lower()
        for key, value in headers
        if key.lower() == b"connection"
        for token in value.split(b",")
    }
    return _HOP_BY_HOP | _RESET | frozenset(named)


def _with_via(kept: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    earlier = [value for key, value in kept if key.lower() == b"via"]
    rest = [(key, value) for key, value in kept if key.lower() != b"via"]
    return [*rest, (b"via", b", ".join([*earlier, VIA]))]


def forwarded_request(headers: Headers) -> list[tuple[bytes, bytes]]:
    """The client's request fields as the upstream gets them."""
    dropped = _dropped(headers)
    return _with_via([(k, v) for k, v in headers if k.lower() not in dropped])


def forwarded_answer(headers: Headers, body_length: int) -> list[tuple[bytes, bytes]]:
    """The upstream's answer fields as the client gets them, for a body of `body_length` bytes."""
    dropped = _dropped(headers)
    kept = [(k.lower(), v) for k, v in headers if k.lower() not in dropped]
    return [*_with_via(kept), (b"content-length", str(body_length).encode("ascii"))]


def dated(headers: Headers) -> list[tuple[bytes, bytes]]:
    """`headers` with exactly the one `Date` they carry, or the proxy's clock's when none."""
    if any(key.lower() == b"date" for key, _ in headers):
        return list(headers)
    return [*headers, (b"date", formatdate(usegmt=True).encode("ascii"))]
