# Generated from contracts/openapi.yaml by `make generate`. Do not edit.
"""The `info.version` of the contract this package was generated from."""

CONTRACT_VERSION = "3.1.0"
