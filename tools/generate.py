"""Regenerate everything under generated/ from contracts/, byte-for-byte reproducibly.

Steps: bundle the OpenAPI document, run datamodel-code-generator (pydantic models of every
schema) and openapi-python-client (typed endpoint functions), stamp a do-not-edit header on every
generated file, and write generated/MANIFEST.json with the contract hashes and tool versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from bundle_contract import bundle, dumps

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / "contracts"
GENERATED = ROOT / "generated"
MODELS = GENERATED / "kitty_contracts"
API = GENERATED / "kitty_saas_api"
BUNDLE_NAME = "openapi.json"
ADMIN_BUNDLE_NAME = "admin_openapi.json"
TOOLS = ("datamodel-code-generator", "openapi-python-client", "ruff", "pydantic")
API_HEADER = "# Generated from contracts/openapi.yaml by `make generate`. Do not edit.\n"
VALIDATION_MODULE = '''# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""JSON Schema 2020-12 validators for every contract component, read from the bundled contract.

The pydantic models approximate the contract; these validators are the contract (formats,
`not`, `if`/`then`). Valid input is decided by `jsonschema_rs` (Rust, ~1 us); only invalid
input goes through `jsonschema` too, for its detailed, located errors. A contract test keeps
the two engines in agreement. Import has no side effect: the bundle is read on first use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache, cached_property
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

import jsonschema_rs

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

ComponentName = Literal[
{names}
]

_URN = "urn:kitty-contract"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@cache
def _text(name: str) -> str:
    return (files(__package__) / name).read_text(encoding="utf-8")


def openapi_document() -> dict[str, Any]:
    """The bundled contract (the document the mock serves verbatim); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("openapi.json"))
    return document


def admin_document() -> dict[str, Any]:
    """The bundled admin contract of the mock SaaS (contracts/admin.yaml); a fresh copy per call."""
    document: dict[str, Any] = json.loads(_text("admin_openapi.json"))
    return document


class ContractValidator:
    """Validates instances of one component: `is_valid` and located `iter_errors`."""

    def __init__(self, document: dict[str, Any], name: str) -> None:
        self.name = name
        self._document = document
        root = {{"$schema": _DIALECT, "components": document["components"]}}
        self._fast = jsonschema_rs.Draft202012Validator(
            {{**root, "$ref": f"#/components/schemas/{{name}}"}}, validate_formats=True
        )

    @cached_property
    def detailed(self) -> Draft202012Validator:
        """The `jsonschema` engine, built on first use: importing it takes a second or more."""
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resource(  # type: ignore[var-annotated]
            _URN, Resource.from_contents(self._document, default_specification=DRAFT202012)
        )
        return Draft202012Validator(
            {{"$ref": f"{{_URN}}#/components/schemas/{{self.name}}"}},
            registry=registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )

    def is_valid(self, instance: Any) -> bool:
        return bool(self._fast.is_valid(instance))

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if self._fast.is_valid(instance):
            return iter(())
        return self.detailed.iter_errors(instance)


@cache
def validator(name: ComponentName) -> ContractValidator:
    """The validator of `#/components/schemas/<name>` (format checks on)."""
    return ContractValidator(openapi_document(), name)


@cache
def admin_validator(name: str) -> ContractValidator:
    """The validator of the admin contract's `#/components/schemas/<name>`."""
    return ContractValidator(admin_document(), name)
'''


LINT_ONLY = {"redocly.yaml"}


def contract_files() -> list[Path]:
    """Every file generation reads: the documents, the schemas and the generator config."""
    return sorted(
        p
        for p in CONTRACTS.rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".json"} and p.name not in LINT_ONLY
    )


def contract_hashes() -> dict[str, str]:
    return {
        p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in contract_files()
    }


def manifest() -> dict[str, object]:
    """The manifest as it must be for the current contracts and installed tools."""
    return {
        "generated_by": "make generate (tools/generate.py)",
        "contracts": contract_hashes(),
        "tools": {name: metadata.version(name) for name in TOOLS},
    }


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0 or "Traceback" in result.stderr:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"generation step failed: {' '.join(cmd)}")
    if "warning" in (result.stdout + result.stderr).lower() and "ruff" in result.stderr.lower():
        # A formatter that fails is only a warning to the generators; unformatted output is drift.
        sys.stderr.write(result.stderr)
        raise SystemExit("formatter failed during generation")


def main() -> None:
    env = dict(os.environ)  # noqa: TID251 - the generator processes inherit the environment
    env["RUFF_NO_CACHE"] = "true"
    bin_dir = Path(sys.executable).parent
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"

    bundled = dumps(bundle(CONTRACTS / "openapi.yaml"))

    shutil.rmtree(MODELS, ignore_errors=True)
    _run([str(bin_dir / "datamodel-codegen"), "--all-jobs"], env)
    (MODELS / BUNDLE_NAME).write_text(bundled, encoding="utf-8")
    admin_bundle = dumps(bundle(CONTRACTS / "admin.yaml"))
    (MODELS / ADMIN_BUNDLE_NAME).write_text(admin_bundle, encoding="utf-8")
    names = json.loads(bundled)["components"]["schemas"]
    (MODELS / "validation.py").write_text(
        VALIDATION_MODULE.format(names="\n".join(f'    "{n}",' for n in names)), encoding="utf-8"
    )
    (MODELS / "py.typed").write_text("", encoding="utf-8")

    shutil.rmtree(API, ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=GENERATED) as tmp:
        bundle_path = Path(tmp) / BUNDLE_NAME
        bundle_path.write_text(bundled, encoding="utf-8")
        _run(
            [
                str(bin_dir / "openapi-python-client"),
                "generate",
                "--path",
                str(bundle_path),
                "--config",
                str(CONTRACTS / "openapi-python-client.yaml"),
                "--meta",
                "none",
                "--output-path",
                str(API),
                "--fail-on-warning",
            ],
            env,
        )
    (API / "py.typed").write_text("", encoding="utf-8")
    for path in sorted(API.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith(API_HEADER):
            path.write_text(API_HEADER + text, encoding="utf-8")

    (GENERATED / "MANIFEST.json").write_text(
        json.dumps(manifest(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
