"""The contract stage: every request and answer of the contracts' operations checked in one place."""

from __future__ import annotations

from functools import cache

from kitty_contracts.validation import admin_document, openapi_document

from .middleware import CONTRACT_BODY, ContractStage
from .operations import Operation, OperationTable

__all__ = ["CONTRACT_BODY", "ContractStage", "Operation", "OperationTable", "contract_operations"]


@cache
def contract_operations() -> OperationTable:
    """The operations of the SaaS contract and of the mock's admin contract (built once)."""
    return OperationTable([openapi_document(), admin_document()])
