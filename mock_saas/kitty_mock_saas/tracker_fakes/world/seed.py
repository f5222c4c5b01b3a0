"""The deterministic default world: the contract's named examples plus realistic neighbours.

Fixed facts other parts of the kit rely on (the contract's `openapi.yaml` examples):
Linear team WEB (`8f6b2c1e-…`, workspace `acme`) with WEB-123 and WEB-127, the only tickets
mentioning Clerk; Jira site `https://acme.atlassian.net`, project IAM (`10042`) with IAM-42
(`10342`) and project OPS (`10077`); GitHub `acme/web` (id 501). Access tokens are listed in
`DEFAULT_IDENTITIES`; bob deliberately has no Jira identity. `INSTALLATION_IDENTITIES` are the
organisation's tracker installations, the SaaS's own credential for writes. Accounts, label
catalogues, each ticket's labels, assignee, reporter, priority and parent, and a few comments
are in `seed_details.py`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from kitty_contracts import Provider, StatusCategory

from .ids import world_uuid
from .models import Container, FakeTicket, Identity
from .seed_details import DEFAULT_ACCOUNTS, DEFAULT_COMMENTS, DEFAULT_LABELS, TICKET_DETAILS
from .store import TrackerWorld

__all__ = [
    "ACME_API",
    "ACME_IAM",
    "ACME_OPS",
    "ACME_PLATFORM",
    "ACME_WEB_REPO",
    "ACME_WEB_TEAM",
    "DEFAULT_CONTAINERS",
    "DEFAULT_IDENTITIES",
    "INSTALLATION_IDENTITIES",
    "INSTALLATION_TOKENS",
    "seed_default_world",
]

_J, _L, _G = Provider.jira, Provider.linear, Provider.github
TODO, DOING, DONE, CANCELED = (
    StatusCategory.todo,
    StatusCategory.in_progress,
    StatusCategory.done,
    StatusCategory.canceled,
)

ACME_IAM = Container(_J, "IAM", "10042", "Identity and Access", "https://acme.atlassian.net")
ACME_OPS = Container(_J, "OPS", "10077", "Operations", "https://acme.atlassian.net")
ACME_WEB_TEAM = Container(
    _L, "WEB", "8f6b2c1e-4a5d-4e2b-9c3f-1a2b3c4d5e6f", "Web", "https://linear.app/acme"
)
ACME_API = Container(
    _L, "API", "2d7e9a41-6b3c-4f5e-8a1d-3c5e7f9b1d2a", "API", "https://linear.app/acme"
)
ACME_WEB_REPO = Container(_G, "acme/web", "501", "acme/web", "https://github.com")
ACME_PLATFORM = Container(_G, "acme/platform", "502", "acme/platform", "https://github.com")
DEFAULT_CONTAINERS = (ACME_IAM, ACME_OPS, ACME_WEB_TEAM, ACME_API, ACME_WEB_REPO, ACME_PLATFORM)

DEFAULT_IDENTITIES = (
    Identity(_J, "jira-tok-alice", "acc-alice", "Alice Adams"),
    Identity(_J, "jira-tok-carol", "acc-carol", "Carol Chen"),
    Identity(_L, "lin-tok-alice", "lin-alice", "Alice Adams"),
    Identity(_L, "lin-tok-bob", "lin-bob", "Bob Brown"),
    Identity(_L, "lin-tok-carol", "lin-carol", "Carol Chen"),
    Identity(_G, "gh-tok-alice", "gh-alice", "alice"),
    Identity(_G, "gh-tok-carol", "gh-carol", "carol"),
)

# The tracker installations of the acme organisation: the SaaS writes with these, never with a
# user's token (a user's identity is for what that user may search and read). They never leave
# the mock: the registry holds them as each in-process fake's configured credential.
INSTALLATION_IDENTITIES = (
    Identity(_J, "jira-install-acme", "app-spec-kitty-jira", "Spec Kitty (Jira app)"),
    Identity(_L, "lin-install-acme", "app-spec-kitty-linear", "Spec Kitty (Linear app)"),
    Identity(_G, "gh-install-acme", "app-spec-kitty-github", "spec-kitty[bot]"),
)
INSTALLATION_TOKENS = {identity.provider: identity.token for identity in INSTALLATION_IDENTITIES}

_EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

_OAUTH_SCOPES_BODY = """\
Partner apps ask which scopes they need. Write it down once.

## Scopes

- `read:jira-work` for search and issue reads
- `write:jira-work` for transitions
  - only for the sync bot

1. Draft the table
2. Review with **security**

```json
{"scopes": ["read:jira-work"]}
```

