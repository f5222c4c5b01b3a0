"""In-process fakes of Jira Cloud, Linear and GitHub: Starlette apps over one TrackerWorld."""

from .github import create_github_fake
from .jira import create_jira_fake
from .linear import create_linear_fake

__all__ = ["create_github_fake", "create_jira_fake", "create_linear_fake"]
