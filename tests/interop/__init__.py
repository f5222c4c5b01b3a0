"""Interop tests: the real upstream spec-kitty-cli against the mock SaaS."""
