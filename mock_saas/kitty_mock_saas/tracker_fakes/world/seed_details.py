"""Who works on what in the default world: the accounts of each tracker, the label catalogues,
each seeded ticket's labels, assignee, reporter, priority and parent, and a few comments.

Kept apart from `seed.py` so the tickets' fixed facts (keys, titles, statuses, visibility)
stay as they were; nothing here changes them. Carol has a Jira account and token; bob has
none on Jira (he has no Jira identity), dan has accounts but no tokens (one can assign him).
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from kitty_contracts import Provider

from .models import Account

__all__ = [
    "DEFAULT_ACCOUNTS",
    "DEFAULT_COMMENTS",
    "DEFAULT_LABELS",
    "TICKET_DETAILS",
    "SeededComment",
    "TicketDetails",
]

_J, _L, _G = Provider.jira, Provider.linear, Provider.github

DEFAULT_ACCOUNTS = (
    Account(_J, "acc-alice", "Alice Adams", "alice@acme.example"),
    Account(_J, "acc-carol", "Carol Chen", "carol@globex.example"),
    Account(_J, "acc-dan", "Dan Okafor", "dan@acme.example"),
    Account(_J, "app-spec-kitty-jira", "Spec Kitty (Jira app)", is_app=True),
    Account(_L, "lin-alice", "Alice Adams", "alice@acme.example", "alice"),
    Account(_L, "lin-bob", "Bob Brown", "bob@acme.example", "bob"),
    Account(_L, "lin-carol", "Carol Chen", "carol@globex.example", "carol"),
    Account(_L, "lin-dan", "Dan Okafor", "dan@acme.example", "dan"),
    Account(_L, "app-spec-kitty-linear", "Spec Kitty (Linear app)", None, "spec-kitty", True),
    Account(_G, "gh-alice", "Alice Adams", "alice@acme.example", "alice"),
    Account(_G, "gh-carol", "Carol Chen", None, "carol"),
    Account(_G, "gh-dan", "Dan Okafor", None, "dan"),
    Account(_G, "app-spec-kitty-github", "spec-kitty[bot]", None, "spec-kitty[bot]", True),
)

# (provider, container key) -> [(name, colour, description)]; GitHub's and Linear's own defaults.
DEFAULT_LABELS: dict[tuple[Provider, str], list[tuple[str, str, str | None]]] = {
    (_J, "IAM"): [
        ("security", "", None),
        ("sso", "", None),
        ("compliance", "", None),
        ("docs", "", None),
        ("tech-debt", "", None),
    ],
    (_J, "OPS"): [("incident", "", None), ("backup", "", None), ("on-call", "", None)],
    (_L, "WEB"): [
        ("Bug", "#eb5757", None),
        ("Feature", "#bb87fc", None),
        ("Improvement", "#4ea7fc", None),
        ("Frontend", "#f2c94c", "Anything the browser renders"),
        ("Auth", "#26b5ce", "Sign-in, sessions and permissions"),
        ("Security", "#f2994a", None),
    ],
    (_L, "API"): [("Bug", "#eb5757", None), ("Feature", "#bb87fc", None)],
    (_G, "acme/web"): [
        ("bug", "d73a4a", "Something isn't working"),
        ("documentation", "0075ca", "Improvements or additions to documentation"),
        ("duplicate", "cfd3d7", "This issue or pull request already exists"),
        ("enhancement", "a2eeef", "New feature or request"),
        ("good first issue", "7057ff", "Good for newcomers"),
        ("help wanted", "008672", "Extra attention is needed"),
        ("dependencies", "0366d6", "Pull requests that update a dependency file"),
        ("security", "b60205", None),
    ],
    (_G, "acme/platform"): [
        ("bug", "d73a4a", "Something isn't working"),
        ("enhancement", "a2eeef", "New feature or request"),
    ],
}


class TicketDetails(NamedTuple):
    """A seeded ticket's labels, assignee, reporter, Linear-scale priority and parent key."""

    labels: tuple[str, ...] = ()
    assignee: str | None = None
    reporter: str | None = None
    priority: int | None = None
    parent_key: str | None = None


