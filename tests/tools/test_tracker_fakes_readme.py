"""The tracker fakes' README: its generated tables match the committed provider subsets and the
seeded world (the drift gate), and the generator reads both kinds of subset."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import tracker_fakes_readme as readme


def test_the_readme_tables_are_generated_from_the_current_sources() -> None:
    current = readme.README.read_text(encoding="utf-8")
    assert readme.rendered(current) == current, readme.HINT
    for name in readme.BLOCKS:
        assert f"<!-- BEGIN GENERATED: {name} -->" in current


def test_the_world_table_lists_every_token_with_its_account() -> None:
    block = readme.world_block()
    assert (
        "| jira | `acc-alice` | Alice Adams |  | alice@acme.example | `jira-tok-alice` | user |"
        in (block)
    )
    assert "`gh-install-acme` | app |" in block
    assert "| linear | `lin-dan` |" in block  # an account without a token is listed too


def test_operations_come_from_the_openapi_and_sdl_subsets(tmp_path: Path) -> None:
    (tmp_path / "github").mkdir()
    (tmp_path / "github" / "openapi.json").write_text(
        json.dumps(
            {
                "paths": {
                    "/user": {
                        "get": {"operationId": "users/get-authenticated", "summary": "Get the user"}
                    },
                    "/repos/{owner}/{repo}/issues": {
                        "post": {
                            "operationId": "issues/create",
                            "summary": "Create an issue. More.",
                        },
                        "get": {"operationId": "issues/list-for-repo", "summary": "List | issues"},
                    },
                }
            }
        ),
        encoding="utf-8",
    )
    (tmp_path / "linear").mkdir()
    (tmp_path / "linear" / "schema.graphql").write_text(
        '"""The root."""\ntype Query {\n  """One issue. Really."""\n  issue(id: String!): Issue\n}\n'
        "type Mutation {\n  commentCreate(input: String!): Boolean\n}\ntype Issue { id: ID! }\n",
        encoding="utf-8",
    )
    block = readme.operations_block(tmp_path)
    assert "| GET | `/user` | `users/get-authenticated` | Get the user |" in block
    assert block.index("| GET | `/repos/{owner}/{repo}/issues`") < block.index("| POST | `/repos")
    assert "| `issues/create` | Create an issue. |" in block  # the first sentence
    assert "List \\| issues" in block
    assert "| Query | `issue` | id | One issue. |" in block
    assert "| Mutation | `commentCreate` | input |  |" in block
    assert "_No committed jira subset yet" in block
