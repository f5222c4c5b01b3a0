"""A sandbox's PostgreSQL schema: one per exact name, always a valid identifier."""

from __future__ import annotations

import re

from kitty_mock_saas.sandboxes import is_sandbox_name
from kitty_mock_saas.store.schemas import sandbox_schema, sandbox_world_schema

# Names the contract allows that a plain lower-casing or `-` -> `_` would merge.
ALIKE = ["ci-1", "ci_1", "CI-1", "ci.1", "Ci-1", "x" * 64, "x" * 63 + "y", "X" * 64]


def test_names_that_look_alike_get_schemas_of_their_own() -> None:
    assert all(is_sandbox_name(name) for name in ALIKE)
    assert len({sandbox_schema(name) for name in ALIKE}) == len(ALIKE)


def test_every_schema_is_a_plain_identifier_within_63_bytes() -> None:
    for name in ALIKE:
        for schema in (sandbox_schema(name), sandbox_world_schema(name)):
            assert re.fullmatch(r"kitty_sbx_[a-z0-9_]+", schema)
            assert len(schema.encode()) <= 63
