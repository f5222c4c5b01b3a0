"""Driver run INSIDE the spec-kitty-tracker virtualenv, never imported by pytest.

`harness.run_library` starts it as `<venv python> library_driver.py` and writes one JSON request
to its stdin:

    {"provider": "jira", "config": {...JiraConnectorConfig fields...},
     "operations": [{"name": "get", "op": "get_issue", "args": {"ref": {"id": "10342"}}}, ...]}

`library_driver.py describe` prints the public coroutine methods of each of those connectors
instead, so a test can tell that the driver calls every operation the library has.

It builds the library's own connector (`JiraConnector`, `LinearConnector`, `GitHubConnector`)
from that config, unmodified, calls each operation in order and prints exactly one JSON document
on the last line of stdout:

    {"library_version": "0.5.2", "operations": [
        {"name": "get", "op": "get_issue", "ok": true, "result": {...}, "http": [...]},
        {"name": "x", "op": "add_comment", "ok": false, "error": {...}, "http": [...]}]}

With `"hosted": {"connection_id", "provider_config_key", "nango_secret_key", "nango_base_url"}`
the connector comes from the library's `create_hosted_connector` instead (`config` then holds
the provider's `*HostedParams`), every request going through Nango's proxy; the operations
`discover_workspaces` and `discover_resources` (`{"workspace": {"from": name, "id": ...}}`)
need that mode.

Arguments that are library objects are given as JSON: a ref is `{"id", "key"?, "url"?}` (system
and workspace default to the connector's) or `{"from": "<name of an earlier operation>"}` (the
ref of the issue that operation returned); datetimes are ISO strings; statuses, issue and link
types are the library's enum values. `http` lists the requests the library's httpx client made
(method, url, status), from httpx's own INFO log records; `exchanges` (directly built connectors
only) each request and answer with its body, from a response hook on the httpx client the
driver hands the connector's constructor (the library's default: 30 s timeout), so a test can
hold the fakes' answers and the library's requests to the providers' published contracts.

Library modules are imported through importlib so that mypy (which runs in the project venv,
where spec-kitty-tracker is not installed) sees them as Any.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import importlib
import importlib.metadata
import json
import logging
import sys
import traceback
from datetime import datetime
from typing import Any

import httpx

# Each operation ends within this, whatever the fake does (the library's own timeout is 30 s).
OPERATION_TIMEOUT_S = 45.0
LIBRARY_TIMEOUT_S = 30.0
# A body kept for the test is cut here (the fakes' answers are far smaller).
BODY_LIMIT = 256_000
_CONNECTORS = {
    "jira": ("JiraConnector", "JiraConnectorConfig"),
    "linear": ("LinearConnector", "LinearConnectorConfig"),
    "github": ("GitHubConnector", "GitHubConnectorConfig"),
}
_HOSTED_PARAMS = {
    "jira": "JiraHostedParams",
    "linear": "LinearHostedParams",
    "github": "GitHubHostedParams",
}


class _HttpxRecorder(logging.Handler):
    """Collects httpx's `HTTP Request: METHOD URL "HTTP/1.1 200 OK"` records."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.calls: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 4:
            self.calls.append(
                {"method": str(args[0]), "url": str(args[1]), "status": int(str(args[3]))}
            )


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return repr(value)


def _body(content: bytes, content_type: str | None) -> Any:
    """A request or response body as JSON when it is JSON, else as (cut) text; None if empty."""
    if not content:
        return None
    text = content[:BODY_LIMIT].decode(errors="replace")
    if content_type and "json" in content_type and len(content) <= BODY_LIMIT:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _describe_error(exc: BaseException) -> dict[str, Any]:
    described: dict[str, Any] = {
        "type": type(exc).__name__,
        "module": type(exc).__module__,
        "message": str(exc)[:4000],
    }
    for attr in ("status_code", "failure_class", "retry_after_seconds", "capability"):
        if hasattr(exc, attr):
            described[attr] = _jsonable(getattr(exc, attr))
    if not type(exc).__module__.startswith("spec_kitty_tracker"):
        described["traceback"] = traceback.format_exception(exc)[-6:]
    return described


