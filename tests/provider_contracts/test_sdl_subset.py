"""The Linear SDL subset keeps the served root fields and everything they reach, verbatim."""

from __future__ import annotations

import sys

from graphql import build_schema
from kitty_mock_saas.provider_contracts import provenance
from kitty_mock_saas.provider_contracts.sdl import linear_schema

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from provider_contracts.sdl_subset import HERE, read_root_fields, sdl_subset

FULL = '''
schema { query: Query mutation: Mutation subscription: Subscription }
directive @oneOf on INPUT_OBJECT
"""The root."""
type Query {
  """One thing."""
  thing(id: ID!, filter: ThingFilter): Thing!
  other: Other
}
type Mutation { make(input: MakeInput!): Thing! drop: Boolean }
type Subscription { changed: Thing }
"""A thing."""
type Thing implements Node { id: ID! kind: Kind! owner: Owner }
interface Node { id: ID! }
union Owner = Person | Robot
type Person { name: String }
type Robot { serial: Int @deprecated(reason: "gone") }
enum Kind { A B }
input ThingFilter { and: [ThingFilter!] kind: KindComparator }
input KindComparator @oneOf { eq: Kind }
input MakeInput { kind: Kind }
type Other { unused: Unused }
type Unused { x: Int }
'''


def test_the_subset_keeps_the_served_roots_and_what_they_reach() -> None:
    cut = sdl_subset(FULL, {"Query": ["thing"], "Mutation": ["make"]})
    schema = build_schema(cut)
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    assert set(schema.query_type.fields) == {"thing"}
    assert set(schema.mutation_type.fields) == {"make"}
    assert schema.subscription_type is None
    kept = {name for name in schema.type_map if not name.startswith("__")}
    assert kept >= {"Thing", "Node", "Owner", "Person", "Robot", "Kind", "ThingFilter", "MakeInput"}
    assert "Other" not in kept
    assert "Unused" not in kept
    assert '"""A thing."""\ntype Thing implements Node' in cut
    assert '"""One thing."""\n  thing(id: ID!, filter: ThingFilter): Thing!' in cut
    assert "directive @oneOf on INPUT_OBJECT" in cut
    assert '@deprecated(reason: "gone")' in cut


def test_the_committed_subset_serves_exactly_the_listed_root_fields() -> None:
    roots = read_root_fields(HERE / "linear_operations.txt")
    schema = linear_schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    assert sorted(schema.query_type.fields) == sorted(roots["Query"])
    assert sorted(schema.mutation_type.fields) == sorted(roots["Mutation"])
    source = provenance("linear")
    assert source["licence"] == "MIT"
    assert "linear/linear" in source["source"]
    assert len(source["sha256"]) == 64
