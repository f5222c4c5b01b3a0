"""The command line's checked argument types and its `KITTY_MOCK_*` defaults.

Each type raises `argparse.ArgumentTypeError` with what it takes, so argparse answers
`error: argument --port: 99999 is not a port (0-65535, 0 for a free one)` and exit 2, never a
traceback. Every option can also come from a variable (`KITTY_MOCK_PORT=8766`, container style);
a command-line argument wins over it.
"""

from __future__ import annotations

import argparse
import ipaddress
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvDefaultError(ValueError):
    """A `KITTY_MOCK_*` variable holds a value its option does not take."""


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (0-65535, 0 for a free one)")
    return value


def whole(minimum: int, maximum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            value = minimum - 1
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(
                f"{text} is not a whole number from {minimum:,} to {maximum:,}"
            )
        return value

    return parse


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(
            f"{text} is not a number of seconds above 0 (at most a day)"
        )
    return value


def host(text: str) -> str:
    """An interface address: an IP address or a host name, without a scheme or port."""
    if "://" in text or "/" in text:
        raise argparse.ArgumentTypeError(f"{text!r} is a URL; give an address such as 127.0.0.1")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        if not text or ":" in text or not all(part for part in text.split(".")):
            raise argparse.ArgumentTypeError(
                f"{text!r} is not an address (127.0.0.1, ::1 or a host name)"
            ) from None
    return text


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def database_url(text: str) -> str:
    if not text.startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not a postgresql:// URL")
    return text


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text}: no such file")
    return path


def existing_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: no such directory")
    return path


def env_name(prefix: str, action: argparse.Action, names: Mapping[str, str]) -> str:
    return names.get(action.dest) or f"{prefix}{action.dest.upper()}"


def apply_env_defaults(
    parser: argparse.ArgumentParser,
    prefix: str,
    environ: Mapping[str, str],
    names: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Name each option's variable in its help and take its default from it when set.

    Returns which options took their default from which variable.

    Raises:
        EnvDefaultError: a variable's value is not one its option takes (named in the message).
    """
    names = names or {}
    taken: dict[str, str] = {}
    for action in parser._actions:
        if not action.option_strings or action.dest in {"help", "version"}:
            continue
        name = env_name(prefix, action, names)
        action.help = f"{action.help or ''} [env {name}]".strip()
        raw = environ.get(name)
        if raw is None:
            continue
        action.default = _converted(action, name, raw)
        taken[action.dest] = name
    return taken


def _converted(action: argparse.Action, name: str, raw: str) -> Any:
    if action.nargs == 0:  # a flag: store_true
        lowered = raw.strip().lower()
        if lowered not in _TRUE | _FALSE:
            raise EnvDefaultError(f"{name}={raw!r}: use 1 or 0 (true/false, yes/no)")
        return lowered in _TRUE
    if action.choices is not None and raw not in action.choices:
        raise EnvDefaultError(f"{name}={raw!r}: use one of {', '.join(map(str, action.choices))}")
    if action.type is None:
        return raw
    try:
        return action.type(raw)  # type: ignore[operator]
    except (argparse.ArgumentTypeError, ValueError) as exc:
        raise EnvDefaultError(f"{name}={raw!r}: {exc}") from None
