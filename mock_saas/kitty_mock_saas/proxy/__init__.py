"""A validating proxy in front of a live SaaS (or a mock): every exchange checked against the contract."""

from __future__ import annotations

from .app import ValidatingProxy
from .findings import Exchange, Finding, check_exchange

__all__ = ["Exchange", "Finding", "ValidatingProxy", "check_exchange"]
