"""What this mock is: its own, the SDK's and both contracts' versions (`--version`, health)."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from kitty_contracts.contract_version import CONTRACT_VERSION
from kitty_contracts.validation import admin_document


def _distribution(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


@cache
def versions() -> dict[str, str]:
    return {
        "mock_version": _distribution("kitty-mock-saas"),
        "sdk_version": _distribution("spec-kitty-origin"),
        "contract_version": CONTRACT_VERSION,
        "admin_contract_version": str(admin_document()["info"]["version"]),
    }


def version_line(program: str = "kitty-mock-saas") -> str:
    """One line for `--version`."""
    found = versions()
    return (
        f"{program} {found['mock_version']} (SDK {found['sdk_version']}; contract "
        f"{found['contract_version']}, admin contract {found['admin_contract_version']})"
    )
