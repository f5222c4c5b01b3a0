"""Logging through the standard `logging` module, under the `kitty_origin` logger.

Nothing is configured on import. `SPEC_KITTY_LOG=debug` (read by the settings module) makes the
first client attach one stderr handler at that level. Records carry `request_id` when the SaaS
named one; credentials are never passed to a log call (headers are not logged at all).
"""

from __future__ import annotations

import logging

LOGGER_NAME = "kitty_origin"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module added, so it is added once."""


def configure_logging(level: str | None) -> None:
    """Attach one stderr handler at `level` to the package logger (no-op for None)."""
    if level is None:
        return
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(level.upper())
    if not any(isinstance(handler, _OurHandler) for handler in logger.handlers):
        handler = _OurHandler()
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
