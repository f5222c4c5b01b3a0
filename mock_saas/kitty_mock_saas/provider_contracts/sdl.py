"""Linear's GraphQL schema as committed in `linear/schema.graphql`, built once per process.

The subset holds the root fields the Linear fake serves and every type they reach, verbatim
from Linear's published SDL (`linear/source.json` says where from). The fake executes it; the
tests validate documents and answers against it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

__all__ = ["linear_schema", "linear_sdl"]

_LINEAR = Path(__file__).resolve().parent / "linear" / "schema.graphql"


@cache
def linear_sdl() -> str:
    """The committed SDL text."""
    return _LINEAR.read_text(encoding="utf-8")


@cache
def linear_schema() -> GraphQLSchema:
    """The committed SDL as a graphql-core schema (shared: do not mutate it)."""
    return build_schema(linear_sdl())
