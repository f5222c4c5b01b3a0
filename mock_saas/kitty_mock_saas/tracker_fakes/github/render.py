"""The world's records as GitHub REST objects (`simple-user`, `repository`, `issue`, `label`,
`issue-comment`, `issue-event`), shaped by GitHub's published schemas.

Modelled fields come from the world; every other required field answers a stable, type-correct
value (null where GitHub's schema allows it). URLs point at the API base the request came to,
so a client following them stays on the fake.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kitty_contracts import Provider, StatusCategory

from kitty_mock_saas.tracker_fakes.world.models import Account, Container, FakeTicket, Label
from kitty_mock_saas.tracker_fakes.world.store import TrackerWorld

__all__ = ["GITHUB_API_URL", "GitHubRender", "github_time", "issue_state"]

GITHUB_API_URL = "https://api.github.com"
Json = dict[str, Any]
# The dates GitHub has for things the world does not date (accounts, organisations, repos).
_EPOCH = "2020-01-06T09:00:00Z"
# GitHub's placeholder for a deleted account, shown as the author of orphaned records.
_GHOST = Account(Provider.github, "ghost", "Deleted user", None, "ghost")
_GHOST_ID = 10137
_REPO_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}


def github_time(moment: datetime) -> str:
    """GitHub's timestamp form: UTC, seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issue_state(ticket: FakeTicket) -> tuple[str, str | None]:
    """GitHub's (`state`, `state_reason`) for a ticket's status."""
    if ticket.status_category in (StatusCategory.done, StatusCategory.canceled):
        default = "completed" if ticket.status_category is StatusCategory.done else "not_planned"
        return "closed", ticket.state_reason or default
    return "open", ticket.state_reason if ticket.state_reason == "reopened" else None


def numeric_id(name: str) -> int:
    """A stable positive id for a world name that has no GitHub number of its own."""
    return 10_000_000 + int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % 90_000_000


def _node_id(prefix: str, value: object) -> str:
    return f"{prefix}_" + base64.b64encode(f"{prefix}:{value}".encode()).decode().rstrip("=")


