"""A breaking-change check of two bundled OpenAPI documents that knows JSON Schema constraints.

    >>> findings = compare_documents(old_doc, new_doc)
    >>> [f.rule for f in findings]
    ['request.maximum.lowered']

Requests break clients when they accept less, responses when they may carry more; see
`tools/README.md` for every rule.
"""

from __future__ import annotations

from typing import Any

from .context import Comparison
from .document import Document
from .findings import Finding
from .operations import compare_operations
from .versioning import VersionProblem, version_problems

__all__ = ["Finding", "VersionProblem", "compare_documents", "version_problems"]


def compare_documents(old: dict[str, Any], new: dict[str, Any]) -> list[Finding]:
    """Every change from `old` to `new` that breaks clients of `old`, in a stable order."""
    comparison = Comparison(Document(old), Document(new))
    compare_operations(comparison)
    return comparison.sorted_findings()
