"""Where a provider's OpenAPI description comes from, and its subset as committed files."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .openapi_subset import openapi_subset, read_operations

__all__ = ["HERE", "ROOT", "SUBSETS", "OpenApiSource", "extract_openapi", "stable_json"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SUBSETS = ROOT / "mock_saas" / "kitty_mock_saas" / "provider_contracts"


@dataclass(frozen=True)
class OpenApiSource:
    """One provider's full description in the shared folder and what is known about it."""

    provider: str
    file: str  # relative to the shared provider-apis folder
    licence: str
    licence_file: str | None  # copied beside the subset when the licence asks for it
    origin: str

    @property
    def operations_file(self) -> Path:
        return HERE / f"{self.provider}_operations.txt"


def stable_json(data: Any) -> bytes:
    """Sorted keys, fixed indentation, UTF-8, one trailing newline: the same bytes every run."""
    return (json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def extract_openapi(source: OpenApiSource, shared: Path) -> dict[str, bytes]:
    """The committed files of `source`'s subset: `openapi.json`, `source.json` (+ `LICENSE`)."""
    raw = (shared / source.file).read_bytes()
    document = json.loads(raw)
    operations = read_operations(source.operations_file)
    subset = openapi_subset(document, operations)
    provenance = {
        "provider": source.provider,
        "source": source.origin,
        "file": source.file,
        "version": document.get("info", {}).get("version"),
        "openapi": document.get("openapi"),
        "licence": source.licence,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "operations": len(operations),
        "components": {kind: len(items) for kind, items in subset["components"].items()},
        "cut": "the listed operations of tools/provider_contracts/"
        f"{source.operations_file.name} and the components they reference, "
        "examples dropped; written by `python -m tools.provider_contracts extract`",
    }
    files = {"openapi.json": stable_json(subset), "source.json": stable_json(provenance)}
    if source.licence_file is not None:
        files["LICENSE"] = (shared / source.licence_file).read_bytes()
    return files
