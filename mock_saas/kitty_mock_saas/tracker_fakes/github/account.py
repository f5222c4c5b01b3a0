"""Who the token is and what it reaches: `/user`, `/users/{u}`, `/user/orgs`, `/user/repos`,
`/orgs/{org}`, `/orgs/{org}/repos`, `/repos/{o}/{r}`, its assignees, and `/rate_limit`."""

from __future__ import annotations

from datetime import datetime

from kitty_contracts import Provider
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kitty_mock_saas.tracker_fakes.world.models import Account, Container

from .context import FakeContext, github_error, page

__all__ = ["AccountRoutes"]


class AccountRoutes(FakeContext):
    async def authenticated_user(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        if account.is_app:
            # An installation token acts as the app, which is not a user.
            return github_error(403, "Resource not accessible by integration")
        return JSONResponse(self.render(request).profile(account, private=True))

    async def user(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        found = self.world.account_by_login(Provider.github, request.path_params["username"])
        if found is None:
            return github_error(404, "Not Found")
        return JSONResponse(self.render(request).profile(found, private=False))

    def _owners(self) -> list[str]:
        return sorted({c.key.split("/", 1)[0] for c in self.world.containers(Provider.github)})

    async def user_orgs(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        render = self.render(request)
        chosen, headers = page(request, self._owners())
        return JSONResponse([render.organization(o) for o in chosen], headers=headers)

    async def organization(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        org = _named(self._owners(), request.path_params["org"])
        if org is None:
            return github_error(404, "Not Found")
        return JSONResponse(self.render(request).organization(org, full=True))

    def _repos(self, owner: str | None = None) -> list[Container]:
        repos = self.world.containers(Provider.github)
        if owner is not None:
            repos = [c for c in repos if c.key.split("/", 1)[0].lower() == owner.lower()]
        return sorted(repos, key=lambda c: c.key.lower())

    async def user_repos(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        # Every world repository belongs to an organisation the user is a member of; the user
        # owns none (so `affiliation=owner` alone lists nothing, as on GitHub).
        affiliation = request.query_params.get(
            "affiliation", "owner,collaborator,organization_member"
        )
        wanted = {a.strip() for a in affiliation.split(",")}
        member = bool(wanted & {"collaborator", "organization_member"})
        return self._repo_list(request, self._repos() if member else [])

    async def org_repos(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        if _named(self._owners(), request.path_params["org"]) is None:
            return github_error(404, "Not Found")
        return self._repo_list(request, self._repos(request.path_params["org"]))

    def _repo_list(self, request: Request, repos: list[Container]) -> Response:
        render = self.render(request)
        chosen, headers = page(request, repos)
        return JSONResponse([render.repository(c) for c in chosen], headers=headers)

    async def repository(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        repo = self.repo(request)
        if repo is None:
            return github_error(404, "Not Found")
        return JSONResponse(self.render(request).repository(repo, full=True))

    async def assignees(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        if self.repo(request) is None:
            return github_error(404, "Not Found")
        render = self.render(request)
        people = [a for a in self.world.accounts(Provider.github) if not a.is_app]
        chosen, headers = page(request, people)
        return JSONResponse([render.user(a) for a in chosen], headers=headers)

    async def rate_limit(self, request: Request) -> Response:
        account = self.gate(request)
        if isinstance(account, Response):
            return account
        return JSONResponse(_rate_limits(account, self.world.clock()))


def _named(names: list[str], wanted: str) -> str | None:
    return next((n for n in names if n.lower() == wanted.lower()), None)


def _rate_limits(account: Account, now: datetime) -> dict[str, object]:
    # The fake does not count requests: every budget is whole.
    reset = int(now.timestamp()) + 3600
    core = {"limit": 5000, "used": 0, "remaining": 5000, "reset": reset}
    search = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
    return {"resources": {"core": core, "search": search}, "rate": core}
