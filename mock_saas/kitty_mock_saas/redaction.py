"""The one redaction step every stored or shown exchange passes through: no credential at rest.

Recordings, both journals, the dashboard, the proxy's report and its log lines all take their
headers, query strings and bodies from here. A value is a secret when the header, query parameter,
cookie or body field that carries it is named like a credential, or when the contracts mark it
(`x-secret`, `writeOnly`, `format: password`, an `apiKey` security scheme); once found, a secret
is masked wherever else the exchange repeats it (path, messages, text bodies). Bodies are
redacted decoded, whatever their Content-Encoding: a gzip answer hides nothing.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus

from kitty_contracts.validation import admin_document, openapi_document

from .errors import ApiError
from .stage.body import decode_content

MASK = "<redacted>"
Headers = Sequence[tuple[bytes, bytes]]
# Words that make a header, parameter, cookie or field name a credential's, wherever they stand.
_CREDENTIAL_WORDS = re.compile(
    r"token|secret|passw|api_?key|credential|session|cookie|authorization|signature|private_?key"
)
# Named like a credential, but never one: the OAuth token type is "Bearer".
_NOT_SECRET = frozenset({"token_type"})
# Shorter values are masked where they are named, not searched for elsewhere (too many false hits).
_MIN_REPEATED = 6
# A message cut short may quote only the start of a long secret: that start is masked too.
_PREFIX = 12
_UNDECODABLE = "undecodable"
_UNPARSED = "unparsed"
_MAX_DEPTH = 200


def _normal(name: str) -> str:
    return name.strip().lower().replace("-", "_")


@cache
def contract_secret_names() -> frozenset[str]:
    """Names the contracts mark as credentials: marked fields and apiKey/http security schemes."""
    names: set[str] = set()
    for document in (openapi_document(), admin_document()):
        for scheme in document.get("components", {}).get("securitySchemes", {}).values():
            if scheme.get("type") == "apiKey" and isinstance(scheme.get("name"), str):
                names.add(_normal(scheme["name"]))
            elif scheme.get("type") == "http":
                names.add("authorization")
        for node in _walk(document):
            for name, schema in (node.get("properties") or {}).items():
                if isinstance(schema, Mapping) and (
                    schema.get("x-secret") is True
                    or schema.get("writeOnly") is True
                    or schema.get("format") == "password"
                ):
                    names.add(_normal(name))
    return frozenset(names)


def _walk(node: Any) -> Iterator[Mapping[str, Any]]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True for a header, query parameter, cookie or body field that carries a credential."""
    normal = _normal(name)
    if normal in _NOT_SECRET:
        return False
    return normal in contract_secret_names() or _CREDENTIAL_WORDS.search(normal) is not None


