"""Writes the generated tables of the tracker fakes' README from their sources of truth.

`python tools/tracker_fakes_readme.py` rewrites each block between `<!-- BEGIN GENERATED: name -->`
and `<!-- END GENERATED: name -->` in `mock_saas/kitty_mock_saas/tracker_fakes/README.md`;
`--check` exits 1 when a block differs from what the sources say (the drift gate; a test runs
it too). The sources:

- `operations`: the committed provider-contract subsets
  (`mock_saas/kitty_mock_saas/provider_contracts/{github,jira}/openapi.json`, the Linear root
  fields of `linear/schema.graphql`), i.e. exactly what the fakes answer to;
- `world`: the seeded world (containers, accounts, tokens) of `tracker_fakes.world`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "mock_saas" / "kitty_mock_saas" / "tracker_fakes" / "README.md"
CONTRACTS = ROOT / "mock_saas" / "kitty_mock_saas" / "provider_contracts"
HINT = "run `python tools/tracker_fakes_readme.py` and commit the README"

_METHODS = ("get", "put", "post", "patch", "delete")
_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)


def _cell(text: Any) -> str:
    """One table cell: a single line, pipes escaped."""
    line = " ".join(str(text or "").split())
    return line.replace("|", "\\|")


def _first_sentence(text: str | None) -> str:
    words = " ".join((text or "").split())
    end = words.find(". ")
    return words if end < 0 else words[: end + 1]


def _table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return lines


def _provenance(folder: Path) -> str:
    source = folder / "source.json"
    if not source.is_file():
        return ""
    data = json.loads(source.read_text(encoding="utf-8"))
    return f"Cut from `{data.get('file')}` ({data.get('source')}; version {data.get('version')}; licence {data.get('licence')})."


def openapi_lines(provider: str, contracts: Path) -> list[str]:
    """The operations of `provider`'s committed OpenAPI subset, by path."""
    folder = contracts / provider
    document_path = folder / "openapi.json"
    if not document_path.is_file():
        return [
            f"_No committed {provider} subset yet (`provider_contracts/{provider}/openapi.json`)._"
        ]
    document = json.loads(document_path.read_text(encoding="utf-8"))
    rows = []
    for path in sorted(document.get("paths", {})):
        item = document["paths"][path]
        for method in _METHODS:
            operation = item.get(method)
            if operation is not None:
                rows.append(
                    (
                        method.upper(),
                        f"`{path}`",
                        f"`{operation.get('operationId', '')}`",
                        _first_sentence(operation.get("summary")),
                    )
                )
    lines = [_provenance(folder), ""] if _provenance(folder) else []
    return lines + _table(("Method", "Path", "Operation", "Summary"), rows)


def graphql_lines(contracts: Path) -> list[str]:
    """The root fields of the committed Linear SDL subset (queries, then mutations)."""
    from graphql import ObjectTypeDefinitionNode, ObjectTypeExtensionNode, parse

    folder = contracts / "linear"
    sdl_path = folder / "schema.graphql"
    if not sdl_path.is_file():
        return ["_No committed Linear subset yet (`provider_contracts/linear/schema.graphql`)._"]
    document = parse(sdl_path.read_text(encoding="utf-8"), no_location=True)
    rows = []
    for root in ("Query", "Mutation"):
        for definition in document.definitions:
            if not isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
                continue
            if definition.name.value != root:
                continue
            for field in sorted(definition.fields or (), key=lambda f: f.name.value):
                arguments = ", ".join(a.name.value for a in field.arguments or ())
                description = field.description.value if field.description else ""
                rows.append(
                    (root, f"`{field.name.value}`", arguments, _first_sentence(description))
                )
    lines = [_provenance(folder), ""] if _provenance(folder) else []
    return lines + _table(("Root", "Field", "Arguments", "Description"), rows)


def operations_block(contracts: Path = CONTRACTS) -> str:
    lines = ["### Jira Cloud platform REST (v3; the same under `/rest/api/2` with plain text)", ""]
    lines += openapi_lines("jira", contracts)
    lines += ["", "### Linear GraphQL (`POST /graphql`)", ""]
    lines += graphql_lines(contracts)
    lines += ["", "### GitHub REST", ""]
    lines += openapi_lines("github", contracts)
    return "\n".join(lines) + "\n"


def world_block() -> str:
    """The seeded containers and accounts, with the tokens that act as each."""
    from kitty_contracts import Provider
    from kitty_mock_saas.tracker_fakes.world import TrackerWorld, seed_default_world

    with TrackerWorld() as world:
        seed_default_world(world)
        containers = [
            (c.provider.value, f"`{c.key}`", f"`{c.id}`", c.name, c.site_url)
            for c in world.containers()
        ]
        accounts = []
        for provider in (Provider.jira, Provider.linear, Provider.github):
            identities = world.identities(provider)
            for account in world.accounts(provider):
                tokens = sorted(i.token for i in identities if i.account_id == account.account_id)
                accounts.append(
                    (
                        provider.value,
                        f"`{account.account_id}`",
                        account.display_name,
                        account.login or "",
                        account.email or "",
                        ", ".join(f"`{t}`" for t in tokens) or "none",
                        "app" if account.is_app else "user",
                    )
                )
    lines = _table(("Provider", "Key", "Id", "Name", "Site"), containers)
    lines += [""]
    lines += _table(("Provider", "Account", "Name", "Login", "Email", "Tokens", "Kind"), accounts)
    return "\n".join(lines) + "\n"


BLOCKS: dict[str, Callable[[], str]] = {"operations": operations_block, "world": world_block}


def rendered(text: str) -> str:
    """`text` with every generated block written afresh."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in BLOCKS:
            raise SystemExit(f"unknown generated block {name!r} in {README}")
        return match.group(1) + BLOCKS[name]() + match.group(4)

    return _BLOCK.sub(replace, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/tracker_fakes_readme.py")
    parser.add_argument("--check", action="store_true", help="exit 1 when the README is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    fresh = rendered(current)
    if args.check:
        if fresh != current:
            print(f"{README.relative_to(ROOT)} is stale: {HINT}", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