_D = TicketDetails
TICKET_DETAILS: dict[str, TicketDetails] = {
    "IAM-35": _D(("security",), "acc-alice", "acc-carol", 2),
    "IAM-38": _D(("security", "compliance"), "acc-carol", "acc-alice", 3),
    "IAM-40": _D(("sso",), "acc-alice", "acc-alice", 2),
    "IAM-41": _D(("compliance", "security"), None, "acc-carol", 3),
    "IAM-42": _D(("security", "sso"), "acc-alice", "acc-carol", 1),
    "IAM-43": _D((), None, "acc-alice", 4),
    "IAM-44": _D(("security",), "acc-carol", "acc-carol", 1),
    "IAM-45": _D(("tech-debt",), None, "acc-alice", 4, "IAM-40"),
    "IAM-46": _D(("docs",), "acc-dan", "acc-carol", 3),
    "OPS-214": _D(("incident", "backup"), "acc-carol", "acc-alice", 1),
    "OPS-215": _D(("on-call",), None, "acc-carol", 3),
    "WEB-118": _D(("Improvement", "Frontend"), "lin-bob", "lin-alice", 3),
    "WEB-119": _D(("Bug",), "lin-alice", "lin-bob", 2),
    "WEB-120": _D(("Feature", "Frontend"), None, "lin-carol", 4),
    "WEB-121": _D(("Bug",), "lin-bob", "lin-alice", 2),
    "WEB-122": _D(("Feature",), "lin-carol", "lin-alice", 3),
    "WEB-123": _D(("Feature", "Auth"), "lin-alice", "lin-alice", 2),
    "WEB-124": _D((), None, "lin-bob", 0),
    "WEB-125": _D(("Bug",), "lin-dan", "lin-carol", 1),
    "WEB-126": _D(("Improvement", "Frontend"), "lin-bob", "lin-bob", 3),
    "WEB-127": _D(("Auth",), "lin-alice", "lin-alice", 3, "WEB-123"),
    "WEB-128": _D(("Improvement",), None, "lin-carol", 4),
    "WEB-129": _D(("Feature",), None, "lin-bob", 0),
    "WEB-130": _D(("Security",), "lin-carol", "lin-carol", 1),
    "API-7": _D(("Feature",), "lin-bob", "lin-alice", 3),
    "acme/web#3": _D(("bug",), "gh-alice", "gh-carol"),
    "acme/web#4": _D(("enhancement",), None, "gh-alice"),
    "acme/web#5": _D(("dependencies",), "gh-alice", "gh-alice"),
    "acme/web#6": _D(("bug", "good first issue"), "gh-carol", "gh-dan"),
    "acme/web#7": _D(("dependencies",), None, "gh-alice"),
    "acme/web#8": _D(("enhancement",), None, "gh-carol"),
    "acme/web#9": _D((), None, "gh-alice"),
    "acme/web#10": _D(("documentation",), "gh-alice", "gh-carol"),
    "acme/web#11": _D(("security",), "gh-carol", "gh-carol"),
    "acme/platform#2": _D(("enhancement",), "gh-carol", "gh-carol"),
}


class SeededComment(NamedTuple):
    """A comment of the default world, `after` its ticket was created."""

    provider: Provider
    key: str
    author: str
    body: str
    after: timedelta


_H = timedelta(hours=1)
DEFAULT_COMMENTS = (
    SeededComment(
        _J,
        "IAM-42",
        "acc-carol",
        "The new certificate is in the vault; rollout on Tuesday.",
        3 * _H,
    ),
    SeededComment(
        _J, "IAM-42", "acc-alice", "Staging already uses the new key, no errors so far.", 20 * _H
    ),
    SeededComment(
        _J, "OPS-214", "acc-carol", "Restarted the job with more disk; watching tonight's run.", _H
    ),
    SeededComment(
        _L, "WEB-119", "lin-alice", "Waiting for the payment frame fixed it locally.", 5 * _H
    ),
    SeededComment(
        _L,
        "WEB-123",
        "lin-bob",
        "Sign-in now works across the dashboard and the docs site.",
        9 * _H,
    ),
    SeededComment(_G, "acme/web#3", "gh-carol", "Also seen on iOS Safari.", 2 * _H),
    SeededComment(
        _G, "acme/web#3", "gh-alice", "Caused by the late font swap; a fix is on its way.", 6 * _H
    ),
    SeededComment(_G, "acme/web#5", "gh-alice", "Released in 1.4.2.", 30 * _H),
)