class Redaction:
    """The secrets of one exchange, and how each part of it is shown without them."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        found = {v for v in values if len(v) >= _MIN_REPEATED}
        self._values = sorted(found, key=len, reverse=True)
        self._long = [v for v in self._values if len(v) > _PREFIX]
        self._encoded: list[str] | None = None

    def text(self, text: str) -> str:
        """`text` with every secret of the exchange masked, and any start of a long one."""
        if not text or not self._values:
            return text
        for value in self._values:
            if value in text:
                text = text.replace(value, MASK)
        if "%" in text or "+" in text:
            # As they appear URL-encoded (a token repeated in a query string or a form).
            for value in self._encoded_forms():
                if value in text:
                    text = text.replace(value, MASK)
        for value in self._long:
            if value[:_PREFIX] in text:
                text = _mask_starts(text, value)
        return text

    def _encoded_forms(self) -> list[str]:
        if self._encoded is None:
            forms = {f for v in self._values for f in (quote(v, safe=""), quote_plus(v))}
            self._encoded = sorted(forms - set(self._values), key=len, reverse=True)
        return self._encoded

    def headers(self, headers: Headers) -> dict[str, str]:
        """Headers by lower-case name (repeats joined with ", "), credentials masked."""
        return self._shown(_decoded(headers))

    def _shown(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        shown: dict[str, str] = {}
        for name, raw in headers:
            value = self.header(name, raw)
            shown[name] = f"{shown[name]}, {value}" if name in shown else value
        return shown

    def header(self, name: str, value: str) -> str:
        if name in ("cookie", "set-cookie"):
            return _mask_cookies(value)
        return MASK if is_secret_name(name) else self.text(value)

    def query(self, query: str) -> str:
        """A query string (or a form body) with secret parameters and repeated secrets masked."""
        parts = []
        for part in query.split("&"):
            name, eq, _ = part.partition("=")
            parts.append(f"{name}={MASK}" if eq and is_secret_name(unquote_plus(name)) else part)
        return self.text("&".join(parts))

    def value(self, value: Any) -> Any:
        """A parsed JSON value with secret fields and repeated secrets masked."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                key: MASK
                if isinstance(item, str) and is_secret_name(str(key))
                else self.value(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def body(self, body: Any, content_type: str = "") -> Any:
        """A body as `parse_body` gives it, masked: JSON by field, forms by parameter."""
        if isinstance(body, str):
            return self.query(body) if _is_form(content_type, body) else self.text(body)
        return self.value(body)


def _mask_starts(text: str, value: str) -> str:
    """Mask every place `text` quotes the first `_PREFIX` or more characters of `value`."""
    head = value[:_PREFIX]
    start = text.find(head)
    while start != -1:
        end = start + _PREFIX
        while end < len(text) and end - start < len(value) and text[end] == value[end - start]:
            end += 1
        text = text[:start] + MASK + text[end:]
        start = text.find(head, start + len(MASK))
    return text


def _mask_cookies(value: str) -> str:
    pairs = [part.strip().partition("=") for part in value.split(";")]
    return "; ".join(f"{name}={MASK}" if eq else name for name, eq, _ in pairs if name)


def _is_form(content_type: str, text: str) -> bool:
    if "x-www-form-urlencoded" in content_type.lower():
        return True
    return bool(text) and "=" in text and not any(c.isspace() for c in text)


_URL_PARAMETER = re.compile(r"([?&;])([^=&\s\"'<>]+)=([^&\s\"'<>]*)")


class UrlSecretsFilter(logging.Filter):
    """Masks the credential parameters of any URL a log line quotes (an HTTP client's lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _URL_PARAMETER.sub(_mask_parameter, message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def _mask_parameter(match: re.Match[str]) -> str:
    separator, name, _ = match.groups()
    return f"{separator}{name}={MASK}" if is_secret_name(unquote_plus(name)) else match[0]


URL_SECRETS_FILTER = UrlSecretsFilter()


def header_of(headers: Headers, name: bytes) -> str:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return ""


def parse_body(data: bytes, headers: Headers, limit: int) -> Any:
    """A body decoded (Content-Encoding undone) and parsed when it is JSON; None when empty.

    A body that cannot be decoded, or JSON nested deeper than `_MAX_DEPTH`, is a small marker
    naming why and its size, never its content.
    """
    if not data:
        return None
    encoding = header_of(headers, b"content-encoding")
    if encoding:
        try:
            data = decode_content(data, encoding, limit)
        except ApiError:
            return {_UNDECODABLE: encoding, "bytes": len(data)}
    text = data.decode("utf-8", "replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        return {_UNPARSED: "nested too deeply", "bytes": len(data)}
    # Deeper than any contract allows: kept as a marker (redacting it would recurse as deep).
    return {_UNPARSED: "nested too deeply", "bytes": len(data)} if _too_deep(parsed) else parsed


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


def secrets_in(headers: Headers, query: str, bodies: Iterable[tuple[Any, str]]) -> Redaction:
    """The redaction of every credential value that headers, a query and parsed bodies carry.

    `bodies` are (parsed body, its content type) pairs, as `parse_body` gives them.
    """
    return Redaction(credential_values(headers, query, bodies))


def redacted_request(headers: Headers, body: Any) -> tuple[dict[str, str], Any]:
    """A request's headers (by lower-case name) and parsed JSON body, credentials masked."""
    decoded = _decoded(headers)
    values = _header_credentials(decoded)
    if body is not None and not isinstance(body, str):
        values += _field_secrets(body)
    redaction = Redaction(values)
    return redaction._shown(decoded), redaction.value(body)


def _decoded(headers: Headers) -> list[tuple[str, str]]:
    return [(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in headers]


def _header_credentials(headers: Iterable[tuple[str, str]]) -> list[str]:
    values: list[str] = []
    for name, value in headers:
        if name in ("cookie", "set-cookie"):
            values += [v for _, v in _cookie_pairs(value)]
        elif is_secret_name(name):
            values += _credential_parts(value.strip())
    return values


def credential_values(headers: Headers, query: str, bodies: Iterable[tuple[Any, str]]) -> list[str]:
    """The credentials themselves, as `secrets_in` finds them (in the order found)."""
    values = _header_credentials(_decoded(headers))
    values += _form_secrets(query)
    for body, content_type in bodies:
        if isinstance(body, str):
            if _is_form(content_type, body):
                values += _form_secrets(body)
        else:
            values += _field_secrets(body)
    return values


def _credential_parts(value: str) -> list[str]:
    """The header value, its token after the scheme, and what a Basic credential encodes."""
    scheme, _, credential = value.partition(" ")
    parts = [value, credential.strip()] if credential.strip() else [value]
    if scheme.lower() == "basic" and credential.strip():
        try:
            decoded = base64.b64decode(credential.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return parts
        parts += [decoded, decoded.partition(":")[2]]
    return parts


def _cookie_pairs(value: str) -> list[tuple[str, str]]:
    pairs = [part.strip().partition("=") for part in value.split(";")]
    return [(name, v) for name, eq, v in pairs if eq and v]


def _form_secrets(text: str) -> list[str]:
    if not text:
        return []
    return [v for k, v in parse_qsl(text, keep_blank_values=False) if is_secret_name(k)]


def _field_secrets(body: Any) -> list[str]:
    found: list[str] = []
    for node in _walk(body):
        for key, value in node.items():
            if isinstance(value, str) and is_secret_name(str(key)):
                found.append(value)
    return found