class _Session:
    """One connector and the results so far (for `{"from": name}` refs)."""

    def __init__(
        self, provider: str, config: dict[str, Any], hosted: dict[str, Any] | None
    ) -> None:
        self.models = importlib.import_module("spec_kitty_tracker.models")
        self.provider = provider
        self.results: dict[str, Any] = {}
        self.nango: Any = None
        self.client: httpx.AsyncClient | None = None
        self.exchanges: list[dict[str, Any]] = []
        if hosted is None:
            connectors = importlib.import_module("spec_kitty_tracker.connectors")
            connector_name, config_name = _CONNECTORS[provider]
            self.config = getattr(connectors, config_name)(**self._config(config))
            # The library's own default client (30 s), plus a hook that keeps each exchange.
            self.client = httpx.AsyncClient(
                timeout=LIBRARY_TIMEOUT_S, event_hooks={"response": [self._keep]}
            )
            self.connector = getattr(connectors, connector_name)(self.config, client=self.client)
            return
        # Hosted: the library's own factory, through Nango's proxy (`NangoConnectionContext`).
        nango = importlib.import_module("spec_kitty_tracker.nango")
        hosting = importlib.import_module("spec_kitty_tracker.hosted")
        self.nango = nango.NangoConnectionContext(**hosted)
        params_class = getattr(hosting, _HOSTED_PARAMS[provider])
        self.config = params_class(**self._config(config))
        self.connector = hosting.create_hosted_connector(
            hosting.HostedConnectorRequest(
                provider=provider, nango_context=self.nango, params=self.config
            )
        )

    async def _keep(self, response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        self.exchanges.append(
            {
                "method": request.method,
                "url": str(request.url),
                "request_body": _body(request.content, request.headers.get("content-type")),
                "status": response.status_code,
                "content_type": response.headers.get("content-type"),
                "response_body": _body(response.content, response.headers.get("content-type")),
            }
        )

    async def close(self) -> None:
        await self.connector.close()
        if self.client is not None:
            await self.client.aclose()

    def _config(self, config: dict[str, Any]) -> dict[str, Any]:
        status = self.models.CanonicalStatus
        decoded = dict(config)
        for field in ("status_name_map", "status_to_state_id"):
            if field in decoded:
                decoded[field] = {status(k): v for k, v in decoded[field].items()}
        return decoded

    def workspace(self) -> str:
        if self.provider == "jira":
            return str(self.config.base_url)
        if self.provider == "linear":
            return str(self.config.workspace)
        return f"{self.config.owner}/{self.config.repo}"

    def discovered_workspace(self, spec: dict[str, Any]) -> Any:
        """A workspace an earlier `discover_workspaces` found: `{"from": name, "id": ...}`."""
        for workspace in self.results[spec["from"]].items:
            if workspace.id == spec["id"] or workspace.name == spec["id"]:
                return workspace
        raise LookupError(f"no discovered workspace {spec['id']!r}")

    def ref(self, spec: dict[str, Any]) -> Any:
        if "from" in spec:
            earlier = self.results[spec["from"]]
            return earlier.ref
        return self.models.ExternalRef(
            system=spec.get("system", self.provider),
            workspace=spec.get("workspace", self.workspace()),
            id=spec["id"],
            key=spec.get("key"),
            url=spec.get("url"),
        )

    def issue(self, spec: dict[str, Any]) -> Any:
        models = self.models
        return models.CanonicalIssue(
            ref=self.ref(spec.get("ref", {"id": "new"})),
            title=spec["title"],
            body=spec.get("body"),
            status=models.CanonicalStatus(spec.get("status", "todo")),
            issue_type=models.CanonicalIssueType(spec.get("issue_type", "task")),
            priority=spec.get("priority"),
            assignees=list(spec.get("assignees", [])),
            labels=list(spec.get("labels", [])),
            parent=self.ref(spec["parent"]) if spec.get("parent") else None,
        )

    def patch(self, spec: dict[str, Any]) -> dict[str, Any]:
        patch = dict(spec)
        if isinstance(patch.get("parent"), dict):
            patch["parent"] = self.ref(patch["parent"])
        return patch

    async def call(self, op: str, args: dict[str, Any]) -> Any:
        c, models = self.connector, self.models
        if op == "get_capabilities":
            return await c.get_capabilities()
        if op == "list_issues":
            since = args.get("updated_since")
            return await c.list_issues(
                updated_since=datetime.fromisoformat(since) if since else None,
                cursor=args.get("cursor"),
                limit=int(args.get("limit", 50)),
                filters=args.get("filters"),
            )
        if op == "get_issue":
            return await c.get_issue(self.ref(args["ref"]))
        if op == "create_issue":
            return await c.create_issue(self.issue(args["issue"]))
        if op == "update_issue":
            return await c.update_issue(
                self.ref(args["ref"]),
                self.patch(args["patch"]),
                idempotency_key=args.get("idempotency_key"),
            )
        if op == "transition_issue":
            status = models.CanonicalStatus(args["status"])
            return await c.transition_issue(self.ref(args["ref"]), status)
        if op == "list_transitions":
            return await c.list_transitions(self.ref(args["ref"]))
        if op == "upsert_link":
            link = models.CanonicalLink(
                type=models.LinkType(args["type"]), target=self.ref(args["target"])
            )
            return await c.upsert_link(self.ref(args["ref"]), link)
        if op == "add_comment":
            return await c.add_comment(self.ref(args["ref"]), args["body"])
        if op == "list_events":
            spec = args.get("checkpoint")
            checkpoint = models.SyncCheckpoint(cursor=spec.get("cursor")) if spec else None
            events, after = await c.list_events(checkpoint, int(args.get("limit", 50)))
            return {"events": events, "checkpoint": after}
        if op in ("discover_workspaces", "discover_resources"):
            if self.nango is None:
                raise ValueError(f"{op} needs the hosted mode (a Nango connection)")
            discovery = importlib.import_module("spec_kitty_tracker.discovery")
            if op == "discover_workspaces":
                return await discovery.discover_workspaces(self.provider, self.nango)
            workspace = self.discovered_workspace(args["workspace"])
            return await discovery.discover_resources(self.provider, workspace, self.nango)
        raise ValueError(f"unknown operation {op!r}")


async def _run(request: dict[str, Any], recorder: _HttpxRecorder) -> list[dict[str, Any]]:
    session = _Session(request["provider"], request["config"], request.get("hosted"))
    outcomes: list[dict[str, Any]] = []
    try:
        for operation in request["operations"]:
            name, op = operation.get("name", operation["op"]), operation["op"]
            recorder.calls = []
            session.exchanges = []
            outcome: dict[str, Any] = {"name": name, "op": op}
            try:
                result = await asyncio.wait_for(
                    session.call(op, operation.get("args", {})), OPERATION_TIMEOUT_S
                )
            except Exception as exc:  # every failure is reported, never raised
                outcome.update(ok=False, error=_describe_error(exc))
            else:
                session.results[name] = result
                outcome.update(ok=True, result=_jsonable(result))
            outcome["http"] = list(recorder.calls)
            outcome["exchanges"] = list(session.exchanges)
            outcomes.append(outcome)
    finally:
        await session.close()
    return outcomes


# Every operation `_Session.call` knows; `describe` compares them with the library's own.
OPERATIONS = (
    "get_capabilities",
    "list_issues",
    "get_issue",
    "create_issue",
    "update_issue",
    "transition_issue",
    "list_transitions",
    "upsert_link",
    "add_comment",
    "list_events",
    "discover_workspaces",
    "discover_resources",
)


def _describe() -> dict[str, Any]:
    """The public coroutine methods of each of the library's connectors."""
    connectors = importlib.import_module("spec_kitty_tracker.connectors")
    described: dict[str, Any] = {}
    for provider, (connector_name, _config) in _CONNECTORS.items():
        connector = getattr(connectors, connector_name)
        described[provider] = sorted(
            name
            for name in dir(connector)
            if not name.startswith("_")
            and asyncio.iscoroutinefunction(getattr(connector, name))
            and name not in ("close", "__aenter__", "__aexit__")
        )
    return {"connectors": described, "driver": list(OPERATIONS)}


def main() -> int:
    if sys.argv[1:] == ["describe"]:
        print(json.dumps(_describe()))
        return 0
    request = json.loads(sys.stdin.read())
    recorder = _HttpxRecorder()
    httpx_logger = logging.getLogger("httpx")
    httpx_logger.setLevel(logging.INFO)
    httpx_logger.addHandler(recorder)
    outcomes = asyncio.run(_run(request, recorder))
    document = {
        "library_version": importlib.metadata.version("spec-kitty-tracker"),
        "operations": outcomes,
    }
    print(json.dumps(document))
    return 0


if __name__ == "__main__":
    sys.exit(main())