See the [Atlassian scopes reference](https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/)."""

# (number, title, body, status name, category, restricted_to)
_JiraRow = tuple[int, str, str, str, StatusCategory, tuple[str, ...] | None]
_IAM: list[_JiraRow] = [
    (
        35,
        "Enforce MFA for admin accounts",
        "Admins must use a second factor; block password-only sign-in for the admin role.",
        "To Do",
        TODO,
        None,
    ),
    (
        38,
        "Audit stale service accounts",
        "List service accounts unused for 90 days and disable them.",
        "Done",
        DONE,
        None,
    ),
    (
        40,
        "SCIM provisioning for Okta",
        "Provision and deprovision users from Okta through SCIM 2.0.",
        "In Progress",
        DOING,
        None,
    ),
    (
        41,
        "Align password policy with NIST 800-63B",
        "Drop forced rotation, check new passwords against breach lists.",
        "In Arbeit",
        DOING,
        None,
    ),
    (
        42,
        "Rotate signing keys for SSO",
        "The SAML signing certificate expires next quarter; rotate it without downtime.",
        "In Review",
        DOING,
        None,
    ),
    (
        43,
        "Session timeout configuration per tenant",
        "Let each tenant choose an idle timeout between 15 minutes and 12 hours.",
        "To Do",
        TODO,
        None,
    ),
    (
        44,
        "Break-glass access procedure",
        "Emergency admin access with two-person approval and full audit.",
        "In Progress",
        DOING,
        ("acc-carol",),
    ),
    (
        45,
        "Remove legacy LDAP bind user",
        "Superseded by the SCIM rollout.",
        "Won't Do",
        CANCELED,
        None,
    ),
    (46, "Document OAuth scopes for partner apps", _OAUTH_SCOPES_BODY, "To Do", TODO, None),
]
_OPS: list[_JiraRow] = [
    (
        214,
        "Backup failure on the billing database",
        "Nightly backups of billing-db failed three times this week.",
        "In Progress",
        DOING,
        None,
    ),
    (
        215,
        "Rotate the on-call schedule",
        "Move the weekly hand-over to Mondays.",
        "To Do",
        TODO,
        None,
    ),
]
_WEB: list[tuple[int, str, str, str, StatusCategory]] = [
    (
        118,
        "Migrate marketing pages to Astro",
        "Static pages build faster and need no server.",
        "Done",
        DONE,
    ),
    (
        119,
        "Fix flaky checkout end-to-end test",
        "The payment iframe sometimes loads after the assertion runs.",
        "In Progress",
        DOING,
    ),
    (
        120,
        "Dark mode for the dashboard",
        "Follow the system preference and remember the user's choice.",
        "Backlog",
        TODO,
    ),
    (
        121,
        "Image uploads fail over 10 MB",
        "The proxy rejects large bodies before the app sees them.",
        "Todo",
        TODO,
    ),
    (
        122,
        "Add CSV export to reports",
        "Finance wants monthly numbers in a spreadsheet.",
        "In Review",
        DOING,
    ),
    (
        123,
        "Add Clerk auth",
        "Replace the home-grown session cookies with Clerk so that sign-in works across our apps.",
        "In Progress",
        DOING,
    ),
    (
        124,
        "Onboarding checklist copy review",
        "Marketing rewrote the onboarding copy.",
        "Canceled",
        CANCELED,
    ),
    (
        125,
        "Rate limit the public contact form",
        "Bots submit the form thousands of times a day.",
        "Todo",
        TODO,
    ),
    (
        126,
        "Speed up dashboard first paint",
        "Defer the charts bundle until it is visible.",
        "In Progress",
        DOING,
    ),
    (
        127,
        "Clerk middleware cleanup",
        "Remove the legacy auth middleware once every route goes through Clerk.",
        "Todo",
        TODO,
    ),
    (
        128,
        "Accessibility audit of the settings page",
        "Keyboard navigation skips the danger zone.",
        "Backlog",
        TODO,
    ),
    (129, "CSV export for reports", "Same request as WEB-122.", "Duplicate", CANCELED),
]
_FIXED_LINEAR_IDS = {
    123: "5b1e8a2c-3d4f-4a6b-8c9d-0e1f2a3b4c5d",
    127: "9c2d4e6f-1a3b-4c5d-8e7f-2b4c6d8e0f1a",
}


def seed_default_world(world: TrackerWorld) -> None:
    """Add the default containers, accounts, identities, labels, tickets and comments;
    running it twice changes nothing."""
    for container in DEFAULT_CONTAINERS:
        world.add_container(container)
    for account in DEFAULT_ACCOUNTS:
        world.add_account(account)
    for identity in (*DEFAULT_IDENTITIES, *INSTALLATION_IDENTITIES):
        world.add_identity(identity)
    for (provider, key), labels in DEFAULT_LABELS.items():
        labelled = world.container(provider, key=key)
        assert labelled is not None  # added above
        for name, color, description in labels:
            world.ensure_label(
                provider,
                labelled.id,
                name,
                color=color or None,
                description=description,
                seeded=True,
            )
    world.add_tickets(_default_tickets(), skip_existing=True)
    for comment in DEFAULT_COMMENTS:
        ticket = world.ticket(comment.provider, comment.key)
        assert ticket is not None  # added above
        if not any(
            (c.author, c.body_markdown) == (comment.author, comment.body)
            for c in world.comments(comment.provider, comment.key)
        ):
            world.add_comment(
                comment.provider,
                comment.key,
                comment.author,
                comment.body,
                now=ticket.created_at + comment.after,
                seeded=True,
            )


def _default_tickets() -> list[FakeTicket]:
    tickets: list[FakeTicket] = []
    for container, rows in ((ACME_IAM, _IAM), (ACME_OPS, _OPS)):
        for number, title, body, status, category, restricted in rows:
            tickets.append(
                _ticket(
                    container,
                    number,
                    str(10300 + number),
                    f"{container.key}-{number}",
                    title,
                    body,
                    status,
                    category,
                    restricted_to=restricted,
                )
            )
    for number, title, body, status, category in _WEB:
        ticket_id = _FIXED_LINEAR_IDS.get(number) or _uuid(f"WEB-{number}")
        tickets.append(
            _ticket(
                ACME_WEB_TEAM, number, ticket_id, f"WEB-{number}", title, body, status, category
            )
        )
    tickets.append(
        _ticket(
            ACME_WEB_TEAM,
            130,
            _uuid("WEB-130"),
            "WEB-130",
            "Security incident follow-up",
            "Private notes on the October incident.",
            "In Progress",
            DOING,
            restricted_to=("lin-carol",),
        )
    )
    tickets.append(
        _ticket(
            ACME_API,
            7,
            _uuid("API-7"),
            "API-7",
            "Paginate the audit log endpoint",
            "Return at most 100 entries per page.",
            "Todo",
            TODO,
        )
    )
    tickets.extend(_github_tickets())
    return tickets


def _github_tickets() -> list[FakeTicket]:
    web, platform = ACME_WEB_REPO, ACME_PLATFORM

    def issue(
        number: int,
        title: str,
        body: str | None,
        status: str,
        category: StatusCategory,
        *,
        state_reason: str | None = None,
        is_pull_request: bool = False,
        transferred_to: str | None = None,
        deleted: bool = False,
        restricted_to: tuple[str, ...] | None = None,
    ) -> FakeTicket:
        return _ticket(
            web,
            number,
            str(3_000_000_000 + number),
            f"acme/web#{number}",
            title,
            body,
            status,
            category,
            state_reason=state_reason,
            is_pull_request=is_pull_request,
            transferred_to=transferred_to,
            deleted=deleted,
            restricted_to=restricted_to,
        )

    return [
        issue(
            3,
            "Login page flickers on Safari",
            "The form re-renders twice on load in Safari 18.",
            "Open",
            TODO,
        ),
        issue(
            4,
            "Add dark mode toggle",
            "A manual toggle in the header.",
            "Closed as not planned",
            CANCELED,
            state_reason="not_planned",
        ),
        issue(
            5,
            "Upgrade httpx to 0.28",
            "Pick up the new transport API.",
            "Closed",
            DONE,
            state_reason="completed",
        ),
        issue(
            6, "Sign-in button misaligned on mobile", None, "Open", TODO, state_reason="reopened"
        ),
        issue(
            7,
            "Bump pydantic to 2.14",
            "Automated dependency update.",
            "Open",
            TODO,
            is_pull_request=True,
        ),
        issue(
            8,
            "Rate limiter for the public API",
            "Moved to the platform repository.",
            "Open",
            TODO,
            transferred_to="acme/platform#2",
        ),
        issue(9, "Leaked staging URL in the README", "Removed.", "Closed", DONE, deleted=True),
        issue(
            10, "Document the SSO setup", "Step-by-step for self-hosted customers.", "Open", TODO
        ),
        issue(
            11,
            "Security advisory draft: session fixation",
            "Embargoed until the fix ships.",
            "Open",
            TODO,
            restricted_to=("gh-carol",),
        ),
        _ticket(
            platform,
            2,
            str(3_000_001_002),
            "acme/platform#2",
            "Rate limiter for the public API",
            "Token bucket per API key, 100 requests per minute.",
            "Open",
            TODO,
        ),
    ]


def _ticket(
    container: Container,
    number: int,
    ticket_id: str,
    key: str,
    title: str,
    body: str | None,
    status: str,
    category: StatusCategory,
    *,
    state_reason: str | None = None,
    is_pull_request: bool = False,
    transferred_to: str | None = None,
    deleted: bool = False,
    restricted_to: tuple[str, ...] | None = None,
) -> FakeTicket:
    created = _EPOCH + timedelta(hours=number)
    details = TICKET_DETAILS.get(key)
    ticket = FakeTicket(
        provider=container.provider,
        container_key=container.key,
        container_id=container.id,
        number=number,
        id=ticket_id,
        key=key,
        title=title,
        body_markdown=body,
        status_name=status,
        status_category=category,
        created_at=created,
        updated_at=created + timedelta(days=2),
        state_reason=state_reason,
        is_pull_request=is_pull_request,
        transferred_to=transferred_to,
        deleted=deleted,
        restricted_to=restricted_to,
    )
    return ticket if details is None else replace(ticket, **details._asdict())


def _uuid(name: str) -> str:
    return world_uuid(name)
