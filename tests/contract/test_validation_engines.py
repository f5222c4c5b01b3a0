"""The two validation engines agree: `jsonschema_rs` decides validity, `jsonschema` explains it.

Generated from the contract (hypothesis-jsonschema), valid instances and broken ones (a field
dropped, a value replaced by another type or a hostile string) must get the same verdict from
both, for every component. A disagreement would make the mock or the client accept what the
contract refuses, or the other way round.
"""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from kitty_contracts.validation import ComponentName, openapi_document, validator

COMPONENTS = list(get_args(ComponentName))
FORMATS: dict[str, st.SearchStrategy[str]] = {"uuid": st.uuids().map(str)}
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.lists(st.integers()),
    st.text(max_size=20), st.sampled_from(["", " ", "not a uri", "2026-13-45T99:00:00Z", "WEB 1\\x85",
                                           "https://", "x" * 3000, "op_short", "\\u0000"]),
)  # fmt: skip


def _generation_schema(name: str) -> dict[str, Any]:
    """The component without its top-level `not`/`if`/`then`: hypothesis-jsonschema crawls on
    them, and instances that break them are as useful here (only the verdicts are compared)."""
    components = openapi_document()["components"]
    target = components["schemas"][name]
    for keyword in ("not", "if", "then"):
        target.pop(keyword, None)
    return {"$ref": f"#/components/schemas/{name}", "components": components}


def _mutations(value: Any) -> st.SearchStrategy[Any]:
    if isinstance(value, dict) and value:
        key = st.sampled_from(sorted(value))
        dropped = key.map(lambda k: {n: v for n, v in value.items() if n != k})
        replaced = st.tuples(key, HOSTILE).map(lambda kv: {**value, kv[0]: kv[1]})
        return st.one_of(dropped, replaced, HOSTILE)
    return HOSTILE


def _agree(name: ComponentName, instance: Any) -> None:
    checker = validator(name)
    fast = checker.is_valid(instance)
    detailed = checker.detailed.is_valid(instance)
    assert fast == detailed, (
        f"{name}: jsonschema_rs says {fast}, jsonschema says {detailed}: {instance!r}"
    )


@pytest.mark.parametrize("name", COMPONENTS)
# No shrinking: a disagreement is readable as drawn, and shrinking these instances takes minutes.
@settings(max_examples=30, deadline=None, database=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])  # fmt: skip
@given(data=st.data())
def test_engines_agree_on_generated_and_broken_instances(
    name: ComponentName, data: st.DataObject
) -> None:
    instance = data.draw(from_schema(_generation_schema(name), custom_formats=FORMATS))
    _agree(name, instance)
    _agree(name, data.draw(_mutations(instance)))


def test_engines_agree_on_every_named_example() -> None:
    from tests.contract.examples import named_examples

    for example in named_examples():
        assert validator(example.schema_name).is_valid(example.value), example.id
