"""The PostgreSQL schema of each store: one database, a schema per store.

Sandbox names (the admin contract's `SandboxName`: letters of either case, digits, `.`, `_`, `-`,
up to 64) do not map one to one onto short lower-case identifiers, so a sandbox's schema carries
a hash of its exact name: two names never share a schema, and every name fits PostgreSQL's 63
bytes, its world's schema (`..._world`) included.
"""

from __future__ import annotations

import hashlib
import re

STATE_SCHEMA = "kitty_state"
WORLD_SCHEMA = "kitty_world"
SANDBOX_PREFIX = "kitty_sbx_"
_READABLE = 34  # characters of the name kept, so that prefix + name + hash + "_world" <= 63


def sandbox_schema(name: str) -> str:
    """`kitty_sbx_<the name, lower case, [a-z0-9_] only>_<12 hex of its SHA-256>`."""
    readable = re.sub(r"[^a-z0-9_]", "_", name.lower())[:_READABLE]
    digest = hashlib.sha256(name.encode()).hexdigest()[:12]
    return f"{SANDBOX_PREFIX}{readable}_{digest}"


def sandbox_world_schema(name: str) -> str:
    return f"{sandbox_schema(name)}_world"
