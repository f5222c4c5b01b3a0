"""A fake GitHub REST API over the shared `TrackerWorld`, answering as GitHub's published
description says: the authenticated user, organisations and repositories; issues (list with
filters and pages, get with 301/410, `PATCH` of only the fields sent, create), comments,
labels, issue events and issue search; GitHub's error bodies and `Link` pagination. It serves
at the root (api.github.com) and under `/api/v3` (GitHub Enterprise Server). Rate limiting
answers as a primary (403, `x-ratelimit-remaining: 0`) or secondary (429, `retry-after`) limit.
"""

from .app import create_github_fake
from .issue_render import issue_payload
from .render import GITHUB_API_URL

__all__ = ["GITHUB_API_URL", "create_github_fake", "issue_payload"]
