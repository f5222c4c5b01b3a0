"""A fake Jira Cloud site: the platform REST API (v3 with ADF bodies, v2 with plain text) over
the shared tracker world, with a real JQL engine (`jql`, `jql_fields`, `jql_search`)."""

from .app import create_jira_fake

__all__ = ["create_jira_fake"]
