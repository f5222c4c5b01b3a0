"""Regenerate everything under generated/ from contracts/, byte-for-byte reproducibly.

Steps: bundle the OpenAPI document, run datamodel-code-generator (pydantic models of every
schema) and openapi-python-client (typed endpoint functions), copy the runtime modules of
`tools/contract_runtime/` (validators, error catalogue) into kitty_contracts, stamp a do-not-edit
header on every generated file, write generated/MANIFEST.json with the input hashes and tool
versions, and render the README error tables from the catalogue (`tools/error_tables.py`).
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
from typing import Any

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
# Hand-written runtime modules of kitty_contracts (linted and type-checked in tools/), copied in.
RUNTIME = Path(__file__).resolve().parent / "contract_runtime"
RUNTIME_MODULES = ("validation.py", "error_catalogue.py")
RUNTIME_HEADER = (
    "# Copied from tools/contract_runtime/ by `make generate` (contract data is read from the\n"
    "# bundled openapi.json next to it). Do not edit.\n"
)
COMPONENT_NAMES_MODULE = '''# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""The names of the contract's `components.schemas`, as a type."""

from typing import Literal

ComponentName = Literal[
{names}
]
'''
CATALOGUE_FIELDS = ("status", "category", "retryable", "user_action_required", "hint")

CONTRACT_VERSION_MODULE = '''# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""The `info.version` of the contract this package was generated from."""

CONTRACT_VERSION = "{version}"
'''

LINT_ONLY = {"redocly.yaml"}


def contract_files() -> list[Path]:
    """Every file generation reads: the documents, the schemas and the generator config."""
    contracts = (
        p
        for p in CONTRACTS.rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".json"} and p.name not in LINT_ONLY
    )
    return sorted([*contracts, *(RUNTIME / name for name in RUNTIME_MODULES)])


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


def check_error_catalogue(schemas: dict[str, Any]) -> None:
    """Refuse a catalogue that differs from the enum, lacks a field, or has no or two defaults."""
    code_schema = schemas["ErrorCode"]
    catalogue: dict[str, dict[str, Any]] = code_schema.get("x-error-catalogue", {})
    problems = []
    if list(catalogue) != code_schema["enum"]:
        problems.append("x-error-catalogue must list exactly the enum's codes, in its order")
    categories = set(schemas["ErrorCategory"]["enum"])
    defaults: dict[int, list[str]] = {}
    for code, entry in catalogue.items():
        missing = [f for f in CATALOGUE_FIELDS if f not in entry]
        if missing:
            problems.append(f"{code}: missing {', '.join(missing)}")
            continue
        if entry["category"] not in categories:
            problems.append(f"{code}: category {entry['category']!r} is not an ErrorCategory")
        bucket = defaults.setdefault(entry["status"], [])
        if entry.get("status_default"):
            bucket.append(code)
    problems += [
        f"status {status}: {len(codes)} codes say status_default (need exactly one)"
        for status, codes in sorted(defaults.items())
        if len(codes) != 1
    ]
    if problems:
        raise SystemExit(
            "contracts/schemas/error_code.json: the error catalogue is inconsistent:\n  - "
            + "\n  - ".join(problems)
        )


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
    schemas = json.loads(bundled)["components"]["schemas"]
    check_error_catalogue(schemas)
    (MODELS / "component_names.py").write_text(
        COMPONENT_NAMES_MODULE.format(names="\n".join(f'    "{n}",' for n in schemas)),
        encoding="utf-8",
    )
    for name in RUNTIME_MODULES:
        text = (RUNTIME / name).read_text(encoding="utf-8")
        (MODELS / name).write_text(RUNTIME_HEADER + text, encoding="utf-8")
    (MODELS / "contract_version.py").write_text(
        CONTRACT_VERSION_MODULE.format(version=json.loads(bundled)["info"]["version"]),
        encoding="utf-8",
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
    # A fresh process on this tree's packages, so the tables read the catalogue just generated.
    tree = {**env, "PYTHONPATH": os.pathsep.join(str(ROOT / d) for d in ("generated", "client"))}
    _run([sys.executable, str(Path(__file__).resolve().parent / "error_tables.py")], tree)


if __name__ == "__main__":
    main()
