# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""A client library for accessing Spec Kitty SaaS tracker API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