@dataclass(frozen=True)
class GitHubRender:
    """Renders over one world, for requests that came to `api` (e.g. `http://host/api/v3`)."""

    world: TrackerWorld
    api: str
    web: str = "https://github.com"

    # -- people and organisations ------------------------------------------------------

    def account(self, account_id: str | None) -> Account:
        found = self.world.account(Provider.github, account_id) if account_id else None
        return found or _GHOST

    def login(self, account_id: str | None) -> str:
        return self.account(account_id).login or "ghost"

    def user(self, account: Account | str | None) -> Json:
        """`simple-user` for an account (or account id); the ghost when there is none."""
        if not isinstance(account, Account):
            account = self.account(account)
        login = account.login or account.account_id
        user_id = _GHOST_ID if account is _GHOST else numeric_id(account.account_id)
        api = f"{self.api}/users/{login}"
        return {
            "login": login,
            "id": user_id,
            "node_id": _node_id("U", user_id),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": "Bot" if account.is_app else "User",
            "site_admin": False,
            "user_view_type": "public",
        }

    def profile(self, account: Account, *, private: bool) -> Json:
        """`private-user` (the authenticated user) or `public-user`."""
        repos = self.world.containers(Provider.github)
        payload = {
            **self.user(account),
            "user_view_type": "private" if private else "public",
            "name": account.display_name,
            "company": None,
            "blog": "",
            "location": None,
            "email": account.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": _EPOCH,
            "updated_at": _EPOCH,
        }
        if private:
            payload |= {
                "private_gists": 0,
                "total_private_repos": len(repos),
                "owned_private_repos": 0,
                "disk_usage": 0,
                "collaborators": 0,
                "two_factor_authentication": True,
                "plan": {
                    "name": "pro",
                    "space": 976562499,
                    "collaborators": 0,
                    "private_repos": 9999,
                },
            }
        return payload

    def organization(self, login: str, *, full: bool = False) -> Json:
        """`organization-simple` (or `organization-full`) for an owner of world repositories."""
        api = f"{self.api}/orgs/{login}"
        org_id = numeric_id(f"org:{login}")
        payload: Json = {
            "login": login,
            "id": org_id,
            "node_id": _node_id("O", org_id),
            "url": api,
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events",
            "hooks_url": f"{api}/hooks",
            "issues_url": f"{api}/issues",
            "members_url": f"{api}/members{{/member}}",
            "public_members_url": f"{api}/public_members{{/member}}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{org_id}?v=4",
            "description": None,
        }
        if full:
            payload |= {
                "name": login.capitalize(),
                "html_url": f"{self.web}/{login}",
                "has_organization_projects": True,
                "has_repository_projects": True,
                "public_repos": 0,
                "public_gists": 0,
                "followers": 0,
                "following": 0,
                "type": "Organization",
                "created_at": _EPOCH,
                "updated_at": _EPOCH,
                "archived_at": None,
            }
        return payload

    def owner(self, login: str) -> Json:
        """A repository owner as `simple-user` (organisations are owners too)."""
        org = self.organization(login)
        return {
            **self.user(Account(Provider.github, f"org:{login}", login, None, login)),
            "id": org["id"],
            "node_id": org["node_id"],
            "avatar_url": org["avatar_url"],
            "type": "Organization",
        }

    # -- repositories and labels -------------------------------------------------------

    def repository(self, repo: Container, *, full: bool = False) -> Json:
        """`repository` (or `full-repository`, or `minimal-repository` fields) of a world repo."""
        owner, name = repo.key.split("/", 1)
        api = f"{self.api}/repos/{repo.key}"
        html = f"{self.web}/{repo.key}"
        open_count = sum(
            1
            for t in self.world.tickets(Provider.github, repo.key, limit=100_000)
            if not t.deleted and t.transferred_to is None and issue_state(t)[0] == "open"
        )
        payload: Json = {
            "id": int(repo.id),
            "node_id": _node_id("R", repo.id),
            "name": name,
            "full_name": repo.key,
            "owner": self.owner(owner),
            "private": True,
            "html_url": html,
            "description": repo.name if repo.name != repo.key else None,
            "fork": False,
            "url": api,
            **{field: api + suffix for field, suffix in _REPO_URLS.items()},
            "created_at": _EPOCH,
            "updated_at": _EPOCH,
            "pushed_at": _EPOCH,
            "git_url": f"git://github.com/{repo.key}.git",
            "ssh_url": f"git@github.com:{repo.key}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "mirror_url": None,
            "homepage": None,
            "language": None,
            "size": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "watchers": 0,
            "forks_count": 0,
            "forks": 0,
            "open_issues_count": open_count,
            "open_issues": open_count,
            "has_issues": True,
            "has_projects": True,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "visibility": "private",
            "license": None,
            "default_branch": "main",
            "topics": [],
            "is_template": False,
            "allow_forking": False,
            "web_commit_signoff_required": False,
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }
        if full:
            payload |= {"network_count": 0, "subscribers_count": 0}
        return payload

    def label(self, label: Label, repo: Container) -> Json:
        """`label` of a repository's catalogue."""
        return {
            "id": int(label.id),
            "node_id": _node_id("LA", label.id),
            "url": f"{self.api}/repos/{repo.key}/labels/{label.name.replace(' ', '%20')}",
            "name": label.name,
            "description": label.description,
            "color": label.color.lstrip("#"),
            "default": label.name
            in {"bug", "documentation", "duplicate", "enhancement", "good first issue"},
        }

    def labels_of(self, ticket: FakeTicket, repo: Container) -> list[Json]:
        found = (self.world.label(Provider.github, repo.id, name) for name in ticket.labels)
        return [self.label(label, repo) for label in found if label is not None]
