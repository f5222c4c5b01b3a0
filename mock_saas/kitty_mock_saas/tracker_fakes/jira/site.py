"""The site-wide resources of the fake Jira: `serverInfo`, `myself`, projects, fields, issue
types, priorities, statuses, and the OAuth gateway's `accessible-resources`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .catalogue import ISSUE_TYPES, PRIORITIES, STATUSES
from .gate import error
from .render import (
    Call,
    Json,
    avatars,
    field_list,
    issue_type,
    priority,
    project,
    rfc3339_time,
    status,
    user,
)
from .world_view import JiraWorld

__all__ = ["JiraSite"]

_NO_PROJECT = "No project could be found with key '{}'."
_SCOPES = ["read:jira-work", "write:jira-work", "read:jira-user"]


class JiraSite:
    """Site-wide resources over one world."""

    def __init__(self, jira: JiraWorld) -> None:
        self.jira = jira

    async def server_info(self, request: Request, call: Call) -> Response:
        site = self.jira.site_url()
        return JSONResponse(
            {
                "baseUrl": site,
                "displayUrl": site,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "buildNumber": 100280,
                "buildDate": "2025-12-01T00:00:00.000+00:00",
                "serverTime": rfc3339_time(self.jira.world.clock()),
                "scmInfo": "57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71",
                "serverTitle": "Jira",
                "serverTimeZone": "Etc/UTC",
            }
        )

    async def myself(self, request: Request, call: Call) -> Response:
        account = self.jira.account(call.account)
        body = user(account, call) or {}
        body["locale"] = "en_US"
        body["groups"] = {"size": 1, "items": []}
        body["applicationRoles"] = {"size": 1, "items": []}
        body["expand"] = "groups,applicationRoles"
        return JSONResponse(body)

    async def project(self, request: Request, call: Call) -> Response:
        wanted = request.path_params["id_or_key"]
        found = self.jira.project(wanted)
        if found is None:
            return error(404, _NO_PROJECT.format(wanted))
        body = project(found, call)
        body.update(
            {
                "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
                "description": "",
                "lead": user(self.jira.account(self._lead()), call),
                "components": [],
                "issueTypes": [issue_type(kind, call) for kind in ISSUE_TYPES],
                "assigneeType": "UNASSIGNED",
                "versions": [],
                "roles": {},
                "style": "classic",
                "isPrivate": False,
                "properties": {},
            }
        )
        return JSONResponse(body)

    async def projects(self, request: Request, call: Call) -> Response:
        """`GET /project`: every project, as one list."""
        return JSONResponse([project(p, call) for p in self.jira.projects()])

    async def project_search(self, request: Request, call: Call) -> Response:
        """`GET /project/search`: projects by `query` (key or name) and `keys`, paged."""
        query = request.query_params
        try:
            start = max(0, int(query.get("startAt", "0")))
            size = max(1, min(int(query.get("maxResults", "50")), 100))
        except ValueError:
            return error(400, "The startAt and maxResults parameters must be numbers.")
        text = query.get("query", "").lower()
        keys = {k.upper() for raw in query.getlist("keys") for k in raw.split(",") if k}
        matching = [
            p
            for p in self.jira.projects()
            if (not text or text in p.key.lower() or text in p.name.lower())
            and (not keys or p.key in keys or p.id in keys)
        ]
        page = matching[start : start + size]
        last = start + size >= len(matching)
        body: Json = {
            "self": str(request.url),
            "maxResults": size,
            "startAt": start,
            "total": len(matching),
            "isLast": last,
            "values": [project(p, call) for p in page],
        }
        if not last:
            body["nextPage"] = f"{call.api}/project/search?startAt={start + size}&maxResults={size}"
        return JSONResponse(body)

    async def user(self, request: Request, call: Call) -> Response:
        """`GET /user?accountId=`: one user."""
        found = self.jira.account(request.query_params.get("accountId", ""))
        if found is None:
            return error(
                404, "Specified user does not exist or you do not have required permissions"
            )
        return JSONResponse(user(found, call))

    async def user_search(self, request: Request, call: Call) -> Response:
        """`GET /user/search`: users whose account id, e-mail or name contains `query`."""
        query = request.query_params
        text = (query.get("query") or query.get("accountId") or "").lower()
        try:
            start = max(0, int(query.get("startAt", "0")))
            size = max(0, min(int(query.get("maxResults", "50")), 1000))
        except ValueError:
            return error(400, "The startAt and maxResults parameters must be numbers.")
        matching = [
            a
            for a in self.jira.accounts()
            if any(text in value.lower() for value in (a.account_id, a.email or "", a.display_name))
        ]
        return JSONResponse([user(a, call) for a in matching[start : start + size]])

    async def fields(self, request: Request, call: Call) -> Response:
        return JSONResponse(field_list())

    async def issue_types(self, request: Request, call: Call) -> Response:
        return JSONResponse([issue_type(kind, call) for kind in ISSUE_TYPES])

    async def priorities(self, request: Request, call: Call) -> Response:
        return JSONResponse([priority(name, call) for _, name, _ in PRIORITIES])

    async def statuses(self, request: Request, call: Call) -> Response:
        return JSONResponse([status(name, category, call) for _, name, category in STATUSES])

    async def accessible_resources(self, request: Request, call: Call) -> Response:
        """The sites an OAuth token reaches (`GET /oauth/token/accessible-resources`)."""
        site = self.jira.site_url()
        return JSONResponse(
            [
                {
                    "id": self.jira.cloud_id(),
                    "url": site,
                    "name": site.removeprefix("https://").split(".")[0],
                    "scopes": _SCOPES,
                    "avatarUrl": avatars(site, "site")["48x48"],
                }
            ]
        )

    def _lead(self) -> str | None:
        people = [a for a in self.jira.accounts() if not a.is_app]
        return people[0].account_id if people else None
