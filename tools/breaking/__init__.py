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


def compare_documents(
    old: dict[str, Any], new: dict[str, Any], *, tolerant_readers: bool = False
) -> list[Finding]:
    """Every change from `old` to `new` that breaks clients of `old`, in a stable order.

    By default a client rejects a response property its closed schema (`additionalProperties:
    false`) does not name, as this kit's client does; `tolerant_readers` assumes clients that
    ignore unknown response properties.
    """
    comparison = Comparison(Document(old), Document(new), tolerant_readers=tolerant_readers)
    compare_operations(comparison)
    return comparison.sorted_findings()
